"""The risk vocabulary the payment API speaks, as the kiosk knows it."""

from __future__ import annotations

# Copies of mock_api.risk (client/ never imports mock_api); tests/unit keeps them equal.
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
# Answers to "what is this payment for?" that match a scammer's script: the API stops the payment
# (reason purpose_scam_script) and the kiosk explains it with the stop written for that script.
SCAM_PURPOSES = frozenset({"safe_account", "prize_or_refund", "investment"})
