"""The kiosk window. For now: the welcome screen and the connection to the payment service."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from client.api import PaymentApi
from client.errors import CalmPayError
from ui.api_bridge import ApiBridge


class MainWindow(QMainWindow):
    def __init__(self, api: PaymentApi, *, notice: str | None = None) -> None:
        super().__init__()
        self.api = api
        self.bridge = ApiBridge(self)
        self.setWindowTitle("CalmPay")
        self.setObjectName("mainWindow")

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel("CalmPay", central)
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel("Connecting to the payment service…", central)
        self.status.setObjectName("connectionStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice = QLabel(notice or "", central)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        for widget in (self.title, self.status, self.notice):
            layout.addWidget(widget)
        self.setCentralWidget(central)
        self.resize(1024, 768)

        self.health_call = self.bridge.call(self.api.health)
        self.health_call.succeeded.connect(self._connected)
        self.health_call.failed.connect(self._not_connected)

    def _connected(self, health: dict[str, object]) -> None:
        self.status.setText("Connected to the payment service.")

    def _not_connected(self, error: CalmPayError) -> None:
        self.status.setText("The payment service is not answering. Please ask a member of staff.")
