"""A printed receipt is the customer's alone: 0600 while they are here, gone when they leave."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from tests.e2e.conftest import KioskDriver


def print_a_bill_receipt(driver: KioskDriver) -> Path:
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    driver.type("1234567890")
    driver.enter()
    driver.wait_for("bill_found")
    driver.activate("billContinue")
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("result")
    driver.activate("resultReceipt")
    driver.wait_for("receipt")
    driver.activate("receiptSavePdf")
    path = driver.window.screens["receipt"].saved_path
    assert path is not None and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # readable by the kiosk's user alone
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    return path


def test_a_printed_receipt_is_private_complete_and_gone_after_sign_out(driver: KioskDriver) -> None:
    path = print_a_bill_receipt(driver)
    text = " ".join(PdfReader(path).pages[0].extract_text().splitlines())
    assert "1234567890" in text  # the bill's customer number, whole
    assert "Bill payment" in text and "State Grid" in text
    driver.activate("receiptDone")
    driver.wait_for("home")
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    assert not path.exists() and driver.window.receipt_files.files() == []


def test_a_printed_receipt_is_gone_after_a_time_out(driver: KioskDriver) -> None:
    window = driver.window
    window.settings = replace(window.settings, idle_seconds=1, warning_seconds=20)
    window.countdown_timer.setInterval(5)  # the real countdown, run fast
    path = print_a_bill_receipt(driver)
    window.idle_timer.start(1)  # the customer walks away
    driver.qtbot.waitUntil(window.idle_panel.isVisible, timeout=3000)
    driver.qtbot.waitUntil(lambda: window.current_id == "welcome", timeout=5000)
    assert not path.exists() and window.receipt_files.files() == []
