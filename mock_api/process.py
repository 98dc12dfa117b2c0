"""The mock API in a process of its own, started without importing it.

The kiosk starts the bank this way so that FastAPI, pydantic and uvicorn load on the other core
while the Welcome screen paints, instead of in front of it. Importing this module costs nothing:
only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    # Linux: if the kiosk is killed outright, the bank goes with it instead of holding the port.
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ApiProcess:
    """``python -m mock_api`` on a free loopback port; ``url`` is known at once, ``wait_ready`` blocks.

    The bank inherits this process's environment whole: it keeps its key in the same keyring as
    the kiosk (the Secret Service of ``DBUS_SESSION_BUS_ADDRESS``, or the backend
    ``PYTHON_KEYRING_BACKEND`` names)."""

    def __init__(self, db_path: Path, *, host: str = "127.0.0.1", log_path: Path | None = None) -> None:
        self.host = host
        self.db_path = db_path
        self.port = free_port(host)
        command = [sys.executable, "-m", "mock_api", "--host", host, "--port", str(self.port)]
        command += ["--db", str(db_path), "--log-level", "warning"]
        self._log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self._process = subprocess.Popen(
            command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            cwd=Path(__file__).resolve().parent.parent,
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def wait_ready(self, timeout: float = 20.0) -> None:
        """Block until GET /health answers 200; RuntimeError if the process died or time ran out."""
        import http.client  # here, on a worker after the first paint: it is not light (ssl, email)

        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"the mock API exited with {self._process.returncode}")
            try:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=1)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            if time.monotonic() > deadline:
                raise RuntimeError(f"the mock API did not answer on {self.url}")
            time.sleep(0.02)  # another process is still importing; not a test sleep

    def stop(self, timeout: float = 5.0) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()  # type: ignore[union-attr]

    def __del__(self) -> None:
        if getattr(self, "_process", None) is not None and self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGTERM)
