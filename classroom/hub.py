"""A server's side of its classes: rooms kept in a store, streamed to every page following.

A lecturer's message or a student's answer changes a room (``room.Room`` checks it, the
store keeps it: this process's memory, or Redis shared by several servers) and is
published; each server's hub passes what is published to the pages following that room
on it: students get the room's public state and steps, lecturers the tally too. A page
that reads too slowly is not waited for: its backlog is replaced by the room's latest
state, so one phone on a bad network never holds up the class.

Every cost is bounded per client (a network address): rooms opened, wrong codes tried,
answers sent; and per room: the lecturer's messages, the pages watching. A room ends after
``IDLE_SECONDS`` without a lecturer's message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from .room import Refused, Room, answer_of, lecturer_message, new_code, normal_code, tally
from .store import MemoryStore, RedisStore

__all__ = ["IDLE_SECONDS", "LIMITS", "Hub", "Limiter", "TooMany", "Watcher"]

IDLE_SECONDS = 2 * 3600.0  # a lecture and its break; then the room and its answers are gone
SWEEP_SECONDS = 60.0  # how often pages of rooms that ended by themselves are told
MAX_WATCHERS = 2_000  # pages following one room on one server
BACKLOG = 64  # messages a page may fall behind before it is sent the latest state instead

#: (how many, per seconds) for each kind of attempt, per client or per room
LIMITS = {
    "open": (10, 3600.0),  # rooms a client opens
    "wrong code": (20, 60.0),  # unknown room codes a client tries
    "answer": (1_000, 60.0),  # answers from one address (a lecture hall shares one)
    "student": (30, 60.0),  # answers from one page
    "lecturer": (60, 1.0),  # messages of one room's lecturer (a clicker held down)
}


class TooMany(Refused):
    """Refused for now: too many attempts of one kind in a short time."""


@dataclass
class Limiter:
    """At most ``count`` attempts per key in each window of ``seconds`` (fixed windows:
    simple, and at worst twice the rate across a window's edge)."""

    count: int
    seconds: float
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)

    def take(self, key: str, now: float, what: str) -> None:
        start, used = self.check(key, now, what)
        self.windows[key] = (start, used + 1)

    def check(self, key: str, now: float, what: str) -> tuple[float, int]:
        """Refuse if ``key`` has used its attempts; else its window's (start, used)."""
        start, used = self.windows.get(key, (now, 0))
        if now - start >= self.seconds:
            start, used = now, 0
        if used >= self.count:
            wait = max(1, round(start + self.seconds - now))
            raise TooMany(f"Too many {what} from here: try again in {wait} s.")
        return start, used

    def forget_before(self, now: float) -> None:
        for key in [k for k, (start, _) in self.windows.items() if now - start >= self.seconds]:
            del self.windows[key]


@dataclass(eq=False)
class Watcher:
    """One page following a room: its messages, waiting to be sent."""

    lecturer: bool
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(BACKLOG))

    def send(self, message: dict, latest: Callable[[], dict]) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:  # behind: drop the backlog, keep only where the room is
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(latest())


class Hub:
    """This server's pages and limits, over a store of rooms (memory unless given)."""

    def __init__(self, store: MemoryStore | RedisStore | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 idle_seconds: float = IDLE_SECONDS):
        self.store = store if store is not None else MemoryStore(clock)
        self.store.deliver = self.deliver
        self.clock, self.idle_seconds = clock, idle_seconds
        self.watchers: dict[str, set[Watcher]] = {}
        self.latest: dict[str, dict] = {}  # code -> the room as last published here
        self.tallies: dict[str, dict] = {}  # code -> the last tally published here
        self.limits = {kind: Limiter(*bound) for kind, bound in LIMITS.items()}
        self.background: list[asyncio.Task] = []

    def start(self) -> None:
        """Listen to the store and end idle rooms' streams, for the server's life (called
        once the server's event loop runs: at its first class request)."""
        if not self.background:
            self.background = [asyncio.create_task(self.store.listen()),
                               asyncio.create_task(self._sweep_forever())]

    def _take(self, kind: str, key: str, what: str) -> None:
        self.limits[kind].take(key, self.clock(), what)

    async def open(self, client: str) -> Room:
        """A new room; the caller gives its secret to the lecturer's page only."""
        self._take("open", client, "classes started")
        room = Room(new_code())
        while not await self.store.create(room, self.idle_seconds):
            room = Room(new_code())
        return room

    async def room(self, code_text: str, client: str) -> Room:
        """The room a code names; unknown codes count against the client's attempts, and
        once they are used up every code is refused (else a guesser would still learn
        which code is right)."""
        self.limits["wrong code"].check(client, self.clock(), "wrong room codes")
        try:
            room = await self.store.load(normal_code(code_text))
        except Refused:
            room = None
        if room is None:
            self._take("wrong code", client, "wrong room codes")
            raise Refused("No class has that code (it may have ended): check the code on the "
                          "projector.")
        return room

    async def drive(self, code_text: str, raw: bytes | str, client: str) -> dict:
        """A lecturer's message: checked, applied, published. Returns the room's state."""
        code = (await self.room(code_text, client)).code
        self._take("lecturer", code, "lecturer messages")
        message = lecturer_message(raw)
        room, action = await self.store.change(code, lambda r: r.drive(message),
                                               self.idle_seconds)
        if room is None:
            raise Refused("This class has just ended.")
        if action == "end":
            await self.store.publish(code, {"type": "ended",
                                            "reason": "The lecturer ended this class."})
            await self.store.end(code)
        elif action == "step":
            await self.store.publish(code, {"type": "step", "step": room.step,
                                            "version": room.version})
        else:
            await self.store.publish(code, {"type": "room", "room": room.public()})
        return room.public()

    async def answer(self, code_text: str, raw: bytes | str, client: str) -> dict:
        """A student's answer: counted once; the lecturers' pages get the new tally."""
        room = await self.room(code_text, client)
        self._take("answer", client, "answers")
        student, question_id, answer, by_choice = answer_of(raw)
        self._take("student", student, "answers")
        question = room.open_question(question_id)
        if not await self.store.add_answer(room.code, question_id, student, (answer, by_choice)):
            raise Refused("You have answered this question already (one answer each).")
        answers = await self.store.answers_to(room.code, question_id)
        await self.store.publish(room.code, {"type": "tally", "tally": tally(question, answers)})
        return {"question": question_id, "counted": True}

    async def watch(self, code: str, lecturer: bool) -> AsyncIterator[dict]:
        """The messages of room ``code`` for one page, starting with where the room is now
        (a late joiner lands on the current step), until the room ends."""
        watchers = self.watchers.setdefault(code, set())
        if len(watchers) >= MAX_WATCHERS:
            raise TooMany("This class is full on this server: no more pages can follow it.")
        watcher = Watcher(lecturer)
        watchers.add(watcher)  # before the room is read: nothing published after is missed
        try:
            room = await self.store.load(code)
            if room is None:
                raise Refused("This class has ended.")
            first = await self._now(room, lecturer)
            known = self.latest.get(room.code)
            if known is None or known["version"] < first["room"]["version"]:
                self.latest[room.code] = first["room"]  # for a page that falls behind
            yield first
            seen = _version(first)
            while True:
                message = await watcher.queue.get()
                version = _version(message)
                if version is not None:
                    if version <= seen:
                        continue  # published before the state this page was sent held it
                    seen = version
                yield message
                if message["type"] == "ended":
                    return
        finally:
            watchers.discard(watcher)
            if not watchers:
                self._forget(code)

    async def _now(self, room: Room, lecturer: bool) -> dict:
        message = {"type": "room", "room": room.public()}
        if lecturer and room.question is not None:
            answers = await self.store.answers_to(room.code, room.question.id)
            message["tally"] = tally(room.question, answers)
        return message

    def deliver(self, code: str, message: dict) -> None:
        """A message published for room ``code`` (by any server): to its pages here."""
        self._remember(code, message)
        for watcher in self.watchers.get(code, ()):
            if message["type"] == "tally" and not watcher.lecturer:
                continue
            watcher.send(message, lambda w=watcher: self._latest(code, w.lecturer))

    def _remember(self, code: str, message: dict) -> None:
        kind = message["type"]
        if kind == "room":
            self.latest[code] = message["room"]
            self.tallies.pop(code, None)
        elif kind == "step" and code in self.latest:
            self.latest[code] = {**self.latest[code], "step": message["step"],
                                 "version": message["version"]}
        elif kind == "tally":
            self.tallies[code] = message["tally"]

    def _latest(self, code: str, lecturer: bool) -> dict:
        """Where the room is, for a page that fell behind (its backlog dropped)."""
        message = {"type": "room", "room": self.latest[code]}
        if lecturer and code in self.tallies:
            message["tally"] = self.tallies[code]
        return message

    def _forget(self, code: str) -> None:
        self.watchers.pop(code, None)
        self.latest.pop(code, None)
        self.tallies.pop(code, None)

    async def end_idle(self) -> None:
        """Tell the pages of rooms that ended without a word (idle too long) here, and
        forget old attempt counts."""
        await self.store.forget_expired()
        ended = {"type": "ended", "reason": "This class ended after a long time without a step."}
        for code in list(self.watchers):
            if await self.store.load(code) is None:
                for watcher in self.watchers.get(code, ()):
                    watcher.send(ended, lambda: ended)
        now = self.clock()
        for limiter in self.limits.values():
            limiter.forget_before(now)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            await self.end_idle()


def _version(message: dict) -> int | None:
    """The room version a message brings a page to (None: it changes no version)."""
    if message["type"] == "room":
        return message["room"]["version"]
    return message.get("version")
