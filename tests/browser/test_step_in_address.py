"""The page owns the step (issue 22, a big class on one server): stepping writes ``?step=`` into
the address and sends the server nothing, no rerun, no websocket message; the server hears the
step only when a rerun uses it (another algorithm keeps the moment, the share link and the
downloads are made at it), told by the page just before the user touches a control."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from autodiff.trace import ROUTE_STACK, TOPOLOGICAL
from autodiff.trace.export import ledger_csv
from components.presets import POST_3
from components.switch import matching_step
from tests.browser.pages import (
    WAIT,
    assert_shows,
    blur,
    expected,
    open_app,
    shown,
    trace_of,
    wait_for_step,
    wait_for_url_step,
)

pytestmark = pytest.mark.browser

QUIET_MS = 1_000  # past the page's 300 ms debounce and a rerun's round trip


def sent_while(page, act) -> int:
    """How many websocket messages (Streamlit's BackMsgs: a rerun, a step report, a window
    asked for) and HTTP requests (the favicon fetched again at each new address, say) the
    page sends while ``act()`` runs and 1 s after."""
    page.evaluate("""() => {
        globalThis.adSent = 0;
        if (globalThis.adSendCounted) return;
        globalThis.adSendCounted = true;  // the socket is open already: count on its prototype
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            globalThis.adSent += 1;
            return send.call(this, data);
        };
    }""")
    requests: list[str] = []

    def record(request) -> None:
        requests.append(request.url)

    page.on("request", record)
    act()
    page.wait_for_timeout(QUIET_MS)
    page.remove_listener("request", record)
    return page.evaluate("globalThis.adSent") + len(requests)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def press(page, key: str, times: int) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def test_twenty_steps_send_nothing_and_the_address_holds_the_step(page, app_server):
    trace = trace_of(POST_3)
    open_app(page, app_server, program=POST_3, step=2, hide="order")
    wait_for_step(page, 2)
    page.wait_for_timeout(QUIET_MS)  # the first run's messages are over
    before = query(page)
    history = page.evaluate("history.length")
    blur(page)

    def twenty_steps():
        press(page, "ArrowRight", 20)
        wait_for_step(page, 22)
        wait_for_url_step(page, 22)

    assert sent_while(page, twenty_steps) == 0  # no rerun, no report, no request at all
    assert_shows(shown(page), expected(trace, 22))
    after = query(page)
    assert after.pop("step") == ["22"] and before.pop("step") == ["2"]
    assert after == before  # the program, values, algorithm and the lesson's hide= as they were
    assert page.evaluate("history.length") == history  # replaced, not pushed: Back leaves the page
    page.reload()  # a reload (or the link copied from the address bar) opens there
    page.locator(".ad-net canvas").wait_for(timeout=WAIT)
    wait_for_step(page, 22)
    assert_shows(shown(page), expected(trace, 22))


def test_the_algorithm_switch_keeps_the_moment_the_page_stands_on(page, app_server):
    stack, sweep = trace_of(POST_3), trace_of(POST_3, TOPOLOGICAL)
    open_app(page, app_server, program=POST_3, algorithm=ROUTE_STACK)
    wait_for_step(page, 0)
    page.wait_for_timeout(QUIET_MS)
    blur(page)

    def steps():
        press(page, "ArrowRight", 9)
        wait_for_url_step(page, 9)

    assert sent_while(page, steps) == 0
    page.get_by_text("Topological", exact=True).click()  # the page tells its step first
    page.locator('.ad-net[data-algorithm="topological"]').wait_for(timeout=WAIT)
    k = matching_step(stack, 9, sweep)
    assert 0 < k < sweep.last_index
    wait_for_step(page, k)
    wait_for_url_step(page, k)
    assert query(page)["algorithm"] == [TOPOLOGICAL]
    assert_shows(shown(page), expected(sweep, k))
    blur(page)
    press(page, "ArrowRight", 9 - k)  # step 9 again, of the sweep this time: told again
    wait_for_url_step(page, 9)
    page.get_by_text("Route stack (post)", exact=True).click()
    page.locator('.ad-net[data-algorithm="route-stack"]').wait_for(timeout=WAIT)
    back = matching_step(sweep, 9, stack)
    wait_for_step(page, back)
    wait_for_url_step(page, back)
    assert_shows(shown(page), expected(stack, back))


def test_the_share_link_and_the_ledger_download_are_made_at_the_page_step(page, app_server):
    trace = trace_of(POST_3)
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    page.wait_for_timeout(QUIET_MS)
    blur(page)
    assert sent_while(page, lambda: (press(page, "ArrowRight", 6),
                                     wait_for_url_step(page, 6))) == 0
    page.get_by_text("Share and export").click()  # closed until now: the page tells its step
    link = page.locator("[data-testid=stCode]")
    link.filter(has_text="step=6&").wait_for(timeout=WAIT)
    blur(page)
    assert sent_while(page, lambda: (press(page, "ArrowRight", 4), link.filter(
        has_text="step=10&").wait_for(timeout=WAIT))) >= 1  # open: told, the link follows
    with page.expect_download(timeout=WAIT) as download:
        page.get_by_role("button", name="Route ledger (CSV)").click()
    assert download.value.suggested_filename == "ledger-step10.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows == list(csv.reader(io.StringIO(ledger_csv(trace, 10))))
    wait_for_url_step(page, 10)
