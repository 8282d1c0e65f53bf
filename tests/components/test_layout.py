"""The layered drawing is clean: no edge through a node box, no two edge labels on each other.

The checker (``components.geometry``) is tested first on hand-made cases, so a clean result
means something. ``model_drawing`` turns the layout into boxes, edge polylines and label boxes
the way vis-network draws them; a browser test runs the same check on what vis drew with
``drawing.page_problems(page)`` (it reads ``window.adNetwork`` through read_drawing.js).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autodiff.program import ProgramError, compile_program
from components import drawing, layered
from components import geometry as geo
from components import view_model as vm
from components.presets import PRESETS

# ---- the checker itself ----

BOX = (0, 0, 100, 50)


@pytest.mark.parametrize(("p", "q"), [
    ((-10, 25), (110, 25)),  # straight across
    ((50, -10), (50, 60)),  # straight down
    ((-10, -10), (110, 60)),  # corner to corner
    ((50, 25), (300, 300)),  # starts inside
    ((10, 10), (20, 20)),  # wholly inside
])
def test_a_segment_through_a_box_is_caught(p, q):
    assert geo.segment_hits_rect(p, q, BOX)
    assert geo.segment_hits_rect(q, p, BOX)


@pytest.mark.parametrize(("p", "q"), [
    ((-10, -10), (-10, 60)),  # beside it
    ((-10, 60), (110, 60)),  # below it
    ((0, -10), (0, 60)),  # along its left side: touching is not crossing
    ((-50, 0), (50, -100)),  # near a corner, outside
    ((120, 25), (300, 25)),  # on its line, beyond it
])
def test_a_segment_beside_a_box_is_not(p, q):
    assert not geo.segment_hits_rect(p, q, BOX)


def test_a_curve_is_checked_along_its_length():
    # both ends are left of the box, the bulge goes through it
    curve = geo.bezier_points((-20, -50), (250, 25), (-20, 100))
    assert geo.polyline_hits_rect(curve, BOX)
    assert not geo.segment_hits_rect((-20, -50), (-20, 100), BOX)


def test_overlapping_labels_are_caught_and_touching_ones_are_not():
    labels = {"a": (0, 0, 50, 20), "b": (40, 10, 90, 30), "c": (90, 0, 140, 20),
              "d": (200, 0, 250, 20), "e": (210, 20, 260, 40)}
    assert geo.overlapping_labels(labels) == [("a", "b")]
    assert geo.problems({}, [], labels) == ["labels of a and b overlap"]


def test_a_label_under_a_node_box_is_caught():
    boxes = {"u": (0, 0, 100, 50)}
    labels = {"e1": (90, 40, 130, 60), "e2": (0, 50, 40, 70)}  # e2 only touches the box
    assert geo.labels_under_boxes(boxes, labels) == [("e1", "u")]
    assert geo.problems(boxes, [], labels) == ["the label of e1 is under the box of u"]


def test_an_edge_is_not_blamed_for_its_own_ends():
    boxes = {"u": (0, 0, 100, 50), "v": (0, 200, 100, 250), "w": (0, 100, 100, 150)}
    found = geo.edges_through_boxes(boxes, [("u", "v", [(50, 25), (50, 225)])])
    assert found == [("u", "v", "w")]


# ---- the drawing the layout makes, as vis draws it ----

model_drawing = drawing.model


def drawing_problems(text: str) -> list[str]:
    graph = compile_program(text).graph
    return geo.problems(*model_drawing(graph, vm.layout(graph)))


BAD_BEFORE = "x = 2\nu = x*x\nv = u + x\ny = u*v + sin(u)"


@pytest.mark.parametrize("label", list(PRESETS))
def test_every_preset_is_drawn_clean(label):
    assert drawing_problems(PRESETS[label]) == []


#: the graph's box in presenter view at 1280×720, less the page's 16 px margins, in px
PRESENTER_STAGE = (860, 658)  # 892 × 690 less 16 px on each side


@pytest.mark.parametrize("label", list(PRESETS))
def test_every_preset_fills_the_presenter_stage_at_a_readable_size(label):
    # the drawing at the size its boxes are budgeted (the browser draws them a little
    # narrower: tests/browser/test_graph_room.py measures the real 14 px); the post's second
    # example came out at 10.1 px here when it was laid out for few crossings only
    graph = compile_program(PRESETS[label]).graph
    at = vm.layout(graph)
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    half = {k: vm.box_width(graph[k], consts) / 2 for k in at}
    width = (max(x + half[k] for k, (x, _) in at.items())
             - min(x - half[k] for k, (x, _) in at.items()))
    height = max(y for _, y in at.values()) + vm.INPUT_HEIGHT
    zoom = min(PRESENTER_STAGE[0] / width, PRESENTER_STAGE[1] / height)
    assert zoom * min(vm.FONT_SIZE, vm.EDGE_FONT_SIZE) >= 13


CHAIN = "x = 0.5\nh1 = sin(x)\nh2 = tanh(h1)\nh3 = exp(h2)\nh4 = log(h3)\nh5 = sin(h4)"


@pytest.mark.parametrize("side", [1, -1])
def test_a_tight_chain_zig_zags_with_its_labels_beside_the_boxes_and_is_clean(side):
    graph = compile_program(CHAIN).graph
    depth = vm.depths(graph)
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    nodes = [(n.key, n.inputs) for n in graph.nodes]
    labels = [vm.edge_label_width(graph[key], i) + vm.LABEL_MARGIN
              for key, inputs in nodes for i in range(len(inputs))]
    xs, ys = layered.place(nodes, depth, {k: vm.box_width(graph[k], consts) for k, _ in nodes},
                           vm.SIZES, vm.TIGHT_GAP, label_widths=labels, tight=side,
                           heights_of={k: vm.node_height(graph[k]) for k, _ in nodes})
    at = {k: (x, ys[depth[k]]) for k, x in xs.items()}
    assert geo.problems(*model_drawing(graph, at)) == []
    # each band only as tall as its boxes and a little air: no room for a label between them
    assert ys[1] - ys[0] == vm.TIGHT_GAP < vm.NODE_HEIGHT + vm.EDGE_FONT_SIZE
    chain = ["h5", "h4", "h3", "h2", "h1", "x"]
    steps = [xs[b] - xs[a] for a, b in zip(chain, chain[1:], strict=False)]
    assert [step > 0 for step in steps] == [side > 0, side < 0] * 2 + [side > 0]  # zig-zag


@pytest.mark.parametrize("text", [
    BAD_BEFORE,
    "x = 3\ny = x*x",
    "a = 2\nb = 3\nf = a*b + b\ny = log(f*f)*a",
    "x = 0.5\nu = x*x\nv = sin(x)*u\ny = v*v + u",
])
def test_squares_are_clean(text):
    assert drawing_problems(text) == []


def test_the_checker_sees_the_old_problems_in_a_crowded_drawing():
    # the same graph squeezed into one column: edges run through boxes, labels pile up
    graph = compile_program(BAD_BEFORE).graph
    squeezed = {k: (0, y) for k, (_, y) in vm.layout(graph).items()}
    found = geo.problems(*model_drawing(graph, squeezed))
    assert any("runs through the box" in p for p in found)
    assert any("overlap" in p for p in found)


# ---- random programs up to 40 nodes ----

UNARY = ["sin", "cos", "tanh", "exp", "sigmoid"]


@st.composite
def programs(draw):
    """Straight-line programs: a few inputs, then lines combining earlier names."""
    names = [f"x{i}" for i in range(draw(st.integers(1, 4)))]
    lines = [f"{n} = {draw(st.integers(1, 9)) / 4}" for n in names]
    for i in range(draw(st.integers(1, 14))):
        a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        shape = draw(st.integers(0, 4))
        if shape == 0:
            expr = f"{a} * {b}"
        elif shape == 1:
            expr = f"{a} + {b}"
        elif shape == 2:
            expr = f"{draw(st.sampled_from(UNARY))}({a})"
        elif shape == 3:
            expr = f"{a} * {b} + {a}"
        else:
            expr = f"{a} * 0.5 + {b}"
        lines.append(f"h{i} = {expr}")
        names.append(f"h{i}")
    lines.append(f"y = {' + '.join(names[-2:])}")
    return "\n".join(lines)


def squares(graph) -> bool:
    """Does a line square a node (``x*x``)? Not covered by the random programs yet: the
    square's curved edge needs a label band beside the straight one's, and next to other
    edges into the same input the linear program can find no room (it then falls back to
    the simple layout). The presets' squares and the issue's case are checked above."""
    return any(len(set(n.inputs)) < len(n.inputs) for n in graph.nodes)


def built(text: str, values=None):
    """The program's graph; a random program whose numbers leave an op's domain (exp of a
    product of products overflows) has no graph to lay out, so hypothesis skips it."""
    try:
        return compile_program(text, values).graph
    except ProgramError:
        assume(False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_programs_are_drawn_clean(text):
    graph = built(text)
    assume(len(graph.nodes) <= 40 and not squares(graph))
    assert geo.problems(*model_drawing(graph, vm.layout(graph))) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_layout_is_deterministic_and_ignores_values(text):
    graph = built(text)
    names = [n.key for n in graph.nodes if n.op == "var"]
    other = built(text, {k: 1.375 for k in names})
    assert vm.layout(graph) == vm.layout(graph) == vm.layout(other)


def test_the_simple_layout_keeps_long_edges_off_boxes_within_its_slot_budget():
    # inputs sit in the bottom layer, so every line reading `a` sends an edge down past the
    # others; within the budget each skipped layer holds a slot for it, beyond it none
    text = "x0 = 0.5\n" + "\n".join(f"x{i} = sin(x{i - 1}) * a" for i in range(1, 6))
    graph = compile_program(text, {"a": 0.5}).graph
    depth = vm.depths(graph)
    nodes = [(n.key, n.inputs) for n in graph.nodes if n.key in depth]
    widths = {k: vm.box_width(graph[k], {}) for k, _ in nodes}
    need = layered.slots_needed(nodes, depth)
    assert need > 0
    roomy = layered.simple(nodes, depth, widths, vm.SLOT_GAP, vm.PLACEHOLDER_WIDTH, need)
    bare = layered.simple(nodes, depth, widths, vm.SLOT_GAP, vm.PLACEHOLDER_WIDTH, need - 1)
    assert set(roomy) == set(bare) == {n.key for n in graph.nodes}
    # a layer holding one node and a slot puts the node off-centre; without slots, centred
    alone = [k for k in depth if sum(1 for j in depth if depth[j] == depth[k]) == 1]
    assert alone and all(bare[k] == 0 for k in alone)
    assert any(roomy[k] != 0 for k in alone)


def test_the_largest_program_is_laid_out_without_slots():
    lines = ["x0 = 0.5"] + [f"x{i} = sin(x{i - 1}) * a + cos(x{i - 1}) * b"
                            for i in range(1, 499)]
    graph = compile_program("\n".join(lines), {"a": 0.5, "b": 0.3}).graph
    depth = vm.depths(graph)
    nodes = [(n.key, n.inputs) for n in graph.nodes if n.key in depth]
    assert layered.slots_needed(nodes, depth) > layered.MAX_SLOTS  # ~250,000 asked for
    assert set(vm.layout(graph)) == {n.key for n in graph.nodes}
