"""The window fits any screen from 1024x768 to 1920x1080; --kiosk fills the screen by itself."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import main
from ui.main_window import MainWindow
from ui.theme import ELDER_TEXT_SIZES


def test_kiosk_mode_takes_the_whole_screen_without_a_window_manager(qtbot: QtBot) -> None:
    window = MainWindow(None, welcome_only=True)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shown: list[str] = []

    def no_window_manager() -> None:  # nobody acts on "full screen": the window is only shown
        shown.append("full screen asked")
        window.show()

    window.showFullScreen = no_window_manager  # type: ignore[method-assign]
    main.fit_to_screen(window, app, kiosk=True)
    assert shown == ["full screen asked"]
    assert window.size() == app.primaryScreen().geometry().size()


def test_a_window_never_grows_past_the_screen(qtbot: QtBot) -> None:
    window = MainWindow(None, welcome_only=True)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    main.fit_to_screen(window, app, kiosk=False)
    available = app.primaryScreen().availableGeometry().size()
    assert window.width() <= available.width() and window.height() <= available.height()


def test_the_window_can_be_as_small_as_1024x768_at_every_text_size(qtbot: QtBot) -> None:
    window = MainWindow(None, welcome_only=True)
    qtbot.addWidget(window)
    window.show()
    for points in ELDER_TEXT_SIZES:
        window.set_theme(replace(window.theme, text_pt=points))
        window.resize(1024, 768)
        QApplication.processEvents()
        assert (window.width(), window.height()) == (1024, 768), points
