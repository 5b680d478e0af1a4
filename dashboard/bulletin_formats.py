"""The bulletin's file formats in one place, for the CLI and the 通报 page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.bulletin import Bulletin
from dashboard.bulletin_pdf import bulletin_pdf
from dashboard.bulletin_png import bulletin_png
from dashboard.bulletin_xlsx import bulletin_xlsx


@dataclass(frozen=True)
class BulletinFormat:
    """How one format is drawn, named and offered."""

    extension: str
    render: Callable[[Bulletin], bytes]
    mime: str
    label: str
    icon: str
    needs_font: bool


FORMATS: dict[str, BulletinFormat] = {
    "xlsx": BulletinFormat(
        "xlsx",
        bulletin_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "下载 Excel",
        ":material/table_view:",
        False,
    ),
    "pdf": BulletinFormat(
        "pdf",
        bulletin_pdf,
        "application/pdf",
        "下载 PDF（A4，可打印）",
        ":material/picture_as_pdf:",
        True,
    ),
    "png": BulletinFormat(
        "png", bulletin_png, "image/png", "下载长图（发工作群）", ":material/image:", True
    ),
}
