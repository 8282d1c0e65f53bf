"""The panels beside and below the graph (Streamlit): the popped entry and its sentence,
the stack (top first), the route ledger, the gradients table, and share/export.
The rows come from ``view_model``; these functions only lay them out."""

from __future__ import annotations

import re
from functools import partial

import streamlit as st

from autodiff.export import ledger_csv, trace_to_json

from . import view_model as vm

TABLE_ROWS = 30  # ledger and gradient rows shown; the downloads have them all
_MARKDOWN = re.compile(r"[\\`*_{}\[\]<>#|$~]")
STACK_ROWS = 5  # stack rows beside the graph (the rest are counted below it)


def style() -> None:
    """A little CSS (no user text): less empty space above the controls, so the graph,
    the controls and the stack fit a 1280×720 projector together."""
    st.html("<style>"
            "[data-testid='stMainBlockContainer']{padding:3.2rem 1.5rem 2rem 1.5rem}"
            "[data-testid='stHeader']{background:transparent;height:2.8rem}"
            "[data-testid='stSidebarContent'] h3{font-size:1.15rem;margin-top:-1.5rem}"
            "</style>")


def plain(text: str) -> str:
    """Text that Markdown shows as it is (``x ** 2`` must not turn bold, ``$`` not math)."""
    return _MARKDOWN.sub(r"\\\g<0>", text)


def render_step(state) -> None:
    """The sentence a lecturer could say about this step: the entry popped (or the node
    visited), what it adds, what it pushes."""
    st.info(plain(state.narration))


def render_stack(state) -> None:
    rows, more = vm.stack_rows(state, limit=STACK_ROWS)
    if not rows:
        empty = ("The stack is empty." if state.algorithm == "route-stack" else
                 "The topological sweep keeps no stack: one visit per node.")
        st.markdown(f"**Stack** · {empty}")
        return
    total = len(rows) + more
    lines = [f"**Stack** (top first, {total:,} {'entry' if total == 1 else 'entries'})", "",
             "| # | node | value | route |", "|--:|:--|--:|:--|"]
    lines += [f"| {r['#']} | {plain(r['node'])} | {r['value']} | {plain(r['route'])} |"
              for r in rows]
    st.markdown("\n".join(lines))
    if more:
        st.caption(f"… and {more:,} more below")


def render_ledger(graph, state) -> None:
    if state.algorithm == "route-stack":
        st.markdown("**Route ledger**: each route's edges multiplied, the routes to a node "
                    "added")
    else:
        st.markdown("**Contributions**: each user passes its gradient × the local derivative; "
                    "a node adds what it is passed")
    rows = vm.ledger_rows(graph, state)
    st.table([{"node": r["node"], "routes": r["routes"], "ledger": r["ledger"],
               "done": r["complete"]} for r in rows[:TABLE_ROWS]], hide_index=True)
    _more(len(rows), "the route ledger CSV has every route")


def render_gradients(graph, state, trace, numeric) -> None:
    st.markdown("**Gradients**: running sum, engine, central difference")
    rows = vm.gradient_rows(graph, state, trace.final_gradients, numeric)
    st.table(rows[:TABLE_ROWS], hide_index=True)
    _more(len(rows), "the trace JSON has every gradient")


def _more(count: int, where: str) -> None:
    if count > TABLE_ROWS:
        st.caption(f"First {TABLE_ROWS} of {count:,} nodes shown; {where}.")


def render_exports(graph, state, trace, positions, share_link: str) -> None:
    """Share link and downloads. Files are made only when a button is clicked."""
    st.markdown("**Share this view**: this link opens the app at this very step "
                "(one per slide)")
    st.code(share_link, language=None, wrap_lines=True)
    k = state.index
    cols = st.columns(3)
    cols[0].download_button(
        "Trace (JSON)", data=partial(_json, trace), file_name="trace.json",
        mime="application/json", key="download_json", on_click="ignore")
    cols[1].download_button(
        "Route ledger (CSV)", data=partial(ledger_csv, trace, k), file_name=f"ledger-step{k}.csv",
        mime="text/csv", key="download_csv", on_click="ignore")
    cols[2].download_button(
        "Graph (HTML, offline)", data=partial(_html, graph, trace, k, positions),
        file_name=f"graph-step{k}.html", mime="text/html", key="download_html",
        on_click="ignore")


def _html(graph, trace, k, positions) -> str:
    from .graph_view import standalone_html

    return standalone_html(graph, trace.state(k), positions)


def _json(trace) -> str:
    import json

    return json.dumps(trace_to_json(trace, max_steps=5000), indent=1, ensure_ascii=False)
