"""The risk vocabulary the payment API speaks, as the kiosk knows it: reason codes, the answers to
"what is this payment for?", and which reason a prompt leads with.

The API's own copy is in mock_api/risk.py (client/ never imports mock_api); tests/unit keeps the
two equal, and the purposes equal to the API's OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Iterable

# Every reason code the API's risk engine (or the limits checked with it) can return.
RISK_REASON_CODES = (
    "new_payee",
    "large_amount",
    "very_large_amount",
    "unusual_time",
    "rapid_repeats",
    "possible_duplicate",
    "payee_reported_scam",
    "purpose_scam_script",
    "insufficient_funds",
    "limit_exceeded",
)

# Answers to "what is this payment for?", in the order the kiosk offers them.
PURPOSES = (
    "family_friends",
    "bills_goods",
    "rent",
    "own_account",
    "safe_account",
    "prize_or_refund",
    "investment",
    "other",
)

# When a payment has several reasons, the prompt leads with the weightiest one: weightiest first.
# A reason not listed here comes after all of them.
REASONS_BY_WEIGHT = (
    "payee_reported_scam",
    "purpose_scam_script",
    "very_large_amount",
    "large_amount",
    "new_payee",
    "possible_duplicate",
    "rapid_repeats",
    "unusual_time",
)


def leading_reason(reasons: Iterable[str]) -> str | None:
    """The reason a prompt leads with (the weightiest), or None when there is none."""
    ranked = sorted(
        reasons,
        key=lambda reason: REASONS_BY_WEIGHT.index(reason) if reason in REASONS_BY_WEIGHT else len(REASONS_BY_WEIGHT),
    )
    return ranked[0] if ranked else None
