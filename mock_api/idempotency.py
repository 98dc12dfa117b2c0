"""Idempotency-Key (Stripe's semantics), as one mechanism: the key's format, its scope, replay and reuse.

A request that carries a key runs once: the first response for (scope, key) is stored with the
operation's writes and replayed for a retry (``Idempotent-Replayed: true``); the same key with a
different request is refused (422 ``idempotency_key_reused``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from mock_api.errors import ApiError

# 1-255 printable ASCII characters, not starting or ending with a space (HTTP strips those). Documented
# in the schema and checked by hand in respond(), so a bad key gets the "idempotency_key_invalid" code.
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7E]([\x20-\x7E]*[\x21-\x7E])?$"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
_KEY_SCHEMA = {"minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN}

Operation = Callable[[sqlite3.Connection], BaseModel]


class IdempotentRequest:
    """One request's Idempotency-Key: ``respond`` runs the operation once per (scope, key)."""

    def __init__(self, request: Request, key: str | None) -> None:
        self.request = request
        self.key = key

    def respond(self, scope: str, body: BaseModel | None, operation: Operation, status: int = 201) -> Response:
        bank = self.request.app.state.bank

        def run(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
            return status, operation(conn).model_dump(mode="json")

        if self.key is None:
            result_status, content = bank.run(run)
            return JSONResponse(content, status_code=result_status)
        if len(self.key) > 255 or not _IDEMPOTENCY_KEY.fullmatch(self.key):
            raise ApiError("idempotency_key_invalid", param="Idempotency-Key")
        result_status, content, replayed = bank.idempotent(scope, self.key, self._fingerprint(body), run)
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        return JSONResponse(content, status_code=result_status, headers=headers)

    def _fingerprint(self, body: BaseModel | None) -> str:
        """What makes a retry the same request: method, path and body."""
        request = self.request
        text = json.dumps(
            [request.method, request.url.path, body.model_dump(mode="json") if body else None], sort_keys=True
        )
        return hashlib.sha256(text.encode()).hexdigest()


# async like the routes: a plain def dependency would hop to the thread pool on every request.
async def optional_key(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Unique per operation; a retry reuses it. Kept >= 24 h.",
            json_schema_extra=_KEY_SCHEMA,
        ),
    ] = None,
) -> IdempotentRequest:
    return IdempotentRequest(request, idempotency_key)


async def required_key(
    request: Request,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            description="Required: unique per payment action; a retry reuses it.",
            json_schema_extra=_KEY_SCHEMA,
        ),
    ],
) -> IdempotentRequest:
    return IdempotentRequest(request, idempotency_key)


Idempotent = Annotated[IdempotentRequest, Depends(optional_key)]
RequiredIdempotent = Annotated[IdempotentRequest, Depends(required_key)]
