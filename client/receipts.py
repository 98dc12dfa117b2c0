"""What a receipt says, line by line, in the customer's language (shown, printed, read aloud),
and how a printed line is broken."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from client.bank_contact import hotline_words
from client.i18n import Translator
from client.models import Receipt
from client.money import format_amount

NO_BREAK_SPACE = "\u00a0"
WORD_JOINER = "\u2060"  # never break here (between the characters of 上午10:45); not printed


@dataclass(frozen=True)
class ReceiptField:
    """One line of a receipt. The value comes in pieces that are never broken across two printed
    lines (a date, a time, an amount, a reference); a line may break between pieces."""

    key: str
    label: str
    pieces: tuple[str, ...]

    @property
    def value(self) -> str:
        return " ".join(self.pieces)


def bill_month(period: str, t: Translator) -> str:
    """'2026-11' -> '2026年11月' or 'November 2026'."""
    year, month = (int(part) for part in period.split("-")[:2])
    return t.month(date(year, month, 1))


def receipt_fields(receipt: Receipt, t: Translator) -> list[ReceiptField]:
    payment = receipt.payment
    when = payment.completed_at or payment.created_at
    is_bill = receipt.bill_customer_number is not None
    to: tuple[str, ...] = (receipt.to_name_in(t.language),)
    if receipt.to_last4 and not is_bill:  # a bill's number is printed whole below
        to += (t("receipt.ending", last4=receipt.to_last4),)
    fields = [
        ReceiptField("what", t("receipt.line.what"), (t(f"receipt.what.{payment.kind}"),)),
        ReceiptField("to", t("receipt.line.to"), to),
    ]
    if is_bill:
        fields.append(
            ReceiptField("customer_number", t("receipt.line.customer_number"), (receipt.bill_customer_number or "",))
        )
        if receipt.bill_period:
            fields.append(
                ReceiptField("bill_month", t("receipt.line.bill_month"), (bill_month(receipt.bill_period, t),))
            )
    fields += [
        ReceiptField("amount", t("receipt.line.amount"), (format_amount(payment.amount_minor, t.language),)),
        ReceiptField(
            "from",
            t("receipt.line.from"),
            (receipt.from_account_name_in(t.language), t("receipt.ending", last4=receipt.from_account_last4)),
        ),
        ReceiptField("date", t("receipt.line.date"), (t.date(when), t.time(when))),
        ReceiptField("status", t("receipt.line.status"), (t(f"receipt.status.{payment.status}"),)),
    ]
    if payment.status == "held" and payment.hold_until is not None:
        fields.append(
            ReceiptField("arrives", t("receipt.line.arrives"), (t.date(payment.hold_until), t.time(payment.hold_until)))
        )
    fields.append(ReceiptField("reference", t("receipt.line.reference"), (receipt.reference,)))
    return fields


def receipt_lines(receipt: Receipt, t: Translator) -> list[tuple[str, str]]:
    return [(field.label, field.value) for field in receipt_fields(receipt, t)]


def unbroken(text: str) -> str:
    """``text`` that a printed line never breaks, though it has Chinese characters (上午10:45)."""
    return WORD_JOINER.join(text.replace(" ", NO_BREAK_SPACE))


def receipt_notes(receipt: Receipt, t: Translator) -> list[str]:
    """The sentences under the lines: whether it can still be cancelled, and where to ask."""
    payment = receipt.payment
    notes = []
    if payment.status == "held" and payment.cancellable and payment.hold_until is not None:
        until = payment.hold_until
        # The date stays whole on paper: its own spaces do not break.
        when = t("result.when", date=t.date(until).replace(" ", NO_BREAK_SPACE), time=unbroken(t.time(until)))
        notes.append(t("receipt.held_note", when=when, **hotline_words()))
    notes.append(t("receipt.footer", **hotline_words()))
    return notes


# --- breaking printed lines --------------------------------------------------------------------
#
# A printed line breaks at a space, or between two Chinese characters; never inside a word, a
# number, a date or a reference, never before a closing mark (，。」）) or after an opening one.
CLOSING_MARKS = set("，。、：；！？）」』》〉”’,.:;!?)")
OPENING_MARKS = set("（「『《〈“‘(")


@dataclass(frozen=True)
class _Unit:
    text: str
    space_before: bool


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    for word in text.split(" "):
        if not word:
            continue
        pieces: list[str] = []
        for char in word:
            previous = pieces[-1][-1] if pieces else ""
            between_wide = _is_wide(char) and _is_wide(previous)
            breaks = (
                (
                    between_wide
                    or (_is_wide(previous) and previous in CLOSING_MARKS)
                    or (_is_wide(char) and char in OPENING_MARKS)
                )
                and char not in CLOSING_MARKS
                and previous not in OPENING_MARKS
                and WORD_JOINER not in (char, previous)
            )
            if pieces and not breaks:
                pieces[-1] += char
            else:
                pieces.append(char)
        units += [_Unit(piece, i == 0 and bool(units)) for i, piece in enumerate(pieces)]
    return units


def wrap(pieces: Sequence[str], fits: Callable[[str], bool]) -> list[str]:
    """Printed lines for ``pieces`` (each kept whole when it fits on a line by itself)."""
    units: list[_Unit] = []
    for piece in pieces:
        piece_units = [_Unit(piece, bool(units))] if fits(piece) else _units(piece)
        if piece_units and units:
            piece_units[0] = _Unit(piece_units[0].text, True)
        units += piece_units
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{' ' if unit.space_before and current else ''}{unit.text}"
        if not current or fits(candidate):
            current = candidate
        else:
            lines.append(current)
            current = unit.text
    if current:
        lines.append(current)
    return [line.replace(NO_BREAK_SPACE, " ").replace(WORD_JOINER, "") for line in lines]
