"""Helpers for the browser tests: open the app, wait for a step, read what the stepper shows
(graph, counter, narration, stack, gradients, ledger) and what Python says it must show."""

from __future__ import annotations

from urllib.parse import urlencode

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components import view_model as vm
from components.model import APP_MAX_STEPS
from tests.components.page_ledger import ledger_rows

WAIT = 30_000  # ms: first page load on a busy 2-core machine


def open_app(page, url: str, **params) -> None:
    page.goto(url + ("/?" + urlencode(params) if params else "/"))
    page.locator(".ad-net canvas").wait_for(timeout=WAIT)
    page.wait_for_function("() => globalThis.adNetwork !== undefined", timeout=WAIT)


def wait_for_step(page, step: int) -> None:
    """The graph and every panel show this step (the gradients are drawn in their tab even
    while the ledger's is the one shown, so they are waited for attached, not visible)."""
    for selector in (".ad-net", "#ad-counter", "#ad-narration", "#ad-stack", "#ad-ledger"):
        page.locator(f'{selector}[data-step="{step}"]').wait_for(timeout=WAIT)
    page.locator(f'#ad-gradients[data-step="{step}"]').wait_for(state="attached", timeout=WAIT)


def wait_for_url_step(page, step: int) -> None:
    page.wait_for_function(
        "(k) => new URLSearchParams(location.search).get('step') === String(k)",
        arg=step, timeout=WAIT)


def blur(page) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")


SHOWN_JS = """() => {
    const rows = sel => [...document.querySelectorAll(sel + ' tbody tr')]
        .map(r => [...r.cells].map(c => c.textContent));
    return {
        step: Number(document.querySelector('.ad-net').dataset.step),
        counter: document.querySelector('#ad-counter').textContent,
        narration: document.querySelector('#ad-narration').textContent,
        stack: rows('#ad-stack'), ledger: rows('#ad-ledger'), gradients: rows('#ad-gradients'),
        nodes: Object.fromEntries(globalThis.adNetwork.body.data.nodes.get()
            .map(n => [n.id, [n.state, n.label]])),
        edges: Object.fromEntries(globalThis.adNetwork.body.data.edges.get()
            .map(e => [e.id, e.state])),
    };
}"""


def shown(page) -> dict:
    """What the page shows now, read in one go."""
    return page.evaluate(SHOWN_JS)


def trace_of(program: str, algorithm: str = ROUTE_STACK, values=None):
    graph = compile_program(program, values).graph
    return make_trace(graph, algorithm, max_steps=APP_MAX_STEPS)


def expected(trace, k: int) -> dict:
    """What the page must show at step k, from autodiff.trace and the view model (the
    ledger lines by the page's own rule, ledger.mjs, run by node on the trace's routes)."""
    graph, state = trace.graph, trace.state(k)
    positions = vm.layout(graph)
    counts = {a: make_trace(graph, a, max_steps=APP_MAX_STEPS).total_steps
              for a in (ROUTE_STACK, TOPOLOGICAL)}
    rows, _ = vm.stack_rows(state, limit=5)
    return {
        "step": k,
        "counter": f"Step {k:,} of {trace.last_index:,} · {counts[ROUTE_STACK]:,} pops, "
                   f"{counts[TOPOLOGICAL]:,} visits",
        "narration": state.narration,
        "stack": [[str(r["#"]), r["node"], r["value"], r["route"]] for r in rows],
        "ledger": [[r["node"], str(r["routes"]), r["ledger"], r["complete"]]
                   for r in ledger_rows(trace, k)][:30],
        "nodes": {n["id"]: [n["state"], n["label"]]
                  for n in vm.node_views(graph, state, positions)},
        "edges": {e["id"]: e["state"] for e in vm.edge_views(graph, state)},
    }


def assert_shows(page_view: dict, want: dict) -> None:
    for name, value in want.items():
        assert page_view[name] == value, f"step {want['step']}: {name} differs"
