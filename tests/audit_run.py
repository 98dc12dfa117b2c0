"""The whole accessibility audit (``python -m devtools.audit``) as a program of its own, started as
soon as the run knows it is wanted, so it runs beside the rest of the suite on the other core
instead of after it; tests/devtools/test_audit.py reads its answer at the end of the run (it is
marked ``after_the_suite``: read any earlier, the suite would stop and wait for it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_NAME = "test_python_m_ui_audit_reports_no_violation"


@dataclass
class AuditRun:
    process: subprocess.Popen[bytes]
    folder: Path

    def result(self, timeout: float) -> tuple[int, str, str]:
        """(return code, what it printed, its errors): waits for it to end, then removes its folder."""
        code = self.process.wait(timeout=timeout)
        out, err = (self.folder / "out.txt").read_text(), (self.folder / "err.txt").read_text()
        self.stop()
        return code, out, err

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


# Where the run keeps the audit it started (tests/conftest.py).
AUDIT_RUN = pytest.StashKey[AuditRun]()


def start_audit() -> AuditRun:
    folder = Path(tempfile.mkdtemp(prefix="calmpay-audit-"))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CALMPAY_DATA_DIR": str(folder / "data"),
        "CALMPAY_CONFIG_DIR": str(folder / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    # Its output goes to files: a pipe nobody reads until the end could fill and stop it.
    with (folder / "out.txt").open("wb") as out, (folder / "err.txt").open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "devtools.audit", "--fit", "slice"], cwd=ROOT, env=env, stdout=out, stderr=err
        )
    return AuditRun(process, folder)
