"""模拟测算's own comparison of a scenario with the official figures (下载测算结果, `whatif`'s
CSV), met again as a file: read as a scenario by its scenario's quotas, refused as a table to
import (a what-if never changes the official quotas but through a scenario an admin applies)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.files import HEAD_ROWS, Sheet, drop_blank
from dashboard.glossary import TOWNSHIP
from dashboard.layout import NAMED_HEADERS, TOTAL_KEYS, header_key, normalise_name
from dashboard.problems import Problem

# The column that holds the scenario's quotas, and the official ones beside it: both, as the
# comparison has them (a county's own 任务测算表 may call its quotas 测算任务数 alone)
SCENARIO_QUOTA_KEYS = frozenset(header_key(h) for h in ("测算任务数", "scenario_quota"))
OFFICIAL_QUOTA_KEYS = frozenset(header_key(h) for h in ("正式任务数", "quota"))
NOT_TO_IMPORT = (
    "这是“模拟测算”的测算结果，不能导入：测算不改变正式任务数。要按其中的测算任务数改正式任务数，"
    "请在“模拟测算”页“从文件载入任务数”上传，保存为方案后由系统管理员应用"
)


@dataclass(frozen=True)
class ComparisonHeader:
    """Where a comparison's header is: its row and the township's and scenario's columns."""

    row: int
    township: int
    scenario: int
    scenario_header: str


def comparison_header(sheet: Sheet) -> ComparisonHeader | None:
    """The header of the comparison among the sheet's top rows; None for any other table."""
    for row, values in sheet.cells.head(HEAD_ROWS).iterrows():
        keys = {c: header_key(str(v)) for c, v in values.items()}
        scenario = [c for c, k in keys.items() if k in SCENARIO_QUOTA_KEYS]
        township = [c for c, k in keys.items() if NAMED_HEADERS.get(k) == TOWNSHIP]
        official = [c for c, k in keys.items() if k in OFFICIAL_QUOTA_KEYS]
        if len(scenario) == len(township) == len(official) == 1:
            name = str(values[scenario[0]]).strip()
            return ComparisonHeader(int(str(row)), township[0], scenario[0], name)
    return None


def comparison_quotas(sheet: Sheet, header: ComparisonHeader) -> Sheet:
    """The comparison as a quota table: its township column and its scenario's quotas only,
    on the rows where they were (the problems name them as the user sees them), without its
    合计 (the sum of the quotas downloaded, not of any changed since) and the 制表日期 under it."""
    at = {header.township: 0, header.scenario: 1}
    kept = sheet.cells.loc[:, list(at)].set_axis(list(at.values()), axis=1)
    totals = kept[0].map(lambda v: header_key(normalise_name(str(v))) in TOTAL_KEYS)
    below = kept.index > header.row
    end = kept.index[below & totals].min() if (below & totals).any() else None
    return drop_blank(
        replace(
            sheet,
            cells=kept if end is None else kept[kept.index < end],
            merged_down=tuple((t, b, at[c]) for t, b, c in sheet.merged_down if c in at),
            unresolved=tuple(
                (r, None if c is None else at.get(c), letter) for r, c, letter in sheet.unresolved
            ),
        )
    )


def comparisons_refused(sheets: list[Sheet]) -> list[Problem]:
    """A problem for each sheet that is the comparison, in a file brought to be imported."""
    return [
        Problem(s.label, found.row, found.scenario_header, None, NOT_TO_IMPORT)
        for s in sheets
        if (found := comparison_header(s)) is not None
    ]
