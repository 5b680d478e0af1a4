"""Set up and run the project with nothing but Python 3.11+ (standard library only).

    python3 tasks.py dashboard   # install into .venv, open the dashboard on the sample data
    python3 tasks.py test        # install into .venv (with test tools), lint, run every test

Extra arguments after `test` go to pytest (python3 tasks.py test tests/test_cli.py -x).
"""

from __future__ import annotations

import hashlib
import os
import socket
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


def _port_taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def dashboard() -> None:
    """Start the app (it creates and seeds its SQLite file on first start) and open it."""
    install()
    url = f"http://localhost:{PORT}"
    if _port_taken(int(PORT)):  # else the page of whatever holds it would be opened
        sys.exit(
            f"端口 {PORT} 已被占用（看板可能已在运行：{url}）。换一个端口："
            f"DASHBOARD_PORT=8502 python3 tasks.py dashboard\n"
            f"(port {PORT} is in use; set DASHBOARD_PORT to another one)"
        )
    _run(PYTHON, "-m", "dashboard", "init-db")
    server = subprocess.Popen(
        [str(PYTHON), "-m", "streamlit", "run", "dashboard/app.py", "--server.port", PORT],
        cwd=ROOT,
    )
    try:
        _wait_until_up(server, url)
        print(
            f"\n看板已启动 (dashboard running): {url}\n按 Ctrl+C 停止 (Ctrl+C to stop)\n",
            flush=True,
        )
        webbrowser.open(url)
        server.wait()
    except KeyboardInterrupt:
        server.terminate()


def _wait_until_up(server: subprocess.Popen[bytes], url: str, seconds: int = 120) -> None:
    """Until the app answers its health check; exits with a message if it stops or never does."""
    for _ in range(seconds * 2):
        if server.poll() is not None:
            sys.exit(f"看板未能启动（退出码 {server.returncode}，原因见上方）(the app stopped)")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"看板{seconds}秒内未响应 {url} (the app did not answer)")


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
