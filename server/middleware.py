"""The outermost layer (plain ASGI, cheap): refuse bodies over the limit by Content-Length, and
stamp every response with the server's time (and a token-rotation request where one is due)."""

from __future__ import annotations

from server.clock import server_time_ms
from server.compression import ASGIApp, Message, Receive, Scope, Send, refuse

TOKEN_REFRESH_HEADER = b"x-token-refresh"


class LimitsAndServerTime:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await refuse(
                send, 413, "body_too_large", f"Request bodies are limited to {self.max_body_bytes} bytes."
            )
            return
        scope.setdefault("state", {})

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"x-server-time", str(server_time_ms()).encode()))
                if scope["state"].get("token_refresh"):
                    headers.append((TOKEN_REFRESH_HEADER, b"1"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped)
