"""The README's examples run and say what the README says they say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from autodiff import gradients
from autodiff.program import compile_program

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def python_block_after(heading: str) -> str:
    section = README[README.index(heading):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_engine_example_prints_the_posts_numbers():
    code = python_block_after("## The engine")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.split() == ["28", "11", "7"]


def test_the_program_language_example_gives_the_posts_gradients():
    program = compile_program(python_block_after("## The program language"))
    graph = program.graph
    engine = {graph.key_of(n): g for n, g in gradients(program.output).items()}
    assert engine["a"] == -153284.83150602411 and engine["b"] == 3815.0389441500993
    assert any("get_gradients" in notice for notice in program.notices)


def test_the_two_commands_are_there():  # how they are written: tests/docs/test_readme_run.py
    assert (".venv/bin/python -m pip install -r requirements.txt && "
            ".venv/bin/python -m streamlit run serve.py") in README
    assert (".venv/bin/python -m pip install -r requirements-test.txt && "
            ".venv/bin/python -m ruff check && .venv/bin/python -m pytest -n auto") in README
    assert (REPO / "docs" / "screenshot.png").exists()


def test_the_training_example_prints_the_posts_first_loss_from_every_engine():
    code = python_block_after("## Training view")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    naive, numpy, array = (float(x) for x in out.split())
    assert naive == 1711.1598338302542 and abs(numpy - naive) <= 1e-9 * naive
    assert abs(array - naive) <= 1e-9 * naive
    assert f"# {naive!r} {numpy!r} {array!r}" in README  # the comment shows what it prints


def test_the_array_engine_example_prints_what_it_says():
    code = python_block_after("**The array engine**")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert "# " + out.strip() in code


def test_the_new_op_example_prints_what_it_says():
    section = README[README.index("Every op is one registry entry"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    said = re.search(r"# (.*)$", code.strip().splitlines()[-1]).group(1)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout  # its own process: the
    assert out.strip() == said  # op it registers does not leak into other tests
