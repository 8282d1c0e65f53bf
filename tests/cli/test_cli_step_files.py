"""The step table (``python -m autodiff table``, Markdown and LaTeX) and the stepper frozen
into a file (``python -m components slides|handout``), through real subprocesses: the post's
ledger line in both tables, valid LaTeX, a bounded step range said clearly, and the engine's
command line pointing to the components' for the slides and the handout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from autodiff.trace.step_table import MAX_STEPS, latex_escape

REPO = Path(__file__).resolve().parents[2]
POST_1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)\n"
POST_LINE = "a = 4 (d→c→a) + 7 (d→a) = 11"  # counted at the last pop, step 4
LONG = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 8)  # 3**8 routes: 6,561 pops


def run(package: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", package, *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def _rows(latex: str) -> list[str]:
    body = latex.split(r"\begin{tabular}", 1)[1].split(r"\end{tabular}", 1)[0]
    return [line for line in body.splitlines()[1:] if line.endswith(r"\\")]


def _unescaped(text: str, char: str) -> int:
    """How many times ``char`` appears not escaped by a backslash."""
    return len(re.findall(r"(?<!\\)" + re.escape(char), text))


def test_the_markdown_table_has_the_posts_ledger_line_at_its_step(program_file):
    result = run("autodiff", "table", program_file(POST_1), "--steps", "0-4")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert rows[0] == "| step | what happens | stack (top first) | ledger lines this step adds to |"
    by_step = {row.split(" | ")[0][2:]: row for row in rows[1:]}
    assert list(by_step) == ["0", "1", "2", "3", "4"]
    assert by_step["4"].endswith(f"| {POST_LINE} |")  # a's second route, counted at step 4
    assert "| a = 4 (d→c→a) = 4 |" in by_step["3"]
    assert all(_unescaped(row, "|") == 5 for row in rows)  # four cells each


def test_the_latex_table_is_a_valid_tabular_with_the_posts_line(program_file):
    result = run("autodiff", "table", program_file(POST_1), "--steps", "3-4", "--format",
                 "latex")
    assert result.returncode == 0, result.stderr
    tex = result.stdout
    assert tex.count(r"\begin{tabular}{") == 1 and tex.rstrip().endswith(r"\end{tabular}")
    rows = _rows(tex)
    assert [row.split(" & ")[0] for row in rows] == ["step", "3", "4"]
    assert rows[-1].endswith(f"& {POST_LINE} \\\\")
    assert all(_unescaped(row, "&") == 3 for row in rows)  # four columns each
    body = tex.split("\n", 1)[1]  # below the % comment line
    assert _unescaped(body.replace(r"\\", ""), "%") == 0
    assert body.count("{") - body.count(r"\{") == body.count("}") - body.count(r"\}")


def test_latex_escapes_every_special_character():
    assert latex_escape(r"a&b %c _d #e {f} \g ~h ^i $j") == (
        r"a\&b \%c \_d \#e \{f\} \textbackslash{}g \textasciitilde{}h "
        r"\textasciicircum{}i \$j")


def test_names_with_underscores_are_escaped_in_both_tables(program_file):
    path = program_file("x_1 = 2\ny_2 = x_1 * x_1\n")
    tex = run("autodiff", "table", path, "--format", "latex").stdout
    assert r"x\_1 = 2 (y\_2→x\_1) + 2 (y\_2→x\_1) = 4" in tex
    assert "x_1" not in tex.split("\n", 1)[1]  # only escaped below the comment
    md = run("autodiff", "table", path).stdout
    assert r"x\_1 = 2 (y\_2→x\_1) + 2 (y\_2→x\_1) = 4" in md


def test_a_step_range_is_bounded_and_said_clearly(program_file):
    path = program_file(LONG)
    result = run("autodiff", "table", path, "--steps", "0-500")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"error: --steps 0-500: 501 steps, more than {MAX_STEPS} "
                                     f"at once; choose at most {MAX_STEPS} (e.g. 0-199)")
    assert "this walk's steps are 0-4" in run("autodiff", "table", program_file(POST_1, "p1.py"),
                                               "--steps", "2-9").stderr
    assert "write a range like 0-4" in run("autodiff", "table", path, "--steps", "x").stderr
    assert "comes after the last" in run("autodiff", "table", path, "--steps", "5-2").stderr
    # no range given: from step 0, at most MAX_STEPS
    default = run("autodiff", "table", path).stdout
    assert f"steps 0-{MAX_STEPS - 1} of 0-" in default.splitlines()[0]
    big = run("components", "slides", path, "--steps", "0-999", "-o", "-")
    assert big.returncode == 2 and f"more than {MAX_STEPS} at once" in big.stderr


@pytest.mark.parametrize("kind", ["slides", "handout"])
def test_the_engines_command_line_points_to_the_components_one(program_file, kind):
    result = run("autodiff", kind, program_file(POST_1), "--steps", "0-4", "-o", "x.html")
    assert result.returncode == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and f"python -m components {kind} FILE --steps 0-4 -o" in line
    assert not (REPO / "x.html").exists()


class _Links(HTMLParser):
    """Every src or href of a file's elements that is not a data URL or a fragment."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("src", "href")
                       and not (value or "").startswith(("data:", "#"))]


@pytest.mark.parametrize("kind", ["slides", "handout"])
def test_the_components_command_writes_one_self_contained_file(program_file, tmp_path, kind):
    out = tmp_path / f"{kind}.html"
    result = run("components", kind, program_file(POST_1), "--steps", "1-3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert f'data-kind="{kind}"' in html
    # nothing is fetched: no element's src or href leaves the file, the code in line
    assert _Links(html).found == [] and '<script id="ad-katex-js">' in html
    assert "vis.Network" in html or "Network" in html
    payload = json.loads(re.search(r'<script type="application/json" id="ad-frozen">(.*?)'
                                   r"</script>", html, re.S)[1])
    assert payload["steps"] == [1, 3] and payload["data"]["start"] == 1
    base = json.loads(payload["data"]["base"])
    assert base["last"] == 3 and base["first"]["stop"] == 4  # the steps up to the range's end
    assert payload["data"]["present"] is (kind == "slides")


def test_the_components_command_says_a_bad_program_or_file_in_one_line(program_file,
                                                                        tmp_path):
    bad = run("components", "slides", program_file("d = a * \n"), "-o", str(tmp_path / "x"))
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")
    assert "Traceback" not in bad.stderr
    missing = run("components", "handout", str(tmp_path / "none.py"), "-o", "-")
    assert missing.returncode == 2 and "No such file" in missing.stderr
