"""Streamlit display helpers shared by pages: headers, metrics, charts and tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import cached, clock
from dashboard import formatting as fmt
from dashboard.auth import DEMO_PASSWORD, DEMO_USERS, ROLES, SESSION_LENGTH, Account
from dashboard.data_age import data_age_sentence
from dashboard.exports import csv_bytes
from dashboard.failures import deferred
from dashboard.figures import Ranking, periods_to_date
from dashboard.files import SPREADSHEET_TYPES as SPREADSHEET_TYPES  # the upload boxes' types
from dashboard.glossary import (
    FLAGGED,
    LABELS,
    LEFT_FLAGGED,
    NAME,
    PERIOD_LABELS,
    SIMULATED_LABEL,
    TOTAL_LABEL,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.periods import PERIOD_KINDS, Period, PeriodKind
from dashboard.problems import EntriesRefused
from dashboard.sheets import list_xlsx
from dashboard.state import (
    COUNTY_KEY,
    TOWNSHIP_PARAM,
    Selection,
    external_refusal,
    log_in,
    log_out,
    login_providers,
    nobody_can_log_in,
    show_demo_accounts,
    township_from_link,
)
from dashboard.views import NUMERIC_LABELS, campaign_caption, target_delta
from dashboard.whatif_views import EDITOR_COLUMNS
from data_models.policy import MOST_YUAN
from data_models.tables import MAX_COUNT, SHORT_TEXT

# Plotly's mode bar speaks English only; pages offer CSV downloads instead.
CHART_CONFIG = {"displayModeBar": False, "responsive": True}
FLAG_STYLE = "background-color: #fde2e1; color: #8b1a10; font-weight: 600"
TOTAL_STYLE = "background-color: #eef2f7; font-weight: 700"


def _row_style(row: pd.Series) -> list[str]:
    if (flag := row.get(LABELS[FLAGGED])) and flag != LEFT_FLAGGED:
        return [FLAG_STYLE] * len(row)
    if TOTAL_LABEL in (row.get(LABELS[TOWNSHIP]), row.get(LABELS[VILLAGE])):
        return [TOTAL_STYLE] * len(row)
    return [""] * len(row)


# The column a wide table keeps in sight while it scrolls sideways on a phone: opaque, the
# other columns passing under it
PINNED_CELL = "position: sticky; left: 0; z-index: 1; background-color: #ffffff"


def _name_column(frame: pd.DataFrame) -> str | None:
    """The column that names a row's township, or else its village (short names: pinned,
    they leave a phone's width to the figures); None where there is neither."""
    return next((c for c in (LABELS[TOWNSHIP], LABELS[VILLAGE]) if c in frame.columns), None)


ROW_HEIGHT = 35
WRAPPED_COLUMNS = 5  # a table of up to so many columns fits a phone's width, wrapped


def table_height(rows: int) -> int:
    """Pixels for a table to show up to 40 rows without inner scrolling."""
    return ROW_HEIGHT * (min(rows, 40) + 1) + 3


def table(frame: pd.DataFrame, *, empty: str = "暂无记录。") -> None:
    """Show a display table as a static table, in the order it comes in (rank order, 合计
    last): numbers right-aligned, flagged rows red, the 合计 row bold; a line saying so where
    there is nothing to show. Static, because the figures are formatted text: an interactive
    table would sort 99.0% after 100.1% and move the 合计 row, with menus in English."""
    if frame.empty:
        st.caption(empty)
        return
    # Streamlit reads each cell as Markdown: names, villages, file names and a bad file's
    # values are shown as they are written
    frame = frame.map(lambda v: fmt.plain(v) if isinstance(v, str) else v)
    numeric = [c for c in frame.columns if c in NUMERIC_LABELS]
    right = {"text-align": "right !important"}  # Streamlit's own table style aligns left
    # A wide table's cells keep to one line (Streamlit writes each cell as Markdown, which
    # wraps): on a phone it scrolls sideways instead of standing each name and flag on end,
    # one character a line; its headers wrap only before a unit (净额 / （元）), which keeps
    # 模拟测算's ten columns in sight at 1280 pixels. A narrow one wraps, so that all its
    # columns stay in sight.
    wide = len(frame.columns) > WRAPPED_COLUMNS
    wrap, header_break = ("nowrap", "keep-all") if wide else ("normal", "normal")
    styled = frame.style
    pinned = _name_column(frame)
    if wide and pinned is not None:  # scrolled sideways, each row says whose it is
        styled = styled.map(lambda _: PINNED_CELL, subset=[pinned]).set_table_styles(
            {pinned: [{"selector": "th", "props": PINNED_CELL}]}
        )
    styled = (
        styled.apply(_row_style, axis=1)  # after the pinned cell's white: a flag's red wins
        .set_properties(subset=numeric, **right)
        .set_table_styles(
            [
                {"selector": "td *", "props": [("white-space", wrap)]},
                {"selector": "th *", "props": [("word-break", header_break)]},
            ],
            overwrite=False,
        )
        .set_table_styles(
            {c: [{"selector": "th", "props": list(right.items())}] for c in numeric},
            overwrite=False,
        )
    )
    st.table(styled, hide_index=True, height="content" if len(frame) <= 40 else 600)


SHOWN_PROBLEMS = 100  # a file's problems listed on the page; the download has them all


def problem_table(problems: pd.DataFrame) -> None:
    """A file's problems (problems.problems_display) with every reason in full: a wrapped
    static table, as an interactive one cuts a long reason off at its column's edge. Past the
    first SHOWN_PROBLEMS a line says the rest are in the download."""
    table(problems.head(SHOWN_PROBLEMS))
    if len(problems) > SHOWN_PROBLEMS:
        st.caption(f"共{len(problems):,}个问题，上表列出前{SHOWN_PROBLEMS}个，完整清单请下载。")


# Streamlit's own labels on the toolbars of tables and charts, shown as tooltips in English only
TOOLBAR_LABELS = {
    "Show/hide columns": "显示/隐藏列",
    "Download as CSV": "下载表格（CSV）",
    "Search": "在表中查找",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Clear selection": "取消选择",
}


def wrapping_row(gap: Literal["small", "medium", "large"] = "small") -> DeltaGenerator:
    """A row of buttons, each as wide as its label, or of fields of fixed widths, that wraps
    where the screen is too narrow for them. In columns of fixed shares a long label was cut
    short with "…" on a laptop's screen (下载示例台账（模拟…), and a date shrank to 2024-09
    beside the sidebar at 1 024 pixels."""
    return st.container(horizontal=True, gap=gap)


def _page(name: str) -> str:
    """A page of ``pages/`` as Streamlit finds it for a link: from dashboard/app.py."""
    return f"../pages/{name}.py"


def _township_address(selection: Selection, township: str) -> dict[str, str]:
    """The query of the 乡镇 page's address that opens it on ``township`` of the county."""
    return {COUNTY_KEY: selection.data.policy.code, TOWNSHIP_PARAM: township}


def township_picker(container: DeltaGenerator, choices: Sequence[str], *, key: str) -> str:
    """The 乡镇（街道） picker of a township's page: it opens on the township the page's address
    names (?township=湍东镇) and puts the one picked there, so that the address shared in a
    chat group opens on the same township."""
    township_from_link(key, choices)
    township = container.selectbox("乡镇（街道）", choices, key=key)
    _put_in_address(township)
    return township


def township_filter(
    container: DeltaGenerator, townships: Sequence[str], *, scope: str | None, key: str
) -> str | None:
    """The 乡镇（街道） filter of a county's list: 全部乡镇 (None) or one township, opened on the
    one the page's address names, as township_picker; a township's account (``scope``) has
    its own only."""
    choices = list(townships) if scope is None else [scope]
    township_from_link(key, choices)
    township = container.selectbox(
        "乡镇（街道）",
        [None, *choices] if scope is None else choices,
        format_func=lambda t: t or "全部乡镇",
        key=key,
    )
    _put_in_address(township)
    return township


def _put_in_address(township: str | None) -> None:
    if township is not None:
        st.query_params[TOWNSHIP_PARAM] = township
    elif TOWNSHIP_PARAM in st.query_params:
        del st.query_params[TOWNSHIP_PARAM]


def township_page_link(page: str, selection: Selection, township: str, *, label: str) -> None:
    """A link to one of ``pages/`` (groups, repeats) opened on ``township``'s rows."""
    st.page_link(
        _page(page),
        label=label,
        icon=":material/arrow_forward:",
        query_params=_township_address(selection, township),
    )


def township_links(selection: Selection, townships: Sequence[str], *, label: str) -> None:
    """A row of links, each opening one township's page (乡镇) in the same county."""
    if not townships:
        return
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.caption(label, width="content")
    for township in townships:
        row.page_link(
            _page("township"),
            label=township,
            icon=":material/location_city:",
            query_params=_township_address(selection, township),
        )


def side_by_side(key: str, *, least_rem: int) -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two columns beside each other where each gets ``least_rem`` of width, else one above
    the other across the whole width (Streamlit stacks columns only on a phone's width): the
    meeting's bars and ranking on a 1 024-pixel projector, whose half-width cut the table's
    figures (04.1% for 104.1%)."""
    block = f".st-key-{key} [data-testid='stHorizontalBlock']"
    st.html(
        f"<style>{block} {{ flex-wrap: wrap; }}"
        f"{block} > [data-testid='stColumn'] {{ min-width: {least_rem}rem; }}</style>"
    )
    left, right = st.container(key=key).columns(2)
    return left, right


def file_notes(notes: Sequence[str]) -> None:
    """What reading a file noted (columns passed over, a township or date taken from its
    title …), each as written in a caption."""
    for note in notes:
        st.caption(fmt.plain(note))


def show_refusal(refusal: Exception) -> None:
    """Why something was refused, in red; a file, user or scenario name in it as written (not
    read as Markdown)."""
    st.error(fmt.plain(str(refusal)))


def confirmed_button(confirm: str, label: str, *, key: str, icon: str) -> bool:
    """A primary button that changes official figures, enabled once its confirmation is ticked
    (the checkbox keyed ``{key}_confirm``); True on the click."""
    ticked = st.checkbox(fmt.plain(confirm), key=f"{key}_confirm")
    return st.button(label, key=key, disabled=not ticked, type="primary", icon=icon)


def show_refused_entries(heading: str, refusal: EntriesRefused) -> None:
    """Why typed figures were not saved: the heading, then each problem on a line of its own
    (names in them as written, not read as Markdown)."""
    lines = "\n".join(f"- {fmt.plain(p)}" for p in refusal.problems)
    st.error(f"{heading}：\n\n{lines}", icon=":material/error:")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_button(
    place: DeltaGenerator,
    label: str,
    data: bytes | Callable[[], bytes],
    *,
    file_name: str,
    key: str,
    help: str | None = None,
) -> None:
    """A button that downloads an Excel workbook named ``file_name``.xlsx (``data`` as a
    callable is made only when the button is clicked), the page not run again."""
    place.download_button(
        label,
        data,
        file_name=f"{file_name}.xlsx",
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help=help,
    )


def list_downloads(frame: pd.DataFrame, *, label: str, file_name: str, key: str) -> None:
    """A list for download, as Excel first (every cell text: a CSV opened in Excel shows an
    18-digit ID number as 4.11325E+17 and drops its last digits), then as CSV for other
    systems. Both are written only when their button is clicked, not on every rerun."""
    buttons = wrapping_row()
    xlsx_button(
        buttons,
        f"{label}（Excel）",
        deferred(lambda: list_xlsx(frame, sheet_name=label.removeprefix("下载")[:31])),
        file_name=file_name,
        key=f"{key}_xlsx",
    )
    buttons.download_button(
        "下载 CSV",
        deferred(lambda: csv_bytes(frame)),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
        help="供其他系统读取；用 Excel 打开时身份证号会显示成科学计数法，请下载 Excel 文件。",
    )


def table_with_downloads(frame: pd.DataFrame, *, label: str, file_name: str, key: str) -> None:
    """A display table (table) and its downloads (list_downloads)."""
    table(frame)
    list_downloads(frame, label=label, file_name=file_name, key=key)


def long_list(frame: pd.DataFrame, *, caption: str, label: str, file_name: str, key: str) -> None:
    """A long list (people, receipts): a line saying how many, the table (scrolling, 40 rows in
    sight; a list of people with their 姓名 pinned at its left, kept in sight when it scrolls
    sideways on a phone) and its downloads (list_downloads)."""
    st.caption(caption)
    name = LABELS[NAME]
    pinned = {name: st.column_config.Column(pinned=True)} if name in frame.columns else None
    st.dataframe(frame, hide_index=True, key=key, column_config=pinned)
    list_downloads(frame, label=label, file_name=file_name, key=f"{key}_download")


def masked_note(account: Account) -> str:
    """What a list's line says of its ID numbers, for the account reading it."""
    return "" if account.sees_id_numbers else "身份证号已脱敏。"


DOWNLOAD_FAILED = "文件生成失败，请稍后重试（错误已记录）"


def streamlit_texts_in_chinese() -> None:
    """Streamlit's own English texts, where it has no option to change them: the hints under a
    text field being typed in ("Press Enter to submit form") are hidden, the buttons beside them
    say what to do; so is the menu of a table's column (Sort ascending, Pin column…: a click on
    the header still sorts); the tooltips of the table and chart toolbars and a failed
    download's message ("Failed to generate file for download") are shown in Chinese.
    """
    rules = [
        '[data-testid="InputInstructions"] { display: none; }',
        '[data-testid="stDataFrameColumnMenu"] { display: none; }',
        # a download whose file failed (failures.deferred logged why under a reference) or
        # whose link could not be asked for: Streamlit says so in English under the button
        '[data-testid="stDownloadButtonError"] { font-size: 0; }',
        f'[data-testid="stDownloadButtonError"]::after {{ content: "{DOWNLOAD_FAILED}"; '
        "font-size: 0.875rem; }",
    ]
    for english, chinese in TOOLBAR_LABELS.items():
        button = f'[data-testid="stElementToolbarButton"] button[aria-label="{english}"]'
        shown = f"body:has({button}:hover, {button}:focus-visible)"
        rules += [
            f'{shown} [data-testid="stTooltipContent"] > * {{ display: none; }}',
            f'{shown} [data-testid="stTooltipContent"]::after '
            f'{{ content: "{chinese}"; font-size: 0.875rem; }}',
        ]
    st.html("<style>" + "\n".join(rules) + "</style>")


PRINT_RULES = """@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stDownloadButton"],
  [data-testid="stElementToolbar"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 1rem !important; }
  tr, [data-testid="stMetric"], [data-testid="stPlotlyChart"] { break-inside: avoid; }
  /* a chart keeps the width it was drawn at on screen: shrink it to fit A4 */
  [data-testid="stPlotlyChart"] { zoom: 0.6; }
}"""


# st.metric cuts what does not fit its card with "…" (210,838.… and -0.6个百分点（目标… on a
# 1 280-pixel screen). A value takes a type size that fits its card: up to Streamlit's 2.25rem,
# and no more than 13 % of the card's width, in which the widest money figure (-60,412,000.00)
# fits; all cards of a row are as wide, so their figures stay one size (a browser without
# container queries keeps the usual size). Its label and the small print under it wrap instead,
# between words (-0.6个百分点 | （目标100%）). A row of cards narrower than 12rem each (1 024
# pixels with the sidebar open) stands two by two.
METRIC_RULES = """
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: min(2.25rem, 13cqi); }
[data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"] p {
  white-space: normal !important; word-break: keep-all; }
:has(> [data-testid="stMetricDelta"]) { overflow: visible !important; }
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
  flex-wrap: wrap; }
[data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:has([data-testid="stMetric"]) {
  min-width: 12rem; }
"""


def page_styles() -> None:
    """Metric cards whose text fits them (METRIC_RULES); and a page printed from the
    browser (Ctrl+P) gets the paper's whole width: no sidebar, no download buttons or toolbars,
    charts shrunk to the paper, no row or chart cut across two sheets. (The bulletins are the
    documents made for printing; this is for the other pages.)"""
    st.html(f"<style>{METRIC_RULES}{PRINT_RULES}</style>")


def upload_texts_in_chinese(max_megabytes: int, types: list[str]) -> None:
    """Streamlit's upload box has English texts and no option to change them; put Chinese ones
    in their place (the button and the size and type line)."""
    hint = f"或将文件拖到此处 · 每个文件不超过{max_megabytes}MB · {'、'.join(types)}"
    st.html(
        f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{hint}"; font-size: 0.75rem; }}
</style>"""
    )


NO_PROGRESS_YET = (
    "本年度尚无进度数据：任务数已下达，参保人数、完成率、排名和结算在导入第一份进度表或缴费明细"
    "（数据导入）后显示；在此之前各项人数均按0计。"
)


def page_header(title: str, selection: Selection) -> None:
    """Title, the campaign and as-of line, and the 模拟数据 badge when progress is simulated."""
    st.title(title)
    st.caption(campaign_caption(selection.data.policy, selection.as_of))
    if selection.data.simulated:
        st.badge(SIMULATED_LABEL, icon=":material/science:", color="orange")
    if selection.data.latest_date is None:
        st.info(NO_PROGRESS_YET, icon=":material/hourglass_empty:")
    data_age_notice(selection)


def data_age_notice(selection: Selection) -> None:
    """A warning, on the current year's newest figures, when they are older than the campaign
    asks (data_age_sentence): a week without a report, or none of its last day once it ended."""
    data = selection.data
    if not selection.current or selection.as_of != data.latest_date:
        return
    if sentence := data_age_sentence(data.policy.campaign, data.latest_date, clock.today()):
        st.warning(sentence, icon=":material/update:")


def current_year_only(selection: Selection, what: str) -> None:
    """Stop the page, saying why, when an earlier year's campaign is being looked at."""
    if not selection.current:
        st.info(
            f"{what}只针对当前征缴年度。请在侧栏“征缴年度”中选择当前年度。",
            icon=":material/history:",
        )
        st.stop()


def note_metric(
    column: DeltaGenerator, label: str, value: str, note: str | None, *, help: str | None = None
) -> None:
    """A KPI card whose small print is a neutral note (grey, no arrow)."""
    column.metric(label, value, note, delta_color="off", delta_arrow="off", border=True, help=help)


def note_cards(cards: Sequence[tuple[str, str, str]]) -> None:
    """A row of KPI cards (label, figure, note), each with a neutral note (note_metric)."""
    for column, (label, value, note) in zip(st.columns(len(cards)), cards, strict=True):
        note_metric(column, label, value, note)


def target_metric(
    column: DeltaGenerator,
    label: str,
    rate: Fraction | None,
    target: Decimal,
    *,
    help: str | None = None,
) -> None:
    """A KPI card for a rate, with how far it is from its target (red below, green above)."""
    column.metric(label, fmt.percent(rate), target_delta(rate, target), border=True, help=help)


def chart(
    figure: go.Figure | dict[str, Any],
    *,
    key: str,
    own_theme: bool = False,
    clickable: bool = False,
) -> Any:
    """A plotly figure, full width, without the (English) mode bar. ``own_theme`` keeps the
    figure's own fonts and colours (Streamlit's theme would shrink the meeting-room sizes).
    ``clickable``: a click on a point reruns the page, and the points clicked are returned
    (the chart's selection event)."""
    theme: Literal["streamlit"] | None = None if own_theme else "streamlit"
    if not clickable:
        return st.plotly_chart(figure, key=key, config=CHART_CONFIG, theme=theme)
    return st.plotly_chart(
        figure,
        key=key,
        config=CHART_CONFIG,
        theme=theme,
        on_select="rerun",
        selection_mode="points",
    )


def township_bars(
    figure: go.Figure, *, key: str, opens: Selection | None, own_theme: bool = False
) -> None:
    """Townships' bars (a township a bar); with ``opens``, a click on a township's bar opens
    its 乡镇 page, as a leader drills down from the county's figures in a meeting."""
    if opens is None:
        chart(figure, key=key, own_theme=own_theme)
        return
    event = chart(figure, key=key, own_theme=own_theme, clickable=True)
    clicked = [point.get("y") for point in event["selection"]["points"]]
    if township := next((t for t in clicked if t in opens.data.townships), None):
        st.switch_page(_page("township"), query_params=_township_address(opens, township))
    st.caption("点击乡镇的条形，可查看该乡镇的详情。")


def completion_bars(
    ranked: Ranking,
    *,
    title: str,
    key: str,
    large: bool = False,
    own_theme: bool = False,
    opens: Selection | None = None,
) -> None:
    """The townships' completion bars of a ranking; nothing for a period before any figure
    (every bar would be empty: the page says why beside it). With ``opens``, a click on a
    bar opens the township's page."""
    if ranked.unranked:
        return
    figure = cached.chart(
        "completion_bars", ranked.table, title=title, scheduled=ranked.scheduled, large=large
    )
    township_bars(figure, key=key, opens=opens, own_theme=own_theme)


def standings_bars(
    standings: pd.DataFrame, *, title: str, key: str, opens: Selection | None = None
) -> None:
    """The townships' completion bars as of a day no period ranks (after the campaign): best
    first, green at quota, none flagged (figures.CountySummary.standings)."""
    township_bars(cached.chart("completion_bars", standings, title=title), key=key, opens=opens)


def big_figures(kpis: list[tuple[str, str, str]]) -> None:
    """Headline figures in heading-size type, for a screen read from across a room."""
    for column, (label, value, note) in zip(st.columns(len(kpis)), kpis, strict=True):
        with column.container(border=True):
            st.markdown(f"**{label}**")
            st.markdown(  # a figure, not a heading: no anchor link, never wraps
                f'<p style="font-size:clamp(1.8rem,2.8vw,3rem);font-weight:700;'
                f'white-space:nowrap;margin:0;line-height:1.2">{value}</p>',
                unsafe_allow_html=True,
            )
            st.caption(note)


def with_default(key: str, default: object) -> str:
    """A widget key that changes with the widget's default. Streamlit keeps a keyed field's
    value when only its default changes, so a new default (another year's policy, this year's
    amended, new official quotas) would not show; a field the user changed keeps its value
    while its default stays."""
    return f"{key}_{default}"


def money_input(
    column: DeltaGenerator,
    label: str,
    default: Decimal,
    *,
    key: str,
    step: float,
    width: int | Literal["stretch"] = "stretch",
) -> Decimal:
    """A yuan amount (two places) typed by the user, as Decimal."""
    value = column.number_input(
        label,
        min_value=0.0,
        max_value=float(MOST_YUAN),
        value=float(default),
        step=step,
        format="%.2f",
        key=key,
        width=width,
    )
    return Decimal(f"{value:.2f}")


def editor_config() -> dict[str, object]:
    """Column settings of the what-if editor: whole, non-negative numbers."""
    return {
        EDITOR_COLUMNS["official"]: st.column_config.NumberColumn(format="localized"),
        EDITOR_COLUMNS["quota"]: st.column_config.NumberColumn(
            min_value=0, max_value=MAX_COUNT, step=1, format="localized", required=True
        ),
        EDITOR_COLUMNS["enrolled"]: st.column_config.NumberColumn(
            min_value=0, max_value=MAX_COUNT, step=1, format="localized", required=True
        ),
    }


def quotas_changed_since(selection: Selection, period: Period) -> None:
    """A line saying which quota changes came after ``period`` ended, where any did: 排名
    ranks it on the quotas now (cached.quota_note; 通报 and 会议模式 show their bulletin's
    quota_note, the same sentence)."""
    if changed := cached.quota_note(selection, period):
        st.caption(changed)


def period_picker(selection: Selection, *, key: str) -> Period:
    """Week / half-month / month, then which one (latest first). The pick is kept per county and
    as-of date: a new 数据截至 shows its latest period again, not one picked for another day."""
    # side by side, the three choices always whole; the list below them on a narrow screen
    row = wrapping_row(gap="medium")
    kind: PeriodKind = row.segmented_control(  # type: ignore[assignment]
        "排名周期",
        PERIOD_KINDS,
        format_func=PERIOD_LABELS.__getitem__,
        default="week",
        key=f"{key}_kind",
        required=True,
    )
    periods = periods_to_date(selection.data, kind, as_of=selection.as_of)
    picker = f"{key}_{selection.data.policy.code}_{kind}_"
    if selection.moved_from is not None:  # newer figures came in: an earlier pick stays
        _carry_pick(selection, kind, periods, picker)
    return row.selectbox(
        "期次",
        periods[::-1],
        format_func=lambda p: p.label,
        key=picker + selection.as_of.isoformat(),
    )


def _carry_pick(selection: Selection, kind: PeriodKind, periods: list[Period], picker: str) -> None:
    """Keep a period picked before the as-of date moved on to newer figures: the picker is
    drawn afresh for the new day (on its latest period), which would drop it. The latest
    period of the day before, the one the page opened on, gives way to the new latest."""
    assert selection.moved_from is not None
    picked: Period | None = st.session_state.get(picker + selection.moved_from.isoformat())
    before = periods_to_date(selection.data, kind, as_of=selection.moved_from)
    if picked is None or not before or picked.index == before[-1].index:
        return
    same = [p for p in periods if p.index == picked.index]
    if same:
        st.session_state[picker + selection.as_of.isoformat()] = same[0]


def _identity_provider_login(place: DeltaGenerator) -> None:
    """One button per identity provider configured in secrets.toml (OIDC, st.login); the user
    it logs in must be a user here with that e-mail address."""
    providers = login_providers()
    if not providers:
        return
    refusal = external_refusal()
    if refusal:
        place.error(refusal)
        place.button("退出统一身份认证", key="external_logout", on_click=log_out)
        return
    for provider in providers:
        place.button(
            "使用统一身份认证登录" if provider is None else f"使用 {provider} 登录",
            key=f"login_with_{provider or 'default'}",
            on_click=st.login,
            args=(provider,),
            icon=":material/badge:",
        )


def login_screen() -> None:
    """The log-in form; the demo accounts of the sample data are listed beside it."""
    st.title("城乡居民医保征缴工作看板")
    if nobody_can_log_in():
        st.info(
            "系统中还没有用户。系统管理员请在服务器上运行 "
            "`python -m dashboard add-user --username 用户名 --role admin` 建立第一个管理员。",
            icon=":material/person_add:",
        )
    left, right = st.columns([1, 1])
    with left.form("login", border=True):
        st.subheader("登录")
        username = st.text_input("用户名", key="login_username", max_chars=SHORT_TEXT)
        password = st.text_input("密码", type="password", key="login_password")
        submitted = st.form_submit_button("登录", type="primary", icon=":material/login:")
        hours = int(SESSION_LENGTH.total_seconds() // 3600)
        st.caption(f"登录后{hours}小时内，刷新页面或打开新标签页无需再次登录；点“退出登录”即失效。")
    if submitted:
        message = log_in(username, password)
        if message:
            left.error(message)
        else:
            st.rerun()
    _identity_provider_login(left)
    if show_demo_accounts():
        with right.container(border=True):
            st.markdown(f"**演示账号**（样例数据，密码均为 `{DEMO_PASSWORD}`）")
            for name, _label, role, _county, township in DEMO_USERS:
                scope = f"，{township}" if township else ""
                st.markdown(f"- `{name}`：{ROLES[role]}{scope}")
            st.caption("正式使用前请由管理员修改或停用演示账号。")


def points(items: list[tuple[str, str]]) -> None:
    """Topic-and-sentence pairs as a bulleted list (the topic in bold)."""
    st.markdown("\n".join(f"- **{topic}**：{text}" for topic, text in items))
