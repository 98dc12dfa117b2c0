"""The OpenAPI document and validation agree: a request the published schema allows is accepted, and
one it refuses is refused with 400. The cases are the borders where they parted: 100.0 (an integer
to JSON Schema, yet refused for amounts), "100" and 1 for true (text and a number, yet taken for
integers and booleans), decimals in query strings, and texts whose spaces are stripped (the limits
now apply to the text as sent)."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema_rs
import pytest

from tests.api.helpers import LIU_FANG_NUMBER, PAYEE_LI_MEI, WANG_QIANG_NUMBER, Signed, new_key, ok

PAYEES, FAULTS, CLOCK = "/v1/payees", "/v1/admin/faults", "/v1/admin/clock"
PAY = "/v1/payments"
# The body is judged before the payment is looked up: no payment needed.
CONFIRM, PURPOSE = "/v1/payments/pay_no_such_payment/confirm", "/v1/payments/pay_no_such_payment/purpose"
TEMPLATES = {CONFIRM: "/v1/payments/{payment_id}/confirm", PURPOSE: "/v1/payments/{payment_id}/purpose"}


def body_schema(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    content = document["paths"][TEMPLATES.get(path, path)][method.lower()]["requestBody"]["content"]["application/json"]
    return {**content["schema"], "components": document["components"]}


def payment(**fields: Any) -> dict[str, Any]:
    return {"from_account_id": "acc_wangfang_current", "amount_minor": 100, "payee_id": PAYEE_LI_MEI, **fields}


def scanned_payment(**fields: Any) -> dict[str, Any]:
    """A payment to the account of a scanned code (her son's: known, so it completes)."""
    target = {"to_account_number": WANG_QIANG_NUMBER, "to_name": "王强"}
    return {"from_account_id": "acc_wangfang_current", "amount_minor": 100, **target, **fields}


BODY_CASES = [
    # (method, path, body, valid by the schema)
    ("PUT", FAULTS, {"latency_ms": 0}, True),
    ("PUT", FAULTS, {"latency_ms": 0.0}, True),  # JSON Schema: a number with no fraction is an integer
    ("PUT", FAULTS, {"latency_ms": 0.5}, False),
    ("PUT", FAULTS, {"latency_ms": "0"}, False),
    ("PUT", FAULTS, {"drop_next_responses": True}, False),
    ("PUT", FAULTS, {"error_rate": 0}, True),  # an integer is a number
    ("PUT", FAULTS, {"error_rate": "0.5"}, False),
    ("POST", CLOCK, {"advance_seconds": "60"}, False),
    ("POST", CLOCK, {"set_to": 1_773_194_400}, False),  # a Unix time is not a date-time text
    ("POST", CONFIRM, {"acknowledged": 1}, False),
    ("POST", CONFIRM, {"acknowledged": "true"}, False),
    ("POST", PURPOSE, {"purpose": "rent", "answers": {"asked_to_move": "no"}}, False),
    ("POST", PAY, payment(amount_minor=100.0), True),
    ("POST", PAY, payment(amount_minor="100"), False),
    ("POST", PAYEES, {"account_number": LIU_FANG_NUMBER, "name": "   "}, False),  # no visible character
    ("POST", PAYEES, {"account_number": LIU_FANG_NUMBER, "name": "\u3000\u3000"}, False),  # ideographic spaces
    ("POST", PAYEES, {"account_number": LIU_FANG_NUMBER, "name": "  " + "刘" * 79}, False),  # 81 as sent
    ("POST", PAYEES, {"account_number": LIU_FANG_NUMBER, "name": "刘芳", "nickname": " "}, False),
    ("POST", PAY, payment(memo=" " + "x" * 140), False),  # 141 as sent
    # A scanned code's account comes with the name it shows, and alone; null is "not given", as for targets.
    ("POST", PAY, scanned_payment(), True),
    ("POST", PAY, scanned_payment(to_name=None), False),
    ("POST", PAY, {**scanned_payment(), "to_name": " "}, False),
    ("POST", PAY, scanned_payment(payee_id=PAYEE_LI_MEI), False),
    ("POST", PAY, payment(to_name="王强"), False),
    ("POST", PAY, payment(to_name=None, to_account_number=None), True),
]


@pytest.mark.parametrize(("method", "path", "body", "valid"), BODY_CASES)
def test_the_schema_and_validation_agree_on_bodies(
    http: httpx.Client, wang_fang: Signed, method: str, path: str, body: dict[str, Any], valid: bool
) -> None:
    schema = body_schema(ok(http.get("/openapi.json")), method, path)
    assert jsonschema_rs.validator_for(schema).is_valid(body) is valid
    headers = {**wang_fang.auth, "Idempotency-Key": new_key()}
    response = http.request(method, path, json=body, headers=headers)
    if valid:
        assert response.status_code < 300, response.text
    else:
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "validation_failed"


@pytest.mark.parametrize(
    ("path", "value", "valid"),
    [
        ("/v1/payments", "20", True),
        ("/v1/payments", "20.0", False),
        ("/v1/payments", "1e1", False),
        ("/v1/usage", "30.0", False),
        ("/v1/accounts/acc_wangfang_current/transactions", "5.0", False),
    ],
)
def test_the_schema_and_validation_agree_on_query_integers(
    wang_fang: Signed, path: str, value: str, valid: bool
) -> None:
    name = "since_days" if path == "/v1/usage" else "limit"
    response = wang_fang.get(path, params={name: value})
    assert (response.status_code == 200) is valid, response.text


def test_spaces_at_either_end_are_stripped_as_documented(http: httpx.Client, wang_fang: Signed) -> None:
    document = ok(http.get("/openapi.json"))
    name = document["components"]["schemas"]["NewPayee"]["properties"]["name"]
    assert "Spaces at either end are removed" in name["description"]
    assert (name["minLength"], name["maxLength"]) == (1, 80)
    saved = wang_fang.add_payee(LIU_FANG_NUMBER, "  刘芳 ", nickname=" 小刘")
    assert (saved["name"], saved["nickname"]) == ("刘芳", "小刘")


def test_the_document_states_every_bound_in_json_schema(http: httpx.Client) -> None:
    """pydantic writes a bound it could not translate under its own name ("gt" for "exclusiveMinimum"),
    which no schema reader understands: the amount's lower bound went missing that way once."""
    found: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            found.extend(f"{where}.{key}" for key in ("gt", "ge", "lt", "le") if key in node)
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    document = ok(http.get("/openapi.json"))
    walk(document, "")
    assert found == []
    amount = document["components"]["schemas"]["NewPayment"]["properties"]["amount_minor"]
    assert (amount["exclusiveMinimum"], amount["maximum"]) == (0, 10**12)
