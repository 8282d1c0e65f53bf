"""``python -m components``: the app's stepper frozen into a file, for a course's scripts.

    python -m components slides post.py --steps 0-4 -o deck.html
    python -m components handout post.py --steps 0-4 -o handout.html

The slideshow is one offline HTML file that steps like the app (→ Space PageDown, ←
PageUp: a clicker); the handout prints a section per step (graph, narration, stack, ledger)
from Chromium to A4 or Letter. Both are the app's own page (``frozen``), so they are made
here, beside it; the step table (Markdown, LaTeX) is the engine's: ``python -m autodiff
table``. A problem is one message on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from autodiff.cli import load_program, program_arguments, step_arguments
from autodiff.program import ProgramError
from autodiff.trace.step_table import steps_heading

from . import frozen, model

__all__ = ["main"]

EXIT_USAGE = 2
WHAT = {"slides": "a slideshow of the chosen steps: one offline HTML file that steps with the "
                  "app's keys (→ Space PageDown next, ← PageUp back: a clicker's)",
        "handout": "a printable handout of the chosen steps: HTML with, per step, the graph "
                   "(an image), the narration, the stack and the ledger; print it to PDF "
                   "from Chromium (A4 or Letter)"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m components", description="The app's stepper frozen into a file.",
        epilog="the program language: python -m autodiff --help",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for kind in frozen.KINDS:
        command = commands.add_parser(kind, help=WHAT[kind], description=WHAT[kind] + ".")
        program_arguments(command)
        step_arguments(command)
        command.add_argument("-o", "--output", required=True, metavar="FILE.html",
                             help="where to write the file (- writes standard output)")
    return parser


def make(kind: str, path: str, given: Sequence[str], algorithm: str, steps: str | None) -> str:
    """The file's text; a ProgramError says what is wrong (the program, its values, the
    steps)."""
    program = load_program(path, given)
    values = tuple(sorted(program.values.items()))
    built = model.prepared(program.text, values).walk(algorithm)
    try:
        chosen = frozen.parse_steps(steps, built.trace.last_index)
    except frozen.StepsError as exc:
        raise ProgramError(str(exc)) from None
    name = "stdin" if path == "-" else Path(path).name
    return frozen.frozen_html(kind, built, chosen, f"{name}: {steps_heading(built.trace, chosen)}")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        text = make(args.command, args.file, args.values, args.algorithm, args.steps)
        if args.output == "-":
            sys.stdout.write(text)
        else:
            Path(args.output).write_text(text, encoding="utf-8")
    except ProgramError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0
