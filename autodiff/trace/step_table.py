"""The step table for course notes: one row per chosen step (what happens, the stack's top,
the ledger lines the step adds to, e.g. ``a = 4 (d→c→a) + 7 (d→a) = 11``), as Markdown or
a LaTeX ``tabular`` (``python -m autodiff table``). The lines are written by the ledger's
one rule (``ledger.node_line``), as the page writes them.
"""

from __future__ import annotations

import re

from . import Trace, fmt
from .ledger import node_line

__all__ = ["FORMATS", "MAX_STEPS", "StepsError", "latex_escape", "parse_steps", "step_rows",
           "step_table", "steps_heading"]

MAX_STEPS = 200  # steps per table, slideshow or handout: a lecture's worth, a bounded file
STACK_SHOWN = 5  # stack entries written per row (the rest counted), as beside the graph
FORMATS = ("md", "latex")
COLUMNS = ("step", "what happens", "stack (top first)", "ledger lines this step adds to")
_RANGE = re.compile(r"\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?")


class StepsError(ValueError):
    """A step range that cannot be used, said in one line with what to do."""


def parse_steps(text: str | None, last: int, cap: int = MAX_STEPS) -> range:
    """``"0-4"`` (both ends counted) or ``"7"`` as steps of a walk whose last step is
    ``last``; None: from step 0, at most ``cap`` steps. At most ``cap`` steps."""
    if text is None:
        return range(0, min(last, cap - 1) + 1)
    match = _RANGE.fullmatch(text)
    if not match:
        raise StepsError(f"--steps {text!r}: write a range like 0-4 (first-last) or one step "
                         "like 7")
    first = int(match[1])
    stop = int(match[2]) if match[2] is not None else first
    if first > stop:
        raise StepsError(f"--steps {text}: the first step comes after the last; write "
                         f"{stop}-{first}")
    if stop > last:
        raise StepsError(f"--steps {text}: this walk's steps are 0-{last}; choose steps "
                         "in that range")
    if stop - first + 1 > cap:
        raise StepsError(f"--steps {text}: {stop - first + 1:,} steps, more than {cap} at "
                         f"once; choose at most {cap} (e.g. {first}-{first + cap - 1})")
    return range(first, stop + 1)


def step_rows(trace: Trace, steps: range) -> list[tuple[str, str, list[str], list[str]]]:
    """Per step: its number, its narration, the stack's top entries (``node value
    (route)``, then how many more) and the ledger lines it added to, whole."""
    tables, rows = trace.tables, []
    for k in steps:
        state = trace.state(k)
        stack = [f"{e.node} {fmt(e.value)} ({e.short_route_text})"
                 for e in state.stack[:STACK_SHOWN]]
        if state.step.depth > STACK_SHOWN:
            stack.append(f"… and {state.step.depth - STACK_SHOWN:,} more below")
        nodes = dict.fromkeys(trace.keys[tables.cell_node[tables.line_cell[line]]]
                              for line in state.step.lines)
        lines = [node_line(trace, key, k).text() for key in nodes]
        rows.append((str(k), state.narration, stack, lines))
    return rows


def _markdown_cell(text: str) -> str:
    """Text in a Markdown table cell: a bar would end the cell, * _ ` [ < would format."""
    return re.sub(r"([\\|*_`\[\]<>])", r"\\\1", " ".join(text.split()))


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """Text as LaTeX typesets it literally (the ten special characters escaped)."""
    return "".join(_LATEX.get(ch, ch) for ch in " ".join(text.split()))


def steps_heading(trace: Trace, steps: range) -> str:
    """What a table or file of ``steps`` holds: ``route-stack, output d: steps 0-4 of 0-4``."""
    return (f"{trace.algorithm}, output {trace.graph.output}: steps {steps.start}-"
            f"{steps.stop - 1} of 0-{trace.last_index}")


def step_table(trace: Trace, steps: range, form: str = "md") -> str:
    """The chosen steps as a Markdown table, or a LaTeX ``tabular`` (its text is UTF-8:
    arrows and dots as written, for XeLaTeX or LuaLaTeX)."""
    rows = step_rows(trace, steps)
    if form == "md":
        out = [f"**{_markdown_cell(steps_heading(trace, steps))}**", "",
               "| " + " | ".join(COLUMNS) + " |", "|---:|---|---|---|"]
        out += ["| " + " | ".join([k, _markdown_cell(say), "; ".join(map(_markdown_cell, stack)),
                                   "; ".join(map(_markdown_cell, lines))]) + " |"
                for k, say, stack, lines in rows]
        return "\n".join(out) + "\n"
    if form != "latex":
        raise ValueError(f"unknown table format {form!r}: one of {', '.join(FORMATS)}")
    cell = lambda items: r" \newline ".join(map(latex_escape, items))  # noqa: E731
    out = [f"% {steps_heading(trace, steps)} (python -m autodiff table); UTF-8: XeLaTeX or "
           "LuaLaTeX",
           r"\begin{tabular}{r p{0.34\linewidth} p{0.22\linewidth} p{0.3\linewidth}}",
           r"\hline", " & ".join(COLUMNS) + r" \\", r"\hline"]
    out += [" & ".join([k, latex_escape(say), cell(stack), cell(lines)]) + r" \\"
            for k, say, stack, lines in rows]
    out += [r"\hline", r"\end{tabular}"]
    return "\n".join(out) + "\n"
