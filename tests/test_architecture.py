"""Meta-tests that keep the layers honest."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_MODULES = {
    "app",
    "state",
    "widgets",
    "account_box",
    "policy_widgets",
    "bulletin_widgets",
    "talk_widgets",
    "verified_widgets",
    "village_widgets",
    "cached",
    "cached_people",
    "failures",
    "__main__",
}
PURE = sorted(
    f"dashboard.{p.stem}"
    for p in (ROOT / "dashboard").glob("*.py")
    if p.stem not in STREAMLIT_MODULES
) + ["data_models", "data_models.policy", "data_models.tables"]


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_pure_modules_never_load_streamlit() -> None:
    code = (
        f"import importlib, sys\nfor m in {PURE!r}: importlib.import_module(m)\n"
        "print('streamlit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_do_no_io_or_reshaping(page: Path) -> None:
    forbidden = {
        "pandas",
        "sqlmodel",
        "sqlalchemy",
        "dashboard.db",
        "dashboard.store",
        "dashboard.files",
        "plotly",
    }
    found = {name for name in imports(page) if name.split(".")[0] in forbidden or name in forbidden}
    assert not found, f"{page.name} imports {found}"


def calls_of(method: str) -> list[tuple[str, ast.Call]]:
    """Every call of ``method`` (as ``x.method(...)`` or ``method(...)``) in the pages and the
    dashboard package, with where it is (file:line)."""
    return [
        (f"{path.name}:{node.lineno}", node)
        for path in sorted((ROOT / "pages").glob("*.py"))
        + sorted((ROOT / "dashboard").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == method)
            or (isinstance(node.func, ast.Name) and node.func.id == method)
        )
    ]


def downloads() -> list[tuple[str, ast.Call, ast.expr]]:
    """Every download button with what it downloads: Streamlit's download_button (its second
    argument) and widgets.xlsx_button, which makes one for a workbook (its third)."""
    return [
        (where, call, keywords(call).get("data", call.args[position]))
        for method, position in (("download_button", 1), ("xlsx_button", 2))
        for where, call in calls_of(method)
    ]


def test_every_expander_is_keyed() -> None:
    # Streamlit 1.67 folds an expander without a key at the next rerun: one typed a county total
    # into on 模拟测算 closed before its 按此分配 button could be clicked (seen in chromium)
    unkeyed = [where for where, call in calls_of("expander") if "key" not in keywords(call)]
    assert not unkeyed, unkeyed


def test_every_file_written_on_click_goes_through_deferred() -> None:
    # Streamlit logs a failure of a download written on click with its message, which may
    # quote an ID number; failures.deferred logs it without (tests/test_incidents.py)
    bare = [
        where
        for where, _, data in downloads()
        if isinstance(data, ast.Lambda)
        or (isinstance(data, ast.Call) and ast.unparse(data.func) == "partial")
    ]
    assert not bare, bare
    assert len([d for _, _, d in downloads() if "deferred(" in ast.unparse(d)]) >= 7


def test_no_download_runs_the_page_again() -> None:
    # a click on a download needs no rerun; with one, the message of a file that failed to be
    # written flashed for half a second and was gone with the rerun (seen in chromium)
    rerunning = [
        where
        for where, call in calls_of("download_button")
        if ast.unparse(keywords(call).get("on_click", ast.Constant(None))) != "'ignore'"
    ]
    assert not rerunning, rerunning
    assert len(downloads()) >= 12


def keywords(call: ast.Call) -> dict[str | None, ast.expr]:
    return {k.arg: k.value for k in call.keywords}


def test_every_module_has_a_docstring() -> None:
    for path in [
        *(ROOT / "dashboard").glob("*.py"),
        *(ROOT / "data_models").glob("*.py"),
        *(ROOT / "pages").glob("*.py"),
    ]:
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path


def test_no_float_in_money_code() -> None:
    for name in ("settlement.py", "money.py"):
        tree = ast.parse((ROOT / "dashboard" / name).read_text(encoding="utf-8"))
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "float"
        ]
        assert not calls, name


def test_the_streamlit_config_ships_with_the_app() -> None:
    """The first command and the tests rely on it: headless (no first-run e-mail prompt, the
    browser opened by tasks.py), no Deploy button, no usage statistics, the county theme."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["headless"] is True
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["theme"]["primaryColor"] == "#1f5fa8"
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored, "identity-provider secrets never go into git"


@pytest.mark.parametrize("module", ["cached", "cached_people"])
def test_every_cached_figure_is_forgotten_after_a_change_of_data(module: str) -> None:
    """A figure cached in dashboard/cached.py (or cached_people.py) and left out of its clear()
    would show the data before an import or a verification until the server restarts."""
    tree = ast.parse((ROOT / "dashboard" / f"{module}.py").read_text(encoding="utf-8"))
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    cached = {
        f.name for f in functions if any("cache_data" in ast.unparse(d) for d in f.decorator_list)
    }
    (clear,) = [f for f in functions if f.name == "clear"]
    cleared = {
        node.value.id
        for node in ast.walk(clear)
        if isinstance(node, ast.Attribute)
        and node.attr == "clear"
        and isinstance(node.value, ast.Name)
    } | {node.id for node in ast.walk(clear) if isinstance(node, ast.Name)}
    assert cached and cached <= cleared, f"not cleared: {sorted(cached - cleared)}"
