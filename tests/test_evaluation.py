"""The year's evaluation (年度考核汇总): final standing, flags of each kind, talks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from dashboard.campaign import VerifiedCounts
from dashboard.evaluation import evaluation, evaluation_basis, evaluation_view
from dashboard.figures import rank_history
from dashboard.periods import PERIOD_KINDS

from apptest import start, table

END = date(2022, 12, 31)


def histories(data, as_of):  # type: ignore[no-untyped-def]
    return {kind: rank_history(data, kind, as_of=as_of) for kind in PERIOD_KINDS}


def test_each_township_with_its_final_standing_flags_and_talks(samples) -> None:
    data = samples["neixiang"]
    view = evaluation_view(evaluation(data, END, histories(data, END), {"湍东镇": 2}))
    assert list(view.columns) == [
        "排名", "乡镇（街道）", "任务数", "参保人数", "完成率",
        "周排名后三名", "半月通报后三名", "月评比后三名", "约谈",
    ]  # fmt: skip
    rows = view.set_index("乡镇（街道）")
    assert rows.loc["七里坪乡"].tolist() == [
        "16", "15,980", "15,168", "94.9%", "10次", "5次", "3次", "0次",
    ]  # fmt: skip
    assert rows.loc["湍东镇"].tolist() == [
        "13", "62,010", "59,982", "96.7%", "4次", "2次", "1次", "2次",
    ]  # fmt: skip
    assert list(view["乡镇（街道）"])[:2] == ["王店镇", "大桥乡"]
    assert evaluation_basis(data, END) == "按截至2022年12月31日（征缴期末）的参保人数"
    assert evaluation_basis(data, date(2022, 12, 1)) == "按截至2022年12月1日的参保人数"


def test_the_verified_counts_are_evaluated_once_recorded(samples) -> None:
    data = samples["neixiang"]
    counts = {**data.quota_by_township, "七里坪乡": 16_000}  # the last is verified over quota
    verified = VerifiedCounts(counts, date(2023, 1, 10), "", "clerk", datetime.now(UTC))
    data = replace(data, verified=verified)
    frame = evaluation(data, END, histories(data, END), {})
    first = frame.iloc[0]
    assert (first["township"], first["enrolled"], first["rank"]) == ("七里坪乡", 16_000, 1)
    assert first["week"] == 10, "the flags of the campaign stand"
    assert evaluation_basis(data, END) == "按县税务局、医保局2023年1月10日核定的最终参保人数"


def test_a_catch_up_day_is_evaluated_at_the_campaigns_end(samples) -> None:
    data = samples["zhashui"]
    late, end = date(2024, 1, 10), data.policy.campaign.end
    at_end = evaluation(data, end, histories(data, end), {})
    assert evaluation(data, late, histories(data, late), {}).equals(at_end)
    assert evaluation_basis(data, late) == "按截至2023年12月20日（征缴期末）的参保人数"


def test_the_ranking_page_shows_the_evaluation(app_env) -> None:
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/ranking.py").run()
    assert not at.exception
    shown = table(at, "月评比后三名").set_index("乡镇（街道）")
    assert shown.loc["七里坪乡", ["排名", "周排名后三名", "约谈"]].tolist() == ["16", "10次", "0次"]
    assert (
        "按截至2022年12月31日（征缴期末）的参保人数排名；后三名指各期排名后三名且未完成任务的次数。"
        in [c.value for c in at.caption]
    )
    assert [b.label for b in at.download_button][-2:] == ["下载年度考核汇总（Excel）", "下载 CSV"]
