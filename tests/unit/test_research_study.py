"""The study file, its counterbalancing, the event log's schema and the researcher's PIN."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError

from client.models import Payment
from client.research.events import EventLog, control_name, key_name, read_events
from client.research.pin import SERVICE, PinError, ResearcherPin
from client.research.study import StudyError, balanced_latin_square, load_study
from tests.memory_keyring import MemoryKeyring

EXAMPLE = Path(__file__).parents[2] / "studies" / "example.toml"
START = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


def test_the_example_study_reads_and_is_counterbalanced() -> None:
    study = load_study(EXAMPLE)
    assert study.task_ids == ("pay_electricity", "send_200")
    assert study.condition_ids == ("elder", "standard")
    orders = [study.order_of(p) for p in study.participants]
    assert orders == [("elder", "standard"), ("standard", "elder")] * 2
    assert study.end_questionnaires == ("sus", "nps", "csat")
    assert study.task("send_200").success.amount_minor == 20_000


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_a_balanced_latin_square_balances_positions_and_what_follows_what(n: int) -> None:
    rows = balanced_latin_square(n)
    assert len(rows) == (n if n % 2 == 0 else 2 * n)
    copies = len(rows) // n
    for position in range(n):  # each condition in each position equally often
        assert sorted(row[position] for row in rows) == sorted(list(range(n)) * copies)
    pairs = [(a, b) for row in rows for a, b in itertools.pairwise(row)]
    for a, b in itertools.permutations(range(n), 2):  # each follows each other equally often
        assert pairs.count((a, b)) == copies


def test_a_williams_square_for_four_is_the_textbook_one() -> None:
    # Williams (1949); the first row 0, 1, n-1, 2, …, each next row one on (e.g. MacKenzie,
    # "Human-Computer Interaction: An Empirical Research Perspective", 2013, §5.11: A B D C / B C A D / …)
    assert balanced_latin_square(4) == [[0, 1, 3, 2], [1, 2, 0, 3], [2, 3, 1, 0], [3, 0, 2, 1]]


def test_a_study_file_with_mistakes_says_each_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('participants = ["P01", "P02", "P03", "P04"]', 'participants = ["P01", "P01", "Wang Fang"]')
    text = text.replace('questionnaires = ["seq", "sus", "nps", "csat"]', 'questionnaires = ["seq", "ueq"]')
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(StudyError) as raised:
        load_study(bad)
    message = str(raised.value)
    for expected in ("'P01' appears twice", "'Wang Fang' is not an alias", "'ueq' is not one of", "'sus' is required"):
        assert expected in message
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace('amount = "200.00"', 'amount = "200.005"'), "utf-8")
    with pytest.raises(StudyError, match=r"tasks\.1\.success\.amount: .* at most two decimals"):
        load_study(bad)
    with pytest.raises(StudyError, match="no study file"):
        load_study(tmp_path / "missing.toml")
    (tmp_path / "broken.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(StudyError, match="not valid TOML"):
        load_study(tmp_path / "broken.toml")


def _payment(kind: str, status: str, amount: int, to: str, created: datetime) -> Payment:
    return Payment.model_validate(
        {
            "id": "pay_1",
            "kind": kind,
            "status": status,
            "amount_minor": amount,
            "currency": "CNY",
            "from_account_id": "acc",
            "counterparty": to,
            "counterparty_names": {"zh-Hans": "李梅", "en": "Li Mei"} if "Li Mei" in to else {},
            "risk": {"decision": "allow", "reasons": [], "requires": [], "hold_minutes": 0},
            "created_at": created.isoformat(),
            "cancellable": False,
        }
    )


def test_success_is_a_matching_payment_made_since_the_task_started() -> None:
    send = load_study(EXAMPLE).task("send_200").success
    done = _payment("transfer", "completed", 20_000, "李梅 Li Mei", START + timedelta(seconds=5))
    assert send.found_in([done], START) is done
    assert send.found_in([done], START + timedelta(seconds=6)) is None  # made before the task began
    for other in (
        _payment("transfer", "completed", 20_001, "李梅 Li Mei", START),
        _payment("transfer", "requires_action", 20_000, "李梅 Li Mei", START),
        _payment("transfer", "completed", 20_000, "王强 Wang Qiang", START),
        _payment("bill", "completed", 20_000, "李梅 Li Mei", START),
    ):
        assert send.found_in([other], START) is None
    bill = load_study(EXAMPLE).task("pay_electricity").success
    assert bill.found_in([_payment("bill", "held", 30_760, "State Grid Electricity", START)], START) is not None


def test_events_carry_only_their_schema_fields(tmp_path: Path) -> None:
    ticks = iter([100.0, 100.25, 101.5])
    log = EventLog(
        tmp_path / "s" / "events.jsonl",
        session="P01-elder",
        participant="P01",
        condition="elder",
        monotonic=lambda: next(ticks),
        utc_now=lambda: START,
    )
    log.task = "send_200"
    log.record("key", screen="amount", widget="amountField", key=key_name("5"))
    log.record("focus", screen="send_payee", widget="payee_payee_wf_limei")
    with pytest.raises(ValueError, match="key events carry no text"):
        log.record("key", screen="amount", key="character", text="5")
    with pytest.raises(ValueError, match="unknown event type"):
        log.record("typed", screen="amount")
    log.close()
    events = list(read_events(tmp_path / "s" / "events.jsonl"))
    assert events[0] == {
        "schema_version": 1,
        "at": "2026-03-11T02:00:00.000Z",
        "ms": 250,
        "session": "P01-elder",
        "participant": "P01",
        "condition": "elder",
        "task": "send_200",
        "type": "key",
        "screen": "amount",
        "widget": "amountField",
        "detail": {"key": "character"},
    }
    assert events[1]["widget"] == "payee_item" and events[1]["ms"] == 1500  # no payee id in the log
    assert (key_name("Return"), key_name("F1"), key_name("a")) == ("Return", "F1", "character")
    assert control_name("balanceBlock_0101") == "balanceBlock_item"
    assert control_name("demoCard_0001") == "demoCard_item"  # a card's last four digits are not logged
    cut_short = (tmp_path / "s" / "events.jsonl").read_text(encoding="utf-8") + '{"schema_version": 1, "at'
    (tmp_path / "cut.jsonl").write_text(cut_short, encoding="utf-8")  # the kiosk stopped mid-line
    assert len(list(read_events(tmp_path / "cut.jsonl"))) == 2
    (tmp_path / "old.jsonl").write_text(json.dumps({"schema_version": 0}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="schema version 0"):
        list(read_events(tmp_path / "old.jsonl"))


def test_the_researcher_pin_is_kept_as_a_salted_hash_in_the_keyring(isolated_environment: MemoryKeyring) -> None:
    pin = ResearcherPin(iterations=1000)
    assert not pin.is_set
    with pytest.raises(PinError) as raised:
        pin.set("2580", "2581")
    assert raised.value.code == "mismatch"
    for easy in ("1111", "1234", "987654"):
        with pytest.raises(PinError, match="too easy"):
            pin.set(easy, easy)
    pin.set("2580", "2580")
    stored = isolated_environment.secrets
    [(service, account)] = stored
    kept = stored[(service, account)]
    assert service == SERVICE
    assert "2580" not in kept and kept.startswith("pbkdf2-sha256$1000$")
    other = ResearcherPin(iterations=1000)
    other.set("2580", "2580")  # a new salt: the same PIN is stored differently
    assert stored[(service, account)] != kept
    assert ResearcherPin().check("2580")
    wrong = ResearcherPin()
    assert [wrong.check("0000") for _ in range(5)] == [False] * 5
    assert not wrong.check("2580")  # five wrong ones: nothing opens in this run


class _NoKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("headless")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("headless")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("headless")


def test_without_a_keyring_the_pin_lasts_for_this_run_only(caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(_NoKeyring())
    pin = ResearcherPin(iterations=1000)
    assert not pin.is_set and pin.keyring_missing
    pin.set("2580", "2580")
    assert pin.check("2580") and not ResearcherPin(iterations=1000).is_set
    assert "no system keyring" in caplog.text and "2580" not in caplog.text
