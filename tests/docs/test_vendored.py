"""Front-end libraries are the project's own files: KaTeX's stylesheet names only fonts that
are here, and each vendored library keeps its licence and says where it came from."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KATEX = ROOT / "static" / "katex"


def test_katex_names_only_files_it_has():
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    named = set(re.findall(r"url\(([^)]+)\)", css))
    assert named and all(name.endswith(".woff2") for name in named)
    assert sorted(n for n in named if not (KATEX / n).is_file()) == []
    assert not re.search(r"https?:", css)


def test_katex_keeps_its_licence_and_version():
    assert "MIT License" in (KATEX / "LICENSE").read_text(encoding="utf-8")
    version = re.search(r"KaTeX (\d+\.\d+\.\d+)", (KATEX / "README.md").read_text()).group(1)
    assert f'version:"{version}"' in (KATEX / "katex.min.js").read_text(encoding="utf-8")


def test_static_serving_is_on():
    assert "enableStaticServing = true" in (ROOT / ".streamlit" / "config.toml").read_text()
