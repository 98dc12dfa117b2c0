"""The pieces of a desktop a kiosk has, each private to one test and gone after it: a D-Bus session
(``dbus-run-session``), a virtual X server (Xvfb), and the real kiosk (``main.py``) started in them.

Nothing here touches the machine's own session, keyring or display: every address, folder and
display number is the test's own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def private_home(base: Path) -> dict[str, str]:
    """An environment whose home, runtime, config and data folders are under ``base``; no display,
    no session bus of the machine's (the test adds its own), no keyring backend chosen (the
    Secret Service of the test's own session, if it starts one)."""
    prefixes = ("DBUS_", "DISPLAY", "WAYLAND", "XDG_", "GNOME_", "PYTHON_KEYRING_")  # the test run's keyring too
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    home, runtime = base / "home", base / "run"
    for folder in (home, runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        CALMPAY_DATA_DIR=str(base / "data"),
        CALMPAY_CONFIG_DIR=str(base / "config"),
    )
    return env


@contextmanager
def dbus_session(env: dict[str, str], log: Path, *, first: str = "", stdin_text: str = "") -> Iterator[str]:
    """A D-Bus session of its own (``dbus-run-session``), its address yielded; it ends with the block.

    ``first`` is a shell line run inside the session before it is handed over (e.g. unlocking a
    keyring), fed ``stdin_text``. The session lives while the shell waits on its standard input."""
    assert shutil.which("dbus-run-session"), "dbus-run-session is missing: sh scripts/system-deps.sh"
    script = (
        f'{first}\necho "$DBUS_SESSION_BUS_ADDRESS"\nexec cat >/dev/null'
        if first
        else ('echo "$DBUS_SESSION_BUS_ADDRESS"\nexec cat >/dev/null')
    )
    with log.open("ab") as errors:
        session = subprocess.Popen(
            ["dbus-run-session", "--", "sh", "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
            text=True,
        )
    assert session.stdin is not None and session.stdout is not None
    try:
        if stdin_text:
            session.stdin.write(stdin_text)
            session.stdin.flush()
        address = session.stdout.readline().strip()
        assert address.startswith("unix:"), f"no D-Bus session (see {log})"
        yield address
    finally:
        session.stdin.close()  # the shell's `cat` ends, and with it the session and its services
        session.wait(timeout=20)
        session.stdout.close()


@contextmanager
def virtual_display(log: Path, size: str = "1280x1024x24") -> Iterator[str]:
    """Xvfb on a display number it chooses itself (``-displayfd``): tests in parallel never meet."""
    assert shutil.which("Xvfb"), "Xvfb is missing: sh scripts/system-deps.sh"
    read_end, write_end = os.pipe()
    with log.open("ab") as errors:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
            pass_fds=(write_end,),
            stdout=errors,
            stderr=errors,
        )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as numbers:
            number = numbers.readline().strip()
        assert number.isdigit(), f"Xvfb did not start (see {log})"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def write_settings(env: dict[str, str], **settings: Any) -> None:
    """The kiosk's settings file (client.settings) in the test's config folder."""
    config = Path(env["CALMPAY_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps(settings), "utf-8")


@contextmanager
def kiosk_process(env: dict[str, str], log: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``python main.py`` (the kiosk with its embedded bank), stopped at the end of the block."""
    with log.open("ab") as output:
        kiosk = subprocess.Popen(
            [sys.executable, "main.py", "--no-voice", *args], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    try:
        yield kiosk
    finally:
        if kiosk.poll() is None:
            kiosk.terminate()  # its bank goes with it (mock_api.process: parent-death signal)
        kiosk.wait(timeout=20)
