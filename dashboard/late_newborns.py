"""Newborns paid for after the campaign, or on a roster though born after it: not a date or
an ID number out of the campaign, and not counted in it.

A newborn may be enrolled at any time within a number of days of birth (90 in Zhashui and
Neixiang, six months to a year in Dongming), covered from birth, so a payment list exported
after the campaign ended holds their payments, dated after its last day. Such a row — its ID
number's birth date within the county's newborn window before the payment date — is left out
of the list with a note, as rows of another benefit year are (``dashboard.cancelled``): the
campaign's figures end on its last day. Any other payment dated after it is still a problem
of its row. A roster exported later (民政's list of the next spring) may hold a baby born after
the campaign: left out the same way, not counted among those the campaign had to enrol.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.cancelled import rows_where
from dashboard.glossary import ID_NUMBER, PAID_ON
from dashboard.idnumbers import is_valid_id, normalise_ids
from dashboard.layout import Layout
from data_models.policy import CountyPolicy


def newborn_window(policy: CountyPolicy) -> int:
    """The most days after birth a newborn of the county may be paid for (covered from birth,
    or, where the county has a later window, from the month after paying)."""
    return policy.newborn_late_days or policy.newborn_days


def late_newborns(
    layout: Layout,
    body: pd.DataFrame,
    read_day: Callable[[str], date | None],
    policy: CountyPolicy,
) -> tuple[pd.Series, list[str]]:
    """The rows of a payment list's ``body`` that pay for a newborn after the campaign's last
    day, within the county's window (``read_day``: a date cell's day, None where unreadable),
    and the note that says so (none where there are none)."""
    last, window = policy.campaign.last_day, newborn_window(policy)
    codes, dates = pd.factorize(layout.text(body, PAID_ON), use_na_sentinel=False)
    days = [read_day(t) for t in dates]  # each distinct date read once
    after = np.array([_after(day, last) for day in days], dtype=bool)
    found = pd.Series(False, index=body.index)
    if not after.any():  # the usual list: its distinct dates looked at, nothing more
        return found, []
    late = after[codes]
    ids = normalise_ids(layout.text(body[late], ID_NUMBER))
    found[late] = [
        _newborn(str(number), days[code], window)
        for number, code in zip(ids, codes[late], strict=True)
    ]
    return _noted(
        layout,
        found,
        f"是征缴期结束（{last}）后为出生{window}天内的新生儿缴费："
        "新生儿出生后随时参保，不计入本次征缴，未导入",
        "行",
    )


def _noted(layout: Layout, found: pd.Series, said: str, unit: str) -> tuple[pd.Series, list[str]]:
    """The rows ``found`` and the note that says how many and where (none where none are)."""
    if not found.any():
        return found, []
    rows = found.index[found.to_numpy()]
    return found, [f"{len(rows)}{unit}{said}：{rows_where(layout, rows)}"]


def _after(day: date | None, last: date) -> bool:
    return day is not None and day > last


def _newborn(number: str, paid: date | None, window: int) -> bool:
    """Whether a well-formed ID number's holder was born within the window before ``paid``."""
    if paid is None or not is_valid_id(number, latest_birth=paid):
        return False
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return 0 <= (paid - born).days <= window


def born_after(
    layout: Layout, body: pd.DataFrame, policy: CountyPolicy, today: date
) -> tuple[pd.Series, list[str]]:
    """The rows of a roster's ``body`` whose ID number gives a birth after the campaign's
    last day, by ``today`` (a birth still to come is a wrong number, a problem of its row),
    and the note that says so (none where there are none)."""
    last = policy.campaign.last_day
    text = layout.text(body, ID_NUMBER)
    found = pd.Series(_maybe_after(text, last), index=body.index)
    if not found.any():
        return found, []
    ids = normalise_ids(text[found])
    found[found] = [
        is_valid_id(str(n), latest_birth=today) and str(n)[6:14] > f"{last:%Y%m%d}" for n in ids
    ]
    return _noted(
        layout,
        found,
        f"身份证号中的出生日期在征缴期结束（{last}）之后：征缴期后出生的新生儿"
        "不在本次征缴的名单内，未导入",
        "人",
    )


def _maybe_after(text: pd.Series, last: date) -> np.ndarray:
    """The cells that may hold an ID number of a birth after ``last``: its digits compared as
    text (in arrow: 70 ms for a million, where normalising them all takes 530), and any that
    does not begin with a digit (kept as text by ' or ="…"); the few normalised and checked."""
    cells = pc.utf8_trim_whitespace(pa.array(text, pa.string(), from_pandas=True))
    after = pc.greater(pc.utf8_slice_codeunits(cells, 6, 14), f"{last:%Y%m%d}")
    odd = pc.invert(pc.utf8_is_decimal(pc.utf8_slice_codeunits(cells, 0, 1)))
    return pc.fill_null(pc.or_(after, odd), False).to_numpy(zero_copy_only=False)
