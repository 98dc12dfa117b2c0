"""The mock bank for tests: started once, handed to each test as new (fresh demo data, no faults, its
clock at an ordinary moment), with the controls testers use: faults and the clock.

A test's outcome must not depend on the hour it runs: the bank's clock starts at 10:00 in Beijing
(``ORDINARY_MOMENT``), never at the real time, and moves only when a test moves it. With
``--calmpay-api-url`` the same controls go over HTTP to another API that follows the contract.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from client.api import PaymentApi
from mock_api.config import ORDINARY_MOMENT, Clock, RiskConfig
from mock_api.schemas import Faults
from mock_api.server import EmbeddedServer


@cache
def tls_context() -> ssl.SSLContext:
    """Built once: httpx builds one for every new client otherwise, which costs more than most calls."""
    return ssl.create_default_context()


def api_client(base_url: str, timeout: float = 10) -> httpx.Client:
    """A plain HTTP client for the bank (its admin controls, checks that bypass the kiosk)."""
    return httpx.Client(base_url=base_url, timeout=timeout, verify=tls_context())


def loopback_transport() -> httpx.HTTPTransport:
    """For the kiosk's own client: httpx's transport as the client would make it, TLS context built once."""
    return httpx.HTTPTransport(verify=tls_context())


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
    its database seeded afresh (POST /v1/admin/reset)."""
    deadline = time.monotonic() + timeout
    while server.requests_in_flight:  # an earlier test's last calls (a window's sign-out as it closed)
        if time.monotonic() > deadline:
            raise RuntimeError(f"the mock API is still answering {server.requests_in_flight} earlier requests")
        pause(0.01)  # waiting for the server's thread; not a test sleep
    server.app.state.faults.update(Faults())
    server.app.state.bank.clock.restart(ORDINARY_MOMENT)
    assert admin.post("/v1/admin/reset").status_code == 204
    return server


@dataclass
class Bank:
    """The bank a test talks to: its address, and the testers' controls (``/v1/admin``, README:
    "Controls for testers and researchers"), through the kiosk's own client."""

    url: str
    admin: httpx.Client
    server: EmbeddedServer | None = None  # None: another API, reached at ``url``

    def __post_init__(self) -> None:
        self.controls = PaymentApi(self.url, transport=loopback_transport())

    def close(self) -> None:
        self.controls.close()

    def reset(self) -> None:
        """Fresh demo data, no faults (and, for the embedded bank, its clock back at the start)."""
        if self.server is not None:
            as_new(self.server, self.admin)
            return
        self.controls.set_faults()
        self.controls.reset_bank()

    def faults(
        self,
        *,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        drop_response_rate: float = 0.0,
        drop_next_responses: int = 0,
    ) -> dict[str, Any]:
        """A slow or failing bank: every request waits ``latency_ms``; a share fails with 503; responses are cut."""
        return self.controls.set_faults(
            latency_ms=latency_ms,
            error_rate=error_rate,
            drop_response_rate=drop_response_rate,
            drop_next_responses=drop_next_responses,
        )

    def advance_clock(self, seconds: float) -> datetime:
        """Move the bank's clock on (holds arrive, codes and sessions expire); returns its new time."""
        self.controls.advance_clock(seconds)
        return self.controls.bank_time()

    def now(self) -> datetime:
        return self.controls.bank_time()
