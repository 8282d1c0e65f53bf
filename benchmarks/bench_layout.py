"""Layered-layout candidates side by side, drawn the way vis-network draws them (straight
edges, label at the middle). A benchmark, not a test: it prints a table.

    python benchmarks/bench_layout.py            # ours + the ones that are installed
    python benchmarks/bench_layout.py --big 2500 # size of the big graph timed

For every candidate: crossings between edges, edges through a node box, pairs of
overlapping edge labels, labels under a node box (summed over the presets and a fixed set of
random programs of up to 40 nodes), and the time to lay out a 40-node graph and a big one.
Candidates: ``ours`` (components.layered, via view_model.layout), ``simple`` (the one-pass
layout kept for big graphs), python-igraph's ``layout_sugiyama``, grandalf's
``SugiyamaLayout`` and Graphviz ``dot`` (through the ``graphviz`` package). A library's
positions are scaled to our box sizes; its bend points are dropped because vis draws one
straight line per edge. The machine's load moves the times; the counts do not move.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autodiff.program import compile_program  # noqa: E402
from components import drawing, layered  # noqa: E402
from components import geometry as geo  # noqa: E402
from components import view_model as vm  # noqa: E402
from components.presets import PRESETS  # noqa: E402

STEP_X = 300  # a library's unit of x, in vis pixels (about one box and a gap)


def random_program(rng: random.Random, lines: int) -> str:
    names = [f"x{i}" for i in range(rng.randint(1, 4))]
    text = [f"{n} = {rng.randint(1, 9) / 4}" for n in names]
    for i in range(lines):
        a, b = rng.choice(names), rng.choice(names)
        expr = rng.choice([f"{a} * {b}", f"{a} + {b}", f"sin({a})", f"{a} * {b} + {a}",
                           f"{a} * 0.5 + {b}"])
        text.append(f"h{i} = {expr}")
        names.append(f"h{i}")
    text.append(f"y = {' + '.join(names[-2:])}")
    return "\n".join(text)


def corpus(count: int = 40) -> list:
    rng = random.Random(11)
    graphs = [compile_program(t).graph for t in PRESETS.values()]
    while len(graphs) < len(PRESETS) + count:
        graph = compile_program(random_program(rng, rng.randint(2, 14))).graph
        if len(graph.nodes) <= 40:
            graphs.append(graph)
    return graphs


def big_graph(nodes: int):
    """A recurrence h_i = tanh(0.9·h_(i-1) + h_(i-2)), built with the engine (the program
    text would pass the app's character limit)."""
    from autodiff import Var, tanh
    from autodiff.core.graph import snapshot
    prev, here = Var(0.3, name="h0"), Var(0.7, name="h1")
    for step in range(1, 10 * nodes):
        prev, here = here, tanh(here * 0.9 + prev)
        if step % 50 == 0 and len((graph := snapshot(here)).nodes) >= nodes:
            return graph
    raise ValueError(nodes)


# ---- candidates: graph -> {key: (x, y)} ----

def ours(graph):
    return vm.layout(graph)


def simple(graph):
    depth = vm.depths(graph)
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    nodes = [(n.key, n.inputs) for n in graph.nodes if n.key in depth]
    widths = {k: vm.box_width(graph[k], consts) for k, _ in nodes}
    xs = layered.simple(nodes, depth, widths, vm.SLOT_GAP, vm.PLACEHOLDER_WIDTH)
    return {k: (x, depth[k] * vm.LAYER_GAP) for k, x in xs.items()}


def igraph_sugiyama(graph):
    import igraph
    keys = [n.key for n in graph.nodes]
    index = {k: i for i, k in enumerate(keys)}
    depth = vm.depths(graph)
    g = igraph.Graph(n=len(keys), edges=[(index[n.key], index[c]) for n in graph.nodes
                                         for c in n.inputs], directed=True)
    layout = g.layout_sugiyama(layers=[depth[k] for k in keys])
    return {k: (layout[i][0] * STEP_X, depth[k] * vm.LAYER_GAP) for i, k in enumerate(keys)}


def grandalf_sugiyama(graph):
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout

    class View:
        def __init__(self, w, h):
            self.w, self.h, self.xy = w, h, (0, 0)

    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    vertices = {}
    for n in graph.nodes:
        vertices[n.key] = Vertex(n.key)
        vertices[n.key].view = View(vm.box_width(n, consts), vm.NODE_HEIGHT)
    edges = [Edge(vertices[n.key], vertices[c]) for n in graph.nodes for c in n.inputs]
    g = Graph(list(vertices.values()), edges)
    for part in g.C:
        sug = SugiyamaLayout(part)
        sug.yspace, sug.xspace = vm.LAYER_GAP - vm.NODE_HEIGHT, vm.SLOT_GAP
        sug.init_all(roots=[vertices[graph.output]])
        sug.draw()
    return {k: v.view.xy for k, v in vertices.items()}


def graphviz_dot(graph):
    import graphviz
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    dot = graphviz.Digraph(graph_attr={"ranksep": str((vm.LAYER_GAP - vm.NODE_HEIGHT) / 72),
                                       "nodesep": str(vm.SLOT_GAP / 72)})
    for n in graph.nodes:
        dot.node(n.key, shape="box", fixedsize="true", width=str(vm.box_width(n, consts) / 72),
                 height=str(vm.NODE_HEIGHT / 72))
    for n in graph.nodes:
        for c in n.inputs:
            dot.edge(n.key, c, label="-1.234e-10")
    data = json.loads(dot.pipe(format="json"))
    out = {}
    for obj in data["objects"]:
        x, y = map(float, obj["pos"].split(","))
        out[obj["name"]] = (x, -y)
    return out


CANDIDATES = {"ours": ours, "simple": simple, "igraph": igraph_sugiyama,
              "grandalf": grandalf_sugiyama, "dot": graphviz_dot}


def crossings(edges) -> int:
    def cross(p, q, r, s):
        def orient(a, b, c):
            return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (orient(p, q, r) * orient(p, q, s) < 0) and (orient(r, s, p) * orient(r, s, q) < 0)
    count = 0
    for i, (a1, b1, (p, *_, q)) in enumerate(edges):
        for a2, b2, (r, *_, s) in edges[i + 1:]:  # a curve counts as its chord
            if not {a1, b1} & {a2, b2} and cross(p, q, r, s):
                count += 1
    return count


def measure(name, layout, graphs, big) -> dict | None:
    try:
        layout(graphs[0])
    except Exception as error:  # not installed
        print(f"{name}: skipped ({type(error).__name__}: {error})")
        return None
    total = {"crossings": 0, "through boxes": 0, "label overlaps": 0, "labels under boxes": 0,
             "clean graphs": 0}
    for graph in graphs:
        boxes, edges, labels = drawing.model(graph, layout(graph))
        hits = len(geo.edges_through_boxes(boxes, edges))
        overlaps = len(geo.overlapping_labels(labels))
        covered = len(geo.labels_under_boxes(boxes, labels))
        total["crossings"] += crossings(edges)
        total["through boxes"] += hits
        total["label overlaps"] += overlaps
        total["labels under boxes"] += covered
        total["clean graphs"] += hits == 0 and overlaps == 0 and covered == 0
    forty = max((g for g in graphs if len(g.nodes) <= 40), key=lambda g: len(g.nodes))
    total["ms, 40 nodes"] = timed(layout, forty, 5)
    total[f"ms, {len(big.nodes)} nodes"] = timed(layout, big, 1)
    return total


def timed(layout, graph, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        layout(graph)
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=int, default=2500)
    args = parser.parse_args()
    graphs, big = corpus(), big_graph(args.big)
    print(f"{len(graphs)} graphs ({len(PRESETS)} presets + random, up to 40 nodes); "
          f"big graph {len(big.nodes)} nodes")
    rows = {name: measure(name, f, graphs, big) for name, f in CANDIDATES.items()}
    rows = {k: v for k, v in rows.items() if v}
    columns = list(next(iter(rows.values())))
    print("| candidate | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
