"""What the page shows around the stepper (Streamlit): a little page CSS, and the share link
and downloads. The per-step panels (narration, stack, gradients, ledger) are drawn in the
page by the stepper (``stepper.js``), from the payload ``replay.py`` builds."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from autodiff.trace.export import ledger_csv, trace_to_json

from .graph_view import standalone_html
from .state import (
    DOWNLOAD_CSV,
    DOWNLOAD_HTML,
    DOWNLOAD_JSON,
    HIDEABLE,
    LESSON_HIDE_PREFIX,
    LESSON_MODE,
    MODES,
)

__all__ = ["render_exports", "style"]


def style() -> None:
    """A little CSS (no user text): less empty space above the controls, so the stage
    (which fills the window below them) gets the room; the header (its menu, the sidebar's
    button) keeps its strip above the algorithm switch, and lets clicks through elsewhere."""
    st.html("<style>"
            "[data-testid='stMainBlockContainer']{padding:2.4rem 1rem 1rem 1rem}"
            "[data-testid='stHeader']{background:transparent;height:2.4rem}"
            # the header's empty strip lies over the top row of controls (the derivative
            # order's radios): clicks go through it, except on its own buttons
            "[data-testid='stHeader'],[data-testid='stHeader'] *{pointer-events:none!important}"
            "[data-testid='stHeader'] button,[data-testid='stHeader'] button *,"
            "[data-testid='stHeader'] a{pointer-events:auto!important}"
            "[data-testid='stMainBlockContainer'] [data-testid='stVerticalBlock']{gap:0.4rem}"
            "[data-testid='stSidebarContent'] h3{font-size:1.15rem;margin-top:-1.5rem}"
            # a small window (1024 px) leaves the stage more than two thirds of the width
            "@media (max-width:1100px){section[data-testid='stSidebar'][data-collapsed='false']"
            "{width:300px!important;min-width:300px!important}}"
            "</style>")


#: how each mode of a lesson link is called on the page
MODE_LABELS = {"watch": "Watch", "predict": "Predict", "practice": "Practice"}
#: what each hideable control is called on the page
HIDE_LABELS = {"editor": "the editor (sidebar)", "algorithm": "the algorithm switch",
               "order": "the derivative order"}


def render_exports(graph, state, trace, positions,
                   share_link: Callable[[str, tuple[str, ...]], str]) -> None:
    """Share link (``share_link(mode, hidden)``, the view's link, as a lesson link when a
    mode or hidden controls are chosen) and downloads. Files are made only when a button is
    clicked."""
    st.markdown("**Share this view**: this link opens the app at this very step "
                "(one per slide). For a lesson, choose how it opens:")
    mode = st.radio("Opens in", MODES, key=LESSON_MODE, horizontal=True,
                    format_func=MODE_LABELS.__getitem__)
    columns = st.columns(len(HIDEABLE))
    hidden = tuple(name for name, column in zip(HIDEABLE, columns, strict=True)
                   if column.checkbox(f"Hide {HIDE_LABELS[name]}",
                                      key=LESSON_HIDE_PREFIX + name))
    st.code(share_link(mode, hidden), language=None, wrap_lines=True)
    k = state.index
    cols = st.columns(3)
    cols[0].download_button(
        "Trace (JSON)", data=partial(_json, trace), file_name="trace.json",
        mime="application/json", key=DOWNLOAD_JSON, on_click="ignore")
    cols[1].download_button(
        "Route ledger (CSV)", data=partial(ledger_csv, trace, k), file_name=f"ledger-step{k}.csv",
        mime="text/csv", key=DOWNLOAD_CSV, on_click="ignore")
    cols[2].download_button(
        "Graph (HTML, offline)", data=partial(_html, graph, trace, k, positions),
        file_name=f"graph-step{k}.html", mime="text/html", key=DOWNLOAD_HTML,
        on_click="ignore")


def _html(graph, trace, k, positions) -> str:
    return standalone_html(graph, trace.state(k), positions)


def _json(trace) -> str:
    import json

    return json.dumps(trace_to_json(trace, max_steps=5000), indent=1, ensure_ascii=False)
