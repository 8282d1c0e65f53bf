"""The replay payload: what the page steps through agrees with autodiff.trace at every step
(popped entry, routes, stack, ledger lines, gradients), windows cover every step once, and
the payload stays small."""

from __future__ import annotations

import json

import pytest

from autodiff.core.numbers import signed_term
from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, fmt, make_trace
from components import replay
from components import view_model as vm
from components.presets import POST_1, POST_2, POST_3, PRESETS, SHARED

LIMIT = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 12)  # 3**12 routes


class Store:
    """The page's store, in Python: every window appended in order."""

    def __init__(self, rep: replay.Replay):
        self.keys = [n.key for n in rep.trace.graph.nodes]
        self.cells = {"node": [], "parent": [], "below": [], "value": [], "route": []}
        self.steps = {"pop": [], "head": [], "push": [], "pushn": [], "depth": [], "say": []}
        self.lines = {k: [] for k in self.keys}  # key -> [(step, cell, total, number)]
        self.marks = {k: [] for k in self.keys}  # key -> [(step, mark name, entries on the stack)]
        names = list(vm.MARKS)
        for i in range(len(rep.bounds)):
            w = rep.window(i)
            assert w["first_cell"] == len(self.cells["node"])
            assert w["start"] == len(self.steps["pop"])
            for name in self.cells:
                self.cells[name] += w["cells"][name]
            for name in self.steps:
                self.steps[name] += w["steps"][name]
            ln = w["lines"]
            for step, node, cell, total, number in zip(ln["step"], ln["node"], ln["cell"],
                                                       ln["total"], ln["number"], strict=True):
                self.lines[self.keys[node]].append((step, cell, total, number))
            m = w["marks"]
            for step, node, mark, n in zip(m["step"], m["node"], m["mark"], m["n"], strict=True):
                self.marks[self.keys[node]].append((step, names[mark], n))

    def route(self, cell: int) -> tuple[str, ...]:
        nodes = []
        while cell >= 0:
            nodes.append(self.keys[self.cells["node"][cell]])
            cell = self.cells["parent"][cell]
        return tuple(reversed(nodes))

    def stack(self, k: int) -> list[tuple[str, tuple, str]]:
        out, cell = [], self.steps["head"][k]
        while cell >= 0:
            out.append((self.keys[self.cells["node"][cell]], self.route(cell),
                        self.cells["value"][cell]))
            cell = self.cells["below"][cell]
        return out

    def ledger(self, key: str, k: int) -> list:
        return [line for line in self.lines[key] if line[0] <= k]

    def mark(self, key: str, k: int) -> tuple[str, int]:
        """The node's mark and its entries on the stack at step k: its last at or before k."""
        _, name, n = [m for m in self.marks[key] if m[0] <= k][-1]
        return name, n


def check_every_step(text: str, algorithm: str, max_steps: int = 20_000) -> None:
    trace = make_trace(compile_program(text).graph, algorithm, max_steps=max_steps)
    store = Store(replay.Replay(trace))
    assert len(store.steps["pop"]) == trace.last_index + 1
    for state in trace.states():
        k = state.index
        pop = store.steps["pop"][k]
        if state.popped is None:
            assert pop == -1
        else:
            assert store.route(pop) == state.popped.route
            assert store.cells["value"][pop] == fmt(state.popped.value)
            assert store.cells["route"][pop] == state.popped.short_route_text
        assert store.steps["say"][k] == state.narration
        assert store.steps["depth"][k] == len(state.stack)
        if k % 7 == 0 or trace.last_index <= 60:
            assert store.stack(k) == [(e.node, e.route, fmt(e.value)) for e in state.stack]
        first, count = store.steps["push"][k], store.steps["pushn"][k]
        assert [store.route(c) for c in range(first, first + count)] == \
            [e.route for e in state.pushed]
        if trace.last_index > 60 and k % 97 and k != trace.last_index:
            continue  # a long trace: the ledgers at a sample of steps
        for key in store.keys:
            lines = store.ledger(key, k)
            assert [store.route(c) for _, c, _, _ in lines] == \
                [e.route for e in state.ledgers[key]]
            # each line's number as the node's line writes it: the first as it is, then terms
            assert [number for *_, number in lines] == \
                [fmt(e.value) if j == 0 else signed_term(e.value)
                 for j, e in enumerate(state.ledgers[key])]
            if key != trace.graph.output:
                assert (lines[-1][2] if lines else "0") == fmt(state.gradients[key])
            # what the node shows, as the view model draws it from the trace's own state
            on_stack = state.stack_counts.get(key, 0)
            assert store.mark(key, k) == (vm.node_mark(
                state.popped_key == key, on_stack, key in state.complete,
                state.ledger_sizes[key] > 0), on_stack)


@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
@pytest.mark.parametrize("label", list(PRESETS))
def test_the_replay_agrees_with_the_trace_at_every_step(label, algorithm):
    check_every_step(PRESETS[label], algorithm)


def test_the_replay_agrees_across_windows():
    check_every_step(LIMIT, ROUTE_STACK, max_steps=replay.FIRST_WINDOW + replay.WINDOW + 50)


def test_windows_cover_every_step_once():
    for last in (0, 4, replay.FIRST_WINDOW - 1, replay.FIRST_WINDOW, 20_000):
        bounds = replay.window_bounds(last)
        assert bounds[0][0] == 0 and bounds[-1][1] == last + 1
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
        assert bounds[0][1] - bounds[0][0] <= replay.FIRST_WINDOW


def payload(text: str, algorithm: str = ROUTE_STACK) -> dict:
    from components.graph_view import to_vis

    graph = compile_program(text).graph
    trace = make_trace(graph, algorithm, max_steps=20_000)
    positions = vm.layout(graph)
    base = replay.base_payload("id", trace, positions, {}, {ROUTE_STACK: 1, TOPOLOGICAL: 1},
                               to_vis(graph, trace.state(0), positions))
    return base


def test_the_base_carries_one_look_per_state_and_the_view_models_templates():
    base = payload(POST_1)
    assert base["marks"] == [m._asdict() for m in vm.MARKS.values()]
    assert base["edge_looks"] == vm.EDGE_LOOKS
    graph = compile_program(POST_1).graph
    for i, node in enumerate(graph.nodes):
        for status, look in base["node_looks"][i].items():
            assert base["looks"][look] == vm.node_look(node, graph.output, status)
    assert base["ledger"] == [0, 1, 2]  # a, b, c: not the output


@pytest.mark.parametrize("text", [POST_1, POST_2, POST_3, SHARED])
def test_a_small_trace_fits_in_its_first_window(text):
    trace = make_trace(compile_program(text).graph, ROUTE_STACK)
    assert payload(text)["windows"] == [[0, trace.last_index + 1]]


def test_the_payload_of_a_20000_step_trace_comes_in_windows_of_bounded_size():
    trace = make_trace(compile_program(LIMIT).graph, ROUTE_STACK, max_steps=20_000)
    rep = replay.Replay(trace)
    sizes = [len(json.dumps(rep.window(i), separators=(",", ":")))
             for i in range(len(rep.bounds))]
    assert len(sizes) == 11
    assert sizes[0] < 200_000  # what comes with the page
    assert max(sizes) < 2_000_000


@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
@pytest.mark.parametrize("label", list(PRESETS))
def test_each_edge_shows_the_view_models_state_at_every_step(label, algorithm):
    # the page draws each edge's last state sent at or before the step, plain if none
    graph = compile_program(PRESETS[label]).graph
    trace = make_trace(graph, algorithm, max_steps=20_000)
    rep = replay.Replay(trace)
    changes: list[list[tuple[int, str]]] = [[] for _ in vm.edge_ends(graph)]
    states = list(replay.EDGE_CODES)
    for i in range(len(rep.bounds)):
        e = rep.window(i)["edges"]
        for step, edge, code in zip(e["step"], e["edge"], e["state"], strict=True):
            changes[edge].append((step, states[code]))
    for state in trace.states():
        drawn = [([s for k, s in sent if k <= state.index] or ["plain"])[-1] for sent in changes]
        assert drawn == [e["state"] for e in vm.edge_views(graph, state)], state.index


@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
def test_the_replay_sends_the_traces_own_tables(algorithm):
    # one format from engine to page: the windows are the trace's tables, cut and written
    trace = make_trace(compile_program(LIMIT).graph, algorithm,
                       max_steps=replay.FIRST_WINDOW + replay.WINDOW + 50)
    rep = replay.Replay(trace)
    windows = [rep.window(i) for i in range(len(rep.bounds))]
    tables = trace.tables
    joined = lambda part, name: [x for w in windows for x in w[part][name]]  # noqa: E731
    assert joined("cells", "node") == list(tables.cell_node)[:len(joined("cells", "node"))]
    assert joined("cells", "parent") == list(tables.cell_parent)[:len(joined("cells", "parent"))]
    assert joined("cells", "below") == list(tables.cell_below)[:len(joined("cells", "below"))]
    values = tables.cell_value[:len(joined("cells", "value"))]
    assert joined("cells", "value") == [fmt(v) for v in values]
    assert joined("steps", "pop") == list(tables.step_pop)[:trace.last_index + 1]
    assert joined("steps", "head") == list(tables.step_head)[:trace.last_index + 1]
    assert joined("steps", "depth") == list(tables.step_depth)[:trace.last_index + 1]
    assert joined("lines", "cell") == list(tables.line_cell)[:len(joined("lines", "cell"))]


def test_questions_and_equations_come_with_a_walk_a_class_works_through():
    small = replay.Replay(make_trace(compile_program(PRESETS[list(PRESETS)[0]]).graph))
    assert small.window(0)["quiz"]["step"] == [1, 2, 3, 4]
    assert small.window(0)["chain"]["step"] == [1, 2, 3, 4]
    big = make_trace(compile_program(LIMIT).graph, ROUTE_STACK, max_steps=20_000)
    assert not replay.teaching(big)  # 20,000 pops: no one predicts them by hand
    assert replay.Replay(big).window(0)["quiz"]["step"] == []
