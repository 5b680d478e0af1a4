"""The command line: CSV output, file inputs in UTF-8/BOM/GBK, and bad input with exit code 2."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.audit import entries
from dashboard.auth import change_user
from dashboard.cli import run
from dashboard.cli_parser import chinese
from dashboard.db import make_engine

from browser import free_port
from filemaker import people

ROOT = Path(__file__).resolve().parents[1]


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


NEIXIANG_QUOTA = (
    "乡镇,征缴任务数\n"
    + "\n".join(
        f"{t},{q}"
        for t, q in [
            ("湍东镇", 62010),
            ("板场乡", 10680),
            ("桃溪镇", 24130),
            ("七里坪乡", 15980),
            ("余关镇", 33830),
            ("岞镇", 27330),
            ("夏馆镇", 24070),
            ("师岗镇", 60200),
            ("大桥乡", 33950),
            ("王店镇", 47320),
            ("赤眉镇", 45790),
            ("马山口镇", 52410),
            ("灌涨镇", 50150),
            ("赵店乡", 43850),
            ("瓦亭镇", 29260),
            ("城关镇", 43160),
        ]
    )
    + "\n"
)


def test_settle_header_rows_and_totals(app_env, capsys) -> None:
    code, out, err = call(capsys, "settle", "--county", "neixiang")
    assert code == 0
    assert "模拟数据" in err
    lines = out.splitlines()
    assert lines[0] == "township,quota,enrolled,completion_rate,rank,work_fund,reward,deduction,net"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 17
    total = rows[-1]
    assert total["township"] == "合计" and total["rank"] == "" and total["quota"] == "604120"
    for column in ("work_fund", "reward", "deduction", "net"):
        assert sum(int(r[column].replace(".", "")) for r in rows[:-1]) == int(
            total[column].replace(".", "")
        )
    ranks = [int(r["rank"]) for r in rows[:-1]]
    assert ranks == sorted(ranks)
    assert all(len(r["completion_rate"].split(".")[1]) == 4 for r in rows)


@pytest.mark.parametrize("county", ["neixiang", "Neixiang", "内乡县", "内乡", " 内乡县 "])
def test_a_county_by_its_code_in_any_case_or_by_its_name(app_env, capsys, county) -> None:
    by_code = call(capsys, "settle", "--county", "neixiang")
    assert call(capsys, "settle", "--county", county) == by_code
    assert by_code[0] == 0


def test_a_township_user_is_added_with_the_county_by_its_name(app_env, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_NEW_PASSWORD", "county-secret-1")
    added = ["add-user", "--username", "td", "--role", "township", "--county", "内乡县"]
    assert call(capsys, *added, "--township", "湍东镇")[:2] == (
        0,
        "已新建用户“td”（乡镇（街道））。\n",
    )
    code, _, err = call(capsys, *added, "--township", "湍东")
    assert (code, err) == (2, "错误：内乡县没有乡镇（街道）“湍东”，是否为“湍东镇”？\n")


def test_a_name_that_is_not_the_countys_is_refused(app_env, capsys) -> None:
    code, _, err = call(capsys, "settle", "--county", "内乡镇")
    assert code == 2
    assert err.startswith("错误：未知的县：“内乡镇”（可用：dongming（东明县）、neixiang（内乡县）")


def test_settle_with_files_domain_example(app_env, capsys, tmp_path) -> None:
    # DOMAIN.md: quota 62010, enrolled 63000 -> 193 500.00; 10680 / 10000 -> -53 000.00.
    progress = write(
        tmp_path,
        "p.csv",
        "date,township,enrolled\n2022-11-30,湍东镇,63000\n2022-11-30,板场乡,10000\n",
    )
    quota = write(tmp_path, "q.csv", NEIXIANG_QUOTA)
    code, out, _ = call(
        capsys, "settle", "--county", "neixiang", "--quota", quota, "--progress", progress
    )
    assert code == 0
    rows = {r["township"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["湍东镇"] == {
        "township": "湍东镇",
        "quota": "62010",
        "enrolled": "63000",
        "completion_rate": "1.0160",
        "rank": "1",
        "work_fund": "94500.00",
        "reward": "99000.00",
        "deduction": "0.00",
        "net": "193500.00",
    }
    assert rows["板场乡"]["net"] == "-53000.00" and rows["板场乡"]["completion_rate"] == "0.9363"
    assert rows["桃溪镇"]["rank"] == "3" and rows["桃溪镇"]["net"] == "-2413000.00"
    assert rows["合计"]["enrolled"] == "73000"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_files_in_every_encoding(app_env, capsys, tmp_path, encoding) -> None:
    progress = write(tmp_path, "p.csv", "日期,乡镇,参保人数\n2022/11/30,湍东镇,63000\n", encoding)
    quota = write(tmp_path, "q.csv", NEIXIANG_QUOTA, encoding)
    code, out, err = call(
        capsys, "settle", "--county", "neixiang", "--quota", quota, "--progress", progress
    )
    assert code == 0, err
    assert "湍东镇,62010,63000,1.0160,1,94500.00,99000.00,0.00,193500.00" in out


def test_township_names_with_full_width_and_spaces(app_env, capsys, tmp_path) -> None:
    progress = write(
        tmp_path,
        "p.csv",
        "date,township,enrolled\n2022-11-30, 湍东镇\u3000,100\n２０２２-11-30,板 场 乡,5\n",
    )
    code, out, err = call(capsys, "settle", "--county", "neixiang", "--progress", progress)
    assert code == 0, err
    assert "\n湍东镇,62010,100," in out


def test_rank_first_period_has_empty_change(app_env, capsys) -> None:
    code, out, _ = call(
        capsys, "rank", "--county", "zhashui", "--period", "week", "--as-of", "2023-09-03"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "township",
        "enrolled",
        "quota",
        "completion_rate",
        "rank",
        "rank_change",
        "flagged",
    ]
    assert {r["rank_change"] for r in rows} == {""}
    assert sum(r["flagged"] == "1" for r in rows) == 3


def test_rank_from_a_progress_file(app_env, capsys, tmp_path) -> None:
    progress = write(
        tmp_path,
        "p.csv",
        "date,township,enrolled\n"
        "2022-10-16,湍东镇,100\n2022-10-16,板场乡,200\n"
        "2022-10-23,湍东镇,30000\n2022-10-23,板场乡,300\n",
    )
    code, out, _ = call(
        capsys, "rank", "--county", "neixiang", "--progress", progress, "--period", "week"
    )
    assert code == 0
    rows = {r["township"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["湍东镇"]["rank"] == "1" and rows["湍东镇"]["rank_change"] == "1"
    assert rows["板场乡"]["rank"] == "2" and rows["板场乡"]["rank_change"] == "-1"
    assert rows["桃溪镇"]["rank"] == "3" and rows["桃溪镇"]["rank_change"] == "0"
    assert rows["桃溪镇"]["flagged"] == "1" and rows["湍东镇"]["flagged"] == "0"


def test_how_a_file_was_read_is_said_on_stderr(app_env, capsys, tmp_path) -> None:
    # dates without a year, as a township's sheet writes them: read into the campaign's
    # year, and said so, where stdout stays the CSV
    progress = write(
        tmp_path, "p.csv", "日期,乡镇,参保人数\n10月16日,湍东镇,100\n10月23日,湍东镇,300\n"
    )
    for command in ("rank", "settle"):
        extra = ("--period", "week") if command == "rank" else ()
        code, out, err = call(
            capsys, command, "--county", "neixiang", "--progress", progress, *extra
        )
        assert code == 0 and out.startswith("township,")
        assert (
            f"注意：{progress}：“日期”列有2个日期未写年份（如10月16日即2022-10-16），按征缴期定年份"
        ) in err.splitlines()


def test_rank_says_which_period_it_ranks(app_env, capsys, tmp_path) -> None:
    progress = write(
        tmp_path,
        "p.csv",
        "date,township,enrolled\n2022-10-16,湍东镇,100\n2022-10-16,板场乡,200\n"
        "2022-10-23,湍东镇,30000\n",
    )
    command = ("rank", "--county", "neixiang", "--progress", progress, "--period", "week")
    code, _, err = call(capsys, *command, "--as-of", "2022-10-25")
    assert code == 0
    assert (
        "排名期：第2周（10月22日–10月28日），按截至2022年10月25日的参保人数排名。"
        "以下乡镇本期没有报送进度，按其最近一次报送的数据计入：板场乡（截至10月16日）、"
    ) in err
    code, _, err = call(capsys, *command, "--as-of", "2023-03-01")
    assert code == 0
    assert (
        "排名期：第12周（12月31日），按截至2022年12月31日的参保人数排名。"
        "征缴期已于2022年12月31日结束，此后不再排名，列出的是最后一期。"
        "本期没有乡镇报送进度，各乡镇按其最近一次报送的数据计入（最近一次为10月23日）。"
    ) in err


BAD_INPUTS = [
    (
        "unknown township",
        "progress",
        "日期,乡镇,参保人数\n2022-11-30,湍东镇,1\n2022-11-30,湍东乡,2\n",
        "p.csv 第3行 “乡镇”列：不是本县的乡镇，是否为“湍东镇”？（值：“湍东乡”）",
    ),
    (
        "missing column",
        "progress",
        "日期,乡镇\n2022-11-30,湍东镇\n",
        "p.csv 第1行 “参保人数”列：缺少必需的列",
    ),
    (
        "non-numeric count",
        "progress",
        "date,township,enrolled\n2022-11-30,湍东镇,12a\n",
        "p.csv 第2行 “enrolled”列：不是非负整数（值：“12a”）",
    ),
    (
        "negative count",
        "quota",
        "乡镇,征缴任务数\n湍东镇,-5\n",
        "q.csv 第2行 “征缴任务数”列：不是非负整数（值：“-5”）",
    ),
    (
        "bad date",
        "progress",
        "日期,乡镇,参保人数\n2022-13-01,湍东镇,1\n",
        "p.csv 第2行 “日期”列：不是有效日期（应为 2023-11-30 这样的格式）（值：“2022-13-01”）",
    ),
    (
        "date outside the campaign",
        "progress",
        "日期,乡镇,参保人数\n2023-03-01,湍东镇,1\n",
        "p.csv 第2行 “日期”列：不在征缴期内（2022-10-15至2022-12-31）（值：“2023-03-01”）",
    ),
    (
        "count goes down",
        "progress",
        "日期,乡镇,参保人数\n2022-11-01,湍东镇,500\n2022-11-02,湍东镇,400\n",
        "p.csv 第3行 “参保人数”列：累计人数比2022-11-01的500少（值：“400”）",
    ),
    (
        "unknown column",
        "progress",
        "日期,乡镇,参保人数,缴费金额\n2022-11-01,湍东镇,500,1\n",
        "p.csv 第1行 “缴费金额”列：无法识别的列名",
    ),
    ("empty file", "progress", "", "p.csv：文件为空"),
    (
        "header alone",
        "progress",
        "日期,乡镇,参保人数\n",
        "p.csv：表头之下没有可导入的数据行（空表，或只有合计行、不计入的行）",
    ),
    (
        "wrong totals row",
        "quota",
        NEIXIANG_QUOTA + "合计,604121\n",
        "q.csv 第18行 “征缴任务数”列：合计行与各行之和（604120）不符（值：“604121”）",
    ),
    (
        "missing township in quota",
        "quota",
        "乡镇,征缴任务数\n湍东镇,62010\n",
        "q.csv “乡镇”列：缺少该乡镇的任务数（值：“板场乡”）",
    ),
    (
        "duplicate row",
        "progress",
        "日期,乡镇,参保人数\n2022-11-01,湍东镇,500\n2022-11-01,湍东镇,500\n",
        "p.csv 第3行 “乡镇”列：同一日期、同一乡镇重复（已见于第2行）（值：“湍东镇”）",
    ),
]


@pytest.mark.parametrize(
    ("case", "kind", "text", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_is_named_and_rejected(
    app_env, capsys, tmp_path, monkeypatch, case, kind, text, message
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "p.csv" if kind == "progress" else "q.csv"
    write(tmp_path, name, text)
    code, out, err = call(capsys, "settle", "--county", "neixiang", f"--{kind}", name)
    assert code == 2
    assert out == ""
    assert f"错误：{message}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["settle", "--county", "shanghai"],
            "错误：未知的县：“shanghai”（可用：dongming（东明县）、neixiang（内乡县）、zhashui（柞水县））",
        ),
        (
            ["settle", "--county", "neixiang", "--as-of", "2022-02-30"],
            "错误：--as-of：“2022-02-30”不是有效日期",
        ),
        (
            ["rank", "--county", "neixiang", "--period", "week", "--as-of", "2022-10-01"],
            "早于征缴开始日 2022-10-15",
        ),
        (
            ["settle", "--county", "neixiang", "--progress", "no-such-file.csv"],
            "no-such-file.csv：无法读取文件：文件或目录不存在",
        ),
        (
            ["settle", "--county", "neixiang", "--progress", "."],
            ".：无法读取文件：这是一个目录，不是文件",
        ),
        (
            ["bulletin", "--county", "neixiang", "--period", "week", "--format", "xlsx"]
            + ["--out", "no-such-dir/x.xlsx"],
            "错误：无法写入 no-such-dir/x.xlsx：文件或目录不存在",
        ),
    ],
)
def test_bad_arguments(app_env, capsys, args, message) -> None:
    code, out, err = call(capsys, *args)
    assert code == 2 and out == ""
    assert message in err


def test_python_dash_m_dashboard_as_a_process(app_env, tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": app_env}
    ok = subprocess.run(
        [sys.executable, "-m", "dashboard", "rank", "--county", "dongming", "--period", "month"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(
        "township,enrolled,quota,completion_rate,rank,rank_change,flagged\n"
    )
    assert len(ok.stdout.splitlines()) == 15
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,乡镇,参保人数\n2023-10-01,东明镇,1\n", encoding="gbk")
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "settle",
            "--county",
            "dongming",
            "--progress",
            str(bad),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 2
    assert "第2行 “乡镇”列：不是本县的乡镇，是否为“东明集镇”？（值：“东明镇”）" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_sample_simulation_is_up_to_date(capsys) -> None:
    assert run(["simulate"]) == 0


def test_a_database_out_of_reach_exits_3_with_a_message(capsys, monkeypatch) -> None:
    nothing_there = f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/none"
    monkeypatch.setenv("DATABASE_URL", nothing_there)
    code, out, err = call(capsys, "settle", "--county", "neixiang")
    assert (code, out) == (3, "") and err.startswith("错误：无法连接数据库（")
    assert "secret" not in err


@pytest.mark.parametrize(
    "url, said",
    [
        ("mysql://u:secret@db/medins", "错误：不支持的数据库 mysql：DATABASE_URL 应为 "),
        ("postgresql+psycopg2://u:secret@db/medins", "错误：不支持的数据库 postgresql+psycopg2："),
        ("secret", "错误：无法解析 DATABASE_URL（应为 sqlite:///文件路径 或 postgresql+psycopg://"),
    ],
)
def test_a_database_url_this_project_does_not_run_on_exits_3_with_a_message(
    capsys, monkeypatch, url: str, said: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = call(capsys, "settle", "--county", "neixiang")
    assert (code, out) == (3, "") and err.startswith(said)
    assert "secret" not in err and "Traceback" not in err


def test_import_command_exit_codes_and_problem_table(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    good = write(tmp_path, "good.csv", "日期,乡镇,参保人数\n2022-11-01,湍东镇,50000\n")
    bad = write(tmp_path, "bad.csv", "日期,乡镇,参保人数\n2022-11-01,湍东乡,1\n", "gbk")
    code, out, err = call(capsys, "import", "--county", "neixiang", good, bad)
    assert code == 2 and out == ""
    assert "未导入：1个文件有问题，所有文件均未写入。" in err
    assert "文件\t行号\t列\t值\t问题" in err
    assert f"{bad}\t2\t乡镇\t湍东乡\t不是本县的乡镇，是否为“湍东镇”？" in err
    code, out, _ = call(capsys, "settle", "--county", "neixiang", "--as-of", "2022-11-01")
    assert "\n湍东镇,62010,50000," not in out, "nothing was written"
    with pytest.raises(SystemExit) as usage:  # argparse's own exit, with its usage line
        run(["import", "--county", "neixiang", "--user", "操" * 41, good])
    assert usage.value.code == 2  # as long as the audit log keeps a name, no longer
    assert "操作人最多40个字符" in capsys.readouterr().err
    code, out, err = call(capsys, "import", "--county", "neixiang", "--user", "clerk", good)
    assert code == 0 and "已导入进度表（第1号）：1行" in out
    # into a log (stderr not a terminal): each stage's finished line, no carriage returns
    assert err == f"{good} 检查完毕 100%\n已导入 1 行 100%\n"
    code, out, _ = call(capsys, "import", "--county", "neixiang", good)
    assert code == 0 and out.startswith(f"{good}：该文件已于")
    assert out.endswith("导入（第1号），再次导入不会重复计入。\n")
    code, out, _ = call(capsys, "settle", "--county", "neixiang", "--as-of", "2022-11-01")
    assert "\n湍东镇,62010,50000," in out
    code, out, _ = call(capsys, "undo-import", "--county", "neixiang", "1")
    assert code == 0 and out.startswith("已撤销第1号导入")
    code, _, err = call(capsys, "undo-import", "--county", "neixiang", "1")
    assert code == 2 and "已于" in err and "撤销" in err


def test_import_check_says_what_would_go_in_and_writes_nothing(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    good = write(tmp_path, "good.csv", "日期,乡镇,参保人数\n2022-11-01,湍东镇,50000\n")
    mixed = write(
        tmp_path, "mixed.csv", "日期,乡镇,参保人数\n2022-11-01,板场乡,9000\n2022-11-01,湍东乡,1\n"
    )
    check = ["import", "--county", "neixiang", "--check"]
    code, out, err = call(capsys, *check, good, mixed)
    assert code == 2
    assert out == f"{good}：检查通过：1行，可以导入。\n{mixed}：发现1个问题，不能导入。\n"
    assert "检查未通过：1个文件有问题，所有文件均未写入。" in err
    assert f"{mixed}\t3\t乡镇\t湍东乡\t不是本县的乡镇，是否为“湍东镇”？" in err
    code, out, err = call(capsys, *check, "--valid-only", mixed)
    assert code == 0
    assert out == f"{mixed}：发现1个问题；按 --valid-only 只导入无问题的1行。\n"
    assert f"{mixed}\t3\t乡镇\t湍东乡\t不是本县的乡镇，是否为“湍东镇”？" in err
    code, out, _ = call(capsys, *check, good)
    assert (code, out) == (0, f"{good}：检查通过：1行，可以导入。\n")
    code, out, _ = call(capsys, "settle", "--county", "neixiang", "--as-of", "2022-11-01")
    assert "\n湍东镇,62010,50000," not in out, "nothing was written"
    assert call(capsys, "import", "--county", "neixiang", good)[0] == 0
    again = write(tmp_path, "again.csv", "日期,乡镇,参保人数\n2022-11-01,湍东镇,50000\n2022-11-08,湍东镇,51000\n")  # fmt: skip
    code, out, _ = call(capsys, *check, good, again)
    assert code == 0 and out.startswith(f"{good}：该文件已于")
    assert out.endswith(
        f"（第1号），再次导入不会重复计入。\n{again}：检查通过：2行，可以导入。"
        "其中1行已导入过（第1号导入），不会重复计入。\n"
    )


def test_import_check_of_a_quota_table_lists_the_quotas_it_would_change(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    changed = NEIXIANG_QUOTA.replace("湍东镇,62010", "湍东镇,60010")
    table = write(tmp_path, "任务表.csv", changed.replace("板场乡,10680", "板场乡,12680"))
    code, out, _ = call(capsys, "import", "--county", "neixiang", "--check", table)
    assert (code, out.splitlines()) == (
        0,
        [
            f"{table}：检查通过：16行，可以导入。导入后，以下乡镇（街道）的正式任务数改为本文件的数：",
            "乡镇（街道）\t正式任务数\t导入后任务数\t任务数变化",
            "湍东镇\t62,010\t60,010\t-2,000",
            "板场乡\t10,680\t12,680\t+2,000",
            "合计\t604,120\t604,120\t–",
        ],
    )
    same = str(ROOT / "sample_data/neixiang/quota.csv")  # as printed, its 合计 row too
    code, out, _ = call(capsys, "import", "--county", "neixiang", "--check", same)
    assert out == f"{same}：检查通过：16行，可以导入。本文件的任务数与现行正式任务数相同。\n"


def test_a_user_named_by_user_does_on_the_command_line_only_what_the_app_lets_them(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    """--user names the operator the records show: an app user's name acts with that user's
    role (and only while active); any other name is the server's operator."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    quota = write(tmp_path, "任务表.csv", NEIXIANG_QUOTA.replace("湍东镇,62010", "湍东镇,60010"))
    progress = write(tmp_path, "进度.csv", "日期,乡镇,参保人数\n2022-11-01,湍东镇,50000\n")
    code, out, err = call(capsys, "import", "--county", "neixiang", "--user", "clerk", quota)
    assert (code, out) == (2, "")
    assert err.endswith(
        "--user：用户clerk（医保/税务经办）在看板中不能导入任务表，命令行也不能以其名义导入任务表\n"
    )
    assert call(capsys, "import", "--county", "neixiang", "--check", "--user", "clerk", quota)[0] == 0  # fmt: skip
    code, _, err = call(capsys, "import", "--county", "neixiang", "--user", "tuandong", progress)
    assert code == 2 and "用户tuandong（乡镇（街道））在看板中不能导入数据" in err
    assert call(capsys, "import", "--county", "neixiang", "--user", "admin", quota)[0] == 0
    code, _, err = call(capsys, "undo-import", "--county", "neixiang", "--user", "clerk", "1")
    assert code == 2 and "只有系统管理员可以导入或撤销" in err
    assert call(capsys, "import", "--county", "neixiang", "--user", "运维张三", progress)[0] == 0
    policy = str(ROOT / "sample_data/neixiang/policy.toml")
    code, _, err = call(capsys, "amend-policy", "--policy", policy, "--user", "leader")
    assert code == 2 and "用户leader（县领导）在看板中不能修改政策" in err
    code, _, err = call(capsys, "verify", "--county", "neixiang", "--withdraw", "--user", "supervisor")  # fmt: skip
    assert code == 2 and "用户supervisor（效能中心）在看板中不能录入核定的参保人数" in err

    change_user(make_engine(scratch_url), "clerk", by="admin", active=False)
    code, _, err = call(capsys, "undo-import", "--county", "neixiang", "--user", "clerk", "2")
    assert code == 2 and "--user：用户clerk已停用，不能以其名义撤销导入" in err
    audit = [e.username for e in entries(make_engine(scratch_url)) if e.action == "import"]
    assert sorted(audit) == ["admin", "运维张三"]


def test_progress_reports_of_one_batch_are_checked_against_each_other(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    """Each file is checked before any is written; a report after another of the batch went
    in is checked again: a lower count than it, or a day it gave, stops the batch there."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    first = write(tmp_path, "1.csv", "日期,乡镇,参保人数\n2022-11-01,湍东镇,50000\n")
    lower = write(tmp_path, "2.csv", "日期,乡镇,参保人数\n2022-11-08,湍东镇,49000\n")
    again = write(tmp_path, "3.csv", "日期,乡镇,参保人数\n2022-11-01,湍东镇,50001\n")
    code, out, err = call(capsys, "import", "--county", "neixiang", first, lower, again)
    assert code == 2 and f"{first}：已导入进度表（第1号）：1行" in out
    assert (
        f"未导入：{lower}在{first}导入之后复查仍有问题，本文件及之后的文件均未写入"
        "（之前的文件已导入，可撤销）。" in err
    )
    assert (
        f"{lower}\t2\t参保人数\t49000\t湍东镇累计参保人数将为49,000，比11月1日已导入（第1号导入）"
        "的50,000少：累计人数不能减少，如需更正请先撤销该导入" in err
    )
    code, out, _ = call(capsys, "settle", "--county", "neixiang", "--as-of", "2022-11-08")
    assert "\n湍东镇,62010,50000," in out
    code, _, err = call(capsys, "import", "--county", "neixiang", again)
    assert code == 2 and "该乡镇该日期的进度已由第1号导入（" in err


def test_an_import_another_user_outran_since_the_check_is_refused_without_a_traceback(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    """Another clerk's report of the same day lands between this command's check and its
    write: the write checks again under the campaign's lock and says why it stops."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    first = write(tmp_path, "1.csv", "日期,乡镇,参保人数\n2022-11-01,板场乡,5000\n")
    mine = write(tmp_path, "2.csv", "日期,乡镇,参保人数\n2022-11-08,湍东镇,50000\n")
    theirs = write(tmp_path, "3.csv", "日期,乡镇,参保人数\n2022-11-08,湍东镇,50100\n")
    real = cli.apply_import

    def outrun(engine, policy, checked, **options):  # type: ignore[no-untyped-def]
        if checked.file_name == mine:  # the other clerk, between the check and the write
            other = cli.check_file(engine, policy, Path(theirs).read_bytes(), theirs)
            real(engine, policy, other, user="other")
        return real(engine, policy, checked, **options)

    monkeypatch.setattr(cli, "apply_import", outrun)
    code, out, err = call(capsys, "import", "--county", "neixiang", first, mine)
    assert code == 2 and f"{first}：已导入进度表（第1号）" in out and "Traceback" not in err
    assert (
        f"未导入：{mine}：其他用户刚导入的进度与本文件不符，未导入，请重新检查：{mine} 第2行 “日期”列："
        f"该乡镇该日期的进度已由第2号导入（{theirs}）导入过（50,100人），如需更正请先撤销该导入"
        "（值：“2022-11-08”）。"
        "本文件及之后的文件均未写入（之前的文件已导入，可撤销）。" in err
    )


def test_import_a_whole_roster_strikes_off_whom_it_leaves_out(
    scratch_url, capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    a, b = people(2)
    header = "身份证号,姓名,乡镇,人员类别\n"
    november = write(
        tmp_path, "11月.csv", f"{header}{a},甲,板场乡,监测对象\n{b},乙,板场乡,监测对象\n"
    )
    assert call(capsys, "import", "--county", "neixiang", november)[0] == 0
    december = write(tmp_path, "12月.csv", f"{header}{a},甲,板场乡,监测对象\n")
    absent = "之前导入的名单中，本文件所含乡镇和人员类别里有1人不在本文件中"
    code, out, _ = call(capsys, "import", "--county", "neixiang", "--check", december)
    assert (code, out) == (
        0,
        f"{december}：检查通过：1行，可以导入。其中1行已导入过（第1号导入），不会重复计入。"
        f"{absent}（本文件是全量名单时，加 --full-roster 将其移出名单）。\n",
    )
    code, out, _ = call(
        capsys, "import", "--county", "neixiang", "--check", "--full-roster", december
    )
    assert code == 0 and out.endswith(f"{absent}，按 --full-roster 将移出名单。\n")
    code, out, _ = call(capsys, "import", "--county", "neixiang", december)  # not said whole
    assert code == 0 and out.endswith(
        f"注意：{absent}；本文件是全量名单时，请撤销本次导入（第2号）后加 --full-roster 重新导入，"
        "将其移出名单\n"
    )
    assert call(capsys, "undo-import", "--county", "neixiang", "2")[0] == 0
    code, out, _ = call(capsys, "import", "--county", "neixiang", "--full-roster", december)
    assert code == 0 and "从之前导入的名单中移出1人" in out
    flawed = write(
        tmp_path, "12月有误.csv", f"{header}{a},甲,板场乡,监测对象\n123,丙,板场乡,监测对象\n"
    )
    code, out, err = call(
        capsys, "import", "--county", "neixiang", "--full-roster", "--valid-only", flawed
    )
    assert (code, out) == (2, "") and "未导入：1个文件有问题" in err, "a whole roster goes in whole"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ([], "错误：缺少参数 命令（python -m dashboard -h 显示用法）"),
        (
            ["rank", "--county", "neixiang", "--period", "fortnight"],
            "错误：--period：'fortnight' 不是可选的值（可选：'week', 'half-month', 'month'）"
            "（python -m dashboard rank -h 显示用法）",
        ),
        (
            ["rank", "--county", "neixiang"],
            "错误：缺少参数 --period（python -m dashboard rank -h 显示用法）",
        ),
        (
            ["import", "--county", "neixiang"],
            "错误：缺少参数 文件（python -m dashboard import -h 显示用法）",
        ),
        (
            ["settle", "--county"],
            "错误：--county 后面缺少取值（python -m dashboard settle -h 显示用法）",
        ),
        (
            ["settle", "--county", "neixiang", "--year", "2O23"],
            "错误：--year：'2O23' 不是有效的整数（python -m dashboard settle -h 显示用法）",
        ),
        (
            ["settle", "--county", "neixiang", "--as-off", "2022-11-01"],
            "错误：无法识别的参数 --as-off 2022-11-01（python -m dashboard -h 显示用法）",
        ),
    ],
)
def test_a_bad_argument_is_said_in_chinese_on_one_line(capsys, args, said) -> None:
    with pytest.raises(SystemExit) as exit:
        run(args)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：python -m dashboard")
    assert err.splitlines()[-1] == said


def test_help_is_in_chinese(capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        run(["rank", "-h"])
    assert exit.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：python -m dashboard rank [-h] --county COUNTY")
    assert "-h, --help            显示本帮助并退出" in shown
    assert "选项:" in shown
    for english in ("usage:", "options:", "positional arguments:", "show this help"):
        assert english not in shown


def test_an_argparse_message_of_an_unknown_form_is_left_as_written() -> None:
    assert chinese("argument --x: expected 2 arguments") == "--x 后面要有2个取值"
    assert chinese("argument --x: 操作人最多40个字符") == "--x：操作人最多40个字符"
    assert chinese("a form argparse may write one day") == "a form argparse may write one day"
