"""The risk engine alone: facts in, decision out, thresholds from risk.toml."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mock_api.config import RiskConfig
from mock_api.risk import SCAM_PURPOSES, PaymentFacts, assess

CONFIG = RiskConfig.load()
KNOWN_SMALL = PaymentFacts(
    kind="transfer",
    amount=20_000,
    payee_is_new=False,
    payments_to_payee=1,
    payee_reported_scam=False,
    recent_payments=0,
    duplicate=False,
    local_hour=14,
    purpose=None,
)


def test_a_known_payee_and_a_small_amount_get_no_warning_at_all() -> None:
    decision = assess(KNOWN_SMALL, CONFIG)
    assert (decision.decision, decision.reasons, decision.requires, decision.hold_minutes) == ("allow", (), (), 0)


@pytest.mark.parametrize(
    ("change", "decision", "reason", "requires", "hold"),
    [
        ({"payee_is_new": True, "payments_to_payee": 0}, "confirm", "new_payee", ("acknowledge", "purpose"), 0),
        (
            {"payee_is_new": True, "payments_to_payee": 0, "amount": 100_000},
            "confirm",
            "new_payee",
            ("acknowledge", "purpose"),
            15,
        ),
        ({"amount": 500_000}, "confirm", "large_amount", ("acknowledge", "purpose"), 0),
        ({"amount": 2_000_000}, "step_up", "large_amount", ("acknowledge", "purpose", "verification_code"), 0),
        ({"amount": 5_000_001}, "step_up", "very_large_amount", ("acknowledge", "purpose", "verification_code"), 120),
        ({"local_hour": 3}, "confirm", "unusual_time", ("acknowledge",), 0),
        ({"recent_payments": 3}, "confirm", "rapid_repeats", ("acknowledge",), 0),
        ({"duplicate": True}, "confirm", "possible_duplicate", ("acknowledge",), 0),
        ({"payee_reported_scam": True}, "block", "payee_reported_scam", (), 0),
    ],
)
def test_each_reason(change: dict, decision: str, reason: str, requires: tuple, hold: int) -> None:
    result = assess(replace(KNOWN_SMALL, **change), CONFIG)
    assert result.decision == decision
    assert reason in result.reasons
    assert result.requires == requires
    assert result.hold_minutes == hold


@pytest.mark.parametrize("purpose", sorted(SCAM_PURPOSES))
def test_scam_script_answers_stop_the_payment(purpose: str) -> None:
    result = assess(replace(KNOWN_SMALL, amount=600_000, purpose=purpose), CONFIG)
    assert (result.decision, result.reasons) == ("block", ("purpose_scam_script",))


def test_familiar_context_means_lighter_checks() -> None:
    familiar = replace(KNOWN_SMALL, amount=600_000, payments_to_payee=CONFIG.min_payments)
    assert assess(familiar, CONFIG).decision == "allow"
    assert assess(replace(familiar, payments_to_payee=0), CONFIG).decision == "confirm"
    # ...but never for very large amounts.
    assert assess(replace(familiar, amount=5_000_001), CONFIG).hold_minutes == 120


def test_bills_never_ask_what_they_are_for() -> None:
    bill = replace(KNOWN_SMALL, kind="bill", amount=680_000, payments_to_payee=0, payee_is_new=True)
    result = assess(bill, CONFIG)
    assert "purpose" not in result.requires and "new_payee" not in result.reasons


def test_thresholds_are_configuration(tmp_path: Path) -> None:
    override = tmp_path / "risk.toml"
    override.write_text("[amounts]\nconfirm_at = 10_000\n[holds]\nvery_large_minutes = 30\n", "utf-8")
    config = RiskConfig.load(override)
    assert config.confirm_at == 10_000 and config.very_large_minutes == 30
    assert config.step_up_at == CONFIG.step_up_at  # untouched keys keep their defaults
    assert assess(KNOWN_SMALL, config).decision == "confirm"


def test_an_unknown_threshold_is_refused(tmp_path: Path) -> None:
    override = tmp_path / "risk.toml"
    override.write_text("[amounts]\nconfirm_at_typo = 1\n", "utf-8")
    with pytest.raises(ValueError, match="unknown key"):
        RiskConfig.load(override)
