"""Forward mode beside reverse mode: what each costs on the current program's shape, as a
table and a chart (pure: no Streamlit; ``costs_panel`` draws them).

The counts are the engine's (``autodiff.forward.graph_operation_counts``): per pass, one
multiplication of a local derivative per edge, and one addition per edge beyond the first
into a node. A whole Jacobian takes forward mode one pass per input and reverse mode one per
output; the chart asks what a graph of this shape costs as either number grows.
"""

from __future__ import annotations

from autodiff.core.graph import Graph
from autodiff.forward import graph_operation_counts

from . import charts

__all__ = ["MODES", "PASSES", "cost_points", "cost_rows", "cost_spec", "growth_range",
           "input_count", "panels"]

#: how the table and the chart name the two modes, and how the chart draws each line:
#: colour (Okabe–Ito) and dash, so never by colour alone
MODES = {"forward": ("forward mode", "#D55E00", [10, 5]),
         "reverse": ("reverse mode", "#0072B2", [1, 0])}
PASSES = {"forward": "one pass per input", "reverse": "one pass per output"}


def input_count(graph: Graph) -> int:
    """The program's inputs: what forward mode makes one pass for."""
    return sum(n.op == "var" for n in graph.nodes)


def cost_rows(graph: Graph) -> list[dict]:
    """The table: each mode's passes, multiplications and additions for this program's
    gradient (one output, its inputs)."""
    counts = graph_operation_counts(graph)
    return [{"mode": f"{MODES[mode][0]}: {PASSES[mode]}", "passes": c["passes"],
             "multiplications": c["multiplications"], "additions": c["additions"]}
            for mode, c in counts.items()]


def growth_range(graph: Graph) -> range:
    """How far the chart counts inputs and outputs: to twice the program's inputs, at
    least to 8, so the lines part."""
    return range(1, max(8, 2 * input_count(graph)) + 1)


def panels(graph: Graph) -> tuple[str, str]:
    """The chart's two panels: inputs growing (one output), outputs growing (this program's
    inputs)."""
    inputs = input_count(graph)
    return "more inputs, 1 output", f"more outputs, {inputs} input{'s' * (inputs != 1)}"


def cost_points(graph: Graph) -> dict[str, list]:
    """The chart's data as one long table: what grows (``panels``), how many, the mode, its
    multiplications."""
    inputs = input_count(graph)
    more_inputs, more_outputs = panels(graph)
    # a pass costs the same whichever input or output it is for: count one, then multiply
    edges = graph_operation_counts(graph, 1, 1)["forward"]["multiplications"]
    rows = []
    for n in growth_range(graph):
        for grows, forward, reverse in ((more_inputs, n, 1), (more_outputs, inputs, n)):
            rows += [(grows, n, MODES["forward"][0], forward * edges),
                     (grows, n, MODES["reverse"][0], reverse * edges)]
    return {"grows": [r[0] for r in rows], "count": [r[1] for r in rows],
            "mode": [r[2] for r in rows], "multiplications": [r[3] for r in rows]}


def cost_spec(graph: Graph) -> dict:
    """Two small panels side by side, inputs growing then outputs growing, a line per mode."""
    labels = [label for label, _, _ in MODES.values()]
    legend = {"title": None, "orient": "top", "symbolType": "stroke", "symbolSize": 900,
              "labelLimit": 0}
    inputs = input_count(graph)
    spec = charts.readable({
        "height": 220, "width": 260,
        "mark": {"type": "line", "strokeWidth": 3, "point": True},
        "encoding": {
            "x": {"field": "count", "type": "quantitative", "title": "how many",
                  "axis": {"tickMinStep": 1}},
            "y": {"field": "multiplications", "type": "quantitative",
                  "title": "multiplications"},
            "column": {"field": "grows", "type": "nominal", "title": None,
                       "sort": list(panels(graph))},
            "color": {"field": "mode", "type": "nominal", "legend": legend,
                      "scale": {"domain": labels,
                                "range": [colour for _, colour, _ in MODES.values()]}},
            "strokeDash": {"field": "mode", "type": "nominal", "legend": legend,
                           "scale": {"domain": labels,
                                     "range": [dash for _, _, dash in MODES.values()]}}}})
    spec["config"]["header"] = {"labelFontSize": charts.TEXT_PX, "titleFontSize": charts.TEXT_PX}
    spec["description"] = (f"Multiplications of local derivatives for a graph of this shape; "
                           f"this program has {inputs} inputs and 1 output.")
    return spec
