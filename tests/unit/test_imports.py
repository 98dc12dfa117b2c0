"""How client/ hangs together: no import cycles, and a start-up that loads only what it uses."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, known: set[str]) -> set[str]:
    """The client modules ``path`` imports anywhere in its body (lazy imports count: a cycle
    through a function-level import is still a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from client.voice import engine" imports the submodule client.voice.engine.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known}


def _client_import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in CLIENT.rglob("*.py")}
    known = set(paths)
    graph = {name: _imported_modules(path, known) for name, path in paths.items()}
    # A submodule's import runs its package's __init__ first.
    for name in paths:
        package = name.rpartition(".")[0]
        if package in known and package != "client":
            graph[name].add(package)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the current path, "done" when finished

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if target == name:
                continue  # a module naming itself is no cycle
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_client_has_no_import_cycles() -> None:
    graph = _client_import_graph()
    assert "client.voice.engine" in graph and "client.voice.cli" in graph
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def _loaded_after(statement: str) -> set[str]:
    """The names of the modules loaded by a fresh interpreter that runs ``statement``."""
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_the_voice_package_loads_neither_the_engine_nor_the_tool() -> None:
    loaded = _loaded_after("import client.voice")
    assert {"client.voice.engine", "client.voice.cli", "pyttsx3"}.isdisjoint(loaded)


def test_the_kiosk_window_loads_neither_the_catalog_checker_nor_the_speech_engine() -> None:
    # textstat is for the catalog's checker, opencc for the vocabulary check, pyttsx3 for the
    # engine: main.py creates the speaker.
    loaded = _loaded_after("import ui.main_window")
    assert "client.security.catalog" in loaded and "client.voice" in loaded
    checkers = {"textstat", "client.security.lint", "opencc", "client.i18n_lint"}
    assert {*checkers, "pyttsx3", "client.voice.engine"}.isdisjoint(loaded)


def test_the_catalog_loads_without_its_checker() -> None:
    loaded = _loaded_after("from client.security.catalog import load_catalog; load_catalog()")
    assert {"textstat", "client.security.lint", "client.security.cli"}.isdisjoint(loaded)


def test_the_welcome_screen_needs_nothing_that_talks_to_the_bank() -> None:
    # Start-up paints the Welcome screen before the API client (httpx), its models (pydantic), the
    # keyring and the other screens load (main.py); a new module-level import here slows every start.
    loaded = _loaded_after("import ui.main_window")
    assert "ui.screens.start" in loaded
    late = {"httpx", "pydantic", "keyring", "client.api", "client.models", "client.kiosk", "client.credentials"}
    assert late.isdisjoint(loaded), sorted(late & loaded)
    assert {"ui.screens.home", "ui.screens.pay", "ui.screens.security"}.isdisjoint(loaded)
