"""Cumulative progress by township: village and whole-township reports combined, never both."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.progress import daily_enrolled, enrolled_as_of

TOWNSHIPS = ["湍东镇", "板场乡", "桃溪镇"]
D = date(2022, 11, 1)


def reports(*rows: tuple[int, str, str, int]) -> pd.DataFrame:
    """(day offset, township, village or "", cumulative enrolled) rows as a progress frame."""
    return pd.DataFrame(
        [(D + timedelta(days=n), t, v, e) for n, t, v, e in rows],
        columns=["date", "township", "village", "enrolled"],
    )


SWITCH = reports(
    (0, "湍东镇", "", 40_000),  # week 1: the township's own figure
    (7, "湍东镇", "东村", 25_000),  # week 2: by village
    (7, "湍东镇", "西村", 20_000),
    (9, "湍东镇", "", 46_000),  # back to the township's own figure
    (14, "湍东镇", "东村", 26_000),  # one village reports again: with 西村's last, 46 000
    (7, "板场乡", "北村", 7),
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (-1, [0, 0, 0]),
        (0, [40_000, 0, 0]),
        (6, [40_000, 0, 0]),
        (7, [45_000, 7, 0]),  # the villages, not 40 000 + 45 000
        (8, [45_000, 7, 0]),
        (9, [46_000, 7, 0]),  # the township's own figure, newer than its villages'
        (14, [46_000, 7, 0]),  # villages again: 26 000 + 20 000
    ],
)
def test_the_latest_level_of_report_counts_never_both(day: int, expected: list[int]) -> None:
    as_of = D + timedelta(days=day)
    assert enrolled_as_of(SWITCH, as_of, TOWNSHIPS).tolist() == expected
    daily = daily_enrolled(
        SWITCH, TOWNSHIPS, start=D - timedelta(days=1), end=D + timedelta(days=20)
    )
    assert daily.loc[as_of].tolist() == expected


def test_a_township_row_on_the_same_day_as_its_villages_is_their_total() -> None:
    same_day = reports(
        (0, "湍东镇", "东村", 500), (0, "湍东镇", "西村", 300), (0, "湍东镇", "", 810)
    )
    assert enrolled_as_of(same_day, D, TOWNSHIPS).tolist() == [810, 0, 0]


def test_township_level_reports_alone_and_without_a_village_column() -> None:
    flat = reports((0, "湍东镇", "", 100), (3, "湍东镇", "", 150), (3, "板场乡", "", 9))
    assert enrolled_as_of(flat, D + timedelta(days=2), TOWNSHIPS).tolist() == [100, 0, 0]
    assert enrolled_as_of(flat.drop(columns="village"), D + timedelta(days=3), TOWNSHIPS).tolist() == [150, 9, 0]  # fmt: skip


REPORT = st.tuples(
    st.integers(0, 20), st.sampled_from(TOWNSHIPS), st.sampled_from(["", "", "东村", "西村"])
)


@settings(max_examples=60)
@given(st.lists(REPORT, max_size=25, unique_by=lambda r: r))
def test_the_daily_curve_agrees_with_the_figure_of_each_day(rows) -> None:
    frame = reports(*[(n, t, v, 10 * n + len(v)) for n, t, v in rows])
    daily = daily_enrolled(frame, TOWNSHIPS, start=D, end=D + timedelta(days=21))
    changes = {D + timedelta(days=n + k) for n, _, _ in rows for k in (-1, 0)} - {D - timedelta(1)}
    for day in sorted(changes | {D, daily.index[-1]}):  # the curve is flat between reports
        assert daily.loc[day].tolist() == enrolled_as_of(frame, day, TOWNSHIPS).tolist()
