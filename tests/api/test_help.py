"""Help requests and the staff console at the API: a kiosk asks, staff answer and close; staff act on a
customer's account only with their PIN, logged; a customer's token is not a staff token; no request
carries an amount, a name or a number."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from mock_api.server import EmbeddedServer
from mock_api.values import hash_pin
from tests.api.helpers import (
    LI_MEI_ACCOUNT_NUMBER,
    Kiosk,
    Signed,
    advance_clock,
    assert_error,
    ok,
    readable_text,
    register_kiosk,
    try_sign_in,
)
from tests.api.test_holds import VERY_LARGE, held_payment
from tests.demo import CHEN_JIAN, WANG_FANG, ZHAO_MIN

LI_NA = ("1001", "8642")  # README: "The staff console"
CHEN_WEI = ("1002", "9753")
ASK = {"screen": "review", "step": "review", "reason": "asked", "waited_seconds": 42}


def staff_sign_in(http: httpx.Client, who: tuple[str, str] = LI_NA) -> dict[str, str]:
    body = ok(http.post("/v1/staff/sessions", json={"staff_number": who[0], "pin": who[1]}), 201)
    return {"Authorization": f"Bearer {body['token']}"}


def raise_help(http: httpx.Client, kiosk: Kiosk, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = dict(kiosk.headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return dict(ok(http.post("/v1/help-requests", json=body, headers=headers), 201))


def queue(http: httpx.Client, staff: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    return list(ok(http.get("/v1/staff/help-requests", headers=staff, params=params)))


def test_a_request_goes_from_the_kiosk_to_the_console_and_back(http: httpx.Client, wang_fang: Signed) -> None:
    assert wang_fang.kiosk is not None
    staff = staff_sign_in(http)
    asked = raise_help(http, wang_fang.kiosk, ASK, wang_fang.token)
    assert (asked["status"], asked["staff"], asked["staff_on_duty"]) == ("waiting", None, True)

    advance_clock(http, 30)
    [shown] = queue(http, staff)
    assert (shown["id"], shown["screen"], shown["step"], shown["reason"]) == (asked["id"], "review", "review", "asked")
    assert (shown["waited_seconds"], shown["waiting_seconds"]) == (42, 30)
    assert shown["customer_known"] is True and shown["kiosk_label"] == "Test kiosk"

    ok(http.post(f"/v1/staff/help-requests/{asked['id']}/answer", headers=staff))
    seen = ok(http.get(f"/v1/help-requests/{asked['id']}", headers=wang_fang.kiosk.headers))
    assert seen["status"] == "coming"
    assert seen["staff"]["names"] == {"zh-Hans": "李娜", "zh-Hant": "李娜", "en": "Li Na"}

    advance_clock(http, 90)
    closed = ok(http.post(f"/v1/staff/help-requests/{asked['id']}/close", json={"outcome": "solved"}, headers=staff))
    assert (closed["status"], closed["outcome"]) == ("closed", "solved")
    assert queue(http, staff) == []
    assert [r["id"] for r in queue(http, staff, include_closed=True)] == [asked["id"]]
    assert ok(http.get(f"/v1/help-requests/{asked['id']}", headers=wang_fang.kiosk.headers))["status"] == "closed"

    metrics = ok(http.get("/v1/staff/metrics", headers=staff))
    assert metrics["median_answer_seconds"] == pytest.approx(30, abs=1)
    assert metrics["median_resolve_seconds"] == pytest.approx(120, abs=1)
    assert (metrics["solved_on_the_spot"], metrics["by_reason"]) == (1.0, {"asked": 1})


def test_a_request_holds_no_amount_name_or_number(http: httpx.Client, wang_fang: Signed) -> None:
    assert wang_fang.kiosk is not None
    staff = staff_sign_in(http)
    raise_help(http, wang_fang.kiosk, ASK, wang_fang.token)
    text = readable_text(queue(http, staff))
    for private in ("王芳", "Wang Fang", WANG_FANG.number, WANG_FANG.number[-4:], "6217000000000101", "cus_wangfang"):
        assert private not in text
    # Free text cannot come in at all: a screen is a slug, and there is no other field.
    for bad in ({**ASK, "screen": "pay 500 to 6217000000000201"}, {**ASK, "amount_minor": 50_000}):
        assert_error(
            http.post("/v1/help-requests", json=bad, headers=wang_fang.kiosk.headers), 400, "validation_failed"
        )


def test_the_queue_is_oldest_first_and_one_kiosk_keeps_one_place(http: httpx.Client, wang_fang: Signed) -> None:
    assert wang_fang.kiosk is not None
    staff = staff_sign_in(http)
    first = raise_help(http, wang_fang.kiosk, ASK, wang_fang.token)
    advance_clock(http, 5)
    other = register_kiosk(http, "Kiosk 2")
    second = raise_help(http, other, {"screen": "welcome", "reason": "long_hesitation", "waited_seconds": 75})
    advance_clock(http, 5)
    again = raise_help(http, wang_fang.kiosk, {**ASK, "reason": "repeated_errors"}, wang_fang.token)
    assert again["id"] == first["id"] and again["reason"] == "asked"  # its place in the queue is kept
    assert [(r["id"], r["kiosk_label"]) for r in queue(http, staff)] == [
        (first["id"], "Test kiosk"),
        (second["id"], "Kiosk 2"),
    ]
    # One kiosk cannot see or cancel another's request.
    assert_error(http.get(f"/v1/help-requests/{first['id']}", headers=other.headers), 404, "help_request_not_found")
    assert_error(
        http.post(f"/v1/help-requests/{first['id']}/cancel", headers=other.headers), 404, "help_request_not_found"
    )
    cancelled = ok(http.post(f"/v1/help-requests/{first['id']}/cancel", headers=wang_fang.kiosk.headers))
    assert cancelled["status"] == "cancelled"
    assert [r["id"] for r in queue(http, staff)] == [second["id"]]
    assert_error(http.post(f"/v1/staff/help-requests/{first['id']}/answer", headers=staff), 409, "help_request_closed")


def test_without_staff_on_duty_the_kiosk_is_told_so(http: httpx.Client, wang_fang: Signed) -> None:
    assert wang_fang.kiosk is not None
    asked = raise_help(http, wang_fang.kiosk, ASK, wang_fang.token)
    assert asked["staff_on_duty"] is False
    staff = staff_sign_in(http)
    assert ok(http.get(f"/v1/help-requests/{asked['id']}", headers=wang_fang.kiosk.headers))["staff_on_duty"] is True
    assert http.delete("/v1/staff/sessions/current", headers=staff).status_code == 204
    assert ok(http.get(f"/v1/help-requests/{asked['id']}", headers=wang_fang.kiosk.headers))["staff_on_duty"] is False


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/staff/help-requests"),
        ("GET", "/v1/staff/metrics"),
        ("GET", "/v1/staff/actions"),
        ("POST", "/v1/staff/help-requests/{id}/answer"),
        ("POST", "/v1/staff/help-requests/{id}/unfreeze"),
        ("POST", "/v1/staff/help-requests/{id}/held-payments/pay_x/cancel"),
    ],
)
def test_a_customer_token_is_not_a_staff_token(http: httpx.Client, wang_fang: Signed, method: str, path: str) -> None:
    assert wang_fang.kiosk is not None
    asked = raise_help(http, wang_fang.kiosk, ASK, wang_fang.token)
    url = path.format(id=asked["id"])
    body = {"pin": "1234"} if method == "POST" else None
    assert_error(http.request(method, url, json=body, headers=wang_fang.auth), 401, "staff_session_expired")
    assert_error(http.request(method, url, json=body), 401, "staff_session_missing")
    assert_error(http.request(method, url, json=body, headers=wang_fang.kiosk.headers), 401, "staff_session_missing")


def test_unfreezing_needs_the_staff_pin_and_is_logged(http: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    kiosk = register_kiosk(http)
    assert_error(try_sign_in(http, kiosk, CHEN_JIAN.number, CHEN_JIAN.pin), 403, "account_frozen")
    asked = raise_help(http, kiosk, {"screen": "welcome", "reason": "account_paused"})  # nobody is signed in
    staff = staff_sign_in(http)
    [shown] = queue(http, staff)
    assert (shown["customer_known"], shown["account_paused"]) == (True, True)

    unfreeze = f"/v1/staff/help-requests/{asked['id']}/unfreeze"
    assert_error(http.post(unfreeze, json={"pin": "0000"}, headers=staff), 401, "staff_pin_incorrect")
    assert_error(http.post(unfreeze, json={}, headers=staff), 400, "validation_failed")
    assert_error(try_sign_in(http, kiosk, CHEN_JIAN.number, CHEN_JIAN.pin), 403, "account_frozen")
    with caplog.at_level(logging.INFO, logger="mock_api.bank.help"):
        assert http.post(unfreeze, json={"pin": LI_NA[1]}, headers=staff).status_code == 204
    assert ok(try_sign_in(http, kiosk, CHEN_JIAN.number, CHEN_JIAN.pin), 201)["customer"]["id"] == CHEN_JIAN.customer_id

    [action] = ok(http.get("/v1/staff/actions", headers=staff))
    assert (action["action"], action["help_request_id"], action["staff"]["id"]) == ("unfreeze", asked["id"], "stf_lina")
    logged = [r.getMessage() for r in caplog.records if "unfreeze" in r.getMessage()]
    assert logged and all(LI_NA[1] not in line and CHEN_JIAN.number not in line for line in logged)


def test_a_locked_card_is_unlocked_from_the_console(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    assert_error(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 403, "card_locked")
    asked = raise_help(http, kiosk, {"screen": "card-kept", "reason": "card_locked"})
    staff = staff_sign_in(http)
    assert queue(http, staff)[0]["customer_known"] is True
    ok(http.post(f"/v1/staff/help-requests/{asked['id']}/unfreeze", json={"pin": LI_NA[1]}, headers=staff), 204)
    ok(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 201)


def test_a_request_with_nobody_known_cannot_act_on_an_account(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    asked = raise_help(http, kiosk, {"screen": "welcome", "reason": "asked"})
    staff = staff_sign_in(http)
    assert_error(
        http.post(f"/v1/staff/help-requests/{asked['id']}/unfreeze", json={"pin": LI_NA[1]}, headers=staff),
        409,
        "help_request_has_no_customer",
    )
    # A refusal older than the link window does not reach the customer either.
    assert_error(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 403, "card_locked")
    ok(http.post(f"/v1/staff/help-requests/{asked['id']}/close", json={"outcome": "referred"}, headers=staff))
    advance_clock(http, 11 * 60)
    later = raise_help(http, kiosk, {"screen": "welcome", "reason": "card_locked"})
    assert queue(http, staff)[0]["id"] == later["id"] and queue(http, staff)[0]["customer_known"] is False


def test_staff_cancel_a_held_payment_with_the_customer_there(http: httpx.Client, wang_fang: Signed) -> None:
    assert wang_fang.kiosk is not None
    before = wang_fang.balance()
    held = held_payment(wang_fang)
    asked = raise_help(http, wang_fang.kiosk, {"screen": "result", "reason": "asked"}, wang_fang.token)
    staff = staff_sign_in(http, CHEN_WEI)
    assert queue(http, staff)[0]["held_payments"] == 1
    [listed] = ok(http.get(f"/v1/staff/help-requests/{asked['id']}/held-payments", headers=staff))
    assert (listed["id"], listed["amount_minor"]) == (held["id"], VERY_LARGE)
    assert LI_MEI_ACCOUNT_NUMBER not in json.dumps(listed)

    cancel = f"/v1/staff/help-requests/{asked['id']}/held-payments/{held['id']}/cancel"
    assert_error(http.post(cancel, json={"pin": LI_NA[1]}, headers=staff), 401, "staff_pin_incorrect")  # not his PIN
    assert wang_fang.payment(held["id"])["status"] == "held"
    assert ok(http.post(cancel, json={"pin": CHEN_WEI[1]}, headers=staff))["status"] == "cancelled"
    assert wang_fang.balance() == before
    assert_error(http.post(cancel, json={"pin": CHEN_WEI[1]}, headers=staff), 404, "payment_not_found")
    [action] = ok(http.get("/v1/staff/actions", headers=staff))
    assert (action["action"], action["payment_id"], action["staff"]["id"]) == (
        "cancel_held_payment",
        held["id"],
        "stf_chenwei",
    )


def test_five_wrong_staff_pins_lock_the_staff_number(http: httpx.Client) -> None:
    wrong = {"staff_number": LI_NA[0], "pin": "1111"}
    for remaining in (4, 3, 2, 1):
        error = assert_error(http.post("/v1/staff/sessions", json=wrong), 401, "staff_pin_incorrect")
        assert error["details"]["attempts_remaining"] == remaining
    assert_error(http.post("/v1/staff/sessions", json=wrong), 403, "staff_locked")
    assert_error(http.post("/v1/staff/sessions", json={"staff_number": LI_NA[0], "pin": LI_NA[1]}), 403, "staff_locked")
    # An unknown staff number is answered as a wrong PIN.
    assert_error(
        http.post("/v1/staff/sessions", json={"staff_number": "9999", "pin": "1111"}), 401, "staff_pin_incorrect"
    )


def test_staff_pins_are_kept_as_salted_hashes(api_server: EmbeddedServer) -> None:
    with api_server.app.state.bank.db.read() as conn:
        rows = {r["number"]: r for r in conn.execute("SELECT * FROM staff")}
    assert set(rows) == {LI_NA[0], CHEN_WEI[0]}
    assert rows[LI_NA[0]]["pin_salt"] != rows[CHEN_WEI[0]]["pin_salt"]
    for number, pin in (LI_NA, CHEN_WEI):
        assert rows[number]["pin_hash"] == hash_pin(pin, rows[number]["pin_salt"])
        assert pin.encode() not in rows[number]["pin_hash"]


def test_waiting_for_staff_keeps_the_customer_signed_in(http: httpx.Client, wang_fang: Signed) -> None:
    assert wang_fang.kiosk is not None
    asked = raise_help(http, wang_fang.kiosk, ASK, wang_fang.token)
    headers = {**wang_fang.kiosk.headers, **wang_fang.auth}
    for _ in range(3):  # 42 minutes, each answer asked for in the session's last minute
        advance_clock(http, 14 * 60)
        ok(http.get(f"/v1/help-requests/{asked['id']}", headers=headers))
    assert wang_fang.get("/v1/accounts").status_code == 200
    advance_clock(http, 16 * 60)  # no longer asked for: the session ends as usual
    assert_error(wang_fang.get("/v1/accounts"), 401, "session_expired")
