"""autodiff/core/graph.py: the plain, frozen snapshot of a graph and its stable keys."""

from __future__ import annotations

import dataclasses

import pytest

from autodiff import Add, Mul, Var, gradients, sin
from autodiff.core.graph import GraphNode, assign_keys, snapshot


def first_example():
    a = Var(4, name="a")
    b = Var(3, name="b")
    c = Add(a, b, name="c")
    d = Mul(a, c, name="d")
    return a, b, c, d


def test_named_nodes_are_keyed_by_name_in_build_order():
    a, b, c, d = first_example()
    graph = snapshot(d)
    assert [n.key for n in graph.nodes] == ["a", "b", "c", "d"]
    assert graph.output == "d"
    assert graph["d"].inputs == ("a", "c")
    assert graph["d"].local_derivatives == (7, 4)
    assert graph["c"].local_derivatives == (1, 1)
    assert graph["a"].is_leaf and not graph["d"].is_leaf
    assert graph["d"].value == 28 and graph["d"].op == "mul" and graph["d"].symbol == "*"


def test_unnamed_nodes_get_op_keys_counted_in_build_order():
    x = Var(2.0, name="x")
    y = sin(x * x) + 2 * x
    graph = snapshot(y)
    keys = [n.key for n in graph.nodes]
    assert keys == ["x", "mul1", "sin1", "const1", "mul2", "add1"]
    assert graph.output == "add1"
    assert graph["mul1"].inputs == ("x", "x")  # x * x: the input repeats
    assert graph["const1"].is_constant and graph["const1"].value == 2


def test_keys_are_the_same_on_every_build():
    def build():
        x = Var(0.5, name="x")
        return sin(x) * x + x * 3

    first, second = snapshot(build()), snapshot(build())
    assert [n.key for n in first.nodes] == [n.key for n in second.nodes]
    assert first.nodes == second.nodes  # frozen records compare by value
    assert first.output == second.output


def test_a_reassigned_name_keys_its_first_node_plainly_and_numbers_the_later_ones():
    x = Var(0.1, name="x")
    y = Mul(x, x, name="y")
    y = Add(y, x, name="y")
    y = Mul(y, y, name="y")
    graph = snapshot(y)
    assert graph.output == "y_2"  # the last binding has the highest number
    assert [n.key for n in graph.nodes] == ["x", "y", "y_1", "y_2"]
    assert graph["y_2"].inputs == ("y_1", "y_1")
    assert {n.name for n in graph.nodes if n.key.startswith("y")} == {"y"}


def test_an_input_keeps_its_own_name_when_the_program_rebinds_it():
    # y = 0.1, then y = y*y + y three times: the number field says `y`, so does the graph.
    y0 = y = Var(0.1, name="y")
    for _ in range(3):
        y = Add(Mul(y, y), y, name="y")
    graph = snapshot(y)
    assert graph.key_of(y0) == "y"
    assert graph["y"].op == "var"
    assert [n.key for n in graph.nodes if n.name == "y"] == ["y", "y_1", "y_2", "y_3"]
    assert graph.output == "y_3"


def test_an_input_keeps_its_name_even_when_a_node_of_that_name_is_built_first():
    a = Var(2.0, name="a")
    early = Mul(a, a, name="y")  # e.g. a function's local `y`, inlined before the input line
    y = Var(3.0, name="y")
    out = Add(early, y, name="out")
    graph = snapshot(out)
    assert graph.key_of(y) == "y" and graph.key_of(early) == "y_1"


def test_generated_keys_never_take_a_name_in_use():
    a = Var(1.0, name="mul1")
    b = Mul(a, a)  # would be mul1, but a program named a node mul1
    keys = assign_keys([a, b])
    assert keys[a] == "mul1" and keys[b] == "mul2"


def test_formulas_name_the_inputs():
    a, b, c, d = first_example()
    graph = snapshot(d)
    assert graph["d"].formulas == ("c", "a")  # ∂d/∂a = c, ∂d/∂c = a
    assert graph["c"].formulas == ("1", "1")
    x = Var(3.0, name="x")
    graph = snapshot(x * 2.5)
    assert graph[graph.output].formulas == ("2.5", "x")  # constants show their value


def test_engine_nodes_and_keys_map_both_ways():
    a, b, c, d = first_example()
    graph = snapshot(d)
    assert graph.engine["a"] is a and graph.engine["d"] is d
    assert graph.key_of(c) == "c"
    grads = {graph.key_of(n): g for n, g in gradients(d).items()}
    assert grads == {"d": 1.0, "c": 4.0, "b": 4.0, "a": 11.0}


def test_users():
    a, b, c, d = first_example()
    graph = snapshot(d)
    assert graph.users("a") == ("c", "d")
    assert graph.users("c") == ("d",)
    assert graph.users("d") == ()


def test_records_are_frozen():
    graph = snapshot(first_example()[3])
    with pytest.raises(dataclasses.FrozenInstanceError):
        graph["a"].value = 5  # type: ignore[misc]
    assert isinstance(graph.nodes, tuple) and all(isinstance(n, GraphNode) for n in graph.nodes)


def test_every_input_comes_before_its_users():
    x = Var(0.3, name="x")
    y = x
    for _ in range(5):
        y = y * y + y
    graph = snapshot(y)
    position = {n.key: i for i, n in enumerate(graph.nodes)}
    for node in graph.nodes:
        for key in node.inputs:
            assert position[key] < position[node.key]
    assert len(graph.nodes) == 1 + 2 * 5
