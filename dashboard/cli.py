"""The command line for automation: `python -m dashboard settle|rank|import|new-campaign|…`."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from dashboard import clock
from dashboard.amending import amend_policy
from dashboard.auth import ROLES, Account, UserRefused, create_user, named_account
from dashboard.backup import BackupRefused, backup
from dashboard.batch import order_hint, waits_for
from dashboard.bulletin import (
    ISSUER_CHARS,
    NUMBER_CHARS,
    REMARKS_CHARS,
    BulletinNotes,
    build_bulletin,
)
from dashboard.bulletin_formats import FORMATS
from dashboard.bulletin_texts import saved_notes
from dashboard.campaign import CampaignData
from dashboard.cell_values import parse_date
from dashboard.cli_commands import PASSWORD_ENV, command_line
from dashboard.data_age import data_age_sentence
from dashboard.db import DatabaseSetupError, make_engine
from dashboard.encodings import detect_encoding
from dashboard.exports import ledger_csv, ranking_csv, settlement_csv, whatif_csv
from dashboard.figures import (
    period_for_date,
    ranking_for_date,
    settlement,
    verified_settlement,
)
from dashboard.files import os_reason
from dashboard.fonts import FontMissing
from dashboard.formatting import count
from dashboard.glossary import SIMULATED_LABEL
from dashboard.importing import (
    Checked,
    ImportRefused,
    apply_import,
    check_file,
    undo_import,
)
from dashboard.layout import FileKind
from dashboard.money import TYPED_RULE, typed_yuan
from dashboard.opening import carry_last_year, open_campaign, prepare_campaign, read_policy
from dashboard.parsing import Parsed, parse_file, progress_frames, quota_frames, require_clean
from dashboard.problems import InputError, Problem, problems_text, table_text
from dashboard.public_notice import public_notice_xlsx
from dashboard.quota_history import changed_after, quota_preview
from dashboard.remittance import RemittanceRule, check_day, check_ledger
from dashboard.runtime import tune_gc
from dashboard.samples import (
    PROGRESS_FILE,
    SAMPLE_DIR,
    read_sample_quotas,
    sample_codes,
    sample_policy,
)
from dashboard.scenario_files import parse_scenario, read_scenario
from dashboard.simulate import progress_csv, simulate_progress
from dashboard.store import (
    CountyRef,
    campaign_policy,
    campaign_years,
    last_years_campaign,
    list_counties,
    load_campaign,
    seed_samples,
    township_payments,
)
from dashboard.township_names import find_township
from dashboard.verified import (
    VerificationRefused,
    file_counts,
    verify_counts,
    withdraw_verification,
)
from dashboard.verified_views import system_counts, verified_total_sentence
from dashboard.views import ranking_note, settlement_after_campaign_note
from dashboard.whatif import compare, expected_enrolled
from dashboard.whatif_views import scenario_file_notes
from data_models.policy import MOST_DAYS, CountyPolicy, SettlementRates

T = TypeVar("T")
EXIT_BAD_INPUT = 2
EXIT_NO_DATABASE = 3


class UsageError(Exception):
    """A bad argument, said in one line of Chinese."""


def _database() -> Engine:
    """The database of DATABASE_URL, migrated (and seeded with the samples unless
    DASHBOARD_SAMPLE_DATA=0)."""
    engine = make_engine()
    seed_samples(engine)
    return engine


def _engine(args: argparse.Namespace) -> Engine:
    """The database, after checking that --county names a county in it."""
    engine = _database()
    counties = list_counties(engine)
    code = county_code(args.county, counties)
    if code is None:
        known = "、".join(f"{county.code}（{county.name}）" for county in counties)
        raise UsageError(f"未知的县：“{args.county}”（可用：{known}）")
    args.county = code
    return engine


def county_code(text: str, counties: Sequence[CountyRef]) -> str | None:
    """The code of the county ``text`` names: its code in any case (Neixiang), or its name with
    or without 县, 区, 市 or 旗 (内乡县, 内乡); None when it names none of ``counties``."""
    written = text.strip()
    for county in counties:
        if written.lower() == county.code.lower() or written in (
            county.name,
            re.sub("[县区市旗]$", "", county.name),
        ):
            return county.code
    return None


def _load(args: argparse.Namespace, engine: Engine | None = None) -> CampaignData:
    """The county's campaign of --year (default: the latest), from ``engine`` when the caller
    has one already."""
    engine = engine or _engine(args)
    return load_campaign(engine, args.county, year=_year(engine, args))


def _policy(engine: Engine, args: argparse.Namespace) -> CountyPolicy:
    """The policy of the county's campaign of --year (default: the latest)."""
    return campaign_policy(engine, args.county, year=_year(engine, args))


def _year(engine: Engine, args: argparse.Namespace) -> int | None:
    years = campaign_years(engine, args.county)
    if args.year is not None and args.year not in years:
        listed = "、".join(str(y) for y in years)
        raise UsageError(f"--year：{args.county} 没有{args.year}年度的征缴（可用：{listed}）")
    return args.year


def _campaign(args: argparse.Namespace, engine: Engine) -> CampaignData:
    data = _load(args, engine)
    if args.quota is not None:
        parsed = _parse(args.quota, data, "quota")
        data = data.with_quotas(*quota_frames(parsed.frame))
    if args.progress is not None:
        parsed = _parse(args.progress, data, "progress")
        data = data.with_progress(progress_frames(parsed.frame)[0])
    return data


def _import(args: argparse.Namespace) -> int:
    """Check every file first; write nothing unless all can go in (or --valid-only allows).
    A file whose refunds pay back payments of an earlier file of the batch is checked again,
    and imported, after it (batch.waits_for); so is a progress report after another one of
    the batch went in (a day both give, a count lower than the other's)."""
    engine = _engine(args)
    acting = _acting(engine, args.user, "导入数据", lambda a: a.can_import)
    batch = _Batch(args, engine, _policy(engine, args))
    checked = [batch.check(path) for path in args.files]
    if not args.check and any(c.kind == "quota" and c.already is None for c in checked):
        _may(acting, "导入任务表", lambda a: a.sets_official_quotas)
    waiting = {i: waits_for(item, checked[:i]) for i, item in enumerate(checked)}
    refused = [
        c
        for i, c in enumerate(checked)
        if c.already is None and not (batch.goes_in(c) or waiting[i])
    ]
    if args.check:
        for item, before in zip(checked, waiting.values(), strict=True):
            batch.say_checked(item, before)
    if refused:
        problems = [p for c in refused for p in c.problems]
        lead = "检查未通过" if args.check else "未导入"
        print(f"{lead}：{len(refused)}个文件有问题，所有文件均未写入。", file=sys.stderr)
        print(problems_text(problems), file=sys.stderr)
        for i, item in enumerate(checked):
            if hint := order_hint(item, checked[i + 1 :]):
                print(hint, file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.check:
        return 0
    for i, (path, item) in enumerate(zip(args.files, checked, strict=True)):
        if item.already is not None:
            print(f"{item.file_name}：{item.already_note()}")
            continue
        before = waiting[i] or batch.reports_written(item)
        if before and not batch.goes_in(item := batch.check(path)):
            print(
                f"未导入：{item.file_name}在{'、'.join(before)}导入之后复查仍有问题，"
                "本文件及之后的文件均未写入（之前的文件已导入，可撤销）。",
                file=sys.stderr,
            )
            print(problems_text(item.problems), file=sys.stderr)
            return EXIT_BAD_INPUT
        if not batch.write(item):
            return EXIT_BAD_INPUT
    return 0


@dataclass
class _Batch:
    """The files of one `import` command: checked, then written in the order given."""

    args: argparse.Namespace
    engine: Engine
    policy: CountyPolicy
    written: list[Checked] = field(default_factory=list)

    def check(self, path: Path) -> Checked:
        return check_file(
            self.engine, self.policy, _read(path), str(path), kind=self.args.kind, progress=_line
        )

    def whole(self, item: Checked) -> bool:  # --full-roster: a roster is the whole roster
        return bool(self.args.full_roster) and item.kind == "roster"

    def goes_in(self, item: Checked) -> bool:  # a whole roster goes in whole
        return item.importable or (
            self.args.valid_only and item.partly_importable and not self.whole(item)
        )

    def reports_written(self, item: Checked) -> list[str]:
        """For a progress report: the reports of the batch written before it."""
        if item.kind != "progress":
            return []
        return [w.file_name for w in self.written if w.kind == "progress"]

    def write(self, item: Checked) -> bool:
        """Import a checked file and say so; False, said on stderr, when it was refused
        (another user's import went in since the check)."""
        try:
            outcome = apply_import(
                self.engine,
                self.policy,
                item,
                valid_only=self.args.valid_only,
                full_roster=self.whole(item),
                user=self.args.user,
                progress=_line,
            )
        except ImportRefused as refusal:
            written = "（之前的文件已导入，可撤销）" if self.written else ""
            print(
                f"未导入：{item.file_name}：{refusal}。本文件及之后的文件均未写入{written}。",
                file=sys.stderr,
            )
            return False
        self.written.append(item)
        print(f"{item.file_name}：{outcome.summary()}")
        _notes(item)
        if item.absent and not self.whole(item):
            print(
                f"注意：{self.absent_text(item)}；本文件是全量名单时，请撤销本次导入"
                f"（第{outcome.import_id}号）后加 --full-roster 重新导入，将其移出名单"
            )
        return True

    def say_checked(self, item: Checked, waits_for: list[str]) -> None:
        """--check: whether the file would go in (its problems, where only its valid rows
        would, on stderr; a refused file's come with the others')."""
        if item.already is not None:
            said = item.already_note()
        elif item.importable:
            said = item.passed_note() + self.absent_note(item) + self.quota_note(item)
        elif waits_for:
            said = f"退费记录冲抵同批文件{'、'.join(waits_for)}中的缴费，将在其导入之后复查。"
        elif self.goes_in(item):
            said = (
                f"发现{count(len(item.problems))}个问题；按 --valid-only 只导入无问题的"
                f"{count(len(item.valid_rows()))}行。{item.known_note()}"
            )
            print(problems_text(item.problems), file=sys.stderr)
        else:
            said = f"发现{count(len(item.problems))}个问题，不能导入。"
        print(f"{item.file_name}：{said}")
        _notes(item)

    @cached_property
    def official(self) -> dict[str, int]:
        """The official quotas now, read once for the quota tables of the batch."""
        return _load(self.args, self.engine).quota_by_township

    def quota_note(self, item: Checked) -> str:
        """For a quota table: the official quotas it would change, as 数据导入 lists them."""
        if item.kind != "quota":
            return ""
        preview = quota_preview(self.official, item.incoming_quotas())
        if preview.empty:
            return "本文件的任务数与现行正式任务数相同。"
        return f"导入后，以下乡镇（街道）的正式任务数改为本文件的数：\n{table_text(preview)}"

    @staticmethod
    def absent_text(item: Checked) -> str:
        return f"之前导入的名单中，本文件所含乡镇和人员类别里有{count(item.absent)}人不在本文件中"

    def absent_note(self, item: Checked) -> str:
        """For a roster: the members earlier rosters list that it does not, struck off with
        --full-roster (else how to)."""
        if not item.absent:
            return ""
        absent = self.absent_text(item)
        if self.whole(item):
            return f"{absent}，按 --full-roster 将移出名单。"
        return f"{absent}（本文件是全量名单时，加 --full-roster 将其移出名单）。"


def _notes(item: Checked) -> None:
    """How the file was read, where the user should know."""
    for note in item.parsed.notes if item.parsed else ():
        print(f"注意：{note}")


def _acting(
    engine: Engine, name: str, what: str, allowed: Callable[[Account], bool]
) -> Account | None:
    """The app's user --user names, who must be active and be one who may do ``what`` in the
    app (the records name them); None for a name no user has: the server's operator, as the
    default 命令行:USER says."""
    found = named_account(engine, name)
    if found is None:
        return None
    account, active = found
    if not active:
        raise UsageError(f"--user：用户{name}已停用，不能以其名义{what}")
    _may(account, what, allowed)
    return account


def _may(account: Account | None, what: str, allowed: Callable[[Account], bool]) -> None:
    if account is not None and not allowed(account):
        raise UsageError(
            f"--user：用户{account.username}（{account.role_label}）在看板中不能{what}，"
            f"命令行也不能以其名义{what}"
        )


def _line(fraction: float, text: str) -> None:
    """A progress line on stderr, rewritten in place on a terminal and ended when done; into
    a file or a pipe (a cron job's log) only the finished line, without carriage returns."""
    done, terminal = fraction >= 1, sys.stderr.isatty()
    if done or terminal:
        line = f"{text} {fraction:4.0%}"
        print(
            "\r" + line if terminal else line, end="\n" if done else "", file=sys.stderr, flush=True
        )


def _undo(args: argparse.Namespace) -> int:
    engine = _engine(args)
    acting = _acting(engine, args.user, "撤销导入", lambda a: a.can_import)
    sets_quotas = acting is None or acting.sets_official_quotas
    try:
        record = undo_import(
            engine, _policy(engine, args), args.import_id, user=args.user, sets_quotas=sets_quotas
        )
    except ImportRefused as refusal:
        raise UsageError(str(refusal)) from refusal
    print(f"已撤销第{record.id}号导入（{record.file_name}）")
    return 0


def _verify(args: argparse.Namespace) -> int:
    """verify: the final counts the bureaus verified, from a 核定人数表, recorded as 结算's
    form records them (or withdrawn with --withdraw); every problem on stderr, nothing
    written."""
    engine = _engine(args)
    _acting(engine, args.user, "录入核定的参保人数", lambda a: a.can_import)
    data = _load(args, engine)
    policy = data.policy
    if args.withdraw:
        if args.file is not None or args.verified_on is not None:
            raise UsageError("--withdraw 撤销核定，不能同时给出核定人数表或 --verified-on")
        _verification(
            lambda: withdraw_verification(engine, policy.code, policy.benefit_year, user=args.user)
        )
        print(f"已撤销{policy.title}核定的最终参保人数（已记入审计日志），结算按系统统计。")
        return 0
    if args.file is None or args.verified_on is None:
        raise UsageError("请给出核定人数表文件和 --verified-on 核定日期（撤销核定用 --withdraw）")
    day = parse_date(args.verified_on)
    if day is None:
        raise UsageError(f"--verified-on：“{args.verified_on}”不是有效日期（应为 YYYY-MM-DD）")
    parsed = require_clean(
        parse_file(
            _read(args.file), str(args.file), policy, townships=data.townships, kind="verified"
        )
    )
    counts = file_counts(parsed)
    verified = _verification(
        lambda: verify_counts(
            engine,
            policy.code,
            policy.benefit_year,
            counts=counts,
            verified_on=day,
            note=args.note,
            user=args.user,
            today=clock.today(),
            source=args.file.name,
        )
    )
    recorded = replace(data, verified=verified)
    print(f"已录入{policy.title}{len(counts)}个乡镇核定的最终参保人数（已记入审计日志）。")
    print(verified_total_sentence(recorded, system_counts(recorded)))
    for note in parsed.notes:
        print(f"注意：{note}")
    return 0


def _verification(change: Callable[[], T]) -> T:
    """Make a change of the verified counts; its refusal as the file's problems are said."""
    try:
        return change()
    except VerificationRefused as refusal:
        raise UsageError("；".join(refusal.problems)) from refusal


def _new_campaign(args: argparse.Namespace) -> int:
    engine = _database()
    _acting(engine, args.user, "建立征缴年度", lambda a: a.sets_official_quotas)
    policy = read_policy(_read(args.policy), str(args.policy))
    prepared = prepare_campaign(policy, _read(args.quota), str(args.quota))
    data, source = carry_last_year(engine, prepared.data)
    opened = open_campaign(engine, data, policy_file=str(args.policy), user=args.user)
    print(opened.summary())
    for note in prepared.notes:  # as `import` says them
        print(f"注意：{note}")
    if source:
        print(source)
    return 0


def _amend_policy(args: argparse.Namespace) -> int:
    engine = _database()
    _acting(engine, args.user, "修改政策", lambda a: a.sets_official_quotas)
    policy = read_policy(_read(args.policy), str(args.policy))
    amended = amend_policy(engine, policy, file=str(args.policy), user=args.user)
    print(amended.summary())
    return 0


def _add_user(args: argparse.Namespace) -> int:
    engine = _database()
    if args.county is not None:  # by its code or its name, as --county elsewhere
        args.county = county_code(args.county, list_counties(engine)) or args.county
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != password:
            raise UsageError("两次输入的密码不一致")
    try:
        create_user(
            engine,
            args.username,
            password,
            role=args.role,
            display_name=args.display_name,
            county=args.county,
            township=args.township,
            email=args.email,
            by=args.user,
        )
    except UserRefused as refusal:
        raise UsageError(str(refusal)) from refusal
    print(f"已新建用户“{args.username}”（{ROLES[args.role]}）。")
    return 0


def _rate(text: str | None, default: Decimal, option: str) -> Decimal:
    if text is None:
        return default
    value = typed_yuan(text)
    if value is None or value < 0:
        raise UsageError(f"{option}：“{text}”应为不小于0、{TYPED_RULE}的金额")
    return value


def _whatif(args: argparse.Namespace) -> int:
    data = _load(args)
    as_of = _as_of(args, data)
    scenario = _scenario(args, data)
    current = data.policy.settlement
    rates = SettlementRates(
        work_fund_per_head=_rate(args.work_fund, current.work_fund_per_head, "--work-fund"),
        reward_per_head=_rate(args.reward, current.reward_per_head, "--reward"),
        deduction_per_head=_rate(args.deduction, current.deduction_per_head, "--deduction"),
        basis="模拟测算",
    )
    enrolled = expected_enrolled(data, as_of, args.expected)
    sys.stdout.write(whatif_csv(compare(data, quotas=scenario, rates=rates, enrolled=enrolled)))
    return 0


def _scenario(args: argparse.Namespace, data: CampaignData) -> dict[str, int]:
    """The scenario file's quota per township; with --keep-others a file may list only the
    townships it changes, the others keeping their official quotas (said on stderr)."""
    parsed = parse_scenario(
        _read(args.scenario), str(args.scenario), data.policy, townships=data.townships
    )
    read = read_scenario(parsed, data.quota_by_township)
    if read.missing and not args.keep_others:
        raise InputError(read.every_township_refused("请加 --keep-others"))
    if read.problems:
        raise InputError(list(read.problems))
    _say_notes(parsed)
    if read.missing:
        print(f"注意：{scenario_file_notes(read)[1]}", file=sys.stderr)
    return read.quotas


def _bulletin(args: argparse.Namespace) -> int:
    engine = _engine(args)
    data = _load(args, engine)
    as_of = _as_of(args, data)
    period = period_for_date(data, args.period, as_of)
    saved = saved_notes(engine, args.county, data.policy.benefit_year, period)
    notes = _bulletin_notes(args, saved.notes if saved else BulletinNotes())
    try:
        content = FORMATS[args.fmt].render(
            build_bulletin(
                data,
                period,
                as_of=as_of,
                last_year=last_years_campaign(engine, args.county, data.policy.benefit_year),
                quota_note=changed_after(
                    engine, args.county, data.policy.benefit_year, period_end=period.end
                ),
            ).with_notes(notes)
        )
    except FontMissing as missing:
        raise UsageError(str(missing)) from missing
    _write(args.out, content)
    used = f"；文号、工作要求与落款用了{saved.saved_by}在通报页保存的" if saved else ""
    print(f"已生成{data.policy.name}{period.label}通报：{args.out}（{len(content):,} 字节{used}）")
    return 0


def _bulletin_notes(args: argparse.Namespace, saved: BulletinNotes) -> BulletinNotes:
    """The office's own text: as saved for the bulletin on the 通报 page, each field an option
    gives replaced by it; the limits are the page's."""
    remarks = saved.remarks
    if args.remarks_file is not None:
        raw = _read(args.remarks_file)
        try:
            remarks = raw.decode(detect_encoding(raw, str(args.remarks_file), kind="文本文件"))
        except InputError as error:
            reason = error.problems[0].reason
            raise UsageError(f"--remarks-file：{args.remarks_file}：{reason}") from error
    number = saved.number if args.number is None else args.number
    issuer = saved.issuer if args.issuer is None else args.issuer
    issued = saved.issued or clock.today()
    if args.issued is not None:
        given = parse_date(args.issued)
        if given is None:
            raise UsageError(f"--issued：“{args.issued}”不是有效日期（应为 YYYY-MM-DD）")
        issued = given
    notes = BulletinNotes.written(number=number, remarks=remarks, issuer=issuer, issued=issued)
    for option, value, most in [
        ("--number", notes.number, NUMBER_CHARS),
        ("--issuer", notes.issuer, ISSUER_CHARS),
        ("--remarks-file", notes.remarks, REMARKS_CHARS),
    ]:
        if len(value) > most:
            raise UsageError(f"{option}：不能超过{most}个字（现有{len(value)}个）")
    return notes


def _notice(args: argparse.Namespace) -> int:
    """The township's payment notice as a workbook, from the imported payment list."""
    engine = _engine(args)
    data = _load(args, engine)
    township = find_township(args.township, data.townships)
    if township is None:
        listed = "、".join(data.townships)
        raise UsageError(f"--township：{data.policy.name}没有“{args.township}”（可用：{listed}）")
    as_of = _as_of(args, data)
    payments = township_payments(
        engine, args.county, township, paid_by=as_of, year=data.policy.benefit_year
    )
    if payments.empty:
        raise UsageError(f"{township}截至{as_of}没有已导入的缴费明细，无法生成公示表")
    content = public_notice_xlsx(data.policy, township, payments, as_of=as_of)
    _write(args.out, content)
    print(f"已生成{township}缴费信息公示表：{args.out}（{len(payments):,}人）")
    return 0


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from exc


def _bench(args: argparse.Namespace) -> int:
    from dashboard.bench import bench, write_docs  # DuckDB is needed only here

    print("TASK ROWS project_ms duckdb_ms ratio")
    results = bench(args.rows, progress=lambda line: print(line, file=sys.stderr, flush=True))
    for result in results:
        print(result.line(), flush=True)
    if not args.no_docs:
        write_docs(results)
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = f"无法读取文件：{os_reason(exc)}"
        raise InputError([Problem(str(path), None, None, None, reason)]) from exc


def _parse(path: Path, data: CampaignData, kind: FileKind) -> Parsed:
    """The file read as ``kind`` for a command's figures: refused with every problem, or its
    notes (how it was read) said on stderr, since stdout is the command's CSV."""
    parsed = require_clean(_read_as(path, data, kind))
    _say_notes(parsed)
    return parsed


def _say_notes(parsed: Parsed) -> None:
    for note in parsed.notes:
        print(f"注意：{parsed.file}：{note}", file=sys.stderr)


def _read_as(path: Path, data: CampaignData, kind: FileKind) -> Parsed:
    """The file read as ``kind``, problems and all."""
    return parse_file(_read(path), str(path), data.policy, townships=data.townships, kind=kind)


def _as_of(args: argparse.Namespace, data: CampaignData) -> date:
    if args.as_of is None:
        if note := data_age_sentence(data.policy.campaign, data.latest_date, clock.today()):
            print(f"注意：{note}", file=sys.stderr)
        return data.default_as_of()
    day = parse_date(args.as_of)
    if day is None:
        raise UsageError(f"--as-of：“{args.as_of}”不是有效日期（应为 YYYY-MM-DD）")
    if day < data.policy.campaign.start:
        raise UsageError(f"--as-of：{day} 早于征缴开始日 {data.policy.campaign.start}")
    return day


def _remittance(args: argparse.Namespace) -> int:
    """Check a cash ledger against the 双限 rule; every receipt as CSV on stdout."""
    data = _load(args)
    default = RemittanceRule.of(data.policy)
    if args.days is not None and not 1 <= args.days <= MOST_DAYS:
        raise UsageError(f"--days：报解期限应为1至{MOST_DAYS}天")
    rule = RemittanceRule(args.days or default.days, _rate(args.limit, default.limit, "--limit"))
    parsed = _parse(args.file, data, "ledger")
    day = _as_of(args, data) if args.as_of else check_day(parsed.frame, data.default_as_of())
    sys.stdout.write(ledger_csv(check_ledger(parsed.frame, rule, as_of=day)))
    return 0


def _simulate(write: bool) -> int:
    stale = []
    for code in sample_codes():
        quotas, groups = read_sample_quotas(code)
        text = progress_csv(simulate_progress(sample_policy(code), quotas, groups))
        path = SAMPLE_DIR / code / PROGRESS_FILE
        if write:
            path.write_text(text, encoding="utf-8")
        elif path.read_text(encoding="utf-8") != text:
            stale.append(code)
    if stale:
        print(f"模拟数据与生成结果不一致：{'、'.join(stale)}", file=sys.stderr)
        return 1
    return 0


def _backup(args: argparse.Namespace) -> int:
    """The database copied to a new file while the app may be running (dashboard.backup)."""
    try:
        summary = backup(make_engine(), args.out, progress=lambda f: _line(f, "正在备份…"))
    except BackupRefused as refusal:
        raise UsageError(str(refusal)) from refusal
    print(summary.line())
    return 0


def _init_db(args: argparse.Namespace) -> int:
    loaded = seed_samples(make_engine())
    print("已导入：" + "、".join(loaded) if loaded else "数据库已是最新，无需导入。")
    return 0


def _figures(args: argparse.Namespace) -> int:
    """settle and rank: the county's figures (or those of the --quota/--progress files)."""
    engine = _engine(args)
    data = _campaign(args, engine)
    if getattr(args, "verified", False):
        return _settle_verified(args, data)
    as_of = _as_of(args, data)
    if data.simulated:
        print(f"注意：进度数据为{SIMULATED_LABEL}，仅供演示。", file=sys.stderr)
    if args.command == "settle":
        after = settlement_after_campaign_note(data.policy.campaign, as_of, command_line=True)
        if after:
            print(f"注意：{after}", file=sys.stderr)
        result, ranked = settlement(data, as_of)
        sys.stdout.write(settlement_csv(result, ranked))
    else:
        ranked = ranking_for_date(data, args.period, as_of=as_of)
        note = ranking_note(ranked, data.policy.campaign, as_of)
        if args.quota is None:  # ranked on the stored quotas: those in force now
            year, end = data.policy.benefit_year, ranked.period.end
            note += changed_after(engine, args.county, year, period_end=end) or ""
        print(note, file=sys.stderr)
        sys.stdout.write(ranking_csv(ranked))
    return 0


def _settle_verified(args: argparse.Namespace, data: CampaignData) -> int:
    """settle --verified: on the final counts the bureaus verified, as 结算 shows them."""
    if args.progress is not None or args.as_of is not None:
        raise UsageError("--verified 按核定人数结算，不能与 --progress 或 --as-of 同用")
    verified = data.verified
    if verified is None:
        raise UsageError(f"{data.policy.title}尚未核定最终参保人数（征缴结束后在“结算”页录入）")
    if set(verified.enrolled) != set(data.townships):
        raise UsageError(f"--quota：{args.quota} 的乡镇与核定参保人数的乡镇不一致")
    result, ranked = verified_settlement(data, verified)
    sys.stdout.write(settlement_csv(result, ranked))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "settle": _figures,
    "rank": _figures,
    "import": _import,
    "undo-import": _undo,
    "verify": _verify,
    "whatif": _whatif,
    "bulletin": _bulletin,
    "bench": _bench,
    "new-campaign": _new_campaign,
    "amend-policy": _amend_policy,
    "add-user": _add_user,
    "notice": _notice,
    "remittance": _remittance,
    "backup": _backup,
    "init-db": _init_db,
    "simulate": lambda args: _simulate(args.write),
}


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 2 bad input, 3 no database; no
    traceback)."""
    args = command_line().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as error:
        for problem in error.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OperationalError as error:  # its message names the server, never a password
        print(f"错误：无法连接数据库（{error.orig or error}）", file=sys.stderr)
        return EXIT_NO_DATABASE
    except DatabaseSetupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_NO_DATABASE


def main() -> None:
    """Console entry point."""
    tune_gc()
    sys.exit(run())
