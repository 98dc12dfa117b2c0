"""The real mock API for tests: its clock starts at a fixed, ordinary moment, never at the real time.

A test's outcome must not depend on the hour it runs (CI runs at any hour): at 00:30 in Beijing
every payment would be "unusual_time". Tests about time move the clock themselves, from this moment.
"""

from __future__ import annotations

from pathlib import Path

from mock_api.config import ORDINARY_MOMENT, Clock, RiskConfig
from mock_api.server import EmbeddedServer


def bank_server(db_path: Path, *, risk: RiskConfig | None = None, clock: Clock | None = None) -> EmbeddedServer:
    """An embedded mock API (not yet started) whose clock starts at ORDINARY_MOMENT unless given one."""
    return EmbeddedServer(db_path, risk=risk, clock=clock or Clock(start=ORDINARY_MOMENT))
