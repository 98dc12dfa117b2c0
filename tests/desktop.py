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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


@dataclass
class RunningKiosk:
    """The kiosk's process and what it has printed so far (also written to its log file as it comes)."""

    process: subprocess.Popen[bytes]
    printed: str = ""
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def _copy(self, log: Path) -> None:  # on a thread of its own: reads until the kiosk closes its output
        assert self.process.stdout is not None
        with log.open("ab") as file:
            while chunk := self.process.stdout.read1(65536):
                file.write(chunk)
                file.flush()
                with self._changed:
                    self.printed += chunk.decode("utf-8", "replace")
                    self._changed.notify_all()

    def wait_for_output(self, what: str, seen: Callable[[str], bool], timeout: float) -> str:
        """Wake at each piece the kiosk prints until ``seen`` holds of all it printed; fail saying
        ``what`` never came."""
        with self._changed:
            if not self._changed.wait_for(lambda: seen(self.printed), timeout=timeout):
                raise AssertionError(f"waited {timeout:.0f} s for {what}")
            return self.printed


@contextmanager
def kiosk_process(env: dict[str, str], log: Path, *args: str) -> Iterator[RunningKiosk]:
    """``python main.py`` (the kiosk with its embedded bank), stopped at the end of the block."""
    process = subprocess.Popen(
        [sys.executable, "main.py", "--no-voice", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    kiosk = RunningKiosk(process)
    copier = threading.Thread(target=kiosk._copy, args=(log,), daemon=True)
    copier.start()
    try:
        yield kiosk
    finally:
        if process.poll() is None:
            process.terminate()  # its bank goes with it (mock_api.process: parent-death signal)
        process.wait(timeout=20)
        copier.join(timeout=20)
        assert process.stdout is not None
        process.stdout.close()
