"""Streamlit display helpers shared by pages: tables with aligned numbers and highlighted rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.glossary import FLAGGED, LABELS, TOTAL_LABEL, TOWNSHIP
from dashboard.views import NUMERIC_LABELS

FLAG_STYLE = "background-color: #fde2e1; color: #8b1a10; font-weight: 600"
TOTAL_STYLE = "background-color: #eef2f7; font-weight: 700"


def _row_style(row: pd.Series) -> list[str]:
    if row.get(LABELS[FLAGGED]):
        return [FLAG_STYLE] * len(row)
    if row.get(LABELS[TOWNSHIP]) == TOTAL_LABEL:
        return [TOTAL_STYLE] * len(row)
    return [""] * len(row)


ROW_HEIGHT = 35


def table(frame: pd.DataFrame, *, key: str) -> None:
    """Show a display table in full (no inner scrolling up to 40 rows): numbers right-aligned,
    flagged rows red, the 合计 row bold."""
    config = {
        column: st.column_config.TextColumn(column, alignment="right")
        for column in frame.columns
        if column in NUMERIC_LABELS
    }
    st.dataframe(
        frame.style.apply(_row_style, axis=1),
        hide_index=True,
        key=key,
        column_config=config,
        height=ROW_HEIGHT * (min(len(frame), 40) + 1) + 3,
    )
