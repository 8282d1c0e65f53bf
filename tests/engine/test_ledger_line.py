"""A node's line in the route ledger (autodiff/trace/ledger.py), the one rule the page and
the step tables write it by: the post's sum of routes, a negative route subtracted, a long
ledger cut with a count, forward mode's seeded leaves."""

from __future__ import annotations

from autodiff.program import compile_program
from autodiff.trace import FORWARD, ROUTE_STACK, TOPOLOGICAL, make_trace
from autodiff.trace.ledger import ledger_line, node_line, route_number

POST_FIRST = "a = 4\nb = 3\nc = a + b\nd = a * c\n"


def _trace(program: str, algorithm: str = ROUTE_STACK):
    return make_trace(compile_program(program).graph, algorithm)


def test_a_node_adds_its_routes_as_the_post_does():
    trace = _trace(POST_FIRST)
    lines = [node_line(trace, "a", k).text() for k in range(trace.last_index + 1)]
    assert "a = 4 (d→c→a) = 4" in lines
    assert lines[-1] == "a = 4 (d→c→a) + 7 (d→a) = 11"
    assert lines[0] == "a = 0 (no route yet)"


def test_the_topological_sweep_writes_its_contributions_the_same_way():
    trace = _trace(POST_FIRST, TOPOLOGICAL)
    assert node_line(trace, "a", trace.last_index).text() == "a = 7 (d→a) + 4 (c→a) = 11"


def test_the_first_route_is_written_as_it_is_a_later_one_as_a_term():
    assert [route_number(0, 5), route_number(1, 7), route_number(1, -4.5)] == ["5", "+ 7", "- 4.5"]
    b = ledger_line("b", 2, "1.486e+4", [("5.889e+4", "y→add4→neg2→b"),
                                         ("- 4.402e+4", "y→mul3→add3→b")].__getitem__)
    assert b.text() == "b = 5.889e+4 (y→add4→neg2→b) - 4.402e+4 (y→mul3→add3→b) = 1.486e+4"


def test_a_ledger_longer_than_its_limit_writes_the_first_routes_and_counts_the_rest():
    many = [(str(j) if not j else f"+ {j}", "y→x") for j in range(1234)]
    line = ledger_line("x", 1234, "9", many.__getitem__, limit=3)
    assert line.more == "+ … 1,231 more"
    assert line.text() == "x = 0 (y→x) + 1 (y→x) + 2 (y→x) + … 1,231 more = 9"
    assert ledger_line("x", 3, "3", many.__getitem__, limit=3).more == ""  # exactly the limit


def test_forward_modes_leaves_are_seeded_or_not_in_their_pass():
    trace = _trace(POST_FIRST, FORWARD)
    texts = {node_line(trace, key, k).text("not visited in this pass yet")
             for k in range(trace.last_index + 1) for key in ("a", "b")}
    assert "a = 1 (seeded) = 1" in texts and "b = 0 (not seeded) = 0" in texts
    assert "a = 0 (not visited in this pass yet)" in texts
