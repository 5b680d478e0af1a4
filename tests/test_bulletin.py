"""Bulletins: the same figures in xlsx, PDF and PNG, as the pages and the CLI show them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import date

import pandas as pd
import pytest
from marks import needs_font
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from dashboard import fonts
from dashboard.audit import changes, entries
from dashboard.bulletin import NUMBER_CHARS, REMARKS_CHARS, BulletinNotes, build_bulletin
from dashboard.bulletin_pdf import _BulletinPdf, bulletin_pdf
from dashboard.bulletin_png import _fitted, bulletin_png
from dashboard.bulletin_texts import latest_issuer, save_notes, saved_notes
from dashboard.bulletin_xlsx import bulletin_xlsx, ranking_xlsx
from dashboard.charts import ranking_table_figure
from dashboard.cli import run
from dashboard.drawing import break_lines
from dashboard.figures import periods_to_date, ranking
from dashboard.periods import period_of
from dashboard.samples import load_sample

from apptest import period_picker, start, table
from documents import pdf_text

AS_OF = date(2022, 11, 20)


@pytest.fixture(scope="module")
def neixiang():
    data = load_sample("neixiang")
    campaign = data.policy.campaign
    period = period_of(
        "half-month", AS_OF, campaign_start=campaign.start, campaign_end=campaign.end
    )
    return build_bulletin(data, period, as_of=AS_OF)


@pytest.fixture(scope="module")
def zhashui():
    data = load_sample("zhashui")
    period = period_of("month", date(2023, 11, 15), campaign_start=data.policy.campaign.start)
    return build_bulletin(data, period, as_of=date(2023, 12, 20))


def cli_ranking(capsys, as_of: date = AS_OF) -> list[dict[str, str]]:
    assert (
        run(
            ["rank", "--county", "neixiang", "--period", "half-month", "--as-of", as_of.isoformat()]
        )
        == 0
    )
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_bulletin_figures_and_summary(neixiang) -> None:
    assert neixiang.title == "内乡县城乡居民医保征缴半月通报"
    assert neixiang.subtitle == "2022年11月下半月 · 统计截至2022年11月20日"
    assert neixiang.previous is not None and neixiang.previous.as_of == date(2022, 11, 15)
    text = neixiang.summary_text()
    new = neixiang.summary.enrolled - neixiang.previous.enrolled  # since 11-15
    assert text.startswith(
        f"截至2022年11月20日，全县累计参保{neixiang.summary.enrolled:,}人（本期新增{new:,}人），"
        "完成任务数604,120人的"
    )
    assert "较上期提高" in text
    assert (
        "（序时进度78.3%，超过2.2个百分点）；16个乡镇（街道）均未完成任务，6个落后于序时进度。"
        in text
    )
    assert f"{'、'.join(neixiang.flagged)}排名后三位，且未完成任务" in text
    assert text.endswith("（本通报进度为模拟数据。）")


def test_the_summary_says_how_often_this_periods_laggards_were_flagged_before() -> None:
    # counted from each week's ranking as the 排名 page shows it, not from the bulletin's own
    data = load_sample("neixiang")
    campaign = data.policy.campaign
    as_of = date(2022, 12, 2)
    week = period_of("week", as_of, campaign_start=campaign.start, campaign_end=campaign.end)
    bulletin = build_bulletin(data, week, as_of=as_of)
    times = Counter(
        township
        for p in periods_to_date(data, "week", as_of=as_of)
        for township in ranking(data, p, as_of=as_of).table.query("flagged")["township"]
    )
    assert dict(bulletin.flag_record[["township", "times_flagged"]].values.tolist()) == times
    again = "、".join(f"{t}已累计{times[t]}次" for t in bulletin.flagged if times[t] > 1)
    assert again.count("已累计") == 3
    assert f"并扣减年度绩效考评分值；其中{again}。" in bulletin.summary_text()


def test_xlsx_cells_match_the_cli(neixiang, app_env, capsys) -> None:
    workbook = load_workbook(io.BytesIO(bulletin_xlsx(neixiang)))
    assert workbook.sheetnames[:3] == ["通报", "排名", "结算"]
    overview = workbook["通报"]
    assert overview["A1"].value == neixiang.title
    sheet = workbook["排名"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [
        "排名",
        "变化",
        "乡镇（街道）",
        "完成率",
        "参保人数",
        "本期新增",
        "任务数",
        "差额",
        "后三名",
    ]
    assert sheet["E2"].number_format == "#,##0" and sheet["D2"].number_format == "0.0%"
    before = {r["township"]: int(r["enrolled"]) for r in cli_ranking(capsys, date(2022, 11, 15))}
    rows = cli_ranking(capsys)
    for index, row in enumerate(rows, start=2):
        assert (
            sheet.cell(index, 1).value,
            sheet.cell(index, 3).value,
            sheet.cell(index, 5).value,
            sheet.cell(index, 6).value,  # new in the half-month: since the previous one's end
        ) == (
            int(row["rank"]),
            row["township"],
            int(row["enrolled"]),
            int(row["enrolled"]) - before[row["township"]],
        )
        assert round(sheet.cell(index, 4).value, 4) == float(row["completion_rate"])
        assert (sheet.cell(index, 9).value == "后三名·未完成") == (row["flagged"] == "1")
    assert sheet.column_dimensions["C"].width == 18
    money = workbook["结算"]
    assert money["I1"].value == "净额（元）" and money["I2"].number_format == "#,##0.00"
    assert money.cell(money.max_row, 2).value == "合计"
    assert money.cell(money.max_row, 9).value == float(neixiang.settlement.total.net)


def test_the_ranking_alone_is_the_bulletins_ranking_sheet_under_its_title(neixiang) -> None:
    alone = load_workbook(io.BytesIO(ranking_xlsx(neixiang)))
    assert alone.sheetnames == ["排名"]
    sheet = alone["排名"]
    assert sheet["A1"].value == "内乡县城乡居民医保征缴半月通报"
    assert sheet["A2"].value == "2022年11月下半月 · 统计截至2022年11月20日（模拟数据）"
    assert sheet.freeze_panes == "A5"  # the header in row 4 and the title stay in view
    whole = load_workbook(io.BytesIO(bulletin_xlsx(neixiang)))["排名"]
    rows = [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows == [[(c.value, c.number_format) for c in row] for row in whole.iter_rows()]
    assert len(rows) == 17  # the header and 16 townships


def test_xlsx_has_special_groups_for_zhashui(zhashui) -> None:
    workbook = load_workbook(io.BytesIO(bulletin_xlsx(zhashui)))
    groups = workbook["特殊群体"]
    assert [c.value for c in groups[1]] == ["群体", "名单人数", "参保人数", "未参保人数", "覆盖率"]
    assert groups["B2"].value == 1814


def test_a_township_one_person_short_never_reads_100_percent() -> None:
    data = load_sample("neixiang")
    quota = int(data.quotas.set_index("township").loc["湍东镇", "quota"])
    short = pd.DataFrame(
        {
            "date": [AS_OF],
            "township": ["湍东镇"],
            "village": [""],
            "enrolled": [quota - 1],
            "simulated": [False],
        }  # fmt: skip
    )
    progress = pd.concat([data.progress[data.progress["date"] < AS_OF], short], ignore_index=True)
    period = period_of("week", AS_OF, campaign_start=data.policy.campaign.start)
    bulletin = build_bulletin(data.with_progress(progress), period, as_of=AS_OF)
    sheet = load_workbook(io.BytesIO(bulletin_xlsx(bulletin)))["排名"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "湍东镇")
    assert row[3].number_format == "0.000%" and row[3].value == pytest.approx(0.999984, abs=1e-6)
    assert bulletin.ranking_table().set_index("乡镇（街道）").loc["湍东镇", "完成率"] == "99.998%"


def test_lines_break_between_characters_never_inside_a_number() -> None:
    # 15 characters a line: the comma would not fit, so the character before it goes down
    # with it; the numbers stay whole
    text = "扣减2,039,300.00元，净额-1,084,032.00元。"
    assert break_lines(text, lambda line: len(line) > 15) == [
        "扣减2,039,300.00",
        "元，净额",
        "-1,084,032.00元。",
    ]


@needs_font
def test_pdf_summary_keeps_every_number_on_one_line() -> None:
    # Zhashui's week 12: left to fpdf2, its lines broke inside 3,103 and -2,425,693.50
    data = load_sample("zhashui")
    week = period_of("week", date(2023, 11, 23), campaign_start=data.policy.campaign.start)
    bulletin = build_bulletin(data, week, as_of=week.end)
    page = PdfReader(io.BytesIO(bulletin_pdf(bulletin))).pages[0]
    lines = [re.sub(r"[\s\x00]+", "", line) for line in page.extract_text().splitlines()]
    numbers = re.findall(r"-?[0-9][0-9,.]*[0-9]%?", bulletin.summary_text())
    assert len(numbers) > 10
    for number in numbers:
        assert any(number in line for line in lines), f"{number} is broken across lines"


@needs_font
def test_pdf_text_holds_ranking_and_summary(neixiang, app_env, capsys) -> None:
    pdf = bulletin_pdf(neixiang)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)
    text = pdf_text(pdf)
    assert neixiang.title in text
    assert re.sub(r"\s+", "", neixiang.summary_text()) in text
    rows = cli_ranking(capsys)  # each township with its rate, then its enrolled
    found = [re.search(f"{row['township']}[\\d.]+%{int(row['enrolled']):,}", text) for row in rows]
    positions = [match.start() for match in found if match]
    assert len(positions) == len(rows)
    assert positions == sorted(positions), "townships appear in rank order"
    assert f"第1页/共{len(reader.pages)}页" in text
    fonts_used = {
        str(f.get("/BaseFont"))
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("NotoSansCJK" in f or "CJK" in f or "Hei" in f for f in fonts_used)
    assert b"/FontFile" in pdf, "the CJK font is embedded"


@needs_font
def test_png_is_a_long_phone_image(neixiang, zhashui) -> None:
    image = Image.open(io.BytesIO(bulletin_png(neixiang)))
    assert image.width == 1080 and image.height > 3000
    longer = Image.open(io.BytesIO(bulletin_png(zhashui)))
    assert longer.height > 2000


@needs_font
def test_a_long_township_name_is_set_smaller_in_the_png_not_cut() -> None:
    """The ranking's township column (205 px at 26 px type) cut 石家庄村街道办事处 to
    石家庄村街道办, silently; the type is made smaller, and only a name no size fits is cut,
    with an ellipsis."""
    name = "石家庄村街道办事处"
    text, size = _fitted(name, 26, 205, bold=False)
    assert text == name and 18 <= size < 26
    assert _fitted("湍东镇", 26, 205, bold=False) == ("湍东镇", 26)
    text, size = _fitted(name * 3, 26, 205, bold=False)
    assert size == 18 and text.endswith("…") and name.startswith(text[:-1][:9])


@needs_font
def test_a_heading_with_no_room_under_it_starts_the_next_page(neixiang) -> None:
    """A county of 35 townships put 四、奖惩结算 alone at the foot of page 2, its table on page
    3: a heading goes where what follows it can begin under it."""
    pdf = _BulletinPdf(neixiang)
    pdf.add_page()
    pdf.set_y(pdf.page_break_trigger - 20)  # room for the heading, none for a table under it
    pdf.heading("四、奖惩结算（按当前参保人数测算）")
    assert pdf.page_no() == 2 and pdf.get_y() < 40
    pdf.set_y(pdf.page_break_trigger - 60)
    pdf.heading("五、工作要求")
    assert pdf.page_no() == 2, "with room enough it stays"


@needs_font
def test_a_period_before_any_figure_has_no_completion_chart_in_any_format(neixiang) -> None:
    # no township reported yet: the ranking says why it ranks no one, and no chart of sixteen
    # empty bars stands under it; the settlement's chart stays
    data = load_sample("neixiang")
    campaign = data.policy.campaign
    empty = dataclasses.replace(data, progress=data.progress.iloc[0:0])
    week = period_of("week", campaign.start, campaign_start=campaign.start)
    before = build_bulletin(empty, week, as_of=campaign.start)
    assert before.ranking.unranked and before.completion_png() is None
    assert neixiang.completion_png() is not None
    assert before.summary_text().endswith(
        "本期尚无乡镇报送参保数据，不排名，不标记后三名。"
        "尚无参保数据，奖惩在导入第一份进度表或缴费明细后按参保人数测算。"
    ), "no money sentence on nobody enrolled: every township would owe its whole quota"
    charts = load_workbook(io.BytesIO(bulletin_xlsx(before)))["图表"]
    assert len(charts._images) == 1
    assert len(load_workbook(io.BytesIO(bulletin_xlsx(neixiang)))["图表"]._images) == 2
    pages = PdfReader(io.BytesIO(bulletin_pdf(before))).pages
    assert sum(len(page.images) for page in pages) == 1
    # the county's net, -60,412,000.00, stands on one line: the table's type is made smaller
    lines = [line.replace("\x00", "") for p in pages for line in p.extract_text().splitlines()]
    assert [line for line in lines if line.startswith("合计")][-1].endswith(
        "60,412,000.00-60,412,000.00"
    )
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(bulletin_pdf(neixiang))).pages) == 2
    without, chart_height = Image.open(io.BytesIO(bulletin_png(before))), 700
    assert without.height < Image.open(io.BytesIO(bulletin_png(neixiang))).height - chart_height


@needs_font
@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="no pdftoppm: install poppler-utils (.ci/run does)"
)
def test_pdf_renders_to_a4_pages(neixiang, tmp_path) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(bulletin_pdf(neixiang))
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    with Image.open(pages[0]) as first:
        assert first.size[0] in (413, 414) and first.size[1] == 585  # A4 at 50 dpi
        assert len(first.convert("L").getcolors(maxcolors=256) or range(257)) > 20, (
            "the page is not blank"
        )


@needs_font
@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "png"])
def test_cli_bulletin(app_env, tmp_path, capsys, fmt) -> None:
    out = tmp_path / f"b.{fmt}"
    assert (
        run(
            [
                "bulletin",
                "--county",
                "zhashui",
                "--period",
                "week",
                "--as-of",
                "2023-11-01",
                "--format",
                fmt,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "已生成柞水县第9周" in capsys.readouterr().out
    assert out.stat().st_size > 10_000


def test_cli_bulletin_without_a_font(app_env, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(fonts, "CANDIDATES", [])
    monkeypatch.delenv("DASHBOARD_CJK_FONT", raising=False)
    from dashboard import drawing

    drawing.font.cache_clear()
    code = run(
        [
            "bulletin",
            "--county",
            "zhashui",
            "--period",
            "week",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "b.pdf"),
        ]
    )
    drawing.font.cache_clear()
    assert code == 2
    assert "未找到中文字体，请安装 fonts-noto-cjk" in capsys.readouterr().err


def test_the_meeting_ranking_gives_each_column_its_widest_text(zhashui) -> None:
    """On the meeting-room screen each column is as wide as its widest text: 乾佑街道办事处
    whole, and 104.1% no longer cut to 04.1% on a narrow screen."""
    figure = ranking_table_figure(zhashui.ranking.table, title="乡镇排名")
    table = figure.data[0]
    assert list(table.header.values) == [
        "排名",
        "变化",
        "乡镇（街道）",
        "本期新增",
        "完成率",
        "后三名",
    ]
    # half a Chinese character a unit, and one character's padding
    assert list(table.columnwidth) == [6, 6, 16, 10, 8, 8]
    assert "乾佑街道办事处" in table.cells.values[2]


def test_bulletin_and_meeting_pages(app_env) -> None:
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/bulletin.py").run()
    assert not at.exception
    assert [b.label for b in at.download_button] == [
        "下载 Excel",
        "下载 PDF（A4，可打印）",
        "下载长图（发工作群）",
    ]
    assert any(m.value.startswith("截至2022年12月31日，全县累计参保600,492人") for m in at.markdown)
    # the preview shows the document's two charts, under the same titles as the downloads
    # (the long one's parenthesis as its subtitle)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [s["layout"]["title"] for s in specs]
    assert [(t["text"], t.get("subtitle", {}).get("text", "")) for t in titles] == [
        ("第12周（12月31日）各乡镇任务完成率", "红色为后三名且未完成"),
        ("各乡镇结算净额（元）", ""),
    ]
    bars = specs[0]["data"][0]
    assert dict(zip(bars["y"], bars["text"], strict=True))["瓦亭镇"] == "96.5%"
    at.switch_page("../pages/meeting.py").run()
    assert not at.exception
    assert at.title[0].value == "内乡县城乡居民医保征缴周排名"
    assert at.error[0].value == "## 后三名且未完成任务：瓦亭镇、马山口镇、七里坪乡"


NOTES = BulletinNotes(
    number="内效通〔2022〕15号",
    remarks="  各乡镇（街道）要对照任务倒排工期，逐村逐户摸排未参保人员。\n\n"
    "排名后三位的乡镇要于三日内书面说明原因及整改措施。  \n",
    issuer="内乡县效能中心",
    issued=date(2022, 11, 21),
)
PARAGRAPHS = [
    "各乡镇（街道）要对照任务倒排工期，逐村逐户摸排未参保人员。",
    "排名后三位的乡镇要于三日内书面说明原因及整改措施。",
]
INDENTED = {"\u3000\u3000" + p for p in PARAGRAPHS}


def test_notes_paragraphs_and_sign_off() -> None:
    assert NOTES.paragraphs == PARAGRAPHS, "one a line, blank lines and spaces dropped"
    assert NOTES.sign_off == ["内乡县效能中心", "2022年11月21日"]
    assert BulletinNotes().paragraphs == [] and BulletinNotes().sign_off == []
    assert BulletinNotes(issued=date(2022, 11, 21)).sign_off == ["2022年11月21日"]
    typed = BulletinNotes.written(
        number=" 内效通〔2022〕15号 ", remarks=" 要求 ", issuer="  ", issued=date(2022, 11, 21)
    )
    assert typed == BulletinNotes(number="内效通〔2022〕15号", remarks=" 要求 ")
    assert typed.sign_off == [], "no office to sign: no date either"


def test_xlsx_has_the_number_work_requirements_and_sign_off(neixiang) -> None:
    sheet = load_workbook(io.BytesIO(bulletin_xlsx(neixiang.with_notes(NOTES))))["通报"]
    cells = {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value}
    assert cells["A3"] == "内效通〔2022〕15号"
    heading = sheet[next(k for k, v in cells.items() if v == "工作要求")].row
    assert [sheet.cell(heading + n, 1).value for n in (1, 2)] == [
        "\u3000\u3000" + p for p in PARAGRAPHS
    ]
    assert {f"A{heading + 1}:C{heading + 1}", f"A{heading + 2}:C{heading + 2}"} <= {
        str(r) for r in sheet.merged_cells.ranges
    }
    assert [v for k, v in cells.items() if k.startswith("C") and sheet[k].row > 12] == [
        "内乡县效能中心",
        "2022年11月21日",
    ]
    longest = BulletinNotes(remarks="要" * REMARKS_CHARS)
    sheet = load_workbook(io.BytesIO(bulletin_xlsx(neixiang.with_notes(longest))))["通报"]
    assert max(d.height or 0 for d in sheet.row_dimensions.values()) == 409, "Excel's tallest"
    plain = load_workbook(io.BytesIO(bulletin_xlsx(neixiang)))["通报"]
    assert plain["A3"].value is None
    assert "工作要求" not in {c.value for row in plain.iter_rows() for c in row}


@needs_font
def test_pdf_has_the_number_first_and_the_requirements_and_sign_off_last(neixiang) -> None:
    pdf = bulletin_pdf(neixiang.with_notes(NOTES))
    text = pdf_text(pdf)
    assert text.startswith("内效通〔2022〕15号" + neixiang.title)
    tail = "五、工作要求" + "".join(PARAGRAPHS) + "内乡县效能中心2022年11月21日"
    assert re.sub(r"第\d+页/共\d+页", "", text).endswith(tail)
    assert "工作要求" not in pdf_text(bulletin_pdf(neixiang))


@needs_font
def test_png_grows_by_the_office_text(neixiang) -> None:
    plain = Image.open(io.BytesIO(bulletin_png(neixiang)))
    noted = Image.open(io.BytesIO(bulletin_png(neixiang.with_notes(NOTES))))
    # the number's line, the heading, two paragraphs of two lines at most, two sign-off lines
    assert 50 + 84 + 2 * 61 + 2 * 51 <= noted.height - plain.height <= 50 + 84 + 4 * 51 + 200


def bulletin_args(tmp_path, *options: str) -> list[str]:
    return [
        "bulletin", "--county", "neixiang", "--period", "half-month", "--as-of", "2022-11-20",
        "--format", "xlsx", "--out", str(tmp_path / "b.xlsx"), *options,
    ]  # fmt: skip


def test_cli_bulletin_takes_the_office_text_from_options_and_a_gbk_file(
    app_env, tmp_path, capsys
) -> None:
    remarks = tmp_path / "要求.txt"
    remarks.write_bytes(NOTES.remarks.encode("gbk"))
    options = ["--number", NOTES.number, "--issuer", NOTES.issuer, "--issued", "2022-11-21"]
    assert run(bulletin_args(tmp_path, *options, "--remarks-file", str(remarks))) == 0
    capsys.readouterr()
    sheet = load_workbook(tmp_path / "b.xlsx")["通报"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert NOTES.number in values and "内乡县效能中心" in values and "2022年11月21日" in values
    assert ["\u3000\u3000" + p for p in PARAGRAPHS] == [v for v in values if v in INDENTED]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--issued", "2022-11-31"], "--issued：“2022-11-31”不是有效日期（应为 YYYY-MM-DD）"),
        (["--number", "号" * 41], "--number：不能超过40个字（现有41个）"),
        (["--remarks-file", "missing.txt"], "missing.txt"),
        (
            ["--remarks-file", "big5.txt"],
            "--remarks-file：big5.txt：无法识别文件编码（疑似 big5），请另存为 UTF-8 或 GBK 编码的文本文件",
        ),
    ],
)
def test_cli_bulletin_refuses_bad_office_text(
    app_env, tmp_path, capsys, monkeypatch, options, message
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big5.txt").write_bytes(
        "請各鄉鎮於本週內完成未參保人員的摸排核實工作。".encode("big5")
    )
    assert run(bulletin_args(tmp_path, *options)) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "b.xlsx").exists(), "nothing written"


def test_saved_notes_come_back_per_bulletin_and_the_last_issuer_signs_the_next(scratch) -> None:
    data = load_sample("neixiang")
    start = data.policy.campaign.start
    first = period_of("half-month", date(2022, 11, 1), campaign_start=start)
    second = period_of("half-month", date(2022, 11, 16), campaign_start=start)
    assert saved_notes(scratch, "neixiang", 2023, first) is None
    assert latest_issuer(scratch, "neixiang", 2023) == ""
    save_notes(scratch, "neixiang", 2023, first, NOTES, user="supervisor")
    saved = saved_notes(scratch, "neixiang", 2023, first)
    assert saved is not None and saved.notes == NOTES and saved.saved_by == "supervisor"
    assert saved_notes(scratch, "neixiang", 2023, second) is None, "each bulletin its own"
    assert latest_issuer(scratch, "neixiang", 2023) == "内乡县效能中心"
    changed = dataclasses.replace(NOTES, number="内效通〔2022〕16号", issuer="", issued=None)
    save_notes(scratch, "neixiang", 2023, first, changed, user="admin")
    again = saved_notes(scratch, "neixiang", 2023, first)
    assert again is not None and (again.notes, again.saved_by) == (changed, "admin")
    assert latest_issuer(scratch, "neixiang", 2023) == "", "the saved text signed by nobody"
    long = BulletinNotes(remarks="要" * REMARKS_CHARS, number="号" * NUMBER_CHARS)
    save_notes(scratch, "neixiang", 2023, second, long, user="supervisor")
    kept = saved_notes(scratch, "neixiang", 2023, second)
    assert kept is not None and kept.notes == long, "the longest text the page allows is kept"
    logged = entries(scratch, action="bulletin_text_saved")
    assert [(e.username, e.target) for e in logged] == [
        ("supervisor", "半月通报 2022年11月下半月"),
        ("admin", "半月通报 2022年11月上半月"),
        ("supervisor", "半月通报 2022年11月上半月"),
    ]
    assert changes(json.loads(logged[1].before or ""), json.loads(logged[1].after or "")) == (
        "文号：内效通〔2022〕15号 → 内效通〔2022〕16号；落款单位：内乡县效能中心 → ；"
        "落款日期：2022-11-21 → —"
    )


def test_cli_bulletin_uses_the_saved_text_unless_an_option_replaces_it(
    scratch_url, scratch, monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    data = load_sample("neixiang")
    period = period_of("half-month", AS_OF, campaign_start=data.policy.campaign.start)
    save_notes(scratch, "neixiang", 2023, period, NOTES, user="supervisor")
    assert run(bulletin_args(tmp_path, "--number", "内效通〔2022〕99号")) == 0
    assert "；文号、工作要求与落款用了supervisor在通报页保存的）" in capsys.readouterr().out
    values = [
        c.value for row in load_workbook(tmp_path / "b.xlsx")["通报"].iter_rows() for c in row
    ]
    assert "内效通〔2022〕99号" in values and NOTES.number not in values
    assert "内乡县效能中心" in values and "2022年11月21日" in values
    assert ["\u3000\u3000" + p for p in PARAGRAPHS] == [v for v in values if v in INDENTED]


def _fill_notes(at, key: str, notes: BulletinNotes) -> None:
    at.text_input(key=f"notes_number_{key}").input(notes.number)
    at.text_input(key=f"notes_issuer_{key}").input(notes.issuer)
    at.date_input(key=f"notes_issued_{key}").set_value(notes.issued)
    at.text_area(key=f"notes_remarks_{key}").input(notes.remarks)
    next(b for b in at.button if b.label == "保存并更新通报").click().run()


def test_bulletin_page_saves_the_office_text_and_shows_it_again(
    scratch_url, scratch, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/bulletin.py").run()
    assert "**工作要求**" not in [m.value for m in at.markdown]
    assert "尚未保存任何通报的文号、工作要求或落款。" in [c.value for c in at.caption]
    key = "neixiang_2023_week_12"  # the latest week, 第12周（12月31日）
    _fill_notes(at, key, dataclasses.replace(NOTES, issued=date(2022, 12, 31)))
    assert not at.exception
    assert any(c.value.startswith("本期通报的文字由 supervisor 于") for c in at.caption)
    (listed,) = table(at, "文号").to_dict("records")
    assert {k: v for k, v in listed.items() if k != "保存时间"} == {
        "通报": "周排名",
        "期次": "第12周（12月31日）",
        "文号": "内效通〔2022〕15号",
        "发文单位": "内乡县效能中心",
        "成文日期": "2022年12月31日",
        "工作要求": "2段",
        "保存人": "supervisor",
    }

    def preview(at) -> list[str]:
        shown = [m.value for m in at.markdown]
        assert shown[shown.index("内效通〔2022〕15号") + 1] == "### 内乡县城乡居民医保征缴周排名"
        start_at = shown.index("**工作要求**")
        return shown[start_at + 1 : start_at + 4]

    expected = [*PARAGRAPHS, "内乡县效能中心  \n2022年12月31日"]
    assert preview(at) == expected
    leader = start("leader", county="neixiang")  # another session: the text was saved
    leader.switch_page("../pages/bulletin.py").run()
    assert preview(leader) == expected
    assert not leader.text_area, "the office's text is the office's to write"
    leader.switch_page("../pages/meeting.py").run()  # the same bulletin, in the meeting room
    shown = [m.value for m in leader.markdown]
    start_at = shown.index("## 工作要求")
    assert shown[start_at + 1 : start_at + 3] == [f"### {p}" for p in PARAGRAPHS]
    later = start("admin", county="neixiang")
    later.switch_page("../pages/bulletin.py").run()
    assert preview(later) == expected
    assert later.text_area(key=f"notes_remarks_{key}").value == NOTES.remarks
    # another bulletin: no text yet, its sign-off starts from the last one's office
    picker = period_picker(later)
    picker.select_index(next(i for i, p in enumerate(picker.options) if p.startswith("第11周")))
    later.run()
    assert later.text_input(key="notes_number_neixiang_2023_week_11").value == ""
    assert later.text_input(key="notes_issuer_neixiang_2023_week_11").value == "内乡县效能中心"
    assert "**工作要求**" not in [m.value for m in later.markdown]
