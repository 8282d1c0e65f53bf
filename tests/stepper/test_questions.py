"""Predict, then reveal (issue 20, item 1): the question of each step, its answer, the
classic mistakes named, and four distinct choices at every step of every preset."""

from __future__ import annotations

import pytest

from autodiff.core.numbers import fmt
from autodiff.program import compile_program
from autodiff.trace import ALGORITHMS, ROUTE_STACK, TOPOLOGICAL, make_trace
from autodiff.trace.questions import CHOICES, accepted, grade, question_at, questions
from components.presets import POST_1, PRESETS


def post_1(algorithm: str = ROUTE_STACK):
    return make_trace(compile_program(POST_1).graph, algorithm)


def test_the_post_first_example_asks_for_each_route_value_then_where_routes_meet():
    asked = [(q.step, q.kind, q.node, q.route, q.right.value) if q else None
             for q in questions(post_1())]
    assert asked == [None,
                     (1, "route", "c", ("d", "c"), 4),
                     (2, "route", "b", ("d", "c", "b"), 4),
                     (3, "route", "a", ("d", "c", "a"), 4),
                     (4, "gradient", "a", ("d", "a"), 11)]  # a's second route: 4 + 7


def test_a_right_answer_is_right_and_says_how_it_is_made():
    verdict = grade(question_at(post_1(), 2), 4)
    assert verdict.right and verdict.mistake == ""
    assert verdict.say == "Right: the parent's value 4 × the local derivative 1 = 4."


def test_the_classic_mistakes_are_named():
    trace = post_1()
    forgot = grade(question_at(trace, 1), 1)  # d→c: 1 passed down without ∂d/∂c = 4
    assert (forgot.right, forgot.mistake) == (False, "local")
    assert "forgot the local derivative" in forgot.say and "The answer is 4" in forgot.say
    at_a = question_at(trace, 4)
    overwrote = grade(at_a, 7)  # a's second route alone: the first one's 4 lost
    assert (overwrote.right, overwrote.mistake) == (False, "overwrite")
    assert "overwrote instead of adding" in overwrote.say
    assert "sum over all its routes" in overwrote.say
    assert grade(at_a, 5).mistake == "local"  # 4 + 1: ∂d/∂a = c = 7 forgotten
    assert grade(at_a, -3).mistake == "sign"
    assert grade(at_a, 12).mistake == "added"  # 4 + (1 + 7)
    other = grade(at_a, 100)
    assert (other.right, other.mistake) == (False, "")
    assert other.say == "Not quite. The answer is 11: what a had, 4, + this route's value 7 = 11."


def test_what_the_page_shows_typed_back_is_right():
    # four significant digits: 0.04342 for 0.0434215…, within half a unit of the last digit
    low, high = accepted(0.0434215)
    assert low <= 0.04342 <= high and not low <= 0.04343 <= high
    assert accepted(0) == (-1e-6, 1e-6)
    for text in PRESETS.values():
        trace = make_trace(compile_program(text).graph)
        for q in filter(None, questions(trace)):
            assert grade(q, float(fmt(q.right.value))).right, (text, q.step)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("name", list(PRESETS))
def test_four_distinct_choices_at_every_step_of_every_preset(name, algorithm):
    trace = make_trace(compile_program(PRESETS[name]).graph, algorithm)
    every = questions(trace)
    # a pop asks at every step but the start; a visit, where it passes a contribution down
    assert [k for k, q in enumerate(every) if q is None] == [
        k for k in range(trace.last_index + 1)
        if k == 0 or (algorithm == TOPOLOGICAL and not trace.state(k).pushed)]
    for q in filter(None, every):
        texts = [fmt(c.value) for c in q.choices]
        assert len(texts) == CHOICES and len(set(texts)) == CHOICES, (q.step, texts)
        assert q.choices.count(q.right) == 1
        for choice in q.choices:
            assert grade(q, choice.value).right == (choice == q.right), (q.step, choice)
            if choice.mistake:
                assert grade(q, choice.value).mistake == choice.mistake


def test_the_right_answer_moves_among_the_choices():
    places = {q.choices.index(q.right) for q in questions(post_1()) if q}
    assert len(places) > 1


def test_the_topological_sweep_asks_of_the_first_contribution_of_each_visit():
    trace = post_1(TOPOLOGICAL)
    # step 0 visits d: a gets 7, c gets 4; step 1 visits c and passes 4 × 1 to a first
    first = question_at(trace, 1)
    assert (first.kind, first.node, first.route, first.right.value) == (
        "gradient", "a", ("c", "a"), 11)
    assert grade(first, 4).mistake == "overwrite"
    assert [q.step for q in questions(trace) if q] == [1]  # b and a pass nothing down
