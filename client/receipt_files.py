"""Where printed receipts live while the customer is at the kiosk, and nowhere after.

The kiosk's printer is simulated: a printed receipt is a PDF file. It holds a name, an amount and
the last digits of accounts, so it is the customer's alone: created readable by this user only,
in a folder only this user can open, and deleted when the visit ends (sign-out, time-out, the
kiosk closing; and at start-up, after a crash). Print, then delete.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


class ReceiptFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, content: bytes) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)  # mkdir's mode is cut by the umask, and an older folder may be open
        path = self.folder / name
        path.unlink(missing_ok=True)
        # Created 0600 in one step: never readable by anyone else, not even for a moment.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        return path

    def files(self) -> list[Path]:
        return sorted(self.folder.iterdir()) if self.folder.is_dir() else []

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
