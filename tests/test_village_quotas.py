"""Village quotas a township sets (将征收任务落实到村组): checked, saved with the audit entry,
replaced, and its villages ranked against them on 乡镇."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.audit import entries
from dashboard.figures import village_standings
from dashboard.village_quotas import (
    VillageQuotasRefused,
    checked_village_quotas,
    save_village_quotas,
    village_quotas,
)
from dashboard.village_views import village_quota_sentence, village_standings_view
from data_models.tables import CELL_TEXT, MAX_COUNT

from apptest import start, table


@pytest.mark.parametrize(
    ("rows", "quotas", "problems"),
    [
        ([(" 老马村 ", 100), ("前刘村", 200.0)], {"老马村": 100, "前刘村": 200}, []),
        ([("老马村", 100), ("前刘村", None), ("", pd.NA), (pd.NA, " ")], {"老马村": 100}, []),
        ([("Ａ村", "1,200")], {"A村": 1200}, []),  # full-width folded, as the files' are
        ([("", 100)], {}, ["第1行：有村任务数而没有村（社区）名称"]),
        ([("老马村", 1), ("老马 村", 2)], {"老马村": 1}, ["老马村：村（社区）重复"]),
        ([("村" * (CELL_TEXT + 1), 1)], {}, [f"{'村' * 20}…：村（社区）名称最多{CELL_TEXT}个字"]),
        ([("老马村", -1)], {}, ["老马村：村任务数不能为负数（-1）"]),
        ([("老马村", 10.5)], {}, ["老马村：村任务数为“10.5”，应为非负整数"]),
        (
            [("老马村", MAX_COUNT + 1)],
            {},
            ["老马村：村任务数过大（10,000,001，超过10,000,000）"],
        ),
    ],
)
def test_village_quotas_are_checked(rows, quotas, problems) -> None:
    found, wrong = checked_village_quotas(rows)
    assert (found, wrong) == (quotas, problems)


def test_villages_are_ranked_against_their_quotas() -> None:
    villages = pd.DataFrame({"village": ["甲村", "乙村", "丙村"], "enrolled": [90, 100, 50]})
    quotas = {"甲村": 100, "乙村": 100, "丁村": 10}
    standings = village_standings(villages, quotas)
    assert standings[["village", "quota", "enrolled", "rank"]].values.tolist() == [
        ["乙村", 100, 100, 1],
        ["甲村", 100, 90, 2],
        ["丁村", 10, 0, 3],  # a quota and no one enrolled yet
        ["丙村", None, 50, None],  # no quota: not ranked, last
    ]
    assert village_standings_view(standings).to_dict("records")[-2:] == [
        {"排名": "", "村（社区）": "丙村", "任务数": "未设", "参保人数": "50", "完成率": "—", "差额": ""},
        {
            "排名": "", "村（社区）": "合计", "任务数": "210", "参保人数": "190",
            "完成率": "90.5%", "差额": "20",
        },
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("quotas", "sentence"),
    [
        (
            {"甲村": 300, "乙村": 200},
            "湍东镇为2个村（社区）设了任务数，合计500人，比全镇任务数400人多100人。",
        ),
        ({"甲村": 400}, "湍东镇为1个村（社区）设了任务数，合计400人，与全镇任务数400人相同。"),
        ({"甲村": 100}, "湍东镇为1个村（社区）设了任务数，合计100人，比全镇任务数400人少300人。"),
    ],
)
def test_the_sum_is_said_against_the_townships_quota(quotas, sentence) -> None:
    assert village_quota_sentence(quotas, "湍东镇", 400) == sentence


def test_village_quotas_are_saved_replaced_and_audited(scratch) -> None:
    def save(rows, user="tuandong"):  # type: ignore[no-untyped-def]
        return save_village_quotas(
            scratch, "neixiang", 2023, township="湍东镇", rows=rows, user=user
        )

    assert village_quotas(scratch, "neixiang", 2023, "湍东镇") == {}
    save([("老马村", 3000), ("前刘村", 2500)])
    save([("老马村", 3200), ("新村", 100)], user="clerk")
    assert village_quotas(scratch, "neixiang", 2023, "湍东镇") == {"老马村": 3200, "新村": 100}
    assert village_quotas(scratch, "neixiang", 2023, "板场乡") == {}, "each township its own"
    logged = entries(scratch, action="village_quotas_saved")
    assert [(e.username, e.target) for e in logged] == [
        ("clerk", "湍东镇各村任务数"),
        ("tuandong", "湍东镇各村任务数"),
    ]
    assert logged[1].before is None
    assert logged[0].before == '{"村任务数": {"老马村": 3000, "前刘村": 2500}}'
    with pytest.raises(VillageQuotasRefused) as refused:
        save([("老马村", -1)])
    assert refused.value.problems == ["老马村：村任务数不能为负数（-1）"]
    with pytest.raises(VillageQuotasRefused, match="本年度没有乡镇“营盘镇”"):
        save_village_quotas(
            scratch, "neixiang", 2023, township="营盘镇", rows=[("甲村", 1)], user="admin"
        )
    assert village_quotas(scratch, "neixiang", 2023, "湍东镇") == {"老马村": 3200, "新村": 100}


@pytest.fixture
def tuandong(scratch_url, scratch, monkeypatch) -> AppTest:
    """湍东镇's own staff on its page, in a scratch database."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("township", county="neixiang", township="湍东镇")
    at.switch_page("../pages/township.py").run()
    return at


def enter_quotas(at: AppTest, edited: dict[int, object], added: list[dict[str, object]]) -> str:
    """Type quotas into the village table (row -> quota) and rows added, then save; the first
    village listed."""
    editor = next(e for e in at.data_editor if e.key.startswith("village_quotas_"))
    at.session_state[editor.key] = {
        "edited_rows": {row: {"村任务数": quota} for row, quota in edited.items()},
        "added_rows": added,
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "保存村任务数").click().run()
    return str(editor.value["村（社区）"].iloc[0])


def test_the_township_sets_its_villages_quotas_on_its_page(tuandong: AppTest) -> None:
    at = tuandong
    assert "各村（社区）累计参保人数" in [h.value for h in at.subheader]
    first = enter_quotas(at, {0: 500, 1: 400}, [{"村（社区）": "新建社区", "村任务数": 50}])
    assert not at.exception
    assert "已保存湍东镇3个村（社区）的任务数（已记入审计日志）。" in [s.value for s in at.success]
    assert "各村（社区）任务完成情况" in [h.value for h in at.subheader]
    shown = table(at, "差额").set_index("村（社区）")
    assert shown.loc["新建社区", ["任务数", "参保人数", "完成率", "差额"]].tolist() == [
        "50", "0", "0.0%", "50",
    ]  # fmt: skip
    assert shown.loc["合计", "任务数"] == "950"
    assert shown.loc[first, "任务数"] == "500"
    assert "湍东镇为3个村（社区）设了任务数，合计950人，比全镇任务数62,010人少61,060人。" in (
        " ".join(c.value for c in at.caption)
    )
    # another township sees none of it, and the leader reads it without the form
    other = start("township", county="neixiang", township="板场乡")
    other.switch_page("../pages/township.py").run()
    assert "新建社区" not in " ".join(str(t) for t in [c.value for c in other.caption])
    assert not [t for t in other.table if "新建社区" in t.value.to_string()]
    leader = start("leader", county="neixiang")
    leader.switch_page("../pages/township.py").run()
    leader.selectbox(key="township_neixiang").set_value("湍东镇").run()
    assert "新建社区" in table(leader, "差额")["村（社区）"].tolist()
    assert not [e for e in leader.data_editor if e.key.startswith("village_quotas_")]


def test_quotas_that_cannot_be_saved_say_why_and_change_nothing(tuandong: AppTest, scratch) -> None:
    at = tuandong
    editor = next(e for e in at.data_editor if e.key.startswith("village_quotas_"))
    first = str(editor.value["村（社区）"].iloc[0])
    enter_quotas(at, {0: -5}, [{"村（社区）": first, "村任务数": 10}])
    assert [e.value for e in at.error] == [
        f"村任务数未保存：\n\n- {first}：村（社区）重复\n- {first}：村任务数不能为负数（-5）"
    ]
    assert village_quotas(scratch, "neixiang", 2023, "湍东镇") == {}
