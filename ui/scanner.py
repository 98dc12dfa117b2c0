"""The kiosk's QR scanner as a keyboard wedge: it types what it read, then presses Enter.

A payment code (EMVCo) always begins with "000201". Keys are held back from the screen from the
first "0" for as long as they spell that beginning, and from then on until Enter: the spaces in a
name ("LI MEI") must not press the focused button. Keys that stop spelling it are let through
again, so a customer's own keys (Space on a button, the arrows) work as before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

CODE_START = "000201"
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScanBuffer:
    def __init__(self) -> None:
        self.text = ""

    def clear(self) -> None:
        self.text = ""

    def take(self, event: QKeyEvent) -> tuple[bool, str | None]:
        """(held back, the code read): whether the screen must not see this key, and at Enter after a
        code, the code."""
        if event.key() in ENTER_KEYS:
            read, self.text = self.text, ""
            return (True, read) if read.startswith(CODE_START) else (False, None)
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            return False, None
        typed = event.text()
        if not typed or not typed.isprintable():
            return bool(self.text), None
        candidate = self.text + typed
        if len(candidate) <= len(CODE_START) and not CODE_START.startswith(candidate):
            self.clear()  # not a code: the customer's own key, let through
            return False, None
        self.text = candidate
        return True, None
