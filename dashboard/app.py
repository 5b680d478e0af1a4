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

# (file, title, icon) per page; the first is the default page at the root URL.
SECTIONS = {
    "征缴进度": [
        ("overview", "总览", "dashboard"),
        ("ranking", "排名", "leaderboard"),
        ("township", "乡镇", "location_city"),
        ("settlement", "结算", "payments"),
        ("whatif", "模拟测算", "calculate"),
    ],
    "会议与通报": [
        ("bulletin", "通报", "campaign"),
        ("meeting", "会议模式", "cast"),
    ],
    "名单与数据": [
        ("groups", "特殊群体", "diversity_3"),
        ("imports", "数据导入", "upload_file"),
    ],
}
navigation = st.navigation(
    {
        section: [
            st.Page(
                PAGES / f"{name}.py",
                title=title,
                icon=f":material/{icon}:",
                url_path=name,
                default=name == "overview",
            )
            for name, title, icon in pages
        ]
        for section, pages in SECTIONS.items()
    }
)
with st.sidebar:
    st.markdown("#### 城乡居民医保征缴工作看板")
state.sidebar()
navigation.run()
