"""The built-in accessibility audit: it passes on the real kiosk, and it does catch problems."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from devtools.audit import SLICE_STAGES, Auditor, fit_sizes
from devtools.staging import STAGES, settle, show_stage, staged_kiosk
from tests.audit_run import AUDIT_RUN, start_audit
from ui.main_window import MainWindow


@pytest.mark.timeout(600)  # every screen x 2 modes x 3 languages: about four minutes of one core
@pytest.mark.after_the_suite  # read at the end: asked earlier, the suite would stop and wait for it
def test_python_m_ui_audit_reports_no_violation(request: pytest.FixtureRequest) -> None:
    """The audit of every screen, and the whole-screen checks on a slice of the sizes (the full
    matrix, every screen at 1024x768 and 1280x1024 at 18, 22 and 34 pt, runs in `make audit`).
    It was started with the run (tests/conftest.py), and has been running beside the other tests."""
    run = request.config.stash.get(AUDIT_RUN, None) or start_audit()
    returncode, stdout, stderr = run.result(timeout=540)
    done = subprocess.CompletedProcess(run.process.args, returncode, stdout, stderr)
    assert done.stdout.strip(), f"rc={done.returncode} {done.stderr[-3000:]}"
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("audit: ") and summary.endswith(" screens, 0 violations"), done.stdout[-3000:]
    screens = int(summary.split()[1])
    sliced = sum(len(fit_sizes("slice", elder)) for elder in (True, False)) * 3 * len(SLICE_STAGES)
    assert screens == len(STAGES) * 2 * 3 + sliced  # every stage, both modes, three languages; and the slice
    assert done.returncode == 0


@pytest.fixture
def home(qtbot: QtBot) -> Iterator[MainWindow]:
    with staged_kiosk() as window:
        window.resize(1280, 1024)
        show_stage(window, next(s for s in STAGES if s.name == "home"), elder=True, language="en")
        window.set_theme(replace(window.theme, text_pt=18))
        window.current.first_focus().setFocus()  # its first part (the home screen shows in two)
        settle(window)
        yield window


def problems(window: MainWindow) -> list[str]:
    auditor = Auditor(window)
    auditor.check_stage("home")
    return [f"{v.widget}: {v.problem}" for v in auditor.violations]


def test_the_audit_passes_the_untouched_home_screen(home: MainWindow) -> None:
    assert problems(home) == []


def test_the_audit_catches_a_missing_description(home: MainWindow) -> None:
    home.help_button.setAccessibleDescription("")
    assert "navHelp: no accessible description" in problems(home)


def test_the_audit_catches_poor_contrast(home: MainWindow) -> None:
    home.instruction.setStyleSheet("color: #AAAAAA;")
    assert any(p.startswith("screenInstruction: contrast") for p in problems(home))


def test_the_audit_catches_a_small_target(home: MainWindow) -> None:
    home.start_over_button.setStyleSheet("min-height: 20px; max-height: 30px;")
    assert any(p.startswith("navStartOver: target") for p in problems(home))


def test_the_audit_catches_a_control_the_keyboard_cannot_reach(home: MainWindow) -> None:
    home.screens["home"].tiles["history"].setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    assert "tile_history: not reachable with the keyboard (Tab)" in problems(home)


def test_the_audit_catches_an_untranslated_text(home: MainWindow) -> None:
    home.set_language("zh-Hans")
    home.current.first_focus().setFocus()  # back on the first part, where the tiles are
    settle(home)
    home.screens["home"].tiles["history"].setText("History")
    assert "tile_history: untranslated: 'History'" in problems(home)


# --- the whole screen, as the customer meets it (check_fit) -----------------------------------------


def fit_problems(window: MainWindow, *, planted_error: str = "") -> list[str]:
    settle(window)
    auditor = Auditor(window)
    auditor.check_fit("home", planted_error=planted_error)
    return [f"{v.widget}: {v.problem}" for v in auditor.violations]


def push_below_the_fold(window: MainWindow) -> None:
    """A screen taller than the window, with the pager switched off: what a scroll area did."""
    window.pager.fit = lambda: None  # type: ignore[method-assign]
    window.pager.focus_moved = lambda _widget: None  # type: ignore[method-assign]
    window.pager.bar.setVisible(False)
    window._current_view().show_band(0, 0)
    window.current.layout_.insertSpacing(0, 3000)


def test_the_fit_check_passes_the_untouched_amount_screen(qtbot: QtBot) -> None:
    with staged_kiosk() as window:
        show_stage(window, next(s for s in STAGES if s.name == "amount"), elder=True, language="zh-Hans")
        for width, height, points in ((1024, 768, 22), (1280, 1024, 22)):
            window.set_theme(replace(window.theme, text_pt=points))
            window.resize(width, height)
            assert fit_problems(window, planted_error="请用数字输入金额，例如 200 或 200.50。") == []


def test_the_fit_check_catches_a_scroll_bar(home: MainWindow) -> None:
    home._current_view().setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    assert "view_home: scroll bar shown at 1280x1024 18pt" in fit_problems(home)


def test_the_fit_check_catches_a_control_below_the_fold(home: MainWindow) -> None:
    push_below_the_fold(home)
    found = fit_problems(home)
    assert any(": below the fold at 1280x1024 18pt" in p for p in found), found


def test_the_fit_check_catches_a_clipped_control(home: MainWindow) -> None:
    home.current.layout_.insertSpacing(0, home._current_view().height() - 40)  # the tiles straddle the bottom
    home.pager.fit = lambda: None  # type: ignore[method-assign]
    home._current_view().show_band(0, 0)
    found = fit_problems(home)
    assert any(": not fully in view at 1280x1024 18pt" in p for p in found), found


def test_the_fit_check_catches_a_focused_control_out_of_view(home: MainWindow) -> None:
    push_below_the_fold(home)
    home.screens["home"].sign_out.setFocus()
    assert "homeSignOut: the focused control is not fully in view at 1280x1024 18pt" in fit_problems(home)


def test_the_fit_check_catches_an_error_out_of_view(home: MainWindow) -> None:
    screen = home.current
    screen._error_placed = True  # the problem stays at the end, far from the control it is about
    screen.layout_.removeWidget(screen.error)
    screen.layout_.addSpacing(3000)
    screen.layout_.addWidget(screen.error)
    home.pager.fit = lambda: None  # type: ignore[method-assign]
    found = fit_problems(home, planted_error="Please type the amount in numbers.")
    assert "home_error: an error shown here is not fully in view at 1280x1024 18pt" in found


def test_the_fit_check_catches_two_buttons_with_one_name(home: MainWindow) -> None:
    tiles = home.screens["home"].tiles
    tiles["history"].setAccessibleName(tiles["balance"].accessibleName())
    found = fit_problems(home)
    assert any(p.startswith("tile_") and "shares its name" in p for p in found), found


def test_a_long_screen_pages_instead_of_scrolling(qtbot: QtBot) -> None:
    """At 1024x768 and 34 pt the card screen (seven demo cards) is longer than the window: it shows in parts, with
    Next part / Previous part in view, the focus on the shown part, and no violation."""
    with staged_kiosk() as window:
        show_stage(window, next(s for s in STAGES if s.name == "card"), elder=True, language="en")
        window.set_theme(replace(window.theme, text_pt=34))
        window.resize(1024, 768)
        settle(window)
        pager = window.pager
        assert len(pager.parts) >= 2 and pager.bar.isVisible()
        assert fit_problems(window) == []
        said: list[str] = []
        window.announced.connect(said.append)
        for button, step in ((pager.previous_button, -1), (pager.next_button, +1)):
            button.setFocus()
            while button.isEnabled():
                before = pager.index
                qtbot.keyClick(button, Qt.Key.Key_Return)
                assert pager.index == before + step
                assert fit_problems(window) == []  # each part: all in view, the focus too
            focused = QApplication.focusWidget()
            assert focused is not None and focused.isEnabled()  # never left on a button that is off
        assert pager.index == len(pager.parts) - 1
        assert said[-1].endswith(window.t("nav.last_part"))  # the end is said, and shown


def test_tab_onto_a_control_on_another_part_turns_to_that_part(qtbot: QtBot) -> None:
    with staged_kiosk() as window:
        show_stage(window, next(s for s in STAGES if s.name == "card"), elder=True, language="en")
        window.set_theme(replace(window.theme, text_pt=34))
        window.resize(1024, 768)
        settle(window)
        pager, screen = window.pager, window.current
        start = pager.index
        for _ in range(12):  # Tab on through the demo cards, as a keyboard user does
            focused = QApplication.focusWidget()
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
            focused = QApplication.focusWidget()
            if screen.isAncestorOf(focused) and pager.part_of(focused) != start:
                break
        assert screen.isAncestorOf(focused) and pager.index == pager.part_of(focused) != start
        assert fit_problems(window) == []  # the focused control is on the part in view
