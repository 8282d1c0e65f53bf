"""Graphs with astronomically many routes: lazy steps, an exact count, a plain limit."""

from __future__ import annotations

from autodiff import Add, Mul, Var
from autodiff.core.graph import snapshot
from autodiff.trace import MAX_ROUTE_STEPS, TOPOLOGICAL, make_trace


def doubling_chain(lines: int):
    x = Var(0.001, name="x")
    y = x
    for _ in range(lines):
        y = Add(Mul(y, y), y, name="y")
    return snapshot(y)


def test_first_step_of_a_graph_with_more_than_2_to_the_1000_routes():
    trace = make_trace(doubling_chain(1000))
    assert trace.total_steps > 2**1000
    assert not trace.steppable and trace.last_index == MAX_ROUTE_STEPS
    first = trace.state(1)
    assert first.popped.route == ("y_999", "y_998")  # the add's second input, pushed last
    assert trace.tables.steps == 2  # only what was asked for has been made
    assert f"{trace.total_steps:,}" in trace.limit_message
    assert "topological" in trace.limit_message
    assert make_trace(trace.graph, TOPOLOGICAL).total_steps == 2000


def test_small_limit_cuts_the_steps_but_not_the_count():
    trace = make_trace(doubling_chain(5), max_steps=10)
    # each line triples the routes to the line below: y's get 3+9+27+81+243, the muls
    # (one route per route of their add) 1+3+9+27+81
    assert trace.total_steps == 363 + 121 and trace.last_index == 10
    assert len(list(trace.states())) == 11


def test_jumping_around_matches_walking_forward():
    graph = doubling_chain(7)
    walked = [(s.popped_key, s.gradient_after) for s in make_trace(graph).states()]
    jumper = make_trace(graph)
    for k in (len(walked) - 1, 3, 900, 0, 1500, 2):
        state = jumper.state(k)
        assert (state.popped_key, state.gradient_after) == walked[k]


def test_threads_stepping_one_shared_trace_see_the_same_steps():
    # The app caches one trace per program for every session: two sessions may step it
    # at the same time, and each must see the pops a lone walker sees.
    import sys
    import threading

    graph = doubling_chain(8)
    alone = [(s.popped_key, s.gradient_after) for s in make_trace(graph).states()]
    shared = make_trace(graph)
    seen: dict[int, list] = {}

    def walk(name: int) -> None:
        seen[name] = [(s.popped_key, s.gradient_after) for s in shared.states()]

    threads = [threading.Thread(target=walk, args=(i,)) for i in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke a race
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert all(steps == alone for steps in seen.values())
