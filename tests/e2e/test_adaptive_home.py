"""The home screen that adapts to each customer, predictably (real window, real API)."""

from __future__ import annotations

from datetime import timedelta

from tests.demo import LI_MEI, LI_MEI_ELECTRICITY, MARGARET, WANG_FANG, DemoCard
from tests.e2e.conftest import KioskDriver

ELECTRICITY = "bill:bil_electricity:1234567890"


def paid_electricity_five_times_last_week(driver: KioskDriver, card: DemoCard = WANG_FANG) -> None:
    api = driver.api
    api.sign_in(card.number, card.pin)
    api.advance_clock(-timedelta(days=7).total_seconds())
    for _ in range(5):
        api.record_usage(ELECTRICITY, "Pay electricity")
        api.advance_clock(timedelta(days=1).total_seconds())
    api.advance_clock(timedelta(days=2).total_seconds())  # back to now
    api.sign_out()


def test_pay_electricity_is_the_first_shortcut_and_two_keys_from_its_review(driver: KioskDriver) -> None:
    # Margaret has no history yet: what she sees is what she did.
    paid_electricity_five_times_last_week(driver, MARGARET)
    driver.sign_in(MARGARET.number, MARGARET.pin)
    home = driver.window.screens["home"]
    first = home.shortcut_buttons[0]
    assert first.accessibleName() == "Pay State Grid Electricity ending 7890"
    assert driver.focused() is first  # no key press needed to get there
    driver.enter()  # one key press
    driver.wait_for("review")
    review = driver.window.screens["review"]
    assert "State Grid Electricity" in review.summary.accessibleName()
    bill = driver.window.kiosk.visit.bill.bill  # type: ignore[union-attr]
    assert bill is not None and bill.customer_number == "1234567890"


def test_usage_is_weighed_by_the_banks_time_not_the_kiosks(driver: KioskDriver) -> None:
    # The bank's clock five years ahead of any kiosk's: by the bank, Margaret paid electricity four
    # times 150 days ago, long forgotten (a weight of 4 halved five times). A kiosk that weighed it
    # by its own clock would see it as happening now and put it first.
    api = driver.api
    api.advance_clock(timedelta(days=5 * 365).total_seconds())
    api.sign_in(MARGARET.number, MARGARET.pin)
    for _ in range(4):
        api.record_usage(ELECTRICITY, "Pay electricity")
    api.sign_out()
    api.advance_clock(timedelta(days=150).total_seconds())
    driver.sign_in(MARGARET.number, MARGARET.pin)
    names = [b.accessibleName() for b in driver.window.screens["home"].shortcut_buttons]
    assert "Pay State Grid Electricity ending 7890" not in names


def test_the_core_grid_never_moves_and_the_strip_is_fixed_for_the_visit(driver: KioskDriver) -> None:
    driver.sign_in()
    home = driver.window.screens["home"]
    places = {name: tile.geometry() for name, tile in home.tiles.items()}
    labels = [b.accessibleName() for b in home.shortcut_buttons]
    assert 1 <= len(labels) <= 4
    driver.activate("tile_balance")
    driver.wait_for("balance")
    driver.activate("balanceDone")
    driver.wait_for("home")
    assert {name: tile.geometry() for name, tile in home.tiles.items()} == places
    assert [b.accessibleName() for b in home.shortcut_buttons] == labels  # using the kiosk changes nothing now


def test_a_change_is_said_once_and_can_be_put_back(driver: KioskDriver) -> None:
    driver.sign_in()  # first visit: the strip is remembered
    first_strip = [b.accessibleName() for b in driver.window.screens["home"].shortcut_buttons]
    driver.window.end_visit("signed_out")
    driver.activate("goodbyeStart")
    paid_electricity_five_times_last_week(driver)
    for _ in range(3):
        driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
        driver.api.record_usage(ELECTRICITY, "Pay electricity")
        driver.api.sign_out()
    driver.sign_in()
    home = driver.window.screens["home"]
    note = home.change_note.accessibleName()
    assert "Pay State Grid Electricity ending 7890 is new" in note
    assert any(note in u.text for u in driver.speaker.utterances)  # said once, in one sentence
    driver.activate("shortcutsPutBack")
    driver.qtbot.waitUntil(lambda: not home.change_note.isVisible(), timeout=5000)
    assert [b.accessibleName() for b in home.shortcut_buttons] == first_strip


def test_customers_can_pin_remove_and_bring_back_shortcuts(driver: KioskDriver) -> None:
    driver.sign_in()
    home = driver.window.screens["home"]
    names = [b.accessibleName() for b in home.shortcut_buttons]
    assert len(names) >= 2
    driver.activate("shortcutsEdit")
    driver.activate("shortcut_1_pin")  # pin the second one
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=5000)
    assert driver.window.kiosk.visit.preferences.pinned  # type: ignore[union-attr]
    driver.activate("shortcut_0_remove")  # remove the first one: gone at once, by the customer's own hand
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=5000)
    assert names[0] not in [b.accessibleName() for b in home.shortcut_buttons]
    driver.window.end_visit("signed_out")
    driver.activate("goodbyeStart")
    driver.sign_in()  # next visit: the pinned one comes first, the removed one stays away
    shown = [b.accessibleName() for b in home.shortcut_buttons]
    assert shown[0] == names[1] and names[0] not in shown
    driver.activate("shortcutsEdit")
    driver.activate("shortcutsRestore")  # bring back removed shortcuts
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=5000)
    assert not driver.window.kiosk.visit.preferences.removed  # type: ignore[union-attr]


def test_a_new_customer_sees_her_due_bill_on_home_on_her_first_visit(driver: KioskDriver) -> None:
    # Li Mei has never used a kiosk: no history, no shortcuts of her own. Her electricity bill is due.
    assert driver.api.sign_in(LI_MEI.number, LI_MEI.pin) and driver.api.usage() == []
    driver.api.sign_out()
    driver.sign_in(LI_MEI.number, LI_MEI.pin)
    home = driver.window.screens["home"]
    assert [b.accessibleName() for b in home.shortcut_buttons] == ["Electricity bill ready: RMB 307.60"]
    assert home.strip_title.isVisible() and home.shortcut_buttons[0].isVisible()
    assert driver.focused() is home.shortcut_buttons[0]  # the first thing Enter does
    assert not home.change_note.isVisible()  # news of its own, not a "your shortcuts have changed"
    assert not any("307" in u.text for u in driver.speaker.utterances)  # amounts are said only when asked
    assert "Electricity bill ready" in driver.speaker.texts[-1]
    driver.enter()  # one key press: straight to the review of this bill
    driver.wait_for("review")
    bill = driver.window.kiosk.visit.bill.bill  # type: ignore[union-attr]
    assert bill is not None and bill.customer_number == LI_MEI_ELECTRICITY.customer_number
    assert bill.amount_minor == LI_MEI_ELECTRICITY.amount_minor
    driver.enter()  # Pay
    driver.wait_for("result")
    driver.window.end_visit("signed_out")
    driver.activate("goodbyeStart")
    driver.sign_in(LI_MEI.number, LI_MEI.pin)  # paid: no longer due, gone from Home
    assert home.shortcut_buttons == []


def test_the_strip_never_repeats_a_core_tile(driver: KioskDriver) -> None:
    driver.sign_in()  # Wang Fang checks her balance most of all (8 times in the seed)
    home = driver.window.screens["home"]
    names = [b.accessibleName() for b in home.shortcut_buttons]
    assert names  # she still has her shortcuts (Li Mei, electricity)
    core = {tile.accessibleName() for tile in home.tiles.values()}
    assert not core & set(names), names
