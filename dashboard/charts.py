"""Plotly figures built from the figures' frames; Chinese labels, CJK fonts, percent axes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting as fmt
from dashboard.axes import completion_axis_start
from dashboard.forecast import Forecast
from dashboard.glossary import (
    COMPLETION,
    FLAGGED,
    LABELS,
    NEW_ENROLLED,
    NO_QUOTA,
    RANK,
    RANK_CHANGE,
    TOWNSHIP,
)
from dashboard.periods import years_apart
from dashboard.settlement import Settlement
from dashboard.sheets import display_width
from data_models.policy import CampaignDates

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
BLUE = "#1f5fa8"
GREEN = "#2e8b57"
RED = "#c0392b"
GREY = "#8a94a6"
INK = "#31333f"  # Streamlit's text colour, for figures beside their bars
ORANGE = "#e67e22"
PURPLE = "#8e6bb8"  # last year's curve, apart from the forecast's orange
MAX_PERIOD_TICKS = 7  # period labels under a rank history: fit a phone's width
LONG_TITLE = 16  # characters of a chart title that fit a phone's width at 16 px


def split_title(title: str) -> tuple[str, str]:
    """A long title ending in a parenthesis as the title and a subtitle: a plotly title is
    one line, and '各乡镇任务完成率（第12周（12月31日），红色为后三名且未完成）' ran off a phone's
    screen. Short titles, and those not ending so, stay whole."""
    if len(title) <= LONG_TITLE or not title.endswith("）"):
        return title, ""
    depth = 0
    for at in range(len(title) - 1, 0, -1):  # back to the bracket that the last one closes
        depth += {"）": 1, "（": -1}.get(title[at], 0)
        if depth == 0:
            return title[:at], title[at + 1 : -1]
    return title, ""


def _layout(fig: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    main, note = split_title(title)
    fig.update_layout(
        title={
            "text": main,
            "subtitle": {"text": note, "font": {"size": 12, "color": GREY}},
            "x": 0,
            "xanchor": "left",
            # at the top, so that a line's label above the plot (目标 100%) stays clear of it
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 12},
            "font": {"size": 16},
        },
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 20, "t": 86 if note else 50, "b": 10},
        plot_bgcolor="white",
        # beneath the chart: on a phone a legend of three entries wraps onto a second line,
        # which above the plot ran into the title
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "x": 0,
        },
        hoverlabel={"font": {"family": FONT}},
        separators=".,",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e8ecf2", zeroline=False, automargin=True)
    fig.update_yaxes(showgrid=True, gridcolor="#e8ecf2", zeroline=False, automargin=True)
    return fig


def _line_mode(days: list[date]) -> str:
    """A line, with a marker on each known day where they are not every day (weekly or
    half-monthly reports)."""
    every_day = not days or len(days) == (days[-1] - days[0]).days + 1
    return "lines" if every_day else "lines+markers"


def _cumulative(enrolled: pd.Series) -> go.Scatter:
    """The cumulative-enrolled line (index: the days the count is known)."""
    days = list(enrolled.index)
    return go.Scatter(
        x=days,
        y=[int(n) for n in enrolled],
        name="累计参保人数",
        mode=_line_mode(days),
        line={"color": BLUE, "width": 3},
        legendrank=1,
        hovertemplate="%{x|%Y年%m月%d日}<br>累计参保 %{y:,}人<extra></extra>",
    )


LastYearLine = tuple[pd.Series, str]  # last year's curve moved on a year, and its legend


def _last_year_line(fig: go.Figure, line: LastYearLine | None, *, first: date, last: date) -> None:
    """The previous campaign's cumulative line from ``first`` to ``last``, its days moved on a
    year (year_on_year); the hover says the day it really was. Nothing without one."""
    if line is None:
        return
    moved, name = line
    days = [d for d in moved.index if first <= d <= last]
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[int(moved[d]) for d in days],
            customdata=[fmt.day(years_apart(d, -1)) for d in days],
            name=name,
            mode=_line_mode(days),
            line={"color": PURPLE, "width": 2},
            marker={"size": 5},
            legendrank=2,
            hovertemplate="%{customdata}<br>累计参保 %{y:,}人<extra>上年同期</extra>",
        )
    )


def _schedule_line(fig: go.Figure, quota: int, *, start: date, centralised_end: date) -> None:
    """The 序时进度: an even pace from 0 on the start day to the whole quota at the end of the
    centralised period."""
    span = max((centralised_end - start).days, 1)
    fig.add_trace(
        go.Scatter(
            x=[start, centralised_end],
            y=[0, quota],
            name="序时进度",
            mode="lines",
            line={"color": GREY, "dash": "dot"},
            hovertemplate=f"序时进度：每日 {quota / span:,.0f} 人<extra></extra>",
        )
    )


def _quota_line(fig: go.Figure, quota: int, text: str) -> None:
    fig.add_hline(
        y=quota,
        line={"color": RED, "dash": "dash"},
        annotation_text=text,
        annotation_position="top left",
    )
    fig.update_yaxes(tickformat=",", rangemode="tozero")


def progress_curve(
    enrolled: pd.Series,
    quota: int,
    *,
    start: date,
    centralised_end: date,
    title: str,
    last_year: LastYearLine | None = None,
) -> go.Figure:
    """Cumulative enrolled by day against the quota (100 %) and the time-proportional line
    (序时进度: 0 at the start, the quota at the end of the centralised period); with
    ``last_year``, the previous campaign's curve moved on a year (year_on_year), over the
    days this chart spans."""
    last = max(enrolled.index[-1], centralised_end) if len(enrolled) else centralised_end
    fig = go.Figure()
    _last_year_line(fig, last_year, first=start, last=last)
    fig.add_trace(_cumulative(enrolled))  # drawn over last year's
    _schedule_line(fig, quota, start=start, centralised_end=centralised_end)
    _quota_line(fig, quota, f"任务数 {fmt.count(quota)}（100%）")
    # from the start day on, not a week before it (plotly pads a line with markers)
    fig.update_xaxes(tickformat="%-m月%-d日", title=None, range=[start, last + timedelta(days=1)])
    return _layout(fig, title=title)


def completion_bars(
    table: pd.DataFrame,
    *,
    title: str,
    target: Decimal = Decimal(1),
    scheduled: Fraction = Fraction(1),
    large: bool = False,
) -> go.Figure:
    """Completion per township, best on top, with the 100 % line and, while the centralised
    period runs, the 序时进度's (``scheduled`` below 1); the bottom three red, townships at
    quota green. ``table`` has township, completion_rate and, optionally, flagged.
    """
    rows = table.iloc[::-1]
    given = list(rows[COMPLETION])  # None: a township of quota 0, which has no rate
    rated = [float(r) for r in given if r is not None]
    low = completion_axis_start(rated, marks=[float(target), float(scheduled)])
    rates = [float(r) if r is not None else low for r in given]
    flagged = list(rows[FLAGGED]) if FLAGGED in rows else [False] * len(rows)
    colors = [
        RED if f else GREEN if r >= float(target) else BLUE
        for r, f in zip(rates, flagged, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=rates,
            y=list(rows[TOWNSHIP]),
            orientation="h",
            marker_color=colors,
            text=[fmt.percent(r) if r is not None else NO_QUOTA for r in given],
            textposition=["inside" if r is not None else "outside" for r in given],
            insidetextanchor="end",
            insidetextfont={"color": "white"},
            outsidetextfont={"color": GREY},
            hovertemplate="%{y}<br>完成率 %{text}<extra></extra>",
        )
    )
    # While the centralised period runs the 序时进度 has a line too, its label to the left of
    # it and the target's to the right: the two lines may stand close.
    fig.add_vline(
        x=float(target),
        line={"color": RED, "dash": "dash"},
        annotation_text="目标 100%",
        annotation_position="top" if scheduled >= 1 else "top right",
        annotation={"yanchor": "bottom"},  # above the bars, as "top" puts it
    )
    if scheduled < 1:
        fig.add_vline(
            x=float(scheduled),
            line={"color": GREY, "dash": "dot", "width": 2},
            layer="below",  # seen between the bars, not across their figures
            annotation_text=f"序时进度 {fmt.percent(scheduled)}",
            annotation_position="top left",
            annotation={"yanchor": "bottom", "font": {"color": GREY}},
        )
    fig.update_xaxes(tickformat=".0%", range=[low, max([*rated, float(target)]) + 0.06])
    if not large:
        return _layout(fig, title=title, height=max(320, 34 * len(rows) + 90))
    # The meeting-room screen: read from the back of the room.
    _large(fig, title=title, height=max(480, 52 * len(rows) + 170))
    fig.update_traces(insidetextfont={"size": 22}, outsidetextfont={"size": 22})
    return fig


def _large(fig: go.Figure, *, title: str, height: int) -> go.Figure:
    """Layout for the meeting-room screen: large type, the title clear of the target label."""
    _layout(fig, title=title, height=height)
    fig.update_layout(
        font={"size": 22},
        title={"font": {"size": 26}, "y": 0.99, "yref": "container", "yanchor": "top"},
        margin={"t": 110},
    )
    return fig


def settlement_bars(settlement: Settlement, *, title: str) -> go.Figure:
    """Net money per township: green when the township receives money, red when it loses."""
    lines = list(settlement.lines)[::-1]
    return _signed_bars(
        [float(line.net) for line in lines],
        [line.township for line in lines],
        [fmt.money(line.net) for line in lines],
        title=title,
        hover="净额 %{text} 元",
    )


def change_bars(deltas: pd.DataFrame, *, title: str) -> go.Figure:
    """Net money change per township under a scenario (green up, red down)."""
    rows = deltas.iloc[::-1]
    return _signed_bars(
        [float(c) for c in rows["net_change"]],
        list(rows[TOWNSHIP]),
        [fmt.signed_money(c) if c else "–" for c in rows["net_change"]],
        title=title,
        hover="净额变化 %{text} 元",
    )


def _signed_bars(
    values: list[float], townships: list[str], texts: list[str], *, title: str, hover: str
) -> go.Figure:
    """Money per township about 0, green at or above it, red below. A figure goes inside its
    bar where it fits and beside a short one (on a phone's width, figures beside the longest
    bars ran past the chart's edge and over the township names); the axis has a third of the
    longest bar's length beyond each end, room for a figure beside a short bar."""
    fig = go.Figure(
        go.Bar(
            x=values,
            y=townships,
            orientation="h",
            marker_color=[GREEN if v >= 0 else RED for v in values],
            text=texts,
            textposition="auto",
            insidetextanchor="end",
            insidetextfont={"color": "white"},
            outsidetextfont={"color": INK},
            cliponaxis=False,  # cut at the plot's edge, -364,256.50 would read as 256.50
            hovertemplate=f"%{{y}}<br>{hover}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": GREY})
    spread = max([abs(v) for v in values] + [1.0])
    low, high = min(min(values), 0) - 0.35 * spread, max(max(values), 0) + 0.35 * spread
    fig.update_xaxes(tickformat=",", title="元", range=[low, high])
    return _layout(fig, title=title, height=max(320, 34 * len(values) + 90))


def township_trajectory(
    enrolled: pd.Series,
    quota: int,
    forecast: Forecast,
    *,
    as_of: date,
    campaign: CampaignDates,
    title: str,
    last_year: LastYearLine | None = None,
) -> go.Figure:
    """One township's cumulative count, its quota, its 序时进度 and the forecast drawn on to the
    end (none before anybody is enrolled: there is no pace to draw); with ``last_year``, the
    township's previous campaign moved on a year (year_on_year)."""
    campaign_end = campaign.end
    fig = go.Figure()
    _last_year_line(fig, last_year, first=enrolled.index[0], last=campaign_end)
    fig.add_trace(_cumulative(enrolled))
    _schedule_line(fig, quota, start=campaign.start, centralised_end=campaign.centralised_end)
    if forecast.projects(as_of=as_of, campaign_end=campaign_end):
        path = [(forecast.pace_to, int(enrolled.iloc[-1]) if len(enrolled) else 0)]
        if forecast.status == "on_track" and forecast.reach_date:
            path.append((forecast.reach_date, quota))
        else:  # on to the end, level from where the people left to enrol run out
            ends = [d for d in (forecast.levels_off, campaign_end) if d and d > forecast.pace_to]
            path += [(d, forecast.projected_end) for d in dict.fromkeys(ends)]
        days, counts = zip(*path, strict=True)
        fig.add_trace(
            go.Scatter(
                x=list(days),
                y=list(counts),
                name="按近期进度预测",
                mode="lines",
                line={"color": ORANGE, "dash": "dash"},
                hovertemplate="%{x|%Y年%m月%d日}<br>预测 %{y:,}人<extra></extra>",
            )
        )
    _quota_line(fig, quota, f"任务数 {fmt.count(quota)}")
    fig.update_xaxes(
        tickformat="%-m月%-d日", range=[enrolled.index[0], campaign_end + timedelta(days=1)]
    )
    return _layout(fig, title=title, height=380)


def rank_history_chart(history: pd.DataFrame, *, townships: int, title: str) -> go.Figure:
    """Rank at the end of each period (1 at the top), labelled at the first and the last
    period and where it was best and worst: a label at every change crowds a sixteen-week
    campaign on a phone; the others show on hover. Periods before anybody reported have no
    rank: no point, no label."""
    ranks = [None if pd.isna(r) else int(r) for r in history[RANK]]
    known = {i: r for i, r in enumerate(ranks) if r is not None}
    at = list(known)
    labelled = (
        {at[0], at[-1], min(at, key=known.__getitem__), max(at, key=known.__getitem__)}
        if known
        else set()
    )
    names = [fmt.MISSING if r is None else f"第{r}名" for r in ranks]
    fig = go.Figure(
        go.Scatter(
            x=list(history["period"]),
            y=ranks,
            mode="lines+markers+text",
            text=[name if i in labelled else "" for i, name in enumerate(names)],
            customdata=[
                [label, name] for label, name in zip(history["period_label"], names, strict=True)
            ],
            # below the point after a fall, so that the label does not sit on the line
            textposition=[
                "bottom center" if _fell(ranks[i - 1 : i + 1]) else "top center"
                for i in range(len(ranks))
            ],
            line={"color": BLUE},
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    )
    # room above the first rank and below the last for their labels; ticks only at ranks
    fig.update_yaxes(
        autorange=False,
        range=[townships + 1.4, -0.4],
        tickvals=list(range(1, townships + 1)),
        title="名次",
    )
    # a label for every few periods, the latest always: sixteen 第N周 side by side are turned on
    # end and cut off on a phone's width
    periods = list(history["period"])
    step = -(-len(periods) // MAX_PERIOD_TICKS)
    shown_ticks = periods[::-1][::step][::-1]
    fig.update_xaxes(title=None, tickangle=0, tickvals=shown_ticks, ticktext=shown_ticks)
    return _layout(fig, title=title, height=360)


def _fell(pair: list[int | None]) -> bool:
    """Whether a rank is lower than the one before it (both known)."""
    return len(pair) == 2 and pair[0] is not None and pair[1] is not None and pair[1] > pair[0]


def ranking_table_figure(
    table: pd.DataFrame, *, title: str, year_on_year: Sequence[str] | None = None
) -> go.Figure:
    """The ranking as a large-type table figure (rank, change, township, new in the period,
    completion, ``year_on_year`` where given: its 同比 as shown, flag), the bottom three on
    red, for the meeting-room screen."""
    fills = ["#fde2e1" if f else "white" for f in table[FLAGGED]]
    columns = [
        (LABELS[RANK], "center", [fmt.count(r) for r in table[RANK]]),
        (LABELS[RANK_CHANGE], "center", [fmt.change(c) for c in table[RANK_CHANGE]]),
        (LABELS[TOWNSHIP], "left", list(table[TOWNSHIP])),
        (LABELS[NEW_ENROLLED], "right", [fmt.count(n) for n in table[NEW_ENROLLED]]),
        (LABELS[COMPLETION], "right", [fmt.percent(r) for r in table[COMPLETION]]),
    ]
    if year_on_year is not None:
        columns.append(("同比", "right", list(year_on_year)))
    columns.append((LABELS[FLAGGED], "center", ["约谈" if f else "" for f in table[FLAGGED]]))
    labels, aligns, values = zip(*columns, strict=True)
    fig = go.Figure(
        go.Table(
            # each column as wide as its widest text (乾佑街道办事处, 104.1%) and its padding
            columnwidth=[
                max(display_width(str(text)) for text in [label, *column]) + 2
                for label, column in zip(labels, values, strict=True)
            ],
            header={
                "values": list(labels),
                "fill_color": BLUE,
                "font": {"color": "white", "size": 20, "family": FONT},
                "height": 44,
            },
            cells={
                "values": list(values),
                "fill_color": [fills] * len(values),
                "font": {"size": 20, "family": FONT, "color": "#1b2430"},
                "height": 42,
                "align": list(aligns),
            },
        )
    )
    return _large(fig, title=title, height=44 * (len(table) + 1) + 150)
