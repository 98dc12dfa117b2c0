"""The questionnaires of a usability session on the kiosk (client.research.questionnaires).

Entered with ``go("questionnaire", remember=False, questions=("sus", "nps", "csat"))``: one
question at a time, in the participant's language and mode, spoken as it appears with what the
two ends of its scale mean. One big button per point of the scale; a digit key answers at once
(0–9; NPS 10 by the arrow keys and Enter, or by touch). "Previous question" goes back one
question with its answer kept. Back and Start over are off here, so nothing leaves the
questions half answered; Help and Call staff cover the screen and give it back as it was.

Every answer is signalled (``answered``: questionnaire, item number from 1, value), then
``finished`` after the last one; ``answers`` holds them all. The researcher's side listens.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from client.research.questionnaires import Item, QuestionnaireRun
from client.voice import Priority
from ui.screens.base import Screen
from ui.widgets import button, label, spaced

ALL_POINTS = range(0, 11)  # every scale's points lie within 0–10 (NPS is the widest)


class QuestionnaireScreen(Screen):
    screen_id = "questionnaire"
    needs_customer = False  # SUS comes at the end of a session, after the participant signed out
    has_back = False  # "Previous question" goes back; Back would leave the answers
    can_start_over = False

    answered = Signal(str, int, int)  # questionnaire, item number (from 1), value
    finished = Signal()
    shown = Signal(str)  # the first question of a questionnaire is on the screen

    def build(self) -> None:
        self.run: QuestionnaireRun | None = None
        self._shown: set[str] = set()
        self.question = label("questionText", "question", parent=self)
        self.layout_.addWidget(self.question)
        # The scale, with the words of its two ends right under the first and the last button.
        scale = QVBoxLayout()
        scale.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.points: dict[int, QPushButton] = {}
        for value in ALL_POINTS:
            point = button(f"questionScale{value}", "scale", self)
            point.setText(str(value))
            # Not checkable: over AT-SPI a checkable button's action is Toggle, which never answers. The
            # answer kept (back to a question) is marked by the "chosen" property and in its name.
            point.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            point.clicked.connect(lambda _=False, v=value: self._answer(v))
            row.addWidget(point, 1)
            self.points[value] = point
        scale.addLayout(row)
        ends = QHBoxLayout()
        self.low_end = label("questionScaleLow", "instruction", parent=self)
        self.high_end = label("questionScaleHigh", "instruction", parent=self)
        self.high_end.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends.addWidget(self.low_end, 1)
        ends.addWidget(self.high_end, 1)
        scale.addLayout(ends)
        self.layout_.addLayout(scale)
        self.previous = button("questionPrevious", "secondary", self)
        self.previous.clicked.connect(self._go_back)
        self.bind(self.previous, "questionnaire.previous", "questionnaire.previous.description")
        self.layout_.addWidget(self.previous, 0, Qt.AlignmentFlag.AlignLeft)
        self.done = label("questionDone", "info", parent=self)
        self.done.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the screen's one thing to read, once done
        self.layout_.addWidget(self.done)

    # --- what the participant sees and hears --------------------------------------------------------

    @property
    def answers(self) -> dict[str, list[int]]:
        """``{"sus": [4, 2, …], "nps": [9]}``: the answers so far, each questionnaire's in item order."""
        return self.run.answers if self.run is not None else {}

    @property
    def _item(self) -> Item | None:
        return self.run.current if self.run is not None else None

    def enter(self, **params: Any) -> None:
        self.run = QuestionnaireRun(params.get("questions", ("seq",)))
        self._shown = set()
        self._note_shown()

    def title_text(self) -> str:
        run = self.run
        if run is None or run.done:
            return self.t("questionnaire.done.title")
        return self.t("questionnaire.title", number=run.position + 1, count=run.count)

    def instruction_text(self) -> str:
        if self._item is None:
            return self.t("questionnaire.done.instruction")
        return self.t("questionnaire.instruction")

    def _how_to_answer(self, item: Item) -> str:
        """Said, not shown (the screen keeps one short line): 10 has no key of its own."""
        return self.t("questionnaire.instruction.nps" if item.scale.high >= 10 else "questionnaire.instruction")

    def refresh(self) -> None:
        item = self._item
        asking = item is not None
        for widget in (self.question, self.low_end, self.high_end):
            widget.setVisible(asking)
        self.previous.setVisible(asking and self.run is not None and self.run.can_go_back)
        self.done.setVisible(not asking)
        if item is None:
            self._set_text(self.done, self.t("questionnaire.done.text"))
            for point in self.points.values():
                point.setVisible(False)
            return
        self._set_text(self.question, self.t(item.key))
        self._set_text(self.low_end, self.t(item.questionnaire.low_key))
        self._set_text(self.high_end, self.t(item.questionnaire.high_key))
        kept = self.run.value_of(item) if self.run is not None else None
        for value, point in self.points.items():
            point.setVisible(value in item.scale)
            chosen = value == kept
            if bool(point.property("chosen")) != chosen:
                point.setProperty("chosen", chosen)
                point.style().unpolish(point)
                point.style().polish(point)
            name = self._point_name(item, value)
            point.setAccessibleName(self.t("questionnaire.point.chosen", name=name) if chosen else name)
            point.setAccessibleDescription(self.t("questionnaire.point.description"))

    def _point_name(self, item: Item, value: int) -> str:
        ends = {item.scale.low: item.questionnaire.low_key, item.scale.high: item.questionnaire.high_key}
        if value in ends:
            return self.t("questionnaire.point.end", value=value, label=self.t(ends[value]))
        return str(value)

    @staticmethod
    def _set_text(widget: QLabel, text: str) -> None:
        widget.setText(spaced(text))
        widget.setAccessibleName(text)

    def entry_speech(self) -> tuple[str, Priority]:
        return self._speech(), "normal"

    def _speech(self) -> str:
        """The question as it is said: where it stands, the question, what the ends of its scale mean,
        and how to answer."""
        item = self._item
        if item is None:
            return f"{self.instruction_text()} {self.t('questionnaire.done.text')}"
        q, scale = item.questionnaire, item.scale
        ends = self.t(
            "questionnaire.ends",
            low=scale.low,
            low_label=self.t(q.low_key),
            high=scale.high,
            high_label=self.t(q.high_key),
        )
        return f"{self.title_text()}. {self.t(item.key)} {ends} {self._how_to_answer(item)}"

    def first_focus(self) -> QWidget | None:
        item = self._item
        if item is None:
            return self.done
        kept = self.run.value_of(item) if self.run is not None else None
        return self.points[kept if kept is not None else item.scale.low]

    # --- answering ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A digit answers at once (a physical keypad's too); one not on the scale says how to answer."""
        item = self._item
        key = event.key()
        if item is not None and Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            value = key - Qt.Key.Key_0
            if value in item.scale:
                self._answer(value)
            else:
                self.shell.announce(self._how_to_answer(item))
            return
        super().keyPressEvent(event)

    def _answer(self, value: int) -> None:
        run, item = self.run, self._item
        if run is None or item is None or value not in item.scale:
            return
        run.answer(value)
        self.answered.emit(item.questionnaire.id, item.number, value)
        self._show_question(self.t("questionnaire.chosen", value=value))
        if run.done:
            self.finished.emit()

    def _go_back(self) -> None:
        if self.run is None or (item := self.run.previous()) is None:
            return
        kept = self.run.value_of(item)
        self._show_question("", after=self.t("questionnaire.kept", value=kept))

    def _show_question(self, before: str, *, after: str = "") -> None:
        """The current question (or the thanks) in place of the last, with the focus on it, said."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            # Off first: a focused button that refresh hides would pass the focus on, button by button,
            # and each would be said ("3", "4", "5"…) before the answer is.
            focused.clearFocus()
        self.refresh()
        self.shell.refresh_header()
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus()
        self._note_shown()
        self.shell.announce(" ".join(part for part in (before, self._speech(), after) if part))

    def _note_shown(self) -> None:
        item = self._item
        if item is not None and item.questionnaire.id not in self._shown:
            self._shown.add(item.questionnaire.id)
            self.shown.emit(item.questionnaire.id)
