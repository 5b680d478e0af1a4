"""Figures and charts of the selected campaign, cached until the next import or undo.

A page's rerun (a click) then lays out widgets instead of recomputing rankings, curves and
plotly figures: those depend only on the campaign and the date, and the campaign changes only
when data is imported. Each function takes the sidebar's selection (its county and date) and
computes from the campaign that the selection was loaded from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, evaluation, figures, verified_views, year_on_year
from dashboard.bulletin import Bulletin, build_bulletin
from dashboard.campaign import CampaignData
from dashboard.db import database_url
from dashboard.forecast import Forecast
from dashboard.periods import PERIOD_KINDS, Period, PeriodKind
from dashboard.quota_history import QuotaStep, county_quota_sentence, quota_steps
from dashboard.state import Selection, _engine, campaign, county_years
from dashboard.year_on_year import SameDayLastYear, TownshipsLastYear

CACHE: dict[str, Any] = {"show_spinner": False, "max_entries": 256}


@st.cache_data(**CACHE)
def _ranking(url: str, code: str, year: int, period: Period, as_of: date) -> figures.Ranking:
    return figures.ranking(campaign(url, code, year), period, as_of=as_of)


@st.cache_data(**CACHE)
def _summary(url: str, code: str, year: int, as_of: date) -> figures.CountySummary:
    return figures.county_summary(campaign(url, code, year), as_of)


@st.cache_data(**CACHE)
def _curves(url: str, code: str, year: int, as_of: date) -> pd.DataFrame:
    return figures.known_curves(campaign(url, code, year), as_of)


@st.cache_data(**CACHE)
def _forecasts(url: str, code: str, year: int, as_of: date) -> dict[str, Forecast]:
    return figures.forecasts(campaign(url, code, year), as_of)


@st.cache_data(**CACHE)
def _history(url: str, code: str, year: int, kind: PeriodKind, as_of: date) -> pd.DataFrame:
    return figures.rank_history(campaign(url, code, year), kind, as_of=as_of)


@st.cache_data(**CACHE)
def _coverage(url: str, code: str, year: int, as_of: date, township: str | None) -> pd.DataFrame:
    return figures.group_coverage(campaign(url, code, year), as_of, township=township)


@st.cache_data(**CACHE)
def _bulletin(url: str, code: str, year: int, period: Period, as_of: date) -> Bulletin:
    # last year's curves computed once a year, not per bulletin
    last_year, known = _last_year_known(url, code, year) or (None, None)
    return build_bulletin(
        campaign(url, code, year),
        period,
        as_of=as_of,
        last_year=last_year,
        known=known,
        quota_note=_quota_note(url, code, year, period.end),
    )


@st.cache_data(**CACHE)
def _system_counts(url: str, code: str, year: int) -> dict[str, int]:
    return verified_views.system_counts(campaign(url, code, year))


@st.cache_data(**CACHE)
def _evaluation(
    url: str, code: str, year: int, as_of: date, talks: tuple[tuple[str, int], ...]
) -> pd.DataFrame:
    histories = {kind: _history(url, code, year, kind, as_of) for kind in PERIOD_KINDS}
    return evaluation.evaluation(campaign(url, code, year), as_of, histories, dict(talks))


@st.cache_data(**CACHE)
def _last_year_curves(url: str, code: str, year: int) -> pd.DataFrame:
    return year_on_year.whole_curves(campaign(url, code, year - 1))


@st.cache_data(**CACHE)
def _same_day(
    url: str, code: str, year: int, as_of: date, township: str | None
) -> SameDayLastYear | None:
    if (last := _last_year_known(url, code, year)) is None:
        return None
    return year_on_year.same_day_last_year(last[0], as_of, township, known=last[1])


@st.cache_data(**CACHE)
def _townships_a_year_before(url: str, code: str, year: int, day: date) -> TownshipsLastYear | None:
    if (last := _last_year_known(url, code, year)) is None:
        return None
    return year_on_year.townships_a_year_before(last[0], day, known=last[1])


def _last_year(url: str, code: str, year: int) -> CampaignData | None:
    """The county's campaign of the year before (state.campaign's cached one), if stored."""
    return campaign(url, code, year - 1) if year - 1 in county_years(url, code) else None


def _last_year_known(url: str, code: str, year: int) -> tuple[CampaignData, pd.DataFrame] | None:
    """_last_year with its whole curves (computed once a year, not once per day or
    township)."""
    previous = _last_year(url, code, year)
    return None if previous is None else (previous, _last_year_curves(url, code, year))


def _key(selection: Selection) -> tuple[str, str, int]:
    policy = selection.data.policy
    return database_url(), policy.code, policy.benefit_year


def ranking_for_date(selection: Selection, kind: PeriodKind) -> figures.Ranking:
    """The ranking of the period of ``kind`` that contains the selected date."""
    return ranking(selection, figures.period_for_date(selection.data, kind, selection.as_of))


def ranking(selection: Selection, period: Period) -> figures.Ranking:
    """The ranking of ``period`` as known on the selected date."""
    return _ranking(*_key(selection), period, selection.as_of)


def county_summary(selection: Selection) -> figures.CountySummary:
    """The county's figures as of the selected date."""
    return _summary(*_key(selection), selection.as_of)


def known_curves(selection: Selection) -> pd.DataFrame:
    """Enrolled per township and day, from the campaign start to the selected date, blank
    between a township's progress reports (figures.known_curves)."""
    return _curves(*_key(selection), selection.as_of)


def forecasts(selection: Selection) -> dict[str, Forecast]:
    """Each township's forecast as of the selected date."""
    return _forecasts(*_key(selection), selection.as_of)


def rank_history(selection: Selection, kind: PeriodKind) -> pd.DataFrame:
    """Rank and completion of every township at the end of each period to the selected date."""
    return _history(*_key(selection), kind, selection.as_of)


def group_coverage(selection: Selection, township: str | None = None) -> pd.DataFrame:
    """Special-group coverage of the county (or of one township) as of the selected date."""
    return _coverage(*_key(selection), selection.as_of, township)


def township_evaluation(selection: Selection, talks: Mapping[str, int]) -> pd.DataFrame:
    """The year's evaluation of every township as of the selected date (evaluation.evaluation),
    with the talks recorded so far (township -> talks: a talk recorded in this run counts)."""
    return _evaluation(*_key(selection), selection.as_of, tuple(sorted(talks.items())))


def system_counts(selection: Selection) -> dict[str, int]:
    """Each township's enrolled in the system on the campaign's last day, beside which the
    verified counts are shown (verified_views.system_counts); the same whatever the date."""
    return _system_counts(*_key(selection))


@st.cache_data(**CACHE)
def _quota_steps(url: str, code: str, year: int) -> list[QuotaStep]:
    return quota_steps(_engine(url), code, year)


def _quota_note(url: str, code: str, year: int, period_end: date) -> str | None:
    return county_quota_sentence(_quota_steps(url, code, year), period_end=period_end)


def quota_note(selection: Selection, period: Period) -> str | None:
    """The quota changes made after ``period`` ended, as a sentence (quota_history.
    county_quota_sentence: 排名 names them, as the bulletin of the period does); None without."""
    return _quota_note(*_key(selection), period.end)


def quota_changes(selection: Selection) -> list[QuotaStep]:
    """The changes of the campaign's official quotas in force (quota_history.quota_steps)."""
    return _quota_steps(*_key(selection))


def same_day_last_year(selection: Selection, township: str | None = None) -> SameDayLastYear | None:
    """The county's (or a township's) previous campaign a year before the selected date
    (上年同期), None where there is none with figures by then."""
    return _same_day(*_key(selection), selection.as_of, township)


def townships_a_year_before(selection: Selection, day: date) -> TownshipsLastYear | None:
    """Each township's completion a year before ``day`` in the county's previous campaign
    (排名's 上年同期), None where there is none with figures by then."""
    return _townships_a_year_before(*_key(selection), day)


def bulletin(selection: Selection, period: Period) -> Bulletin:
    """The bulletin of a period as known on the selected date."""
    return _bulletin(*_key(selection), period, selection.as_of)


@st.cache_data(**CACHE)
def _chart(name: str, args: tuple[Any, ...], options: dict[str, Any]) -> dict[str, Any]:
    build: Callable[..., go.Figure] = getattr(charts, name)
    return build(*args, **options).to_dict()


def chart(name: str, *args: Any, **options: Any) -> dict[str, Any]:
    """The plotly figure that ``dashboard.charts.<name>`` builds from these arguments, as the
    dict Streamlit sends to the browser (built once per distinct arguments)."""
    return _chart(name, args, options)


def clear() -> None:
    """Forget every cached figure and chart (after an import or an undo)."""
    for cached in (
        _ranking,
        _summary,
        _curves,
        _forecasts,
        _history,
        _coverage,
        _bulletin,
        _system_counts,
        _quota_steps,
        _evaluation,
        _same_day,
        _townships_a_year_before,
        _last_year_curves,
        _chart,
    ):
        cached.clear()
