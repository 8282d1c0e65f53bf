"""Shared fixtures for every layer of the suite (tests/engine, parser, stepper, components, app,
browser).

The browser layer runs the real app in a real browser, offline:

* `app_server` starts `python -m streamlit run app.py` on a free port of 127.0.0.1 and yields its
  base URL (`class_server`: serve.py, the app with the class's routes, per test module);
  `start_streamlit(script)` / `stop_streamlit(proc)` do the same for any script.
* `browser` (one per session) is Debian's Chromium at /usr/bin/chromium driven by Playwright's
  sync API; `playwright install` is never used.
* `page` (one per test) is a fresh context and page, 1280x720 unless the test overrides the
  `viewport` fixture (e.g. `@pytest.mark.parametrize("viewport", [{"width": 1920, "height":
  1080}])`). Every request that would leave the machine is aborted and recorded, and the test
  fails at teardown if there was any: the proof that the app works in a lecture hall without
  internet. `install_offline_guard(page_or_context)` is the same guard for tests that build their
  own page.
* `screenshot_dir` / `save_screenshot(page, label="")` put screenshots in artifacts/screenshots
  (or $SCREENSHOT_DIR); the folder is printed at the end of the run. A test that fails with a
  `page` leaves a `...-failed.png` there.

Tests that use `browser` or `page` are marked `browser` automatically. Without Chromium or the
playwright module they are skipped with the reason shown in the summary; with CI=true they fail
instead, so a missing install step can never pass silently.

pytest loads this file as the module `tests.conftest` (importlib mode, checkout root on the path),
so a test can `from tests.conftest import install_offline_guard, start_streamlit, stop_streamlit`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}
BROWSER_FIXTURES = frozenset({"browser", "browser_context", "page"})

SERVER_START_TIMEOUT = 60.0  # seconds until /_stcore/health must answer "ok"
SERVER_STOP_TIMEOUT = 10.0  # seconds after SIGTERM before SIGKILL

# The only places a page may talk to: this machine (by IP, so no DNS) and in-page URLs.
# The port/path boundary after the IP stops look-alikes such as http://127.0.0.1.evil.example/.
_LOCAL_URL = re.compile(r"^(?:http|ws)://127\.0\.0\.1(?:[:/?#]|$)")
_IN_PAGE_SCHEMES = ("data:", "blob:", "about:")



def pytest_configure(config: pytest.Config) -> None:
    # Registered here, not in pyproject.toml, so that it travels with this file (the offline
    # guard's own tests run a copy of it in a bare folder).
    config.addinivalue_line(
        "markers", "e2e: end to end against a real `streamlit run` server; every browser test "
        "is one (added automatically)")
    # `timeout` (in .ci/run) or a CI runner stops pytest with SIGTERM. Treat it like Ctrl-C so
    # fixtures are torn down and no Streamlit server is left running.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def in_ci() -> bool:
    """True when the environment says this is CI (CI=true), where nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


# ---- offline guard ----------------------------------------------------------------------------


def is_local_url(url: str) -> bool:
    """May a page under test fetch `url` in a lecture hall without internet?"""
    return url.startswith(_IN_PAGE_SCHEMES) or bool(_LOCAL_URL.match(url))


def install_offline_guard(target: Any) -> list[str]:
    """Abort every request of `target` (a Playwright Page or BrowserContext) that would leave
    the machine, WebSockets included, and return the live list of the URLs it stopped."""
    blocked: list[str] = []

    def on_request(route: Any) -> None:
        url = route.request.url
        if is_local_url(url):
            route.fallback()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    def on_websocket(ws: Any) -> None:
        # Not calling ws.connect_to_server() means nothing reaches the network.
        blocked.append(ws.url)
        ws.close()

    target.route("**/*", on_request)
    target.route_web_socket(lambda url: not is_local_url(url), on_websocket)
    return blocked


# ---- a Streamlit server in its own process group ----------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_flags(port: int) -> list[str]:
    """Headless, loopback only, no usage statistics, no file watching."""
    flags = {
        "server.headless": "true",
        "server.address": "127.0.0.1",
        "server.port": str(port),
        "browser.gatherUsageStats": "false",
        "server.fileWatcherType": "none",
        "server.runOnSave": "false",
    }
    return [arg for name, value in flags.items() for arg in (f"--{name}", value)]


def _log_tail(proc: subprocess.Popen, chars: int = 4000) -> str:
    try:
        return Path(proc.log_path).read_text(errors="replace")[-chars:]  # type: ignore[attr-defined]
    except OSError:
        return "(no log)"


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    # No proxy: a proxy from the environment must never see (or break) a request to 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {proc.returncode} before it was healthy:\n"
                + _log_tail(proc)
            )
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} was not healthy within {timeout:.0f} s:\n" + _log_tail(proc))


def start_streamlit(
    script_path: str | Path, *, timeout: float = SERVER_START_TIMEOUT,
    cwd: str | Path | None = None, command: Callable[[int], list[str]] | None = None,
) -> tuple[str, subprocess.Popen]:
    """Start `python -m streamlit run script_path` headless on a free port of 127.0.0.1.

    Returns (base URL, process) once GET /_stcore/health answers "ok"; stop it with
    `stop_streamlit(proc)`. It runs in its own session, so it and anything it spawns can be
    stopped by its process id. The working directory defaults to the script's folder, so a
    `.streamlit/config.toml` next to the script applies. The log is at `proc.log_path`.
    `command(port)`, when given, is the command line instead (it must serve on that port).
    """
    script = Path(script_path).resolve()
    if not script.is_file():
        raise FileNotFoundError(f"no Streamlit script at {script}")
    for _attempt in range(3):  # a free port can be taken between free_port() and the bind
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with tempfile.NamedTemporaryFile(
            prefix=f"streamlit-{port}-", suffix=".log", delete=False
        ) as log:
            proc = subprocess.Popen(
                command(port) if command else
                [sys.executable, "-m", "streamlit", "run", str(script), *streamlit_flags(port)],
                cwd=str(cwd or script.parent),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        proc.log_path = log.name  # type: ignore[attr-defined]
        try:
            _wait_healthy(url, proc, timeout)
            return url, proc
        except RuntimeError:
            port_taken = "already in use" in _log_tail(proc)
            stop_streamlit(proc)
            if not port_taken:
                raise
        except BaseException:
            stop_streamlit(proc)
            raise
    raise RuntimeError("streamlit could not get a free port in 3 attempts")


def stop_streamlit(proc: subprocess.Popen, timeout: float = SERVER_STOP_TIMEOUT) -> None:
    """Stop a server from `start_streamlit` and its children: SIGTERM to its process group
    (whose id is the server's pid), SIGKILL if it is still there after `timeout` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        # Only while unreaped: until then its pid (= the group id) cannot belong to anyone else.
        if proc.returncode is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    log_path = getattr(proc, "log_path", None)
    if log_path:
        Path(log_path).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of the repo's app.py, served for the whole session."""
    url, proc = start_streamlit(APP, cwd=REPO)
    try:
        yield url
    finally:
        stop_streamlit(proc)


@pytest.fixture(scope="module")
def class_server() -> Iterator[str]:
    """Base URL of serve.py (the app with the class's routes), for one test module: a class's
    rooms live in its hub, so each module starts with none."""
    url, proc = start_streamlit(REPO / "serve.py", cwd=REPO)
    try:
        yield url
    finally:
        stop_streamlit(proc)


@pytest.fixture
def streamlit_launcher() -> Iterator[Callable[..., tuple[str, subprocess.Popen]]]:
    """`start_streamlit` for any script; whatever a test leaves running is stopped after it."""
    started: list[subprocess.Popen] = []

    def launch(script_path: str | Path, **kwargs: Any) -> tuple[str, subprocess.Popen]:
        url, proc = start_streamlit(script_path, **kwargs)
        started.append(proc)
        return url, proc

    launch.stop = stop_streamlit  # type: ignore[attr-defined]
    yield launch
    for proc in started:
        stop_streamlit(proc)


# ---- Chromium through Playwright ----------------------------------------------------------------


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} not found (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright module is missing (pip install -r requirements-test.txt)")
    return "; ".join(missing) or None


def _require_browser() -> None:
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI=true, so browser tests must run, but {reason}", pytrace=False)
    pytest.skip(f"browser test skipped: {reason}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = browser_unavailable_reason()
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            if item.get_closest_marker("browser") is None:
                item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.e2e)
            if reason and not in_ci():
                item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Under CI=true nothing above skipped the browser tests: fail them before any fixture runs.
    if item.get_closest_marker("browser") is not None:
        _require_browser()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, launched once per session."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def viewport() -> dict[str, int]:
    """Window size of `page`; parametrize this name to change it for one test."""
    return dict(DEFAULT_VIEWPORT)


@pytest.fixture
def browser_context(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    """A fresh, unguarded browser context (no cookies or storage shared between tests)."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser_context: Any,
    save_screenshot: Callable[..., Path],
) -> Iterator[Any]:
    """A page that may only talk to 127.0.0.1; fails the test if it tried anything else."""
    blocked = install_offline_guard(browser_context)
    page = browser_context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshot(page, "failed")
    assert not blocked, f"the page tried to reach the internet (aborted): {blocked}"


# ---- screenshots -------------------------------------------------------------------------------


def screenshot_root() -> Path:
    configured = os.environ.get("SCREENSHOT_DIR")
    return Path(configured).resolve() if configured else REPO / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Folder for screenshots (artifacts/screenshots, or $SCREENSHOT_DIR); created on use."""
    folder = screenshot_root()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot_name(nodeid: str, label: str = "") -> str:
    """File name for a screenshot of test `nodeid`, e.g. browser-test_app-test_next[wide].png."""
    path, _, name = nodeid.partition("::")
    path = path.removeprefix("tests/").removesuffix(".py")
    stem = re.sub(r"[^A-Za-z0-9_.\[\]=-]+", "-", f"{path}::{name}").strip("-")
    return f"{stem}-{label}.png" if label else f"{stem}.png"


@pytest.fixture
def save_screenshot(request: pytest.FixtureRequest, screenshot_dir: Path) -> Callable[..., Path]:
    """`save_screenshot(page, label="", full_page=True) -> Path`, named after the test."""

    def save(page: Any, label: str = "", *, full_page: bool = True) -> Path:
        path = screenshot_dir / screenshot_name(request.node.nodeid, label)
        page.screenshot(path=str(path), full_page=full_page)
        # on the test's report, which pytest-xdist carries from a worker to the summary
        request.node.user_properties.append(("screenshot", str(path)))
        return path

    return save


# ---- reports -----------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    # Lets fixtures see at teardown whether their test failed (item.rep_setup / rep_call).
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    # read from the reports, not this process's collection: with pytest-xdist (-n) the tests
    # are collected and run by workers, and only their reports come here
    outcome_of: dict[str, str] = {}
    for outcome in ("passed", "skipped", "failed", "error"):  # later ones win
        for report in terminalreporter.stats.get(outcome, ()):
            if "e2e" in getattr(report, "keywords", {}):
                outcome_of[report.nodeid] = outcome
    saved = {value for reports in terminalreporter.stats.values() for report in reports
             for name, value in getattr(report, "user_properties", ()) if name == "screenshot"}
    outcomes = list(outcome_of.values())
    counts = {o: outcomes.count(o) for o in ("passed", "failed", "error", "skipped")}
    terminalreporter.section("browser tests and screenshots")
    terminalreporter.write_line(
        f"browser tests: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['error']} errored, {counts['skipped']} skipped "
        f"(Chromium {CHROMIUM}, CI={'true' if in_ci() else 'false'})"
    )
    terminalreporter.write_line(f"screenshots: {screenshot_root()} ({len(saved)} saved this run)")


# ---- hypothesis --------------------------------------------------------------------------------

try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # only the property-based tests need it
    pass
else:
    # No deadline anywhere: a slow example on a loaded machine is not a failure, and speed
    # is measured by benchmarks/, never by a test (the parser's worst case: bench_parser.py).
    _hypothesis_settings.register_profile("untimed", deadline=None)
    _hypothesis_settings.register_profile("ci", deadline=None, print_blob=True)
    _hypothesis_settings.load_profile("ci" if in_ci() else "untimed")
