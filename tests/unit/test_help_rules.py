"""When help comes by itself (client.help), and how the helpline's number is said."""

from __future__ import annotations

from datetime import UTC, datetime

from client import help as rules
from client.bank_contact import ELDER_HOTLINE, hotline_words, spoken_number
from client.models import HelpRequest, StaffMember

AT = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


def request(status: str, *, staff: StaffMember | None = None, on_duty: bool = True) -> HelpRequest:
    return HelpRequest(
        id="help_1", status=status, reason="asked", screen="amount", created_at=AT, staff=staff, staff_on_duty=on_duty
    )


def test_the_third_problem_on_one_screen_asks_for_a_person_once() -> None:
    count = rules.ErrorCount()
    assert [count.problem_shown("bill_number", None) for _ in range(4)] == [None, None, rules.REPEATED_ERRORS, None]
    count.screen_changed("amount")  # a new screen starts again
    assert [count.problem_shown("amount", None) for _ in range(3)] == [None, None, rules.REPEATED_ERRORS]


def test_problems_on_different_screens_do_not_add_up() -> None:
    count = rules.ErrorCount()
    for screen in ("amount", "review", "amount", "review"):
        assert count.problem_shown(screen, None) is None


def test_some_problems_ask_for_a_person_at_once() -> None:
    count = rules.ErrorCount()
    assert count.problem_shown("review", "payment_blocked") == rules.SCAM_STOP
    assert count.problem_shown("home", "account_frozen") == rules.ACCOUNT_PAUSED
    assert count.problem_shown("pin", "card_locked") == rules.CARD_LOCKED


def test_screens_that_ask_on_arrival() -> None:
    assert rules.reason_on_arrival("stop", {"code": "payee_reported_scam"}) == rules.SCAM_STOP
    assert rules.reason_on_arrival("card_kept", {"code": "card_locked"}) == rules.CARD_LOCKED
    assert rules.reason_on_arrival("card_kept", {"code": "account_frozen"}) == rules.ACCOUNT_PAUSED
    assert rules.reason_on_arrival("amount", {}) is None


def test_what_the_customer_is_told() -> None:
    li_na = StaffMember(id="stf_lina", name="李娜 Li Na", names={"en": "Li Na", "zh-Hans": "李娜"})
    assert rules.state_of(request("waiting"), "en") == rules.HelpState("waiting")
    assert rules.state_of(request("waiting", on_duty=False), "en") == rules.HelpState("no_staff")
    assert rules.state_of(request("coming", staff=li_na), "en") == rules.HelpState("coming", "Li Na")
    assert rules.state_of(request("coming", staff=li_na), "zh-Hans").staff_name == "李娜"
    assert not rules.state_of(request("closed"), "en").open
    assert not rules.state_of(request("cancelled"), "en").open


def test_the_helpline_is_said_digit_by_digit() -> None:
    assert spoken_number(ELDER_HOTLINE) == "4 0 0, 8 8 0, 5 5 6 6"
    assert spoken_number("+86-21-6880-5588") == "8 6, 2 1, 6 8 8 0, 5 5 8 8"
    assert hotline_words()["elder_hotline"] == ELDER_HOTLINE
