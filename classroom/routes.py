"""The class's web routes, served next to the app by Streamlit's ``st.App`` (``serve.py``).

    POST /class/rooms                 start a class: {"code", "secret"} (the secret is for
                                      the lecturer's page only, never in a join link)
    POST /class/rooms/{code}/lecturer a lecturer's message (``room.lecturer_message``)
    POST /class/rooms/{code}/answer   a student's answer (``room.answer_of``)
    WS   /class/rooms/{code}/live     the room's messages; the page's first message says
                                      who it is: {"role": "student"} or {"role":
                                      "lecturer", "secret": ...} (the tally comes too)
    GET  /class/qr.svg?link=URL       the join link as a QR code (SVG, drawn by segno), to
                                      show large on the projector

A refusal is HTTP 400 (429 when it is too many attempts) with ``{"error": sentence}``, or
on the stream an ``{"type": "refused", "error": ...}`` message before it closes. No
Streamlit rerun happens for any of it: a step reaches a student's page as one message.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json

import segno
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .hub import Hub, TooMany
from .room import MAX_ANSWER_BYTES, MAX_LECTURER_BYTES, Refused

__all__ = ["HELLO_SECONDS", "MAX_LINK_CHARS", "class_routes", "join_code"]

HELLO_SECONDS = 10.0  # a stream's first message must come within this
MAX_LINK_CHARS = 300  # a join link: the app's address and ?class=CODE, with room to spare


def join_code(link: str) -> bytes:
    """The QR code of a join link, as SVG: dark on white, a quiet zone, a title for
    screen readers. Only an http(s) link of printable characters is drawn."""
    if (len(link) > MAX_LINK_CHARS or not link.startswith(("http://", "https://"))
            or not link.isascii() or not link.isprintable()):
        raise Refused(f"A join link is an http(s) address of at most {MAX_LINK_CHARS} "
                      "characters.")
    svg = io.BytesIO()
    segno.make(link, error="m").save(svg, kind="svg", scale=10, border=4, dark="#111111",
                                     light="#ffffff", xmldecl=False,
                                     title=f"QR code of the join link {link}")
    return svg.getvalue()


def _client(request: Request | WebSocket) -> str:
    # Behind a proxy every request comes from the proxy: uvicorn reads X-Forwarded-For
    # from trusted proxies only (its --forwarded-allow-ips), so this is the real address.
    return request.client.host if request.client else "unknown"


def _refusal(error: Refused) -> JSONResponse:
    status = 429 if isinstance(error, TooMany) else 400
    return JSONResponse({"error": str(error)}, status_code=status)


async def _body(request: Request, limit: int) -> bytes:
    """The request's body, read no further than ``limit`` (+1, to tell it was longer)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(f"That message is too long (more than {limit:,} bytes).")
    return body


def class_routes(hub: Hub) -> list:
    """The routes of a class, all sharing ``hub``."""

    async def start(request: Request) -> JSONResponse:
        hub.start()
        try:
            room = await hub.open(_client(request))
        except Refused as error:
            return _refusal(error)
        return JSONResponse({"code": room.code, "secret": room.secret})

    def posted(take, limit: int):
        """A room's POST route: the body (at most ``limit`` bytes) given to ``take``."""
        async def route(request: Request) -> JSONResponse:
            hub.start()
            try:
                body = await _body(request, limit)
                return JSONResponse(
                    await take(request.path_params["code"], body, _client(request)))
            except Refused as error:
                return _refusal(error)
        return route

    async def live(socket: WebSocket) -> None:
        hub.start()
        await socket.accept()
        try:
            room = await hub.room(socket.path_params["code"], _client(socket))
            hello = await asyncio.wait_for(socket.receive_text(), HELLO_SECONDS)
            is_lecturer = _is_lecturer(hello, room.secret)
        except Refused as error:
            return await _refuse(socket, str(error))
        except TimeoutError:
            return await _refuse(socket, "The page did not say who it is: reload it.")
        except WebSocketDisconnect:
            return
        # sending and noticing the page has gone run side by side: a page that left is
        # dropped at once, not at the room's next message
        sending = asyncio.create_task(_send_all(socket, hub.watch(room.code, is_lecturer)))
        closing = asyncio.create_task(_until_closed(socket))
        done, pending = await asyncio.wait({sending, closing},
                                           return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if sending in done and sending.exception() is None:
            await socket.close()

    async def qr(request: Request) -> Response:
        try:
            svg = join_code(request.query_params.get("link", ""))
        except Refused as error:
            return _refusal(error)
        return Response(svg, media_type="image/svg+xml",
                        headers={"Cache-Control": "private, max-age=3600"})

    return [Route("/class/rooms", start, methods=["POST"]),
            Route("/class/qr.svg", qr, methods=["GET"]),
            Route("/class/rooms/{code}/lecturer", posted(hub.drive, MAX_LECTURER_BYTES),
                  methods=["POST"]),
            Route("/class/rooms/{code}/answer", posted(hub.answer, MAX_ANSWER_BYTES),
                  methods=["POST"]),
            WebSocketRoute("/class/rooms/{code}/live", live)]


async def _send_all(socket: WebSocket, messages) -> None:
    try:
        async for message in messages:
            await socket.send_text(json.dumps(message))
    except Refused as error:
        await socket.send_text(json.dumps({"type": "refused", "error": str(error)}))


async def _until_closed(socket: WebSocket) -> None:
    """Wait for the page to go; what it sends meanwhile is not read."""
    while (await socket.receive())["type"] != "websocket.disconnect":
        pass


async def _refuse(socket: WebSocket, error: str) -> None:
    await socket.send_text(json.dumps({"type": "refused", "error": error}))
    await socket.close()


def _is_lecturer(hello: str, secret: str) -> bool:
    if len(hello) > 1_024:
        raise Refused("That first message is too long.")
    try:
        said = json.loads(hello)
    except ValueError:
        raise Refused("That first message is not readable (not JSON).") from None
    if not isinstance(said, dict) or said.get("role") not in ("student", "lecturer"):
        raise Refused('The first message says {"role": "student"} or "lecturer".')
    if said["role"] == "student":
        return False
    given = said.get("secret")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), secret.encode()):
        raise Refused("Only the lecturer's page can follow as the lecturer (wrong secret).")
    return True
