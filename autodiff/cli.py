"""``python -m autodiff``: gradients and backward-pass traces of a program file.

    python -m autodiff grad example.py --values a=230.3,b=33.2 --json
    python -m autodiff grad two_outputs.py --jacobian
    python -m autodiff trace example.py --algorithm route-stack
    python -m autodiff table example.py --steps 0-4 --format latex

Any problem with the program, its values or the file is one message on standard error
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence

from .core.backward import gradients
from .core.numbers import FULL, fmt
from .core.ops import DomainError
from .core.registry import class_names, function_names
from .higher import MAX_ORDER, DerivativeTooLarge, derivative, gradient_graphs
from .numeric import agree, numerical_gradients
from .placeholder import compile_plan
from .placeholder import numerical_gradients as plan_numerical
from .program import MAX_PROGRAM_CHARS, Program, ProgramError, compile_program, describe
from .program.build import did_you_mean
from .program.values import ValuesError, parse_values
from .trace import ALGORITHMS, ROUTE_STACK, make_trace
from .trace.export import trace_to_json, trace_to_text
from .trace.step_table import FORMATS, MAX_STEPS, StepsError, parse_steps, step_table

__all__ = ["jacobian_report", "language_help", "load_program", "main", "program_arguments",
           "step_arguments"]

EXIT_USAGE = 2  # argparse's own status for a bad command line; ours for a bad program

DESCRIPTION = """\
Reverse-mode automatic differentiation of a small program, as in the post "From scratch:
reverse-mode automatic differentiation (in Python)". The program is a safe subset of
Python; it is read, never run.
"""

def language_help() -> str:
    """The program language, for ``--help``; its list of functions comes from the registry."""
    return LANGUAGE.format(classes=" ".join(class_names()), functions=" ".join(function_names()))


LANGUAGE = """\
the program language:
  a = 4            an input with a default (also a = -2.5, a = Var(4), a = Var(43.))
  c = a * b + 1    one assignment per line; operators + - * / ** and ^ (a power)
  d = Mul(a, c)    the classes {classes}
  e = sin(d)       the functions {functions}
  def f(a, b):     a function: assignments, then one return; inlined at each call
      return (a / b - a) * (b / a + a + b) * (a - b)
  y = f(a, b)      the output is the last assigned name (or a final bare expression),
  gradients = get_gradients(y)   unless a line names it: y is the output, whatever follows
  outputs = y, z   a last line naming several outputs (or get_gradients on each), for
                   grad --jacobian
  # comments, print(...), get_gradients(...) and import lines are fine (skipped)
  A name that is used but never assigned is an input: give it with --values.

examples:
  python -m autodiff grad post.py
  python -m autodiff grad post.py --values a=1.5 --json
  python -m autodiff grad two_outputs.py --jacobian --json
  echo "x^2 + sin(x)" | python -m autodiff grad - --values x=2
  python -m autodiff trace post.py --algorithm topological --json
  python -m autodiff trace post.py --algorithm forward
  python -m autodiff table post.py --steps 0-4 --format latex > steps.tex

exit status: 0 on success, 2 for a problem with the program, its values or the file
(one message on standard error, never a traceback).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autodiff", description=DESCRIPTION, epilog=language_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grad = _command(
        commands, "grad",
        help="the output's value and its gradient with respect to every named node",
        description="Print the output's value and the gradient of the output with respect to "
                    "every named node (inputs and assigned names), from the topological "
                    "algorithm, next to a central-difference estimate.")
    grad.add_argument("--order", type=_order, default=1, metavar="N",
                      help="derivative order, 1 (default) to 6: 2 prints the second "
                           "derivatives (the Hessian of every pair of inputs), N > 2 the N-th "
                           "derivative with respect to each input, each beside central "
                           "differences of the derivative one order lower")
    grad.add_argument("--json", action="store_true",
                      help='print {"output": NAME, "value": X, "gradients": {NAME: X, ...}, '
                           '"numerical": {NAME: X, ...}, "unused_inputs": [NAME, ...]}: every '
                           'value a float (null for a number that is not finite); an input '
                           'the output does not depend on has gradient 0.0 and is listed in '
                           'unused_inputs')
    grad.add_argument("--jacobian", action="store_true",
                      help="print the Jacobian of every output the program names (a last line "
                           "`outputs = y, z`): one row per output, one column per input, by "
                           "reverse mode (one backward pass per output), checked against "
                           'central differences; with --json {"outputs": [NAME, ...], '
                           '"inputs": [NAME, ...], "values": {OUTPUT: X, ...}, "jacobian": '
                           '{OUTPUT: {INPUT: X, ...}, ...}, "numerical": {the same by central '
                           "differences}}: an input an output does not depend on gets 0.0")

    trace = _command(
        commands, "trace", help="the backward pass (or forward mode's passes), step by step",
        description="Print the backward pass step by step: for the route stack (the post's "
                    "get_gradients) one row per pop, with its route, route value and the "
                    "node's running gradient; for the topological algorithm one row per node. "
                    "forward prints forward mode beside them: one pass per input, one row per "
                    "node visited with its tangent, each pass's result and both modes' work.")
    _algorithm_argument(trace)
    trace.add_argument("--max-steps", type=_steps, default=None, metavar="N",
                       help="show at most N steps (default: all); the total is always given")
    trace.add_argument("--json", action="store_true",
                       help="print the trace as JSON: algorithm, output, nodes, total_steps, "
                            "steps (index, popped, route, route_value, gradient), gradients "
                            "(the reverse ones, for every algorithm); forward adds passes "
                            "(seed, derivative) and operation_counts")
    _step_file_commands(commands)
    return parser


def _step_file_commands(commands) -> None:
    """``table``, and ``slides`` and ``handout``, which only point to the components'."""
    table = _command(
        commands, "table", help="the step table for course notes, as Markdown or LaTeX",
        description="Print the chosen steps of the backward pass (or forward mode's passes) "
                    "as a table for course notes: per step what happens, the stack's top and "
                    "the ledger lines it adds to, e.g. a = 4 (d→c→a) + 7 (d→a) = 11, as a "
                    "Markdown table or a LaTeX tabular (UTF-8: XeLaTeX or LuaLaTeX).")
    step_arguments(table)
    table.add_argument("--format", choices=FORMATS, default="md",
                       help="md: a Markdown table (default); latex: a tabular")
    for name, what in POINTED.items():
        pointer = commands.add_parser(name, help=f"{what}: made by python -m components {name}",
                                      description=_pointer(name))
        pointer.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


#: the files made by the page frozen, which the app's components make (the engine never
#: imports them): what each is
POINTED = {"slides": "a slideshow of the chosen steps (one offline HTML file)",
           "handout": "a printable handout of the chosen steps (HTML, prints to PDF)"}


def _pointer(name: str) -> str:
    return (f"{POINTED[name][0].upper()}{POINTED[name][1:]} is the app's stepper frozen into "
            f"a file, made by the app's components: python -m components {name} FILE "
            f"--steps 0-4 -o {'deck' if name == 'slides' else 'handout'}.html")


def _command(commands, name: str, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand with the language help below it and the arguments every command takes."""
    parser = commands.add_parser(name, help=help, description=description,
                                 epilog=language_help(),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    program_arguments(parser)
    return parser


def _algorithm_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--algorithm", choices=ALGORITHMS, default=ROUTE_STACK,
                        help="which backward pass, or forward mode (default: route-stack)")


def step_arguments(parser: argparse.ArgumentParser) -> None:
    """--algorithm and --steps FIRST-LAST: a range of a walk's steps (the step table here,
    the slideshow and handout in ``python -m components``)."""
    _algorithm_argument(parser)
    parser.add_argument("--steps", default=None, metavar="FIRST-LAST",
                        help=f"the steps, e.g. 0-4 or 7 (default: from step 0, at most "
                             f"{MAX_STEPS}); at most {MAX_STEPS} steps")


def program_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE and --values: the program a command reads (``load_program`` reads them)."""
    parser.add_argument("file", metavar="FILE", help="the program; - reads standard input")
    parser.add_argument("--values", action="append", default=[], metavar="NAME=X,...",
                        help="values of inputs, e.g. a=1,b=2.5 (overrides a = 4 in the "
                             "program; required for names the program never assigns); "
                             "may be repeated")


def _order(text: str) -> int:

    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ORDER:
        raise argparse.ArgumentTypeError(f"{text!r} is not an order from 1 to {MAX_ORDER}")
    return int(text)


def _steps(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in POINTED:
        print(f"error: {_pointer(args.command)}", file=sys.stderr)
        return EXIT_USAGE
    jacobian = args.command == "grad" and args.jacobian
    if jacobian and args.order > 1:
        parser.error("--jacobian is of first derivatives: drop --order")
    try:
        program = _load(args)
        for notice in program.notices:
            print(f"note: {notice}", file=sys.stderr)
        if len(program.outputs) > 1 and not jacobian:
            print(f"note: {_first_output_only(program)}", file=sys.stderr)
        if args.command == "trace":
            text = _trace(program, args)
        elif args.command == "table":
            text = _table_text(program, args)
        elif jacobian:
            text = _jacobian(program, args.json)
        elif args.order > 1:
            text = _higher(program, args.order, args.json)
        else:
            text = _grad(program, args.json)
    except ProgramError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` closed the pipe: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet exit flush
    return 0


# ---- reading the program and its values ----

def _load(args: argparse.Namespace) -> Program:
    return load_program(args.file, args.values)


def load_program(path: str, given: Sequence[str] = ()) -> Program:
    """The program in file ``path`` (- reads standard input) at the values ``given`` as
    ``--values`` gives them (NAME=X,...; the program's own for the others); a problem is
    one ProgramError saying what to do."""
    text = _read(path)
    try:
        values = parse_values(list(given))
    except ValuesError as exc:
        raise ProgramError(f"--values: {exc}") from None
    description = describe(text)
    inputs = description.inputs
    names = [i.name for i in inputs]
    for name in values:
        if name not in names:
            listed = ", ".join(names) if names else "none"
            raise ProgramError(f"--values gives `{name}`, which is not an input of the program "
                               f"(its inputs: {listed})")
    for item in inputs:
        if item.default is None and item.name not in values:
            raise ProgramError(f"`{item.name}` has no value: give one with --values "
                               f"{item.name}=1.0, or add a line `{item.name} = 1.0` to the "
                               f"program{did_you_mean(item.name, description)}")
    return compile_program(text, values)


def _read(path: str) -> str:
    limit = 2 * MAX_PROGRAM_CHARS + 2  # generous: \r\n counts once after reading
    try:
        if path == "-":
            text = sys.stdin.read(limit + 1)
        else:
            with open(path, encoding="utf-8", newline="") as handle:
                text = handle.read(limit + 1)
    except UnicodeDecodeError:
        raise ProgramError(f"{path}: not UTF-8 text (a program is plain ASCII text)") from None
    except OSError as exc:
        raise ProgramError(f"{path}: {exc.strerror or exc}") from None
    if len(text) > limit:
        raise ProgramError(f"{path}: the program is longer than {MAX_PROGRAM_CHARS:,} "
                           "characters")
    return text


# ---- the two commands ----

def _named_keys(program: Program) -> list[str]:
    """Keys of the nodes the program names (inputs and assigned names), and the output, in
    build order; an input the output does not depend on (no node of its graph) comes right
    after the input before it, as the program lists them."""
    graph = program.graph
    keys = [n.key for n in graph.nodes if n.name is not None or n.key == graph.output]
    previous = None
    for item in program.inputs:
        if item.name in program.unused_inputs:
            keys.insert(0 if previous is None else keys.index(previous) + 1, item.name)
        previous = item.name
    return keys


def grad_report(program: Program) -> dict:
    """The document of ``grad --json``. Every value is a float; an input the output does not
    depend on has gradient 0.0 and is listed in ``unused_inputs``."""
    graph = program.graph
    keys = _named_keys(program)
    exact = gradients(program.output)
    nodes = {k: graph.engine[k] for k in keys if k in graph.engine}
    estimates = numerical_gradients(program.output, wrt=list(nodes.values()))
    return {
        "output": graph.output,
        "value": float(program.output.value),
        "gradients": {k: float(exact.get(nodes[k], 0.0)) if k in nodes else 0.0
                      for k in keys},
        "numerical": {k: float(estimates[nodes[k]]) if k in nodes else 0.0 for k in keys},
        "unused_inputs": list(program.unused_inputs),
    }


def _grad(program: Program, as_json: bool) -> str:
    report = grad_report(program)
    if as_json:
        return _dumps(report)
    rows = [("node", "gradient", "numerical")]
    rows += [(k, fmt(g, FULL), fmt(report["numerical"][k], FULL),
              *_unused_note(report, k)) for k, g in report["gradients"].items()]
    lines = [f"output {report['output']} = {fmt(report['value'], FULL)}", "",
             f"gradient of {report['output']} with respect to each named node "
             "(topological algorithm; numerical = central differences):"]
    return "\n".join(lines + _table(rows)) + "\n"


def _first_output_only(program: Program) -> str:
    """What a command shows of a program with several outputs, and where the rest are."""
    names = program.output_names
    shown = program.graph[program.graph.output].name or program.graph.output
    return (f"the program names {len(names)} outputs ({', '.join(names)}); this shows {shown} "
            "only: grad --jacobian shows them all")


def jacobian_report(program: Program) -> dict:
    """The document of ``grad --jacobian --json``: rows outputs, columns inputs, every value
    a float; an input an output does not depend on gets 0.0."""
    return {
        "outputs": list(program.output_names),
        "inputs": [i.name for i in program.inputs],
        "values": {name: float(node.value)
                   for name, node in zip(program.output_names, program.outputs, strict=True)},
        "jacobian": program.jacobian(),
        "numerical": program.numerical_jacobian(),
    }


def _jacobian(program: Program, as_json: bool) -> str:
    report = jacobian_report(program)
    if as_json:
        return _dumps(report)
    exact, numerical, inputs = report["jacobian"], report["numerical"], report["inputs"]
    rows = [("output", *inputs)]
    rows += [(y, *(fmt(row[x], FULL) for x in inputs)) for y, row in exact.items()]
    lines = [f"output {y} = {fmt(value, FULL)}" for y, value in report["values"].items()]
    passes = len(report["outputs"])
    lines += ["", "Jacobian d(output)/d(input), a row per output and a column per input",
              f"(reverse mode: one backward pass per output, {passes} in all):"]
    wrong = [f"∂{y}/∂{x} = {fmt(row[x], FULL)}, numerical {fmt(numerical[y][x], FULL)}"
             for y, row in exact.items() for x in inputs if not agree(row[x], numerical[y][x])]
    entries = passes * len(inputs)
    check = (f"central differences agree with all {entries} entries" if not wrong else
             f"central differences disagree with {len(wrong)} of {entries} entries: "
             + "; ".join(wrong))
    return "\n".join(lines + _table(rows) + ["", check]) + "\n"


def _unused_note(report: dict, *inputs: str) -> tuple[str, ...]:
    """A table row's note when the output does not depend on one of its ``inputs``."""
    unused = [a for a in dict.fromkeys(inputs) if a in report["unused_inputs"]]
    if not unused:
        return ()
    return (f"({report['output']} does not depend on {' or '.join(unused)})",)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as aligned lines, under a header row; cells past the header's are a note."""
    columns = len(rows[0])
    widths = [max(len(row[i]) for row in rows) for i in range(columns)]
    return ["  " + "  ".join(cell.ljust(widths[i]) if i < columns else cell
                             for i, cell in enumerate(row)).rstrip() for row in rows]


def higher_report(program: Program, order: int) -> dict:
    """The document of ``grad --order N --json`` (N >= 2): the derivatives of the output,
    each as a graph of engine ops (create_graph) differentiated once more, beside central
    differences of the derivative one order lower, evaluated as a plan (no rebuild)."""

    graph = program.graph
    inputs = [i.name for i in program.inputs]  # those the output does not use give 0.0
    exact: dict = {}
    numerical: dict = {}
    try:
        if order == 2:
            first = gradient_graphs(program.output)
            for a in inputs:
                lower = first.get(graph.engine.get(a))
                if lower is None:  # the output does not depend on `a`
                    exact[a], numerical[a] = dict.fromkeys(inputs, 0.0), dict.fromkeys(inputs, 0.0)
                    continue
                row = gradients(lower)
                plan = compile_plan(lower)
                estimates = plan_numerical(plan, keys=[b for b in inputs if b in plan.inputs])
                exact[a] = {b: float(row.get(graph.engine.get(b), 0.0)) for b in inputs}
                numerical[a] = {b: float(estimates.get(b, 0.0)) for b in inputs}
        else:
            for a in inputs:
                node = graph.engine.get(a)
                if node is None:  # the output does not depend on `a`
                    exact[a], numerical[a] = 0.0, 0.0
                    continue
                lower = derivative(program.output, node, order - 1, max_nodes=200_000)
                exact[a] = float(gradients(lower).get(node, 0.0))
                plan = compile_plan(lower)
                numerical[a] = (float(plan_numerical(plan, keys=[a])[a]) if a in plan.inputs
                                else 0.0)
    except DerivativeTooLarge as exc:
        raise ProgramError(str(exc)) from None
    except DomainError as exc:
        raise ProgramError(f"the derivative of order {order} cannot be computed at these "
                           f"values: {exc}") from None
    key = "hessian" if order == 2 else "derivatives"
    return {"output": graph.output, "value": float(program.output.value), "order": order,
            "inputs": inputs, key: exact, "numerical": numerical,
            "unused_inputs": list(program.unused_inputs)}


def _higher(program: Program, order: int, as_json: bool) -> str:
    report = higher_report(program, order)
    if as_json:
        return _dumps(report)
    y = report["output"]
    if order == 2:
        rows = [("inputs", "second derivative", "numerical")]
        rows += [(f"{a}, {b}", fmt(x, FULL), fmt(report["numerical"][a][b], FULL),
                  *_unused_note(report, a, b))
                 for a, row in report["hessian"].items() for b, x in row.items()]
        title = (f"second derivatives of {y} (the Hessian: d²{y}/da db for every pair of "
                 "inputs; numerical = central differences of the first derivative):")
    else:
        rows = [("input", f"derivative of order {order}", "numerical")]
        rows += [(a, fmt(x, FULL), fmt(report["numerical"][a], FULL), *_unused_note(report, a))
                 for a, x in report["derivatives"].items()]
        title = (f"derivative of order {order} of {y} with respect to each input (numerical "
                 f"= central differences of the derivative of order {order - 1}):")
    lines = [f"output {y} = {fmt(report['value'], FULL)}", "", title]
    return "\n".join(lines + _table(rows)) + "\n"


def _trace(program: Program, args: argparse.Namespace) -> str:

    trace = make_trace(program.graph, args.algorithm)
    if args.json:
        return _dumps(trace_to_json(trace, args.max_steps))
    return trace_to_text(trace, args.max_steps)


def _table_text(program: Program, args: argparse.Namespace) -> str:
    trace = make_trace(program.graph, args.algorithm)
    try:
        steps = parse_steps(args.steps, trace.last_index)
    except StepsError as exc:
        raise ProgramError(str(exc)) from None
    return step_table(trace, steps, args.format)


def _dumps(document: dict) -> str:
    return json.dumps(_finite(document), indent=2, allow_nan=False) + "\n"


def _finite(value: object) -> object:
    """JSON has no inf or nan: such numbers become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
