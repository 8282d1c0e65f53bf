"""``python -m autodiff grad FILE --jacobian``: every output's row, as a table or as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff.cli import main
from autodiff.program import Program

REPO = Path(__file__).resolve().parents[2]
TWO = "a = 4\nb = 3\nc = a + b\nd = a * c\ne = sin(b) * a\noutputs = d, e\n"
PASTED = ("a = Var(2.)\nb = Var(5.)\nunused = Var(1.)\ny = a * b\n"
          "gradients = get_gradients(y)\nz = y + a\ng = get_gradients(z)\n")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autodiff", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=60)


def test_jacobian_json_of_two_outputs(program_file):
    result = run("grad", program_file(TWO), "--jacobian", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["outputs", "inputs", "values", "jacobian", "numerical"]
    assert doc["outputs"] == ["d", "e"] and doc["inputs"] == ["a", "b"]
    assert doc["values"] == {"d": 28.0, "e": 0.5644800322394689}
    assert doc["jacobian"] == {"d": {"a": 11.0, "b": 4.0},
                               "e": {"a": 0.1411200080598672, "b": -3.9599699864017817}}
    for y, row in doc["jacobian"].items():
        for x, value in row.items():
            assert doc["numerical"][y][x] == pytest.approx(value, rel=1e-6)
    assert result.stderr == ""


def test_jacobian_text_is_a_table_rows_outputs_columns_inputs(program_file, capsys):
    assert main(["grad", program_file(TWO), "--jacobian"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["output d = 28.0", "output e = 0.5644800322394689"]
    assert "(reverse mode: one backward pass per output, 2 in all):" in out
    table = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert table == [["output", "a", "b"], ["d", "11.0", "4.0"],
                     ["e", "0.1411200080598672", "-3.9599699864017817"]]
    assert out.endswith("\ncentral differences agree with all 4 entries\n")


def test_a_pasted_program_with_several_get_gradients_and_an_unused_input(program_file):
    result = run("grad", program_file(PASTED), "--jacobian", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["jacobian"] == {"y": {"a": 5.0, "b": 2.0, "unused": 0.0},
                               "z": {"a": 6.0, "b": 2.0, "unused": 0.0}}
    assert "note: line 5: get_gradients(y) skipped: `y` is an output" in result.stderr


def test_one_output_gives_a_one_row_jacobian_equal_to_grad(program_file, capsys):
    post_1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)\n"
    assert main(["grad", program_file(post_1), "--jacobian", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["outputs"] == ["d"] and doc["jacobian"] == {"d": {"a": 11.0, "b": 4.0}}


def test_without_jacobian_grad_says_it_shows_the_first_output_only(program_file, capsys):
    assert main(["grad", program_file(TWO), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["output"] == "d"  # unchanged: the first output's gradient
    assert captured.err == ("note: the program names 2 outputs (d, e); this shows d only: "
                            "grad --jacobian shows them all\n")
    assert main(["trace", program_file(TWO)]) == 0
    assert "this shows d only" in capsys.readouterr().err


def test_a_disagreeing_entry_is_named(program_file, capsys, monkeypatch):
    # a wrong rule, made on purpose: the check under the table must name the entry
    monkeypatch.setattr(Program, "numerical_jacobian",
                        lambda self: {"d": {"a": 11.0, "b": 4.5}, "e": self.jacobian()["e"]})
    assert main(["grad", program_file(TWO), "--jacobian"]) == 0
    assert capsys.readouterr().out.endswith(
        "\ncentral differences disagree with 1 of 4 entries: ∂d/∂b = 4.0, numerical 4.5\n")


@pytest.mark.parametrize(("text", "args", "words"), [
    (TWO, ["--order", "2"], "--jacobian is of first derivatives: drop --order"),
    (TWO.replace("d, e", "d, w"), [], "error: line 6, column 14: `w` has no value here"),
    (TWO.replace("d, e", "d, d"), [], "`d` is listed twice"),
    ("a = 2\noutputs = " + ", ".join(["a"] * 10_000), [], "the limit is 20,000"),
])
def test_refusals_exit_2_with_one_message(program_file, text, args, words):
    result = run("grad", program_file(text), "--jacobian", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert words in result.stderr and "Traceback" not in result.stderr


def test_help_names_the_option_and_the_language_line():
    result = run("grad", "--help")
    assert "--jacobian" in result.stdout and "outputs = y, z" in result.stdout
