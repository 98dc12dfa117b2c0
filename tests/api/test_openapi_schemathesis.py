"""Schemathesis against the standalone mock API: no server error, no response that breaks the schema.

The acceptance criterion: ``python -m mock_api ...`` serves, and Schemathesis run against its
/openapi.json finds no server error and no response that breaks the documented schema (status
codes, content types, headers and bodies, including the error envelope of every 4xx), and bad
input gets a 4xx. The server runs as its own process, as a tester would start it, on a fresh
database; the tests sign in as Wang Fang and use her session as the document's bearer scheme.

Schemathesis's pytest plugin (``@schema.parametrize()`` and ``schemathesis.pytest.from_fixture``)
needs the schema at collection time or a private pytest attribute that pytest 9 no longer has, so
these tests drive Schemathesis's Hypothesis strategies and state machine directly instead.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mock_api.config import ORDINARY_MOMENT
from mock_api.idempotency import IDEMPOTENCY_KEY_PATTERN
from mock_api.process import free_port
from tests.demo import WANG_FANG

ROOT = Path(__file__).resolve().parents[2]
RESPONSE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Resetting the database ends every session, moving the clock expires them, freezing the customer
# refuses every later call of theirs, and the fault switches add latency and failures: they would
# pull the ground from under the rest of the run (tests/api/test_sign_in.py covers freezing).
EXCLUDED = (
    ("POST", "/v1/admin/reset"),
    ("POST", "/v1/admin/clock"),
    ("PUT", "/v1/admin/faults"),
    ("POST", "/v1/admin/customers/{customer_id}/freeze"),
)
SIGN_OUT = ("DELETE", "/v1/sessions/current")
MAX_EXAMPLES = 25  # per operation, valid and invalid requests together
# What a run of linked scenarios must at least have checked (a run typically does several times this).
MIN_SCENARIO_STEPS, MIN_LINKED_STEPS, MIN_LINKED_OPERATIONS = 200, 30, 6
VALID_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
SUPPRESSED = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class LiveApi:
    url: str
    kiosk_headers: dict[str, str]
    token: str

    def sign_in(self) -> str:
        response = httpx.post(
            f"{self.url}/v1/sessions",
            json={"card_number": WANG_FANG.number, "pin": WANG_FANG.pin},
            headers=self.kiosk_headers,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def schema(self) -> Any:
        # The session token as the document's own security scheme, so Schemathesis knows which
        # requests carry valid credentials (and which of its invalid requests spoiled them).
        config = SchemathesisConfig.from_dict({"auth": {"openapi": {"HTTPBearer": {"bearer": self.token}}}})
        schema = schemathesis.openapi.from_url(f"{self.url}/openapi.json", config=config, timeout=10)
        for method, path in EXCLUDED:
            schema = schema.exclude(method=method, path=path)
        return schema

    def prepare(self, case: Case) -> dict[str, str]:
        """Headers the fuzzer cannot know, and a fresh Idempotency-Key for each valid one."""
        headers = {}
        if (case.method.upper(), case.path) == SIGN_OUT:  # it ends the session: each time a new one
            headers["Authorization"] = f"Bearer {self.sign_in()}"
        if case.path in ("/v1/sessions", "/v1/demo/cards"):  # signing in and the card reader need a kiosk
            headers.update(self.kiosk_headers)
        # The fuzzer repeats values like "0" across different requests, and the API rightly answers
        # a key reused for another request with 422. A fresh key lets each request reach its operation.
        key = (case.headers or {}).get("Idempotency-Key")
        if isinstance(key, str) and len(key) <= 255 and VALID_KEY.fullmatch(key):
            case.headers["Idempotency-Key"] = uuid.uuid4().hex
        return headers


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """``python -m mock_api`` on a free loopback port with a fresh database, signed in as Wang Fang."""
    directory = tmp_path_factory.mktemp("schemathesis")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "mock_api", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--db", str(directory / "bank.sqlite3"), "--log-level", "warning"]
    command += ["--start-at", ORDINARY_MOMENT.isoformat()]
    with open(directory / "server.log", "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for_health(server, url)
            response = httpx.post(f"{url}/v1/kiosks", json={"label": "schemathesis"}, timeout=10)
            assert response.status_code == 201, response.text
            kiosk = response.json()
            api = LiveApi(url, {"X-Kiosk-Id": kiosk["kiosk_id"], "X-Kiosk-Key": kiosk["device_key"]}, token="")
            yield replace(api, token=api.sign_in())
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    server_log = (directory / "server.log").read_text("utf-8", errors="replace")
    assert "Traceback" not in server_log, server_log[-3000:]


def _wait_for_health(server: subprocess.Popen[bytes], url: str) -> None:
    """Wait for the other process to listen: httpx retries refused connections with backoff."""
    assert server.poll() is None, f"python -m mock_api exited with {server.returncode}"
    with httpx.Client(transport=httpx.HTTPTransport(retries=8), timeout=5) as client:
        try:
            response = client.get(f"{url}/health")
        except httpx.TransportError as error:
            raise AssertionError(f"python -m mock_api did not serve /health on {url}: {error}") from error
    assert response.status_code == 200, response.text


def test_every_operation_keeps_to_the_document(live_api: LiveApi) -> None:
    """Valid and invalid requests to each operation; every response checked against the document."""
    operations = [result.ok() for result in live_api.schema().get_all_operations()]
    assert len(operations) >= 30, "the OpenAPI document lost its operations"
    failures: dict[str, str] = {}
    with requests.Session() as session:
        for operation in operations:
            try:
                _fuzz(operation, live_api, session)
            # One report for all operations, not just the first that fails. Schemathesis's FailureGroup
            # is a BaseExceptionGroup, not an Exception.
            except (Exception, FailureGroup) as error:
                failures[operation.label] = f"{type(error).__name__}: {error}"
    assert not failures, "\n\n".join(f"{label}\n{message}" for label, message in failures.items())


def valid_data_passes_validation(ctx: Any, response: Any, case: Case) -> bool | None:
    """A request the document calls valid is never refused as invalid (400 validation_failed): the
    document and validation agree. (Other refusals, a business rule's, stay the bank's to make.)"""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None
    assert code != "validation_failed", f"the document allows this request, validation refused it: {response.text}"
    return None


def _fuzz(operation: Any, api: LiveApi, session: requests.Session) -> None:
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=SUPPRESSED)
    @given(case=strategy)
    def run(case: Case) -> None:
        headers = api.prepare(case)
        # negative_data_rejection: bad input gets a 4xx (with the envelope, by the schema checks).
        # valid_data_passes_validation: and input the document allows is not refused as invalid.
        checks = [*RESPONSE_CHECKS, negative_data_rejection, valid_data_passes_validation]
        case.call_and_validate(session=session, headers=headers, checks=checks, timeout=10)

    run()


def test_linked_operations_keep_to_the_document(live_api: LiveApi) -> None:
    """Sequences that feed one response's ids into the next request (create, then read or act on it)."""
    schema = live_api.schema().exclude(method=SIGN_OUT[0], path=SIGN_OUT[1])
    ran: Counter[str] = Counter()
    failures: list[str] = []

    class Scenarios(schema.as_state_machine()):  # type: ignore[misc]
        def step(self, input: StepInput) -> StepOutput:
            try:
                output = super().step(input)  # called and validated: a failed check raises here
            except (Exception, FailureGroup) as error:
                # Kept here too: Hypothesis replays a failing scenario to report it, and against a
                # server that has moved on the replay can end as a flaky strategy instead.
                failures.append(f"{input.case.method.upper()} {input.case.path}: {type(error).__name__}: {error}")
                raise
            ran["steps"] += 1
            if input.transition is not None and input.is_applied:  # an earlier response fed this request
                ran["linked"] += 1
                ran[f"linked {input.case.method.upper()} {input.case.path}"] += 1
            return output

        def before_call(self, case: Case) -> None:
            extra = live_api.prepare(case)  # first: it may replace the case's Idempotency-Key
            case.headers = {**(case.headers or {}), **extra}

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"timeout": 10}

        def validate_response(self, response: Any, case: Case, *args: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=RESPONSE_CHECKS)

    # Generation only, as Schemathesis's own runner does: a scenario replayed to shrink it meets a
    # server whose state has moved on. The same can happen while Hypothesis explores, which it reports
    # as a flaky strategy; like Schemathesis's runner, start a fresh session then. Derandomized, so
    # each run explores the same way and the counts below are stable.
    scenario_settings = settings(
        max_examples=100,
        derandomize=True,
        stateful_step_count=6,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=SUPPRESSED,
    )
    flaky_restarts = 0
    for _session in range(3):
        try:
            Scenarios.run(settings=scenario_settings)
            break
        except FlakyStrategyDefinition:
            flaky_restarts += 1
    # Passing means linked sequences really ran and were checked, not that nothing went wrong.
    linked_operations = sorted(name for name in ran if name.startswith("linked "))
    summary = f"{ran['steps']} steps, {ran['linked']} linked, {flaky_restarts} flaky restarts: {linked_operations}"
    assert not failures, "\n\n".join(failures)
    assert ran["steps"] >= MIN_SCENARIO_STEPS, summary
    assert ran["linked"] >= MIN_LINKED_STEPS, summary
    assert len(linked_operations) >= MIN_LINKED_OPERATIONS, summary
