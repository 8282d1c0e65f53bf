"""The classic mistakes and the size of each gradient, as view data: no Streamlit.

* ``what_if_rows``: a deliberately wrong backward pass (``autodiff.mistakes``) beside the right
  one and the central-difference estimate that exposes it, one row per node, in the order of
  the stepper's Gradients check (inputs first), each with ✓ or ✗ (the mark says it, not a
  colour).
* ``gradient_shades``: a shade per node from the size of its gradient, in bands of powers of
  ten (``SHADE_BANDS``): the vanishing-gradients example's picture. The page shades a node when
  its gradient is complete, when its label shows the number too (``✓ grad 6.3e-6``), and the
  legend (``shade_legend``) says which band each shade is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from autodiff.core.backward import count_pops, gradients, route_stack
from autodiff.core.graph import Graph
from autodiff.mistakes import WHAT_IFS, what_if
from autodiff.numeric import agree
from autodiff.trace import fmt

__all__ = [
    "CHOICES", "PALEST", "RIGHT", "SHADE_BANDS", "WhatIf", "gradient_shades", "shade_legend",
    "what_if_rows",
]

RIGHT = "right"  # the switch's first choice: the right backward, no mistake
#: the switch's choices: the right backward, then each mistake (``autodiff.mistakes``)
CHOICES = {RIGHT: "The right backward", **{code: words[0] for code, words in WHAT_IFS.items()}}
ROUTES_SHOWN = 6  # route values listed per node in the overwrite's "routes popped" column
CHECK_AGREES, CHECK_DISAGREES = "✓ agrees", "✗ disagrees"


@dataclass(frozen=True)
class WhatIf:
    """The table of one mistake: ``rows`` (dicts, one per node, the columns in order),
    ``why`` (the sentence that says why it is wrong), ``exposed`` (the nodes where the check
    says ✗) and ``refused`` (why the table could not be made, else "")."""

    rows: list[dict]
    why: str
    exposed: list[str]
    refused: str = ""


def what_if_rows(graph: Graph, mistake: str, numeric: Mapping[str, float], *,
                 max_pops: int, limit: int = 30) -> WhatIf:
    """The right gradient, ``mistake``'s and the central-difference estimate (``numeric``, per
    node key; "—" where there is none) of the nodes of ``graph`` (a snapshot with its engine
    nodes), inputs first, at most ``limit`` rows: the output and the constants are left out,
    as in the stepper's Gradients check. The overwrite walks every route, as the route stack
    does: a graph with more than ``max_pops`` is refused (``WhatIf.refused``)."""
    label, why = WHAT_IFS[mistake]
    output = graph.engine[graph.output]
    if mistake == "overwrite" and count_pops(output) > max_pops:
        return WhatIf([], why, [], refused=f"{label} walks every route, and this graph has "
                              f"{count_pops(output):,}: more than the {max_pops:,} the app "
                              "walks.")
    keys = graph.keys_by_node
    wrong = {keys[node]: g for node, g in what_if(output, mistake).items()}
    right = {keys[node]: g for node, g in gradients(output).items()}
    popped = _routes_popped(output, keys) if mistake == "overwrite" else {}
    column = _column(mistake)
    rows, exposed = [], []
    for node in _checked_nodes(graph)[:limit]:
        key = node.key
        estimate = numeric.get(key)
        mistaken = wrong.get(key, 0.0)
        row = {"node": key, "right backward": fmt(right.get(key, 0.0)), column: fmt(mistaken)}
        if popped:
            row["routes popped"] = _listed(popped.get(key, []))
        row["central difference"] = "—" if estimate is None else fmt(estimate)
        row["check"] = _check(mistaken, right.get(key, 0.0), estimate)
        if row["check"] == CHECK_DISAGREES:
            exposed.append(key)
        rows.append(row)
    return WhatIf(rows, why, exposed)


def _column(mistake: str) -> str:
    """The mistaken column's name: "no backward yet" says it is the graph before the pass."""
    if mistake == "no_backward":
        return "no backward yet (before the pass)"
    return WHAT_IFS[mistake][0].lower()


def _checked_nodes(graph: Graph) -> list:
    nodes = [n for n in graph.nodes if n.op == "var"]
    return nodes + [n for n in graph.nodes
                    if n.op not in ("var", "const") and n.key != graph.output]


def _check(mistaken: float, right: float, estimate: float | None) -> str:
    """✓ where the mistaken gradient agrees with the central difference, ✗ where it does
    not; "—" where there is no estimate, or where the right gradient does not agree either
    (a kink: the check cannot judge there)."""
    if estimate is None or not agree(right, estimate):
        return "—"
    return CHECK_AGREES if agree(mistaken, estimate) else CHECK_DISAGREES


def _routes_popped(output, keys: Mapping) -> dict[str, list[float]]:
    """Each node's route values in the order the route stack pops them: the overwrite
    keeps the last one, where the right backward adds them all."""
    popped: dict[str, list[float]] = {}
    for cell, _stack in route_stack(output):
        if cell is not None:
            popped.setdefault(keys[cell[0]], []).append(cell[2])
    return popped


def _listed(values: list[float]) -> str:
    shown = ", ".join(fmt(v) for v in values[:ROUTES_SHOWN])
    return shown + (f", … ({len(values)} in all)" if len(values) > ROUTES_SHOWN else "")


# ---- the size of each gradient ----

#: (least size, background) from the largest band down: a gradient of at least that size
#: (absolute value) gets that shade; below the last, the palest. Blues light enough for the
#: labels' black text in every band.
SHADE_BANDS = ((1e-1, "#6baed6"), (1e-2, "#9ecae1"), (1e-3, "#c6dbef"), (1e-4, "#deebf7"))
PALEST = "#f7fbff"


def gradient_shades(gradients: Mapping[str, float]) -> dict[str, str]:
    """Node key -> the background of its gradient's band (``SHADE_BANDS``)."""
    return {key: _band(g) for key, g in gradients.items()}


def _band(g: float) -> str:
    size = abs(g) if math.isfinite(g) else math.inf
    for least, colour in SHADE_BANDS:
        if size >= least:
            return colour
    return PALEST


def shade_legend() -> list[tuple[str, str]]:
    """(background, what it means) per band, largest first: the legend's chips."""
    chips = [(colour, f"≥ {fmt(least)}") for least, colour in SHADE_BANDS]
    return chips + [(PALEST, f"< {fmt(SHADE_BANDS[-1][0])}")]
