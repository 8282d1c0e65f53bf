"""A layered (Sugiyama) drawing whose edges miss every node box and whose labels never overlap.

vis-network draws each edge as one straight line (or, for the second edge of ``x*x``, one
quadratic curve) with its label at the middle. No layout library knows that: Graphviz
``dot``, igraph's Sugiyama and grandalf route a long edge through bend points vis cannot
draw, and none places labels where vis puts them. So the steps are:

1. layers: given (``view_model.depths``), each band between two layers as tall as its
   boxes and one label need (a label sits halfway between two centres), more below a layer
   that squares an input (room for the two labels of ``x*x``): ``heights``;
2. order: igraph's Sugiyama layout (crossing reduction, python-igraph) gives each node a
   provisional x; each layer is then ordered as straight lines between those x's would
   cross it (``straighten``), the order a straight-line drawing can have;
3. x: one linear program (scipy's HiGHS) over the node x's. Every straight edge's x at any
   height is a linear function of its two ends' x's, so "the edge keeps out of every box in
   the layers it crosses", "it leaves and enters a box between that box's neighbours",
   "labels at heights close enough to overlap stay apart" and "the second edge of ``x*x``
   curves clear of the first one's label" are all linear constraints; the objective keeps
   edges short and the drawing narrow. The constraints are exact, so the picture is clean by
   construction (``components.drawing`` + ``geometry`` check it in the tests, and on vis's
   own drawing).

Measured (``benchmarks/bench_layout.py``: 6 presets + 40 random programs of up to 40 nodes,
drawn as vis draws them; times noisy, shared 2-core machine under load):

    candidate  crossings  through boxes  label overlaps  labels under boxes  clean  2,602 nodes
    ours             111              0               0                   0  46/46  25 ms (simple)
    simple           153            247              40                 126   2/46  177 ms
    igraph            99            100              49                  47   6/46  539 ms
    grandalf          77             77              24                  34  11/46  36 s
    dot               57            152              27                 118   7/46  33 s

(``ours`` as of issue 18: text-sized bands; 44 ms for the 40-node graph. ``view_model``
then also lays out a small graph at five taller gaps and two tight ones (labels beside the
boxes, zig-zagging either way: ``label_box_rows``), in a second order (``barycentric_x``)
and, swapping neighbours (one pair, or two at once) from the three best, in up to
2,500 / nodes drawings, to keep the one most readable on the page's stages: 136 crossings
instead of 111, still 46/46 clean, ~1.5 s for the bench's largest random graph (19 nodes;
0.3 s before the search climbed from three starts), once per graph shape.)
The libraries cross less (their bends would take the lines round the boxes) but leave most
graphs unclean once vis draws straight lines, and grandalf and ``dot`` take half a minute on
big graphs. igraph is fast and a wheel: its order, our coordinates. Known gap: a node
squared (``x*x``) beside other edges into the same input can leave the linear program no
room (2 of 300 random programs); the simple layout is used then. A graph with more than
``LP_LIMIT`` items (nodes + dummies) gets the simple layered layout (``simple``): bounded,
near-linear time, up to the app's 5,000 nodes. New dependencies (wheels, in
requirements.txt): scipy, python-igraph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import igraph
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

__all__ = [
    "MAX_SLOTS", "Sizes", "curve_via", "heights", "orders", "place", "simple", "slots_needed",
    "swaps",
]

#: vis px a label keeps from the box its edge's arrow enters, where it sits beside that box
ARROW_ROOM = 24
ZIGZAG = 1.0  # of a slot of ``order_x``: how far aside a tight drawing's odd layers start
LP_LIMIT = 400  # items (nodes + dummies) above which the simple layout is used (LP ~0.7 s there)
#: Placeholder slots the simple layout may make. Inputs sit in the bottom layer, so a
#: 500-line program whose every line reads the inputs asks for ~250,000 (seconds of
#: layout); past this budget long edges cross layers freely (the page follows the pop on
#: such a graph anyway, so it is never seen whole).
MAX_SLOTS = 20_000


@dataclass(frozen=True)
class Sizes:
    """Everything the geometry needs, in vis pixels."""
    node_height: float
    label_width: float  # an edge label at its widest (value text is bounded)
    label_height: float
    slot_gap: float  # between two node boxes in a layer
    label_pad: float  # between two labels, or a label and a line
    line_clear: float  # half the room a line passing through a layer takes
    curve_roundness: float  # vis ``curvedCW`` roundness of a repeated edge (x*x)


@dataclass(frozen=True)
class Edge:
    user: str
    child: str
    repeat: int  # 0: straight; 1: the second edge between the same two nodes (curved)


def edges_of(nodes) -> list[Edge]:
    """``nodes``: (key, inputs) in build order."""
    out = []
    for key, inputs in nodes:
        seen: dict[str, int] = {}
        for child in inputs:
            out.append(Edge(key, child, seen.get(child, 0)))
            seen[child] = seen.get(child, 0) + 1
    return out


# ---- 2. order within layers ----

def chains(edges: list[Edge], depth) -> dict[int, list]:
    """Edge index -> the items it passes, top down: user, dummies, child."""
    out = {}
    for i, e in enumerate(edges):
        if e.repeat:
            continue
        a, b = depth[e.user], depth[e.child]
        out[i] = [e.user, *(("~", i, level) for level in range(a + 1, b)), e.child]
    return out


def order_x(keys: list[str], depth, edges: list[Edge]) -> dict[str, float]:
    """A provisional x per node with few crossings: igraph's Sugiyama layout (its crossing
    reduction and coordinate assignment, over our layers), mirrored if that keeps the
    inputs in the order they were typed."""
    index = {k: i for i, k in enumerate(keys)}
    graph = igraph.Graph(n=len(keys), directed=True,
                         edges=[(index[e.user], index[e.child]) for e in edges if not e.repeat])
    coords = graph.layout_sugiyama(layers=[depth[k] for k in keys]).coords
    x = {k: coords[i][0] for i, k in enumerate(keys)}
    bottom = sorted((k for k in keys if depth[k] == max(depth.values())), key=x.get)
    if index[bottom[0]] > index[bottom[-1]]:
        x = {k: -v for k, v in x.items()}
    return x


def barycentric_x(depth, edges: list[Edge], x: dict[str, float],
                  rounds: int = 60) -> dict[str, float]:
    """Another provisional x, one that keeps nodes near their neighbours rather than
    crossings few: the bottom layer (the inputs) stays at ``x``, every other node moves to
    the mean x of the nodes it is joined to, ``rounds`` times (a barycentric embedding).
    Where edges converge on a few inputs it often gives a narrower drawing than igraph's."""
    bottom = max(depth.values())
    joined: dict[str, list] = {k: [] for k in x}
    for e in edges:
        joined[e.user].append(e.child)
        joined[e.child].append(e.user)
    x = dict(x)
    for _ in range(rounds):
        for key, others in joined.items():
            if depth[key] != bottom and others:
                x[key] = sum(x[k] for k in others) / len(others)
    return x


def orders(nodes, depth) -> list[dict[str, float]]:
    """Provisional x's to try (see ``place``): igraph's and the barycentric one."""
    edges = edges_of(nodes)
    x = order_x([k for k, _ in nodes], depth, edges)
    return [x, barycentric_x(depth, edges, x)]


def swaps(x: dict[str, float], depth) -> list[dict[str, float]]:
    """The provisional x's one step from ``x``: two neighbours in a layer trade places."""
    layers: dict[int, list] = {}
    for key in sorted(x, key=x.get):
        layers.setdefault(depth[key], []).append(key)
    return [{**x, a: x[b], b: x[a]}
            for row in layers.values() for a, b in zip(row, row[1:], strict=False)]


def straighten(x: dict[str, float], depth, edges: list[Edge],
               ys: dict[int, float] | None = None) -> tuple[dict, dict[int, list]]:
    """Items per layer, left to right, as straight lines would cross it: nodes at ``x``,
    each dummy where the straight line between its edge's two ends passes (layer ``level``
    at height ``ys[level]``; evenly spaced when not given). Two straight lines swap sides at
    most once, and lines from one node never swap: the linear program needs exactly such an
    order."""
    y = ys or {level: float(level) for level in set(depth.values())}
    # a small fixed jitter: lines that would be collinear get an order
    x = {k: v + 0.001 * ((7 * i) % 11) for i, (k, v) in enumerate(x.items())}
    layers: dict[int, list] = {}
    for key in x:
        layers.setdefault(depth[key], []).append(key)
    for path in chains(edges, depth).values():
        for item in path[1:-1]:
            layers[item[2]].append(item)

    def where(item, level: int, lean: float = 0.0) -> float:
        if isinstance(item, str):
            return x[item]
        e = edges[item[1]]
        a, b = y[depth[e.user]], y[depth[e.child]]
        f = (y[level] + lean - a) / (b - a)
        return (1 - f) * x[e.user] + f * x[e.child]

    return x, {level: sorted(items, key=lambda item: (
                round(where(item, level), 9), round(where(item, level, 0.01), 9),
                round(where(item, level, -0.01), 9), isinstance(item, str),
                item[1] if not isinstance(item, str) else -1))
            for level, items in layers.items()}


# ---- 3. x by linear programming ----

class Program:
    """Rows ``sum(coef * x) <= rhs`` over the node x's, one width variable and one
    |dx| variable per straight edge; ``at`` gives an item's x at any height (in vis pixels,
    layer ``level`` at ``ys[level]``) as a linear form."""

    def __init__(self, keys, widths, depth, edges: list[Edge], ys: dict[int, float],
                 sizes: Sizes, lean: dict, flip: int = 1, label_widths=None, halves=None):
        self.index = {k: i for i, k in enumerate(keys)}
        self.widths, self.depth, self.edges, self.y, self.sizes = widths, depth, edges, ys, sizes
        #: half the height of each layer's tallest box (``sizes.node_height`` / 2 when not given)
        self.half = halves or {level: sizes.node_height / 2 for level in ys}
        #: each edge's label width (``edges_of`` order); the widest one where not given
        self.label_widths = label_widths or [sizes.label_width] * len(edges)
        self.straight = [i for i, e in enumerate(edges) if not e.repeat]
        self.size = len(keys) + len(self.straight) + 1  # ..., |dx| per edge, right edge
        self.rows: list[tuple[dict, float]] = []
        # x*x (one layer apart, see view_model.depths): the child's dx may vary in a range
        # that keeps the curved label in its band; ``reach`` widens the boxes it bulges out of
        self.flexible: dict[tuple[str, str], tuple[float, float]] = {}
        self.reach = {k: [w / 2, w / 2] for k, w in zip(keys, widths, strict=True)}
        for e in edges:
            if e.repeat:
                side = flip * (1 if lean[e.child] <= lean[e.user] else -1)
                self.flexible[e.user, e.child] = self.bulge(e, side)

    def bulge(self, e: Edge, side: int) -> tuple[float, float]:
        """The dx range for a doubled edge, and how far its curve strays beside its two
        boxes over that range (recorded in ``reach``)."""
        top, bottom = self.depth[e.user], self.depth[e.child]
        dy = self.y[bottom] - self.y[top]
        sz = replace(self.sizes, node_height=2 * max(self.half[top], self.half[bottom]))
        band = sz.node_height / 2 + sz.line_clear
        fits = []
        for t in range(9):
            dx = repeat_dx(dy, sz, side, t / 8)
            points = curve_points(dx, dy, sz.curve_roundness)
            if all(-band <= y <= dy + band for _, y in points):
                fits.append(dx)
                for key, (x0, y0) in ((e.user, (0.0, 0.0)), (e.child, (dx, dy))):
                    near = [x - x0 for x, y in points if abs(y - y0) <= band]
                    reach = self.reach[key]
                    reach[0] = max(reach[0], -min(near) + sz.line_clear)
                    reach[1] = max(reach[1], max(near) + sz.line_clear)
        return (min(fits), max(fits)) if fits else (0.0, -1.0)

    def delta(self, level: int) -> float:
        """Half a layer's box and a line's room: where a line may pass beside its boxes."""
        return self.half[level] + self.sizes.line_clear

    def at(self, item, s: float) -> dict:
        if isinstance(item, str):
            return {self.index[item]: 1.0}
        return self.edge_at(item[1], s)

    def ends(self, i: int) -> tuple[float, float]:
        """The heights of an edge's two ends."""
        e = self.edges[i]
        return self.y[self.depth[e.user]], self.y[self.depth[e.child]]

    def middle(self, i: int) -> float:
        """The height of an edge's label (a straight edge's middle)."""
        return sum(self.ends(i)) / 2

    def edge_at(self, i: int, s: float) -> dict:
        e = self.edges[i]
        a, b = self.ends(i)
        f = (s - a) / (b - a)
        return {self.index[e.user]: 1 - f, self.index[e.child]: f}

    def at_least(self, left: dict, right: dict, room: float) -> None:
        """x(right) - x(left) >= room; a form's ``None`` entry is a constant."""
        row = dict(left)
        for k, c in right.items():
            row[k] = row.get(k, 0.0) - c
        constant = row.pop(None, 0.0)
        self.rows.append((row, -room - constant))

    def solve(self, weights) -> np.ndarray | None:
        rows, cols, vals, rhs = [], [], [], []
        for r, (row, bound) in enumerate(self.rows):
            for k, c in row.items():
                rows.append(r), cols.append(k), vals.append(c)
            rhs.append(bound)
        matrix = coo_matrix((vals, (rows, cols)), shape=(len(self.rows), self.size))
        lower = [w / 2 for w in self.widths] + [0.0] * (self.size - len(self.widths))
        result = linprog(weights, A_ub=matrix.tocsr(), b_ub=rhs,
                         bounds=list(zip(lower, [None] * self.size, strict=True)),
                         method="highs")
        return result.x if result.status == 0 else None


def half(p: Program, item, s: float, side: int) -> float:
    """How far an item reaches to its left (side 0) or right (side 1) at height ``s``."""
    if isinstance(item, str):
        return p.reach[item][side]
    if s == p.middle(item[1]):  # its label is here
        return p.label_widths[item[1]] / 2
    return p.sizes.line_clear


def label_by_boxes(p: Program, item, level: int) -> bool:
    """Is the item a line whose label is level with the boxes of its layer?"""
    if isinstance(item, str):
        return False
    reach = p.half[level] + p.sizes.label_height / 2 + p.sizes.label_pad
    return abs(p.middle(item[1]) - p.y[level]) < reach


def layer_rows(p: Program, layers: dict[int, list]) -> None:
    """Neighbours in a layer keep apart at the box's top, middle and bottom, and at the
    height of a label that is level with the boxes."""
    for level, items in layers.items():
        y = p.y[level]
        for left, right in zip(items, items[1:], strict=False):
            both_lines = not isinstance(left, str) and not isinstance(right, str)
            gap = p.sizes.label_pad if both_lines else p.sizes.slot_gap
            heights = {y - p.delta(level), y, y + p.delta(level)}
            heights |= {p.middle(item[1]) for item in (left, right)
                        if label_by_boxes(p, item, level)}
            for s in sorted(heights):
                room = half(p, left, s, 1) + half(p, right, s, 0) + gap
                p.at_least(p.at(left, s), p.at(right, s), room)


def edge_rows(p: Program, layers: dict[int, list]) -> None:
    """|dx| per straight edge (the objective); and where an edge crosses the top or bottom
    edge of its own node's box band, it is between that node's neighbours in the layer
    (so it may leave through a side of its box, never through a neighbour)."""
    n = len(p.widths)
    beside = {}
    for items in layers.values():
        nodes = [item for item in items if isinstance(item, str)]
        for j, key in enumerate(nodes):
            beside[key] = (nodes[j - 1] if j else None,
                           nodes[j + 1] if j + 1 < len(nodes) else None)
    for j, i in enumerate(p.straight):
        e = p.edges[i]
        u, v = p.index[e.user], p.index[e.child]
        p.rows += [({v: 1.0, u: -1.0, n + j: -1.0}, 0.0), ({u: 1.0, v: -1.0, n + j: -1.0}, 0.0)]
        top, bottom = p.ends(i)
        for end, s in ((e.user, top + p.delta(p.depth[e.user])),
                       (e.child, bottom - p.delta(p.depth[e.child]))):
            left, right = beside[end]
            if left is not None:
                p.at_least(p.at(left, s), p.edge_at(i, s), p.reach[left][1] + p.sizes.line_clear)
            if right is not None:
                p.at_least(p.edge_at(i, s), p.at(right, s), p.reach[right][0] + p.sizes.line_clear)
    right = p.size - 1
    for k, w in enumerate(p.widths):
        p.rows.append(({k: 1.0, right: -1.0}, -w / 2))


def curve_terms(roundness: float) -> tuple[float, float, float, float]:
    """vis ``curvedCW`` (vis-network's ``_getViaCoordinates``): the via point is
    ``from + k·(−dy·cos kπ + dx·sin kπ, dx·cos kπ + dy·sin kπ)``, k = (roundness + 1)/2, so
    the label at the curve's middle sits at the straight edge's middle plus
    ``(ax·dx + bx·dy, ay·dx + by·dy)``: returns (ax, bx, ay, by)."""
    k = 0.5 * roundness + 0.5
    c, s = math.cos(k * math.pi), math.sin(k * math.pi)
    return 0.5 * k * s - 0.25, -0.5 * k * c, 0.5 * k * c, 0.5 * k * s - 0.25


def curve_via(start, end, roundness: float) -> tuple[float, float]:
    k = 0.5 * roundness + 0.5
    c, s = math.cos(k * math.pi), math.sin(k * math.pi)
    dx, dy = end[0] - start[0], end[1] - start[1]
    return start[0] + k * (-dy * c + dx * s), start[1] + k * (dx * c + dy * s)


def repeat_dx(gap: float, sizes: Sizes, side: int, far: float) -> float:
    """How far left (side 1) or right (side -1) of its user the child of ``x*x`` sits, so
    the curved edge's label sits a label's height or more below (above) the straight
    edge's label, still in the free band between the two layers: ``far`` 0 is as close as
    that allows, 1 as far."""
    ax, bx, ay, by = curve_terms(sizes.curve_roundness)
    free = (gap - sizes.node_height - sizes.label_height) / 2 - sizes.label_pad
    need = sizes.label_height + sizes.label_pad
    target = side * (need + far * (free - need))
    return (target - by * gap) / ay  # label y offset = ay·dx + by·dy


def curve_points(dx: float, dy: float, roundness: float, samples: int = 100) -> list:
    """Points along vis's curved edge from (0, 0) to (dx, dy)."""
    vx, vy = curve_via((0.0, 0.0), (dx, dy), roundness)
    return [(2 * t * (1 - t) * vx + t * t * dx, 2 * t * (1 - t) * vy + t * t * dy)
            for t in (j / samples for j in range(samples + 1))]


def labels(p: Program) -> list[tuple]:
    """Every edge label as ((lowest, highest) height its middle may take, x form, edge
    index, (user, child)); a curved label's form carries its constant offset from the user
    under ``None``, and its height moves with that offset within its band (``repeat_dx``)."""
    out = []
    ax, bx, ay, by = curve_terms(p.sizes.curve_roundness)
    for i, e in enumerate(p.edges):
        (a, b), pair = p.ends(i), (e.user, e.child)
        mid = (a + b) / 2
        if e.repeat and pair in p.flexible:
            u, v, dy = p.index[e.user], p.index[e.child], b - a
            low = min(p.half[p.depth[e.user]], p.half[p.depth[e.child]])
            roam = dy / 2 - low - p.sizes.label_height / 2
            out.append(((mid - roam, mid + roam), {u: 0.5 - ax, v: 0.5 + ax, None: bx * dy}, i,
                        pair))
            continue
        out.append(((mid, mid), p.edge_at(i, mid), i, pair))
    return out


def label_rows(p: Program, x) -> None:
    """Labels whose heights may come close enough to overlap: every such pair apart by
    their widths, in the order the first solution drew them (a curved label and its sibling
    are apart vertically instead)."""
    near = p.sizes.label_height + p.sizes.label_pad

    def where(entry) -> float:
        return sum(c * (1.0 if k is None else x[k]) for k, c in entry[1].items())

    entries = sorted(labels(p), key=lambda entry: entry[0])
    for j, first in enumerate(entries):
        for second in entries[j + 1:]:
            if second[0][0] - first[0][1] >= near:
                break
            if first[3] == second[3] and first[3] in p.flexible:
                continue
            left, right = sorted((first, second), key=lambda entry: (where(entry), entry[2]))
            need = (p.label_widths[left[2]] + p.label_widths[right[2]]) / 2
            p.at_least(left[1], right[1], need + p.sizes.label_pad)


def label_box_rows(p: Program, layers: dict[int, list], x, zigzag: int = 1) -> None:
    """A label level with the boxes at one end of its edge (a band too thin to hold a box, a
    label and a box one above the other: ``heights(tight=True)``) keeps clear of each box
    of that layer, on the side the first solution ``x`` puts it, and clear of the arrow that
    enters its own child's box. Where that solution has it on its own user's or child's box
    (a vertical edge), it goes right of its user below an even layer, left below an odd one
    (and the other way of its child; ``zigzag`` -1: the other way round): a chain zig-zags
    instead of running off one way."""
    reach = p.sizes.label_height / 2 + p.sizes.label_pad
    for i in p.straight:
        e, middle = p.edges[i], p.middle(i)
        label = p.edge_at(i, middle)
        at = sum(c * x[k] for k, c in label.items())
        user_side = zigzag if p.depth[e.user] % 2 == 0 else -zigzag
        for level in {p.depth[e.user], p.depth[e.child]}:
            if abs(middle - p.y[level]) >= p.half[level] + reach:
                continue
            for item in layers[level]:
                if not isinstance(item, str):
                    continue  # a line: a label may cover it (it is drawn on white)
                room = p.label_widths[i] / 2 + p.sizes.label_pad
                off = at - x[p.index[item]]
                ends = item in (e.user, e.child)
                if abs(off) < (room + min(p.reach[item]) if ends else 0.5):  # a side by parity
                    side = -user_side if item == e.child else user_side
                else:
                    side = 1 if off > 0 else -1
                room += ARROW_ROOM if item == e.child else 0.0
                box = {p.index[item]: 1.0}
                if side > 0:
                    p.at_least(box, label, p.reach[item][1] + room)
                else:
                    p.at_least(label, box, p.reach[item][0] + room)


def solve_x(keys, widths, depth, layers, edges, ys, sizes: Sizes, lean: dict, flip: int = 1,
            label_widths=None, halves=None, zigzag: int = 1):
    """Node x's (left edge of the drawing at 0), or None when the constraints cannot all hold."""
    p = Program(keys, widths, depth, edges, ys, sizes, lean, flip, label_widths, halves)
    layer_rows(p, layers)
    edge_rows(p, layers)
    for (user, child), (low, high) in p.flexible.items():
        u, v = p.index[user], p.index[child]
        p.rows += [({v: 1.0, u: -1.0}, high), ({u: 1.0, v: -1.0}, -low)]
    weights = np.zeros(p.size)
    weights[len(keys):-1] = 1.0  # short edges
    # a narrow drawing: a pixel of width weighs as much as one on every edge (the graph is
    # judged by the zoom that fits it whole, and a wide one is zoomed out)
    weights[-1] = len(p.straight)
    first = p.solve(weights)
    if first is None:
        return None
    label_rows(p, first)
    label_box_rows(p, layers, first, zigzag)
    return p.solve(weights)


def place(nodes, depth, widths: dict[str, float], sizes: Sizes, gap: float,
          retries: int = 5, label_widths=None,
          heights_of: dict[str, float] | None = None,
          order: dict[str, float] | None = None,
          tight: int = 0) -> tuple[dict[str, float], dict] | None:
    """Node x's and each layer's height (level -> y), or None when the graph is too big for
    the linear program (or it finds no clean drawing): the caller then uses ``simple``.
    Layers are ``gap`` apart, more where the two edges of ``x*x`` need room for two labels.
    ``nodes``: (key, inputs) in build order, only the ones in ``depth``; ``label_widths``:
    one per edge in ``edges_of`` order (``sizes.label_width`` for each when not given);
    ``heights_of``: each node's box height (``sizes.node_height`` when not given);
    ``order``: a provisional x per node (``order_x`` when not given, see ``orders``);
    ``tight``: 0, or bands only as tall as their boxes, labels beside them (``heights``),
    odd layers starting right of even ones (1) or left (-1): a chain zig-zags."""
    keys = [k for k, _ in nodes]
    edges = edges_of(nodes)
    dummies = sum(max(0, depth[e.child] - depth[e.user] - 1) for e in edges if not e.repeat)
    if len(keys) + dummies > LP_LIMIT:
        return None
    doubled = {depth[e.user] for e in edges if e.repeat}  # the bands below these levels
    halves = {level: sizes.node_height / 2 for level in depth.values()}
    for key in keys:
        halves[depth[key]] = max(halves[depth[key]], (heights_of or {}).get(key, 0.0) / 2)
    x = order or order_x(keys, depth, edges)
    if tight:  # every other layer a slot aside: labels beside boxes zig-zag (label_box_rows)
        x = {k: v + tight * ZIGZAG * (depth[k] % 2) for k, v in x.items()}
    for retry in range(retries):
        stretch = 1.4 ** retry  # steeper edges and more room between layers
        ys = heights(max(depth.values()), gap, doubled, sizes, halves, stretch, bool(tight))
        lean, layers = straighten(x, depth, edges, ys)
        for flip in (1, -1) if doubled else (1,):  # curves of x*x: the other side may fit
            xs = solve_x(keys, [widths[k] for k in keys], depth, layers, edges, ys, sizes,
                         lean, flip, label_widths, halves, tight or 1)
            if xs is not None:
                return {k: float(xs[i]) for i, k in enumerate(keys)}, ys
    return None


def heights(deepest: int, gap: float, doubled: set[int], sizes: Sizes,
            halves: dict[int, float], stretch: float = 1.0,
            tight: bool = False) -> dict[int, float]:
    """Each layer's y: ``gap`` below the one above, or more where its boxes and a label
    between need it (a label sits halfway between two centres), or room for two labels
    (see ``repeat_dx``) below a layer in ``doubled``; every band ``stretch`` times that.
    ``tight``: a band (but a doubled one) need only hold its boxes, a little apart: its
    labels then sit beside the boxes (``label_box_rows``). ``halves``: half the height of
    each layer's tallest box."""
    lh, pad = sizes.label_height, sizes.label_pad
    ys = {0: 0.0}
    for level in range(deepest):
        boxes = 2 * max(halves[level], halves[level + 1])
        need = (boxes + 3 * lh + 4 * pad if level in doubled
                else boxes + 2 * pad if tight else boxes + lh + 2 * pad)
        ys[level + 1] = ys[level] + max(gap, need) * stretch
    return ys


def slots_needed(nodes, depth) -> int:
    """How many placeholder slots ``simple`` would make: one per layer an edge skips."""
    return sum(max(0, depth[c] - depth[k] - 1) for k, inputs in nodes for c in inputs)


def simple(nodes, depth, widths: dict[str, float], slot_gap: float,
           placeholder: float, max_slots: int = MAX_SLOTS) -> dict[str, float]:
    """Node x's for any size, in near-linear time: one top-down pass orders each layer by the
    mean x of the nodes above (ties by build order); an edge that skips layers takes a
    placeholder slot in each layer it crosses, unless that would take more than
    ``max_slots`` slots (then long edges cross layers freely). Edges may touch boxes."""
    with_slots = slots_needed(nodes, depth) <= max_slots
    build = {k: i for i, (k, _) in enumerate(nodes)}
    above: dict = {k: [] for k in depth}
    layers: dict[int, list] = {}
    order: dict = {}
    for key, inputs in nodes:
        order[key] = (build[key], 0)
        layers.setdefault(depth[key], []).append(key)
        for j, child in enumerate(inputs):
            prev = key
            for level in range(depth[key] + 1, depth[child] if with_slots else 0):
                slot = ("~", key, j, level)
                above[slot] = [prev]
                order[slot] = (build[child], 1)
                layers.setdefault(level, []).append(slot)
                prev = slot
            above[child].append(prev)
    pos: dict = {}
    for level in sorted(layers):
        slots = layers[level]

        def mean_x(slot) -> float:
            xs = [pos[u] for u in above[slot] if u in pos]
            return sum(xs) / len(xs) if xs else 0.0

        slots.sort(key=lambda s: (mean_x(s), order[s]))
        sizes = [widths.get(slot, placeholder) for slot in slots]
        left = -(sum(sizes) + slot_gap * (len(slots) - 1)) / 2
        for slot, width in zip(slots, sizes, strict=True):
            pos[slot] = left + width / 2
            left += width + slot_gap
    return {k: x for k, x in pos.items() if isinstance(k, str)}
