"""Which pages each role sees (the sidebar is built from this; another page, reached by its
address, only says it is not for the account, and an address naming no page says so)."""

from __future__ import annotations

from dashboard.auth import Account

HOME = "home"  # the hidden page at the app's own address, which opens the account's first page

# name -> (section, title, Material icon); in sidebar order.
PAGES: dict[str, tuple[str, str, str]] = {
    "overview": ("征缴进度", "总览", "dashboard"),
    "ranking": ("征缴进度", "排名", "leaderboard"),
    "township": ("征缴进度", "乡镇", "location_city"),
    "settlement": ("征缴进度", "结算", "payments"),
    "whatif": ("征缴进度", "模拟测算", "calculate"),
    "bulletin": ("会议与通报", "通报", "campaign"),
    "meeting": ("会议与通报", "会议模式", "cast"),
    "groups": ("名单与数据", "特殊群体", "diversity_3"),
    "repeats": ("名单与数据", "重复缴费", "currency_exchange"),
    "imports": ("名单与数据", "数据导入", "upload_file"),
    "remittance": ("名单与数据", "资金报解", "account_balance"),
    "campaigns": ("管理", "征缴年度", "event_repeat"),
    "audit": ("管理", "审计日志", "history"),
    "users": ("管理", "用户管理", "manage_accounts"),
}
COUNTY_PAGES = ["overview", "ranking", "township", "settlement", "groups", "repeats"]
ALLOWED: dict[str, list[str]] = {
    "leader": [*COUNTY_PAGES, "whatif", "bulletin", "meeting", "remittance", "audit"],
    "supervisor": [*COUNTY_PAGES, "whatif", "bulletin", "meeting", "remittance", "audit"],
    "clerk": [*COUNTY_PAGES, "imports", "remittance"],
    "township": ["township", "groups", "repeats", "remittance"],
    "admin": list(PAGES),
}


def pages_for(account: Account | None) -> dict[str, list[tuple[str, str, str]]]:
    """Sections of (name, title, icon) the account may open, in sidebar order. Before log-in
    every page is listed (hidden), so that a bookmarked address opens after logging in."""
    allowed = set(PAGES) if account is None else set(ALLOWED.get(account.role, []))
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for name, (section, title, icon) in PAGES.items():
        if name in allowed:
            sections.setdefault(section, []).append((name, title, icon))
    return sections


def page_meant(asked: str) -> str:
    """The page an address's path means: itself, or, for a link copied with a space at an end
    or typed in other capitals (ranking%20, ranking%E3%80%80, Ranking), the page it names
    that way; Streamlit matches a path exactly, and its English "Page not found" came up."""
    stripped = asked.strip()
    return stripped.lower() if stripped.lower() in {HOME, *PAGES} else stripped


def names_no_page(asked: str) -> bool:
    """Whether ``asked``, the path of the browser's address, names no page of the app while
    Streamlit could give a page that address (one step, no spaces at its ends, no ? or #):
    a mistyped link or an old bookmark. The app's own address ("") and HOME name pages."""
    return (
        asked not in {"", HOME, *PAGES}
        and asked == asked.strip()
        and not any(c in asked for c in "/\\?#")
    )
