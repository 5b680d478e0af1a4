"""A what-if scenario read from a file (`whatif --scenario`, 模拟测算's upload): a quota table
that may list only the townships it changes, the others keeping their official quotas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from dashboard.comparison_tables import comparison_header, comparison_quotas
from dashboard.files import read_sheets
from dashboard.parsing import MISSING_QUOTA, Parsed, parse_sheets, quota_frames
from dashboard.problems import Problem
from data_models.policy import CountyPolicy


@dataclass(frozen=True)
class ScenarioFile:
    """The file's quotas over the official ones (every township, in the official order; empty
    where it has ``problems``), the township each of ``missing`` says it leaves out, how many
    it lists, and how it was read (``notes``: a township's quota of 0 …)."""

    quotas: dict[str, int]
    missing: tuple[Problem, ...]
    problems: tuple[Problem, ...]
    listed: int
    notes: tuple[str, ...] = ()

    @property
    def left_out(self) -> list[str]:
        """The townships the file does not list."""
        return [str(p.value) for p in self.missing]

    def every_township_refused(self, option: str) -> list[Problem]:
        """Every problem, each township left out among them, for a reader that wants them
        all; the first one left out says how to keep the others' official quotas
        (``option``: what to do)."""
        hint = f"{MISSING_QUOTA}（方案只列出改动的乡镇时，{option}，其余乡镇沿用正式任务数）"
        missing = [replace(p, reason=hint) if i == 0 else p for i, p in enumerate(self.missing)]
        return missing + list(self.problems)


def parse_scenario(
    raw: bytes, file: str, policy: CountyPolicy, *, townships: Sequence[str]
) -> Parsed:
    """A scenario file's bytes read as a quota table; a comparison downloaded from 模拟测算
    (or printed by `whatif`) is read by its scenario's quotas, with a note that says so."""
    sheets = read_sheets(raw, file)
    found = [(s, h) for s in sheets if (h := comparison_header(s)) is not None]
    if not found:
        return parse_sheets(sheets, policy, townships=townships, kind="quota")
    sheet, header = found[0]
    parsed = parse_sheets(
        [comparison_quotas(sheet, header)], policy, townships=townships, kind="quota"
    )
    note = (
        f"这是模拟测算的测算结果：只读入“{header.scenario_header}”一列（其余各列和合计行不读）；"
        "测算标准不从表中读入，沿用当前设置"
    )
    return replace(parsed, notes=(note, *parsed.notes))


def read_scenario(parsed: Parsed, official: Mapping[str, int]) -> ScenarioFile:
    """A quota table read as a scenario over ``official`` (township -> quota)."""
    missing = tuple(p for p in parsed.problems if p.reason == MISSING_QUOTA)
    problems = tuple(p for p in parsed.problems if p.reason != MISSING_QUOTA)
    if problems:
        return ScenarioFile({}, missing, problems, 0)
    frame, _ = quota_frames(parsed.frame)
    given = dict(zip(frame["township"], (int(q) for q in frame["quota"]), strict=True))
    quotas = {t: given.get(t, q) for t, q in official.items()}
    return ScenarioFile(quotas, missing, problems, len(given), parsed.notes)
