"""The hub passes a room's changes to every page following it, in order, the lecturer's
pages with the tally too; a slow page gets the latest state instead of holding anyone up;
attempts are limited per client; an idle room ends and tells its pages. The same with the
rooms in memory and in a real Redis; with Redis, two hubs (two servers) share a room."""

from __future__ import annotations

import asyncio
import json

import pytest

from classroom.hub import BACKLOG, LIMITS, Hub, TooMany
from classroom.room import Refused
from classroom.store import MemoryStore, RedisStore

QUESTION = {"step": 1, "prompt": "d → c: the route value?",
            "choices": ["4", "7", "11", "28"], "right": 0, "low": 3.9995, "high": 4.0005}
PAUSE = 0.05  # lets a hub listening to Redis hear what was just published


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Lecturer:
    def __init__(self, hub: Hub, client: str = "10.0.0.1"):
        self.hub, self.client, self.seq = hub, client, 0
        self.room = None

    async def open(self) -> Lecturer:
        self.room = await self.hub.open(self.client)
        return self

    async def send(self, action: str, **fields) -> dict:
        self.seq += 1
        raw = json.dumps({"secret": self.room.secret, "seq": self.seq, "action": action,
                          **fields})
        return await self.hub.drive(self.room.code, raw, self.client)


@pytest.fixture(params=["memory", "redis"])
def make_hub(request):
    """Hubs over a fresh store of the kind named: each call is one more server."""
    made = []

    def make(clock=None, **kwargs) -> Hub:
        if request.param == "memory":
            hub = Hub(clock=clock or Clock(), **kwargs)
        else:
            hub = Hub(RedisStore(request.getfixturevalue("redis_url")),
                      clock=clock or Clock(), **kwargs)
        made.append(hub)
        return hub

    make.kind = request.param
    return make


async def started(hub: Hub) -> Hub:
    hub.start()
    await asyncio.sleep(PAUSE)  # subscribed
    return hub


async def stopped(*hubs: Hub) -> None:
    for hub in hubs:
        for task in hub.background:
            task.cancel()
        await asyncio.gather(*hub.background, return_exceptions=True)
        if isinstance(hub.store, RedisStore):
            await hub.store.redis.aclose()


async def take(stream, n: int) -> list[dict]:
    return [await asyncio.wait_for(anext(stream), 5) for _ in range(n)]


def test_every_step_reaches_every_page_in_order_and_a_late_joiner_lands_on_the_current(make_hub):
    async def scenario():
        hub = await started(make_hub())
        lecturer = await Lecturer(hub).open()
        await lecturer.send("show", program="a = Var(1)\nb = a * a", step=0)
        students = [hub.watch(lecturer.room.code, lecturer=False) for _ in range(3)]
        assert [(await anext(s))["room"]["step"] for s in students] == [0, 0, 0]
        for step in range(1, 11):
            await lecturer.send("step", step=step)
        for stream in students:
            got = await take(stream, 10)
            assert [m.get("step") for m in got] == list(range(1, 11)), got
        late = hub.watch((await hub.room(lecturer.room.code, "10.0.0.2")).code, lecturer=False)
        assert (await anext(late))["room"]["step"] == 10
        for stream in [*students, late]:
            await stream.aclose()
        assert lecturer.room.code not in hub.watchers  # pages that left are forgotten
        await stopped(hub)
    asyncio.run(scenario())


def test_the_lecturer_sees_the_tally_and_students_the_reveal(make_hub):
    async def scenario():
        hub = await started(make_hub())
        lecturer = await Lecturer(hub).open()
        teacher = hub.watch(lecturer.room.code, lecturer=True)
        student = hub.watch(lecturer.room.code, lecturer=False)
        await anext(teacher), await anext(student)
        await lecturer.send("pose", question=QUESTION)
        posed = (await take(student, 1))[0]["room"]["question"]
        assert posed["id"] == 1 and "right" not in posed
        await take(teacher, 1)
        for i, fields in enumerate([{"choice": 0}, {"choice": 2}, {"number": 4}]):
            raw = json.dumps({"student": f"student{i:012d}", "question": 1, **fields})
            await hub.answer(lecturer.room.code, raw, "10.0.0.9")
        with pytest.raises(Refused, match="answered this question already"):
            await hub.answer(lecturer.room.code, raw, "10.0.0.9")
        tallies = [m["tally"] for m in await take(teacher, 3)]
        assert [t["answered"] for t in tallies] == [1, 2, 3]
        assert tallies[-1]["right"] == 2 and tallies[-1]["choices"] == [1, 0, 1, 0]
        await lecturer.send("reveal")
        revealed = (await take(student, 1))[0]["room"]["question"]
        assert revealed["revealed"] and revealed["right"] == 0
        rejoined = hub.watch((await hub.room(lecturer.room.code, "10.0.0.1")).code, lecturer=True)
        assert (await anext(rejoined))["tally"]["answered"] == 3  # a reloaded lecturer page
        for stream in (teacher, student, rejoined):
            await stream.aclose()
        await stopped(hub)
    asyncio.run(scenario())


def test_a_slow_page_gets_the_latest_state_instead_of_a_backlog(make_hub):
    async def scenario():
        hub = await started(make_hub())
        lecturer = await Lecturer(hub).open()
        slow = hub.watch(lecturer.room.code, lecturer=False)
        await anext(slow)
        for step in range(1, BACKLOG + 10):
            hub.limits["lecturer"].windows.clear()  # a clicker held down for a while
            await lecturer.send("step", step=step)
        await asyncio.sleep(PAUSE)
        caught_up = await anext(slow)
        assert caught_up["type"] == "room"  # where the room was when the page fell behind
        behind = caught_up["room"]["step"]
        rest = await take(slow, BACKLOG + 9 - behind)
        assert [m["step"] for m in rest] == list(range(behind + 1, BACKLOG + 10))
        await slow.aclose()
        await stopped(hub)
    asyncio.run(scenario())


def test_wrong_codes_are_limited_per_client_and_the_room_keeps_working(make_hub):
    async def scenario():
        clock = Clock()
        hub = make_hub(clock)
        lecturer = await Lecturer(hub).open()
        tries, _ = LIMITS["wrong code"]
        for _ in range(tries):
            with pytest.raises(Refused, match="No class has that code"):
                await hub.room("AAAAAAAA", "10.0.0.66")
        with pytest.raises(TooMany, match="Too many wrong room codes"):
            await hub.room(lecturer.room.code, "10.0.0.66")  # even the right one, for a while
        assert (await hub.room(lecturer.room.code, "10.0.0.7")).code == lecturer.room.code
        await lecturer.send("step", step=1)
        clock.now += 61
        assert (await hub.room(lecturer.room.code, "10.0.0.66")).step == 1
        await stopped(hub)
    asyncio.run(scenario())


def test_an_answer_flood_is_refused_and_the_class_goes_on(make_hub):
    async def scenario():
        hub = make_hub()
        lecturer = await Lecturer(hub).open()
        await lecturer.send("pose", question=QUESTION)
        per_page, _ = LIMITS["student"]
        flood = json.dumps({"student": "f" * 20, "question": 1, "choice": 1})
        outcomes = []
        for _ in range(per_page + 5):
            try:
                reply = await hub.answer(lecturer.room.code, flood, "10.0.0.5")
                outcomes.append(reply["counted"])
            except TooMany:
                outcomes.append("too many")
            except Refused:
                outcomes.append("again")
        assert outcomes == [True] + ["again"] * (per_page - 1) + ["too many"] * 5
        ok = json.dumps({"student": "g" * 20, "question": 1, "choice": 0})
        assert (await hub.answer(lecturer.room.code, ok, "10.0.0.6"))["counted"]
        assert len(await hub.store.answers_to(lecturer.room.code, 1)) == 2
        await stopped(hub)
    asyncio.run(scenario())


def test_opening_rooms_is_limited_per_client(make_hub):
    async def scenario():
        hub = make_hub()
        count, _ = LIMITS["open"]
        for _ in range(count):
            await hub.open("10.0.0.1")
        with pytest.raises(TooMany, match="classes started"):
            await hub.open("10.0.0.1")
        assert (await hub.open("10.0.0.2")).code
        await stopped(hub)
    asyncio.run(scenario())


def test_an_idle_room_ends_and_tells_its_pages(make_hub):
    async def scenario():
        clock = Clock()
        hub = make_hub(clock, idle_seconds=1)
        lecturer = await Lecturer(hub).open()
        page = hub.watch(lecturer.room.code, lecturer=False)
        await anext(page)
        clock.now += 2  # the memory store's clock
        await asyncio.sleep(1.1 if make_hub.kind == "redis" else 0)  # Redis's own
        await hub.end_idle()
        ended = await anext(page)
        assert ended["type"] == "ended" and "long time" in ended["reason"]
        with pytest.raises(StopAsyncIteration):
            await anext(page)
        with pytest.raises(Refused, match="No class has that code"):
            await hub.room(lecturer.room.code, "10.0.0.3")
        await stopped(hub)
    asyncio.run(scenario())


def test_the_lecturer_ending_the_class_tells_every_page(make_hub):
    async def scenario():
        hub = await started(make_hub())
        lecturer = await Lecturer(hub).open()
        page = hub.watch(lecturer.room.code, lecturer=False)
        await anext(page)
        await lecturer.send("end")
        assert (await take(page, 1))[0]["reason"] == "The lecturer ended this class."
        assert await hub.store.load(lecturer.room.code) is None
        await stopped(hub)
    asyncio.run(scenario())


def test_two_servers_share_a_room_its_steps_and_its_tally(make_hub):
    """The lecturer on one server, students on both; answers sent to either are tallied."""
    if make_hub.kind == "memory":
        return  # a process's memory is its own: sharing rooms is what Redis is for
    async def scenario():
        one, two = await started(make_hub()), await started(make_hub())
        lecturer = await Lecturer(one).open()
        await lecturer.send("show", program="a = Var(4)", step=0)
        here = one.watch(lecturer.room.code, lecturer=False)
        there = two.watch((await two.room(lecturer.room.code, "10.0.0.8")).code, lecturer=False)
        teacher = one.watch(lecturer.room.code, lecturer=True)
        for stream in (here, there, teacher):
            await anext(stream)
        for step in (1, 2, 3):
            await lecturer.send("step", step=step)
        for stream in (here, there):
            assert [m["step"] for m in await take(stream, 3)] == [1, 2, 3]
        await take(teacher, 3)
        await lecturer.send("pose", question=QUESTION)
        await take(teacher, 1)
        for i, hub in enumerate((one, two, two)):
            raw = json.dumps({"student": f"student{i:012d}", "question": 1, "choice": 0})
            await hub.answer(lecturer.room.code, raw, "10.0.0.9")
        assert [m["tally"]["answered"] for m in await take(teacher, 3)] == [1, 2, 3]
        for stream in (here, there, teacher):
            await stream.aclose()
        await stopped(one, two)
    asyncio.run(scenario())


def test_the_memory_store_is_what_a_hub_gets_without_a_redis_url():
    hub = Hub()
    assert isinstance(hub.store, MemoryStore) and hub.store.deliver == hub.deliver
