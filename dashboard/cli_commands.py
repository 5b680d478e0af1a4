"""The command line's commands and their options (`python -m dashboard -h`); cli.py runs them."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from dashboard.auth import ROLES
from dashboard.bulletin_formats import FORMATS
from dashboard.cli_parser import ChineseArgumentParser
from dashboard.layout import KIND_LABELS
from dashboard.periods import PERIOD_KINDS
from data_models.tables import SHORT_TEXT

PASSWORD_ENV = "DASHBOARD_NEW_PASSWORD"  # for scripts; a person types it at the prompt
COUNTY_HELP = "县代码或县名（如 neixiang 或 内乡县；或 new-campaign 建立的县）"
AS_OF_HELP = "统计截至日期 YYYY-MM-DD（默认：最新报表日期）"
PERIOD_HELP = "week 周排名、half-month 半月通报或 month 月评比：取含统计截至日期的一期"

# what add_subparsers returns (argparse names its class privately)
Commands = argparse._SubParsersAction


def command_line() -> argparse.ArgumentParser:
    """Every command with its options, help in Chinese."""
    parser = ChineseArgumentParser(
        prog="python -m dashboard",
        description=(
            "城乡居民医保征缴工作看板的命令行工具：结算、排名、导入、通报与数据库维护"
            "（各命令的选项：python -m dashboard 命令 -h）"
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    _figures(commands)
    _imports(commands)
    _documents(commands)
    _campaigns(commands)
    _upkeep(commands)
    return parser


def _operator() -> str:
    """Who runs the command, for the import record and the audit log."""
    try:
        return f"命令行:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "命令行"


def _operator_name(text: str) -> str:
    if len(text) > SHORT_TEXT:
        raise argparse.ArgumentTypeError(f"操作人最多{SHORT_TEXT}个字符")
    return text


def _county(command: argparse.ArgumentParser) -> None:
    """--county and --year: which county's campaign of which year."""
    command.add_argument("--county", required=True, help=COUNTY_HELP)
    command.add_argument(
        "--year", type=int, help="征缴年度（待遇年度，如 2024；默认：该县最新的征缴年度）"
    )


def _as_of(command: argparse.ArgumentParser, said: str = AS_OF_HELP) -> None:
    command.add_argument("--as-of", dest="as_of", help=said)


def _operator_option(command: argparse.ArgumentParser, recorded: str) -> None:
    command.add_argument(
        "--user",
        default=_operator()[:SHORT_TEXT],
        type=_operator_name,
        help=f"操作人（{recorded}；默认：命令行:系统用户名）",
    )


def _data_options(command: argparse.ArgumentParser) -> None:
    """The county's stored figures, or files in their place, as of a day."""
    _county(command)
    command.add_argument(
        "--quota", type=Path, help="任务表 CSV（乡镇,征缴任务数 或 township,quota）"
    )
    command.add_argument(
        "--progress", type=Path, help="进度表 CSV（日期,乡镇,参保人数 或 date,township,enrolled）"
    )
    _as_of(command)


def _figures(commands: Commands) -> None:
    """settle, rank, whatif: the figures as CSV."""
    settle = commands.add_parser("settle", help="按乡镇结算工作经费、奖励与扣减，输出 CSV")
    _data_options(settle)
    settle.add_argument(
        "--verified",
        action="store_true",
        help="按县税务局、医保局核定的最终参保人数结算"
        "（在“结算”页录入；不能与 --progress、--as-of 同用）",
    )
    rank = commands.add_parser("rank", help="输出某周期的乡镇排名 CSV")
    _data_options(rank)
    rank.add_argument("--period", required=True, choices=PERIOD_KINDS, help=PERIOD_HELP)
    whatif = commands.add_parser(
        "whatif", help="模拟测算：按方案任务数和奖惩标准输出与正式方案的对比 CSV"
    )
    _county(whatif)
    whatif.add_argument(
        "--scenario",
        required=True,
        type=Path,
        help="方案文件 csv 或 xlsx（乡镇,征缴任务数 或 township,quota；"
        "如模拟测算页下载的测算任务数；本命令的输出或下载的测算结果读其 scenario_quota"
        "（测算任务数）列）",
    )
    whatif.add_argument(
        "--keep-others",
        dest="keep_others",
        action="store_true",
        help="方案只列出改动的乡镇，其余乡镇沿用正式任务数",
    )
    whatif.add_argument("--work-fund", dest="work_fund", help="工作经费，元/人（默认：本县标准）")
    whatif.add_argument("--reward", help="超任务奖励，元/人（默认：本县标准）")
    whatif.add_argument("--deduction", help="差额扣减，元/人（默认：本县标准）")
    whatif.add_argument(
        "--expected",
        choices=["forecast", "latest"],
        default="forecast",
        help="期末参保人数：预测或最新",
    )
    _as_of(whatif)


def _imports(commands: Commands) -> None:
    """import, undo-import and verify."""
    importer = commands.add_parser(
        "import", help="导入任务表、进度表、缴费明细或资助名单（xlsx/csv）"
    )
    _county(importer)
    importer.add_argument(
        "--kind", choices=list(KIND_LABELS), help="文件类型（默认按表头自动识别）"
    )
    importer.add_argument(
        "--check",
        action="store_true",
        help="只检查，不导入：逐个文件说明能否导入，有问题时列出"
        "（退出码同导入：0 可以导入，2 有问题）",
    )
    importer.add_argument(
        "--valid-only",
        action="store_true",
        help="有问题的行不导入，只导入无问题的行（记录在导入记录中）",
    )
    importer.add_argument(
        "--full-roster",
        action="store_true",
        help="资助名单为全量名单：之前导入的名单中，本文件所含乡镇和人员类别里不在本文件的人员"
        "移出名单（记入审计日志；撤销导入可恢复）",
    )
    _operator_option(importer, "记入导入记录和审计日志")
    importer.add_argument("files", nargs="+", type=Path, metavar="文件", help="要导入的文件")
    undo = commands.add_parser("undo-import", help="撤销一次导入")
    _county(undo)
    undo.add_argument("import_id", type=int, metavar="导入编号", help="数据导入页的导入记录编号")
    _operator_option(undo, "记入导入记录和审计日志")
    verify = commands.add_parser(
        "verify",
        help="录入县税务局、医保局核定的最终参保人数（核定人数表 xlsx/csv：乡镇,核定参保人数），"
        "结算按核定人数；或 --withdraw 撤销",
    )
    _county(verify)
    verify.add_argument(
        "file", nargs="?", type=Path, metavar="文件", help="核定人数表（结算页可下载预填的表）"
    )
    verify.add_argument(
        "--verified-on", dest="verified_on", help="核定日期 YYYY-MM-DD（不早于征缴结束日）"
    )
    verify.add_argument("--note", default="", help="依据（如核定文件的文号，可不填）")
    verify.add_argument(
        "--withdraw", action="store_true", help="撤销已录入的核定人数（结算改按系统统计）"
    )
    _operator_option(verify, "记入审计日志")


def _documents(commands: Commands) -> None:
    """bulletin, notice and remittance: documents and checks for the offices."""
    bulletin = commands.add_parser(
        "bulletin", help="生成通报（周排名、半月通报、月评比）：xlsx、pdf 或 png"
    )
    _county(bulletin)
    bulletin.add_argument("--period", required=True, choices=PERIOD_KINDS, help=PERIOD_HELP)
    _as_of(bulletin)
    bulletin.add_argument("--format", dest="fmt", required=True, choices=list(FORMATS))
    bulletin.add_argument("--out", required=True, type=Path, help="输出文件")
    bulletin.add_argument(
        "--number", help="文号，如：内效通〔2022〕15号（默认：通报页为本期保存的文号）"
    )
    bulletin.add_argument(
        "--remarks-file",
        dest="remarks_file",
        type=Path,
        help="工作要求：文本文件（UTF-8 或 GBK），每段一行（默认：通报页为本期保存的）",
    )
    bulletin.add_argument("--issuer", help="发文单位，落款于通报末尾（默认：通报页为本期保存的）")
    bulletin.add_argument(
        "--issued", help="成文日期 YYYY-MM-DD，随发文单位落款（默认：保存的日期，或今天）"
    )
    notice = commands.add_parser(
        "notice", help="生成乡镇缴费信息公示表（xlsx：汇总表之后每村一张表），来自已导入的缴费明细"
    )
    _county(notice)
    notice.add_argument("--township", required=True, help="乡镇（街道）")
    _as_of(notice, "截至日期 YYYY-MM-DD（默认：最新报表日期）")
    notice.add_argument("--out", required=True, type=Path, help="输出文件（.xlsx）")
    ledger = commands.add_parser(
        "remittance",
        help="按“双限”报解检查现金台账（xlsx/csv），输出每笔收款的应存入日期与状态 CSV",
    )
    _county(ledger)
    _as_of(ledger, "检查截至日期 YYYY-MM-DD（默认：最新报表日期与台账最后一笔日期中较晚者）")
    ledger.add_argument("--days", type=int, help="报解期限，天（默认：本县规定，未规定为5）")
    ledger.add_argument("--limit", help="报解额度，元（默认：本县规定，未规定为10000）")
    ledger.add_argument("file", type=Path, metavar="台账文件", help="现金台账（xlsx/csv）")


def _campaigns(commands: Commands) -> None:
    """new-campaign, amend-policy and add-user: what an admin sets up."""
    opening = commands.add_parser(
        "new-campaign", help="建立新的征缴年度（或新增一个县）：政策文件和任务表"
    )
    opening.add_argument(
        "--policy", required=True, type=Path, help="政策文件 policy.toml（格式同 sample_data/）"
    )
    opening.add_argument("--quota", required=True, type=Path, help="任务表（xlsx、xls 或 csv）")
    _operator_option(opening, "记入审计日志")
    amending = commands.add_parser(
        "amend-policy", help="修改已建立的征缴年度的政策（如延长征缴期、调整奖惩或资助标准）"
    )
    amending.add_argument(
        "--policy",
        required=True,
        type=Path,
        help="修改后的政策文件 policy.toml（县代码和待遇年度指明修改哪一年度）",
    )
    _operator_option(amending, "记入审计日志")
    adder = commands.add_parser(
        "add-user",
        help=f"新建用户（如本县第一个系统管理员）；密码在提示时输入或取自 {PASSWORD_ENV}",
    )
    adder.add_argument("--username", required=True, help="用户名")
    adder.add_argument("--role", required=True, choices=list(ROLES), help="角色")
    adder.add_argument("--display-name", dest="display_name", default="", help="姓名或单位")
    adder.add_argument("--county", help="县代码（乡镇用户必填）")
    adder.add_argument("--township", help="乡镇（街道）（乡镇用户必填）")
    adder.add_argument("--email", help="统一身份认证邮箱（可不填）")
    _operator_option(adder, "记入审计日志")


def _upkeep(commands: Commands) -> None:
    """bench, backup, init-db and simulate: the database and the sample data."""
    bench = commands.add_parser(
        "bench", help="性能测试：本项目代码与 DuckDB 同数据对比（不是测试）"
    )
    bench.add_argument(
        "--rows", type=int, nargs="+", default=[100_000, 1_000_000], help="缴费明细行数"
    )
    bench.add_argument("--no-docs", action="store_true", help="不写入 docs/benchmarks.md")
    saver = commands.add_parser(
        "backup", help="备份 SQLite 数据库（应用运行时也可备份；PostgreSQL 用 pg_dump）"
    )
    saver.add_argument("out", type=Path, metavar="备份文件", help="新的备份文件（不覆盖已有文件）")
    commands.add_parser("init-db", help="建表并导入样例数据（可重复执行）")
    simulate = commands.add_parser("simulate", help="按固定种子重新生成样例县的模拟进度数据")
    simulate.add_argument(
        "--write", action="store_true", help="写入 sample_data/（默认只检查是否一致）"
    )
