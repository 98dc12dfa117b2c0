"""The safety check's steps, decided in client/ without Qt: the purpose, the bank's follow-ups, the
warning, the code; the stop the bank names; one label per action."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from client import errors, flow, models
from client.flow import Next
from client.i18n import LANGUAGES
from client.security.catalog import load_catalog

NOW = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def payment(requires: tuple[str, ...], follow_up: str | None = None) -> models.Payment:
    return models.Payment(
        id="pay_1",
        kind="transfer",
        status="requires_action",
        amount_minor=2_000_000,
        currency="CNY",
        from_account_id="acc_1",
        counterparty="王强 Wang Qiang",
        risk=models.Risk(
            decision="step_up", reasons=["large_amount"], requires=list(requires), hold_minutes=0, follow_up=follow_up
        ),
        created_at=NOW,
        cancellable=True,
    )


def test_one_question_at_a_time_then_the_warning_then_the_code() -> None:
    everything = ("acknowledge", "purpose", "verification_code")
    assert flow.check_step(payment(everything), acknowledged=False) == flow.PURPOSE_STEP
    asked = payment(everything, follow_up="someone_asked")
    assert flow.check_step(asked, acknowledged=False) == flow.FOLLOW_UP_STEP
    assert flow.asks_purpose(asked, "own_account")  # answered, yet the bank still asks about it
    answered = payment(("acknowledge", "verification_code"))
    assert flow.check_step(answered, acknowledged=False) == flow.WARNING_STEP
    assert flow.code_follows(answered)
    assert flow.check_step(answered, acknowledged=True) == flow.CODE_STEP
    assert flow.check_step(payment(("verification_code",)), acknowledged=False) == flow.CODE_STEP
    assert flow.check_step(payment(("acknowledge",)), acknowledged=True) == flow.WARNING_STEP
    assert not flow.code_follows(payment(("acknowledge",)))


@pytest.mark.parametrize(("code", "ok"), [("123456", True), ("12345", False), ("12345a", False), ("", False)])
def test_a_code_goes_to_the_bank_only_with_its_six_digits(code: str, ok: bool) -> None:
    assert flow.may_submit_code(code) is ok


def blocked(script: str | None) -> errors.PaymentBlocked:
    details = {"payment_id": "pay_1", **({"script": script} if script else {})}
    return errors.PaymentBlocked(
        "payment_blocked",
        "blocked",
        status=402,
        error_type="payment_declined",
        reasons=["purpose_scam_script"],
        details=details,
    )


STOPS = load_catalog().codes


@pytest.mark.parametrize(
    ("purpose", "script", "stop"),
    [
        ("own_account", "safe_account", "purpose_safe_account"),  # the coached answer, caught by a follow-up
        ("bills_goods", "buying_online", "purpose_buying_online"),
        ("family_friends", "new_number", "purpose_new_number"),
        ("prize_or_refund", None, "purpose_prize_or_refund"),  # an older bank that names no script
        ("rent", "a_script_with_no_words", "purpose_scam_script"),
    ],
)
def test_the_stop_is_the_one_for_the_script_the_bank_names(purpose: str, script: str | None, stop: str) -> None:
    assert flow.after_purpose_failed(blocked(script), purpose, STOPS) == Next("stop", {"code": stop})


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_deliberate_step_never_reads_like_the_way_on(language: str) -> None:
    """Two buttons side by side never carry one label: "I have checked" is not a way on's label."""
    texts = json.loads((ROOT / "assets" / "i18n" / f"{language}.json").read_text("utf-8"))
    understand = texts["risk.understand"]
    catalog = load_catalog()
    for code in catalog.codes:
        entry = catalog.data["entries"][code][language]
        assert understand not in (entry["proceed_action"], entry["safe_action"]), code
