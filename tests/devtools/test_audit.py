"""The built-in accessibility audit: it passes on the real kiosk, and it does catch problems."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from devtools.audit import Auditor
from devtools.staging import STAGES, show_stage, staged_kiosk
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)  # every screen x 2 modes x 3 languages: about two minutes on 2 cores
def test_python_m_ui_audit_reports_no_violation(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CALMPAY_DATA_DIR": str(tmp_path / "data"),
        "CALMPAY_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = subprocess.run(
        [sys.executable, "-m", "devtools.audit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("audit: ") and summary.endswith(" screens, 0 violations"), done.stdout[-3000:]
    screens = int(summary.split()[1])
    assert screens == len(STAGES) * 2 * 3  # every stage, both modes, three languages
    assert done.returncode == 0


@pytest.fixture
def home(qtbot: QtBot) -> Iterator[MainWindow]:
    with staged_kiosk() as window:
        window.resize(1280, 1024)
        show_stage(window, next(s for s in STAGES if s.name == "home"), elder=True, language="en")
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
    home.screens["home"].sign_out.setStyleSheet("min-height: 20px; max-height: 30px;")
    assert any(p.startswith("homeSignOut: target") for p in problems(home))


def test_the_audit_catches_a_control_the_keyboard_cannot_reach(home: MainWindow) -> None:
    home.screens["home"].tiles["history"].setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    assert "tile_history: not reachable with the keyboard (Tab)" in problems(home)


def test_the_audit_catches_an_untranslated_text(home: MainWindow) -> None:
    home.set_language("zh-Hans")
    home.screens["home"].tiles["history"].setText("History")
    assert "tile_history: untranslated: 'History'" in problems(home)
