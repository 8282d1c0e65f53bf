"""The chain rule written out for a step, as TeX for KaTeX: first in symbols, then with the
values in, then the number.

* The entry a route-stack step pops: the product of the local derivatives along its route,
  ``d→c→b: ∂d/∂c · ∂c/∂b = 4 · 1 = 4``.
* A node whose gradient the step makes final, reached by more than one route: the sum over
  its routes, ``∂d/∂c · ∂c/∂a + ∂d/∂a = 4 + 7 = 11``.
* A topological visit: the visited node's gradient, the sum over its users of each user's
  gradient times the local derivative, ``∂d/∂a = ∂d/∂d · ∂d/∂a + ∂d/∂c · ∂c/∂a``.

Names are node keys (letters, digits and ``_``) written upright; numbers as the page writes
them (``fmt``), a power of ten as ``× 10^{n}``, a negative factor in parentheses. A long
route or a long sum is cut as the page cuts a route (``ROUTE_KEEP``): the first, ``⋯``, the
last few, so an equation stays a line on a projector whatever the graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from ..core.numbers import fmt
from . import BACKWARD, ROUTE_KEEP, ROUTE_STACK, Entry, State

__all__ = ["Written", "written_out"]

MAX_TERMS = 4  # terms of a sum written before it is cut: the first, ⋯, the last two


@dataclass(frozen=True)
class Written:
    """One equation in three stages (TeX): ``left`` names what is worked out, a route
    (``d → c → b:``) or a derivative (``∂d/∂a =``), then ``symbols = values = number``."""

    what: str  # in words: "the route value of b's entry", "a's gradient, every route counted"
    left: str
    symbols: str
    values: str
    number: str

    @property
    def tex(self) -> str:
        """The equation, leaving out a stage that says what the one before it says (a
        one-edge route: ``d → c: ∂d/∂c = 4``)."""
        stages = [self.symbols]
        for stage in (self.values, self.number):
            if stage != stages[-1]:
                stages.append(stage)
        return self.left + " = ".join(stages)


def name(key: str) -> str:
    return r"\mathrm{" + key.replace("_", r"\_") + "}"


def partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {name(top)}}}{{\partial {name(bottom)}}}"


#: a minus sign as the page writes one (``numbers.MINUS``, the hyphen a number copied from
#: the page reads back with), where TeX's math mode would draw its own long minus
MINUS_TEX = r"\text{-}"


def number(x) -> str:
    """A number as the page writes it, in TeX: ``-1.5e-5`` → ``-1.5 \\times 10^{-5}`` (its
    minus signs the page's hyphen)."""
    mantissa, _, exponent = fmt(x).partition("e")
    text = rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa
    return text.replace("-", MINUS_TEX)


def factor(x) -> str:
    return rf"\left({number(x)}\right)" if isinstance(x, Real) and x < 0 else number(x)


def cut(items: list[str], keep: int) -> list[str]:
    r"""At most ``keep`` items: the first, ``\cdots``, the last ``keep - 2``."""
    return items if len(items) <= keep else [items[0], r"\cdots", *items[-(keep - 2):]]


def _route(route: tuple[str, ...]) -> str:
    return r" \to ".join(cut([name(k) for k in route], ROUTE_KEEP))


def _route_symbols(route: tuple[str, ...]) -> str:
    edges = [partial(u, c) for u, c in zip(route[:-1], route[1:], strict=True)]
    return r" \cdot ".join(cut(edges, ROUTE_KEEP - 1))


def _route_values(entry: Entry) -> str:
    return r" \cdot ".join(cut([factor(f) for f in entry.factors], ROUTE_KEEP - 1))


def _sum(terms: list[str]) -> str:
    return " + ".join(cut(terms, MAX_TERMS)).replace("+ " + MINUS_TEX, rf"\mathbin{{{MINUS_TEX}}} ")


def _is_number(x) -> bool:
    return isinstance(x, Real) and math.isfinite(x)


def written_out(state: State) -> list[Written]:
    """The equations of step ``state``: none at the start, for values that are not
    numbers (an array engine's) or for forward mode (its narration writes its sums), else
    as the module says."""
    if (state.popped is None or state.algorithm not in BACKWARD
            or not all(map(_is_number, state.popped.factors))):
        return []
    if state.algorithm == ROUTE_STACK:
        return _popped(state)
    return _visited(state)


def _popped(state: State) -> list[Written]:
    entry, out = state.popped, state.trace.graph.output
    equations = [Written(f"the route value of {entry.node}'s entry",
                         _route(entry.route) + r"\colon\ ",
                         _route_symbols(entry.route), _route_values(entry), number(entry.value))]
    size = state.trace.ledger_size(entry.node, state.index)
    if size > 1 and state.trace.completes(entry.node, size):  # once per node, not every pop
        routes = state.ledgers[entry.node]
        equations.append(Written(
            f"{entry.node}'s gradient, every route counted", partial(out, entry.node) + " = ",
            _sum([_route_symbols(r.route) for r in routes]),
            _sum([number(r.value) for r in routes]),
            number(state.gradient_after)))
    return equations


def _visited(state: State) -> list[Written]:
    key, trace = state.popped.node, state.trace
    out = trace.graph.output
    if key == out:
        return []
    terms = state.ledgers[key]
    if not terms:
        return []
    symbols = _sum([rf"{partial(out, t.route[0])} \cdot {partial(t.route[0], key)}"
                    for t in terms])
    values = _sum([rf"{factor(t.upstream)} \cdot {factor(t.factors[0])}" for t in terms])
    return [Written(f"{key}'s gradient, summed over its users", partial(out, key) + " = ", symbols,
                    values, number(state.popped.value))]
