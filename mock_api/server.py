"""Run the mock API with uvicorn: in a background thread (embedded in the kiosk) or in the foreground."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import uvicorn

from mock_api.app import create_app
from mock_api.config import Clock, RiskConfig
from mock_api.process import free_port


class EmbeddedServer:
    """The mock API on a free loopback port, served from a daemon thread.

    ``start()`` returns once the server accepts connections; ``stop()`` shuts it down and
    closes the database. Usable as a context manager.
    """

    def __init__(
        self,
        db_path: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        risk: RiskConfig | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.app = create_app(db_path, risk=risk, clock=clock)
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            self.app, host=self.host, port=self.port, log_level="warning", access_log=False, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="mock-api", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests_in_flight(self) -> int:
        """How many requests are being answered now (the tests wait for none before they reset a
        server one test leaves to the next)."""
        return len(self._server.server_state.tasks)

    def start(self, timeout: float = 10.0) -> EmbeddedServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the mock API did not start on {self.url}")
            time.sleep(0.01)  # waiting for another thread to bind; not a test sleep
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.app.state.db.close()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
