"""What every AppTest test starts with: the app run once with some URL parameters; and how
they read what the in-page stepper was sent."""

from __future__ import annotations

import json
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


def stepper(at: AppTest):
    """The in-page stepper's element (a v2 component)."""
    return next(e for e in at.get("bidi_component")
                if e.proto.component_name == "ad_stepper")


def data(at: AppTest) -> dict:
    """The data the stepper was sent."""
    return json.loads(stepper(at).proto.json)


def base(at: AppTest) -> dict:
    """The payload's constant part (``replay.base_payload``)."""
    return json.loads(data(at)["base"])


def gradients(at: AppTest) -> dict[str, dict]:
    """The Gradients check's rows, by node key."""
    b = base(at)
    return {b["keys"][row["node"]]: row for row in b["gradients"]}
