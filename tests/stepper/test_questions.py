"""Predict, then reveal (issue 20, item 1): the question of each step, its answer, the
classic mistakes' numbers, and four distinct choices at every step of every preset. (The
page's verdict on a typed number, read against these intervals, is node-tested:
tests/components/quiz.test.mjs.)"""

from __future__ import annotations

import pytest

from autodiff.core.numbers import fmt
from autodiff.program import compile_program
from autodiff.trace import BACKWARD, ROUTE_STACK, TOPOLOGICAL, make_trace
from autodiff.trace.questions import CHOICES, accepted, question_at, questions
from components.presets import EXAMPLES, POST_1, PRESETS


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


def holds(answer, x: float) -> bool:
    return answer.low <= x <= answer.high


def mistakes(question) -> dict[str, float]:
    return {m.mistake: m.value for m in question.mistakes}


def test_a_route_question_says_how_its_answer_is_made():
    q = question_at(post_1(), 2)
    assert holds(q.right, 4) and not holds(q.right, 4.001)
    assert q.why == "the parent's value 4 × the local derivative 1 = 4"
    assert q.prompt == "Pop along d→c→b: what is the route value of b's entry?"


def test_the_classic_mistakes_numbers():
    trace = post_1()
    # d→c: 1 passed down without ∂d/∂c = 4; its sign lost; 1 + 4 added
    assert mistakes(question_at(trace, 1)) == {"local": 1, "sign": -4, "added": 5}
    at_a = question_at(trace, 4)  # a's second route: 4 + 7
    assert mistakes(at_a) == {"overwrite": 7,  # the first route's 4 lost
                              "local": 5,  # 4 + 1: ∂d/∂a = c = 7 forgotten
                              "sign": -3, "added": 12}
    assert at_a.why == "what a had, 4, + this route's value 7 = 11"
    assert all(not holds(at_a.right, m.value) and holds(m, m.value) for m in at_a.mistakes)


def test_a_mistake_that_gives_the_answer_itself_is_not_one():
    # the edges c→b and c→a are an add's: forgetting their local derivative 1 changes nothing
    assert "local" not in mistakes(question_at(post_1(), 2))


def test_what_the_page_shows_typed_back_is_right():
    # four significant digits: 0.04342 for 0.0434215…, within half a unit of the last digit
    low, high = accepted(0.0434215)
    assert low <= 0.04342 <= high and not low <= 0.04343 <= high
    assert accepted(0) == (-1e-6, 1e-6)
    for text in PRESETS.values():
        trace = make_trace(compile_program(text).graph)
        for q in filter(None, questions(trace)):
            assert holds(q.right, float(fmt(q.right.value))), (text, q.step)


@pytest.mark.parametrize("algorithm", BACKWARD)
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_four_distinct_choices_at_every_step_of_every_preset(name, algorithm):
    trace = make_trace(compile_program(EXAMPLES[name]).graph, algorithm)
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
            assert holds(q.right, choice.value) == (choice == q.right), (q.step, choice)
            if choice.mistake:
                assert choice in q.mistakes


def test_the_right_answer_moves_among_the_choices():
    places = {q.choices.index(q.right) for q in questions(post_1()) if q}
    assert len(places) > 1


def test_the_topological_sweep_asks_of_the_first_contribution_of_each_visit():
    trace = post_1(TOPOLOGICAL)
    # step 0 visits d: a gets 7, c gets 4; step 1 visits c and passes 4 × 1 to a first
    first = question_at(trace, 1)
    assert (first.kind, first.node, first.route, first.right.value) == (
        "gradient", "a", ("c", "a"), 11)
    assert mistakes(first)["overwrite"] == 4
    assert [q.step for q in questions(trace) if q] == [1]  # b and a pass nothing down
