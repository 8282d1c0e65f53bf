"""The one number formatter: each named precision writes numbers as the place using it did."""

from __future__ import annotations

import numpy as np
import pytest

from autodiff.core.numbers import DISPLAY, EXACT, FULL, MESSAGE, PLAIN, fmt, signed_term


@pytest.mark.parametrize(("x", "precision", "text"), [
    (60.85353612046653, FULL, "60.85353612046653"),  # every digit, reads back exactly
    (4.0, FULL, "4.0"),
    (4.0, EXACT, "4"),  # the value syntax: a=4
    (0.1, EXACT, "0.1"),
    (60.85353612046653, DISPLAY, "60.85"),  # the page: labels, stack, narration, ledger
    (1e6, DISPLAY, "1e+6"),  # exponent without its leading zero
    (-0.0, DISPLAY, "0"),
    (12345678, DISPLAY, "1.235e+7"),
    (1234567, DISPLAY, "1234567"),
    (1e6, PLAIN, "1e+06"),  # Python's :g, for constants in formulas
    (-0.0, PLAIN, "-0"),
    (-1.0, MESSAGE, "-1.0"),  # "log of -1.0"
    ((0.0, -2.0), MESSAGE, "0.0 and -2.0"),  # an op's operands
    (3, MESSAGE, "3"),
    (True, DISPLAY, "True"),
    (None, DISPLAY, "None"),
])
def test_each_precision_writes_a_number_as_named(x, precision, text):
    assert fmt(x, precision) == text


def test_numpy_scalars_are_written_as_floats_and_arrays_as_their_shape_and_first_entries():
    assert fmt(np.float64(0.5), FULL) == "0.5"
    assert fmt(np.array([1.0, 2.0])) == "2 [1, 2]"
    assert fmt(np.arange(12.0).reshape(3, 4) / 7) == "3×4 [0, 0.1429, …]"


def test_the_default_precision_is_the_pages_one_precision():
    assert fmt(872.2331479536114) == fmt(872.2331479536114, DISPLAY) == "872.2"



@pytest.mark.parametrize(("x", "term"), [
    (7, "+ 7"), (-1.01136e-5, "- 1.011e-5"), (-13765.3, "- 1.377e+4"), (0.0, "+ 0"),
    (-0.0, "+ 0"),  # -0 is written 0: no minus before it
])
def test_a_later_term_of_a_sum_carries_its_sign_as_the_operator(x, term):
    assert signed_term(x) == term
