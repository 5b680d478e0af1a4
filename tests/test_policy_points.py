"""The 征缴政策要点 panel: each county's rules in the words of its notice."""

from __future__ import annotations

from dashboard.policy_points import policy_points
from dashboard.samples import sample_policy

from apptest import start


def test_neixiang_in_full() -> None:
    assert policy_points(sample_policy("neixiang")) == [
        ("个人缴费标准", "2023年度每人350元"),
        ("征缴时间", "2022年10月15日至2022年12月31日，其中集中征缴至2022年11月30日"),
        (
            "参保资助（每人一种，就高不重复）",
            "特困人员救助供养对象350元（全额）、城乡最低生活保障对象80元、监测对象80元、"
            "一般脱贫户80元；受资助人员个人缴纳标准与资助之差",
        ),
        ("资助条件", "集中征缴期结束后认定的人员当年不享受资助"),
        ("新生儿", "出生后90天内参保缴费的，自出生之日起享受当年待遇"),
        (
            "重复参保",
            "一人只计一次参保：同一时期有两条以上正常参保记录的，按职工医保、大学生、常住地的"
            "顺序享受待遇，重复缴费按规定办理退费",
        ),
        (
            "“双限”报解",
            "村（社区）征缴经办人员收取的保费，5天内或累计满10,000元即须存入乡镇财政所账户，"
            "以先满足者为准",
        ),
        ("缴费信息公示", "征缴期结束后以村（社区）为单位张榜公示，不少于5个工作日"),
        ("目标", "任务完成率100%；参保率98%；特殊群体参保率100%"),
    ]


def test_zhashui_fiscal_sources_catch_up_and_its_subsidy_condition() -> None:
    points = dict(policy_points(sample_policy("zhashui")))
    assert points["财政补助"] == (
        "每人640元（中央财政512元、省级财政64元、市级财政12.8元、县级财政51.2元）"
    )
    assert points["征缴时间"] == "2023年9月1日至2023年12月20日；补缴期2024年1月1日至2024年6月30日"
    assert points["资助条件"] == "在集中征缴期内缴费的才享受资助"
    # 脱贫 and 低保边缘 are tracked to 100 % but get no subsidy: not listed as subsidised
    assert "建档立卡" not in points["参保资助（每人一种，就高不重复）"]
    assert "“双限”报解" not in points


def test_dongming_partial_subsidy_as_a_share() -> None:
    points = dict(policy_points(sample_policy("dongming")))
    assert points["参保资助（每人一种，就高不重复）"] == (
        "特困人员380元（全额）、低保对象114元（30%）、致贫返贫人员114元（30%）；"
        "受资助人员个人缴纳标准与资助之差"
    )
    assert points["新生儿"] == (
        "出生后180天内参保缴费的，自出生之日起享受当年待遇；365天内参保缴费的，自缴费次月起享受待遇"
    )
    assert "资助条件" not in points


def test_the_overview_shows_the_points(app_env) -> None:
    at = start("leader", county="neixiang")
    [panel] = [e for e in at.expander if e.label.startswith("征缴政策要点")]
    assert panel.label == "征缴政策要点（依据：内乡县2023年度城乡居民基本医疗保险征缴方案）"
    text = panel.markdown[0].value
    assert "- **“双限”报解**：村（社区）征缴经办人员收取的保费，5天内" in text
    assert text.count("\n- ") == 8
