"""Streamlit entrypoint: page set-up, the shared sidebar, and navigation over pages/."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from dashboard import state  # noqa: E402
from dashboard.access import pages_for  # noqa: E402
from dashboard.account_box import account_box, password_required  # noqa: E402
from dashboard.db import DatabaseSetupError  # noqa: E402
from dashboard.runtime import tune_gc  # noqa: E402
from dashboard.widgets import login_screen, page_styles, streamlit_texts_in_chinese  # noqa: E402

PAGES = ROOT / "pages"
log = logging.getLogger(__name__)

st.set_page_config(
    page_title="城乡居民医保征缴工作看板",
    page_icon=":material/health_and_safety:",
    layout="wide",
    initial_sidebar_state="auto",  # open on a desktop, folded away on a phone
)


def run() -> None:
    """Log-in, navigation, the shared sidebar and the page asked for."""
    account = state.account()
    sections = pages_for(account)
    first = next(name for pages in sections.values() for name, _, _ in pages)
    navigation = st.navigation(
        {
            section: [
                st.Page(
                    PAGES / f"{name}.py",
                    title=title,
                    icon=f":material/{icon}:",
                    url_path=name,
                    default=name == first,
                )
                for name, title, icon in pages
            ]
            for section, pages in sections.items()
        },
        position="sidebar" if account and not account.must_change_password else "hidden",
        expanded=True,  # an admin's thirteen pages all listed, with no English "View 3 more"
    )
    state.write_session_cookie()
    if account is None:
        # Every page is registered, so the URL asked for survives the log-in; none runs.
        login_screen()
        st.stop()
    if account.must_change_password:
        password_required(account)
        st.stop()
    with st.sidebar:
        st.markdown("#### 城乡居民医保征缴工作看板")
        account_box(account)
    state.sidebar()
    navigation.run()


tune_gc()
streamlit_texts_in_chinese()
page_styles()
try:
    run()
except OperationalError:  # the server down or unreachable, the SQLite file not to be opened
    log.exception("database unreachable")  # SQLAlchemy's message names no password
    st.error(state.DATABASE_DOWN, icon=":material/cloud_off:")
except DatabaseSetupError as error:  # DATABASE_URL names no database it runs on, an old file
    log.error("database not usable: %s", error)
    st.error(str(error), icon=":material/database:")
