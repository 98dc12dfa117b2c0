"""The base of every screen: translated texts with accessible names, errors, focus, reset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from client.errors import CalmPayError
from client.flow import LookUpBill, Next, Outcome, after_bill_found
from client.i18n import Translator
from client.money import AmountError
from client.voice import Priority
from ui.shell import Shell
from ui.widgets import Keypad, buddy_of, label, layout_items, set_role, spaced


def _holds(entry: QWidget | QLayout, widget: QWidget) -> bool:
    """Whether a layout's widget or nested layout is, or holds, ``widget``."""
    if isinstance(entry, QWidget):
        return entry is widget or entry.isAncestorOf(widget)
    return any(_holds(inner, widget) for _, inner in layout_items(entry))


@dataclass
class Binding:
    widget: QWidget
    key: str
    description_key: str | None
    params: Callable[[], dict[str, Any]] | None


class Screen(QWidget):
    """A screen: one title, one instruction, one main decision.

    Subclasses set ``screen_id`` and build their widgets in ``build``; texts are bound to
    catalog keys with :meth:`bind`, so a language change re-labels everything, accessible
    names and descriptions included. ``clear`` forgets any customer data the screen shows.
    """

    screen_id = ""
    needs_customer = True  # reachable only while a customer is signed in
    has_back = True
    can_start_over = True  # the Call staff screen, while the customer waits for staff, cannot be left so
    accepts_scans = False  # a payment code scanned here is handed to :meth:`scanned`

    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.setObjectName(f"screen_{self.screen_id}")
        self._bindings: list[Binding] = []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(18)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.error = label(f"{self.screen_id}_error", "error", parent=self)
        self.error.setVisible(False)
        self.error.setAccessibleName("")
        self._error_placed = False
        self.build()
        if not self._error_placed:
            self.layout_.addWidget(self.error)
        self.layout_.addStretch(1)

    # --- for subclasses -----------------------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def enter(self, **params: Any) -> None:
        """Called each time the screen is shown."""

    def leave(self) -> None:
        """Called when the customer moves on to another screen (Help and Call staff only cover it)."""

    def scanned(self, payload: str) -> None:
        """A payment code the kiosk's scanner read while this screen was shown (``accepts_scans``)."""

    def typed_values(self) -> dict[str, Any]:
        """What the customer has typed here but not gone on with, kept with their unfinished task
        (client.resume.progress_at): never a PIN or a code."""
        return {}

    def kiosk_ready(self) -> None:
        """Called on the screen shown when the kiosk's operations are loaded (start-up, just after
        the first paint): a screen entered before then asks the bank now."""

    def clear(self) -> None:
        """Forget every customer value shown or typed here (sign-out)."""
        for edit in self.findChildren(QLineEdit):
            edit.clear()
        bound = {binding.widget for binding in self._bindings}
        for text in self.findChildren(QLabel):
            if text not in bound:  # dynamic text: may be about this customer
                text.clear()
                text.setAccessibleName("")
        self.hide_error()

    def first_focus(self) -> QWidget | None:
        for widget in self.findChildren(QWidget):
            if widget.isVisibleTo(self) and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                return widget
        return None

    def title_text(self) -> str:
        return self.t(f"{self.screen_id}.title", **self.title_params())

    def title_params(self) -> dict[str, Any]:
        return {}

    def instruction_text(self) -> str:
        return self.t(f"{self.screen_id}.instruction")

    def entry_speech(self) -> tuple[str, Priority]:
        """What the screen says when it appears: its title and its one-line instruction."""
        return f"{self.title_text()}. {self.instruction_text()}", "normal"

    # --- helpers ----------------------------------------------------------------------------------

    @property
    def t(self) -> Translator:
        return self.shell.t

    def bind(
        self,
        widget: QWidget,
        key: str,
        description_key: str | None = None,
        params: Callable[[], dict[str, Any]] | None = None,
    ) -> QWidget:
        self._bindings.append(Binding(widget, key, description_key, params))
        return widget

    def place_error(self, layout: QVBoxLayout) -> None:
        """Show problems in ``layout``, next to what they are about, instead of below everything."""
        layout.addWidget(self.error)
        self._error_placed = True

    def two_columns(self) -> tuple[QVBoxLayout, QVBoxLayout]:
        """Fields on the left, the keypad on the right: both in view without scrolling."""
        row = QHBoxLayout()
        row.setSpacing(32)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.setSpacing(10)  # the caption, its field and the problem with it read as one group
        row.addLayout(left, 3)
        row.addLayout(right, 2)
        self.layout_.addLayout(row)
        return left, right

    def retranslate(self) -> None:
        for binding in self._bindings:
            text = self.t(binding.key, **(binding.params() if binding.params else {}))
            description = self.t(binding.description_key) if binding.description_key else text
            widget = binding.widget
            buddy = buddy_of(widget) if isinstance(widget, QLabel) else None
            if isinstance(widget, QLabel):
                widget.setText(spaced(text) if widget.wordWrap() else text)
            elif isinstance(widget, QAbstractButton):
                widget.setText(text)
            target = buddy if buddy is not None else widget
            target.setAccessibleName(text)
            target.setAccessibleDescription(description)
        self.refresh()
        for keypad in self.findChildren(Keypad):  # Repeat once: the top bar's in elder mode, else the keypad's
            keypad.show_repeat(not self.shell.theme.elder)

    def refresh(self) -> None:
        """Re-render dynamic content (lists, amounts) in the current language."""

    def show_error(self, text: str, *, speech: str | None = None, code: str | None = None) -> None:
        """Show and say a problem; ``speech`` replaces the text when it holds private data. ``code``:
        the bank's, if it is the bank's problem (some bring a person to help at once: client.help)."""
        if not self._error_placed:
            self._move_error_above(QApplication.focusWidget())
        self.error.setText(spaced(text))
        self.error.setAccessibleName(text)
        self.error.setVisible(True)
        self.shell.announce(speech or text)
        self.shell.problem_shown(self.screen_id, code)

    def _move_error_above(self, focused: QWidget | None) -> None:
        """The problem shows right above the control it is about (the focused one), so both are in
        view together, also on a screen shown in parts; above everything when the focus is elsewhere."""
        self.layout_.removeWidget(self.error)
        index = 0
        for position, item in layout_items(self.layout_):
            if focused is not None and _holds(item, focused):
                index = position
                break
        self.layout_.insertWidget(index, self.error)

    def follow(self, outcome: Outcome) -> None:
        """Show what the flow (client.flow) says comes next."""
        if isinstance(outcome, Next):
            self.shell.go(outcome.screen_id, **outcome.params)
        elif isinstance(outcome, LookUpBill):
            self.shell.run(
                self.shell.kiosk.lookup_bill,
                outcome.biller,
                outcome.customer_number,
                ok=lambda bill: self.follow(after_bill_found(bill, straight_to_review=outcome.straight_to_review)),
            )

    def cancel_payment(self, payment_id: str, *, ok: Callable[[Any], None]) -> None:
        """Cancel a payment; pressing again after a lost answer replays it (the same key)."""
        key = self.shell.kiosk.action_key(payment_id, "cancel")
        self.shell.run(partial(self.shell.kiosk.cancel, payment_id, key=key), ok=ok)

    def show_problem(self, problem: CalmPayError | AmountError) -> None:
        code = problem.code if isinstance(problem, CalmPayError) else None
        self.show_error(self.shell.explain(problem), speech=self.shell.explain(problem, spoken=True), code=code)

    def hide_error(self) -> None:
        if self.error.property("role") != "error":
            set_role(self.error, "error")
        self.error.setVisible(False)
        self.error.clear()
        self.error.setAccessibleName("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys move between controls, like Tab and Shift+Tab."""
        focused = self.focusWidget()
        typing = isinstance(focused, QLineEdit) and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right)
        if not typing and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self.focusNextChild()
            return
        if not typing and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self.focusPreviousChild()
            return
        super().keyPressEvent(event)
