"""How a screen too long for the window is cut into parts (ui.pager.cut): between rows only."""

from __future__ import annotations

from PySide6.QtCore import QRect

from ui.pager import cut


def rows(*spans: tuple[int, int]) -> list[QRect]:
    return [QRect(0, top, 100, height) for top, height in spans]


def test_rows_that_fit_make_one_part() -> None:
    assert cut(rows((0, 100), (110, 100)), 300) == [(0, 209)]


def test_a_long_screen_is_cut_between_rows_never_through_one() -> None:
    assert cut(rows((0, 100), (110, 100), (220, 100), (330, 100)), 250) == [(0, 209), (220, 429)]


def test_a_caption_goes_to_the_next_part_with_what_it_names() -> None:
    caption_then_field = rows((0, 150), (160, 40), (210, 100))
    assert cut(caption_then_field, 260, [False, True, False]) == [(0, 149), (160, 309)]
    assert cut(caption_then_field, 260) == [(0, 199), (210, 309)]  # without the rule: the caption alone
