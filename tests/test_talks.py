"""Talks (约谈) with the townships a ranking flagged: recorded, replaced, refused, listed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dashboard.audit import changes, entries
from dashboard.periods import period_of
from dashboard.talks import TalkRefused, record_talk, talks, talks_per_township
from data_models.tables import NOTE_TEXT

from apptest import start, table

CAMPAIGN = {"campaign_start": date(2022, 10, 15), "campaign_end": date(2022, 12, 31)}
WEEK_12 = period_of("week", date(2022, 12, 31), **CAMPAIGN)
WEEK_11 = period_of("week", date(2022, 12, 24), **CAMPAIGN)
HALF = period_of("half-month", date(2022, 12, 31), **CAMPAIGN)


def test_a_talk_is_recorded_replaced_and_listed_latest_first(scratch) -> None:
    def talk(township, period, day, note="") -> None:
        record_talk(
            scratch, "neixiang", 2023, township=township, period=period, held_on=day,
            note=note, user="supervisor",
        )  # fmt: skip

    assert talks(scratch, "neixiang", 2023) == []
    talk("马山口镇", WEEK_11, date(2022, 12, 31), " 副县长约谈乡镇党委书记 ")
    talk("瓦亭镇", WEEK_12, date(2023, 1, 3))
    talk("马山口镇", HALF, date(2023, 1, 4))
    talk("马山口镇", WEEK_11, date(2023, 1, 2), "改期")  # the same talk: replaced
    listed = talks(scratch, "neixiang", 2023)
    assert [(t.township, t.kind, t.period_index, t.held_on, t.note) for t in listed] == [
        ("马山口镇", "half-month", HALF.index, date(2023, 1, 4), ""),
        ("瓦亭镇", "week", 12, date(2023, 1, 3), ""),
        ("马山口镇", "week", 11, date(2023, 1, 2), "改期"),
    ]
    assert {t.recorded_by for t in listed} == {"supervisor"}
    assert talks_per_township(listed, "week") == {"瓦亭镇": 1, "马山口镇": 1}
    assert talks_per_township(listed, "half-month") == {"马山口镇": 1}
    assert [t.township for t in talks(scratch, "neixiang", 2023, township="瓦亭镇")] == ["瓦亭镇"]
    logged = entries(scratch, action="talk_recorded")
    assert [(e.username, e.target) for e in logged] == [
        ("supervisor", "马山口镇（周排名 第11周（12月24日–12月30日））"),
        ("supervisor", "马山口镇（半月通报 2022年12月下半月）"),
        ("supervisor", "瓦亭镇（周排名 第12周（12月31日））"),
        ("supervisor", "马山口镇（周排名 第11周（12月24日–12月30日））"),
    ]
    assert changes(json.loads(logged[0].before or ""), json.loads(logged[0].after or "")) == (
        "约谈日期：2022-12-31 → 2023-01-02；说明：副县长约谈乡镇党委书记 → 改期"
    )
    assert logged[-1].before is None


@pytest.mark.parametrize(
    ("township", "day", "note", "reason"),
    [
        ("营盘镇", date(2023, 1, 3), "", "本年度没有乡镇“营盘镇”"),
        ("瓦亭镇", date(2022, 12, 30), "", "约谈日期2022-12-30早于第12周（12月31日）的开始"),
        ("瓦亭镇", date(2023, 1, 3), "谈" * (NOTE_TEXT + 1), f"说明最多{NOTE_TEXT}个字"),
        ("瓦亭镇", date(2099, 1, 3), "", "约谈日期2099-01-03晚于今天（20"),
    ],
)
def test_a_talk_that_cannot_be_recorded_is_refused(scratch, township, day, note, reason) -> None:
    with pytest.raises(TalkRefused, match=reason):
        record_talk(
            scratch, "neixiang", 2023, township=township, period=WEEK_12, held_on=day,
            note=note, user="supervisor",
        )  # fmt: skip
    assert talks(scratch, "neixiang", 2023) == []


def test_the_ranking_page_records_a_talk_and_counts_it_beside_the_flags(
    scratch_url, scratch, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/ranking.py").run()  # 第12周（12月31日）: 瓦亭镇, 马山口镇, 七里坪乡
    key = "talk_neixiang_2023_week_12"
    assert at.selectbox(key=f"{key}_township").options == ["瓦亭镇", "马山口镇", "七里坪乡"]
    assert "尚无约谈记录。" in [c.value for c in at.caption]
    at.selectbox(key=f"{key}_township").set_value("马山口镇")
    at.date_input(key=f"{key}_day").set_value(date(2023, 1, 3))
    at.text_input(key=f"{key}_note").input("副县长约谈乡镇党委书记")
    next(b for b in at.button if b.label == "记录约谈").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["后三名且未完成任务：瓦亭镇、马山口镇、七里坪乡"]
    assert table(at, "约谈日期").to_dict("records") == [
        {
            "乡镇（街道）": "马山口镇",
            "排名周期": "周排名",
            "期次": "第12周（12月31日）",
            "约谈日期": "2023年1月3日",
            "说明": "副县长约谈乡镇党委书记",
            "记录人": "supervisor",
        }
    ]
    flags = table(at, "已约谈").set_index("乡镇（街道）")["已约谈"]
    assert flags["马山口镇"] == "1次" and flags["七里坪乡"] == "0次"
    leader = start("leader", county="neixiang")
    leader.switch_page("../pages/ranking.py").run()
    assert not [b for b in leader.button if b.label == "记录约谈"], "the office records talks"
    assert list(table(leader, "约谈日期")["乡镇（街道）"]) == ["马山口镇"]


def test_the_township_page_says_how_many_talks_were_held(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    record_talk(
        scratch, "neixiang", 2023, township="湍东镇", period=WEEK_11, held_on=date(2022, 12, 31),
        note="", user="supervisor",
    )  # fmt: skip
    at = start("township", county="neixiang", township="湍东镇")
    at.switch_page("../pages/township.py").run()
    assert "湍东镇本年度已4次排名后三名且未完成任务（第1周、第2周、第3周、第4周），已约谈1次。" in [
        w.value for w in at.warning
    ]
