"""The classic mistakes, shown (issue 21, item 3): a backward pass that overwrites instead of
adding, one run twice without zeroing, and the gradients before any backward pass, each
exposed by the central-difference check."""

from __future__ import annotations

import pytest

from autodiff import Add, Mul, Var, gradients
from autodiff.mistakes import WHAT_IFS, check_what_if, what_if


def square(x0: float = 3.0):
    x = Var(x0, name="x")
    return x, Mul(x, x, name="y")


def post_first_example():
    a, b = Var(4, name="a"), Var(3, name="b")
    return a, b, Mul(a, Add(a, b, name="c"), name="d")


def test_overwrite_keeps_only_the_last_route():
    x, y = square()
    assert gradients(y)[x] == 6
    assert what_if(y, "overwrite")[x] == 3  # x*x at 3: one of its two routes
    [row] = check_what_if(y, "overwrite")
    assert row["node"] is x and row["right"] == 6 and row["wrong"] == 3
    assert row["central"] == pytest.approx(6) and row["agree"] is False


def test_overwrite_on_the_post_example_loses_a_route_at_a_only():
    a, b, d = post_first_example()
    wrong = what_if(d, "overwrite")
    assert wrong[b] == 4 and wrong[a] in (4, 7)  # 11 is 4 + 7: one route kept
    assert [r["agree"] for r in check_what_if(d, "overwrite")] == [False, True]


def test_twice_without_zeroing_doubles_every_gradient_below_the_output():
    a, b, d = post_first_example()
    twice = what_if(d, "twice")
    assert (twice[a], twice[b], twice[d]) == (22, 8, 1)
    assert not any(r["agree"] for r in check_what_if(d, "twice"))


def test_no_backward_yet_is_all_zeros():
    a, b, d = post_first_example()
    assert set(what_if(d, "no_backward").values()) == {0.0}
    assert not any(r["agree"] for r in check_what_if(d, "no_backward"))


def test_a_node_of_one_route_is_right_even_overwritten():
    x = Var(2.0, name="x")
    y = Mul(Add(x, Var(1.0, name="k")), Var(5.0, name="w"))
    assert what_if(y, "overwrite") == gradients(y)


def test_every_mistake_is_explained_and_an_unknown_one_refused():
    assert set(WHAT_IFS) == {"overwrite", "twice", "no_backward"}
    assert all(title and why.endswith(".") for title, why in WHAT_IFS.values())
    _, y = square()
    with pytest.raises(ValueError, match="unknown mistake"):
        what_if(y, "typo")
