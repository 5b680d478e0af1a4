"""Person-level figures of a campaign for the pages (villages, rosters, second payments), read
from the database once and cached until the next import or undo (state.clear_caches).

Like dashboard.cached for the campaign's figures: a click lays out widgets instead of reading
person-level rows again; a township's or village's share is read for that township only.
A township's payment notice (public_notice) alone is made afresh, when its download is clicked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import group_views
from dashboard.campaign import CampaignData
from dashboard.db import database_url
from dashboard.persons import (
    amount_mismatches,
    fund_totals,
    part_refunds,
    select_members,
    subsidies,
    unenrolled,
)
from dashboard.public_notice import public_notice_xlsx
from dashboard.repeat_list import has_payment_lists, second_payment_list, select_seconds
from dashboard.state import _engine, campaign, engine
from dashboard.store import payment_villages, roster_members, roster_villages_of, township_payments
from dashboard.village_quotas import village_quotas
from data_models.policy import CountyPolicy


@st.cache_data(show_spinner=False)
def _payment_villages(url: str, code: str, year: int, township: str) -> pd.DataFrame:
    return payment_villages(_engine(url), code, township, year=year)


def village_progress(data: CampaignData, township: str) -> pd.DataFrame:
    """Progress rows by village for one township: from reports that name villages, and from
    payment lists (cached until the next import)."""
    paid = _payment_villages(database_url(), data.policy.code, data.policy.benefit_year, township)
    return pd.concat([data.progress, paid], ignore_index=True) if not paid.empty else data.progress


@st.cache_data(show_spinner=False)
def _village_quotas(url: str, code: str, year: int, township: str) -> dict[str, int]:
    return village_quotas(_engine(url), code, year, township)


def village_quotas_of(policy: CountyPolicy, township: str) -> dict[str, int]:
    """The quotas the township set for its villages (cached until the next change of data)."""
    return _village_quotas(database_url(), policy.code, policy.benefit_year, township)


def has_payments(policy: CountyPolicy, township: str) -> bool:
    """True when a payment list with rows of the township is in the campaign (cached)."""
    return not _payment_villages(database_url(), policy.code, policy.benefit_year, township).empty


def public_notice(policy: CountyPolicy, township: str, as_of: date) -> bytes:
    """The township's payment notice workbook, each village a sheet (made when the download is
    clicked: it reads the township's person-level rows)."""
    payments = township_payments(
        engine(), policy.code, township, paid_by=as_of, year=policy.benefit_year
    )
    return public_notice_xlsx(policy, township, payments, as_of=as_of)


@dataclass(frozen=True)
class RosterTables:
    """What the 特殊群体 page shows of a roster: the unenrolled, subsidies, funds (display)."""

    waiting: pd.DataFrame
    subsidies: pd.DataFrame
    funds: pd.DataFrame
    losses: list[str]
    mismatches: pd.DataFrame  # who paid other than they owe (group_views.mismatch_view)
    mismatch_line: str  # how many, and how much (group_views.mismatch_sentence)


@st.cache_data(show_spinner="正在统计名单…")
def _roster_tables(
    url: str,
    code: str,
    year: int,
    township: str | None,
    village: str | None,
    as_of: date,
    full_ids: bool,
) -> RosterTables:
    policy = campaign(url, code, year).policy
    members = roster_members(
        _engine(url), code, township, year=year, amounts=True, refunded_by=as_of
    )
    members = select_members(members, township=None, village=village)
    people = subsidies(members, policy, as_of=as_of)
    found = amount_mismatches(people, members)
    return RosterTables(
        waiting=group_views.unenrolled_view(unenrolled(members, as_of), policy, full_ids=full_ids),
        subsidies=group_views.subsidy_summary(people, policy),
        funds=group_views.fund_view(fund_totals(people, policy)),
        losses=group_views.subsidy_losses(people),
        mismatches=group_views.mismatch_view(found, policy, full_ids=full_ids),
        mismatch_line=group_views.mismatch_sentence(found, part_refunds(people, members)),
    )


def roster_tables(
    policy: CountyPolicy, township: str | None, village: str | None, as_of: date, *, full_ids: bool
) -> RosterTables:
    """The roster figures of a campaign's county, township or village (computed once per
    import and date, then cached; ``township`` None means the whole county)."""
    key = (policy.code, policy.benefit_year)
    return _roster_tables(database_url(), *key, township, village, as_of, full_ids)


@st.cache_data(show_spinner=False)
def _villages(url: str, code: str, year: int, township: str | None) -> list[str] | None:
    return roster_villages_of(_engine(url), code, township, year=year)


def roster_villages(policy: CountyPolicy, township: str | None) -> list[str]:
    """Villages with roster members in a campaign, in a township or the county."""
    return _villages(database_url(), policy.code, policy.benefit_year, township) or []


def has_roster(policy: CountyPolicy, *, township: str | None) -> bool:
    """True when roster members were imported into the campaign (for the township, if given)."""
    return _villages(database_url(), policy.code, policy.benefit_year, township) is not None


@st.cache_data(show_spinner=False)
def _second_payments(url: str, code: str, year: int) -> pd.DataFrame:
    return second_payment_list(_engine(url), code, year=year)


@st.cache_data(show_spinner=False)
def _has_payment_lists(url: str, code: str, year: int, township: str | None) -> bool:
    return has_payment_lists(_engine(url), code, township, year=year)


def second_payments(policy: CountyPolicy, township: str | None) -> pd.DataFrame | None:
    """The campaign's second payments (of one township, if given: the county's few are read
    once and cached until the next import); None where no payment list was imported, in which
    they would be found."""
    key = (database_url(), policy.code, policy.benefit_year)
    if not _has_payment_lists(*key, township):
        return None
    return select_seconds(_second_payments(*key), township=township)


def clear() -> None:
    """Forget every person-level figure (state.clear_caches, after an import or an undo)."""
    for cached in (
        _payment_villages,
        _village_quotas,
        _roster_tables,
        _villages,
        _second_payments,
        _has_payment_lists,
    ):
        cached.clear()
