"""A Chinese (CJK) font on this machine, for PDF and PNG exports; found, never downloaded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# (path, face index in a collection); Noto Sans CJK's collections hold SC as the third face.
CANDIDATES: list[tuple[str, int]] = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-{weight}.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
]
INSTALL_HINT = (
    "未找到中文字体，请安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk），"
    "或设置 DASHBOARD_CJK_FONT 为字体文件路径"
)


class FontMissing(Exception):
    """No CJK font is installed; the message says how to install one."""


@dataclass(frozen=True)
class CJKFont:
    """A font file and the face to use in it, regular and bold (bold may be the same file)."""

    regular: Path
    bold: Path
    index: int


def find_cjk_font() -> CJKFont:
    """The first CJK font found: DASHBOARD_CJK_FONT (a path, optionally 'path#index'), then the
    usual places on Linux, Windows and macOS. FontMissing when there is none."""
    override = os.environ.get("DASHBOARD_CJK_FONT")
    if override:
        path, _, face = override.partition("#")
        if Path(path).is_file():
            return CJKFont(Path(path), Path(path), int(face or 0))
    for pattern, index in CANDIDATES:
        regular = Path(pattern.format(weight="Regular"))
        if regular.is_file():
            bold = Path(pattern.format(weight="Bold"))
            return CJKFont(regular, bold if bold.is_file() else regular, index)
    raise FontMissing(INSTALL_HINT)


def has_cjk_font() -> bool:
    """True when find_cjk_font would succeed."""
    try:
        find_cjk_font()
    except FontMissing:
        return False
    return True
