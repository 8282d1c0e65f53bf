"""The rooms of one server and the streams that carry them to every page, in memory.

A lecturer's message or a student's answer changes a room (``room.Room``, which checks it)
and the hub passes the change on to every page watching that room: students get the
room's public state, the lecturer also gets the tally of the question posed. A page that
reads too slowly is not waited for: its backlog is replaced by the room's latest state, so
one phone on a bad network never holds up the class.

Every cost is bounded per client (a network address): rooms opened, wrong codes tried,
answers sent; and per room: the lecturer's messages, the pages watching. A room ends after
``IDLE_SECONDS`` without a lecturer's message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from .room import Refused, Room, answer_of, lecturer_message, new_code, normal_code

__all__ = ["IDLE_SECONDS", "LIMITS", "Hub", "Limiter", "TooMany", "Watcher"]

IDLE_SECONDS = 2 * 3600.0  # a lecture and its break; then the room and its answers are gone
MAX_ROOMS = 1_000
MAX_WATCHERS = 2_000  # pages following one room
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
    """The rooms of this process. ``clock`` is injectable so tests can move time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 idle_seconds: float = IDLE_SECONDS):
        self.clock, self.idle_seconds = clock, idle_seconds
        self.rooms: dict[str, Room] = {}
        self.watchers: dict[str, set[Watcher]] = {}
        self.last_driven: dict[str, float] = {}
        self.limits = {kind: Limiter(*bound) for kind, bound in LIMITS.items()}

    def _take(self, kind: str, key: str, what: str) -> None:
        self.limits[kind].take(key, self.clock(), what)

    def open(self, client: str) -> Room:
        """A new room; the caller gives its secret to the lecturer's page only."""
        self.end_idle()
        self._take("open", client, "classes started")
        if len(self.rooms) >= MAX_ROOMS:
            raise TooMany("This server holds as many classes as it can: try again later.")
        code = new_code()
        while code in self.rooms:
            code = new_code()
        room = self.rooms[code] = Room(code)
        self.watchers[code], self.last_driven[code] = set(), self.clock()
        return room

    def room(self, code_text: str, client: str) -> Room:
        """The room a code names; unknown codes count against the client's attempts, and
        once they are used up every code is refused (else a guesser would still learn
        which code is right)."""
        self.limits["wrong code"].check(client, self.clock(), "wrong room codes")
        try:
            code = normal_code(code_text)
        except Refused:
            self._take("wrong code", client, "wrong room codes")
            raise
        room = self.rooms.get(code)
        if room is None or self._idle(code):
            self._take("wrong code", client, "wrong room codes")
            raise Refused("No class has that code (it may have ended): check the code on the "
                          "projector.")
        return room

    def drive(self, code_text: str, raw: bytes | str, client: str) -> dict:
        """A lecturer's message: checked, applied, passed on. Returns the room's state."""
        room = self.room(code_text, client)
        self._take("lecturer", room.code, "lecturer messages")
        action = room.drive(lecturer_message(raw))
        self.last_driven[room.code] = self.clock()
        if action == "end":
            self._close(room.code)
        elif action == "step":
            self._publish(room, {"type": "step", "step": room.step, "version": room.version})
        else:
            self._publish(room, {"type": "room", "room": room.public()})
        return room.public()

    def answer(self, code_text: str, raw: bytes | str, client: str) -> dict:
        """A student's answer: counted once; the lecturer's pages get the new tally."""
        room = self.room(code_text, client)
        self._take("answer", client, "answers")
        student, question, answer, by_choice = answer_of(raw)
        self._take("student", student, "answers")
        room.answer(student, question, answer, by_choice)
        tally = {"type": "tally", "tally": room.tally.summary(room.question)}
        for watcher in self.watchers.get(room.code, ()):
            if watcher.lecturer:
                watcher.send(tally, lambda: tally)
        return {"question": question, "counted": True}

    async def watch(self, room: Room, lecturer: bool) -> AsyncIterator[dict]:
        """The messages of ``room`` for one page, starting with where the room is now
        (a late joiner lands on the current step), until the room ends."""
        watchers = self.watchers.get(room.code)
        if watchers is None:
            raise Refused("This class has ended.")
        if len(watchers) >= MAX_WATCHERS:
            raise TooMany("This class is full: no more pages can follow it.")
        watcher = Watcher(lecturer)
        watchers.add(watcher)
        try:
            yield self._latest(room, lecturer)
            while True:
                message = await watcher.queue.get()
                yield message
                if message.get("type") == "ended":
                    return
        finally:
            watchers.discard(watcher)

    def _latest(self, room: Room, lecturer: bool) -> dict:
        message = {"type": "room", "room": room.public()}
        if lecturer and room.question is not None:
            message["tally"] = room.tally.summary(room.question)
        return message

    def _publish(self, room: Room, message: dict) -> None:
        for watcher in self.watchers.get(room.code, ()):
            watcher.send(message, lambda w=watcher: self._latest(room, w.lecturer))

    def _idle(self, code: str) -> bool:
        return self.clock() - self.last_driven.get(code, 0.0) > self.idle_seconds

    def _close(self, code: str) -> None:
        ended = {"type": "ended", "reason": "The lecturer ended this class."}
        room = self.rooms.pop(code, None)
        if room is not None and not room.ended:
            ended["reason"] = "This class ended after a long time without a step."
        for watcher in self.watchers.pop(code, ()):
            watcher.send(ended, lambda: ended)
        self.last_driven.pop(code, None)

    def end_idle(self) -> None:
        """End every room idle too long, and forget old attempt counts."""
        for code in [c for c in self.rooms if self._idle(c)]:
            self._close(code)
        now = self.clock()
        for limiter in self.limits.values():
            limiter.forget_before(now)
