"""The researcher's console: a second window, opened with ``python main.py --study FILE``, locked by
the researcher's PIN. Pick the participant and the condition, record consent, start and end tasks
(the bank says when a task is done; the researcher may correct it), add markers and notes, pause,
and watch the participant's screen and time on task. The questionnaires are asked on the kiosk.

It runs the rules in client.research (the session, the study); the kiosk is only told what to
show. Bank calls run off the GUI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from client import models
from client.api import PaymentApi
from client.errors import CalmPayError
from client.i18n import LANGUAGES, Translator
from client.research.pin import PinError, ResearcherPin
from client.research.session import ResearchSession, SessionError, TaskRun
from client.research.study import Study
from ui.accessibility import PinField
from ui.api_bridge import ApiBridge
from ui.main_window import MainWindow
from ui.research.tap import EventTap
from ui.staff.console import CONSOLE_TEXT_PT, console_stylesheet
from ui.theme import Theme
from ui.widgets import button, label

log = logging.getLogger("calmpay.research")

CHECK_EVERY_MS = 1000  # the bank is asked once a second whether the task is done
OUTCOME_KEYS = {
    "success": "research.outcome.success",
    "success_assisted": "research.outcome.success_assisted",
    "fail": "research.outcome.fail",
    "abandoned": "research.outcome.abandoned",
    "timed_out": "research.outcome.timed_out",
}


def show(label: QLabel, text: str) -> None:
    """A message label is on screen only while it says something (an empty error box alarms)."""
    label.setText(text)
    label.setVisible(bool(text))


def clock_text(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class ResearchConsole(QWidget):
    session_started = Signal(str)
    task_ended = Signal(str, str)  # task id, outcome
    session_saved = Signal(str)  # the session folder

    def __init__(
        self,
        study: Study,
        kiosk: MainWindow,
        api: PaymentApi,
        *,
        root: Path,
        pin: ResearcherPin | None = None,
        language: str = "en",
        monotonic: Callable[[], float] = time.monotonic,
        utc_now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("researchConsole")
        # The participant's keypad types into the active window: the console never takes it by
        # showing itself, and hands it back to the kiosk after each of the researcher's actions.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.study, self.kiosk, self.api, self.root = study, kiosk, api, root
        self.pin = pin or ResearcherPin()
        self.monotonic, self.utc_now = monotonic, utc_now
        self.bridge = ApiBridge(self)
        self.session: ResearchSession | None = None
        self.tap: EventTap | None = None
        self.last_ended: TaskRun | None = None
        self._checking = False
        self._end_asked = False  # "End the session" with tasks not done: pressed once already
        self.t = Translator(language)

        self.title = label("researchTitle", "title", parent=self)
        self.language = QComboBox(self)
        self.language.setObjectName("researchLanguage")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(language))
        self.language.currentIndexChanged.connect(lambda _: self.set_language(self.language.currentData()))
        self.pages = QStackedWidget(self)
        self._build_lock()
        self._build_setup()
        self._build_session()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.language)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 12)
        outer.addLayout(top)
        outer.addWidget(self.pages, 1)

        for message in (self.lock_problem, self.setup_problem, self.saved, self.task_status):
            show(message, "")
        self.live_timer = QTimer(self, interval=CHECK_EVERY_MS)
        self.live_timer.timeout.connect(self.tick)
        self.set_language(language)
        self.show_lock()
        self.resize(1000, 760)

    # --- building ---------------------------------------------------------------------------------

    def _build_lock(self) -> None:
        self.lock_page = QWidget(self)
        self.lock_page.setObjectName("researchLock")
        self.lock_title = label("researchLockTitle", "value", parent=self.lock_page)
        self.lock_hint = label("researchLockHint", parent=self.lock_page)
        self.pin_field = PinField("researchPin", self.lock_page, max_length=12)
        self.pin_again = PinField("researchPinAgain", self.lock_page, max_length=12)
        self.unlock_button = button("researchUnlock", "primary", self.lock_page)
        self.lock_problem = label("researchLockProblem", "error", parent=self.lock_page)
        self.pin_field.returnPressed.connect(self.unlock)
        self.pin_again.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        column = QVBoxLayout(self.lock_page)
        for widget in (self.lock_title, self.lock_hint, self.pin_field, self.pin_again, self.unlock_button):
            column.addWidget(widget)
        column.addWidget(self.lock_problem)
        column.addStretch(1)
        self.pages.addWidget(self.lock_page)

    def _build_setup(self) -> None:
        self.setup_page = QWidget(self)
        self.setup_page.setObjectName("researchSetup")
        self.setup_title = label("researchSetupTitle", "value", parent=self.setup_page)
        self.participant_caption = label("researchParticipantCaption", parent=self.setup_page)
        self.participant = QComboBox(self.setup_page)
        self.participant.setObjectName("researchParticipant")
        for alias in self.study.participants:
            self.participant.addItem(alias, alias)
        self.participant.currentIndexChanged.connect(lambda _: self._suggest_condition())
        self.condition_caption = label("researchConditionCaption", parent=self.setup_page)
        self.condition = QComboBox(self.setup_page)
        self.condition.setObjectName("researchCondition")
        for condition in self.study.conditions:
            self.condition.addItem(f"{condition.id}: {condition.label}", condition.id)
        self.order_note = label("researchOrder", "muted", parent=self.setup_page)
        self.consent = QCheckBox(self.setup_page)
        self.consent.setObjectName("researchConsent")
        self.fresh_data = QCheckBox(self.setup_page)
        self.fresh_data.setObjectName("researchFreshData")
        self.fresh_data.setChecked(True)  # a bill paid in one session is not "already paid" in the next
        self.start_session_button = button("researchStartSession", "primary", self.setup_page)
        self.start_session_button.clicked.connect(self.start_session)
        self.setup_problem = label("researchSetupProblem", "error", parent=self.setup_page)
        self.setup_done = label("researchSetupDone", "muted", parent=self.setup_page)
        self.saved = label("researchSaved", "success", parent=self.setup_page)
        self.participant_caption.setBuddy(self.participant)
        self.condition_caption.setBuddy(self.condition)
        grid = QGridLayout()
        grid.addWidget(self.participant_caption, 0, 0)
        grid.addWidget(self.participant, 0, 1)
        grid.addWidget(self.condition_caption, 1, 0)
        grid.addWidget(self.condition, 1, 1)
        column = QVBoxLayout(self.setup_page)
        column.addWidget(self.setup_title)
        column.addLayout(grid)
        column.addWidget(self.order_note)
        column.addWidget(self.consent)
        column.addWidget(self.fresh_data)
        column.addWidget(self.start_session_button)
        column.addWidget(self.setup_problem)
        column.addWidget(self.saved)
        column.addWidget(self.setup_done)
        column.addStretch(1)
        self.pages.addWidget(self.setup_page)

    def _build_session(self) -> None:
        page = self.session_page = QWidget(self)
        page.setObjectName("researchSession")
        self.session_title = label("researchSessionTitle", "value", parent=page)
        self.live = label("researchLive", "value", parent=page)
        self.live.setTextFormat(Qt.TextFormat.PlainText)
        self.tasks = QListWidget(page)
        self.tasks.setObjectName("researchTasks")
        self.tasks.currentRowChanged.connect(lambda _: self._show_instruction())
        self.instruction = label("researchInstruction", "value", parent=page)
        self.instruction.setTextFormat(Qt.TextFormat.PlainText)
        self.start_task_button = button("researchStartTask", "primary", page)
        self.start_task_button.clicked.connect(self.start_task)
        self.assisted = QCheckBox(page)
        self.assisted.setObjectName("researchAssisted")
        self.success_button = button("researchSuccess", "secondary", page)
        self.fail_button = button("researchFail", "secondary", page)
        self.abandon_button = button("researchAbandoned", "secondary", page)
        self.success_button.clicked.connect(lambda: self.end_task("success"))
        self.fail_button.clicked.connect(lambda: self.end_task("fail"))
        self.abandon_button.clicked.connect(lambda: self.end_task("abandoned"))
        self.task_status = label("researchTaskStatus", "status", parent=page)
        self.task_status.setTextFormat(Qt.TextFormat.PlainText)
        self.marker = QLineEdit(page)
        self.marker.setObjectName("researchMarkerText")
        self.marker_button = button("researchMarker", "secondary", page)
        self.marker_button.clicked.connect(self.add_marker)
        self.marker.returnPressed.connect(self.add_marker)
        self.note = QLineEdit(page)
        self.note.setObjectName("researchNoteText")
        self.note_button = button("researchNote", "secondary", page)
        self.note_button.clicked.connect(self.add_note)
        self.note.returnPressed.connect(self.add_note)
        self.notes = QListWidget(page)
        self.notes.setObjectName("researchNotes")
        self.notes.setWordWrap(True)  # a long note wraps: it is read, not scrolled sideways
        self.notes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.pause_button = button("researchPause", "secondary", page)
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self.set_paused)  # toggled: assistive technology's Toggle too
        self.end_session_button = button("researchEndSession", "secondary", page)
        self.end_session_button.clicked.connect(self.end_session)

        ends = QHBoxLayout()
        for widget in (self.assisted, self.success_button, self.fail_button, self.abandon_button):
            ends.addWidget(widget)
        notes = QGridLayout()
        notes.addWidget(self.marker, 0, 0)
        notes.addWidget(self.marker_button, 0, 1)
        notes.addWidget(self.note, 1, 0)
        notes.addWidget(self.note_button, 1, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pause_button)
        bottom.addStretch(1)
        bottom.addWidget(self.end_session_button)
        left = QVBoxLayout()
        left.addWidget(self.tasks, 1)
        left.addWidget(self.notes, 1)
        right = QVBoxLayout()
        right.addWidget(self.instruction)
        right.addWidget(self.start_task_button)
        right.addLayout(ends)
        right.addWidget(self.task_status)
        right.addLayout(notes)
        right.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(left, 2)
        middle.addLayout(right, 3)
        column = QVBoxLayout(page)
        column.addWidget(self.session_title)
        column.addWidget(self.live)
        column.addLayout(middle, 1)
        column.addLayout(bottom)
        self.pages.addWidget(page)

    # --- words ------------------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.t = t = Translator(language)
        theme = Theme(elder=False, text_pt=CONSOLE_TEXT_PT, language=language)
        self.setStyleSheet(theme.stylesheet() + console_stylesheet(theme, "researchConsole"))
        self.setWindowTitle(t("research.title", study=self.study.title))
        self.title.setText(t("research.title", study=self.study.title))
        self.language.setAccessibleName(t("console.language"))
        self.unlock_button.setText(t("research.unlock"))
        self.pin_field.setAccessibleName(t("research.pin"))
        self.pin_again.setAccessibleName(t("research.pin_again"))
        self.pin_field.setPlaceholderText(t("research.pin"))
        self.pin_again.setPlaceholderText(t("research.pin_again"))
        self.setup_title.setText(t("research.setup.title"))
        self.participant_caption.setText(t("research.participant"))
        self.condition_caption.setText(t("research.condition"))
        self.participant.setAccessibleName(t("research.participant"))
        self.condition.setAccessibleName(t("research.condition"))
        self.consent.setText(t("research.consent"))
        self.fresh_data.setText(t("research.fresh_data"))
        self.start_session_button.setText(t("research.start_session"))
        self.tasks.setAccessibleName(t("research.tasks"))
        self.notes.setAccessibleName(t("research.notes"))
        self.start_task_button.setText(t("research.start_task"))
        self.assisted.setText(t("research.assisted"))
        self.success_button.setText(t("research.outcome.success"))
        self.fail_button.setText(t("research.outcome.fail"))
        self.abandon_button.setText(t("research.outcome.abandoned"))
        self.marker.setPlaceholderText(t("research.marker.placeholder"))
        self.marker.setAccessibleName(t("research.marker.placeholder"))
        self.marker_button.setText(t("research.marker"))
        self.note.setPlaceholderText(t("research.note.placeholder"))
        self.note.setAccessibleName(t("research.note.placeholder"))
        self.note_button.setText(t("research.note"))
        self.end_session_button.setText(t("research.end_session"))
        self._show_pause()
        self._show_lock_words()
        self._suggest_condition()
        self._show_tasks()

    def _show_lock_words(self) -> None:
        first_time = not self.pin.is_set
        self.lock_title.setText(self.t("research.lock.choose" if first_time else "research.lock.title"))
        hint = "research.lock.choose_hint" if first_time else "research.lock.hint"
        if self.pin.keyring_missing:
            hint = "research.lock.no_keyring"
        self.lock_hint.setText(self.t(hint))
        self.pin_again.setVisible(first_time)

    def give_keys_back(self) -> None:
        """The kiosk's window becomes the active one again: the participant's next key reaches it."""
        self.kiosk.activateWindow()

    # --- the lock ---------------------------------------------------------------------------------

    def show_lock(self) -> None:
        self.pin_field.clear()
        self.pin_again.clear()
        show(self.lock_problem, "")
        self._show_lock_words()
        self.pages.setCurrentWidget(self.lock_page)
        self.pin_field.setFocus()

    def unlock(self) -> None:
        pin, again = self.pin_field.digits(), self.pin_again.digits()
        self.pin_field.clear()
        self.pin_again.clear()
        if not self.pin.is_set:
            try:
                self.pin.set(pin, again)
            except PinError as problem:
                show(self.lock_problem, self.t(f"research.pin_error.{problem.code}"))
                self.pin_field.setFocus()
                return
        elif not self.pin.check(pin):
            left = self.pin.tries_left
            show(
                self.lock_problem, self.t("research.lock.wrong", count=left) if left else self.t("research.lock.locked")
            )
            self.pin_field.setFocus()
            return
        self.show_setup()

    # --- setting a session up ---------------------------------------------------------------------

    def done_sessions(self) -> set[str]:
        return {p.name for p in self.root.glob("*-*") if (p / "events.jsonl").exists()} if self.root.exists() else set()

    def _suggest_condition(self) -> None:
        """The participant's next condition in the study's order (counterbalanced), already chosen."""
        alias = self.participant.currentData()
        if alias is None:
            return
        order = self.study.order_of(alias)
        done = self.done_sessions()
        upcoming = [c for c in order if f"{alias}-{c}" not in done]
        if upcoming:
            self.condition.setCurrentIndex(self.study.condition_ids.index(upcoming[0]))
        self.order_note.setText(
            self.t("research.order", order=" → ".join(order), done=len(order) - len(upcoming), total=len(order))
        )
        self.setup_done.setText(
            self.t("research.sessions_done", sessions=", ".join(sorted(done)) or "—", folder=str(self.root))
        )

    def show_setup(self) -> None:
        self.consent.setChecked(False)
        show(self.setup_problem, "")
        self._suggest_condition()
        self.pages.setCurrentWidget(self.setup_page)
        self.participant.setFocus()

    def start_session(self) -> None:
        show(self.saved, "")
        if not self.consent.isChecked():
            show(self.setup_problem, self.t("research.consent_needed"))
            self.consent.setFocus()
            return
        if not self.fresh_data.isChecked():
            self._open_session()
            return
        self.start_session_button.setEnabled(False)
        show(self.setup_problem, self.t("research.resetting"))

        def reset_failed(problem: CalmPayError) -> None:
            self.start_session_button.setEnabled(True)
            show(self.setup_problem, self.t("research.reset_failed"))

        call = self.bridge.call(self.api.reset_bank)
        call.succeeded.connect(lambda _: self._open_session())
        call.failed.connect(reset_failed)

    def _open_session(self) -> None:
        self.start_session_button.setEnabled(True)
        show(self.setup_problem, "")
        try:
            session = ResearchSession(
                self.study,
                self.participant.currentData(),
                self.condition.currentData(),
                self.root,
                monotonic=self.monotonic,
                utc_now=self.utc_now,
            )
        except (SessionError, OSError) as problem:
            show(self.setup_problem, str(problem))
            return
        self.session = session
        self.session_title.setText(
            f"{session.participant} · {session.condition.id}: {session.condition.label} · {LANGUAGES[session.language]}"
        )
        session.give_consent(True)
        self._set_up_kiosk(session)
        self.tap = EventTap(self.kiosk, session.record)
        self.tap.speaker.muted = not session.condition.voice
        session.start()
        self.notes.clear()
        self.last_ended = None
        self.pages.setCurrentWidget(self.session_page)
        self._show_tasks()
        self.tasks.setFocus()
        self.live_timer.start()
        self.tick()
        self.session_started.emit(session.id)
        self.give_keys_back()

    def _set_up_kiosk(self, session: ResearchSession) -> None:
        """The kiosk as the condition asks, from its welcome screen, in the participant's language."""
        c, window = session.condition, self.kiosk
        window.settings = replace(
            window.settings, elder_mode_default=c.elder_mode, default_language=session.language, voice=c.voice
        )
        if window.kiosk is not None:
            window.kiosk.home_policy = c.home_policy
        if window.visit is not None:
            window.end_visit("signed_out")
        window.set_language(session.language)
        window.set_elder_mode(c.elder_mode)
        window.history.clear()
        window.go("welcome", remember=False)

    # --- tasks ------------------------------------------------------------------------------------

    def _show_tasks(self) -> None:
        session = self.session
        runs = {run.task.id: run for run in session.tasks} if session else {}
        current = self.tasks.currentRow()
        self.tasks.clear()
        for task in self.study.tasks:
            run = runs.get(task.id)
            state = (
                self.t("research.task.running")
                if run is not None and run.running
                else self.t(OUTCOME_KEYS[run.outcome])
                if run is not None and run.outcome
                else self.t("research.task.to_do")
            )
            item = QListWidgetItem(f"{task.title} · {state}")
            item.setData(Qt.ItemDataRole.UserRole, task.id)
            self.tasks.addItem(item)
        next_row = next((i for i, t in enumerate(self.study.tasks) if t.id not in runs), -1)
        self.tasks.setCurrentRow(current if current >= 0 and session and session.current_task else max(next_row, 0))
        self._enable()

    def chosen_task(self) -> str | None:
        item = self.tasks.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _show_instruction(self) -> None:
        task_id = self.chosen_task()
        if task_id is None or self.session is None:
            self.instruction.clear()
            return
        task = self.study.task(task_id)
        read_out = task.instruction[self.session.language]
        english = task.instruction["en"]
        limit = (
            self.t("research.time_limit", minutes=f"{task.time_limit_seconds / 60:g}")
            if task.time_limit_seconds
            else ""
        )
        text = self.t("research.read_out", text=read_out)
        if english != read_out:
            text += f"\n({english})"
        self.instruction.setText("\n".join(part for part in (text, limit) if part))

    def _enable(self) -> None:
        session = self.session
        running = session is not None and session.current_task is not None
        done = {run.task.id for run in session.tasks} if session else set()
        self.start_task_button.setEnabled(session is not None and not running and self.chosen_task() not in done)
        correctable = running or self.last_ended is not None
        for control in (self.success_button, self.fail_button, self.abandon_button):
            control.setEnabled(correctable)

    def start_task(self) -> None:
        session, task_id = self.session, self.chosen_task()
        if session is None or task_id is None or session.current_task is not None:
            return
        self.start_task_button.setEnabled(False)
        show(self.task_status, self.t("research.task.starting"))
        if self.kiosk.current_id == "goodbye":  # the last task's visit has ended: this one starts afresh
            self.kiosk.go("welcome", remember=False)

        def started(bank_now: datetime) -> None:
            if self.session is not session:
                return
            session.start_task(task_id, bank_now)
            self.last_ended = None
            self._end_asked = False
            self.assisted.setChecked(False)
            show(self.task_status, self.t("research.task.started", task=self.study.task(task_id).title))
            self._show_tasks()
            self.tick()
            self.give_keys_back()

        def failed(problem: CalmPayError) -> None:
            show(self.task_status, self.t("research.bank_unreachable"))
            self._enable()

        call = self.bridge.call(self.api.bank_time)
        call.succeeded.connect(started)
        call.failed.connect(failed)

    def end_task(
        self, outcome: str, *, detected_by: str = "researcher", then: Callable[[], None] | None = None
    ) -> None:
        session = self.session
        if session is None:
            return
        if session.current_task is None:
            self._correct(outcome)
            return
        run = session.end_task(outcome, assisted=self.assisted.isChecked(), detected_by=detected_by)
        self.last_ended = run
        key = "research.task.detected" if detected_by == "bank" else "research.task.ended"
        show(self.task_status, self.t(key, task=run.task.title, outcome=self.t(OUTCOME_KEYS[run.outcome or ""])))
        self._show_tasks()
        self.task_ended.emit(run.task.id, run.outcome or "")
        self._ask_on_kiosk(("seq",), then=then or self._after_seq)
        self.give_keys_back()

    def _correct(self, outcome: str) -> None:
        """The researcher corrects the last task's outcome (the bank's verdict, or their own)."""
        session, run = self.session, self.last_ended
        if session is None or run is None:
            return
        corrected = session.correct_outcome(run, outcome, assisted=self.assisted.isChecked())
        show(
            self.task_status,
            self.t("research.task.corrected", task=run.task.title, outcome=self.t(OUTCOME_KEYS[corrected])),
        )
        self._show_tasks()

    def _after_seq(self) -> None:
        """Each task is a visit of its own: the next one starts at Welcome, as the first did."""
        window = self.kiosk
        if window.visit is not None:
            window.end_visit("signed_out")  # "Take your card": the goodbye a customer would see
        else:
            window.history.clear()
            window.go("welcome", remember=False)

    # --- questionnaires on the kiosk ----------------------------------------------------------------

    def _ask_on_kiosk(self, questions: tuple[str, ...], *, then: Callable[[], None]) -> None:
        session = self.session
        screen: Any = self.kiosk.screens["questionnaire"]
        if session is None:
            return
        for kind in questions:
            session.record("questionnaire_shown", screen="questionnaire", questionnaire=kind)

        def answered(kind: str, item: int, value: int) -> None:
            if self.session is session:
                session.answer(kind, item, value)

        def finished() -> None:
            screen.answered.disconnect(answered)
            screen.finished.disconnect(finished)
            then()

        screen.answered.connect(answered)
        screen.finished.connect(finished)
        self.kiosk.go("questionnaire", remember=False, questions=questions)

    # --- live view, the bank's check, the time limit ------------------------------------------------

    def tick(self) -> None:
        session = self.session
        if session is None:
            return
        screen_id = session.current_screen or "—"
        run = session.current_task
        state = self.t("research.paused") if session.paused else ""
        self.live.setText(
            self.t(
                "research.live",
                screen=screen_id,
                task=run.task.title if run else "—",
                time=clock_text(session.time_on_task_ms()),
            )
            + (f" · {state}" if state else "")
        )
        if run is None or session.paused:
            return
        if session.over_time():
            self.end_task("timed_out", detected_by="researcher")
            return
        if not self._checking:
            self._checking = True
            call = self.bridge.call(self.api.payments_since, run.bank_since)
            call.succeeded.connect(lambda payments, r=run: self._checked(r, payments))
            call.failed.connect(self._check_failed)

    def _checked(self, run: TaskRun, payments: list[models.Payment]) -> None:
        self._checking = False
        session = self.session
        if session is None or session.current_task is not run:
            return
        if session.success_found(payments) is not None:
            self.end_task("success", detected_by="bank")

    def _check_failed(self, problem: CalmPayError) -> None:
        self._checking = False
        show(self.task_status, self.t("research.bank_unreachable"))

    # --- markers, notes, pause ----------------------------------------------------------------------

    def add_marker(self) -> None:
        if self.session is None:
            return
        text = self.marker.text().strip() or self.t("research.marker")
        self.session.marker(text)
        self.notes.addItem(f"{clock_text(self.session.log.elapsed_ms)} ▶ {text}")
        self.marker.clear()
        self.give_keys_back()

    def add_note(self) -> None:
        text = self.note.text().strip()
        if self.session is None or not text:
            return
        self.session.note(text)
        self.notes.addItem(f"{clock_text(self.session.log.elapsed_ms)} {text}")
        self.note.clear()
        self.give_keys_back()

    def set_paused(self, paused: bool) -> None:
        if self.session is not None:
            (self.session.pause if paused else self.session.resume)()
        self._show_pause()
        self.tick()
        self.give_keys_back()

    def _show_pause(self) -> None:
        self.pause_button.setText(self.t("research.resume" if self.pause_button.isChecked() else "research.pause"))

    # --- the end --------------------------------------------------------------------------------------

    def end_session(self) -> None:
        session = self.session
        if session is None:
            return
        undone = [t.title for t in self.study.tasks if t.id not in {run.task.id for run in session.tasks}]
        if undone and not self._end_asked:  # a slip of the mouse must not end the session early
            self._end_asked = True
            show(self.task_status, self.t("research.end_confirm", tasks=", ".join(undone)))
            return
        self.end_session_button.setEnabled(False)
        self.give_keys_back()
        ask_the_end = lambda: self._ask_on_kiosk(session.study.end_questionnaires, then=self._finish)  # noqa: E731
        if session.current_task is not None:
            self.end_task("abandoned", then=ask_the_end)  # that task's SEQ first, then the end
        else:
            ask_the_end()

    def _finish(self) -> None:
        session = self.session
        if session is None:
            return
        session.end()
        self.live_timer.stop()
        if self.tap is not None:
            self.tap.detach()
            self.tap = None
        self.session = None
        self.last_ended = None
        self._end_asked = False
        self.pause_button.setChecked(False)
        self.end_session_button.setEnabled(True)
        if self.kiosk.visit is not None:
            self.kiosk.end_visit("signed_out")
        else:
            self.kiosk.go("welcome", remember=False)
        self.session_saved.emit(str(session.folder))
        self.show_setup()
        show(self.saved, self.t("research.saved", folder=str(session.folder)))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the console ends a running session: what was recorded is kept."""
        if self.session is not None:
            self.session.end()
            if self.tap is not None:
                self.tap.detach()
            self.session = None
        self.live_timer.stop()
        self.bridge.wait_for_done(2000)
        super().closeEvent(event)
