"""The Training view through AppTest: reached by URL, run with small sizes, its numbers are
the engine's, the loss falls, the URL and the sidebar choice agree."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from autodiff.array import naive, training
from tests.app.apptest import start


def run_demo(at: AppTest, **values) -> AppTest:
    for name, value in values.items():
        at.number_input(key=f"train_{name}").set_value(value)
    at.run()
    at.button(key="train_run").click().run()
    assert not at.exception, at.exception
    return at


def chart_losses(at: AppTest) -> list[float]:
    (chart,) = at.get("vega_lite_chart")
    proto = chart.proto
    data = proto.data.data if proto.HasField("data") else proto.datasets[0].data.data
    frame = pa.ipc.open_stream(data).read_pandas()
    assert frame["step"].tolist() == list(range(1, len(frame) + 1))
    return frame["loss"].tolist()


def shown_losses(at: AppTest) -> dict[int, float]:
    frame = next(t.value for t in at.table if "loss" in t.value.columns)
    return {int(s): float(v) for s, v in zip(frame["step"], frame["loss"], strict=True)}


def test_url_opens_the_training_view_with_the_posts_defaults():
    at = start(view="training")
    fields = {n.key: n.value for n in at.number_input}
    assert fields == {"train_inputs": 50, "train_outputs": 10, "train_lrate": 0.001,
                      "train_steps": 100, "train_seed": 0}
    assert at.radio(key="view").value == "training"
    assert at.radio(key="train_engine").options[-1] == "array engine"  # selectable
    text = " ".join(m.value for m in at.markdown)
    assert "1,609 scalar nodes" in text and "7 nodes" in text  # thousands against a handful
    assert [b.key for b in at.button] == ["train_run"]  # the program's stepper is not drawn


def test_a_small_run_shows_the_engines_falling_losses():
    at = run_demo(start(view="training"), inputs=5, outputs=2, steps=10)
    expected = training.train(training.NaiveEngine(), 5, 2, 0.001, 10, 0).losses
    assert chart_losses(at) == list(expected)
    shown = shown_losses(at)
    assert shown[1] == expected[0] and shown[10] == expected[9]
    assert all(shown[k] == expected[k - 1] for k in shown)
    assert expected[-1] < expected[0]
    (progress,) = at.get("progress")
    assert progress.proto.value == 100 and "10 steps" in progress.proto.text
    timing = next(t.value for t in at.table if "ms per step" in t.value.columns)
    assert len(timing) == len(training.engines())  # every engine timed side by side
    assert sorted(timing["× the fastest"].astype(float))[0] == 1.0
    assert any("agree to 1e-9" in c.value for c in at.caption)
    assert at.query_params["steps"] == "10" and at.query_params["inputs"] == "5"


def test_the_numpy_engine_draws_the_same_curve():
    at = start(view="training", inputs="5", outputs="2", steps="10", engine="numpy")
    at.button(key="train_run").click().run()
    assert not at.exception, at.exception
    expected = training.train(training.NumpyEngine(), 5, 2, 0.001, 10, 0).losses
    assert chart_losses(at) == list(expected)


def test_a_huge_naive_run_is_refused_with_what_to_do():
    at = start(view="training", inputs="2000", outputs="1000", steps="1000")
    assert at.button(key="train_run").disabled
    (warning,) = at.warning
    assert "scalar nodes per step" in warning.value and "use fewer" in warning.value


def test_a_diverging_run_stops_and_says_to_lower_the_learning_rate():
    # issue 18: at 0.5 the loss climbed to 5.6e247 over 100 steps with no word
    at = run_demo(start(view="training"), lrate=0.5)
    (warning,) = at.warning
    assert warning.value == (
        "The loss grew past 10× its first value at step 2 (5.049e+5 against 1711) with "
        "learning rate 0.5: the descent diverges, so the run stopped there. Lower the "
        "learning rate: try 0.05 or smaller.")
    assert chart_losses(at) == list(training.train(training.NaiveEngine(), lrate=0.5,
                                                   steps=2).losses)
    (progress,) = at.get("progress")
    assert progress.proto.text == "Stopped at step 2 of 100: the descent diverges"
    timing = next(t.value for t in at.table if "ms per step" in t.value.columns)
    assert len(timing) == len(training.engines())  # the others timed on the same 2 steps


def test_the_suggestion_follows_the_learning_rate():
    at = run_demo(start(view="training"), inputs=50, outputs=10, steps=200, lrate=10.0)
    text = " ".join(w.value for w in at.warning)
    assert "at step 2" in text and "learning rate 10:" in text and "try 1 or smaller" in text


def test_the_log_scale_switch_redraws_the_loss_on_a_log_axis():
    at = run_demo(start(view="training"), inputs=5, outputs=2, steps=10)
    (chart,) = at.get("vega_lite_chart")
    assert "scale" not in json.loads(chart.proto.spec)["encoding"]["y"]
    at.toggle(key="train_log_scale").set_value(True).run()
    (chart,) = at.get("vega_lite_chart")
    y = json.loads(chart.proto.spec)["encoding"]["y"]
    assert y["scale"] == {"type": "log"} and y["title"] == "loss (log scale)"
    assert len(chart_losses(at)) == 10  # the same run, redrawn: not run again


def test_switching_back_keeps_the_stepper_program():
    at = start()
    at.text_area(key="program").set_value("a = Var(2)\nb = a * a").run()
    at.radio(key="view").set_value("training").run()
    assert not at.exception and at.get("vega_lite_chart") == []
    at.radio(key="view").set_value("stepper").run()
    assert not at.exception, at.exception
    assert at.text_area(key="program").value == "a = Var(2)\nb = a * a"
    assert "view" not in at.query_params


def stepper_base(at: AppTest) -> dict:
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == "ad_stepper"]
    return json.loads(json.loads(element.proto.json)["base"])


def test_the_array_engine_runs_and_is_timed_beside_the_naive_one():
    at = start(view="training", inputs="5", outputs="2", steps="10", engine="array")
    at.button(key="train_run").click().run()
    assert not at.exception, at.exception
    ours = chart_losses(at)
    naive_losses = training.train(training.NaiveEngine(), 5, 2, 0.001, 10, 0).losses
    np.testing.assert_allclose(ours, naive_losses, rtol=1e-9, atol=0)
    timing = next(t.value for t in at.table if "ms per step" in t.value.columns)
    assert len(timing) == 3
    ratio = next(m.value for m in at.markdown if "faster" in m.value)
    assert "Naive engine" in ratio and "array engine" in ratio


def test_the_array_graph_is_stepped_with_the_stepper():
    at = start(view="training")  # the array engine's graph is the one shown first
    base = stepper_base(at)
    assert base["keys"] == ["x", "y", "W", "matmul1", "sub1", "pow1", "sum1"]
    heads = dict(zip(base["keys"], base["heads"], strict=True))
    assert heads["W"] == "W: 50×10" and heads["x"] == "x: 50"
    assert base["last"] == 6 and base["algorithm"] == "route-stack"
    cells = base["first"]["cells"]
    w_cell = cells["node"].index(base["keys"].index("W"))
    assert cells["value"][w_cell].startswith("50×10 [")  # a route value: shape, first entries
    assert "value = [[" in base["tips"][base["keys"].index("W")]  # every entry on hover
    assert "xᵀ @ g" in base["first"]["steps"]["say"][3]


def test_the_tiny_layer_graph_is_drawn_with_the_same_stepper():
    at = start(view="training")
    at.radio(key="train_graph").set_value("naive").run()
    assert not at.exception, at.exception
    base = stepper_base(at)
    assert len(base["keys"]) == naive.node_count(3, 2) == 32
    assert {"x1", "y2", "w32"} <= set(base["keys"])
    assert all(r["agree"] == "✓ yes" for r in base["gradients"] if r["central"] != "—")
    at.radio(key="train_algorithm").set_value("topological").run()
    assert stepper_base(at)["algorithm"] == "topological"
