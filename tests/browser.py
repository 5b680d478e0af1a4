"""A real app server and headless Debian chromium, for end-to-end tests and screenshots.

Run as a script to screenshot every page of every county:
    python tests/browser.py artifacts/screenshots
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "overview": "",
    "ranking": "ranking",
    "township": "township",
    "settlement": "settlement",
    "whatif": "whatif",
    "bulletin": "bulletin",
    "meeting": "meeting",
    "groups": "groups",
    "repeats": "repeats",
    "imports": "imports",
    "remittance": "remittance",
    "campaigns": "campaigns",
    "audit": "audit",
    "users": "users",
}


def chromium_path() -> str | None:
    """Debian's chromium (or CHROMIUM_PATH), None when it is not installed."""
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(
    database_url: str,
    *,
    timeout: float = 90,
    port: int | None = None,
    options: tuple[str, ...] = (),
) -> Iterator[str]:
    """Start `streamlit run dashboard/app.py` on ``port`` (a free one by default), with any
    further Streamlit ``options`` (``--secrets.files``, …); yield its base URL."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        *options,
    ]  # fmt: skip
    # The server's output goes to a file, not a pipe no one reads while it runs: a pipe's
    # buffer, once full, would stop the server in the middle of a test.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    raise RuntimeError(f"the app did not start:\n{output}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def browser() -> Iterator[object]:
    """A headless chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


DEMO_PASSWORD = "demo-2024"


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run has finished: a heading alone is not enough, the first start
    shows one above the spinner that stands for 12 s or more while the database is prepared."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120000
    )
    page.wait_for_timeout(1500)  # plotly draws after the script finishes


def open_page(instance, url: str, *, width: int = 1440, user: str | None = "admin"):  # type: ignore[no-untyped-def]
    """Open a URL, log in as a demo user (None: stay on the log-in page), open the URL again
    in the logged-in session, and wait until the script has finished running."""
    page = instance.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    page.goto(url)
    settle(page)
    if user is not None and page.get_by_label("密码").count():
        page.get_by_label("用户名").fill(user)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.get_by_role("button", name="退出登录").wait_for(timeout=60000)
        settle(page)
    return page


def full_screenshot(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Grow the viewport to the main block's height (Streamlit scrolls inside it), then shoot."""
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height + 120})
    page.wait_for_timeout(1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def main(out: Path) -> None:
    """Screenshot every page of every county into ``out``."""
    from dashboard.db import database_url

    with app_server(database_url()) as url, browser() as instance:
        for county in ("zhashui", "neixiang", "dongming"):
            for name, path in PAGES.items():
                page = open_page(instance, f"{url}/{path}?county={county}")
                full_screenshot(page, out / f"{county}_{name}.png")
                page.close()
                print(out / f"{county}_{name}.png")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/screenshots"))
