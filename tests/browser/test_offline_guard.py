"""The browser-test machinery itself, proven without the app: the offline guard really aborts
what would leave the machine (and only that), a Streamlit server really starts and stops, and
a browser test really skips locally / fails under CI=true when Chromium is missing."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import install_offline_guard, is_local_url, start_streamlit, stop_streamlit

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

PAGE = """<!doctype html>
<html><head><title>loading</title>
<script src="/local.js"></script>
<script src="https://cdn.example.invalid/x.js"></script>
<script src="http://localhost:{port}/beacon.js"></script>
</head><body><p>guard test page</p>
<script>
  window.done = {{ws: false, fetch: false}};
  const ws = new WebSocket("ws://localhost:{port}/ws");
  ws.onclose = () => {{ window.done.ws = true; }};
  fetch("http://localhost:{port}/fetch").catch(() => null)
    .finally(() => {{ window.done.fetch = true; }});
</script></body></html>
"""


@dataclass
class Site:
    """A throwaway web server on 127.0.0.1 that remembers every path it was asked for."""

    url: str
    port: int
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def local_site(tmp_path: Path) -> Iterator[Site]:
    site = Site(url="", port=0)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, format, *args):  # record instead of printing
            site.paths.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.port = server.server_address[1]
    site.url = f"http://127.0.0.1:{site.port}"
    (tmp_path / "index.html").write_text(PAGE.format(port=site.port))
    (tmp_path / "local.js").write_text("window.localRan = true;")
    (tmp_path / "beacon.js").write_text("window.beaconRan = true;")
    (tmp_path / "fetch").write_text("reached")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def load(page, site: Site) -> None:
    page.goto(f"{site.url}/index.html")
    page.wait_for_function("window.done && window.done.ws && window.done.fetch", timeout=15_000)


# ---- the URL rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8501/",
        "http://127.0.0.1:8501/_stcore/health",
        "ws://127.0.0.1:8501/_stcore/stream",
        "http://127.0.0.1/",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8501/0b1c",
        "about:blank",
        "about:srcdoc",
    ],
)
def test_local_urls_are_allowed(url):
    assert is_local_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.jsdelivr.net/npm/vis-network/dist/vis-network.min.js",
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://data.streamlit.io/metrics.json",
        "https://127.0.0.1:8501/",  # not the scheme the app is served on
        "http://localhost:8501/",  # needs a name lookup; the app is reached by IP
        "http://127.0.0.1.evil.example/x.js",  # look-alike host
        "http://127.0.0.10:8501/",
        "wss://127.0.0.1:8501/",
        "ws://example.com/127.0.0.1",
    ],
)
def test_non_local_urls_are_blocked(url):
    assert not is_local_url(url)


# ---- the guard in a real browser -----------------------------------------------------------


def test_without_the_guard_the_page_does_reach_a_non_local_url(browser_context, local_site):
    """Control: the page's outside requests really arrive, so blocking them means something."""
    page = browser_context.new_page()
    load(page, local_site)
    assert page.evaluate("window.localRan") is True
    assert page.evaluate("window.beaconRan") is True
    assert {"/beacon.js", "/ws", "/fetch"} <= set(local_site.paths)


def test_the_guard_aborts_and_records_every_non_local_request(browser_context, local_site):
    blocked = install_offline_guard(browser_context)
    page = browser_context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    load(page, local_site)

    outside = [
        "https://cdn.example.invalid/x.js",
        f"http://localhost:{local_site.port}/beacon.js",
        f"http://localhost:{local_site.port}/fetch",
        f"ws://localhost:{local_site.port}/ws",
    ]
    assert sorted(blocked) == sorted(outside)
    # Aborted, not merely noticed: nothing arrived at the server, the script never ran...
    assert not {"/beacon.js", "/ws", "/fetch"} & set(local_site.paths)
    assert page.evaluate("window.beaconRan") is None
    assert set(outside[:3]) <= set(failed)
    # ...while everything on 127.0.0.1 went through untouched.
    assert {"/index.html", "/local.js"} <= set(local_site.paths)
    assert page.evaluate("window.localRan") is True


# ---- a Streamlit server, started and stopped by process id --------------------------------


HELLO_APP = """
import streamlit as st

st.title("Offline guard check")
if st.button("Count"):
    st.session_state.clicks = st.session_state.get("clicks", 0) + 1
st.write(f"clicks = {st.session_state.get('clicks', 0)}")
"""


@pytest.fixture
def hello_app(tmp_path: Path) -> Path:
    script = tmp_path / "hello_app.py"
    script.write_text(HELLO_APP)
    return script


def port_open(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, int(port))) == 0


def test_start_streamlit_serves_a_script_and_stop_ends_its_process_group(hello_app):
    url, proc = start_streamlit(hello_app)
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"{url}/_stcore/health", timeout=5
        ) as response:
            assert response.read() == b"ok"
        # Its own session and process group, so stopping it can never touch the test runner.
        assert os.getpgid(proc.pid) == proc.pid != os.getpgid(0)
        log_path = Path(proc.log_path)
        assert log_path.is_file()
    finally:
        stop_streamlit(proc)
    assert proc.returncode is not None
    assert not port_open(url)
    assert not log_path.exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


def test_start_streamlit_refuses_a_missing_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Streamlit script"):
        start_streamlit(tmp_path / "missing.py")


def test_a_streamlit_app_runs_offline_through_the_page_fixture(
    page, streamlit_launcher, hello_app, save_screenshot, screenshot_dir
):
    """Streamlit's own traffic (HTTP and its WebSocket) passes the guard; teardown then checks
    that nothing else was tried, e.g. usage statistics."""
    url, _proc = streamlit_launcher(hello_app)
    page.goto(url)
    page.get_by_text("clicks = 0").wait_for(timeout=30_000)
    page.get_by_role("button", name="Count").click()
    page.get_by_text("clicks = 1").wait_for(timeout=15_000)  # a round trip over the WebSocket
    shot = save_screenshot(page)
    assert shot.parent == screenshot_dir
    assert shot.name.startswith("browser-test_offline_guard-test_a_streamlit_app_runs_offline")
    assert shot.stat().st_size > 1000
    assert page.viewport_size == {"width": 1280, "height": 720}


@pytest.mark.parametrize("viewport", [{"width": 1920, "height": 1080}])
def test_a_test_can_choose_its_viewport(page, viewport):
    page.goto("about:blank")
    assert page.evaluate("[innerWidth, innerHeight]") == [1920, 1080]


# ---- the contract, checked from outside: an inner pytest run with this conftest -------------

INNER_TESTS = """
import pytest

def test_reaches_out(page):
    page.set_content('<img src="https://cdn.example.invalid/pixel.png">')
    page.wait_for_load_state("load")

def test_stays_local(page):
    page.set_content("<p>offline</p>")
    assert page.get_by_text("offline").is_visible()

@pytest.mark.browser
def test_marked_without_fixtures():
    pass

def test_plain():
    pass
"""


def run_inner(tmp_path: Path, *, chromium: str | None = None, ci: bool) -> tuple[int, str]:
    conftest = CONFTEST.read_text()
    if chromium is not None:
        conftest = conftest.replace('CHROMIUM = "/usr/bin/chromium"', f'CHROMIUM = "{chromium}"')
        assert chromium in conftest
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    browser: x\n    slow: x\n")
    env = {**os.environ, "SCREENSHOT_DIR": str(tmp_path / "shots"), "CI": "true" if ci else ""}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.browser
def test_a_page_that_reaches_out_fails_its_test(tmp_path):
    code, out = run_inner(tmp_path, ci=False)
    assert code == 1, out
    assert "tried to reach the internet" in out and "https://cdn.example.invalid/pixel.png" in out
    assert "4 passed, 1 error" in out, out  # the error is test_reaches_out's teardown
    assert "browser tests: 2 passed, 0 failed, 1 errored, 0 skipped" in out, out
    assert f"screenshots: {tmp_path / 'shots'}" in out


@pytest.mark.slow
def test_without_chromium_browser_tests_skip_visibly_locally(tmp_path):
    code, out = run_inner(tmp_path, chromium="/nonexistent/chromium", ci=False)
    assert code == 0, out
    assert "1 passed, 3 skipped" in out, out
    assert out.count("browser test skipped: /nonexistent/chromium not found") >= 1, out
    assert "browser tests: 0 passed, 0 failed, 0 errored, 3 skipped" in out, out


@pytest.mark.slow
def test_without_chromium_browser_tests_fail_under_ci(tmp_path):
    code, out = run_inner(tmp_path, chromium="/nonexistent/chromium", ci=True)
    assert code == 1, out
    assert "1 passed, 3 errors" in out, out
    assert "CI=true, so browser tests must run, but /nonexistent/chromium not found" in out, out
    assert "skipped" not in out.split("short test summary info")[-1].lower(), out


def test_the_repo_streamlit_config_applies(page, streamlit_launcher, hello_app):
    """.streamlit/config.toml (read from the working directory) hides the toolbar, sets the
    projector theme, and has no key this Streamlit version rejects."""
    repo = CONFTEST.parents[1]
    url, proc = streamlit_launcher(hello_app, cwd=repo)
    page.goto(url)
    page.get_by_text("clicks = 0").wait_for(timeout=30_000)
    assert page.get_by_text("Deploy", exact=True).count() == 0
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "18px"
    title_colour = page.get_by_role("heading", name="Offline guard check").evaluate(
        "e => getComputedStyle(e).color"
    )
    assert title_colour == "rgb(17, 17, 17)"
    log = Path(proc.log_path).read_text()
    assert "is not a valid config option" not in log and "Warning" not in log, log
