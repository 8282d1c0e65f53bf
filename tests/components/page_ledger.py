"""The route ledger as the page writes it, for tests that check ledger lines from Python:
the page's rule (components/ledger.mjs) run by Node.js on a trace's routes and gradients,
written as the server writes them for the page (``replay``: ``fmt``, ``signed_term``, the cut
route). One node run per call, for every step asked for."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from autodiff.core.numbers import signed_term
from autodiff.trace import Trace, fmt
from components.replay import LEDGER_TERMS
from tests.components.test_keys_rule import node

RULE = Path(__file__).resolve().parents[2] / "components" / "ledger.mjs"
SCRIPT = f"""
import {{ledgerParts, ledgerText}} from {json.dumps(RULE.as_uri())};
let input = '';
process.stdin.on('data', chunk => {{ input += chunk; }});
process.stdin.on('end', () => {{
  const {{limit, steps}} = JSON.parse(input);
  const lines = steps.map(rows => rows.map(([key, size, total, routes]) =>
    ledgerText(ledgerParts(key, size, total, limit, j => routes[j]))));
  process.stdout.write(JSON.stringify(lines));
}});
"""


def ledger_rows(trace: Trace, k: int, limit: int = LEDGER_TERMS) -> list[dict]:
    """One row per node that is not the output or a constant, in build order, at step k:
    the node, its routes counted, its ledger line as the page writes it, ✓ when complete."""
    return ledger_rows_at(trace, [k], limit)[0]


def ledger_rows_at(trace: Trace, steps: list[int], limit: int = LEDGER_TERMS) -> list[list[dict]]:
    """``ledger_rows`` at each of ``steps``, with one node run."""
    graph = trace.graph
    nodes = [n.key for n in graph.nodes if n.key != graph.output and n.op != "const"]
    sent, rows = [], []
    for k in steps:
        state = trace.state(k)
        lines = []
        for key in nodes:
            size = state.ledger_sizes[key]
            routes = [{"value": fmt(e.value), "term": signed_term(e.value),
                       "route": e.short_route_text}
                      for e in (state.ledgers[key][:limit] if size else ())]
            lines.append([key, size, fmt(state.gradients[key]), routes])
        sent.append(lines)
        rows.append([{"node": key, "routes": state.ledger_sizes[key],
                      "complete": "✓" if key in state.complete else ""} for key in nodes])
    run = subprocess.run([node(), "--input-type=module", "-e", SCRIPT], capture_output=True,
                         text=True, timeout=120, input=json.dumps({"limit": limit, "steps": sent}))
    assert run.returncode == 0, run.stderr
    for step_rows, lines in zip(rows, json.loads(run.stdout), strict=True):
        for row, line in zip(step_rows, lines, strict=True):
            row["ledger"] = line
    return rows
