"""Nothing leaves the machine, server side included.

The `page` fixture proves the page never asks for anything beyond 127.0.0.1. Here the server
is watched too: `streamlit run serve.py` started as the README starts it (from the checkout root,
the project's .streamlit/config.toml, headless, no other flag but the port) under
tests/browser/outbound_recorder.py, which records and refuses, in the server's own process,
every connection, datagram and name lookup that would leave the machine. Left to itself,
Streamlit looks up the machine's addresses when it starts (a UDP connect to 8.8.8.8, then an
HTTP request to checkip.amazonaws.com); the config names the server address so it does not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.outbound_recorder import READY
from tests.browser.pages import WAIT, blur, open_app, wait_for_step, wait_for_url_step
from tests.conftest import REPO, start_streamlit, stop_streamlit

RECORDER = Path(__file__).with_name("outbound_recorder.py")
SERVE = REPO / "serve.py"  # the README's run command serves the app and the class


def recorded(log: Path) -> list[dict]:
    """The attempts to leave the machine that `log` holds, once the recorder said it was on."""
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines[:1] == [READY], f"the recorder never started: {lines[:1]}"
    return lines[1:]


PROBE = """
import socket

def tried(call):
    try:
        call()
        return "done"
    except OSError as error:
        return "refused" if "offline:" in str(error) else "failed"

udp = lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print(tried(lambda: socket.getaddrinfo("checkip.amazonaws.com", 80)),
      tried(lambda: udp().connect(("8.8.8.8", 1))),
      tried(lambda: udp().sendto(b"x", ("192.0.2.1", 9))),
      tried(lambda: socket.getaddrinfo("localhost", 80)),
      tried(lambda: udp().connect(("127.0.0.1", 9))),
      tried(lambda: socket.getaddrinfo(None, 8501)))
"""


def test_the_recorder_refuses_and_records_exactly_what_would_leave_the_machine(tmp_path):
    (tmp_path / "probe.py").write_text(PROBE)
    log = tmp_path / "outbound.jsonl"
    out = subprocess.run([sys.executable, str(RECORDER), str(log), "probe"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.split() == ["refused"] * 3 + ["done"] * 3
    assert recorded(log) == [
        {"event": "socket.getaddrinfo", "host": "checkip.amazonaws.com", "port": 80},
        {"event": "socket.connect", "host": "8.8.8.8", "port": 1},
        {"event": "socket.sendto", "host": "192.0.2.1", "port": 9},
    ]


def readme_command(log: Path):
    """The README's `python -m streamlit run serve.py`, headless on `port`, under the recorder."""
    def command(port: int) -> list[str]:
        return [sys.executable, str(RECORDER), str(log), "streamlit", "run", "serve.py",
                "--server.headless", "true", "--server.port", str(port)]
    return command


@pytest.mark.browser
def test_the_server_reaches_nothing_beyond_loopback_while_a_page_opens_and_steps(
        page, tmp_path):
    log = tmp_path / "outbound.jsonl"
    url, proc = start_streamlit(SERVE, cwd=REPO, command=readme_command(log))
    try:
        open_app(page, url)
        wait_for_step(page, 0)
        blur(page)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        wait_for_step(page, 3)
        wait_for_url_step(page, 3)  # the server heard the step and ran the stage again
        page.get_by_text("Share and export").click()
        page.get_by_text("Share this view").wait_for(timeout=WAIT)
        page.get_by_role("button", name="Start a class").click()  # the class's routes too
        page.wait_for_function(
            "() => document.querySelector('.ad-class-qr').naturalWidth > 0", timeout=WAIT)
        server_output = Path(proc.log_path).read_text()  # type: ignore[attr-defined]
    finally:
        stop_streamlit(proc)
    assert recorded(log) == [], "the server tried to leave the machine (refused)"
    # The start message still says where the app is, without having looked anything up.
    port = url.rsplit(":", 1)[1]
    assert f"URL: http://localhost:{port}" in server_output
