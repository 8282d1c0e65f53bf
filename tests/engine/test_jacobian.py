"""The Jacobian of several outputs by reverse mode (one backward pass per output), checked
against central differences and against forward mode (one pass per input)."""

from __future__ import annotations

import pytest

import autodiff.jacobian as jac
from autodiff import Add, Exp, Log, Mul, Sin, Var, numerical_gradients
from autodiff.forward import forward_pass
from autodiff.numeric import agree
from autodiff.program import compile_program


def post_3_and_a_second_output():
    """The post's third example, y, beside a second output z of two of its inputs."""
    a, b, c = Var(43.0, name="a"), Var(3.0, name="b"), Var(2.0, name="c")
    f = Sin(a * b) + Exp(c - (a / b))
    y = Log(f * f) * c
    z = Mul(a, Add(b, Sin(b)))
    return (y, z), (a, b, c)


def test_a_two_output_jacobian_matches_central_differences():
    outputs, inputs = post_3_and_a_second_output()
    rows = jac.jacobian(outputs, inputs)
    for output, row in zip(outputs, rows, strict=True):
        estimates = numerical_gradients(output, wrt=inputs)
        assert list(row) == list(inputs)
        assert all(agree(row[x], estimates[x]) for x in inputs), (row, estimates)
    y_row, z_row = rows
    assert (y_row[inputs[0]], y_row[inputs[1]], y_row[inputs[2]]) == (
        60.85353612046653, 872.2331479536114, -3.2853671032530305)  # the post's numbers


def test_an_input_an_output_does_not_depend_on_gets_zero_in_its_row():
    (y, z), (a, b, c) = post_3_and_a_second_output()
    z_row = jac.jacobian([z], [a, b, c])[0]
    assert z_row[c] == 0.0  # z = a (b + sin b) never reads c
    assert z_row[a] == pytest.approx(3.0 + 0.1411200080598672)


def test_the_columns_default_to_every_input_below_any_output_in_build_order():
    outputs, inputs = post_3_and_a_second_output()
    assert jac.jacobian_inputs(outputs[::-1]) == list(inputs)
    assert [list(row) for row in jac.jacobian(outputs)] == [list(inputs)] * 2


def test_reverse_rows_equal_forward_columns():
    outputs, inputs = post_3_and_a_second_output()
    rows = jac.jacobian(outputs, inputs)
    for x in inputs:  # one forward pass per input gives a column
        for output, row in zip(outputs, rows, strict=True):
            column = forward_pass(output, x)[-1].tangent
            assert column == pytest.approx(row[x], rel=1e-12)


def test_the_numerical_jacobian_has_the_same_shape_and_agrees():
    outputs, inputs = post_3_and_a_second_output()
    exact, estimated = jac.jacobian(outputs, inputs), jac.numerical_jacobian(outputs, inputs)
    assert [list(r) for r in estimated] == [list(r) for r in exact]
    assert all(agree(e[x], n[x]) for e, n in zip(exact, estimated, strict=True) for x in inputs)


def test_a_programs_jacobian_by_name_matches_the_engines():
    program = compile_program("a = 43.\nb = 3.\nc = 2.\nunused = 1\n"
                              "f = sin(a * b) + exp(c - (a / b))\ny = log(f * f) * c\n"
                              "z = a * (b + sin(b))\noutputs = y, z")
    table = program.jacobian()
    assert list(table) == ["y", "z"]
    assert list(table["y"]) == ["a", "b", "c", "unused"]  # every input, the program's order
    assert table["y"]["a"] == 60.85353612046653 and table["z"]["c"] == 0.0
    assert table["y"]["unused"] == table["z"]["unused"] == 0.0
    numerical = program.numerical_jacobian()
    assert all(agree(table[y][x], numerical[y][x]) for y in table for x in table[y])
