"""The program editor (Streamlit, in the sidebar): presets, the program box, a number
field per input, and a builder that appends a line for people who would rather click.
Typing and building edit the same text, so they stay one program."""

from __future__ import annotations

import streamlit as st

from autodiff.core.numbers import PLAIN, fmt
from autodiff.core.registry import function_names

from . import state
from .presets import EXAMPLES

__all__ = [
    "NAME_POOL", "builder_line", "fresh_name", "named_nodes", "operations", "output_name",
    "preset_short", "render_builder", "render_program", "render_stage_error",
    "render_unassigned", "render_values", "render_view_options",
]

# builder operation label -> line template ({0}, {1} are the operands)
BINARY = {"a + b": "{0} + {1}", "a − b": "{0} - {1}", "a × b": "{0} * {1}",
          "a ÷ b": "{0} / {1}", "a ** b": "{0} ** {1}"}


def operations() -> dict[str, str]:
    """Every choice of the builder: the operators, then each function the registry has
    (read when the builder is drawn, so an op added to the registry is offered)."""
    unary = {f"{f}(a)": f + "({0})" for f in function_names(arity=1)}
    return {**BINARY, **unary}

NEW_INPUT = "(new input)"
NAME_POOL = ("x", "y", "z", "u", "v", "w", "p", "q", "r", "s", "e", "g", "h", "k", "m", "n")


def preset_short(label: str) -> str:
    """A preset's name that fits the sidebar's box (the part before the colon)."""
    return label.split(":", 1)[0]


def render_program(error: str | None, notices: tuple[str, ...] = (),
                   unassigned: tuple[str, ...] = ()) -> None:
    st.selectbox("Example", list(EXAMPLES), key=state.PRESET, index=None,
                 placeholder="Your own program", on_change=state.load_preset,
                 format_func=preset_short,
                 help="The post's three examples, micrograd's neuron, shared subexpressions "
                      "(routes multiply), a deep chain and one whose gradients vanish; then "
                      "the classic mistakes' examples (Predict …), which open in predict mode "
                      "just before routes meet, and What if …, which open with a mistake's "
                      "backward pass beside the right one.")
    st.text_area("Program", key=state.PROGRAM, height=210, on_change=state.on_program_change,
                 help="Python-like lines: a = Var(4), c = a * b, y = sin(c), def f(a, b): ... "
                      "The last line's variable is the output. Ctrl+Enter applies.")
    if error:
        st.error("This program can't be built; the graph shows the last one that could.")
        st.code(error, language=None, wrap_lines=True)
        return
    if unassigned:
        render_unassigned(unassigned)
    if notices:
        render_notices(notices)


def render_unassigned(unassigned: tuple[str, ...]) -> None:
    """The names used but never given a value (a typo makes a new input silently): under
    the program and at the top of the stage, where a lecture's eyes are."""
    st.warning("\n\n".join(unassigned), icon="⚠️")


def render_notices(notices: tuple[str, ...]) -> None:
    """Lines the app read but does not draw (print, get_gradients, import), each with its
    line number, so a pasted program's skipped lines are never a surprise."""
    st.caption("Skipped lines (nothing to draw):")
    st.code("\n".join(notices), language=None, wrap_lines=True)


def render_stage_error(error: str) -> None:
    """The build error at the top of the stage, over the last good graph (dimmed)."""
    st.error("This program can't be built. The graph below is the last program that worked.",
             icon="⚠️")
    st.code(error, language=None, wrap_lines=True)


def render_values(inputs) -> None:
    """A number field per input; changing one re-evaluates the same graph in place."""
    if not inputs:
        return
    st.markdown("**Input values**")
    cols = st.columns(2)
    for i, item in enumerate(inputs):
        cols[i % 2].number_input(item.name, key=state.value_key(item.name), step=1.0,
                                 format="%g", on_change=state.on_value_change,
                                 args=(item.name,))


def named_nodes(graph) -> tuple[str, ...]:
    """The names a new line can use, each once: those the program names (inputs and
    results). A name typed in a new line means its last binding, whatever its graph key."""
    return tuple(dict.fromkeys(n.name for n in graph.nodes
                               if n.name is not None and n.op != "const"))


def output_name(graph) -> str:
    """How a new line refers to the output: its name in the text (``y``, not ``y_3``)."""
    return graph[graph.output].name or graph.output


def render_view_options() -> None:
    """How the drawing follows the steps. A graph too big to read when fitted is followed
    anyway (the page decides, from the window's size, and says so on the stage); this switch
    follows any graph, so its label says it is for a graph that fits."""
    st.markdown("**View**")
    st.toggle("Follow the pop, even a graph that fits", key=state.FOLLOW,
              help="Zoom to each popped node. Off, the page still follows a graph whose text "
                   "would be under 14 px when fitted, and says so above the graph (F shows "
                   "it whole). On: every graph is followed.")
    st.button("Fit the whole graph in view", key=state.FIT_GRAPH, on_click=state.fit_graph,
              help="Also with the F key or the stepper's Whole graph / Fit button")
    st.toggle("Shade nodes by gradient size", key=state.SHADE,
              help="Once a node's gradient is complete, its box is shaded by the gradient's "
                   "size, one shade per power of ten (the legend is over the graph): where "
                   "gradients vanish, the shades fade.")
    st.toggle("Single-letter keys (P, F, L, V, Q, N)", key=state.LETTER_KEYS,
              help="Off: the letters do nothing (for speech input, or a keyboard shared with "
                   "other software); the arrows, Space, Home, End and the Page keys still step.")


def fresh_name(taken) -> str:
    taken = set(taken)
    for name in NAME_POOL:
        if name not in taken:
            return name
    i = 1
    while f"t{i}" in taken:
        i += 1
    return f"t{i}"


def builder_line(operation: str, a: str, b: str | None, result: str) -> str:
    return f"{result} = " + operations()[operation].format(a, b)


def _build(names: tuple) -> None:
    """Callback of the builder's button: append the new input (if any), then the line."""
    ss = st.session_state
    operation = ss.get(state.BUILD_OP)
    result = (ss.get(state.BUILD_NAME) or "").strip()
    if operation not in operations():
        return
    if not (result.isascii() and result.isidentifier()):
        ss[state.BUILD_ERROR] = f"`{result}` is not a name: use letters, digits and _"
        return
    taken = set(names) | {result}
    lines = []
    operands = []
    wanted = (state.BUILD_A, state.BUILD_B) if operation in BINARY else (state.BUILD_A,)
    for slot in wanted:
        choice = ss.get(slot)
        if choice == NEW_INPUT or choice is None:
            name = fresh_name(taken)
            taken.add(name)
            value = ss.get(state.BUILD_VALUE, 1.0)
            lines.append(f"{name} = {fmt(value, PLAIN)}")
            operands.append(name)
        else:
            operands.append(choice)
    lines.append(builder_line(operation, operands[0], operands[-1], result))
    ss[state.BUILD_ERROR] = None
    for line in lines:
        state.append_line(line)
    ss[state.BUILD_NAME] = fresh_name(taken)


def render_builder(names: tuple, output: str) -> None:
    """Pick an operation and operands from the named nodes (or a new input). The first
    operand starts at the program's output, so a new line grows the graph upwards (the
    last line is the output, and a line that ignores it would drop the rest)."""
    with st.expander("Build by clicking", expanded=False):
        choices = list(names) + [NEW_INPUT]
        ss = st.session_state
        if ss.get(state.BUILD_A) not in choices or ss.get(state.BUILD_FOR) != output:
            ss[state.BUILD_A] = output if output in choices else choices[0]
            ss[state.BUILD_B] = None
            ss[state.BUILD_FOR] = output
        if ss.get(state.BUILD_B) not in choices:
            ss[state.BUILD_B] = next((n for n in choices if n != ss[state.BUILD_A]), NEW_INPUT)
        if ss.get(state.BUILD_NAME) in (None, "") or ss.get(state.BUILD_NAME) in names:
            ss[state.BUILD_NAME] = fresh_name(names)
        op = st.selectbox("Operation", list(operations()), key=state.BUILD_OP)
        cols = st.columns(2)
        cols[0].selectbox("a", choices, key=state.BUILD_A)
        if op in BINARY:
            cols[1].selectbox("b", choices, key=state.BUILD_B)
        cols = st.columns(2)
        cols[0].text_input("Result name", key=state.BUILD_NAME)
        cols[1].number_input("New input value", key=state.BUILD_VALUE, value=1.0, format="%g")
        st.button("Append line", key=state.BUILD_APPEND, on_click=_build, args=(tuple(names),),
                  width="stretch")
        if ss.get(state.BUILD_ERROR):
            st.error(ss[state.BUILD_ERROR])
