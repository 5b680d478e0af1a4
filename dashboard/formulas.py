"""Formula cells an .xlsx file holds without their results.

Excel and WPS save each formula's last result beside it, and that result is what is read.
A workbook written by a program (a report filled in by the tax system's export, a script)
may hold the formula alone: until the file is opened and saved in a spreadsheet program,
the cell has no value, and it would read as empty. Such cells are found here in the sheets'
XML, which is streamed (a sheet of a million rows is never held whole), so that the file
can be refused with the cells named and the way out (open it and save it) said.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.etree import ElementTree

CHUNK = 8 * 1024 * 1024
_P = rb"(?:\w+:)?"  # a namespace prefix some writers put on every element (x:c, x:f)
# a cell whose formula is followed by no value, or an empty one (<v/>, <v></v>)
FORMULA_ONLY = re.compile(
    rb"<" + _P + rb"c\b([^>]*)>\s*<" + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>)\s*"
    rb"(?:<" + _P + rb"v\s*/>\s*|<" + _P + rb"v>\s*</" + _P + rb"v>\s*)?</" + _P + rb"c>"
)
REFERENCE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
TEXT_TYPE = re.compile(rb'\bt="str"')  # a formula whose result is text: empty text is a result
CELL_END = re.compile(rb"</" + _P + rb"c>")


def formulas_without_results(archive: zipfile.ZipFile) -> dict[str, list[tuple[int, str]]]:
    """Each worksheet's formula cells that hold no result, by sheet name: (row, column letter)
    in the order of the sheet. Sheets without such cells are left out."""
    found = {}
    for name, path in _sheet_paths(archive).items():
        with archive.open(path) as xml:
            cells = list(_formula_cells(xml))
        if cells:
            found[name] = cells
    return found


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name to the path of its XML in the archive (the workbook's relationships), in
    either namespace of the standard (transitional or strict)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {
        r.get("Id"): r.get("Target", "") for r in relations if _local(r.tag) == "Relationship"
    }
    members = set(archive.namelist())
    paths = {}
    for sheet in (e for e in workbook.iter() if _local(e.tag) == "sheet"):
        relation = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(relation, "")
        path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
        if target and path in members:
            paths[sheet.get("name", "")] = path
    return paths


def _local(tag: str) -> str:
    """An element's or attribute's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _formula_cells(xml: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(row, column letter) of each formula cell without a result, reading ``xml`` in chunks;
    a cell cut by a chunk's end is read whole with the next chunk."""
    carried, formulas = b"", False
    while chunk := xml.read(CHUNK):
        text = carried + chunk
        ends = [m.end() for m in CELL_END.finditer(text, max(len(text) - 65536, 0))]
        whole = ends[-1] if ends else 0
        # "f>" ends every formula but a shared one's copies (<f t="shared" si="0"/>), which
        # come after the formula they copy: from the first formula on, every chunk is read
        formulas = formulas or text.find(b"f>", 0, whole) >= 0
        if formulas:
            for match in FORMULA_ONLY.finditer(text, 0, whole):
                attributes = match.group(1)
                reference = REFERENCE.search(attributes)
                if reference and not TEXT_TYPE.search(attributes):
                    yield int(reference.group(2)), reference.group(1).decode()
        carried = text[whole:]
