"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 on Python 3.11 gives back a reference to None it never took, on every Qt
call that returns None; after enough calls the interpreter aborts mid-session (we saw it
while rendering screenshots). pyproject.toml keeps that release out; this test tells us if
a future one has the same defect.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot


def test_qt_calls_that_return_none_keep_none_alive(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    caption = QLabel(parent)
    before = sys.getrefcount(None)
    for _ in range(500):
        caption.property("missing")
        caption.buddy()
        parent.findChild(QLineEdit, "missing")
        parent.parentWidget()
    assert abs(sys.getrefcount(None) - before) < 50
