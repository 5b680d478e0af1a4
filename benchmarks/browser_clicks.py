"""Benchmark: how long a click takes in a real browser, from the click on a page's link in the
sidebar until the page has been drawn. Not a test: it asserts nothing about speed.

    python benchmarks/browser_clicks.py [--database-url URL] [--county dongming] [--rounds 5]

Starts the app (the sample database by default), logs in as the demo admin in headless Debian
chromium, and clicks through every page of the sidebar ``rounds`` times; the first round fills
the caches (a cold click), the later ones are what a leader feels in a meeting. A page counts as
drawn when its title has changed, Streamlit's running indicator has gone and every chart on it
has an SVG. Prints one line per page: ``page cold_ms warm_median_ms warm_max_ms``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

DRAWN = """([title]) => {
    const h1 = document.querySelector('[data-testid="stMainBlockContainer"] h1');
    if (!h1 || h1.innerText === title) return false;
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    return [...charts].every(c => c.querySelector('svg.main-svg'));
}"""


FOLDED = (
    "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right <= 1"
)


def _unfold_sidebar(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(400)  # a sidebar folding away takes a moment (outside the timing)
    if page.evaluate(FOLDED):
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function(f"() => !({FOLDED})()")
        page.wait_for_timeout(400)  # the sidebar slides in


def clicks(url: str, county: str, rounds: int) -> dict[str, list[float]]:
    from browser import browser, open_page

    times: dict[str, list[float]] = {}
    with browser() as instance:
        page = open_page(instance, f"{url}/?county={county}")
        page.set_viewport_size({"width": 1440, "height": 1400})  # every link of the sidebar in view
        links = page.locator('[data-testid="stSidebarNavLink"]')
        # A link's text starts with its icon's name (leaderboard\n\n排名): keep the label.
        names = [links.nth(i).inner_text().split()[-1] for i in range(links.count())]
        for round_ in range(rounds):
            for index, name in enumerate(names):
                if round_ == 0 and index == 0:
                    continue  # open already: from the second round on, clicked from the last page
                _unfold_sidebar(page)  # 会议模式 folds it away
                title = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
                started = time.perf_counter()
                links.nth(index).click()
                page.wait_for_function(DRAWN, arg=[title], timeout=60000)
                times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    from dashboard.db import database_url

    from browser import app_server, chromium_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--county", default="dongming")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("chromium is not installed (Debian: apt-get install chromium)")
    with app_server(args.database_url or database_url()) as url:
        times = clicks(url, args.county, args.rounds)
    print("page cold_ms warm_median_ms warm_max_ms")
    for name, values in times.items():
        warm = values[1:] or values
        print(f"{name} {values[0]:.0f} {statistics.median(warm):.0f} {max(warm):.0f}")


if __name__ == "__main__":
    main()
