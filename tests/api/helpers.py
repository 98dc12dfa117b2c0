"""Helpers for contract tests of the mock payment API over real HTTP.

The demo data below is written out on purpose (not imported from ``mock_api.seed``): the
tests check the documented payees and magic values, so a change to the seed that breaks the
documentation breaks a test. The demo cards themselves live in tests/demo.py.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from calmpay.testing.bank import api_client as api_client  # re-exported: the plugin's, for this suite
from calmpay.testing.bank import loopback_transport as loopback_transport
from mock_api.config import ORDINARY_MOMENT, Clock
from tests.demo import DemoCard

# --- demo data (README: "Demo cards and magic values") ---------------------------------------

WANG_FANG_SAVINGS = "acc_wangfang_savings"
WANG_FANG_HISTORY_PAYMENTS = 12  # seeded: 6 to Li Mei, 1 to Wang Qiang, 5 bills

LI_MEI_ACCOUNT_NUMBER = "6217000000000201"
WANG_FANG_ACCOUNT_NUMBER = "6217000000000101"

# Wang Fang's saved payees: Li Mei (paid 6 times: familiar), Wang Qiang (paid once, 90 days
# old: neither new nor familiar), Zhang Wei (saved 2 days ago, never paid: new).
PAYEE_LI_MEI = "payee_wf_limei"
PAYEE_WANG_QIANG = "payee_wf_wangqiang"
PAYEE_ZHANG_WEI = "payee_wf_zhangwei"

# Accounts at other banks (the name-check directory).
ZHANG_WEI_NUMBER = "6222030000001001"
LIU_FANG_NUMBER = "6222030000001002"
WANG_QIANG_NUMBER = "6222030000001003"
SCAM_NUMBER = "6222030000006666"  # reported for scams
UNAVAILABLE_NUMBER = "9999000000001234"  # name check "unavailable"

MAGIC_UNUSUAL_TIME_MINOR = 30_303  # 303.03: treated as if paid at 03:00 local time
BILL_NOT_FOUND_NUMBER = "0000000000"
LARGE_BILL_NUMBER = "8888888888"  # a 6,800.00 bill

SUSPENSE_ACCOUNT = "acc_suspense_held"
EXTERNAL_ACCOUNT = "acc_external_clearing"
EQUITY_ACCOUNT = "acc_equity"

ENVELOPE_KEYS = {"type", "code", "message", "param"}


def new_key() -> str:
    return f"test-{uuid.uuid4()}"


# --- responses ----------------------------------------------------------------------------------


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert the error envelope with this status and code; return the inner error object."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) >= ENVELOPE_KEYS, error
    assert error["code"] == code, error
    assert isinstance(error["type"], str) and error["type"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["param"] is None or isinstance(error["param"], str)
    return dict(error)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None


# --- kiosks and sessions ------------------------------------------------------------------------


@dataclass
class Kiosk:
    kiosk_id: str
    device_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Kiosk-Id": self.kiosk_id, "X-Kiosk-Key": self.device_key}


def register_kiosk(http: httpx.Client, label: str = "Test kiosk") -> Kiosk:
    body = ok(http.post("/v1/kiosks", json={"label": label}), 201)
    return Kiosk(body["kiosk_id"], body["device_key"])


def try_sign_in(http: httpx.Client, kiosk: Kiosk, card_number: str, pin: str) -> httpx.Response:
    return http.post("/v1/sessions", json={"card_number": card_number, "pin": pin}, headers=kiosk.headers)


@dataclass
class Signed:
    """A signed-in customer: a bearer token on a plain HTTP client."""

    http: httpx.Client
    token: str
    customer: dict[str, Any]
    card: DemoCard | None = None
    kiosk: Kiosk | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def customer_id(self) -> str:
        return str(self.customer["id"])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers=self.auth, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.delete(path, headers=self.auth, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.http.put(path, json=json, headers=self.auth, **kwargs)

    def post(self, path: str, json: Any = None, *, key: str | None = "auto", **kwargs: Any) -> httpx.Response:
        """POST with a fresh Idempotency-Key (``key="auto"``), a given one, or none (``key=None``)."""
        headers = dict(self.auth)
        if key == "auto":
            key = new_key()
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.http.post(path, json=json, headers=headers, **kwargs)

    # -- reads --

    def accounts(self) -> dict[str, dict[str, Any]]:
        return {a["id"]: a for a in ok(self.get("/v1/accounts"))}

    def balance(self, account_id: str | None = None) -> int:
        account_id = account_id or self._main_account()
        return int(self.accounts()[account_id]["balance_minor"])

    def held(self, account_id: str | None = None) -> int:
        account_id = account_id or self._main_account()
        return int(self.accounts()[account_id]["held_minor"])

    def payment(self, payment_id: str) -> dict[str, Any]:
        return dict(ok(self.get(f"/v1/payments/{payment_id}")))

    def transactions(self, account_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        account_id = account_id or self._main_account()
        page = ok(self.get(f"/v1/accounts/{account_id}/transactions", params={"limit": limit}))
        return list(page["items"])

    def phone(self) -> list[dict[str, Any]]:
        return list(ok(self.get("/v1/demo/phone")))

    def _main_account(self) -> str:
        if self.card is None:
            raise ValueError("no demo card: pass the account id")
        return self.card.account_id

    # -- payees --

    def name_check(self, account_number: str, name: str) -> dict[str, Any]:
        return dict(ok(self.post("/v1/payees/name-check", {"account_number": account_number, "name": name}, key=None)))

    def payee_body(self, account_number: str, name: str, nickname: str | None = None) -> dict[str, Any]:
        """The body that saves a payee, with the name check it follows (made now, for these details)."""
        body: dict[str, Any] = {"account_number": account_number, "name": name}
        body["name_check_id"] = self.name_check(account_number, name)["name_check_id"]
        if nickname is not None:
            body["nickname"] = nickname
        return body

    def add_payee(self, account_number: str, name: str, nickname: str | None = None) -> dict[str, Any]:
        """Check the name, then save the payee with that check, as the kiosk does."""
        return dict(ok(self.post("/v1/payees", self.payee_body(account_number, name, nickname)), 201))

    # -- payments --

    def pay(
        self,
        amount_minor: int,
        *,
        payee_id: str | None = None,
        bill_id: str | None = None,
        payment_request_id: str | None = None,
        to_account_number: str | None = None,
        to_name: str | None = None,
        from_account_id: str | None = None,
        purpose: str | None = None,
        memo: str | None = None,
        key: str | None = "auto",
    ) -> httpx.Response:
        return self.post(
            "/v1/payments",
            payment_body(
                from_account_id or self._main_account(),
                amount_minor,
                payee_id=payee_id,
                bill_id=bill_id,
                payment_request_id=payment_request_id,
                to_account_number=to_account_number,
                to_name=to_name,
                purpose=purpose,
                memo=memo,
            ),
            key=key,
        )

    def confirm(
        self,
        payment: dict[str, Any],
        *,
        acknowledged: bool = True,
        purpose: str | None = "rent",
        code: str | None = "auto",
        key: str | None = "auto",
    ) -> httpx.Response:
        """Confirm a payment; by default answers everything it requires (code read from the phone)."""
        body: dict[str, Any] = {"acknowledged": acknowledged}
        requires = payment["risk"]["requires"]
        if purpose is not None and "purpose" in requires:
            body["purpose"] = purpose
        if code == "auto":
            code = self.code_from_phone(payment) if "verification_code" in requires else None
        if code is not None:
            body["verification_code"] = code
        return self.post(f"/v1/payments/{payment['id']}/confirm", body, key=key)

    def answer_purpose(
        self, payment_id: str, purpose: str, key: str | None = "auto", answers: dict[str, bool] | None = None
    ) -> httpx.Response:
        """Answer "what is this payment for?" (the bank judges the answer at once), with the
        answers to the follow-up questions asked so far."""
        body: dict[str, Any] = {"purpose": purpose, **({"answers": answers} if answers is not None else {})}
        return self.post(f"/v1/payments/{payment_id}/purpose", body, key=key)

    def cancel(self, payment_id: str, key: str | None = "auto") -> httpx.Response:
        return self.post(f"/v1/payments/{payment_id}/cancel", key=key)

    def pay_fully(self, amount_minor: int, **kwargs: Any) -> dict[str, Any]:
        """Create a payment and, if it asks for anything, confirm it. Returns the final payment."""
        payment = dict(ok(self.pay(amount_minor, **kwargs), 201))
        if payment["status"] == "requires_action":
            payment = dict(ok(self.confirm(payment)))
        return payment

    def code_from_phone(self, payment: dict[str, Any]) -> str:
        """The newest one-time code texted to this customer for this payment (amount and payee)."""
        # The text is in the customer's language: the code is its first six digits, then amount and payee
        # (named as the customer reads the name: 李梅 rather than the recorded "李梅 Li Mei").
        amount = yuan(payment["amount_minor"])
        names = {payment["counterparty"], *payment["counterparty_names"].values()}
        for message in self.phone():  # newest first
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", message["text"])
            if match and amount in message["text"] and any(name in message["text"] for name in names):
                return match.group(1)
        raise AssertionError(f"no code on the phone for {amount} to {sorted(names)}")


def payment_body(
    from_account_id: str,
    amount_minor: int,
    *,
    payee_id: str | None = None,
    bill_id: str | None = None,
    payment_request_id: str | None = None,
    to_account_number: str | None = None,
    to_name: str | None = None,
    purpose: str | None = None,
    memo: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"from_account_id": from_account_id, "amount_minor": amount_minor}
    for name, value in (
        ("payee_id", payee_id),
        ("bill_id", bill_id),
        ("payment_request_id", payment_request_id),
        ("to_account_number", to_account_number),
        ("to_name", to_name),
        ("purpose", purpose),
        ("memo", memo),
    ):
        if value is not None:
            body[name] = value
    return body


def yuan(minor: int) -> str:
    """The amount as the server writes it in texts: 60,000.00."""
    return f"{minor // 100:,}.{minor % 100:02d}"


def sign_in(http: httpx.Client, card: DemoCard, kiosk: Kiosk | None = None) -> Signed:
    kiosk = kiosk or register_kiosk(http)
    body = ok(try_sign_in(http, kiosk, card.number, card.pin), 201)
    return Signed(http, body["token"], body["customer"], card, kiosk)


# --- admin ----------------------------------------------------------------------------------------


def ledger(http: httpx.Client) -> dict[str, Any]:
    return dict(ok(http.get("/v1/admin/ledger")))


def assert_ledger_sound(http: httpx.Client) -> dict[str, Any]:
    summary = ledger(http)
    assert summary["total_minor"] == 0, summary
    assert summary["negative_balances"] == 0, summary
    assert summary["unbalanced_journals"] == 0, summary
    return summary


def advance_clock(http: httpx.Client, seconds: float) -> dict[str, Any]:
    return dict(ok(http.post("/v1/admin/clock", json={"advance_seconds": seconds})))


def set_faults(http: httpx.Client, **settings: Any) -> dict[str, Any]:
    return dict(ok(http.put("/v1/admin/faults", json=settings)))


def notifications(http: httpx.Client, customer_id: str | None = None) -> list[dict[str, Any]]:
    params = {"customer_id": customer_id} if customer_id else {}
    return list(ok(http.get("/v1/admin/notifications", params=params)))


def code_from_notifications(http: httpx.Client, payment_id: str) -> str:
    """The newest one-time code for exactly this payment (from the admin notification log)."""
    for note in notifications(http):  # newest first
        if note["kind"] == "verification_code" and note["payment_id"] == payment_id:
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", note["text"])  # in the customer's language
            assert match, note
            return match.group(1)
    raise AssertionError(f"no code sent for {payment_id}")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def server_now(http: httpx.Client) -> datetime:
    return parse_time(ok(http.get("/v1/admin/clock"))["now"])


@dataclass
class FrozenClock(Clock):
    """A bank clock that does not tick by itself: only POST /v1/admin/clock moves it."""

    start: datetime | None = ORDINARY_MOMENT

    def now(self) -> datetime:
        assert self.start is not None, "a frozen clock needs a start"
        return self.start + self.offset


# Random ids and times of day are left out: a random hex id or the microseconds of a time can hold
# any four digits ("0001", "1200") by chance, which is not a leak.
MADE_BY_THE_BANK = ("id", "kiosk_id")


def readable_text(view: dict[str, Any] | list[dict[str, Any]]) -> str:
    """A help request (or a queue of them) as JSON, without the fields the bank made up by itself."""
    views = view if isinstance(view, list) else [view]
    kept = [
        {key: value for key, value in one.items() if key not in MADE_BY_THE_BANK and not key.endswith("_at")}
        for one in views
    ]
    return json.dumps(kept, ensure_ascii=False)


def holds_number(text: str, digits: str) -> bool:
    """Whether ``digits`` stand in ``text`` as a number of their own, not inside a random id or hash."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(digits)}(?![0-9A-Za-z])", text) is not None
