"""What to draw and list for one step of a trace: plain dicts and rows, no Streamlit, no pyvis.

Everything here is a pure function of (graph, trace state, numbers computed once per
graph), so it is tested without a browser, and a step only restyles: positions come
from ``layout(graph)`` alone and never depend on the step.

Every state has a cue that is not a colour (for colour-blind viewers and grey
projectors): the popped node gets a thick solid border and ``▶``; nodes waiting on the
stack a dashed border and ``×n`` (how many entries they have there); complete nodes
``✓``. Route edges are thick; edges just pushed are dashed. The palette is Okabe–Ito.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from autodiff.array import full_text, is_array
from autodiff.core.graph import Graph, GraphNode
from autodiff.core.numbers import shape_text
from autodiff.numeric import agree, kinks, kinks_above  # agree: the project's one tolerance
from autodiff.trace import FORWARD, ROUTE_STACK, TOPOLOGICAL, describe, fmt, formula

from . import layered
from .text_metrics import FONT_FACE, number_width, text_width

__all__ = [
    "EDGE_FONT_SIZE", "EDGE_LOOKS", "EDGE_ROUTE", "FONT_SIZE", "FORWARD_MARKS", "INPUT_HEIGHT",
    "LAYER_GAP", "MARKS", "NODE_HEIGHT", "PALETTE", "PANEL_WORDS", "PLACEHOLDER_WIDTH",
    "REPEAT_ROUNDNESS",
    "SLOT_GAP", "agree", "box_width", "depths", "edge_ends", "edge_id", "edge_label_width",
    "edge_states", "edge_views", "fmt", "forward_gradient_rows", "gradient_rows", "kink_notes",
    "label_head", "layout", "marks_of", "tangent_edge_states",
    "node_height", "node_look", "node_mark", "node_views", "numeric_keys", "shape_key",
    "stack_rows", "title_head", "vis_options",
]

# ---- how things look (sizes in vis pixels) ----

FONT_SIZE = 22  # node labels; readable from the back of a room at 1280×720
EDGE_FONT_SIZE = 22  # as large as the node text: the smallest text sets the zoom
NODE_MARGIN = 6  # between a node's text and its border
#: a box: two label lines, the margins, a thick border (drawn with square corners: vis counts
#: a rounded corner's radius into a box's bounds on every side)
NODE_HEIGHT = 2 * FONT_SIZE + 2 * NODE_MARGIN + 6
INPUT_HEIGHT = 4 * FONT_SIZE  # vis draws an ellipse twice as tall as its text
LABEL_PAD = 3  # between two edge labels, or a label and a box
#: the vertical distance between layers: a box and an edge label between two boxes, no more
#: (the graph is judged by its smallest text on screen: every spare pixel shrinks it)
LAYER_GAP = NODE_HEIGHT + EDGE_FONT_SIZE + 2 + 2 * LABEL_PAD
#: a band only as tall as its boxes and a little air (``layered.heights(tight=True)``): its
#: edges' labels sit beside the boxes, so a deep graph is drawn in less height
TIGHT_GAP = NODE_HEIGHT + 2 * LABEL_PAD
SLOT_GAP = 16  # horizontal space between the boxes of two neighbours in a layer
#: ops whose local derivatives do not depend on the values (1 and -1): their labels are narrow
FIXED_SLOPE_OPS = frozenset({"add", "sub", "neg"})
#: a shallow graph's edges are flat at the least layer gap, and a flat edge needs much room
#: to pass between two boxes: a graph of up to GAP_SEARCH_NODES nodes is also laid out at
#: these multiples of its gap (and in other orders, see ``roomiest``), and the drawing that
#: is most readable on the ``STAGES`` is kept
GAP_STRETCH = (1.25, 1.5, 1.75, 2.0, 2.5)
GAP_SEARCH_NODES = 40
#: drawings ``roomiest`` may try: SEARCH_WORK / nodes, at most SEARCH_STEPS (a drawing's
#: two linear programs grow with the graph: ~10 ms for 15 nodes)
SEARCH_STEPS = 300
SEARCH_WORK = 2_500
SEARCH_STARTS = 3  # drawings ``roomiest`` climbs from
#: where a whole graph is shown, as (width, height) of the graph's box less the page's 16 px
#: margins, and the least text size (px) it should be drawn at there: presenter view at
#: 1280×720 and 1024×768 (the grid in stepper.css, .ad-present), and the normal view at
#: 1280×720 with the sidebar collapsed (tests/browser/test_graph_room.py measures them)
STAGES = ((860, 658, 14), (706, 706, 12), (740, 500, 14))
MOST_ON_STACK = 88  # the widest ``×n`` a badge reserves room for
PLACEHOLDER_WIDTH = 140  # the slot an edge takes in a layer it passes through (keeps it off boxes)
REPEAT_ROUNDNESS = 0.5  # the second edge of ``x*x`` curves (vis curvedCW), see edge_views
LABEL_MARGIN = 10  # what vis draws around an edge label's text, and a little air
SIZES = layered.Sizes(node_height=NODE_HEIGHT,
                      label_width=number_width(EDGE_FONT_SIZE) + LABEL_MARGIN,
                      label_height=EDGE_FONT_SIZE + 2, slot_gap=SLOT_GAP, label_pad=LABEL_PAD,
                      line_clear=6, curve_roundness=REPEAT_ROUNDNESS)

INK = "#111111"
PALETTE = {
    # kind -> (background, border)
    "input": ("#d6eaf8", "#0072b2"),
    "const": ("#eeeeee", "#7a7a7a"),
    "op": ("#ffffff", "#333333"),
}
POPPED = ("#f0e442", "#000000")  # yellow fill, black border
ON_STACK = ("#fde3b0", "#e69f00")  # orange, dashed
COMPLETE = ("#c9efe2", "#009e73")  # bluish green
EDGE_PLAIN = "#666666"
EDGE_ROUTE = "#d55e00"  # vermillion
EDGE_PUSHED = "#e69f00"

SHAPES = {"input": "ellipse", "const": "box", "op": "box"}
#: an edge's look per state: on the popped entry's route, just pushed, or neither
EDGE_LOOKS = {"route": {"color": EDGE_ROUTE, "width": 6, "dashes": False},
              "pushed": {"color": EDGE_PUSHED, "width": 4, "dashes": [12, 8]},
              "plain": {"color": EDGE_PLAIN, "width": 2, "dashes": False}}


def kind(node: GraphNode) -> str:
    if node.op == "const":
        return "const"
    if node.op == "var":
        return "input"
    return "op"


# ---- layout: computed once per graph, the same at every step ----

def depths(graph: Graph) -> dict[str, int]:
    """Layer of every node: the longest path from the output (output 0), inputs at the bottom.

    Inputs (variables) go to the deepest layer, as in the post's figure, except one that a
    single node uses (micrograd's bias ``b``): it stays just below that node, as constants
    do, so the bottom row is no wider than it must be. A node that uses one input twice
    (``x*x``) sits just above it: the second, curved edge then spans one layer, where
    ``layered`` keeps its label clear of the first one's.
    """
    depth = {graph.output: 0}
    for node in reversed(graph.nodes):  # users before their inputs
        here = depth.get(node.key)
        if here is None:
            continue
        for key in node.inputs:
            if depth.get(key, -1) < here + 1:
                depth[key] = here + 1
    bottom = max(depth.values())
    users: dict[str, set] = {}
    for node in graph.nodes:
        for key in node.inputs:
            users.setdefault(key, set()).add(node.key)
    for node in graph.nodes:  # inputs before their users
        if node.key not in depth:
            continue
        if node.op == "var" and len(users.get(node.key, ())) != 1:
            depth[node.key] = bottom
        elif len(set(node.inputs)) < len(node.inputs):
            depth[node.key] = min(depth[k] for k in node.inputs) - 1
    return depth


def layout(graph: Graph) -> dict[str, tuple[int, int]]:
    """Node key -> (x, y) in vis pixels, y pointing down: output at the top.

    A layered drawing (``components.layered``): few crossings, no edge through a node box,
    no two edge labels on each other, for graphs up to ``layered.LP_LIMIT`` items; bigger
    ones get the simple layered layout. Depends on the graph's shape only (never on values
    or the step), so the same graph always gets the same picture.
    """
    depth = depths(graph)
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    nodes = [(n.key, n.inputs) for n in graph.nodes if n.key in depth]
    widths_of = {key: box_width(graph[key], consts) for key, _ in nodes}
    heights_of = {key: node_height(graph[key]) for key, _ in nodes}
    labels = [edge_label_width(graph[key], i) + LABEL_MARGIN
              for key, inputs in nodes for i in range(len(inputs))]
    placed = layered.place(nodes, depth, widths_of, SIZES, LAYER_GAP, label_widths=labels,
                           heights_of=heights_of)
    if placed is not None and len(nodes) <= GAP_SEARCH_NODES:
        placed = roomiest(placed, functools.partial(
            layered.place, nodes, depth, widths_of, SIZES, retries=1, label_widths=labels,
            heights_of=heights_of), layered.orders(nodes, depth), depth, widths_of)
    if placed is None:  # too big for the linear program: bands still as tall as their boxes
        halves: dict[int, float] = {}
        for key, _ in nodes:
            halves[depth[key]] = max(halves.get(depth[key], 0), heights_of[key] / 2)
        placed = (layered.simple(nodes, depth, widths_of, SLOT_GAP, PLACEHOLDER_WIDTH),
                  layered.heights(max(depth.values()), LAYER_GAP, set(), SIZES, halves))
    xs, ys = placed
    centre = (min(xs.values()) + max(xs.values())) / 2
    return {k: (int(round(x - centre)), int(round(ys[depth[k]]))) for k, x in xs.items()}


def roomiest(placed, place, orders: list[dict], depth, widths_of):
    """The most readable drawing (``fit_scale``) among ``placed`` and the ones
    ``place(gap, order=...)`` makes: each provisional order in ``orders`` at each layer gap,
    then, from each of the ``SEARCH_STARTS`` best of those, the best of its neighbours while
    that is better: two neighbours in a layer swapped (at its gap or the next one either way)
    or another gap; where none of those is better, two such swaps at once, which a drawing
    whose two layers must change together needs. At most ``SEARCH_STEPS`` drawings (fewer
    for a big graph, ``SEARCH_WORK``). Width is
    what a wide graph lacks, and a better order saves more of it than the gap does; climbing
    from several starts keeps one unlucky first step from deciding the drawing."""
    # (layer gap, tight: 0, or a zig-zag either way round), see layered.place
    gaps = [(TIGHT_GAP, 1), (TIGHT_GAP, -1), *((LAYER_GAP * f, 0) for f in (1, *GAP_STRETCH))]
    drawings: dict[tuple, tuple] = {}
    budget = min(SEARCH_STEPS, SEARCH_WORK // len(depth))

    def score(x, gap) -> float:
        key = (tuple(sorted(x, key=x.get)), gap)
        if key not in drawings:
            if len(drawings) >= budget:
                return 0.0
            drawing = place(gap[0], order=x, tight=gap[1])
            drawings[key] = (fit_scale(*drawing, widths_of) if drawing else 0.0, drawing)
        return drawings[key][0]

    def best_of(tries) -> tuple:
        return max(((score(x, gap), x, gap) for x, gap in tries), key=lambda t: t[0])

    def climb(best: tuple) -> tuple:
        while len(drawings) < budget:
            _, x, gap = best
            near = gaps[max(0, gaps.index(gap) - 1):gaps.index(gap) + 2]
            ones = layered.swaps(x, depth)
            solved = drawings[tuple(sorted(x, key=x.get)), gap][1][0]
            better = best_of([(y, g) for y in ones for g in near] + [(x, g) for g in gaps]
                             + [(solved, g) for g in near])
            if better[0] <= best[0] * (1 + 1e-6):
                better = best_of([(z, g) for y in ones for z in layered.swaps(y, depth)
                                  for g in near] or [(x, gap)])
            if better[0] <= best[0] * (1 + 1e-6):
                break
            best = better
        return best

    starts = sorted(((score(x, gap), x, gap) for x in orders for gap in gaps),
                    key=lambda t: -t[0])[:SEARCH_STARTS]
    ends = [climb(start) for start in starts if start[0] > 0]
    drawn = [drawings[tuple(sorted(x, key=x.get)), gap][1] for _, x, gap in ends]
    return max([placed, *drawn], key=lambda d: fit_scale(*d, widths_of) if d else 0.0)


def edge_label_width(node: GraphNode, i: int) -> float:
    """How wide the label of a node's i-th input edge can get: as wide as its number where
    the op's local derivatives are the same for any values (``add``, ``sub``, ``neg``: 1 and
    -1), else as wide as the widest number."""
    local = node.local_derivatives[i]
    if node.op in FIXED_SLOPE_OPS and not getattr(local, "is_vjp", False) and not is_array(local):
        return text_width(fmt(local), EDGE_FONT_SIZE)
    return number_width(EDGE_FONT_SIZE)


def fit_scale(xs: Mapping[str, float], ys: Mapping[int, float],
              widths_of: Mapping[str, float]) -> float:
    """How readable a drawing is when shown whole: on each stage, the zoom that fits it there
    against the zoom that draws its text at the stage's goal (1: just readable). The
    presenter's stages come first (up to their goal: a wide stage and a square one, so a
    taller layer gap's cost in height is set against what its steeper edges save in width),
    then the least of all three, the normal view's included."""
    width = (max(x + widths_of[k] / 2 for k, x in xs.items())
             - min(x - widths_of[k] / 2 for k, x in xs.items()))
    height = max(ys.values()) + INPUT_HEIGHT
    least = min(FONT_SIZE, EDGE_FONT_SIZE)
    ratios = [min(w / width, h / height) * least / goal for w, h, goal in STAGES]
    return min(1.0, *ratios[:2]) + 0.01 * min(ratios)


def label_width(node: GraphNode, consts: Mapping[str, float]) -> float:
    """How wide a node's label gets at its widest state, in vis pixels: its first line with
    the widest number, or its widest badge. It does not depend on the node's value, so new
    input values never move the drawing."""
    head = text_width(f"{_label_head(node, consts)} = ", FONT_SIZE)
    badge = max(text_width(mark.badge.format(g="", n=MOST_ON_STACK), FONT_SIZE)
                for mark in (*MARKS.values(), *FORWARD_MARKS.values()))
    return max(head, badge) + number_width(FONT_SIZE)


def box_width(node: GraphNode, consts: Mapping[str, float]) -> float:
    """About how wide a node's box gets, in vis pixels: its label and what vis draws around
    it (an ellipse is as wide as its text and its text's height)."""
    around = 2 * FONT_SIZE if SHAPES[kind(node)] == "ellipse" else 2 * NODE_MARGIN + 8
    return label_width(node, consts) + around


def node_height(node: GraphNode) -> int:
    """How tall a node's box gets (two lines of text), in vis pixels."""
    return INPUT_HEIGHT if SHAPES[kind(node)] == "ellipse" else NODE_HEIGHT


# ---- node and edge styles for one step ----

def node_state(popped: bool, on_stack: int, complete: bool) -> str:
    """One of ``popped``, ``stack``, ``complete``, ``plain`` (in that precedence), for a node
    that is the one popped (or visited) or not, has ``on_stack`` entries on the stack, and has
    every route counted or not."""
    if popped:
        return "popped"
    if on_stack:
        return "stack"
    if complete:
        return "complete"
    return "plain"


class Mark(NamedTuple):
    """What a node shows besides its name and value: its state (its look), the second line of
    its label ({g}: its gradient so far, ``fmt``; {n}: its entries on the stack), the last
    line of its hover text, and whether every route to it is counted (the panels' ✓)."""

    state: str
    badge: str
    words: str
    complete: bool


#: every mark a node can show (``node_mark`` picks one); the page is sent them and fills them
MARKS = {
    "popped": Mark("popped", "▶ grad {g}", "just popped", False),
    "popped_complete": Mark("popped", "▶ grad {g} ✓", "just popped", True),
    "stack_one": Mark("stack", "×{n} · grad {g}", "waiting on the stack ({n} entry)", False),
    "stack": Mark("stack", "×{n} · grad {g}", "waiting on the stack ({n} entries)", False),
    "complete": Mark("complete", "✓ grad {g}", "complete: every route counted", True),
    "started": Mark("plain", "grad {g} …", "no route counted yet", False),
    "plain": Mark("plain", "", "no route counted yet", False),
}


#: forward mode's marks (the same names and states): a node shows its tangent in the pass,
#: final once visited (its visit adds every term at once: there is no "started")
FORWARD_MARKS = {
    "popped": Mark("popped", "▶ tangent {g}", "just visited", True),
    "popped_complete": Mark("popped", "▶ tangent {g}", "just visited", True),
    "stack_one": MARKS["stack_one"],
    "stack": MARKS["stack"],
    "complete": Mark("complete", "✓ tangent {g}", "visited in this pass: its tangent is final",
                     True),
    "started": Mark("plain", "tangent {g}", "not visited in this pass yet", False),
    "plain": Mark("plain", "", "not visited in this pass yet", False),
}


def marks_of(algorithm: str) -> dict[str, Mark]:
    """The marks a walk by ``algorithm`` shows: forward mode's tangents, or gradients."""
    return FORWARD_MARKS if algorithm == FORWARD else MARKS


#: what the page's panels are called and say, per algorithm: the ledger's tab, title and
#: count column, the stack box when there is no stack, a ledger line with no term yet
#: (``none``), the hover text's running number, the
#: Gradients check's title and columns (forward: each pass's result beside the reverse one)
_BACKWARD_CHECK = {"grad_title": "Gradients: running sum, engine, central difference",
                   "grad_head": ["node", "running", "engine", "central", "agree"],
                   "so_far": "gradient so far"}
PANEL_WORDS = {
    ROUTE_STACK: {
        "ledger_tab": "Route ledger", "count": "routes",
        "ledger_title": "Each route's edges multiplied; the routes to a node added",
        "no_stack": "The stack is empty.", "none": "no route yet",
        "steps_head": ["popped", "route", "value", "gradient"], **_BACKWARD_CHECK},
    TOPOLOGICAL: {
        "ledger_tab": "Contributions", "count": "routes",
        "ledger_title": "Contributions: each user passes its gradient × the local derivative; "
                        "a node adds what it is passed",
        "no_stack": "The topological sweep keeps no stack: one visit per node.",
        "none": "no route yet", "steps_head": ["visited", "route", "value", "gradient"],
        **_BACKWARD_CHECK},
    FORWARD: {
        "ledger_tab": "Tangents", "count": "terms",
        "ledger_title": "Tangents in this pass: each input's tangent × the local derivative, "
                        "added (a→d: from a into d)",
        "no_stack": "Forward mode keeps no stack: one pass per input, each visiting every "
                    "node once, from the inputs up.",
        "none": "not visited in this pass yet",
        "grad_title": "Each input's forward pass (shown once it ends), the reverse gradient, "
                      "central difference",
        "grad_head": ["input", "forward", "reverse", "central", "agree"],
        "steps_head": ["visited", "route", "tangent", "tangent in this pass"],
        "so_far": "tangent in this pass"},
}


def node_mark(popped: bool, on_stack: int, complete: bool, started: bool) -> str:
    """Which of ``MARKS`` a node shows (``node_state`` says its state): a popped node that
    is complete gets its tick too, a plain node that has a route counted already shows its
    partial gradient. The page is sent each node's mark whenever it changes (replay.py)."""
    status = node_state(popped, on_stack, complete)
    if status == "popped":
        return "popped_complete" if complete else "popped"
    if status == "stack":
        return "stack_one" if on_stack == 1 else "stack"
    if status == "plain":
        return "started" if started else "plain"
    return status


def node_look(node: GraphNode, output: str, status: str, shade: str | None = None) -> dict:
    """The vis colour, border and dashes of a node in one state (its label aside); ``shade``:
    the background a complete node gets instead of the usual one (its gradient's size)."""
    background, border = PALETTE[kind(node)]
    width, dashes = (3 if node.key == output else 2), False
    if status == "popped":
        background, border, width = POPPED[0], POPPED[1], 6
    elif status == "stack":
        background, border, width, dashes = ON_STACK[0], ON_STACK[1], 4, [10, 6]
    elif status == "complete":
        background, border, width = shade or COMPLETE[0], COMPLETE[1], 4
    return {"color": {"background": background, "border": border}, "borderWidth": width,
            "shapeProperties": {"borderDashes": dashes, "borderRadius": 0}}


def label_head(node: GraphNode, consts: Mapping[str, float]) -> str:
    """The first line of a node's label: what it is and its value (the same at every step)."""
    first = _label_head(node, consts)
    if is_array(node.value) and node.op != "const":  # the array engine's: W: 50×10
        return f"{node.key}: {shape_text(node.value.shape)}"
    return f"{first} = {fmt(node.value)}"


def node_views(graph: Graph, state, positions: Mapping[str, tuple[int, int]]) -> list[dict]:
    """The vis node dicts for this step: every property given every time, so an in-place
    update (vis DataSet.update merges) never keeps a style from an earlier step."""
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    views = []
    for node in graph.nodes:
        key = node.key
        if key not in positions:
            continue
        count = state.stack_counts.get(key, 0)
        mark = marks_of(state.algorithm)[node_mark(state.popped_key == key, count,
                                                   key in state.complete,
                                                   bool(state.ledger_sizes.get(key, 0)))]
        grad = fmt(state.gradients.get(key, 0))
        badge = mark.badge.format(g=grad, n=count)
        label = "\n".join(line for line in (label_head(node, consts), badge) if line)
        so_far = PANEL_WORDS[state.algorithm]["so_far"]
        title = (f"{title_head(node, consts)}\n{so_far} = {grad}\n"
                 f"{mark.words.format(n=count)}")  # plain text: vis draws it with innerText
        x, y = positions[key]
        views.append({"id": key, "label": label, "title": title,
                      "shape": SHAPES[kind(node)], "x": x, "y": y,
                      **node_look(node, graph.output, mark.state), "state": mark.state})
    return views


def _label_head(node: GraphNode, consts: Mapping[str, float], *, full: bool = False) -> str:
    """``d = a × c`` for a node the program names; an unnamed one (``mul3``) is named by its
    op already, and its formula (on hover) would only make the box wider. A constant is
    named by its key (``const1``), as the narration and the stack name it."""
    if node.op == "const":
        return node.key
    if node.op == "var":
        return f"input {node.key}"
    if node.name is None and not full:
        return node.key
    args = [fmt(consts[k]) if k in consts else k for k in node.inputs]
    return f"{node.key} = {formula(node, args)}"


def title_head(node: GraphNode, consts: Mapping[str, float]) -> str:
    """The first two lines of a node's hover text (the same at every step)."""
    value = full_text(node.value) if is_array(node.value) else fmt(node.value)  # all of it
    return f"{_label_head(node, consts, full=True)}\nvalue = {value}"


def edge_id(user: str, child: str, i: int) -> str:
    return f"{user}>{child}#{i}"


def edge_ends(graph: Graph) -> list[tuple[str, str]]:
    """Every edge's (user, input), in the order ``edge_views`` lists them (``x*x``: twice)."""
    return [(node.key, child) for node in graph.nodes for child in node.inputs]


def edge_states(route: Sequence[str], pushed_from: str,
                pushed: Iterable[str]) -> dict[tuple[str, str], str]:
    """What a step draws on its edges, by (user, input): ``route`` along the popped entry's
    route (top down; a route of one node has none), else ``pushed`` from the node whose pop
    pushed (the output at step 0) to each node it pushed; every other edge is ``plain``.
    The page is sent each edge's state whenever it changes (replay.py) and only draws it."""
    states = dict.fromkeys(((pushed_from, key) for key in pushed), "pushed")
    states.update(dict.fromkeys(zip(route, route[1:], strict=False), "route"))
    return states


def tangent_edge_states(visited: str, inputs: Iterable[str]) -> dict[tuple[str, str], str]:
    """Forward mode's step: the edges from the visited node to each of its inputs, whose
    tangents it reads (times their local derivatives), are ``route``; every other edge is
    ``plain``."""
    return dict.fromkeys(((visited, key) for key in inputs), "route")


def edge_views(graph: Graph, state) -> list[dict]:
    """One vis edge per (node, input) pair, from the node down to its input, labelled with
    the local derivative; the formula (e.g. ``∂d/∂a = c = 7``) is the hover text."""
    popped = state.popped
    if state.algorithm == FORWARD:
        states = ({} if popped is None
                  else tangent_edge_states(popped.node, graph[popped.node].inputs))
    else:
        states = edge_states(popped.route if popped is not None else (),
                             popped.node if popped is not None else graph.output,
                             (e.node for e in state.pushed))
    views = []
    for node in graph.nodes:
        seen: dict[str, int] = {}
        for i, (child, local, local_formula) in enumerate(
                zip(node.inputs, node.local_derivatives, node.formulas, strict=True)):
            repeat = seen.get(child, 0)
            seen[child] = repeat + 1
            status = states.get((node.key, child), "plain")
            # an array op's local derivative is a rule (g @ Wᵀ): show it with the graph's keys
            local_text = local_formula if getattr(local, "is_vjp", False) else fmt(local)
            title = f"∂{node.key}/∂{child} = {local_formula}"
            if local_formula != local_text:
                title += f" = {fmt(local)}"
            view = {
                "id": edge_id(node.key, child, i),
                "from": node.key,
                "to": child,
                "label": local_text,
                "title": title,
                **EDGE_LOOKS[status],
                "state": status,
            }
            if repeat:  # x*x: the second edge curves away, so both are visible
                view["smooth"] = {"enabled": True, "type": "curvedCW",
                                  "roundness": REPEAT_ROUNDNESS * repeat}
            views.append(view)
    return views


def vis_options() -> dict:
    """vis-network options: physics off (positions come from ``layout``), no keyboard
    capture (Left/Right belong to the stepper), no node dragging (the layout never moves),
    nothing selectable (a step's styles are the only highlight). What every node or edge
    shares lives here, so the per-step data stays small."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "hierarchical": {"enabled": False}},
        "interaction": {"hover": False, "dragNodes": False, "dragView": True, "zoomView": True,
                        "keyboard": {"enabled": False}, "tooltipDelay": 150,
                        "navigationButtons": False, "selectable": False},
        "nodes": {"font": {"size": FONT_SIZE, "face": FONT_FACE, "color": INK},
                  "margin": NODE_MARGIN, "labelHighlightBold": False},
        # strikethrough: vis then puts a label at the middle between the two node centres
        # (without it, between the centre and the arrow's base, which moves with box sizes)
        "edges": {"color": {"inherit": False}, "arrowStrikethrough": True,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.7}},
                  # straight: the label sits at the middle, where ``layout`` left room
                  "smooth": {"enabled": False},
                  "font": {"size": EDGE_FONT_SIZE, "face": FONT_FACE, "color": INK,
                           "background": "#ffffff", "strokeWidth": 0, "align": "horizontal"}},
    }


# ---- panels ----

def stack_rows(state, limit: int = 40) -> tuple[list[dict], int]:
    """The stack, top first: (rows, how many more entries were left off)."""
    stack = state.stack
    rows = [{"#": i + 1, "node": e.node, "value": fmt(e.value), "route": e.short_route_text}
            for i, e in enumerate(stack[:limit])]
    return rows, max(0, len(stack) - limit)


def numeric_keys(graph: Graph, *, all_nodes_up_to: int, budget: int) -> list[str]:
    """The nodes that get a central-difference estimate: the inputs, and on a small graph
    (``all_nodes_up_to`` nodes or fewer) every inner node too, in build order; at most as
    many as ``budget`` node rebuilds pay for (each estimate re-evaluates the graph twice)."""
    keys = [n.key for n in graph.nodes if n.op == "var"]
    if len(graph.nodes) <= all_nodes_up_to:
        keys += [n.key for n in graph.nodes
                 if n.op not in ("var", "const") and n.key != graph.output]
    return keys[:budget // (2 * max(len(graph.nodes), 1))]


def shape_key(graph: Graph) -> str:
    """The same string for graphs of the same shape (nodes, names, ops and their symbols,
    inputs, constants, output), whatever the input values or the text's spacing and
    comments: everything the layout reads."""
    shape = "|".join(f"{n.key}:{n.name}:{n.op}:{n.symbol}:{','.join(n.inputs)}"
                     + (f"={n.value!r}" if n.op == "const" else "") for n in graph.nodes)
    return hashlib.sha1(f"{graph.output}#{shape}".encode()).hexdigest()


def gradient_rows(graph: Graph, state, final: Mapping[str, float],
                  numeric: Mapping[str, float]) -> list[dict]:
    """Inputs first, then the other nodes: running gradient, engine, central difference,
    and whether they agree. Where they do not and a route to the node passes a kink (relu
    or abs at 0), the row says ``✗ kink`` and lists them (``kinks``): ``kink_notes`` says
    which, and why, under the table (the column stays as narrow as ``✗ no``)."""
    nodes = [n for n in graph.nodes if n.op == "var"]
    nodes += [n for n in graph.nodes if n.op not in ("var", "const") and n.key != graph.output]
    at_kinks = kinks(graph)
    rows = []
    for node in nodes:
        key = node.key
        running = state.gradients.get(key, 0)
        engine = final.get(key, 0)
        estimate = numeric.get(key)
        done = key in state.complete
        agrees = estimate is not None and agree(engine, estimate)
        kinked = [] if estimate is None or agrees else kinks_above(graph, key, at_kinks)
        rows.append({
            "node": key,
            "running": fmt(running) + (" ✓" if done else ""),
            "engine": fmt(engine),
            "central difference": "—" if estimate is None else fmt(estimate),
            "agree": ("—" if estimate is None else "✓ yes" if agrees
                      else KINK if kinked else "✗ no"),
            "kinks": kinked,
        })
    return rows


def forward_gradient_rows(graph: Graph, results: Mapping[str, float], done: Mapping[str, int],
                          final: Mapping[str, float],
                          numeric: Mapping[str, float]) -> list[dict]:
    """Forward mode's check, one row per input (``done``: the step its pass ends at): the
    output's tangent at that step (``results``; none for a pass past a cut trace's end),
    the reverse gradient (the engine's backward pass) and the central difference, and
    whether they agree."""
    rows = []
    for key, step in done.items():
        tangent, reverse, estimate = results.get(key), final.get(key, 0), numeric.get(key)
        agrees = (tangent is not None and agree(tangent, reverse)
                  and (estimate is None or agree(tangent, estimate)))
        rows.append({"node": key, "forward": "—" if tangent is None else fmt(tangent),
                     "done": step,
                     "engine": fmt(reverse),
                     "central difference": "—" if estimate is None else fmt(estimate),
                     "agree": "—" if tangent is None else "✓ yes" if agrees else "✗ no",
                     "kinks": []})
    return rows


KINK = "✗ kink"  # a row that disagrees because a route to its node passes a kink


def kink_notes(graph: Graph, rows: list[dict]) -> list[str]:
    """What a ``✗ kink`` row means, under the table: one sentence per kink the rows pass
    (which rows, which node, that its op has no derivative there and the value the engine
    uses), then why a central difference cannot agree there."""
    at_kinks = kinks(graph)
    passing: dict[str, list[str]] = {}
    for row in rows:
        for key in row["kinks"]:
            passing.setdefault(key, []).append(row["node"])
    notes = [f"{KINK} ({', '.join(nodes)}): {describe(graph, key)} is at a kink: "
             f"{at_kinks[key]}." for key, nodes in passing.items()]
    if notes:
        notes.append("A central difference averages the slopes on either side of a kink, "
                     "so it differs from the engine's choice there.")
    return notes

