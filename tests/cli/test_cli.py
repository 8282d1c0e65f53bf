"""``python -m autodiff``: the post's numbers through a real subprocess, and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff.cli import main

REPO = Path(__file__).resolve().parents[2]

POST_1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)  # = 4 + 3 = 7\nd = Mul(a, c)  # = 4 * 7 = 28\n"
POST_2 = ("a = Var(230.3)\nb = Var(33.2)\n\ndef f(a, b):\n"
          "    return (a / b - a) * (b / a + a + b) * (a - b)\n\ny = f(a, b)\n\n"
          "gradients = get_gradients(y)\n\n"
          'print("The partial derivative of y with respect to a =", gradients[a])\n')
POST_3 = ("a = Var(43.)\nb = Var(3.)\nc = Var(2.)\n\ndef f(a, b, c):\n"
          "    f = Sin(a * b) + Exp(c - (a / b))\n    return Log(f * f) * c\n\ny = f(a, b, c)\n")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autodiff", *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=60)


# ---- grad: the post's numbers, exactly ----

def test_grad_json_first_example(program_file):
    result = run("grad", program_file(POST_1), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["output"] == "d" and doc["value"] == 28
    assert doc["gradients"] == {"a": 11, "b": 4, "c": 4, "d": 1}
    assert set(doc["numerical"]) == {"a", "b", "c", "d"}
    for key, value in doc["gradients"].items():
        assert doc["numerical"][key] == pytest.approx(value, rel=1e-6)


def test_grad_json_second_example_with_its_print_lines(program_file):
    result = run("grad", program_file(POST_2), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["gradients"]["a"] == -153284.83150602411
    assert doc["gradients"]["b"] == 3815.0389441500993
    assert doc["gradients"]["y"] == 1.0
    assert doc["numerical"]["a"] == pytest.approx(-153284.83150602411, rel=1e-6)
    assert "note: line 9: get_gradients(y) skipped: `y` is the output" in result.stderr
    assert "note: line 11: print(...) skipped" in result.stderr


def test_grad_json_third_example(program_file):
    doc = json.loads(run("grad", program_file(POST_3), "--json").stdout)
    assert doc["gradients"]["a"] == 60.85353612046653
    assert doc["gradients"]["b"] == 872.2331479536114
    assert doc["gradients"]["c"] == -3.2853671032530305
    assert list(doc["gradients"]) == ["a", "b", "c", "f", "y"]  # named nodes, build order


def test_grad_text_shows_value_and_every_named_gradient(program_file):
    result = run("grad", program_file(POST_2))
    assert result.returncode == 0
    assert "output y = -11606907.023945786" in result.stdout
    assert "-153284.83150602411" in result.stdout and "3815.0389441500993" in result.stdout


def test_grad_reads_stdin_and_takes_values():
    result = run("grad", "-", "--values", "a=230.3,b=33.2", "--json",
                 stdin="(a / b - a) * (b / a + a + b) * (a - b)\n")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["gradients"]["a"] == -153284.83150602411
    assert doc["gradients"][doc["output"]] == 1.0


def test_values_override_defaults_and_may_be_repeated(program_file):
    result = run("grad", program_file(POST_1), "--values", "a=1", "--values", "b=2", "--json")
    doc = json.loads(result.stdout)
    assert doc["value"] == 3.0 and doc["gradients"]["a"] == 4.0


# ---- trace ----

def test_trace_json_route_stack_pops_the_posts_routes(program_file):
    result = run("trace", program_file(POST_1), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["algorithm"] == "route-stack" and doc["total_steps"] == 4
    steps = [(s["popped"], "→".join(s["route"]), s["route_value"], s["gradient"])
             for s in doc["steps"]]
    assert steps == [("c", "d→c", 4, 4), ("b", "d→c→b", 4, 4), ("a", "d→c→a", 4, 4),
                     ("a", "d→a", 7, 11)]


def test_trace_topological_and_max_steps(program_file):
    doc = json.loads(run("trace", program_file(POST_1), "--algorithm", "topological",
                         "--json").stdout)
    assert doc["algorithm"] == "topological"
    assert doc["gradients"]["a"] == 11
    cut = json.loads(run("trace", program_file(POST_1), "--max-steps", "2", "--json").stdout)
    assert len(cut["steps"]) == 2 and cut["total_steps"] == 4


def test_trace_text_is_a_table(program_file):
    result = run("trace", program_file(POST_1))
    assert result.returncode == 0, result.stderr
    assert "d→c→a" in result.stdout and "11" in result.stdout


# ---- errors: status 2, one message, no traceback ----

@pytest.mark.parametrize("text, args, words", [
    ("a = 1\nb = 2\ne = a - b * 2\nf = log(e)\n", [],
     "error: line 4, column 5: log of -3.0 in `log(e)`: log needs a positive number"),
    ("y = x.__class__\n", [], "`x.__class__`: attributes are not allowed"),
    ("y = q * 2\n", [], "`q` has no value: give one with --values q=1.0"),
    ("y = a * 2\n", ["--values", "a=1,z=2"], "`z`, which is not an input of the program"),
    ("y = a * 2\n", ["--values", "a=abc"], "--values: 'a=abc' is not NAME=NUMBER"),
    ("y = a * 2\n", ["--values", "a=nan"], "is not NAME=NUMBER"),
    ("y = a * 2\n", ["--values", "a=\u0663"], "is not NAME=NUMBER"),  # Arabic-Indic 3
    ("y = a * 2\n", ["--values", "a=1e16"], "numbers must be between"),
    ("y = a * 2\n", ["--values", "a=1,a=2"], "`a` is given twice"),
    ("y = x\u200b + 1\n", [], "ZERO WIDTH SPACE"),
    ("", [], "the program is empty"),
    ("9**9**9", [], "is too large to compute"),
])
def test_program_errors_exit_2_without_traceback(program_file, text, args, words):
    for command in ("grad", "trace"):
        result = run(command, program_file(text), *args)
        assert result.returncode == 2
        assert words in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_file_problems_exit_2(tmp_path):
    missing = run("grad", str(tmp_path / "missing.py"))
    assert missing.returncode == 2 and "No such file" in missing.stderr
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"y = \xff\xfe\n")
    bad = run("grad", str(binary))
    assert bad.returncode == 2 and "not UTF-8 text" in bad.stderr
    assert "Traceback" not in missing.stderr + bad.stderr


def test_bad_command_lines_exit_2():
    assert run().returncode == 2
    assert run("grad").returncode == 2
    assert run("trace", "-", "--algorithm", "fastest", stdin="y = 1").returncode == 2
    assert run("trace", "-", "--max-steps", "-1", stdin="y = 1").returncode == 2


def test_help_documents_the_commands_and_the_language():
    result = run("--help")
    assert result.returncode == 0
    for words in ("grad", "trace", "--values", "the program language", "exit status",
                  "def f(a, b):", "get_gradients"):
        assert words in result.stdout
    for command, words in (("grad", "--json"), ("trace", "--algorithm")):
        sub = run(command, "--help")
        assert sub.returncode == 0 and words in sub.stdout and "--values" in sub.stdout


# ---- in-process: quick checks of the pieces ----

def test_values_take_the_links_form_too(program_file, capsys):
    # one syntax (autodiff/program/values.py, tested there): a=1,b=2, and the URL's a:1,b:2
    assert main(["grad", program_file(POST_1), "--values", "a:1, b = 2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["value"] == 3.0 and doc["gradients"]["a"] == 4.0


@pytest.mark.parametrize("option, words", [
    ("a=1_000", "--values: 'a=1_000' is not NAME=NUMBER (e.g. a=1.5,b=-2)"),
    ("a=inf", "--values: 'a=inf' is not NAME=NUMBER"),
    ("a=1e400", "--values: 'a=1e400': 1e400 is too large for a float"),
    ("b=1,", "`b`, which is not an input of the program"),  # the empty part is nothing
])
def test_bad_values_are_one_message(program_file, capsys, option, words):
    assert main(["grad", program_file("y = a * 2\n"), "--values", option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and "Traceback" not in err


def test_main_in_process(program_file, capsys):
    assert main(["grad", program_file(POST_1), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["gradients"]["a"] == 11
    assert main(["grad", program_file("y = log(0 * 1)")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: line 1, column 5: log of 0.0 in `log(0 * 1)`")


def test_non_finite_numbers_are_null_in_json(program_file, capsys):
    # Every value and local derivative is finite, but d y / d x = 1e405 overflows.
    text = "x = 1e-300\ny = x" + " * 1e15" * 27
    assert main(["grad", program_file(text), "--json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out and "NaN" not in out
    doc = json.loads(out)
    assert doc["gradients"]["x"] is None and doc["gradients"]["y"] == 1.0
