"""Idempotency-Key (Stripe's semantics), as one mechanism: the key's format, whom it belongs to,
the guard for a key still in flight, replay and reuse.

- Scope: a key belongs to whoever sent it, the signed-in customer (any of their sessions or
  kiosks), else the kiosk signing someone in. A caller who is nobody yet (a kiosk registering
  itself) cannot be told from another, so its key is neither guarded nor replayed: a retried
  registration makes another kiosk, and the first, whose key nobody received, stays unused.
- In flight: while a request with a key runs (from the moment it arrives, injected latency
  included), another with the same key and scope gets 409 ``idempotency_key_in_flight``.
  :class:`InFlightGuard` sits in front of the fault injection for that reason.
- Replay: the first response for (scope, key) is stored with the operation's writes, in one
  transaction, and a retry gets it again with ``Idempotent-Replayed: true``.
- Reuse: the same key with a different request (method, path, body) gets 422
  ``idempotency_key_reused``. Keys are kept 48 hours (Stripe keeps them 24).
- Secrets: the stored request is a keyed hash (a sign-in's body holds a card number and PIN), and
  a secret the answer hands out (a session token) is stored only as a hash. A replay hands out a
  fresh one and revokes the one before (:class:`IssuedSecret`): the store never holds a live
  secret, and a replayed sign-in still leaves one session with one working token.
"""

from __future__ import annotations

import hmac
import json
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers

from mock_api.bank import Bank
from mock_api.bank.core import in_savepoint
from mock_api.errors import ApiError, send_error
from mock_api.values import hash_secret, iso, keyed_hash

# 1-255 printable ASCII characters, not starting or ending with a space (HTTP strips those). Documented
# in the schema and checked by hand in respond(), so a bad key gets the "idempotency_key_invalid" code.
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7E]([\x20-\x7E]*[\x21-\x7E])?$"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
_KEY_SCHEMA = {"minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN}
KEPT_FOR = timedelta(hours=48)

Operation = Callable[[sqlite3.Connection], BaseModel]


@dataclass(frozen=True)
class IssuedSecret:
    """A secret an operation's answer hands out, in its ``field``. Stored only as a hash; a replay
    calls ``reissue(conn, hash of the one last handed out)`` for a fresh one, which revokes that
    one (or raises :class:`ApiError` if it can no longer be reissued: a session ended, say)."""

    field: str
    reissue: Callable[[sqlite3.Connection, str], str]


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]
    replayed: bool


class IdempotencyKeys:
    """The keys of one bank: whom a key belongs to, which keys are in flight, what each one answered."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        # Touched only from the server's event loop (the guard is async middleware): no lock needed.
        self._in_flight: set[tuple[str, str]] = set()

    def scope_of(self, headers: Mapping[str, str]) -> str | None:
        """Whom a request's key belongs to: its customer, else its kiosk, else nobody yet (None)."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            customer = self.bank.session_customer(token)
            if customer is not None:
                return customer
        kiosk_id, device_key = headers.get("x-kiosk-id"), headers.get("x-kiosk-key")
        if kiosk_id and device_key:
            try:
                return f"kiosk:{self.bank.authenticate_kiosk(kiosk_id, device_key)}"
            except ApiError:
                pass  # the route refuses it; its key is nobody's
        return None

    def claim(self, scope: str, key: str) -> bool:
        """Hold (scope, key) while its request runs; False if another request holds it."""
        if (scope, key) in self._in_flight:
            return False
        self._in_flight.add((scope, key))
        return True

    def release(self, scope: str, key: str) -> None:
        self._in_flight.discard((scope, key))

    def request_hash(self, text: str) -> str:
        """Keyed with the bank's key: a sign-in's PIN cannot be found by hashing guesses."""
        return keyed_hash(self.bank.db.key, text)

    def replay_or_run(
        self,
        scope: str,
        key: str,
        request_hash: str,
        status: int,
        operation: Operation,
        secret: IssuedSecret | None = None,
    ) -> Outcome:
        """The stored answer for (scope, key), or run ``operation`` once and store its answer.

        The stored answer and the operation's writes commit together, so a response lost on the
        wire can always be replayed. A refusal is an answer too, and is replayed like a success.
        """
        with self.bank.db.write() as conn:
            self._forget_old_keys(conn)
            row = conn.execute(
                "SELECT request_hash, status_code, body, issued_secret_hash FROM idempotency"
                " WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if row is not None:
                if not hmac.compare_digest(row["request_hash"], request_hash):
                    raise ApiError("idempotency_key_reused", param="Idempotency-Key")
                body = json.loads(row["body"])
                if row["issued_secret_hash"] is not None and secret is not None:
                    fresh = secret.reissue(conn, row["issued_secret_hash"])
                    conn.execute(
                        "UPDATE idempotency SET issued_secret_hash = ? WHERE scope = ? AND key = ?",
                        (hash_secret(fresh), scope, key),
                    )
                    body[secret.field] = fresh
                return Outcome(row["status_code"], body, replayed=True)
            try:
                body = in_savepoint(conn, operation).model_dump(mode="json")
            except ApiError as error:
                status, body = error.status, error.envelope()
            stored, issued_hash = body, None
            if secret is not None and secret.field in body:
                stored = {name: value for name, value in body.items() if name != secret.field}
                issued_hash = hash_secret(body[secret.field])
            conn.execute(
                "INSERT INTO idempotency (scope, key, request_hash, status_code, body, issued_secret_hash, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (scope, key, request_hash, status, json.dumps(stored), issued_hash, iso(self.bank.clock.now())),
            )
        return Outcome(status, body, replayed=False)

    def _forget_old_keys(self, conn: sqlite3.Connection) -> None:
        cutoff = iso(self.bank.clock.now() - KEPT_FOR)
        conn.execute("DELETE FROM idempotency WHERE created_at < ?", (cutoff,))


class InFlightGuard:
    """ASGI middleware: holds each POST's key for as long as the request runs.

    It sits in front of the fault injection, so a request slowed by injected latency holds its
    key meanwhile and a retry gets 409 at once, as a retry during a slow request would.
    """

    def __init__(self, app: Any, keys: IdempotencyKeys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        is_action = scope["type"] == "http" and scope["method"] == "POST" and path.startswith("/v1/")
        headers = Headers(scope=scope) if is_action else Headers()
        key = headers.get("idempotency-key")
        if not is_action or path.startswith("/v1/admin/") or key is None:
            await self.app(scope, receive, send)
            return
        # Finding the owner reads the database: in the thread pool, off the event loop. Claiming
        # stays here, on the loop, with no await between the check and the claim.
        owner = await run_in_threadpool(self.keys.scope_of, headers)
        if owner is None:  # nobody yet: nothing is replayed, so nothing to guard
            await self.app(scope, receive, send)
            return
        if not self.keys.claim(owner, key):
            await send_error(send, ApiError("idempotency_key_in_flight", param="Idempotency-Key"))
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.keys.release(owner, key)


class IdempotentRequest:
    """One request's Idempotency-Key: :meth:`respond` runs the operation at most once per key."""

    def __init__(self, request: Request, key: str | None) -> None:
        self.request = request
        self.key = key

    def respond(
        self, body: BaseModel | None, operation: Operation, status: int = 201, *, secret: IssuedSecret | None = None
    ) -> Response:
        """Run ``operation`` at most once per key; ``secret`` names a secret its answer hands out."""
        keys: IdempotencyKeys = self.request.app.state.idempotency
        if self.key is not None and (len(self.key) > 255 or not _IDEMPOTENCY_KEY.fullmatch(self.key)):
            raise ApiError("idempotency_key_invalid", param="Idempotency-Key")
        scope = keys.scope_of(self.request.headers) if self.key is not None else None
        if self.key is None or scope is None:
            content = keys.bank.run(operation).model_dump(mode="json")
            return JSONResponse(content, status_code=status)
        outcome = keys.replay_or_run(scope, self.key, self._fingerprint(keys, body), status, operation, secret)
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        return JSONResponse(outcome.body, status_code=outcome.status, headers=headers)

    def _fingerprint(self, keys: IdempotencyKeys, body: BaseModel | None) -> str:
        """What makes a retry the same request: method, path and body."""
        request = self.request
        text = json.dumps(
            [request.method, request.url.path, body.model_dump(mode="json") if body else None], sort_keys=True
        )
        return keys.request_hash(text)


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
