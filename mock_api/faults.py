"""Fault injection, as ASGI middleware.

Testers and researchers switch faults at run time (PUT /v1/admin/faults): added latency,
an error rate (503 before anything runs), and "commit but drop the response" (the request
runs and commits, then the connection is closed mid-response, as a flaky network would).
Admin and health routes are never faulted.
"""

from __future__ import annotations

import asyncio
import random
import threading
from typing import Any

from mock_api.errors import ApiError, send_error
from mock_api.schemas import Faults

Scope = dict[str, Any]


class FaultState:
    def __init__(self, seed: int | None = None) -> None:
        self.settings = Faults()
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def update(self, settings: Faults) -> Faults:
        with self._lock:
            self.settings = settings
        return settings

    def should_fail(self) -> bool:
        with self._lock:
            return self._random.random() < self.settings.error_rate

    def should_drop(self) -> bool:
        with self._lock:
            if self.settings.drop_next_responses > 0:
                self.settings = self.settings.model_copy(
                    update={"drop_next_responses": self.settings.drop_next_responses - 1}
                )
                return True
            return self._random.random() < self.settings.drop_response_rate


class FaultMiddleware:
    def __init__(self, app: Any, faults: FaultState) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/v1/") or path.startswith("/v1/admin/"):
            await self.app(scope, receive, send)
            return
        latency = self.faults.settings.latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        if self.faults.should_fail():
            await send_error(send, ApiError("service_unavailable"))
            return
        if self.faults.should_drop():
            await self._run_and_drop(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _run_and_drop(self, scope: Scope, receive: Any, send: Any) -> None:
        async def swallow(message: dict[str, Any]) -> None:
            return None

        await self.app(scope, receive, swallow)
        # Start a response that never finishes: the server closes the connection and the
        # client sees a broken read, exactly as if the network had dropped the answer.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b"{", "more_body": True})
