"""Set up and run the project with nothing but Python 3.11+ (standard library only).

    python3 tasks.py dashboard   # install into .venv, open the dashboard on the sample data
    python3 tasks.py test        # install into .venv (with test tools), lint, run every test

Extra arguments after `test` go to pytest (python3 tasks.py test tests/test_cli.py -x).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import urllib.request
import venv
import webbrowser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
PORT = os.environ.get("DASHBOARD_PORT", "8501")


def _run(*command: str | Path, **kwargs: object) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True, **kwargs)  # type: ignore[call-overload]


def install(extra: str = "") -> None:
    """Create .venv and install the project (editable) once per version of pyproject.toml."""
    if sys.version_info < (3, 11):  # noqa: UP036  (runs on any python3 before set-up)
        sys.exit("需要 Python 3.11 或更高版本 (Python 3.11+ is required)")
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{extra or 'app'}-{digest}"
    if stamp.exists():
        return
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{extra}]" if extra else ".")
    stamp.touch()


def dashboard() -> None:
    """Start the app (it creates and seeds its SQLite file on first start) and open it."""
    install()
    _run(PYTHON, "-m", "dashboard", "init-db")
    url = f"http://localhost:{PORT}"
    server = subprocess.Popen(
        [str(PYTHON), "-m", "streamlit", "run", "dashboard/app.py", "--server.port", PORT],
        cwd=ROOT,
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    print(f"\n看板已启动 (dashboard running): {url}\n按 Ctrl+C 停止 (Ctrl+C to stop)\n", flush=True)
    webbrowser.open(url)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.terminate()


def test(pytest_args: list[str]) -> None:
    """Lint, check formatting, type-check the core, then run the whole test suite."""
    install("test")
    _run(PYTHON, "-m", "ruff", "check", ".")
    _run(PYTHON, "-m", "ruff", "format", "--check", ".")
    _run(PYTHON, "-m", "mypy")
    _run(PYTHON, "-m", "pytest", *pytest_args)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"dashboard", "test", "install"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    try:
        if command == "dashboard":
            dashboard()
        elif command == "test":
            test(rest)
        else:
            install("test")
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)


if __name__ == "__main__":
    main()
