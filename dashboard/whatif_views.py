"""模拟测算 on the page: the editor's table, the scenario against the official figures, saved
scenarios compared, in the words a county user reads."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData
from dashboard.clock import local_time
from dashboard.glossary import (
    BASE_POPULATION,
    ENROLLED,
    FLAGGED,
    LABELS,
    LAST_YEAR_ENROLLED,
    LEFT_FLAGGED,
    QUOTA,
    TOTAL_LABEL,
    TOWNSHIP,
)
from dashboard.scenario_files import ScenarioFile
from dashboard.scenarios import ScenarioData
from dashboard.whatif import Comparison, compare

# The settlement rates edited on the page: the policy's field, label, widget key, step.
RATE_FIELDS = [
    ("work_fund_per_head", "工作经费（元/人）", "rate_fund", 0.5),
    ("reward_per_head", "超任务奖励（元/人）", "rate_reward", 10.0),
    ("deduction_per_head", "差额扣减（元/人）", "rate_deduct", 10.0),
]
EDITOR_COLUMNS = {
    "township": LABELS[TOWNSHIP],
    "official": "正式任务数",
    "quota": "测算任务数",
    "enrolled": "预计参保人数",
}


def editor_frame(
    townships: list[str], official: dict[str, int], quotas: dict[str, int], enrolled: dict[str, int]
) -> pd.DataFrame:
    """The what-if editor's table: township, official quota, scenario quota, expected enrolled."""
    return pd.DataFrame(
        {
            EDITOR_COLUMNS["township"]: townships,
            EDITOR_COLUMNS["official"]: [official[t] for t in townships],
            EDITOR_COLUMNS["quota"]: [quotas[t] for t in townships],
            EDITOR_COLUMNS["enrolled"]: [enrolled[t] for t in townships],
        }
    )


def editor_values(edited: pd.DataFrame, column: str) -> dict[str, object]:
    """One edited column as township -> raw value (validated elsewhere)."""
    return dict(
        zip(edited[EDITOR_COLUMNS["township"]], edited[EDITOR_COLUMNS[column]], strict=True)
    )


def _flag_text(before: object, after: object) -> str:
    if before == after:
        return "是" if after else ""
    return "新进入" if after else LEFT_FLAGGED  # under the header 后三名: narrow


UNRANKED = "不排名"


def _rank_move(before: int | None, after: int | None) -> str:
    """'5', '5→3'; a township of quota 0 has no rate and no rank ('5→不排名')."""
    if before == after:
        return "" if after is None else str(after)
    return f"{UNRANKED if before is None else before}→{UNRANKED if after is None else after}"


def whatif_view(deltas: pd.DataFrame, total: dict[str, object]) -> pd.DataFrame:
    """Per township and the county: official and scenario quota and net, and the changes."""
    rows = [*deltas.to_dict("records"), total]
    return pd.DataFrame(
        [
            {
                LABELS[TOWNSHIP]: r[TOWNSHIP],
                "预计参保人数": fmt.count(r[ENROLLED]),
                "正式任务数": fmt.count(r["quota"]),
                "测算任务数": fmt.count(r["scenario_quota"]),
                "任务数变化": f"{r['quota_change']:+,}" if r["quota_change"] else "–",
                "正式净额（元）": fmt.money(r["net"]),
                "测算净额（元）": fmt.money(r["scenario_net"]),
                "净额变化（元）": fmt.signed_money(r["net_change"]) if r["net_change"] else "–",
                "排名": _rank_move(r["rank"], r["scenario_rank"]),
                "后三名": ""
                if r[FLAGGED] is None
                else _flag_text(r[FLAGGED], r["scenario_flagged"]),
            }
            for r in rows
        ]
    )


def scenarios_view(rows: list[tuple[str, int, Decimal, Decimal, str]]) -> pd.DataFrame:
    """Saved scenarios side by side: name, county quota, county net, change against official."""
    return pd.DataFrame(
        [
            {
                "方案": name,
                "全县任务数": fmt.count(quota),
                "全县净额（元）": fmt.money(net),
                "较正式净额变化（元）": fmt.signed_money(change),
                "保存人/时间": who,
            }
            for name, quota, net, change, who in rows
        ]
    )


def basis_available(data: CampaignData, basis: str) -> bool:
    """True when every township has the figures an allocation basis needs."""
    quotas = data.quotas
    if basis == "base_population":
        return bool(quotas[BASE_POPULATION].notna().all())
    if basis == "last_year_enrolled":
        return bool(quotas[LAST_YEAR_ENROLLED].notna().all())
    if basis == "zhashui":
        return bool(quotas[[BASE_POPULATION, LAST_YEAR_ENROLLED]].notna().all().all())
    return True


def allocation_inputs(data: CampaignData) -> dict[str, list]:
    """The county's figures an allocation needs, in quota-table order."""
    quotas = data.quotas.sort_values("position")
    return {
        "quotas": [int(q) for q in quotas[QUOTA]],
        "base_population": [None if pd.isna(v) else int(v) for v in quotas[BASE_POPULATION]],
        "last_year_enrolled": [None if pd.isna(v) else int(v) for v in quotas[LAST_YEAR_ENROLLED]],
    }


def signed_count(change: int, prefix: str) -> str:
    """'较正式 +2,000' or '较正式 无变化'."""
    return f"{prefix} {change:+,}" if change else f"{prefix} 无变化"


def signed_money(change: Decimal, prefix: str) -> str:
    """'较正式 +200,000.00元' or '较正式 无变化'."""
    return f"{prefix} {fmt.signed_money(change)}元" if change else f"{prefix} 无变化"


def result_cards(result: Comparison) -> list[tuple[str, str, str]]:
    """The KPI cards of a what-if: label, the scenario's county figure, and its change
    against the official one."""
    scenario, official = result.scenario.total, result.official.total
    return [
        (
            "全县任务数",
            fmt.count(scenario.quota),
            signed_count(scenario.quota - official.quota, "较正式"),
        ),
        ("测算净额合计（元）", fmt.money(scenario.net), signed_money(result.net_change, "较正式")),
        (
            "奖励合计（元）",
            fmt.money(scenario.reward),
            signed_money(scenario.reward - official.reward, "较正式"),
        ),
        (
            "扣减合计（元）",
            fmt.money(scenario.deduction),
            signed_money(scenario.deduction - official.deduction, "较正式"),
        ),
    ]


def flag_changes_sentence(deltas: pd.DataFrame) -> str:
    """How many townships the edits move in the ranking, and which they put into or take out
    of the bottom three; that nothing is ranked while no township is expected to enrol anyone."""
    if deltas["rank"].isna().all():
        return "预计参保人数均为0，不排名，不标记后三名。"
    pairs = list(zip(deltas[TOWNSHIP], deltas[FLAGGED], deltas["scenario_flagged"], strict=True))
    added = [t for t, was, will in pairs if will and not was]
    removed = [t for t, was, will in pairs if was and not will]
    moved = sum(a != b for a, b in zip(deltas["rank"], deltas["scenario_rank"], strict=True))
    parts = [f"排名变化的乡镇{moved}个" if moved else "各乡镇排名不变"]
    parts.append(f"新进入后三名：{'、'.join(added)}" if added else "没有乡镇新进入后三名")
    if removed:
        parts.append(f"移出后三名：{'、'.join(removed)}")
    return "；".join(parts) + "。"


def _compared(data: CampaignData, scenario: ScenarioData, enrolled: dict[str, int]) -> Comparison:
    """A saved scenario against the official figures, on its own saved enrolment if it has
    one, else on ``enrolled``."""
    return compare(
        data, quotas=scenario.quotas, rates=scenario.rates, enrolled=scenario.enrolled or enrolled
    )


def scenario_rows(
    data: CampaignData,
    saved: list[ScenarioData],
    enrolled: dict[str, int],
    applied: str | None = None,
) -> list[tuple[str, int, Decimal, Decimal, str]]:
    """Each saved scenario's county quota, county net and change, on the current expected
    enrolment (a scenario with its own saved enrolment uses that). A scenario whose quotas
    are the official ones says so after its name: applied, when ``applied`` (the scenario of
    the application in force) names it; else the same by other means (a quota table)."""
    rows = []
    official = data.quota_by_township
    for scenario in saved:
        result = _compared(data, scenario, enrolled)
        when = local_time(scenario.created_at) if scenario.created_at else ""
        rows.append(
            (
                scenario.name + _in_force(scenario, official, applied),
                result.scenario.total.quota,
                result.scenario.total.net,
                result.net_change,
                f"{scenario.created_by or '—'} {when}",
            )
        )
    return rows


def _in_force(scenario: ScenarioData, official: dict[str, int], applied: str | None) -> str:
    if scenario.quotas != official:
        return ""
    return "（已应用为正式任务数）" if scenario.name == applied else "（与正式任务数相同）"


def scenario_comparison(
    data: CampaignData, chosen: list[ScenarioData], enrolled: dict[str, int]
) -> pd.DataFrame:
    """Net money per township under the official figures and each chosen scenario."""
    official = compare(
        data, quotas=data.quota_by_township, rates=data.policy.settlement, enrolled=enrolled
    )
    frame = pd.DataFrame({LABELS[TOWNSHIP]: [*data.townships, TOTAL_LABEL]})
    frame["正式（元）"] = [
        fmt.money(n) for n in [*official.deltas["net"], official.official.total.net]
    ]
    for scenario in chosen:
        result = _compared(data, scenario, enrolled)
        frame[f"{scenario.name}（元）"] = [
            fmt.money(n) for n in [*result.deltas["scenario_net"], result.scenario.total.net]
        ]
    return frame


def scenario_file_notes(read: ScenarioFile) -> tuple[str, str]:
    """What 从文件载入任务数 says of a file without problems: how many townships it gives and
    the county total once loaded; and the townships it leaves out (empty: none)."""
    passed = (
        f"检查通过：{fmt.count(read.listed)}个乡镇（街道），"
        f"载入后全县任务数合计{fmt.count(sum(read.quotas.values()))}人。"
    )
    if not read.missing:
        return passed, ""
    kept = "、".join(read.left_out)
    return passed, f"文件未列出的{len(read.missing)}个乡镇（街道）沿用正式任务数：{kept}"
