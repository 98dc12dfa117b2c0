"""The HTTP face of the mock bank: FastAPI routes over :class:`~mock_api.bank.Bank`."""

import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from mock_api import schemas, seed
from mock_api.bank import Bank
from mock_api.config import Clock, RiskConfig
from mock_api.db import Database
from mock_api.errors import ERROR_TYPES, ApiError
from mock_api.faults import FaultsAndInFlightMiddleware, FaultState

VERSION = "1.0.0"
log = logging.getLogger("mock_api")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.ErrorEnvelope, "description": error_type.replace("_", " ")}
    for error_type, status in ERROR_TYPES.items()
}
ERROR_RESPONSES[405] = {"model": schemas.ErrorEnvelope, "description": "method not allowed"}
ERROR_RESPONSES[500] = {"model": schemas.ErrorEnvelope, "description": "internal error (a bug)"}

bearer = HTTPBearer(auto_error=False, description="The session token from POST /v1/sessions.")
# 1-255 printable ASCII characters, not starting or ending with a space (HTTP strips those). Documented
# in the schema and checked by hand in idempotent(), so a bad key gets the "idempotency_key_invalid" code.
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7E]([\x20-\x7E]*[\x21-\x7E])?$"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
_KEY_SCHEMA = {"minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN}
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Unique per operation; a retry reuses it. Kept >= 24 h.",
        json_schema_extra=_KEY_SCHEMA,
    ),
]
RequiredIdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        description="Required: unique per payment action; a retry reuses it.",
        json_schema_extra=_KEY_SCHEMA,
    ),
]


def create_app(
    db_path: Path | str,
    *,
    risk: RiskConfig | None = None,
    clock: Clock | None = None,
    faults_seed: int | None = None,
) -> FastAPI:
    """The mock API over the database at ``db_path``, seeded with the demo data if empty."""
    db = Database(db_path)
    clock = clock or Clock()
    bank = Bank(db, risk or RiskConfig.load(), clock)
    seed.seed_if_empty(db, clock)
    faults = FaultState(faults_seed)

    app = FastAPI(
        title="CalmPay mock payment API",
        version=VERSION,
        description="A mock bank for the CalmPay kiosk: ledger, risk engine, faults. Money is in minor units.",
        responses=ERROR_RESPONSES,
    )
    app.state.bank = bank
    app.state.faults = faults
    app.add_middleware(FaultsAndInFlightMiddleware, faults=faults)
    _install_error_handlers(app)

    # async like the routes: a plain def dependency would hop to the thread pool on every request.
    async def customer_id(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
        return bank.authenticate(credentials.credentials if credentials else None)

    Customer = Annotated[str, Depends(customer_id)]

    def respond(model: BaseModel | list[Any], status: int = 200) -> Response:
        content = (
            [m.model_dump(mode="json") for m in model] if isinstance(model, list) else model.model_dump(mode="json")
        )
        return JSONResponse(content, status_code=status)

    def idempotent(
        request: Request,
        scope: str,
        key: str | None,
        body: BaseModel | None,
        operation: Callable[[sqlite3.Connection], BaseModel],
        status: int = 201,
    ) -> Response:
        def run(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
            return status, operation(conn).model_dump(mode="json")

        if key is None:
            result_status, content = bank.run(run)
            return JSONResponse(content, status_code=result_status)
        if len(key) > 255 or not _IDEMPOTENCY_KEY.fullmatch(key):
            raise ApiError("idempotency_key_invalid", param="Idempotency-Key")
        fingerprint = json.dumps(
            [request.method, request.url.path, body.model_dump(mode="json") if body else None], sort_keys=True
        )
        result_status, content, replayed = bank.idempotent(
            scope, key, hashlib.sha256(fingerprint.encode()).hexdigest(), run
        )
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        return JSONResponse(content, status_code=result_status, headers=headers)

    @app.get("/health", response_model=schemas.Health, tags=["service"])
    async def health() -> Response:
        return respond(schemas.Health(status="ok", version=VERSION))

    v1 = APIRouter(prefix="/v1")

    # --- kiosks and sessions ---------------------------------------------------------------

    @v1.post("/kiosks", response_model=schemas.KioskCredentials, status_code=201, tags=["kiosk"])
    async def register_kiosk(
        request: Request, body: schemas.KioskRegistration, idempotency_key: IdempotencyKey = None
    ) -> Response:
        return idempotent(request, "kiosks", idempotency_key, body, lambda c: bank.register_kiosk(c, body.label))

    @v1.post("/sessions", response_model=schemas.Session, status_code=201, tags=["kiosk"])
    async def sign_in(
        request: Request,
        body: schemas.SignIn,
        x_kiosk_id: Annotated[str | None, Header(alias="X-Kiosk-Id")] = None,
        x_kiosk_key: Annotated[str | None, Header(alias="X-Kiosk-Key")] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        kiosk = bank.authenticate_kiosk(x_kiosk_id, x_kiosk_key)
        return idempotent(
            request,
            f"kiosk:{kiosk}",
            idempotency_key,
            body,
            lambda c: bank.sign_in(c, kiosk, body.card_number, body.pin),
        )

    @v1.delete("/sessions/current", status_code=204, tags=["kiosk"])
    async def sign_out(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Response:
        bank.authenticate(credentials.credentials if credentials else None)
        assert credentials is not None
        bank.sign_out(credentials.credentials)
        return Response(status_code=204)

    @v1.get("/customers/me", response_model=schemas.Customer, tags=["customer"])
    async def me(customer: Customer) -> Response:
        return respond(bank.customer(customer))

    # --- accounts ---------------------------------------------------------------------------

    @v1.get("/accounts", response_model=list[schemas.Account], tags=["accounts"])
    async def accounts(customer: Customer) -> Response:
        return respond(bank.accounts(customer))

    @v1.get("/accounts/{account_id}/transactions", response_model=schemas.TransactionPage, tags=["accounts"])
    async def transactions(
        customer: Customer,
        account_id: str,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        cursor: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    ) -> Response:
        return respond(bank.transactions(customer, account_id, limit, cursor))

    # --- payees -----------------------------------------------------------------------------

    @v1.get("/payees", response_model=list[schemas.Payee], tags=["payees"])
    async def payees(customer: Customer) -> Response:
        return respond(bank.payees(customer))

    @v1.post("/payees/name-check", response_model=schemas.NameCheckResult, tags=["payees"])
    async def name_check(customer: Customer, body: schemas.NameCheckRequest) -> Response:
        return respond(bank.name_check(body.account_number, body.name))

    @v1.post("/payees", response_model=schemas.Payee, status_code=201, tags=["payees"])
    async def add_payee(
        request: Request, customer: Customer, body: schemas.NewPayee, idempotency_key: IdempotencyKey = None
    ) -> Response:
        return idempotent(request, customer, idempotency_key, body, lambda c: bank.add_payee(c, customer, body))

    @v1.delete("/payees/{payee_id}", status_code=204, tags=["payees"])
    async def remove_payee(customer: Customer, payee_id: str) -> Response:
        bank.remove_payee(customer, payee_id)
        return Response(status_code=204)

    # --- bills ------------------------------------------------------------------------------

    @v1.get("/billers", response_model=list[schemas.Biller], tags=["bills"])
    async def billers(customer: Customer) -> Response:
        return respond(bank.billers())

    @v1.post("/bills/lookup", response_model=schemas.Bill, tags=["bills"])
    async def lookup_bill(customer: Customer, body: schemas.BillLookup) -> Response:
        return respond(bank.run(lambda c: bank.lookup_bill(c, body)))

    # --- payments ---------------------------------------------------------------------------

    @v1.post("/payments", response_model=schemas.Payment, status_code=201, tags=["payments"])
    async def create_payment(
        request: Request, customer: Customer, body: schemas.NewPayment, idempotency_key: RequiredIdempotencyKey
    ) -> Response:
        return idempotent(request, customer, idempotency_key, body, lambda c: bank.create_payment(c, customer, body))

    @v1.get("/payments", response_model=list[schemas.Payment], tags=["payments"])
    async def list_payments(
        customer: Customer,
        status: Annotated[
            str | None, Query(pattern="^(requires_action|completed|held|cancelled|blocked|failed)$")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> Response:
        return respond(bank.payments(customer, status, limit))

    @v1.get("/payments/{payment_id}", response_model=schemas.Payment, tags=["payments"])
    async def get_payment(customer: Customer, payment_id: str) -> Response:
        return respond(bank.payment(customer, payment_id))

    @v1.post("/payments/{payment_id}/confirm", response_model=schemas.Payment, tags=["payments"])
    async def confirm_payment(
        request: Request,
        customer: Customer,
        payment_id: str,
        body: schemas.ConfirmPayment,
        idempotency_key: RequiredIdempotencyKey,
    ) -> Response:
        return idempotent(
            request,
            customer,
            idempotency_key,
            body,
            lambda c: bank.confirm_payment(c, customer, payment_id, body),
            status=200,
        )

    @v1.post("/payments/{payment_id}/resend-code", response_model=schemas.Payment, tags=["payments"])
    async def resend_code(
        request: Request, customer: Customer, payment_id: str, idempotency_key: IdempotencyKey = None
    ) -> Response:
        return idempotent(
            request, customer, idempotency_key, None, lambda c: bank.resend_code(c, customer, payment_id), status=200
        )

    @v1.post("/payments/{payment_id}/cancel", response_model=schemas.Payment, tags=["payments"])
    async def cancel_payment(
        request: Request, customer: Customer, payment_id: str, idempotency_key: RequiredIdempotencyKey
    ) -> Response:
        return idempotent(
            request,
            customer,
            idempotency_key,
            None,
            lambda c: bank.cancel_payment(c, customer, payment_id),
            status=200,
        )

    @v1.get("/payments/{payment_id}/receipt", response_model=schemas.Receipt, tags=["payments"])
    async def receipt(customer: Customer, payment_id: str) -> Response:
        return respond(bank.receipt(customer, payment_id))

    @v1.get("/demo/phone", response_model=list[schemas.PhoneMessage], tags=["demo"])
    async def phone(customer: Customer) -> Response:
        """The demo's simulated phone panel: texts sent to the signed-in customer's phone."""
        return respond(bank.phone_messages(customer))

    # --- usage, preferences, drafts, payment requests -----------------------------------------

    @v1.post("/usage", response_model=schemas.UsageRecord, status_code=201, tags=["personal"])
    async def record_usage(
        request: Request, customer: Customer, body: schemas.UsageEvent, idempotency_key: IdempotencyKey = None
    ) -> Response:
        return idempotent(request, customer, idempotency_key, body, lambda c: bank.record_usage(c, customer, body))

    @v1.get("/usage", response_model=list[schemas.UsageRecord], tags=["personal"])
    async def usage(customer: Customer, since_days: Annotated[int, Query(ge=1, le=3650)] = 180) -> Response:
        return respond(bank.usage(customer, since_days))

    @v1.get("/preferences", response_model=schemas.Preferences, tags=["personal"])
    async def preferences(customer: Customer) -> Response:
        return respond(bank.preferences(customer))

    @v1.put("/preferences", response_model=schemas.Preferences, tags=["personal"])
    async def set_preferences(customer: Customer, body: schemas.Preferences) -> Response:
        return respond(bank.set_preferences(customer, body))

    @v1.get("/drafts", response_model=list[schemas.Draft], tags=["personal"])
    async def drafts(customer: Customer) -> Response:
        return respond(bank.drafts(customer))

    @v1.put("/drafts/{flow}", response_model=schemas.Draft, tags=["personal"])
    async def save_draft(customer: Customer, flow: schemas.Slug, body: schemas.DraftBody) -> Response:
        return respond(bank.save_draft(customer, flow, body.data))

    @v1.delete("/drafts/{flow}", status_code=204, tags=["personal"])
    async def delete_draft(customer: Customer, flow: schemas.Slug) -> Response:
        bank.delete_draft(customer, flow)
        return Response(status_code=204)

    @v1.post("/payment-requests", response_model=schemas.PaymentRequest, status_code=201, tags=["qr"])
    async def create_payment_request(
        request: Request, customer: Customer, body: schemas.NewPaymentRequest, idempotency_key: IdempotencyKey = None
    ) -> Response:
        return idempotent(
            request, customer, idempotency_key, body, lambda c: bank.create_payment_request(c, customer, body)
        )

    @v1.get("/payment-requests/{request_id}", response_model=schemas.PaymentRequest, tags=["qr"])
    async def get_payment_request(customer: Customer, request_id: str) -> Response:
        return respond(bank.payment_request(request_id))

    @v1.post("/payment-requests/{request_id}/cancel", response_model=schemas.PaymentRequest, tags=["qr"])
    async def cancel_payment_request(
        request: Request, customer: Customer, request_id: str, idempotency_key: IdempotencyKey = None
    ) -> Response:
        return idempotent(
            request,
            customer,
            idempotency_key,
            None,
            lambda c: bank.cancel_payment_request(c, customer, request_id),
            status=200,
        )

    # --- admin: faults, clock, staff actions (loopback mock only: no auth) ----------------------

    @v1.get("/admin/faults", response_model=schemas.Faults, tags=["admin"])
    async def get_faults() -> Response:
        return respond(faults.settings)

    @v1.put("/admin/faults", response_model=schemas.Faults, tags=["admin"])
    async def set_faults(body: schemas.Faults) -> Response:
        return respond(faults.update(body))

    @v1.get("/admin/clock", response_model=schemas.ClockState, tags=["admin"])
    async def get_clock() -> Response:
        return respond(schemas.ClockState(now=clock.now(), offset_seconds=clock.offset.total_seconds()))

    @v1.post("/admin/clock", response_model=schemas.ClockState, tags=["admin"])
    async def move_clock(body: schemas.ClockChange) -> Response:
        previous_offset = clock.offset
        if body.set_to is not None:
            if body.set_to.tzinfo is None:
                raise ApiError("validation_failed", "set_to needs a time zone.", param="set_to")
            clock.set(body.set_to)
        if body.advance_seconds is not None:
            clock.advance(body.advance_seconds)
        try:  # every date the bank derives must stay representable (usage looks back up to 10 years)
            margin = timedelta(days=3660)
            _ = (clock.now() - margin, clock.now() + margin)
        except OverflowError:
            clock.offset = previous_offset
            param = "advance_seconds" if body.advance_seconds is not None else "set_to"
            raise ApiError("validation_failed", "The clock cannot move that far.", param=param) from None
        return respond(schemas.ClockState(now=clock.now(), offset_seconds=clock.offset.total_seconds()))

    @v1.post("/admin/reset", status_code=204, tags=["admin"])
    async def reset() -> Response:
        seed.reset(db, clock)
        return Response(status_code=204)

    @v1.post("/admin/customers/{customer_id}/unfreeze", status_code=204, tags=["admin"])
    async def unfreeze(customer_id: str) -> Response:
        bank.unfreeze(customer_id)
        return Response(status_code=204)

    @v1.post("/admin/cards/{card_number}/unlock", status_code=204, tags=["admin"])
    async def unlock(card_number: str) -> Response:
        bank.unlock_card(card_number)
        return Response(status_code=204)

    @v1.get("/admin/ledger", response_model=schemas.LedgerSummary, tags=["admin"])
    async def ledger_summary() -> Response:
        return respond(bank.ledger_summary())

    @v1.get("/admin/notifications", response_model=list[schemas.Notification], tags=["admin"])
    async def notifications(customer_id: str | None = None) -> Response:
        return respond(bank.notifications(customer_id))

    @v1.get("/admin/anomalies", response_model=list[schemas.Anomaly], tags=["admin"])
    async def anomalies() -> Response:
        return respond(bank.anomalies())

    app.include_router(v1)
    app.state.db = db
    # For the Allow header of a 405: the methods of every route at that path, whichever route serves them.
    app.state.methods_by_path = [
        (route.path_regex, route.path_format, frozenset(route.methods or ()))
        for route in [*app.router.routes, *v1.routes]
        if isinstance(route, Route)
    ]
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        return JSONResponse(error.envelope(), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        first = problems[0] if problems else {}
        location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "header")]
        message = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in problems[:5])
        api_error = ApiError("validation_failed", message or None, param=".".join(location) or None)
        missing_key = ("header", "Idempotency-Key")
        if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == missing_key for e in problems):
            api_error = ApiError("idempotency_key_missing", param="Idempotency-Key")
        return JSONResponse(api_error.envelope(), status_code=api_error.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        # A body Starlette cannot even decode is bad input like any other: validation_failed.
        codes = {400: "validation_failed", 404: "not_found", 405: "method_not_allowed"}
        code = codes.get(error.status_code, "http_error")
        body = {
            "error": {
                "type": "invalid_request" if error.status_code != 404 else "not_found",
                "code": code,
                "message": str(error.detail),
                "param": None,
            }
        }
        headers = dict(getattr(error, "headers", None) or {})
        if error.status_code == 405:
            matches = [
                (template, methods)
                for regex, template, methods in request.app.state.methods_by_path
                if regex.match(request.scope["path"])
            ]
            # As in OpenAPI, a concrete path (/v1/payees/name-check) is its own resource, not a {payee_id}.
            concrete = [methods for template, methods in matches if "{" not in template]
            allowed = frozenset().union(*(concrete or [methods for _, methods in matches]))
            headers["Allow"] = ", ".join(sorted(allowed))
        return JSONResponse(body, status_code=error.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {
            "error": {
                "type": "internal_error",
                "code": "internal_error",
                "message": "Something went wrong on our side.",
                "param": None,
            }
        }
        return JSONResponse(body, status_code=500)
