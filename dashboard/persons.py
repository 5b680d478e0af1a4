"""Roster members as persons: who is not yet enrolled, each one's subsidy, and the funds it costs.

Every person gets at most one subsidy, the highest of their groups (就高不重复). The person pays
the contribution standard minus the subsidy, never below zero. County rules decide when a
subsidy is lost: paying after the centralised period (Zhashui), or being recognised after it
(Neixiang).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from dashboard.distinct import by_unique
from dashboard.glossary import (
    AMOUNT,
    GROUP,
    ID_NUMBER,
    NAME,
    OVERPAID,
    PAID,
    PAID_ON,
    PART_REFUNDED,
    PAYS,
    RECOGNISED_ON,
    SOURCE,
    SUBSIDY,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.money import yuan
from data_models.policy import CountyPolicy

MEMBER_COLUMNS = [ID_NUMBER, NAME, TOWNSHIP, VILLAGE, GROUP, RECOGNISED_ON, PAID_ON]
REASON = "reason"
ENROLLED_FLAG = "is_enrolled"


def select_members(
    members: pd.DataFrame, *, township: str | None, village: str | None
) -> pd.DataFrame:
    """Members of one township and village (None: all)."""
    keep = pd.Series(True, index=members.index)
    if township is not None:
        keep &= members[TOWNSHIP] == township
    if village is not None:
        keep &= members[VILLAGE] == village
    return members[keep]


def enrolled_by(members: pd.DataFrame, as_of: date) -> pd.Series:
    """True for members with a payment on or before ``as_of``."""
    paid = pd.to_datetime(members[PAID_ON], errors="coerce")
    return (paid <= pd.Timestamp(as_of)).fillna(False).astype(bool)


def unenrolled(members: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Roster members without a payment by ``as_of``, one row per person, by township and
    village (a person in two groups is listed once, with both groups)."""
    waiting = members[~enrolled_by(members, as_of)].sort_values(
        [TOWNSHIP, VILLAGE, ID_NUMBER, GROUP]
    )
    people = waiting.drop_duplicates(ID_NUMBER).set_index(ID_NUMBER)
    several = waiting[waiting.duplicated(ID_NUMBER, keep=False)]
    if not several.empty:  # few people belong to several groups: join only theirs
        joined = several.groupby(ID_NUMBER)[GROUP].agg(lambda g: "、".join(sorted(set(g))))
        people.loc[joined.index, GROUP] = joined
    return people.reset_index()[[TOWNSHIP, VILLAGE, ID_NUMBER, NAME, GROUP]]


def subsidies(members: pd.DataFrame, policy: CountyPolicy, *, as_of: date) -> pd.DataFrame:
    """One row per person: the group whose subsidy applies (the highest), the subsidy in yuan,
    what the person pays, whether enrolled by ``as_of``, and why a subsidy is 0 when it is.

    Columns: id_number, name, township, village, group, subsidy, pays, is_enrolled, reason.
    """
    codes = [g.code for g in policy.groups]
    groups = pd.Categorical(members[GROUP].astype(object), categories=codes)
    amounts = np.array([int(g.subsidy * 100) for g in policy.groups] + [0], dtype=np.int64)
    order = np.where(groups.codes >= 0, groups.codes, len(codes))  # a group not in the policy: 0
    frame = members.assign(_fen=amounts[order], _order=order)
    best = frame.sort_values(["_fen", "_order"], ascending=[False, True], kind="stable")
    people = best.drop_duplicates(ID_NUMBER, keep="first").copy()
    people[REASON] = _lost_reasons(people, policy)
    standard = int(policy.contribution_standard * 100)
    subsidy = people["_fen"].where(people[REASON] == "", 0)
    # Decimal yuan made once per distinct amount (a county has a handful), not per person
    people[SUBSIDY] = by_unique(subsidy, _fen_to_yuan)
    people[PAYS] = by_unique((standard - subsidy).clip(lower=0), _fen_to_yuan)
    people[ENROLLED_FLAG] = enrolled_by(people, as_of)
    columns = [ID_NUMBER, NAME, TOWNSHIP, VILLAGE, GROUP, SUBSIDY, PAYS, ENROLLED_FLAG, REASON]
    return people[columns].sort_values([TOWNSHIP, VILLAGE, ID_NUMBER]).reset_index(drop=True)


def amount_mismatches(people: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Enrolled members whose payment is not what they owe under the county's rules
    (standard − subsidy, ``people`` from subsidies): the full contribution paid though
    subsidised (the subsidy not applied where they paid: the difference is paid back), or
    less than they owe.

    ``members`` holds each member's payment that stands and what partial refunds paid back
    of it, in fen (amount_fen, part_refunded_fen, as roster_members(amounts=True) reads them;
    None when there is none: nothing to compare): they paid the difference. Columns: those of
    ``people``, paid (yuan) and overpaid (paid − pays, yuan; below 0 when paid too little); by
    township, village and ID number.
    """
    amounts = _paid_members(members)
    net = amounts[AMOUNT].astype("int64") - amounts[PART_REFUNDED].astype("int64")
    paid_fen = pd.Series(net.to_numpy(), index=amounts[ID_NUMBER].to_numpy())
    enrolled = people[people[ENROLLED_FLAG]]
    paid = enrolled[ID_NUMBER].map(paid_fen)
    owed = by_unique(enrolled[PAYS], lambda pays: int(pays * 100)).astype("int64")
    wrong = paid.notna() & paid.ne(owed)
    found = enrolled[wrong].copy()
    found_paid = paid[wrong].astype("int64")
    found[PAID] = by_unique(found_paid, _fen_to_yuan)
    found[OVERPAID] = by_unique(found_paid - owed[wrong], _fen_to_yuan)
    return found.reset_index(drop=True)


def part_refunds(people: pd.DataFrame, members: pd.DataFrame) -> tuple[int, Decimal]:
    """How many enrolled members were paid back part of their payment (partial refunds: the
    difference they paid too much), and how much in all (yuan)."""
    enrolled = set(people.loc[people[ENROLLED_FLAG], ID_NUMBER])
    theirs = _paid_members(members)
    theirs = theirs[theirs[ID_NUMBER].isin(enrolled) & theirs[PART_REFUNDED].astype("int64").gt(0)]
    return len(theirs), _fen_to_yuan(int(theirs[PART_REFUNDED].astype("int64").sum()))


def _paid_members(members: pd.DataFrame) -> pd.DataFrame:
    """One row per member with a payment that stands (a member of two groups has two rows)."""
    return members.dropna(subset=[AMOUNT]).drop_duplicates(ID_NUMBER)


def _fen_to_yuan(fen: object) -> Decimal:
    return yuan(Decimal(int(fen)) / 100)  # type: ignore[call-overload]


def _lost_reasons(people: pd.DataFrame, policy: CountyPolicy) -> pd.Series:
    """Why each person's subsidy is 0 under the county's rules ('' when it is not)."""
    end = pd.Timestamp(policy.campaign.centralised_end)
    reasons = pd.Series("", index=people.index, dtype=object)
    if policy.subsidy_only_in_centralised_period:
        paid = pd.to_datetime(people[PAID_ON], errors="coerce")
        reasons[(paid > end).fillna(False).astype(bool)] = "未在集中缴费期缴费，不享受资助"
    if policy.recognised_by_centralised_end:
        recognised = pd.to_datetime(people[RECOGNISED_ON], errors="coerce")
        reasons[(recognised > end).fillna(False).astype(bool)] = (
            "集中缴费期结束后认定，当年不享受资助"
        )
    return reasons


def fund_totals(people: pd.DataFrame, policy: CountyPolicy) -> pd.DataFrame:
    """Subsidies of enrolled members summed by funding source (exact yuan), with a 合计 row.

    Columns: source, persons, amount. A group's subsidy is split over its sources as the
    policy says (Zhashui's 监测: province 45, city 29, county 116).
    """
    paid = people[people[ENROLLED_FLAG] & (people[SUBSIDY] > 0)]
    shares: dict[str, list] = {}
    for group in policy.groups:
        count = int((paid[GROUP] == group.code).sum())
        for share in group.sources:
            entry = shares.setdefault(share.source, [0, Decimal("0.00")])
            entry[0] += count
            entry[1] += yuan(share.amount * count)
    rows = [{SOURCE: s, "persons": n, "amount": yuan(a)} for s, (n, a) in shares.items()]
    total = sum((r["amount"] for r in rows), Decimal("0.00"))
    rows.append({SOURCE: "合计", "persons": len(paid), "amount": yuan(total)})
    return pd.DataFrame(rows, columns=[SOURCE, "persons", "amount"])
