"""Payment QR codes for the kiosk: the modules to paint, and plain words for a code that cannot be paid.

The codec itself is :mod:`emvqr` (shared with the mock bank); this package adds what the kiosk needs
around it. ``python -m client.qr`` is its command line (:mod:`client.qr.cli`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emvqr import PayloadError

if TYPE_CHECKING:
    import qrcode

BORDER = 4  # modules of quiet zone around the code: what the QR standard asks for, so scanners find it

# The codec's stable codes, each with its own text in the catalogs (qr.error.<code>).
ERROR_CODES = (
    "checksum_mismatch",
    "truncated",
    "malformed",
    "not_a_payment_code",
    "other_network",
    "wrong_currency",
    "bad_amount",
    "field_too_long",
)


def make_code(payload: str) -> qrcode.QRCode:
    """The QR code of ``payload``, its version as small as the text allows (error correction M: about
    15% of the code may be smudged or covered and it still reads)."""
    import qrcode  # here, not at the top: reading a scanned code (client.qr.scan) needs no drawing

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=BORDER)
    code.add_data(payload)  # text goes in as UTF-8 bytes, so Chinese names survive
    code.make(fit=True)
    return code


def matrix(payload: str) -> list[list[bool]]:
    """The modules of ``payload``'s QR code, row by row, quiet zone included: True is a dark module."""
    return [list(row) for row in make_code(payload).get_matrix()]


def explain_key(error: PayloadError) -> str:
    """The catalog key of the plain-language text for a code the kiosk cannot pay."""
    code = error.code if error.code in ERROR_CODES else "malformed"
    return f"qr.error.{code}"
