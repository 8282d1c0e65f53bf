"""The code stands in layers: every import in ``autodiff/`` and ``components/`` (at module
level or inside a function) goes to a module of the same layer or a lower one, no modules
import each other in a circle, and none imports another's private name.

``LAYERS`` is the declared order, bottom first; the README's Layout section points here. A
new module is placed in it (the test fails until it is), so the order stays written once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: bottom first; a module may import from its own layer or any layer before it
LAYERS: list[tuple[str, set[str]]] = [
    ("numbers as text", {"autodiff.core.numbers"}),
    ("every op said once", {"autodiff.core.registry"}),
    ("the node, its operators and the op classes", {"autodiff.core.ops"}),
    ("the backward passes", {"autodiff.core.backward"}),
    ("the graph as plain data", {"autodiff.core.graph", "autodiff.core"}),
    ("above the core: gradients as graphs, arrays, plans, central differences",
     {"autodiff.higher", "autodiff.array", "autodiff.array.naive", "autodiff.placeholder",
      "autodiff.numeric", "autodiff.mistakes", "autodiff.forward", "autodiff.jacobian"}),
    ("the parser, the traces, training",
     {"autodiff.program.values", "autodiff.program.text", "autodiff.program.ir",
      "autodiff.program.expressions", "autodiff.program.check", "autodiff.program.build",
      "autodiff.program.exercises",
      "autodiff.program", "autodiff.trace", "autodiff.trace.questions", "autodiff.trace.chain",
      "autodiff.trace.ledger", "autodiff.array.training"}),
    ("exports", {"autodiff.trace.export", "autodiff.trace.step_table"}),
    ("the engine's doors", {"autodiff.cli", "autodiff", "autodiff.__main__"}),
    ("pure drawing and data helpers",
     {"components", "components.geometry", "components.layered", "components.charts",
      "components.text_metrics",
      "components.presets", "components.switch"}),
    ("pure view data", {"components.view_model", "components.drawing", "components.replay",
                        "components.derivatives", "components.graph_view",
                        "components.what_if", "components.jacobian_view", "components.costs"}),
    ("the session: caches and state", {"components.state", "components.model",
                                       "components.vis_loader"}),
    ("widgets", {"components.controls", "components.editor", "components.panels",
                 "components.stepper", "components.class_panel", "components.derivatives_panel",
                 "components.what_if_panel", "components.jacobian_panel",
                 "components.costs_panel", "components.frozen"}),
    ("views", {"components.training"}),
    ("the page frozen into a file, from a script", {"components.cli", "components.__main__"}),
    ("a class: its rooms, their hub and its web routes",
     {"classroom.room", "classroom.store", "classroom.hub", "classroom.routes", "classroom"}),
    ("the page", {"app"}),
    ("the server: the page with the class's routes", {"serve"}),
]
LAYER_OF = {module: i for i, (_, modules) in enumerate(LAYERS) for module in modules}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    files = [ROOT / "app.py", ROOT / "serve.py", *sorted((ROOT / "autodiff").rglob("*.py")),
             *sorted((ROOT / "components").rglob("*.py")),
             *sorted((ROOT / "classroom").rglob("*.py"))]
    return {module_name(f): f for f in files}


MODULES = project_modules()


def source_of(name: str, path: Path, node: ast.ImportFrom) -> str:
    """The module a ``from … import`` in module ``name`` (file ``path``) reads from."""
    base = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return (f"{base}.{node.module}" if node.module and node.level
            else base if node.level else node.module)


def imports_of(name: str, path: Path) -> list[tuple[str, str, int]]:
    """(module imported, name imported or "", line) for every project import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, "", node.lineno) for a in node.names if a.name in MODULES]
        elif isinstance(node, ast.ImportFrom):
            target = source_of(name, path, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:  # `from . import state`
                    found.append((f"{target}.{alias.name}", "", node.lineno))
                elif target in MODULES:
                    found.append((target, alias.name, node.lineno))
    return [(target, imported, line) for target, imported, line in found if target != name]


IMPORTS = {name: imports_of(name, path) for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    assert set(MODULES) - set(LAYER_OF) == set()
    assert set(LAYER_OF) - set(MODULES) == set()  # no stale entry either


def test_imports_only_go_down():
    upwards = [f"{name}:{line} imports {target} ({LAYERS[LAYER_OF[target]][0]}, above "
               f"{LAYERS[LAYER_OF[name]][0]})"
               for name, found in IMPORTS.items() for target, _, line in found
               if LAYER_OF[target] > LAYER_OF[name]]
    assert upwards == []


def test_no_private_name_is_imported_from_another_module():
    private = [f"{name}:{line} imports {target}.{imported}"
               for name, found in IMPORTS.items() for target, imported, line in found
               if imported.startswith("_")]
    assert private == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_modules_import_each_other_in_a_circle():
    edges = {name: {target for target, _, _ in found} for name, found in IMPORTS.items()}
    assert cycles(edges) == []


@pytest.mark.parametrize(("edges", "expected"), [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set()}, []),
])
def test_the_circle_finder_finds_circles(edges, expected):
    assert cycles(edges) == expected


def test_the_import_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("from . import state\n"
                      "def later():\n"
                      "    from .model import _cache\n"
                      "    import autodiff.trace\n", encoding="utf-8")
    assert imports_of("components.example", source) == [
        ("components.state", "", 1), ("components.model", "_cache", 3),
        ("autodiff.trace", "", 4)]
