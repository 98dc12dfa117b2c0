"""Configuration of the mock API: risk thresholds (from TOML) and the server's clock."""

from __future__ import annotations

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
    pin_attempts: int = 3
    freeze_after_locked_attempts: int = 2
    session_minutes: int = 15

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


@dataclass
class Clock:
    """UTC now, shifted by an offset testers and researchers can move (POST /v1/admin/clock)."""

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)
