"""Example programs a lecture starts from: the seed post's three, micrograd's neuron,
a graph where shared subexpressions make routes multiply, a deep chain and a deep chain of
sigmoids whose gradients vanish; the classic mistakes' examples, which open in predict mode
just before the routes to a node meet; and the "what if" examples, which open with a
mistake's backward pass beside the right one."""

from __future__ import annotations

from autodiff.program import compile_program
from autodiff.trace import make_trace
from autodiff.trace.questions import question_at

__all__ = [
    "DEEP", "DEFAULT_PROGRAM", "EXAMPLES", "MISCONCEPTIONS", "NEURON", "POST_1", "POST_2",
    "POST_3", "PRESETS", "SHARED", "VANISHING", "VANISHING_LABEL", "WHAT_IF_EXAMPLES",
    "meeting_step", "preset_named",
]

POST_1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)"

POST_2 = (
    "a = Var(230.3)\nb = Var(33.2)\n"
    "def f(a, b):\n"
    "    return (a / b - a) * (b / a + a + b) * (a - b)\n"
    "y = f(a, b)"
)

POST_3 = (
    "a = Var(43.)\nb = Var(3.)\nc = Var(2.)\n"
    "def f(a, b, c):\n"
    "    f = Sin(a * b) + Exp(c - (a / b))\n"
    "    return Log(f * f) * c\n"
    "y = f(a, b, c)"
)

NEURON = (
    "# micrograd's neuron: o = tanh(x1*w1 + x2*w2 + b)\n"
    "x1 = 2.0\nx2 = 0.0\nw1 = -3.0\nw2 = 1.0\nb = 6.8813735870195432\n"
    "n = x1*w1 + x2*w2 + b\n"
    "o = tanh(n)"
)

SHARED = (
    "# y uses x twice, and every line uses the y before it twice:\n"
    "# the routes from the top down to x double at each line.\n"
    "x = 0.5\n"
    "y = x*x + x\n"
    "y = y*y + y\n"
    "y = y*y + y\n"
    "y = y*y + y"
)

DEEP = (
    "# a chain: one route to each node but w, which h1 and h6 both use,\n"
    "# so the route stack makes 12 pops against 11 visits of the topological order\n"
    "x = 0.5\nw = 1.5\n"
    "h1 = x * w\nh2 = tanh(h1)\nh3 = sin(h2)\nh4 = exp(h3)\nh5 = log(h4)\n"
    "h6 = h5 * w\nh7 = tanh(h6)\nh8 = sin(h7)\nh9 = exp(h8)\nh10 = log(h9)"
)

VANISHING = (
    "# vanishing gradients: each sigmoid multiplies the gradient by its slope,\n"
    "# at most 0.25, so after eight of them x's gradient is under 1e-5\n"
    "x = 1.0\n"
    + "".join(f"h{i} = sigmoid({'x' if i == 1 else f'h{i - 1}'})\n" for i in range(1, 9))
).rstrip("\n")
VANISHING_LABEL = "Vanishing gradients: a deep sigmoid chain"

# label shown in the picker -> program text; the first one is the app's start
PRESETS: dict[str, str] = {
    "Post, example 1: d = a·(a + b)": POST_1,
    "Post, example 2: (a/b − a)(b/a + a + b)(a − b)": POST_2,
    "Post, example 3: log(f·f)·c with sin and exp": POST_3,
    "micrograd's neuron: tanh(x1·w1 + x2·w2 + b)": NEURON,
    "Shared subexpressions: routes multiply": SHARED,
    "Deep chain": DEEP,
    VANISHING_LABEL: VANISHING,
}

#: where a student who overwrites instead of adding, or forgets that routes add, goes wrong:
#: each opens in predict mode one step before the first node reached by a second route
MISCONCEPTIONS: dict[str, str] = {
    "Predict x·x: one op uses x twice, its two routes add": "x = 3\ny = x * x",
    "Predict a + a: two routes to a add": "a = 2\ny = a + a",
    "Predict a reused node: h feeds both g and y": "x = 2\nh = x * 3\ng = sin(h)\ny = g * h",
    "Predict relu at 0: routes meet past a kink": "x = 0\nw = 2\nh = x * w\ny = relu(h) + h",
}
#: where each mistake of the "what if" switch (``autodiff.mistakes``) matters: label ->
#: (program, mistake); each opens with that mistake beside the right backward
WHAT_IF_EXAMPLES: dict[str, tuple[str, str]] = {
    "What if x·x overwrites": (
        "# what if x's two routes, 3 each, overwrite instead of adding?\nx = 3\ny = x * x",
        "overwrite"),
    "What if a + a overwrites": (
        "# what if a's two routes, 1 each, overwrite instead of adding?\na = 2\ny = a + a",
        "overwrite"),
    "What if backward runs twice": (
        "# what if the backward pass runs twice without zeroing the gradients?\n" + POST_1,
        "twice"),
    "What if no backward yet": (
        "# what if the gradients are read before any backward pass?\n" + POST_1,
        "no_backward"),
}
#: what the sidebar's Example box offers
EXAMPLES = {**PRESETS, **MISCONCEPTIONS,
            **{label: program for label, (program, _) in WHAT_IF_EXAMPLES.items()}}

DEFAULT_PROGRAM = POST_1


def meeting_step(text: str) -> int:
    """The first step at which a node's routes meet (its question is its gradient after
    the pop, ``autodiff.trace.questions``), or 0 when none do."""
    trace = make_trace(compile_program(text).graph)
    for k in range(1, trace.last_index + 1):
        question = question_at(trace, k)
        if question is not None and question.kind == "gradient":
            return k
    return 0


def preset_named(text: str) -> str | None:
    """The preset label whose program is exactly ``text``, if any."""
    for label, program in EXAMPLES.items():
        if program == text:
            return label
    return None
