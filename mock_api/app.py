"""The HTTP face of the mock bank: FastAPI routers (:mod:`mock_api.routers`) over :class:`~mock_api.bank.Bank`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route

from mock_api import schemas, seed
from mock_api.bank import Bank
from mock_api.config import Clock, RiskConfig
from mock_api.db import Database
from mock_api.error_handlers import install_error_handlers
from mock_api.errors import ERROR_TYPES
from mock_api.faults import FaultMiddleware, FaultState
from mock_api.idempotency import IdempotencyKeys, InFlightGuard
from mock_api.limits import BodySizeLimit
from mock_api.routers import (
    accounts,
    admin,
    bills,
    demo,
    handoffs,
    health,
    help_requests,
    payees,
    payments,
    personal,
    sessions,
    staff,
)
from mock_api.routers.health import VERSION

__all__ = ["VERSION", "create_app"]

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.ErrorEnvelope, "description": error_type.replace("_", " ")}
    for error_type, status in ERROR_TYPES.items()
}
ERROR_RESPONSES[405] = {"model": schemas.ErrorEnvelope, "description": "method not allowed"}
ERROR_RESPONSES[500] = {"model": schemas.ErrorEnvelope, "description": "internal error (a bug)"}

# In this order: it is the order of the paths in the OpenAPI document.
ROUTERS = (health, sessions, accounts, payees, bills, payments, demo, personal, handoffs, help_requests, staff, admin)


def create_app(
    db_path: Path | str,
    *,
    risk: RiskConfig | None = None,
    clock: Clock | None = None,
    faults_seed: int | None = None,
) -> FastAPI:
    """The mock API over the database at ``db_path``, seeded with the demo data if empty."""
    # The demo cards' numbers: if the bank's key is lost, their keyed hashes are made again.
    db = Database(db_path, known_cards=[(customer.id, customer.card) for customer in seed.DEMO_CUSTOMERS])
    clock = clock or Clock()
    seed.seed_if_empty(db, clock)
    faults = FaultState(faults_seed)

    app = FastAPI(
        title="CalmPay mock payment API",
        version=VERSION,
        description="A mock bank for the CalmPay kiosk: ledger, risk engine, faults. Money is in minor units.",
        responses=ERROR_RESPONSES,
    )
    app.state.db = db
    app.state.bank = bank = Bank(db, risk or RiskConfig.load(), clock)
    app.state.faults = faults
    app.state.idempotency = keys = IdempotencyKeys(bank)
    app.add_middleware(FaultMiddleware, faults=faults)
    app.add_middleware(InFlightGuard, keys=keys)  # added after the faults, so it runs before any injected latency
    app.add_middleware(BodySizeLimit)  # added last, so it runs first: no oversized body gets further
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.state.methods_by_path = [
        (route.path_regex, route.path_format, frozenset(route.methods or ()))
        for route in app.router.routes
        if isinstance(route, Route)
    ]
    return app
