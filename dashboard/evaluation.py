"""The year's evaluation of each township (年度考核): where it stands at the end — on the counts
the bureaus verified once they are recorded —, how often each kind of ranking flagged it, and
the talks held with it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData
from dashboard.figures import flag_record, in_rank_order, standings, verified_standings
from dashboard.glossary import (
    COMPLETION,
    ENROLLED,
    LABELS,
    PERIOD_LABELS,
    QUOTA,
    RANK,
    TIMES_FLAGGED,
    TOWNSHIP,
)
from dashboard.periods import PERIOD_KINDS, PeriodKind

TALKS = "talks"
# the columns of times: a kind of ranking's flags, then the talks
TIMES_LABELS: dict[str, str] = {
    **{kind: f"{PERIOD_LABELS[kind]}后三名" for kind in PERIOD_KINDS},
    TALKS: "约谈",
}


def evaluation(
    data: CampaignData,
    as_of: date,
    histories: Mapping[PeriodKind, pd.DataFrame],
    talks: Mapping[str, int],
) -> pd.DataFrame:
    """Every township, best first: quota, enrolled, completion_rate and rank — on the verified
    counts where recorded, else as of ``as_of`` (the campaign's last day at the latest: a
    catch-up period is not evaluated) —, then per kind of ranking how many times it was flagged
    (``histories``: each kind's figures.rank_history) and how many talks were held with it
    (``talks``: township -> talks)."""
    if data.verified is not None:
        frame = verified_standings(data, data.verified)
    else:
        frame = standings(data, evaluated_day(data, as_of))
    frame = in_rank_order(frame)[[TOWNSHIP, QUOTA, ENROLLED, COMPLETION, RANK]]
    for kind in PERIOD_KINDS:
        record = flag_record(histories[kind])
        times = dict(zip(record[TOWNSHIP], record[TIMES_FLAGGED], strict=True))
        frame[kind] = [int(times.get(t, 0)) for t in frame[TOWNSHIP]]
    frame[TALKS] = [int(talks.get(t, 0)) for t in frame[TOWNSHIP]]
    return frame


def evaluated_day(data: CampaignData, as_of: date) -> date:
    """The day a township is evaluated as of, without verified counts: ``as_of``, the campaign's
    last day at the latest (a catch-up period is not evaluated)."""
    return min(as_of, data.policy.campaign.end)


def evaluation_basis(data: CampaignData, as_of: date) -> str:
    """What the evaluation's figures rest on, in words."""
    if data.verified is not None:
        return data.verified.words
    day = evaluated_day(data, as_of)
    final = "（征缴期末）" if day == data.policy.campaign.end else ""
    return f"按截至{fmt.day(day)}{final}的参保人数"


def evaluation_view(frame: pd.DataFrame) -> pd.DataFrame:
    """The evaluation as a table: 排名, 乡镇（街道）, 任务数, 参保人数, 完成率, then the times each
    kind of ranking flagged the township (周排名后三名 …) and 约谈."""
    view = pd.DataFrame(
        {
            LABELS[RANK]: [fmt.count(r) if r is not None else "" for r in frame[RANK]],
            LABELS[TOWNSHIP]: frame[TOWNSHIP],
            LABELS[QUOTA]: [fmt.count(int(q)) for q in frame[QUOTA]],
            LABELS[ENROLLED]: [fmt.count(int(n)) for n in frame[ENROLLED]],
            LABELS[COMPLETION]: [fmt.percent(r) for r in frame[COMPLETION]],
        }
    )
    for column, label in TIMES_LABELS.items():
        view[label] = [f"{n}次" for n in frame[column]]
    return view
