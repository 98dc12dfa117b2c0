"""Small building blocks every screen uses: roles, buttons, fields with buddy labels, the keypad."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from client.i18n import Translator

# DESIGN.md: line spacing >= 1.3. A percentage of the font's own line height, which is already
# about 1.16 em (Noto Sans) or 1.44 em (Noto Sans CJK): 115% gives >= 1.33 em, and leaves room.
LINE_SPACING_PERCENT = 115
BUDDY_PROPERTY = "buddyField"
SPEECH_PROPERTY = "speech"  # what to say on focus instead of the accessible name (private data)
KEYPAD_KEY_PROPERTY = "keypadKey"  # on-screen keys: no keyboard focus, the real keys do the same
ICON_PROPERTY = "iconName"  # the icon beside a control's text (ui.icons draws it in the text's colour)


def buddy_of(caption: QWidget) -> QLineEdit | None:
    """The field a caption names (set by :func:`field`), without calling QLabel.buddy()."""
    name = caption.property(BUDDY_PROPERTY)
    if not name:
        return None
    parent = caption.parentWidget()
    return parent.findChild(QLineEdit, str(name)) if parent is not None else None


def set_role(widget: QWidget, role: str) -> None:
    """Styling hook for the theme's stylesheet (re-polished so a change shows at once)."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_chrome(*widgets: QWidget) -> None:
    """Part of the window's frame (top bar, navigation bar, pager): its text grows only up to
    the theme's chrome size, so the screen's content has the room at large text sizes."""
    for widget in widgets:
        widget.setProperty("chrome", True)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def spaced(text: str) -> str:
    """Rich text with generous line spacing, for labels that may wrap."""
    escaped = html.escape(text).replace("\n", "<br>")
    return f'<p style="line-height:{LINE_SPACING_PERCENT}%; margin:0">{escaped}</p>'


def label(name: str, role: str = "", *, wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    widget = QLabel(parent)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.RichText if wrap else Qt.TextFormat.PlainText)
    if role:
        set_role(widget, role)
    return widget


def button(name: str, role: str = "secondary", parent: QWidget | None = None, *, icon: str = "") -> QPushButton:
    """A push button; ``icon`` (a file in assets/icons, ui.icons) is drawn beside its text."""
    widget = QPushButton(parent)
    widget.setObjectName(name)
    if icon:
        widget.setProperty(ICON_PROPERTY, icon)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setAutoDefault(False)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    set_role(widget, role)
    return widget


def field(name: str, parent: QWidget | None = None) -> tuple[QLabel, QLineEdit]:
    """A text field and its buddy label (the label names the field for screen readers too)."""
    caption = label(f"{name}Label", "value", wrap=False, parent=parent)
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    caption.setBuddy(edit)
    # Remember the pair ourselves: PySide's QLabel.buddy() mis-counts None and can crash.
    caption.setProperty(BUDDY_PROPERTY, name)
    return caption, edit


class Keypad(QWidget):
    """The on-screen 12-key pad. A physical keypad or keyboard types straight into the field.

    Keys take no keyboard focus: keyboard users already have the keys themselves, and the
    focus order stays short.
    """

    digit = Signal(str)
    delete = Signal()
    enter = Signal()
    repeat_requested = Signal()  # the keypad's repeat key: say the prompt again

    KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0")

    def __init__(self, name: str, *, decimal: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        # Four rows, not five: the digits in three columns, Delete, Repeat and a tall OK in the
        # fourth. The keys may shrink to the target size (60 px in elder mode), never below.
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate(self.KEYS):
            if key == "." and not decimal:
                continue
            self._add_key(grid, key, f"{name}_key_{'point' if key == '.' else key}", index // 3, index % 3)
        self._add_key(grid, "⌫", f"{name}_key_delete", 0, 3)
        self.repeat = WrapButton(f"{name}_key_repeat", "key")
        self.repeat.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.repeat.setProperty(KEYPAD_KEY_PROPERTY, True)
        self.repeat.clicked.connect(self.repeat_requested.emit)
        grid.addWidget(self.repeat, 1, 3)
        self.ok = WrapButton(f"{name}_key_ok", "primary")
        self.ok.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ok.setProperty(KEYPAD_KEY_PROPERTY, True)
        self.ok.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.ok.clicked.connect(self.enter.emit)
        grid.addWidget(self.ok, 2, 3, 2, 1)
        for column, stretch in enumerate((2, 2, 2, 3)):
            grid.setColumnStretch(column, stretch)

    def _add_key(self, grid: QGridLayout, key: str, name: str, row: int, column: int) -> None:
        key_button = button(name, "key")
        key_button.setText(key)
        key_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key_button.setProperty(KEYPAD_KEY_PROPERTY, True)
        key_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if key == "⌫":
            key_button.clicked.connect(self.delete.emit)
        else:
            key_button.clicked.connect(lambda _=False, k=key: self.digit.emit(k))
        grid.addWidget(key_button, row, column)
        self.keys[key] = key_button

    def show_repeat(self, shown: bool) -> None:
        """The keypad's own Repeat key, where the top bar has none (standard mode): never two.
        Without it, OK takes its place too: three rows tall, room for long words at 34 pt."""
        self.repeat.setVisible(shown)
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        grid.removeWidget(self.ok)
        grid.addWidget(self.ok, 2 if shown else 1, 3, 2 if shown else 3, 1)

    def retranslate(self, t: Translator, ok_key: str = "keypad.ok") -> None:
        for key, key_button in self.keys.items():
            name = t("keypad.delete") if key == "⌫" else key
            key_button.setAccessibleName(name)
            key_button.setAccessibleDescription(t("keypad.delete") if key == "⌫" else t("keypad.digit"))
        for key_button, text in ((self.ok, t(ok_key)), (self.repeat, t("voice.repeat"))):
            key_button.setText(text)
            key_button.setAccessibleName(text)
            key_button.setAccessibleDescription(text)

    def attach(self, edit: QLineEdit) -> None:
        """Keys type into ``edit``; OK presses Enter on it."""
        self.digit.connect(lambda key: edit.insert(key))
        self.delete.connect(edit.backspace)
        self.enter.connect(edit.returnPressed.emit)


def layout_items(layout: QLayout) -> list[tuple[int, QWidget | QLayout]]:
    """The widgets and nested layouts of ``layout`` with their index, in order (spacers left out).

    Found through Qt's object tree, never through ``itemAt``: PySide keeps every layout item it
    hands out (an item of a widget or a spacer is no QObject) for as long as the layout lives,
    registered at its address even after Qt deleted it. The pager asking on every fit piled up
    hundreds per customer (memory), and a widget made later at a freed address came back to
    Python as an old item: the window's event filter was handed a QWidgetItem, and deleting a
    button at sign-out crashed the kiosk."""
    found: list[tuple[int, QWidget | QLayout]] = []
    for child in layout.children():  # nested layouts are their layout's QObject children
        if isinstance(child, QLayout) and (index := layout.indexOf(child)) >= 0:
            found.append((index, child))
    parent = layout.parentWidget()
    if parent is not None:
        for widget in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if (index := layout.indexOf(widget)) >= 0:
                found.append((index, widget))
    return sorted(found, key=lambda entry: entry[0])


def is_empty(entry: QWidget | QLayout) -> bool:
    """Whether a layout's widget or nested layout takes no room (Qt's QLayoutItem.isEmpty)."""
    if isinstance(entry, QLayout):
        return entry.isEmpty()
    return entry.isHidden() and not entry.sizePolicy().retainSizeWhenHidden()


def discard(widgets: list[QWidget]) -> None:
    """Remove widgets at once (out of the window's tree now, freed later by Qt)."""
    for widget in widgets:
        widget.hide()
        widget.setParent(None)  # type: ignore[call-overload]
        widget.deleteLater()
    widgets.clear()


class WrapButton(QPushButton):
    """A push button whose text wraps onto several lines (long answers in large print).

    The text is kept on the button too (``text()``, accessibility); it is drawn by an inner
    word-wrapped label instead of the button itself.
    """

    def __init__(self, name: str, role: str = "secondary", parent: QWidget | None = None, *, icon: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(False)
        # The icon (ui.icons) sits left of the words, in a label of its own, shown once drawn.
        self.icon_label = QLabel(self)
        self.icon_label.setObjectName(f"{name}_icon")
        self.icon_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.icon_label.setVisible(False)
        if icon:
            self.setProperty(ICON_PROPERTY, icon)
        self.caption = QLabel(self)
        self.caption.setObjectName(f"{name}_caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.caption, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        set_role(self, role)
        self.toggled.connect(self._restyle_caption)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.caption.setText(text)
        self.updateGeometry()

    def _restyle_caption(self, checked: bool) -> None:
        set_role(self.caption, "on_primary" if checked else "")

    def paintEvent(self, event: object) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        margins = self.layout().contentsMargins()
        inner = width - margins.left() - margins.right()
        if not self.icon_label.isHidden():
            inner -= self.icon_label.width() + self.layout().spacing()
        inner = max(inner, 1)
        return self.caption.heightForWidth(inner) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        width = max(super().sizeHint().width() // 2, 200)
        return QSize(width, max(self.heightForWidth(width), self.minimumHeight()))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.minimumHeight())
