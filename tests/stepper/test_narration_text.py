"""The narration writes numbers, sums, routes and constants as the rest of the page does
(issue 18, items 5, 9 and 13): one precision (``numbers.DISPLAY``), a negative term as
``a - b``, a long route cut to its ends, a constant by its key."""

from __future__ import annotations

import re

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components.presets import POST_2, PRESETS

DIGITS = 4  # numbers.DISPLAY: significant digits of every number the page shows
KEEP = 8  # trace.ROUTE_KEEP: a long route is written with 8 nodes, y→…→(six more)→a

#: a 30-line chain: the route from y down to x has 32 nodes
CHAIN = "\n".join(["x = 0.5", *["x = sin(x) + 0.1"] * 30, "y = x"])


def trace_of(text: str, algorithm: str = ROUTE_STACK):
    return make_trace(compile_program(text).graph, algorithm)


@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
@pytest.mark.parametrize("label", list(PRESETS))
def test_no_sentence_adds_a_negative_number(label, algorithm):
    for state in trace_of(PRESETS[label], algorithm).states():
        assert "+ -" not in state.narration, state.narration


def test_the_posts_second_example_subtracts_a_negative_route():
    # step 9 adds the route worth -44024.9 into a's gradient, -58888.4 so far
    say = trace_of(POST_2).state(9).narration
    assert "a's gradient becomes -5.889e+4 - 4.402e+4 = -1.029e+5." in say


def test_every_number_in_a_sentence_is_written_at_the_pages_one_precision():
    trace = trace_of(POST_2)
    state = trace.state(1)  # Pop (add4, -58888.4)
    assert state.narration.startswith("Pop (add4, -5.889e+4): add4's gradient becomes -5.889e+4.")
    for state in trace.states():  # no number with more than 4 significant digits
        for number in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]\d+)?", state.narration):
            digits = re.sub(r"e.*|\D", "", number).lstrip("0")
            assert len(digits) <= DIGITS, (number, state.narration)


def test_a_long_route_is_cut_in_the_narration_as_in_the_ledger():
    trace = trace_of(CHAIN)
    state = trace.state(trace.last_index)
    route = state.popped.route
    assert len(route) > 30  # y, the 30 rebindings of x and their adds ... down to x
    cut = f"{route[0]}→…→{'→'.join(route[-(KEEP - 2):])}"
    assert f" along {cut}: " in state.narration
    assert state.narration.count("→") == KEEP - 1


def test_a_constant_is_named_by_its_key_in_every_sentence():
    trace = trace_of("x = 3\ny = 2*x + 1*x")  # const1 is 2, const2 is 1
    said = {s.popped.node: s.narration for s in trace.states() if s.popped}
    assert "const1 is the constant 2" in said["const1"]
    assert "const2 is the constant 1" in said["const2"]
    assert " 2 is a constant" not in said["const1"]
