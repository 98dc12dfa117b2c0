"""The staff console's window: sign-in, the branch's help queue, the chosen request's actions, metrics.

Every bank call runs off the GUI thread (ui.api_bridge); the queue is asked for twice a second, so a
kiosk's call shows within a second. Answers that come after a sign-out are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QComboBox, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from client import models, paths
from client.api import PaymentApi
from client.errors import CalmPayError, NetworkError
from client.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from client.staff import MetricsExport, StaffDesk, export_metrics
from ui.accessibility import announce
from ui.api_bridge import ApiBridge, ApiCall
from ui.staff import words
from ui.staff.panels import MetricsPanel, QueueTable, RequestPanel, SignInPanel
from ui.theme import Theme
from ui.widgets import button, label

log = logging.getLogger("calmpay.ui.staff")

POLL_MS = 500  # a kiosk's call is on the console within a second (the bar), polls included
METRICS_EVERY_POLLS = 20  # the metrics change with the queue; asked anyway every 10 s
CONSOLE_TEXT_PT = 14
REQUEST_PANEL_SHARE = 0.34
REQUEST_PANEL_MIN_PX = 320
Signature = tuple[tuple[str, str, str | None], ...]


def default_export_path() -> Path:
    return paths.data_dir() / "help-requests.csv"


class StaffConsole(QWidget):
    def __init__(
        self,
        api: PaymentApi,
        *,
        language: str = DEFAULT_LANGUAGE,
        export_path: Path | None = None,
        before_first_call: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffConsole")
        self.api = api
        self.desk = StaffDesk(api)
        self.bridge = ApiBridge(self)
        self.t = Translator(language)
        self.generation = 0  # bumped at every sign-out: answers for the session before are dropped
        self._before_first_call = before_first_call  # the embedded bank may still be starting
        self._polling = False
        self._poll_again = False
        self._signature: Signature | None = None
        self._polls_since_metrics = 0
        self._notices: dict[str, str] = {}  # what to say when a request this console closed leaves the list

        self.title = label("consoleTitle", "title", wrap=False, parent=self)
        self.who = label("consoleWho", wrap=False, parent=self)
        self.language = QComboBox(self)
        self.language.setObjectName("consoleLanguage")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(language))
        self.language.currentIndexChanged.connect(lambda _: self.set_language(self.language.currentData()))
        self.sign_out_button = button("consoleSignOut")
        self.sign_out_button.setAutoDefault(True)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.offline = label("consoleOffline", "error", parent=self)
        self.offline.setTextFormat(Qt.TextFormat.PlainText)
        self.offline.hide()

        self.sign_in_panel = SignInPanel(self)
        self.sign_in_panel.submitted.connect(self.sign_in)
        self.queue_title = label("queueTitle", "value", wrap=False, parent=self)
        self.queue = QueueTable(self)
        self.queue.chosen.connect(self._chosen)
        self.request_panel = RequestPanel(self)
        self.request_panel.coming.connect(self.answer)
        self.request_panel.close_request.connect(self.close_request)
        self.request_panel.held_wanted.connect(self.load_held)
        self.request_panel.unfreeze.connect(self.unfreeze)
        self.request_panel.cancel_held.connect(self.cancel_held)
        self.metrics_panel = MetricsPanel(export_path or default_export_path(), self)
        self.metrics_panel.export.connect(self.export)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.sign_in_panel)
        self.desk_page = QWidget(self)
        self.pages.addWidget(self.desk_page)
        self._lay_out()
        self.poll_timer = QTimer(self, interval=POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.set_language(language)
        self._show_signed_out("")
        self.resize(1280, 900)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.who)
        top.addWidget(self.language)
        top.addWidget(self.sign_out_button)
        # The queue and the metrics on the left; the chosen request's actions take the full height on the right.
        queue_side = QVBoxLayout()
        queue_side.addWidget(self.queue_title)
        queue_side.addWidget(self.queue, 1)
        queue_side.addWidget(self.metrics_panel)
        desk = QHBoxLayout(self.desk_page)
        desk.setContentsMargins(0, 0, 0, 0)
        desk.addLayout(queue_side, 1)
        desk.addWidget(self.request_panel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 12)
        outer.addLayout(top)
        outer.addWidget(self.offline)
        outer.addWidget(self.pages, 1)
        QWidget.setTabOrder(self.language, self.sign_out_button)  # as they read, left to right

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The actions take a third of the width, no less than their buttons need: the queue keeps the rest.
        self.request_panel.setFixedWidth(max(REQUEST_PANEL_MIN_PX, round(self.width() * REQUEST_PANEL_SHARE)))
        super().resizeEvent(event)

    # --- language and look ----------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.t = t = Translator(language)
        theme = Theme(elder=False, text_pt=CONSOLE_TEXT_PT, language=language)
        self.setStyleSheet(theme.stylesheet() + console_stylesheet(theme))
        self.setWindowTitle(t("console.title"))
        self.title.setText(t("console.title"))
        self.language.setAccessibleName(t("console.language"))
        self.language.setAccessibleDescription(t("console.language.description"))
        self.sign_out_button.setText(t("console.sign_out"))
        self.offline.setText(t("console.offline"))
        if self.desk.session is not None:
            self.who.setText(t("console.signed_in_as", name=self.desk.session.staff.name_in(language)))
        for part in (self.sign_in_panel, self.queue, self.request_panel, self.metrics_panel):
            part.retranslate(t)
        self._show_queue_title()

    def _show_queue_title(self) -> None:
        count = len(self.queue.requests)
        self.queue_title.setText(
            self.t("console.queue.title") + " · " + self.t("console.queue.count", count=count)
            if count
            else self.t("console.queue.empty")
        )

    # --- calls to the bank ----------------------------------------------------------------------

    def run(
        self,
        function: Callable[..., Any],
        *args: Any,
        ok: Callable[[Any], None],
        fail: Callable[[CalmPayError], None] | None = None,
    ) -> ApiCall:
        """``function`` off the GUI thread; its answer is dropped if staff signed out meanwhile. A session
        that has ended at the bank brings the sign-in back."""
        generation = self.generation
        call = self.bridge.call(function, *args)

        def succeeded(result: Any) -> None:
            if generation == self.generation:
                ok(result)

        def failed(problem: CalmPayError) -> None:
            if generation != self.generation:
                return
            if problem.code in words.SESSION_ENDED:
                self.signed_out(self.t("console.error.session_ended"))
            elif fail is not None:
                fail(problem)

        call.succeeded.connect(succeeded)
        call.failed.connect(failed)
        return call

    # --- signing in and out ---------------------------------------------------------------------

    def sign_in(self, number: str, pin: str) -> None:
        self.run(self._sign_in_at_bank, number, pin, ok=self._signed_in, fail=self._sign_in_refused)

    def _sign_in_at_bank(self, number: str, pin: str) -> models.StaffSession:  # on a worker thread
        ready, self._before_first_call = self._before_first_call, None
        if ready is not None:
            ready()
        return self.desk.sign_in(number, pin)

    def _signed_in(self, session: models.StaffSession) -> None:
        self.request_panel.me = session.staff.id
        self.who.setText(self.t("console.signed_in_as", name=session.staff.name_in(self.t.language)))
        self.who.show()
        self.sign_out_button.show()
        self.pages.setCurrentWidget(self.desk_page)
        self.queue.setFocus()
        self._signature = None
        self.poll()
        self.poll_timer.start()

    def _sign_in_refused(self, problem: CalmPayError) -> None:
        if isinstance(problem, NetworkError):
            text = self.t("console.error.no_bank", url=self.api.base_url)
        else:
            text = words.refusal(self.t, problem)
        self.sign_in_panel.refused(text, locked=problem.code == "staff_locked")

    def sign_out(self) -> None:
        session, self.desk.session = self.desk.session, None  # taken here, so a quick new sign-in stays
        if session is not None:
            self.bridge.call(self.desk.end_session, session)
        self.signed_out(self.t("console.signed_out"))

    def signed_out(self, notice: str) -> None:
        """Back to the sign-in, with nothing of the queue left on screen."""
        self.desk.session = None
        self.generation += 1
        self._show_signed_out(notice)

    def _show_signed_out(self, notice: str) -> None:
        self.poll_timer.stop()
        self.offline.hide()
        self.who.setText("")
        self.who.hide()
        self.sign_out_button.hide()
        self.queue.forget()
        self.request_panel.show_request(None)
        self.metrics_panel.show_metrics(None)
        self._show_queue_title()
        self.pages.setCurrentWidget(self.sign_in_panel)
        self.sign_in_panel.reset(notice)

    # --- the queue ------------------------------------------------------------------------------

    def poll(self) -> None:
        """Ask for the queue (and the metrics when the queue changed), unless an answer is on its way."""
        if not self.desk.signed_in:
            return
        if self._polling:
            self._poll_again = True
            return
        self._polling, self._poll_again = True, False
        self._polls_since_metrics += 1
        every = self._polls_since_metrics >= METRICS_EVERY_POLLS
        call = self.run(self._fetch, self._signature, every, ok=self._polled, fail=self._poll_failed)
        call.finished.connect(self._poll_finished)

    def _poll_finished(self) -> None:
        self._polling = False
        if self._poll_again:
            self.poll()

    def _fetch(
        self, previous: Signature | None, metrics_anyway: bool
    ) -> tuple[list[models.StaffHelpRequest], Signature, models.HelpMetrics | None]:  # on a worker thread
        if self.desk.session is None:  # signed out meanwhile: the answer would be dropped anyway
            raise CalmPayError("signed out")
        queue = self.desk.queue()
        signature = tuple((r.id, r.status, r.staff.id if r.staff else None) for r in queue)
        metrics = self.desk.metrics() if metrics_anyway or signature != previous else None
        return queue, signature, metrics

    def _polled(self, answer: tuple[list[models.StaffHelpRequest], Signature, models.HelpMetrics | None]) -> None:
        queue, signature, metrics = answer
        self.offline.hide()
        self._signature = signature
        new = self.queue.show_requests(queue)
        current = self.queue.current_request()
        if current is not None:
            self.request_panel.show_request(current)
        if metrics is not None:
            self._polls_since_metrics = 0
            self.metrics_panel.show_metrics(metrics)
        self._show_queue_title()
        if new:
            self._draw_attention(new)

    def _poll_failed(self, problem: CalmPayError) -> None:
        log.info("the help queue could not be read: %s", problem.code)
        self.offline.show()

    def _draw_attention(self, new: list[models.StaffHelpRequest]) -> None:
        """A new request: its row is marked, the window asks for attention, and a sound plays."""
        QApplication.alert(self.window())
        QApplication.beep()
        first = new[0]
        announce(
            self,
            self.t("console.announce.new", machine=first.kiosk_label, reason=words.reason(self.t, first.reason)),
            assertive=True,
        )

    def _chosen(self, request: models.StaffHelpRequest | None) -> None:
        if request is None:
            gone = self.request_panel.request
            notice = self._notices.pop(gone.id, self.t("console.actions.gone")) if gone is not None else ""
            focus = QApplication.focusWidget()
            self.request_panel.show_request(None, notice=notice)
            if focus is None or self.request_panel.isAncestorOf(focus):
                self.queue.setFocus()  # what staff were doing has gone with the request: back to the list
        else:
            self.request_panel.show_request(request)

    def select(self, request_id: str) -> None:
        self.queue.select_request(request_id)

    # --- actions on the chosen request ----------------------------------------------------------

    def answer(self, request_id: str) -> None:
        self.run(
            self.desk.answer,
            request_id,
            ok=lambda _: self._acted(self.t("console.result.coming"), self.request_panel.done_button),
            fail=self._action_refused,
        )

    def close_request(self, request_id: str, outcome: str) -> None:
        def closed(_: Any) -> None:
            self._notices[request_id] = self.t("console.result.closed", outcome=self.t(f"console.outcome.{outcome}"))
            self._acted(self._notices[request_id], self.queue)  # on to the next customer

        self.run(self.desk.close, request_id, outcome, ok=closed, fail=self._action_refused)

    def load_held(self, request_id: str) -> None:
        self.run(self.desk.held_payments, request_id, ok=self.request_panel.show_held, fail=self._identity_refused)

    def unfreeze(self, request_id: str, pin: str) -> None:
        self.run(
            self.desk.unfreeze,
            request_id,
            pin,
            ok=lambda _: self._acted(self.t("console.result.unfrozen"), self.request_panel.done_button),
            fail=self._identity_refused,
        )

    def cancel_held(self, request_id: str, payment_id: str, pin: str) -> None:
        self.run(
            self.desk.cancel_held,
            request_id,
            payment_id,
            pin,
            ok=lambda _: self._acted(self.t("console.result.cancelled"), self.request_panel.done_button),
            fail=self._identity_refused,
        )

    def _acted(self, notice: str, next_focus: QWidget) -> None:
        """Done at the bank: said next to the request, and the focus goes where the next step is
        (the page it was on has gone)."""
        self.request_panel.show_main(notice=notice)
        next_focus.setFocus()
        announce(self, notice)
        self._polls_since_metrics = METRICS_EVERY_POLLS  # the metrics may have moved: asked at once
        self.poll()

    def _action_refused(self, problem: CalmPayError) -> None:
        notice = words.refusal(self.t, problem)
        self.request_panel.show_main(notice=notice, problem=True)
        self.queue.setFocus()
        announce(self, notice, assertive=True)
        self.poll()

    def _identity_refused(self, problem: CalmPayError) -> None:
        notice = words.refusal(self.t, problem)
        self.request_panel.identity_refused(notice)
        announce(self, notice, assertive=True)

    # --- the metrics' export --------------------------------------------------------------------

    def export(self, path: Path) -> None:
        def saved(result: MetricsExport) -> None:
            self.metrics_panel.show_metrics(result.metrics)
            self.metrics_panel.exported(self.t("console.export.done", count=len(result.requests), path=str(path)))

        def failed(problem: CalmPayError) -> None:
            self.metrics_panel.exported(self.t("console.export.failed", path=str(path)))

        self.run(self._export_to, path, ok=saved, fail=failed)

    def _export_to(self, path: Path) -> MetricsExport:  # on a worker thread
        path.parent.mkdir(parents=True, exist_ok=True)
        return export_metrics(self.desk, path)

    # --- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """The console closes: its session ends at the bank (a moment's wait, at the end only)."""
        self.poll_timer.stop()
        session, self.desk.session = self.desk.session, None
        self.generation += 1
        if session is not None:
            self.bridge.call(self.desk.end_session, session)
        self.bridge.wait_for_done(3000)
        super().closeEvent(event)


def console_stylesheet(theme: Theme, console: str = "staffConsole") -> str:
    """What the kiosk's theme does not style, for a console beside the kiosk (staff's, the researcher's):
    tables and lists, check and radio boxes, the language list."""
    c = theme.colours
    target = theme.min_target_px
    return f"""
QWidget#{console} {{ background: {c.page}; }}
QTableWidget, QListWidget {{
    background: {c.page}; color: {c.text}; border: 2px solid {c.border}; border-radius: 8px;
    gridline-color: {c.border};
}}
QTableWidget:focus, QListWidget:focus {{ border: 3px solid {c.focus}; }}
QTableWidget::item:selected, QListWidget::item:selected {{ background: {c.primary}; color: {c.primary_text}; }}
QHeaderView::section {{
    background: {c.panel}; color: {c.text}; font-weight: 700; padding: 6px;
    border: none; border-bottom: 2px solid {c.border};
}}
QCheckBox, QRadioButton {{ min-height: {target}px; spacing: 10px; padding: 0px 6px; border: 3px solid transparent; }}
QCheckBox:focus, QRadioButton:focus {{ border: 3px solid {c.focus}; border-radius: 6px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 22px; height: 22px; }}
QPushButton[role="primary"]:disabled {{ background: {c.panel}; }}
QComboBox {{
    min-height: {target}px; padding: 2px 10px; border: 2px solid {c.border}; border-radius: 8px;
    background: {c.page}; color: {c.text};
}}
QComboBox:focus {{ border: 3px solid {c.focus}; }}
QComboBox QAbstractItemView {{ background: {c.page}; color: {c.text}; selection-background-color: {c.primary};
    selection-color: {c.primary_text}; }}
"""
