"""The risk engine: facts about one payment in, a decision with reason codes out.

Pure and Qt-free: the service layer gathers the facts from the ledger, this module only
decides. Thresholds come from :class:`RiskConfig` (risk.toml), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_api.config import RiskConfig

# Answers to "what is this payment for?" (the kiosk offers these as buttons).
PURPOSES = (
    "family_friends",
    "bills_goods",
    "rent",
    "own_account",
    "safe_account",  # "someone on the phone told me to move my money to keep it safe"
    "prize_or_refund",  # "to claim a prize or a refund"
    "investment",  # "an investment with high returns"
    "other",
)
# Answers that match the scripts scammers give their victims: the payment is stopped.
SCAM_PURPOSES = frozenset({"safe_account", "prize_or_refund", "investment"})

DECISION_RANK = {"allow": 0, "hold": 1, "confirm": 2, "step_up": 3, "block": 4}

# Every reason code the engine (or the limits checked with it) can return.
REASON_CODES = (
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


@dataclass(frozen=True)
class PaymentFacts:
    kind: str  # "transfer", "bill" or "request"
    amount: int
    payee_is_new: bool  # saved recently and never paid (transfers and requests only)
    payments_to_payee: int  # earlier completed or held payments to the same destination (counted up to min_payments)
    payee_reported_scam: bool
    recent_payments: int  # payments started in the rapid-repeat window (counted up to rapid_repeat_count)
    duplicate: bool  # same destination and amount within the duplicate window
    local_hour: int
    purpose: str | None


@dataclass(frozen=True)
class RiskDecision:
    decision: str  # allow, confirm, step_up, hold or block
    reasons: tuple[str, ...]
    requires: tuple[str, ...]  # what the customer still has to give: acknowledge, purpose, verification_code
    hold_minutes: int

    @property
    def blocked(self) -> bool:
        return self.decision == "block"


def assess(facts: PaymentFacts, config: RiskConfig) -> RiskDecision:
    if facts.payee_reported_scam:
        return RiskDecision("block", ("payee_reported_scam",), (), 0)
    if facts.purpose in SCAM_PURPOSES:
        return RiskDecision("block", ("purpose_scam_script",), (), 0)

    reasons: list[str] = []
    decision = "allow"
    hold_minutes = 0

    def raise_to(level: str) -> None:
        nonlocal decision
        if DECISION_RANK[level] > DECISION_RANK[decision]:
            decision = level

    familiar = facts.payments_to_payee >= config.min_payments
    multiplier = config.threshold_multiplier if familiar else 1
    if facts.amount > config.hold_above:
        reasons.append("very_large_amount")
        raise_to("step_up")
        hold_minutes = max(hold_minutes, config.very_large_minutes)
    elif facts.amount >= config.step_up_at * multiplier:
        reasons.append("large_amount")
        raise_to("step_up")
    elif facts.amount >= config.confirm_at * multiplier:
        reasons.append("large_amount")
        raise_to("confirm")

    new_payee = facts.kind != "bill" and facts.payee_is_new
    if new_payee:
        reasons.append("new_payee")
        raise_to("confirm")
        if facts.amount >= config.new_payee_hold_from:
            hold_minutes = max(hold_minutes, config.new_payee_minutes)
    if facts.local_hour in config.unusual_hours:
        reasons.append("unusual_time")
        raise_to("confirm")
    if facts.recent_payments >= config.rapid_repeat_count:
        reasons.append("rapid_repeats")
        raise_to("confirm")
    if facts.duplicate:
        reasons.append("possible_duplicate")
        raise_to("confirm")
    if hold_minutes:
        raise_to("hold")

    requires: list[str] = []
    if DECISION_RANK[decision] >= DECISION_RANK["confirm"]:
        requires.append("acknowledge")
    wants_purpose = facts.kind != "bill" and (new_payee or facts.amount >= config.purpose_at * multiplier)
    if wants_purpose and facts.purpose is None:
        requires.append("purpose")
    if decision == "step_up":
        requires.append("verification_code")
    return RiskDecision(decision, tuple(reasons), tuple(requires), hold_minutes)
