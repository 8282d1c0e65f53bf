"""Bad values fail loudly where the node is built, and the engine stays free of the UI."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff import DomainError, Exp, Inv, Log, Pow, Sqrt, Var, exp, log, sqrt, tan

REPO = Path(__file__).resolve().parents[2]
ENGINE = REPO / "autodiff"


# ---- DomainError: raised while the node is built, naming the op and the value ----

@pytest.mark.parametrize(("build", "op", "message"), [
    (lambda: Log(Var(0)), "log", "log of 0: log needs a positive number"),
    (lambda: log(Var(-2.5)), "log", "log of -2.5: log needs a positive number"),
    (lambda: Inv(Var(0)), "inv", "inv of 0: division by zero (1/x needs x ≠ 0)"),
    (lambda: Var(3.0) / Var(0.0), "inv", "inv of 0: division by zero (1/x needs x ≠ 0)"),
    (lambda: 1 / Var(0), "inv", "inv of 0: division by zero"),
    (lambda: Exp(Var(1000)), "exp", "exp of 1000: the result is too large (not a finite number)"),
    (lambda: exp(Var(710.0)), "exp", "exp of 710: the result is too large"),
    (lambda: Var(1e200) * Var(1e200), "mul",
     "mul of 1e+200 and 1e+200: the result is too large (not a finite number)"),
    (lambda: Var(1e308) + Var(1e308), "add", "add of 1e+308 and 1e+308: the result is too large"),
    (lambda: Sqrt(Var(-4)), "sqrt", "sqrt of -4: sqrt needs a number ≥ 0"),
    (lambda: sqrt(Var(0.0)), "sqrt", "sqrt of 0: the derivative of sqrt is infinite at 0"),
    (lambda: Inv(Var(1e-200)), "inv", "inv of 1e-200: the result is too large"),
    (lambda: Var(-8.0) ** 0.5, "pow", "pow of -8: a negative number to the power 0.5 is not real"),
    (lambda: Var(0.0) ** -1, "pow", "pow of 0: division by zero (0 to the power -1)"),
    (lambda: Var(0.0) ** 0.5, "pow", "pow of 0: x ** 0.5 has no finite derivative at 0"),
    (lambda: Var(10.0) ** 400, "pow", "pow of 10: the result is too large"),
    (lambda: Pow(Var(-2.0), Var(2.0)), "pow",
     "pow of -2: a power with a variable exponent needs a base > 0"),
    (lambda: Pow(Var(10.0), Var(400.0)), "pow", "pow of 10 and 400: the result is too large"),
    (lambda: Var(math.nan), "var", "var of nan: a value must be a finite number"),
    (lambda: Var(math.inf), "var", "var of inf: a value must be a finite number"),
])
def test_bad_values_raise_a_clear_domain_error(build, op, message):
    with pytest.raises(DomainError) as caught:
        build()
    error = caught.value
    assert str(error).startswith(message)
    assert error.op == op
    assert isinstance(error, ValueError)  # callers may catch it as a ValueError


def test_domain_error_carries_the_value_and_the_reason():
    with pytest.raises(DomainError) as caught:
        Log(Var(-3))
    assert caught.value.value == -3
    assert caught.value.reason == "log needs a positive number"


def test_the_error_comes_from_the_bad_node_not_later():
    a = Var(1e200)
    good = a * 1.0  # fine
    with pytest.raises(DomainError, match="^mul of"):
        good * a
    # nothing was left half-built: the good node still works
    assert good.value == 1e200


def test_nothing_non_finite_gets_into_a_graph():
    # just inside the edge: finite values are accepted
    assert math.isfinite(Exp(Var(709.0)).value)
    assert math.isfinite((Var(1e154) * Var(1e154)).value)
    assert math.isfinite(tan(Var(math.pi / 2)).value)  # huge but finite in floating point


# ---- the boundary: the engine never imports the UI ----

def test_importing_autodiff_leaves_streamlit_and_pyvis_out():
    # every module of the package, in a fresh interpreter
    code = (
        "import importlib, pkgutil, sys\n"
        "import autodiff\n"
        "found = [info.name for info in pkgutil.walk_packages(autodiff.__path__, 'autodiff.')\n"
        "         if info.name != 'autodiff.__main__']\n"
        "for name in found:\n"
        "    importlib.import_module(name)\n"
        "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'pyvis'))\n"
        "print(len(found), ui)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count, ui = result.stdout.split(" ", 1)
    assert int(count) >= 20  # the package's modules, subpackages' too, were found and imported
    assert ui.strip() == "[]"


def test_plain_import_in_a_fresh_interpreter():
    code = ("import sys, autodiff; "
            "print('streamlit' in sys.modules, 'pyvis' in sys.modules, 'autodiff' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]


UI_IMPORT = re.compile(r"^\s*(import|from)\s+(streamlit|pyvis)\b", re.MULTILINE)


def test_no_engine_file_imports_streamlit_or_pyvis():
    files = sorted(ENGINE.rglob("*.py"))
    assert len(files) >= 6
    offenders = [str(f.relative_to(REPO)) for f in files if UI_IMPORT.search(f.read_text())]
    assert offenders == []
    for f in files:
        text = f.read_text()
        assert "import streamlit" not in text, f
        assert "import pyvis" not in text, f
