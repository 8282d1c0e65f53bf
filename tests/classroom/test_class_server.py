"""The class's routes on a real server: ``streamlit run serve.py`` serves the app and the
class next to it on one port. A lecturer starts a room and steps it; pages following it
over WebSockets get every step; requests without the secret, wrong codes, oversized or
malformed messages and an answer flood are refused with a sentence while the room keeps
working for everyone else."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest
from websockets.sync.client import connect

from classroom.hub import LIMITS
from classroom.room import MAX_LECTURER_BYTES
from classroom.routes import join_code

QUESTION = {"step": 1, "prompt": "d → c: the route value?",
            "choices": ["4", "7", "11", "28"], "right": 0, "low": 3.9995, "high": 4.0005}
TIMEOUT = 10


@pytest.fixture
def pages():
    """The WebSockets a test opens, closed after it."""
    with ExitStack() as stack:
        yield stack


def post(url: str, body) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, method="POST"),
                                    timeout=TIMEOUT) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Lecturer:
    def __init__(self, url: str):
        self.url = url
        status, made = post(f"{url}/class/rooms", {})
        assert status == 200, made
        self.code, self.secret, self.seq = made["code"], made["secret"], 0

    def send(self, action: str, **fields) -> tuple[int, dict]:
        self.seq += 1
        return post(f"{self.url}/class/rooms/{self.code}/lecturer",
                    {"secret": self.secret, "seq": self.seq, "action": action, **fields})


def live(url: str, code: str, pages: ExitStack):
    return pages.enter_context(connect(url.replace("http", "ws") + f"/class/rooms/{code}/live",
                                       open_timeout=TIMEOUT))


def follow(url: str, code: str, pages: ExitStack, **hello):
    """A page following room ``code``, as a student unless ``hello`` says otherwise."""
    socket = live(url, code, pages)
    socket.send(json.dumps({"role": "student", **hello}))
    return socket


def receive(socket) -> dict:
    return json.loads(socket.recv(timeout=TIMEOUT))


def test_the_page_and_the_class_share_one_server(class_server):
    with urllib.request.urlopen(class_server + "/", timeout=TIMEOUT) as page:
        assert b"<title>" in page.read()


def test_students_follow_every_step_and_a_late_joiner_lands_on_the_current(class_server, pages):
    lecturer = Lecturer(class_server)
    assert lecturer.send("show", program="a = Var(4)\nb = a * a", step=0)[0] == 200
    students = [follow(class_server, lecturer.code, pages) for _ in range(3)]
    assert [receive(s)["room"]["step"] for s in students] == [0, 0, 0]
    for step in range(1, 11):
        assert lecturer.send("step", step=step)[0] == 200
    for socket in students:
        assert [receive(socket)["step"] for _ in range(10)] == list(range(1, 11))
    late = follow(class_server, lecturer.code.lower(), pages)  # a code typed in lower case
    first = receive(late)["room"]
    assert first["step"] == 10 and lecturer.secret not in json.dumps(first)


def test_a_question_is_answered_tallied_and_revealed(class_server, pages):
    lecturer = Lecturer(class_server)
    teacher = follow(class_server, lecturer.code, pages, role="lecturer", secret=lecturer.secret)
    student = follow(class_server, lecturer.code, pages)
    receive(teacher), receive(student)
    lecturer.send("pose", question=QUESTION)
    assert "right" not in receive(student)["room"]["question"]
    receive(teacher)
    answers = [{"choice": 0}, {"choice": 1}, {"number": 4}]
    for i, fields in enumerate(answers):
        status, reply = post(f"{class_server}/class/rooms/{lecturer.code}/answer",
                             {"student": f"student{i:012d}", "question": 1, **fields})
        assert status == 200, reply
    tally = [receive(teacher)["tally"] for _ in answers][-1]
    assert (tally["answered"], tally["right"], tally["choices"]) == (3, 2, [1, 1, 0, 0])
    lecturer.send("reveal")
    assert receive(student)["room"]["question"]["right"] == 0


def test_without_the_secret_nothing_is_driven_and_the_room_goes_on(class_server, pages):
    lecturer = Lecturer(class_server)
    lecturer.send("show", program="a = Var(1)", step=0)
    student = follow(class_server, lecturer.code, pages)
    receive(student)
    for forged in ({"secret": "guess", "seq": 99, "action": "step", "step": 5},
                   {"seq": 99, "action": "end"}):
        status, reply = post(f"{class_server}/class/rooms/{lecturer.code}/lecturer", forged)
        assert status == 400 and "lecturer" in reply["error"]
    impostor = follow(class_server, lecturer.code, pages, role="lecturer", secret="guess")
    assert receive(impostor) == {"type": "refused", "error": "Only the lecturer's page can "
                                 "follow as the lecturer (wrong secret)."}
    status, reply = post(f"{class_server}/class/rooms/{lecturer.code}/lecturer",
                         b"x" * (MAX_LECTURER_BYTES + 10))
    assert status == 400 and "too long" in reply["error"]
    status, reply = post(f"{class_server}/class/rooms/{lecturer.code}/lecturer", b"{nope")
    assert status == 400 and "not JSON" in reply["error"]
    assert lecturer.send("step", step=1)[0] == 200  # the room still works
    assert receive(student) == {"type": "step", "step": 1, "version": 2}


def test_wrong_codes_and_answer_floods_are_refused_with_a_sentence(class_server, pages):
    status, reply = post(f"{class_server}/class/rooms/AAAAAAAA/answer", {})
    assert status == 400 and "No class has that code" in reply["error"]
    refused = live(class_server, "BBBBBBBB", pages)  # refused before the page says who it is
    assert "No class has that code" in receive(refused)["error"]
    lecturer = Lecturer(class_server)
    lecturer.send("pose", question=QUESTION)
    per_page, _ = LIMITS["student"]
    statuses = [post(f"{class_server}/class/rooms/{lecturer.code}/answer",
                     {"student": "f" * 20, "question": 1, "choice": 1})[0]
                for _ in range(per_page + 2)]
    assert statuses[0] == 200 and statuses[-1] == 429
    status, reply = post(f"{class_server}/class/rooms/{lecturer.code}/answer",
                         {"student": "g" * 20, "question": 1, "choice": 0})
    assert status == 200 and reply["counted"]


def test_the_join_link_is_drawn_as_a_qr_code(class_server):
    link = "http://192.168.1.20:8501/?class=HXSZAM3K"
    query = urllib.parse.urlencode({"link": link})
    with urllib.request.urlopen(f"{class_server}/class/qr.svg?{query}", timeout=TIMEOUT) as reply:
        assert reply.headers["Content-Type"] == "image/svg+xml"
        svg = reply.read().decode()
    assert svg.startswith("<svg") and f"join link {link}" in svg
    assert svg == join_code(link).decode()  # segno's drawing of exactly that link
    for bad in ("javascript:alert(1)", "http://x/" + "a" * 300, "http://x/\n"):
        query = urllib.parse.urlencode({"link": bad})
        try:
            urllib.request.urlopen(f"{class_server}/class/qr.svg?{query}", timeout=TIMEOUT)
            raise AssertionError(f"drew {bad!r}")
        except urllib.error.HTTPError as error:
            assert error.code == 400 and "join link is an http(s) address" in json.loads(
                error.read())["error"]
