"""What the page shows around the stepper (Streamlit): a little page CSS, and the share link
and downloads. The per-step panels (narration, stack, gradients, ledger) are drawn in the
page by the stepper (``stepper.js``), from the payload ``replay.py`` builds."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from autodiff.trace.export import ledger_csv, trace_to_json
from autodiff.trace.step_table import MAX_STEPS, step_table, steps_heading

from . import frozen
from .graph_view import standalone_html
from .model import Built
from .state import (
    DOWNLOAD_CSV,
    DOWNLOAD_HANDOUT,
    DOWNLOAD_HTML,
    DOWNLOAD_JSON,
    DOWNLOAD_SLIDES,
    DOWNLOAD_TABLE_MD,
    DOWNLOAD_TABLE_TEX,
    EXPORT_STEPS,
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
            # scrolled, the band turns white: the page passes under it, not under its menu and
            # buttons (a lecturer's Start a class); at the top it stays clear over the controls
            # (a scroll-driven animation: a browser without them keeps the band clear)
            "[data-testid='stAppViewContainer']{timeline-scope:--ad-page}"
            "[data-testid='stMain']{scroll-timeline:--ad-page block}"
            "@keyframes ad-band{from{background-color:transparent}"
            "to{background-color:#fff;box-shadow:0 1px 0 #d0d5dd}}"
            "[data-testid='stHeader']{animation:ad-band linear both;"
            "animation-timeline:--ad-page;animation-range:0px 12px}"
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
                   share_link: Callable[[str, tuple[str, ...]], str],
                   built: Built | None = None) -> None:
    """Share link (``share_link(mode, hidden)``, the view's link, as a lesson link when a
    mode or hidden controls are chosen) and downloads; with ``built`` (the walk the stepper
    steps) a step range's slideshow, handout and step tables too. Files are made only when a
    button is clicked."""
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
    if built is not None:
        render_step_files(built)


def _export_range(last: int) -> tuple[int, int]:
    """The chosen steps (first, last): the whole pass by default, as many as a file takes
    (``MAX_STEPS``) from step 0; a range kept from another walk is chosen again."""
    kept = st.session_state.get(EXPORT_STEPS)
    if not (isinstance(kept, (tuple, list)) and len(kept) == 2 and 0 <= kept[0] <= kept[1] <= last):
        st.session_state[EXPORT_STEPS] = (0, min(last, MAX_STEPS - 1))
    if last == 0:
        return 0, 0
    first, stop = st.slider("Steps to export", 0, last, key=EXPORT_STEPS,
                            help="The steps the slideshow, the handout and the step table "
                                 f"hold: at most {MAX_STEPS} at once")
    return first, stop


def render_step_files(built: Built) -> None:
    """A step range's slideshow and handout (the stepper frozen into a file, ``frozen``) and
    step table (Markdown, LaTeX), each made when its button is clicked."""
    st.markdown("**Slides and handout**: the stepper frozen into one offline file, for the "
                "steps chosen (the slideshow steps with → Space PageDown and ← PageUp, as a "
                "clicker sends them; the handout prints a section per step).")
    first, last = _export_range(built.trace.last_index)
    steps = range(first, last + 1)
    too_many = len(steps) > MAX_STEPS
    if too_many:
        st.warning(f"{len(steps):,} steps chosen: a slideshow, handout or step table holds at "
                   f"most {MAX_STEPS} steps. Choose fewer (e.g. {first}–{first + MAX_STEPS - 1}).")
    name, trace = f"steps{first}-{last}", built.trace
    title = f"Reverse-mode autodiff: {steps_heading(trace, steps)}"
    files = (("Slideshow (HTML)", partial(frozen.slides_html, built, steps, title),
              f"slides-{name}.html", "text/html", DOWNLOAD_SLIDES),
             ("Handout (HTML)", partial(frozen.handout_html, built, steps, title),
              f"handout-{name}.html", "text/html", DOWNLOAD_HANDOUT),
             ("Step table (Markdown)", partial(step_table, trace, steps, "md"), f"{name}.md",
              "text/markdown", DOWNLOAD_TABLE_MD),
             ("Step table (LaTeX)", partial(step_table, trace, steps, "latex"), f"{name}.tex",
              "application/x-tex", DOWNLOAD_TABLE_TEX))
    row = st.container(horizontal=True)  # a button as wide as its label, wrapping if need be
    for label, make, file_name, mime, key in files:
        row.download_button(label, data=make, file_name=file_name, mime=mime, key=key,
                            on_click="ignore", disabled=too_many)


def _html(graph, trace, k, positions) -> str:
    return standalone_html(graph, trace.state(k), positions)


def _json(trace) -> str:
    import json

    return json.dumps(trace_to_json(trace, max_steps=5000), indent=1, ensure_ascii=False)
