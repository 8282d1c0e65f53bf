"""The what-if table and the shades of gradient sizes as view data (no Streamlit): the rows
are the right backward, the mistake's and the check, in the Gradients check's order; the
shades cut the gradients' sizes at powers of ten."""

from __future__ import annotations

import math

import pytest

from autodiff.program import compile_program
from components.jacobian_view import passes_note
from components.model import APP_MAX_STEPS
from components.what_if import (
    PALEST,
    SHADE_BANDS,
    gradient_shades,
    shade_legend,
    what_if_rows,
)


@pytest.mark.parametrize(("gradient", "band"), [
    (1.0, 0), (-0.1, 0), (0.0999, 1), (0.01, 1), (-5e-3, 2), (1e-4, 3), (9.9e-5, None),
    (0.0, None), (math.inf, 0), (math.nan, 0)])
def test_a_gradient_falls_in_the_band_of_its_size(gradient, band):
    expected = PALEST if band is None else SHADE_BANDS[band][1]
    assert gradient_shades({"n": gradient}) == {"n": expected}


def test_the_legend_names_every_band_in_words_largest_first():
    assert [words for _, words in shade_legend()] == [
        "≥ 0.1", "≥ 0.01", "≥ 0.001", "≥ 0.0001", "< 0.0001"]


def test_a_node_without_an_estimate_gets_no_verdict():
    graph = compile_program("x = 3\ny = x * x").graph
    table = what_if_rows(graph, "overwrite", {}, max_pops=APP_MAX_STEPS)
    assert table.rows[0]["central difference"] == "—" and table.rows[0]["check"] == "—"
    assert table.exposed == []


def test_overwrite_refuses_a_graph_with_more_routes_than_the_app_walks():
    text = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 12)  # 2**13 routes and more
    graph = compile_program(text).graph
    table = what_if_rows(graph, "overwrite", {}, max_pops=APP_MAX_STEPS)
    assert table.rows == [] and "more than the 20,000 the app walks" in table.refused
    assert what_if_rows(graph, "twice", {}, max_pops=APP_MAX_STEPS).rows  # a sweep: no limit


def test_the_passes_note_counts_one_pass_in_the_singular():
    assert "one pass per input: 1 pass," in passes_note(2, 1)
