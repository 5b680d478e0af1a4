"""A progress report's township figures against the reports imported before it."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.glossary import DATE, ENROLLED, GROUP, TOWNSHIP, VILLAGE
from dashboard.progress_drops import IMPORT, group_drops, township_drops

UNDO = "累计人数不能减少，如需更正请先撤销该导入"


def reports(*rows: tuple) -> pd.DataFrame:
    """Rows of (day, township, village, enrolled[, import_id])."""
    columns = [DATE, TOWNSHIP, VILLAGE, ENROLLED, IMPORT][: len(rows[0])]
    return pd.DataFrame(list(rows), columns=columns)


STORED = reports(
    (date(2022, 11, 1), "湍东镇", "东村", 20000, 3),
    (date(2022, 11, 1), "湍东镇", "西村", 10000, 3),
    (date(2022, 11, 8), "湍东镇", "东村", 25000, 4),
    (date(2022, 11, 8), "板场乡", "", 8000, None),
)


def test_a_village_report_that_leaves_villages_out_keeps_their_latest_figures() -> None:
    """西村 is not in the new report: the township counts its 10 000 of 11-01 still."""
    new = reports((date(2022, 11, 15), "湍东镇", "东村", 26000))
    assert township_drops(STORED, new).empty


def test_a_lower_township_total_after_village_reports_names_their_import() -> None:
    new = reports(
        (date(2022, 11, 15), "湍东镇", "", 34000), (date(2022, 11, 15), "板场乡", "", 8000)
    )
    assert township_drops(STORED, new).to_dict() == {
        0: f"湍东镇累计参保人数将为34,000，比11月8日已导入（第4号导入）的35,000少：{UNDO}"
    }


def test_an_earlier_report_higher_than_a_later_stored_one() -> None:
    """A report with no import behind it (stored by the system) is said as 已导入."""
    new = reports(
        (date(2022, 11, 2), "板场乡", "", 8100), (date(2022, 11, 2), "湍东镇", "东村", 20500)
    )
    assert township_drops(STORED, new).to_dict() == {
        0: f"板场乡累计参保人数将为8,100，比之后11月8日已导入的8,000还多：{UNDO}"
    }


def test_the_files_own_township_figure_then_its_villages_lower() -> None:
    new = reports(
        (date(2022, 11, 15), "板场乡", "", 9000),
        (date(2022, 11, 22), "板场乡", "北村", 4000),
        (date(2022, 11, 22), "板场乡", "南村", 4500),
    )
    said = "板场乡累计参保人数将为8,500，比11月15日本文件中的9,000少：累计人数不能减少"
    assert township_drops(STORED, new).to_dict() == {1: said, 2: said}


def test_a_drop_of_one_level_within_the_file_is_left_to_parsing() -> None:
    new = reports(
        (date(2022, 11, 15), "板场乡", "", 9000), (date(2022, 11, 22), "板场乡", "", 8900)
    )
    assert township_drops(STORED, new).empty


def test_nothing_stored_and_rises_only() -> None:
    new = reports((date(2022, 11, 15), "板场乡", "", 9000))
    assert township_drops(STORED.iloc[0:0], new).empty
    assert township_drops(STORED, new.iloc[0:0]).empty


def test_a_special_groups_count_lower_than_an_imported_one() -> None:
    """A group's figure of a township on a day is the sum of the file's village rows."""
    stored = pd.DataFrame(
        [
            (date(2022, 11, 1), "湍东镇", "minimum_living", 300, 5),
            (date(2022, 11, 8), "湍东镇", "minimum_living", 320, 6),
            (date(2022, 11, 8), "湍东镇", "extreme_poverty", 40, 6),
        ],
        columns=[DATE, TOWNSHIP, GROUP, ENROLLED, IMPORT],
    )
    new = pd.DataFrame(
        [
            (date(2022, 11, 15), "湍东镇", "东村", 150, 41),
            (date(2022, 11, 15), "湍东镇", "西村", 160, 2),
            (date(2022, 11, 5), "板场乡", "", 10, None),
        ],
        columns=[DATE, TOWNSHIP, VILLAGE, "group:minimum_living", "group:extreme_poverty"],
    )
    found = group_drops(
        stored,
        new,
        columns={
            "group:minimum_living": "minimum_living",
            "group:extreme_poverty": "extreme_poverty",
        },
        labels={"group:minimum_living": "低保", "group:extreme_poverty": "特困"},
    )
    low = f"湍东镇“低保”累计参保人数将为310，比11月8日已导入（第6号导入）的320少：{UNDO}"
    assert found.to_dict() == {(0, "group:minimum_living"): low, (1, "group:minimum_living"): low}
