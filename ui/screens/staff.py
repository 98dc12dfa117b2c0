"""Call staff: the screen that stays while the customer waits for a person (ui.help_call).

It says where the request stands (asked, who is coming, or the helpline when nobody can come) and
keeps the task underneath as it was. It stays until staff arrive (or say they are coming) or the
customer stops the call with a deliberate two-step choice; a stray Enter only says it again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from client.voice import Priority
from ui.screens.base import Screen
from ui.widgets import WrapButton, label, set_role, spaced

# While staff have not answered, the call screen cannot be left but by stopping the call.
WAITING = frozenset({"asking", "waiting"})


class StaffScreen(Screen):
    screen_id = "staff"
    needs_customer = False

    def build(self) -> None:
        self.status = label("staffStatus", "value", parent=self)
        self.layout_.addWidget(self.status)
        self.back_to_task = WrapButton("staffBackToTask", "primary", self)
        self.back_to_task.clicked.connect(self.shell.back)
        self.bind(self.back_to_task, "staff.back_to_task", "staff.back_to_task.description")
        self.layout_.addWidget(self.back_to_task)
        self.done = WrapButton("staffDone", "secondary", self)
        self.done.clicked.connect(self._ask_to_stop)
        self.bind(self.done, "staff.done", "staff.done.description")
        self.layout_.addWidget(self.done)
        # Stopping the call is asked once more; "No, keep waiting" has the focus.
        self.question = QFrame(self)
        self.question.setObjectName("staffStopPanel")
        set_role(self.question, "warning")
        panel = QVBoxLayout(self.question)
        self.question_text = label("staffStopQuestion", "value", parent=self.question)
        self.bind(self.question_text, "staff.stop_question")
        panel.addWidget(self.question_text)
        answers = QHBoxLayout()
        self.stop_no = WrapButton("staffStopNo", "primary", self.question)
        self.stop_no.clicked.connect(self._keep_waiting)
        self.bind(self.stop_no, "staff.stop_no", "staff.stop_no.description")
        self.stop_yes = WrapButton("staffStopYes", "secondary", self.question)
        self.stop_yes.clicked.connect(self._stop)
        self.bind(self.stop_yes, "staff.stop_yes", "staff.stop_yes.description")
        answers.addWidget(self.stop_no, 1)
        answers.addWidget(self.stop_yes, 1)
        panel.addLayout(answers)
        self.question.setVisible(False)
        self.layout_.addWidget(self.question)
        self.shell.help_call.changed.connect(self._changed)

    @property
    def _kind(self) -> str:
        state = self.shell.help_call.state
        return state.kind if state is not None else "asking"

    @property
    def has_back(self) -> bool:  # type: ignore[override]
        return self._kind not in WAITING

    @property
    def can_start_over(self) -> bool:  # type: ignore[override]
        return self._kind not in WAITING

    def enter(self, **params: Any) -> None:
        self.question.setVisible(False)

    def title_text(self) -> str:
        kind = self._kind
        if kind == "asking":
            return self.t("staff.title.asking")
        if kind in ("no_staff", "unreachable"):
            return self.t("staff.title.no_staff")
        if kind == "waiting":  # told, but nobody has said "I'm coming" yet
            return self.t("staff.title.waiting")
        return self.t("staff.title")

    def instruction_text(self) -> str:
        if self._kind in ("no_staff", "unreachable"):
            return self.t("staff.kept")  # not "please stay here": they are to phone
        return self.t("staff.instruction")

    def refresh(self) -> None:
        text = self.shell.help_call.text()
        self.status.setText(spaced(text))
        self.status.setAccessibleName(text)
        self.back_to_task.setVisible(self._kind not in WAITING)
        self.done.setVisible(self.shell.help_call.open and not self.question.isVisible())

    def entry_speech(self) -> tuple[str, Priority]:
        return f"{self.title_text()}. {self.shell.help_call.spoken()} {self.instruction_text()}", "normal"

    def _changed(self) -> None:
        if not self.isVisible():
            return
        focused = self.focusWidget()
        self.refresh()
        self.shell.refresh_header()
        if focused is not None and not focused.isVisible():
            self._focus(self.first_focus())

    def _ask_to_stop(self) -> None:
        self.question.setVisible(True)
        self.done.setVisible(False)
        self._focus(self.stop_no)
        self.shell.announce(self.t("staff.stop_question"))

    def _keep_waiting(self) -> None:
        self.question.setVisible(False)
        self.refresh()
        self._focus(self.first_focus())

    def _stop(self) -> None:
        self.question.setVisible(False)
        self.shell.help_call.cancel()

    def _focus(self, widget: QWidget | None) -> None:
        if widget is not None:
            widget.setFocus()

    def first_focus(self) -> Any:
        if self.back_to_task.isVisibleTo(self):
            return self.back_to_task
        # Call staff again: a stray Enter says again where the call stands, it never stops it.
        return self.shell.call_staff_control()
