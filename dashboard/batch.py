"""Files imported together (the command line's files, the page's uploads).

Each file is checked against the database before any is written; a refund row whose payment
is in another file of the same batch (weeks of a tax export imported at once, after a
holiday) finds nothing stored yet to pay back. Such a file waits for the files it needs: the
command line, which imports in the order given, checks it again and imports it once the
files before it are in (and says to put them first where they come after it); the page,
where each upload is imported by its own button, says to import them first.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.cancelled import UNMATCHED
from dashboard.glossary import AMOUNT, ID_NUMBER
from dashboard.importing import Checked


def waits_for(checked: Checked, others: Sequence[Checked]) -> list[str]:
    """The files among ``others`` of the batch a refused payment list waits for: every one of
    its problems is a refund with nothing stored to pay back, and a payment list among them
    holds a payment of that person and amount. Empty where the file is not refused, a problem
    is of any other kind, or a refund's payment is in none of them."""
    parsed = checked.parsed
    if (
        checked.importable
        or parsed is None
        or parsed.kind != "payments"
        or not all(p.reason.startswith(UNMATCHED) for p in checked.problems)
        or parsed.whole_file_problems(checked.problems)
    ):
        return []
    refunds = parsed.rows_of(checked.problems)
    wanted = set(zip(refunds[ID_NUMBER], -refunds[AMOUNT].astype("int64"), strict=True))
    needed: list[str] = []
    for other in others:
        found = wanted & _payments(other, {number for number, _ in wanted})
        if found:
            needed.append(other.file_name)
            wanted -= found
    return needed if not wanted else []


def _payments(checked: Checked, people: set[str]) -> set[tuple[str, int]]:
    """(ID number, amount in fen) of the payments of ``people`` another file of the batch
    will write."""
    if checked.parsed is None or checked.parsed.kind != "payments" or checked.already:
        return set()
    rows = checked.valid_rows()
    paid = rows[rows[ID_NUMBER].isin(people) & (rows[AMOUNT] > 0)]
    return set(zip(paid[ID_NUMBER], paid[AMOUNT].astype("int64"), strict=True))


def order_hint(checked: Checked, later: Sequence[Checked]) -> str | None:
    """For a file refused on the command line: the files after it whose payments its refunds
    pay back (given before it, the batch would go in)."""
    needed = waits_for(checked, later)
    if not needed:
        return None
    return (
        f"提示：{checked.file_name}的退费记录冲抵{'、'.join(needed)}中的缴费："
        "请把该文件放在本文件之前，一并导入。"
    )


def waiting_note(files: list[str]) -> str:
    """What a waiting file says before the files it needs are imported."""
    return (
        f"本文件的退费记录冲抵同批文件{'、'.join(files)}中的缴费：请先导入该文件，"
        "之后本文件重新检查即可导入。"
    )
