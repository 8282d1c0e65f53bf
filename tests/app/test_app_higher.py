"""Higher derivatives in the app (AppTest): the order switch steps the graph of a
derivative with the same stepper, the table lists f, f′, f″ … beside central differences,
a program of one input gets a plot, and the URL holds the order."""

from __future__ import annotations

import math

from streamlit.testing.v1 import AppTest

from autodiff.higher import derivative
from autodiff.program import compile_program
from components.presets import POST_1, POST_3
from tests.app.apptest import base, gradients, start


def table(at: AppTest) -> dict[int, dict]:
    frame = at.table[0].value
    return {int(order): row for order, row in frame.to_dict("index").items()}


def test_order_1_is_today_and_shows_no_table():
    at = start(program=POST_3)
    assert at.radio(key="order").value == 1
    assert not at.table
    assert set(gradients(at)) >= {"a", "b", "c"}
    assert "order" not in at.query_params


def test_order_2_steps_the_graph_of_the_first_derivative():
    at = start(program=POST_3)
    at.radio(key="order").set_value(2).run()
    assert not at.exception, at.exception
    program = compile_program(POST_3)
    first = derivative(program.output, program.graph.engine["a"], 1)
    b = base(at)
    assert b["keys"][b["output"]] == "dy_da"  # the graph drawn is ∂y/∂a's
    assert len(b["nodes"]) == sum(1 for _ in __import__("autodiff").topological_order(first))
    second = derivative(program.output, program.graph.engine["a"], 2).value
    row = gradients(at)["a"]  # its backward pass gives ∂²y/∂a², checked numerically
    assert float(row["engine"]) == float(f"{second:.4g}") and row["agree"] == "✓ yes"
    assert at.query_params["order"] == "2" and at.query_params["wrt"] == "a"


def test_the_table_lists_f_and_its_derivatives_beside_differences():
    at = start(program=POST_3, order="3", wrt="b")
    assert at.radio(key="order").value == 3 and at.selectbox(key="wrt").value == "b"
    rows = table(at)
    assert [rows[k][""] for k in range(4)] == ["f", "f′", "f″", "f‴"]
    assert rows[2]["derivative"] == "∂²y/∂b²"
    assert rows[1]["engine"] == "872.2"  # the post's ∂y/∂b, 872.2331479536114
    assert rows[0]["central difference"] == "—"
    assert all(rows[k]["agree"] == "✓ yes" for k in (1, 2, 3))


def test_the_input_switch_and_a_new_value_keep_the_derivative():
    at = start(program=POST_1, order="2")
    assert gradients(at)["a"]["engine"] == "2"  # d = a² + ab
    at.selectbox(key="wrt").set_value("b").run()
    assert gradients(at).get("b", {"engine": "0"})["engine"] == "0"
    positions = {n["id"]: (n["x"], n["y"]) for n in base(at)["nodes"]}
    at.number_input(key="value-a").set_value(5.0).run()
    assert not at.exception
    assert {n["id"]: (n["x"], n["y"]) for n in base(at)["nodes"]} == positions  # same layout
    assert table(at)[1]["engine"] == "5"  # ∂d/∂b = a, re-evaluated


def test_a_program_of_one_input_gets_a_plot_of_f_and_its_derivatives():
    at = start(program="x = 0.5\ny = tanh(x)", order="2")
    chart = at.get("vega_lite_chart")
    assert chart, "no line chart"
    rows = table(at)
    t = math.tanh(0.5)
    assert float(rows[2]["engine"]) == float(f"{-2 * t * (1 - t * t):.4g}")


def test_a_bad_order_in_the_url_is_order_1():
    at = start(program=POST_1, order="99")
    assert at.radio(key="order").value == 1 and not at.table


def test_a_derivative_that_does_not_exist_at_the_values_is_a_warning_then_comes_back():
    at = start(program="x = 0\ny = x ** 1.5", order="2")
    assert "no finite derivative at 0" in at.warning[0].value and not at.table
    assert base(at)["keys"][base(at)["output"]] == "y"  # the program's own pass meanwhile
    at.number_input(key="value-x").set_value(2.0).run()
    assert not at.exception and not at.warning
    assert table(at)[2]["engine"] == "0.5303"  # 0.75 / sqrt(2)
