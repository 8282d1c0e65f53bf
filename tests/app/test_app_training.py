"""The Training view through AppTest: reached by URL, run with small sizes, its numbers are
the engine's, the loss falls, the URL and the sidebar choice agree."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from autodiff import naive, training

APP = Path(__file__).resolve().parents[2] / "app.py"


def start(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


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
    assert any("not built yet" in c.value for c in at.caption)  # the array engine's note
    assert "1,609 scalar nodes" in " ".join(m.value for m in at.markdown)
    assert [b.key for b in at.button] == ["train_run"]  # the stepper is not drawn


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


def test_a_diverging_run_says_to_lower_the_learning_rate():
    at = run_demo(start(view="training"), inputs=50, outputs=10, steps=200, lrate=10.0)
    text = " ".join(w.value for w in at.warning)
    assert "lower the learning rate" in text


def test_switching_back_keeps_the_stepper_program():
    at = start()
    at.text_area(key="program").set_value("a = Var(2)\nb = a * a").run()
    at.radio(key="view").set_value("training").run()
    assert not at.exception and at.get("vega_lite_chart") == []
    at.radio(key="view").set_value("stepper").run()
    assert not at.exception, at.exception
    assert at.text_area(key="program").value == "a = Var(2)\nb = a * a"
    assert "view" not in at.query_params


def test_the_tiny_layer_graph_is_drawn_with_the_graph_view():
    at = start(view="training")
    at.checkbox(key="train_tiny").check().run()
    assert not at.exception, at.exception
    (graph,) = [e for e in at.get("bidi_component") if e.proto.component_name == "ad_graph"]
    assert naive.node_count(3, 2) == 32
