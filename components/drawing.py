"""The graph as vis-network draws it, as plain geometry: node boxes, edge polylines and edge
label boxes for given positions. Feeds ``geometry.problems`` in the layout's tests and in
``benchmarks/bench_layout.py``; a browser test reads the same three things from the page."""

from __future__ import annotations

from pathlib import Path

from autodiff.core.graph import Graph

from . import geometry as geo
from . import layered
from . import view_model as vm

__all__ = ["model", "page_problems"]


def model(graph: Graph, positions) -> tuple[dict, list, dict]:
    """(boxes, edges, labels) at these positions: straight edges with the label at the
    middle; a repeated edge (``x*x``) a ``curvedCW`` curve with its label at the curve's
    middle. A label box is as wide as its text can get (``edge_label_width``), a node
    box as wide as ``box_width`` and ``node_height`` tall, so the check holds at every step."""
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    boxes = {k: geo.rect_around(xy, vm.box_width(graph[k], consts), vm.node_height(graph[k]))
             for k, xy in positions.items()}
    edges, labels = [], {}
    for node in graph.nodes:
        seen: set[str] = set()
        for i, child in enumerate(node.inputs):
            start, end = positions[node.key], positions[child]
            if child in seen:
                via = layered.curve_via(start, end, vm.REPEAT_ROUNDNESS)
                points = geo.bezier_points(start, via, end)
                middle = points[len(points) // 2]
            else:
                points = [start, end]
                middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            seen.add(child)
            edges.append((node.key, child, points))
            labels[vm.edge_id(node.key, child, i)] = geo.rect_around(
                middle, vm.edge_label_width(node, i), vm.EDGE_FONT_SIZE)
    return boxes, edges, labels


READ_DRAWING_JS = Path(__file__).with_name("read_drawing.js")


def problems(graph: Graph, positions) -> list[str]:
    return geo.problems(*model(graph, positions))


def page_problems(page, network: str = "adNetwork") -> list[str]:
    """The same check on what vis-network drew in a Playwright ``page`` (``network``: the
    global holding the Network): for browser tests and ``benchmarks/shoot_layout.py``."""
    drawn = page.evaluate(READ_DRAWING_JS.read_text(encoding="utf-8"), network)
    return geo.problems({k: tuple(v) for k, v in drawn["boxes"].items()},
                        [(a, b, [tuple(q) for q in points]) for a, b, points in drawn["edges"]],
                        {k: tuple(v) for k, v in drawn["labels"].items()})
