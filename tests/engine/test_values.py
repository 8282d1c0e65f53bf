"""One syntax for input values, read by the command line and by the app's URL."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autodiff.program.values import ValuesError, format_values, parse_values


@pytest.mark.parametrize("text", [
    "a=1,b=-2.5e1,c=.5",  # the canonical form
    "a:1,b:-2.5e1,c:.5",  # the URL's old form: links already shared still open
    " a = 1 , b : -2.5e1,c=.5 ",  # spaces, and the two forms mixed
    "a=1,,b=-25,c=0.5,",  # empty parts are nothing
])
def test_both_forms_read_the_same(text):
    assert parse_values(text) == {"a": 1.0, "b": -25.0, "c": 0.5}


def test_repeated_options_add_up_in_order():
    assert parse_values(["a=1,b=2", " c = .5 "]) == {"a": 1.0, "b": 2.0, "c": 0.5}
    assert list(parse_values(["b=2", "a=1"])) == ["b", "a"]
    assert parse_values([]) == {} and parse_values("") == {}


@pytest.mark.parametrize("part", [
    "a", "a=", "=1", ":3", "1a=2", "a b=1", "a=1=2", "a=1:2", "a=x", "a=1_000", "a=0x10",
    "a=\u0663", "\u00e9=1", "a=1 2", "a=--1",
])
def test_malformed_parts_are_refused_with_their_text(part):
    with pytest.raises(ValuesError, match="is not NAME=NUMBER") as caught:
        parse_values(f"ok=1,{part}")
    assert repr(part.strip()) in str(caught.value)


@pytest.mark.parametrize("part", ["a=nan", "a=inf", "a=-inf", "a:Infinity", "a=NaN"])
def test_words_for_non_finite_numbers_are_not_numbers(part):
    with pytest.raises(ValuesError, match="is not NAME=NUMBER"):
        parse_values(part)


@pytest.mark.parametrize("part", ["a=1e400", "a:-1e309"])
def test_decimals_too_large_for_a_float_are_refused(part):
    with pytest.raises(ValuesError, match="too large for a float"):
        parse_values(part)


def test_a_name_given_twice_is_refused():
    with pytest.raises(ValuesError, match="`a` is given twice"):
        parse_values(["a=1", "a:2"])


def test_skipping_keeps_the_good_parts_of_a_hand_made_link():
    text = "a:4,b=x,c:inf,d=1e400,,e 2,a=5,f:-0.5"
    assert parse_values(text, skip_malformed=True) == {"a": 4.0, "f": -0.5}


def test_format_writes_the_canonical_form_exactly():
    assert format_values({"a": 4.0, "b": 3, "c": 0.1, "d": -2.5e-7, "e": 1e16}) == (
        "a=4,b=3,c=0.1,d=-2.5e-07,e=1e+16")
    assert format_values({}) == ""
    assert format_values({"z": -0.0}) == "z=-0"
    with pytest.raises(ValueError, match="not a finite number"):
        format_values({"a": math.inf})


finite = st.floats(allow_nan=False, allow_infinity=False)
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


@given(st.dictionaries(names, finite, max_size=6))
def test_format_then_parse_is_exact(values):
    back = parse_values(format_values(values))
    assert back == values and list(back) == list(values)
    assert all(math.copysign(1, back[k]) == math.copysign(1, v) for k, v in values.items())
