"""Small random programs to practise on, in three levels of difficulty.

Each level is one shape with its operators, operand order, function and input values drawn
at random (seeded: the same seed gives the same exercise):

1. three nodes: two inputs and one operation;
2. five nodes, with nodes reused (a route meets another at ``a`` and at ``c``);
3. eight nodes, with a function (sin, cos, exp, tanh or sigmoid) and nodes reused.

Only ``+``, ``*`` and those functions are drawn: every value is then defined, so the parser
never refuses an exercise, and no hidden node (the ``neg`` of a ``-``) changes its size.
Values are small (whole numbers, halves at level 3) so a route value can be worked out by hand.
"""

from __future__ import annotations

import random

__all__ = ["LEVELS", "exercise"]

#: level -> (what it is, how many nodes its graph has)
LEVELS = {1: ("three nodes", 3), 2: ("five nodes, nodes reused", 5),
          3: ("eight nodes, a function and nodes reused", 8)}
OPERATORS = ("+", "*")
FUNCTIONS = ("sin", "cos", "exp", "tanh", "sigmoid")
WHOLE = (-3, -2, -1, 1, 2, 3)
HALVES = (-1.5, -1, -0.5, 0.5, 1, 1.5, 2)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def exercise(level: int, seed: int) -> str:
    """The program text of exercise ``seed`` at ``level`` (a key of ``LEVELS``)."""
    if level not in LEVELS:
        raise ValueError(f"level {level} is not one of {', '.join(map(str, LEVELS))}")
    pick = random.Random(f"{level}:{seed}")

    def op(left: str, right: str) -> str:
        if pick.random() < 0.5:
            left, right = right, left
        return f"{left} {pick.choice(OPERATORS)} {right}"

    values = HALVES if level == 3 else WHOLE
    inputs = "abc"[:3 if level == 3 else 2]
    lines = [f"{name} = {_number(pick.choice(values))}" for name in inputs]
    if level == 1:
        lines.append(f"y = {op('a', 'b')}")
    elif level == 2:
        lines += [f"c = {op('a', 'b')}", f"d = {op('c', 'a')}", f"y = {op('d', 'c')}"]
    else:
        lines += [f"d = {op('a', 'b')}", f"e = {pick.choice(FUNCTIONS)}(d)",
                  f"f = {op('e', 'c')}", f"g = {op('f', 'd')}", f"y = {op('g', 'a')}"]
    return "\n".join(lines)
