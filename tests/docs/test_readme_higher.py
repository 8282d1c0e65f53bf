"""The README's higher-derivative and placeholder examples print what their comments say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
SECTION = README[README.index("## Higher derivatives and placeholders"):
                 README.index("## Command line")]


def run_block(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True).stdout


def test_each_example_prints_its_comment():
    blocks = re.findall(r"```python\n(.*?)```", SECTION, re.S)
    assert len(blocks) == 2
    for code in blocks:
        said = re.findall(r"# ([-\d. ]+)$", code, re.M)[-1].split()
        assert run_block(code).split() == said


def test_the_command_line_example_is_what_it_prints():
    shown = README[README.index("$ python -m autodiff grad post1.py --order 2"):]
    shown = shown[shown.index("\n") + 1:shown.index("```")]
    post1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)\n"
    out = subprocess.run([sys.executable, "-m", "autodiff", "grad", "-", "--order", "2"],
                         input=post1, cwd=REPO, capture_output=True, text=True, timeout=60,
                         check=True).stdout
    assert out == shown
