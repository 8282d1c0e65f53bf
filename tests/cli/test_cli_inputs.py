"""``python -m autodiff``: every input listed (one the output does not use has gradient 0,
said as such), every value in JSON a float, and a typo's close name in the error."""

from __future__ import annotations

import json

import pytest

from autodiff.cli import main

UNUSED = "a = 4\nb = 3\nc = relu(a * 0 - 1)\n"  # c = 0 whatever a is, and b is not used


@pytest.fixture
def program_file(tmp_path):
    def write(text: str) -> str:
        path = tmp_path / "program.py"
        path.write_text(text)
        return str(path)
    return write


def grad(capsys, *args: str) -> str:
    assert main(["grad", *args]) == 0
    return capsys.readouterr().out


def test_an_unused_input_is_listed_with_gradient_0_and_a_word(program_file, capsys):
    out = grad(capsys, program_file(UNUSED))
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert rows == [["node", "gradient", "numerical"], ["a", "0.0", "0.0"],
                    ["b", "0.0", "0.0", "(c", "does", "not", "depend", "on", "b)"],
                    ["c", "1.0", "1.0"]]
    doc = json.loads(grad(capsys, program_file(UNUSED), "--json"))
    assert doc["gradients"] == {"a": 0.0, "b": 0.0, "c": 1.0}
    assert doc["numerical"]["b"] == 0.0 and doc["unused_inputs"] == ["b"]
    used = json.loads(grad(capsys, program_file("a = 4\nb = 3\nc = a * b"), "--json"))
    assert used["unused_inputs"] == []


def test_an_unused_input_is_in_the_hessian_and_higher_orders(program_file, capsys):
    text = "a = 4\nb = 3\nk = 2\nc = a * a * a\n"
    doc = json.loads(grad(capsys, program_file(text), "--order", "2", "--json"))
    assert doc["inputs"] == ["a", "b", "k"] and doc["unused_inputs"] == ["b", "k"]
    assert doc["hessian"]["a"] == {"a": 24.0, "b": 0.0, "k": 0.0}
    assert doc["hessian"]["b"] == {"a": 0.0, "b": 0.0, "k": 0.0}
    assert doc["numerical"]["k"] == {"a": 0.0, "b": 0.0, "k": 0.0}
    out = grad(capsys, program_file(text), "--order", "2")
    rows = {line.split("  ")[1]: line for line in out.splitlines() if line.startswith("  ")}
    assert rows["b, k"].endswith("0.0                 (c does not depend on b or k)")
    assert out.count("does not depend") == 8  # every pair but (a, a)
    doc = json.loads(grad(capsys, program_file(text), "--order", "3", "--json"))
    assert doc["derivatives"] == {"a": 6.0, "b": 0.0, "k": 0.0}
    out = grad(capsys, program_file(text), "--order", "3")
    assert [line.split()[0] for line in out.splitlines() if "does not depend" in line] == [
        "b", "k"]


def _numbers(document, path=""):
    """Every number in a JSON document, with where it is."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _numbers(value, f"{path}.{key}")
    elif isinstance(document, list):
        for i, value in enumerate(document):
            yield from _numbers(value, f"{path}[{i}]")
    elif isinstance(document, (int, float)) and not isinstance(document, bool):
        yield path, document


COUNTS = {"index", "total_steps", "order"}  # whole numbers by nature: they stay integers


@pytest.mark.parametrize("args", [["grad", "--json"], ["grad", "--json", "--order", "2"],
                                  ["grad", "--json", "--order", "3"],
                                  ["trace", "--json"],
                                  ["trace", "--json", "--algorithm", "topological"]])
def test_json_writes_every_value_as_a_float(program_file, capsys, args):
    # relu's value and local derivative are the ints 0 and 1 in the engine, abs's sign an int
    text = "a = 4\nb = 3\nc = relu(relu(a - 5) + relu(b) * abs(a) - 20)\n"
    assert main([args[0], program_file(text), *args[1:]]) == 0
    out = capsys.readouterr().out
    numbers = list(_numbers(json.loads(out)))
    assert numbers
    wrong = [(where, x) for where, x in numbers
             if isinstance(x, int) != (where.rsplit(".", 1)[-1] in COUNTS)]
    assert wrong == []
    if args[0] == "grad":
        assert '"value": 0.0' in out


def test_a_missing_value_names_the_close_name(program_file, capsys):
    assert main(["grad", program_file("a = 4\nb = 3\nc = a * bb")]) == 2
    assert capsys.readouterr().err.rstrip().endswith(
        "add a line `bb = 1.0` to the program (did you mean `b`?)")
