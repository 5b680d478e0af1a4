"""A township's villages as 乡镇 shows them: enrolled per village, or against the quotas the
township set its villages, and the table those quotas are entered in."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from dashboard import formatting as fmt
from dashboard.figures import known_villages
from dashboard.glossary import COMPLETION, ENROLLED, LABELS, QUOTA, RANK, TOTAL_LABEL, VILLAGE
from dashboard.rates import completion_rate
from dashboard.village_quotas import QUOTA_LABEL

SHORTFALL = "差额"
EDITOR_COLUMNS = {"village": LABELS[VILLAGE], "enrolled": LABELS[ENROLLED], "quota": QUOTA_LABEL}


def villages_view(villages: pd.DataFrame) -> pd.DataFrame:
    """Villages and their enrolled counts, with the 合计 row."""
    counts = [int(n) for n in villages[ENROLLED]]
    return pd.DataFrame(
        {
            LABELS[VILLAGE]: [*villages[VILLAGE], TOTAL_LABEL],
            LABELS[ENROLLED]: [fmt.count(n) for n in [*counts, sum(counts)]],
        }
    )


def villages_note(villages: pd.DataFrame, township_enrolled: int) -> str:
    """Where the village counts come from, and how much of the township's figure they cover:
    villages are known only from payment lists and village-level reports, so a township whose
    reports give one total has fewer people by village than enrolled in all."""
    source = "分村人数来自已导入的缴费明细和分村进度表"
    counted = int(villages[ENROLLED].sum())
    if counted >= township_enrolled:
        return f"{source}。"
    share = fmt.percent(Fraction(counted, township_enrolled)) if township_enrolled else "—"
    return (
        f"{source}，各村合计{fmt.count(counted)}人，占全镇累计参保人数"
        f"{fmt.count(township_enrolled)}人的{share}；其余{fmt.count(township_enrolled - counted)}"
        "人只见于全镇合计的进度表，未分到村。"
    )


def village_standings_view(standings: pd.DataFrame) -> pd.DataFrame:
    """figures.village_standings as a table: 排名, 村（社区）, 任务数, 参保人数, 完成率, 差额 (short
    of the quota), and the 合计 row over the villages with a quota."""
    rows = []
    for record in standings.to_dict("records"):
        quota, enrolled = record[QUOTA], int(record[ENROLLED])
        rows.append(
            {
                LABELS[RANK]: fmt.count(record[RANK]) if record[RANK] is not None else "",
                LABELS[VILLAGE]: record[VILLAGE],
                LABELS[QUOTA]: fmt.count(quota) if quota is not None else "未设",
                LABELS[ENROLLED]: fmt.count(enrolled),
                LABELS[COMPLETION]: fmt.percent(record[COMPLETION]),
                SHORTFALL: fmt.count(max(quota - enrolled, 0)) if quota is not None else "",
            }
        )
    set_ = standings[standings[QUOTA].notna()]
    quota = sum(int(q) for q in set_[QUOTA])
    enrolled = sum(int(n) for n in set_[ENROLLED])
    shortfall = sum(
        max(int(q) - int(n), 0) for q, n in zip(set_[QUOTA], set_[ENROLLED], strict=True)
    )
    rows.append(
        {
            LABELS[RANK]: "",
            LABELS[VILLAGE]: TOTAL_LABEL,
            LABELS[QUOTA]: fmt.count(quota),
            LABELS[ENROLLED]: fmt.count(enrolled),
            LABELS[COMPLETION]: fmt.percent(completion_rate(enrolled, quota)),
            SHORTFALL: fmt.count(shortfall),
        }
    )
    return pd.DataFrame(rows)


def village_quota_sentence(quotas: dict[str, int], township: str, township_quota: int) -> str:
    """'湍东镇为23个村（社区）设了任务数，合计62,500人，比全镇任务数62,010人多490人。'"""
    total = sum(quotas.values())
    if total == township_quota:
        against = f"与全镇任务数{fmt.count(township_quota)}人相同"
    else:
        more = "多" if total > township_quota else "少"
        gap = fmt.count(abs(total - township_quota))
        against = f"比全镇任务数{fmt.count(township_quota)}人{more}{gap}人"
    return f"{township}为{len(quotas)}个村（社区）设了任务数，合计{fmt.count(total)}人，{against}。"


def village_editor_frame(villages: pd.DataFrame, quotas: dict[str, int]) -> pd.DataFrame:
    """The table the village quotas are entered in: every village known from the data (most
    enrolled first) and every village with a quota, its enrolled and its quota (empty: none)."""
    known = known_villages(villages, quotas)
    return pd.DataFrame(
        {
            EDITOR_COLUMNS["village"]: pd.Series(list(known), dtype="str"),  # text, even empty
            EDITOR_COLUMNS["enrolled"]: pd.Series(list(known.values()), dtype="Int64"),
            EDITOR_COLUMNS["quota"]: pd.Series([quotas.get(v) for v in known], dtype="Int64"),
        }
    )


def entered_village_rows(edited: pd.DataFrame) -> list[tuple[object, object]]:
    """The edited table's (village, quota) rows, as entered (village_quotas checks them)."""
    return list(
        zip(edited[EDITOR_COLUMNS["village"]], edited[EDITOR_COLUMNS["quota"]], strict=True)
    )
