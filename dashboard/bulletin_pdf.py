"""The bulletin as an A4 PDF: embedded CJK font (subset), tables, charts as images, page numbers."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from dashboard.bulletin import NET_CHART_TITLE, PARAGRAPH_INDENT, REMARKS_HEADING, Bulletin
from dashboard.drawing import break_lines, net_chart
from dashboard.fonts import find_cjk_font
from dashboard.views import FLAG_TEXT, LAST_YEAR_COMPLETION, YEAR_ON_YEAR

FAMILY = "cjk"
BLUE = (31, 95, 168)
FLAG = (253, 226, 225)
TOTAL = (238, 242, 247)
GREY = (89, 101, 121)
Colour = tuple[int, int, int]
TABLE_SIZE, SMALLEST_SIZE = 8.5, 6.0  # points
NUMERALS = "一二三四五六七八九十"
TABLE_WIDTH = 180  # mm: A4 between the margins
# the ranking's columns, in mm where it has its nine; narrower in proportion with 上年同期's two
RANKING_WIDTHS = {
    "排名": 12,
    "变化": 12,
    "乡镇（街道）": 30,
    "完成率": 18,
    "参保人数": 22,
    "本期新增": 20,
    "任务数": 22,
    "差额": 18,
    "后三名": 26,
    LAST_YEAR_COMPLETION: 20,
    YEAR_ON_YEAR: 18,
}
HEADING_HEIGHT = 8  # mm
KEEP_WITH_HEADING = 25  # mm under a heading on its page: a table's header and a few rows


class _BulletinPdf(FPDF):
    def __init__(self, bulletin: Bulletin) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.bulletin = bulletin
        found = find_cjk_font()
        self.add_font(FAMILY, "", str(found.regular), collection_font_number=found.index)
        self.add_font(FAMILY, "B", str(found.bold), collection_font_number=found.index)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(bulletin.title)
        self.set_author(f"{bulletin.policy.name}城乡居民医保征缴工作看板")
        self.set_creator("城乡居民医保征缴工作看板")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, size=8)
        self.set_text_color(*GREY)
        label = "（模拟数据）" if self.bulletin.simulated else ""
        self.cell(0, 6, f"{self.bulletin.title} · {self.bulletin.period.label}{label}", align="R")
        self.ln(8)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 8, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")

    def heading(self, text: str) -> None:
        """A section's heading; on the next page where what follows it would not begin under
        it (a heading alone at the foot of a page, its table on the next)."""
        if self.will_page_break(3 + HEADING_HEIGHT + KEEP_WITH_HEADING):
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 12)
        self.set_text_color(*BLUE)
        self.cell(0, HEADING_HEIGHT, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def frame_table(
        self,
        frame: pd.DataFrame,
        widths: Sequence[float],
        *,
        highlight: Sequence[Colour | None] = (),
    ) -> None:
        self.set_font(FAMILY, size=self._fitting_size(frame, widths))
        header = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)
        with self.table(
            col_widths=widths,
            headings_style=header,
            line_height=5.5,
            text_align="CENTER",
            first_row_as_headings=True,
        ) as table:
            table.row([str(c) for c in frame.columns])
            for index, values in enumerate(frame.itertuples(index=False)):
                fill = highlight[index] if index < len(highlight) else None
                style = FontFace(fill_color=fill) if fill else None
                row = table.row()
                for value in values:
                    row.cell(str(value), style=style)

    def _fitting_size(self, frame: pd.DataFrame, widths: Sequence[float]) -> float:
        """The largest size, TABLE_SIZE at most, at which every value stands on one line in its
        column (a county's total net, -60,412,000.00, broke at its last digit); headings may
        wrap, they are words."""
        size = TABLE_SIZE
        room = [w - 2 * self.c_margin - self.line_width for w in widths]
        while size > SMALLEST_SIZE:
            self.set_font(FAMILY, size=size)
            if all(
                self.get_string_width(str(value)) <= width
                for column, width in zip(frame.columns, room, strict=True)
                for value in frame[column]
            ):
                break
            size -= 0.5
        return size

    def paragraph(self, text: str, *, size: float = 10, colour: Colour = (0, 0, 0)) -> None:
        """A paragraph of Chinese text the width of the page."""
        self.set_font(FAMILY, size=size)
        self.set_text_color(*colour)
        # broken here, not by fpdf2, which breaks Chinese anywhere, numbers too (净额-1 / ,084.00)
        room = self.epw - 2 * self.c_margin  # a cell's text stands inside its margins
        lines = break_lines(text, lambda line: self.get_string_width(line) > room)
        self.multi_cell(0, size * 0.65, "\n".join(lines), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def image_png(self, png: bytes, width: float) -> None:
        self.image(io.BytesIO(png), w=width)


def _widths(columns: Sequence[str], widths: Mapping[str, float]) -> list[float]:
    """The columns' widths, in proportion to ``widths``, filling TABLE_WIDTH."""
    chosen = [widths[c] for c in columns]
    return [w * TABLE_WIDTH / sum(chosen) for w in chosen]


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    """The bulletin as PDF bytes (FontMissing when no CJK font is installed)."""
    pdf = _BulletinPdf(bulletin)
    pdf.add_page()
    notes = bulletin.notes
    if notes.number:
        pdf.set_font(FAMILY, size=11)
        pdf.cell(0, 7, notes.number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 10, bulletin.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    pdf.set_text_color(*GREY)
    label = "　【模拟数据】" if bulletin.simulated else ""
    pdf.cell(0, 6, bulletin.subtitle + label, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)

    numerals = iter(NUMERALS)

    def heading(text: str) -> None:
        pdf.heading(f"{next(numerals)}、{text}")

    heading("总体进度")
    pdf.frame_table(pd.DataFrame(bulletin.kpis(), columns=["指标", "数值", "说明"]), [35, 35, 110])
    heading("通报摘要")
    pdf.paragraph(bulletin.summary_text())

    heading(f"{bulletin.kind_label}（{bulletin.period.label}）")
    ranking = bulletin.ranking_table()
    flags = [FLAG if f == FLAG_TEXT else None for f in ranking["后三名"]]
    pdf.frame_table(ranking, _widths(ranking.columns, RANKING_WIDTHS), highlight=flags)
    for note in bulletin.ranking_notes:
        pdf.ln(1)
        pdf.paragraph(note, size=8.5, colour=GREY)
    if chart := bulletin.completion_png():
        pdf.ln(3)
        pdf.image_png(chart, 180)

    below = bulletin.groups_below_target()
    if not below.empty:
        heading("未实现全员参保的特殊群体")
        pdf.frame_table(below, [50, 30, 30, 30, 30])
    heading("奖惩结算（按当前参保人数测算）")
    table = bulletin.settlement_table()
    totals = [TOTAL if i == len(table) - 1 else None for i in range(len(table))]
    pdf.frame_table(table, [10, 26, 19, 19, 15, 23, 23, 23, 22], highlight=totals)
    pdf.ln(3)
    pdf.image_png(net_chart(bulletin.settlement, title=NET_CHART_TITLE), 180)

    if notes.paragraphs:
        heading(REMARKS_HEADING)
        for paragraph in notes.paragraphs:
            pdf.paragraph(PARAGRAPH_INDENT + paragraph)
    if notes.sign_off:
        pdf.ln(6)
        pdf.set_font(FAMILY, size=11)
        for line in notes.sign_off:
            pdf.cell(0, 7, line, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
