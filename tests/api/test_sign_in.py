"""Sign-in: PIN attempts, card lock, freezing on repeated tries, staff unfreeze; sessions and their expiry."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.api.helpers import (
    LIU_FANG_NUMBER,
    PAYEE_LI_MEI,
    advance_clock,
    assert_error,
    notifications,
    ok,
    parse_time,
    register_kiosk,
    server_now,
    sign_in,
    try_sign_in,
)
from tests.demo import CHEN_JIAN, LI_MEI, MARGARET, WANG_FANG, ZHAO_MIN


def anomalies(http: httpx.Client) -> list[dict]:
    return list(ok(http.get("/v1/admin/anomalies")))


def test_sign_in_returns_a_session_with_the_customer(http: httpx.Client) -> None:
    kiosk = register_kiosk(http, "Branch 12, kiosk 3")
    body = ok(try_sign_in(http, kiosk, WANG_FANG.number, WANG_FANG.pin), 201)
    assert body["customer"] == {
        "id": WANG_FANG.customer_id,
        "name": WANG_FANG.name,
        "names": {"zh-Hans": "王芳", "zh-Hant": "王芳", "en": "Wang Fang"},
        "language": "zh-Hans",
        "trusted_contact": {
            "name": "李梅 Li Mei",
            "names": {"zh-Hans": "李梅", "zh-Hant": "李梅", "en": "Li Mei"},
            "phone_last4": "0002",
        },
    }
    delay = parse_time(body["expires_at"]) - server_now(http)
    assert timedelta(minutes=14) < delay <= timedelta(minutes=15)
    me = ok(http.get("/v1/customers/me", headers={"Authorization": f"Bearer {body['token']}"}))
    assert me == body["customer"]


def test_three_wrong_pins_lock_the_card_then_two_more_tries_freeze_the_customer(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    first = assert_error(try_sign_in(http, kiosk, MARGARET.number, "1111"), 401, "pin_incorrect")
    assert first["details"] == {"attempts_remaining": 2}
    assert first["param"] == "pin"
    second = assert_error(try_sign_in(http, kiosk, MARGARET.number, "2222"), 401, "pin_incorrect")
    assert second["details"] == {"attempts_remaining": 1}
    locked = assert_error(try_sign_in(http, kiosk, MARGARET.number, "3333"), 403, "card_locked")
    assert locked["type"] == "forbidden"
    assert not [a for a in anomalies(http) if a["customer_id"] == MARGARET.customer_id]

    # The right PIN does not open a locked card (and counts as a try on it).
    assert_error(try_sign_in(http, kiosk, MARGARET.number, MARGARET.pin), 403, "card_locked")
    frozen = assert_error(try_sign_in(http, kiosk, MARGARET.number, MARGARET.pin), 403, "account_frozen")
    anomaly_id = frozen["details"]["anomaly_id"]

    records = [a for a in anomalies(http) if a["customer_id"] == MARGARET.customer_id]
    assert len(records) == 1
    assert records[0]["id"] == anomaly_id
    assert records[0]["kind"] == "repeated_failed_sign_in"
    assert records[0]["status"] == "open"
    texts = [n for n in notifications(http, MARGARET.customer_id) if n["kind"] == "anomaly"]
    assert len(texts) == 1
    assert texts[0]["recipient_phone_last4"] == "0006"
    assert "Was this you?" in texts[0]["text"]

    # Frozen stays frozen, with the same anomaly, whatever PIN is typed.
    again = assert_error(try_sign_in(http, kiosk, MARGARET.number, "9999"), 403, "account_frozen")
    assert again["details"]["anomaly_id"] == anomaly_id
    assert len([a for a in anomalies(http) if a["customer_id"] == MARGARET.customer_id]) == 1

    # Staff unfreeze: the card works again and the anomaly is resolved.
    assert http.post(f"/v1/admin/customers/{MARGARET.customer_id}/unfreeze").status_code == 204
    ok(try_sign_in(http, kiosk, MARGARET.number, MARGARET.pin), 201)
    assert [a["status"] for a in anomalies(http) if a["customer_id"] == MARGARET.customer_id] == ["resolved"]


def test_a_right_pin_resets_the_count(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    assert_error(try_sign_in(http, kiosk, LI_MEI.number, "1111"), 401, "pin_incorrect")
    assert_error(try_sign_in(http, kiosk, LI_MEI.number, "1111"), 401, "pin_incorrect")
    ok(try_sign_in(http, kiosk, LI_MEI.number, LI_MEI.pin), 201)
    error = assert_error(try_sign_in(http, kiosk, LI_MEI.number, "1111"), 401, "pin_incorrect")
    assert error["details"] == {"attempts_remaining": 2}


def test_demo_card_of_a_frozen_customer(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    seeded = [a for a in anomalies(http) if a["customer_id"] == CHEN_JIAN.customer_id]
    assert len(seeded) == 1 and seeded[0]["status"] == "open"
    for pin in (CHEN_JIAN.pin, "0000"):
        error = assert_error(try_sign_in(http, kiosk, CHEN_JIAN.number, pin), 403, "account_frozen")
        assert error["details"]["anomaly_id"] == seeded[0]["id"]
    assert http.post(f"/v1/admin/customers/{CHEN_JIAN.customer_id}/unfreeze").status_code == 204
    assert ok(try_sign_in(http, kiosk, CHEN_JIAN.number, CHEN_JIAN.pin), 201)["customer"]["name"] == "陈建 Chen Jian"


def test_demo_card_that_is_locked(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    assert_error(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 403, "card_locked")
    assert http.post(f"/v1/admin/cards/{ZHAO_MIN.number}/unlock").status_code == 204
    ok(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 201)


def test_locked_demo_card_freezes_after_two_more_tries(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    assert_error(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 403, "card_locked")
    assert_error(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 403, "account_frozen")
    assert http.post(f"/v1/admin/customers/{ZHAO_MIN.customer_id}/unfreeze").status_code == 204
    ok(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 201)  # unfreezing unlocks the card too


def test_freezing_stops_payments_in_an_open_session(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    waiting = ok(wang_fang.pay(30_303, payee_id=PAYEE_LI_MEI), 201)  # magic amount: waits for a confirmation
    before = wang_fang.balance()
    kiosk = register_kiosk(http, "another kiosk")
    for _ in range(3):
        try_sign_in(http, kiosk, WANG_FANG.number, "0000")
    assert_error(try_sign_in(http, kiosk, WANG_FANG.number, "0000"), 403, "card_locked")
    assert_error(try_sign_in(http, kiosk, WANG_FANG.number, "0000"), 403, "account_frozen")

    assert_error(wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI), 403, "account_frozen")
    assert_error(wang_fang.confirm(waiting), 403, "account_frozen")
    assert_error(wang_fang.get("/v1/accounts"), 403, "account_frozen")
    assert http.post(f"/v1/admin/customers/{WANG_FANG.customer_id}/unfreeze").status_code == 204
    assert sign_in(http, WANG_FANG).balance() == before


def test_a_session_stops_working_the_moment_staff_freeze_the_customer(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    assert http.post(f"/v1/admin/customers/{WANG_FANG.customer_id}/freeze").status_code == 204

    payee = {"name": "刘芳 Liu Fang", "account_number": LIU_FANG_NUMBER}
    refused = assert_error(wang_fang.post("/v1/payees", json=payee), 403, "account_frozen")
    assert refused["details"]["anomaly_id"] == next(a["id"] for a in anomalies(http) if a["kind"] == "staff_freeze")
    for path in ("/v1/customers/me", "/v1/accounts", "/v1/payees"):
        assert_error(wang_fang.get(path), 403, "account_frozen")
    assert wang_fang.delete("/v1/sessions/current").status_code == 204  # signing out still works
    assert_error(try_sign_in(http, register_kiosk(http), WANG_FANG.number, WANG_FANG.pin), 403, "account_frozen")


def test_unknown_customer_cannot_be_frozen(http: httpx.Client) -> None:
    assert_error(http.post("/v1/admin/customers/cus_nobody/freeze"), 404, "not_found")


def test_unknown_customer_cannot_be_unfrozen(http: httpx.Client) -> None:
    assert_error(http.post("/v1/admin/customers/cus_nobody/unfreeze"), 404, "not_found")


# --- sessions ------------------------------------------------------------------------------------------


def test_session_expires_after_15_idle_minutes(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    advance_clock(http, 15 * 60 + 1)
    error = assert_error(wang_fang.get("/v1/accounts"), 401, "session_expired")
    assert error["type"] == "authentication_error"
    assert_error(wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI), 401, "session_expired")


def test_each_request_extends_the_session(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    for _ in range(4):  # an hour in all, never 15 minutes idle
        advance_clock(http, 14 * 60)
        ok(wang_fang.get("/v1/accounts"))
    advance_clock(http, 15 * 60)
    assert_error(wang_fang.get("/v1/accounts"), 401, "session_expired")


def test_sign_out_ends_the_session(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    other = sign_in(http, WANG_FANG, wang_fang.kiosk)
    assert wang_fang.delete("/v1/sessions/current").status_code == 204
    assert_error(wang_fang.get("/v1/accounts"), 401, "session_expired")
    assert_error(wang_fang.delete("/v1/sessions/current"), 401, "session_expired")
    ok(other.get("/v1/accounts"))  # only that session ended


def test_requests_without_a_session(http: httpx.Client) -> None:
    assert_error(http.get("/v1/accounts"), 401, "session_missing")
    assert_error(http.delete("/v1/sessions/current"), 401, "session_missing")
