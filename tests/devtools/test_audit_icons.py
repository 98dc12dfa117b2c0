"""Pictures with the words (ui.icons): the core tiles and main actions carry an icon in their
text's colour and size, and the audit's icon check (devtools.audit.icon_problems) passes them and
catches, each on its own, a pale icon, an icon alone and an icon that crowds out the words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon
from pytestqt.qtbot import QtBot

from devtools.audit import icon_problems
from devtools.staging import STAGES, settle, show_stage, staged_kiosk
from ui import icons
from ui.main_window import MainWindow


def on(window: MainWindow, stage: str, *, elder: bool = True) -> MainWindow:
    show_stage(window, next(s for s in STAGES if s.name == stage), elder=elder, language="en")
    return window


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    with staged_kiosk() as window:
        window.resize(1280, 1024)
        yield window


def problems(window: MainWindow) -> list[str]:
    return [f"{widget.objectName()}: {problem}" for widget, problem in icon_problems(window, window.grab().toImage())]


def test_core_tiles_and_main_actions_carry_an_icon_in_their_texts_colour_and_size(window: MainWindow) -> None:
    home = on(window, "home").screens["home"]
    for target in ("balance", "send_payee", "bill_biller", "history"):
        tile = home.tiles[target]
        picture = tile.icon_label.pixmap()
        assert tile.icon_label.isVisible() and not picture.isNull(), target
        assert tile.text()  # never an icon alone
        assert tile.icon_label.height() == tile.caption.fontMetrics().height()
    pay = on(window, "review").screens["review"].pay
    assert not pay.icon().isNull() and pay.iconSize().height() == pay.fontMetrics().height()
    white = QColor(window.theme.colours.primary_text)
    assert icons.text_colour(pay) == white  # a primary button's icon is drawn in its white text colour
    before = pay.iconSize().height()
    window.set_theme(window.theme.larger())
    settle(window)
    assert pay.iconSize().height() > before  # A+ makes the icons larger with the words
    assert problems(window) == []


@pytest.mark.parametrize("elder", [True, False])
def test_the_icon_check_passes_the_untouched_screens(window: MainWindow, elder: bool) -> None:
    for stage in ("home", "review", "result"):
        on(window, stage, elder=elder)
        assert problems(window) == [], stage


def test_the_icon_check_catches_a_pale_icon(window: MainWindow) -> None:
    tile = on(window, "home").screens["home"].tiles["history"]
    tile.icon_label.setPixmap(icons.pixmap("history", QColor("#9A9A9A"), tile.icon_label.height()))
    assert any(p.startswith("tile_history: icon contrast") for p in problems(window))


def test_the_icon_check_catches_a_pale_icon_on_a_push_button(window: MainWindow) -> None:
    sign_out = on(window, "home").screens["home"].sign_out
    sign_out.setIcon(QIcon(icons.pixmap("logout", QColor("#C8D4E8"), sign_out.iconSize().height())))
    assert any(p.startswith("homeSignOut: icon contrast") for p in problems(window))


def test_the_icon_check_catches_an_icon_alone(window: MainWindow) -> None:
    sign_out = on(window, "home").screens["home"].sign_out
    sign_out.setText("")
    assert "homeSignOut: an icon alone, without words" in problems(window)


def test_the_icon_check_catches_an_icon_that_crowds_out_the_words(window: MainWindow) -> None:
    pay = on(window, "review").screens["review"].pay
    pay.setIconSize(QSize(pay.width(), pay.fontMetrics().height()))
    assert any(p.startswith("reviewPay: icon and words need") for p in problems(window))
