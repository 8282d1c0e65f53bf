"""The README's Run section and its first five minutes in a lecture: the two commands work as
written where nothing was prepared (they make a venv and run everything from it, and CI runs
them word for word), and every control is named as the page shows it.

The README writes a control's name in italics (*Present*, *Example*); keys and the leads of
list items are in bold."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.browser.pages import open_app
from tests.browser.projector import settle

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
CI_RUN = (REPO / ".ci" / "run").read_text()
VENV = "python3 -m venv .venv"
VENV_PYTHON = ".venv/bin/python -m "

# The sections that tell a user which control to use.
CONTROL_SECTIONS = ("## Run it", "## First five minutes in a lecture", "## Live class",
                    "## Using the app", "## Training view")


def section(heading: str) -> str:
    start = README.index(heading + "\n")
    end = README.find("\n## ", start + len(heading))
    return README[start:end if end != -1 else None]


def command_after(label: str) -> str:
    """The one-line shell block after the bold `label` in the Run section."""
    run = section("## Run it")
    block = re.search(r"```bash\n(.*?)\n```", run[run.index(f"**{label}**"):], re.S).group(1)
    assert "\n" not in block, f"{label}: one command line, to paste whole"
    return block


APP_COMMAND = command_after("Run the app")
CHECK_COMMAND = command_after("Run every check")


def test_both_commands_make_a_venv_and_run_everything_from_it():
    """Debian 12 has no `python`, and its pip refuses to install outside a venv."""
    for command in (APP_COMMAND, CHECK_COMMAND):
        first, *rest = command.split(" && ")
        assert first == VENV
        assert rest and all(part.startswith(VENV_PYTHON) for part in rest), command
    assert APP_COMMAND.split(" && ")[1:] == [
        ".venv/bin/python -m pip install -r requirements.txt",
        ".venv/bin/python -m streamlit run serve.py"]
    assert CHECK_COMMAND.split(" && ")[1:] == [
        ".venv/bin/python -m pip install -r requirements-test.txt",
        ".venv/bin/python -m ruff check", ".venv/bin/python -m pytest -n auto"]
    assert "sudo apt-get install python3-venv" in section("## Run it")  # Debian's ensurepip


def test_ci_runs_both_commands_word_for_word():
    assert f"APP_COMMAND='{APP_COMMAND}'" in CI_RUN
    commands = [line.strip() for line in CI_RUN.splitlines()
                if not line.lstrip().startswith(("#", "step ", "APP_COMMAND="))]
    runs = [[i for i, line in enumerate(commands)
             if re.search(rf"(^|\s){re.escape(part)}($|\s)", line)]
            for part in CHECK_COMMAND.split(" && ")]
    assert all(runs), f"each part of the check command is run: {CHECK_COMMAND}"
    found = [lines[0] for lines in runs]
    assert found == sorted(found), "the check command's parts run in the README's order"


def test_the_first_five_minutes_open_pick_present_fit_step_and_share():
    five = section("## First five minutes in a lecture")
    said = [five.index(mark) for mark in (
        "**Open**", "*Example*", "**V**", "**F**", "**PageDown**", "*Share and export*")]
    assert said == sorted(said), "in the order a lecture needs them"
    assert "clicker" in five and "link" in five


# ---- control names as the page shows them -----------------------------------------------------


def python_labels(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


# A comment, or a string in one of JavaScript's three quotes. Comments are matched whole so a
# quote in one ("the graph's") never starts a string.
JS_TOKEN = re.compile(r"//[^\n]*|/\*.*?\*/|'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\""
                      r"|`((?:[^`\\]|\\.)*)`", re.S)


def js_labels(path: Path) -> set[str]:
    """The strings of a script; a template's text between its ${...} parts."""
    labels = set()
    for match in JS_TOKEN.finditer(path.read_text()):
        single, double, template = match.groups()
        if template is not None:
            labels.update(re.split(r"\$\{[^}]*\}", template))
        else:
            labels.add(single if single is not None else double)
    labels.discard(None)
    return labels


def page_labels() -> set[str]:
    """Every string the page's code holds (Python and JavaScript), markdown bold removed."""
    sources = [REPO / "app.py", *sorted((REPO / "components").glob("*.py"))]
    texts = set().union(*map(python_labels, sources),
                        *map(js_labels, sorted((REPO / "components").glob("*.*js"))))
    return {text.replace("**", "").strip() for text in texts}


def is_label(name: str, labels: set[str]) -> bool:
    """`name` is a label as written, or a label's lead before its explanation
    ("Follow the pop" of "Follow the pop: zoom to each popped node")."""
    return any(label == name or label.startswith((name + ":", name + " (")) for label in labels)


def italic_names(text: str) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    return re.findall(r"(?<![*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![*\w])", text)


def test_every_control_the_readme_names_is_labelled_so_on_the_page():
    labels = page_labels()
    names = [name for heading in CONTROL_SECTIONS for name in italic_names(section(heading))]
    assert len(names) > 10
    missing = [name for name in names
               if not all(is_label(part, labels) for part in name.split(" → "))]
    assert not missing, f"named in the README but on no control of the page: {missing}"


# a chain of 40 lines: far too tall to read whole, so the view follows the pop
TALL_PROGRAM = "x = 0.5\n" + "\n".join(
    f"y{i} = sin({'x' if i == 1 else f'y{i - 1}'})" for i in range(1, 41))


def view_button(page) -> str:
    settle(page)
    return page.locator(".ad-bar [data-act=fit]").inner_text().strip()


def test_the_view_button_is_named_by_every_label_it_shows(page, app_server):
    """The README names the button F stands for by what it reads, in each of its states."""
    open_app(page, app_server)  # the post's first example: readable whole
    shown = [view_button(page)]
    open_app(page, app_server, program=TALL_PROGRAM)
    shown.append(view_button(page))
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("f")
    page.wait_for_function("(before) => document.querySelector('.ad-bar [data-act=fit]')"
                           ".textContent.trim() !== before", arg=shown[-1])
    shown.append(view_button(page))
    assert len(set(shown)) == 3, shown
    five = section("## First five minutes in a lecture")
    assert [label for label in shown if f"*{label}*" not in five] == []
