"""``python -m client.qr``: parse and render as a separate process, the images read back by a real decoder (zbar)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from client.i18n import LANGUAGES, Translator
from client.qr import BORDER, ERROR_CODES, explain_key, matrix
from emvqr import PayloadError, PaymentCode, decode, encode

ROOT = Path(__file__).resolve().parents[2]
LI_MEI = PaymentCode(
    account_number="6222020000001234", name="LI MEI", local_name="李梅", amount_minor=50_000, reference="req_0a1b"
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "client.qr", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def zbar(png: Path) -> str:
    """What zbar reads in the image: its --raw output is the payload as UTF-8, then one newline.

    qrcode writes text as UTF-8 bytes without an ECI header; zbar (0.23) takes such bytes as UTF-8
    when they are valid UTF-8, so Chinese names come back as written without -Sbinary (which
    would print the raw bytes, without the newline)."""
    read = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, timeout=60, check=False)
    assert read.returncode == 0, read.stderr
    assert read.stdout.endswith(b"\n")
    return read.stdout[:-1].decode("utf-8")


def test_parse_prints_every_field_with_the_account_masked() -> None:
    done = run_cli("parse", encode(LI_MEI))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "account: ************1234" in lines
    assert "name: LI MEI" in lines
    assert "local name: 李梅" in lines
    assert "amount: 500.00" in lines
    assert "currency: 156" in lines
    assert "reference: req_0a1b" in lines
    assert "city: BEIJING" in lines
    assert LI_MEI.account_number not in done.stdout + done.stderr


def test_parse_takes_what_a_scanner_adds_at_the_end() -> None:
    done = run_cli("parse", encode(PaymentCode(account_number="6222020000005678", name="WANG FANG")) + "\n")
    assert done.returncode == 0, done.stderr
    assert "account: ************5678" in done.stdout.splitlines()
    assert "amount: (the payer types it)" in done.stdout.splitlines()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (encode(LI_MEI)[:-1] + "0", "checksum_mismatch"),
        (encode(LI_MEI)[:50], "truncated"),
        ("wxp://f2f0abcdefghijklmnop", "not_a_payment_code"),
    ],
)
def test_parse_refuses_a_bad_payload_in_one_line_with_exit_2(payload: str, code: str) -> None:
    if payload == encode(LI_MEI):  # the tampered payload must differ from the real one
        pytest.fail("tampering left the payload as it was")
    done = run_cli("parse", payload)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert f"({code})" in done.stderr
    assert "Traceback" not in done.stderr


def test_parse_refuses_bytes_that_are_not_utf8() -> None:
    payload = encode(LI_MEI).encode().replace(b"LI MEI", b"LI ME\xff")  # the shell passes bytes as they are
    done = subprocess.run(
        [sys.executable, "-m", "client.qr", "parse", payload], capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    assert done.returncode == 2
    assert b"(malformed)" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    "code",
    [
        LI_MEI,
        PaymentCode(account_number="6222020000005678", name="WANG FANG"),
        PaymentCode(account_number="6222020000009012", name="OUYANG NANA", local_name="欧阳娜娜", amount_minor=1),
        PaymentCode(
            account_number="6222020000003456", name="CHAN TAI MAN", local_name="陳大文", amount_minor=99_999_999
        ),
    ],
)
def test_render_writes_a_png_that_zbar_reads_back_as_the_payload(code: PaymentCode, tmp_path: Path) -> None:
    payload = encode(code)
    png = tmp_path / "code.png"
    done = run_cli("render", payload, "--png", str(png))
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert zbar(png) == payload
    assert decode(zbar(png)) == code


def test_render_refuses_a_bad_payload_and_writes_nothing(tmp_path: Path) -> None:
    png = tmp_path / "code.png"
    done = run_cli("render", "https://example.com/pay", "--png", str(png))
    assert done.returncode == 2
    assert "(not_a_payment_code)" in done.stderr
    assert not png.exists()


def test_the_matrix_is_the_code_with_its_quiet_zone() -> None:
    modules = matrix(encode(LI_MEI))
    size = len(modules)
    assert all(len(row) == size for row in modules)
    assert (size - 2 * BORDER - 17) % 4 == 0  # a QR version's side: 21, 25, 29 … modules
    quiet = modules[:BORDER] + modules[-BORDER:] + [row[:BORDER] + row[-BORDER:] for row in modules]
    assert not any(any(row) for row in quiet)
    # The finder pattern's top-left corner: a dark 7-module square outline.
    assert all(modules[BORDER][BORDER : BORDER + 7])
    modules[0][0] = True  # rows are the caller's own: painting on one changes no other
    assert not any(modules[1])


def test_the_matrix_is_the_image_zbar_reads(tmp_path: Path) -> None:
    """The matrix the kiosk paints, drawn pixel for pixel, reads back as the payload too."""
    import png as pypng  # the PNG writer qrcode's png extra brings

    payload = encode(LI_MEI)
    scale = 4
    rows = [[0 if dark else 1 for dark in row for _ in range(scale)] for row in matrix(payload) for _ in range(scale)]
    path = tmp_path / "painted.png"
    with path.open("wb") as file:
        pypng.Writer(len(rows[0]), len(rows), greyscale=True, bitdepth=1).write(file, rows)
    assert zbar(path) == payload


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_refusal_has_plain_words_in_every_language(code: str) -> None:
    key = explain_key(PayloadError(code, "developer message"))
    assert key == f"qr.error.{code}"
    for language in LANGUAGES:
        assert Translator(language).has(key), (language, key)


def test_an_unknown_refusal_reads_as_malformed() -> None:
    assert explain_key(PayloadError("something_new", "developer message")) == "qr.error.malformed"


def test_reading_a_scan_does_not_load_the_qr_drawing() -> None:
    """Home reads scanned codes from the first screen on: that must not cost the start-up the QR library."""
    code = "import sys, client.qr.scan; print('qrcode' in sys.modules)"
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.stdout.strip() == "False", done.stderr
