"""``python -m autodiff grad FILE --order N``: second derivatives (the Hessian) and higher."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff.cli import main

REPO = Path(__file__).resolve().parents[2]
POST_1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)\n"
POST_3 = ("a = Var(43.)\nb = Var(3.)\nc = Var(2.)\n\ndef f(a, b, c):\n"
          "    f = Sin(a * b) + Exp(c - (a / b))\n    return Log(f * f) * c\n\ny = f(a, b, c)\n")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autodiff", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=60)


def test_order_2_prints_the_hessian_of_the_first_example(program_file, capsys):
    assert main(["grad", program_file(POST_1), "--order", "2"]) == 0
    out = capsys.readouterr().out
    assert "second derivatives of d" in out
    rows = {line.split()[0] + line.split()[1]: line.split()[2] for line in out.splitlines()
            if line.startswith("  ") and "," in line}
    assert rows == {"a,a": "2.0", "a,b": "1.0", "b,a": "1.0", "b,b": "0.0"}  # d = a² + ab


def test_order_2_json_on_the_third_example_agrees_with_differences(program_file):
    result = run("grad", program_file(POST_3), "--order", "2", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["order"] == 2 and report["inputs"] == ["a", "b", "c"]
    hessian, numerical = report["hessian"], report["numerical"]
    for a in "abc":
        for b in "abc":
            assert hessian[a][b] == pytest.approx(hessian[b][a], rel=1e-9)  # symmetric
            # central differences of the first derivative: ~1e-6 relative on this example
            assert math.isclose(hessian[a][b], numerical[a][b], rel_tol=1e-4, abs_tol=1e-3)


def test_order_3_of_tanh_with_values(program_file, capsys):
    assert main(["grad", program_file("y = tanh(x)\n"), "--order", "3", "--values", "x=0.7",
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    t = math.tanh(0.7)
    assert report["derivatives"]["x"] == pytest.approx(-2 * (1 - t * t) * (1 - 3 * t * t))


@pytest.mark.parametrize("order", ["0", "7", "two"])
def test_a_bad_order_is_refused(program_file, order, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["grad", program_file(POST_1), "--order", order])
    assert exit_info.value.code == 2
    assert "order from 1 to 6" in capsys.readouterr().err


def test_a_second_derivative_that_does_not_exist_is_one_message(program_file, capsys):
    # x ** 1.5 has a first derivative at 0 but no second one: refused, never a traceback
    assert main(["grad", program_file("x = 0\ny = x ** 1.5\n"), "--order", "2"]) == 2
    assert "cannot be computed" in capsys.readouterr().err
