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

# The answers the kiosk offers, in this order: neutral words, none of them a scammer's script in the
# customer's mouth. "safe_account" stays an answer the API takes; the kiosk reaches that script
# through the follow-up questions of "own_account", as a coached customer would never pick it.
OFFERED_PURPOSES = ("family_friends", "bills_goods", "rent", "own_account", "investment", "prize_or_refund", "other")

# The follow-up questions the bank can ask about an answer scams hide behind (risk.follow_up),
# each answered yes or no; and the scripts a stop is written for (details.script of a
# purpose_scam_script block). The API's copies are in mock_api/risk.py; tests keep them equal.
FOLLOW_UP_QUESTIONS = ("someone_asked", "in_your_name", "met_online", "high_returns", "only_online", "new_number")
SCAM_SCRIPTS = ("buying_online", "investment", "new_number", "prize_or_refund", "safe_account")

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
