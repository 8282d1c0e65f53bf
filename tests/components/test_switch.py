"""Switching algorithm lands on the matching moment (components/switch.py)."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import FORWARD, ROUTE_STACK, TOPOLOGICAL, make_trace
from components.presets import POST_1, POST_3, PRESETS, SHARED
from components.switch import matching_step


def traces(text: str):
    graph = compile_program(text).graph
    return make_trace(graph, ROUTE_STACK), make_trace(graph, TOPOLOGICAL)


@pytest.mark.parametrize("label", list(PRESETS))
def test_the_start_and_the_end_stay_where_they_are(label):
    route, topo = traces(PRESETS[label])
    for source, target in ((route, topo), (topo, route)):
        assert matching_step(source, 0, target) == 0
        assert matching_step(source, source.last_index, target) == target.last_index


@pytest.mark.parametrize("text", [POST_1, POST_3, SHARED])
def test_in_between_the_first_step_where_the_same_gradients_are_final(text):
    route, topo = traces(text)
    for source, target in ((route, topo), (topo, route)):
        complete = [target.state(j).complete for j in range(target.last_index + 1)]
        for k in range(1, source.last_index):
            final = source.state(k).complete
            first = next(j for j, done in enumerate(complete) if final <= done)
            # only the start maps to the start and only the end to the end
            assert matching_step(source, k, target) == max(1, min(first, target.last_index - 1))


def test_the_first_example_both_ways():
    route, topo = traces(POST_1)
    # route stack: 0 start, 1 pop c, 2 pop b, 3 pop a via c, 4 pop a (done)
    assert [matching_step(route, k, topo) for k in range(5)] == [0, 1, 1, 1, 3]
    # topological: 0 start, 1 visit c (c final), 2 visit a, 3 visit b
    assert [matching_step(topo, k, route) for k in range(4)] == [0, 3, 3, 4]


def test_steps_past_the_end_map_to_the_end():
    route, topo = traces(POST_1)
    assert matching_step(route, 99, topo) == topo.last_index


def test_the_readmes_example():
    route, topo = traces(POST_3)
    assert matching_step(route, 20, topo) == 5


def test_to_and_from_forward_mode_as_far_through_the_walk():
    # forward mode's tangents are not gradients: no moment in common, so the same fraction
    graph = compile_program(POST_3).graph
    route, forward = make_trace(graph, ROUTE_STACK), make_trace(graph, FORWARD)
    assert (route.last_index, forward.last_index) == (29, 36)
    assert [matching_step(route, k, forward) for k in (0, 1, 11, 28, 29)] == [0, 1, 14, 35, 36]
    assert [matching_step(forward, k, route) for k in (0, 12, 35, 36)] == [0, 10, 28, 29]
