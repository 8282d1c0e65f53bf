"""Predict, then reveal: the question each step of a trace asks before it is shown, its
answer, and the numbers the classic mistakes give.

Before a pop the student is asked for what comes next. Where the popped node has no route
counted yet, that is the **route value** of the entry (its parent's value times the local
derivative of the last edge); where routes meet (the node already has a gradient), it is the
node's **gradient** after the pop (what it had plus the route value). The topological sweep
is asked the same of the first contribution its visit passes down. Each wrong answer a
student is known to give is worked out from the same numbers and named:

* **forgot the local derivative**: the parent's value passed down unchanged;
* **overwrote instead of adding**: the route value alone, the routes counted before lost;
* **lost the sign**: the route value with its sign flipped;
* **added instead of multiplying**: the local derivative added to the parent's value.

A lecture gets four choices (the answer and three wrong ones, the named mistakes first);
an answer typed in is right within the project's tolerance (``numeric.agree``), widened to
the precision the page writes numbers at (four significant digits), since a student types
back what the page shows. Each answer carries the interval that accepts it: the page
(``components/quiz.mjs``) only compares a typed number with those bounds, and writes the
reveal from ``MISTAKES`` and ``Question.why``.

Practice (``practice``) asks the same two numbers of a pop, and which entries it pushes,
fading from worked pops to every part; the page marks the answers with the same rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from ..core.numbers import DISPLAY, fmt
from ..numeric import AGREE_ATOL, AGREE_RTOL
from . import BACKWARD, ROUTE_KEEP, ROUTE_STACK, Entry, Trace, route_text

__all__ = ["CHOICES", "MISTAKES", "PARTS", "Answer", "Question", "Task", "accepted", "practice",
           "question_at", "questions"]

#: what each classic mistake is called, and the one sentence that says why it is wrong
MISTAKES = {
    "local": ("forgot the local derivative",
              "each edge multiplies the route value by its local derivative"),
    "overwrite": ("overwrote instead of adding",
                  "a node's gradient is the sum over all its routes: add each route's value "
                  "to what is there"),
    "sign": ("lost the sign", "a negative local derivative flips the sign of the route value"),
    "added": ("added instead of multiplying",
              "the chain rule multiplies the local derivatives along a route"),
}
CHOICES = 4  # the answer and three wrong ones, for a lecture's clickers


@dataclass(frozen=True)
class Answer:
    """A number an answer may be, with the interval a typed answer must fall in to be it."""

    value: float
    low: float
    high: float
    mistake: str = ""  # a key of MISTAKES, or "" for the right answer or a plain distractor


@dataclass(frozen=True)
class Question:
    """What step ``step`` asks before it is shown."""

    step: int
    kind: str  # "route" (the value of the entry popped) or "gradient" (the node's, after)
    node: str
    route: tuple[str, ...]
    prompt: str
    right: Answer
    mistakes: tuple[Answer, ...]  # each named mistake that gives another number
    choices: tuple[Answer, ...]  # CHOICES distinct numbers, the right one among them
    why: str  # how the right answer is made, with the numbers in


def accepted(value: float) -> tuple[float, float]:
    """The interval a typed answer must fall in to count as ``value``: the project's
    tolerance, or half a unit in the last digit the page writes, whichever is wider."""
    tolerance = AGREE_ATOL + AGREE_RTOL * abs(value)
    if value:
        last_digit = math.floor(math.log10(abs(value))) - (DISPLAY.digits - 1)
        tolerance = max(tolerance, 0.5 * 10.0 ** last_digit)
    return value - tolerance, value + tolerance


def answer(value: float, mistake: str = "") -> Answer:
    return Answer(value, *accepted(value), mistake)


def _is_number(x) -> bool:
    return isinstance(x, Real) and math.isfinite(x)


def question_at(trace: Trace, k: int) -> Question | None:
    """The question step ``k`` asks, or None (step 0, a value that is not a finite number,
    forward mode: predict mode asks about the backward passes)."""
    if k == 0 or trace.algorithm not in BACKWARD:
        return None
    state = trace.state(k)
    if trace.algorithm == ROUTE_STACK:
        entry, before = state.popped, state.gradient_before
    else:  # topological: the first contribution the visit passes down
        if not state.pushed:
            return None
        entry = state.pushed[0]
        before = trace.gradient(trace.index[entry.node], k - 1)
    if not entry.factors or not all(map(_is_number, (entry.value, before, *entry.factors))):
        return None
    met = trace.ledger_size(entry.node, k - 1) > 0  # routes meet at this node
    return _route_question(k, entry, before) if not met else _gradient_question(k, entry, before)


def _parent_value(entry: Entry) -> float:
    return entry.upstream * math.prod(entry.factors[:-1])


def _route_question(k: int, entry: Entry, before: float) -> Question:
    parent, local = _parent_value(entry), entry.factors[-1]
    wrong = {"local": parent, "sign": -entry.value, "added": parent + local}
    why = (f"the parent's value {fmt(parent)} × the local derivative {fmt(local)} "
           f"= {fmt(entry.value)}")
    prompt = (f"Pop along {route_text(entry.route, ROUTE_KEEP)}: what is the route value of "
              f"{entry.node}'s entry?")
    return _question(k, "route", entry, prompt, entry.value, wrong, why)


def _gradient_question(k: int, entry: Entry, before: float) -> Question:
    parent, local = _parent_value(entry), entry.factors[-1]
    after = before + entry.value
    wrong = {"overwrite": entry.value, "local": before + parent, "sign": before - entry.value,
             "added": before + parent + local}
    why = (f"what {entry.node} had, {fmt(before)}, + this route's value {fmt(entry.value)} "
           f"= {fmt(after)}")
    prompt = (f"Pop along {route_text(entry.route, ROUTE_KEEP)}: {entry.node} already has gradient "
              f"{fmt(before)}. What is its gradient after this pop?")
    return _question(k, "gradient", entry, prompt, after, wrong, why)


def _question(k: int, kind: str, entry: Entry, prompt: str, right: float,
              wrong: dict[str, float], why: str) -> Question:
    correct = answer(right)
    mistakes = tuple(answer(value, mistake) for mistake, value in wrong.items()
                     if _is_number(value) and not correct.low <= value <= correct.high)
    return Question(k, kind, entry.node, entry.route, prompt, correct, mistakes,
                    _choices(correct, mistakes, seed=k), why)


def _fillers(right: float):
    """Plain wrong numbers for when the named mistakes give the answer itself (an add's
    local derivative is 1: forgetting it changes nothing) or one another."""
    step = abs(right) if right else 1.0
    for n in range(1, 50):
        yield right + n * step
        yield right - n * step


def _choices(correct: Answer, mistakes: tuple[Answer, ...], seed: int) -> tuple[Answer, ...]:
    """The answer and CHOICES - 1 wrong numbers: the named mistakes first, then plain ones,
    each distinct from the others as the page writes them and outside the answer's interval."""
    picked = [correct]
    fillers = (answer(x) for x in _fillers(correct.value))
    for candidate in (*mistakes, *fillers):
        if len(picked) == CHOICES:
            break
        if (_is_number(candidate.value) and not correct.low <= candidate.value <= correct.high
                and fmt(candidate.value) not in {fmt(a.value) for a in picked}):
            picked.append(candidate)
    turn = seed % CHOICES  # where the right answer stands moves from step to step
    return tuple(picked[1:turn + 1] + picked[:1] + picked[turn + 1:])


def questions(trace: Trace) -> list[Question | None]:
    """The question of every step (None where a step asks none)."""
    return [question_at(trace, k) for k in range(trace.last_index + 1)]


# ---- your turn: the student works more of each pop as the exercise goes on ----

#: what a practice pop may ask, in the order the fading adds them
PARTS = ("route", "gradient", "pushed")


@dataclass(frozen=True)
class Task:
    """What the student works out at step ``step`` of a practice exercise (``asks``: the
    parts of ``PARTS`` asked, none for a worked pop) and the answers. The route value and
    the gradient are asked as predict mode asks them, with the classic mistakes' numbers
    and the sentence on why (the page marks them with predict mode's rule, quiz.mjs); the
    pushed entries are the nodes the pop pushes, one per edge, with their route values."""

    step: int
    asks: tuple[str, ...]
    node: str
    route: tuple[str, ...]
    route_value: Question
    gradient: Question  # the node's gradient after the pop
    pushed: tuple[tuple[str, Answer], ...]  # the entries the pop pushes: node, route value
    hint: str  # the local derivatives along the route


def practice(trace: Trace, worked: int = 2, per_part: int = 2,
             steps: range | None = None) -> list[Task | None]:
    """The tasks of a route-stack trace's ``steps`` (all of them unless given), faded: the
    first ``worked`` pops are worked, the next ``per_part`` ask the route value, the next
    the gradient too, the rest also which entries are pushed. None at step 0 (the start
    asks nothing) and where a value is not a finite number (as ``question_at``)."""
    if trace.algorithm != ROUTE_STACK:
        raise ValueError("practice steps the route stack (the post's algorithm)")
    tasks: list[Task | None] = []
    for k in steps if steps is not None else range(trace.last_index + 1):
        stage = 0 if k <= worked else min(len(PARTS), 1 + (k - worked - 1) // per_part)
        tasks.append(_task(trace.state(k), PARTS[:stage]) if question_at(trace, k) else None)
    return tasks


def _task(state, asks: tuple[str, ...]) -> Task:
    entry, before, k = state.popped, state.gradient_before, state.index
    hint = ", ".join(f"∂{user}/∂{child} = {fmt(local)}"
                     for user, child, local in zip(entry.route[:-1], entry.route[1:], entry.factors,
                                                   strict=True))
    pushed = tuple((e.node, answer(e.value)) for e in state.pushed)
    return Task(k, asks, entry.node, entry.route, _route_question(k, entry, before),
                _gradient_question(k, entry, before), pushed, hint)
