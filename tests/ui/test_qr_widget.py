"""The QR code widget: crisp whole-pixel modules, a quiet zone, black on white in every theme, and
a real decoder (zbar) reads what it paints, also at the smallest module size."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from ui.qr_widget import MIN_MODULE_PX, QUIET_MODULES, QrCode, qr_matrix

# As long as an EMVCo merchant-presented code with a name, an amount and a reference.
LONG_PAYLOAD = (
    "00020101021226480009CN.CALMPAY0116acc_wangfang_cur0210req_7f3a9c1d5204000053031565405"
    "88.005802CN5913Wang Fang 王芳6007Beijing62200516req_7f3a9c1d5b2e6304ABCD"
)


def zbar(path: Path) -> str:
    found = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True)
    return found.stdout.rstrip("\n")


@pytest.mark.parametrize("side", [None, 333, 900])
@pytest.mark.parametrize("payload", ["calmpay:pay?request=req_1", LONG_PAYLOAD])
def test_what_it_paints_decodes_to_the_payload(qtbot: QtBot, tmp_path: Path, payload: str, side: int | None) -> None:
    code = QrCode("qr")
    qtbot.addWidget(code)
    code.set_payload(payload)
    modules = len(qr_matrix(payload)) + 2 * QUIET_MODULES
    code.resize(*(2 * [side or code.minimumSizeHint().width()]))  # None: the smallest it allows
    assert code.module_px() >= MIN_MODULE_PX
    box = code.code_rect()
    assert box.width() == box.height() == code.module_px() * modules  # whole pixels per module
    picture = code.grab().toImage()
    # The quiet zone is white, the finder pattern's corner black, whatever the theme around it.
    assert picture.pixelColor(box.topLeft()) == QColor("white")
    dark = box.x() + QUIET_MODULES * code.module_px(), box.y() + QUIET_MODULES * code.module_px()
    assert picture.pixelColor(*dark) == QColor("black")
    colours = {picture.pixelColor(x, y).name() for x in range(box.left(), box.right(), 3) for y in (box.center().y(),)}
    assert colours <= {"#000000", "#ffffff"}  # no grey edges: crisp for a camera
    path = tmp_path / "qr.png"
    assert picture.save(str(path))
    assert zbar(path) == payload


def test_nothing_to_show_paints_nothing(qtbot: QtBot) -> None:
    code = QrCode("qr")
    qtbot.addWidget(code)
    code.set_payload("")
    assert code.modules() == 0 and code.module_px() == 0 and code.minimumSizeHint().isEmpty()
