"""Request and response bodies of the mock API (they make its OpenAPI document)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StringConstraints,
    model_serializer,
    model_validator,
)

from mock_api.risk import FOLLOW_UP_QUESTIONS, PURPOSES

MAX_AMOUNT = 10**12  # 10 billion yuan: far above any limit, keeps integers sane


def _json_integer(value: Any) -> Any:
    """JSON Schema's integer: a number with no fraction, however written (100 or 100.0, never "100" or true)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # then strict: text, booleans and fractions are refused


# After a strict int's Field(...) (before it, pydantic would write "gt" in the schema for "exclusiveMinimum"):
# the number is the integer the schema's "type": "integer" allows.
JSON_INTEGER = BeforeValidator(_json_integer)
Amount = Annotated[int, Field(gt=0, le=MAX_AMOUNT, strict=True, description="Minor units (fen)."), JSON_INTEGER]
# The OpenAPI document says exactly what validation accepts. Texts: the limits apply to the text as
# sent (maxLength), a name needs one visible character (the pattern: not all spaces or control
# separators, which str.strip() also removes), and spaces at either end are then removed, as the
# field descriptions say. Numbers are JSON Schema's: an integer is a number with no fraction (100 or
# 100.0, as JSON Schema counts it), a number is not text, a boolean is true or false and nothing else.
VISIBLE_CHARACTER = r"[^\s\x1c-\x1f]"
Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=VISIBLE_CHARACTER),
    AfterValidator(str.strip),
]
Memo = Annotated[str, StringConstraints(max_length=140), AfterValidator(str.strip)]
STRIPPED = " Spaces at either end are removed."
Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]{12,19}$")]
Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,6}$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Purpose = Literal[PURPOSES]  # type: ignore[valid-type]
FollowUpQuestion = Literal[FOLLOW_UP_QUESTIONS]  # type: ignore[valid-type]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]


def _whole_number_text(value: Any) -> Any:
    """A query parameter's integer as written: digits only (pydantic alone takes "100.0" as 100)."""
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]+", value):
        raise ValueError("must be a whole number written in digits, like 20")
    return value


def _date_time_text(value: Any) -> Any:
    """A date-time as the schema says, text (pydantic alone takes a number as a Unix time)."""
    if not isinstance(value, str | datetime):
        raise ValueError("must be a date and time as text, like 2026-03-11T02:00:00Z")
    return value


# Written after Query(...) in a parameter's Annotated, so FastAPI still documents its minimum and maximum.
WHOLE_NUMBER = BeforeValidator(_whole_number_text)
DateTimeText = Annotated[datetime, BeforeValidator(_date_time_text)]


def names_field(what: str) -> Any:
    """A name as the bank writes it in each script: the field kiosks show in the customer's language."""
    return Field(
        default_factory=dict,
        description=f"{what} in each script the bank has it in, by language (zh-Hans, zh-Hant, en); kiosks"
        " show the one in the customer's language, else the recorded name. Empty when the bank has no other"
        " form (a name a customer typed stays as typed).",
        json_schema_extra={"propertyNames": {"enum": ["zh-Hans", "zh-Hant", "en"]}},
    )


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    type: str
    code: str
    message: str
    param: str | None
    reasons: list[str] = []
    details: dict[str, Any] = {}


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok"]
    version: str


# --- kiosks and sessions ---------------------------------------------------------------


class KioskRegistration(Strict):
    label: Text = Field(description="What the kiosk is called, for staff." + STRIPPED)


class KioskCredentials(BaseModel):
    kiosk_id: str
    device_key: str = Field(description="Shown once. The kiosk keeps it in the OS keyring.")


class SignIn(Strict):
    card_number: Digits
    pin: Pin


class TrustedContact(BaseModel):
    name: str
    names: dict[str, str] = names_field("The contact's name")
    phone_last4: str


class Customer(BaseModel):
    id: str
    name: str
    names: dict[str, str] = names_field("The customer's name")
    language: str
    trusted_contact: TrustedContact | None


class Session(BaseModel):
    token: str
    issued_at: datetime = Field(description="The bank's time at sign-in: what 'now' is for this visit.")
    expires_at: datetime
    customer: Customer


# --- accounts and history -------------------------------------------------------------


class Account(BaseModel):
    id: str
    name: str
    names: dict[str, str] = names_field("The account's name")
    number_last4: str
    currency: str
    balance_minor: int
    held_minor: int = Field(description="Money on its way in held payments that can still be cancelled.")


class Transaction(BaseModel):
    id: int
    at: datetime
    amount_minor: int = Field(description="Positive in, negative out.")
    balance_after_minor: int
    description: str = Field(description="English text for logs and developers; kiosks word it from kind.")
    kind: Literal["opening", "income", "sent", "bill", "held", "refund", "received"]
    counterparty: str = Field(description="Who the money went to (out) or came from (in).")
    counterparty_names: dict[str, str] = names_field("The counterparty")
    biller_id: str | None = None
    payment_id: str | None


class TransactionPage(BaseModel):
    items: list[Transaction]
    next_cursor: int | None
    total: int = Field(description="How many lines the account's history holds in all (for page 2 of 7).")


# --- payees -----------------------------------------------------------------------------


class NameCheckRequest(Strict):
    account_number: Digits
    name: Text = Field(description="The name the customer expects on the account." + STRIPPED)


class NameCheckResult(BaseModel):
    result: Literal["match", "close_match", "no_match", "unavailable"]
    actual_name: str | None
    actual_names: dict[str, str] = names_field("The holder's name, told only on a close match,")
    account_last4: str
    name_check_id: str = Field(
        description="This check, as the bank keeps it: saving the payee (POST /v1/payees) needs it, within"
        " minutes, for the same account number and the name checked (or, on a close match, the holder's name)."
    )


class NewPayee(Strict):
    account_number: Digits
    name: Text = Field(description="The name the customer gives the person." + STRIPPED)
    nickname: Text | None = Field(default=None, description="What the customer calls them." + STRIPPED)
    name_check_id: Id = Field(
        description="The name check this save follows (POST /v1/payees/name-check): the payee's name_check"
        " is that check's result."
    )


class Payee(BaseModel):
    id: str
    name: str
    names: dict[str, str] = names_field("The payee's name")
    nickname: str | None
    nickname_names: dict[str, str] = names_field("The nickname")
    account_last4: str
    name_check: Literal["match", "close_match", "no_match", "unavailable"]
    created_at: datetime
    payments_count: int
    is_new: bool


# --- bills ------------------------------------------------------------------------------


class Biller(BaseModel):
    id: str
    category: Literal["electricity", "water", "gas", "phone"]
    names: dict[str, str]


class BillLookup(Strict):
    biller_id: Id
    customer_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{6,12}$")]


class Bill(BaseModel):
    id: str
    biller_id: str
    customer_number: str
    holder_name: str
    holder_names: dict[str, str] = names_field("The name on the bill")
    amount_minor: int
    period: str = Field(description="The month the bill is for, YYYY-MM.")
    due_date: str = Field(description="The last day to pay, YYYY-MM-DD (the bank's local date).")
    paid: bool


# --- payments ---------------------------------------------------------------------------


TARGETS = ("payee_id", "bill_id", "payment_request_id", "to_account_number")


def _given(field: str) -> dict[str, Any]:
    """JSON Schema for "``field`` is given" (as text: null counts as not given, as in validation)."""
    return {"required": [field], "properties": {field: {"type": "string"}}}


def _given_only_with(field: str, other: str) -> dict[str, Any]:
    return {"anyOf": [{"not": _given(field)}, _given(other)]}


class NewPayment(Strict):
    # The schema says what one_target() below enforces: exactly one of the four targets is given, and
    # to_name is given with to_account_number, and only with it.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [_given(target) for target in TARGETS],
            "allOf": [
                _given_only_with("to_account_number", "to_name"),
                _given_only_with("to_name", "to_account_number"),
            ],
        }
    )

    from_account_id: Id
    amount_minor: Amount
    payee_id: Id | None = None
    bill_id: Id | None = None
    payment_request_id: Id | None = None
    to_account_number: Digits | None = Field(
        default=None,
        description="An account to pay from a scanned payment code (one that is not a payment request of this"
        " bank): looked up in the bank's directory (404 account_not_found if unknown), and judged as a new payee"
        " until money has arrived there. Give to_name with it.",
    )
    to_name: Text | None = Field(
        default=None,
        description="The name the scanned code shows, with to_account_number only. The payment names the"
        " account's holder as the bank knows them." + STRIPPED,
    )
    purpose: Purpose | None = None
    memo: Memo = Field(
        default="", description="A note for the customer's history (a scanned code's reference, say)." + STRIPPED
    )

    @model_validator(mode="after")
    def one_target(self) -> NewPayment:
        targets = [self.payee_id, self.bill_id, self.payment_request_id, self.to_account_number]
        if sum(t is not None for t in targets) != 1:
            raise ValueError("give exactly one of payee_id, bill_id, payment_request_id, to_account_number")
        if self.to_account_number is not None and self.to_name is None:
            raise ValueError("give to_name with to_account_number")
        if self.to_account_number is None and self.to_name is not None:
            raise ValueError("give to_name only with to_account_number")
        return self


class ConfirmPayment(Strict):
    acknowledged: StrictBool = False
    purpose: Purpose | None = None
    verification_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")] | None = None


class PurposeAnswer(Strict):
    purpose: Purpose
    # Yes (true) or no (false) to the follow-up questions the bank asked about this answer
    # (risk.follow_up), all of them so far: each request carries the whole answer.
    answers: dict[FollowUpQuestion, StrictBool] = Field(default_factory=dict)


class Risk(BaseModel):
    decision: Literal["allow", "confirm", "step_up", "hold", "block"]
    reasons: list[str]
    requires: list[Literal["acknowledge", "purpose", "verification_code"]]
    hold_minutes: int
    follow_up: FollowUpQuestion | None = Field(
        default=None,
        description="While 'purpose' is required: the follow-up question the bank asks about the answer given"
        " (present only then).",
    )

    @model_serializer(mode="wrap")
    def _without_empty_follow_up(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """``follow_up`` is there only while the bank asks one: older clients see the risk they know."""
        data = handler(self)
        if data.get("follow_up") is None:
            data.pop("follow_up", None)
        return data


class Payment(BaseModel):
    id: str
    kind: Literal["transfer", "bill", "request"]
    status: Literal["requires_action", "completed", "held", "cancelled", "blocked", "failed"]
    amount_minor: int
    currency: str
    from_account_id: str
    counterparty: str
    counterparty_names: dict[str, str] = names_field("The counterparty")
    memo: str
    purpose: str | None
    risk: Risk
    created_at: datetime
    completed_at: datetime | None
    hold_until: datetime | None
    cancellable: bool
    verification_expires_at: datetime | None


class Receipt(BaseModel):
    reference: str
    payment: Payment
    from_account_name: str
    from_account_names: dict[str, str] = names_field("The account's name")
    from_account_last4: str
    to_name: str
    to_names: dict[str, str] = names_field("Whom the payment is to")
    to_last4: str | None
    # A bill's own numbers, printed whole: the customer number is the biller's, not a bank account.
    bill_period: str | None = None
    bill_customer_number: str | None = None
    issued_at: datetime


class PhoneMessage(BaseModel):
    at: datetime
    text: str


class DemoCard(BaseModel):
    """A demo card a tester can "insert": its number and whose it is (never its PIN)."""

    card_number: str
    name: str
    names: dict[str, str] = names_field("The card holder's name")


# --- usage, preferences, drafts, payment requests ---------------------------------------


class UsageEvent(Strict):
    item: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_:.-]{0,79}$")]
    label: Text = Field(description="The item's label as the customer saw it." + STRIPPED)


class UsageRecord(BaseModel):
    item: str
    label: str
    at: datetime


class Preferences(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="Small JSON object, <= 4 KiB, at most 16 levels deep (else 400 document_too_deep), its text"
        " valid Unicode: no lone surrogate such as \\ud800 (else 400 document_text_invalid).",
    )


class Draft(BaseModel):
    flow: str
    data: dict[str, Any]
    updated_at: datetime
    expires_at: datetime = Field(
        description="updated_at plus the bank's draft_hours (24 by default): after it the draft is gone."
    )


class Handoff(BaseModel):
    """A single-use reference to one draft, to carry on with on the customer's own phone."""

    flow: str
    token: str = Field(description="Secret, single use; the bank keeps only its hash.")
    link: str = Field(description="What the kiosk's QR code carries: the address with the token, no account data.")
    expires_at: datetime


class HandoffClaim(Strict):
    token: str = Field(min_length=1, max_length=200)


class DraftBody(Strict):
    data: dict[str, Any] = Field(
        description="Small JSON object, <= 8 KiB, at most 16 levels deep (else 400 document_too_deep), its text"
        " valid Unicode: no lone surrogate such as \\ud800 (else 400 document_text_invalid). No field named for"
        " a secret (pin, code, verification_code, otp, token, password, at any depth; a qr_code or"
        " currency_code is fine): else 400 draft_holds_secret."
    )


# --- help requests and the staff console ------------------------------------------------

HELP_REASONS = ("asked", "scam_stop", "card_locked", "account_paused", "repeated_errors", "long_hesitation")
HelpReason = Literal[HELP_REASONS]  # type: ignore[valid-type]
HelpOutcome = Literal["solved", "referred", "customer_left"]
HelpStatus = Literal["waiting", "coming", "closed", "cancelled"]
Seconds = Annotated[int, Field(ge=0, le=86_400, strict=True), JSON_INTEGER]
StaffNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]


class NewHelpRequest(Strict):
    """What a kiosk says when it asks staff to come: where the customer is and why. Never an amount, a
    name or a number: a screen and a step are short slugs, and there is no free text."""

    screen: Slug = Field(description="The kiosk's screen id, such as review or staff.")
    step: Slug | None = Field(default=None, description="The task's step under the screen, if any.")
    reason: HelpReason = Field(
        description="asked: the customer asked (Call staff, Help). The others are raised by the kiosk itself:"
        " scam_stop (a payment stopped to protect them), card_locked, account_paused, repeated_errors (three"
        " on one screen), long_hesitation (a long silence on one step)."
    )
    waited_seconds: Seconds = Field(default=0, description="How long the customer had been on this step.")


class StaffMember(BaseModel):
    id: str
    name: str
    names: dict[str, str] = names_field("The staff member's name")


class HelpRequest(BaseModel):
    """A help request as its kiosk sees it."""

    id: str
    status: HelpStatus = Field(
        description="waiting: nobody has answered yet; coming: staff (staff) are on their way; closed: staff"
        " closed it with an outcome; cancelled: the customer said they no longer need help."
    )
    reason: str
    screen: str
    step: str | None
    created_at: datetime
    answered_at: datetime | None
    staff: StaffMember | None = Field(description="Who is coming, once someone answered.")
    staff_on_duty: bool = Field(
        description="Whether any staff member is signed in to a console now. When nobody is, the kiosk gives"
        " the bank's hotline for older customers instead of promising that someone is coming."
    )


class StaffHelpRequest(BaseModel):
    """A help request as the staff console shows it: no amount, name, account or card number."""

    id: str
    kiosk_id: str
    kiosk_label: str
    status: HelpStatus
    reason: str
    screen: str
    step: str | None
    waited_seconds: int = Field(description="How long the customer had been on the step when it was raised.")
    waiting_seconds: int = Field(description="From the request to the answer (or to now, while nobody answered).")
    created_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    staff: StaffMember | None
    outcome: str | None = Field(description="solved, referred, customer_left; cancelled requests: null.")
    customer_known: bool = Field(
        description="Whether the request reaches a customer's account (signed in, or"
        " the card just refused at that kiosk): only then can staff unfreeze it or cancel a held payment."
    )
    account_paused: bool
    held_payments: int


class StaffSignIn(Strict):
    staff_number: StaffNumber
    pin: Pin


class StaffSession(BaseModel):
    token: str = Field(description="Secret; the bank keeps only its hash. For the /v1/staff routes only.")
    expires_at: datetime
    staff: StaffMember


class HelpClose(Strict):
    outcome: HelpOutcome = Field(
        description="solved: solved on the spot; referred: sent on to a counter or another service;"
        " customer_left: the customer had gone."
    )


class StaffPin(Strict):
    """Staff type their PIN again for an action on a customer's account, with the customer there."""

    pin: Pin


class HeldPayment(BaseModel):
    """A held payment staff may cancel with the customer there (who checks it is the one)."""

    id: str
    amount_minor: int
    created_at: datetime
    hold_until: datetime | None


class StaffAction(BaseModel):
    id: int
    staff: StaffMember
    action: Literal["unfreeze", "cancel_held_payment"]
    help_request_id: str | None
    payment_id: str | None
    at: datetime


class HelpMetrics(BaseModel):
    requests: int
    answered: int
    closed: int
    cancelled: int
    solved: int
    referred: int
    customer_left: int
    median_answer_seconds: float | None = Field(description="From a request to staff's \"I'm coming\".")
    median_resolve_seconds: float | None = Field(description="From a request to staff closing it.")
    solved_on_the_spot: float | None = Field(description="Share of closed requests solved on the spot (0 to 1).")
    by_reason: dict[str, int]


class NewPaymentRequest(Strict):
    to_account_id: Id
    amount_minor: Amount | None = None
    note: Memo = Field(default="", description="A note shown to whoever pays." + STRIPPED)


class PaymentRequest(BaseModel):
    id: str
    payee_name: str
    payee_names: dict[str, str] = names_field("The payee's name")
    amount_minor: int | None
    note: str
    status: Literal["open", "paid", "cancelled", "expired"] = Field(
        description="expired: still unpaid at expires_at; it can no longer be paid (409 payment_request_expired)."
    )
    created_at: datetime
    expires_at: datetime | None = Field(
        description="Until when it can be paid (payment_request_minutes after it was made); null for requests"
        " made before requests expired."
    )
    payload: str = Field(
        description="The text to put in the QR code: an EMVCo merchant-presented payment code (tag 26 CN.CALMPAY"
        " with the account number, tag 59 the name in Latin letters, tag 64 the Chinese name, tag 54 the amount"
        " if fixed, tag 62/05 this request's id, tag 63 its CRC)."
    )


# --- admin (testers and researchers) ----------------------------------------------------


class Faults(Strict):
    latency_ms: Annotated[int, Field(ge=0, le=60_000, strict=True), JSON_INTEGER] = 0
    error_rate: Annotated[float, Field(ge=0.0, le=1.0, strict=True)] = 0.0
    drop_response_rate: Annotated[float, Field(ge=0.0, le=1.0, strict=True)] = 0.0
    drop_next_responses: Annotated[int, Field(ge=0, le=1000, strict=True), JSON_INTEGER] = 0


class ClockChange(Strict):
    advance_seconds: Annotated[float, Field(ge=-(10**9), le=10**9, strict=True)] | None = None
    set_to: DateTimeText | None = None


class ClockState(BaseModel):
    now: datetime
    offset_seconds: float


class LedgerSummary(BaseModel):
    total_minor: int = Field(description="Sum of every balance; always 0 (equity carries the rest).")
    customer_total_minor: int
    negative_balances: int
    unbalanced_journals: int
    journals: int


class Notification(BaseModel):
    kind: str
    recipient_name: str
    recipient_phone_last4: str
    text: str
    payment_id: str | None
    at: datetime


class Anomaly(BaseModel):
    id: str
    customer_id: str
    kind: str
    detail: str
    at: datetime
    status: str
