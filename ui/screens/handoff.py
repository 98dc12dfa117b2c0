"""Carry on on the phone: a single-use, expiring QR code that refers to the customer's unfinished
task at the bank (a link with a one-time token), never to an account."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from client import models
from ui.qr_widget import QrCode
from ui.screens.base import Screen
from ui.widgets import button, label, spaced


class HandoffScreen(Screen):
    """Reached from Help during a task (an overlay, like Help: Back returns to the task as it was)."""

    screen_id = "handoff"

    def build(self) -> None:
        row = QHBoxLayout()
        row.setSpacing(24)
        self.qr = QrCode("handoffQr", self)
        row.addWidget(self.qr, 1)
        self.details = label("handoffDetails", "value", parent=self)
        row.addWidget(self.details, 2)  # the link's code is small: the words get the room
        self.layout_.addLayout(row, 1)
        buttons = QHBoxLayout()
        # Back to the task is the main choice: signing out before the phone has the code would strand it.
        self.back_to_task = button("handoffBack", "primary", self)
        self.back_to_task.clicked.connect(self.return_to_task)
        self.bind(self.back_to_task, "handoff.back", "handoff.back.description")
        self.sign_out = button("handoffSignOut", "secondary", self)
        self.sign_out.clicked.connect(lambda: self.shell.end_visit("signed_out"))
        self.bind(self.sign_out, "handoff.sign_out", "handoff.sign_out.description")
        buttons.addWidget(self.back_to_task)
        buttons.addWidget(self.sign_out)
        self.layout_.addLayout(buttons)
        self.handoff: models.Handoff | None = None

    def enter(self, **params: Any) -> None:
        if "flow" not in params:
            return  # back here from Help: the code shown stays
        self.handoff = None
        self.qr.set_payload("")
        self.details.clear()
        self.details.setAccessibleName("")
        run = partial(self.shell.kiosk.hand_off, params.get("write"), params["flow"])
        self.shell.run(run, ok=self.show_code, fail=self.show_problem)

    def show_code(self, handoff: models.Handoff) -> None:
        self.handoff = handoff
        self.qr.set_payload(handoff.link)  # a picture for the phone: never said, never logged
        self.refresh()
        self.shell.announce(self.details.accessibleName())

    def refresh(self) -> None:
        if self.handoff is None:
            return
        text = self.t("handoff.details", time=self.t.time(self.handoff.expires_at))
        self.details.setText(spaced(text))
        self.details.setAccessibleName(text)

    def return_to_task(self) -> None:
        self.shell.back()  # to Help
        self.shell.back()  # to the task, as it was left

    def clear(self) -> None:
        super().clear()
        self.handoff = None
        self.qr.set_payload("")

    def first_focus(self) -> Any:
        return self.back_to_task
