"""The meeting bulletin (通报): weekly ranking, half-month bulletin or monthly evaluation.

One ``Bulletin`` holds every figure and sentence; the xlsx, PDF and PNG files are drawn from
it, so the three always agree with each other and with the pages (same figures functions).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData
from dashboard.drawing import completion_chart
from dashboard.figures import (
    CountySummary,
    Ranking,
    county_summary,
    flag_record,
    rank_history,
    ranking,
    settlement,
)
from dashboard.glossary import (
    COVERAGE,
    ENROLLED,
    NEW_ENROLLED,
    PERIOD_LABELS,
    ROSTER,
    TIMES_FLAGGED,
    TOWNSHIP,
)
from dashboard.periods import Period
from dashboard.settlement import Settlement
from dashboard.views import (
    NO_FIGURES_YET,
    groups_view,
    last_year_kpi,
    last_year_ranking_note,
    ranking_view,
    report_sentence,
    same_day_compared,
    same_day_sentence,
    schedule_note,
    settlement_view,
    townships_note,
    unranked_sentence,
    year_on_year_texts,
)
from dashboard.year_on_year import (
    SameDayLastYear,
    TownshipsLastYear,
    same_day_last_year,
    townships_a_year_before,
    whole_curves,
)
from data_models.policy import CountyPolicy
from data_models.tables import REMARKS_TEXT, SHORT_TEXT

NET_CHART_TITLE = "各乡镇结算净额（元）"
REMARKS_HEADING = "工作要求"
PARAGRAPH_INDENT = "\u3000\u3000"  # a Chinese paragraph's first line stands in two characters
# the most a bulletin's own text may hold (the page's fields, the CLI's options, the database)
NUMBER_CHARS, ISSUER_CHARS, REMARKS_CHARS = SHORT_TEXT, SHORT_TEXT, REMARKS_TEXT


@dataclass(frozen=True)
class BulletinNotes:
    """What the supervision office adds to a bulletin before it goes out, all optional: the
    document number (文号: 内效通〔2022〕15号) under the title, its work requirements (工作要求,
    one paragraph per line) as the last section, and the sign-off (落款: the issuing office
    and the date) at the end."""

    number: str = ""
    remarks: str = ""
    issuer: str = ""
    issued: date | None = None

    @classmethod
    def written(cls, *, number: str, remarks: str, issuer: str, issued: date) -> BulletinNotes:
        """The text as typed in a form or given as options: number and issuer without spaces
        around them, the date kept only with an issuer to sign it."""
        issuer = issuer.strip()
        return cls(number.strip(), remarks, issuer, issued if issuer else None)

    @property
    def paragraphs(self) -> list[str]:
        """The work requirements' paragraphs, blank lines and surrounding spaces dropped."""
        return [line.strip() for line in self.remarks.splitlines() if line.strip()]

    @property
    def sign_off(self) -> list[str]:
        """The sign-off's lines: the issuing office, then the date (2022年11月16日)."""
        issued = fmt.day(self.issued) if self.issued is not None else ""
        return [line for line in (self.issuer.strip(), issued) if line]


@dataclass(frozen=True)
class Bulletin:
    """Everything a bulletin shows, for one county, period and as-of date."""

    policy: CountyPolicy
    period: Period
    ranking: Ranking
    summary: CountySummary
    previous: CountySummary | None
    settlement: Settlement
    ranked: pd.DataFrame
    simulated: bool
    flag_record: pd.DataFrame  # figures.flag_record over this kind's periods up to this one
    notes: BulletinNotes = BulletinNotes()
    last_year: SameDayLastYear | None = None  # the county a year before the snapshot
    townships_last_year: TownshipsLastYear | None = None  # and each township then
    # the quota changes made after the period ended (quota_history.county_quota_sentence)
    quota_note: str = ""

    def with_notes(self, notes: BulletinNotes) -> Bulletin:
        """The same bulletin with the office's own text (the figures are not computed again)."""
        return replace(self, notes=notes)

    @property
    def kind_label(self) -> str:
        """周排名, 半月通报 or 月评比."""
        return PERIOD_LABELS[self.period.kind]

    @property
    def title(self) -> str:
        """'内乡县城乡居民医保征缴半月通报'."""
        return f"{self.policy.name}城乡居民医保征缴{self.kind_label}"

    @property
    def subtitle(self) -> str:
        """'2022年11月上半月 · 统计截至2022年11月15日'."""
        return f"{self.period.label} · 统计截至{fmt.day(self.ranking.snapshot)}"

    @property
    def completion_chart_title(self) -> str:
        """The title of the completion chart, the same in every format."""
        return f"{self.period.label}各乡镇任务完成率（红色为后三名且未完成）"

    def completion_png(self, width: int = 1600) -> bytes | None:
        """The completion chart as an image, None for a period before any figure (no bar to
        draw: the ranking's sentence says why)."""
        if self.ranking.unranked:
            return None
        return completion_chart(
            self.ranking.table,
            title=self.completion_chart_title,
            scheduled=self.ranking.scheduled,
            width=width,
        )

    @property
    def flagged(self) -> list[str]:
        """Townships in the bottom three and below quota, in rank order."""
        table = self.ranking.table
        return list(table.loc[table["flagged"], "township"])

    @property
    def completion_change(self) -> Fraction | None:
        """Completion now minus completion at the end of the previous period."""
        if (
            self.previous is None
            or self.previous.completion is None
            or self.summary.completion is None
        ):
            return None
        return self.summary.completion - self.previous.completion

    @property
    def participation_change(self) -> Fraction | None:
        """Participation now minus at the end of the previous period."""
        if (
            self.previous is None
            or self.previous.participation is None
            or self.summary.participation is None
        ):
            return None
        return self.summary.participation - self.previous.participation

    def _groups_below(self) -> pd.DataFrame:
        groups = self.summary.groups
        below = pd.Series(
            [c is not None and c < 1 for c in groups[COVERAGE]], index=groups.index, dtype=bool
        )
        return groups[below]

    def groups_below_target(self) -> pd.DataFrame:
        """Special groups under 100 % county-wide, as displayed."""
        return groups_view(self._groups_below())

    def kpis(self) -> list[tuple[str, str, str]]:
        """(label, value, note) for the headline figures."""
        s, targets = self.summary, self.policy.targets
        rows = [
            ("累计参保人数", f"{fmt.count(s.enrolled)}人", f"任务数{fmt.count(s.quota)}人"),
            (
                "任务完成率",
                fmt.percent(s.completion),
                _note(targets.completion, self.completion_change),
            ),
        ]
        if s.participation is not None:
            note = _note(targets.participation, self.participation_change)
            rows.append(("参保率", fmt.percent(s.participation), note))
        rows.append(("完成任务乡镇", f"{s.townships_met}/{s.townships}", "个乡镇（街道）"))
        if same_day_compared(self.last_year, s.enrolled):
            rows.append(last_year_kpi(self.last_year))
        return rows

    def ranking_table(self) -> pd.DataFrame:
        """The ranking as displayed on the 排名 page (with 上年同期完成率 and 同比 where the
        previous campaign is stored)."""
        return ranking_view(self.ranking.table, self.townships_last_year)

    def year_on_year(self) -> list[str] | None:
        """The ranking's 同比 column as shown, in rank order; None without last year."""
        last = self.townships_last_year
        return None if last is None else year_on_year_texts(self.ranking.table, last)

    @property
    def ranking_note(self) -> str:
        """The line under the ranking saying what its 上年同期 columns compare; '' without."""
        last = self.townships_last_year
        return "" if last is None else last_year_ranking_note(last)

    @property
    def ranking_notes(self) -> list[str]:
        """The lines under the ranking, in every format: what its 上年同期 columns compare,
        then the quota changes made since the period ended."""
        return [note for note in (self.ranking_note, self.quota_note) if note]

    def settlement_table(self) -> pd.DataFrame:
        """Settlement to date as displayed on the 结算 page."""
        return settlement_view(self.settlement, self.ranked)

    def summary_text(self) -> str:
        """The summary paragraph, generated from the figures."""
        s = self.summary
        change = self.completion_change
        trend = ""
        if change is not None:
            points = fmt.points(abs(change)).lstrip("+")
            trend = f"，较上期{'提高' if change >= 0 else '下降'}{points}"
        new = int(self.ranking.table[NEW_ENROLLED].sum())
        text = (
            f"截至{fmt.day(self.ranking.snapshot)}，全县累计参保{fmt.count(s.enrolled)}人"
            f"（本期新增{fmt.count(new)}人），"
            f"完成任务数{fmt.count(s.quota)}人的{fmt.percent(s.completion)}{trend}"
            f"{schedule_note(s)}；{townships_note(s)}。"
        )
        if s.participation is not None:
            target = fmt.percent(self.policy.targets.participation, 0)
            text += f"全县参保率{fmt.percent(s.participation)}（目标{target}）。"
        text += same_day_sentence(s.enrolled, s.completion, self.last_year)
        text += report_sentence(self.ranking)
        flagged = self.flagged
        if unranked := unranked_sentence(self.ranking):
            text += unranked
        elif flagged:
            times = self.flag_record.set_index(TOWNSHIP)[TIMES_FLAGGED]
            again = [f"{t}已累计{times[t]}次" for t in flagged if times.get(t, 0) > 1]
            text += (
                f"{'、'.join(flagged)}排名后{_chinese_count(len(flagged))}位，且未完成任务，"
                "由县主要领导约谈乡镇主要负责人，并扣减年度绩效考评分值"
                + (f"；其中{'、'.join(again)}。" if again else "。")
            )
        else:
            text += "本期没有排名后三位且未完成任务的乡镇。"
        below = self._groups_below()
        if not below.empty:
            missing = int((below[ROSTER] - below[ENROLLED]).sum())
            names = "、".join(list(below["label"])[:3])
            more = "等" if len(below) > 3 else ""
            text += f"{names}{more}特殊群体尚未实现全员参保，合计{fmt.count(missing)}人未参保。"
        total = self.settlement.total
        text += (
            NO_FIGURES_YET
            if self.ranking.without_figures
            else f"按当前参保人数测算，全县工作经费{fmt.money(total.work_fund)}元，"
            f"奖励{fmt.money(total.reward)}元，扣减{fmt.money(total.deduction)}元，"
            f"净额{fmt.money(total.net)}元。"
        )
        if self.simulated:
            text += "（本通报进度为模拟数据。）"
        return text


def _chinese_count(n: int) -> str:
    return "零一二三四五六七八九十"[n] if 0 <= n <= 10 else str(n)


def _note(target: object, change: Fraction | None) -> str:
    return f"目标{fmt.percent(Fraction(str(target)), 0)}；较上期{fmt.points(change)}"


def build_bulletin(
    data: CampaignData,
    period: Period,
    *,
    as_of: date,
    last_year: CampaignData | None = None,
    known: pd.DataFrame | None = None,
    quota_note: str | None = None,
) -> Bulletin:
    """Assemble the bulletin of a period as known on ``as_of`` (the period's end at the
    latest); with the county's previous campaign, ``last_year``, the same day of it (``known``:
    its year_on_year.whole_curves, where the caller keeps them); ``quota_note``: the quota
    changes made since the period ended, where there were any."""
    result = ranking(data, period, as_of=as_of)
    money, ranked = settlement(data, result.snapshot)
    previous = county_summary(data, result.previous.end) if result.previous else None
    history = rank_history(data, period.kind, as_of=result.snapshot)
    county, townships = _a_year_before(last_year, result.snapshot, known)
    return Bulletin(
        policy=data.policy,
        period=period,
        ranking=result,
        summary=county_summary(data, result.snapshot),
        previous=previous,
        settlement=money,
        ranked=ranked,
        simulated=data.simulated,
        flag_record=flag_record(history),
        last_year=county,
        townships_last_year=townships,
        quota_note=quota_note or "",
    )


def _a_year_before(
    previous: CampaignData | None, day: date, known: pd.DataFrame | None
) -> tuple[SameDayLastYear | None, TownshipsLastYear | None]:
    """The county and each township on the same day of the previous campaign (its curves
    computed once for both, where ``known`` does not hold them); None, None without it."""
    if previous is None:
        return None, None
    known = whole_curves(previous) if known is None else known
    return (
        same_day_last_year(previous, day, known=known),
        townships_a_year_before(previous, day, known=known),
    )
