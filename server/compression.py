"""gzip request bodies (the app compresses large pushes): decompressed here, within the body limit,
so a small compressed body cannot expand into a large one."""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from server.errors import error_body
from services.wire import ErrorCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class GzipRequestMiddleware:
    """Turn a `Content-Encoding: gzip` request body into the plain body the app expects."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        if scope["type"] != "http" or headers.get(b"content-encoding", b"").lower() != b"gzip":
            await self.app(scope, receive, send)
            return
        compressed = bytearray()
        more = True
        while more:
            message = await receive()
            compressed += message.get("body", b"")
            more = message.get("more_body", False)
            if len(compressed) > self.max_body_bytes:
                await self._refuse(send, 413, ErrorCode.BODY_TOO_LARGE, "The request body is too large.")
                return
        inflater = zlib.decompressobj(wbits=31)
        try:
            body = inflater.decompress(bytes(compressed), self.max_body_bytes + 1)
        except zlib.error:
            await self._refuse(send, 400, ErrorCode.INVALID_ENCODING, "The body is not valid gzip.")
            return
        if len(body) > self.max_body_bytes or inflater.unconsumed_tail:
            await self._refuse(
                send,
                413,
                ErrorCode.BODY_TOO_LARGE,
                f"Request bodies are limited to {self.max_body_bytes} bytes.",
            )
            return
        scope = dict(scope)
        scope["headers"] = [
            (k, v) for k, v in scope["headers"] if k not in (b"content-encoding", b"content-length")
        ] + [(b"content-length", str(len(body)).encode())]
        delivered = False

        async def plain_receive() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, plain_receive, send)

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str) -> None:
        await refuse(send, status, code, message)


async def refuse(send: Send, status: int, code: str, message: str) -> None:
    """Answer in the API's one error shape from ASGI middleware (inside LimitsAndServerTime, which
    adds X-Server-Time to every answer)."""
    payload = json.dumps(error_body(code, message))
    headers = [(b"content-type", b"application/json")]  # X-Server-Time: server/middleware.py
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload.encode()})
