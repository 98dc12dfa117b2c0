"""A typed, blocking client for the CalmPay payment API (httpx).

Safety rules it keeps:
- every POST that creates or moves something carries an ``Idempotency-Key``; a retry reuses
  the same key, so a retry can never pay twice;
- network failures, timeouts, 5xx and "key still in flight" are retried with exponential
  backoff; a failure that remains is raised as a typed :mod:`client.errors` exception that
  carries the key, so the caller can try again later with the very same key;
- the card number, PIN, tokens and device key never reach a log.

It blocks: the UI calls it from a worker thread (see ``ui.api_bridge``).
"""

from __future__ import annotations

import itertools
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from client import errors, models

log = logging.getLogger("calmpay.api")

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class _Retryable(Exception):
    """Inside PaymentApi.request only: this attempt failed in a way that another attempt may mend."""

    def __init__(self, failure: errors.CalmPayError) -> None:
        super().__init__(failure.code)
        self.failure = failure


class PaymentApi:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff_seconds: float = 0.25,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)
        self._kiosk: models.KioskCredentials | None = None
        self._token: str | None = None
        # Sign-in sets the token and sign-out clears it, on different worker threads: clearing is
        # compare-and-clear under this lock, so a slow sign-out never wipes the next customer's token.
        self._token_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PaymentApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def signed_in(self) -> bool:
        return self._token is not None

    # --- the one place requests are made ---------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> Any:
        """Send a request, retrying what is safe to retry; return the decoded JSON body (or None).
        ``token``: the session to act for; by default the current one."""
        token = token if token is not None else self._token
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        if idempotency_key is not None:
            all_headers["Idempotency-Key"] = idempotency_key
        # Retrying is safe: every POST that creates or moves something carries a key, and the
        # POSTs without one (name check, bill look-up) change nothing.
        for attempt in itertools.count():
            try:
                return self._send_once(method, path, json, params, all_headers, token, idempotency_key)
            except _Retryable as retryable:
                failure = retryable.failure
            if attempt >= self.retries:
                log.warning("%s %s failed after %d attempts: %s", method, path, attempt + 1, failure.code)
                raise failure
            delay = self.backoff_seconds * (2**attempt) * (0.5 + random.random())
            log.info("%s %s: %s, retrying in %.2f s", method, path, failure.code, delay)
            self._sleep(delay)
        raise AssertionError("unreachable")  # itertools.count() never ends

    def _send_once(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, Any] | None,
        headers: dict[str, str],
        token: str | None,
        idempotency_key: str | None,
    ) -> Any:
        """One attempt: the decoded body, or the failure (wrapped in _Retryable if a retry may help)."""
        started = time.monotonic()
        try:
            response = self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise _Retryable(errors.RequestTimedOut(str(exc), idempotency_key=idempotency_key)) from exc
        except httpx.TransportError as exc:
            lost = errors.ConnectionLost(str(exc) or type(exc).__name__, idempotency_key=idempotency_key)
            raise _Retryable(lost) from exc
        log.debug("%s %s -> %s in %.0f ms", method, path, response.status_code, (time.monotonic() - started) * 1000)
        if response.status_code < 400:
            return response.json() if response.content else None
        failure = errors.from_envelope(response.status_code, _json_or_none(response))
        failure.context["idempotency_key"] = idempotency_key
        if isinstance(failure, errors.SessionExpired) and token is not None:
            self._forget(token)
        if self._retryable_status(failure):
            raise _Retryable(failure)
        raise failure

    @staticmethod
    def _retryable_status(failure: errors.ApiError) -> bool:
        return failure.status in RETRYABLE_STATUS or failure.code == "idempotency_key_in_flight"

    def _get(self, path: str, model: type[M], **params: Any) -> M:
        return model.model_validate(self.request("GET", path, params=_drop_none(params)))

    def _get_list(self, path: str, model: type[M], **params: Any) -> list[M]:
        return [model.model_validate(item) for item in self.request("GET", path, params=_drop_none(params))]

    def _post(self, path: str, model: type[M], body: Any = None, *, key: str | None = None) -> M:
        return model.model_validate(self.request("POST", path, json=body, idempotency_key=key))

    # --- service -------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return dict(self.request("GET", "/health"))

    # --- kiosk and session -------------------------------------------------------------------

    def register_kiosk(self, label: str, *, key: str | None = None) -> models.KioskCredentials:
        return self._post("/v1/kiosks", models.KioskCredentials, {"label": label}, key=key or new_idempotency_key())

    def use_kiosk(self, credentials: models.KioskCredentials) -> None:
        self._kiosk = credentials

    def _kiosk_headers(self) -> dict[str, str]:
        if self._kiosk is None:
            raise errors.KioskNotRegistered(
                "kiosk_unknown", "This kiosk is not registered yet.", status=401, error_type="authentication_error"
            )
        return {"X-Kiosk-Id": self._kiosk.kiosk_id, "X-Kiosk-Key": self._kiosk.device_key}

    def sign_in(self, card_number: str, pin: str) -> models.Session:
        kiosk_headers = self._kiosk_headers()
        with self._token_lock:
            self._token = None
        body = self.request(
            "POST",
            "/v1/sessions",
            json={"card_number": card_number, "pin": pin},
            headers=kiosk_headers,
            idempotency_key=new_idempotency_key(),
        )
        session = models.Session.model_validate(body)
        with self._token_lock:
            self._token = session.token
        return session

    def sign_out(self, token: str | None = None) -> None:
        """End ``token``'s session (by default the current one) on the server if we can, and forget
        it in any case. A session signed in meanwhile keeps its token: only this one is forgotten."""
        ending = token if token is not None else self._token
        if ending is None:
            return
        try:
            self.request("DELETE", "/v1/sessions/current", token=ending)
        except errors.CalmPayError as failure:
            log.info("sign-out on the server failed (%s); the token is forgotten anyway", failure.code)
        finally:
            self._forget(ending)

    def _forget(self, token: str) -> None:
        """Forget ``token`` if it is still the current one (never a newer customer's)."""
        with self._token_lock:
            if self._token == token:
                self._token = None

    def me(self) -> models.Customer:
        return self._get("/v1/customers/me", models.Customer)

    # --- accounts ------------------------------------------------------------------------------

    def accounts(self) -> list[models.Account]:
        return self._get_list("/v1/accounts", models.Account)

    def transactions(self, account_id: str, *, limit: int = 20, cursor: int | None = None) -> models.TransactionPage:
        return self._get(f"/v1/accounts/{account_id}/transactions", models.TransactionPage, limit=limit, cursor=cursor)

    # --- payees ---------------------------------------------------------------------------------

    def payees(self) -> list[models.Payee]:
        return self._get_list("/v1/payees", models.Payee)

    def name_check(self, account_number: str, name: str) -> models.NameCheck:
        return self._post("/v1/payees/name-check", models.NameCheck, {"account_number": account_number, "name": name})

    def add_payee(
        self,
        account_number: str,
        name: str,
        nickname: str | None = None,
        *,
        name_check_id: str,
        key: str | None = None,
    ) -> models.Payee:
        """Save a payee under the name check it follows (``name_check_id``, for this number and name)."""
        body = {"account_number": account_number, "name": name, "nickname": nickname, "name_check_id": name_check_id}
        return self._post("/v1/payees", models.Payee, body, key=key or new_idempotency_key())

    def remove_payee(self, payee_id: str) -> None:
        self.request("DELETE", f"/v1/payees/{payee_id}")

    # --- bills -----------------------------------------------------------------------------------

    def billers(self) -> list[models.Biller]:
        return self._get_list("/v1/billers", models.Biller)

    def due_bills(self) -> list[models.Bill]:
        """This month's unpaid bills that come to the customer's account."""
        return self._get_list("/v1/bills/due", models.Bill)

    def lookup_bill(self, biller_id: str, customer_number: str) -> models.Bill:
        return self._post("/v1/bills/lookup", models.Bill, {"biller_id": biller_id, "customer_number": customer_number})

    # --- payments --------------------------------------------------------------------------------

    def create_payment(
        self,
        *,
        from_account_id: str,
        amount_minor: int,
        payee_id: str | None = None,
        bill_id: str | None = None,
        payment_request_id: str | None = None,
        to_account_number: str | None = None,
        to_name: str | None = None,
        purpose: str | None = None,
        memo: str = "",
        key: str | None = None,
    ) -> models.Payment:
        """A payment to exactly one target: a saved payee, a bill, a payment request, or the account of a
        scanned payment code (``to_account_number`` with ``to_name``, the name the code shows; its reference
        goes in ``memo``). The bank judges an account from a code as a new payee until money has arrived."""
        body = _drop_none(
            {
                "from_account_id": from_account_id,
                "amount_minor": amount_minor,
                "payee_id": payee_id,
                "bill_id": bill_id,
                "payment_request_id": payment_request_id,
                "to_account_number": to_account_number,
                "to_name": to_name,
                "purpose": purpose,
                "memo": memo,
            }
        )
        return self._post("/v1/payments", models.Payment, body, key=key or new_idempotency_key())

    def answer_purpose(
        self, payment_id: str, purpose: str, *, answers: dict[str, bool] | None = None, key: str | None = None
    ) -> models.Payment:
        """The answer to "what is this payment for?", with the yes/no answers to the follow-up
        questions asked so far: the bank judges them now (a scam answer raises
        :class:`errors.PaymentBlocked`); it may ask one more follow-up (``risk.follow_up``); any
        other answer leaves the payment waiting for the confirm."""
        body: dict[str, Any] = {"purpose": purpose, "answers": dict(answers or {})}
        return self._post(f"/v1/payments/{payment_id}/purpose", models.Payment, body, key=key or new_idempotency_key())

    def confirm_payment(
        self,
        payment_id: str,
        *,
        acknowledged: bool = False,
        purpose: str | None = None,
        verification_code: str | None = None,
        key: str | None = None,
    ) -> models.Payment:
        body = _drop_none({"acknowledged": acknowledged, "purpose": purpose, "verification_code": verification_code})
        return self._post(f"/v1/payments/{payment_id}/confirm", models.Payment, body, key=key or new_idempotency_key())

    def resend_code(self, payment_id: str, *, key: str | None = None) -> models.Payment:
        return self._post(f"/v1/payments/{payment_id}/resend-code", models.Payment, key=key or new_idempotency_key())

    def cancel_payment(self, payment_id: str, *, key: str | None = None) -> models.Payment:
        return self._post(f"/v1/payments/{payment_id}/cancel", models.Payment, key=key or new_idempotency_key())

    def payment(self, payment_id: str) -> models.Payment:
        return self._get(f"/v1/payments/{payment_id}", models.Payment)

    def payments(self, *, status: str | None = None, limit: int = 20) -> list[models.Payment]:
        return self._get_list("/v1/payments", models.Payment, status=status, limit=limit)

    def receipt(self, payment_id: str) -> models.Receipt:
        return self._get(f"/v1/payments/{payment_id}/receipt", models.Receipt)

    def phone_messages(self) -> list[models.PhoneMessage]:
        """The demo's simulated phone panel (where the one-time code arrives)."""
        return self._get_list("/v1/demo/phone", models.PhoneMessage)

    def demo_cards(self) -> list[models.DemoCard]:
        """The cards the simulated card reader offers, in README order; asked as this kiosk."""
        body = self.request("GET", "/v1/demo/cards", headers=self._kiosk_headers())
        return [models.DemoCard.model_validate(card) for card in body]

    # --- help: Call staff --------------------------------------------------------------------------

    def raise_help(self, screen: str, step: str | None, reason: str, waited_seconds: int) -> models.HelpRequest:
        """Ask the branch's staff to come (as this kiosk, and for the signed-in customer if any). Safe to
        retry: the bank answers a kiosk's open request again rather than making another."""
        body = {"screen": screen, "step": step, "reason": reason, "waited_seconds": max(0, min(waited_seconds, 86_400))}
        answer = self.request("POST", "/v1/help-requests", json=body, headers=self._kiosk_headers())
        return models.HelpRequest.model_validate(answer)

    def help_request(self, request_id: str) -> models.HelpRequest:
        answer = self.request("GET", f"/v1/help-requests/{quote(request_id, safe='')}", headers=self._kiosk_headers())
        return models.HelpRequest.model_validate(answer)

    def cancel_help(self, request_id: str) -> models.HelpRequest:
        path = f"/v1/help-requests/{quote(request_id, safe='')}/cancel"
        return models.HelpRequest.model_validate(self.request("POST", path, headers=self._kiosk_headers()))

    # --- usage, preferences, drafts, payment requests ------------------------------------------

    def record_usage(self, item: str, label: str) -> models.UsageRecord:
        return self._post("/v1/usage", models.UsageRecord, {"item": item, "label": label}, key=new_idempotency_key())

    def usage(self, since_days: int = 180) -> list[models.UsageRecord]:
        return self._get_list("/v1/usage", models.UsageRecord, since_days=since_days)

    def preferences(self) -> dict[str, Any]:
        return dict(self.request("GET", "/v1/preferences")["data"])

    def set_preferences(self, data: dict[str, Any]) -> dict[str, Any]:
        return dict(self.request("PUT", "/v1/preferences", json={"data": data})["data"])

    def drafts(self) -> list[models.Draft]:
        return self._get_list("/v1/drafts", models.Draft)

    def save_draft(self, flow: str, data: dict[str, Any], *, token: str | None = None) -> models.Draft:
        """``token``: the session it belongs to (by default the current one): a draft written late
        is never filed under the next customer."""
        body = self.request("PUT", f"/v1/drafts/{flow}", json={"data": data}, token=token)
        return models.Draft.model_validate(body)

    def draft(self, flow: str) -> models.Draft | None:
        """The customer's draft of ``flow``, or None (never saved, finished, or expired)."""
        try:
            return self._get(f"/v1/drafts/{flow}", models.Draft)
        except errors.NotFound as error:
            if error.code != "draft_not_found":
                raise
            return None

    def delete_draft(self, flow: str, *, token: str | None = None) -> None:
        """Safe to repeat: a draft already gone is fine. ``token``: as for :meth:`save_draft`."""
        self.request("DELETE", f"/v1/drafts/{flow}", token=token)

    def handoff(self, flow: str) -> models.Handoff:
        """A single-use link to the draft of ``flow`` for the customer's phone (raises NotFound
        ``draft_not_found`` if there is none). Not replayed by the bank: a retry makes a new link and
        the one before stops working."""
        return models.Handoff.model_validate(self.request("POST", f"/v1/drafts/{flow}/handoff"))

    def claim_handoff(self, token: str, *, key: str | None = None) -> models.Draft:
        """The draft a handoff refers to, on the same customer's phone. Raises Conflict ``handoff_used``
        or ``handoff_expired``, NotFound ``handoff_not_found`` or ``draft_not_found``."""
        return self._post("/v1/handoffs/claim", models.Draft, {"token": token}, key=key or new_idempotency_key())

    def payment_by_key(self, key: str) -> models.Payment | None:
        """The payment this customer made with ``key`` as the Idempotency-Key of create_payment (made,
        held, waiting or blocked), or None if the bank never made one with it. Changes nothing."""
        try:
            return self._get(f"/v1/payments/by-key/{quote(key, safe='')}", models.Payment)
        except errors.NotFound as error:
            if error.code != "payment_not_found":
                raise
            return None

    def create_payment_request(
        self, to_account_id: str, amount_minor: int | None = None, note: str = "", *, key: str | None = None
    ) -> models.PaymentRequest:
        body = _drop_none({"to_account_id": to_account_id, "amount_minor": amount_minor, "note": note})
        return self._post("/v1/payment-requests", models.PaymentRequest, body, key=key or new_idempotency_key())

    def payment_request(self, request_id: str) -> models.PaymentRequest:
        return self._get(f"/v1/payment-requests/{request_id}", models.PaymentRequest)

    def cancel_payment_request(self, request_id: str) -> models.PaymentRequest:
        return self._post(f"/v1/payment-requests/{request_id}/cancel", models.PaymentRequest, key=new_idempotency_key())

    # --- testers' and researchers' controls (mock API only) ------------------------------------

    def set_faults(
        self,
        *,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        drop_response_rate: float = 0.0,
        drop_next_responses: int = 0,
    ) -> dict[str, Any]:
        body = {
            "latency_ms": latency_ms,
            "error_rate": error_rate,
            "drop_response_rate": drop_response_rate,
            "drop_next_responses": drop_next_responses,
        }
        return dict(self.request("PUT", "/v1/admin/faults", json=body))

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return dict(self.request("POST", "/v1/admin/clock", json={"advance_seconds": seconds}))

    def reset_bank(self) -> None:
        """Wipe the mock bank and load its demo data afresh (every session of a study starts the same)."""
        self.request("POST", "/v1/admin/reset")

    def bank_time(self) -> datetime:
        """The bank's own clock (a mock bank's may be moved): what "since the task started" is measured by."""
        return datetime.fromisoformat(str(self.request("GET", "/v1/admin/clock")["now"]).replace("Z", "+00:00"))

    def payments_since(self, since: datetime) -> list[models.Payment]:
        """Every customer's payments since a moment: a study's task is done when the one it asks for exists."""
        return self._get_list("/v1/admin/payments", models.Payment, since=since.isoformat())

    def ledger_summary(self) -> dict[str, Any]:
        return dict(self.request("GET", "/v1/admin/ledger"))


def _drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
