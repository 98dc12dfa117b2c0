"""Screens get a narrow shell, not the window: the window implements it, the screens never import it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from ui.main_window import MainWindow
from ui.shell import Shell

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
