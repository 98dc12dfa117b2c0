"""python -m devtools.audit — the built-in accessibility audit.

Opens every screen (devtools.staging) in elder and standard mode and in every language, and
checks on the real widgets:
- every interactive widget has an accessible name and description; fields have buddy labels;
- text contrast, measured on the rendered pixels (>= 7:1 elder, >= 4.5:1 standard);
- text size (>= 18 pt elder, >= 12 pt standard), also at the largest text size;
- target size (>= 60x60 px elder, >= 44x44 px standard);
- the keyboard reaches every control (Tab, as a keypad or keyboard user would);
- Back, Start over, Help and Call staff sit in the same place on every screen;
- nothing is clipped at the largest text size.
Prints one line per violation and ends with ``audit: N screens, M violations``; exits 1
when M > 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QTextDocumentFragment
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QScrollArea, QWidget

from client.i18n import LANGUAGES, catalog
from ui.gui_thread_gc import GuiThreadCollector
from ui.main_window import MainWindow
from ui.theme import contrast_ratio
from ui.widgets import BUDDY_PROPERTY, ICON_PROPERTY, KEYPAD_KEY_PROPERTY, WrapButton

INTERACTIVE = (QAbstractButton, QLineEdit)
NAV_BUTTONS = ("navBack", "navStartOver", "navHelp", "navCallStaff")


@dataclass(frozen=True)
class Violation:
    stage: str
    mode: str
    language: str
    widget: str
    problem: str

    def __str__(self) -> str:
        return f"{self.stage} [{self.mode}, {self.language}] {self.widget}: {self.problem}"


def visible(widget: QWidget, window: MainWindow) -> bool:
    """Shown on screen now: visible, and inside the visible part of its scroll area."""
    if not widget.isVisibleTo(window) or widget.width() <= 0 or widget.height() <= 0:
        return False
    if any(isinstance(w, QWidget) and not w.isVisible() for w in _ancestors(widget, window)):
        return False
    return not window_rect(widget, window).intersected(viewport_rect(widget, window)).isEmpty()


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def viewport_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of the window where ``widget`` can be seen: its scroll area's viewport, if any."""
    for ancestor in _ancestors(widget, window):
        if isinstance(ancestor, QScrollArea):
            return window_rect(ancestor.viewport(), window)
    return window.rect()


def _ancestors(widget: QWidget, window: QWidget) -> list[QWidget]:
    chain = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        chain.append(parent)
        parent = parent.parentWidget()
    return chain


def _has_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return ""


def measured_contrast(shot: QImage, area: QRect) -> float | None:
    """Contrast of text to background on the rendered pixels of ``area``, borders left out.

    The background is the most common colour; the text colour is the one, among colours
    that cover a meaningful number of pixels, that stands out most from it (the solid core
    of the glyphs; anti-aliased edges are lighter and do not count).
    """
    area = area.intersected(shot.rect())
    if area.width() < 4 or area.height() < 4:
        return None
    image = shot.copy(area).convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(image.constBits())[: image.sizeInBytes()]
    counts = Counter(memoryview(data).cast("I"))
    if len(counts) < 2:
        return None
    background, _ = counts.most_common(1)[0]
    threshold = max(3, area.width() * area.height() // 2000)
    candidates = [colour for colour, n in counts.items() if n >= threshold and colour != background]
    if not candidates:
        return None
    bg = QColor(background & 0xFFFFFF).name()
    return max(contrast_ratio(QColor(c & 0xFFFFFF).name(), bg) for c in candidates)


def icon_problems(window: MainWindow, shot: QImage) -> list[tuple[QWidget, str]]:
    """Pictures beside words (ui.icons): never alone, in contrast like text (the icon's ink on the
    button's rendered background: >= 7:1 elder, >= 4.5:1 standard), with room for the words."""
    found: list[tuple[QWidget, str]] = []
    for button in window.findChildren(QAbstractButton):
        if not button.property(ICON_PROPERTY) or not button.isEnabled() or not visible(button, window):
            continue
        if not button.text().strip():
            found.append((button, "an icon alone, without words"))
        if isinstance(button, WrapButton):
            picture = button.icon_label.pixmap()
        else:
            picture = button.icon().pixmap(button.iconSize())
            room = button.fontMetrics().horizontalAdvance(button.text()) + button.iconSize().width() + 24
            if room > button.width():
                found.append((button, f"icon and words need {room} px, have {button.width()}"))
        if picture is None or picture.isNull():
            found.append((button, "icon not drawn"))
            continue
        problem = _icon_contrast(window, button, picture.toImage(), shot)
        if problem:
            found.append((button, problem))
    return found


def _icon_contrast(window: MainWindow, button: QWidget, picture: QImage, shot: QImage) -> str:
    needed = 7.0 if window.theme.elder else 4.5
    area = window_rect(button, window).marginsRemoved(QMargins(6, 6, 6, 6))
    area = area.intersected(viewport_rect(button, window))
    scale = shot.devicePixelRatio()
    area = QRect(*(int(value * scale) for value in (area.x(), area.y(), area.width(), area.height())))
    ink, background = _ink(picture), _most_common(shot.copy(area.intersected(shot.rect())))
    if ink is None or background is None:
        return ""
    ratio = contrast_ratio(ink, background)
    return f"icon contrast {ratio:.2f}:1 < {needed}:1" if ratio < needed else ""


def _ink(image: QImage) -> str | None:
    """The colour an icon is drawn in: its most common fully opaque pixel (edges are blended)."""
    counts: Counter[int] = Counter()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixel(x, y)
            if pixel >> 24 == 0xFF:
                counts[pixel & 0xFFFFFF] += 1
    return QColor(counts.most_common(1)[0][0]).name() if counts else None


def _most_common(image: QImage) -> str | None:
    if image.isNull() or image.width() == 0 or image.height() == 0:
        return None
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(image.constBits())[: image.sizeInBytes()]
    colour, _ = Counter(memoryview(data).cast("I")).most_common(1)[0]
    return QColor(colour & 0xFFFFFF).name()


class Auditor:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.violations: list[Violation] = []
        self.nav_geometry: dict[str, QRect] = {}

    def report(self, stage: str, widget: QWidget | None, problem: str) -> None:
        mode = "elder" if self.window.theme.elder else "standard"
        name = widget.objectName() if widget is not None else "-"
        self.violations.append(Violation(stage, mode, self.window.t.language, name or type(widget).__name__, problem))

    def widgets(self) -> list[QWidget]:
        return [w for w in self.window.findChildren(QWidget) if visible(w, self.window)]

    def check_stage(self, stage: str) -> None:
        shown = self.widgets()
        shot = self.window.grab().toImage()  # what a person sees: every widget over its real background
        for widget in shown:
            if isinstance(widget, INTERACTIVE) and widget.isEnabled():
                self.check_control(stage, widget)
            if isinstance(widget, QLineEdit) and not self._has_buddy(widget):
                self.report(stage, widget, "field without a buddy label")
            if _has_text(widget) and not isinstance(widget, WrapButton):
                self.check_text(stage, widget, shot)
        self.check_translated(stage, shown)
        self.check_focus(stage, shown)
        self.check_nav_places(stage)
        for widget, problem in icon_problems(self.window, shot):
            self.report(stage, widget, problem)

    def check_control(self, stage: str, widget: QWidget) -> None:
        """A control a person can use: named, described, large enough to hit."""
        if not widget.accessibleName().strip():
            self.report(stage, widget, "no accessible name")
        if not widget.accessibleDescription().strip():
            self.report(stage, widget, "no accessible description")
        size, smallest = widget.size(), self.window.theme.min_target_px
        if min(size.width(), size.height()) < smallest:
            self.report(stage, widget, f"target {size.width()}x{size.height()} px < {smallest}")

    def check_text(self, stage: str, widget: QWidget, shot: QImage) -> None:
        """Text large enough, and (where it can be read) in enough contrast on the rendered pixels."""
        theme = self.window.theme
        points = widget.font().pointSizeF()
        if points < theme.min_text_pt:
            self.report(stage, widget, f"text {points:g} pt < {theme.min_text_pt} pt")
        if not widget.isEnabled():
            return
        inset = 6 if isinstance(widget, QAbstractButton | QLineEdit) else 0
        top_left = widget.mapTo(self.window, QPoint(inset, inset))
        area = QRect(top_left, widget.size().shrunkBy(QMargins(0, 0, 2 * inset, 2 * inset)))
        area = area.intersected(viewport_rect(widget, self.window))  # only what can be seen
        scale = shot.devicePixelRatio()
        if scale != 1:
            area = QRect(*(int(value * scale) for value in (area.x(), area.y(), area.width(), area.height())))
        ratio = measured_contrast(shot, area)
        needed = 7.0 if theme.elder else 4.5
        if ratio is not None and ratio < needed:
            self.report(stage, widget, f"contrast {ratio:.2f}:1 < {needed}:1")

    def check_translated(self, stage: str, shown: list[QWidget]) -> None:
        """No English left on a Chinese screen, and no raw catalog key anywhere."""
        language = self.window.t.language
        english = {text for key, text in catalog("en").items() if text != catalog(language).get(key)}
        keys = set(catalog("en"))
        for widget in shown:
            text = (_has_text(widget) if not isinstance(widget, QLineEdit) else "") or widget.accessibleName()
            plain = QTextDocumentFragment.fromHtml(text).toPlainText().strip() if "<" in text else text.strip()
            if plain in keys:
                self.report(stage, widget, f"shows the catalog key {plain!r}")
            elif language != "en" and plain in english:
                self.report(stage, widget, f"untranslated: {plain!r}")

    def _has_buddy(self, edit: QLineEdit) -> bool:
        return any(
            label.property(BUDDY_PROPERTY) == edit.objectName() and visible(label, self.window)
            for label in self.window.findChildren(QLabel)
        )

    def check_focus(self, stage: str, shown: list[QWidget]) -> None:
        """Press Tab around the whole window; every enabled control must get the focus."""
        # Keypad keys are left out on purpose: keyboard and keypad users press the real keys.
        targets = [
            w for w in shown if isinstance(w, INTERACTIVE) and w.isEnabled() and not w.property(KEYPAD_KEY_PROPERTY)
        ]
        reached: set[int] = set()
        start = QApplication.focusWidget() or self.window.current.first_focus() or self.window.back_button
        start.setFocus()
        for _ in range(len(targets) * 2 + 10):
            focused = QApplication.focusWidget()
            if focused is None:
                break
            reached.add(id(focused))
            QTest.keyClick(focused, Qt.Key.Key_Tab)
        for widget in targets:
            if id(widget) not in reached:
                self.report(stage, widget, "not reachable with the keyboard (Tab)")

    def check_nav_places(self, stage: str) -> None:
        for name in NAV_BUTTONS:
            widget = self.window.findChild(QAbstractButton, name)
            if widget is None or not widget.isVisible():
                self.report(stage, widget, f"{name} missing")
                continue
            place = QRect(widget.mapTo(self.window, QPoint(0, 0)), widget.size())
            theme = self.window.theme
            key = f"{name}:{theme.elder}:{theme.text_pt}:{self.window.width()}x{self.window.height()}"
            expected = self.nav_geometry.setdefault(key, place)
            if place != expected:
                self.report(stage, widget, f"moved from {expected.getRect()} to {place.getRect()}")

    def check_clipping(self, stage: str) -> None:
        """At the largest text size: labels show all their text, buttons fit their words."""
        for widget in self.widgets():
            if isinstance(widget, WrapButton):
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 2:
                    self.report(stage, widget, f"clipped: needs {needed} px, has {widget.height()}")
            elif isinstance(widget, QAbstractButton) and widget.text():
                needed = widget.fontMetrics().horizontalAdvance(widget.text()) + 16
                if needed > widget.width():
                    self.report(stage, widget, f"clipped: text needs {needed} px, has {widget.width()}")
            elif isinstance(widget, QLabel) and widget.text() and not isinstance(widget.parentWidget(), WrapButton):
                if widget.wordWrap():
                    needed = widget.heightForWidth(widget.width())
                    if needed > widget.height() + 2:
                        self.report(stage, widget, f"clipped: needs {needed} px tall, has {widget.height()}")
                elif widget.sizeHint().width() > widget.width() + 2:
                    self.report(stage, widget, f"clipped: needs {widget.sizeHint().width()} px, has {widget.width()}")


def run(stage_names: list[str] | None = None, languages: list[str] | None = None) -> tuple[int, list[Violation]]:
    from devtools.staging import STAGES, settle, show_stage, staged_kiosk

    screens = 0
    with staged_kiosk() as window:
        window.resize(1280, 1024)
        auditor = Auditor(window)
        for stage in STAGES:
            if stage_names and stage.name not in stage_names:
                continue
            for elder in (True, False):
                for language in languages or list(LANGUAGES):
                    show_stage(window, stage, elder=elder, language=language)
                    auditor.check_stage(stage.name)
                    largest = window.theme
                    while largest.larger() != largest:
                        largest = largest.larger()
                    window.set_theme(largest)
                    settle(window)
                    auditor.check_clipping(stage.name)
                    window.set_theme(window.theme.with_mode(elder))
                    screens += 1
    return screens, auditor.violations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.audit", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="stage names to audit (default: all)")
    parser.add_argument("--language", nargs="*", choices=list(LANGUAGES), help="languages (default: all)")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collector = GuiThreadCollector(app)  # the staged bank's threads must never free a widget
    screens, violations = run(args.only, args.language)
    collector.stop()
    for violation in violations:
        print(violation)
    print(f"audit: {screens} screens, {len(violations)} violations")
    del app
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
