"""Where a server keeps its rooms: in its own memory, or in Redis shared by several servers.

Both stores offer the same few operations: make a room under a fresh code, read it, change
it (read, apply, write, as one step, so two servers cannot both take sequence number 7),
count an answer once per student, read a question's answers, end a room, and publish a
room's messages to every server, whose hub passes them to the pages following the room
there. A room not changed for ``ttl`` seconds is gone (Redis: the keys expire).

``store_from(url)``: Redis when a URL is given (the ``AUTODIFF_CLASS_REDIS`` setting, read
by ``serve.py``), else memory.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from .room import ANSWERS_PER_QUESTION, Answer, Refused, Room

__all__ = ["Deliver", "MemoryStore", "RedisStore", "store_from"]

Deliver = Callable[[str, dict], None]  # (room code, message): the hub's local fan-out
_CHANGE_TRIES = 20  # optimistic writes retried when another server changed the room first


class Full(Refused):
    def __init__(self):
        super().__init__("This question has all the answers it can count.")


class MemoryStore:
    """The rooms of one process. ``clock`` is injectable so tests can move time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.rooms: dict[str, tuple[Room, float]] = {}  # code -> (room, when it expires)
        self.answers: dict[tuple[str, int], dict[str, Answer]] = {}
        self.deliver: Deliver = lambda code, message: None

    async def create(self, room: Room, ttl: float) -> bool:
        if await self.load(room.code) is not None:
            return False
        self.rooms[room.code] = (room, self.clock() + ttl)
        return True

    async def load(self, code: str) -> Room | None:
        room, expires = self.rooms.get(code, (None, 0.0))
        if room is not None and self.clock() >= expires:
            await self.end(code)
            return None
        return room

    async def change(self, code: str, apply: Callable[[Room], Any], ttl: float):
        """``apply(room)`` on a copy, kept only if it raised nothing: (room, its result)."""
        room = await self.load(code)
        if room is None:
            return None, None
        changed = Room.from_dict(room.to_dict())
        result = apply(changed)
        self.rooms[code] = (changed, self.clock() + ttl)
        return changed, result

    async def add_answer(self, code: str, question: int, student: str, answer: Answer) -> bool:
        answers = self.answers.setdefault((code, question), {})
        if student in answers:
            return False
        if len(answers) >= ANSWERS_PER_QUESTION:
            raise Full()
        answers[student] = answer
        return True

    async def answers_to(self, code: str, question: int) -> list[Answer]:
        return list(self.answers.get((code, question), {}).values())

    async def end(self, code: str) -> None:
        self.rooms.pop(code, None)
        for key in [k for k in self.answers if k[0] == code]:
            del self.answers[key]

    async def publish(self, code: str, message: dict) -> None:
        self.deliver(code, message)

    async def listen(self) -> None:
        """Nothing to listen to: ``publish`` delivers at once."""

    async def forget_expired(self) -> None:
        for code in list(self.rooms):
            await self.load(code)


class RedisStore:
    """Rooms in Redis: one JSON value per room and one hash of answers per question, both
    expiring; messages on one channel per room, which every server listens to."""

    PREFIX = "autodiff-class"

    def __init__(self, url: str):
        from redis import asyncio as redis  # only a server given a Redis URL needs it

        self.redis = redis.from_url(url, decode_responses=True)
        self.watch_error, self.connection_error = redis.WatchError, redis.ConnectionError
        self.deliver: Deliver = lambda code, message: None

    def _room(self, code: str) -> str:
        return f"{self.PREFIX}:room:{code}"

    def _answers(self, code: str, question: int) -> str:
        return f"{self.PREFIX}:answers:{code}:{question}"

    def _channel(self, code: str) -> str:
        return f"{self.PREFIX}:events:{code}"

    async def create(self, room: Room, ttl: float) -> bool:
        return bool(await self.redis.set(self._room(room.code), json.dumps(room.to_dict()),
                                         nx=True, ex=max(1, round(ttl))))

    async def load(self, code: str) -> Room | None:
        data = await self.redis.get(self._room(code))
        return Room.from_dict(json.loads(data)) if data else None

    async def change(self, code: str, apply: Callable[[Room], Any], ttl: float):
        key = self._room(code)
        async with self.redis.pipeline() as pipe:
            for _ in range(_CHANGE_TRIES):
                try:
                    await pipe.watch(key)
                    data = await pipe.get(key)
                    if not data:
                        return None, None
                    room = Room.from_dict(json.loads(data))
                    result = apply(room)
                    pipe.multi()
                    pipe.set(key, json.dumps(room.to_dict()), ex=max(1, round(ttl)))
                    await pipe.execute()
                    return room, result
                except self.watch_error:
                    continue
        raise Refused("The class is busy: try that again.")

    async def add_answer(self, code: str, question: int, student: str, answer: Answer) -> bool:
        key = self._answers(code, question)
        if await self.redis.hlen(key) >= ANSWERS_PER_QUESTION:
            raise Full()
        added = await self.redis.hsetnx(key, student, json.dumps(answer))
        await self.redis.expire(key, await self._ttl(code))
        return bool(added)

    async def _ttl(self, code: str) -> int:
        return max(1, await self.redis.ttl(self._room(code)))

    async def answers_to(self, code: str, question: int) -> list[Answer]:
        return [tuple(json.loads(v)) for v in await self.redis.hvals(self._answers(code, question))]

    async def end(self, code: str) -> None:
        await self.redis.delete(self._room(code))

    async def publish(self, code: str, message: dict) -> None:
        await self.redis.publish(self._channel(code), json.dumps(message))

    async def listen(self) -> None:
        """Pass every room's messages, from any server, to this server's hub; runs for the
        server's life (a dropped connection is made again)."""
        start = len(self._channel(""))
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.psubscribe(self._channel("*"))
                    async for item in pubsub.listen():
                        if item["type"] == "pmessage":
                            self.deliver(item["channel"][start:], json.loads(item["data"]))
            except (OSError, self.connection_error):
                await asyncio.sleep(1)

    async def forget_expired(self) -> None:
        """Redis forgets expired rooms itself."""


def store_from(url: str | None) -> MemoryStore | RedisStore:
    return RedisStore(url) if url else MemoryStore()
