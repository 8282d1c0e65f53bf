"""The hub passes a room's changes to every page following it, in order, the lecturer's
pages with the tally too; a slow page gets the latest state instead of holding anyone up;
attempts are limited per client; an idle room ends and tells its pages."""

from __future__ import annotations

import asyncio
import json

import pytest

from classroom.hub import BACKLOG, LIMITS, Hub, TooMany
from classroom.room import Refused

QUESTION = {"step": 1, "prompt": "d → c: the route value?", "choices": [4, 7, 11, 28],
            "right": 0, "low": 3.9995, "high": 4.0005}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Lecturer:
    def __init__(self, hub: Hub, client: str = "10.0.0.1"):
        self.hub, self.client, self.seq = hub, client, 0
        self.room = hub.open(client)

    def send(self, action: str, **fields) -> dict:
        self.seq += 1
        raw = json.dumps({"secret": self.room.secret, "seq": self.seq, "action": action,
                          **fields})
        return self.hub.drive(self.room.code, raw, self.client)


async def take(stream, n: int) -> list[dict]:
    return [await anext(stream) for _ in range(n)]


def run(coroutine):
    return asyncio.run(coroutine)


def test_every_step_reaches_every_page_in_order_and_a_late_joiner_lands_on_the_current():
    async def scenario():
        hub = Hub(Clock())
        lecturer = Lecturer(hub)
        lecturer.send("show", program="a = Var(1)\nb = a * a", step=0)
        students = [hub.watch(lecturer.room, lecturer=False) for _ in range(3)]
        firsts = [await anext(s) for s in students]
        assert all(f["room"]["step"] == 0 for f in firsts)
        for step in range(1, 11):
            lecturer.send("step", step=step)
        for stream in students:
            steps = [m["step"] for m in await take(stream, 10)]
            assert steps == list(range(1, 11))  # nothing in between lost
        late = hub.watch(lecturer.room, lecturer=False)
        assert (await anext(late))["room"]["step"] == 10
        for stream in [*students, late]:
            await stream.aclose()
        assert hub.watchers[lecturer.room.code] == set()  # a page that left is forgotten
    run(scenario())


def test_the_lecturer_sees_the_tally_and_students_the_reveal():
    async def scenario():
        hub = Hub(Clock())
        lecturer = Lecturer(hub)
        teacher = hub.watch(lecturer.room, lecturer=True)
        student = hub.watch(lecturer.room, lecturer=False)
        await anext(teacher), await anext(student)
        lecturer.send("pose", question=QUESTION)
        posed = (await anext(student))["room"]["question"]
        assert posed["id"] == 1 and "right" not in posed
        await anext(teacher)
        for i, fields in enumerate([{"choice": 0}, {"choice": 2}, {"number": 4}]):
            raw = json.dumps({"student": f"student{i:012d}", "question": 1, **fields})
            hub.answer(lecturer.room.code, raw, "10.0.0.9")
        tallies = [m["tally"] for m in await take(teacher, 3)]
        assert [t["answered"] for t in tallies] == [1, 2, 3]
        assert tallies[-1]["right"] == 2 and tallies[-1]["choices"] == [1, 0, 1, 0]
        lecturer.send("reveal")
        revealed = (await anext(student))["room"]["question"]
        assert revealed["revealed"] and revealed["right"] == 0
        await teacher.aclose(), await student.aclose()
    run(scenario())


def test_a_slow_page_gets_the_latest_state_instead_of_a_backlog():
    async def scenario():
        hub = Hub(Clock())
        lecturer = Lecturer(hub)
        slow = hub.watch(lecturer.room, lecturer=False)
        await anext(slow)
        for step in range(1, BACKLOG + 10):
            hub.limits["lecturer"].windows.clear()  # a clicker held down for a while
            lecturer.send("step", step=step)
        caught_up = await anext(slow)
        assert caught_up["type"] == "room"  # where the room was when the page fell behind
        rest = [await anext(slow) for _ in range(BACKLOG + 9 - caught_up["room"]["step"])]
        assert [m["step"] for m in rest] == list(range(caught_up["room"]["step"] + 1,
                                                       BACKLOG + 10))
        await slow.aclose()
    run(scenario())


def test_wrong_codes_are_limited_per_client_and_the_room_keeps_working():
    clock = Clock()
    hub = Hub(clock)
    lecturer = Lecturer(hub)
    tries, _ = LIMITS["wrong code"]
    for _ in range(tries):
        with pytest.raises(Refused, match="No class has that code"):
            hub.room("AAAAAAAA", "10.0.0.66")
    with pytest.raises(TooMany, match="Too many wrong room codes"):
        hub.room(lecturer.room.code, "10.0.0.66")  # even the right one, for a while
    assert hub.room(lecturer.room.code, "10.0.0.7") is lecturer.room  # others unaffected
    lecturer.send("step", step=1)
    clock.now += 61
    assert hub.room(lecturer.room.code, "10.0.0.66") is lecturer.room


def test_an_answer_flood_is_refused_and_the_class_goes_on():
    hub = Hub(Clock())
    lecturer = Lecturer(hub)
    lecturer.send("pose", question=QUESTION)
    per_page, _ = LIMITS["student"]
    flood = json.dumps({"student": "f" * 20, "question": 1, "choice": 1})
    hub.answer(lecturer.room.code, flood, "10.0.0.5")
    refusals = 0
    for _ in range(per_page + 5):
        try:
            hub.answer(lecturer.room.code, flood, "10.0.0.5")
        except TooMany:
            refusals += 1
        except Refused as error:
            assert "already" in str(error)
    assert refusals == 6  # one counted, then refused as repeated, then too many
    ok = json.dumps({"student": "g" * 20, "question": 1, "choice": 0})
    assert hub.answer(lecturer.room.code, ok, "10.0.0.6")["counted"]
    assert lecturer.room.tally.summary(lecturer.room.question)["answered"] == 2


def test_opening_rooms_is_limited_per_client():
    hub = Hub(Clock())
    count, _ = LIMITS["open"]
    for _ in range(count):
        hub.open("10.0.0.1")
    with pytest.raises(TooMany, match="classes started"):
        hub.open("10.0.0.1")
    assert hub.open("10.0.0.2").code


def test_an_idle_room_ends_and_tells_its_pages():
    async def scenario():
        clock = Clock()
        hub = Hub(clock, idle_seconds=60)
        lecturer = Lecturer(hub)
        page = hub.watch(lecturer.room, lecturer=False)
        await anext(page)
        clock.now += 61
        hub.end_idle()
        ended = await anext(page)
        assert ended["type"] == "ended" and "long time" in ended["reason"]
        with pytest.raises(StopAsyncIteration):
            await anext(page)
        with pytest.raises(Refused, match="No class has that code"):
            hub.room(lecturer.room.code, "10.0.0.3")
    run(scenario())


def test_the_lecturer_ending_the_class_tells_every_page():
    async def scenario():
        hub = Hub(Clock())
        lecturer = Lecturer(hub)
        page = hub.watch(lecturer.room, lecturer=False)
        await anext(page)
        lecturer.send("end")
        assert (await anext(page))["reason"] == "The lecturer ended this class."
        assert lecturer.room.code not in hub.rooms
    run(scenario())
