"""Start the app in Streamlit's AppTest as a logged-in user of a given role."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from dashboard.auth import Account
from dashboard.periods import Period

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def start(
    role: str = "admin", *, county: str | None = None, township: str | None = None
) -> AppTest:
    """The app after log-in (the account put in the session as the log-in page would)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["account"] = Account(
        role, f"测试{role}", role, county if township else None, township
    )
    at.run()
    if county is not None:
        at.selectbox(key="county").set_value(county).run()
    return at


MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_read(value: object) -> object:
    """A display table's cell as the user reads it: Markdown's backslash escapes
    (formatting.plain) are not seen."""
    return MARKDOWN_ESCAPE.sub(r"\1", value) if isinstance(value, str) else value


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table the page shows, as read: the display tables (st.table) and the long lists
    (st.dataframe)."""
    return [t.value.map(as_read) for t in at.table] + [d.value for d in at.dataframe]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table with a column ``column`` (AppTest does not expose table keys)."""
    for frame in tables(at):
        if column in frame.columns:
            return frame
    raise AssertionError(f"no table with a column {column!r}")


def cell_style(at: AppTest, column: str, row: int | None, label: str) -> dict[str, str]:
    """The CSS of a cell (row None: the header) of the first display table with a column
    ``column``, as the browser applies it: a later declaration of a property wins."""
    [shown] = [t for t in at.table if column in t.value.columns][:1]
    index = list(shown.value.columns).index(label)
    cell = f" th.col{index}" if row is None else f"_row{row}_col{index}"
    style: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", shown.proto.arrow_data.styler.styles):
        if any(s.strip().endswith(cell) for s in selectors.split(",")):
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
                style[name] = value.strip()
    return style


def chart_titles(at: AppTest) -> list[str]:
    """The titles of the page's charts, top to bottom."""
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def period_picker(at: AppTest) -> Selectbox[Period]:
    """The 期次 picker (its key holds the county, kind and as-of date)."""
    (picker,) = [s for s in at.selectbox if s.label == "期次"]
    return picker


def edit(
    at: AppTest,
    row: int | None,
    column: str,
    value: object,
    *,
    key: str | None = None,
    added: list[dict[str, object]] | None = None,
) -> None:
    """Edit one cell of a data editor (the first, or the one with this key) as a user would,
    optionally adding rows too, and rerun."""
    editor = at.data_editor[0].key if key is None else key
    at.session_state[editor] = {
        "edited_rows": {} if row is None else {row: {column: value}},
        "added_rows": added or [],
        "deleted_rows": [],
    }
    at.run()
