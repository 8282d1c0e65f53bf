"""The house limits on size: no function in autodiff/ or components/ longer than 60 lines,
no class longer than 250 (Python files only; the page's JS is measured by its own review)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("autodiff", "components")
MAX_FUNCTION_LINES, MAX_CLASS_LINES = 60, 250


def oversized(source: str, where: str) -> list[str]:
    """``where:line name (N lines)`` for each function or class over its limit in ``source``
    (a nested function counts on its own and inside the one that holds it)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            limit = MAX_FUNCTION_LINES
        elif isinstance(node, ast.ClassDef):
            limit = MAX_CLASS_LINES
        else:
            continue
        lines = node.end_lineno - node.lineno + 1  # decorators are not counted
        if lines > limit:
            found.append(f"{where}:{node.lineno} {node.name} ({lines} lines > {limit})")
    return found


def python_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def test_the_packages_hold_python_files():
    names = {p.relative_to(REPO).as_posix() for p in python_files()}
    assert {"autodiff/trace/__init__.py", "components/state.py"} <= names


def test_no_function_or_class_is_over_its_limit():
    offenders = [o for p in python_files()
                 for o in oversized(p.read_text(), p.relative_to(REPO).as_posix())]
    assert not offenders, "over the size limits:\n" + "\n".join(offenders)


@pytest.mark.parametrize(("body", "name"), [
    ("def long():\n" + "    x = 1\n" * 60, "long"),  # 61 lines
    ("class Big:\n" + "    x = 1\n" * 250, "Big"),  # 251 lines
    ("class Small:\n    def long(self):\n" + "        x = 1\n" * 60, "long"),
])
def test_the_measure_finds_an_oversized_function_or_class(body, name):
    assert [o.split()[1] for o in oversized(body, "f.py")] == [name]


def test_the_measure_lets_a_function_at_the_limit_pass():
    assert oversized("def ok():\n" + "    x = 1\n" * 59, "f.py") == []
