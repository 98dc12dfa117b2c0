"""Kiosk settings: a small JSON file in the config dir (never secrets), with safe defaults."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from client import paths

log = logging.getLogger("calmpay.settings")

SETTINGS_FILE = "settings.json"
MIN_WARNING_SECONDS = 20  # WCAG 2.2.1: at least 20 s to answer a time-out warning


@dataclass(frozen=True)
class KioskSettings:
    idle_seconds: int = 90  # no touch or key for this long: the warning appears
    warning_seconds: int = 30  # then this long to answer "I need more time"
    default_language: str = "zh-Hans"
    customer_language: bool = True  # at sign-in, switch to the customer's own language unless they chose one
    elder_mode_default: bool = True
    home_policy: str = "split"  # adaptive home: split (default), reorder or static (research comparisons)
    voice: bool = True  # voice prompts (they turn themselves off without an engine or speaker)
    kiosk_label: str = "CalmPay kiosk"
    # No key or touch for this long on one step (before the idle warning): staff are asked to come.
    hesitation_seconds: int = 60
    staff_nearby: bool = True  # False: a kiosk with no floor staff near it gives the elder hotline at once

    def __post_init__(self) -> None:
        if self.warning_seconds < MIN_WARNING_SECONDS:
            object.__setattr__(self, "warning_seconds", MIN_WARNING_SECONDS)
        if self.idle_seconds < 1:
            object.__setattr__(self, "idle_seconds", 1)

    @classmethod
    def load(cls, path: Path | None = None) -> KioskSettings:
        path = path or paths.config_dir() / SETTINGS_FILE
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable settings file %s: %s", path, error)
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            log.warning("ignoring unknown settings: %s", ", ".join(sorted(unknown)))
        return replace(cls(), **{k: v for k, v in data.items() if k in known})

    def save(self, path: Path | None = None) -> None:
        path = path or paths.config_dir() / SETTINGS_FILE
        path.write_text(json.dumps(asdict(self), indent=2), "utf-8")
