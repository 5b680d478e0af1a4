"""Streamlit entrypoint: page set-up, the shared sidebar, and navigation over pages/."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from dashboard import formatting as fmt  # noqa: E402
from dashboard import state  # noqa: E402
from dashboard.access import HOME, names_no_page, page_meant, pages_for  # noqa: E402
from dashboard.access import PAGES as PAGE_TITLES  # noqa: E402
from dashboard.account_box import account_box, password_required  # noqa: E402
from dashboard.auth import Account  # noqa: E402
from dashboard.failures import show_failure  # noqa: E402
from dashboard.runtime import tune_gc  # noqa: E402
from dashboard.widgets import login_screen, page_styles, streamlit_texts_in_chinese  # noqa: E402

PAGES = ROOT / "pages"

st.set_page_config(
    page_title="城乡居民医保征缴工作看板",
    page_icon=":material/health_and_safety:",
    layout="wide",
    initial_sidebar_state="auto",  # open on a desktop, folded away on a phone
)


def run() -> None:
    """Log-in, navigation, the shared sidebar and the page asked for."""
    account = state.account()
    pages, home, first = navigation_pages(account, asked=asked_for())
    opens = account is not None and not account.must_change_password
    navigation = st.navigation(
        pages,
        position="sidebar" if opens else "hidden",
        expanded=True,  # an admin's thirteen pages all listed, with no English "View 3 more"
    )
    if opens and navigation is home:  # before the cookie: what this run drew is dropped
        st.switch_page(first, query_params=st.query_params.to_dict())
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


def asked_for() -> str:
    """The page the browser's address names (its path after the app's, "" for the app's own),
    as access.page_meant reads it: Streamlit is told so, and opens that page."""
    context = get_script_run_ctx()
    if context is None:
        return ""
    manager = context.pages_manager
    asked = manager.intended_page_name or ""
    meant = page_meant(asked)
    if meant != asked:
        manager.set_script_intent(manager.intended_page_script_hash or "", meant)
    return meant


def navigation_pages(
    account: Account | None, *, asked: str = ""
) -> tuple[dict[str, list[StreamlitPage]], StreamlitPage, StreamlitPage]:
    """The sections of pages for the navigation, the hidden page at the app's own address and
    the account's first page (which that address opens).

    Every page has its own address, whoever is logged in, so a link or a bookmark opens the
    page it names; a page the account may not see says so in Chinese, and so does an address
    ``asked`` for that names no page (a mistyped link, an old bookmark), instead of Streamlit's
    English "Page not found", which came up over the log-in form and had to be closed first."""
    sections = {
        section: [
            st.Page(PAGES / f"{name}.py", title=title, icon=f":material/{icon}:", url_path=name)
            for name, title, icon in entries
        ]
        for section, entries in pages_for(account).items()
    }
    first = next(page for pages in sections.values() for page in pages)
    listed = {page.url_path for pages in sections.values() for page in pages}
    home = st.Page(start_page, title="首页", url_path=HOME, default=True, visibility="hidden")
    closed = [
        st.Page(
            partial(not_allowed, title, first),
            title=title,
            icon=f":material/{icon}:",
            url_path=name,
            visibility="hidden",
        )
        for name, (_, title, icon) in PAGE_TITLES.items()
        if name not in listed
    ]
    if names_no_page(asked):
        missing = partial(not_found, asked, first)
        closed.append(st.Page(missing, title="页面不存在", url_path=asked, visibility="hidden"))
    first_section = next(iter(sections))
    sections[first_section] = [*sections[first_section], home, *closed]
    return sections, home, first


def start_page() -> None:
    """The app's own address: never run, the account's first page is opened instead."""


def not_allowed(title: str, first: StreamlitPage) -> None:
    """A page the logged-in account may not open, reached by a link or a bookmark."""
    turned_away(title, f"您的账号不能查看“{title}”页，请从左侧菜单选择可查看的页面。", first)


def not_found(asked: str, first: StreamlitPage) -> None:
    """An address that names no page of the app."""
    turned_away(
        "页面不存在",
        f"本看板没有“{fmt.plain(asked)}”这个页面，链接可能有误或已过时，请从左侧菜单选择页面。",
        first,
        icon="link_off",
    )


def turned_away(title: str, reason: str, first: StreamlitPage, *, icon: str = "block") -> None:
    """Why the page asked for is not shown, and a link to the account's first page."""
    st.title(title)
    st.warning(reason, icon=f":material/{icon}:")
    st.page_link(first, label=f"转到{first.title}页", icon=":material/arrow_forward:")


tune_gc()
streamlit_texts_in_chinese()
page_styles()
try:
    run()
except Exception as error:
    show_failure(error)
