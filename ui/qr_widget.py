"""A QR code drawn crisply: black modules on white, a quiet zone, whole pixels per module.

The modules come from :mod:`client.qr` (the ``qrcode`` package's matrix; no image library). The widget paints
them itself at the largest whole number of pixels per module that fits, so every edge is sharp for
a phone's camera, whatever the theme: the code's colours never follow the theme.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from client.qr import BORDER, matrix

QUIET_MODULES = BORDER  # the blank margin round the code that the QR standard asks for
MIN_MODULE_PX = 6  # below this, phones at arm's length start to struggle


def qr_matrix(payload: str) -> list[list[bool]]:
    """The code's modules (True is dark), without the quiet zone (the widget paints it white)."""
    rows = matrix(payload)  # client.qr: the one place the kiosk's QR codes are made
    return [row[BORDER:-BORDER] for row in rows[BORDER:-BORDER]]


class QrCode(QWidget):
    """Shows one payload as a QR code, square, centred, as large as the room allows."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture to scan, not a control
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.matrix: list[list[bool]] = []
        self._payload = ""

    def set_payload(self, payload: str) -> None:
        self._payload = payload
        self.matrix = qr_matrix(payload) if payload else []
        self.setMinimumSize(self.minimumSizeHint())
        self.updateGeometry()
        self.update()

    @property
    def payload(self) -> str:
        return self._payload

    def modules(self) -> int:
        """Modules across, quiet zone included (0 with nothing to show)."""
        return len(self.matrix) + 2 * QUIET_MODULES if self.matrix else 0

    def module_px(self) -> int:
        """Whole pixels per module at the present size."""
        count = self.modules()
        return min(self.width(), self.height()) // count if count else 0

    def code_rect(self) -> QRect:
        """Where the code (quiet zone included) is painted: square and centred."""
        side = self.module_px() * self.modules()
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def sizeHint(self) -> QSize:
        # The smallest that scans well: the screen's layout gives the code all the room left over,
        # and a screen that must be shown in parts keeps the code whole on one part.
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        side = self.modules() * MIN_MODULE_PX
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.matrix:
            return
        size, box = self.module_px(), self.code_rect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(box, QColor("white"))
        black = QColor("black")
        origin_x, origin_y = box.x() + QUIET_MODULES * size, box.y() + QUIET_MODULES * size
        for row, line in enumerate(self.matrix):
            column = 0
            while column < len(line):  # a run of dark modules in one rectangle
                if not line[column]:
                    column += 1
                    continue
                start = column
                while column < len(line) and line[column]:
                    column += 1
                painter.fillRect(origin_x + start * size, origin_y + row * size, (column - start) * size, size, black)
        painter.end()
