"""A township user sees no other township's data on any page they can open, nor in the data
behind their downloads."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import ALLOWED, names_no_page, page_meant
from dashboard.samples import load_sample
from dashboard.store import roster_members

from apptest import start, table, tables

USERS = [("zhashui", "营盘镇"), ("neixiang", "湍东镇")]


def everything_shown(at: AppTest) -> str:
    """All text a user can see: headings, text, metrics, alerts, tables, options, charts."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts += [e.value for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [frame.to_string() for frame in tables(at)]
    parts += [" ".join(map(str, s.options)) + f" {s.value}" for s in at.selectbox]
    parts += [
        json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")
    ]
    parts += [b.label for b in at.download_button]
    return "\n".join(parts)


@pytest.mark.parametrize(("county", "township"), USERS)
@pytest.mark.parametrize("page", ALLOWED["township"])
def test_no_other_township_on_any_page(app_env, county, township, page) -> None:
    at = start("township", county=county, township=township)
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception
    shown = everything_shown(at)
    assert township in shown
    others = [t for t in load_sample(county).townships if t != township]
    leaked = [t for t in others if t in shown]
    assert leaked == [], f"{page} shows {leaked}"
    county_figures = {"zhashui": ["141,257", "32,609", "8,001"], "neixiang": ["604,120"]}[county]
    assert [f for f in county_figures if f in shown] == [], "no county totals"


def test_township_user_cannot_switch_county_or_reach_other_pages(app_env) -> None:
    at = start("township", county="zhashui", township="营盘镇")
    assert at.selectbox(key="county").options == ["柞水县"]
    for page in (
        "overview",
        "ranking",
        "settlement",
        "imports",
        "bulletin",
        "whatif",
        "audit",
        "users",
    ):
        with pytest.raises(ValueError):
            at.switch_page(f"../pages/{page}.py")


def test_roster_query_is_scoped_in_the_database(engine) -> None:
    members = roster_members(engine, "zhashui", "营盘镇")
    assert len(members) > 0 and set(members["township"]) == {"营盘镇"}


def test_township_users_see_masked_ids_and_clerks_full(app_env) -> None:
    township = start("township", county="zhashui", township="营盘镇")
    township.switch_page("../pages/groups.py").run()
    shown = table(township, "身份证号")
    assert shown["身份证号"].str.contains(r"\*{10}").all()
    clerk = start("clerk", county="zhashui")
    clerk.switch_page("../pages/groups.py").run()
    clerk.selectbox(key="groups_township").set_value("营盘镇").run()
    shown = table(clerk, "身份证号")
    assert shown["身份证号"].str.fullmatch(r"\d{17}[\dX]").all()


@pytest.mark.parametrize(
    ("asked", "no_page"),
    [
        ("nosuch", True),
        ("总览", True),  # /%E6%80%BB%E8%A7%88
        ("**x**", True),  # shown as typed: the page escapes it
        ("overview", False),
        ("", False),  # the app's own address
        ("home", False),
        ("overview ", False),  # Streamlit trims a page's address: it would refuse the page
        ("a/b", False),
        ("x?y", False),
    ],
)
def test_an_address_naming_no_page_is_told_apart(asked, no_page) -> None:
    assert names_no_page(asked) is no_page


@pytest.mark.parametrize(
    ("asked", "meant"),
    [
        ("ranking", "ranking"),
        ("ranking ", "ranking"),  # a link copied with the space after it
        ("\u3000ranking\u3000", "ranking"),  # a full-width one
        ("Ranking", "ranking"),
        ("OVERVIEW ", "overview"),
        ("", ""),
        (" nosuch ", "nosuch"),  # no page: said so in Chinese, as for nosuch
        ("总览", "总览"),
    ],
)
def test_an_address_means_the_page_it_names_give_or_take_spaces_and_capitals(asked, meant) -> None:
    assert page_meant(asked) == meant
