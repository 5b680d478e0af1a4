"""The figures pages and CLI show, on a small hand-made campaign with known answers."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard.axes import completion_axis_start
from dashboard.campaign import PROGRESS_COLUMNS, CampaignData, empty_group_progress
from dashboard.charts import (
    GREEN,
    RED,
    completion_bars,
    progress_curve,
    rank_history_chart,
    settlement_bars,
    split_title,
)
from dashboard.drawing import BLUE as DRAWN_BLUE
from dashboard.drawing import GREEN as DRAWN_GREEN
from dashboard.drawing import GREY, completion_chart
from dashboard.exports import ranking_csv
from dashboard.figures import (
    county_curve,
    county_summary,
    enrolled_lately,
    flag_record,
    forecasts,
    group_coverage,
    known_curves,
    periods_to_date,
    rank_history,
    ranking,
    ranking_for_date,
    report_gaps,
    settlement,
    standings,
)
from dashboard.periods import period_of
from dashboard.samples import load_sample
from dashboard.settlement import settle
from dashboard.views import (
    behind_sentence,
    forecast_sentence,
    forecast_value,
    rank_text,
    summary_sentence,
    townships_card_note,
    unranked_sentence,
)
from dashboard.village_views import villages_note, villages_view
from data_models.policy import CampaignDates, CountyPolicy, SettlementRates, SpecialGroup

POLICY = CountyPolicy(
    code="test",
    name="测试县",
    province="省",
    city="市",
    benefit_year=2023,
    source="test",
    contribution_standard=Decimal(350),
    campaign=CampaignDates(
        start=date(2022, 10, 15), end=date(2022, 12, 31), centralised_end=date(2022, 11, 30)
    ),
    settlement=SettlementRates(
        work_fund_per_head=Decimal("1.5"),
        reward_per_head=Decimal(100),
        deduction_per_head=Decimal(100),
    ),
    groups=(SpecialGroup(code="extreme_poverty", label="特困", subsidy=Decimal(350)),),
)
TOWNSHIPS = ["甲镇", "乙乡", "丙镇", "丁镇", "戊乡"]
QUOTAS = [1000, 2000, 500, 400, 100]


def make_campaign(
    reports: list[tuple[str, str, int]], *, base: list[int] | None = None
) -> CampaignData:
    quotas = pd.DataFrame(
        {
            "township": TOWNSHIPS,
            "position": range(1, 6),
            "quota": QUOTAS,
            "base_population": pd.array(base or [None] * 5, dtype="Int64"),
            "last_year_enrolled": pd.array([None] * 5, dtype="Int64"),
        }
    )
    progress = pd.DataFrame(
        [
            {
                "date": date.fromisoformat(d),
                "township": t,
                "village": "",
                "enrolled": n,
                "simulated": False,
            }
            for d, t, n in reports
        ],
        columns=PROGRESS_COLUMNS,
    )
    groups = pd.DataFrame(
        {"township": ["甲镇", "乙乡"], "group": ["extreme_poverty"] * 2, "roster_size": [10, 0]}
    )
    group_progress = pd.DataFrame(
        [
            {
                "date": date(2022, 10, 20),
                "township": "甲镇",
                "group": "extreme_poverty",
                "enrolled": 7,
                "simulated": False,
            }
        ]
    )
    return CampaignData(POLICY, quotas, progress, groups, group_progress)


WEEK1 = [  # by 2022-10-21 (end of week 1)
    ("2022-10-16", "甲镇", 300),
    ("2022-10-21", "甲镇", 500),  # 50 %
    ("2022-10-21", "乙乡", 1000),  # 50 %
    ("2022-10-20", "丙镇", 500),  # 100 % (exactly at quota)
    ("2022-10-21", "丁镇", 100),  # 25 %
    ("2022-10-18", "戊乡", 90),  # 90 %
]
WEEK2 = [
    ("2022-10-28", "甲镇", 900),  # 90 %
    ("2022-10-27", "乙乡", 1200),  # 60 %
    ("2022-10-28", "丁镇", 400),  # 100 %
]
DATA = make_campaign(WEEK1 + WEEK2, base=[1100, 2100, 500, 420, 100])


def test_standings_take_the_latest_report_on_or_before_the_date() -> None:
    table = standings(DATA, date(2022, 10, 17)).set_index("township")
    assert table.loc["甲镇", "enrolled"] == 300
    assert table.loc["乙乡", "enrolled"] == 0
    assert table.loc["戊乡", "completion_rate"] == 0


def test_week_one_ranking_with_ties_and_flags() -> None:
    result = ranking_for_date(DATA, "week", as_of=date(2022, 10, 21))
    table = result.table
    assert result.period.index == 1 and result.previous is None
    assert list(table["township"]) == ["丙镇", "戊乡", "甲镇", "乙乡", "丁镇"]
    assert list(table["rank"]) == [1, 2, 3, 3, 5]
    assert list(table["rank_change"]) == [None] * 5
    # 3, 3 and 5 are the bottom three places (fewer than three below each); all under 100 %.
    assert list(table["flagged"]) == [False, False, True, True, True]
    assert table["completion_rate"].iloc[2] == Fraction(1, 2)
    assert list(table["new_enrolled"]) == [500, 90, 500, 1000, 100]  # all since the start


def test_week_two_rank_changes() -> None:
    table = ranking_for_date(DATA, "week", as_of=date(2022, 10, 28)).table.set_index("township")
    assert table["rank"].to_dict() == {"丙镇": 1, "丁镇": 1, "甲镇": 3, "戊乡": 3, "乙乡": 5}
    assert table["rank_change"].to_dict() == {
        "丙镇": 0,
        "丁镇": 4,
        "甲镇": 0,
        "戊乡": -1,
        "乙乡": -2,
    }
    assert table["new_enrolled"].to_dict() == {"丙镇": 0, "丁镇": 300, "甲镇": 400, "戊乡": 0, "乙乡": 200}  # fmt: skip
    # Two townships at 100 % are never flagged even though only three others remain.
    assert table["flagged"].to_dict() == {
        "丙镇": False,
        "丁镇": False,
        "甲镇": True,
        "戊乡": True,
        "乙乡": True,
    }


def test_running_period_is_cut_at_as_of() -> None:
    result = ranking_for_date(DATA, "week", as_of=date(2022, 10, 27))
    assert result.snapshot == date(2022, 10, 27)
    assert result.table.set_index("township").loc["乙乡", "enrolled"] == 1200
    assert result.table.set_index("township").loc["甲镇", "enrolled"] == 500


def test_an_empty_period_ranks_no_one_and_flags_no_one() -> None:
    # nothing reported by its end: all five would tie first at 0 % and all stand among the
    # bottom three; instead no ranks, no flags, and the page and bulletin say why
    empty = make_campaign([])
    result = ranking_for_date(empty, "half-month", as_of=date(2022, 10, 31))
    assert result.unranked
    assert list(result.table["rank"]) == [None] * 5
    assert list(result.table["enrolled"]) == [0] * 5
    assert list(result.table["completion_rate"]) == [0] * 5
    assert not any(result.table["flagged"])
    assert list(result.table["township"]) == TOWNSHIPS
    assert unranked_sentence(result) == ("本期尚无乡镇报送参保数据，不排名，不标记后三名。")
    assert unranked_sentence(ranking_for_date(DATA, "week", as_of=date(2022, 10, 21))) == ""
    assert rank_text(None, 5) == "未排名"
    assert ranking_csv(result).splitlines()[1] == "甲镇,0,1000,0.0000,,,0"


def test_a_quota_table_of_zeros_ranks_no_one_and_says_why() -> None:
    # figures were reported, but no township has a quota, so no rate: the sentence says so
    # (it said nobody had reported) and the ranking is not taken for one before any figure
    zeros = dataclasses.replace(DATA, quotas=DATA.quotas.assign(quota=0))
    result = ranking_for_date(zeros, "week", as_of=date(2022, 10, 28))
    assert result.unranked and result.quotaless and not result.without_figures
    assert not any(result.table["flagged"])
    assert unranked_sentence(result) == "各乡镇任务数均为0，不计完成率，不排名，不标记后三名。"
    empty = ranking_for_date(make_campaign([]), "week", as_of=date(2022, 10, 21))
    assert empty.without_figures and not empty.quotaless


def test_weeks_before_a_countys_first_figure_are_not_ranked_nor_counted_as_flagged() -> None:
    # the county's first reports come in week 2 (10-22 to 10-28): week 1 ranks no one, and
    # week 2's ranking has no changes to show; only week 2 is in the flag record
    late = make_campaign(WEEK2)
    week1, week2 = (
        ranking_for_date(late, "week", as_of=day)
        for day in (date(2022, 10, 21), date(2022, 10, 28))
    )
    assert week1.unranked and not any(week1.table["flagged"])
    assert not week2.unranked
    table = week2.table.set_index("township")
    assert list(table["rank"]) == [1, 2, 3, 4, 4]  # 丁 100 %, 甲 90 %, 乙 60 %, 丙 and 戊 0 %
    assert list(table["rank_change"]) == [None] * 5
    assert list(table.index[table["flagged"]]) == ["乙乡", "丙镇", "戊乡"]
    history = rank_history(late, "week", as_of=date(2022, 10, 28))
    assert history[history["period"] == "第1周"]["rank"].isna().all()
    assert flag_record(history).values.tolist() == [
        ["乙乡", 1, ["第2周"]],
        ["丙镇", 1, ["第2周"]],
        ["戊乡", 1, ["第2周"]],
    ]


def test_ranking_of_an_earlier_period_ignores_later_reports() -> None:
    week1 = period_of("week", date(2022, 10, 15), campaign_start=date(2022, 10, 15))
    result = ranking(DATA, week1, as_of=date(2022, 12, 31))
    assert result.snapshot == date(2022, 10, 21)
    assert result.table.set_index("township").loc["甲镇", "enrolled"] == 500


def test_settlement_in_rank_order_with_totals() -> None:
    result, ranked = settlement(DATA, date(2022, 10, 28))
    lines = {line.township: line for line in result.lines}
    assert [line.township for line in result.lines] == ["丙镇", "丁镇", "甲镇", "戊乡", "乙乡"]
    assert lines["甲镇"].deduction == Decimal("10000.00")
    assert lines["甲镇"].work_fund == Decimal("1350.00")
    assert lines["丙镇"].net == Decimal("750.00")
    total = result.total
    assert (total.quota, total.enrolled) == (4000, 3090)
    assert total.work_fund == Decimal("4635.00")
    assert total.deduction == Decimal("91000.00")
    assert total.net == Decimal("-86365.00")
    assert list(ranked["rank"]) == [1, 1, 3, 3, 5]


def test_settlement_with_other_rates() -> None:
    result, _ = settlement(DATA, date(2022, 10, 28), SettlementRates(reward_per_head=Decimal(50)))
    assert result.total.net == Decimal("0.00")


def test_county_summary() -> None:
    summary = county_summary(DATA, date(2022, 10, 28))
    assert (summary.quota, summary.enrolled) == (4000, 3090)
    assert summary.completion == Fraction(3090, 4000)
    assert summary.base_population == 4220
    assert summary.participation == Fraction(3090, 4220)
    assert (summary.townships, summary.townships_met) == (5, 2)


def test_participation_unknown_without_base() -> None:
    assert county_summary(make_campaign(WEEK1), date(2022, 10, 28)).participation is None


def test_group_coverage_leaves_out_empty_rosters() -> None:
    table = group_coverage(DATA, date(2022, 10, 28))
    assert table.to_dict("records") == [
        {
            "group": "extreme_poverty",
            "label": "特困",
            "roster_size": 10,
            "enrolled": 7,
            "coverage": Fraction(7, 10),
        }
    ]
    assert group_coverage(DATA, date(2022, 10, 19)).iloc[0]["enrolled"] == 0
    assert group_coverage(DATA, date(2022, 10, 28), township="乙乡").empty


def test_rank_history_and_periods() -> None:
    assert [p.index for p in periods_to_date(DATA, "week", as_of=date(2022, 10, 28))] == [1, 2]
    history = rank_history(DATA, "week", as_of=date(2022, 10, 28))
    mine = history[history["township"] == "丁镇"]
    assert list(mine["rank"]) == [5, 1]


def test_after_the_campaign_the_ranking_stays_its_final_one() -> None:
    # a catch-up report of 2023-01-05, after the campaign's end on 12-31 (week 12, one day):
    # counted as of that day, but the ranking is the campaign's last week's, as listed
    data = make_campaign(WEEK1 + WEEK2 + [("2023-01-05", "乙乡", 2000)])
    day = date(2023, 1, 5)
    final = ranking_for_date(data, "week", as_of=day)
    assert final.period == periods_to_date(data, "week", as_of=day)[-1]
    assert (final.period.label, final.snapshot) == ("第12周（12月31日）", date(2022, 12, 31))
    assert final.table.set_index("township").loc["乙乡", "enrolled"] == 1200
    assert standings(data, day).set_index("township").loc["乙乡", "enrolled"] == 2000
    assert ranking_for_date(data, "month", as_of=day).period.label == "2022年12月"


def test_flag_record_counts_each_townships_periods_in_the_bottom_three() -> None:
    # Week 1: 甲 and 乙 tie third at 50 % and 丁 is last at 25 %; week 2: 甲 and 戊 tie third
    # at 90 % and 乙 is last at 60 % (丁 has met its quota). Ties in the quota table's order.
    history = rank_history(DATA, "week", as_of=date(2022, 10, 28))
    assert flag_record(history).values.tolist() == [
        ["甲镇", 2, ["第1周", "第2周"]],
        ["乙乡", 2, ["第1周", "第2周"]],
        ["丁镇", 1, ["第1周"]],
        ["戊乡", 1, ["第2周"]],
    ]
    first_week = flag_record(history, through=date(2022, 10, 21))
    assert first_week["township"].tolist() == ["甲镇", "乙乡", "丁镇"]
    assert flag_record(history.iloc[0:0]).empty


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        (
            "各乡镇任务完成率（第12周（12月31日），红色为后三名且未完成）",
            ("各乡镇任务完成率", "第12周（12月31日），红色为后三名且未完成"),
        ),
        (
            "第12周（12月31日）各乡镇任务完成率（红色为后三名且未完成）",
            ("第12周（12月31日）各乡镇任务完成率", "红色为后三名且未完成"),
        ),
        ("各乡镇结算净额（元）", ("各乡镇结算净额（元）", "")),
        ("第12周（12月31日）各乡镇任务完成率", ("第12周（12月31日）各乡镇任务完成率", "")),
    ],
    ids=["long, ending in a parenthesis", "a parenthesis before it", "short", "not ending in one"],
)
def test_a_long_chart_title_keeps_its_parenthesis_for_a_subtitle(title, parts) -> None:
    assert split_title(title) == parts
    layout = rank_history_chart(
        pd.DataFrame({"period": ["第1周"], "period_label": ["a"], "rank": [1]}),
        townships=1,
        title=title,
    ).layout
    assert (layout.title.text, layout.title.subtitle.text or "") == parts


@pytest.mark.parametrize(
    ("rates", "axis"),
    [
        (["0.252", "0.521"], (0.0, 1.06)),  # early on, from 0 %: 25 % is half of 52 %
        (["0.955", "1.039"], (0.855, 1.099)),  # near the end, from just below the lowest
        (["0", "0"], (0.0, 1.06)),  # a period before any figure
    ],
)
def test_completion_bars_start_at_zero_until_every_township_is_past_half_way(
    rates: list[str], axis: tuple[float, float]
) -> None:
    table = pd.DataFrame({"township": ["甲镇", "乙镇"], "completion_rate": map(Decimal, rates)})
    shown = completion_bars(table, title="t").layout.xaxis.range
    assert shown == pytest.approx(axis)


@pytest.mark.parametrize(
    ("rates", "marks", "start"),
    [
        ([0.252, 0.521], [1.0], 0.0),  # early on: 25 % is not half of 100 %
        ([0.955, 1.039], [1.0], 0.855),  # near the end: 10 points below the lowest
        ([0.955, 1.039], [1.0, 0.45], 0.0),  # the 序时进度 at 45 % stays in sight
        ([0.62, 0.7], [1.0, 0.8], 0.52),
        ([], [1.0], 0.9),  # no rate at all: the target alone
    ],
)
def test_a_completion_axis_starts_at_zero_until_every_bar_and_line_is_past_half_way(
    rates: list[float], marks: list[float], start: float
) -> None:
    assert completion_axis_start(rates, marks=marks) == pytest.approx(start)


def test_the_drawn_chart_starts_its_axis_where_the_pages_chart_does() -> None:
    """95.5 % beside 103.9 %: both axes from 85.5 % to 103.9 %, so the blue bar is
    (95.5 − 85.5) / (103.9 − 85.5) of the green one (it began at 0.9 × 95.5 %, 85.95 %)."""
    table = pd.DataFrame(
        {
            "township": ["甲镇", "乙镇"],
            "completion_rate": [Decimal("1.039"), Decimal("0.955")],
            "flagged": [False, False],
        }
    )
    pixels = np.asarray(Image.open(io.BytesIO(completion_chart(table, title="t"))))[:, :, :3]
    blue, green = (
        (pixels == colour).all(axis=2).sum(axis=1).max() for colour in (DRAWN_BLUE, DRAWN_GREEN)
    )
    assert blue / green == pytest.approx(0.1 / 0.184, abs=0.003)


def test_a_township_of_quota_0_has_no_bar_and_leaves_the_axis_alone() -> None:
    """Its rate is None: the axis is drawn from the others' (it started at 0 % for it), and
    its row says why it has no bar."""
    table = pd.DataFrame(
        {
            "township": ["甲镇", "乙镇", "丙镇"],
            "completion_rate": [Decimal("1.039"), None, Decimal("0.955")],
        }
    )
    bar = completion_bars(table, title="t").data[0]
    assert list(bar.text) == ["95.5%", "任务数为0，不计完成率", "103.9%"]
    assert list(bar.textposition) == ["inside", "outside", "inside"]
    assert completion_bars(table, title="t").layout.xaxis.range == pytest.approx((0.855, 1.099))
    assert bar.x[1] == pytest.approx(0.855)  # at the axis' start, its words beside it


def test_the_drawn_chart_leaves_a_township_of_quota_0_out_of_its_axis() -> None:
    """The bulletin's PNG and PDF chart: the bar at 95.5 % is as long beside a township without
    a rate as without it (the axis began at 0 % for the missing rate: a bar twice as long)."""

    def second_bar_length(rates: list[Decimal | None]) -> int:
        table = pd.DataFrame(
            {
                "township": ["甲镇", "乙镇", "丙镇"][: len(rates)],
                "completion_rate": rates,
                "flagged": [False] * len(rates),
            }
        )
        pixels = np.asarray(Image.open(io.BytesIO(completion_chart(table, title="t"))))
        blue = (pixels[:, :, :3] == DRAWN_BLUE).all(axis=2)
        return int(blue[: blue.shape[0] * 2 // 3].sum(axis=1).max())  # its widest line

    alone = second_bar_length([Decimal("1.039"), Decimal("0.955")])
    assert 500 < alone < 800
    assert second_bar_length([Decimal("1.039"), Decimal("0.955"), None]) == alone


def test_settlement_bars_show_each_net_in_its_colour_with_room_beside_the_longest() -> None:
    """DOMAIN.md's two townships: 193 500.00 green, −53 000.00 red, best on top; the axis has
    a third of the longest bar's length beyond each end for a figure set beside a short bar."""
    result = settle([("甲镇", 62010, 63000), ("乙乡", 10680, 10000)], POLICY.settlement)
    bar = settlement_bars(result, title="t").data[0]
    assert list(bar.y) == ["乙乡", "甲镇"] and list(bar.x) == [-53000.0, 193500.0]
    assert list(bar.text) == ["-53,000.00", "193,500.00"]
    assert list(bar.marker.color) == [RED, GREEN]
    axis = settlement_bars(result, title="t").layout.xaxis.range
    assert axis == pytest.approx((-53000 - 0.35 * 193500, 193500 * 1.35))


def test_the_county_curve_begins_on_the_campaigns_first_day() -> None:
    """Plotly padded the weekly points' axis to a week before the start (8月25日 for a
    campaign from 9月1日); the axis runs from the start to the day after the last point or
    the centralised period's end, whichever is later."""
    weekly = pd.Series(
        [0, 5000, 12000], index=[date(2024, 9, 1), date(2024, 9, 8), date(2024, 9, 15)]
    )
    figure = progress_curve(
        weekly, 20000, start=date(2024, 9, 1), centralised_end=date(2024, 12, 31), title="t"
    )
    assert tuple(figure.layout.xaxis.range) == (date(2024, 9, 1), date(2025, 1, 1))
    later = pd.concat([weekly, pd.Series([19000], index=[date(2025, 2, 1)])])  # a catch-up
    figure = progress_curve(
        later, 20000, start=date(2024, 9, 1), centralised_end=date(2024, 12, 31), title="t"
    )
    assert tuple(figure.layout.xaxis.range) == (date(2024, 9, 1), date(2025, 2, 2))


def test_rank_history_chart_labels_the_ends_the_best_and_the_worst() -> None:
    history = pd.DataFrame(
        {"period": [f"第{i}周" for i in range(1, 8)], "period_label": list("abcdefg")}
    ).assign(rank=[3, 3, 5, 4, 1, 2, 2])
    [trace] = rank_history_chart(history, townships=5, title="t").data
    assert list(trace.text) == ["第3名", "", "第5名", "", "第1名", "", "第2名"]
    # after a fall the label goes below the point, off the line coming down to it
    assert list(trace.textposition)[2] == "bottom center"
    # every period's rank on hover
    assert [row[1] for row in trace.customdata] == [f"第{r}名" for r in [3, 3, 5, 4, 1, 2, 2]]


def test_rank_history_chart_before_the_first_report_has_no_rank() -> None:
    # weeks 1 and 2 unranked (nobody had reported): the rank column is a float with gaps
    history = pd.DataFrame(
        {"period": [f"第{i}周" for i in range(1, 6)], "period_label": list("abcde")}
    ).assign(rank=[float("nan"), float("nan"), 13.0, 3.0, 13.0])
    [trace] = rank_history_chart(history, townships=16, title="t").data
    assert list(trace.y) == [None, None, 13, 3, 13]
    assert list(trace.text) == ["", "", "第13名", "第3名", "第13名"]
    assert [row[1] for row in trace.customdata] == ["—", "—", "第13名", "第3名", "第13名"]
    assert list(trace.textposition) == ["top center"] * 4 + ["bottom center"]


@pytest.mark.parametrize(
    ("weeks", "labelled"),
    [
        (5, [1, 2, 3, 4, 5]),
        (7, [1, 2, 3, 4, 5, 6, 7]),
        (8, [2, 4, 6, 8]),
        (16, [1, 4, 7, 10, 13, 16]),
    ],
)
def test_rank_history_labels_a_few_periods_and_always_the_latest(weeks, labelled) -> None:
    history = pd.DataFrame(
        {"period": [f"第{i}周" for i in range(1, weeks + 1)], "period_label": ["x"] * weeks}
    ).assign(rank=1)
    axis = rank_history_chart(history, townships=3, title="t").layout.xaxis
    assert list(axis.tickvals) == [f"第{i}周" for i in labelled] and axis.tickangle == 0


def test_forecasts_use_the_last_seven_days() -> None:
    result = forecasts(DATA, date(2022, 10, 28))
    assert result["丙镇"].status == "reached"
    assert result["丙镇"].reach_date == date(2022, 10, 20)
    # 乙乡: 1000 on 10-21, 1200 on 10-28: 200 in 7 days; 800 missing -> 28 days -> 11-25.
    assert result["乙乡"].status == "on_track"
    assert result["乙乡"].reach_date == date(2022, 11, 25)


def test_with_progress_drops_group_progress() -> None:
    replaced = DATA.with_progress(DATA.progress.head(1))
    assert replaced.group_progress.empty
    assert list(empty_group_progress().columns) == [
        "date",
        "township",
        "group",
        "enrolled",
        "simulated",
    ]


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_sample_settlement_totals_are_sums_of_lines(samples, code) -> None:
    data = samples[code]
    result, ranked = settlement(data, data.default_as_of())
    assert result.total.enrolled == int(ranked["enrolled"].sum())
    assert result.total.net == sum((line.net for line in result.lines), Decimal(0))
    assert result.total.quota == int(data.quotas["quota"].sum())


def test_forecast_sentences() -> None:
    result = forecasts(DATA, date(2022, 10, 28))
    end = POLICY.campaign.end
    assert forecast_sentence(
        result["丙镇"], quota=500, as_of=date(2022, 10, 28), campaign_end=end
    ) == ("已于2022年10月20日完成征缴任务。")
    assert forecast_sentence(
        result["乙乡"], quota=2000, as_of=date(2022, 10, 28), campaign_end=end
    ) == ("按近7天日均29人的进度，预计2022年11月25日完成任务。")
    late = forecasts(DATA, end)["乙乡"]
    assert forecast_sentence(late, quota=2000, as_of=end, campaign_end=end) == (
        "征缴期已结束，完成任务的60.0%，还差800人。"
    )
    # the narrow 预计完成 card: a day without its year (the sentence has it), or the gap
    assert forecast_value(result["丙镇"]) == "10月20日"
    assert forecast_value(late) == "差800人"


@pytest.mark.parametrize(
    ("counts", "township_enrolled", "note"),
    [
        ([706, 704], 1410, "分村人数来自已导入的缴费明细和分村进度表。"),
        (
            [706, 704],
            5640,
            "分村人数来自已导入的缴费明细和分村进度表，各村合计1,410人，占全镇累计参保人数5,640人"
            "的25.0%；其余4,230人只见于全镇合计的进度表，未分到村。",
        ),
    ],
)
def test_villages_table_has_a_total_and_says_how_much_it_covers(
    counts, township_enrolled, note
) -> None:
    villages = pd.DataFrame({"village": ["河陈村", "新周村"], "enrolled": counts})
    assert villages_view(villages).to_dict("list") == {
        "村（社区）": ["河陈村", "新周村", "合计"],
        "参保人数": [f"{counts[0]:,}", f"{counts[1]:,}", f"{sum(counts):,}"],
    }
    assert villages_note(villages, township_enrolled) == note


def test_townships_that_reported_nothing_in_the_period_are_named_with_their_last_date() -> None:
    # week 2 (10-22..10-28): 甲镇, 乙乡 and 丁镇 reported, 丙镇 and 戊乡 did not and carry
    # their week-1 figures
    reported = dataclasses.replace(DATA, sources=dict.fromkeys(TOWNSHIPS, "进度报表"))
    behind = report_gaps(reported, since=date(2022, 10, 22), until=date(2022, 10, 28)).behind
    assert behind == {"丙镇": date(2022, 10, 20), "戊乡": date(2022, 10, 18)}
    # on 10-17 only 甲镇 had reported: the others count 0
    assert behind_sentence(
        report_gaps(reported, since=date(2022, 10, 15), until=date(2022, 10, 17)).behind
    ) == (
        "以下乡镇本期没有报送进度，按其最近一次报送的数据计入：乙乡（尚未报送，计0人）、"
        "丙镇（尚未报送，计0人）、丁镇（尚未报送，计0人）、戊乡（尚未报送，计0人）。"
    )
    # a period nobody has reported in yet: nobody is behind, every figure is carried over
    assert report_gaps(reported, since=date(2022, 10, 29), until=date(2022, 10, 30)).behind == {}
    assert report_gaps(reported, since=date(2022, 10, 29), until=date(2022, 10, 30)).carried == (
        date(2022, 10, 28)
    )
    assert report_gaps(reported, since=date(2022, 10, 22), until=date(2022, 10, 28)).carried is None
    assert report_gaps(reported, since=date(2022, 10, 15), until=date(2022, 10, 15)).carried is None
    assert report_gaps(DATA, since=date(2022, 10, 29), until=date(2022, 10, 30)).carried is None
    # a township with nothing imported at all is named beside those reporting
    progress = DATA.progress[DATA.progress["township"] != "戊乡"]
    partial = dataclasses.replace(
        DATA, progress=progress, sources=dict.fromkeys(TOWNSHIPS[:4], "进度报表")
    )
    assert report_gaps(partial, since=date(2022, 10, 15), until=date(2022, 10, 21)).behind == {
        "戊乡": None
    }
    # figures from payment lists or simulated data have no report dates to be behind on
    assert report_gaps(DATA, since=date(2022, 10, 22), until=date(2022, 10, 28)).behind == {}
    assert behind_sentence({}) == ""


def test_reported_townships_are_known_on_their_report_dates_only() -> None:
    reported = dataclasses.replace(DATA, sources={"甲镇": "进度报表", "乙乡": "进度报表"})
    known = known_curves(reported, date(2022, 10, 28))
    start = date(2022, 10, 15)
    days = {t: list(known[t].dropna().index) for t in ("甲镇", "乙乡", "丙镇")}
    assert days["甲镇"] == [start, date(2022, 10, 16), date(2022, 10, 21), date(2022, 10, 28)]
    assert days["乙乡"] == [start, date(2022, 10, 21), date(2022, 10, 27)]
    assert len(days["丙镇"]) == 14  # not from reports here: every day from 10-15 to 10-28
    assert list(known.loc[date(2022, 10, 27), ["甲镇", "乙乡"]]) == [pd.NA, 1200]
    # the county on the days anyone is known (every day, by 丙镇): the latest of each
    county = county_curve(known)
    assert county[date(2022, 10, 27)] == 500 + 1200 + 500 + 100 + 90
    assert county[date(2022, 10, 28)] == 900 + 1200 + 500 + 400 + 90


def test_county_gain_since_a_week_before_or_since_the_report_before_that() -> None:
    reported = dataclasses.replace(DATA, sources=dict.fromkeys(TOWNSHIPS, "进度报表"))
    as_of = date(2022, 10, 28)
    # reports on 10-16, -18, -20, -21, -27, -28: the last one at least a week back is 10-21
    curve = county_curve(known_curves(reported, as_of))
    gain = (900 + 1200 + 500 + 400 + 90) - (500 + 1000 + 500 + 100 + 90)
    assert enrolled_lately(curve) == (gain, date(2022, 10, 21))
    summary = county_summary(reported, as_of)
    assert f"（近7天新增{gain:,}人）" in summary_sentence(
        summary, POLICY, lately=enrolled_lately(curve)
    )
    # three days on, with no report since: the gain is still the one up to 10-28, named so
    later = county_curve(known_curves(reported, date(2022, 10, 31)))
    assert list(later.index)[-1] == as_of
    text = summary_sentence(
        county_summary(reported, date(2022, 10, 31)), POLICY, lately=enrolled_lately(later)
    )
    assert f"（较10月21日新增{gain:,}人）" in text
    # the first week: nothing a week back yet, no gain named
    early = county_curve(known_curves(reported, date(2022, 10, 20)))
    assert enrolled_lately(early) is None


def test_the_summary_weighs_the_county_against_the_schedule_while_it_runs() -> None:
    neixiang = load_sample("neixiang")
    mid = county_summary(neixiang, date(2022, 11, 20))
    assert (mid.scheduled, mid.townships_behind) == (Fraction(36, 46), 6)
    assert summary_sentence(mid, neixiang.policy) == (
        "截至2022年11月20日，全县累计参保486,234人，完成任务数604,120人的80.5%"
        "（序时进度78.3%，超过2.2个百分点）；16个乡镇（街道）均未完成任务，"
        "6个落后于序时进度。"
    )
    behind = dataclasses.replace(mid, completion=Fraction(3, 4))
    assert "（序时进度78.3%，落后3.3个百分点）" in summary_sentence(behind, neixiang.policy)
    even = dataclasses.replace(mid, completion=mid.scheduled)
    assert "（序时进度78.3%，与之持平）" in summary_sentence(even, neixiang.policy)
    # the gap as the two percentages read: 89.5 % against 89.1 % is 0.4 (exactly 0.34)
    shown = dataclasses.replace(mid, completion=Fraction(89468, 100000), scheduled=Fraction(41, 46))
    assert "（序时进度89.1%，超过0.4个百分点）" in summary_sentence(shown, neixiang.policy)
    alike = dataclasses.replace(mid, completion=Fraction(7834, 10000))  # 78.3 % both
    assert "（序时进度78.3%，与之持平）" in summary_sentence(alike, neixiang.policy)
    end = county_summary(neixiang, date(2022, 11, 30))  # due in full from here on
    assert "序时进度" not in summary_sentence(end, neixiang.policy)
    assert "16个乡镇（街道）中3个已完成任务" in summary_sentence(
        dataclasses.replace(end, townships_met=3), neixiang.policy
    )
    assert "16个乡镇（街道）均已完成任务" in summary_sentence(
        dataclasses.replace(end, townships_met=16), neixiang.policy
    )
    first = county_summary(neixiang, date(2022, 10, 15))  # nothing due yet: nothing to weigh
    assert first.scheduled == 0 and "（序时进度" not in summary_sentence(first, neixiang.policy)


def test_the_townships_card_counts_those_behind_then_those_short() -> None:
    neixiang = load_sample("neixiang")
    assert townships_card_note(county_summary(neixiang, date(2022, 11, 20))) == "6个落后于序时进度"
    end = county_summary(neixiang, date(2022, 12, 31))
    assert townships_card_note(end) == f"{end.townships - end.townships_met}个未完成"
    assert 0 < end.townships_met < end.townships
    done = dataclasses.replace(end, townships_met=end.townships)
    assert townships_card_note(done) == "全部完成"


def test_the_completion_bars_draw_the_schedule_while_it_runs() -> None:
    """The 序时进度 the summary weighs the county against is a line across the townships' bars
    (on the page, and in the PDF and PNG bulletins), so those behind it are seen at once."""
    neixiang = load_sample("neixiang")
    week = period_of("week", date(2022, 11, 20), campaign_start=date(2022, 10, 15))
    mid = ranking(neixiang, week, as_of=date(2022, 11, 20))
    assert mid.scheduled == Fraction(36, 46)
    figure = completion_bars(mid.table, title="t", scheduled=mid.scheduled)
    assert [(s.x0, s.line.dash) for s in figure.layout.shapes] == [(1.0, "dash"), (36 / 46, "dot")]
    assert [a.text for a in figure.layout.annotations] == ["目标 100%", "序时进度 78.3%"]
    behind = mid.table[mid.table["completion_rate"] < mid.scheduled]
    assert len(behind) == county_summary(neixiang, date(2022, 11, 20)).townships_behind == 6

    def grey_pixels(png: bytes) -> int:
        pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        return int((pixels == GREY).all(axis=2).sum())

    assert grey_pixels(completion_chart(mid.table, title="t", scheduled=mid.scheduled)) > 500
    assert grey_pixels(completion_chart(mid.table, title="t")) == 0
    # from the centralised end on the whole quota is due: the target's line alone
    end = ranking(
        neixiang,
        period_of("week", date(2022, 12, 3), campaign_start=date(2022, 10, 15)),
        as_of=date(2022, 12, 3),
    )
    assert end.scheduled == 1
    assert [a.text for a in completion_bars(end.table, title="t").layout.annotations] == [
        "目标 100%"
    ]
