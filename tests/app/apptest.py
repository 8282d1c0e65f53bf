"""What every AppTest test starts with: the app run once with some URL parameters."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def start(timeout: float = 60, **params) -> AppTest:
    """The app after its first run, as opened with ``?name=value`` for each of ``params``."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at
