"""The README's Layout table is one current table: every file of the engine and the UI (their
subfolders' too) is in it, and every file it names is there."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("autodiff", "components", "classroom")


def layout_rows() -> list[str]:
    section = (REPO / "README.md").read_text().split("## Layout\n", 1)[1]
    return [line for line in section.splitlines() if line.startswith("| `")]


def named_files() -> set[str]:
    """Each row's files as paths: a row's first name gives the folder of the names after it."""
    named = set()
    for row in layout_rows():
        names = re.findall(r"`([\w./]+)`", row.split("|")[1])
        folder = names[0].rpartition("/")[0]
        named.update(n if "/" in n or not folder else f"{folder}/{n}" for n in names)
    return named


def test_the_layout_is_one_table_with_one_row_per_place():
    places = [row.split("|")[1].strip() for row in layout_rows()]
    assert len(places) == len(set(places)), "a place is described twice"


def test_every_file_of_the_engine_and_the_ui_is_in_the_layout_and_no_other():
    files = {str(p.relative_to(REPO)) for folder in FOLDERS for p in (REPO / folder).rglob("*")
             if p.is_file() and p.suffix in {".py", ".js", ".mjs", ".css"}}
    named = {n for n in named_files() if n.startswith(FOLDERS) and not n.endswith("/")}
    assert files - named == set(), "files the README's Layout does not name"
    assert named - files == set(), "names in the README's Layout that are not files"
