"""What the CLI tests share: a program written to a file, as a user passes one."""

from __future__ import annotations

import pytest


@pytest.fixture
def program_file(tmp_path):
    def write(text: str, name: str = "program.py") -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)
    return write
