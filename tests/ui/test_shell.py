"""Screens get a narrow shell, not the window: the window implements it, the screens never import it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from pytestqt.qtbot import QtBot

from client.i18n import Translator
from client.security.catalog import load_catalog
from ui.main_window import MainWindow
from ui.screens.start import CardScreen
from ui.shell import Shell
from ui.theme import Theme

SCREENS = Path(__file__).resolve().parents[2] / "ui" / "screens"


def shell_members() -> set[str]:
    return {name for name in vars(Shell) if not name.startswith("_")} - set(vars(object))


def test_the_window_implements_every_member_of_the_shell() -> None:
    window_members = {name for name, _ in inspect.getmembers(MainWindow)}
    # Plain attributes set in __init__ (t, theme, kiosk, speak_amounts, security_catalog) are read from the source.
    assigned = set(inspect.getsource(MainWindow.__init__).replace("self.", " self.").split())
    missing = [m for m in shell_members() if m not in window_members and f"self.{m}" not in assigned]
    assert missing == []


def test_no_screen_imports_the_window() -> None:
    for module in SCREENS.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert "ui.main_window" not in imported, module.name


def test_screens_use_no_private_member_of_the_shell() -> None:
    for module in SCREENS.glob("*.py"):
        assert "shell._" not in module.read_text(encoding="utf-8"), module.name


class RecordingShell:
    """A stand-in shell: a screen needs nothing of the window to be built and to act."""

    def __init__(self) -> None:
        self.t = Translator("en")
        self.theme = Theme.for_mode(True, "en")
        self.kiosk = None
        self.visit = None
        self.security_catalog = load_catalog()
        self.speak_amounts = False
        self.moves: list[tuple[str, dict[str, object]]] = []
        self.said: list[str] = []
        self.problems: list[tuple[str, str | None]] = []

    def go(self, screen_id: str, *, remember: bool = True, **params: object) -> None:
        self.moves.append((screen_id, params))

    def announce(self, text: str, priority: str = "normal") -> None:
        self.said.append(text)

    def repeat(self) -> None:
        pass

    def problem_shown(self, screen_id: str, code: str | None) -> None:
        self.problems.append((screen_id, code))


def test_a_screen_works_on_any_shell(qtbot: QtBot) -> None:
    shell = RecordingShell()
    screen = CardScreen(shell)  # type: ignore[arg-type]
    qtbot.addWidget(screen)
    screen.retranslate()
    screen.use_card("1234")
    assert shell.moves == [] and screen.error.isVisibleTo(screen)
    assert shell.said == [shell.t("error.card_number_invalid")]
    assert shell.problems == [("card", None)]  # counted: a third one on this screen brings a person
    screen.use_card("6222 0200 0000 0001")
    assert shell.moves == [("pin", {"card_number": "6222020000000001"})]
