"""The real mock API for tests: its clock starts at a fixed, ordinary moment, never at the real time.

A test's outcome must not depend on the hour it runs (CI runs at any hour): at 00:30 in Beijing
every payment would be "unusual_time". Tests about time move the clock themselves, from this moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from mock_api.config import ORDINARY_MOMENT, Clock, RiskConfig
from mock_api.schemas import Faults
from mock_api.server import EmbeddedServer


def bank_server(db_path: Path, *, risk: RiskConfig | None = None, clock: Clock | None = None) -> EmbeddedServer:
    """An embedded mock API (not yet started) whose clock starts at ORDINARY_MOMENT unless given one."""
    return EmbeddedServer(db_path, risk=risk, clock=clock or Clock(start=ORDINARY_MOMENT))


def as_new(
    server: EmbeddedServer,
    admin: httpx.Client,
    *,
    timeout: float = 10.0,
    pause: Callable[[float], None] = time.sleep,
) -> EmbeddedServer:
    """``server`` (made by :func:`bank_server`) in the state of a newly started one: once the requests
    it is answering are done, no faults, its clock back at ORDINARY_MOMENT with nothing moved, and
    its database seeded afresh (POST /v1/admin/reset). What a bank keeps is in its database, its
    clock and its faults; nothing of an earlier test is left (tests/api/test_shared_bank.py)."""
    deadline = time.monotonic() + timeout
    while server.requests_in_flight:  # an earlier test's last calls (a window's sign-out as it closed)
        if time.monotonic() > deadline:
            raise RuntimeError(f"the mock API is still answering {server.requests_in_flight} earlier requests")
        pause(0.01)  # waiting for the server's thread; not a test sleep
    server.app.state.faults.update(Faults())
    server.app.state.bank.clock.restart(ORDINARY_MOMENT)
    assert admin.post("/v1/admin/reset").status_code == 204
    return server
