"""The shipped sample data: the seed tables exactly as printed, and the simulated progress."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard.campaign import CampaignData
from dashboard.figures import ranking_for_date
from dashboard.glossary import (
    BASE_POPULATION,
    ENROLLED,
    GROUP,
    LAST_YEAR_ENROLLED,
    QUOTA,
    RANK_CHANGE,
    ROSTER,
)
from dashboard.samples import (
    PROGRESS_FILE,
    SAMPLE_DIR,
    printed_quotas,
    read_sample_quotas,
    sample_policy,
)
from dashboard.simulate import progress_csv, simulate_progress


@pytest.mark.parametrize(
    ("code", "townships", "total"),
    [("zhashui", 9, 141257), ("neixiang", 16, 604120), ("dongming", 14, 713138)],
)
def test_printed_quota_totals(samples: dict[str, CampaignData], code, townships, total) -> None:
    quotas = samples[code].quotas
    assert len(quotas) == townships
    assert int(quotas[QUOTA].sum()) == total


def test_zhashui_column_totals(samples: dict[str, CampaignData]) -> None:
    data = samples["zhashui"]
    assert int(data.quotas[BASE_POPULATION].sum()) == 143843
    assert int(data.quotas[LAST_YEAR_ENROLLED].sum()) == 131345
    rosters = data.group_quotas.groupby(GROUP)[ROSTER].sum().to_dict()
    assert rosters == {
        "extreme_poverty": 1814,
        "orphan": 36,
        "minimum_living": 8001,
        "poverty_alleviated": 32609,
        "monitored": 539,
        "near_minimum_living": 411,
    }


def test_zhashui_rows_as_printed(samples: dict[str, CampaignData]) -> None:
    q = samples["zhashui"].quotas.set_index("township")
    assert list(q.loc["乾佑街道办事处", [BASE_POPULATION, LAST_YEAR_ENROLLED, QUOTA]]) == [
        9489,
        16485,
        16650,
    ]
    assert list(q.loc["曹坪镇", [BASE_POPULATION, LAST_YEAR_ENROLLED, QUOTA]]) == [
        15552,
        14147,
        14850,
    ]


def test_neixiang_and_dongming_first_and_last(samples: dict[str, CampaignData]) -> None:
    assert samples["neixiang"].townships[0] == "湍东镇"
    assert samples["neixiang"].quotas[QUOTA].iloc[-1] == 43160
    assert samples["dongming"].townships[-1] == "陆圈镇"
    assert samples["dongming"].quotas[QUOTA].iloc[-1] == 78100


def test_printed_quotas_are_those_of_the_notice_and_its_year_only() -> None:
    printed = printed_quotas("neixiang", 2023)
    assert (len(printed), sum(printed.values()), printed["湍东镇"]) == (16, 604120, 62010)
    assert printed_quotas("neixiang", 2024) == {}, "another year's quotas are not the notice's"
    assert printed_quotas("caoxian", 2023) == {}, "not a sample county"


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_simulated_progress_is_reproducible_from_its_seed(code: str) -> None:
    quotas, groups = read_sample_quotas(code)
    generated = progress_csv(simulate_progress(sample_policy(code), quotas, groups))
    assert generated == (SAMPLE_DIR / code / PROGRESS_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_simulated_progress_is_plausible(samples: dict[str, CampaignData], code: str) -> None:
    data = samples[code]
    campaign = data.policy.campaign
    assert data.simulated
    assert min(data.progress["date"]) == campaign.start
    assert data.latest_date == campaign.end
    final = data.progress[data.progress["date"] == campaign.end].set_index("township")[ENROLLED]
    ratio = final / data.quotas.set_index("township")[QUOTA]
    assert (ratio > 1).sum() >= 3, "some townships beat their quota"
    assert (ratio < 1).sum() >= 3, "some townships miss it"
    assert ratio.between(0.9, 1.1).all()
    # Cumulative: never decreasing, and an S-curve: slow start, most of it in the middle.
    wide = data.progress.pivot_table(index="date", columns="township", values=ENROLLED)
    assert (wide.diff().dropna() >= 0).all().all()
    mid = campaign.start + (campaign.centralised_end - campaign.start) / 2
    first_tenth = campaign.start + (campaign.centralised_end - campaign.start) / 10
    assert (wide.loc[first_tenth] / final < 0.2).all()
    assert (wide.loc[mid] / final).between(0.2, 0.9).all()


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_ranks_still_move_in_the_last_weeks_of_the_centralised_period(
    samples: dict[str, CampaignData], code: str
) -> None:
    """Each township has a deadline sprint of its own size, so the weekly ranking the
    supervision office meets over is not frozen weeks before the end."""
    data = samples[code]
    end = data.policy.campaign.centralised_end
    for as_of in (end - timedelta(days=7), end):
        changes = ranking_for_date(data, "week", as_of=as_of).table[RANK_CHANGE]
        assert (changes.fillna(0) != 0).sum() >= 2, as_of


def test_zhashui_special_groups_mostly_reach_full_coverage(
    samples: dict[str, CampaignData],
) -> None:
    data = samples["zhashui"]
    last = data.group_progress[data.group_progress["date"] == date(2023, 12, 20)]
    merged = last.merge(data.group_quotas, on=["township", GROUP])
    assert (merged[ENROLLED] <= merged[ROSTER]).all()
    full = (merged[ENROLLED] == merged[ROSTER]).mean()
    assert 0.5 < full < 1.0
