"""Display tables and sentences: figures formatted the way a county user reads them, in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, TypeGuard

import pandas as pd

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData
from dashboard.clock import local_time
from dashboard.evaluation import TIMES_LABELS
from dashboard.figures import CountySummary, Ranking
from dashboard.forecast import PACE_WINDOW_DAYS, Forecast
from dashboard.glossary import (
    BASE_POPULATION,
    COMPLETION,
    COVERAGE,
    DATE,
    DEDUCTION,
    ENROLLED,
    FLAGGED,
    LABELS,
    LAST_YEAR_ENROLLED,
    NET,
    NEW_ENROLLED,
    PERIOD_LABELS,
    PERIODS_FLAGGED,
    QUOTA,
    RANK,
    RANK_CHANGE,
    REWARD,
    ROSTER,
    SIMULATED_LABEL,
    SYSTEM_ENROLLED,
    TIMES_FLAGGED,
    TOTAL_LABEL,
    TOWNSHIP,
    VERIFIED,
    VERIFIED_DIFFERENCE,
    WORK_FUND,
)
from dashboard.periods import PeriodKind, period_label
from dashboard.rates import coverage, points_ahead
from dashboard.settlement import Settlement
from dashboard.year_on_year import SameDayLastYear, TownshipsLastYear
from data_models.policy import CampaignDates, CountyPolicy, SettlementRates

if TYPE_CHECKING:  # bulletin_texts reads the bulletin, which reads these views
    from dashboard.bulletin_texts import SavedNotes
    from dashboard.talks import Talk

FLAG_TEXT = "后三名·未完成"
LAST_YEAR_COMPLETION = "上年同期完成率"  # 排名's columns beside last year's campaign
YEAR_ON_YEAR = "同比（百分点）"
NUMERIC_LABELS = [
    LABELS[c]
    for c in (
        QUOTA,
        ENROLLED,
        NEW_ENROLLED,
        COMPLETION,
        RANK,
        WORK_FUND,
        REWARD,
        DEDUCTION,
        NET,
        ROSTER,
        COVERAGE,
        BASE_POPULATION,
        LAST_YEAR_ENROLLED,
        VERIFIED,
        SYSTEM_ENROLLED,
        VERIFIED_DIFFERENCE,
    )
] + [
    LAST_YEAR_COMPLETION,
    YEAR_ON_YEAR,
    "未参保人数",
    "差额",
    "人数",
    "已参保",
    "资助标准（元/人）",
    "已资助（元）",
    "个人已缴（元）",
    "金额（元）",
    "预计参保人数",
    "正式任务数",
    "测算任务数",
    "导入后任务数",
    "应用后任务数",
    "任务数变化",
    "正式净额（元）",
    "测算净额（元）",
    "净额变化（元）",
    "全县任务数",
    "全县净额（元）",
    "导入行数",
    "已存在未重复计入",
    "有问题未导入",
    "较正式净额变化（元）",
    "乡镇（街道）数",
    "任务数合计",
    # 重复缴费 (repeat_views)
    "笔数",
    "待退费笔数",
    "待退费（元）",
    "已退费笔数",
    "已退费（元）",
    # 资金报解 (remittance_views)
    "收款笔数",
    "收款金额（元）",
    "已存入（元）",
    "未存入（元）",
    "逾期笔数",
    "逾期金额（元）",
    "最长逾期（天）",
    # 年度考核汇总 (evaluation)
    *TIMES_LABELS.values(),
]


def ranking_view(table: pd.DataFrame, last_year: TownshipsLastYear | None = None) -> pd.DataFrame:
    """The ranking as the meeting reads it: rank, change, township, then the rate it is
    ranked by (in sight on a phone, where the table scrolls sideways), enrolled and new in the
    period, quota, gap, flag; with ``last_year`` (the townships' completion on the same day a
    year before), that and the percentage points this year's is ahead of it (上年同期完成率,
    同比, as shown to one decimal: rates.points_ahead), before the flag."""
    view = _ranking_columns(table)
    if last_year is None:
        return view
    then = [last_year.completion.get(t) for t in table[TOWNSHIP]]
    view.insert(len(view.columns) - 1, LAST_YEAR_COMPLETION, [fmt.percent(r) for r in then])
    view.insert(len(view.columns) - 1, YEAR_ON_YEAR, year_on_year_texts(table, last_year))
    return view


def year_on_year_texts(table: pd.DataFrame, last_year: TownshipsLastYear) -> list[str]:
    """A ranking's 同比 column as shown: '+2.0', '-11.8', '—' where there is nothing to set
    beside this year's."""
    ahead = [
        last_year.points_ahead(t, now)
        for t, now in zip(table[TOWNSHIP], table[COMPLETION], strict=True)
    ]
    return [fmt.MISSING if p is None else f"{p:+.1f}" for p in ahead]


def last_year_ranking_note(last_year: TownshipsLastYear) -> str:
    """What the ranking's 上年同期 columns compare (said so that it holds for a table with
    同比 alone, the phone's): '上年同期为2023年度征缴同一天（2022年11月22日，模拟数据）；同比为
    本期完成率高出（+）或低于（-）上年同期完成率的百分点。'"""
    return (
        f"上年同期为{last_year.benefit_year}年度征缴同一天"
        f"（{fmt.day(last_year.day)}{_simulated_mark(last_year)}）；"
        f"同比为本期完成率高出（+）或低于（-）{LAST_YEAR_COMPLETION}的百分点。"
    )


def _ranking_columns(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            LABELS[RANK]: [fmt.count(r) for r in table[RANK]],
            LABELS[RANK_CHANGE]: [fmt.change(c) for c in table[RANK_CHANGE]],
            LABELS[TOWNSHIP]: table[TOWNSHIP],
            LABELS[COMPLETION]: [fmt.percent(r) for r in table[COMPLETION]],
            LABELS[ENROLLED]: [fmt.count(n) for n in table[ENROLLED]],
            LABELS[NEW_ENROLLED]: [fmt.count(n) for n in table[NEW_ENROLLED]],
            LABELS[QUOTA]: [fmt.count(n) for n in table[QUOTA]],
            "差额": [
                fmt.count(max(q - e, 0)) for q, e in zip(table[QUOTA], table[ENROLLED], strict=True)
            ],
            LABELS[FLAGGED]: [FLAG_TEXT if f else "" for f in table[FLAGGED]],
        }
    )


def sources_view(data: CampaignData) -> pd.DataFrame:
    """Per township, where its enrolled figures come from and up to which day; and an
    imported payment list that a progress report outranks (sources.choose_progress)."""
    latest = data.progress.groupby(TOWNSHIP)[DATE].max()
    notes = {
        t: f"另有{label}（至{fmt.short_day(d)}）未采用：同一乡镇以进度报表为准"
        for t, (label, d) in data.passed_over.items()
    }
    return pd.DataFrame(
        {
            LABELS[TOWNSHIP]: data.townships,
            "参保人数来源": [data.sources.get(t, "尚无数据") for t in data.townships],
            "数据截至": [
                fmt.short_day(latest[t]) if t in latest else fmt.MISSING for t in data.townships
            ],
            "说明": [notes.get(t, "") for t in data.townships],
        }
    )


def behind_sentence(behind: Mapping[str, date | None]) -> str:
    """What a ranking says of townships whose progress report is older than the others'
    (Ranking.behind); empty when there are none."""
    if not behind:
        return ""
    shown = "、".join(
        f"{t}（截至{fmt.short_day(d)}）" if d else f"{t}（尚未报送，计0人）"
        for t, d in behind.items()
    )
    return f"以下乡镇本期没有报送进度，按其最近一次报送的数据计入：{shown}。"


def report_sentence(ranked: Ranking) -> str:
    """What a ranking says of the reports it is taken from, where they are not all of its
    period: the townships that did not report while others did (behind_sentence), or that
    nobody reported in it (Ranking.carried); empty otherwise."""
    if ranked.carried is not None:
        return (
            f"本期没有乡镇报送进度，各乡镇按其最近一次报送的数据计入（最近一次为"
            f"{fmt.short_day(ranked.carried)}）。"
        )
    return behind_sentence(ranked.behind)


NO_FIGURES_YET = "尚无参保数据，奖惩在导入第一份进度表或缴费明细后按参保人数测算。"


def unranked_sentence(ranked: Ranking) -> str:
    """What a ranking that ranks no one says (Ranking.unranked): a period before any figure,
    or a quota table of zeros; empty otherwise."""
    if not ranked.unranked:
        return ""
    if ranked.quotaless:
        return "各乡镇任务数均为0，不计完成率，不排名，不标记后三名。"
    return "本期尚无乡镇报送参保数据，不排名，不标记后三名。"  # the date is beside it


def ranking_note(ranked: Ranking, campaign: CampaignDates, as_of: date) -> str:
    """What `rank` says beside its CSV: which period it ranks and on which day's figures, that
    a day after the campaign's end ranks its last period (figures.period_for_date), and the
    period's reports (report_sentence, unranked_sentence)."""
    text = f"排名期：{ranked.period.label}，按截至{fmt.day(ranked.snapshot)}的参保人数排名。"
    if campaign.over_by(as_of):
        text += f"征缴期已于{fmt.day(campaign.end)}结束，此后不再排名，列出的是最后一期。"
    return text + (unranked_sentence(ranked) or report_sentence(ranked))


def own_report_sentence(ranked: Ranking, township: str) -> str:
    """What the township's own page says when it did not report in the ranking's period while
    others did (Ranking.behind), or nobody did (Ranking.carried); empty when it did."""
    if ranked.carried is not None:
        return report_sentence(ranked)
    if township not in ranked.behind:
        return ""
    last = ranked.behind[township]
    carried = f"仍按{fmt.short_day(last)}报送的数据计" if last else "尚无报送，按0人计"
    return f"{township}{ranked.period.label}没有报送进度，{carried}（其他乡镇已报送）。"


def flag_record_view(record: pd.DataFrame, talked: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Each township flagged so far: how many times, and in which periods; with ``talked``
    (township -> talks recorded with it; None where the county records none here), how many
    talks (约谈) were held."""
    view = pd.DataFrame(
        {
            LABELS[TOWNSHIP]: record[TOWNSHIP],
            LABELS[TIMES_FLAGGED]: [f"{n}次" for n in record[TIMES_FLAGGED]],
            LABELS[PERIODS_FLAGGED]: ["、".join(p) for p in record[PERIODS_FLAGGED]],
        }
    )
    if talked is not None:
        view["已约谈"] = [f"{talked.get(t, 0)}次" for t in record[TOWNSHIP]]
    return view


def times_flagged(record: pd.DataFrame, township: str, *, talked: int = 0) -> str:
    """'本年度已2次排名后三名且未完成任务（第1周、第3周）' for a township of a flag_record, with
    '，已约谈1次' where talks were recorded over those rankings (``talked``; none recorded is
    not said: the county may not record them here); '' when it has never been flagged."""
    mine = record[record[TOWNSHIP] == township]
    if mine.empty:
        return ""
    periods = mine.iloc[0][PERIODS_FLAGGED]
    held = f"，已约谈{talked}次" if talked else ""
    return f"本年度已{len(periods)}次排名后三名且未完成任务（{'、'.join(periods)}）{held}"


def settlement_view(settlement: Settlement, ranked: pd.DataFrame) -> pd.DataFrame:
    """Settlement per township in rank order, and the 合计 row."""
    ranks = dict(zip(ranked[TOWNSHIP], ranked[RANK], strict=True))
    rows = []
    for line in (*settlement.lines, settlement.total):
        rate = Fraction(line.enrolled, line.quota) if line.quota else None
        rows.append(
            {
                LABELS[RANK]: fmt.count(ranks.get(line.township))
                if line.township != TOTAL_LABEL
                else "",
                LABELS[TOWNSHIP]: line.township,
                LABELS[QUOTA]: fmt.count(line.quota),
                LABELS[ENROLLED]: fmt.count(line.enrolled),
                LABELS[COMPLETION]: fmt.percent(rate),
                LABELS[WORK_FUND]: fmt.money(line.work_fund),
                LABELS[REWARD]: fmt.money(line.reward),
                LABELS[DEDUCTION]: fmt.money(line.deduction),
                LABELS[NET]: fmt.money(line.net),
            }
        )
    return pd.DataFrame(rows)


def groups_view(groups: pd.DataFrame) -> pd.DataFrame:
    """Special groups: 群体, 名单人数, 参保人数, 未参保人数, 覆盖率."""
    return pd.DataFrame(
        {
            "群体": groups["label"],
            LABELS[ROSTER]: [fmt.count(n) for n in groups[ROSTER]],
            LABELS[ENROLLED]: [fmt.count(n) for n in groups[ENROLLED]],
            "未参保人数": [
                fmt.count(r - e) for r, e in zip(groups[ROSTER], groups[ENROLLED], strict=True)
            ],
            LABELS[COVERAGE]: [fmt.percent(c) for c in groups[COVERAGE]],
        }
    )


def overall_coverage(groups: pd.DataFrame) -> Fraction | None:
    """Coverage over every special group together: all enrolled members / all roster members."""
    return coverage(int(groups[ENROLLED].sum()), int(groups[ROSTER].sum()))


def target_delta(rate: Fraction | None, target: object) -> str | None:
    """'-0.5个百分点（目标100%）': how far a rate is from its target, for a metric's delta."""
    if rate is None:
        return None
    goal = Fraction(str(target))
    return f"{fmt.points(rate - goal)}（目标{fmt.percent(goal, 0)}）"


def forecast_sentence(forecast: Forecast, *, quota: int, as_of: date, campaign_end: date) -> str:
    """One sentence for township staff: done, when it will be done, or how short it will end."""
    pace = fmt.count(round(forecast.pace_per_day))
    if forecast.status == "reached":
        assert forecast.reach_date is not None
        return f"已于{fmt.day(forecast.reach_date)}完成征缴任务。"
    if as_of >= campaign_end:
        done = fmt.percent(Fraction(forecast.projected_end, quota)) if quota else fmt.MISSING
        return f"征缴期已结束，完成任务的{done}，还差{fmt.count(forecast.shortfall)}人。"
    if forecast.status == "not_started":
        return f"尚无参保人数，无从按进度预测；距任务数还差{fmt.count(forecast.shortfall)}人。"
    basis = f"按{pace_window(forecast, as_of=as_of)}日均{pace}人的进度"
    if forecast.status == "on_track":
        assert forecast.reach_date is not None
        return f"{basis}，预计{fmt.day(forecast.reach_date)}完成任务。"
    projected = fmt.percent(Fraction(forecast.projected_end, quota)) if quota else fmt.MISSING
    return (
        f"{basis}，至征缴期结束（{fmt.day(campaign_end)}）预计完成{projected}，"
        f"仍差{fmt.count(forecast.shortfall)}人。"
    )


def pace_window(forecast: Forecast, *, as_of: date) -> str:
    """The days the pace is measured over: '近7天' (person-level data, or weekly reports up
    to the day), '11月15日至11月30日' (between two reports), '征缴开始以来' (early on)."""
    since, until = forecast.pace_from, forecast.pace_to
    if since is None:
        return "征缴开始以来"
    if until == as_of and (until - since).days == PACE_WINDOW_DAYS:
        return f"近{PACE_WINDOW_DAYS}天"
    return f"{fmt.short_day(since)}至{fmt.short_day(until)}"


def forecast_basis(forecast: Forecast, *, as_of: date, campaign_end: date) -> str:
    """The small print under the forecast metric."""
    if forecast.status == "reached":
        return "已完成"
    if as_of >= campaign_end:
        return "征缴期已结束"
    if forecast.status == "not_started":
        return "尚无参保人数"
    return f"按{pace_window(forecast, as_of=as_of)}进度"


def rank_text(rank: int | None, townships: int) -> str:
    """'第3名 / 16' (of the ``townships`` ranked); '未排名' for a township without a rank
    (quota 0, nothing reported yet)."""
    return "未排名" if rank is None else f"第{fmt.count(rank)}名 / {townships}"


def rank_change_note(change: int | None, *, first_period: bool) -> str:
    """'较上周 ▲2', or that this is the first week."""
    return "本周为首周" if first_period else f"较上周 {fmt.change(change)}"


def forecast_value(forecast: Forecast) -> str:
    """The forecast metric: the day the quota is (or will be) reached, or the shortfall."""
    if forecast.reach_date is not None:  # the card is narrow: the year is in the sentence below
        return fmt.short_day(forecast.reach_date)
    return f"差{fmt.count(forecast.shortfall)}人"


def rates_sentence(rates: SettlementRates) -> str:
    """工作经费每人1.5元；超任务每人奖励100元；差额每人扣减100元."""
    return (
        f"工作经费每参保1人{fmt.notice_yuan(rates.work_fund_per_head)}；"
        f"超过任务数部分每人奖励{fmt.notice_yuan(rates.reward_per_head)}；"
        f"未完成差额部分每人扣减{fmt.notice_yuan(rates.deduction_per_head)}。"
    )


def money_sentence(result: Settlement, *, basis: str, most: int = 3) -> str:
    """The money in one sentence for the leaders' overview: what it rests on, the county
    totals, then the townships that lose most (net below zero), e.g.
    '按当前参保人数测算，…；净额为负的乡镇：陆圈镇-193,034.00元、…'."""
    total = result.total
    text = (
        f"{basis}，全县工作经费{fmt.money(total.work_fund)}元，奖励"
        f"{fmt.money(total.reward)}元，扣减{fmt.money(total.deduction)}元，净额"
        f"{fmt.money(total.net)}元"
    )
    losing = sorted((line for line in result.lines if line.net < 0), key=lambda line: line.net)
    if not losing:
        return f"{text}；没有净额为负的乡镇。"
    named = "、".join(f"{line.township}{fmt.money(line.net)}元" for line in losing[:most])
    more = f"等{len(losing)}个" if len(losing) > most else ""
    return f"{text}；净额为负的乡镇：{named}{more}。"


def campaign_caption(policy: CountyPolicy, as_of: date) -> str:
    """'柞水县2024年度城乡居民医保征缴 · 征缴期 2023年9月1日至2023年12月20日 · 数据截至 …'."""
    c = policy.campaign
    return f"{policy.title} · 征缴期{fmt.day(c.start)}至{fmt.day(c.end)} · 数据截至{fmt.day(as_of)}"


def saved_bulletins_view(saved: list[SavedNotes], campaign: CampaignDates) -> pd.DataFrame:
    """The bulletins whose own text was saved, as listed on the 通报 page: which bulletin
    (周排名 第3周（…）), its 文号, 落款, how many paragraphs of 工作要求, who saved it, when."""
    rows = []
    for item in saved:
        notes = item.notes
        rows.append(
            {
                "通报": PERIOD_LABELS[item.kind],
                "期次": _period_label(item.kind, item.period_index, campaign),
                "文号": notes.number or fmt.MISSING,
                "发文单位": notes.issuer or fmt.MISSING,
                "成文日期": fmt.day(notes.issued) if notes.issued else fmt.MISSING,
                "工作要求": f"{len(notes.paragraphs)}段" if notes.paragraphs else fmt.MISSING,
                "保存人": item.saved_by,
                "保存时间": local_time(item.saved_at),
            }
        )
    return pd.DataFrame(rows)


def talks_view(talks: list[Talk], campaign: CampaignDates) -> pd.DataFrame:
    """The talks (约谈) held with flagged townships, the latest first: township, over which
    ranking, the day, the note, who recorded it."""
    return pd.DataFrame(
        [
            {
                LABELS[TOWNSHIP]: talk.township,
                "排名周期": PERIOD_LABELS[talk.kind],
                "期次": _period_label(talk.kind, talk.period_index, campaign),
                "约谈日期": fmt.day(talk.held_on),
                "说明": talk.note or fmt.MISSING,
                "记录人": talk.recorded_by,
            }
            for talk in talks
        ]
    )


def _period_label(kind: PeriodKind, index: int, campaign: CampaignDates) -> str:
    return period_label(kind, index, campaign_start=campaign.start, campaign_end=campaign.end)


def after_campaign_sentence(campaign: CampaignDates, as_of: date) -> str | None:
    """After the campaign's end (in a catch-up period, 柞水's 补缴期): the ranking stops at the
    campaign's last period while the counts go on; None up to the end."""
    if not campaign.over_by(as_of):
        return None
    catch_up = ""
    if campaign.catch_up_start is not None and campaign.catch_up_end is not None:
        catch_up = f"（补缴期{fmt.day(campaign.catch_up_start)}至{fmt.day(campaign.catch_up_end)}）"
    return (
        f"征缴期已于{fmt.day(campaign.end)}结束，排名止于征缴期最后一期；此后{catch_up}的参保"
        "计入总览、乡镇和结算，不再排名。"
    )


def settlement_after_campaign_note(
    campaign: CampaignDates, as_of: date, *, command_line: bool = False
) -> str | None:
    """On 结算 (or from `settle`) after the campaign's end: the figures settled on count the
    later (catch-up) payments too, and how to settle on the campaign's own; None up to the end."""
    if not campaign.over_by(as_of):
        return None
    end = fmt.day(campaign.end)
    how = f"加 --as-of {campaign.end.isoformat()}" if command_line else f"将左侧“数据截至”改为{end}"
    return (
        f"数据截至{fmt.day(as_of)}，在征缴期结束（{end}）之后，参保人数含此后补缴的人员；"
        f"按征缴期末的参保人数结算，请{how}。"
    )


def standings_title(campaign: CampaignDates, as_of: date) -> str:
    """The overview's township bars after the campaign: as of the day, ranked no more."""
    ended = fmt.short_day(campaign.end)
    return f"各乡镇任务完成率（截至{fmt.day(as_of)}；征缴期已于{ended}结束，不再排名）"


def summary_sentence(
    summary: CountySummary, policy: CountyPolicy, *, lately: tuple[int, date] | None = None
) -> str:
    """'全县累计参保140,559人（近7天新增1,234人），完成任务数141,257人的99.5%；9个乡镇中4个已完成
    任务。' (the new ones since a day where given, figures.enrolled_lately: '较11月15日新增'
    where that is not seven days before)."""
    recent = ""
    if lately is not None:
        new, since = lately
        days = (summary.as_of - since).days
        when = f"近{days}天" if days == PACE_WINDOW_DAYS else f"较{fmt.short_day(since)}"
        recent = f"（{when}新增{fmt.count(new)}人）"
    text = (
        f"截至{fmt.day(summary.as_of)}，全县累计参保{fmt.count(summary.enrolled)}人{recent}，"
        f"完成任务数{fmt.count(summary.quota)}人的{fmt.percent(summary.completion)}"
        f"{schedule_note(summary)}；{townships_note(summary)}。"
    )
    if summary.participation is not None:
        target = fmt.percent(policy.targets.participation, 0)
        text += f"参保率{fmt.percent(summary.participation)}（目标{target}）。"
    return text


def _simulated_mark(last: SameDayLastYear | TownshipsLastYear) -> str:
    return f"，{SIMULATED_LABEL}" if last.simulated else ""


def _last_year_done(last: SameDayLastYear) -> str:
    """'，完成当年任务的83.2%' (empty for a quota of 0)."""
    return "" if last.completion is None else f"，完成当年任务的{fmt.percent(last.completion)}"


def same_day_compared(last: SameDayLastYear | None, enrolled: int) -> TypeGuard[SameDayLastYear]:
    """Whether there is a figure to set beside last year's: not where nobody was enrolled
    by that day in either year (a new year's first day against last year's)."""
    return last is not None and (enrolled > 0 or last.enrolled > 0)


def same_day_sentence(
    enrolled: int, completion: Fraction | None, last: SameDayLastYear | None, *, place: str = "全县"
) -> str:
    """'上年同期（2021年11月20日）全县参保136,000人，完成当年任务的96.3%；本年度多参保4,559人，
    完成率高3.2个百分点。' for the county's (or a township's, ``place``) enrolled and completion
    (the gap between the percentages as shown, rates.points_ahead); empty without last
    year's, or where nobody was enrolled by then in either year (same_day_compared)."""
    if not same_day_compared(last, enrolled):
        return ""
    text = (
        f"上年同期（{fmt.day(last.day)}{_simulated_mark(last)}）{place}参保"
        f"{fmt.count(last.enrolled)}人{_last_year_done(last)}"
    )
    more = enrolled - last.enrolled
    if more:
        text += f"；本年度{'多' if more > 0 else '少'}参保{fmt.count(abs(more))}人"
    else:
        text += "；本年度参保人数与之持平"
    if completion is not None and last.completion is not None:
        gap = points_ahead(completion, last.completion)
        text += (
            f"，完成率{'高' if gap > 0 else '低'}{abs(gap):.1f}个百分点" if gap else "，完成率持平"
        )
    return text + "。"


def last_year_kpi(last: SameDayLastYear) -> tuple[str, str, str]:
    """The bulletin's headline row of it: ('上年同期参保人数', '502,818人',
    '2022年11月22日，完成当年任务的83.2%')."""
    note = f"{fmt.day(last.day)}{_last_year_done(last)}{_simulated_mark(last)}"
    return "上年同期参保人数", f"{fmt.count(last.enrolled)}人", note


def last_year_line(last: SameDayLastYear | None) -> tuple[pd.Series, str] | None:
    """Last year's curve for a chart (charts.LastYearLine), with its legend:
    '上年同期（2023年度，模拟数据）'; None without one."""
    if last is None:
        return None
    return last.curve, f"上年同期（{last.benefit_year}年度{_simulated_mark(last)}）"


def schedule_note(summary: CountySummary) -> str:
    """'（序时进度89.1%，超过0.4个百分点）' while the centralised period runs; empty after it
    (the quota itself is then what is due)."""
    gap = schedule_gap(summary.completion, summary.scheduled)
    return f"（{gap}）" if gap else ""


def schedule_gap(completion: Fraction | None, scheduled: Fraction) -> str:
    """'序时进度89.1%，超过0.4个百分点': a completion against the 序时进度 (rates.scheduled_share),
    the gap between the two percentages as shown (89.5 % and 89.1 %: 0.4, not 0.34 read as
    0.3); empty from the centralised end on, on the campaign's first day (nothing is due
    yet: 0.0 %, level, said nothing), or without a completion (a quota of 0)."""
    if scheduled >= 1 or scheduled == 0 or completion is None:
        return ""
    gap = points_ahead(completion, scheduled)
    where = "落后" if gap < 0 else "超过"
    versus = f"{where}{abs(gap):.1f}个百分点" if gap else "与之持平"
    return f"序时进度{fmt.percent(scheduled)}，{versus}"


def townships_note(summary: CountySummary) -> str:
    """'16个乡镇（街道）中3个已完成任务' (均未完成任务 while none has, 均已完成任务 once all have),
    and how many are behind the 序时进度 while it runs."""
    met = summary.townships_met
    which = {0: "均未完成任务", summary.townships: "均已完成任务"}.get(met, f"中{met}个已完成任务")
    text = f"{summary.townships}个乡镇（街道）{which}"
    if summary.scheduled < 1:
        text += f"，{summary.townships_behind}个落后于序时进度"
    return text


def townships_card_note(summary: CountySummary) -> str:
    """The small print of the 完成任务乡镇 card: '8个落后于序时进度' while the centralised period
    runs, '13个未完成' after it, '全部完成' once none is short."""
    if summary.scheduled < 1:
        return f"{summary.townships_behind}个落后于序时进度"
    short = summary.townships - summary.townships_met
    return f"{short}个未完成" if short else "全部完成"


def kpi_view(kpis: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Headline figures as a three-column table."""
    return pd.DataFrame(kpis, columns=["指标", "数值", "说明"])
