"""How old the newest figures are against today, while a campaign runs or once it has ended."""

from __future__ import annotations

from datetime import date

from dashboard import formatting as fmt
from data_models.policy import CampaignDates

# 一周一排名: a running campaign's figures come in at least weekly; older ones are said to be old.
REPORT_RHYTHM_DAYS = 7


def data_age_sentence(campaign: CampaignDates, latest: date | None, today: date) -> str:
    """What the newest figures (of ``latest``) are not, seen on ``today``; empty when they are
    as new as the campaign asks.

    While the campaign runs, figures more than REPORT_RHYTHM_DAYS old are not today's progress
    (the weekly ranking, the forecast and the settlement read them as they are). Once it has
    ended, figures from before its last day are not the final count the settlement is made on.
    Empty before the first figure (the pages say so otherwise) and once a figure of its last
    day or later is in."""
    if latest is None or latest >= campaign.end:
        return ""
    newest = fmt.short_day(latest)
    if today > campaign.end:
        return (
            f"征缴期已于{fmt.day(campaign.end)}结束，最新数据截至{fmt.day(latest)}，"
            f"征缴期末的数据尚未导入：人数、排名和结算都按{newest}的数据计，不是最终结果。"
        )
    age = (today - latest).days
    if age <= REPORT_RHYTHM_DAYS:
        return ""
    return (
        f"最新数据截至{newest}，已有{age}天没有导入新的进度或缴费明细：人数、排名、预测和结算"
        f"都按{newest}的数据计，不是今天的进度。"
    )
