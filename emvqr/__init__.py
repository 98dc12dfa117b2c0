"""EMVCo merchant-presented-mode payment codes: the text inside a payment QR code.

A payload is a run of fields, each an ID (2 digits), a length (2 digits, counted in characters) and
a value; the last field, 63, is a CRC-16/CCITT-FALSE over everything before it, "6304" included.
The kiosk (client, ui) and the mock bank both use this package, so it imports none of the app.
"""

from __future__ import annotations

from emvqr.codec import PayloadError, PaymentCode, crc16, decode, encode, parse_tlv

__all__ = ["PayloadError", "PaymentCode", "crc16", "decode", "encode", "parse_tlv"]
