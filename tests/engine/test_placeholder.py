"""Placeholders: a graph compiled once into a plan and re-evaluated with new values gives
what rebuilding from the text gives, bit for bit, without building a node."""

from __future__ import annotations

import itertools

import pytest

from autodiff import DomainError, evaluate, numerical_gradients
from autodiff.core import ops
from autodiff.numeric import inputs_of
from autodiff.placeholder import compile_plan
from autodiff.placeholder import numerical_gradients as plan_numerical
from autodiff.program import compile_program
from autodiff.trace import ALGORITHMS, make_trace
from components.presets import PRESETS

PROGRAMS = list(PRESETS.values())


@pytest.mark.parametrize("text", PROGRAMS, ids=[f"preset{i}" for i in range(len(PROGRAMS))])
def test_re_evaluation_is_the_rebuild_bit_for_bit(text):
    program = compile_program(text)
    plan = compile_plan(program.graph)
    for scale in (1.1, -0.7, 2.0):
        values = {k: v * scale for k, v in program.values.items()}
        try:
            rebuilt = compile_program(text, values).graph
        except Exception:  # a value outside an op's domain: the plan refuses it too
            with pytest.raises(DomainError):
                plan.snapshot(values)
            continue
        again = plan.snapshot(values)
        assert again == rebuilt  # keys, names, formulas, values, local derivatives
        for algorithm in ALGORITHMS:  # both traces run on the re-evaluated graph
            ours, theirs = make_trace(again, algorithm), make_trace(rebuilt, algorithm)
            assert ours.total_steps == theirs.total_steps and ours.needed == theirs.needed
            assert ours.final_gradients == theirs.final_gradients
            last = ours.last_index
            assert ours.state(last).gradients == theirs.state(last).gradients
        output = rebuilt.engine[rebuilt.output]
        assert plan_numerical(plan, values) == _by_rebuilding(output, rebuilt)
        expected = {rebuilt.key_of(n): x for n, x in numerical_gradients(output).items()}
        assert plan_numerical(plan, values) == expected  # numeric.py runs on a plan too


def _by_rebuilding(output, graph, h: float = 1e-6) -> dict:
    """Central differences the seed's way: the nodes above the nudged one rebuilt."""
    estimates = {}
    for node in inputs_of(output):
        x = float(node.value)
        step = h * max(1.0, abs(x))
        up, down = (evaluate(output, {node: x + s}) for s in (step, -step))
        estimates[graph.key_of(node)] = (up - down) / (2 * step)
    return estimates


def test_re_evaluating_builds_no_node():
    plan = compile_plan(compile_program(PROGRAMS[2]).graph)
    before = next(ops.ids)
    graph = plan.snapshot({"a": 40.0, "b": 2.5, "c": 1.5})
    plan_numerical(plan, {"a": 40.0})
    assert next(ops.ids) == before + 1  # only our own two reads of the counter
    assert graph.engine == {}


def test_the_post_third_example_at_its_values_and_at_new_ones():
    from components.presets import POST_3

    plan = compile_plan(compile_program(POST_3, {"a": 1.0}).graph)
    trace = make_trace(plan.snapshot({"a": 43.0, "b": 3.0, "c": 2.0}), "route-stack")
    assert [trace.final_gradients[k] for k in "abc"] == [
        60.85353612046653, 872.2331479536114, -3.2853671032530305]


def test_an_input_not_given_keeps_its_value_and_a_bad_value_is_refused():
    plan = compile_plan(compile_program("x = 2\ny = log(x) * x").graph)
    assert plan.value() == pytest.approx(2 * 0.6931471805599453)
    with pytest.raises(DomainError, match="log"):
        plan.value({"x": -1.0})
    with pytest.raises(DomainError, match="finite"):
        plan.value({"x": float("nan")})
    assert list(itertools.islice(plan.inputs, 5)) == ["x"]
