"""The live class's Streamlit side (components/class_panel.py): what the class's page code is
sent. The lecturer's page gets what it shows (to send to the room), and never a secret; a
join link (``?class=CODE``) opens a student's page, whose algorithm and order switches the
room decides; a lesson link has no class at all. The page code itself: the browser tests."""

from __future__ import annotations

import json

from components.presets import POST_1, POST_2
from tests.app.apptest import start


def class_data(at) -> dict | None:
    """The data the class's component was sent, or None when it is not on the page."""
    sent = [json.loads(e.proto.json) for e in at.get("bidi_component")
            if e.proto.component_name == "ad_class"]
    return sent[0] if sent else None


def test_the_lecturers_page_is_sent_what_it_shows_and_no_secret():
    at = start(program=POST_2, values="a=2,b=3", step="5", algorithm="topological")
    sent = class_data(at)
    assert sent == {"role": "lecturer", "step": 5,
                    "shown": {"program": POST_2, "values": {"a": 2.0, "b": 3.0},
                              "algorithm": "topological", "mode": "watch"}}
    assert at.radio(key="algorithm").value == "topological"


def test_a_join_link_opens_a_students_page_without_the_algorithm_and_order_switches():
    at = start(**{"class": "abcd-2345"})
    assert class_data(at) == {"role": "student", "code": "abcd-2345",
                              "shown": {"program": POST_1, "values": {"a": 4.0, "b": 3.0},
                                        "algorithm": "route-stack", "mode": "watch"}}
    assert not [r for r in at.radio if r.key in ("algorithm", "order")]


def test_a_lesson_link_has_no_class():
    assert class_data(start(program=POST_1, mode="predict")) is None
    assert class_data(start(program=POST_1, hide="editor")) is None
