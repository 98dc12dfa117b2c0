"""The console's parts: sign-in, the queue, the selected request's actions, the metrics. Views only:
they say what staff chose by signals, and the console (ui.staff.console) asks the bank."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client import models
from client.i18n import Translator
from client.money import format_amount
from client.staff import OUTCOMES
from ui.accessibility import PinField
from ui.staff import words
from ui.widgets import BUDDY_PROPERTY, button, field, label, set_role

NEW_ROW_BACKGROUND = QColor("#FFE3A3")  # a new request stands out; its status says "New" as well
NO_BACKGROUND = QColor(0, 0, 0, 0)


def _text(name: str, role: str = "", *, wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    """A label of plain text: what the bank and the machines send (a machine's label) is never markup."""
    widget = label(name, role, wrap=wrap, parent=parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def _action_button(name: str, role: str = "secondary") -> QPushButton:
    widget = button(name, role)
    widget.setAutoDefault(True)  # Enter presses the focused button, as Space does
    return widget


def _pin_row(name: str, parent: QWidget) -> tuple[QLabel, PinField]:
    caption = label(f"{name}Label", "value", wrap=False, parent=parent)
    pin = PinField(name, parent)
    caption.setBuddy(pin)
    caption.setProperty(BUDDY_PROPERTY, name)
    return caption, pin


class _CheckCaption(QLabel):
    """A check box's words, wrapped, beside it: a click on them ticks the box, as on the box's own text."""

    def __init__(self, box: QCheckBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{box.objectName()}Caption")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(box)
        self._box = box

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._box.toggle()
        self._box.setFocus()
        event.accept()


class Pages(QWidget):
    """One page shown at a time, like QStackedWidget, in a box layout: a page's wrapped text gets the
    height it needs at the panel's width (QStackedWidget does not pass height-for-width on)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        self._box.addWidget(page)
        if self._current is None:
            self._current = page
        else:
            page.hide()

    def setCurrentWidget(self, page: QWidget) -> None:
        for other in self._pages:
            if other is not page:
                other.hide()
        page.show()
        self._current = page

    def currentWidget(self) -> QWidget | None:
        return self._current


class SignInPanel(QWidget):
    """Staff number and PIN; Enter signs in. The PIN leaves the field with the request, and only then."""

    submitted = Signal(str, str)  # staff number, PIN: handed straight to the bank, never kept

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consoleSignIn")
        self.title = _text("consoleSignInTitle", "title", parent=self)
        self.hint = _text("consoleSignInHint", "instruction", parent=self)
        self.number_label, self.number = field("staffNumber", self)
        self.number.setMaxLength(4)
        self.number.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,4}"), self.number))
        self.number.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_label, self.pin = _pin_row("staffPin", self)
        self.sign_in = _action_button("staffSignIn", "primary")
        self.problem = _text("staffSignInProblem", "error", parent=self)
        self.problem.hide()

        form = QVBoxLayout(self)
        form.setContentsMargins(40, 40, 40, 40)
        form.setSpacing(12)
        form.addWidget(self.title)
        form.addWidget(self.hint)
        for caption, edit in ((self.number_label, self.number), (self.pin_label, self.pin)):
            form.addWidget(caption)
            edit.setMaximumWidth(320)
            form.addWidget(edit)
        form.addWidget(self.problem)
        form.addWidget(self.sign_in, alignment=Qt.AlignmentFlag.AlignLeft)
        form.addStretch(1)
        self.number.returnPressed.connect(self._number_entered)
        self.pin.returnPressed.connect(self.submit)
        self.sign_in.clicked.connect(self.submit)

    def retranslate(self, t: Translator) -> None:
        self.title.setText(t("console.sign_in.title"))
        self.hint.setText(t("console.sign_in.hint"))
        self.number_label.setText(t("console.sign_in.number"))
        self.number.setAccessibleName(t("console.sign_in.number"))
        self.number.setAccessibleDescription(t("console.sign_in.number.description"))
        self.pin_label.setText(t("console.sign_in.pin"))
        self.pin.setAccessibleName(t("console.sign_in.pin"))
        self.pin.setAccessibleDescription(t("console.sign_in.pin.description"))
        self.sign_in.setText(t("console.sign_in.button"))

    def _number_entered(self) -> None:
        if self.pin.digits():
            self.submit()
        else:
            self.pin.setFocus()

    def submit(self) -> None:
        number, pin = self.number.text().strip(), self.pin.digits()
        self.pin.clear()
        if not number:
            self.number.setFocus()
        elif not pin:
            self.pin.setFocus()
        else:
            self.sign_in.setEnabled(False)
            self.submitted.emit(number, pin)

    def refused(self, text: str, *, locked: bool) -> None:
        self.sign_in.setEnabled(True)
        self.problem.setText(text)
        self.problem.show()
        (self.number if locked else self.pin).setFocus()

    def reset(self, notice: str = "") -> None:
        """Ready for the next sign-in (after a sign-out, or a session that ended)."""
        self.pin.clear()
        self.sign_in.setEnabled(True)
        self.problem.setText(notice)
        self.problem.setVisible(bool(notice))
        self.number.setFocus()


class QueueTable(QTableWidget):
    """Open requests, oldest first, as the bank sends them. A request not seen before is marked "New"
    until someone chooses it or a colleague answers it."""

    chosen = Signal(object)  # the models.StaffHelpRequest now selected, or None
    COLUMNS = ("waiting", "machine", "reason", "screen", "status")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("helpQueue")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab moves on to the actions; arrows move in the list
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # a reason wraps; it is never cut short
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
            )
        ):
            header.setSectionResizeMode(column, mode)
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())  # wrapped text keeps its lines
        self.requests: list[models.StaffHelpRequest] = []
        self.unread: set[str] = set()
        self._seen: set[str] = set()
        self._t = Translator("en")
        self.currentCellChanged.connect(self._current_changed)

    def retranslate(self, t: Translator) -> None:
        self._t = t
        self.setHorizontalHeaderLabels([t(f"console.column.{c}") for c in self.COLUMNS])
        self.setAccessibleName(t("console.queue.title"))
        self.setAccessibleDescription(t("console.queue.description"))
        self._fill()

    def forget(self) -> None:
        """Signed out: nothing of the queue stays on screen."""
        self.show_requests([])
        self._seen.clear()
        self.unread.clear()

    def show_requests(self, requests: list[models.StaffHelpRequest]) -> list[models.StaffHelpRequest]:
        """Show the bank's latest queue; return the requests this console had not seen before."""
        new = [r for r in requests if r.id not in self._seen]
        self._seen.update(r.id for r in new)
        waiting = {r.id for r in requests if r.status == "waiting"}
        self.unread = (self.unread | {r.id for r in new}) & waiting
        before = self.current_request()
        if [r.id for r in requests] != [r.id for r in self.requests]:
            self.blockSignals(True)
            self.setRowCount(len(requests))
            for row in range(len(requests)):
                for column in range(len(self.COLUMNS)):
                    if self.item(row, column) is None:
                        self.setItem(row, column, QTableWidgetItem())
            ids = [r.id for r in requests]
            if before is not None and before.id in ids:
                self.setCurrentCell(ids.index(before.id), 0)
            else:
                self.setCurrentCell(-1, -1)
                self.clearSelection()
            self.blockSignals(False)
        self.requests = requests
        self._fill()
        if before is not None and self.current_request() is None:
            self.chosen.emit(None)  # the chosen request has gone: closed, or cancelled at the machine
        return new

    def current_request(self) -> models.StaffHelpRequest | None:
        row = self.currentRow()
        return self.requests[row] if 0 <= row < len(self.requests) else None

    def select_request(self, request_id: str) -> None:
        ids = [r.id for r in self.requests]
        self.setCurrentCell(ids.index(request_id), 0)

    def status_text(self, request: models.StaffHelpRequest) -> str:
        t = self._t
        if request.status == "coming" and request.staff is not None:
            return t("console.status.coming", name=request.staff.name_in(t.language))
        return t("console.status.new") if request.id in self.unread else t("console.status.waiting")

    def _fill(self) -> None:
        t = self._t
        for row, request in enumerate(self.requests):
            texts = (
                words.mm_ss(request.waiting_seconds),
                request.kiosk_label,
                words.reason(t, request.reason),
                words.screen(t, request.screen, request.step),
                self.status_text(request),
            )
            new = request.id in self.unread
            for column, text in enumerate(texts):
                item = self.item(row, column)
                if item is None:
                    continue
                if item.text() != text:
                    item.setText(text)
                font = QFont(item.font())
                if font.bold() != new:
                    font.setBold(new)
                    item.setFont(font)
                background = NEW_ROW_BACKGROUND if new else NO_BACKGROUND
                if item.background().color() != background:
                    item.setBackground(background)
        self.resizeRowsToContents()
        QTimer.singleShot(0, self, self.resizeRowsToContents)  # again once the columns have their new widths

    def _current_changed(self, row: int, _column: int, previous_row: int, _previous_column: int) -> None:
        request = self.current_request()
        if request is not None:
            self.unread.discard(request.id)
            self._fill()
        if row != previous_row:
            self.chosen.emit(request)


class RequestPanel(QFrame):
    """What staff can do for the chosen request: go, close it with an outcome, and, with the customer
    there and their identity checked in person, unfreeze the account or cancel a held payment."""

    coming = Signal(str)  # request id
    close_request = Signal(str, str)  # request id, outcome
    held_wanted = Signal(str)  # request id: list its customer's held payments
    unfreeze = Signal(str, str)  # request id, staff PIN
    cancel_held = Signal(str, str, str)  # request id, payment id, staff PIN

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestPanel")
        set_role(self, "panel")
        self._t = Translator("en")
        self.request: models.StaffHelpRequest | None = None
        self.me: str | None = None  # the signed-in staff member's id
        self.held: list[models.HeldPayment] = []  # the chosen request's customer's, when listed
        self.mode = ""  # "unfreeze" or "cancel_held" on the identity page
        self.pages = Pages(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.pages)
        self.none_page = self._build_none_page()
        self.main_page = self._build_main_page()
        self.done_page = self._build_done_page()
        self.identity_page = self._build_identity_page()
        for page in (self.none_page, self.main_page, self.done_page, self.identity_page):
            self.pages.addWidget(page)

    # --- the pages ------------------------------------------------------------------------------

    def _build_none_page(self) -> QWidget:
        page = QWidget(self)
        self.none_text = _text("requestNone", "instruction", parent=page)
        self.none_notice = _text("requestNoneNotice", "info", parent=page)
        self.none_notice.hide()
        box = QVBoxLayout(page)
        box.addWidget(self.none_text)
        box.addWidget(self.none_notice)
        box.addStretch(1)
        return page

    def _build_main_page(self) -> QWidget:
        page = QWidget(self)
        self.heading = _text("requestHeading", "value", parent=page)
        self.details = _text("requestDetails", parent=page)
        self.customer = _text("requestCustomer", "muted", parent=page)
        self.notice = _text("requestNotice", "info", parent=page)
        self.notice.hide()
        self.coming_button = _action_button("requestComing", "primary")
        self.done_button = _action_button("requestDone")
        self.unfreeze_button = _action_button("requestUnfreeze")
        self.cancel_held_button = _action_button("requestCancelHeld")
        self.coming_button.clicked.connect(lambda: self.request and self.coming.emit(self.request.id))
        self.done_button.clicked.connect(self._show_done)
        self.unfreeze_button.clicked.connect(lambda: self._show_identity("unfreeze"))
        self.cancel_held_button.clicked.connect(lambda: self._show_identity("cancel_held"))
        box = QVBoxLayout(page)
        for widget in (self.heading, self.details, self.customer, self.notice):
            box.addWidget(widget)
        # One column: the panel stays narrow at 1024x768 and the queue keeps the room.
        for widget in (self.coming_button, self.done_button, self.unfreeze_button, self.cancel_held_button):
            box.addWidget(widget)
        box.addStretch(1)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget(self)
        self.done_question = _text("doneQuestion", "value", parent=page)
        self.outcomes = QButtonGroup(page)
        self.outcome_buttons: dict[str, QRadioButton] = {}
        box = QVBoxLayout(page)
        box.addWidget(self.done_question)
        for outcome in OUTCOMES:
            radio = QRadioButton(page)
            radio.setObjectName(f"outcome_{outcome}")
            self.outcomes.addButton(radio)
            self.outcome_buttons[outcome] = radio
            box.addWidget(radio)
        self.outcomes.buttonToggled.connect(lambda *_: self.done_confirm.setEnabled(self.chosen_outcome() is not None))
        self.done_confirm = _action_button("doneConfirm", "primary")
        self.done_confirm.setEnabled(False)
        self.done_back = _action_button("doneBack")
        self.done_confirm.clicked.connect(self._confirm_done)
        self.done_back.clicked.connect(self.back)
        box.addWidget(self.done_confirm)
        box.addWidget(self.done_back)
        box.addStretch(1)
        return page

    def _build_identity_page(self) -> QWidget:
        page = QWidget(self)
        self.identity_title = _text("identityTitle", "value", parent=page)
        self.identity_text = _text("identityText", parent=page)
        self.held_list = QListWidget(page)
        self.held_list.setObjectName("heldPayments")
        self.held_list.setMaximumHeight(130)
        self.checked = QCheckBox(page)
        self.checked.setObjectName("identityChecked")
        self.checked_text = _CheckCaption(self.checked, page)  # the words wrap; a QCheckBox's cannot
        self.pin_label, self.pin = _pin_row("identityPin", page)
        self.pin.setMaximumWidth(160)
        self.identity_problem = _text("identityProblem", "error", parent=page)
        self.identity_problem.hide()
        self.identity_confirm = _action_button("identityConfirm", "primary")
        self.identity_back = _action_button("identityBack")
        self.checked.toggled.connect(self._update_confirm)
        self.pin.digits_changed.connect(self._update_confirm)
        self.held_list.currentRowChanged.connect(self._update_confirm)
        self.pin.returnPressed.connect(self._confirm_identity)
        self.identity_confirm.clicked.connect(self._confirm_identity)
        self.identity_back.clicked.connect(self.back)
        box = QVBoxLayout(page)
        for widget in (self.identity_title, self.identity_text, self.held_list):
            box.addWidget(widget)
        check_row = QHBoxLayout()
        check_row.addWidget(self.checked, 0, Qt.AlignmentFlag.AlignTop)
        check_row.addWidget(self.checked_text, 1)
        box.addLayout(check_row)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin_label)
        pin_row.addWidget(self.pin)
        box.addLayout(pin_row)
        box.addWidget(self.identity_problem)
        box.addWidget(self.identity_confirm)
        box.addWidget(self.identity_back)
        box.addStretch(1)
        return page

    # --- words ------------------------------------------------------------------------------------

    def retranslate(self, t: Translator) -> None:
        self._t = t
        self.none_text.setText(t("console.actions.none"))
        self.coming_button.setText(t("console.coming"))
        self.coming_button.setAccessibleDescription(t("console.coming.description"))
        self.done_button.setText(t("console.done"))
        self.done_button.setAccessibleDescription(t("console.done.description"))
        self.unfreeze_button.setText(t("console.unfreeze"))
        self.unfreeze_button.setAccessibleDescription(t("console.unfreeze.description"))
        self.cancel_held_button.setText(t("console.cancel_held"))
        self.cancel_held_button.setAccessibleDescription(t("console.cancel_held.description"))
        self.done_question.setText(t("console.done.question"))
        for outcome, radio in self.outcome_buttons.items():
            radio.setText(t(f"console.outcome.{outcome}"))
        self.done_confirm.setText(t("console.done.confirm"))
        self.done_back.setText(t("console.back"))
        self.identity_back.setText(t("console.back"))
        self.checked.setAccessibleName(t("console.identity.checked"))
        self.checked_text.setText(t("console.identity.checked"))
        self.pin_label.setText(t("console.identity.pin"))
        self.pin.setAccessibleName(t("console.identity.pin"))
        self.pin.setAccessibleDescription(t("console.sign_in.pin.description"))
        self.held_list.setAccessibleName(t("console.identity.held_list"))
        self._show_mode_words()
        self._list_held(self._chosen_payment())  # in the new language, the same one chosen
        self.show_request(self.request)

    def _show_mode_words(self) -> None:
        t = self._t
        if self.mode:
            self.identity_title.setText(t(f"console.identity.{self.mode}.title"))
            self.identity_text.setText(t(f"console.identity.{self.mode}.text"))
            self.identity_confirm.setText(t(f"console.identity.{self.mode}.confirm"))

    # --- showing a request ----------------------------------------------------------------------

    def show_request(self, request: models.StaffHelpRequest | None, *, notice: str = "") -> None:
        """The chosen request, as the bank last said it is. A new choice starts on the main page."""
        changed = (request is None) != (self.request is None) or (
            request is not None and self.request is not None and request.id != self.request.id
        )
        self.request = request
        t = self._t
        if request is None:
            self.none_notice.setText(notice)
            self.none_notice.setVisible(bool(notice))
            self.pin.clear()
            self.pages.setCurrentWidget(self.none_page)
            return
        self.heading.setText(
            t("console.actions.heading", machine=request.kiosk_label, reason=words.reason(t, request.reason))
        )
        status = (
            t("console.status.coming", name=request.staff.name_in(t.language))
            if request.status == "coming" and request.staff is not None
            else t("console.status.waiting")
        )
        details = [t("console.actions.screen", screen=words.screen(t, request.screen, request.step))]
        if request.waited_seconds:
            details.append(t("console.actions.waited", waited=words.mm_ss(request.waited_seconds)))
        details.append(t("console.actions.status", status=status))
        self.details.setText("\n".join(details))
        if request.customer_known:
            parts = []
            if request.account_paused:
                parts.append(t("console.actions.account_paused"))
            if request.held_payments:
                parts.append(t("console.actions.held", count=request.held_payments))
            self.customer.setText("\n".join(parts or [t("console.actions.customer_known")]))
        else:
            self.customer.setText(t("console.actions.customer_unknown"))
        # What staff can do for a customer the bank knows (a locked card is unlocked by "Unfreeze" too).
        self.unfreeze_button.setVisible(request.customer_known)
        self.cancel_held_button.setVisible(request.customer_known and request.held_payments > 0)
        # A colleague may take a request over; the one already going need not say it twice.
        self.coming_button.setEnabled(request.staff is None or request.staff.id != self.me)
        if changed:
            self.show_main(notice=notice)

    def show_main(self, *, notice: str = "", problem: bool = False) -> None:
        self.pin.clear()
        set_role(self.notice, "error" if problem else "info")
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.pages.setCurrentWidget(self.main_page)

    def back(self) -> None:
        """Back from choosing an outcome or checking identity, to the button that led there (Escape too)."""
        came_from = {
            self.done_page: self.done_button,
            self.identity_page: self.cancel_held_button if self.mode == "cancel_held" else self.unfreeze_button,
        }.get(self.pages.currentWidget())
        if came_from is not None:
            self.show_main()
            came_from.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.pages.currentWidget() in (self.done_page, self.identity_page):
            self.back()
        else:
            super().keyPressEvent(event)

    def _show_done(self) -> None:
        self.outcomes.setExclusive(False)  # none chosen: the outcome is a deliberate choice each time
        for radio in self.outcome_buttons.values():
            radio.setChecked(False)
        self.outcomes.setExclusive(True)
        self.done_confirm.setEnabled(False)
        self.pages.setCurrentWidget(self.done_page)
        self.outcome_buttons[OUTCOMES[0]].setFocus()

    def chosen_outcome(self) -> str | None:
        return next((o for o, radio in self.outcome_buttons.items() if radio.isChecked()), None)

    def _confirm_done(self) -> None:
        outcome = self.chosen_outcome()
        if self.request is not None and outcome is not None:
            self.done_confirm.setEnabled(False)
            self.close_request.emit(self.request.id, outcome)

    def _show_identity(self, mode: str) -> None:
        if self.request is None:
            return
        self.mode = mode
        self._show_mode_words()
        self.checked.setChecked(False)
        self.pin.clear()
        self.identity_problem.hide()
        self.held = []
        self.held_list.clear()
        self.held_list.setVisible(mode == "cancel_held")
        self._update_confirm()
        self.pages.setCurrentWidget(self.identity_page)
        if mode == "cancel_held":
            self.held_list.setFocus()
            self.held_wanted.emit(self.request.id)
        else:
            self.checked.setFocus()

    def show_held(self, payments: list[models.HeldPayment]) -> None:
        """The customer's held payments, each with its amount and until when; one alone is chosen."""
        self.held = payments
        self._list_held(None if len(payments) != 1 else payments[0].id)
        if not payments:
            self.identity_refused(self._t("console.held.none"))

    def _list_held(self, chosen: str | None) -> None:
        t = self._t
        self.held_list.clear()
        for row, payment in enumerate(self.held):
            amount = format_amount(payment.amount_minor, t.language)
            text = (
                t("console.held.item", amount=amount, until=t.date_time(payment.hold_until))
                if payment.hold_until
                else t("console.held.item_no_until", amount=amount)
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, payment.id)
            self.held_list.addItem(item)
            if payment.id == chosen:
                self.held_list.setCurrentRow(row)

    def _chosen_payment(self) -> str | None:
        item = self.held_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_confirm(self, *_: object) -> None:
        ready = self.checked.isChecked() and bool(self.pin.digits())  # the bank judges the PIN itself
        if self.mode == "cancel_held":
            ready = ready and self._chosen_payment() is not None
        self.identity_confirm.setEnabled(ready)

    def _confirm_identity(self) -> None:
        self._update_confirm()
        if self.request is None or not self.identity_confirm.isEnabled():
            return
        pin = self.pin.digits()
        self.pin.clear()  # the PIN goes with this one request and is not kept
        self.identity_confirm.setEnabled(False)
        self.identity_problem.hide()
        if self.mode == "unfreeze":
            self.unfreeze.emit(self.request.id, pin)
        else:
            payment = self._chosen_payment()
            if payment is not None:
                self.cancel_held.emit(self.request.id, payment, pin)

    def identity_refused(self, text: str) -> None:
        """The bank said no: said here, next to what it is about; the PIN is typed again if needed."""
        self.identity_problem.setText(text)
        self.identity_problem.show()
        self._update_confirm()
        self.pin.setFocus()


class MetricsPanel(QFrame):
    """Time to answer, time to resolve, the share solved on the spot, counts by outcome; Export CSV."""

    export = Signal(object)  # the pathlib.Path to write

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metricsPanel")
        set_role(self, "panel")
        self._t = Translator("en")
        self.metrics: models.HelpMetrics | None = None
        self.title = _text("metricsTitle", "value", wrap=False, parent=self)
        self.figures = _text("metricsFigures", parent=self)
        self.counts = _text("metricsCounts", "muted", parent=self)
        self.path_label, self.path = field("exportPath", self)
        set_role(self.path_label, "")
        self.path.setText(str(default_path))
        self.export_button = _action_button("exportCsv")
        self.export_result = _text("exportResult", "muted", parent=self)
        self.export_button.clicked.connect(self._export)
        self.path.returnPressed.connect(self._export)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(4)
        box.addWidget(self.title)
        box.addWidget(self.figures)
        box.addWidget(self.counts)
        row = QHBoxLayout()
        row.addWidget(self.path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.export_button)
        box.addLayout(row)
        box.addWidget(self.export_result)
        self.export_result.hide()

    def retranslate(self, t: Translator) -> None:
        self._t = t
        self.title.setText(t("console.metrics.title"))
        self.path_label.setText(t("console.export.path"))
        self.path.setAccessibleName(t("console.export.path"))
        self.export_button.setText(t("console.export.button"))
        self.export_button.setAccessibleDescription(t("console.export.description"))
        self.show_metrics(self.metrics)

    def show_metrics(self, metrics: models.HelpMetrics | None) -> None:
        self.metrics = metrics
        t = self._t
        none = t("console.metrics.none")
        if metrics is None:
            self.figures.setText("")
            self.counts.setText("")
            return

        def duration(seconds: float | None) -> str:
            return none if seconds is None else words.mm_ss(round(seconds))

        share = none if metrics.solved_on_the_spot is None else f"{metrics.solved_on_the_spot:.0%}"
        self.figures.setText(
            t(
                "console.metrics.figures",
                answer=duration(metrics.median_answer_seconds),
                resolve=duration(metrics.median_resolve_seconds),
                share=share,
            )
        )
        self.counts.setText(
            t(
                "console.metrics.counts",
                solved=metrics.solved,
                referred=metrics.referred,
                customer_left=metrics.customer_left,
                cancelled=metrics.cancelled,
                requests=metrics.requests,
            )
        )

    def _export(self) -> None:
        text = self.path.text().strip()
        if text:
            self.export_button.setEnabled(False)
            self.export.emit(Path(text).expanduser())

    def exported(self, text: str) -> None:
        self.export_button.setEnabled(True)
        self.export_result.setText(text)
        self.export_result.show()
