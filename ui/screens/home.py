"""Home, balance, history and help."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from client import flow
from client.adaptive import HomeLayout, Preferences, Shortcut, ShortcutEdit
from client.explain import movement
from client.flow import CORE_TARGETS
from client.kiosk import Visit
from client.models import Transaction, TransactionPage
from client.money import format_amount
from client.qr.scan import ScannedPayment
from client.voice import Priority
from ui import icons
from ui.screens.base import Screen
from ui.widgets import SPEECH_PROPERTY, WrapButton, button, discard, label, set_role, spaced

# The fixed core grid: (screen to open, catalog key). It never moves.
CORE_SERVICES = (
    ("balance", "home.balance"),
    ("send_payee", "home.send"),
    ("bill_biller", "home.bill"),
    ("history", "home.history"),
)


class HomeScreen(Screen):
    screen_id = "home"
    has_back = False

    def build(self) -> None:
        grid = QGridLayout()
        grid.setSpacing(18)
        self.tiles = {}
        for index, (target, key) in enumerate(CORE_SERVICES):
            tile = WrapButton(f"tile_{target}", "tile", self)
            tile.clicked.connect(lambda _=False, t=target: self.open(t))
            self.bind(tile, key, f"{key}.description")
            grid.addWidget(tile, index // 2, index % 2)
            self.tiles[target] = tile
        self.layout_.addLayout(grid)
        self.grid = grid
        # "Your shortcuts": copies of what this customer does most, below the grid so it never moves.
        self.strip_title = label("shortcutsTitle", "value", parent=self)
        self.bind(self.strip_title, "home.shortcuts")
        self.layout_.addWidget(self.strip_title)
        self.strip = QGridLayout()
        self.strip.setSpacing(18)
        self.layout_.addLayout(self.strip)
        self.shortcut_widgets: list[QWidget] = []
        self.shortcut_buttons: list[WrapButton] = []
        self.change_note = label("shortcutsChanged", "info", parent=self)
        self.layout_.addWidget(self.change_note)
        # What the customer's own change did, shown at once; it takes the focus from a button that
        # has just gone or turned itself off, so Enter pressed again does nothing (docs/focus-rules.md).
        self.edit_note = label("shortcutsEdited", "info", parent=self)
        self.edit_note.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.edit_note.setVisible(False)
        self.layout_.addWidget(self.edit_note)
        self.undone: ShortcutEdit | None = None  # the change just undone, said in the note
        row = QHBoxLayout()
        # Words that wrap: three of these side by side must not cut their words at the largest text.
        self.put_back = WrapButton("shortcutsPutBack", "secondary", self)
        self.put_back.clicked.connect(self.undo_change)
        self.bind(self.put_back, "shortcut.put_back", "shortcut.put_back.description")
        self.undo = WrapButton("shortcutsUndo", "secondary", self)
        self.undo.clicked.connect(self.undo_edit)
        self.bind(self.undo, "shortcut.undo", "shortcut.undo.description")
        self.edit = WrapButton("shortcutsEdit", "secondary", self)
        self.edit.setCheckable(True)
        self.edit.clicked.connect(lambda _=False: self.refresh())
        self.bind(self.edit, "shortcut.edit", "shortcut.edit.description")
        self.restore = WrapButton("shortcutsRestore", "secondary", self)
        self.restore.clicked.connect(self.restore_removed)
        self.bind(self.restore, "shortcut.restore", "shortcut.restore.description")
        for widget in (self.put_back, self.undo, self.edit, self.restore):
            row.addWidget(widget)
        self.layout_.addLayout(row)
        self.change_said = False  # the change is said once per visit
        self.sign_out = button("homeSignOut", "secondary", self)
        self.sign_out.clicked.connect(lambda: self.shell.end_visit("signed_out"))
        self.bind(self.sign_out, "home.sign_out", "home.sign_out.description")
        # Receive money by QR beside Sign out: one more service without one more row to fit.
        self.receive = WrapButton("homeReceive", "secondary", self)
        self.receive.clicked.connect(lambda _=False: self.shell.go("receive_amount"))
        self.bind(self.receive, "home.receive", "home.receive.description")
        last_row = QHBoxLayout()
        last_row.addWidget(self.receive, 1)
        last_row.addWidget(self.sign_out, 1)
        QWidget.setTabOrder(self.receive, self.sign_out)  # Tab goes as the eye reads: left, then right
        self.layout_.addLayout(last_row)
        # Held payments, below everything else so nothing above them moves.
        self.held_rows = QVBoxLayout()
        self.layout_.addLayout(self.held_rows)
        self.held_widgets: list[QWidget] = []

    def refresh(self) -> None:
        discard(self.held_widgets)
        visit = self.shell.visit
        if visit is None:
            return
        self.refresh_shortcuts(visit)
        for payment in visit.held:
            when = self.t.time(payment.hold_until) if payment.hold_until else ""
            text = self.t(
                "home.held",
                amount=format_amount(payment.amount_minor, self.t.language),
                name=visit.counterparty_name(payment, self.t.language),
                time=when,
            )
            row = label(f"held_{payment.id}", "value", parent=self)
            row.setText(spaced(text))
            row.setAccessibleName(text)
            cancel = button(f"cancelHeld_{payment.id}", "secondary", self)
            cancel.setText(self.t("home.held.cancel"))
            cancel.setAccessibleName(self.t("home.held.cancel"))
            cancel.setAccessibleDescription(self.t("home.held.cancel.description"))
            cancel.setProperty(
                SPEECH_PROPERTY,
                self.t("home.held.cancel.speech", name=visit.counterparty_name(payment, self.t.language)),
            )
            cancel.clicked.connect(lambda _=False, p=payment.id: self.cancel_held(p))
            self.held_rows.addWidget(row)
            self.held_rows.addWidget(cancel)
            self.held_widgets += [row, cancel]
        self.watch_arrows()

    # --- shortcuts -----------------------------------------------------------------------------

    def shortcut_label(self, shortcut: Shortcut) -> str:
        visit = self.shell.visit
        kind, _, rest = shortcut.item.partition(":")
        if kind in ("balance", "history"):
            return self.t(f"home.{kind}")
        if kind == "send" and visit is not None:
            payee = next((p for p in visit.payees if p.id == rest), None)
            if payee is not None:
                return self.t("shortcut.send", name=payee.display_name_in(self.t.language))
        if kind == "bill" and visit is not None:
            biller_id, _, number = rest.partition(":")
            biller = next((b for b in visit.billers if b.id == biller_id), None)
            if biller is not None and shortcut.due_minor is not None:  # "Electricity bill ready: 307.60"
                amount = format_amount(shortcut.due_minor, self.t.language)
                return self.t("shortcut.bill_due", category=self.bill_category(biller), amount=amount)
            if biller is not None:
                return self.t("shortcut.bill", biller=biller.name_in(self.t.language), last4=number[-4:])
        return shortcut.label

    def bill_category(self, biller: Any) -> str:
        key = f"shortcut.category.{biller.category}"
        return self.t(key) if self.t.has(key) else biller.name_in(self.t.language)

    def shortcut_speech(self, shortcut: Shortcut, name: str) -> str:
        """A bill's amount is private: said only once the customer asked to hear amounts."""
        visit = self.shell.visit
        if shortcut.due_minor is None or visit is None:
            return name
        biller_id = shortcut.item.split(":")[1]
        biller = next((b for b in visit.billers if b.id == biller_id), None)
        if biller is None:
            return name
        if self.shell.speak_amounts:
            spoken = self.shell.money(shortcut.due_minor, spoken=True)
            return self.t("shortcut.bill_due", category=self.bill_category(biller), amount=spoken)
        return self.t("shortcut.bill_due.speech", category=self.bill_category(biller))

    def refresh_shortcuts(self, visit: Visit) -> None:
        discard(self.shortcut_widgets)
        self.shortcut_buttons = []
        layout = visit.layout
        if layout is None:
            return
        for index, item in enumerate(layout.core):  # "reorder" sorts the core tiles; "split" never moves them
            target = CORE_TARGETS[item]
            self.grid.addWidget(self.tiles[target], index // 2, index % 2)
        editing = self.edit.isChecked()
        for index, shortcut in enumerate(layout.shortcuts):
            name = self.shortcut_label(shortcut)
            # A pinned shortcut carries the pin picture (assets/icons), and says so in words.
            tile = WrapButton(f"shortcut_{index}", "tile", self, icon="pin" if shortcut.pinned else "")
            tile.setText(name)
            icons.draw(tile)
            spoken = self.shortcut_speech(shortcut, name)
            if shortcut.pinned:
                name, spoken = self.t("shortcut.pinned_name", name=name), self.t("shortcut.pinned_name", name=spoken)
            tile.setAccessibleName(name)
            tile.setProperty(SPEECH_PROPERTY, spoken)
            tile.setAccessibleDescription(self.t("shortcut.description"))
            tile.clicked.connect(lambda _=False, item=shortcut.item: self.open_shortcut(item))
            # Two per row, like the core grid; one per row while editing, with its buttons beside it.
            self.strip.addWidget(tile, *((index, 0) if editing else (index // 2, index % 2)))
            tile.show()  # at once, not at the next turn of the event loop: the next key may come first
            self.shortcut_widgets.append(tile)
            self.shortcut_buttons.append(tile)
            if editing:
                for column, (key, action) in enumerate(
                    (("shortcut.pin", self.pin), ("shortcut.remove", self.remove)), 1
                ):
                    control = button(f"shortcut_{index}_{key.split('.')[1]}", "secondary", self)
                    control.setText(self.t(key))
                    control.setAccessibleName(self.t(f"{key}.name", name=name))
                    control.setAccessibleDescription(self.t(f"{key}.description"))
                    control.setEnabled(not (key == "shortcut.pin" and shortcut.pinned))
                    control.clicked.connect(lambda _=False, s=shortcut, a=action: a(s))
                    self.strip.addWidget(control, index, column)
                    control.show()
                    self.shortcut_widgets.append(control)
        has_strip = bool(layout.shortcuts)
        self.strip_title.setVisible(has_strip)
        self.edit.setVisible(has_strip)
        self.restore.setVisible(editing and bool(visit.preferences.removed))
        sentence = self.change_sentence(layout)
        self.change_note.setText(spaced(sentence))
        self.change_note.setAccessibleName(sentence)
        self.change_note.setVisible(bool(sentence))
        self.put_back.setVisible(bool(sentence))
        edited = self.edit_sentence(visit)
        self.edit_note.setText(spaced(edited))
        self.edit_note.setAccessibleName(edited)
        self.edit_note.setVisible(bool(edited))
        self.undo.setVisible(visit.last_edit is not None)
        self.undo.setAccessibleName(self.t("shortcut.undo.name"))  # "Undo" alone does not say what
        previous: QWidget = self.tiles[CORE_TARGETS[layout.core[-1]]]
        widgets = [*self.shortcut_widgets, self.change_note, self.put_back, self.edit_note, self.undo]
        for widget in [*widgets, self.edit, self.restore]:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                QWidget.setTabOrder(previous, widget)
                previous = widget

    def edit_sentence(self, visit: Visit) -> str:
        """What the customer's last change to the shortcuts did, or that it was undone."""
        edit = visit.last_edit
        if edit is None:
            return self.t("shortcut.undone") if self.undone is not None else ""
        names = ", ".join(self.shortcut_label(s) for s in edit.shortcuts)
        if edit.action == "pinned":
            return self.t("shortcut.done_pinned", name=names)
        if edit.action == "removed":
            return self.t("shortcut.done_removed", name=names)
        if edit.action == "put_back":
            return self.t("shortcut.done_put_back")
        sentences = [self.t("shortcut.done_brought_back", names=names)] if edit.shortcuts else []
        if edit.waiting:
            waiting = ", ".join(self.shortcut_label(s) for s in edit.waiting)
            sentences.append(self.t("shortcut.done_waiting", names=waiting))
        return " ".join(sentences) or self.t("shortcut.done_nothing")

    def change_sentence(self, layout: HomeLayout) -> str:
        if layout.change is None:
            return ""
        added = ", ".join(self.shortcut_label(s) for s in layout.change.added)
        removed = ", ".join(self.shortcut_label(s) for s in layout.change.removed)
        if added and removed:
            return self.t("shortcut.changed_both", added=added, removed=removed)
        return (
            self.t("shortcut.changed_added", added=added)
            if added
            else self.t("shortcut.changed_removed", removed=removed)
        )

    def entry_speech(self) -> tuple[str, Priority]:
        text, priority = super().entry_speech()
        visit = self.shell.visit
        if visit is not None and visit.layout is not None and not self.change_said:
            sentence = self.change_sentence(visit.layout)
            if sentence:
                self.change_said = True
                text = f"{text} {sentence}"
        return text, priority

    def open_shortcut(self, item: str) -> None:
        self.shell.run(self.shell.kiosk.open_shortcut, item, ok=self.follow)

    def undo_change(self) -> None:
        self._save_shortcuts(self.shell.kiosk.put_back())

    def pin(self, shortcut: Shortcut) -> None:
        self._save_shortcuts(self.shell.kiosk.pin(shortcut))

    def remove(self, shortcut: Shortcut) -> None:
        self._save_shortcuts(self.shell.kiosk.remove_shortcut(shortcut))

    def restore_removed(self) -> None:
        self._save_shortcuts(self.shell.kiosk.restore_shortcuts())

    def undo_edit(self) -> None:
        """Undo the customer's last change: the shortcuts as they were before it."""
        self.undone = self.shell.kiosk.undo_shortcut_edit()
        visit = self.shell.visit
        if self.undone is not None and visit is not None:
            self._save_shortcuts(visit.preferences)

    def _save_shortcuts(self, preferences: Preferences) -> None:
        """The customer's choice shows at once and is said; saving it for next time blocks."""
        if self.shell.visit is not None and self.shell.visit.last_edit is not None:
            self.undone = None  # a new change: its own words, not "undone"
        self.refresh()
        self.shell.announce(self.edit_note.accessibleName())
        self.shell.run(self.shell.kiosk.save_preferences, preferences, ok=lambda _none: self._shortcuts_saved())

    def _shortcuts_saved(self) -> None:
        """The focus on the words saying what changed: never on a button that has just gone or
        turned itself off, and never on Undo (Enter pressed again would undo, or redo)."""
        focus = self.edit_note if self.edit_note.isVisible() else self.first_focus()
        if focus is not None:
            focus.setFocus()

    def cancel_held(self, payment_id: str) -> None:
        self.cancel_payment(payment_id, ok=lambda payment: self.follow(flow.after_cancel(payment)))

    # A payment code held to the kiosk's scanner opens its payment here (see ui.scanner).
    accepts_scans = True

    def scanned(self, payload: str) -> None:
        self.hide_error()
        self.shell.run(self.shell.kiosk.read_code, payload, ok=self._code_read)

    def _code_read(self, read: ScannedPayment | str) -> None:
        if isinstance(read, str):  # why this code cannot be paid: nothing was paid
            self.show_error(self.t(read))
            return
        self.follow(self.shell.kiosk.start_scan(read))

    def enter(self, **params: Any) -> None:
        # Back on Home from elsewhere: the last change to the shortcuts stays, no Undo is offered.
        self.undone = None
        if self.shell.visit is not None:
            self.shell.kiosk.keep_shortcut_edits()

    def clear(self) -> None:
        super().clear()
        discard(self.held_widgets)
        discard(self.shortcut_widgets)
        self.shortcut_buttons = []
        self.change_said = False
        self.undone = None
        self.edit.setChecked(False)

    def watch_arrows(self) -> None:
        """A button moves the focus in list order on its own; the screen takes its arrow keys first."""
        for widget in self.findChildren(QWidget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.installEventFilter(self)  # once: Qt keeps one entry per filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget) and watched.hasFocus():
            key = event.key()  # type: ignore[attr-defined]
            if key in ARROWS:
                self.move_by_position(watched, *ARROWS[key])
                return True
        return super().eventFilter(watched, event)

    def move_by_position(self, focused: QWidget, dx: int, dy: int) -> None:
        """Arrow keys move by position, as the tiles are laid out: Down from "Check balance" is the
        tile under it, not the next in the list. Past the screen's edge, Up and Down go on to the
        controls around it (the top and bottom bars); Left and Right stop at the edge."""
        target = self.neighbour(focused, dx, dy)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)
        elif dy:
            (self.focusNextChild if dy > 0 else self.focusPreviousChild)()

    def neighbour(self, origin: QWidget, dx: int, dy: int) -> QWidget | None:
        """The control nearest to ``origin`` in direction (dx, dy): first those in its row (column),
        then the nearest along the way, then the nearest across it."""
        here = _box(self, origin)
        best: tuple[tuple[int, int, int], QWidget] | None = None
        for widget in self.findChildren(QWidget):
            if widget is origin or not _takes_focus(widget):
                continue
            box = _box(self, widget)
            along = (box.center() - here.center()).x() * dx + (box.center() - here.center()).y() * dy
            if along <= 0:
                continue
            if dx:
                lined_up = box.top() <= here.bottom() and box.bottom() >= here.top()
                across = abs(box.center().y() - here.center().y())
            else:
                lined_up = box.left() <= here.right() and box.right() >= here.left()
                across = abs(box.center().x() - here.center().x())
            score = (0 if lined_up else 1, along, across)
            if best is None or score < best[0]:
                best = (score, widget)
        return best[1] if best is not None else None

    def open(self, target: str) -> None:
        if target == "send_payee":
            self.shell.kiosk.start_send()
        self.shell.go(target)

    def title_params(self) -> dict[str, Any]:
        visit = self.shell.visit
        return {"name": visit.customer.name_in(self.t.language) if visit else ""}

    def first_focus(self) -> Any:
        # The customer's first shortcut is one key away; without one, the first core tile.
        if self.shortcut_buttons:
            return self.shortcut_buttons[0]
        visit = self.shell.visit
        first = visit.layout.core[0] if visit is not None and visit.layout is not None else "balance"
        return self.tiles[CORE_TARGETS[first]]


ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


def _box(screen: QWidget, widget: QWidget) -> Any:
    """``widget``'s rectangle in ``screen``'s coordinates."""
    return widget.rect().translated(widget.mapTo(screen, QPoint(0, 0)))


def _takes_focus(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled() and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


class BalanceScreen(Screen):
    screen_id = "balance"

    def build(self) -> None:
        self.rows = QVBoxLayout()
        self.layout_.addLayout(self.rows)
        self.row_widgets: list[QWidget] = []
        # "Read amounts aloud: On/Off", a switch: its state in words on it, said when it changes.
        self.read_aloud = button("balanceReadAloud", "secondary", self)
        self.read_aloud.setCheckable(True)
        # A screen reader's "toggle" flips a checkable button without a click: react to the state.
        self.read_aloud.toggled.connect(self.set_read_aloud)
        self.layout_.addWidget(self.read_aloud)
        self.read_aloud_note = label("balanceReadAloudNote", "info", parent=self)
        self.read_aloud_note.setVisible(False)
        self.layout_.addWidget(self.read_aloud_note)
        self.done = button("balanceDone", "primary", self)
        self.done.clicked.connect(lambda: self.shell.go("home", remember=False))
        self.bind(self.done, "balance.done", "balance.done.description")
        self.layout_.addWidget(self.done)

    def set_read_aloud(self, on: bool) -> None:
        """Balances are private: said only once the customer turns this on, and from then on in this
        visit until they turn it off. Without a voice it cannot be on: the screen says so instead."""
        if on == self.shell.speak_amounts:  # the switch shown anew, not changed by the customer
            return
        if on and not self.shell.voice_available:
            self.show_read_aloud_state()
            note = self.t("balance.read_aloud.no_voice")
            self.read_aloud_note.setText(spaced(note))
            self.read_aloud_note.setAccessibleName(note)
            self.read_aloud_note.setVisible(True)
            self.shell.announce(note)  # to a screen reader, which still speaks
            return
        resumed = on and self.shell.voice_paused
        if resumed:  # they asked to hear: a paused voice would say nothing, so it speaks again
            self.shell.resume_voice()
        self.shell.hear_amounts(on)
        self.show_read_aloud_state()
        sentences = [f"{self.read_aloud.text()}."]
        if resumed:
            sentences.append(self.t("speech.read_aloud.resumed"))
        sentences.append(self.t("speech.read_aloud.on" if on else "speech.read_aloud.off"))
        if on:
            sentences += self.spoken_balances()
        self.shell.announce(" ".join(sentences))

    def spoken_balances(self) -> list[str]:
        visit = self.shell.visit
        if visit is None:
            return []
        return [
            self.t(
                "speech.balance.account",
                name=a.name_in(self.t.language),
                amount=self.shell.money(a.balance_minor, spoken=True),
            )
            for a in visit.accounts
        ]

    def show_read_aloud_state(self) -> None:
        """On or off in words, not by colour alone (as the elder mode switch)."""
        on = self.shell.speak_amounts
        self.read_aloud.blockSignals(True)  # showing the state is not the customer changing it
        self.read_aloud.setChecked(on)
        self.read_aloud.blockSignals(False)
        text = self.t("mode.state", name=self.t("balance.read_aloud"), state=self.t("mode.on" if on else "mode.off"))
        self.read_aloud.setText(text)
        self.read_aloud.setAccessibleName(text)
        self.read_aloud.setAccessibleDescription(self.t("balance.read_aloud.description"))

    def enter(self, **params: Any) -> None:
        self.read_aloud_note.setVisible(False)
        self.shell.run(self.shell.kiosk.view_balance, ok=lambda _: self.refresh())

    def refresh(self) -> None:
        discard(self.row_widgets)
        self.show_read_aloud_state()
        visit = self.shell.visit
        if visit is None:
            return
        for account in visit.accounts:
            # One block per account: a screen in parts never shows an account without its balance.
            block = QWidget(self)
            block.setObjectName(f"balanceBlock_{account.number_last4}")
            lines = QVBoxLayout(block)
            lines.setContentsMargins(0, 0, 0, 0)
            lines.setSpacing(self.rows.spacing())
            name = label(f"balanceAccount_{account.number_last4}", "value", parent=block)
            name.setText(
                spaced(self.t("balance.account", name=account.name_in(self.t.language), last4=account.number_last4))
            )
            amount = label(f"balanceAmount_{account.number_last4}", "amount", wrap=False, parent=block)
            amount.setText(format_amount(account.balance_minor, self.t.language))
            amount.setAccessibleName(self.t("balance.amount_name", name=account.name_in(self.t.language)))
            lines.addWidget(name)
            lines.addWidget(amount)
            if account.held_minor:
                held = label(f"balanceHeld_{account.number_last4}", "muted", parent=block)
                held.setText(spaced(self.t("balance.held", amount=format_amount(account.held_minor, self.t.language))))
                lines.addWidget(held)
            self.rows.addWidget(block)
            self.row_widgets.append(block)

    def clear(self) -> None:
        super().clear()
        discard(self.row_widgets)
        self.read_aloud_note.setVisible(False)
        self.show_read_aloud_state()  # off, as the next customer meets it

    def first_focus(self) -> Any:
        return self.done


ELDER_PAGE_SIZE = 5
STANDARD_PAGE_SIZE = 8


class HistoryScreen(Screen):
    screen_id = "history"

    def build(self) -> None:
        # Which page this is of how many, and the days it covers (the account is in the instruction).
        self.where = label("historyWhere", "value", parent=self)
        self.where.setVisible(False)
        self.layout_.addWidget(self.where)
        # Where the list ends, in words, right above its first row (so both are in view together):
        # it also takes the focus from a paging button that has just turned itself off, so Enter
        # pressed again does nothing instead of paging back.
        self.end = label("historyEnd", "info", parent=self)
        self.end.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.end.setVisible(False)
        self.layout_.addWidget(self.end)
        self.rows = QVBoxLayout()
        self.layout_.addLayout(self.rows)
        self.row_widgets: list[QWidget] = []
        self._row_pool: list[QFrame] = []
        self._row_labels: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        self.empty = label("historyEmpty", "muted", parent=self)
        self.bind(self.empty, "history.empty")
        self.empty.setVisible(False)
        self.layout_.addWidget(self.empty)
        paging = QHBoxLayout()
        self.newer = button("historyNewer", "secondary", self)
        self.newer.clicked.connect(self.show_newer)
        self.bind(self.newer, "history.newer", "history.newer.description")
        self.earlier = button("historyEarlier", "secondary", self)
        self.earlier.clicked.connect(self.show_earlier)
        self.bind(self.earlier, "history.earlier", "history.earlier.description")
        paging.addWidget(self.newer)
        paging.addWidget(self.earlier)
        self.layout_.addLayout(paging)
        self.page: TransactionPage | None = None
        self.cursors: list[int | None] = []  # the cursor of each page shown so far
        self.pressed: QWidget | None = None  # the paging button that asked for the page on its way

    def enter(self, **params: Any) -> None:
        if params.get("keep_page") and self.page is not None:
            return
        self.cursors = [None]
        self.pressed = None
        self.load(None)

    def load(self, cursor: int | None) -> None:
        limit = self.page_size()
        visit = self.shell.visit
        if visit is not None:
            self.shell.run(self.shell.kiosk.history, visit.main_account.id, cursor, limit, ok=self.show_page)

    def show_page(self, page: TransactionPage) -> None:
        self.page = page
        self.refresh()
        pressed, self.pressed = self.pressed, None
        if not self.isVisible():  # Help or Call staff opened meanwhile: the page waits under it, quietly
            return
        if pressed is None:  # the first page: the screen's own first focus
            focus = self.first_focus()
            if focus is not None:
                focus.setFocus()
            return
        # Paging: the pressed button keeps the focus, so Enter pages on. At the end it turns itself
        # off and hands the focus to the words saying so, never to the other button (Enter would
        # then page back, and again forth, for ever).
        (pressed if pressed.isEnabled() else self.end).setFocus()
        self.show_first_row()
        first = str(self.row_widgets[0].property(SPEECH_PROPERTY)) if self.row_widgets else ""
        where = self.where.accessibleName()
        if where:
            where += "。" if self.t.is_chinese else "."
        self.shell.announce(" ".join(text for text in (where, self.end_text(), first) if text))

    def instruction_text(self) -> str:
        """Which account this is the history of, by its name and last four digits."""
        visit = self.shell.visit
        if visit is None or not visit.accounts:
            return super().instruction_text()
        account = visit.main_account
        return self.t(
            "history.instruction_account", account=account.name_in(self.t.language), last4=account.number_last4
        )

    def where_text(self) -> str:
        """'Page 2 of 7  ·  1 Nov 2026 – 28 Nov 2026': the page, and the days its rows cover."""
        if self.page is None or not self.page.items:
            return ""
        pages = self.page.page_count(self.page_size())
        number = len(self.cursors) or 1
        page = (
            self.t("history.page", page=number, pages=pages)
            if pages is not None
            else self.t("history.page_only", page=number)
        )
        newest, oldest = self.t.date(self.page.items[0].at), self.t.date(self.page.items[-1].at)
        dates = newest if newest == oldest else self.t("history.dates", first=oldest, last=newest)
        return self.t("history.where", page=page, dates=dates)

    def page_size(self) -> int:
        # Fewer, larger rows in elder mode, so a page fits without scrolling.
        return ELDER_PAGE_SIZE if self.shell.theme.elder else STANDARD_PAGE_SIZE

    def show_first_row(self) -> None:
        """After paging, the first row is in view (and the focused control too, where both fit)."""
        scroll = self.parentWidget()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        focused = self.focusWidget()
        if scroll is None or not self.row_widgets:
            return
        for _ in range(3):  # the new rows' places, now: the layouts settle from the inside out
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
        if focused is not None:
            scroll.ensureWidgetVisible(focused, 0, 0)
        scroll.ensureWidgetVisible(self.row_widgets[0], 0, 0)

    def end_text(self) -> str:
        """The ends of the list, said in words: newest (first page), oldest (last page), or both."""
        if self.page is None or not self.page.items:
            return ""
        newest, oldest = len(self.cursors) <= 1, self.page.next_cursor is None
        if newest and oldest:
            return self.t("history.end_all")
        if oldest:
            return self.t("history.end_oldest")
        return self.t("history.end_newest") if newest else ""

    def describe(self, item: Transaction) -> str:
        name = item.counterparty_in(self.t.language)
        visit = self.shell.visit
        if item.biller_id and visit is not None:
            biller = next((b for b in visit.billers if b.id == item.biller_id), None)
            if biller is not None:
                name = biller.name_in(self.t.language)
        return self.t(f"history.kind.{item.kind}", name=name)

    def show_earlier(self) -> None:
        if self.page is not None and self.page.next_cursor is not None:
            self.pressed = self.earlier
            self.cursors.append(self.page.next_cursor)
            self.load(self.page.next_cursor)

    def show_newer(self) -> None:
        if len(self.cursors) > 1:
            self.pressed = self.newer
            self.cursors.pop()
            self.load(self.cursors[-1])

    def _new_row(self) -> QFrame:
        number = len(self._row_pool)
        row = QFrame(self)
        row.setObjectName(f"historyRow_{number}")
        # Read-only lines of text, not buttons: drawn as a list, never focused (the paging controls
        # are); a screen reader still reads each row by its name.
        row.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        set_role(row, "row")
        line = QHBoxLayout(row)
        when = label(f"historyWhen_{number}", "muted", wrap=False, parent=row)
        what = label(f"historyWhat_{number}", "value", parent=row)
        amount = label(f"historyAmount_{number}", "value", wrap=False, parent=row)
        amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        line.addWidget(when)
        line.addWidget(what, 1)
        line.addWidget(amount)
        self.rows.addWidget(row)
        self._row_labels[row.objectName()] = (when, what, amount)
        return row

    def _fill_row(self, row: QFrame, item: Transaction) -> None:
        when, what, amount = self._row_labels[row.objectName()]
        when.setText(self.t.date_time(item.at))
        description = self.describe(item)
        what.setText(spaced(description))
        amount.setText(movement(item.amount_minor, self.t))
        text = self.t("history.row", when=when.text(), description=description, amount=amount.text())
        row.setAccessibleName(text)
        # Said after paging: the amount only once the customer asked to hear amounts.
        speech = self.t("history.row_speech", when=when.text(), description=description)
        if self.shell.speak_amounts:
            speech = f"{speech} {self.shell.money(abs(item.amount_minor), spoken=True)}"
        row.setProperty(SPEECH_PROPERTY, speech)

    def refresh(self) -> None:
        # The rows are made once and filled anew for each page (never deleted while paging: freeing
        # a page's rows on every turn crashed Qt, at random, in the deletion of a row's labels).
        items = self.page.items if self.page else []
        while len(self._row_pool) < len(items):
            self._row_pool.append(self._new_row())
        for row, item in zip(self._row_pool, items, strict=False):
            self._fill_row(row, item)
            row.show()
        for row in self._row_pool[len(items) :]:  # unused: hidden, and holding nothing of anybody's
            row.hide()
            row.setAccessibleName("")
            row.setProperty(SPEECH_PROPERTY, "")
            for text in self._row_labels[row.objectName()]:
                text.clear()
        self.row_widgets = list(self._row_pool[: len(items)])
        self.empty.setVisible(self.page is not None and not items)
        where = self.where_text()
        self.where.setText(spaced(where))
        self.where.setAccessibleName(where)
        self.where.setVisible(bool(where))
        end = self.end_text()
        self.end.setText(spaced(end))
        self.end.setAccessibleName(end)
        self.end.setVisible(bool(end))
        self.earlier.setEnabled(self.page is not None and self.page.next_cursor is not None)
        self.newer.setEnabled(len(self.cursors) > 1)

    def clear(self) -> None:
        super().clear()
        self.page = None
        self.cursors = []
        self.pressed = None
        self.refresh()

    def first_focus(self) -> Any:
        return self.earlier if self.earlier.isEnabled() else self.shell.back_control()


class HelpScreen(Screen):
    screen_id = "help"
    needs_customer = False

    def build(self) -> None:
        self.text = label("helpText", "", parent=self)
        self.layout_.addWidget(self.text)
        self.staff = button("helpCallStaff", "primary", self)
        self.staff.clicked.connect(self.shell.call_staff)
        # Its own words: two buttons in view with one name cannot be told apart by a screen reader.
        self.bind(self.staff, "help.call_staff", "nav.call_staff.description")
        self.layout_.addWidget(self.staff)
        self.done = button("helpDone", "secondary", self)
        self.done.clicked.connect(self.shell.back)
        self.bind(self.done, "help.done", "help.done.description")
        self.layout_.addWidget(self.done)
        # During a task: carry it on on the phone (ui.screens.handoff).
        self.hand_off = button("helpHandOff", "secondary", self)
        self.hand_off.clicked.connect(self.shell.hand_off)
        self.bind(self.hand_off, "help.hand_off", "help.hand_off.description")
        self.layout_.addWidget(self.hand_off)
        self.about = "welcome"

    def enter(self, **params: Any) -> None:
        self.about = params.get("about", self.about)

    def refresh(self) -> None:
        key = f"help.{self.about}"
        text = self.t(key) if self.t.has(key) else self.t("help.general")
        self.text.setText(spaced(text))
        self.text.setAccessibleName(text)
        visit = self.shell.visit
        self.hand_off.setVisible(visit is not None and visit.progress is not None and visit.progress.step == self.about)

    def first_focus(self) -> Any:
        return self.done
