"""Two app servers behind nginx with sticky routing (deploy/nginx.conf, as the README
deploys it) share their classes through a real Redis: a lecturer on one server, students on
both, every student follows and every answer reaches the tally; when one server is killed,
its students reconnect through nginx to the other and rejoin the room where it is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from contextlib import ExitStack
from http.cookiejar import CookieJar

import pytest
from websockets.sync.client import connect

from tests.conftest import REPO, free_port, in_ci, start_streamlit, stop_streamlit

QUESTION = {"step": 1, "prompt": "d → c: the route value?",
            "choices": ["4", "7", "11", "28"], "right": 0, "low": 3.9995, "high": 4.0005}
TIMEOUT = 10
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(listen: int, servers: list[str]) -> str:
    template = (REPO / "deploy" / "nginx.conf").read_text()
    upstreams = "\n        ".join(f"server {s.removeprefix('http://')};" for s in servers)
    return template.replace("listen LISTEN;", f"listen 127.0.0.1:{listen};").replace(
        "        SERVERS\n", f"        {upstreams}\n")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request):
    """(nginx's URL, {server address: process}) of two app servers sharing one Redis."""
    if not os.access(NGINX, os.X_OK):
        if in_ci():
            pytest.fail("CI=true, so the replica test must run, but nginx is missing",
                        pytrace=False)
        pytest.skip("nginx is missing (apt-get install nginx)")
    redis_url = request.getfixturevalue("redis_url")
    os.environ["AUTODIFF_CLASS_REDIS"] = redis_url  # read by serve.py in the servers
    with ExitStack() as stack:
        servers = {}
        try:
            for _ in range(2):
                url, proc = start_streamlit(REPO / "serve.py", cwd=REPO)
                stack.callback(stop_streamlit, proc)
                servers[url.removeprefix("http://")] = proc
        finally:
            del os.environ["AUTODIFF_CLASS_REDIS"]
        folder = tmp_path_factory.mktemp("nginx")
        port = free_port()
        (folder / "nginx.conf").write_text(nginx_config(port, list(servers)))
        nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 start_new_session=True)
        stack.callback(lambda: (nginx.terminate(), nginx.wait(TIMEOUT)))
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", nginx)
        yield f"http://127.0.0.1:{port}", servers


def wait_for(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx stopped: {proc.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer through nginx")


class Browser:
    """One browser: its cookie (so nginx keeps it on one server) and its pages' sockets."""

    def __init__(self, base: str, pages: ExitStack):
        self.base, self.pages, self.cookies = base, pages, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with self.opener.open(base + "/", timeout=TIMEOUT) as page:  # the app's page
            self.server = page.headers["X-Served-By"]

    def post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(self.base + path, json.dumps(body).encode(),
                                         method="POST")
        with self.opener.open(request, timeout=TIMEOUT) as reply:
            assert reply.headers["X-Served-By"] == self.server  # sticky
            return json.loads(reply.read())

    def follow(self, code: str, **hello):
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        socket = self.pages.enter_context(connect(
            self.base.replace("http", "ws") + f"/class/rooms/{code}/live",
            additional_headers={"Cookie": cookie}, open_timeout=TIMEOUT))
        socket.send(json.dumps({"role": "student", **hello}))
        return socket


def receive(socket) -> dict:
    return json.loads(socket.recv(timeout=TIMEOUT))


def browsers_on_both(base: str, servers, pages: ExitStack, each: int = 2) -> list[Browser]:
    """Browsers until ``each`` of them are on every server (nginx routes a new browser by
    a random id: a coin toss per browser)."""
    found: dict[str, list[Browser]] = {server: [] for server in servers}
    for _ in range(60):
        browser = Browser(base, pages)
        if len(found[browser.server]) < each:
            found[browser.server].append(browser)
        if all(len(b) == each for b in found.values()):
            return [b for group in found.values() for b in group]
    raise AssertionError(f"nginx did not spread 60 browsers over both servers: {found}")


def test_a_class_spans_two_servers_and_survives_losing_one(cluster):
    base, servers = cluster
    with ExitStack() as pages:
        lecturer = Browser(base, pages)
        room = lecturer.post("/class/rooms", {})
        seq = iter(range(1, 1_000))

        def drive(action: str, **fields) -> dict:
            return lecturer.post(f"/class/rooms/{room['code']}/lecturer",
                                 {"secret": room["secret"], "seq": next(seq), "action": action,
                                  **fields})

        drive("show", program="a = Var(4)\nb = Var(3)\nc = a + b\nd = a * c", step=0)
        students = browsers_on_both(base, servers, pages)
        sockets = [s.follow(room["code"]) for s in students]
        assert [receive(s)["room"]["step"] for s in sockets] == [0] * len(sockets)
        teacher = lecturer.follow(room["code"], role="lecturer", secret=room["secret"])
        receive(teacher)
        for step in range(1, 6):
            drive("step", step=step)
        for socket in [*sockets, teacher]:
            assert [receive(socket)["step"] for _ in range(5)] == [1, 2, 3, 4, 5]

        drive("pose", question=QUESTION)
        receive(teacher)
        for i, student in enumerate(students):
            student.post(f"/class/rooms/{room['code']}/answer",
                         {"student": f"student{i:012d}", "question": 1, "choice": i % 2})
        tallies = [receive(teacher) for _ in students]
        assert tallies[-1]["tally"]["answered"] == len(students)
        assert tallies[-1]["tally"]["right"] == len(students) // 2

        # one server goes; its students' streams end, and once reconnected (a reload)
        # through nginx they are on the other server, in the room, where it is
        lost = next(s for s in servers if s != lecturer.server)
        stop_streamlit(servers[lost])
        drive("step", step=6)
        for student in students:
            socket = student.follow(room["code"])
            tried = socket.response.headers["X-Served-By"].split(", ")  # the lost one first
            assert tried[-1] == lecturer.server
            assert receive(socket)["room"]["step"] == 6
        drive("step", step=7)
        assert receive(socket) == {"type": "step", "step": 7, "version": 9}
