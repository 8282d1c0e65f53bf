"""The chain rule written out (issue 20, item 3): per step, the product along the popped
route and, where a node's gradient becomes final, the sum over its routes, each as symbols,
then values, then the number (TeX for KaTeX)."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import BACKWARD, ROUTE_STACK, TOPOLOGICAL, make_trace
from autodiff.trace.chain import number, written_out
from components.presets import DEEP, POST_1, PRESETS

D = r"\mathrm{d}"


def frac(top: str, bottom: str) -> str:
    return rf"\frac{{\partial \mathrm{{{top}}}}}{{\partial \mathrm{{{bottom}}}}}"


def post_1(algorithm: str = ROUTE_STACK):
    return make_trace(compile_program(POST_1).graph, algorithm)


def test_step_2_of_the_first_example_multiplies_along_its_route():
    [route] = written_out(post_1().state(2))
    assert route.symbols == rf"{frac('d', 'c')} \cdot {frac('c', 'b')}"
    assert (route.values, route.number) == (r"4 \cdot 1", "4")
    assert route.tex == (rf"{D} \to \mathrm{{c}} \to \mathrm{{b}}\colon\ {route.symbols}"
                         r" = 4 \cdot 1 = 4")


def test_the_last_step_adds_a_routes_when_its_gradient_is_final():
    route, total = written_out(post_1().state(4))
    assert route.tex == rf"{D} \to \mathrm{{a}}\colon\ {frac('d', 'a')} = 7"  # one edge: no 7 = 7
    assert total.what == "a's gradient, every route counted"
    assert total.symbols == rf"{frac('d', 'c')} \cdot {frac('c', 'a')} + {frac('d', 'a')}"
    assert (total.values, total.number) == ("4 + 7", "11")
    assert total.tex.startswith(frac("d", "a") + " = ")


def test_a_node_of_one_route_gets_no_sum_and_the_start_no_equation():
    trace = post_1()
    assert written_out(trace.state(0)) == []
    assert len(written_out(trace.state(2))) == 1  # b is final here, by its one route


def test_a_topological_visit_sums_over_the_users():
    [visit] = written_out(post_1(TOPOLOGICAL).state(3))  # a, used by d and by c
    assert visit.symbols == (rf"{frac('d', 'd')} \cdot {frac('d', 'a')} + "
                             rf"{frac('d', 'c')} \cdot {frac('c', 'a')}")
    assert (visit.values, visit.number) == (r"1 \cdot 7 + 4 \cdot 1", "11")


def test_numbers_are_written_as_the_page_writes_them():
    # a minus sign is the page's hyphen (TeX's math mode would draw a long one)
    assert number(1.5e-5) == r"1.5 \times 10^{\text{-}5}"
    assert number(-58888.4) == r"\text{-}5.889 \times 10^{4}"
    assert number(0.0434215) == "0.04342"
    step = next(s for s in make_trace(compile_program("a = 2\nb = 3\ny = a - b").graph).states()
                if s.popped and s.popped.node == "b")
    [route] = written_out(step)
    assert r"\left(\text{-}1\right)" in route.values and route.number == r"\text{-}1"


def test_a_negative_term_is_subtracted():
    step = next(s for s in make_trace(compile_program("a = 2\nb = a * -3 + a").graph).states()
                if s.popped and s.popped.node == "a" and len(written_out(s)) == 2)
    route, total = written_out(step)  # a's routes: 1 (b→a) and 1 × -3 (b→mul1→a)
    assert route.values == r"1 \cdot \left(\text{-}3\right)"
    assert total.values == r"1 \mathbin{\text{-}} 3" and total.number == r"\text{-}2"


def test_a_deep_route_is_cut_as_the_page_cuts_a_route():
    trace = make_trace(compile_program(DEEP).graph)
    [route] = written_out(trace.state(trace.last_index))[:1]
    assert route.left.count(r"\to") == 7 and r"\cdots" in route.left
    assert route.symbols.count(r"\frac") == 6 and route.values.count(r" \cdot ") == 6


@pytest.mark.parametrize("algorithm", BACKWARD)
@pytest.mark.parametrize("name", list(PRESETS))
def test_every_step_of_every_preset_writes_its_number(name, algorithm):
    trace = make_trace(compile_program(PRESETS[name]).graph, algorithm)
    for state in trace.states():
        for equation in written_out(state):
            expected = (state.popped.value if equation.what.startswith("the route")
                        else state.gradients[state.popped.node])
            assert equation.number == number(expected)
            assert equation.tex.endswith(equation.number)
