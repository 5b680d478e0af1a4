"""Long columns: once per distinct value, and membership in a large set."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.distinct import by_unique, is_in


def test_by_unique_calls_once_per_value_and_keeps_the_index() -> None:
    calls: list[str] = []
    column = pd.Series(["东城", "西城", "东城", "东城"], index=[10, 11, 12, 13])
    result = by_unique(column, lambda v: calls.append(v) or len(calls))
    assert calls == ["东城", "西城"]
    assert result.to_dict() == {10: 1, 11: 2, 12: 1, 13: 1}


def test_is_in_against_a_set_a_series_and_nothing() -> None:
    column = pd.Series(["a", "b", None, "c"], index=[5, 6, 7, 8])
    assert is_in(column, {"a", "c"}).to_dict() == {5: True, 6: False, 7: False, 8: True}
    assert is_in(column, pd.Series(["b", "z"])).tolist() == [False, True, False, False]
    assert is_in(column, set()).tolist() == [False] * 4


text = st.text("0123456789X", min_size=1, max_size=4)


@given(st.lists(text, max_size=30), st.sets(text, max_size=30))
def test_is_in_agrees_with_pandas(values: list[str], value_set: set[str]) -> None:
    column = pd.Series(values, dtype="str")
    assert is_in(column, value_set).tolist() == column.isin(value_set).tolist()
