"""Roster members struck off by a later roster.

A roster kept up to date says of a member who has died, been struck off or had support stopped
that they are no longer on it (人员状态: 死亡, 注销, 停保 …). Such a row is left out of the
roster it is in (dashboard.cancelled); where an earlier roster listed the member in that group,
the member is struck off it too: moved out of the roster into StruckMember by the import, so
that they leave the group's size, its coverage and the list of people still to enrol, and moved
back when that import is undone. The import that listed them is undone only after it.
Simulated members are never struck: a real roster says nothing of them.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import and_, delete, insert, literal, select
from sqlmodel import Session, col

from dashboard.glossary import GROUP, ID_NUMBER, TOWNSHIP
from dashboard.lookup import stored_rows
from data_models.tables import RosterMember, StruckMember

# the member's columns kept while it is struck off, named alike in both tables
KEPT = ("campaign_id", "township_id", "village", "id_number", "name", "group_code", "recognised_on")


# a real roster's members: simulated ones are never struck (a real roster says nothing of them)
IMPORTED = and_(col(RosterMember.simulated).is_(False), col(RosterMember.import_id).is_not(None))


def members_named(session: Session, campaign_id: int, withdrawn: pd.DataFrame) -> list[int]:
    """The ids of the imported roster members that ``withdrawn`` (a roster's rows no longer on
    it: ID number, group) names."""
    named = set(zip(withdrawn[ID_NUMBER], withdrawn[GROUP], strict=True))
    stored = stored_rows(
        session,
        RosterMember,
        campaign_id,
        withdrawn[ID_NUMBER],
        RosterMember.group_code,
        RosterMember.id,
        where=IMPORTED,
    )
    return [member for number, group, member in stored if (number, group) in named]


def absent_members(
    session: Session, campaign_id: int, roster: pd.DataFrame, ids: dict[str, int]
) -> list[int]:
    """A whole roster's absentees: the ids of the imported members of the townships and groups
    it covers (``roster``: its rows, township, group and ID number) whom it does not list. A
    roster of the 低保 of 湍东镇 leaves 湍东镇's other groups and other townships' 低保 alone."""
    scope = {
        (ids[t], g)
        for t, g in roster[[TOWNSHIP, GROUP]].drop_duplicates().itertuples(index=False)
        if t in ids
    }
    if not scope:
        return []
    member = RosterMember.__table__.c  # type: ignore[attr-defined]
    stored = session.execute(
        select(member.id, member.id_number, member.group_code, member.township_id).where(
            member.campaign_id == campaign_id,
            IMPORTED,
            member.township_id.in_({t for t, _ in scope}),
            member.group_code.in_({g for _, g in scope}),
        )
    ).all()
    listed = set(zip(roster[ID_NUMBER], roster[GROUP], strict=True))
    return [
        row_id
        for row_id, number, group, township in stored
        if (township, group) in scope and (number, group) not in listed
    ]


def strike_off(session: Session, import_id: int, members: Collection[int]) -> int:
    """Strike ``members`` (roster members' ids: members_named, absent_members) off the roster,
    by ``import_id``, inside the caller's transaction; how many were."""
    if not members:
        return 0
    member = RosterMember.__table__.c  # type: ignore[attr-defined]
    moved = select(*(member[c] for c in KEPT), member.import_id, member.id, literal(import_id))
    session.execute(
        insert(StruckMember).from_select(
            [*KEPT, "member_import_id", "member_id", "import_id"],
            moved.where(member.id.in_(members)),
        )
    )
    session.execute(delete(RosterMember).where(col(RosterMember.id).in_(members)))
    return len(members)


def restore_struck(session: Session, import_id: int) -> None:
    """Put back the members an import struck off (its undo), but one a later roster listed
    again in the group meanwhile: that one is listed."""
    struck = StruckMember.__table__.c  # type: ignore[attr-defined]
    member = RosterMember.__table__.c  # type: ignore[attr-defined]
    listed = select(member.id).where(
        member.campaign_id == struck.campaign_id,
        member.id_number == struck.id_number,
        member.group_code == struck.group_code,
    )
    back = select(*(struck[c] for c in KEPT), struck.member_import_id, literal(False)).where(
        struck.import_id == import_id, ~listed.exists()
    )
    names = [*KEPT, "import_id", "simulated"]
    # under its own id where it was kept (places.py finds the member's moves by it)
    kept = struck.member_id.is_not(None)
    session.execute(
        insert(RosterMember).from_select(
            [*names, "id"], back.add_columns(struck.member_id).where(kept)
        )
    )
    session.execute(insert(RosterMember).from_select(names, back.where(~kept)))
    session.execute(delete(StruckMember).where(col(StruckMember.import_id) == import_id))


def imports_striking(session: Session, import_id: int) -> list[int]:
    """The imports that struck off members ``import_id`` listed: undone first, or their undo
    would put back members of a roster no longer imported."""
    query = (
        select(col(StruckMember.import_id))
        .where(col(StruckMember.member_import_id) == import_id)
        .distinct()
    )
    return sorted(int(i) for (i,) in session.connection().execute(query))
