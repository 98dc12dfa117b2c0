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
SCAM_PURPOSES = frozenset({"safe_account", "prize_or_refund"})

# Follow-up questions for the answers scams hide behind (UK banks' "purpose" questions): a coached
# victim says "my own other account", "an investment", "buying something", "family"; these ask
# what the script leaves out. Asked in this order, one at a time, each a yes-or-no question.
FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "own_account": ("someone_asked", "in_your_name"),
    "investment": ("met_online", "high_returns"),
    "bills_goods": ("only_online",),
    "family_friends": ("new_number",),
}
FOLLOW_UP_QUESTIONS = tuple(dict.fromkeys(q for questions in FOLLOW_UPS.values() for q in questions))
# (answer, question, yes or no) that match a scammer's script, and the script: the payment is stopped.
SCAM_FOLLOW_UP_ANSWERS: dict[tuple[str, str, bool], str] = {
    ("own_account", "someone_asked", True): "safe_account",
    ("own_account", "in_your_name", False): "safe_account",
    ("investment", "met_online", True): "investment",
    ("investment", "high_returns", True): "investment",
    ("bills_goods", "only_online", True): "buying_online",
    ("family_friends", "new_number", True): "new_number",
}
# Every script a stop can be written for (details.script of a purpose_scam_script block).
SCAM_SCRIPTS = tuple(sorted(SCAM_PURPOSES | set(SCAM_FOLLOW_UP_ANSWERS.values())))


def follow_up_script(purpose: str, answers: dict[str, bool]) -> str | None:
    """The scammer's script the answers to the follow-up questions give away, or None."""
    for question in FOLLOW_UPS.get(purpose, ()):
        if question in answers and (purpose, question, answers[question]) in SCAM_FOLLOW_UP_ANSWERS:
            return SCAM_FOLLOW_UP_ANSWERS[(purpose, question, answers[question])]
    return None


def next_follow_up(purpose: str, answers: dict[str, bool]) -> str | None:
    """The next follow-up question the bank asks about this answer, or None when none is left."""
    return next((q for q in FOLLOW_UPS.get(purpose, ()) if q not in answers), None)


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
    payee_is_new: bool  # saved recently and no payment to them has arrived yet (transfers and requests only)
    payments_to_payee: int  # earlier payments that arrived at the same destination (counted up to min_payments)
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

    familiar = facts.payments_to_payee >= config.min_payments
    multiplier = config.threshold_multiplier if familiar else 1
    new_payee = facts.kind != "bill" and facts.payee_is_new
    flags = [*_amount_flags(facts, config, multiplier), *_context_flags(facts, config, new_payee)]
    hold_minutes = _hold_minutes(facts, config, new_payee)
    levels = [level for _, level in flags] + (["hold"] if hold_minutes else [])
    decision = max(levels, key=DECISION_RANK.__getitem__, default="allow")
    requires = _requirements(facts, config, decision, new_payee, multiplier)
    return RiskDecision(decision, tuple(reason for reason, _ in flags), requires, hold_minutes)


def _amount_flags(facts: PaymentFacts, config: RiskConfig, multiplier: int) -> list[tuple[str, str]]:
    """(reason, decision) for the amount; a familiar payee's thresholds are multiplied."""
    if facts.amount > config.hold_above:
        return [("very_large_amount", "step_up")]
    if facts.amount >= config.step_up_at * multiplier:
        return [("large_amount", "step_up")]
    if facts.amount >= config.confirm_at * multiplier:
        return [("large_amount", "confirm")]
    return []


def _context_flags(facts: PaymentFacts, config: RiskConfig, new_payee: bool) -> list[tuple[str, str]]:
    """(reason, decision) for who, when and how often: each one asks the customer to confirm."""
    found = {
        "new_payee": new_payee,
        "unusual_time": facts.local_hour in config.unusual_hours,
        "rapid_repeats": facts.recent_payments >= config.rapid_repeat_count,
        "possible_duplicate": facts.duplicate,
    }
    return [(reason, "confirm") for reason, present in found.items() if present]


def _hold_minutes(facts: PaymentFacts, config: RiskConfig, new_payee: bool) -> int:
    very_large = config.very_large_minutes if facts.amount > config.hold_above else 0
    new_and_sizeable = new_payee and facts.amount >= config.new_payee_hold_from
    return max(very_large, config.new_payee_minutes if new_and_sizeable else 0)


def _requirements(
    facts: PaymentFacts, config: RiskConfig, decision: str, new_payee: bool, multiplier: int
) -> tuple[str, ...]:
    """What the customer still has to give before the payment runs."""
    requires: list[str] = []
    if DECISION_RANK[decision] >= DECISION_RANK["confirm"]:
        requires.append("acknowledge")
    wants_purpose = facts.kind != "bill" and (new_payee or facts.amount >= config.purpose_at * multiplier)
    # An answer given in advance stands, but one that scams hide behind still needs its follow-ups.
    if wants_purpose and (facts.purpose is None or facts.purpose in FOLLOW_UPS):
        requires.append("purpose")
    if decision == "step_up":
        requires.append("verification_code")
    return tuple(requires)
