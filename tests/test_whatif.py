"""What-if: exact comparisons, validation, saved scenarios, the page and the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from marks import needs_font
from next_year import opened_next_year
from openpyxl import load_workbook
from PIL import Image
from streamlit.testing.v1 import AppTest

from dashboard.amending import amend_policy
from dashboard.cli import run
from dashboard.clock import local_day
from dashboard.exports import whatif_csv
from dashboard.importing import ImportRefused, apply_import, check_file, undo_import
from dashboard.parsing import parse_file
from dashboard.quota_history import (
    QuotaStep,
    county_quota_sentence,
    quota_preview,
    quota_steps,
    township_quota_sentence,
)
from dashboard.samples import load_sample, sample_policy
from dashboard.scenario_files import read_scenario
from dashboard.scenarios import (
    ScenarioData,
    ScenarioRefused,
    apply_scenario,
    delete_scenario,
    last_application,
    list_scenarios,
    quota_changes,
    save_scenario,
    undo_application,
)
from dashboard.store import campaign_policy, load_campaign
from dashboard.templates import scenario_xlsx
from dashboard.whatif import (
    compare,
    expected_enrolled,
    kept_total,
    rebased,
    totals_row,
    validate_quotas,
)
from dashboard.whatif_views import flag_changes_sentence, scenario_rows, whatif_view
from dashboard.whatif_xlsx import whatif_workbook
from data_models.policy import SettlementRates

from apptest import cell_style, edit, start, table
from documents import pdf_text
from filemaker import XLSX, csv_bytes

NEIXIANG = load_sample("neixiang")
NEIXIANG_POLICY = sample_policy("neixiang")
RATES = NEIXIANG.policy.settlement
END = date(2022, 12, 31)


def test_comparison_isolates_the_edit_exactly() -> None:
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 60010}
    result = compare(NEIXIANG, quotas=quotas, rates=RATES, enrolled=enrolled)
    row = result.deltas.set_index("township").loc["湍东镇"]
    assert (row["quota_change"], row["net"], row["scenario_net"], row["net_change"]) == (
        -2000,
        Decimal("-112827.00"),
        Decimal("87173.00"),
        Decimal("200000.00"),
    )
    assert result.net_change == Decimal("200000.00")
    assert (row["rank"], row["scenario_rank"]) == (13, 9)
    others = result.deltas[result.deltas["township"] != "湍东镇"]
    assert (others["net_change"] == 0).all()
    total = totals_row(result)
    assert (total["quota"], total["scenario_quota"], total["net"], total["scenario_net"]) == (
        604120,
        602120,
        Decimal("537938.00"),
        Decimal("737938.00"),
    )


def test_rates_change_every_line() -> None:
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    half = SettlementRates(
        work_fund_per_head=Decimal("1.5"),
        reward_per_head=Decimal(50),
        deduction_per_head=Decimal(100),
    )
    result = compare(NEIXIANG, quotas=NEIXIANG.quota_by_township, rates=half, enrolled=enrolled)
    assert result.scenario.total.reward == Decimal("274350.00") == result.official.total.reward / 2
    assert result.net_change == Decimal("-274350.00")


def test_nobody_expected_to_enrol_is_neither_ranked_nor_flagged() -> None:
    """Before the first figure (a new year's campaign) the expectation is 0 everywhere: the
    comparison ranks no one, as 排名 ranks no period before the first figure, and says so."""
    nobody = dict.fromkeys(NEIXIANG.townships, 0)
    result = compare(NEIXIANG, quotas=NEIXIANG.quota_by_township, rates=RATES, enrolled=nobody)
    assert result.deltas["rank"].isna().all() and result.deltas["scenario_rank"].isna().all()
    assert not result.deltas["flagged"].any() and not result.deltas["scenario_flagged"].any()
    assert flag_changes_sentence(result.deltas) == "预计参保人数均为0，不排名，不标记后三名。"
    one = compare(
        NEIXIANG,
        quotas=NEIXIANG.quota_by_township,
        rates=RATES,
        enrolled={**nobody, "板场乡": 100},
    ).deltas.set_index("township")
    assert (one.loc["板场乡", "rank"], one.loc["湍东镇", "rank"], one["flagged"].sum()) == (
        1,
        2,
        15,
    )


def test_a_quota_of_zero_leaves_that_township_unranked_and_the_others_whole() -> None:
    """A township given a scenario quota of 0 has no rate and no rank; the others' ranks stay
    whole numbers (they came out as 13.0 and the missing one as nan, in the CLI and the page)."""
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 0}
    result = compare(NEIXIANG, quotas=quotas, rates=RATES, enrolled=enrolled)
    rows = result.deltas.set_index("township")
    assert rows.loc["湍东镇", "rank"] == 13 and rows.loc["湍东镇", "scenario_rank"] is None
    assert [type(r) for r in rows["scenario_rank"].drop("湍东镇")] == [int] * 15
    assert rows.loc["七里坪乡", ["rank", "scenario_rank"]].tolist() == [16, 15]
    shown = whatif_view(result.deltas, totals_row(result)).set_index("乡镇（街道）")["排名"]
    assert (shown["湍东镇"], shown["七里坪乡"], shown["王店镇"]) == ("13→不排名", "16→15", "1")
    assert flag_changes_sentence(result.deltas).startswith("排名变化的乡镇")
    out = {r["township"]: r for r in csv.DictReader(io.StringIO(whatif_csv(result)))}
    assert out["湍东镇"]["rank"] == "13" and out["湍东镇"]["scenario_rank"] == ""
    assert out["七里坪乡"]["scenario_rank"] == "15"


def test_the_table_says_who_enters_and_who_leaves_the_bottom_three() -> None:
    """王店镇, first, given a quota it cannot reach, falls to last: its rank reads 1→16 and
    its flag 新进入; 瓦亭镇 (14th) rises out of the bottom three (移出); the two flagged in both
    read 是, and the 合计 row nothing."""
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    quotas = {**NEIXIANG.quota_by_township, "王店镇": 60000}
    result = compare(NEIXIANG, quotas=quotas, rates=RATES, enrolled=enrolled)
    shown = whatif_view(result.deltas, totals_row(result)).set_index("乡镇（街道）")
    flags = shown.loc[["王店镇", "瓦亭镇", "七里坪乡", "马山口镇", "湍东镇", "合计"], "后三名"]
    assert flags.tolist() == ["新进入", "移出", "是", "是", "", ""]
    assert shown.loc[["王店镇", "瓦亭镇"], "排名"].tolist() == ["1→16", "14→13"]


def test_forecast_expectation_never_below_the_latest() -> None:
    latest = expected_enrolled(NEIXIANG, date(2022, 11, 15), "latest")
    forecast = expected_enrolled(NEIXIANG, date(2022, 11, 15), "forecast")
    assert all(forecast[t] >= latest[t] for t in latest)
    assert sum(forecast.values()) > sum(latest.values())


def test_forecast_expectation_stops_where_the_people_to_enrol_run_out() -> None:
    # Neixiang's table gives no base population nor last year's count: at the busiest week's
    # pace every township is on track, and nobody beyond its quota is projected
    mid_campaign = expected_enrolled(NEIXIANG, date(2022, 11, 20), "forecast")
    assert mid_campaign == NEIXIANG.quota_by_township
    zhashui = load_sample("zhashui")  # with 乡村人口数: at most everyone, at least the quota
    projected = expected_enrolled(zhashui, date(2023, 10, 20), "forecast")
    assert projected["营盘镇"] == 11130, "its 乡村人口数"
    assert projected["乾佑街道办事处"] == 16650, "a quota above the rural population"
    assert projected["下梁镇"] == 22631, "60 days at its pace fall short of its 23 964"
    assert sum(projected.values()) == 149671
    # next year's campaign carries last year's final count (opening.carry_last_year)
    carried = NEIXIANG.quotas.assign(last_year_enrolled=NEIXIANG.quotas["quota"] + 1000)
    next_year = NEIXIANG.with_quotas(carried)
    projected = expected_enrolled(next_year, date(2022, 11, 20), "forecast")
    assert projected["湍东镇"] == 63010 and projected["板场乡"] == 11680


@pytest.mark.parametrize(
    ("edit", "fixed", "problem"),
    [
        ({"湍东镇": -5}, None, "湍东镇：测算任务数不能为负数（-5）"),
        ({"湍东镇": 1.5}, None, "湍东镇：测算任务数为“1.5”，应为非负整数"),
        ({"湍东镇": None}, None, "湍东镇：测算任务数为空，应为非负整数"),
        ({"湍东镇": "abc"}, None, "湍东镇：测算任务数为“abc”，应为非负整数"),
        ({"湍东镇": 10**10}, None, "湍东镇：测算任务数过大（10,000,000,000，超过10,000,000）"),
        ({"湍东镇": 62011}, 604120, "各乡镇任务数之和为604,121，与固定的全县总数604,120不一致"),
    ],
)
def test_bad_edits(edit, fixed, problem) -> None:
    edited = {**NEIXIANG.quota_by_township, **edit}
    _, problems = validate_quotas(edited, NEIXIANG.townships, fixed_total=fixed)
    assert problems == [problem]


def test_one_edit_with_the_total_kept_spreads_the_difference_by_share() -> None:
    townships = ["湍东镇", "板场乡", "桃溪镇"]
    before = {"湍东镇": 62010, "板场乡": 10680, "桃溪镇": 24130}
    # 2 000 fewer for 湍东镇: 10 680 : 24 130 of it to the others (736.4 and 1 263.6 → 736, 1 264)
    assert kept_total(before, {**before, "湍东镇": 60010}, townships) == {
        "湍东镇": 60010,
        "板场乡": 11294,
        "桃溪镇": 25516,
    }
    assert kept_total(before, before, townships) is None, "no edit: nothing to spread"
    two = {**before, "湍东镇": 60010, "板场乡": 12680}
    assert kept_total(before, two, townships) is None, "two edits: the sum is checked as it is"
    with pytest.raises(ValueError, match="^板场乡：任务数不能超过全县总数96820$"):
        kept_total(before, {**before, "板场乡": 96821}, townships)


def test_scenarios_saved_listed_deleted_and_applied_with_a_record(scratch) -> None:
    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 60010, "板场乡": 12680}
    rates = SettlementRates(
        work_fund_per_head=Decimal("1.5"),
        reward_per_head=Decimal("50"),
        deduction_per_head=Decimal("100"),
    )
    save_scenario(
        scratch, "neixiang", ScenarioData("方案一", quotas, rates, "latest"), user="leader"
    )
    with pytest.raises(ScenarioRefused, match="已有名为“方案一”的方案"):
        save_scenario(scratch, "neixiang", ScenarioData("方案一", quotas, rates, "latest"))
    [saved] = list_scenarios(scratch, "neixiang")
    assert (saved.quotas, saved.rates.reward_per_head, saved.expectation, saved.created_by) == (
        quotas,
        Decimal("50.00"),
        "latest",
        "leader",
    )
    assert load_campaign(scratch, "neixiang").quota_by_township["湍东镇"] == 62010, (
        "saving never touches official quotas"
    )
    with pytest.raises(ScenarioRefused, match="操作人"):
        apply_scenario(scratch, "neixiang", "方案一", user=" ")
    change = apply_scenario(scratch, "neixiang", "方案一", user="admin")
    assert load_campaign(scratch, "neixiang").quota_by_township["湍东镇"] == 60010
    [recorded] = quota_changes(scratch, "neixiang")
    assert (recorded.username, recorded.target, recorded.action) == (
        "admin",
        "方案“方案一”",
        "scenario_applied",
    )
    assert recorded.id == change.id
    assert (
        json.loads(recorded.before)["湍东镇"] == 62010
        and json.loads(recorded.after)["湍东镇"] == 60010
    )
    delete_scenario(scratch, "neixiang", "方案一")
    assert list_scenarios(scratch, "neixiang") == []
    with pytest.raises(ScenarioRefused):
        delete_scenario(scratch, "neixiang", "方案一")


def quota_table(engine, quota: int):  # type: ignore[no-untyped-def]
    """Import a Neixiang quota table giving every township the same quota."""
    rows = [["乡镇", "征缴任务数"], *([t, quota] for t in NEIXIANG.quota_by_township)]
    checked = check_file(engine, NEIXIANG_POLICY, csv_bytes(rows), f"任务数{quota}.csv")
    return apply_import(engine, NEIXIANG_POLICY, checked, user="clerk")


def tuandong_cut(engine) -> None:  # type: ignore[no-untyped-def]
    """The admin applies a scenario cutting 湍东镇's quota from 62,010 to 60,010."""
    quotas = NEIXIANG.quota_by_township | {"湍东镇": 60010}
    save_scenario(engine, "neixiang", ScenarioData("调减", quotas, SettlementRates(), "latest"))
    apply_scenario(engine, "neixiang", "调减", user="admin")


def official(engine) -> int:  # type: ignore[no-untyped-def]
    return load_campaign(engine, "neixiang").quota_by_township["湍东镇"]


def test_imports_and_applications_are_undone_latest_first(scratch) -> None:
    """A scenario applied after a quota import must be undone before that import, and an
    import after an application before the application: the quotas never jump back past a
    later change."""
    first = quota_table(scratch, 1000)
    quotas = dict.fromkeys(NEIXIANG.quota_by_township, 2000)
    save_scenario(
        scratch, "neixiang", ScenarioData("全部2000", quotas, SettlementRates(), "latest")
    )
    apply_scenario(scratch, "neixiang", "全部2000", user="admin")
    with pytest.raises(ScenarioRefused, match="任务数与正式任务数相同，无需应用"):
        apply_scenario(scratch, "neixiang", "全部2000", user="admin")
    applied = last_application(scratch, "neixiang")
    assert applied is not None and (applied.scenario, applied.applied_by) == ("全部2000", "admin")
    with pytest.raises(ImportRefused, match=r"第\d+号导入之后又应用了方案“全部2000”（admin，"):
        undo_import(scratch, NEIXIANG_POLICY, first.import_id, user="clerk")
    assert official(scratch) == 2000, "a refused undo changes nothing"
    second = quota_table(scratch, 3000)
    with pytest.raises(ScenarioRefused, match=f"又导入了任务表（第{second.import_id}号）"):
        undo_application(scratch, "neixiang", user="admin")
    undo_import(scratch, NEIXIANG_POLICY, second.import_id, user="clerk")
    assert official(scratch) == 2000
    entry = undo_application(scratch, "neixiang", user="admin")
    assert official(scratch) == 1000
    assert (entry.action, entry.username) == ("scenario_undone", "admin")
    assert json.loads(entry.before)["湍东镇"] == 2000 and json.loads(entry.after)["湍东镇"] == 1000
    assert last_application(scratch, "neixiang") is None
    with pytest.raises(ScenarioRefused, match="没有可撤销的方案应用"):
        undo_application(scratch, "neixiang", user="admin")
    undo_import(scratch, NEIXIANG_POLICY, first.import_id, user="clerk")
    assert official(scratch) == 62010


def test_the_quota_changes_in_force_chain_from_the_notice_to_now(scratch) -> None:
    assert quota_steps(scratch, "neixiang", 2023) == [], "the notice's quotas"
    quota_table(scratch, 1000)
    quotas = dict.fromkeys(NEIXIANG.quota_by_township, 1000) | {"湍东镇": 900}
    save_scenario(scratch, "neixiang", ScenarioData("湍东900", quotas, SettlementRates(), "latest"))
    apply_scenario(scratch, "neixiang", "湍东900", user="admin")
    imported, applied = quota_steps(scratch, "neixiang", 2023)
    assert (imported.how, imported.before["湍东镇"], imported.after["湍东镇"]) == (
        "导入任务表",
        62010,
        1000,
    )
    assert (applied.how, applied.before["湍东镇"], applied.after["湍东镇"]) == (
        "应用模拟测算方案",
        1000,
        900,
    )
    assert applied.after["板场乡"] == 1000
    undo_application(scratch, "neixiang", user="admin")
    [only] = quota_steps(scratch, "neixiang", 2023)
    assert only.how == "导入任务表" and only.after["湍东镇"] == 1000, "the undone one is gone"


def test_a_townships_quota_sentence_names_each_change_of_its_own() -> None:
    at = datetime(2026, 12, 5, 17, 30, tzinfo=UTC)  # 6 December in Beijing
    steps = [
        QuotaStep(at, "导入任务表", {"甲镇": 62010, "乙乡": 100}, {"甲镇": 61000, "乙乡": 100}),
        QuotaStep(
            at, "应用模拟测算方案", {"甲镇": 61000, "乙乡": 100}, {"甲镇": 60010, "乙乡": 90}
        ),
    ]
    assert township_quota_sentence(steps, "甲镇") == (
        "任务数调整：2026年12月6日由62,010调整为61,000（导入任务表）；"
        "2026年12月6日由61,000调整为60,010（应用模拟测算方案）。"
    )
    assert township_quota_sentence(steps, "乙乡") == (
        "任务数调整：2026年12月6日由100调整为90（应用模拟测算方案）。"
    )
    assert township_quota_sentence(steps[:1], "乙乡") is None, "a step that left it alone"
    assert township_quota_sentence([], "甲镇") is None


def test_a_periods_ranking_says_which_quota_changes_came_after_it() -> None:
    """Changes made after the period's last day (Beijing time) are told, a few townships by
    name, more by their count and the county's change; one made by then is not."""
    at = datetime(2026, 12, 5, 17, 30, tzinfo=UTC)  # 6 December in Beijing
    before = {"甲镇": 62010, "乙乡": 100, "丙镇": 300, "丁乡": 400}
    cut = QuotaStep(at, "应用模拟测算方案", before, before | {"甲镇": 60010, "乙乡": 90})
    assert county_quota_sentence([cut], period_end=date(2026, 12, 5)) == (
        "本期结束后任务数有调整：2026年12月6日应用模拟测算方案，甲镇由62,010调整为60,010，"
        "乙乡由100调整为90。本期排名按现行任务数计算，调整前印发的通报以原件为准。"
    )
    assert county_quota_sentence([cut], period_end=date(2026, 12, 6)) is None, "made by then"
    every = {"甲镇": 62000, "乙乡": 110, "丙镇": 310, "丁乡": 410}
    table = QuotaStep(at, "导入任务表", before, every)
    assert county_quota_sentence([cut, table], period_end=date(2026, 11, 30)) == (
        "本期结束后任务数有调整：2026年12月6日应用模拟测算方案，甲镇由62,010调整为60,010，"
        "乙乡由100调整为90；2026年12月6日导入任务表，4个乡镇（街道）任务数改变，全县合计+20。"
        "本期排名按现行任务数计算，调整前印发的通报以原件为准。"
    )
    same = QuotaStep(at, "导入任务表", before, dict(before))
    assert county_quota_sentence([same], period_end=date(2026, 11, 30)) is None


def test_page_ranking_bulletin_and_meeting_say_the_quotas_changed_after_the_period(
    scratch_url, scratch, monkeypatch
) -> None:
    tuandong_cut(scratch)  # today, after the sample campaign's every period
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("supervisor", county="neixiang")
    for page in ("ranking", "bulletin", "meeting"):
        at.switch_page(f"../pages/{page}.py").run()
        assert not at.exception
        [said] = [c.value for c in at.caption if c.value.startswith("本期结束后任务数有调整")]
        assert "应用模拟测算方案，湍东镇由62,010调整为60,010。" in said, page


@needs_font
def test_cli_bulletin_documents_say_the_quotas_changed_after_the_period(
    scratch_url, scratch, monkeypatch, tmp_path, capsys
) -> None:
    """A bulletin made again after the quotas changed says so in the document too, under its
    ranking, as the 通报 page does; one made before the change says nothing of it."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    options = ["--county", "neixiang", "--period", "half-month", "--as-of", "2022-11-20"]

    def made(fmt: str) -> bytes:
        out = tmp_path / f"b.{fmt}"
        assert run(["bulletin", *options, "--format", fmt, "--out", str(out)]) == 0
        capsys.readouterr()
        return out.read_bytes()

    before = made("png")
    assert "本期结束后任务数有调整" not in pdf_text(made("pdf"))
    tuandong_cut(scratch)
    said = "本期结束后任务数有调整：" + local_day(datetime.now(UTC)).strftime("%Y年%-m月%-d日")
    said += "应用模拟测算方案，湍东镇由62,010调整为60,010。本期排名按现行任务数计算"
    assert said in pdf_text(made("pdf"))
    sheet = load_workbook(io.BytesIO(made("xlsx")))["排名"]
    assert any(str(c.value).startswith(said) for row in sheet.iter_rows() for c in row)
    taller = Image.open(io.BytesIO(made("png"))).height - Image.open(io.BytesIO(before)).height
    assert taller > 0, "the phone image has the line under its ranking"


def test_cli_rank_says_the_quotas_changed_after_the_period_unless_a_file_gives_them(
    scratch_url, scratch, monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    tuandong_cut(scratch)
    options = ["rank", "--county", "neixiang", "--period", "week", "--as-of", "2022-11-20"]
    assert run(options) == 0
    said = capsys.readouterr().err
    assert "排名期：第6周（11月19日–11月25日）" in said
    assert "本期结束后任务数有调整：" in said and "湍东镇由62,010调整为60,010。" in said
    quotas = tmp_path / "任务.csv"
    quotas.write_bytes(csv_bytes([["乡镇", "征缴任务数"], *NEIXIANG.quota_by_township.items()]))
    assert run([*options, "--quota", str(quotas)]) == 0
    assert "任务数有调整" not in capsys.readouterr().err, "the file's quotas, not the stored"


def test_a_quota_tables_preview_lists_the_townships_it_moves_and_the_totals() -> None:
    current = {"甲镇": 62010, "乙乡": 100, "丙镇": 300}
    preview = quota_preview(current, {"甲镇": 60010, "乙乡": 100, "丙镇": 301})
    assert preview.to_dict("split")["data"] == [
        ["甲镇", "62,010", "60,010", "-2,000"],
        ["丙镇", "300", "301", "+1"],
        ["合计", "62,410", "60,411", "-1,999"],
    ]
    assert list(preview.columns) == ["乡镇（街道）", "正式任务数", "导入后任务数", "任务数变化"]
    assert quota_preview(current, dict(current)).empty, "nothing would change"
    swapped = quota_preview({"甲镇": 1, "乙乡": 2}, {"甲镇": 2, "乙乡": 1})
    assert swapped.iloc[-1].tolist() == ["合计", "3", "3", "–"], "the total stays"


def test_page_a_township_sees_its_quota_change_on_its_page(
    scratch_url, scratch, monkeypatch
) -> None:
    tuandong_cut(scratch)
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("township", county="neixiang", township="湍东镇")
    at.switch_page("../pages/township.py").run()
    assert not at.exception
    [said] = [c.value for c in at.caption if c.value.startswith("任务数调整")]
    assert said.endswith("由62,010调整为60,010（应用模拟测算方案）。")
    other = start("township", county="neixiang", township="板场乡")
    other.switch_page("../pages/township.py").run()
    assert not any(c.value.startswith("任务数调整") for c in other.caption), "its quota stayed"


def test_a_scenario_name_or_note_longer_than_kept_is_refused(scratch) -> None:
    quotas, rates = NEIXIANG.quota_by_township, SettlementRates()
    with pytest.raises(ScenarioRefused, match="方案名称最多60个字符"):
        save_scenario(scratch, "neixiang", ScenarioData("调" * 61, quotas, rates, "latest"))
    with pytest.raises(ScenarioRefused, match="说明最多500个字符"):
        save_scenario(
            scratch, "neixiang", ScenarioData("方案", quotas, rates, "latest", note="注" * 501)
        )
    assert list_scenarios(scratch, "neixiang") == []


def open_whatif(url: str, monkeypatch, county: str = "neixiang", user: str = "admin") -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = start(user, county=county)
    at.switch_page("../pages/whatif.py").run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_page_edit_a_quota_and_see_the_net_and_deltas(scratch_url, monkeypatch) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    assert metrics(at)["测算净额合计（元）"] == ("537,938.00", "较正式 无变化")
    assert "各乡镇排名不变；没有乡镇新进入后三名。" in [m.value for m in at.markdown]
    edit(at, 0, "测算任务数", 60010)
    assert metrics(at)["全县任务数"] == ("602,120", "较正式 -2,000")
    assert metrics(at)["测算净额合计（元）"] == ("737,938.00", "较正式 +200,000.00元")
    shown = table(at, "净额变化（元）").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", "任务数变化"] == "-2,000"
    assert shown.loc["湍东镇", "净额变化（元）"] == "+200,000.00"
    assert shown.loc["湍东镇", "排名"] == "13→9"
    assert shown.loc["合计", "净额变化（元）"] == "+200,000.00"
    assert "排名变化的乡镇5个；没有乡镇新进入后三名。" in [m.value for m in at.markdown]


def test_page_a_township_an_edit_takes_out_of_the_bottom_three_is_not_red(
    scratch_url, monkeypatch
) -> None:
    """王店镇 given a quota it cannot reach enters the bottom three: its row is red; the one it
    pushes out reads 移出 on a white row, as a township no longer flagged."""
    at = open_whatif(scratch_url, monkeypatch)
    row = list(NEIXIANG.quota_by_township).index("王店镇")
    edit(at, row, "测算任务数", 60000)
    flags = table(at, "净额变化（元）")["后三名"].tolist()
    assert sorted(f for f in flags if f) == ["新进入", "是", "是", "移出"]
    red = {flag: cell_style(at, "净额变化（元）", flags.index(flag), "后三名") for flag in flags}
    assert red["新进入"]["background-color"] == red["是"]["background-color"] == "#fde2e1"
    assert "background-color" not in red["移出"]


def test_page_fixed_total_spreads_the_difference(scratch_url, monkeypatch) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    at.toggle(key="fixed_total_neixiang").set_value(True).run()
    edit(at, 0, "测算任务数", 60010)
    assert metrics(at)["全县任务数"] == ("604,120", "较正式 无变化")
    shown = table(at, "任务数变化").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", "测算任务数"] == "60,010"
    assert shown.loc["合计", "任务数变化"] == "–"


def test_page_fixed_total_refuses_one_quota_above_the_county_total(
    scratch_url, monkeypatch
) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    at.toggle(key="fixed_total_neixiang").set_value(True).run()
    edit(at, 1, "测算任务数", 604121)
    assert "板场乡：任务数不能超过全县总数604120" in at.error[0].value
    assert not any(b.key == "scenario_save_neixiang" for b in at.button), "nothing can be saved"


def test_page_a_scenario_name_is_exemplified_by_a_township_of_the_county(
    scratch_url, monkeypatch
) -> None:
    at = open_whatif(scratch_url, monkeypatch, county="zhashui")
    assert at.text_input(key="scenario_name_zhashui").placeholder == "如：营盘镇调减2000人"


def test_page_bad_edit_says_why_and_saves_nothing(scratch_url, monkeypatch) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    edit(at, 1, "测算任务数", -3)
    assert "板场乡：测算任务数不能为负数（-3）" in at.error[0].value
    assert not any(b.key == "scenario_save_neixiang" for b in at.button), "nothing can be saved"
    assert not any("测算结果" in s.value for s in at.subheader)


def test_page_saved_scenario_survives_a_restart(scratch_url, monkeypatch) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    edit(at, 0, "测算任务数", 60010)
    at.text_input(key="scenario_name_neixiang").set_value("湍东调减2000").run()
    at.button(key="scenario_save_neixiang").click().run()
    assert any(s.value == "方案“湍东调减2000”已保存。" for s in at.success)
    fresh = open_whatif(scratch_url, monkeypatch)
    saved = table(fresh, "方案")
    assert list(saved["方案"]) == ["湍东调减2000"]
    assert saved["较正式净额变化（元）"].iloc[0] == "+200,000.00"
    comparison = table(fresh, "湍东调减2000（元）").set_index("乡镇（街道）")
    assert comparison.loc["湍东镇", "湍东调减2000（元）"] == "87,173.00"
    assert comparison.loc["湍东镇", "正式（元）"] == "-112,827.00"


def test_page_admin_applies_a_scenario_and_sees_the_new_official_quotas(
    scratch_url, monkeypatch
) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    edit(at, 0, "测算任务数", 60010)
    at.text_input(key="scenario_name_neixiang").set_value("湍东调减2000").run()
    at.button(key="scenario_save_neixiang").click().run()
    preview = table(at, "应用后任务数")
    assert preview.to_dict("split")["data"] == [
        ["湍东镇", "62,010", "60,010", "-2,000"],
        ["合计", "604,120", "602,120", "-2,000"],
    ], "what applying it changes, before it is applied"
    at.checkbox(key="apply_neixiang_confirm").check().run()
    at.button(key="apply_neixiang").click().run()
    assert not at.exception
    assert (
        at.success[0].value == "已由admin将方案“湍东调减2000”应用为正式任务数（已记入审计日志）。"
    )
    official = at.data_editor[0].value.set_index("乡镇（街道）")
    assert official.loc["湍东镇", "正式任务数"] == 60010, "the page shows the new official quota"
    assert "方案“湍东调减2000”的任务数与正式任务数相同，无需应用。" in [c.value for c in at.caption]
    assert not any(b.key == "apply_neixiang" for b in at.button), "nothing left to apply"
    assert list(table(at, "方案")["方案"]) == ["湍东调减2000（已应用为正式任务数）"]
    assert metrics(at)["全县任务数"][0] == "602,120"
    assert at.sidebar.warning[0].value.endswith(
        "任务数已由系统管理员调整（记入审计日志），不再是县政府文件公布的数字。"
    ), "the sample's quotas are no longer the notice's"
    assert at.expander(key="undo_expander_neixiang").label == "撤销方案应用（管理员）"
    at.checkbox(key="undo_apply_neixiang_confirm").check().run()
    at.button(key="undo_apply_neixiang").click().run()
    assert at.success[0].value.startswith("已撤销方案“湍东调减2000”（admin，")
    official = at.data_editor[0].value.set_index("乡镇（街道）")
    assert official.loc["湍东镇", "正式任务数"] == 62010, "the quota before the application"
    assert not any(e.key == "undo_expander_neixiang" for e in at.expander), "nothing left to undo"
    assert list(table(at, "方案")["方案"]) == ["湍东调减2000"]
    assert at.sidebar.warning[0].value.endswith("任务数为县政府文件公布的真实数字。")


def test_page_only_an_admin_is_offered_to_undo_an_application(
    scratch_url, scratch, monkeypatch
) -> None:
    tuandong_cut(scratch)
    at = open_whatif(scratch_url, monkeypatch, user="leader")
    assert not any("撤销" in e.label or "应用" in e.label for e in at.expander)


def test_the_saved_list_marks_a_scenario_whose_quotas_are_the_official_ones() -> None:
    """Applied, it says so; the same quotas reached another way (a quota table), it says they
    are the same; another scenario, nothing."""
    official = NEIXIANG.quota_by_township
    same = ScenarioData("照正式", dict(official), RATES, "latest")
    cut = ScenarioData("湍东调减", {**official, "湍东镇": 60010}, RATES, "latest")
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    names = [r[0] for r in scenario_rows(NEIXIANG, [same, cut], enrolled, "照正式")]
    assert names == ["照正式（已应用为正式任务数）", "湍东调减"]
    names = [r[0] for r in scenario_rows(NEIXIANG, [same, cut], enrolled)]
    assert names == ["照正式（与正式任务数相同）", "湍东调减"]


def test_a_draft_keeps_its_edits_on_new_official_quotas() -> None:
    base = {"甲镇": 100, "乙乡": 200, "丙镇": 300}
    edited = {"甲镇": 90, "乙乡": 200, "丙镇": 300}
    official = {"甲镇": 120, "乙乡": 180, "丙镇": 300}
    assert rebased(edited, base, official) == {"甲镇": 90, "乙乡": 180, "丙镇": 300}
    assert rebased(base, base, official) == official, "nothing edited: the new quotas"


def test_page_edits_stay_when_the_day_or_the_official_quotas_change(
    scratch_url, scratch, monkeypatch
) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    edit(at, 1, "测算任务数", 12680)  # 板场乡 +2,000
    assert metrics(at)["全县任务数"] == ("606,120", "较正式 +2,000")
    at.date_input(key="as_of_neixiang").set_value(date(2022, 11, 20)).run()
    expected = expected_enrolled(NEIXIANG, date(2022, 11, 20), "forecast")
    shown = table(at, "任务数变化").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", "预计参保人数"] == f"{expected['湍东镇']:,}", "the new day's"
    assert shown.loc["板场乡", "测算任务数"] == "12,680", "the edit stays"
    assert metrics(at)["全县任务数"] == ("606,120", "较正式 +2,000")

    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 60010}  # applied by the admin meanwhile
    save_scenario(scratch, "neixiang", ScenarioData("湍东调减", quotas, RATES, "latest"))
    apply_scenario(scratch, "neixiang", "湍东调减", user="admin")
    at.run()
    shown = table(at, "任务数变化").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", ["正式任务数", "测算任务数"]].tolist() == ["60,010", "60,010"]
    assert shown.loc["板场乡", ["正式任务数", "测算任务数"]].tolist() == ["10,680", "12,680"]
    assert metrics(at)["全县任务数"] == ("604,120", "较正式 +2,000")


def rate_fields(at: AppTest) -> dict[str, float]:
    return {n.label: n.value for n in at.number_input}


def test_page_fields_follow_a_new_policy_and_new_official_quotas(
    scratch_url, scratch, monkeypatch
) -> None:
    """Rates and the county total start from the policy and the official quotas as they are
    now: amended by notice, a new year opened, a scenario applied while the page is open."""
    at = open_whatif(scratch_url, monkeypatch)
    assert rate_fields(at)["超任务奖励（元/人）"] == 100.0
    assert rate_fields(at)["全县任务总数"] == 604120
    [deduction] = [n for n in at.number_input if n.label == "差额扣减（元/人）"]
    deduction.set_value(80.0).run()
    policy = campaign_policy(scratch, "neixiang")
    rates = policy.settlement.model_copy(update={"reward_per_head": Decimal(60)})
    amend_policy(scratch, policy.model_copy(update={"settlement": rates}), file="p", user="局长")
    at.run()
    assert rate_fields(at)["超任务奖励（元/人）"] == 60.0, "the amended rate"
    assert rate_fields(at)["差额扣减（元/人）"] == 80.0, "the rate tried, whose default stayed"

    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 60010}
    save_scenario(scratch, "neixiang", ScenarioData("湍东调减", quotas, RATES, "latest"))
    apply_scenario(scratch, "neixiang", "湍东调减", user="admin")
    at.run()
    assert rate_fields(at)["全县任务总数"] == 602120, "the new official quotas' sum"

    opened_next_year(scratch)  # its reward is 50 yuan
    at.run()
    assert at.selectbox(key="year_neixiang").value == 2024
    assert rate_fields(at)["超任务奖励（元/人）"] == 50.0
    assert rate_fields(at)["差额扣减（元/人）"] == 100.0, "2023's tried rate stays with 2023"


def test_whatif_cli(app_env, capsys, tmp_path) -> None:
    rows = [
        ["township", "quota"],
        *[[t, 60010 if t == "湍东镇" else q] for t, q in NEIXIANG.quota_by_township.items()],
    ]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    assert (
        run(["whatif", "--county", "neixiang", "--scenario", str(path), "--expected", "latest"])
        == 0
    )
    out = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    first, total = out[0], out[-1]
    assert first == {
        "township": "湍东镇",
        "enrolled": "59982",
        "quota": "62010",
        "scenario_quota": "60010",
        "quota_change": "-2000",
        "net": "-112827.00",
        "scenario_net": "87173.00",
        "net_change": "200000.00",
        "rank": "13",
        "scenario_rank": "9",
        "flagged": "0",
        "scenario_flagged": "0",
    }
    assert (total["township"], total["net_change"], total["rank"], total["flagged"]) == (
        "合计",
        "200000.00",
        "",
        "",
    )
    capsys.readouterr()
    for bad in ("-1", "1.005", "1e30", "inf"):  # 1e30 failed to round with a traceback
        assert (
            run(["whatif", "--county", "neixiang", "--scenario", str(path), "--reward", bad]) == 2
        )
        assert capsys.readouterr().err == (
            f"错误：--reward：“{bad}”应为不小于0、最多两位小数、不超过1,000,000元的金额\n"
        )


def test_whatif_cli_scenario_of_some_townships(app_env, capsys, tmp_path) -> None:
    """A scenario listing only the township it changes: refused (with the hint once) unless
    --keep-others, when the others keep their official quotas and stderr names them."""
    path = tmp_path / "one.csv"
    path.write_text("乡镇,征缴任务数\n湍东镇,60010\n", encoding="utf-8")
    argv = ["whatif", "--county", "neixiang", "--scenario", str(path), "--expected", "latest"]
    assert run(argv) == 2
    err = capsys.readouterr().err.splitlines()
    others = [t for t in NEIXIANG.quota_by_township if t != "湍东镇"]
    assert len(err) == len(others) == 15
    assert err[0] == (
        f"错误：{path} “乡镇”列：缺少该乡镇的任务数（方案只列出改动的乡镇时，请加 --keep-others，"
        f"其余乡镇沿用正式任务数）（值：“{others[0]}”）"
    )
    assert err[1] == f"错误：{path} “乡镇”列：缺少该乡镇的任务数（值：“{others[1]}”）"

    assert run([*argv, "--keep-others"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == (
        f"注意：文件未列出的15个乡镇（街道）沿用正式任务数：{'、'.join(others)}"
    )
    out = list(csv.DictReader(io.StringIO(captured.out)))
    changed = {r["township"]: (r["quota_change"], r["net_change"]) for r in out}
    assert changed.pop("湍东镇") == ("-2000", "200000.00")
    assert changed.pop("合计") == ("-2000", "200000.00")
    assert set(changed.values()) == {("0", "0.00")}

    path.write_text("乡镇,征缴任务数\n湍冬镇,60010\n", encoding="utf-8")  # a typo is still refused
    assert run([*argv, "--keep-others"]) == 2
    assert capsys.readouterr().err == (
        f"错误：{path} 第2行 “乡镇”列：不是本县的乡镇，是否为“湍东镇”？（值：“湍冬镇”）\n"
    )


def test_whatif_cli_reads_its_own_output_back(app_env, capsys, tmp_path) -> None:
    """A script's what-if, edited and fed back: the scenario_quota column is the scenario,
    said on stderr; the same figures come out."""
    path = tmp_path / "one.csv"
    path.write_text("乡镇,征缴任务数\n湍东镇,60010\n", encoding="utf-8")
    argv = ["whatif", "--county", "neixiang", "--expected", "latest", "--keep-others"]
    assert run([*argv, "--scenario", str(path)]) == 0
    first = capsys.readouterr().out
    again = tmp_path / "whatif.csv"
    again.write_text(first, encoding="utf-8")
    assert run([*argv, "--scenario", str(again)]) == 0
    captured = capsys.readouterr()
    assert captured.out == first
    assert captured.err == (
        f"注意：{again}：这是模拟测算的测算结果：只读入“scenario_quota”一列"
        "（其余各列和合计行不读）；测算标准不从表中读入，沿用当前设置\n"
    )


def test_whatif_cli_a_township_without_quota_is_noted_and_unranked(
    app_env, capsys, tmp_path
) -> None:
    """ "What if 湍东镇 had no quota?": the one township listed at 0 is no blank template; it
    is noted on stderr (as 数据导入 notes it), keeps no rank, and all it enrols is reward."""
    path = tmp_path / "zero.csv"
    path.write_text("乡镇,征缴任务数\n湍东镇,0\n", encoding="utf-8")
    argv = ["whatif", "--county", "neixiang", "--scenario", str(path), "--expected", "latest"]
    assert run([*argv, "--keep-others"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == (
        f"注意：{path}：湍东镇的任务数为0：不计完成率，不参加排名，"
        "结算时其参保人数全部按超出任务数计，请核对"
    )
    row = next(r for r in csv.DictReader(io.StringIO(captured.out)) if r["township"] == "湍东镇")
    assert (row["quota_change"], row["scenario_rank"], row["scenario_flagged"]) == (
        "-62010",
        "",
        "0",
    )
    assert Decimal(row["net_change"]) == 100 * 62010


def test_the_downloaded_scenario_reads_back_as_the_same_quotas() -> None:
    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 60010}
    raw = scenario_xlsx(NEIXIANG_POLICY, quotas)
    sheet = load_workbook(io.BytesIO(raw))["任务表"]
    assert [c.value for c in sheet[1]] == ["乡镇", "征缴任务数"]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["B2"].number_format) == (
        "湍东镇",
        60010,
        "#,##0",
    )
    parsed = parse_file(raw, "方案.xlsx", NEIXIANG_POLICY, townships=NEIXIANG.townships)
    read = read_scenario(parsed, NEIXIANG.quota_by_township)
    assert (read.quotas, read.missing, read.problems, read.listed) == (quotas, (), (), 16)


def test_page_a_scenario_file_of_one_township_is_checked_then_loaded(
    scratch_url, monkeypatch
) -> None:
    at = open_whatif(scratch_url, monkeypatch)
    one = csv_bytes([["乡镇", "征缴任务数"], ["湍东", 60010]], "gbk")
    at.file_uploader[0].set_value(("方案.csv", one, "text/csv")).run()
    assert at.success[0].value == "检查通过：1个乡镇（街道），载入后全县任务数合计602,120人。"
    others = "、".join(t for t in NEIXIANG.townships if t != "湍东镇")
    assert f"文件未列出的15个乡镇（街道）沿用正式任务数：{others}" in [c.value for c in at.caption]
    assert metrics(at)["全县任务数"] == ("604,120", "较正式 无变化"), "not before it is loaded"
    at.button(key="scenario_file_load_neixiang").click().run()
    assert metrics(at)["测算净额合计（元）"] == ("737,938.00", "较正式 +200,000.00元")
    assert [b.label for b in at.download_button] == ["下载测算结果", "下载测算任务数"]
    edit(at, 1, "测算任务数", 10000)  # an edit after the load stays: the file is not loaded again
    shown = table(at, "任务数变化").set_index("乡镇（街道）")
    assert shown.loc[["湍东镇", "板场乡"], "测算任务数"].tolist() == ["60,010", "10,000"]

    zero = csv_bytes([["乡镇", "征缴任务数"], ["板场乡", 0]])
    at.file_uploader[0].set_value(("零.csv", zero, "text/csv")).run()
    assert (
        "板场乡的任务数为0：不计完成率，不参加排名，结算时其参保人数全部按超出任务数计，请核对"
        in [c.value for c in at.caption]
    )

    typo = csv_bytes([["乡镇", "征缴任务数"], ["湍冬镇", 60010], ["板场乡", "一万"]])
    at.file_uploader[0].set_value(("错.csv", typo, "text/csv")).run()
    assert at.error[0].value == "发现2个问题，未载入。请修正后重新上传。"
    assert table(at, "问题")["问题"].tolist()[0] == "不是本县的乡镇，是否为“湍东镇”？"
    assert not any(b.key == "scenario_file_load_neixiang" for b in at.button)
    assert table(at, "任务数变化").set_index("乡镇（街道）").loc["板场乡", "测算任务数"] == "10,000"


def test_page_the_downloaded_comparison_loads_back_as_its_scenario(
    scratch_url, monkeypatch
) -> None:
    """下载测算结果, uploaded again: its 测算任务数 load, the rest passed over and said so."""
    result = compare(
        NEIXIANG,
        quotas={**NEIXIANG.quota_by_township, "湍东镇": 60010},
        rates=RATES,
        enrolled=expected_enrolled(NEIXIANG, END, "latest"),
    )
    raw = whatif_workbook(
        NEIXIANG, result, rates=RATES, expectation="latest", as_of=END, today=date(2026, 12, 7)
    )
    at = open_whatif(scratch_url, monkeypatch)
    at.file_uploader[0].set_value(("内乡县模拟测算结果.xlsx", raw, XLSX)).run()
    assert at.success[0].value == "检查通过：16个乡镇（街道），载入后全县任务数合计602,120人。"
    assert (
        "这是模拟测算的测算结果：只读入“测算任务数”一列（其余各列和合计行不读）；"
        "测算标准不从表中读入，沿用当前设置" in [c.value for c in at.caption]
    )
    at.button(key="scenario_file_load_neixiang").click().run()
    assert metrics(at)["测算净额合计（元）"] == ("737,938.00", "较正式 +200,000.00元")


def test_the_comparison_workbook_holds_the_pages_figures() -> None:
    quotas = {**NEIXIANG.quota_by_township, "湍东镇": 60010, "王店镇": 60000}
    rates = NEIXIANG_POLICY.settlement.model_copy(update={"reward_per_head": Decimal(50)})
    as_of = date(2022, 12, 31)
    enrolled = expected_enrolled(NEIXIANG, as_of, "latest")
    result = compare(NEIXIANG, quotas=quotas, rates=rates, enrolled=enrolled)
    raw = whatif_workbook(
        NEIXIANG, result, rates=rates, expectation="latest", as_of=as_of, today=date(2026, 12, 6)
    )
    sheet = load_workbook(io.BytesIO(raw))["测算对比"]
    lines = [sheet.cell(r, 1).value for r in range(1, 6)]
    assert lines == [
        "内乡县2023年度城乡居民医保征缴任务与奖惩模拟测算",
        "测算结果，不改变正式任务数和结算。",
        "测算标准：工作经费每参保1人1.5元；超过任务数部分每人奖励50元；未完成差额部分每人扣减100元。",
        "期末参保人数：当前最新参保人数（截至2022年12月31日的数据）",
        "进度为模拟数据，仅供演示",
    ]
    assert [c.value for c in sheet[6]][:5] == ["乡镇（街道）", "预计参保人数", "正式任务数", "测算任务数", "任务数变化"]  # fmt: skip
    rows = {r[0]: r for r in sheet.iter_rows(min_row=7, max_row=23, values_only=True)}
    shown = whatif_view(result.deltas, totals_row(result)).set_index("乡镇（街道）")
    assert rows["湍东镇"] == (
        "湍东镇", 59982, 62010, 60010, -2000, -112827, 87173, 200000, 13, 8, None, None
    )  # fmt: skip
    assert rows["合计"] == (
        "合计", 600492, 604120, 614800, 10680, 537938, -707012, -1244950, None, None, None, None
    )  # fmt: skip
    for township, row in rows.items():  # every figure as the page shows it
        page = shown.loc[township]
        assert f"{row[3]:,}" == page["测算任务数"]
        assert f"{row[6]:,.2f}" == page["测算净额（元）"]
        assert (row[7] and f"{row[7]:+,.2f}" or "–") == page["净额变化（元）"]
    assert rows["王店镇"][10:] == (None, "是")
    assert sheet.cell(7 + list(rows).index("王店镇"), 12).fill.fgColor.rgb == "00FDE2E1"
    assert sheet["E7"].number_format == "+#,##0;-#,##0;0"
    assert sheet["G7"].number_format == "#,##0.00"
