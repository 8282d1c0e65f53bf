"""A node's line in the route ledger, e.g. ``a = 4 (d→c→a) + 7 (d→a) = 11``: the one rule
for it. The step tables (``step_table``) write whole lines with it; the page
(components/replay.py, ledger.mjs) is sent each line's number and route as written here and
the templates below, and only picks a node's lines at the step it shows.

A line is its head (``a =``), at most ``LEDGER_TERMS`` terms, each a route's number and its
route as people read it (the first route's product as it is, ``4``, a later one as a term of
the sum, ``+ 7`` or ``- 7``), then how many routes are left out (``+ … 5 more``), then ``=``
and the node's gradient. A node with no route counted yet: ``a = 0 (no route yet)``.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.numbers import signed_term
from . import FORWARD, ROUTE_KEEP, Trace, fmt, route_text

__all__ = ["LEDGER_TERMS", "LINE_WORDS", "LedgerLine", "ledger_line", "line_route",
           "node_line", "route_number"]

LEDGER_TERMS = 8  # routes written out per ledger line
#: how a line's head, an empty line's head and the routes left out are written ({key}, {n}:
#: the page fills them, its counts written with thousands separated as ``{n:,}`` here)
LINE_WORDS = {"head": "{key} =", "empty": "{key} = 0", "more": "+ … {n} more"}


class LedgerLine(NamedTuple):
    """A ledger line in parts: ``terms`` are (number, route) pairs; ``more`` is '' when
    every route is written; ``none``: no route counted yet (``none_words`` says so)."""

    head: str
    terms: tuple[tuple[str, str], ...]
    more: str
    total: str
    none: bool

    def text(self, none_words: str = "no route yet") -> str:
        if self.none:
            return f"{self.head} ({none_words})"
        terms = [f"{number} ({route})" for number, route in self.terms]
        return " ".join([self.head, *terms, *([self.more] if self.more else []), "=", self.total])


def route_number(j: int, value) -> str:
    """The j-th route's number in its node's line (from 0): the first as it is, a later
    one as a term of the sum."""
    return signed_term(value) if j else fmt(value)


def ledger_line(key: str, size: int, total: str, routes, limit: int = LEDGER_TERMS) -> LedgerLine:
    """Node ``key``'s line once ``size`` routes are counted, its gradient ``total``:
    ``routes(j)`` gives the j-th route's (number, route), asked for the first ``limit``."""
    if not size:
        return LedgerLine(LINE_WORDS["empty"].format(key=key), (), "", "", True)
    terms = tuple(routes(j) for j in range(min(size, limit)))
    more = LINE_WORDS["more"].format(n=f"{size - limit:,}") if size > limit else ""
    return LedgerLine(LINE_WORDS["head"].format(key=key), terms, more, total, False)


def line_route(trace: Trace, cell: int) -> str:
    """A ledger line's route as people read it (cut to ``ROUTE_KEEP`` nodes); forward
    mode's leaves are seeded, or not, in their pass (``a = 1 (seeded) = 1``)."""
    tables = trace.tables
    if (trace.algorithm == FORWARD and tables.cell_parent[cell] < 0
            and not trace.graph.nodes[tables.cell_node[cell]].inputs):
        return "seeded" if tables.cell_value[cell] == 1 else "not seeded"
    keys, node = trace.keys, tables.cell_node
    return route_text([keys[node[c]] for c in tables.route(cell)], ROUTE_KEEP)


def node_line(trace: Trace, key: str, k: int, limit: int = LEDGER_TERMS) -> LedgerLine:
    """Node ``key``'s line at step ``k`` (forward mode: in step k's pass)."""
    tables, node = trace.tables, trace.index[key]
    trace.make(k)
    first, stop = tables.span(node, k)
    cells = [tables.line_cell[line] for line in tables.node_lines[node][first:stop]]
    return ledger_line(key, stop - first, fmt(tables.total(node, k)),
                       lambda j: (route_number(j, tables.cell_value[cells[j]]),
                                  line_route(trace, cells[j])), limit)
