"""Where the kiosk's embedded bank answers, for a staff console started on its own on the same computer.

The embedded bank takes a new loopback port at each start. Once it answers, the kiosk writes its
address to a small file in the data dir; the console (``python -m ui.staff`` without ``--api-url``)
reads it. The kiosk removes the file when it closes. The file holds an address, never a secret.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from client import paths

FILE_NAME = "embedded-bank.url"


def address_file() -> Path:
    return paths.data_dir() / FILE_NAME


def remember(url: str) -> None:
    """The kiosk's embedded bank answers at ``url``."""
    path = address_file()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(url + "\n", encoding="utf-8")
    temporary.replace(path)  # a console reading meanwhile sees the old address or the new, never half


def running() -> str | None:
    """The address a running kiosk wrote, or None if no kiosk with an embedded bank wrote one."""
    try:
        url = address_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return url or None


def forget(url: str) -> None:
    """The kiosk closes: its address goes, unless a kiosk started since has written its own."""
    if running() == url:
        with contextlib.suppress(OSError):
            address_file().unlink()
