"""python -m devtools.audit — the built-in accessibility audit.

Opens every screen (devtools.staging) in elder and standard mode and in every language, and
checks on the real widgets:
- every interactive widget has an accessible name and description; fields have buddy labels;
- text contrast, measured on the rendered pixels (>= 7:1 elder, >= 4.5:1 standard);
- text size (>= 18 pt elder, >= 12 pt standard), also at the largest text size;
- target size (>= 60x60 px elder, >= 44x44 px standard);
- the keyboard reaches every control (Tab, as a keypad or keyboard user would);
- Back, Start over, Help and Call staff sit in the same place on every screen;
- nothing is clipped at the largest text size;
and then, at every text size of FIT_TEXT_SIZES on every window size of FIT_WINDOWS, the screen
as a customer meets it (``check_fit``):
- no scroll bar shows anywhere;
- every shown control and message lies fully inside the window: not clipped, not below the
  fold (a screen too long for the window pages with "Next part": what lies on another part
  counts as shown only when the window is on that part);
- the focused control is fully in view, and so is any error (also one planted for the check);
- no two buttons in view share one accessible name.
Prints one line per violation and ends with ``audit: N screens, M violations``; exits 1
when M > 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, replace

from PySide6.QtCore import QMargins, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QTextDocumentFragment
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from client.i18n import LANGUAGES, catalog
from ui.accessibility import DIGIT_HIDDEN_PROPERTY
from ui.gui_thread_gc import GuiThreadCollector
from ui.main_window import MainWindow
from ui.theme import contrast_ratio
from ui.widgets import BUDDY_PROPERTY, ICON_PROPERTY, KEYPAD_KEY_PROPERTY, WrapButton

INTERACTIVE = (QAbstractButton, QLineEdit)
NAV_BUTTONS = ("navBack", "navStartOver", "navHelp", "navCallStaff")
PAGER_BUTTONS = ("pagerPrevious", "pagerNext")
# The fit matrix: the smallest and a common kiosk screen; the smallest, default and largest
# elder text sizes, and the standard default and largest.
FIT_WINDOWS = ((1024, 768), (1280, 1024))
FIT_TEXT_SIZES = {True: (18, 22, 34), False: (14, 18)}
# The slice the test suite runs (the full matrix runs in `make audit`): the tightest screens.
SLICE_STAGES = ("welcome", "card", "pin", "amount", "review", "risk_code", "history")
SLICE_SIZES = ((1024, 768, 34), (1280, 1024, 22), (1024, 768, 18))


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
        focused = QApplication.focusWidget()
        self.check_focus(stage, shown)
        if focused is not None:  # back where the screen put it, as the customer finds it
            focused.setFocus()
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
        # Keypad keys are left out on purpose: keyboard and keypad users press the real keys; so are
        # "Next part" and "Previous part": Tab onto a control of another part turns to it by itself.
        targets = [
            w
            for w in shown
            if isinstance(w, INTERACTIVE)
            and w.isEnabled()
            and not w.property(KEYPAD_KEY_PROPERTY)
            and w.objectName() not in PAGER_BUTTONS
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
        at = f" at {self.window.width()}x{self.window.height()} {self.window.theme.text_pt}pt"
        for widget in self.widgets():
            if isinstance(widget, WrapButton):
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 2:
                    self.report(stage, widget, f"clipped: needs {needed} px, has {widget.height()}{at}")
            elif isinstance(widget, QAbstractButton) and widget.text():
                needed = widget.fontMetrics().horizontalAdvance(widget.text()) + 16
                if needed > widget.width():
                    self.report(stage, widget, f"clipped: text needs {needed} px, has {widget.width()}{at}")
            elif isinstance(widget, QLabel) and widget.text() and not isinstance(widget.parentWidget(), WrapButton):
                if widget.wordWrap():
                    needed = widget.heightForWidth(widget.width())
                    if needed > widget.height() + 2:
                        self.report(stage, widget, f"clipped: needs {needed} px tall, has {widget.height()}{at}")
                elif widget.sizeHint().width() > widget.width() + 2:
                    self.report(
                        stage, widget, f"clipped: needs {widget.sizeHint().width()} px, has {widget.width()}{at}"
                    )

    # --- the whole screen, as a customer meets it -----------------------------------------------

    def check_fit(self, stage: str, *, planted_error: str = "") -> None:
        """No scroll bar; every control and message fully in view (or on another part of a paged
        screen); the focus and any error in view; no two buttons in view with one name.
        ``planted_error``: also show this error on the screen and check it is in view."""
        size = f"{self.window.width()}x{self.window.height()} {self.window.theme.text_pt}pt"
        self.check_scroll_bars(stage, size)
        in_view = self.check_in_view(stage, size)
        self.check_focus_in_view(stage, size)
        self.check_unique_names(stage, size, in_view)
        if planted_error:
            self.check_planted_error(stage, size, planted_error)

    def check_scroll_bars(self, stage: str, size: str) -> None:
        for bar in self.window.findChildren(QScrollBar):
            if bar.isVisible():
                owner = bar.parentWidget().parentWidget() if bar.parentWidget() is not None else None
                self.report(stage, owner or bar, f"scroll bar shown at {size}")

    def check_in_view(self, stage: str, size: str) -> list[QWidget]:
        """Every shown control and message fully inside the window; returns those in view."""
        in_view = []
        for widget in self.shown_items():
            place = window_rect(widget, self.window)
            seen = self.window.rect().intersected(viewport_rect(widget, self.window))
            if seen.contains(place):
                in_view.append(widget)
            elif not place.intersects(seen) and self.on_other_part(widget):
                continue  # paged: on a part the customer reaches with "Next part" / "Previous part"
            elif place.top() >= seen.bottom():
                self.report(stage, widget, f"below the fold at {size}: {place.getRect()} outside {seen.getRect()}")
            else:
                self.report(stage, widget, f"not fully in view at {size}: {place.getRect()} outside {seen.getRect()}")
        return in_view

    def shown_items(self) -> list[QWidget]:
        """Controls and messages shown (visible, with visible parents), in view or not."""
        items = []
        for widget in self.window.findChildren(QWidget):
            if not isinstance(widget, (*INTERACTIVE, QLabel)) or isinstance(widget.parentWidget(), WrapButton):
                continue
            if isinstance(widget, QLabel) and not widget.text():
                continue
            if not widget.isVisibleTo(self.window) or widget.width() <= 0 or widget.height() <= 0:
                continue
            if all(w.isVisible() for w in _ancestors(widget, self.window)):
                items.append(widget)
        return items

    def on_other_part(self, widget: QWidget) -> bool:
        pager = getattr(self.window, "pager", None)
        return pager is not None and pager.on_other_part(widget)

    def check_focus_in_view(self, stage: str, size: str) -> None:
        focused = QApplication.focusWidget()
        if focused is None or not self.window.isAncestorOf(focused):
            self.report(stage, None, f"nothing has the focus at {size}")
            return
        place = window_rect(focused, self.window)
        seen = self.window.rect().intersected(viewport_rect(focused, self.window))
        if not focused.isVisible() or not seen.contains(place):
            self.report(stage, focused, f"the focused control is not fully in view at {size}")

    def check_unique_names(self, stage: str, size: str, in_view: list[QWidget]) -> None:
        """Two buttons in view with one name: a screen reader user cannot tell them apart."""
        seen: dict[str, QWidget] = {}
        for widget in in_view:
            # PIN keys share one name on purpose (the digit must not be said); they take no keyboard
            # focus, the real keys type the PIN.
            if not isinstance(widget, QAbstractButton) or widget.property(DIGIT_HIDDEN_PROPERTY):
                continue
            name = " ".join((widget.accessibleName() or widget.text()).split()).casefold()
            if not name:
                continue
            if name in seen:
                other = seen[name].objectName()
                self.report(stage, widget, f"shares its name {name!r} with {other} at {size}")
            else:
                seen[name] = widget

    def check_planted_error(self, stage: str, size: str, text: str) -> None:
        """A problem shown now must be in view, and so must the focus (the field it is about)."""
        screen = self.window.current
        if screen.error.isVisible() or not screen.isVisible():
            return  # the stage shows one already (checked with the rest), or a warning covers the screen
        focused = QApplication.focusWidget()
        screen.show_error(text)
        _settle_layout()
        place = window_rect(screen.error, self.window)
        seen = self.window.rect().intersected(viewport_rect(screen.error, self.window))
        if not seen.contains(place):
            self.report(stage, screen.error, f"an error shown here is not fully in view at {size}")
        self.check_focus_in_view(stage, size)
        screen.hide_error()
        if focused is not None:
            focused.setFocus()
        _settle_layout()


def _settle_layout() -> None:
    for _ in range(3):
        QApplication.processEvents()


def run(
    stage_names: list[str] | None = None,
    languages: list[str] | None = None,
    *,
    fit: str = "full",
    modes: tuple[bool, ...] = (True, False),
) -> tuple[int, list[Violation]]:
    """The audit; ``fit``: "full" (every size), "slice" (SLICE_SIZES) or "none" (no fit matrix).
    Returns the number of screens checked (each screen at each size counts once) and the violations."""
    from devtools.staging import KIOSK_SIZE, STAGES, settle, show_stage, staged_kiosk

    screens = 0
    with staged_kiosk() as window:
        window.resize(*KIOSK_SIZE)
        auditor = Auditor(window)
        for stage in STAGES:
            if stage_names and stage.name not in stage_names:
                continue
            for elder in modes:
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
                    if fit != "slice" or stage.name in SLICE_STAGES:
                        screens += check_sizes(auditor, stage.name, fit_sizes(fit, elder))
                    window.resize(*KIOSK_SIZE)
                    window.set_theme(window.theme.with_mode(elder))
                    settle(window)
    return screens, auditor.violations


def fit_sizes(fit: str, elder: bool) -> list[tuple[int, int, int]]:
    """(width, height, text pt) to check the whole screen at."""
    if fit == "none":
        return []
    if fit == "slice":
        return [size for size in SLICE_SIZES if size[2] in FIT_TEXT_SIZES[elder]]
    return [(w, h, pt) for pt in FIT_TEXT_SIZES[elder] for (w, h) in FIT_WINDOWS]


def check_sizes(auditor: Auditor, stage: str, sizes: list[tuple[int, int, int]]) -> int:
    """The fit checks at each size; the text size changes only when it must (a restyle is slow)."""
    from devtools.staging import settle

    window = auditor.window
    planted = window.t("error.amount_not_a_number")  # a two-line problem, as customers meet them
    for width, height, points in sizes:
        if window.theme.text_pt != points:
            window.set_theme(replace(window.theme, text_pt=points))
        window.resize(width, height)
        settle(window)
        auditor.check_fit(stage, planted_error=planted)
        auditor.check_clipping(stage)
    return len(sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.audit", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="stage names to audit (default: all)")
    parser.add_argument("--language", nargs="*", choices=list(LANGUAGES), help="languages (default: all)")
    parser.add_argument(
        "--fit",
        choices=("full", "slice", "none"),
        default="full",
        help="window and text sizes to check the whole screen at (default: full, every size)",
    )
    parser.add_argument("--mode", choices=("elder", "standard"), help="one mode only (default: both)")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collector = GuiThreadCollector(app)  # the staged bank's threads must never free a widget
    modes = (True, False) if args.mode is None else (args.mode == "elder",)
    screens, violations = run(args.only, args.language, fit=args.fit, modes=modes)
    collector.stop()
    for violation in violations:
        print(violation)
    print(f"audit: {screens} screens, {len(violations)} violations")
    del app
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
