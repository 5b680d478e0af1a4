"""Simulated persons (模拟数据): special-group rosters and payment lists, from a fixed seed.

Nothing here is a real person: names are drawn from common characters, ID numbers are made
valid (county region code, plausible birth date, GB 11643 check digit) so that they pass
the same checks as real files. Rosters follow a quota table's group counts; the members'
payment dates follow the simulated group progress, so the figures agree with it exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.glossary import (
    AMOUNT,
    CHANNEL,
    DATE,
    ENROLLED,
    GROUP,
    ID_NUMBER,
    NAME,
    PAID_ON,
    RECOGNISED_ON,
    ROSTER,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.idnumbers import make_ids
from dashboard.simulate import SEED, county_seed
from data_models.policy import CountyPolicy

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰玉文辉建国红霞志鹏飞燕梅春生海波宁林琴云凤丹亮成玲莉斌福荣翠萍"
)
VILLAGE_PARTS = list("东西南北上下前后大小新老石河沟湾坪岭川坝营庄寨岔梁")
VILLAGE_WORDS = list("家王李张刘陈杨黄赵吴周马朱胡郭何高林柳桃杏松柏槐枣")
CHANNELS = ["微信", "支付宝", "银行柜台", "村级代收", "自助办税机"]
REGION_CODES = {"zhashui": "611026", "neixiang": "411325", "dongming": "371728"}
CHILD_GROUPS = {"orphan"}
# Birth dates drawn from [first, last): children of the child groups, other roster members.
CHILD_BIRTHS = (date(2006, 1, 1), date(2020, 12, 31))
ADULT_BIRTHS = (date(1935, 1, 1), date(2004, 12, 31))
PAYER_BIRTHS = (date(1930, 1, 1), date(2023, 6, 30))
# Sequence codes: the sample rosters' from 500 up, so that the lists a user or a test builds
# with low ones (and ``simulate_payment_list``'s) never meet a simulated member's ID number.
ROSTER_CODES = range(500, 1000)
PAYER_CODES = range(0, 500)  # 500 a birth day: payment lists of up to ~17 M persons
LATE_SHARE = 0.02  # members recognised after the centralised period, where that costs the subsidy


def person_names(rng: np.random.Generator, n: int) -> pa.Array:
    """Plausible Chinese names (simulated): a surname and one or two given characters."""
    surnames = pa.array(SURNAMES).take(rng.choice(len(SURNAMES), n))
    given = pa.array(GIVEN)
    first = given.take(rng.choice(len(GIVEN), n))
    second = given.take(rng.choice(len(GIVEN), n))
    single = rng.random(n) < 0.3
    second = pc.if_else(pa.array(single), "", second)
    return pc.binary_join_element_wise(surnames, first, second, "")


def villages(rng: np.random.Generator, count: int) -> list[str]:
    """Plausible village names for a township (simulated)."""
    names: list[str] = []
    while len(names) < count:
        kind = rng.choice(["村", "社区"], p=[0.85, 0.15])
        name = f"{rng.choice(VILLAGE_PARTS)}{rng.choice(VILLAGE_WORDS)}{kind}"
        if name not in names:
            names.append(name)
    return names


def unique_ids(region: str, births: np.ndarray, rng: np.random.Generator, codes: range) -> pa.Array:
    """Valid, distinct ID numbers for people born on the given days (datetime64[D]), with
    sequence codes from ``codes``. The codes (and so the sex digit and the last four characters
    a masked number shows) vary as real ones do: each birth date starts at a random code and
    counts up, wrapping round within ``codes``; more people on one day than there are codes
    is refused rather than repeated."""
    days, day_of, per_day = np.unique(births, return_inverse=True, return_counts=True)
    if len(per_day) and per_day.max() > len(codes):
        raise ValueError(f"{per_day.max()} people born on one day, only {len(codes)} codes")
    start = rng.integers(0, len(codes), len(days))[day_of]
    order = pd.Series(births).groupby(births).cumcount().to_numpy()
    return make_ids(region, births, codes.start + (start + order) % len(codes))


def _births(rng: np.random.Generator, n: int, first: date, last: date) -> np.ndarray:
    """Birth dates (datetime64[D]) drawn evenly from ``first`` up to the day before ``last``."""
    return np.datetime64(first, "D") + rng.integers(0, (last - first).days, n)


def simulate_roster_and_payments(
    policy: CountyPolicy,
    group_quotas: pd.DataFrame,
    group_progress: pd.DataFrame,
    *,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Roster members for every (township, group) count, and their payments.

    Returns (roster, payments): roster columns id_number, name, township, village, group,
    recognised_on; payments id_number, name, township, village, paid_on, amount_fen,
    channel. Each day's new payers per township and group equal the increase of the
    group progress that day. Every ID number is unique. Members are recognised before the
    campaign; where the county denies a subsidy to those recognised after the centralised
    period (Neixiang), a few (``LATE_SHARE``) are, and pay the full contribution.
    """
    rng = np.random.default_rng(county_seed(policy.code, seed) + 1)
    region = REGION_CODES.get(policy.code, "110101")
    recognised = date(policy.campaign.start.year, 8, 31)
    late_days = (policy.campaign.end - policy.campaign.centralised_end).days
    late_share = LATE_SHARE if policy.recognised_by_centralised_end and late_days else 0.0
    subsidy = {g.code: g.subsidy for g in policy.groups}
    standard = int(policy.contribution_standard * 100)
    groups = group_quotas[group_quotas[ROSTER] > 0]
    sizes = [int(n) for n in groups[ROSTER]]
    births = np.concatenate(
        [
            _births(rng, n, *(CHILD_BIRTHS if code in CHILD_GROUPS else ADULT_BIRTHS))
            for code, n in zip(groups[GROUP], sizes, strict=True)
        ]
        or [np.array([], "datetime64[D]")]
    )
    id_rng = np.random.default_rng(county_seed(policy.code, seed) + 3)
    all_ids = unique_ids(region, births, id_rng, ROSTER_CODES)
    all_ids = all_ids.to_numpy(zero_copy_only=False)
    starts = np.cumsum([0, *sizes])[:-1]
    village_names = {
        t: villages(rng, int(rng.integers(6, 15))) for t in group_quotas[TOWNSHIP].unique()
    }
    roster_parts, payment_parts = [], []
    for (township, code), size, start in zip(
        groups[[TOWNSHIP, GROUP]].itertuples(index=False), sizes, starts, strict=True
    ):
        late = rng.random(size) < late_share if late_share else np.zeros(size, dtype=bool)
        members = pd.DataFrame(
            {
                ID_NUMBER: all_ids[start : start + size],
                NAME: person_names(rng, size).to_numpy(zero_copy_only=False),
                TOWNSHIP: township,
                VILLAGE: rng.choice(village_names[township], size),
                GROUP: code,
                RECOGNISED_ON: recognised,
            }
        )
        if late.any():
            members.loc[late, RECOGNISED_ON] = [
                policy.campaign.centralised_end + timedelta(int(d))
                for d in rng.integers(1, late_days + 1, int(late.sum()))
            ]
        roster_parts.append(members)
        mine = group_progress[
            (group_progress[TOWNSHIP] == township) & (group_progress[GROUP] == code)
        ]
        cumulative = mine.sort_values(DATE).set_index(DATE)[ENROLLED]
        daily = cumulative.diff().fillna(cumulative.iloc[0] if len(cumulative) else 0).astype(int)
        days = np.repeat(daily.index.to_numpy(), daily.to_numpy())
        chosen = rng.permutation(size)[: len(days)]
        payers = members.iloc[chosen]
        fen = int(
            max(policy.contribution_standard - subsidy.get(code, Decimal(0)), Decimal(0)) * 100
        )
        amounts = np.where(late[chosen], standard, fen)
        paying = rng.choice(CHANNELS, len(days)) if amounts.any() else amounts
        payment_parts.append(
            pd.DataFrame(
                {
                    ID_NUMBER: payers[ID_NUMBER].to_numpy(),
                    NAME: payers[NAME].to_numpy(),
                    TOWNSHIP: township,
                    VILLAGE: payers[VILLAGE].to_numpy(),
                    PAID_ON: days,
                    AMOUNT: amounts,
                    CHANNEL: np.where(amounts == 0, "全额资助", paying),
                }
            )
        )
    roster = pd.concat(roster_parts, ignore_index=True) if roster_parts else pd.DataFrame()
    payments = pd.concat(payment_parts, ignore_index=True) if payment_parts else pd.DataFrame()
    return roster, payments


def simulate_payment_list(
    policy: CountyPolicy, quotas: pd.DataFrame, rows: int, *, seed: int = SEED
) -> pd.DataFrame:
    """A county-wide payment list of ``rows`` distinct persons, spread over townships by
    quota and over the campaign's days (for benchmarks and import demos). Built a column at a
    time in numpy and pyarrow, with no Python object per row: 10 M rows take ~25 s and
    2.6 GiB (a loop over rows took 270 s and 6.2 GiB)."""
    rng = np.random.default_rng(county_seed(policy.code, seed) + 2)
    region = REGION_CODES.get(policy.code, "110101")
    share = quotas["quota"].to_numpy() / quotas["quota"].sum()
    township_names = pa.array(quotas[TOWNSHIP].tolist())
    townships = rng.choice(len(township_names), rows, p=share)
    start = policy.campaign.start
    span = (policy.campaign.centralised_end - start).days + 1
    offsets = np.clip(rng.normal(span * 0.5, span * 0.22, rows).astype(int), 0, span - 1)
    births = _births(rng, rows, *PAYER_BIRTHS)
    # Twelve villages a township; the i-th row lives in village i mod 12 of its township.
    village_names = pa.array([v for _ in range(len(township_names)) for v in villages(rng, 12)])
    days = pa.array([(start + timedelta(d)).isoformat() for d in range(span)])
    columns = {
        "身份证号": unique_ids(region, births, rng, PAYER_CODES),
        "姓名": person_names(rng, rows),
        "乡镇": township_names.take(townships),
        "村（社区）": village_names.take(townships * 12 + np.arange(rows) % 12),
        "缴费日期": days.take(offsets),
        "缴费金额": pa.array([str(policy.contribution_standard)]).take(np.zeros(rows, int)),
        "缴费渠道": pa.array(CHANNELS).take(rng.choice(len(CHANNELS), rows)),
    }
    return pa.table(columns).to_pandas()
