"""Running the page's JavaScript from pytest: a rule's unit tests (`node --test`) and the
check that a page script, its rule modules and its body put together, parses as one module
(no name declared twice). CI installs Node (.ci/run); without it CI fails, a laptop skips."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import in_ci

__all__ = ["assert_node_tests_pass", "assert_one_module", "node"]


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if in_ci():
            pytest.fail("CI=true, so the page's rules must be tested, but node is not installed")
        pytest.skip("node is not installed (apt-get install nodejs)")
    return found


def assert_node_tests_pass(tests: Path) -> None:
    """The ``node --test`` file ``tests`` passes (run from its folder)."""
    run = subprocess.run([node(), "--test", str(tests)], capture_output=True, text=True,
                         timeout=60, cwd=tests.parent)
    assert run.returncode == 0, run.stdout + run.stderr


def assert_one_module(script: str, folder: Path) -> None:
    """``script`` parses as one ES module (``node --check``, written into ``folder``)."""
    path = folder / "page.mjs"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run([node(), "--check", str(path)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
