"""Saved payees and the payee name check (match, close match, no match, unavailable)."""

from __future__ import annotations

import httpx
import pytest

from tests.api.helpers import (
    LI_MEI_ACCOUNT_NUMBER,
    LIU_FANG_NUMBER,
    PAYEE_LI_MEI,
    PAYEE_WANG_QIANG,
    PAYEE_ZHANG_WEI,
    UNAVAILABLE_NUMBER,
    WANG_QIANG_NUMBER,
    ZHANG_WEI_NUMBER,
    Signed,
    advance_clock,
    assert_error,
    new_key,
    ok,
    sign_in,
)
from tests.demo import LI_MEI, WANG_FANG


@pytest.mark.parametrize(
    ("number", "name", "result", "actual_name"),
    [
        (LI_MEI_ACCOUNT_NUMBER, "李梅 Li Mei", "match", None),
        (LI_MEI_ACCOUNT_NUMBER, "李梅", "match", None),
        (LI_MEI_ACCOUNT_NUMBER, "Li Mei", "match", None),
        (LI_MEI_ACCOUNT_NUMBER, "MEI LI", "match", None),  # either order, any case
        (LI_MEI_ACCOUNT_NUMBER, "  li   mei ", "match", None),
        (LIU_FANG_NUMBER, "Liu Fan", "close_match", "刘芳 Liu Fang"),
        (LIU_FANG_NUMBER, "Lu Fang", "close_match", "刘芳 Liu Fang"),
        (LIU_FANG_NUMBER, "刘芳", "match", None),
        (LIU_FANG_NUMBER, "劉芳", "match", None),  # the same holder, typed in Traditional script
        (LIU_FANG_NUMBER, "劉方", "close_match", "刘芳 Liu Fang"),  # one character off, in Traditional
        (ZHANG_WEI_NUMBER, "張偉", "match", None),
        (ZHANG_WEI_NUMBER, "Wang Qiang", "no_match", None),
        (ZHANG_WEI_NUMBER, "!!!", "no_match", None),
        ("6222030000009999", "Nobody Known", "no_match", None),  # not in the directory
        (UNAVAILABLE_NUMBER, "Anyone At All", "unavailable", None),
        ("99990000000000000", "李梅 Li Mei", "unavailable", None),
    ],
)
def test_name_check(wang_fang: Signed, number: str, name: str, result: str, actual_name: str | None) -> None:
    body = ok(wang_fang.post("/v1/payees/name-check", {"account_number": number, "name": name}, key=None))
    assert body.pop("name_check_id").startswith("namecheck_")
    assert {k: v for k, v in body.items() if k != "actual_names"} == {
        "result": result,
        "actual_name": actual_name,
        "account_last4": number[-4:],
    }
    assert bool(body["actual_names"]) == (actual_name is not None)  # the holder's name only on a close match


def test_a_close_match_tells_the_holders_name_in_each_script(wang_fang: Signed) -> None:
    body = ok(wang_fang.post("/v1/payees/name-check", {"account_number": LIU_FANG_NUMBER, "name": "劉方"}, key=None))
    assert body["actual_names"] == {"zh-Hans": "刘芳", "zh-Hant": "劉芳", "en": "Liu Fang"}


def test_name_check_needs_a_session(http: httpx.Client) -> None:
    response = http.post("/v1/payees/name-check", json={"account_number": LIU_FANG_NUMBER, "name": "Liu Fang"})
    assert_error(response, 401, "session_missing")


def test_seeded_payees(wang_fang: Signed) -> None:
    payees = {p["id"]: p for p in ok(wang_fang.get("/v1/payees"))}
    assert set(payees) == {PAYEE_LI_MEI, PAYEE_WANG_QIANG, PAYEE_ZHANG_WEI}
    li_mei = payees[PAYEE_LI_MEI]
    assert (li_mei["name"], li_mei["nickname"], li_mei["account_last4"]) == ("李梅 Li Mei", "女儿 Daughter", "0201")
    assert (li_mei["payments_count"], li_mei["is_new"], li_mei["name_check"]) == (6, False, "match")
    assert (payees[PAYEE_WANG_QIANG]["payments_count"], payees[PAYEE_WANG_QIANG]["is_new"]) == (1, False)
    assert (payees[PAYEE_ZHANG_WEI]["payments_count"], payees[PAYEE_ZHANG_WEI]["is_new"]) == (0, True)


def test_add_payee_records_the_name_check(wang_fang: Signed) -> None:
    payee = wang_fang.add_payee(LIU_FANG_NUMBER, "Liu Fan", nickname="Neighbour")
    assert payee["name_check"] == "close_match"
    assert payee["name"] == "Liu Fan"
    assert payee["nickname"] == "Neighbour"
    assert payee["account_last4"] == "1002"
    assert (payee["payments_count"], payee["is_new"]) == (0, True)
    assert payee["id"] in {p["id"] for p in ok(wang_fang.get("/v1/payees"))}
    assert wang_fang.add_payee(UNAVAILABLE_NUMBER, "Someone")["name_check"] == "unavailable"


def test_a_payee_is_saved_once(wang_fang: Signed) -> None:
    assert_error(
        wang_fang.post("/v1/payees", wang_fang.payee_body(WANG_QIANG_NUMBER, "王强 Wang Qiang")),
        409,
        "payee_exists",
    )
    assert_error(wang_fang.post("/v1/payees", wang_fang.payee_body("6217000000000101", "Me")), 400, "same_account")


def test_add_payee_is_idempotent(wang_fang: Signed) -> None:
    key = new_key()
    body = wang_fang.payee_body(LIU_FANG_NUMBER, "刘芳 Liu Fang")
    first = wang_fang.post("/v1/payees", body, key=key)
    again = wang_fang.post("/v1/payees", body, key=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(ok(wang_fang.get("/v1/payees"))) == 4


def test_removed_payee_cannot_be_paid_and_can_be_saved_again(wang_fang: Signed) -> None:
    assert wang_fang.delete(f"/v1/payees/{PAYEE_WANG_QIANG}").status_code == 204
    assert PAYEE_WANG_QIANG not in {p["id"] for p in ok(wang_fang.get("/v1/payees"))}
    assert_error(wang_fang.pay(1_000, payee_id=PAYEE_WANG_QIANG), 404, "payee_not_found")
    assert_error(wang_fang.delete(f"/v1/payees/{PAYEE_WANG_QIANG}"), 404, "payee_not_found")

    again = wang_fang.add_payee(WANG_QIANG_NUMBER, "王强 Wang Qiang")
    assert again["id"] != PAYEE_WANG_QIANG
    assert again["is_new"] is True


def test_payees_are_private(http: httpx.Client, wang_fang: Signed) -> None:
    li_mei = sign_in(http, LI_MEI)
    assert ok(li_mei.get("/v1/payees")) == []
    assert_error(li_mei.pay(1_000, payee_id=PAYEE_LI_MEI), 404, "payee_not_found")
    assert_error(li_mei.delete(f"/v1/payees/{PAYEE_LI_MEI}"), 404, "payee_not_found")
    assert len(ok(wang_fang.get("/v1/payees"))) == 3


def test_new_external_payee_is_new_even_after_paying_another_bank(wang_fang: Signed) -> None:
    """Other banks' accounts share one clearing account; a first payment to Liu Fang is still a first."""
    payee = wang_fang.add_payee(LIU_FANG_NUMBER, "刘芳 Liu Fang")
    payment = ok(wang_fang.pay(10_000, payee_id=payee["id"]), 201)
    assert payment["risk"]["reasons"] == ["new_payee"]
    # And paying Zhang Wei the same amount as Liu Fang is no "possible duplicate".
    ok(wang_fang.confirm(payment))
    to_zhang = ok(wang_fang.pay(10_000, payee_id=PAYEE_ZHANG_WEI), 201)
    assert to_zhang["risk"]["reasons"] == ["new_payee"]


# --- a save is bound to the name check it follows ---------------------------------------------------


def test_a_check_of_one_account_cannot_save_another(http: httpx.Client) -> None:
    """The customer trial: 刘芳 checked on her own account, then the number changed to Zhang Wei's."""
    li_mei = sign_in(http, LI_MEI)
    check = li_mei.name_check(LIU_FANG_NUMBER, "刘芳")
    assert check["result"] == "match"
    body = {"account_number": ZHANG_WEI_NUMBER, "name": "刘芳", "name_check_id": check["name_check_id"]}
    error = assert_error(li_mei.post("/v1/payees", body), 400, "name_check_mismatch")
    assert error["param"] == "account_number"
    assert ok(li_mei.get("/v1/payees")) == []


def test_a_check_of_one_name_cannot_save_another(http: httpx.Client) -> None:
    li_mei = sign_in(http, LI_MEI)
    check = li_mei.name_check(ZHANG_WEI_NUMBER, "Li Na")
    body = {"account_number": ZHANG_WEI_NUMBER, "name": "张伟 Zhang Wei", "name_check_id": check["name_check_id"]}
    error = assert_error(li_mei.post("/v1/payees", body), 400, "name_check_mismatch")
    assert error["param"] == "name"


def test_a_no_match_check_saves_a_no_match_payee(http: httpx.Client) -> None:
    """The outcome is the bank's own record of the check: never a match the client claims."""
    li_mei = sign_in(http, LI_MEI)
    check = li_mei.name_check(ZHANG_WEI_NUMBER, "刘芳 Liu Fang")
    assert check["result"] == "no_match"
    body = {"account_number": ZHANG_WEI_NUMBER, "name": "刘芳 Liu Fang", "name_check_id": check["name_check_id"]}
    payee = ok(li_mei.post("/v1/payees", body), 201)
    assert payee["name_check"] == "no_match"
    assert [p["name_check"] for p in ok(li_mei.get("/v1/payees"))] == ["no_match"]
    # A result sent by the client is not a field of the request: it is refused, not believed.
    claimed = {**li_mei.payee_body(LIU_FANG_NUMBER, "Liu Fan"), "name_check": "match"}
    assert_error(li_mei.post("/v1/payees", claimed), 400, "validation_failed")


def test_a_close_match_saves_under_the_name_the_bank_told(wang_fang: Signed) -> None:
    check = wang_fang.name_check(LIU_FANG_NUMBER, "Liu Fan")
    assert (check["result"], check["actual_name"]) == ("close_match", "刘芳 Liu Fang")
    body = {"account_number": LIU_FANG_NUMBER, "name": "刘芳 Liu Fang", "name_check_id": check["name_check_id"]}
    payee = ok(wang_fang.post("/v1/payees", body), 201)
    assert (payee["name"], payee["name_check"]) == ("刘芳 Liu Fang", "close_match")


def test_a_name_check_is_good_for_ten_minutes(http: httpx.Client, wang_fang: Signed) -> None:
    check = wang_fang.name_check(LIU_FANG_NUMBER, "刘芳")
    body = {"account_number": LIU_FANG_NUMBER, "name": "刘芳", "name_check_id": check["name_check_id"]}
    advance_clock(http, 10 * 60 + 1)
    wang_fang = sign_in(http, WANG_FANG)  # a fresh session: only the check is old
    assert_error(wang_fang.post("/v1/payees", body), 400, "name_check_expired")
    fresh = wang_fang.name_check(LIU_FANG_NUMBER, "刘芳")
    advance_clock(http, 9 * 60)
    ok(wang_fang.post("/v1/payees", {**body, "name_check_id": fresh["name_check_id"]}), 201)


def test_another_customers_check_is_unknown(http: httpx.Client, wang_fang: Signed) -> None:
    li_mei = sign_in(http, LI_MEI)
    check = li_mei.name_check(LIU_FANG_NUMBER, "刘芳")
    body = {"account_number": LIU_FANG_NUMBER, "name": "刘芳", "name_check_id": check["name_check_id"]}
    error = assert_error(wang_fang.post("/v1/payees", body), 404, "name_check_not_found")
    assert error["param"] == "name_check_id"
    unknown = {**body, "name_check_id": "namecheck_0000000000000000"}
    assert_error(wang_fang.post("/v1/payees", unknown), 404, "name_check_not_found")
    assert ok(li_mei.post("/v1/payees", body), 201)["name_check"] == "match"
