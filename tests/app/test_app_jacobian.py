"""A program of several outputs in the app (issue 21, item 2): its Jacobian (rows outputs,
columns inputs) beside its central-difference check, the passes each mode needs, the same
numbers as the CLI's JSON, and the Output switch choosing which backward pass is stepped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from autodiff.program import compile_program
from autodiff.trace import fmt
from components.presets import POST_1
from tests.app.apptest import base, gradients, start

REPO = Path(__file__).resolve().parents[2]
TWO = "a = 4\nb = 3\nc = a + b\nd = a * c\ne = sin(b) * a\noutputs = d, e"
THREE_INPUTS = "x = 0.5\ny = 2\nz = -1\nu = x * y + z\nv = exp(x) / y\noutputs = u, v"


def tables(at: AppTest) -> list[dict[str, dict[str, str]]]:
    """The Jacobian tables on the page (their rows are named by output): output -> input ->
    text, the reverse mode's first, then the check's."""
    frames = [t.value for t in at.table if t.value.index.name == "output"]
    return [frame.to_dict("index") for frame in frames]






def test_one_output_shows_no_jacobian():
    at = start(program=POST_1)
    assert tables(at) == []
    assert "output" not in [box.key for box in at.selectbox]


@pytest.mark.parametrize("program", [TWO, THREE_INPUTS])
def test_the_jacobian_matches_central_differences(program):
    at = start(program=program)
    jacobian, check = tables(at)
    built = compile_program(program)
    exact, numerical = built.jacobian(), built.numerical_jacobian()
    assert list(jacobian) == list(built.output_names) == list(check)
    for output, row in exact.items():
        assert list(jacobian[output]) == [i.name for i in built.inputs]
        for x, d in row.items():
            assert jacobian[output][x] == fmt(d)
            assert check[output][x] == f"{fmt(numerical[output][x])} ✓"
            assert numerical[output][x] == pytest.approx(d, rel=1e-6, abs=1e-9)


def test_the_passes_each_mode_needs_are_said():
    at = start(program=THREE_INPUTS)
    said = "\n".join(c.value for c in at.caption)
    assert ("Reverse mode needs one backward pass per output: 2 passes here, each giving a "
            "whole row. Forward mode needs one pass per input: 3 passes, each giving a whole "
            "column.") in said


def test_the_apps_table_is_the_clis_json_jacobian(tmp_path):
    path = tmp_path / "two.py"
    path.write_text(TWO)
    result = subprocess.run([sys.executable, "-m", "autodiff", "grad", str(path), "--jacobian",
                             "--json"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout)
    jacobian, check = tables(start(program=TWO))
    assert jacobian == {output: {x: fmt(d) for x, d in row.items()}
                        for output, row in cli["jacobian"].items()}
    assert check == {output: {x: f"{fmt(d)} ✓" for x, d in row.items()}
                     for output, row in cli["numerical"].items()}


def test_the_output_switch_steps_each_outputs_backward_pass():
    at = start(program=TWO)
    switch = at.selectbox(key="output")
    assert switch.options == ["d", "e"] and switch.value == "d"
    b = base(at)
    assert b["keys"][b["output"]] == "d"
    assert {k: gradients(at)[k]["engine"] for k in "ab"} == {"a": "11", "b": "4"}
    at.selectbox(key="output").set_value("e").run()
    assert not at.exception, at.exception
    b = base(at)
    assert b["keys"][b["output"]] == "e" and "d" not in b["keys"]  # e's graph: e = sin(b)·a
    row = {k: gradients(at)[k] for k in "ab"}
    assert {k: r["engine"] for k, r in row.items()} == {"a": "0.1411", "b": "-3.96"}
    assert {r["agree"] for r in row.values()} == {"✓ yes"}
    jacobian, _ = tables(at)
    assert {k: jacobian["e"][k] for k in "ab"} == {"a": "0.1411", "b": "-3.96"}  # e's row
    assert at.session_state["step"] == 0


def test_the_what_if_runs_on_the_output_stepped():
    at = start(program="x = 3\ny = x * x\nz = 2 * x\noutputs = z, y")
    at.selectbox(key="output").set_value("y").run()
    at.selectbox(key="what_if").set_value("overwrite").run()
    assert not at.exception, at.exception
    [frame] = [t.value for t in at.table if "right backward" in t.value.columns]
    assert frame.loc["x", "overwrite instead of add"] == "3"
    assert frame.loc["x", "right backward"] == "6"


def test_the_url_holds_the_output_stepped_and_a_link_opens_on_it():
    at = start(program=TWO)
    at.selectbox(key="output").set_value("e").run()
    assert at.query_params["output"] == "e"
    at = start(program=TWO, output="e")
    assert at.selectbox(key="output").value == "e"
    b = base(at)
    assert b["keys"][b["output"]] == "e"
    at.selectbox(key="output").set_value("d").run()
    assert "output" not in at.query_params  # the program's own output: the link as before
    b = base(start(program=TWO, output="nope"))  # not an output: the program's own
    assert b["keys"][b["output"]] == "d"
