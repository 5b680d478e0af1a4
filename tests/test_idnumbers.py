"""Resident ID numbers: generated valid numbers pass; any single changed character fails."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from dashboard.idnumbers import (
    check_digits_match,
    id_problems,
    is_valid_id,
    make_id,
    make_ids,
    mask_id,
    mask_ids,
)

LATEST = date(2024, 6, 30)
births = st.dates(min_value=date(1900, 1, 1), max_value=LATEST)
regions = st.sampled_from(["611026", "411325", "371728", "110101", "440305"])


@given(regions, births, st.integers(0, 999))
def test_generated_numbers_are_valid(region: str, birth: date, sequence: int) -> None:
    assert is_valid_id(make_id(region, birth, sequence), latest_birth=LATEST)


@given(regions, births, st.integers(0, 999), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_changed_character_fails(region, birth, sequence, position, replacement) -> None:
    number = make_id(region, birth, sequence)
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    assert not is_valid_id(changed, latest_birth=LATEST)


def test_reasons_for_a_column() -> None:
    good = make_id("411325", date(1990, 1, 1), 5)
    future = make_id("411325", LATEST + timedelta(days=1), 5)
    ids = pd.Series([good, good[:-1] + ("1" if good[-1] != "1" else "2"), "123", future])
    assert list(id_problems(ids, latest_birth=LATEST)) == [
        None,
        "身份证号校验位错误（GB 11643）",
        "身份证号应为18位（17位数字加1位数字或X）",
        "身份证号中的出生日期不合理",
    ]


def test_a_birth_after_the_latest_that_has_come_to_pass_gets_the_reason_given() -> None:
    late = make_id("411325", LATEST + timedelta(days=1), 5)
    unborn = make_id("411325", LATEST + timedelta(days=3), 5)
    ids = pd.Series([late, unborn])
    born_late = (LATEST + timedelta(days=2), "新生儿")
    assert list(id_problems(ids, latest_birth=LATEST, born_late=born_late)) == [
        "新生儿",
        "身份证号中的出生日期不合理",
    ]


def test_masking() -> None:
    assert mask_id("411325199001011234") == "4113**********1234"
    assert list(mask_ids(pd.Series(["411325199001011234"]))) == ["4113**********1234"]
    assert mask_id("1234") == "****"
    # another document's number shows less of itself than an ID number's 8 of 18
    assert list(mask_ids(pd.Series(["H12345678", "USA110078061001", "12345678"]))) == [
        "H1*****78",
        "USA*********001",
        "********",
    ]


@given(st.lists(st.text("0123456789", min_size=17, max_size=17), min_size=1, max_size=50))
def test_whole_column_check_digits_agree_with_stdnum(bodies: list[str]) -> None:
    right = [b + ric.calc_check_digit(b + "0") for b in bodies]  # it ignores the last digit
    wrong = [b + ("X" if r[-1] != "X" else "0") for b, r in zip(bodies, right, strict=True)]
    assert check_digits_match(pd.Series(right)).all()
    assert not check_digits_match(pd.Series(wrong)).any()


@given(regions, st.lists(st.tuples(births, st.integers(0, 999)), min_size=1, max_size=50))
def test_whole_column_numbers_are_the_one_at_a_time_numbers(region, people) -> None:
    days = np.array([birth for birth, _ in people], dtype="datetime64[D]")
    sequences = np.array([sequence for _, sequence in people])
    expected = [make_id(region, birth, sequence) for birth, sequence in people]
    assert make_ids(region, days, sequences).to_pylist() == expected
