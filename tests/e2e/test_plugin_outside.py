"""The pytest plugin as a tester outside the repository meets it: a test file in a folder of its own,
with no conftest and none of this suite's helpers, only the installed package (``calmpay.testing``,
found through its ``pytest11`` entry point). One test signs in, sends 200 to Li Mei and checks the
balance; one fails on purpose and leaves its trace, whose contents are checked here."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.helpers import api_client, holds_number
from tests.bank import bank_server

TESTER_FILE = """
def test_the_kiosk_as_asked(calmpay_kiosk, request):
    language = request.config.getoption("calmpay_language")
    assert calmpay_kiosk.t.language == language
    assert calmpay_kiosk.theme.elder is request.config.getoption("calmpay_elder")


def test_send_200_to_li_mei(customer):
    assert customer.sign_in("6222020000000001", "1234") == "home"
    before = customer.check_balance()
    assert customer.send("200", to="Li Mei") == "result"
    assert customer.read_screen().says("200.00")
    after = customer.check_balance()
    assert sorted(before[account] - after[account] for account in before) == [0, 20000]


def test_the_bank_can_be_slowed_and_its_clock_moved(customer, calmpay_bank):
    calmpay_bank.faults(latency_ms=50)
    moved = calmpay_bank.advance_clock(3600)
    assert calmpay_bank.now() >= moved
    assert customer.sign_in("6222020000000001", "1234") == "home"


def test_fails_on_purpose(customer):
    customer.sign_in("6222020000000001", "1234")
    assert customer.read_screen().says("a text no screen shows")
"""


def test_a_tester_outside_the_repository_uses_only_the_plugin(tmp_path: Path) -> None:
    project = tmp_path / "bank-qa"
    project.mkdir()
    try:
        run_the_testers_file(project, tmp_path)
    finally:  # the tester's file and its trace quote a demo card's number: nothing of it stays behind
        shutil.rmtree(project)


def environment_of_a_tester(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHON_KEYRING_BACKEND")}
    environment["CALMPAY_DATA_DIR"] = str(tmp_path / "data")
    environment["CALMPAY_CONFIG_DIR"] = str(tmp_path / "config")
    return environment


def test_the_same_tests_run_against_another_api_in_standard_mode_and_chinese(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """--calmpay-api-url: the tester's own bank (here a mock bank this test starts, as another API that
    follows the contract would be); --calmpay-standard, --calmpay-language."""
    project = tmp_path / "bank-qa"
    project.mkdir()
    (project / "test_kiosk.py").write_text(TESTER_FILE, encoding="utf-8")
    try:
        their_bank = tmp_path_factory.mktemp("their-bank") / "bank.sqlite3"
        with bank_server(their_bank) as theirs, api_client(theirs.url) as admin:
            before = admin.get("/v1/admin/clock").json()["now"]
            run = run_pytest(
                project, tmp_path, "--calmpay-api-url", theirs.url, "--calmpay-standard", "-k", "asked or 200"
            )
            assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr
            made = admin.get("/v1/admin/payments", params={"since": before}).json()
            assert [(p["kind"], p["amount_minor"], p["status"]) for p in made] == [("transfer", 20_000, "completed")]
        run = run_pytest(project, tmp_path, "--calmpay-language", "zh-Hant", "-k", "as_asked")
        assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout + run.stderr
    finally:
        shutil.rmtree(project)


def run_pytest(project: Path, tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options],
        cwd=project,
        env=environment_of_a_tester(tmp_path),
        capture_output=True,
        text=True,
        timeout=240,
    )


def run_the_testers_file(project: Path, tmp_path: Path) -> None:
    (project / "test_kiosk.py").write_text(TESTER_FILE, encoding="utf-8")
    environment = environment_of_a_tester(tmp_path)
    traces = project / "traces"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--calmpay-trace-dir", str(traces)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output  # the one that fails on purpose, and only it
    assert "1 failed, 3 passed" in output, output
    assert "test_kiosk.py::test_fails_on_purpose" in output

    [trace] = traces.glob("*.html")
    assert "test_fails_on_purpose" in trace.name
    assert f"The screens, keys, speech and API calls: {trace}" in output  # named in the failure report
    page = trace.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) >= 4  # welcome, card, PIN, home, and the screen when it failed
    assert all(base64.b64decode(image).startswith(b"\x89PNG") for image in images)
    text = re.sub(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', "", page)
    for screen in ("welcome", "card", "pin", "home"):
        assert screen in text
    assert "Return" in text and "type 4 characters" in text  # the keys, never the PIN itself
    assert "Insert your card, or choose a demo card below." in text  # what was spoken
    assert "4 digits entered" in text and "Enter your PIN." in text
    assert "POST /v1/sessions" in text and "GET /v1/accounts" in text  # the API calls
    assert "a text no screen shows" in text  # the failure itself
    # The failure's own text quotes the tester's code (with its PIN); the steps recorded never do.
    steps = re.sub(r"<pre[^>]*>.*?</pre>", "", text, flags=re.DOTALL)
    assert not holds_number(steps, "1234") and "6222020000000001" not in steps
