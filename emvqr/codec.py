"""Encoding and decoding of EMVCo merchant-presented-mode payloads (tag-length-value, CRC in tag 63)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The merchant account template our bank writes, and the globally unique ids of the account
# templates (IDs 26-51) this kiosk can pay. A code whose only templates belong to other schemes is
# valid EMVCo, but not ours to pay: "other_network".
CALMPAY_TEMPLATE = "26"
CALMPAY_GUID = "CN.CALMPAY"
PAYABLE_GUIDS = frozenset({CALMPAY_GUID})
ACCOUNT_TEMPLATE_IDS = frozenset(f"{n:02d}" for n in range(26, 52))
ANY_ACCOUNT_IDS = frozenset(f"{n:02d}" for n in range(2, 52))  # 02-25 are the card schemes' own

FORMAT_INDICATOR = "01"
STATIC, DYNAMIC = "11", "12"  # point of initiation: no amount / with an amount
CNY = "156"
CRC_FIELD = "6304"
MAX_NAME = 25
MAX_CITY = 15
MAX_REFERENCE = 25
MAX_ACCOUNT = 34  # an IBAN's longest; our numbers have 12-19 digits
MAX_AMOUNT_TEXT = 13  # EMVCo's tag 54: up to 13 characters, "9999999999.99"
REQUIRED_TAGS = ("52", "53", "58", "59", "60")

_DIGITS = re.compile(r"[0-9]+")
_AMOUNT = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]{0,2}))?")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")


class PayloadError(ValueError):
    """A payload that is not a payment code this kiosk can pay; ``code`` says why, for the texts."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PaymentCode:
    account_number: str  # digits, the payee's account (in our merchant-account template)
    name: str  # tag 59, ASCII (EMVCo "ans"), at most 25 characters, e.g. "LI MEI"
    local_name: str | None = None  # tag 64, the language template (00 "ZH", 01 the name), e.g. "李梅"
    amount_minor: int | None = None  # tag 54 ("500.00"); None: the payer types the amount
    reference: str = ""  # tag 62 sub-tag 05 (reference label), e.g. a payment request's id
    currency: str = CNY  # tag 53, numeric ISO 4217
    country: str = "CN"  # tag 58
    city: str = "BEIJING"  # tag 60 (required by EMVCo)


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of ``text`` as UTF-8, as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _field(tag: str, value: str) -> str:
    if not value or len(value) > 99:
        raise PayloadError("field_too_long", f"Field {tag} must have 1 to 99 characters, not {len(value)}.")
    return f"{tag}{len(value):02d}{value}"


def _amount_text(amount_minor: int) -> str:
    text = f"{amount_minor // 100}.{amount_minor % 100:02d}"
    if amount_minor <= 0 or len(text) > MAX_AMOUNT_TEXT:
        raise PayloadError("bad_amount", "The amount must be above zero and at most 9999999999.99.")
    return text


def _check_for_encoding(code: PaymentCode) -> None:
    if not _DIGITS.fullmatch(code.account_number) or len(code.account_number) > MAX_ACCOUNT:
        raise PayloadError("malformed", f"The account number must be 1 to {MAX_ACCOUNT} digits.")
    if not code.name.isascii() or not code.name.isprintable():
        raise PayloadError("malformed", "The name (tag 59) must be printable ASCII; put others in local_name.")
    too_long = {
        "name": (code.name, MAX_NAME),
        "city": (code.city, MAX_CITY),
        "reference": (code.reference, MAX_REFERENCE),
    }
    if code.local_name is not None:
        too_long["local_name"] = (code.local_name, MAX_NAME)
    for what, (value, most) in too_long.items():
        if len(value) > most:
            raise PayloadError("field_too_long", f"The {what} has {len(value)} characters; at most {most} fit.")
    if not re.fullmatch(r"[0-9]{3}", code.currency) or not re.fullmatch(r"[A-Z]{2}", code.country):
        raise PayloadError("malformed", "The currency must be 3 digits (ISO 4217) and the country 2 letters.")


def encode(code: PaymentCode) -> str:
    """The full payload of ``code``, CRC included."""
    _check_for_encoding(code)
    account = _field("00", CALMPAY_GUID) + _field("01", code.account_number)
    fields = [
        _field("00", FORMAT_INDICATOR),
        _field("01", STATIC if code.amount_minor is None else DYNAMIC),
        _field(CALMPAY_TEMPLATE, account),
        _field("52", "0000"),
        _field("53", code.currency),
    ]
    if code.amount_minor is not None:
        fields.append(_field("54", _amount_text(code.amount_minor)))
    fields += [_field("58", code.country), _field("59", code.name), _field("60", code.city)]
    if code.reference:
        fields.append(_field("62", _field("05", code.reference)))
    if code.local_name:
        fields.append(_field("64", _field("00", "ZH") + _field("01", code.local_name)))
    body = "".join(fields) + CRC_FIELD
    return body + crc16(body)


def parse_tlv(payload: str) -> list[tuple[str, str]]:
    """The fields of ``payload`` as (ID, value), in order, without checking what they mean.

    Whitespace a scanner adds at the end is ignored. Raises PayloadError "truncated" when a field
    runs past the end, "malformed" when an ID or a length is not two digits.
    """
    return _split(payload.rstrip())


def _split(text: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4:
            if _DIGITS.fullmatch(header):
                raise PayloadError("truncated", f"The code ends inside a field header at character {position}.")
            raise PayloadError("malformed", f"Stray characters at the end, from character {position}.")
        if not _DIGITS.fullmatch(header):
            raise PayloadError("malformed", f"Expected a 2-digit ID and a 2-digit length at character {position}.")
        tag, length = header[:2], int(header[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) < length:
            raise PayloadError("truncated", f"Field {tag} says {length} characters; only {len(value)} are left.")
        fields.append((tag, value))
        position += 4 + length
    return fields


def decode(payload: str) -> PaymentCode:
    """The payment code in ``payload``; raises PayloadError, with a stable ``code``, for anything else."""
    text = payload.rstrip()
    _check_start(text)
    if not _is_unicode_text(text):
        raise PayloadError("malformed", "The code holds characters that are not valid Unicode text.")
    fields = _split(text)
    _check_crc(text, fields)
    tags = dict(fields)
    if len(tags) != len(fields):
        raise PayloadError("malformed", "A field appears twice.")
    missing = [tag for tag in REQUIRED_TAGS if not tags.get(tag)]
    if missing:
        raise PayloadError("malformed", f"Required fields missing: {', '.join(missing)}.")
    if tags.get("01", STATIC) not in (STATIC, DYNAMIC):
        raise PayloadError("malformed", f"Field 01 (point of initiation) must be 11 or 12, not {tags['01']!r}.")
    account_number = _payable_account(fields)
    if tags["53"] != CNY:
        raise PayloadError("wrong_currency", f"The code is in currency {tags['53']!r}; this kiosk pays 156 (CNY) only.")
    _check_lengths(tags)
    return PaymentCode(
        account_number=account_number,
        name=tags["59"],
        local_name=_sub_fields(tags["64"], "64").get("01") if "64" in tags else None,
        amount_minor=_amount_minor(tags["54"]) if "54" in tags else None,
        reference=_sub_fields(tags["62"], "62").get("05", "") if "62" in tags else "",
        currency=tags["53"],
        country=tags["58"],
        city=tags["60"],
    )


def _is_unicode_text(text: str) -> bool:
    """False for text with a lone surrogate (what undecodable bytes become in a command line's arguments)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_start(text: str) -> None:
    """A payment code starts with "000201": anything else is not one (or is cut short)."""
    start = _field("00", FORMAT_INDICATOR)
    if text.startswith(start):
        return
    if text and start.startswith(text):
        raise PayloadError("truncated", "The code ends before its first field does.")
    raise PayloadError("not_a_payment_code", "This is not an EMVCo payment code (it must start with 000201).")


def _check_crc(text: str, fields: list[tuple[str, str]]) -> None:
    last_tag, last_value = fields[-1]
    if last_tag != "63":
        if "63" in dict(fields):
            raise PayloadError("malformed", "The checksum (field 63) must be the last field.")
        raise PayloadError("truncated", "The code has no checksum (field 63): it was cut short.")
    if not _HEX4.fullmatch(last_value):
        raise PayloadError("malformed", "The checksum (field 63) must be 4 hexadecimal digits.")
    expected = crc16(text[:-4])
    if last_value.upper() != expected:
        raise PayloadError(
            "checksum_mismatch", f"The checksum is {last_value}, but the code's content gives {expected}."
        )


def _sub_fields(value: str, tag: str) -> dict[str, str]:
    try:
        fields = _split(value)
    except PayloadError as error:
        raise PayloadError("malformed", f"Field {tag}'s inner fields do not fit: {error}") from None
    return dict(fields)


def _payable_account(fields: list[tuple[str, str]]) -> str:
    """The account number in the first account template whose scheme this kiosk pays."""
    accounts = [(tag, value) for tag, value in fields if tag in ANY_ACCOUNT_IDS]
    if not accounts:
        raise PayloadError("malformed", "The code has no merchant account field (IDs 02-51).")
    for tag, value in accounts:
        if tag not in ACCOUNT_TEMPLATE_IDS:
            continue
        inner = _sub_fields(value, tag)
        if inner.get("00", "").upper() not in PAYABLE_GUIDS:
            continue
        number = inner.get("01", "")
        if not _DIGITS.fullmatch(number) or len(number) > MAX_ACCOUNT:
            raise PayloadError("malformed", f"Field {tag} has no account number of 1 to {MAX_ACCOUNT} digits.")
        return number
    raise PayloadError("other_network", "The code is for another payment network: no account here can be paid.")


def _check_lengths(tags: dict[str, str]) -> None:
    limits = {"58": 2, "59": MAX_NAME, "60": MAX_CITY}
    for tag, most in limits.items():
        if len(tags[tag]) > most:
            raise PayloadError("field_too_long", f"Field {tag} has {len(tags[tag])} characters; at most {most}.")
    local_name = _sub_fields(tags["64"], "64").get("01") if "64" in tags else None
    reference = _sub_fields(tags["62"], "62").get("05", "") if "62" in tags else ""
    if local_name is not None and len(local_name) > MAX_NAME:
        raise PayloadError("field_too_long", f"The local name has {len(local_name)} characters; at most {MAX_NAME}.")
    if len(reference) > MAX_REFERENCE:
        raise PayloadError("field_too_long", f"The reference has {len(reference)} characters; at most {MAX_REFERENCE}.")


def _amount_minor(text: str) -> int:
    match = _AMOUNT.fullmatch(text)
    if match is None or len(text) > MAX_AMOUNT_TEXT:
        raise PayloadError("bad_amount", f"The amount {text!r} is not a number like 500.00.")
    fraction = (match["fraction"] or "").ljust(2, "0")
    amount = int(match["whole"]) * 100 + int(fraction)
    if amount <= 0:
        raise PayloadError("bad_amount", "The amount must be above zero.")
    return amount
