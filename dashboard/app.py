"""Streamlit entrypoint: page set-up, the shared sidebar, and navigation over pages/."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from dashboard import state  # noqa: E402

PAGES = ROOT / "pages"

st.set_page_config(
    page_title="城乡居民医保征缴工作看板",
    page_icon=":material/health_and_safety:",
    layout="wide",
    initial_sidebar_state="expanded",
)

navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page(
            PAGES / "ranking.py", title="排名", icon=":material/leaderboard:", url_path="ranking"
        ),
        st.Page(
            PAGES / "township.py",
            title="乡镇",
            icon=":material/location_city:",
            url_path="township",
        ),
        st.Page(
            PAGES / "settlement.py", title="结算", icon=":material/payments:", url_path="settlement"
        ),
    ]
)
with st.sidebar:
    st.markdown("#### 城乡居民医保征缴工作看板")
state.sidebar()
navigation.run()
