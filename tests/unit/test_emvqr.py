"""The EMVCo payment-code codec: round trips, the published example, and every odd payload refused."""

from __future__ import annotations

import contextlib
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from client.qr import ERROR_CODES
from emvqr import PayloadError, PaymentCode, crc16, decode, encode, parse_tlv

# EMVCo's published example (MPM specification): its CRC is A13A over UTF-8, lengths in characters.
EMVCO_EXAMPLE = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914"
    "BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A6008"
    "6670902ME91320016A0112233449988770708123456786304A13A"
)
LI_MEI = PaymentCode(
    account_number="6222020000001234", name="LI MEI", local_name="李梅", amount_minor=50_000, reference="req_1"
)

ASCII_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .-*/&", min_size=1, max_size=25)
CHINESE_NAME = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=25)
# The parsers meet text from scanners: the refusal properties run 500 examples, as the other parsers'
# fuzz does (tests/unit/test_input_fuzz.py); no deadline, for a machine shared with other work.
MANY = settings(max_examples=500, deadline=None)
SOME = settings(deadline=None)
PAYMENT_CODES = st.builds(
    PaymentCode,
    account_number=st.text(alphabet=string.digits, min_size=12, max_size=19),
    name=ASCII_TEXT,
    local_name=st.none() | CHINESE_NAME | ASCII_TEXT,
    amount_minor=st.none() | st.integers(min_value=1, max_value=999_999_999_999),
    reference=st.just("") | ASCII_TEXT,
    city=st.sampled_from(["BEIJING", "SHANGHAI", "GUANGZHOU", "HONG KONG"]),
)


def test_the_crc_is_ccitt_false() -> None:
    assert crc16("123456789") == "29B1"  # the catalogue check value of CRC-16/CCITT-FALSE


def test_the_published_emvco_example_checks_out() -> None:
    assert crc16(EMVCO_EXAMPLE[:-4]) == "A13A"
    fields = parse_tlv(EMVCO_EXAMPLE)
    assert fields[0] == ("00", "01")
    assert ("64", "0002ZH0104最佳运输0202北京") in fields  # lengths count characters, not bytes
    assert fields[-1] == ("63", "A13A")
    # Valid EMVCo, but its account templates belong to another scheme: not ours to pay.
    with pytest.raises(PayloadError) as refused:
        decode(EMVCO_EXAMPLE)
    assert refused.value.code == "other_network"


def test_a_payment_code_encodes_as_emvco_fields() -> None:
    payload = encode(LI_MEI)
    assert dict(parse_tlv(payload)) == {
        "00": "01",
        "01": "12",
        "26": "0010CN.CALMPAY01166222020000001234",
        "52": "0000",
        "53": "156",
        "54": "500.00",
        "58": "CN",
        "59": "LI MEI",
        "60": "BEIJING",
        "62": "0505req_1",
        "64": "0002ZH0102李梅",
        "63": crc16(payload[:-4]),
    }
    assert payload.endswith("6304" + crc16(payload[:-4]))


def test_a_code_without_amount_is_static() -> None:
    payload = encode(PaymentCode(account_number="6222020000001234", name="LI MEI"))
    fields = dict(parse_tlv(payload))
    assert fields["01"] == "11"
    assert "54" not in fields and "62" not in fields and "64" not in fields
    assert decode(payload).amount_minor is None


@SOME
@given(PAYMENT_CODES)
@example(LI_MEI)
@example(PaymentCode(account_number="6222020000001234", name="A", amount_minor=1))
@example(PaymentCode(account_number="6222020000001234", name="A", amount_minor=999_999_999))
def test_every_valid_payment_code_round_trips(code: PaymentCode) -> None:
    payload = encode(code)
    assert decode(payload) == code
    assert decode(payload + "\r\n") == code  # what a keyboard-wedge scanner adds at the end


@pytest.mark.parametrize("count", range(len(encode(LI_MEI))))
def test_every_truncation_is_refused(count: int) -> None:
    with pytest.raises(PayloadError) as refused:
        decode(encode(LI_MEI)[:count])
    assert refused.value.code in {"truncated", "not_a_payment_code", "malformed", "checksum_mismatch"}


def test_a_code_cut_inside_a_field_is_truncated() -> None:
    payload = encode(LI_MEI)
    for count in (4, 30, len(payload) - 1, len(payload) - 8):
        with pytest.raises(PayloadError) as refused:
            decode(payload[:count])
        assert refused.value.code == "truncated", count


@pytest.mark.parametrize("position", [10, 40, 60, 90])
def test_a_tampered_code_fails_its_checksum(position: int) -> None:
    payload = encode(LI_MEI)
    swapped = "7" if payload[position] != "7" else "8"
    tampered = payload[:position] + swapped + payload[position + 1 :]
    with pytest.raises(PayloadError) as refused:
        decode(tampered)
    assert refused.value.code in {"checksum_mismatch", "malformed", "truncated"}


def test_a_changed_amount_fails_its_checksum() -> None:
    tampered = encode(LI_MEI).replace("5406500.00", "5406900.00")
    with pytest.raises(PayloadError) as refused:
        decode(tampered)
    assert refused.value.code == "checksum_mismatch"


def test_a_wrong_crc_value_fails() -> None:
    payload = encode(LI_MEI)
    wrong = "0000" if not payload.endswith("0000") else "FFFF"
    with pytest.raises(PayloadError) as refused:
        decode(payload[:-4] + wrong)
    assert refused.value.code == "checksum_mismatch"


def test_a_lower_case_crc_is_accepted() -> None:
    payload = encode(LI_MEI)
    assert decode(payload[:-4] + payload[-4:].lower()) == LI_MEI


def _signed(body: str) -> str:
    """A payload with this body and a correct CRC, for codes that are well formed but not ours."""
    return body + "6304" + crc16(body + "6304")


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


ACCOUNT = _tlv("26", _tlv("00", "CN.CALMPAY") + _tlv("01", "6222020000001234"))
HEAD = "000201" + "010211"
TAIL = "5802CN" + "5902LI" + "6007BEIJING"


def _code(*, account: str = ACCOUNT, currency: str = "156", amount: str | None = None, tail: str = TAIL) -> str:
    amount_field = _tlv("54", amount) if amount is not None else ""
    return _signed(HEAD + account + "52040000" + _tlv("53", currency) + amount_field + tail)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("https://example.com/pay?to=li-mei", "not_a_payment_code"),
        ("wxp://f2f0abcdefghijklmnop", "not_a_payment_code"),
        ("calmpay:pay?request=req_123", "not_a_payment_code"),
        ("Hello, this is plain text", "not_a_payment_code"),
        ("", "not_a_payment_code"),
        ("   \n", "not_a_payment_code"),
        (" " + encode(LI_MEI), "not_a_payment_code"),
        (EMVCO_EXAMPLE, "other_network"),
        # A known GUID in any account template (26-51) is paid; unknown GUIDs and card schemes' IDs are not.
        (_code(account=_tlv("26", _tlv("00", "CN.OTHERPAY") + _tlv("01", "12345"))), "other_network"),
        (_code(account=_tlv("02", "4123456789012345")), "other_network"),
        (_code(currency="840"), "wrong_currency"),
        (_code(amount="1.2."), "bad_amount"),
        (_code(amount="-1.0"), "bad_amount"),
        (_code(amount="0.00"), "bad_amount"),
        (_code(amount="1.234"), "bad_amount"),
        (_code(amount="١٢"), "bad_amount"),  # digits, but not ASCII ones
        (_code(tail="5802CN" + _tlv("59", "X" * 26) + "6007BEIJING"), "field_too_long"),
        (_code(tail="5802CN" + "5902LI" + _tlv("60", "X" * 16)), "field_too_long"),
        (_code(tail="5802CN" + "6007BEIJING"), "malformed"),  # no name
        (_code(tail="5802CN" + "5900" + "6007BEIJING"), "malformed"),  # an empty name
        (_code(account=""), "malformed"),  # no account
        (_code(account=ACCOUNT + ACCOUNT), "malformed"),  # a field twice
        (_code(account=_tlv("26", _tlv("00", "CN.CALMPAY"))), "malformed"),  # our scheme, no account number
        (_code(account=_tlv("26", "0010CN.CALMPAY01")), "malformed"),  # its inner fields do not fit
        (_code(tail=TAIL + _tlv("62", "0530abc")), "malformed"),
        (_code(tail=TAIL + _tlv("62", _tlv("05", "R" * 26))), "field_too_long"),
        (HEAD + ACCOUNT + "6304ABCD" + "5802CN", "malformed"),  # the checksum is not last
        (HEAD + ACCOUNT + "6304GGGG", "malformed"),
        (HEAD + ACCOUNT + "52040000530315658" + "02CN5902LI6007BEIJING", "truncated"),  # no checksum
        ("000201" + "01xx11" + ACCOUNT, "malformed"),  # a length that is not digits
        ("000201" + "01٣٤11" + ACCOUNT, "malformed"),  # digits, but not ASCII ones
        (HEAD.replace("11", "13") + ACCOUNT + "52040000530315658" + "02CN5902LI6007BEIJING", "truncated"),
        (_signed("000201" + "010213" + ACCOUNT + "52040000530315658" + "02CN5902LI6007BEIJING"), "malformed"),
        # A byte that is not UTF-8, as a command line's argument carries it (a lone surrogate), inside the name.
        (HEAD + ACCOUNT + "5204000053031565802CN" + "5902L\udcff" + "6007BEIJING" + "6304ABCD", "malformed"),
    ],
)
def test_foreign_and_broken_codes_are_refused_with_the_right_code(payload: str, code: str) -> None:
    with pytest.raises(PayloadError) as refused:
        decode(payload)
    assert refused.value.code == code
    assert str(refused.value)  # a message for developers


@MANY
@given(st.text())
@example("000201")
@example("0002010102")
@example("00020101021126")
@example("000201010211269900")
def test_any_text_is_decoded_or_refused_never_a_crash(text: str) -> None:
    try:
        decode(text)
    except PayloadError as error:
        assert error.code in ERROR_CODES  # each has its words for the customer (client.qr)


@MANY
@given(st.text(alphabet="0123456789ABCDEF.CNY 中", max_size=120))
def test_any_digit_soup_after_the_header_is_refused_never_a_crash(tail: str) -> None:
    for payload in ("000201" + tail, _signed("000201" + tail)):
        with contextlib.suppress(PayloadError):
            decode(payload)


@SOME
@given(PAYMENT_CODES, st.data())
def test_any_single_character_change_is_refused_or_decodes_to_a_code(code: PaymentCode, data: st.DataObject) -> None:
    payload = encode(code)
    position = data.draw(st.integers(min_value=0, max_value=len(payload) - 1))
    replacement = data.draw(st.characters(max_codepoint=127))
    changed = payload[:position] + replacement + payload[position + 1 :]
    try:
        decoded = decode(changed)
    except PayloadError:
        return
    # A CRC-16 catches every change of one byte in the body; only the CRC's own case may differ.
    assert decoded == code


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (PaymentCode(account_number="62220200000012a4", name="LI MEI"), "malformed"),
        (PaymentCode(account_number="6222020000001234", name="李梅"), "malformed"),
        (PaymentCode(account_number="6222020000001234", name="X" * 26), "field_too_long"),
        (PaymentCode(account_number="6222020000001234", name="LI MEI", local_name="李" * 26), "field_too_long"),
        (PaymentCode(account_number="6222020000001234", name="LI MEI", reference="r" * 26), "field_too_long"),
        (PaymentCode(account_number="6222020000001234", name="LI MEI", amount_minor=0), "bad_amount"),
        (PaymentCode(account_number="6222020000001234", name="LI MEI", amount_minor=10**12), "bad_amount"),
        (PaymentCode(account_number="6222020000001234", name=""), "field_too_long"),
    ],
)
def test_encode_refuses_what_no_payload_can_carry(code: PaymentCode, error: str) -> None:
    with pytest.raises(PayloadError) as refused:
        encode(code)
    assert refused.value.code == error
