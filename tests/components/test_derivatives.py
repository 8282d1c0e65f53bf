"""The pure part of the derivatives view: labels, table rows and plotted series from plans."""

from __future__ import annotations

import math

from autodiff.higher import derivatives
from autodiff.placeholder import compile_plan
from autodiff.program import compile_program
from components.charts import TEXT_PX
from components.derivatives import (
    graph_inputs,
    leibniz_label,
    plot_points,
    plot_range,
    plot_series,
    plot_spec,
    prime_label,
    table_rows,
)


def plans_of(text: str, wrt: str, order: int):
    program = compile_program(text)
    chain = derivatives(program.output, program.graph.engine[wrt], order)
    return program, [compile_plan(node) for node in chain]


def test_labels():
    assert [prime_label(k) for k in range(6)] == ["f", "f′", "f″", "f‴", "f⁽⁴⁾", "f⁽⁵⁾"]
    assert [leibniz_label("y", "a", k) for k in range(3)] == ["y", "∂y/∂a", "∂²y/∂a²"]


def test_rows_of_a_cube_end_in_a_constant_and_agree_with_differences():
    program, plans = plans_of("x = 2\ny = x ** 3", "x", 4)
    rows = table_rows(plans, {"x": 2.0}, "y", "x")
    assert [r["engine"] for r in rows] == ["8", "12", "12", "6", "0"]
    assert rows[0]["agree"] == "—" and all(r["agree"] == "✓ yes" for r in rows[1:])
    assert rows[4]["central difference"] == "0"  # f‴ = 6 no longer depends on x
    assert graph_inputs(program.graph) == ["x"]


def test_a_curve_is_empty_where_an_op_cannot_take_the_value():
    _, plans = plans_of("x = 1\ny = log(x)", "x", 1)
    xs = plot_range(1.0, points=5)
    assert xs == [0.0, 0.5, 1.0, 1.5, 2.0]
    series = plot_series(plans, "x", xs)
    assert series["f"][0] is None and series["f′"][0] is None  # log(0), 1/0
    assert math.isclose(series["f′"][1], 2.0) and math.isclose(series["f"][3], math.log(1.5))


def test_the_url_holds_the_order_only_from_2_on():
    from components import state

    plain = state.share_query("x = 1\ny = x", {"x": 1.0}, 0, "route-stack")
    assert "order" not in plain
    query = state.share_query("x = 1\ny = x", {"x": 1.0}, 3, "route-stack", 2, "x")
    assert query.endswith("&algorithm=route-stack&order=2&wrt=x")
    assert [state.parse_order(t) for t in ("2", "6", "7", "0", "two", None)] == [2, 6, 1, 1, 1, 1]


def test_the_plot_is_one_long_table_of_every_curve():
    points = plot_points([0.0, 1.0], {"f": [1.0, 2.0], "f′": [None, 3.0]})
    assert points == {"at": [0.0, 1.0, 0.0, 1.0], "curve": ["f", "f", "f′", "f′"],
                      "value": [1.0, 2.0, None, 3.0]}


def test_each_curve_has_its_own_hue_and_dash_in_one_legend():
    # issue 18: f and f′ were two similar blues, told apart by colour alone
    labels = [prime_label(k) for k in range(7)]  # f … f⁽⁶⁾, the most the order switch offers
    encoding = plot_spec(labels, "x")["encoding"]
    colour, dash = encoding["color"], encoding["strokeDash"]
    assert colour["field"] == dash["field"] == "curve"  # one legend shows both
    assert colour["scale"]["domain"] == dash["scale"]["domain"] == labels  # f first, in order
    hues, dashes = colour["scale"]["range"], dash["scale"]["range"]
    assert len(set(hues)) == len(set(map(tuple, dashes))) == 7
    assert colour["legend"] == dash["legend"] and colour["legend"] is not False
    assert encoding["x"]["title"] == "x"


def test_the_plots_text_is_readable():
    config = plot_spec(["f", "f′"], "x")["config"]
    assert config["axis"]["labelFontSize"] >= 14 and config["legend"]["labelFontSize"] >= 14
    assert TEXT_PX >= 14
