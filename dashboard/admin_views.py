"""The administrator's tables: users, failed log-ins, campaigns, a new campaign's preview and a
policy's amendment."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import formatting as fmt
from dashboard.amending import Amendment
from dashboard.audit import readable
from dashboard.auth import ROLES
from dashboard.campaign import CampaignData
from dashboard.clock import local_time
from dashboard.glossary import (
    BASE_POPULATION,
    LABELS,
    LAST_YEAR_ENROLLED,
    POSITION,
    QUOTA,
    TOTAL_LABEL,
    TOWNSHIP,
)
from data_models.tables import LoginAttempt, User


def users_view(rows: list[User], county_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Users without their password hashes; counties by name."""
    names = county_names or {}
    return pd.DataFrame(
        [
            {
                "用户名": u.username,
                "姓名或单位": u.display_name,
                "角色": ROLES.get(u.role, u.role),
                "县": fmt.county(u.county_code, names, none="全部"),
                "乡镇": u.township or "全部",
                "统一身份认证邮箱": u.email or "—",
                "状态": "启用" if u.active else "停用",
                "创建时间": local_time(u.created_at),
            }
            for u in rows
        ],
        columns=[
            "用户名",
            "姓名或单位",
            "角色",
            "县",
            "乡镇",
            "统一身份认证邮箱",
            "状态",
            "创建时间",
        ],
    )


def failed_logins_view(rows: list[LoginAttempt]) -> pd.DataFrame:
    """Failed log-ins: when and which user name (never the password)."""
    return pd.DataFrame(
        [{"时间": local_time(r.at), "用户名": r.username} for r in rows], columns=["时间", "用户名"]
    )


def campaigns_view(campaigns: pd.DataFrame) -> pd.DataFrame:
    """A county's campaigns (``store.campaign_table``) as the 征缴年度 page lists them; the
    first, the newest, is the current one."""
    return pd.DataFrame(
        {
            "征缴年度": [
                f"{y}年度（{'当前' if i == 0 else '往年'}）"
                for i, y in enumerate(campaigns["benefit_year"])
            ],
            "征缴期": [
                f"{fmt.day(s)}至{fmt.day(e)}"
                for s, e in zip(campaigns["start"], campaigns["end"], strict=True)
            ],
            "集中征缴期止": [fmt.day(d) for d in campaigns["centralised_end"]],
            "乡镇（街道）数": [fmt.count(n) for n in campaigns[TOWNSHIP]],
            "任务数合计": [fmt.count(n) for n in campaigns[QUOTA]],
            "政策依据": campaigns["source"],
        }
    )


def opening_preview(data: CampaignData) -> pd.DataFrame:
    """The quotas a campaign about to be opened sets, in the table's order, with the total
    (and the base population and last year's enrolled where known)."""
    quotas = data.quotas.sort_values(POSITION)
    given = [c for c in (BASE_POPULATION, LAST_YEAR_ENROLLED) if quotas[c].notna().any()]
    frame = pd.DataFrame({"乡镇（街道）": [*quotas[TOWNSHIP], TOTAL_LABEL]})
    for column in (QUOTA, *given):
        values = [*quotas[column], quotas[column].sum()]
        frame[LABELS[column]] = ["—" if pd.isna(v) else fmt.count(int(v)) for v in values]
    return frame


def amendment_view(amendment: Amendment) -> pd.DataFrame:
    """What an amendment of a campaign's policy changes: each setting before and after."""
    changed = amendment.changes()
    return pd.DataFrame(
        {
            "项目": list(changed),
            "修改前": [readable(old) for old, _ in changed.values()],
            "修改后": [readable(new) for _, new in changed.values()],
        }
    )
