"""The one step format: a trace writes what it does once, as tables (``Tables``: cells and
steps, ``Cell`` and ``Step`` rows), and everything else reads them: ``State``'s entries, the
exports and the page's replay (tests/components/test_replay.py)."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, Cell, Step, make_trace
from components.presets import POST_1, PRESETS


def test_the_route_stack_of_the_posts_first_example_as_its_tables():
    trace = make_trace(compile_program(POST_1).graph, ROUTE_STACK)  # d = a × c, c = a + b
    trace.make(trace.last_index)
    a, b, c, d = (trace.index[k] for k in "abcd")
    tables = trace.tables
    # cell 0 is the output; step 0 pushes d's pairs, (a, 7) then (c, 4): c on top
    assert tables.cell(0) == Cell(node=d, parent=-1, below=-1, value=1, factor=None)
    assert tables.cell(1) == Cell(node=a, parent=0, below=-1, value=7, factor=7)
    assert tables.cell(2) == Cell(node=c, parent=0, below=1, value=4, factor=4)
    assert tables.step(0) == Step(pop=-1, pushed=range(1, 3), head=2, depth=2, lines=range(0, 0))
    # step 1 pops c (its route d→c) and pushes a and b along d→c→a, d→c→b: b on top
    assert tables.step(1) == Step(pop=2, pushed=range(3, 5), head=4, depth=3, lines=range(0, 1))
    assert tables.cell(3) == Cell(node=a, parent=2, below=1, value=4, factor=1)
    assert tables.cell(4) == Cell(node=b, parent=2, below=3, value=4, factor=1)
    # every later step pops the top and pushes nothing (a and b are inputs)
    assert [tables.step(k).pop for k in range(2, 5)] == [4, 3, 1]
    assert [tables.step(k).depth for k in range(5)] == [2, 3, 2, 1, 0]
    assert tables.stack(1) == [4, 3, 1]
    # one ledger line per pop: a's two routes, 4 then 7, add up to 11
    assert [(tables.line_cell[i], tables.line_total[i]) for i in tables.node_lines[a]] == \
        [(3, 4), (1, 11)]


def test_the_topological_sweep_as_its_tables():
    trace = make_trace(compile_program(POST_1).graph, TOPOLOGICAL)
    a, b, c, d = (trace.index[k] for k in "abcd")
    tables = trace.tables
    # step 0: the output passes 7 to a and 4 to c, each a ledger line; no stack
    assert tables.step(0) == Step(pop=-1, pushed=range(1, 3), head=-1, depth=0, lines=range(0, 2))
    assert [tables.cell(i) for i in (1, 2)] == [Cell(a, 0, -1, 7, 7), Cell(c, 0, -1, 4, 4)]
    # step 1 visits c (a cell with no parent: its final gradient) and passes 4 to a and b
    visit = tables.step(1).pop
    assert tables.cell(visit) == Cell(node=c, parent=-1, below=-1, value=4, factor=None)
    assert [tables.cell(i) for i in tables.step(1).pushed] == [Cell(a, visit, -1, 4, 1),
                                                                Cell(b, visit, -1, 4, 1)]
    assert [tables.line_total[i] for i in tables.step(1).lines] == [11, 4]


@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
@pytest.mark.parametrize("label", list(PRESETS))
def test_every_state_is_read_from_the_tables(label, algorithm):
    trace = make_trace(compile_program(PRESETS[label]).graph, algorithm, max_steps=2_000)
    tables = trace.tables
    for state in trace.states():
        step = tables.step(state.index)
        assert (state.popped is None) == (step.pop < 0)
        if state.popped is not None:
            assert state.popped == trace.entry(step.pop)
        assert state.pushed == tuple(trace.entry(c) for c in step.pushed)
        assert len(state.stack) == step.depth
        added: dict[str, list[int]] = {}  # what the step adds ends its nodes' ledgers
        for line in step.lines:
            added.setdefault(trace.keys[tables.cell_node[tables.line_cell[line]]], []).append(line)
        for key, lines in added.items():
            assert state.ledgers[key][-len(lines):] == tuple(
                trace.entry(tables.line_cell[line]) for line in lines)
            assert state.gradients[key] == tables.line_total[lines[-1]]
