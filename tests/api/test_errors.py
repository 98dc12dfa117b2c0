"""Bad input of every kind gets a 4xx with the error envelope, never a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_api.server import EmbeddedServer
from tests.api.helpers import (
    PAYEE_LI_MEI,
    api_client,
    assert_error,
    assert_ledger_sound,
    new_key,
    register_kiosk,
    sign_in,
    try_sign_in,
)
from tests.bank import bank_server
from tests.demo import LI_MEI, WANG_FANG

# These tests only send requests the server must refuse, so they share one server.


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    with bank_server(Path(tmp_path_factory.mktemp("errors")) / "bank.sqlite3") as server:
        yield server


@pytest.fixture(scope="module")
def token(server: EmbeddedServer) -> str:
    with api_client(server.url) as client:
        return sign_in(client, WANG_FANG).token


@pytest.fixture(autouse=True)
def ledger_stays_sound(server: EmbeddedServer) -> Iterator[None]:
    """Whatever a test here sends, the ledger is sound after it: checked after each test, not once at the end."""
    yield
    with api_client(server.url) as admin:
        assert_ledger_sound(admin)


@pytest.fixture
def client(server: EmbeddedServer) -> Iterator[httpx.Client]:
    # A fresh client per test: if a request ever crashed the server's side of a connection,
    # the next test would not inherit the broken connection.
    with api_client(server.url) as client:
        yield client


def valid_payment(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"from_account_id": WANG_FANG.account_id, "amount_minor": 1_000, "payee_id": PAYEE_LI_MEI}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    status: int
    code: str
    json: Any = None
    content: bytes | None = None
    auth: bool = True
    key: bool = True
    params: dict[str, Any] | None = None
    param: str | EllipsisType | None = ...  # the expected "param"; ... means not checked


PAY = "/v1/payments"
ANY_CODE = ""  # the body cannot even be parsed: any code, as long as the envelope is there
TX = f"/v1/accounts/{WANG_FANG.account_id}/transactions"

CASES = [
    # --- not JSON, or not an object ---
    Case("truncated JSON", "POST", PAY, 400, "validation_failed", content=b'{"from_account_id": '),
    Case("trailing garbage", "POST", PAY, 400, "validation_failed", content=b'{"amount_minor": 1} x'),
    Case("not UTF-8", "POST", PAY, 400, ANY_CODE, content=b"\xff\xfe\x00"),
    Case("empty body", "POST", PAY, 400, "validation_failed", content=b""),
    Case("JSON array", "POST", PAY, 400, "validation_failed", json=[]),
    Case("JSON string", "POST", PAY, 400, "validation_failed", json="pay please"),
    Case("JSON null", "POST", PAY, 400, "validation_failed", json=None, content=b"null"),
    Case("deeply nested", "POST", PAY, 400, ANY_CODE, content=b"[" * 30_000 + b"]" * 30_000),
    Case("over the body limit", "POST", PAY, 413, "request_too_large", content=b"[" * 100_000 + b"]" * 100_000),
    # --- wrong types ---
    Case("amount as text", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor="abc")),
    Case("amount as numeric text", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor="100")),
    Case("amount as boolean", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=True)),
    Case("amount as fraction", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=10.5)),
    # 1000.0 is the integer 1000 to JSON Schema, and so to the API (tests/api/test_schema_agreement.py).
    Case("amount as list", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=[1])),
    Case("amount as object", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor={"v": 1})),
    Case("amount null", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=None)),
    Case("amount missing", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=...)),
    Case("account as number", "POST", PAY, 400, "validation_failed", json=valid_payment(from_account_id=7)),
    Case("payee as list", "POST", PAY, 400, "validation_failed", json=valid_payment(payee_id=["a"])),
    Case("memo as number", "POST", PAY, 400, "validation_failed", json=valid_payment(memo=5)),
    # --- extra fields and bad values ---
    Case("extra field", "POST", PAY, 400, "validation_failed", json=valid_payment(currency="USD"), param="currency"),
    Case(
        "zero amount", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=0), param="amount_minor"
    ),
    Case("negative amount", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=-500)),
    Case("absurd amount", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=10**12 + 1)),
    Case("huge integer", "POST", PAY, 400, "validation_failed", json=valid_payment(amount_minor=10**40)),
    Case("unknown purpose", "POST", PAY, 400, "validation_failed", json=valid_payment(purpose="gift")),
    Case("memo too long", "POST", PAY, 400, "validation_failed", json=valid_payment(memo="m" * 141)),
    Case("no target", "POST", PAY, 400, "validation_failed", json=valid_payment(payee_id=...)),
    Case("two targets", "POST", PAY, 400, "validation_failed", json=valid_payment(bill_id="bill_1")),
    Case("empty account id", "POST", PAY, 400, "validation_failed", json=valid_payment(from_account_id="")),
    Case(
        "someone else's account",
        "POST",
        PAY,
        404,
        "account_not_found",
        json=valid_payment(from_account_id=LI_MEI.account_id),
    ),
    Case("unknown payee", "POST", PAY, 404, "payee_not_found", json=valid_payment(payee_id="payee_nobody")),
    Case("unknown bill", "POST", PAY, 404, "bill_not_found", json=valid_payment(payee_id=..., bill_id="bill_x")),
    Case(
        "unknown request",
        "POST",
        PAY,
        404,
        "payment_request_not_found",
        json=valid_payment(payee_id=..., payment_request_id="req_x"),
    ),
    Case(
        "confirm: code not 6 digits",
        "POST",
        f"{PAY}/pay_x/confirm",
        400,
        "validation_failed",
        json={"verification_code": "12345"},
    ),
    Case("confirm: extra field", "POST", f"{PAY}/pay_x/confirm", 400, "validation_failed", json={"ok": True}),
    Case("confirm: unknown payment", "POST", f"{PAY}/pay_x/confirm", 404, "payment_not_found", json={}),
    Case("cancel: unknown payment", "POST", f"{PAY}/pay_x/cancel", 404, "payment_not_found"),
    Case("receipt: unknown payment", "GET", f"{PAY}/pay_x/receipt", 404, "payment_not_found"),
    Case(
        "payee: short number",
        "POST",
        "/v1/payees",
        400,
        "validation_failed",
        json={"account_number": "123", "name": "X"},
    ),
    Case(
        "payee: blank name",
        "POST",
        "/v1/payees",
        400,
        "validation_failed",
        json={"account_number": "6222030000001001", "name": "   "},
    ),
    Case(
        "payee: own account",
        "POST",
        "/v1/payees",
        400,
        "same_account",
        json={"account_number": "6217000000000102", "name": "Me", "name_check_id": "namecheck_none"},
    ),
    Case(
        "payee: no name check",
        "POST",
        "/v1/payees",
        400,
        "validation_failed",
        json={"account_number": "6222030000001001", "name": "张伟 Zhang Wei"},
    ),
    Case(
        "payee: unknown name check",
        "POST",
        "/v1/payees",
        404,
        "name_check_not_found",
        json={"account_number": "6222030000009999", "name": "Nobody Known", "name_check_id": "namecheck_none"},
    ),
    Case(
        "name check: letters",
        "POST",
        "/v1/payees/name-check",
        400,
        "validation_failed",
        json={"account_number": "62220300000010ab", "name": "X"},
    ),
    Case("delete unknown payee", "DELETE", "/v1/payees/payee_nobody", 404, "payee_not_found"),
    Case(
        "bill lookup: unknown biller",
        "POST",
        "/v1/bills/lookup",
        404,
        "biller_not_found",
        json={"biller_id": "bil_nope", "customer_number": "1234567890"},
    ),
    Case(
        "bill lookup: bad number",
        "POST",
        "/v1/bills/lookup",
        400,
        "validation_failed",
        json={"biller_id": "bil_water", "customer_number": "12ab"},
    ),
    # --- query and path parameters ---
    Case("limit zero", "GET", TX, 400, "validation_failed", params={"limit": 0}, param="limit"),
    Case("limit too big", "GET", TX, 400, "validation_failed", params={"limit": 101}),
    Case("limit not a number", "GET", TX, 400, "validation_failed", params={"limit": "ten"}),
    Case("cursor zero", "GET", TX, 400, "validation_failed", params={"cursor": 0}),
    Case("cursor beyond SQLite integers", "GET", TX, 400, "validation_failed", params={"cursor": 10**20}),
    Case("someone else's history", "GET", "/v1/accounts/acc_limei_current/transactions", 404, "account_not_found"),
    Case("unknown status filter", "GET", PAY, 400, "validation_failed", params={"status": "lost"}),
    Case("usage window zero", "GET", "/v1/usage", 400, "validation_failed", params={"since_days": 0}),
    Case("draft: bad flow name", "PUT", "/v1/drafts/Bad Flow", 400, "validation_failed", json={"data": {}}),
    Case("draft: data not an object", "PUT", "/v1/drafts/send", 400, "validation_failed", json={"data": [1]}),
    Case("preferences: extra field", "PUT", "/v1/preferences", 400, "validation_failed", json={"theme": "dark"}),
    Case("unknown payment request", "GET", "/v1/payment-requests/req_x", 404, "payment_request_not_found"),
    # --- routes and methods ---
    Case("unknown route", "GET", "/v1/nothing-here", 404, "not_found", auth=False),
    Case("unknown top-level route", "GET", "/wp-admin", 404, "not_found", auth=False),
    Case("wrong method on payments", "DELETE", PAY, 405, "method_not_allowed"),
    Case("wrong method on accounts", "PUT", "/v1/accounts", 405, "method_not_allowed", json={}),
    Case("wrong method on health", "POST", "/health", 405, "method_not_allowed", auth=False),
    # --- authentication ---
    Case("no token", "GET", "/v1/accounts", 401, "session_missing", auth=False),
    Case("no token, bad body", "POST", PAY, 401, "session_missing", auth=False, json=[]),
    # --- admin controls ---
    Case(
        "faults: rate above 1", "PUT", "/v1/admin/faults", 400, "validation_failed", auth=False, json={"error_rate": 2}
    ),
    Case(
        "faults: negative latency",
        "PUT",
        "/v1/admin/faults",
        400,
        "validation_failed",
        auth=False,
        json={"latency_ms": -1},
    ),
    Case(
        "clock: naive time",
        "POST",
        "/v1/admin/clock",
        400,
        "validation_failed",
        auth=False,
        json={"set_to": "2025-01-01T10:00:00"},
        param="set_to",
    ),
    Case(
        "clock: too far",
        "POST",
        "/v1/admin/clock",
        400,
        "validation_failed",
        auth=False,
        json={"advance_seconds": 10**10},
    ),
    Case(
        "clock: past the end of time",
        "POST",
        "/v1/admin/clock",
        400,
        "validation_failed",
        auth=False,
        json={"set_to": "9999-12-31T23:59:59Z"},
    ),
    Case("unfreeze: unknown customer", "POST", "/v1/admin/customers/cus_nobody/unfreeze", 404, "not_found", auth=False),
    Case("unlock: unknown card", "POST", "/v1/admin/cards/6222020000009999/unlock", 401, "card_unknown", auth=False),
]


def send(client: httpx.Client, token: str, case: Case) -> httpx.Response:
    headers: dict[str, str] = {}
    if case.auth:
        headers["Authorization"] = f"Bearer {token}"
    if case.key and case.method == "POST":
        headers["Idempotency-Key"] = new_key()
    kwargs: dict[str, Any] = {"headers": headers, "params": case.params}
    if case.content is not None:
        kwargs["content"] = case.content
        headers["Content-Type"] = "application/json"
    elif case.json is not None:
        kwargs["json"] = case.json
    return client.request(case.method, case.path, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_requests_get_the_envelope(client: httpx.Client, token: str, case: Case) -> None:
    response = send(client, token, case)
    assert response.status_code == case.status, response.text
    error = assert_error(response, case.status, case.code or response.json()["error"]["code"])
    if case.param is not ...:
        assert error["param"] == case.param


def test_admin_clock_is_unchanged_after_refused_moves(client: httpx.Client) -> None:
    before = client.get("/v1/admin/clock").json()["offset_seconds"]
    assert_error(client.post("/v1/admin/clock", json={"set_to": "9999-12-31T23:59:59Z"}), 400, "validation_failed")
    assert client.get("/v1/admin/clock").json()["offset_seconds"] == before
    assert client.get("/health").status_code == 200


def test_validation_message_names_the_field(client: httpx.Client, token: str) -> None:
    response = client.post(
        "/v1/payments",
        json=valid_payment(amount_minor=-1),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": new_key()},
    )
    error = assert_error(response, 400, "validation_failed")
    assert error["type"] == "invalid_request"
    assert error["param"] == "amount_minor"
    assert "amount_minor" in error["message"]


def test_sign_in_input_errors(client: httpx.Client) -> None:
    kiosk = register_kiosk(client)
    assert_error(try_sign_in(client, kiosk, "not-a-card", "1234"), 400, "validation_failed")
    assert_error(try_sign_in(client, kiosk, WANG_FANG.number, "12"), 400, "validation_failed")
    assert_error(try_sign_in(client, kiosk, WANG_FANG.number, "12345678"), 400, "validation_failed")
    assert_error(
        try_sign_in(client, kiosk, "6222020000009999", "1234"), 401, "pin_incorrect"
    )  # never says the card is unknown
    no_kiosk = client.post("/v1/sessions", json={"card_number": WANG_FANG.number, "pin": WANG_FANG.pin})
    assert_error(no_kiosk, 401, "kiosk_unknown")
    wrong_key = client.post(
        "/v1/sessions",
        json={"card_number": WANG_FANG.number, "pin": WANG_FANG.pin},
        headers={"X-Kiosk-Id": kiosk.kiosk_id, "X-Kiosk-Key": "wrong"},
    )
    assert_error(wrong_key, 401, "kiosk_unknown")
    assert_error(client.post("/v1/kiosks", json={"label": ""}), 400, "validation_failed")
    assert_error(client.post("/v1/kiosks", json={"label": "x" * 81}), 400, "validation_failed")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-real-token", "Basic d2FuZzpmYW5n", "Bearer", "bearer-without-space", "Bearer  spaced  out"],
)
def test_bad_tokens_are_401(client: httpx.Client, authorization: str) -> None:
    response = client.get("/v1/accounts", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert_error(response, 401, response.json()["error"]["code"])
    assert response.json()["error"]["code"] in {"session_missing", "session_expired"}


# --- fuzzing the payment body: whatever arrives, the answer is a 2xx or a 4xx with the envelope ---

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
field_values = {
    "from_account_id": st.sampled_from([WANG_FANG.account_id, "acc_wangfang_savings", LI_MEI.account_id]) | json_value,
    "amount_minor": st.integers(min_value=-10, max_value=10**13) | json_value,
    "payee_id": st.sampled_from([PAYEE_LI_MEI, "payee_wf_zhangwei", "payee_x"]) | json_value,
    "bill_id": json_value,
    "payment_request_id": json_value,
    "purpose": st.sampled_from(["family_friends", "investment", "other", "nope"]) | json_value,
    "memo": st.text(max_size=150) | json_value,
    "surprise": json_value,
}
payment_bodies = (
    st.fixed_dictionaries({}, optional={name: strategy for name, strategy in field_values.items()}) | json_value
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=payment_bodies)
def test_fuzzed_payment_bodies_never_cause_5xx(client: httpx.Client, token: str, body: Any) -> None:
    response = client.post(
        "/v1/payments",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": new_key(), "Content-Type": "application/json"},
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_error(response, response.status_code, response.json()["error"]["code"])
    else:
        assert response.status_code == 201
        assert isinstance(body, dict) and type(body.get("amount_minor")) is int


def test_refused_requests_leave_the_ledger_as_it_was(client: httpx.Client, token: str) -> None:
    """Every bad request of this file, in one test of its own: run alone or in any order, it checks them all."""
    before = assert_ledger_sound(client)
    for case in CASES:
        assert send(client, token, case).status_code == case.status, case.name
    assert assert_ledger_sound(client) == before  # not a journal more, not a fen moved
