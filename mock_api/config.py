"""Configuration of the mock API: risk thresholds (from TOML) and the server's clock."""

from __future__ import annotations

import threading
import time
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DEFAULT_RISK_FILE = Path(__file__).with_name("risk.toml")


@dataclass(frozen=True)
class RiskConfig:
    confirm_at: int = 500_000
    step_up_at: int = 2_000_000
    hold_above: int = 5_000_000
    purpose_at: int = 500_000
    per_payment_limit: int = 20_000_000
    daily_limit: int = 30_000_000
    very_large_minutes: int = 120
    new_payee_minutes: int = 15
    new_payee_hold_from: int = 100_000
    min_payments: int = 3
    threshold_multiplier: int = 2
    new_payee_days: int = 7
    rapid_repeat_count: int = 3
    rapid_repeat_minutes: int = 10
    duplicate_minutes: int = 60
    unusual_hours: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    local_utc_offset_hours: int = 8
    code_minutes: int = 5
    code_attempts: int = 3
    code_resends: int = 3
    pin_attempts: int = 3
    freeze_after_locked_attempts: int = 2
    session_minutes: int = 15
    name_check_minutes: int = 10
    draft_hours: int = 24
    handoff_minutes: int = 10
    payment_request_minutes: int = 15
    staff_session_minutes: int = 480
    staff_pin_attempts: int = 5
    refusal_link_minutes: int = 10

    @classmethod
    def load(cls, path: Path | None = None) -> RiskConfig:
        """Defaults from risk.toml, overridden by ``path`` if given. Unknown keys are an error."""
        config = cls()._merge(tomllib.loads(DEFAULT_RISK_FILE.read_text("utf-8")))
        if path is not None:
            config = config._merge(tomllib.loads(Path(path).read_text("utf-8")))
        return config

    def _merge(self, document: dict[str, Any]) -> RiskConfig:
        known = {f.name for f in fields(self)}
        values: dict[str, Any] = {}
        for section in document.values():
            if not isinstance(section, dict):
                raise ValueError("risk config: put every key inside a [section]")
            for key, value in section.items():
                if key not in known:
                    raise ValueError(f"risk config: unknown key {key!r}")
                values[key] = tuple(value) if isinstance(value, list) else value
        return replace(self, **values)


# A fixed, ordinary moment for runs that must not depend on when they happen (the tests, the
# screenshots, the audit): a Wednesday, 10:00 in Beijing, far from the unusual hours and month ends.
ORDINARY_MOMENT = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


@dataclass
class Clock:
    """The bank's time, shifted by an offset testers and researchers can move (POST /v1/admin/clock).

    By default it is the real UTC time. Started at a chosen moment (``Clock(start=...)``), it ticks
    on from there at the machine's monotonic rate, so what it says does not depend on the hour a
    run happens to start.
    """

    start: datetime | None = None
    offset: timedelta = field(default_factory=timedelta)
    _ticking_since: float = field(default_factory=time.monotonic, repr=False)
    # Requests run in worker threads: a clock moved by one is never read half-moved by another.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start is not None and self.start.utcoffset() is None:
            raise ValueError("a clock's start needs a time zone")

    def now(self) -> datetime:
        with self._lock:
            if self.start is None:
                return datetime.now(UTC) + self.offset
            return self.start + timedelta(seconds=time.monotonic() - self._ticking_since) + self.offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.offset += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        with self._lock:
            self.offset += moment - self.now()  # re-entrant lock: now() may be a subclass's

    def restart(self, start: datetime | None) -> None:
        """Back to ``start`` (or the real time), as a freshly made clock, with nothing moved."""
        if start is not None and start.utcoffset() is None:
            raise ValueError("a clock's start needs a time zone")
        with self._lock:
            self.start, self.offset, self._ticking_since = start, timedelta(), time.monotonic()
