"""Nothing scrolls: a screen too long for the window is shown in parts.

Every screen sits in a :class:`ScreenView` whose scroll bars never show. When a screen's
content is taller than the room it has, the :class:`Pager` cuts it into parts at the
boundaries of its rows (never through a control), shows one part at a time, and shows a bar
with "Previous part", "Part 2 of 3" and "Next part" under it. The part with the focus is the
one shown: Tab onto a control of another part turns to that part. Both ends are visible: at
the first part "Previous part" is off, at the last "Next part" is off (and says so), and the
focus never lands on a button that is off.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from client.i18n import Translator
from ui.widgets import button, is_empty, label, layout_items

BAR_GAP = 8  # between a part and the bar under it


class ScreenView(QScrollArea):
    """Holds one screen; shows one band of it (a part), never a scroll bar."""

    def __init__(self, screen: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"view_{screen.objectName().removeprefix('screen_')}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(screen)
        self.band = (0, 0)  # (top, height) of the screen shown; height 0: all of it

    def show_band(self, top: int, height: int) -> None:
        self.band = (top, height)
        below = max(self.height() - height, 0) if height else 0
        self.setViewportMargins(0, 0, 0, below)
        self.verticalScrollBar().setValue(top)

    def focusNextPrevChild(self, next: bool) -> bool:
        # QScrollArea scrolls to the newly focused widget; the pager turns to its part instead.
        return QWidget.focusNextPrevChild(self, next)


def units(layout: QLayout) -> list[QRect]:
    """The rows of a screen, top to bottom, where it may be cut into parts: each item of a
    vertical box (nested boxes opened up), each row of a grid, any other item whole."""
    return [rect for rect, _ in rows_of(layout)]


def rows_of(layout: QLayout) -> list[tuple[QRect, bool]]:
    """:func:`units`, each with whether it keeps with the next row (a caption or heading does)."""
    found: list[tuple[QRect, bool]] = []
    for _index, entry in layout_items(layout):
        if is_empty(entry):
            continue
        if isinstance(entry, QVBoxLayout):
            found += rows_of(entry)
        elif isinstance(entry, QGridLayout):
            found += [(rect, False) for rect in _grid_rows(entry)]
        else:
            found.append((entry.geometry(), isinstance(entry, QLabel)))
    return sorted(found, key=lambda row: row[0].top())


def _grid_rows(grid: QGridLayout) -> list[QRect]:
    rows: dict[int, QRect] = {}
    for index, entry in layout_items(grid):
        if is_empty(entry):
            continue
        row, _, span, _ = grid.getItemPosition(index)
        key = row if span == 1 else -1 - index  # a tall item spanning rows is a row of its own
        rows[key] = rows[key].united(entry.geometry()) if key in rows else entry.geometry()
    return list(rows.values())


def _glue_error(
    rows: list[QRect], keep: list[bool], error: QWidget | None, screen: QWidget
) -> tuple[list[QRect], list[bool]]:
    """A problem shown above a control stays on the same part as that control."""
    if error is None or not error.isVisibleTo(screen):
        return rows, keep
    place = QRect(error.mapTo(screen, error.rect().topLeft()), error.size())
    for index, row in enumerate(rows[:-1]):
        if row.contains(place):
            glued = row.united(rows[index + 1])
            return [*rows[:index], glued, *rows[index + 2 :]], [*keep[:index], keep[index + 1], *keep[index + 2 :]]
    return rows, keep


def cut(rows: list[QRect], room: int, keep: list[bool] | None = None) -> list[tuple[int, int]]:
    """Parts (top, bottom) of at most ``room`` pixels each, cut between rows only; a row marked in
    ``keep`` (a caption) starts the next part rather than end a part without what it names."""
    keep = keep or [False] * len(rows)
    parts: list[tuple[int, int]] = []
    top = bottom = None
    for index, row in enumerate(rows):
        with_next = rows[index + 1].bottom() if keep[index] and index + 1 < len(rows) else row.bottom()
        if top is None:
            top, bottom = row.top(), row.bottom()
        elif with_next - top + 1 > room and (with_next - row.top() + 1 <= room or row.bottom() - top + 1 > room):
            parts.append((top, bottom))
            top, bottom = row.top(), row.bottom()
        else:
            bottom = max(bottom, row.bottom())
    if top is not None and bottom is not None:
        parts.append((top, bottom))
    return parts


class Pager(QObject):
    """Cuts the current screen into parts when it does not fit, and turns between them."""

    def __init__(
        self,
        page: QWidget,
        *,
        view: Callable[[], ScreenView | None],
        translator: Callable[[], Translator],
        announce: Callable[[str], None],
    ) -> None:
        super().__init__(page)
        self._view = view
        self._translator = translator
        self._announce = announce
        self.parts: list[tuple[int, int]] = []
        self.index = 0
        self.room = 0  # the height a part may have: the screen's room less the bar's
        self._busy = False
        self._turning = False
        self.bar = QWidget(page)
        self.bar.setObjectName("pagerBar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        self.previous_button = button("pagerPrevious", "secondary", self.bar)
        self.previous_button.clicked.connect(self.previous)
        self.where = label("pagerWhere", "muted", wrap=False, parent=self.bar)
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = button("pagerNext", "secondary", self.bar)
        self.next_button.clicked.connect(self.next)
        row.addWidget(self.previous_button, 2)
        row.addWidget(self.where, 1)
        row.addWidget(self.next_button, 2)
        self.bar.setVisible(False)
        self._waiting: QWidget | None = None  # the screen's main control, met when its part is turned to
        self._later = QTimer(self, singleShot=True, interval=0)
        self._later.timeout.connect(self.fit)

    # --- when to look again -----------------------------------------------------------------------

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize, QEvent.Type.Show):
            self.fit_soon()
        return False

    def fit_soon(self) -> None:
        if not self._busy:
            self._later.start()

    # --- fitting ------------------------------------------------------------------------------------

    def fit(self) -> None:
        """Cut the current screen into parts for the room it has now; show the part with the focus."""
        view = self._view()
        if view is None or self._busy:
            return
        self._busy = True
        try:
            self._fit(view)
        finally:
            self._busy = False

    def _fit(self, view: ScreenView) -> None:
        screen = view.widget()
        layout = screen.layout()
        if layout is None or not self.bar.parentWidget().isAncestorOf(view) or not view.isVisibleTo(view.window()):
            self.bar.setVisible(False)  # no screen in view (covered by the inactivity warning)
            return
        # A long screen keeps the full height its wrapped texts need (the scroll area alone gives it
        # its minimum height, which leaves out word wrap: the last row would be cut short).
        needed = layout.totalHeightForWidth(view.width()) if layout.hasHeightForWidth() else 0
        screen.setMinimumHeight(needed if needed > view.height() else 0)
        layout.activate()
        found = rows_of(layout)
        rows, keep = _glue_error([r for r, _ in found], [k for _, k in found], getattr(screen, "error", None), screen)
        content = max((rect.bottom() for rect in rows), default=0) + 1
        bar_height = self.bar.sizeHint().height()
        room = max(view.height() - bar_height - BAR_GAP, 1)
        self.room = room
        parts = cut(rows, room, keep) if content > view.height() else []
        if len(parts) < 2:  # it fits (or one row alone is too tall: paging cannot help, the audit says so)
            self.parts = []
            self.index = 0
            self.bar.setVisible(False)
            view.show_band(0, 0)
            return
        self.parts = parts
        self.index = min(self.index, len(self.parts) - 1)
        focused = QApplication.focusWidget()
        error = getattr(screen, "error", None)
        if focused is not None and screen.isAncestorOf(focused):
            self.index = self.part_of(focused, default=self.index)
        elif isinstance(error, QWidget) and error.isVisibleTo(screen) and not self._holds(focused):
            # The focus is outside the screen (Call staff, on a stop): the problem shown is what to see.
            self.index = self.part_of(error, default=self.index)
        self._place_bar(view, bar_height)
        self._show_part(view)

    def _place_bar(self, view: ScreenView, bar_height: int) -> None:
        corner = view.mapTo(self.bar.parentWidget(), view.rect().bottomLeft())
        self.bar.setGeometry(corner.x(), corner.y() - bar_height + 1, view.width(), bar_height)
        self.bar.setVisible(True)
        self.bar.raise_()

    def _show_part(self, view: ScreenView) -> None:
        top, bottom = self.parts[self.index]
        # Never under the bar: a row taller than the room is cut short here, where the audit sees it.
        view.show_band(top, min(bottom - top + 1, self.room))
        self.retranslate()

    def _holds(self, widget: QWidget | None) -> bool:
        return widget is not None and self.bar.isAncestorOf(widget)

    def part_of(self, widget: QWidget, default: int = -1) -> int:
        """The part that holds ``widget`` whole (``default`` if none does)."""
        view = self._view()
        if view is None or not self.parts:
            return default
        screen = view.widget()
        if not screen.isAncestorOf(widget):  # e.g. the bottom bar's Call staff, focused on a stop
            return default
        top = widget.mapTo(screen, widget.rect().topLeft()).y()
        bottom = top + widget.height() - 1
        for index, (start, end) in enumerate(self.parts):
            if start <= top and bottom <= end:
                return index
        return default

    def on_other_part(self, widget: QWidget) -> bool:
        """Shown on a part other than the one on the screen now (reached with Next / Previous part)."""
        view = self._view()
        if view is None or not self.parts or not view.widget().isAncestorOf(widget):
            return False
        part = self.part_of(widget)
        return part not in (-1, self.index)

    def arrive(self, focus: QWidget | None) -> QWidget | None:
        """A screen opens at its first part, where it starts: title, question, the reason for a
        warning. When its main control (``focus``) sits on a later part, "Next part" takes the
        focus instead, and turning to that part gives the focus to the main control (a field keeps it)."""
        self.index = 0
        self._waiting = None
        self.fit()
        # A field keeps the focus wherever it is: what the customer types must land in it.
        # (And not before the window is on screen: a hidden "Next part" cannot take the focus.)
        if focus is None or isinstance(focus, QLineEdit) or not self.bar.isVisible():
            return focus
        if self.part_of(focus, default=0) == 0:
            return focus
        self._waiting = focus
        view = self._view()
        if view is not None and self.index != 0:  # the old focus, still on this screen, chose its part
            self.index = 0
            self._show_part(view)
        return self.next_button

    # --- turning --------------------------------------------------------------------------------------

    def next(self) -> None:
        self._turn(+1)

    def previous(self) -> None:
        self._turn(-1)

    def _turn(self, step: int) -> None:
        view = self._view()
        if view is None or not self.parts:
            return
        self.index = min(max(self.index + step, 0), len(self.parts) - 1)
        self._turning = True  # the button turning itself off moves the focus on: not to another part
        try:
            self._show_part(view)
            pressed = self.next_button if step > 0 else self.previous_button
            waiting = self._waiting
            if waiting is not None and self.part_of(waiting) == self.index and waiting.isEnabled():
                self._waiting = None
                waiting.setFocus()  # the screen's main control, now in view
            elif not pressed.isEnabled():  # an end: never leave the focus on a button that is off
                first = self._first_control(view)
                (first or (self.previous_button if step > 0 else self.next_button)).setFocus()
        finally:
            self._turning = False
        self._announce(self.where.accessibleName())

    def _first_control(self, view: ScreenView) -> QWidget | None:
        for widget in view.widget().findChildren(QWidget):
            if (
                widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and self.part_of(widget) == self.index
            ):
                return widget
        return None

    def focus_moved(self, widget: QWidget | None) -> None:
        """Tab onto a control on another part turns to that part."""
        view = self._view()
        if self._turning or widget is None or view is None or not self.parts or not view.widget().isAncestorOf(widget):
            return
        part = self.part_of(widget)
        if part not in (-1, self.index):
            self.index = part
            self._show_part(view)
            self._announce(self.where.accessibleName())

    def retranslate(self) -> None:
        t = self._translator()
        total = max(len(self.parts), 1)
        self.previous_button.setText(t("nav.previous_part"))
        self.previous_button.setAccessibleName(t("nav.previous_part"))
        self.previous_button.setAccessibleDescription(t("nav.previous_part.description"))
        self.next_button.setText(t("nav.next_part"))
        self.next_button.setAccessibleName(t("nav.next_part"))
        self.next_button.setAccessibleDescription(t("nav.next_part.description"))
        where = t("nav.part", number=self.index + 1, total=total)
        if self.parts and self.index == total - 1:
            where = f"{where} {t('nav.last_part')}"
        self.where.setText(t("nav.part", number=self.index + 1, total=total))
        self.where.setAccessibleName(where)
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < total - 1)
