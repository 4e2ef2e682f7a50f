"""The outermost layer (plain ASGI, cheap): refuse bodies over the limit, whether announced by
Content-Length or streamed in chunks, refuse NUL characters in the path and query, and stamp every
response with the server's time (and a token-rotation request where one is due)."""

from __future__ import annotations

from server.clock import server_time_ms
from server.compression import ASGIApp, Message, Receive, Scope, Send, refuse
from server.errors import ApiError
from services.wire import ErrorCode

TOKEN_REFRESH_HEADER = b"x-token-refresh"


class LimitsAndServerTime:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})

        async def send_stamped(message: Message) -> None:
            """Every answer, the app's or this layer's own refusal, carries the server's time."""
            if message["type"] == "http.response.start":
                headers = [
                    *(message.get("headers") or []),
                    (b"x-server-time", str(server_time_ms()).encode()),
                ]
                if scope["state"].get("token_refresh"):
                    headers.append((TOKEN_REFRESH_HEADER, b"1"))
                message = {**message, "headers": headers}
            await send(message)

        too_large = f"Request bodies are limited to {self.max_body_bytes} bytes."
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await refuse(send_stamped, 413, ErrorCode.BODY_TOO_LARGE, too_large)
            return
        # PostgreSQL cannot store NUL: refused here, for every route at once, like in bodies.
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            await refuse(send_stamped, 422, ErrorCode.INVALID_REQUEST, "NUL characters are not allowed.")
            return
        received, over, started = 0, False, False

        async def counted() -> Message:
            # A chunked body announces no length: count what arrives and stop at the limit. The
            # error stops the route before it runs; whatever it answers becomes the 413 below.
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    over = True
                    raise ApiError(413, ErrorCode.BODY_TOO_LARGE, too_large)
            return message

        async def answer(message: Message) -> None:
            nonlocal started
            if over:  # the app's answer to a cut-off body is replaced by the 413
                if not started:
                    started = True
                    await refuse(send_stamped, 413, ErrorCode.BODY_TOO_LARGE, too_large)
                return
            started = started or message["type"] == "http.response.start"
            await send_stamped(message)

        try:
            await self.app(scope, counted if not length.isdigit() else receive, answer)
        except ApiError:
            if not over or started:
                raise
            started = True
            await refuse(send_stamped, 413, ErrorCode.BODY_TOO_LARGE, too_large)
