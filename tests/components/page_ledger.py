"""The route ledger as the page writes it, for tests that check ledger lines from Python:
each line by the one rule (``autodiff.trace.ledger.node_line``), whose parts the page draws
(components/ledger.mjs picks them, tests/components/ledger.test.mjs), with the page's words
for a node with no route yet (``view_model.PANEL_WORDS``)."""

from __future__ import annotations

from autodiff.trace import Trace
from autodiff.trace.ledger import LEDGER_TERMS, node_line
from components import view_model as vm


def ledger_rows(trace: Trace, k: int, limit: int = LEDGER_TERMS) -> list[dict]:
    """One row per node that is not the output or a constant, in build order, at step k:
    the node, its routes counted, its ledger line as the page writes it, ✓ when complete."""
    return ledger_rows_at(trace, [k], limit)[0]


def ledger_rows_at(trace: Trace, steps: list[int], limit: int = LEDGER_TERMS) -> list[list[dict]]:
    """``ledger_rows`` at each of ``steps``."""
    graph = trace.graph
    nodes = [n.key for n in graph.nodes if n.key != graph.output and n.op != "const"]
    none = vm.PANEL_WORDS[trace.algorithm]["none"]
    rows = []
    for k in steps:
        state = trace.state(k)
        rows.append([{"node": key, "routes": state.ledger_sizes[key],
                      "ledger": node_line(trace, key, k, limit).text(none),
                      "complete": "✓" if key in state.complete else ""} for key in nodes])
    return rows
