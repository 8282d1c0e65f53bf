"""Every session-state key is named in components/state.py: no other module of the page
writes a key as a string, so two modules cannot drift apart on one key's spelling."""

from __future__ import annotations

import ast
from pathlib import Path

from components import state

REPO = Path(__file__).resolve().parents[2]
SESSION = {"ss", "session_state"}  # how the modules name st.session_state


def _is_session(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id in SESSION
            or isinstance(node, ast.Attribute) and node.attr in SESSION)


def _text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def literal_keys(source: str) -> list[str]:
    """The string keys written in ``source``: ``key="..."``, ``ss["..."]``, ``ss.get("...")``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "key" and _text(node.value):
            found.append(node.value.value)
        elif isinstance(node, ast.Subscript) and _is_session(node.value) and _text(node.slice):
            found.append(node.slice.value)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and _is_session(node.func.value) and node.args and _text(node.args[0])):
            found.append(node.args[0].value)
    return found


def test_no_page_module_but_state_writes_a_session_key_as_text():
    modules = [p for p in sorted((REPO / "components").glob("*.py")) if p.name != "state.py"]
    offenders = {p.name: keys for p in [*modules, REPO / "app.py"]
                 if (keys := literal_keys(p.read_text()))}
    assert offenders == {}


def test_the_check_sees_each_way_a_key_is_written():
    source = ('st.button("Go", key="go")\nss["a"] = 1\nst.session_state["b"]\n'
              'ss.get("c")\nss.setdefault(state.STEP, 0)\n')
    assert sorted(literal_keys(source)) == ["a", "b", "c", "go"]


def test_state_names_the_builders_and_the_training_views_keys():
    assert (state.BUILD_OP, state.STEPPER_SENT, state.TRAIN_RUN) == (
        "build_op", "stepper_sent", "train_run")
