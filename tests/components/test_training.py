"""The Training view's pure parts: URL settings (untrusted, bounded), costs, chart data,
the rows a person reads, timings with ratios, the node-count sentence."""

from __future__ import annotations

import math

from components import training as tv

ENGINES = ("naive", "numpy")


def test_defaults_are_the_posts_demo():
    s = tv.Settings()
    assert (s.inputs, s.outputs, s.lrate, s.steps, s.seed, s.engine) == (50, 10, 0.001, 100,
                                                                           0, "naive")


def test_settings_round_trip_through_the_url():
    s = tv.Settings(inputs=7, outputs=3, lrate=0.0123456789, steps=42, seed=9, engine="numpy")
    query = tv.settings_to_query(s)
    assert query["view"] == "training"
    assert tv.settings_from_query(query, ENGINES) == s


def test_bad_url_values_keep_their_defaults():
    query = {"inputs": "lots", "outputs": "-3", "lrate": "nan", "steps": "1e9",
             "seed": "2.5", "engine": "<script>"}
    assert tv.settings_from_query(query, ENGINES) == tv.Settings()
    assert tv.settings_from_query({"lrate": "inf"}, ENGINES).lrate == 0.001
    assert tv.settings_from_query({"engine": "array"}, ENGINES).engine == "naive"


def test_costs_are_bounded_with_what_to_do():
    assert tv.too_costly(tv.Settings(), "naive") is None
    big = tv.Settings(inputs=1000, outputs=100, steps=100)
    message = tv.too_costly(big, "naive")
    assert "301,599 scalar nodes per step" in message and "use fewer" in message
    assert tv.too_costly(big, "numpy") is None
    assert "multiply-adds" in tv.too_costly(tv.Settings(2000, 1000, steps=1000), "numpy")


def test_chart_data_and_the_rows_shown():
    losses = [5.0, 4.0, 3.5, 3.25]
    assert tv.chart_data(losses) == {"step": [1, 2, 3, 4], "loss": losses}
    assert tv.chart_data([5.0, math.inf]) == {"step": [1], "loss": [5.0]}  # not a point
    rows = tv.loss_rows(losses, rows=3)
    assert rows == [{"step": "1", "loss": "5.0"}, {"step": "3", "loss": "3.5"},
                    {"step": "4", "loss": "3.25"}]
    assert tv.loss_rows([2.0]) == [{"step": "1", "loss": "2.0"}] and tv.loss_rows([]) == []
    assert len(tv.loss_rows(list(range(100)))) == 6


def test_timings_sorted_fastest_first_with_ratios():
    rows = tv.timing_rows({"naive": 0.004, "numpy": 0.00002})
    assert [r["engine"] for r in rows] == ["numpy reference", "naive (the post: scalar nodes)"]
    assert [r["× the fastest"] for r in rows] == ["1.0", "200.0"]
    assert rows[1]["ms per step"] == "4"
    assert tv.timing_rows({}) == []


def test_agreement_in_words():
    assert "agree" in tv.agreement_text({"naive": [3.0, 2.0], "numpy": [3.0, 2.0 + 1e-13]})
    assert "differ" in tv.agreement_text({"naive": [3.0, 2.0], "numpy": [3.0, 2.1]})
    assert tv.agreement_text({"naive": [3.0]}) == ""


def test_node_count_sentence():
    text = tv.node_count_text(50, 10)
    assert "1,609 scalar nodes" in text and "560 leaves" in text
    assert "32 scalar nodes" in tv.node_count_text(3, 2)


def test_progress_sentence():
    assert tv.progress_text("naive", 3, 10, math.pi).endswith("step 3 of 10, loss 3.142")


def test_the_ratio_sentence_puts_naive_and_array_side_by_side():
    text = tv.ratio_text({"naive": 0.012, "array": 0.0001, "numpy": 0.00002})
    assert "12 ms" in text and "0.1 ms" in text and "120× faster" in text
    assert tv.ratio_text({"naive": 0.01, "numpy": 0.001}) == ""  # no array run: no sentence


def test_the_array_engine_builds_a_handful_of_nodes_whatever_the_size():
    assert "7 nodes" in tv.array_count_text(2000, 1000)
    graph = tv.array_layer_graph(2000, 1000, 0)
    assert len(graph.nodes) == 7 and graph["W"].value.shape == (2000, 1000)


def test_both_graphs_are_built_for_the_stepper():
    array = tv.built_layer("array", 4, 3, 0, "route-stack")
    assert array.trace.total_steps == 6 and array.counts == {"route-stack": 6, "topological": 6}
    assert set(array.positions) == {n.key for n in array.trace.graph.nodes}
    tiny = tv.built_layer("naive", 4, 3, 0, "topological")
    assert len(tiny.trace.graph.nodes) == 32 and tiny.trace.algorithm == "topological"
    assert tiny.numeric and all(math.isfinite(v) for v in tiny.numeric.values())
    assert array.ident != tv.built_layer("array", 4, 3, 1, "route-stack").ident  # seed counts
    assert array.ident == tv.built_layer("array", 4, 3, 0, "route-stack").ident


def test_the_divergence_warning_names_the_rate_and_a_smaller_one():
    text = tv.divergence_text(2, 504862.29610785947, 1711.1598338302542, 0.5)
    assert text == ("The loss grew past 10× its first value at step 2 (5.049e+5 against "
                    "1711) with learning rate 0.5: the descent diverges, so the run "
                    "stopped there. Lower the learning rate: try 0.05 or smaller.")
    text = tv.divergence_text(7, math.nan, 3.0, 0.0123456789)
    assert text.startswith("The loss stopped being a finite number at step 7 with learning "
                           "rate 0.0123456789:") and text.endswith("try 0.0012 or smaller.")
    assert [tv.smaller_rate(r) for r in (10.0, 0.5, 0.003, 1e-5)] == [
        "1", "0.05", "0.0003", "1e-06"]


def test_the_loss_chart_is_linear_or_log_with_readable_ticks():
    linear, log = tv.loss_chart_spec(False), tv.loss_chart_spec(True)
    assert "scale" not in linear["encoding"]["y"] and linear["encoding"]["y"]["title"] == "loss"
    assert log["encoding"]["y"]["scale"] == {"type": "log"}
    assert log["encoding"]["y"]["title"] == "loss (log scale)"
    assert linear["encoding"]["x"]["axis"]["tickMinStep"] == 1  # whole steps only
    axis = linear["config"]["axis"]
    assert axis["labelFontSize"] >= 14 and axis["titleFontSize"] >= 14
    assert "format(" in axis["labelExpr"]  # short numbers, never Vega's runaway decimals
