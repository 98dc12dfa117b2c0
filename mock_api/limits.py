"""The request body size limit, as ASGI middleware.

A body larger than :data:`MAX_BODY_BYTES` is refused with 413 ``request_too_large`` before any route
runs: at once when its Content-Length says so, else (chunked) as soon as the bytes received pass
the limit, so no request can make the server hold more than that in memory. The connection is
closed afterwards rather than reading on through the rest of the body.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import Headers

from mock_api.errors import ApiError

MAX_BODY_BYTES = 64 * 1024  # the largest body the API takes is a draft, 8 KiB of JSON


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        # Read the body here, counting as it streams in, and hand it on whole.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away mid-body: nobody to answer
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return dict(await receive())  # after the body: the disconnect, when it comes

        await self.app(scope, replay, send)

    async def _refuse(self, send: Any) -> None:
        error = ApiError("request_too_large", details={"limit_bytes": self.max_bytes})
        content = json.dumps(error.envelope()).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
            (b"connection", b"close"),  # the rest of the body is not read: end the connection
        ]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": content})
