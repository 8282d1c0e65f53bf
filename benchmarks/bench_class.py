"""A live class on one server: many students following a lecturer, and all of them answering.

    python benchmarks/bench_class.py                    # 300 students, 20 steps (a minute)
    python benchmarks/bench_class.py --students 50 --steps 10
    python benchmarks/bench_class.py --url http://127.0.0.1:8501 --pid 1234   # a running server

Serves ``serve.py`` (the app with the class's routes) on a free port unless ``--url`` is
given, then, as the pages would, without a browser:

* **follow**: ``--students`` WebSockets follow one room (time to the room's state, p50/p95);
* **step**: the lecturer sends ``--steps`` steps, one every ``--gap`` seconds; for each
  step, the time from sending it to its arrival on each student's stream (p50/p95 over
  every student and step), and whether every student got every step, in order;
* **answers**: the lecturer poses a question and every student answers at once (HTTP, a
  few at a time as phones would); the time from the last answer sent to the lecturer's
  stream showing all of them tallied;
* the server's CPU over the step phase, per step (utime + stime of every thread).

Goals (issue 22), printed beside the figures: a step on every student's stream p95 <=
250 ms, all answers tallied <= 1 s after the last. Exit status 1 when one is missed. The
client runs on the same machine and takes CPU from the server: take final figures on a
quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from anywhere

from tests.conftest import start_streamlit, stop_streamlit  # noqa: E402

STEP_GOAL = 0.250  # seconds, p95 of a step reaching every student
TALLY_GOAL = 1.0  # seconds from the last answer to the lecturer seeing them all
QUESTION = {"step": 1, "prompt": "d → c: the route value?",
            "choices": ["4", "7", "11", "28"], "right": 0, "low": 3.9995, "high": 4.0005}
ANSWERING_AT_ONCE = 32  # answers in flight together


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Lecturer:
    def __init__(self, url: str):
        self.url, self.seq = url, 0
        made = post(f"{url}/class/rooms", {})
        self.code, self.secret = made["code"], made["secret"]

    def send(self, action: str, **fields) -> dict:
        self.seq += 1
        return post(f"{self.url}/class/rooms/{self.code}/lecturer",
                    {"secret": self.secret, "seq": self.seq, "action": action, **fields})


async def follow(ws_url: str, hello: dict):
    socket = await connect(ws_url, max_queue=None, open_timeout=60)
    await socket.send(json.dumps(hello))
    return socket


async def student(socket, steps: int, arrivals: list) -> None:
    """Read until ``steps`` steps have come; note when each arrived."""
    while len(arrivals) < steps:
        message = json.loads(await socket.recv())
        if message["type"] == "step":
            arrivals.append((message["step"], time.perf_counter()))


async def run(url: str, pid: int | None, students: int, steps: int, gap: float) -> dict:
    loop = asyncio.get_running_loop()
    lecturer = Lecturer(url)
    await loop.run_in_executor(None, lambda: lecturer.send(
        "show", program="a = Var(4)\nb = Var(3)\nc = a + b\nd = a * c", step=0))
    ws_url = url.replace("http", "ws", 1) + f"/class/rooms/{lecturer.code}/live"

    async def one() -> tuple:
        start = time.perf_counter()
        socket = await follow(ws_url, {"role": "student"})
        await socket.recv()  # the room's state: the page can draw
        return socket, time.perf_counter() - start

    joined = await asyncio.gather(*(one() for _ in range(students)))
    sockets = [s for s, _ in joined]
    teacher = await follow(ws_url, {"role": "lecturer", "secret": lecturer.secret})
    await teacher.recv()

    arrivals = [[] for _ in sockets]
    readers = [asyncio.create_task(student(s, steps, a))
               for s, a in zip(sockets, arrivals, strict=True)]
    sent = {}
    cpu_before = cpu_seconds(pid) if pid else None
    for step in range(1, steps + 1):
        sent[step] = time.perf_counter()
        await loop.run_in_executor(None, lambda step=step: lecturer.send("step", step=step))
        await asyncio.sleep(gap)
    await asyncio.wait_for(asyncio.gather(*readers), 60)
    cpu = (cpu_seconds(pid) - cpu_before) / steps if pid else None
    delays = [at - sent[step] for got in arrivals for step, at in got]
    in_order = all([step for step, _ in got] == list(range(1, steps + 1)) for got in arrivals)

    await loop.run_in_executor(None, lambda: lecturer.send("pose", question=QUESTION))
    await teacher.recv()  # the question, as posed

    def answer(i: int) -> None:
        post(f"{url}/class/rooms/{lecturer.code}/answer",
             {"student": f"student{i:012d}", "question": 1, "choice": i % 4})

    with ThreadPoolExecutor(ANSWERING_AT_ONCE) as pool:
        await asyncio.gather(*(loop.run_in_executor(pool, answer, i) for i in range(students)))
    last_sent = time.perf_counter()
    while True:
        message = json.loads(await asyncio.wait_for(teacher.recv(), 30))
        if message.get("type") == "tally" and message["tally"]["answered"] == students:
            tallied = time.perf_counter() - last_sent
            right = message["tally"]["right"]
            break
    for socket in [*sockets, teacher]:
        await socket.close()
    return {"joined": [t for _, t in joined], "delays": delays, "in_order": in_order,
            "cpu": cpu, "tallied": tallied, "right": right}


def report(figures: dict, students: int, steps: int) -> bool:
    joined, delays = figures["joined"], figures["delays"]
    step95 = percentile(delays, 95)
    print(f"{students} students following one room, {steps} steps, load {os.getloadavg()[0]:.2f}")
    print(f"  follow: state in p50 {1000 * statistics.median(joined):.0f} ms, "
          f"p95 {1000 * percentile(joined, 95):.0f} ms")
    print(f"  step on every student's stream: p50 {1000 * statistics.median(delays):.0f} ms, "
          f"p95 {1000 * step95:.0f} ms (goal <= {1000 * STEP_GOAL:.0f} ms); every step, in "
          f"order, to every student: {'yes' if figures['in_order'] else 'NO'}")
    if figures["cpu"] is not None:
        print(f"  server CPU per step (to {students} streams): {1000 * figures['cpu']:.1f} ms")
    print(f"  {students} answers tallied on the lecturer's stream {1000 * figures['tallied']:.0f} "
          f"ms after the last (goal <= {1000 * TALLY_GOAL:.0f} ms); {figures['right']} right "
          f"(expected {len(range(0, students, 4))})")
    met = (step95 <= STEP_GOAL and figures["tallied"] <= TALLY_GOAL and figures["in_order"]
           and figures["right"] == len(range(0, students, 4)))
    print("Goals met" if met else "A goal is MISSED")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.2, help="seconds between two steps")
    parser.add_argument("--url", help="a running server (serve.py) instead of starting one")
    parser.add_argument("--pid", type=int, help="its process id, for its CPU")
    args = parser.parse_args(argv)
    proc = None
    url, pid = args.url, args.pid
    if url is None:
        url, proc = start_streamlit(ROOT / "serve.py", cwd=ROOT)
        pid = proc.pid
    try:
        figures = asyncio.run(run(url, pid, args.students, args.steps, args.gap))
    finally:
        if proc is not None:
            stop_streamlit(proc)
    return 0 if report(figures, args.students, args.steps) else 1


if __name__ == "__main__":
    sys.exit(main())
