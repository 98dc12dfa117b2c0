"""Where the kiosk keeps its files. Tests and researchers redirect them with environment variables."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "CalmPay"


def data_dir() -> Path:
    """The mock bank's database and research logs (CALMPAY_DATA_DIR overrides)."""
    override = os.environ.get("CALMPAY_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Kiosk settings (CALMPAY_CONFIG_DIR overrides). Never secrets: those live in the keyring."""
    override = os.environ.get("CALMPAY_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
