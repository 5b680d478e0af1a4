"""Work once per distinct value of a long column (a township column of 700 000 rows has a
dozen values, a date column a few dozen) and spread the results back over the rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd


def by_unique(values: pd.Series, convert: Callable[[Any], object]) -> pd.Series:
    """``convert`` applied once per distinct value, as an object column aligned with ``values``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = pd.Series([convert(u) for u in uniques], dtype=object)
    return pd.Series(results.to_numpy()[codes], index=values.index, dtype=object)
