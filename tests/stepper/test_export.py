"""The trace as JSON, CSV, Markdown and text."""

from __future__ import annotations

import csv
import io
import json

from autodiff import Add, Mul, Var
from autodiff.core.graph import snapshot
from autodiff.trace import TOPOLOGICAL, make_trace
from autodiff.trace.export import ledger_csv, trace_to_json, trace_to_markdown, trace_to_text


def post_first_example():
    a, b = Var(4, name="a"), Var(3, name="b")
    return snapshot(Mul(a, Add(a, b, name="c"), name="d"))


def test_json_document_has_the_documented_shape_and_the_posts_pops():
    doc = trace_to_json(make_trace(post_first_example()))
    json.dumps(doc)  # serialisable as is
    assert doc["algorithm"] == "route-stack" and doc["output"] == "d"
    assert doc["total_steps"] == 4
    assert doc["nodes"][3] == {"id": "d", "name": "d", "op": "mul", "value": 28, "inputs": [
        {"node": "a", "local_derivative": 7}, {"node": "c", "local_derivative": 4}]}
    assert [(s["index"], s["popped"], s["route"], s["route_value"], s["gradient"])
            for s in doc["steps"]] == [
        (1, "c", ["d", "c"], 4, 4), (2, "b", ["d", "c", "b"], 4, 4),
        (3, "a", ["d", "c", "a"], 4, 4), (4, "a", ["d", "a"], 7, 11)]
    assert doc["gradients"] == {"d": 1.0, "a": 11.0, "c": 4.0, "b": 4.0}


def test_json_total_is_exact_when_steps_are_cut():
    doc = trace_to_json(make_trace(post_first_example()), max_steps=2)
    assert doc["total_steps"] == 4 and len(doc["steps"]) == 2


def test_ledger_csv_rows_and_running_totals():
    rows = list(csv.DictReader(io.StringIO(ledger_csv(make_trace(post_first_example()), 4))))
    a_rows = [(r["route"], r["factors"], r["route_value"], r["running_total"])
              for r in rows if r["node"] == "a"]
    assert a_rows == [("d→c→a", "4 × 1", "4", "4"), ("d→a", "7", "7", "11")]
    halfway = list(csv.DictReader(io.StringIO(ledger_csv(make_trace(post_first_example()), 2))))
    assert [r["node"] for r in halfway] == ["b", "c"]


def test_topological_csv_shows_the_carried_gradient():
    rows = list(csv.DictReader(io.StringIO(
        ledger_csv(make_trace(post_first_example(), TOPOLOGICAL), 3))))
    assert [(r["node"], r["route"], r["factors"]) for r in rows if r["node"] == "a"] == [
        ("a", "d→a", "1 × 7"), ("a", "c→a", "4 × 1")]


def test_markdown_handout_has_one_row_per_step_and_the_finals():
    md = trace_to_markdown(make_trace(post_first_example()))
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 5  # header + steps 0..4
    assert "| 4 | a | d→a | 7 | 11 |" in md
    assert "Final gradients: d = 1, a = 11, c = 4, b = 4." in md


def test_text_table_for_terminals():
    text = trace_to_text(make_trace(post_first_example()), max_steps=3)
    assert "route-stack: 4 pops for output d" in text
    assert "... 1 more steps not shown" in text
    assert "Pop (c, 4): c's gradient becomes 4." in text
