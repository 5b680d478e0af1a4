"""AppTest of the 数据导入 and 特殊群体 pages: what a clerk and township staff see."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from dashboard import state
from dashboard.failures import DATABASE_DOWN
from dashboard.idnumbers import make_ids
from dashboard.persons import subsidies
from dashboard.samples import load_sample, sample_policy
from dashboard.scenarios import ScenarioData, apply_scenario, save_scenario
from dashboard.store import load_campaign, roster_members
from data_models.policy import SettlementRates

from apptest import start, table
from filemaker import csv_bytes, people

END = date(2022, 12, 31)


def imports_page(user: str) -> AppTest:
    at = start(user, county="neixiang")
    at.switch_page("../pages/imports.py").run()
    assert not at.exception
    return at


@pytest.fixture
def clerk(scratch_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    return imports_page("clerk")


@pytest.fixture
def admin(scratch_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    return imports_page("admin")


def upload_quotas(at: AppTest, quota: int) -> None:
    """Upload a Neixiang quota table giving every township the same quota."""
    townships = load_sample("neixiang").quota_by_township
    rows = [["乡镇", "征缴任务数"], *([t, quota] for t in townships)]
    at.file_uploader[0].set_value(("任务数.csv", csv_bytes(rows), "text/csv")).run()


def test_a_bad_file_shows_every_problem_and_cannot_be_imported(clerk: AppTest) -> None:
    bad = csv_bytes(
        [
            ["日期", "乡镇", "参保人数"],
            ["2022-11-01", "湍东镇", 500],
            ["2022-11-02", "湍东镇", 400],
            ["2022-11-02", "湍东乡", 1],
        ]
    )
    clerk.file_uploader[0].set_value(("进度.csv", bad, "text/csv")).run()
    assert clerk.error[0].value == "发现2个问题，文件未导入。请修正后重新上传。"
    problems = table(clerk, "问题")
    assert list(problems.columns) == ["文件", "行号", "列", "值", "问题"]
    assert problems.to_dict("records") == [
        {
            "文件": "进度.csv",
            "行号": "3",
            "列": "参保人数",
            "值": "400",
            "问题": "累计人数比2022-11-01的500少",
        },
        {
            "文件": "进度.csv",
            "行号": "4",
            "列": "乡镇",
            "值": "湍东乡",
            "问题": "不是本县的乡镇，是否为“湍东镇”？",
        },
    ]
    button = next(b for b in clerk.button if b.label == "导入")
    assert button.disabled
    assert [b.label for b in clerk.download_button][-2:] == ["下载问题清单（Excel）", "下载 CSV"]
    clerk.checkbox[0].check().run()
    assert not next(b for b in clerk.button if b.label == "导入").disabled


def test_a_file_with_an_unknown_column_is_refused_whole(clerk: AppTest) -> None:
    raw = csv_bytes([["日期", "乡镇", "参保人数", "备用列"], ["2022-11-01", "湍东镇", 500, 1]])
    clerk.file_uploader[0].set_value(("进度.csv", raw, "text/csv")).run()
    assert not clerk.exception
    assert clerk.error[0].value == "发现1个问题，文件未导入。请修正后重新上传。"
    assert table(clerk, "问题").iloc[0][["行号", "列"]].tolist() == ["1", "备用列"]
    assert not clerk.checkbox  # no valid rows to offer: leaving rows out cannot mend a header
    assert next(b for b in clerk.button if b.label == "导入").disabled


def test_a_file_of_many_problems_lists_the_first_hundred_in_full(clerk: AppTest) -> None:
    rows = [["日期", "乡镇", "参保人数"], *[["2022-11-01", f"某{n}镇", 1] for n in range(150)]]
    clerk.file_uploader[0].set_value(("进度.csv", csv_bytes(rows), "text/csv")).run()
    assert clerk.error[0].value == "发现150个问题，文件未导入。请修正后重新上传。"
    problems = table(clerk, "问题")
    assert len(problems) == 100 and problems.iloc[99]["行号"] == "101"
    assert "共150个问题，上表列出前100个，完整清单请下载。" in [c.value for c in clerk.caption]


def test_excels_unicode_text_is_taken_as_it_is_saved(clerk: AppTest) -> None:
    """Excel's and WPS's 另存为 Unicode 文本: a .txt of tab-separated UTF-16."""
    rows = [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000]]
    raw = "\r\n".join("\t".join(map(str, r)) for r in rows).encode("utf-16")
    clerk.file_uploader[0].set_value(("进度.txt", raw, "text/plain")).run()
    assert not clerk.exception
    assert "**进度.txt** · 进度表" in [m.value for m in clerk.markdown]
    assert clerk.success[0].value == "检查通过：1行，可以导入。"


def test_a_good_file_is_imported_recorded_and_undone(clerk: AppTest) -> None:
    good = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000]])
    clerk.file_uploader[0].set_value(("进度.csv", good, "text/csv")).run()
    assert clerk.success[0].value == "检查通过：1行，可以导入。"
    next(b for b in clerk.button if b.label == "导入").click().run()
    assert any(s.value.startswith("已导入进度表（第1号）：1行") for s in clerk.success)
    history = table(clerk, "编号")
    assert list(history["文件"]) == ["进度.csv"] and list(history["状态"]) == ["有效"]
    clerk.run()
    assert (
        clerk.info[0].value.startswith("该文件已于")
        and "再次导入不会重复计入" in clerk.info[0].value
    )
    clerk.checkbox(key="undo_confirm").check().run()
    clerk.button(key="undo_button").click().run()
    assert any(s.value == "已撤销第1号导入（进度.csv）。" for s in clerk.success)
    history = table(clerk, "编号")
    assert history["状态"].iloc[0].startswith("已撤销")


def test_a_quota_table_is_the_admins_to_import_and_undo(clerk: AppTest, admin: AppTest) -> None:
    """The official quotas are the admin's (as applying a scenario is): a clerk sees the
    quota table checked, and cannot import it or undo the admin's import of it."""
    upload_quotas(clerk, 1000)
    assert clerk.success[0].value == "检查通过：16行。"
    assert clerk.info[0].value == (
        "任务表决定各乡镇的正式任务数，只有系统管理员可以导入或撤销：请将文件交系统管理员导入。"
    )
    assert next(b for b in clerk.button if b.label == "导入").disabled
    upload_quotas(admin, 1000)
    assert not admin.info
    assert (
        "导入后，以下乡镇（街道）的正式任务数改为本文件的数（记入审计日志；撤销本次导入可恢复）："
        in [c.value for c in admin.caption]
    )
    preview = table(admin, "导入后任务数").set_index("乡镇（街道）")
    assert len(preview) == 17, "every township moves, then the 合计 row"
    assert preview.loc["湍东镇"].tolist() == ["62,010", "1,000", "-61,010"]
    assert preview.loc["合计"].tolist() == ["604,120", "16,000", "-588,120"]
    next(b for b in admin.button if b.label == "导入").click().run()
    assert any(s.value.startswith("已导入任务表（第1号）") for s in admin.success)
    clerk.file_uploader[0].set_value([]).run()
    assert "任务表的导入只有系统管理员可以撤销。" in [c.value for c in clerk.caption]
    assert not any(s.label == "撤销导入" for s in clerk.selectbox)
    assert any(s.label == "撤销导入" for s in admin.run().selectbox)


def test_a_quota_table_undo_after_an_applied_scenario_is_refused_on_the_page(
    admin: AppTest, scratch
) -> None:
    """The undo would put back the quotas from before the import and drop the ones applied
    since: refused, the quotas as they are, the import still in force."""
    upload_quotas(admin, 1000)
    next(b for b in admin.button if b.label == "导入").click().run()
    quotas = dict.fromkeys(load_sample("neixiang").quota_by_township, 2000)
    save_scenario(
        scratch, "neixiang", ScenarioData("全部2000", quotas, SettlementRates(), "latest")
    )
    apply_scenario(scratch, "neixiang", "全部2000", user="admin")
    admin.checkbox(key="undo_confirm").check().run()
    admin.button(key="undo_button").click().run()
    assert not admin.exception
    [refused] = [e.value for e in admin.error]
    assert refused.startswith("第1号导入之后又应用了方案“全部2000”（admin，")
    assert refused.endswith("为正式任务数：请先在模拟测算页撤销该次应用")
    assert table(admin, "编号")["状态"].tolist() == ["有效"]
    assert load_campaign(scratch, "neixiang").quota_by_township["湍东镇"] == 2000


def test_an_undo_that_cannot_reach_the_database_says_so_in_chinese(
    clerk: AppTest, monkeypatch
) -> None:
    """The undo runs in the button's callback, before the page's script and outside the
    app's own handling of errors: Streamlit's English box came up there."""
    good = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000]])
    clerk.file_uploader[0].set_value(("进度.csv", good, "text/csv")).run()
    next(b for b in clerk.button if b.label == "导入").click().run()

    def server_gone(*args: object) -> None:
        raise OperationalError("DELETE FROM payment", {}, ConnectionError("server closed"))

    monkeypatch.setattr(state, "undo", server_gone)
    clerk.checkbox(key="undo_confirm").check().run()
    clerk.button(key="undo_button").click().run()
    assert not clerk.exception
    assert DATABASE_DOWN in [e.value for e in clerk.error]
    assert table(clerk, "编号")["状态"].tolist() == ["有效"]


def test_what_a_file_holds_is_shown_as_written_not_read_as_markdown(clerk: AppTest) -> None:
    """Streamlit reads a table cell or a caption as Markdown: a bad value that is a link, a
    heading or emphasis is shown as the file has it (the page sends it escaped), and so is
    the file's name."""
    bad = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", "[点此](http://x.cn)"], ["2022-11-01", "# 板场乡", 5]])  # fmt: skip
    clerk.file_uploader[0].set_value(("*进度*.csv", bad, "text/csv")).run()
    assert "**\\*进度\\*.csv** · 进度表" in [m.value for m in clerk.markdown]
    assert list(table(clerk, "问题")["值"]) == ["[点此](http://x.cn)", "# 板场乡"]
    sent = next(t.value for t in clerk.table if "问题" in t.value.columns)
    assert list(sent["值"]) == ["\\[点此\\](http://x.cn)", "\\# 板场乡"]
    assert sent["文件"].iloc[0] == "\\*进度\\*.csv"


def test_a_progress_report_without_a_date_column_says_which_day_it_takes(clerk: AppTest) -> None:
    titled = csv_bytes([["截至11月8日各乡镇参保进度"], ["乡镇", "参保人数"], ["湍东镇", 50000]])
    clerk.file_uploader[0].set_value(("进度.csv", titled, "text/csv")).run()
    assert [c.value for c in clerk.caption if "没有日期列" in c.value] == [
        "进度.csv没有日期列：统计日期按“截至11月8日各乡镇参保进度”记为2022年11月8日"
    ]
    assert clerk.success[0].value == "检查通过：1行，可以导入。"


def test_the_tax_systems_export_is_imported_as_it_is_exported(clerk: AppTest) -> None:
    # its own column names, its ticket and office columns, a voided ticket, a line signing it
    # off, a township written as an address, a payer with a Hong Kong and Macao pass: checked
    # and imported, each thing passed over said under the file
    ids = make_ids("411325", np.full(4, np.datetime64("1980-05-05")), np.arange(4)).to_pylist()
    ids[2] = "H12345678"
    header = ["序号", "纳税人名称", "证件类型", "证件号码", "实缴金额（元）", "缴款日期", "乡镇（街道）", "电子税票号码", "票证状态"]  # fmt: skip
    rows = [
        ["城乡居民基本医疗保险费缴费明细"],
        header,
        *[
            [n + 1, "甲", "港澳居民来往内地通行证" if n == 2 else "居民身份证", number, "350.00", "2022-11-02 09:30:00", "河南省南阳市内乡县湍东镇", f"3320{n}", "作废" if n == 3 else "正常"]
            for n, number in enumerate(ids)
        ],
        ["制表人：王五"],
    ]  # fmt: skip
    clerk.file_uploader[0].set_value(("税务导出.csv", csv_bytes(rows, "gbk"), "text/csv")).run()
    assert "**税务导出.csv** · 缴费明细" in [m.value for m in clerk.markdown]
    assert [c.value for c in clerk.caption if "未导入" in c.value or "不" in c.value] == [
        "表下的落款与说明未导入：税务导出.csv第7行“制表人：王五”",
        "1行按“票证状态”不计入参保（作废1行）：税务导出.csv第6行",
        "1行不是身份证（港澳居民来往内地通行证1行），按证件号码计人，不作身份证校验",
    ]
    assert clerk.success[0].value == "检查通过：3行，可以导入。"
    next(b for b in clerk.button if b.label == "导入").click().run()
    assert "已导入缴费明细（第1号）：3行；已存在未重复计入0行；有问题未导入0行。" in [
        s.value for s in clerk.success
    ]
    sources = table(clerk, "参保人数来源").set_index("乡镇（街道）")
    assert sources.loc["湍东镇", "参保人数来源"] == "缴费明细"
    assert sources.loc["湍东镇", "数据截至"] == "11月2日"
    assert sources.loc["板场乡", "参保人数来源"] == "模拟数据"


def test_a_weekly_progress_file_sent_whole_says_its_imported_days_before_it_goes_in(
    clerk: AppTest,
) -> None:
    rows = [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000]]
    clerk.file_uploader[0].set_value(("进度.csv", csv_bytes(rows), "text/csv")).run()
    next(b for b in clerk.button if b.label == "导入").click().run()
    rows += [["2022-11-08", "湍东镇", 56000], ["2022-11-08", "板场乡", 9000]]
    clerk.file_uploader[0].set_value(("进度2.csv", csv_bytes(rows, "gbk"), "text/csv")).run()
    assert (
        clerk.success[0].value
        == "检查通过：3行，可以导入。其中1行已导入过（第1号导入），不会重复计入。"
    )
    next(b for b in clerk.button if b.label == "导入").click().run()
    assert "已导入进度表（第2号）：2行；已存在未重复计入1行；有问题未导入0行。" in [
        s.value for s in clerk.success
    ]
    # the first file's day is the second's too: undone only after it
    clerk.selectbox(key="undo_choice_2").set_value(1).run()
    clerk.checkbox(key="undo_confirm").check().run()
    clerk.button(key="undo_button").click().run()
    assert [e.value for e in clerk.error] == [
        "之后的导入（第2号）也列有第1号导入的数据（当时已存在，未重复计入），"
        "撤销第1号会使这些数据一并丢失：请先撤销第2号导入"
    ]
    assert table(clerk, "编号")["状态"].tolist() == ["有效", "有效"]
    # the import to undo first is chosen, the confirmation asked again
    assert clerk.selectbox(key="undo_choice_2").value == 2
    assert not clerk.checkbox(key="undo_confirm").value
    clerk.checkbox(key="undo_confirm").check().run()
    clerk.button(key="undo_button").click().run()
    assert "已撤销第2号导入（进度2.csv）。" in [s.value for s in clerk.success]
    assert clerk.selectbox(key="undo_choice_1").value == 1, "the one left"
    clerk.checkbox(key="undo_confirm").check().run()
    clerk.button(key="undo_button").click().run()
    assert "已撤销第1号导入（进度.csv）。" in [s.value for s in clerk.success]


def test_a_payment_list_is_counted_with_separators_and_known_again(clerk: AppTest) -> None:
    days = np.datetime64("1960-01-01") + np.arange(1200) // 100
    ids = make_ids("411325", days, np.arange(1200) % 100).to_pylist()
    header = ["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]
    raw = csv_bytes([header, *[[n, "板场乡", "东村", "2022-11-01", "350"] for n in ids]])
    clerk.file_uploader[0].set_value(("缴费.csv", raw, "text/csv")).run()
    assert clerk.success[0].value == "检查通过：1,200行，可以导入。"
    next(b for b in clerk.button if b.label == "导入").click().run()
    assert "已导入缴费明细（第1号）：1,200行；已存在未重复计入0行；有问题未导入0行。" in [
        s.value for s in clerk.success
    ]
    history = table(clerk, "编号")
    assert history.iloc[0][["类型", "导入行数", "已存在未重复计入"]].tolist() == [
        "缴费明细",
        "1,200",
        "0",
    ]
    # the week after, exported from the start: ten payments again (two of them now placed in
    # 湍东镇 by the tax system), one person paying a second time on another day, and five new
    # ones
    again = [[n, "板场乡", "东村", "2022-11-01", "350"] for n in ids[2:10]]
    again += [[n, "湍东镇", "城西村", "2022-11-01", "350"] for n in ids[:2]]
    second = [ids[10], "板场乡", "东村", "2022-11-03", "350"]
    new = make_ids("411325", days[:5], np.arange(5) + 200).to_pylist()
    rows = [header, *again, second, *[[n, "板场乡", "西村", "2022-11-02", "350"] for n in new]]
    clerk.file_uploader[0].set_value(("缴费2.csv", csv_bytes(rows), "text/csv")).run()
    # said before the import, counted as the import counts them
    seconds = "1行是已缴费人员又一次缴费，日期、金额或税票号码不同，"
    assert clerk.success[0].value == (
        f"检查通过：16行，可以导入。其中11行已导入过（第1号导入），不会重复计入（含{seconds}将记为重复缴费）。"
    )
    assert (
        "2行是之前导入过的人员，本文件所列的乡镇或村与之前不同：导入后改按本文件计入"
        "（板场乡→湍东镇2行；撤销本次导入可恢复）"
    ) in [c.value for c in clerk.caption]
    next(b for b in clerk.button if b.label == "导入").click().run()
    assert (
        f"已导入缴费明细（第2号）：5行；已存在未重复计入11行（其中{seconds}"
        "记为重复缴费：之后导入的退费先冲抵重复缴费）；其中2行改按本文件的乡镇或村计入；"
        "有问题未导入0行。"
    ) in [s.value for s in clerk.success]
    undo = next(s for s in clerk.selectbox if s.label == "撤销导入")
    assert undo.value == 2, "the newest import is the one offered for undo"
    clerk.file_uploader[0].set_value(("缴费.csv", raw, "text/csv")).run()
    # the first file again: known by its content, and by its kind
    assert "**缴费.csv** · 缴费明细" in [m.value for m in clerk.markdown]
    assert clerk.info[0].value.startswith("该文件已于")


def test_a_roster_is_imported_as_the_whole_roster_when_the_clerk_says_so(
    clerk: AppTest, scratch
) -> None:
    a, b = people(2)
    header = ["身份证号", "姓名", "乡镇", "人员类别"]
    november = csv_bytes([header, [a, "甲", "板场乡", "监测对象"], [b, "乙", "板场乡", "监测对象"]])
    clerk.file_uploader[0].set_value(("11月名单.csv", november, "text/csv")).run()
    assert not [c for c in clerk.checkbox if c.label.startswith("本文件是全量名单")], "none absent"
    next(b for b in clerk.button if b.label == "导入").click().run()
    december = csv_bytes([header, [a, "甲", "板场乡", "监测对象"]])
    clerk.file_uploader[0].set_value(("12月名单.csv", december, "text/csv")).run()
    (whole,) = [c for c in clerk.checkbox if c.label.startswith("本文件是全量名单")]
    assert "有1人不在本文件中，导入时将其移出名单" in whole.label
    whole.check().run()
    next(b for b in clerk.button if b.label == "导入").click().run()
    assert any("从之前导入的名单中移出1人" in s.value for s in clerk.success)
    listed = roster_members(scratch, "neixiang", "板场乡")["id_number"]
    assert a in set(listed) and b not in set(listed)


def test_a_member_who_paid_in_full_though_subsidised_is_listed_for_a_refund(
    clerk: AppTest,
) -> None:
    a, b = people(2, start=700)
    roster = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "村（社区）", "人员类别", "认定日期"],
            [a, "甲", "板场乡", "东村", "城乡最低生活保障对象", "2022-10-01"],
            [b, "乙", "板场乡", "东村", "城乡最低生活保障对象", "2022-10-01"],
        ]
    )
    pay = csv_bytes(
        [
            ["身份证号", "乡镇", "缴费日期", "缴费金额"],
            [a, "板场乡", "2022-11-02", "350"],  # the subsidy (80) not applied where they paid
            [b, "板场乡", "2022-11-02", "270"],
        ]
    )
    for name, raw in (("名单.csv", roster), ("缴费.csv", pay)):
        clerk.file_uploader[0].set_value((name, raw, "text/csv")).run()
        next(b for b in clerk.button if b.label == "导入").click().run()
    clerk.switch_page("../pages/groups.py").run()
    clerk.selectbox(key="groups_township").set_value("板场乡").run()
    clerk.selectbox(key="groups_village_板场乡").set_value("东村").run()
    shown = table(clerk, "实缴（元）")
    assert shown.to_dict("records") == [
        {
            "乡镇（街道）": "板场乡",
            "村（社区）": "东村",
            "姓名": "甲",
            "身份证号": a,  # a clerk corrects the record: the full number
            "人员类别（就高）": "城乡最低生活保障对象",
            "应缴（元）": "270.00",
            "实缴（元）": "350.00",
            "差额（元）": "+80.00",
            "处理": "多缴，应退还差额",
        }
    ]
    assert "已参保的名单人员中，1人多缴共80.00元，应退还。" in [c.value for c in clerk.caption]
    assert "下载缴费金额不符名单（Excel）" in [b.label for b in clerk.download_button]
    clerk.switch_page("../pages/township.py").run()
    clerk.selectbox(key="township_neixiang").set_value("板场乡").run()
    assert (
        "板场乡已参保的名单人员中，1人多缴共80.00元，应退还。名单见“特殊群体”页的缴费金额核对。"
    ) in [w.value for w in clerk.warning]

    # the tax system pays the 80 back: part of the payment, the person stays enrolled
    clerk.switch_page("../pages/imports.py").run()
    refund = csv_bytes(
        [["身份证号", "乡镇", "缴费日期", "缴费金额"], [a, "板场乡", "2022-11-20", "-80"]]
    )
    clerk.file_uploader[0].set_value(("退费.csv", refund, "text/csv")).run()
    assert any("1行退费记录退还同一人缴费的一部分" in c.value for c in clerk.caption)
    next(b for b in clerk.button if b.label == "导入").click().run()
    clerk.switch_page("../pages/groups.py").run()
    clerk.selectbox(key="groups_township").set_value("板场乡").run()
    clerk.selectbox(key="groups_village_板场乡").set_value("东村").run()
    assert clerk.success[0].value == (
        "已参保的名单人员实缴金额均与应缴一致。另有1人多缴的80.00元已退还。"
    )


def test_templates_are_offered(clerk: AppTest) -> None:
    labels = [b.label for b in clerk.download_button]
    assert labels[:4] == ["任务表模板", "进度表模板", "缴费明细模板", "资助名单模板"]


def test_groups_page_lists_the_unenrolled_with_masked_ids(app_env) -> None:
    at = start("leader", county="zhashui")
    at.switch_page("../pages/groups.py").run()
    assert not at.exception
    matrix = table(at, "低保户")
    county = matrix.iloc[-1]
    assert county["乡镇（街道）"] == "合计"
    cells = county.drop("乡镇（街道）").str.extract(r"^([\d,]+)/([\d,]+) \((\d+\.\d)%\)$")
    enrolled, roster = (cells[i].str.replace(",", "").astype(int) for i in (0, 1))
    # the rosters are Zhashui's printed group counts; the rate is shown with one decimal
    assert dict(roster) == {"特困供养人员": 1814, "孤儿及事实无人抚养儿童": 36, "低保户": 8001, "建档立卡脱贫人口": 32609, "监测户": 539, "低保边缘户": 411}  # fmt: skip
    assert list(cells[2]) == [f"{100 * e / r:.1f}" for e, r in zip(enrolled, roster, strict=True)]
    assert (enrolled <= roster).all() and (enrolled < roster).any()
    at.selectbox(key="groups_township").set_value("营盘镇").run()
    waiting = table(at, "身份证号")
    assert len(waiting) > 0
    assert set(waiting["乡镇（街道）"]) == {"营盘镇"}
    assert waiting["身份证号"].str.fullmatch(r"6110\*{10}\d{3}[\dX]").all()
    # Excel first: a CSV opened in Excel shows an ID number as 6.11026E+17
    assert [b.label for b in at.download_button] == ["下载未参保名单（Excel）", "下载 CSV"]
    funds = table(at, "资金来源")
    assert funds.iloc[-1]["资金来源"] == "合计"
    assert any("尚未参保" in c.value for c in at.caption)
    assert at.success[0].value == "已参保的名单人员实缴金额均与应缴一致。"


def test_a_township_user_sees_its_roster_and_the_subsidies_its_county_denies(
    app_env, engine
) -> None:
    at = start("township", county="neixiang", township="湍东镇")
    at.switch_page("../pages/groups.py").run()
    assert not at.exception
    waiting = table(at, "身份证号")
    assert set(waiting["乡镇（街道）"]) == {"湍东镇"}
    assert waiting["身份证号"].str.fullmatch(r"4113\*{10}\d{3}[\dX]").all()
    policy = sample_policy("neixiang")
    people = subsidies(roster_members(engine, "neixiang", "湍东镇"), policy, as_of=END)
    late = people[people["reason"] != ""]
    assert len(late) > 0  # 2 % of the simulated members are recognised after 11-30
    line = (
        f"名单中{len(late):,}人集中缴费期结束后认定，当年不享受资助；"
        f"其中已参保{int(late['is_enrolled'].sum()):,}人，按个人缴费标准全额缴费。"
    )
    assert line in [c.value for c in at.caption]
    summary = table(at, "人员类别（就高）")
    assert summary.iloc[-1]["人数"] == f"{len(people):,}"


def test_an_import_from_the_command_line_reaches_a_running_app(clerk: AppTest, tmp_path) -> None:
    """The app caches figures until the next import; an import made by another process (the
    CLI, a second server) counts as one: the next click shows it."""
    from dashboard.cli import run

    clerk.switch_page("../pages/overview.py").run()
    before = int(clerk.metric[0].value.replace(",", ""))
    file = tmp_path / "进度.csv"
    file.write_bytes(csv_bytes([["日期", "乡镇", "参保人数"], ["2022-12-31", "湍东镇", 70000]]))
    assert run(["import", "--county", "neixiang", str(file)]) == 0
    progress = load_sample("neixiang").progress
    tuandong = progress[(progress["township"] == "湍东镇") & (progress["date"] == END)]
    clerk.run()
    assert (
        int(clerk.metric[0].value.replace(",", "")) == before + 70000 - tuandong["enrolled"].sum()
    )


def test_a_file_checked_before_another_clerks_import_is_checked_again(clerk: AppTest) -> None:
    """Two clerks on one server: the second imports the file the first has checked; the
    first's next click shows it imported, not the check made before (their run found the
    shared figures already cleared by the second's)."""
    good = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000]])
    clerk.file_uploader[0].set_value(("进度.csv", good, "text/csv")).run()
    assert clerk.success[0].value == "检查通过：1行，可以导入。"
    other = start("clerk", county="neixiang")
    other.switch_page("../pages/imports.py").run()
    other.file_uploader[0].set_value(("进度.csv", good, "text/csv")).run()
    next(b for b in other.button if b.label == "导入").click().run()
    assert any(s.value.startswith("已导入进度表（第1号）") for s in other.success)
    clerk.run()
    assert not clerk.exception
    assert clerk.info[0].value.startswith("该文件已于")
    assert not [b for b in clerk.button if b.label == "导入"]
