"""What assistive technology hears: what a sighted customer sees, and nothing private.

One place for it. The window (ui.main_window) calls :class:`ScreenReaderChannel` on every screen
change (the screen's title, its instruction and any result or problem on it) and for every
sentence it announces (errors, results, "4 digits entered"); the focused control a screen reader
reads by itself.

Two ways in, because screen readers differ:
- a screen is an accessible *group* named after what it shows (title, instruction, result), so a
  screen reader says it together with the control the focus lands on when the screen appears, in
  one breath (Orca, NVDA and others read the group a focus enters; no timing, no interruption);
- everything else, and a screen whose focus stays outside it, is a Qt accessibility
  *announcement* (QAccessibleAnnouncementEvent: AT-SPI ``object:announcement``, UIA notification,
  VoiceOver announcement), and, for screen readers that do not take announcements yet (Orca
  before 46, as in Debian 12), also an accessible *notification* shown anew with the sentence,
  which they read when it appears. A screen reader that takes both may say such a sentence twice.

The PIN field (:class:`PinField`) never holds the digits: its text is one mask character per
digit and the digits live in Python only, so no accessibility event, value or text can carry them
(Qt's line edit reports every typed character to AT-SPI as inserted text, and Orca speaks it,
masked display or not).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QAccessibleWidget, QLineEdit, QWidget

from client import inputs

SCREEN_GROUP_PROPERTY = "accessibleGroup"  # a widget with this property is an accessible group (a screen)
LIVE_PROPERTY = "accessibleLive"  # the window's live notice: an accessible notification
PIN_MASK = "*"  # what a screen reader may echo for a typed PIN digit ("star"), never the digit
PIN_LENGTH = 6

_factory_installed = False


def _group_factory(class_name: str, target: QObject) -> QAccessibleInterface | None:
    if isinstance(target, QWidget) and target.property(SCREEN_GROUP_PROPERTY):
        return QAccessibleWidget(target, QAccessible.Role.Grouping)
    if isinstance(target, QWidget) and target.property(LIVE_PROPERTY):
        return QAccessibleWidget(target, QAccessible.Role.Notification)
    return None


def as_group(widget: QWidget) -> None:
    """Make ``widget`` (a screen) an accessible group. Before anything asks for its accessible
    interface: Qt makes one per widget and keeps it."""
    install()
    widget.setProperty(SCREEN_GROUP_PROPERTY, True)


def install() -> None:
    """Let screens be accessible groups (once per process)."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_group_factory)
        _factory_installed = True


def post(event: QAccessibleAnnouncementEvent) -> None:
    """Hand an announcement to Qt's accessibility bridge (tests record what goes through here)."""
    QAccessible.updateAccessibility(event)


def announce(source: QObject, text: str, *, assertive: bool = False) -> None:
    """Ask assistive technology to say ``text`` now (polite: after what it is saying)."""
    event = QAccessibleAnnouncementEvent(source, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive if assertive else QAccessible.AnnouncementPoliteness.Polite
    )
    post(event)


class ScreenReaderChannel(QObject):
    """The window's one path to assistive technology."""

    said = Signal(str)  # every text handed to assistive technology (research logs, tests)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        install()
        self._window = window
        self._named: QWidget | None = None
        # For screen readers that do not take announcements yet (Orca before 46, as in Debian 12): a
        # notification shown anew with each sentence, which they read when it appears. It draws
        # nothing and takes no input or focus.
        self.live = QWidget(window)
        self.live.setObjectName("screenReaderNotice")
        self.live.setProperty(LIVE_PROPERTY, True)
        self.live.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.live.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.live.setGeometry(0, 0, 1, 1)
        self.live.hide()

    def name_screen(self, screen: QWidget, title: str, instruction: str, statuses: list[str]) -> str:
        """Name ``screen`` after what it shows (its title, then a result or problem on it, then
        what to do); return that text."""
        text = sentences([title, *statuses, instruction])
        previous = self._named
        if previous is not None and previous is not screen:
            previous.setAccessibleName("")  # only the screen on view is named: nothing of it stays behind
        screen.setAccessibleName(text)
        self._named = screen
        return text

    def arrived(self, screen: QWidget, text: str, focus: QWidget | None) -> None:
        """A new screen is shown: its name is read with the focused control when the focus enters it;
        otherwise (focus outside the screen, or nowhere) it is announced."""
        self.live.hide()
        self.live.setAccessibleName("")  # what was said on the last screen does not stay behind
        if focus is None or not screen.isAncestorOf(focus):
            self.say(text)
        else:
            self.said.emit(text)

    def say(self, text: str, *, assertive: bool = False) -> None:
        text = " ".join(text.split())
        if text:
            announce(self._window, text, assertive=assertive)
            self.live.hide()
            self.live.setAccessibleName(text)
            self.live.show()
            self.said.emit(text)


def sentences(parts: list[str]) -> str:
    """Join texts as sentences: "Done." + "200 sent." (no doubled stops, Chinese stops kept)."""
    out = []
    for part in (" ".join(p.split()) for p in parts):
        if part:
            out.append(part if part[-1] in ".!?。！？…:：" else f"{part}.")
    return " ".join(out)


class PinField(QLineEdit):
    """A PIN field that cannot leak: its text is one mask character per digit, the digits are kept
    here only. Password echo mode keeps the role a screen reader treats as secret ("password
    text"), so it does not echo keys either; pasting, undo and the context menu are off."""

    digits_changed = Signal(int)  # how many digits there are now (never which)

    def __init__(self, name: str, parent: QWidget | None = None, *, max_length: int = PIN_LENGTH) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._digits = ""
        self._max = max_length
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(max_length)
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.setDragEnabled(False)
        self.textChanged.connect(self._set_from_outside)

    def digits(self) -> str:
        return self._digits

    def insert(self, text: str) -> None:  # the on-screen keypad types here
        for char in text:
            self._add(char)

    def backspace(self) -> None:
        if self._digits:
            self._digits = self._digits[:-1]
            self.end(False)
            super().backspace()
            self.digits_changed.emit(len(self._digits))

    def clear(self) -> None:
        self._digits = ""
        super().clear()

    def _add(self, char: str) -> None:
        digit = inputs.digits(char)  # full-width digits from a CJK keyboard count as digits too
        if len(digit) != 1 or len(self._digits) >= self._max:
            return  # not a digit (a superscript "²" once raised here, inside Qt's key handling)
        self._digits += digit
        self.end(False)
        super().insert(PIN_MASK)
        self.digits_changed.emit(len(self._digits))

    def _set_from_outside(self, text: str) -> None:
        """Assistive technology's text entry (AT-SPI EditableText: voice control) sets the text
        itself, past the methods above: the digits it brought are taken aside and masks shown
        instead, as for typed ones. Masks it removed take their digits with them."""
        if text == PIN_MASK * len(self._digits):
            return  # our own change
        kept = min(text.count(PIN_MASK), len(self._digits))
        self._digits = self._digits[:kept]
        self.setText(PIN_MASK * kept)
        before = len(self._digits)
        self.insert("".join(char for char in text if char != PIN_MASK))
        if len(self._digits) == before:  # only masks removed (or nothing usable brought)
            self.digits_changed.emit(before)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)  # returnPressed
        elif key == Qt.Key.Key_Backspace:
            self.backspace()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Clear):
            self.clear()
            self.digits_changed.emit(0)
        elif event.text() and event.text().isprintable() and not event.modifiers() & ~_TYPING_MODIFIERS:
            self.insert(event.text())  # anything else typed is dropped, never stored
        else:
            event.ignore()  # arrows, Tab, Esc, shortcuts: the screen and the window handle them

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        self.insert(event.commitString())
        event.accept()


_TYPING_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


DIGIT_HIDDEN_PROPERTY = "digitHidden"  # a PIN key that shares its name with the others on purpose


def hide_key_digits(keys: dict[str, QWidget], name: str, description: str) -> None:
    """PIN keypad keys are named for what they do, not by their digit: a screen reader exploring
    the keypad, or reading a key as it is pressed, cannot say the PIN."""
    for key, widget in keys.items():
        if key.isdigit():
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)
            widget.setProperty(DIGIT_HIDDEN_PROPERTY, True)
