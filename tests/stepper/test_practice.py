"""Your turn (issue 20, item 2): generated exercises of three levels, and practice pops that
fade from worked to asking the route value, the gradient, then the pushed entries. Answers
are marked by the page's rule (practice.mjs, run with node: ``node_marks``), on the tasks
as the server sends them."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from autodiff.numeric import agree
from autodiff.program import compile_program
from autodiff.program.exercises import LEVELS, exercise
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from autodiff.trace.questions import PARTS, practice
from components.presets import POST_1
from components.replay import task_payload
from tests.components.test_practice_rule import node_marks


def mark(task, route_value=None, gradient=None, pushed=None) -> dict[str, bool]:
    """Each asked part of ``task`` right or not, as the page marks it."""
    given = {"route": "" if route_value is None else repr(route_value),
             "gradient": "" if gradient is None else repr(gradient),
             "pushed": [node for node, _ in pushed or []]}
    return marks_of(node_marks([(task_payload(task), given)])[0])


def marks_of(marked: dict) -> dict[str, bool]:
    return {part: result["right"] for part, result in marked["marks"].items()}


def reused(graph) -> int:
    uses = {n.key: 0 for n in graph.nodes}
    for n in graph.nodes:
        for k in n.inputs:
            uses[k] += 1
    return sum(1 for count in uses.values() if count > 1)


def off(x: float) -> float:
    """A wrong answer: at least 1 away from ``x``."""
    return x + 1 + abs(x)


def answered(graph, tasks) -> list[tuple[dict, dict]]:
    """Each task answered from the graph's own local derivatives and the engine's
    gradients, not from the trace: a route value is the product along its route, a node's
    gradient the sum of its route values so far (the engine's at its last route), the
    nodes pushed the popped node's inputs. As (task sent, what was typed and ticked)."""
    local = {(n.key, k): d for n in graph.nodes
             for k, d in zip(n.inputs, n.local_derivatives, strict=True)}
    so_far: dict[str, float] = {}
    answers = []
    for task in filter(None, tasks):
        value = math.prod(local[u, c] for u, c in zip(task.route[:-1], task.route[1:], strict=True))
        so_far[task.node] = so_far.get(task.node, 0) + value
        answers.append((task_payload(task), {"route": repr(value),
                                             "gradient": repr(so_far[task.node]),
                                             "pushed": list(graph[task.node].inputs)}))
    return answers


def wrong(graph, task) -> tuple[dict, dict]:
    """Every part wrong: numbers at least 1 off, the pushed nodes missed (or one ticked
    when the pop pushes none)."""
    return (task_payload(task), {"route": repr(off(task.route_value.right.value)),
                                 "gradient": repr(off(task.gradient.right.value)),
                                 "pushed": [] if task.pushed else [graph.nodes[0].key]})


@pytest.mark.parametrize("level", list(LEVELS))
def test_fifty_exercises_at_each_level_parse_have_their_size_and_are_answerable(level):
    texts = {exercise(level, seed) for seed in range(50)}
    assert len(texts) >= 25  # random, not one program fifty times
    batch = {}  # program -> (right answers, wrong answers), marked by the page in one go
    for text in texts:
        graph = compile_program(text).graph
        assert len(graph.nodes) == LEVELS[level][1], text
        assert reused(graph) >= (level > 1), text
        assert any(n.op not in ("var", "add", "mul") for n in graph.nodes) == (level == 3)
        trace = make_trace(graph, ROUTE_STACK)
        tasks = practice(trace, worked=0, per_part=1)  # every part asked as soon as may be
        batch[text] = answered(graph, tasks), [wrong(graph, t) for t in filter(None, tasks)]
        for key, grad in trace.final_gradients.items():  # the last route: the engine's value
            last = [t for t in tasks if t and t.node == key]
            if last:
                assert agree(last[-1].gradient.right.value, grad)
    marked = iter(node_marks([pair for right, bad in batch.values() for pair in right + bad]))
    for text, (right, bad) in batch.items():  # all right scores 100 %, all wrong 0 %
        marks = [marks_of(next(marked)) for _ in right]
        assert all(all(m.values()) for m in marks), text
        assert sum(len(m) for m in marks) >= len(marks)
        assert not any(any(marks_of(next(marked)).values()) for _ in bad), text


def test_the_same_seed_gives_the_same_exercise_and_a_bad_level_is_refused():
    assert exercise(2, 7) == exercise(2, 7)
    assert exercise(2, 7) != exercise(2, 8) or exercise(2, 8) != exercise(2, 9)
    with pytest.raises(ValueError, match="level 4"):
        exercise(4, 0)


def test_practice_fades_from_worked_pops_to_every_part():
    tasks = practice(make_trace(compile_program(POST_1).graph), worked=1, per_part=1)
    assert tasks[0] is None
    assert [t.asks for t in tasks[1:]] == [(), PARTS[:1], PARTS[:2], PARTS]
    second = tasks[2]  # d→c→b: 1 × ∂d/∂c × ∂c/∂b
    assert second.hint == "∂d/∂c = 4, ∂c/∂b = 1"
    assert mark(second, route_value=4) == {"route": True}
    assert mark(second, route_value=1) == {"route": False}
    last = tasks[4]  # d→a: a's second route, a is an input (pushes nothing)
    assert mark(last, 7, 11, []) == {"route": True, "gradient": True, "pushed": True}
    assert mark(last, 7, 7, [("b", 1)]) == {"route": True, "gradient": False, "pushed": False}


def test_pushed_entries_are_the_nodes_pushed_in_any_order():
    text = "x = 3\nc = x * x\ny = c + x"
    tasks = [replace(t, asks=PARTS) if t else t
             for t in practice(make_trace(compile_program(text).graph), worked=0, per_part=1)]
    pop_c = next(t for t in tasks if t and t.node == "c")  # pushes (x, 3) twice: x * x
    assert [(n, a.value) for n, a in pop_c.pushed] == [("x", 3), ("x", 3)]
    assert mark(pop_c, 1, 1, [("x", 3)])["pushed"]  # x is ticked once, pushed once per edge
    assert not mark(pop_c, 1, 1, [])["pushed"]
    assert not mark(pop_c, 1, 1, [("x", 3), ("y", 1)])["pushed"]
    first = replace(practice(make_trace(compile_program(POST_1).graph))[1], asks=PARTS)
    assert mark(first, 4, 4, [("b", 4), ("a", 4)])["pushed"]  # d→c pushes a and b


def test_practice_steps_the_route_stack_only():
    with pytest.raises(ValueError, match="route stack"):
        practice(make_trace(compile_program(POST_1).graph, TOPOLOGICAL))
