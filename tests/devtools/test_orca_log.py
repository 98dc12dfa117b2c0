"""The screen-reader check (scripts/orca-check.sh) reads Orca's debug log right: it passes what a
customer should hear and fails, each on its own, a missing title, a missing result and an echoed
PIN digit (the faults Orca showed before the kiosk named its screens and hid the PIN)."""

from __future__ import annotations

from devtools.orca_log import check, leaks_pin, spoken_lines

SEEN = {
    "pin": "1234",
    "screens": [
        {"screen": "pin", "title": "Enter your PIN", "instruction": "Type your PIN and press OK."},
        {"screen": "home", "title": "Hello, 王芳 Wang Fang", "instruction": "What would you like to do?"},
        {"screen": "send_payee", "title": "Send money to", "instruction": "Choose a person."},
        {"screen": "amount", "title": "How much?", "instruction": "Type the amount."},
        {"screen": "amount", "error": "The amount must be more than zero."},
        {
            "screen": "result",
            "title": "Done",
            "instruction": "What next?",
            "result": "¥200.00 has been sent to 李梅 Li Mei.",
        },
    ],
}


def orca_log(*said: str) -> str:
    """Lines as Orca 43 writes them, with other debug output around them."""
    lines = ["19:13:50.000001 - EVENT MANAGER: Queueing object:text-changed:insert"]
    for index, text in enumerate(said):
        lines.append(f"19:13:51.{index:06d} - SPEECH OUTPUT: '{text}'{{'established': False}}")
        lines.append("                  GENERATION TIME: 0.0006  ---->  label=[]")
    return "\n".join(lines)


GOOD = [
    "Enter your PIN. Type your PIN and press OK. panel.",
    "PIN password text.",
    "*",
    "*",
    "*",
    "*",
    "Hello, 王芳 Wang Fang. What would you like to do? panel.",
    "Send money to. Choose a person. panel.",
    "How much? Type the amount. panel.",
    "0 ",
    "return ",
    "notification The amount must be more than zero.",
    "2 ",
    "0 ",
    "0 ",
    "Done. ¥200.00 has been sent to 李梅 Li Mei. What next? panel.",
]


def failures(said: list[str]) -> list[str]:
    return [item.what for item in check(orca_log(*said), SEEN)[1] if not item.ok]


def test_what_a_customer_should_hear_passes() -> None:
    assert spoken_lines(orca_log(*GOOD))[:2] == [
        "Enter your PIN. Type your PIN and press OK. panel.",
        "PIN password text.",
    ]
    assert failures(GOOD) == []


def test_a_title_never_said_fails_and_the_start_of_a_longer_sentence_does_not_count() -> None:
    said = [line for line in GOOD if not line.startswith("Send money to.")] + ["Send money to a person you choose."]
    assert failures(said) == ["title heard: 'Send money to' (send_payee)"]


def test_an_error_never_said_fails() -> None:
    said = [line for line in GOOD if "more than zero" not in line]
    assert failures(said) == ["error heard: 'The amount must be more than zero.'"]


def test_a_result_never_said_fails() -> None:
    said = [line for line in GOOD if not line.startswith("Done.")] + [
        "Done. What next? panel.",
        "Back to start push button.",
    ]
    assert [what for what in failures(said) if what.startswith("result")] == [
        "result heard: '¥200.00 has been sent to 李梅 Li Mei.'"
    ]


def test_an_echoed_pin_digit_fails_but_the_amount_typed_later_and_the_digit_count_do_not() -> None:
    said = list(GOOD)
    said[3] = "2"  # Orca echoed the PIN's second digit
    assert [what for what in failures(said) if "PIN digit" in what]
    assert leaks_pin("two", "1234") and leaks_pin("PIN 1234", "1234")
    assert not leaks_pin("4 digits entered", "1234") and not leaks_pin("*", "1234")
