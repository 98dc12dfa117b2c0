"""The on-screen keyboard for names: large letter keys, moved over with the arrow keys and pressed
with Enter (a keypad is enough), and typed on straight from a keyboard. In a Chinese customer's
language the letters are pinyin: a row of characters in the customer's script comes up, chosen by
their number (1-6) or with the arrows and Enter. The choosing itself is client.name_input's.

Its keys take the focus only from the arrow keys, not from Tab: Tab goes from the name to the
next control, as on every screen, and a keyboard customer types into the name field directly.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from client.i18n import Translator
from client.name_input import CANDIDATES_PER_PAGE, NameComposer, script_for
from ui.widgets import KEYPAD_KEY_PROPERTY, button, label

LETTER_ROWS = ("abcdefghij", "klmnopqrst", "uvwxyz-")  # then Space, Delete and Done
ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
ROOMY_CANDIDATE = "6 龍"  # a number and a wide character: the room every character key gets
NUMBER_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, CANDIDATES_PER_PAGE + 1)}


class NameKeyboard(QWidget):
    """Types into a name field (:meth:`attach`). ``finished``: Done pressed (the name is complete)."""

    finished = Signal()

    def __init__(self, name: str, announce: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._announce = announce
        self.t: Translator | None = None
        self.composer = NameComposer(None)
        self.target: QLineEdit | None = None
        self.below: QWidget | None = None  # where Down from the bottom row goes (the screen's next control)
        self._last_key: QPushButton | None = None  # the letter key to come back to after a choice

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        # Above the letters: the name so far with the pinyin typed, and (Chinese only) pinyin or
        # letters and the pinyin's characters. The row keeps its room while nothing is typed: the
        # keys never move under a finger.
        self.choice_row = QWidget(self)
        self.choice_row.setObjectName(f"{name}_choices")
        choices = QHBoxLayout(self.choice_row)
        choices.setContentsMargins(0, 0, 0, 0)
        choices.setSpacing(8)
        self.mode = self._key(f"{name}_key_mode", "", self.choice_row, self.switch_mode)
        choices.addWidget(self.mode)
        self.typed = label(f"{name}_typed", "value", wrap=False, parent=self.choice_row)
        self.typed.setTextFormat(Qt.TextFormat.RichText)
        self.typed.setMinimumWidth(80)
        self.typed.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long names elide
        choices.addWidget(self.typed, 1)
        self.earlier = self._key(f"{name}_earlier", "◀", self.choice_row, self._earlier)
        choices.addWidget(self.earlier)
        self.candidates: list[QPushButton] = []
        for number in range(1, CANDIDATES_PER_PAGE + 1):
            key = self._key(f"{name}_candidate_{number}", "", self.choice_row, lambda n=number: self.choose(n))
            choices.addWidget(key)
            self.candidates.append(key)
        self.more = self._key(f"{name}_more", "▶", self.choice_row, self._more)
        choices.addWidget(self.more)
        for key in (self.earlier, *self.candidates, self.more):
            policy = key.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            key.setSizePolicy(policy)
        outer.addWidget(self.choice_row)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.letters: dict[str, QPushButton] = {}
        for row, letters in enumerate(LETTER_ROWS):
            for column, letter in enumerate(letters):
                key_name = "hyphen" if letter == "-" else letter
                key = self._key(f"{name}_key_{key_name}", letter, self, lambda c=letter: self.press(c))
                grid.addWidget(key, row, column)
                self.letters[letter] = key
        last_row, after_letters = len(LETTER_ROWS) - 1, len(LETTER_ROWS[-1])
        self.space = self._key(f"{name}_key_space", "", self, lambda: self.press(" "))
        self.delete = self._key(f"{name}_key_delete", "⌫", self, self.delete_one)
        self.done = self._key(f"{name}_key_done", "", self, self._done, role="primary")
        for offset, key in enumerate((self.space, self.delete, self.done)):
            grid.addWidget(key, last_row, after_letters + offset)
        outer.addLayout(grid)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._show_choices()

    def _key(
        self, name: str, text: str, parent: QWidget, pressed: Callable[[], None], role: str = "key"
    ) -> QPushButton:
        key = button(name, role, parent)
        key.setText(text)
        key.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # reached by the arrows, not by Tab
        key.setProperty(KEYPAD_KEY_PROPERTY, True)  # a keyboard has these keys itself
        key.clicked.connect(lambda _checked=False: pressed())
        key.installEventFilter(self)
        return key

    # --- the field it types into ----------------------------------------------------------------

    def attach(self, field: QLineEdit, below: QWidget) -> None:
        self.target = field
        self.below = below
        field.installEventFilter(self)
        field.textChanged.connect(lambda _text: self._show_choices())

    def set_language(self, t: Translator) -> None:
        """The customer's language: pinyin and their script for Chinese, letters for English."""
        self.t = t
        script = script_for(t.language)
        if self.composer.script != script:  # a new customer's language; a restyle keeps what is typed
            self.composer = NameComposer(script)
        self.mode.setVisible(script is not None)
        self.retranslate()

    def retranslate(self) -> None:
        t = self.t
        if t is None:
            return
        typing = t("name_keyboard.typing.description")
        for letter, key in self.letters.items():
            name = t("name_keyboard.hyphen") if letter == "-" else t("name_keyboard.letter", letter=letter.upper())
            key.setAccessibleName(name)
            key.setAccessibleDescription(typing)
        for key, text_key in ((self.space, "name_keyboard.space"), (self.done, "name_keyboard.done")):
            key.setText(t(text_key))
        to_letters = self.composer.mode == "pinyin"
        self.mode.setText("ABC" if to_letters else "拼音")  # the names of the two ways of typing
        _fit_text(self.mode)
        for key, name, description in (
            (self.space, t("name_keyboard.space"), typing),
            (self.delete, t("name_keyboard.delete"), t("name_keyboard.delete.description")),
            (
                self.mode,
                t("name_keyboard.to_letters" if to_letters else "name_keyboard.to_pinyin"),
                t("name_keyboard.mode.description"),
            ),
            (self.done, t("name_keyboard.done"), t("name_keyboard.done.description")),
            (self.earlier, t("name_keyboard.earlier"), t("name_keyboard.earlier")),
            (self.more, t("name_keyboard.more"), t("name_keyboard.more")),
        ):
            key.setAccessibleName(name)
            key.setAccessibleDescription(description)
        for key in self.candidates:
            key.setAccessibleDescription(t("name_keyboard.candidate.description"))
        self._show_choices()

    # --- pressing keys --------------------------------------------------------------------------

    def press(self, character: str) -> None:
        """A letter, the hyphen or the space: into the name, or into the pinyin being typed."""
        if self.target is None:
            return
        if character == " " and self.composer.composing:
            self.choose(1)  # as with every pinyin input: Space takes the first character
            return
        # A letter may wait in the pinyin; a space or a hyphen ends the pinyin as letters.
        text = self.composer.letter(character) if character.isalpha() else self.composer.commit_letters() + character
        if text:
            self.target.insert(text)
        self._show_choices()
        if self.composer.composing:
            self._say_choices()

    def choose(self, number: int) -> None:
        character = self.composer.choose(number)
        if not character or self.target is None or self.t is None:
            return
        self.target.insert(character)
        self._show_choices()  # its row goes: the focus goes back to the letters, where the next syllable starts
        self._announce(self.t("name_keyboard.chosen", character=character, name=self.target.text()))

    def delete_one(self) -> None:
        if self.target is None or self.t is None:
            return
        if self.composer.delete():
            self._show_choices()
            if self.composer.composing:
                self._say_choices()
                return
        else:
            self.target.backspace()
        name = self.target.text()
        self._announce(self.t("name_keyboard.left", name=name) if name else self.t("name_keyboard.empty"))

    def switch_mode(self) -> None:
        if self.target is not None:
            self.target.insert(self.composer.commit_letters())
        self.composer.switch_mode()
        self.retranslate()
        if self.t is not None:
            self._announce(self.mode.accessibleName())

    def _done(self) -> None:
        if self.target is not None and self.composer.composing:
            self.target.insert(self.composer.commit_letters())
            self._show_choices()
        self.finished.emit()

    def _earlier(self) -> None:
        self.composer.earlier()
        self._show_choices()
        self._say_choices()
        if not self.earlier.isEnabled():
            self.more.setFocus()  # the neighbour on the row, never a key that is off

    def _more(self) -> None:
        self.composer.more()
        self._show_choices()
        self._say_choices()
        if not self.more.isEnabled():
            self.earlier.setFocus()

    def clear(self) -> None:
        self.composer.clear()
        self._last_key = None
        self._show_choices()

    # --- what shows -----------------------------------------------------------------------------

    def _show_choices(self) -> None:
        row_had_focus = self.choice_row.isAncestorOf(QApplication.focusWidget())
        composing = self.composer.composing
        t = self.t
        shown = self.composer.shown()
        for number, key in enumerate(self.candidates, start=1):
            character = shown[number - 1] if number <= len(shown) else ""
            key.setText(f"{number} {character}" if character else "")
            _fit_text(key)
            key.setVisible(bool(character))
            if t is not None and character:
                key.setAccessibleName(t("name_keyboard.candidate", number=number, character=character))
        found = bool(shown)
        self.earlier.setVisible(found)
        self.more.setVisible(found)
        self.earlier.setEnabled(self.composer.has_earlier)
        self.more.setEnabled(self.composer.has_more)
        typed = self.composer.typed
        if composing and not found and t is not None:
            typed = t("name_keyboard.none_short", typed=typed)
        name = self.target.text() if self.target is not None else ""
        # The end of a long name, where the customer is typing; the pinyin underlined, as it waits.
        room = max(self.typed.width(), 80)
        metrics = self.typed.fontMetrics()
        name = metrics.elidedText(
            name, Qt.TextElideMode.ElideLeft, max(room - metrics.horizontalAdvance(typed) - 8, 20)
        )
        self.typed.setText(f"{html.escape(name)} <u>{html.escape(typed)}</u>" if typed else html.escape(name))
        self.typed.setAccessibleName(f"{name} {typed}".strip())
        focused = QApplication.focusWidget()
        if row_had_focus and not (
            focused is not None and self.choice_row.isAncestorOf(focused) and focused.isVisible()
        ):
            # The key pressed has gone (a character chosen, nothing more to page): never leave the
            # focus to Qt's next in line. The first character, or back to the letters.
            (self.candidates[0] if found else self._last_key or self.letters["a"]).setFocus()

    def _say_choices(self) -> None:
        if self.t is None:
            return
        shown = self.composer.shown()
        if not shown:
            self._announce(self.t("name_keyboard.none", typed=self.composer.typed))
            return
        listed = ", ".join(f"{number} {character}" for number, character in enumerate(shown, start=1))
        self._announce(self.t("name_keyboard.choices", typed=self.composer.typed, choices=listed))

    # --- keys from a keyboard or keypad ---------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        restyled = event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Polish)
        if restyled and isinstance(watched, QPushButton) and self.choice_row.isAncestorOf(watched):
            _fit_text(watched)  # a new text size: new room for the text
        if event.type() == QEvent.Type.FocusIn and watched in self.letters.values():
            self._last_key = watched  # type: ignore[assignment]
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.target:
            return self._field_key(event)
        if isinstance(watched, QPushButton) and self.isAncestorOf(watched):
            return self._key_key(watched, event)
        return super().eventFilter(watched, event)

    def _typed_key(self, event: QKeyEvent) -> bool:
        """Keys that type, wherever the focus is in the name or on the keyboard."""
        key = event.key()
        if self.composer.composing and key in NUMBER_KEYS:
            self.choose(NUMBER_KEYS[key])  # type: ignore[index]
            return True
        if key == Qt.Key.Key_Backspace:
            self.delete_one()
            return True
        text = event.text()
        typing = len(text) == 1 and text.isascii() and (text.isalpha() or text in " -")
        # Letters for a name in letters go into the field itself (where its cursor is) when it has the focus.
        if typing and (self.composer.mode == "pinyin" or self.target is None or not self.target.hasFocus()):
            self.press(text.lower() if self.composer.mode == "pinyin" else text)
            return True
        return False

    def _field_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Down:
            self._enter_keys()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.composer.composing:
            self.target.insert(self.composer.commit_letters())  # type: ignore[union-attr]
            self._show_choices()
            return True
        if key == Qt.Key.Key_Backspace and not self.composer.composing:
            return False  # the field deletes its own character, where its cursor is
        return self._typed_key(event)

    def _key_key(self, key_button: QPushButton, event: QKeyEvent) -> bool:
        key = event.key()
        if key in ARROWS:
            self._move(key_button, *ARROWS[key])  # type: ignore[index]
            return True
        if key == Qt.Key.Key_Tab and self.below is not None:
            self.below.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if key == Qt.Key.Key_Backtab and self.target is not None:
            self.target.setFocus(Qt.FocusReason.BacktabFocusReason)
            return True
        return self._typed_key(event)

    def _enter_keys(self) -> None:
        first = self.candidates[0] if self.composer.composing and self.candidates[0].isVisible() else None
        (first or self._last_key or self.letters["a"]).setFocus()

    def _rows(self) -> list[list[QPushButton]]:
        """The keys as drawn, row by row, each row left to right (only those shown and on)."""
        rows = [[self.mode, self.earlier, *self.candidates, self.more]]
        rows.extend([self.letters[c] for c in letters] for letters in LETTER_ROWS)
        rows[-1].extend((self.space, self.delete, self.done))
        return [[k for k in row if k.isVisibleTo(self) and k.isEnabled()] for row in rows]

    def _move(self, origin: QPushButton, dx: int, dy: int) -> None:
        """By position: Left and Right along the row, stopping at its ends; Up and Down to the
        nearest key above or below, and past the top to the name, past the bottom on."""
        rows = [row for row in self._rows() if row]
        where = next(((r, row.index(origin)) for r, row in enumerate(rows) if origin in row), None)
        if where is None:
            return
        row_index, column = where
        if dx:
            row = rows[row_index]
            row[max(0, min(len(row) - 1, column + dx))].setFocus()
            return
        target_row = row_index + dy
        if target_row < 0:
            if self.target is not None:
                self.target.setFocus()
            return
        if target_row >= len(rows):
            if self.below is not None:
                self.below.setFocus()
            return
        x = origin.mapTo(self, origin.rect().center()).x()
        nearest = min(rows[target_row], key=lambda k: abs(k.mapTo(self, k.rect().center()).x() - x))
        nearest.setFocus()


def _fit_text(key: QPushButton) -> None:
    """A key on the crowded top row keeps room for its whole text, the same room whatever the
    character (the row never shifts as the characters change); the name beside it gives way."""
    samples = {"ABC", "拼音"} if key.objectName().endswith("_key_mode") else {key.text() or ROOMY_CANDIDATE}
    if "_candidate_" in key.objectName():
        samples = {ROOMY_CANDIDATE}
    needed = max(key.fontMetrics().horizontalAdvance(sample) for sample in samples) + 20
    key.setMinimumWidth(max(needed, key.minimumHeight()))  # never narrower than tall: a target, not a sliver
