"""The bulletin as one long PNG for a phone screen (to paste into a work chat group)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from PIL import Image, ImageDraw

from dashboard.bulletin import NET_CHART_TITLE, PARAGRAPH_INDENT, REMARKS_HEADING, Bulletin
from dashboard.drawing import (
    BLUE,
    INK,
    LIGHT,
    RED,
    WHITE,
    font,
    net_chart,
    text_width,
    wrap,
)
from dashboard.views import FLAG_TEXT, YEAR_ON_YEAR

WIDTH = 1080
MARGIN = 48
GREY = (89, 101, 121)
FLAG = (253, 226, 225)
ORANGE = (230, 126, 34)
# the ranking's columns a phone's width holds, and their shares of it (同比 where there is one)
PHONE_RANKING = {
    "排名": 0.9,
    "变化": 0.9,
    "乡镇（街道）": 2.0,
    "本期新增": 1.3,
    "完成率": 1.2,
    YEAR_ON_YEAR: 1.3,
    "差额": 1.1,
    "后三名": 1.9,
}


def _block(height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, height), WHITE)
    return image, ImageDraw.Draw(image)


def _title(bulletin: Bulletin) -> Image.Image:
    lines = wrap(bulletin.title, 52, WIDTH - 2 * MARGIN)
    number = bulletin.notes.number
    image, draw = _block(70 * len(lines) + 130 + (50 if number else 0))
    y = 40
    if number:
        draw.text(((WIDTH - text_width(number, 30)) / 2, y), number, font=font(30), fill=INK)
        y += 50
    for line in lines:
        draw.text(
            ((WIDTH - text_width(line, 52, bold=True)) / 2, y),
            line,
            font=font(52, bold=True),
            fill=INK,
        )
        y += 70
    draw.text(
        ((WIDTH - text_width(bulletin.subtitle, 30)) / 2, y + 4),
        bulletin.subtitle,
        font=font(30),
        fill=GREY,
    )
    if bulletin.simulated:
        label = "模拟数据"
        x = (WIDTH - text_width(label, 26) - 24) / 2
        draw.rounded_rectangle(
            (x, y + 50, x + text_width(label, 26) + 24, y + 86), 8, fill=(253, 239, 222)
        )
        draw.text((x + 12, y + 52), label, font=font(26), fill=ORANGE)
    return image


def _heading(text: str) -> Image.Image:
    image, draw = _block(84)
    draw.rectangle((MARGIN, 30, MARGIN + 8, 70), fill=BLUE)
    draw.text((MARGIN + 22, 26), text, font=font(36, bold=True), fill=INK)
    return image


def _kpis(bulletin: Bulletin) -> Image.Image:
    kpis = bulletin.kpis()
    rows = (len(kpis) + 1) // 2
    card_w, card_h = (WIDTH - 2 * MARGIN - 24) // 2, 184
    image, draw = _block(rows * (card_h + 24))
    for i, (label, value, note) in enumerate(kpis):
        x = MARGIN + (i % 2) * (card_w + 24)
        y = (i // 2) * (card_h + 24)
        draw.rounded_rectangle(
            (x, y, x + card_w, y + card_h), 14, outline=LIGHT, width=3, fill=WHITE
        )
        draw.text((x + 22, y + 14), label, font=font(28), fill=GREY)
        draw.text((x + 22, y + 52), value, font=font(52, bold=True), fill=INK)
        for n, line in enumerate(wrap(note, 22, card_w - 44)[:2]):
            draw.text((x + 22, y + 118 + n * 26), line, font=font(22), fill=GREY)
    return image


def _paragraph(text: str, size: int = 32) -> Image.Image:
    lines = wrap(text, size, WIDTH - 2 * MARGIN)
    image, draw = _block(int(len(lines) * size * 1.6) + 20)
    for n, line in enumerate(lines):
        draw.text((MARGIN, 10 + n * size * 1.6), line, font=font(size), fill=INK)
    return image


def _sign_off(lines: Sequence[str], size: int = 32) -> Image.Image:
    """The issuing office and the date, flush right."""
    image, draw = _block(int(len(lines) * size * 1.6) + 40)
    for n, line in enumerate(lines):
        x = WIDTH - MARGIN - text_width(line, size)
        draw.text((x, 30 + n * size * 1.6), line, font=font(size), fill=INK)
    return image


def _table(
    frame: pd.DataFrame, widths: Sequence[float], highlight: Sequence[bool] = ()
) -> Image.Image:
    size, row_h = 26, 54
    usable = WIDTH - 2 * MARGIN
    xs = [MARGIN + usable * sum(widths[:i]) / sum(widths) for i in range(len(widths) + 1)]
    image, draw = _block(row_h * (len(frame) + 1) + 10)
    draw.rectangle((MARGIN, 0, WIDTH - MARGIN, row_h), fill=BLUE)
    rows = [list(frame.columns), *[list(map(str, r)) for r in frame.itertuples(index=False)]]
    for r, values in enumerate(rows):
        y = r * row_h
        if r and r - 1 < len(highlight) and highlight[r - 1]:
            draw.rectangle((MARGIN, y, WIDTH - MARGIN, y + row_h), fill=FLAG)
        elif r % 2 == 0 and r:
            draw.rectangle((MARGIN, y, WIDTH - MARGIN, y + row_h), fill=(247, 249, 252))
        for c, value in enumerate(values):
            colour = (
                WHITE if r == 0 else (RED if r - 1 < len(highlight) and highlight[r - 1] else INK)
            )
            bold = r == 0
            text, fitted = _fitted(str(value), size, xs[c + 1] - xs[c] - 10, bold=bold)
            x = xs[c] + (xs[c + 1] - xs[c] - text_width(text, fitted, bold=bold)) / 2
            draw.text(
                (x, y + 12 + (size - fitted) / 2), text, font=font(fitted, bold=bold), fill=colour
            )
    return image


SMALLEST_CELL = 18  # px: a cell's type is made smaller down to this before its text is cut


def _fitted(text: str, size: int, room: float, *, bold: bool) -> tuple[str, int]:
    """A cell's text and type size: smaller type where the text is wider than its ``room``
    (石家庄村街道办事处 in the township column), and only below SMALLEST_CELL cut, with an
    ellipsis to say so."""
    while text_width(text, size, bold=bold) > room and size > SMALLEST_CELL:
        size -= 1
    if text_width(text, size, bold=bold) <= room:
        return text, size
    while len(text) > 1 and text_width(text + "…", size, bold=bold) > room:
        text = text[:-1]
    return text + "…", size


def _picture(png: bytes) -> Image.Image:
    chart = Image.open(io.BytesIO(png)).convert("RGB")
    scale = (WIDTH - 2 * MARGIN) / chart.width
    chart = chart.resize((WIDTH - 2 * MARGIN, int(chart.height * scale)), Image.Resampling.LANCZOS)
    image, _ = _block(chart.height + 20)
    image.paste(chart, (MARGIN, 10))
    return image


def phone_ranking(bulletin: Bulletin) -> pd.DataFrame:
    """The ranking's columns the phone image shows (PHONE_RANKING), as the page shows them."""
    table = bulletin.ranking_table()
    return table[[c for c in PHONE_RANKING if c in table.columns]]


def bulletin_png(bulletin: Bulletin) -> bytes:
    """A 1080-pixel-wide image, as long as the bulletin needs (FontMissing without a CJK font)."""
    ranking = phone_ranking(bulletin)
    flagged = [f == FLAG_TEXT for f in ranking["后三名"]]
    money = bulletin.settlement_table()[["乡镇（街道）", "参保人数", "任务数", "净额（元）"]]
    blocks = [
        _title(bulletin),
        _heading("总体进度"),
        _kpis(bulletin),
        _heading("通报摘要"),
        _paragraph(bulletin.summary_text()),
        _heading(f"{bulletin.kind_label}（{bulletin.period.label}）"),
        _table(ranking, [PHONE_RANKING[c] for c in ranking.columns], flagged),
    ]
    blocks += [_paragraph(note, 24) for note in bulletin.ranking_notes]
    if chart := bulletin.completion_png(WIDTH):
        blocks.append(_picture(chart))
    below = bulletin.groups_below_target()
    if not below.empty:
        blocks += [_heading("未实现全员参保的特殊群体"), _table(below, [2.4, 1, 1, 1, 1])]
    blocks += [
        _heading("奖惩结算（按当前参保人数测算）"),
        _table(money, [2, 1.4, 1.4, 1.8]),
        _picture(net_chart(bulletin.settlement, title=NET_CHART_TITLE, width=WIDTH)),
    ]
    notes = bulletin.notes
    if notes.paragraphs:
        blocks.append(_heading(REMARKS_HEADING))
        blocks += [_paragraph(PARAGRAPH_INDENT + p) for p in notes.paragraphs]
    if notes.sign_off:
        blocks.append(_sign_off(notes.sign_off))
    blocks.append(
        _paragraph(f"{bulletin.policy.name}城乡居民医保征缴工作看板 · {bulletin.subtitle}", 22)
    )
    height = sum(b.height for b in blocks) + 40
    canvas = Image.new("RGB", (WIDTH, height), WHITE)
    y = 0
    for block in blocks:
        canvas.paste(block, (0, y))
        y += block.height
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
