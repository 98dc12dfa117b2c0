"""The kiosk's risk vocabulary (client.security.reasons) is the API's, and the weightiest reason leads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from client.security.lint import SCAM_PURPOSES
from client.security.reasons import (
    PURPOSES,
    REASONS_BY_WEIGHT,
    RISK_REASON_CODES,
    leading_reason,
)
from mock_api import risk
from mock_api.app import create_app


def test_reason_codes_and_purposes_are_the_apis() -> None:
    assert RISK_REASON_CODES == risk.REASON_CODES
    assert PURPOSES == risk.PURPOSES  # the same order too: the kiosk offers them as the API lists them
    assert SCAM_PURPOSES == risk.SCAM_PURPOSES
    assert set(PURPOSES) >= SCAM_PURPOSES


def _purpose_enums(node: Any) -> Iterator[list[str]]:
    """Every enum the schema gives for a property called "purpose"."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "purpose":
                yield from _enums(value)
            yield from _purpose_enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _purpose_enums(value)


def _enums(node: Any) -> Iterator[list[str]]:
    if isinstance(node, dict):
        if "enum" in node:
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)


def test_purposes_are_the_ones_the_openapi_schema_accepts() -> None:
    app = create_app(":memory:")
    try:
        schema = app.openapi()
    finally:
        app.state.db.close()
    enums = list(_purpose_enums(schema))
    assert len(enums) >= 2  # a new payment and a confirmation both take a purpose
    assert all(enum == list(PURPOSES) for enum in enums), enums


def test_the_ranking_ranks_known_reasons_once() -> None:
    assert len(set(REASONS_BY_WEIGHT)) == len(REASONS_BY_WEIGHT)
    assert set(REASONS_BY_WEIGHT) <= set(RISK_REASON_CODES)


@pytest.mark.parametrize(
    ("reasons", "leading"),
    [
        ([], None),
        (["new_payee"], "new_payee"),
        (["unusual_time", "new_payee", "large_amount"], "large_amount"),
        (["new_payee", "payee_reported_scam"], "payee_reported_scam"),
        (["rapid_repeats", "purpose_scam_script", "very_large_amount"], "purpose_scam_script"),
        (["insufficient_funds", "unusual_time"], "unusual_time"),  # an unranked reason comes last
        (["insufficient_funds"], "insufficient_funds"),
    ],
)
def test_the_weightiest_reason_leads(reasons: list[str], leading: str | None) -> None:
    assert leading_reason(reasons) == leading
    assert leading_reason(reversed(reasons)) == leading
