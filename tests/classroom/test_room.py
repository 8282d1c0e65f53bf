"""A class's room checks every message before it changes anything: only the holder of the
room's secret drives it, a message sent again is refused, students answer once each, and
what a student sees never holds the secret or, before the reveal, the right answer."""

from __future__ import annotations

import json

import pytest

from classroom.room import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ANSWER_BYTES,
    MAX_LECTURER_BYTES,
    Refused,
    Room,
    answer_of,
    lecturer_message,
    new_code,
    normal_code,
    tally,
)

POST_1 = "a = Var(4)\nb = Var(3)\nc = a + b\nd = a * c"
QUESTION = {"step": 1, "prompt": "What is the route value of c's entry?",
            "choices": ["4", "7", "11", "28"], "right": 0, "low": 3.9995, "high": 4.0005}


class Lecturer:
    """Makes a room's lecturer messages, with the secret and a growing sequence number."""

    def __init__(self, room: Room):
        self.room, self.seq = room, 0

    def raw(self, action: str, **fields) -> str:
        self.seq += 1
        return json.dumps({"secret": self.room.secret, "seq": self.seq, "action": action,
                           **fields})

    def send(self, action: str, **fields) -> str:
        return self.room.drive(lecturer_message(self.raw(action, **fields)))


def test_codes_are_long_enough_and_read_as_typed():
    codes = {new_code() for _ in range(2_000)}
    assert len(codes) == 2_000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert len(CODE_ALPHABET) ** CODE_LENGTH > 10**11  # guessing is hopeless at 20 a minute
    assert not set("01OIL") & set(CODE_ALPHABET)  # nothing misread off a projector
    assert normal_code("hxsz-am3k") == "HXSZAM3K"
    for bad in ("HXSZAM3", "HXSZAM3KK", "HXSZAM30", "<script>"):
        with pytest.raises(Refused, match="room code is 8 letters"):
            normal_code(bad)


def test_the_lecturer_shows_a_program_and_steps_it():
    room = Room("HXSZAM3K")
    lecturer = Lecturer(room)
    lecturer.send("show", program=POST_1, values={"a": 4, "b": 3}, algorithm="route-stack",
                  mode="predict", step=0)
    assert lecturer.send("step", step=3) == "step"
    seen = room.public()
    assert (seen["program"], seen["values"], seen["mode"], seen["step"]) == (
        POST_1, {"a": 4.0, "b": 3.0}, "predict", 3)
    assert seen["version"] == 2
    assert room.secret not in json.dumps(seen)


def test_a_message_without_the_secret_or_sent_again_is_refused():
    room = Room("HXSZAM3K")
    lecturer = Lecturer(room)
    first = lecturer.raw("step", step=2)
    room.drive(lecturer_message(first))
    with pytest.raises(Refused, match="already taken"):
        room.drive(lecturer_message(first))  # replayed
    forged = json.loads(lecturer.raw("step", step=9))
    forged["secret"] = "guess"
    with pytest.raises(Refused, match="secret is wrong"):
        room.drive(lecturer_message(json.dumps(forged)))
    with pytest.raises(Refused, match="no room secret"):
        lecturer_message(json.dumps({"seq": 99, "action": "end"}))
    assert room.step == 2 and not room.ended


@pytest.mark.parametrize(("raw", "error"), [
    ("x" * (MAX_LECTURER_BYTES + 1), "too long"),
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"secret": "s", "seq": 1, "action": "explode"}', "'action' must be one of"),
    ('{"secret": "s", "seq": -1, "action": "end"}', "'seq' must be a whole number"),
    ('{"secret": "s", "seq": true, "action": "end"}', "'seq' must be a whole number"),
    ("[" * 100_000, "too long"),
])
def test_malformed_lecturer_messages_are_refused_with_a_sentence(raw, error):
    with pytest.raises(Refused, match=error):
        lecturer_message(raw)


def test_bad_fields_leave_the_room_as_it_was():
    room = Room("HXSZAM3K")
    lecturer = Lecturer(room)
    lecturer.send("show", program=POST_1, step=1)
    for fields, error in [({"program": 5}, "'program' must be a text"),
                          ({"program": "x" * 20_001}, "at most 20,000"),
                          ({"program": POST_1, "values": {"a": "4"}}, "must be a finite"),
                          ({"program": POST_1, "values": {"a": float("nan")}}, "finite"),
                          ({"program": POST_1, "algorithm": "magic"}, "'algorithm'"),
                          ({"program": POST_1, "step": 10**9}, "'step' must be")]:
        with pytest.raises(Refused, match=error):
            lecturer.send("show", **fields)
    with pytest.raises(Refused, match="No question is posed"):
        lecturer.send("reveal")
    assert (room.program, room.step, room.version) == (POST_1, 1, 1)


def test_the_tally_counts_right_answers_typed_and_chosen():
    room = Room("HXSZAM3K")
    Lecturer(room).send("pose", question=QUESTION)
    posed = room.question
    summary = tally(posed, [(0, True), (4.0004, False), (7, False), (3, True),
                            (-102900.5, False)])
    assert (summary["answered"], summary["right"], summary["choices"]) == (5, 2, [1, 0, 0, 1])
    # 4.0004 is right (the check's tolerance); numbers written as the graph writes them
    assert summary["typed"] == [["-1.029e+5", 1], ["4", 1], ["7", 1]]


def test_the_right_answer_is_seen_only_at_the_reveal_which_closes_the_question():
    room = Room("HXSZAM3K")
    lecturer = Lecturer(room)
    lecturer.send("pose", question=QUESTION)
    assert "right" not in room.public()["question"]
    assert room.open_question(1) is room.question
    lecturer.send("reveal")
    assert room.public()["question"]["right"] == 0
    with pytest.raises(Refused, match="revealed"):
        room.open_question(1)


def test_a_room_survives_a_round_trip_through_json():
    room = Room("HXSZAM3K")
    lecturer = Lecturer(room)
    lecturer.send("show", program=POST_1, values={"a": 4}, step=2)
    lecturer.send("pose", question=QUESTION)
    again = Room.from_dict(json.loads(json.dumps(room.to_dict())))
    assert again == room


@pytest.mark.parametrize(("fields", "error"), [
    ({"student": "short", "question": 1, "choice": 0}, "anonymous token"),
    ({"student": "s" * 20, "question": 1, "choice": 4}, "'choice' must be"),
    ({"student": "s" * 20, "question": 1, "number": "1e400"}, "finite number"),
    ({"student": "s" * 20, "question": 0, "choice": 1}, "'question' must be"),
    ({"student": "s" * 20, "question": 1, "number": 1, "pad": "x" * MAX_ANSWER_BYTES},
     "too long"),
])
def test_malformed_answers_are_refused(fields, error):
    with pytest.raises(Refused, match=error):
        answer_of(json.dumps(fields))


def test_an_answer_to_an_old_question_or_an_ended_class_is_refused():
    room = Room("HXSZAM3K")
    lecturer = Lecturer(room)
    with pytest.raises(Refused, match="no longer open"):
        room.open_question(1)
    lecturer.send("pose", question=QUESTION)
    lecturer.send("pose", question={**QUESTION, "step": 2})
    with pytest.raises(Refused, match="no longer open"):
        room.open_question(1)  # question 2 is posed
    lecturer.send("end")
    with pytest.raises(Refused, match="ended"):
        lecturer.send("step", step=1)
    with pytest.raises(Refused, match="ended"):
        room.open_question(2)


@pytest.mark.parametrize("choices", [["4", "7", "11"], ["4", "7", "11", 28],
                                     ["4", "7", "11", "x" * 41], ["4", "7", "11", ""]])
def test_a_question_has_four_short_choices(choices):
    room = Room("HXSZAM3K")
    with pytest.raises(Refused, match="4 choices, each a short text"):
        Lecturer(room).send("pose", question={**QUESTION, "choices": choices})
    assert room.question is None
