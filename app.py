"""Reverse-mode autodiff, one stack pop at a time: `streamlit run app.py`.

Wiring only: the page, the session state, the cached build, then the pieces in reading
order. The logic lives in `autodiff/` (engine, parser, traces) and `components/` (what to
draw and list for a step, and the thin Streamlit renderers).
"""

import streamlit as st

from autodiff.program import ProgramError
from autodiff.trace import FORWARD
from components import (
    class_panel,
    controls,
    costs_panel,
    derivatives,
    derivatives_panel,
    editor,
    graph_view,
    jacobian_panel,
    model,
    panels,
    state,
    stepper,
    switch,
    training,
    what_if_panel,
)
from components.presets import DEFAULT_PROGRAM

# the icon inline (a data: URI): the bare "∂" was taken for a relative URL, and the browser
# fetched /∂ (the app's HTML) from the server again each time the page wrote its address
ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 24"><text x="10" y="21" '
        'font-size="28" font-family="serif" font-weight="bold" text-anchor="middle">∂</text></svg>')
st.set_page_config(page_title="Autodiff, one pop at a time", page_icon=ICON, layout="wide",
                   initial_sidebar_state="auto")
state.init()
class_panel.init()  # a student's page: the room decides the algorithm
panels.style()
if training.choose_view() == training.VIEW:  # ?view=training: the post's vectorised layer
    training.render()
    st.stop()
ss = st.session_state

# ---- build (cached per program text and values; a step never rebuilds) ----
text, error, inputs, notices, unassigned = ss[state.PROGRAM], None, (), (), ()
try:
    inputs = model.inputs_of(text)
    values = state.sync_values(inputs)
    model.graph(text, state.values_tuple(values))  # built once per text, then re-evaluated
    notices = model.notices(text)
    unassigned = model.unassigned(text, state.values_tuple(values))
    ss[state.LAST_GOOD] = (text, state.values_tuple(values))
except ProgramError as exc:
    error = str(exc)
if ss[state.LAST_GOOD] is None:  # the very first program was bad: show the post's example
    ss[state.LAST_GOOD] = (DEFAULT_PROGRAM, state.values_tuple(
        {i.name: i.default for i in model.inputs_of(DEFAULT_PROGRAM)}))
shown_text, shown_values = ss[state.LAST_GOOD]
graph = model.graph(shown_text, shown_values)
state.graph_shown(graph_view.graph_key(graph))

hidden = ss[state.HIDDEN]  # controls a lesson link leaves off the page

# ---- the editor (sidebar) ----
if "editor" not in hidden:
    with st.sidebar:
        st.markdown("### ∂ Reverse-mode autodiff, one pop at a time")
        training.view_switch()
        editor.render_program(error, notices, unassigned)
        editor.render_values(inputs)
        editor.render_builder(editor.named_nodes(graph), editor.output_name(graph))
        editor.render_view_options()

# ---- the stage: the algorithm, then the stepper (graph, controls and panels, stepped in the
# page, which writes ?step= itself); the step the page tells reruns only this part ----


@st.fragment
def stage() -> None:
    # a new exercise, or a live class's new program: the program is read outside the stage
    if state.exercise_waiting() or class_panel.program_waiting():
        st.rerun()
    algorithm = ss[state.ALGORITHM]
    if error is not None:  # said here too: the sidebar's message may be below the fold
        editor.render_stage_error(error)
    elif unassigned:  # a typo's new input, said here too
        editor.render_unassigned(unassigned)
    left, right = st.columns([3, 4])  # three algorithms on one line at 1280 px
    derivative = ()
    if "algorithm" not in hidden:
        with left:
            controls.render_algorithm()
    if "order" not in hidden:
        with right:
            derivative = derivatives_panel.render_order(derivatives.graph_inputs(graph))
    output = jacobian_panel.stepped_output(shown_text, shown_values)  # "": the program's own
    try:  # order >= 2: the stepper steps the graph of a derivative (cached per text)
        shown = (model.prepared_output(shown_text, shown_values, output)
                 if output and not derivative
                 else model.prepared(shown_text, shown_values, derivative))
    except ProgramError as exc:
        st.warning(str(exc), icon="⚠️")
        derivative, shown = (), model.prepared(shown_text, shown_values)
    trace = shown.traces[algorithm]
    state.algorithm_shown(algorithm, lambda before, k: switch.matching_step(
        shown.traces[before], k, trace))
    step = state.clamp_step(trace.last_index)
    if not trace.steppable:
        controls.render_limit(trace.limit_message)
    if ss[state.SHADE]:
        what_if_panel.render_shade_note(shown_text)
    class_panel.render(shown_text, dict(shown_values), algorithm, step)  # a live class
    stepper.render(shown.walk(algorithm, shaded=ss[state.SHADE]), step=step,
                   follow=ss[state.FOLLOW], fit=ss[state.FIT], stale=error is not None,
                   present=state.present_asked(),
                   reports=bool(ss.get(state.EXPORTS)))  # the link and downloads follow
    if algorithm == FORWARD:  # what forward mode costs beside reverse mode
        costs_panel.render(trace.graph)
    if derivative:
        derivatives_panel.render_table(shown_text, shown_values, derivative, graph.output,
                                 derivatives.graph_inputs(graph))
    jacobian_panel.render_jacobian(shown_text, shown_values)  # several outputs: which one
    what_if = None  # the what-if runs on the gradient (order 1)
    if not derivative:  # the classic mistakes, beside the right backward pass of that output
        what_if = what_if_panel.render_what_if(shown_text, shown_values, shown.stepped_output,
                                               shown.numeric)
    if error is None:
        state.write_url(shown_text, dict(shown_values), step, algorithm, *derivative,
                        what_if=what_if, output=shown.stepped_output)
    exports = st.expander("Share and export", key=state.EXPORTS, on_change="rerun")
    if exports.open:  # made only when open: a closed section costs a step nothing
        with exports:
            panels.render_exports(trace.graph, trace.state(step), trace, shown.positions,
                                  lambda mode, hide: state.share_link(state.share_query(
                                      shown_text, dict(shown_values), step, algorithm,
                                      *derivative, mode=mode, hidden=hide, what_if=what_if,
                                      output=shown.stepped_output)),
                                  built=shown.walk(algorithm, shaded=ss[state.SHADE]))


stage()
