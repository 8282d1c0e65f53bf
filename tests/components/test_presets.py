"""What a preset's comment says about its backward pass is true (issue 18, item 10): the
counts and the routes it names are the ones the traces make, and the step counter shows."""

from __future__ import annotations

import re

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components.presets import DEEP, VANISHING


def comment_of(program: str) -> str:
    return " ".join(line.lstrip("# ") for line in program.splitlines() if line.startswith("#"))


def test_the_deep_chains_comment_tells_its_routes_and_counts():
    said = comment_of(DEEP)
    counts = re.search(r"(\d+) pops against (\d+) visits", said)
    shared = re.search(r"one route to each node but (\w+), which (\w+) and (\w+) both use", said)
    assert counts and shared, said
    graph = compile_program(DEEP).graph
    route_stack, topological = make_trace(graph, ROUTE_STACK), make_trace(graph, TOPOLOGICAL)
    # the counter: "Step k of n · 12 pops, 11 visits"
    assert (route_stack.total_steps, topological.total_steps) == tuple(map(int, counts.groups()))
    node, *users = shared.groups()
    assert list(graph.users(node)) == users
    routes = {key: n for key, n in route_stack.needed.items() if key != graph.output}
    assert {key for key, n in routes.items() if n != 1} == {node} and routes[node] == len(users)


def test_the_vanishing_chains_comment_tells_its_slopes_and_xs_gradient():
    said = comment_of(VANISHING)
    assert "at most 0.25" in said and "under 1e-5" in said
    built = compile_program(VANISHING)
    graph = built.graph
    assert [graph[key].op for key in graph.users("x")] == ["sigmoid"]
    slopes = [local for node in graph.nodes if node.op == "sigmoid"
              for local in node.local_derivatives]
    assert len(slopes) == 8 and max(slopes) <= 0.25
    assert make_trace(graph, ROUTE_STACK).final_gradients["x"] < 1e-5
