"""Every control a tester needs has a stable objectName, and docs/testing-names.md lists them all.

The real window is put on every screen it has, with the bank's demo data (devtools.staging), and
each screen's controls are gathered: buttons, fields, lists, keypads, and anything else the focus
can land on. Each must have a name, no two may share one, and the names must be the ones the doc
lists under that screen ("window" for the header, voice panel, idle warning, pager and navigation
bar). The doc names controls made per item (a payee, a biller) by a pattern: ``payee_{payee id}``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from client.settings import KioskSettings
from devtools.staging import STAGES, ZHANG_WEI_PAYEE, settle, staged_kiosk
from ui.main_window import MainWindow
from ui.name_keyboard import NameKeyboard
from ui.screens.base import Screen
from ui.widgets import Keypad

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing-names.md"
WINDOW = "window"  # the doc's section for the controls outside the screens
CONTROL_TYPES = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, Keypad, NameKeyboard)


def is_control(widget: QWidget) -> bool:
    """Something a tester presses, types into or reads with the focus on it."""
    return isinstance(widget, CONTROL_TYPES) or bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def qt_internal(widget: QWidget) -> bool:
    """Qt's own parts (a scroll area's bars, a combo box's popup): named qt_*, or inside one (below
    the screen: every screen sits in a scroll area's qt_scrollarea_viewport)."""
    while widget is not None and not isinstance(widget, Screen):
        if widget.objectName().startswith("qt_"):
            return True
        widget = widget.parentWidget()
    return False


def describe(widget: QWidget) -> str:
    """Enough to find a control without a name: its type, what it says, where it sits."""
    parents = []
    parent = widget.parentWidget()
    while parent is not None and len(parents) < 3:
        parents.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    return f"{type(widget).__name__} {widget.accessibleName() or ''!r} in {' < '.join(parents)}"


@dataclass
class Seen:
    """What the screens showed, gathered over every stage."""

    controls: dict[str, set[str]] = field(default_factory=dict)  # section -> control names
    named: dict[str, set[str]] = field(default_factory=dict)  # section -> every widget's name
    unnamed: dict[str, str] = field(default_factory=dict)  # a control without a name -> the first stage it was on
    shared: set[str] = field(default_factory=set)  # names two controls of the window share at once

    def look(self, window: MainWindow, where: str) -> None:
        sections: dict[str, QWidget] = dict(window.screens)
        names: list[str] = []
        for widget in window.findChildren(QWidget):
            if qt_internal(widget):
                continue
            section = next((sid for sid, screen in sections.items() if screen.isAncestorOf(widget)), None)
            if section is None:
                if window.stack.isAncestorOf(widget):
                    continue  # the stack's own frames around the screens (ui.pager.ScreenView)
                section = WINDOW
            name = widget.objectName()
            if name:
                self.named.setdefault(section, set()).add(name)
            if not is_control(widget):
                continue
            if not name:
                self.unnamed.setdefault(f"{section}: {describe(widget)}", where)
                continue
            self.controls.setdefault(section, set()).add(name)
            names.append(name)
        # One name, one control, in the whole window: screens stay in it while others are shown.
        self.shared |= {f"{where}: {name}" for name, count in Counter(names).items() if count > 1}


def signed_in(window: MainWindow) -> None:
    next(stage for stage in STAGES if stage.name == "home").prepare(window)  # signed in as Wang Fang
    settle(window)


def held_payment_on_home(window: MainWindow) -> None:
    """A first payment to a new payee is held for a while: Home offers to cancel it."""
    signed_in(window)
    kiosk = window.kiosk
    assert kiosk is not None and kiosk.visit is not None
    kiosk.start_send(next(p for p in kiosk.visit.payees if p.id == ZHANG_WEI_PAYEE))
    kiosk.set_amount(150_000)
    payment = kiosk.apply(kiosk.pay(kiosk.payment_order()))
    key = kiosk.action_key(payment.id, "purpose", "rent")
    payment = kiosk.apply(kiosk.answer_purpose(payment.id, "rent", key=key))
    key = kiosk.action_key(payment.id, "confirm")
    kiosk.apply(kiosk.confirm(payment.id, acknowledged=True, purpose="rent", key=key))
    window.go("home", remember=False)
    settle(window)


def editing_shortcuts(window: MainWindow) -> None:
    """Home's shortcuts with their Pin and Remove buttons."""
    signed_in(window)
    window.screens["home"].edit.click()
    settle(window)


EXTRA_STAGES = (("held_payment", held_payment_on_home), ("editing_shortcuts", editing_shortcuts))


def look_at_every_stage(folder: Path, language: str, elder: bool) -> Seen:
    """Every screen in every staged state, in one language and mode (a few seconds)."""
    found = Seen()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALMPAY_DATA_DIR", str(folder / "data"))
        patch.setenv("CALMPAY_CONFIG_DIR", str(folder / "config"))
        settings = KioskSettings(
            idle_seconds=3600, default_language=language, elder_mode_default=elder, customer_language=False
        )
        with staged_kiosk(settings) as window:
            found.look(window, "built")
            for stage in STAGES:
                stage.prepare(window)
                settle(window)
                found.look(window, stage.name)
            for name, prepare in EXTRA_STAGES:
                prepare(window)
                found.look(window, name)
            sections = [WINDOW, *window.screens]
    found.controls = {section: found.controls.get(section, set()) for section in sections}
    found.named = {section: found.named.get(section, set()) for section in sections}
    return found


@pytest.fixture(scope="module")
def seen(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Seen:
    """The screens in English, in elder mode (the kiosk's own default), once for the module."""
    return look_at_every_stage(tmp_path_factory.mktemp("names"), "en", elder=True)


# --- the doc ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    section: str
    text: str  # as written: `payeeAccount` or `payee_{payee id}`

    @property
    def pattern(self) -> re.Pattern[str]:
        """``{n}`` stands for a number; any other ``{...}`` for one or more characters."""
        parts = re.split(r"(\{[^}]*\})", self.text)
        regex = "".join(
            ("[0-9]+" if part == "{n}" else ".+") if part.startswith("{") else re.escape(part) for part in parts
        )
        return re.compile(regex)

    def matches(self, name: str) -> bool:
        return self.pattern.fullmatch(name) is not None


def listed_names(text: str) -> dict[str, list[Listed]]:
    """The names in the doc's tables, by section: a ``## `` heading with the screen id in backticks;
    ``### `` headings only split a section. A table row's first cell is the name in backticks."""
    sections: dict[str, list[Listed]] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            ids = re.findall(r"`([^`]+)`", line)
            section = ids[0] if ids else None
            if section is not None:
                sections.setdefault(section, [])
        elif line.startswith("|") and section is not None:
            first = line.strip("|").split("|")[0].strip()
            name = re.fullmatch(r"`([^`]+)`", first)
            if name:
                sections[section].append(Listed(section, name.group(1)))
    return sections


def undocumented(seen: Seen, listed: dict[str, list[Listed]]) -> list[str]:
    """Controls found on a screen that its section does not list (by name or pattern)."""
    return sorted(
        f"{section}: {name}"
        for section, names in seen.controls.items()
        for name in names
        if not any(entry.matches(name) for entry in listed.get(section, []))
    )


def as_listed(seen: Seen, listed: dict[str, list[Listed]]) -> dict[str, set[str]]:
    """Each section's controls as the doc writes them: a per-item name as its pattern."""
    return {
        section: {next((e.text for e in listed.get(section, []) if e.matches(name)), name) for name in names}
        for section, names in seen.controls.items()
    }


def not_found(seen: Seen, listed: dict[str, list[Listed]]) -> list[str]:
    """Names the doc lists that no widget of their screen has, in any stage."""
    return sorted(
        f"{entry.section}: {entry.text}"
        for entries in listed.values()
        for entry in entries
        if not any(entry.matches(name) for name in seen.named.get(entry.section, set()))
    )


# --- the checks ---------------------------------------------------------------------------------


def test_every_control_has_a_name(seen: Seen) -> None:
    assert seen.unnamed == {}


def test_no_two_controls_share_a_name(seen: Seen) -> None:
    assert seen.shared == set()


def test_the_staged_screens_show_the_controls_made_from_the_bank_data(seen: Seen) -> None:
    """The patterns are checked against real instances, not only against the doc's words."""
    for section, prefix in (
        ("send_payee", "payee_"),
        ("bill_biller", "biller_"),
        ("card", "demoCard_"),
        ("home", "shortcut_"),
        ("home", "cancelHeld_"),
        ("risk", "purpose_"),
        ("risk", "followUp_"),
        ("add_payee", "nameKeyboard_candidate_"),
    ):
        assert any(name.startswith(prefix) for name in seen.controls[section]), (section, prefix)
    assert {"shortcut_0_pin", "shortcut_0_remove"} <= seen.controls["home"]


def test_every_screen_has_a_section_in_the_doc(seen: Seen) -> None:
    listed = listed_names(DOC.read_text(encoding="utf-8"))
    assert sorted(set(seen.controls) - set(listed)) == []
    assert sorted(set(listed) - set(seen.controls)) == []  # no section for a screen that is gone


def test_every_control_is_in_the_doc_under_its_screen(seen: Seen) -> None:
    assert undocumented(seen, listed_names(DOC.read_text(encoding="utf-8"))) == []


def test_every_name_in_the_doc_is_on_its_screen(seen: Seen) -> None:
    assert not_found(seen, listed_names(DOC.read_text(encoding="utf-8"))) == []


def test_the_checks_see_a_name_left_out_of_the_doc_and_a_name_not_on_the_screen(seen: Seen) -> None:
    """The doc with one row less, or with a row for a control that does not exist, fails."""
    text = DOC.read_text(encoding="utf-8")
    missing, extra = set(undocumented(seen, listed_names(text))), set(not_found(seen, listed_names(text)))
    row = next(line for line in text.splitlines() if line.startswith("| `reviewPay`"))
    assert set(undocumented(seen, listed_names(text.replace(row + "\n", "")))) - missing == {"review: reviewPay"}
    wrong = listed_names(text.replace("| `reviewPay`", "| `reviewPayNow`"))
    assert set(not_found(seen, wrong)) - extra == {"review: reviewPayNow"}
    assert set(undocumented(seen, wrong)) - missing == {"review: reviewPay"}


def test_patterns_match_what_they_stand_for() -> None:
    assert Listed("home", "shortcut_{n}").matches("shortcut_12")
    assert not Listed("home", "shortcut_{n}").matches("shortcut_0_pin")
    assert Listed("home", "shortcut_{n}_pin").matches("shortcut_0_pin")
    assert Listed("send_payee", "payee_{payee id}").matches("payee_payee_wf_limei")
    assert not Listed("send_payee", "payee_{payee id}").matches("payeeAccount")
    assert not Listed("review", "reviewPay").matches("reviewPayNow")


def test_the_names_do_not_change_with_the_language_or_mode(
    seen: Seen, qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A test that finds controls by name works in every language, at every text size."""
    other = look_at_every_stage(tmp_path_factory.mktemp("names"), "zh-Hans", elder=False)
    listed = listed_names(DOC.read_text(encoding="utf-8"))
    assert as_listed(other, listed) == as_listed(seen, listed)  # payment ids differ: compared as patterns
    assert other.unnamed == {} and other.shared == set()
