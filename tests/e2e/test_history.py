"""History says whose account it is, which page of how many, the days a page covers, and where the
list ends; its rows are read-only text, never controls (real window, real API, keyboard only)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.e2e.conftest import KioskDriver
from tests.e2e.test_focus_rules import press_and_wait_for_the_page
from ui.screens.home import ELDER_PAGE_SIZE


def open_history(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_history")
    driver.wait_for("history")


def test_history_names_the_account_the_page_and_the_days_it_covers(driver: KioskDriver) -> None:
    open_history(driver)
    window = driver.window
    screen = window.screens["history"]
    account = window.kiosk.visit.main_account  # type: ignore[union-attr]
    which = f"{account.name_in('en')} ending {account.number_last4}."
    assert window.instruction.accessibleName().startswith(which)  # shown under the title...
    assert any(which in text for text in driver.speaker.texts)  # ...and said on arrival
    total = len(window.kiosk.api.transactions(account.id, limit=100).items)  # counted here, page by page
    pages = -(-total // ELDER_PAGE_SIZE)
    first, last = window.t.date(screen.page.items[-1].at), window.t.date(screen.page.items[0].at)  # type: ignore[union-attr]
    assert screen.where.isVisible()
    assert screen.where.accessibleName() == f"Page 1 of {pages}  ·  {first} – {last}"
    driver.tab_to("historyEarlier")
    for number in range(2, pages + 1):
        press_and_wait_for_the_page(driver)
        assert screen.where.accessibleName().startswith(f"Page {number} of {pages}  ·  ")
        assert driver.speaker.texts[-1].startswith(f"Page {number} of {pages} · ")  # said with the page
    # The end, plainly: no more pages, said and shown, and Earlier is off.
    assert not screen.earlier.isEnabled() and screen.end.accessibleName() == "These are your oldest records."
    assert "These are your oldest records." in driver.speaker.texts[-1]


def test_history_rows_are_read_only_text_not_controls(driver: KioskDriver) -> None:
    open_history(driver)
    window = driver.window
    screen = window.screens["history"]
    rows = screen.row_widgets
    assert rows and all(row.focusPolicy() == Qt.FocusPolicy.NoFocus for row in rows)
    assert all(row.accessibleName() for row in rows)  # a screen reader still reads each row
    # Drawn as lines of a list on the page, not as boxes like the buttons: the page shows through.
    picture = window.grab().toImage()
    page_colour = picture.pixelColor(2, window.height() // 2)
    in_view = [row for row in rows if row.visibleRegion().boundingRect() == row.rect()]
    assert in_view
    for row in in_view:
        inside = row.mapTo(window, QPoint(4, 4))
        assert picture.pixelColor(inside.x(), inside.y()) == page_colour
    # Tab goes round the screen's controls and never lands on a row or inside one.
    seen = set()
    for _ in range(30):
        driver.key(Qt.Key.Key_Tab)
        focused = driver.focused()
        seen.add(focused.objectName())
        assert not any(row is focused or row.isAncestorOf(focused) for row in rows), focused.objectName()
    assert {"historyEarlier", "navBack"} <= seen
