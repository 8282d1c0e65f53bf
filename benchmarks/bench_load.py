"""A whole class on one server: many sessions speaking Streamlit's websocket protocol.

    python benchmarks/bench_load.py --baseline /tmp/before     # today's design beside ours
    python benchmarks/bench_load.py --baseline /tmp/before --think debounce,0   # + no pause
    python benchmarks/bench_load.py                            # 1,10,50,100 sessions, both modes
    python benchmarks/bench_load.py --sessions 1,10 --steps 10 # a small run
    python benchmarks/bench_load.py --mode button              # today's design only
    python benchmarks/bench_load.py --reruns                   # CPU of the reruns that remain
    python benchmarks/bench_load.py --mode component --sessions 100 --no-cpu  # issue 22's class
    python benchmarks/bench_load.py --url ws://127.0.0.1:8501 --pid 1234   # a running server

No browser: each session connects to /_stcore/stream (subprotocol "streamlit"), sends
BackMsg protobufs (``rerun_script``: query string, widget states, fragment id, the hashes
of its message cache) and reads ForwardMsg protobufs until ``script_finished``, as the
page does; nothing is drawn. The client runs on the same machine and takes CPU from the
server, so under load the latencies include it.

Four measures, each printed for today's design beside the new one, with the ratio:

* **stepping** (issue 22: a big class on one server): N sessions open the page at once
  (open = first run sent to script finished), then each steps ``--steps`` times at the
  page's pace (``debounce``, 300 ms a step) on its own. The in-page stepper draws a step
  and writes ``?step=`` into the page's address itself and sends the server nothing
  (stepper.js; tests/browser/test_step_in_address.py counts the page's websocket messages,
  and ``bench_app.py --cpu`` the server's CPU while Chromium steps), so a session sends
  nothing while it steps; today's design clicks Next, a rerun per step. Printed: open
  p50/p95, the server's CPU over the steps (utime + stime from /proc/PID/stat, every
  thread) per step, and the messages a session sent per step.
* **load**: the same opens, then each session tells the server ``--steps`` steps: the
  page's worst case, the *Share and export* section open on every page (the page then
  tells each step, 300 ms after the last, for the link and downloads to follow; closed, it
  tells its step once, when a control outside the stepper is touched). p50/p95 of both,
  errors (a run that failed, showed an exception or did not put the step in the URL),
  server RSS. Between two reports a session waits ``--think``: by default the page's own
  pace, ``debounce``: the in-page stepper tells a step only after 300 ms without a step
  (``REPORT_MS`` in components/stepper.js, read from there), so a real page never
  tells faster than that; today's Next is sent the moment it is pressed, so no pause.
  ``--think debounce,0`` also measures every session reporting as fast as answered.
* **CPU per report**: one session tells 20 steps, one at a time; the server's CPU
  divided by the reports: what a told step costs (a control touched, or a step with the
  share section open).
* **reruns** (``--reruns``): server CPU of what still reruns the script: opening the
  page, typing a program, changing a value, switching the algorithm, for the post's
  examples and the largest program the limits allow.

How a step reaches the server (``--mode``):

* ``button`` (today): a click on the ``next`` button, a trigger for its widget id, sent
  in the stage fragment; the server reruns the fragment and writes ``?step=``.
* ``component`` (the in-page stepper): the page steps itself and, when it tells the
  server, tells its step as a v2 component does. ``setStateValue(name, v)`` sends the
  component's whole state as a JSON ``json_value`` for the component's widget id
  (``$$ID-<hash>-<key>``);
  ``setTriggerValue(name, v)`` sends ``[{"event": name, "value": v}]`` as a
  ``json_trigger_value`` for ``$$STREAMLIT_INTERNAL_KEY_<id>__events``. Point it at the
  final component with ``--component-key`` (the key, or a prefix of it; default
  ``stepper``, the in-page stepper's key, whose ``setStateValue('step', [payload id, k])``
  tells the step), ``--state-name`` and ``--trigger``. When the page has no such component the
  mode is reported as not available, not as a failure.

``--baseline CHECKOUT`` serves today's design (e.g. ``git worktree add /tmp/before
0129541``) with the button and this checkout with the component, one after the other,
and prints them in one table with the ratios new/today.

Exit status 1 when the new design (component rows) misses a goal: stepping at every
session count up to 100, page open p95 <= 1.5 s and server CPU per step <= 0.5 ms (issue
22); load, at the page's own think time when measured, page open p95 <= 3 s, step sync
p95 <= 500 ms (issue 10); no error, the stepper on the page. Today's design is
measured, never judged; CPU per report and the reruns are printed beside their goals
(<= 30 ms per rerun for the post's examples, <= 2 s to open any program) and not judged.
The machine is shared: the client runs on it too, so take final figures on a quiet one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from components.presets import POST_1, POST_2, POST_3  # noqa: E402

OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
ID_PREFIX = "$$ID-"  # element ids: $$ID-<hash>-<user key>
TRIGGER_PREFIX = "$$STREAMLIT_INTERNAL_KEY"  # + _<component id>__events
MODES = ("button", "component")


# ---- pure helpers (tested in tests/benchmarks) ----

def percentile(samples, q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks; nan
    for no samples."""
    data = sorted(samples)
    if not data:
        return math.nan
    pos = (len(data) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def summary(samples) -> dict:
    return {"n": len(samples), "p50": percentile(samples, 50), "p95": percentile(samples, 95)}


def url_step(query_string: str) -> int | None:
    """The ``step`` of a query string (None when absent or not a number)."""
    try:
        return int(parse_qs(query_string).get("step", [""])[0])
    except ValueError:
        return None


def user_key(element_id: str) -> str | None:
    """``$$ID-<hash>-<key>`` -> ``<key>`` (keys may hold dashes); None for unkeyed ids."""
    if not element_id.startswith(ID_PREFIX):
        return None
    parts = element_id[len(ID_PREFIX):].split("-", 1)
    return parts[1] if len(parts) == 2 and parts[1] else None


def payload_id(data_json: str) -> str:
    """The ``id`` a v2 component's data starts with (the in-page stepper's payload id), read
    off the front of its JSON: the client shares the server's cores, so it does not parse
    the whole payload (about 110 KB) at every run."""
    found = re.match(r'\{"id":\s*"([^"]*)"', data_json)
    return found.group(1) if found else ""


def trigger_id(component_id: str) -> str:
    """The widget id a v2 component's ``setTriggerValue`` calls are sent under."""
    return f"{TRIGGER_PREFIX}_{component_id}__events"


def button_click(widget_id: str) -> tuple:
    return (widget_id, "trigger_value", True)


def component_state(component_id: str, state: dict) -> tuple:
    """``setStateValue``: the component's whole state, as JSON, under its own id."""
    return (component_id, "json_value", json.dumps(state))


def component_trigger(component_id: str, event: str, value) -> tuple:
    """``setTriggerValue``: a list of events, as JSON, under the trigger id."""
    return (trigger_id(component_id), "json_trigger_value",
            json.dumps([{"event": event, "value": value}]))


def rerun_message(query_string: str, page_url: str, widgets=(), fragment_id: str = "",
                  cached_hashes=()) -> BackMsg:
    """The BackMsg the page sends to run the script (or one fragment of it)."""
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query_string
    cs.page_script_hash = ""
    cs.context_info.timezone = "UTC"
    cs.context_info.locale = "en-US"
    cs.context_info.url = page_url + ("?" + query_string if query_string else "")
    for widget_id, kind, value in widgets:
        w = cs.widget_states.widgets.add()
        w.id = widget_id
        setattr(w, kind, value)
    if fragment_id:
        cs.fragment_id = fragment_id
    cs.cached_message_hashes.extend(cached_hashes)
    return msg


def debounce_seconds(stepper_js: str) -> float:
    """The quiet time after which the in-page stepper reports its step (``REPORT_MS`` in
    components/stepper.js), in seconds."""
    found = re.search(r"\bREPORT_MS\s*=\s*(\d+)", stepper_js)
    if not found:
        raise ValueError("no REPORT_MS in the stepper's script")
    return int(found.group(1)) / 1000


def think_times(setting: str, debounce: float) -> list[str]:
    """``--think``: a comma list of seconds or ``debounce`` -> its labels, in order."""
    labels = [x.strip() for x in setting.split(",") if x.strip()]
    for label in labels:
        if label != "debounce":
            float(label)  # a bad number fails here, before any server starts
    return labels


def think_seconds(label: str, mode: str, debounce: float) -> float:
    """Seconds a session waits between reports. ``debounce``: the page's debounce for the
    in-page stepper (a real page never reports faster), none for today's button, whose
    click is sent the moment it happens."""
    if label == "debounce":
        return debounce if mode == "component" else 0.0
    return float(label)


GOALS = {"open_p95": 3.0, "step_p95": 0.5}  # seconds, at up to 100 sessions
#: stepping's goals at up to 100 sessions (issue 22): open p95 (s), server CPU per step (s)
STEPPING_GOALS = {"open_p95": 1.5, "cpu_per_step": 0.0005}
TICK = 0.01  # s: /proc counts CPU in ticks of 10 ms


def missed_stepping_goals(rows: dict) -> list[str]:
    """The new design's (component) stepping rows, keyed (sessions, mode), that miss a goal:
    open p95 <= 1.5 s, server CPU per step <= 0.5 ms (or one 10 ms tick over all the steps,
    the row's ``resolution``, when that is more: the least /proc can tell from 0), no
    error, the stepper on the page."""
    missed = []
    for key in sorted(k for k in rows if k[1] == "component"):
        r, where = rows[key], f"{key[0]} sessions stepping"
        if r["unavailable"]:
            missed.append(f"{where}: no stepper on {r['unavailable']} pages")
            continue
        if r["errors"]:
            missed.append(f"{where}: errors {r['errors']}")
        if not r["open"]["p95"] <= STEPPING_GOALS["open_p95"]:
            missed.append(f"{where}: open p95 {r['open']['p95']:.2f} s > "
                          f"{STEPPING_GOALS['open_p95']:g} s")
        if not r["cpu_per_step"] <= max(STEPPING_GOALS["cpu_per_step"], r["resolution"]):
            missed.append(f"{where}: server CPU per step {r['cpu_per_step'] * 1000:.2f} ms > "
                          f"{STEPPING_GOALS['cpu_per_step'] * 1000:g} ms")
    return missed


def missed_goals(rows: dict) -> list[str]:
    """The new design's (component) load rows that miss a goal: open p95 <= 3 s, step sync
    p95 <= 0.5 s, no error, the stepper on the page. Rows are keyed (sessions, mode, think);
    only those with the page's own think time (``debounce``) are judged, when there are
    any: a flood faster than the page reports is a stress figure, not the goal."""
    judged = [k for k in rows if k[1] == "component"]
    if any(k[2] == "debounce" for k in judged):
        judged = [k for k in judged if k[2] == "debounce"]
    missed = []
    for key in sorted(judged):
        r, where = rows[key], f"{key[0]} sessions (think {key[2]})"
        if r["unavailable"]:
            missed.append(f"{where}: no stepper on {r['unavailable']} pages")
            continue
        if r["errors"]:
            missed.append(f"{where}: errors {r['errors']}")
        for name, goal in GOALS.items():
            value = r["open" if name == "open_p95" else "step"]["p95"]
            if not value <= goal:
                missed.append(f"{where}: {name.replace('_', ' ')} {value:.2f} s > {goal:g} s")
    return missed


# ---- the server ----

def env_name(option: str) -> str:
    """``runner.postScriptGC`` -> ``STREAMLIT_RUNNER_POST_SCRIPT_GC``, as Streamlit reads it."""
    section, _, key = option.partition(".")
    return f"STREAMLIT_{section}_{re.sub(r'(?<=[a-z0-9])(?=[A-Z])', '_', key)}".upper()


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and all its threads, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return math.nan


def start_server(options: list[str], checkout: Path = REPO):
    """The app of ``checkout`` on a free port (tests/conftest.py's helper); ``NAME=VALUE``
    options are passed as STREAMLIT_<SECTION>_<NAME> environment variables."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import start_streamlit

    for option in options:
        name, _, value = option.partition("=")
        os.environ[env_name(name)] = value
    url, proc = start_streamlit(checkout / "app.py", cwd=checkout)
    return url.replace("http://", "ws://"), proc


# ---- one session ----

class SessionError(Exception):
    pass


@dataclass
class Element:
    id: str
    fragment_id: str
    kind: str
    disabled: bool = False
    options: tuple = ()  # a radio's or select's labels: their widget value is the label
    payload: str = ""  # a v2 component's data "id" (the in-page stepper's payload)


@dataclass
class Run:
    seconds: float
    status: int
    query_string: str
    exceptions: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in OK and not self.exceptions


class Session:
    """One page: a websocket, the widgets it was last shown, its message cache."""

    def __init__(self, ws_base: str, timeout: float = 120.0):
        self.url = ws_base.rstrip("/") + "/_stcore/stream"
        self.page_url = ws_base.replace("ws://", "http://").rstrip("/") + "/"
        self.timeout = timeout
        self.ws = None
        self.query_string = ""
        self.elements: dict[str, Element] = {}  # user key -> element
        self.cache: dict[str, ForwardMsg] = {}  # the page's ForwardMsg cache, by hash

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None,
            open_timeout=self.timeout, ping_interval=None, close_timeout=2, compression=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def rerun(self, query_string: str | None = None, widgets=(),
                    fragment_id: str = "") -> Run:
        if query_string is not None:
            self.query_string = query_string
        msg = rerun_message(self.query_string, self.page_url, widgets, fragment_id,
                            list(self.cache))
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        try:
            return await asyncio.wait_for(self._read(t0), self.timeout)
        except TimeoutError as exc:
            raise SessionError(f"no script_finished within {self.timeout:g} s") from exc

    async def _read(self, t0: float) -> Run:
        exceptions = []
        while True:
            f = ForwardMsg()
            f.ParseFromString(await self.ws.recv())
            kind = f.WhichOneof("type")
            if kind == "ref_hash":  # an element the page already has: take it from the cache
                if f.ref_hash not in self.cache:
                    raise SessionError(f"server referred to unknown message {f.ref_hash}")
                full = ForwardMsg()
                full.CopyFrom(self.cache[f.ref_hash])
                full.metadata.CopyFrom(f.metadata)
                f, kind = full, full.WhichOneof("type")
            elif f.metadata.cacheable and f.hash:
                self.cache[f.hash] = f
            if kind == "page_info_changed":
                self.query_string = f.page_info_changed.query_string
            elif kind == "delta" and f.delta.WhichOneof("type") == "new_element":
                self._element(f.delta, exceptions)
            elif kind == "script_finished" and f.script_finished != EARLY:
                return Run(time.perf_counter() - t0, f.script_finished, self.query_string,
                           exceptions)

    def _element(self, delta, exceptions: list) -> None:
        el = delta.new_element
        kind = el.WhichOneof("type")
        body = getattr(el, kind)
        if kind == "exception":
            exceptions.append(f"{body.type}: {body.message}"[:300])
            return
        key = user_key(getattr(body, "id", "") or "")
        if key is not None:
            self.elements[key] = Element(body.id, delta.fragment_id, kind,
                                         bool(getattr(body, "disabled", False)),
                                         tuple(getattr(body, "options", ())),
                                         payload_id(body.json) if kind == "bidi_component"
                                         else "")

    def find(self, key: str) -> Element | None:
        """The element with this key, else the first whose key starts with it."""
        if key in self.elements:
            return self.elements[key]
        return next((e for k, e in self.elements.items() if k.startswith(key)), None)


# ---- reporting a step, per design ----

@dataclass
class StepReport:
    """How a page tells the server its step: the widgets to send and where."""
    mode: str
    component_key: str = "stepper"
    state_name: str = "step"
    trigger: bool = False

    def available(self, session: Session) -> bool:
        if self.mode == "button":
            return session.find("next") is not None
        found = session.find(self.component_key)
        return found is not None and found.kind == "bidi_component"

    def message(self, session: Session, step: int) -> tuple[list, str]:
        """(widgets, fragment id) of the report that the page is at ``step``."""
        if self.mode == "button":  # today: a click on Next moves one step forward
            el = session.find("next")
            return [button_click(el.id)], el.fragment_id
        el = session.find(self.component_key)
        if self.trigger:
            return [component_trigger(el.id, self.state_name, step)], el.fragment_id
        told = [el.payload, step] if el.payload else step  # the stepper's: on its payload
        return [component_state(el.id, {self.state_name: told})], el.fragment_id


async def report_step(session: Session, how: StepReport, step: int) -> tuple[Run, int]:
    """Report ``step`` (component) or press Next (button); (the run, the step the URL
    must then say)."""
    if how.mode == "button":
        if session.find("next").disabled:  # at the end: start over, as a lecturer would
            reset = session.find("reset")
            await session.rerun(widgets=[button_click(reset.id)], fragment_id=reset.fragment_id)
        step = (url_step(session.query_string) or 0) + 1
    widgets, fragment = how.message(session, step)
    return await session.rerun(widgets=widgets, fragment_id=fragment), step


def failure(run: Run, wanted: int | None) -> str | None:
    """None when the run succeeded and the URL holds the wanted step; else what went wrong."""
    if run.status not in OK:
        return "bad_status"
    if run.exceptions:
        return "exception_shown"
    if wanted is not None and url_step(run.query_string) != wanted:
        return "url_not_updated"
    return None


# ---- the measures ----

@dataclass
class Tally:
    opens: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    unavailable: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def one_session(base: str, query: str, how: StepReport, steps: int, think: float,
                      opened: asyncio.Barrier, tally: Tally) -> None:
    """Open the page; when every session has opened, report ``steps`` steps."""
    session = Session(base)
    try:
        try:
            await session.connect()
            run = await session.rerun(query)
            tally.opens.append(run.seconds)
            if failure(run, None):
                tally.error("open_" + failure(run, None))
        except Exception as exc:  # noqa: BLE001 - a failed session is a counted error
            tally.error("open_" + type(exc).__name__)
            await session.close()
            session = None
        await opened.wait()
        if session is None:
            return
        if not how.available(session):
            tally.unavailable += 1
            return
        for k in range(1, steps + 1):
            try:
                run, wanted = await report_step(session, how, k)
            except Exception as exc:  # noqa: BLE001
                tally.error("step_" + type(exc).__name__)
                return
            tally.steps.append(run.seconds)
            if failure(run, wanted):
                tally.error("step_" + failure(run, wanted))
            if think:
                await asyncio.sleep(think)
    finally:
        if session is not None:
            await session.close()


async def open_pages(base: str, query: str, sessions: int, tally: Tally) -> list[Session]:
    """``sessions`` pages opened at once; those that failed are counted and left out."""
    pages = [Session(base) for _ in range(sessions)]

    async def open_one(page: Session) -> Session | None:
        try:
            await page.connect()
            run = await page.rerun(query)
        except Exception as exc:  # noqa: BLE001 - a failed session is a counted error
            tally.error("open_" + type(exc).__name__)
            await page.close()
            return None
        tally.opens.append(run.seconds)
        if failure(run, None):
            tally.error("open_" + failure(run, None))
        return page

    return [p for p in await asyncio.gather(*(open_one(p) for p in pages)) if p is not None]


async def stepping(base: str, pid: int, sessions: int, how: StepReport, steps: int,
                   pace: float, query: str) -> dict:
    """N pages open at once, then each steps ``steps`` times, one step per ``pace`` s: the
    in-page stepper sends nothing (so nothing is sent here but the wait), today's design a
    click on Next each. The server's CPU over the steps, per step."""
    tally = Tally()
    pages = await open_pages(base, query, sessions, tally)
    sent = 0
    try:
        ready = [p for p in pages if how.available(p)]
        tally.unavailable = len(pages) - len(ready)
        await asyncio.sleep(0.5)  # the opens' after-work (sends, file watcher) settles
        before = cpu_seconds(pid)

        async def step_alone(page: Session) -> int:
            told = 0
            for _ in range(steps):
                if how.mode == "button":  # today: every step is a click on Next, a rerun
                    run, wanted = await report_step(page, how, 0)
                    told += 1
                    if failure(run, wanted):
                        tally.error("step_" + failure(run, wanted))
                await asyncio.sleep(pace)  # in the page: drawn, ?step= written, nothing sent
            return told

        sent = sum(await asyncio.gather(*(step_alone(p) for p in ready)))
        cpu = round((cpu_seconds(pid) - before) / TICK) * TICK  # whole ticks, as counted
    finally:
        await asyncio.gather(*(p.close() for p in pages))
    total = max(len(ready) * steps, 1)
    return {"sessions": sessions, "open": summary(tally.opens), "errors": tally.errors,
            "unavailable": tally.unavailable, "cpu_per_step": cpu / total,
            "sent_per_step": sent / total, "resolution": TICK / total}


async def load(base: str, pid: int | None, sessions: int, how: StepReport, think: float,
               args) -> dict:
    tally = Tally()
    opened = asyncio.Barrier(sessions)
    await asyncio.gather(*(one_session(base, args.query, how, args.steps, think, opened,
                                       tally) for _ in range(sessions)))
    return {"sessions": sessions, "open": summary(tally.opens), "step": summary(tally.steps),
            "errors": tally.errors, "unavailable": tally.unavailable,
            "rss": rss_mib(pid) if pid else math.nan}


async def cpu_per_step(base: str, pid: int, how: StepReport, query: str, steps: int = 20):
    """Server CPU per reported step, one session, steps reported one after another."""
    session = Session(base)
    await session.connect()
    try:
        await session.rerun(query)
        if not how.available(session):
            return None
        await asyncio.sleep(0.5)  # let the open's after-work (file watcher, sends) settle
        before = cpu_seconds(pid)
        for k in range(1, steps + 1):
            await report_step(session, how, k)
        return (cpu_seconds(pid) - before) / steps
    finally:
        await session.close()


def largest_program(lines: int = 499) -> str:
    """The heaviest program the limits allow (500 lines, ~2,500 nodes): x0 = 0.5, then
    ``x{i} = sin(x{i-1}) * a + cos(x{i-1}) * b``; a and b are free inputs."""
    return "\n".join(["x0 = 0.5"] + [f"x{i} = sin(x{i - 1}) * a + cos(x{i - 1}) * b"
                                      for i in range(1, lines + 1)])


RERUN_CASES = {"post 1": (POST_1, ""), "post 2": (POST_2, ""), "post 3": (POST_3, ""),
               "largest (2,500 nodes)": (largest_program(), "a:0.9,b:0.4")}


async def settled_cpu(pid: int, action) -> float:
    """Server CPU of one awaited rerun, with what the server does right after it; a
    failed rerun is an error, not a figure."""
    before = cpu_seconds(pid)
    run = await action
    await asyncio.sleep(0.3)
    if failure(run, None):
        raise SessionError(f"{failure(run, None)}: {run.exceptions}")
    return cpu_seconds(pid) - before


async def rerun_costs(base: str, pid: int, tag: str, repeats: int) -> dict[str, dict]:
    """Mean server CPU of open / type / value / algorithm per case (``repeats`` times, as
    /proc counts in 10 ms ticks; once for the largest program). Every text and value is
    new to the server (a comment with ``tag``), so no cache hides a first visitor's cost."""
    out = {}
    for name, (text, values) in RERUN_CASES.items():
        times = 1 if text.count("\n") > 100 else repeats
        costs: dict[str, list] = {}
        for i in range(times):
            session = Session(base, timeout=300)
            await session.connect()
            try:
                for action, rerun in _actions(session, text, values, f"{tag}-{i}", i):
                    costs.setdefault(action, []).append(await settled_cpu(pid, rerun()))
                # a second page opens what the first has open (a class: one program, many)
                other = Session(base, timeout=300)
                await other.connect()
                try:
                    shared = _open_query(text, values, f"{tag}-{i}")
                    costs.setdefault("open, open elsewhere", []).append(
                        await settled_cpu(pid, other.rerun(shared)))
                finally:
                    await other.close()
            finally:
                await session.close()
        out[name] = {action: sum(xs) / len(xs) for action, xs in costs.items()}
    return out


def _open_query(text: str, values: str, tag: str) -> str:
    return urlencode({"program": f"{text}  # {tag} open", "values": values})


def _actions(session: Session, text: str, values: str, tag: str, i: int):
    """(name, coroutine maker) of each rerun measured, in order, on one page."""
    def widget(key: str, kind: str, value):
        el = session.find(key)
        return session.rerun(widgets=[(el.id, kind, value)], fragment_id=el.fragment_id)

    query = _open_query(text, values, tag)
    yield "open", lambda: session.rerun(query)
    yield "type a program", lambda: widget("program", "string_value", f"{text}  # {tag} typed")
    yield "change a value", lambda: widget("value-", "double_value", 0.61 + i / 100)
    labels = session.find("algorithm").options  # route stack, topological
    yield "switch algorithm", lambda: widget("algorithm", "string_value", labels[1])
    yield "switch back", lambda: widget("algorithm", "string_value", labels[0])


# ---- printing ----

def ms(x: float) -> str:
    return "-" if x is None or math.isnan(x) else f"{x * 1000:,.0f}"


def ratio(new: float | None, old: float | None) -> str:
    if new is None or old is None or math.isnan(new) or math.isnan(old) or old == 0:
        return "-"
    return f"{new / old:.2f}"


def print_stepping(rows: dict, debounce: float) -> None:
    """One row per (sessions, design): the opens, and what a step costs the server."""
    print("\n| sessions | design | open p50 (ms) | open p95 | server CPU per step (ms) "
          "| messages per step | errors |")
    print("|---:|---|---:|---:|---:|---:|---|")
    for n, mode in sorted(rows):
        r = rows[(n, mode)]
        errors = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "0"
        if r["unavailable"]:
            errors += f"; not on {r['unavailable']} pages"
        print(f"| {n} | {mode} | {ms(r['open']['p50'])} | {ms(r['open']['p95'])} | "
              f"{r['cpu_per_step'] * 1000:.2f} | {r['sent_per_step']:g} | {errors} |")
    print(f"every page steps at {debounce:g} s a step; the in-page stepper sends nothing per "
          "step (component), today's design a click on Next (button); goal (new design) at "
          f"up to 100 sessions: open p95 <= {STEPPING_GOALS['open_p95'] * 1000:,.0f} ms, "
          f"server CPU per step <= {STEPPING_GOALS['cpu_per_step'] * 1000:g} ms (/proc counts "
          "10 ms ticks: a row tells CPU per step to 10 ms / its pages x steps)")


def print_load(rows: dict, debounce: float) -> None:
    """One row per (sessions, design, think time), and new/today ratios of the p95s."""
    print("\n| sessions | design | think (s) | open p50 (ms) | open p95 | step sync p50 (ms) "
          "| step sync p95 | steps | errors | RSS (MiB) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")
    labels = list(dict.fromkeys(label for _, _, label in rows))
    for n in sorted({n for n, _, _ in rows}):
        printed = set()  # one measurement under two labels (today's debounce is 0) once
        for label in labels:
            for mode in MODES:
                r = rows.get((n, mode, label))
                if r is None or id(r) in printed:
                    continue
                printed.add(id(r))
                think = f"{think_seconds(label, mode, debounce):g}"
                head = (f"| {n} | {mode} | {think} | {ms(r['open']['p50'])} | "
                        f"{ms(r['open']['p95'])} | ")
                if r["unavailable"]:
                    print(head + f"not on the page ({r['unavailable']} sessions) | | | | "
                          f"{r['rss']:.0f} |")
                    continue
                errors = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "0"
                print(head + f"{ms(r['step']['p50'])} | {ms(r['step']['p95'])} | "
                      f"{r['step']['n']} | {errors} | {r['rss']:.0f} |")
            old, new = rows.get((n, "button", label)), rows.get((n, "component", label))
            if old and new and not new["unavailable"] and not old["unavailable"]:
                print(f"| {n} | ratio new/today | | "
                      f"{ratio(new['open']['p50'], old['open']['p50'])} | "
                      f"{ratio(new['open']['p95'], old['open']['p95'])} | "
                      f"{ratio(new['step']['p50'], old['step']['p50'])} | "
                      f"{ratio(new['step']['p95'], old['step']['p95'])} | | | |")
    print(f"think 'debounce': the in-page stepper tells a step at most once per {debounce:g} s "
          "per page (its debounce; only while the share section is open, its worst case), "
          "today's Next is sent at once; goal (new design) at 100 sessions: open p95 <= "
          "3,000 ms, step sync p95 <= 500 ms, 0 errors")


def print_cpu(per_report: dict) -> None:
    print("\n| server CPU per step report (20 reports one after another, one session) | ms |")
    print("|---|---:|")
    for mode in per_report:
        value = per_report[mode]
        print(f"| {mode} | {'not on the page' if value is None else ms(value)} |")
    if len(per_report) == 2 and None not in per_report.values():
        print(f"| ratio new/today | {ratio(per_report['component'], per_report['button'])} |")
    print("each report is a rerun; the in-page stepper tells its step only when a control is "
          "touched or the share section is open, and sends nothing per step (stepping above; "
          "with a browser: benchmarks/bench_app.py --cpu 30)")


def print_reruns(costs: dict, label: str = "") -> None:
    actions = list(next(iter(costs.values())))
    title = f"server CPU per rerun (ms){', ' + label if label else ''}"
    print(f"\n| {title} | " + " | ".join(actions) + " |")
    print("|---|" + "---:|" * len(actions))
    for name, row in costs.items():
        print(f"| {name} | " + " | ".join(ms(row[a]) for a in actions) + " |")
    print("goal: <= 30 ms per rerun for the post's examples (issue 22: opening a program another "
          "session has open); <= 2,000 ms to open any program")


# ---- main ----

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--sessions", default="1,10,50,100", help="comma list (1,10,50,100)")
    p.add_argument("--steps", type=int, default=10, help="steps each session reports (10)")
    p.add_argument("--think", default="debounce",
                   help="seconds between a session's reports, or 'debounce': the page's "
                        "own (300 ms for the in-page stepper, none for today's button); a "
                        "comma list measures each, e.g. debounce,0 (default: debounce)")
    p.add_argument("--mode", choices=MODES + ("both",), default="both")
    p.add_argument("--component-key", default="stepper",
                   help="key (or key prefix) of the in-page stepper component (stepper)")
    p.add_argument("--state-name", default="step", help="its state or trigger name (step)")
    p.add_argument("--trigger", action="store_true",
                   help="the component reports with setTriggerValue, not setStateValue")
    p.add_argument("--query", default=urlencode({"program": POST_3}),
                   help="query string the pages open with (default: the post's example 3)")
    p.add_argument("--no-cpu", dest="cpu", action="store_false", help="skip CPU per step")
    p.add_argument("--reruns", action="store_true", help="also the CPU of the other reruns")
    p.add_argument("--repeats", type=int, default=5, help="times each rerun is measured (5)")
    p.add_argument("--baseline", type=Path, metavar="CHECKOUT",
                   help="also serve this checkout (today's design, measured with the button) "
                        "and measure ours with the component: both in one table")
    p.add_argument("--checkout", type=Path, default=REPO,
                   help="the app to serve (default: this checkout); e.g. a worktree of main "
                        "before the in-page stepper, for today's design")
    p.add_argument("--url", help="a running server, e.g. ws://127.0.0.1:8501 (with --pid)")
    p.add_argument("--pid", type=int, help="the running server's process id")
    p.add_argument("--server-opt", action="append", default=[], metavar="NAME=VALUE",
                   help="streamlit option for the started server, e.g. "
                        "runner.postScriptGC=true (repeatable)")
    return p.parse_args(argv)


async def measure(base: str, pid: int | None, modes: tuple, args) -> dict:
    """Every figure of one server, for the step-report designs in ``modes``."""
    how = {m: StepReport(m, args.component_key, args.state_name, args.trigger) for m in modes}
    warm = Session(base)  # imports and the first build happen once, outside the figures
    await warm.connect()
    await warm.rerun(args.query)
    await warm.close()
    print(f"server pid {pid}, RSS {rss_mib(pid) if pid else math.nan:.0f} MiB; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    out: dict = {"stepping": {}, "load": {}, "cpu": {}, "reruns": None}
    for n in [int(x) for x in args.sessions.split(",") if x]:
        for mode in modes:
            if pid:
                out["stepping"][(n, mode)] = await stepping(base, pid, n, how[mode], args.steps,
                                                            args.debounce, args.query)
                print(f"  {n} sessions, {mode}, stepping: done", flush=True)
            done: dict[float, dict] = {}  # today's "debounce" is no pause: measured once
            for label in args.think_labels:
                think = think_seconds(label, mode, args.debounce)
                if think not in done:
                    done[think] = await load(base, pid, n, how[mode], think, args)
                    print(f"  {n} sessions, {mode}, think {think:g} s: done", flush=True)
                out["load"][(n, mode, label)] = done[think]
    if args.cpu and pid:
        out["cpu"] = {m: await cpu_per_step(base, pid, how[m], args.query) for m in modes}
    if args.reruns and pid:
        out["reruns"] = await rerun_costs(base, pid, f"{time.time():.0f}", args.repeats)
    return out


def serve_and_measure(checkout: Path | None, modes: tuple, args) -> dict:
    """Start ``checkout``'s app (or use --url), measure it, stop it."""
    proc = None
    if checkout is None:
        base, pid = args.url, args.pid
    else:
        base, proc = start_server(args.server_opt, checkout.resolve())
        pid = proc.pid
        print(f"serving {checkout}", flush=True)
    try:
        return asyncio.run(measure(base, pid, modes, args))
    finally:
        if proc is not None:
            from conftest import stop_streamlit

            stop_streamlit(proc)


def main(argv=None) -> int:
    args = parse_args(argv)
    args.debounce = debounce_seconds((REPO / "components" / "stepper.js").read_text())
    args.think_labels = think_times(args.think, args.debounce)
    modes = MODES if args.mode == "both" else (args.mode,)
    if args.baseline:  # today's design on the baseline's server, the new one on ours
        runs = [serve_and_measure(args.baseline, ("button",), args),
                serve_and_measure(None if args.url else args.checkout, ("component",), args)]
    else:
        runs = [serve_and_measure(None if args.url else args.checkout, modes, args)]
    stepped = {k: v for run in runs for k, v in run["stepping"].items()}
    if stepped:
        print_stepping(stepped, args.debounce)
    rows = {k: v for run in runs for k, v in run["load"].items()}
    print_load(rows, args.debounce)
    if args.cpu:
        print_cpu({k: v for run in runs for k, v in run["cpu"].items()})
    for run, label in zip(runs, ("baseline", "this checkout") if args.baseline else ("",),
                          strict=True):
        if run["reruns"]:
            print_reruns(run["reruns"], label)
    missed = missed_stepping_goals(stepped) + missed_goals(rows)
    if missed:
        print("\nmissed:", "; ".join(missed))
        return 1  # a missed goal exits 1, as the other benchmarks do
    if any(mode == "component" for _, mode, _ in rows):
        print("\nevery load goal met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
