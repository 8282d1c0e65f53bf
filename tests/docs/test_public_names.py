"""Every module says what it offers: ``__all__`` written out as a list of names, each defined
there, and the rest of the project uses no other name of it (imported by name, or read as an
attribute of the module: ``vm.FONT_SIZE``). Tests may reach further (a private helper tested
on its own); the app and the engine may not."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from tests.docs.test_layers import IMPORTS, MODULES, source_of

#: modules with nothing to import: docstring-only packages, the ``python -m`` door, the page
NOTHING_OFFERED = {"app", "autodiff.__main__", "autodiff.core", "components",
                   "components.__main__"}
OFFERING = sorted(set(MODULES) - NOTHING_OFFERED)


def declared(path: Path) -> list[str] | None:
    """The names of a literal ``__all__ = [...]`` at the module's top level, else None."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "__all__"
                and isinstance(node.value, ast.List | ast.Tuple)):
            return [ast.literal_eval(item) for item in node.value.elts]
    return None


def attributes_read(name: str, path: Path) -> list[tuple[str, str, int]]:
    """(module, attribute, line) for every ``alias.attribute`` read on a module imported as a
    whole (``from . import view_model as vm``, ``import autodiff.trace as trace``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        for alias in getattr(node, "names", ()):
            full = (f"{source_of(name, path, node)}.{alias.name}"
                    if isinstance(node, ast.ImportFrom) else alias.name)
            if full in MODULES and (alias.asname or isinstance(node, ast.ImportFrom)):
                aliases[alias.asname or alias.name] = full
    return [(aliases[node.value.id], node.attr, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id in aliases and f"{aliases[node.value.id]}.{node.attr}" not in MODULES]


@pytest.mark.parametrize("module", OFFERING)
def test_every_module_writes_out_its_public_names(module):
    names = declared(MODULES[module])
    assert names is not None, f"{module} has no literal __all__"
    assert len(names) == len(set(names)), f"{module}.__all__ names one twice"
    loaded = importlib.import_module(module)
    assert [n for n in names if not hasattr(loaded, n)] == []


def test_the_project_uses_only_the_names_a_module_offers():
    offered = {module: set(declared(MODULES[module]) or ()) for module in OFFERING}
    used = [(name, target, imported, line) for name, found in IMPORTS.items()
            for target, imported, line in found if imported]
    used += [(name, target, attribute, line) for name, path in MODULES.items()
             for target, attribute, line in attributes_read(name, path)]
    beyond = sorted(f"{name}:{line} uses {target}.{imported}"
                    for name, target, imported, line in used
                    if target in offered and imported not in offered[target])
    assert beyond == []


def test_the_attribute_reader_sees_aliased_modules(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("from . import view_model as vm\nfrom . import state\n"
                      "x = vm.FONT_SIZE + state.ALGORITHM\n", encoding="utf-8")
    assert sorted(attributes_read("components.example", source)) == [
        ("components.state", "ALGORITHM", 3), ("components.view_model", "FONT_SIZE", 3)]
