"""Special groups on the page: coverage by township and group, the unenrolled list, subsidies and
their funds, formatted as a county user reads them."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard import formatting as fmt
from dashboard.glossary import (
    ENROLLED,
    GROUP,
    ID_NUMBER,
    LABELS,
    NAME,
    OVERPAID,
    PAID,
    PAYS,
    ROSTER,
    SOURCE,
    SUBSIDY,
    TOTAL_LABEL,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.idnumbers import mask_ids
from dashboard.persons import ENROLLED_FLAG, REASON
from dashboard.rates import coverage
from data_models.policy import CountyPolicy


def coverage_matrix(long: pd.DataFrame, *, county_total: bool = True) -> pd.DataFrame:
    """Townships by groups, each cell 'enrolled/roster (coverage)', plus a county row. The
    parentheses are half-width: six groups side by side must fit the page's width."""
    if long.empty:
        return pd.DataFrame()
    cells = {
        (t, label): _coverage_cell(e, r)
        for t, label, e, r in long[[TOWNSHIP, "label", ENROLLED, ROSTER]].itertuples(index=False)
    }
    townships = list(dict.fromkeys(long[TOWNSHIP]))
    labels = list(dict.fromkeys(long.sort_values("order", kind="stable")["label"]))
    rows = [{LABELS[TOWNSHIP]: t, **{g: cells.get((t, g), "—") for g in labels}} for t in townships]
    totals = long.groupby("label", sort=False)[[ENROLLED, ROSTER]].sum()
    county = {g: _coverage_cell(totals.loc[g, ENROLLED], totals.loc[g, ROSTER]) for g in labels}
    if county_total:
        rows.append({LABELS[TOWNSHIP]: TOTAL_LABEL, **county})
    return pd.DataFrame(rows)


def _coverage_cell(enrolled: object, roster: object) -> str:
    e, r = int(enrolled), int(roster)  # type: ignore[call-overload]
    return f"{fmt.count(e)}/{fmt.count(r)} ({fmt.percent(coverage(e, r))})"


def group_labels(policy: CountyPolicy) -> dict[str, str]:
    """Group code -> Chinese label."""
    return {g.code: g.label for g in policy.groups}


def unenrolled_view(
    waiting: pd.DataFrame, policy: CountyPolicy, *, full_ids: bool = False
) -> pd.DataFrame:
    """Roster members not yet enrolled; ID numbers masked (4113**********1234) unless
    ``full_ids`` (for those who must correct records)."""
    labels = group_labels(policy)
    return pd.DataFrame(
        {
            **_who(waiting, full_ids=full_ids),
            "人员类别": [
                "、".join(labels.get(c, c) for c in str(g).split("、")) for g in waiting[GROUP]
            ],
        }
    )


def _who(people: pd.DataFrame, *, full_ids: bool) -> dict[str, object]:
    """A list of people's first columns: township, village, name and ID number (masked
    4113**********1234 unless ``full_ids``)."""
    numbers = people[ID_NUMBER]
    return {
        LABELS[TOWNSHIP]: people[TOWNSHIP].to_numpy(),
        LABELS[VILLAGE]: people[VILLAGE].replace("", "（未填村）").to_numpy(),
        LABELS[NAME]: people[NAME].to_numpy(),
        LABELS[ID_NUMBER]: (numbers if full_ids else mask_ids(numbers.astype(str))).to_numpy(),
    }


def mismatch_view(
    found: pd.DataFrame, policy: CountyPolicy, *, full_ids: bool = False
) -> pd.DataFrame:
    """The members who paid other than they owe (persons.amount_mismatches), as the page and
    its download list them: what they owe, paid, the difference and what is to be done; ID
    numbers masked unless ``full_ids``."""
    labels = group_labels(policy)
    return pd.DataFrame(
        {
            **_who(found, full_ids=full_ids),
            "人员类别（就高）": [labels.get(g, g) for g in found[GROUP]],
            "应缴（元）": [fmt.money(d) for d in found[PAYS]],
            "实缴（元）": [fmt.money(d) for d in found[PAID]],
            "差额（元）": [fmt.signed_money(d) for d in found[OVERPAID]],
            "处理": ["多缴，应退还差额" if d > 0 else "少缴，应补缴差额" for d in found[OVERPAID]],
        }
    )


def mismatch_sentence(found: pd.DataFrame, refunded: tuple[int, Decimal] = (0, Decimal(0))) -> str:
    """What the check of payments against what each member owes found, in a sentence; and
    how many were paid back part of their payment, and how much (``refunded``)."""
    people, amount = refunded
    done = f"另有{fmt.count(people)}人多缴的{fmt.money(amount)}元已退还。" if people else ""
    if found.empty:
        return f"已参保的名单人员实缴金额均与应缴一致。{done}"
    over = found[found[OVERPAID] > 0]
    under = found[found[OVERPAID] < 0]
    parts = []
    if not over.empty:
        total = sum(over[OVERPAID], Decimal(0))
        parts.append(f"{fmt.count(len(over))}人多缴共{fmt.money(total)}元，应退还")
    if not under.empty:
        total = -sum(under[OVERPAID], Decimal(0))
        parts.append(f"{fmt.count(len(under))}人少缴共{fmt.money(total)}元，应补缴")
    return f"已参保的名单人员中，{'；'.join(parts)}。{done}"


def subsidy_summary(people: pd.DataFrame, policy: CountyPolicy) -> pd.DataFrame:
    """Per group (the one whose subsidy applies): persons, enrolled, subsidy per head, the
    subsidies of enrolled persons, and what enrolled persons pay themselves; with 合计."""
    rows = []
    for group in policy.groups:
        mine = people[people[GROUP] == group.code]
        if mine.empty:
            continue
        paid = mine[mine[ENROLLED_FLAG]]
        rows.append(
            (
                group.label,
                len(mine),
                len(paid),
                fmt.money(group.subsidy),
                sum(paid[SUBSIDY], Decimal(0)),
                sum(paid[PAYS], Decimal(0)),
            )
        )
    total_subsidy = sum((r[4] for r in rows), Decimal(0))
    total_pays = sum((r[5] for r in rows), Decimal(0))
    rows.append(
        (
            TOTAL_LABEL,
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
            "",
            total_subsidy,
            total_pays,
        )
    )
    return pd.DataFrame(
        [
            {
                "人员类别（就高）": g,
                "人数": fmt.count(n),
                "已参保": fmt.count(p),
                "资助标准（元/人）": s,
                "已资助（元）": fmt.money(a),
                "个人已缴（元）": fmt.money(b),
            }
            for g, n, p, s, a, b in rows
        ]
    )


def subsidy_losses(people: pd.DataFrame) -> list[str]:
    """One sentence per reason a subsidy was denied under the county's rules, with how many
    persons it concerns and how many of them enrolled paying the full contribution."""
    lines = []
    for reason, mine in people[people[REASON] != ""].groupby(REASON, sort=True):
        enrolled = int(mine[ENROLLED_FLAG].sum())
        lines.append(
            f"名单中{fmt.count(len(mine))}人{reason}；其中已参保{fmt.count(enrolled)}人，"
            "按个人缴费标准全额缴费。"
        )
    return lines


def fund_view(totals: pd.DataFrame) -> pd.DataFrame:
    """Subsidy totals by funding source."""
    return pd.DataFrame(
        {
            LABELS[SOURCE]: totals[SOURCE],
            "人数": [fmt.count(int(n)) for n in totals["persons"]],
            "金额（元）": [fmt.money(a) for a in totals["amount"]],
        }
    )


def public_notice_help(policy: CountyPolicy) -> str:
    """What the payment-notice download holds and how long it is posted."""
    days = policy.public_notice_working_days
    period = f"，公示不少于{days}个工作日" if days else ""
    return (
        "按已导入的缴费明细生成，截至所选日期：汇总表之后每村（社区）一张表，姓名、身份证号"
        f"（隐去中间位）、缴费日期与金额，供张榜公示{period}。只含缴费明细中的人员。"
    )
