"""bulk_insert writes every value as it is, on SQLite (executemany) and PostgreSQL (COPY)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlmodel import Session, select

from dashboard import bulk
from data_models.tables import Campaign, RosterMember, Township


def test_values_survive_the_round_trip(scratch, monkeypatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 2)  # three chunks in one COPY, or three executemany
    with Session(scratch) as session:
        campaign = session.exec(select(Campaign)).first()
        township = session.exec(select(Township)).first()
        assert campaign is not None and township is not None
        names = ["王, 小明", '李"大"红', "张\n三", "", "赵六"]
        villages = ["", "前进村", "", "后湾村", "前进村"]
        recognised = [date(2022, 11, 5), None, date(2023, 1, 31), None, date(2022, 2, 28)]
        frame = pd.DataFrame(
            {
                "campaign_id": campaign.id,
                "import_id": None,
                "township_id": township.id,
                "village": villages,
                "id_number": [f"41132519900101{i:04d}" for i in range(5)],
                "name": names,
                "group_code": "低保",
                "recognised_on": recognised,
                "simulated": [True, False, True, False, True],
            }
        )
        reported: list[str] = []
        bulk.bulk_insert(
            session, RosterMember, frame, progress=lambda _, text: reported.append(text)
        )
        session.commit()
        stored = session.exec(
            select(RosterMember).where(
                RosterMember.group_code == "低保", RosterMember.name.in_(names)
            )  # type: ignore[attr-defined]
        ).all()
    by_number = {m.id_number: m for m in stored if m.id_number.startswith("41132519900101")}
    assert [
        (m.name, m.village, m.recognised_on, m.simulated, m.import_id)
        for m in (by_number[f"41132519900101{i:04d}"] for i in range(5))
    ] == [
        ("王, 小明", "", date(2022, 11, 5), True, None),  # '' stays '', None is NULL
        ('李"大"红', "前进村", None, False, None),
        ("张\n三", "", date(2023, 1, 31), True, None),
        ("", "后湾村", None, False, None),
        ("赵六", "前进村", date(2022, 2, 28), True, None),
    ]
    assert reported == ["正在写入 0/5 行…", "正在写入 2/5 行…", "正在写入 4/5 行…"]
