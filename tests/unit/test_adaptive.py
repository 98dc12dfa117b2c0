"""Adaptive home: simulated usage histories map to the expected layouts; invariants hold for any history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.adaptive import (
    CORE_ITEMS,
    POLICIES,
    AdaptiveConfig,
    Change,
    DueBill,
    HomeLayout,
    Preferences,
    Shortcut,
    Usage,
    bring_back,
    core_item_of,
    is_shortcut_item,
    pin_in_place,
    plan_home,
    remember,
    restore_strip,
    scores,
    undo_change,
)

NOW = datetime(2025, 3, 15, 10, 0, tzinfo=UTC)
ELECTRICITY = "bill:bil_electricity:1234567890"
WATER = "bill:bil_water:555"
LI_MEI = "send:payee_wf_limei"
SON = "send:payee_son"
DAUGHTER = "send:payee_daughter"
LABELS = {
    ELECTRICITY: "Pay electricity",
    WATER: "Pay water",
    LI_MEI: "Send to 李梅 Li Mei",
    SON: "Send to son",
    DAUGHTER: "Send to daughter",
    "balance": "Balance",
    "history": "History",
}


def used(item: str, times: int, days_ago: float = 1.0) -> list[Usage]:
    """``times`` events of ``item``, one hour apart, ``days_ago`` days before NOW."""
    start = NOW - timedelta(days=days_ago)
    return [Usage(item, LABELS.get(item, item), start - timedelta(hours=n)) for n in range(times)]


def strip(layout: HomeLayout) -> list[str]:
    return [s.item for s in layout.shortcuts]


# --- scores and item ids ---------------------------------------------------------------------------------------


def test_score_halves_every_half_life_and_future_counts_as_now() -> None:
    config = AdaptiveConfig(half_life_days=30)
    events = [
        Usage("balance", "Balance", NOW),
        Usage("history", "History", NOW - timedelta(days=30)),
        Usage("history", "History", NOW - timedelta(days=60)),
        Usage(LI_MEI, "Li Mei", NOW + timedelta(days=3)),
    ]
    result = scores(events, NOW, config)
    assert result["balance"] == pytest.approx(1.0)
    assert result["history"] == pytest.approx(0.75)
    assert result[LI_MEI] == pytest.approx(1.0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Usage("balance", "Balance", datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        scores([], datetime(2025, 1, 1))


@pytest.mark.parametrize(
    ("item", "core"),
    [
        ("balance", "balance"),
        ("history", "history"),
        ("send", "send"),
        ("bill", "bill"),
        (LI_MEI, "send"),
        (ELECTRICITY, "bill"),
        ("send:", None),
        ("transfer:x", None),
        ("", None),
        ("Balance", None),
    ],
)
def test_core_item_of(item: str, core: str | None) -> None:
    assert core_item_of(item) == core


def test_core_tiles_are_never_shortcuts() -> None:
    # The strip copies targeted tasks; a bare core tile would show "Check balance" twice on Home.
    for core in CORE_ITEMS:
        assert not is_shortcut_item(core)
        with pytest.raises(ValueError):
            Preferences().pin(core, core)
    assert is_shortcut_item(LI_MEI)
    history = used("send", 10) + used("bill", 10) + used("balance", 10) + used("history", 10)
    assert strip(plan_home("split", history, Preferences(), NOW)) == []
    # A strip stored before this rule (with "balance" in it) loses the repeat, quietly.
    stored = Preferences.from_dict({"pinned": ["balance"], "last_strip": ["balance", LI_MEI]})
    assert stored.pinned == () and stored.last_strip == (LI_MEI,)


def test_invalid_policy_and_config_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown policy"):
        plan_home("shuffle", [], Preferences(), NOW)
    with pytest.raises(ValueError):
        AdaptiveConfig(half_life_days=0)
    with pytest.raises(ValueError):
        AdaptiveConfig(hysteresis=0.9)
    with pytest.raises(ValueError):
        AdaptiveConfig(slots=-1)


# --- split: table of simulated histories ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "history", "expected"),
    [
        ("first-timer", [], []),
        ("electricity five times last week", used(ELECTRICITY, 5, days_ago=5), [ELECTRICITY]),
        (
            "electricity most used comes first",
            used(ELECTRICITY, 5, days_ago=5) + used(LI_MEI, 3, days_ago=2) + used("balance", 9),
            [ELECTRICITY, LI_MEI],  # balance is used most, but it is already a core tile
        ),
        ("one use is not enough", used(WATER, 1), []),
        (
            "recency: 10 a year ago lose to 4 this week",
            used(SON, 10, days_ago=365) + used(DAUGHTER, 4, days_ago=3),
            [DAUGHTER],
        ),
        (
            "at most four, ties by name",
            used(ELECTRICITY, 3) + used(WATER, 3) + used(LI_MEI, 3) + used(SON, 3) + used(DAUGHTER, 3),
            sorted([ELECTRICITY, WATER, LI_MEI, SON, DAUGHTER])[:4],
        ),
    ],
)
def test_split_first_visit(name: str, history: list[Usage], expected: list[str]) -> None:
    layout = plan_home("split", history, Preferences(), NOW)
    assert layout.policy == "split"
    assert layout.core == CORE_ITEMS
    assert strip(layout) == expected, name
    assert layout.change is None  # first visit: nothing to announce


def test_shortcut_labels_come_from_latest_usage_then_preferences() -> None:
    history = [
        Usage(LI_MEI, "Send to Li Mei", NOW - timedelta(days=3)),
        Usage(LI_MEI, "Send to 李梅 Li Mei", NOW - timedelta(days=1)),
        Usage(LI_MEI, "", NOW),
    ]
    prefs = Preferences(pinned=(WATER,), labels={WATER: "Pay water", LI_MEI: "old"})
    layout = plan_home("split", history, prefs, NOW)
    assert layout.shortcuts == (
        Shortcut(WATER, "Pay water", pinned=True),
        Shortcut(LI_MEI, "Send to 李梅 Li Mei", pinned=False),
    )


def test_hysteresis_keeps_incumbent_against_slightly_more_used_newcomer() -> None:
    config = AdaptiveConfig(slots=1)
    prefs = Preferences(last_strip=(SON,))
    slightly = used(SON, 4) + used(DAUGHTER, 5)
    assert strip(plan_home("split", slightly, prefs, NOW, config)) == [SON]
    assert plan_home("split", slightly, prefs, NOW, config).change is None
    much = used(SON, 4) + used(DAUGHTER, 7)
    layout = plan_home("split", much, prefs, NOW, config)
    assert strip(layout) == [DAUGHTER]
    assert layout.change == Change(
        added=(Shortcut(DAUGHTER, "Send to daughter", False),),
        removed=(Shortcut(SON, "Send to son", False),),
    )


def test_incumbent_stays_while_still_somewhat_used_and_leaves_when_unused() -> None:
    prefs = Preferences(last_strip=(SON,), labels={SON: "Send to son"})
    # 1 use: below min_score (1.5) but above half of it, so it stays.
    assert strip(plan_home("split", used(SON, 1), prefs, NOW)) == [SON]
    layout = plan_home("split", [], prefs, NOW)
    assert strip(layout) == []
    assert layout.change == Change(added=(), removed=(Shortcut(SON, "Send to son", False),))


def test_free_slot_is_filled_without_hysteresis() -> None:
    prefs = Preferences(last_strip=(SON,))
    layout = plan_home("split", used(SON, 9) + used(WATER, 2), prefs, NOW)
    assert strip(layout) == [SON, WATER]
    assert layout.change == Change(added=(Shortcut(WATER, "Pay water", False),), removed=())


def test_removed_items_never_come_back_until_restored() -> None:
    history = used(ELECTRICITY, 20) + used(LI_MEI, 2)
    prefs = Preferences().remove(ELECTRICITY, "Pay electricity")
    assert strip(plan_home("split", history, prefs, NOW)) == [LI_MEI]
    later = history + used(ELECTRICITY, 50, days_ago=0)
    assert ELECTRICITY not in strip(plan_home("split", later, prefs, NOW))
    assert strip(plan_home("split", later, prefs.restore(ELECTRICITY), NOW)) == [ELECTRICITY, LI_MEI]


def test_pinned_items_first_in_pin_order_even_without_use() -> None:
    history = used(ELECTRICITY, 20) + used(LI_MEI, 5)
    prefs = Preferences().pin(WATER, "Pay water").pin(SON, "Son").pin(LI_MEI, "Li Mei")
    layout = plan_home("split", history, prefs, NOW)
    assert layout.shortcuts == (
        Shortcut(WATER, "Pay water", True),
        Shortcut(SON, "Son", True),
        Shortcut(LI_MEI, "Send to 李梅 Li Mei", True),
        Shortcut(ELECTRICITY, "Pay electricity", False),
    )
    assert layout.core == CORE_ITEMS


def test_more_pins_than_slots_shows_the_first_pins() -> None:
    prefs = Preferences(pinned=(WATER, ELECTRICITY, SON))
    layout = plan_home("split", used(LI_MEI, 9), prefs, NOW, AdaptiveConfig(slots=2))
    assert strip(layout) == [WATER, ELECTRICITY]


def test_remove_unpins_and_pin_restores() -> None:
    prefs = Preferences().pin(SON, "Son").remove(SON, "Son")
    assert prefs.pinned == ()
    assert prefs.removed == (SON,)
    prefs = prefs.pin(SON, "Son")
    assert prefs.pinned == (SON,)
    assert prefs.removed == ()
    assert prefs.unpin(SON).pinned == ()
    with pytest.raises(ValueError):
        prefs.pin("send", "Send")


def test_change_and_remember_across_visits() -> None:
    history = used(ELECTRICITY, 5) + used(LI_MEI, 3)
    first = plan_home("split", history, Preferences(), NOW)
    prefs = remember(Preferences(), first)
    assert prefs.last_strip == (ELECTRICITY, LI_MEI)
    assert prefs.labels == {ELECTRICITY: "Pay electricity", LI_MEI: "Send to 李梅 Li Mei"}
    # Same history at the next sign-in: same strip, nothing to say.
    again = plan_home("split", history, prefs, NOW + timedelta(hours=1))
    assert again.shortcuts == first.shortcuts
    assert again.change is None
    # A new, clearly used item fills a free slot and is announced once.
    more = history + used(WATER, 4, days_ago=0)
    second = plan_home("split", more, prefs, NOW)
    assert second.change == Change(added=(Shortcut(WATER, "Pay water", False),), removed=())
    assert plan_home("split", more, remember(prefs, second), NOW).change is None


def test_undo_change_and_restore_strip() -> None:
    config = AdaptiveConfig(slots=2)
    prefs = Preferences(last_strip=(SON, WATER), labels={SON: "Send to son", WATER: "Pay water"})
    history = used(SON, 2) + used(WATER, 5) + used(ELECTRICITY, 9)
    layout = plan_home("split", history, prefs, NOW, config)
    assert strip(layout) == [ELECTRICITY, WATER]
    assert layout.change == Change(
        added=(Shortcut(ELECTRICITY, "Pay electricity", False),),
        removed=(Shortcut(SON, "Send to son", False),),
    )
    # This visit: the old strip comes back at once.
    restored = restore_strip(layout)
    assert restored.shortcuts == (Shortcut(WATER, "Pay water", False), Shortcut(SON, "Send to son", False))
    assert restored.change is None
    assert restored.core == layout.core
    assert restore_strip(restored) == restored
    # Next visits: the newcomer is removed, the old strip is the incumbent set.
    for base in (prefs, remember(prefs, layout)):
        undone = undo_change(base, layout)
        assert undone.removed == (ELECTRICITY,)
        assert undone.last_strip == (WATER, SON)
        assert undone.labels[ELECTRICITY] == "Pay electricity"
        nxt = plan_home("split", history, undone, NOW + timedelta(days=1), config)
        assert set(strip(nxt)) == {SON, WATER}
        assert nxt.change is None
    assert undo_change(prefs, restored) == prefs


def test_undo_change_unpins_a_newly_pinned_item() -> None:
    prefs = Preferences(last_strip=(SON,)).pin(WATER, "Pay water")
    layout = plan_home("split", used(SON, 3), prefs, NOW)
    assert strip(layout) == [WATER, SON]
    undone = undo_change(prefs, layout)
    assert undone.pinned == ()
    assert undone.removed == (WATER,)


# --- reorder and static -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "core"),
    [
        ([], CORE_ITEMS),
        (used("history", 3), ("history", "balance", "send", "bill")),
        (
            used(ELECTRICITY, 3) + used(WATER, 2) + used(LI_MEI, 4) + used("balance", 1),
            ("bill", "send", "balance", "history"),
        ),
        (used(SON, 2) + used(ELECTRICITY, 2), ("send", "bill", "balance", "history")),  # tie keeps default order
        (used("transfer:x", 9), CORE_ITEMS),  # unknown items count for nothing
    ],
)
def test_reorder_sorts_core_tiles_by_use(history: list[Usage], core: tuple[str, ...]) -> None:
    prefs = Preferences(pinned=(WATER,), last_strip=(SON,))
    layout = plan_home("reorder", history, prefs, NOW)
    assert layout == HomeLayout("reorder", core, (), None)
    assert remember(prefs, layout) == prefs


def test_static_never_adapts() -> None:
    prefs = Preferences(pinned=(WATER,), last_strip=(SON,))
    for history in ([], used(ELECTRICITY, 30) + used("history", 50)):
        layout = plan_home("static", history, prefs, NOW)
        assert layout == HomeLayout("static", CORE_ITEMS, (), None)


# --- Preferences storage ----------------------------------------------------------------------------------------


def test_preferences_round_trip() -> None:
    prefs = (
        Preferences(last_strip=(ELECTRICITY, SON), labels={ELECTRICITY: "Pay electricity", SON: "Son"})
        .pin(LI_MEI, "Send to 李梅 Li Mei")
        .remove(WATER, "Pay water")
    )
    data = prefs.to_dict()
    assert data["pinned"] == [LI_MEI]
    assert Preferences.from_dict(data) == prefs
    assert Preferences.from_dict(prefs.to_dict()).to_dict() == data


@pytest.mark.parametrize(
    "garbage",
    [
        {},
        {"pinned": None, "removed": 3, "last_strip": "balance", "labels": ["x"]},
        {"pinned": [1, None, "send", "", "x" * 500, LI_MEI, LI_MEI], "labels": {"a": 1, 2: "b", SON: "Son"}},
        {"pinned": [SON], "removed": [SON]},
        {"unknown": {"deep": [1, 2]}},
    ],
)
def test_preferences_from_garbage(garbage: dict[object, object]) -> None:
    prefs = Preferences.from_dict(garbage)  # type: ignore[arg-type]
    assert all(is_shortcut_item(i) for i in prefs.pinned + prefs.last_strip)
    assert not set(prefs.pinned) & set(prefs.removed)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in prefs.labels.items())
    assert Preferences.from_dict(prefs.to_dict()) == prefs
    plan_home("split", [], prefs, NOW)


def test_preferences_from_garbage_keeps_the_good_parts() -> None:
    prefs = Preferences.from_dict(
        {"pinned": [1, "send", LI_MEI, LI_MEI], "labels": {"a": 1, SON: "Son"}, "removed": [SON]}
    )
    assert prefs.pinned == (LI_MEI,)
    assert prefs.removed == (SON,)
    assert prefs.labels == {SON: "Son"}
    assert Preferences.from_dict(None) == Preferences()  # type: ignore[arg-type]


# --- bills due now ------------------------------------------------------------------------------------------------

ELECTRICITY_DUE = DueBill(ELECTRICITY, "Electricity bill", 30_760)
WATER_DUE = DueBill(WATER, "Water bill", 5_980)


def test_a_new_customer_sees_a_due_bill_on_the_first_visit() -> None:
    layout = plan_home("split", [], Preferences(), NOW, due=[ELECTRICITY_DUE])
    assert layout.shortcuts == (Shortcut(ELECTRICITY, "Electricity bill", False, due_minor=30_760, due_only=True),)
    assert layout.change is None  # nothing to announce as a change: the strip was empty


def test_due_bills_come_after_pins_before_learned_items_and_within_the_slots() -> None:
    history = used(LI_MEI, 5) + used(SON, 4) + used(DAUGHTER, 3)
    prefs = Preferences().pin(WATER, "Pay water")
    layout = plan_home("split", history, prefs, NOW, AdaptiveConfig(slots=3), due=[ELECTRICITY_DUE])
    assert strip(layout) == [WATER, ELECTRICITY, LI_MEI]
    assert [s.due_only for s in layout.shortcuts] == [False, True, False]


def test_a_used_or_pinned_bill_that_is_due_carries_its_amount_and_is_not_repeated() -> None:
    prefs = Preferences().pin(WATER, "Pay water")
    layout = plan_home("split", used(ELECTRICITY, 5), prefs, NOW, due=[ELECTRICITY_DUE, WATER_DUE, ELECTRICITY_DUE])
    assert layout.shortcuts == (
        Shortcut(WATER, "Pay water", True, due_minor=5_980),
        Shortcut(ELECTRICITY, "Pay electricity", False, due_minor=30_760),
    )


def test_a_removed_bill_stays_away_even_when_due() -> None:
    prefs = Preferences().remove(ELECTRICITY, "Pay electricity")
    assert strip(plan_home("split", [], prefs, NOW, due=[ELECTRICITY_DUE])) == []
    assert strip(plan_home("split", [], prefs.restore(ELECTRICITY), NOW, due=[ELECTRICITY_DUE])) == [ELECTRICITY]


def test_a_due_bill_is_not_remembered_nor_announced_as_a_change() -> None:
    prefs = remember(Preferences(), plan_home("split", used(LI_MEI, 5), Preferences(), NOW))
    layout = plan_home("split", used(LI_MEI, 5), prefs, NOW, due=[ELECTRICITY_DUE])
    assert strip(layout) == [ELECTRICITY, LI_MEI]
    assert layout.change is None  # the bill is news of its own, not a change of the strip
    assert remember(prefs, layout).last_strip == (LI_MEI,)
    paid = plan_home("split", used(LI_MEI, 5), remember(prefs, layout), NOW)  # next month: paid, gone
    assert strip(paid) == [LI_MEI] and paid.change is None


def test_due_bills_only_in_the_split_policy_and_only_bills() -> None:
    for policy in ("reorder", "static"):
        assert plan_home(policy, [], Preferences(), NOW, due=[ELECTRICITY_DUE]).shortcuts == ()
    for item in ("bill", LI_MEI, "balance"):
        with pytest.raises(ValueError):
            DueBill(item, "x", 1)
    with pytest.raises(ValueError):
        DueBill(ELECTRICITY, "x", -1)


# --- properties -------------------------------------------------------------------------------------------------

ITEMS = [ELECTRICITY, WATER, LI_MEI, SON, DAUGHTER, "balance", "history", "send", "bill", "send:payee_x"]
shortcut_items = st.sampled_from([i for i in ITEMS if is_shortcut_item(i)])
usages = st.lists(
    st.builds(
        Usage,
        item=st.sampled_from(ITEMS),
        label=st.sampled_from(["", "A", "B"]),
        at=st.integers(min_value=-400 * 24, max_value=48).map(lambda h: NOW + timedelta(hours=h)),
    ),
    max_size=40,
)
actions = st.lists(
    st.tuples(st.sampled_from(["pin", "unpin", "remove", "restore"]), shortcut_items),
    max_size=8,
)
configs = st.builds(
    AdaptiveConfig,
    half_life_days=st.sampled_from([1.0, 7.0, 30.0]),
    slots=st.integers(min_value=0, max_value=5),
    hysteresis=st.sampled_from([1.0, 1.5, 3.0]),
    min_score=st.sampled_from([0.0, 0.5, 1.5, 4.0]),
)


@st.composite
def preferences(draw: st.DrawFn) -> Preferences:
    prefs = Preferences(last_strip=tuple(draw(st.lists(shortcut_items, max_size=5))))
    for action, item in draw(actions):
        if action == "pin":
            prefs = prefs.pin(item, "P")
        elif action == "unpin":
            prefs = prefs.unpin(item)
        elif action == "remove":
            prefs = prefs.remove(item, "R")
        else:
            prefs = prefs.restore(item)
    return prefs


PROPERTY = settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(usage=usages, prefs=preferences(), config=configs, policy=st.sampled_from(POLICIES))
def test_plan_home_is_pure_and_constant_within_a_session(
    usage: list[Usage], prefs: Preferences, config: AdaptiveConfig, policy: str
) -> None:
    first = plan_home(policy, usage, prefs, NOW, config)
    assert plan_home(policy, list(usage), Preferences.from_dict(prefs.to_dict()), NOW, config) == first
    assert plan_home(policy, list(reversed(usage)), prefs, NOW, config).shortcuts == first.shortcuts
    assert sorted(first.core) == sorted(CORE_ITEMS)


@PROPERTY
@given(usage=usages, prefs=preferences(), config=configs)
def test_split_invariants(usage: list[Usage], prefs: Preferences, config: AdaptiveConfig) -> None:
    layout = plan_home("split", usage, prefs, NOW, config)
    items = strip(layout)
    assert layout.core == CORE_ITEMS
    assert len(items) <= config.slots
    assert len(set(items)) == len(items)
    assert not set(items) & set(prefs.removed)
    assert all(is_shortcut_item(i) for i in items)
    shown_pins = prefs.pinned[: config.slots]
    assert tuple(items[: len(shown_pins)]) == shown_pins
    assert [s.pinned for s in layout.shortcuts] == [i < len(shown_pins) for i in range(len(items))]
    if layout.change is not None:
        assert {s.item for s in layout.change.added} == set(items) - set(prefs.last_strip)
        assert {s.item for s in layout.change.removed} == set(prefs.last_strip) - set(items)


@PROPERTY
@given(usage=usages, prefs=preferences(), config=configs, due=st.lists(st.sampled_from([ELECTRICITY_DUE, WATER_DUE])))
def test_due_bills_never_repeat_never_pass_the_slots_and_leave_the_strip_alone(
    usage: list[Usage], prefs: Preferences, config: AdaptiveConfig, due: list[DueBill]
) -> None:
    plain = plan_home("split", usage, prefs, NOW, config)
    layout = plan_home("split", usage, prefs, NOW, config, due=due)
    items = strip(layout)
    assert len(items) <= config.slots and len(set(items)) == len(items)
    assert not set(items) & set(prefs.removed)
    assert all(s.due_minor is not None for s in layout.shortcuts if s.item in {d.item for d in due})
    shown_pins = prefs.pinned[: config.slots]
    assert tuple(items[: len(shown_pins)]) == shown_pins
    assert set(remember(prefs, layout).last_strip) <= set(remember(prefs, plain).last_strip)
    if layout.change is not None:
        assert not any(s.due_only for s in layout.change.added)


@PROPERTY
@given(usage=usages, prefs=preferences(), config=configs)
def test_split_is_stable_when_nothing_new_happened(
    usage: list[Usage], prefs: Preferences, config: AdaptiveConfig
) -> None:
    layout = plan_home("split", usage, prefs, NOW, config)
    again = plan_home("split", usage, remember(prefs, layout), NOW, config)
    assert again.shortcuts == layout.shortcuts
    assert again.change is None


@PROPERTY
@given(usage=usages, prefs=preferences(), config=configs)
def test_restore_strip_brings_back_the_previous_strip(
    usage: list[Usage], prefs: Preferences, config: AdaptiveConfig
) -> None:
    layout = plan_home("split", usage, prefs, NOW, config)
    restored = restore_strip(layout)
    assert restored.core == layout.core
    assert restored.change is None
    if layout.change is not None:
        assert {s.item for s in restored.shortcuts} == set(prefs.last_strip)
        undone = undo_change(prefs, layout)
        assert not {s.item for s in layout.change.added} & set(undone.pinned)
        assert {s.item for s in layout.change.added} <= set(undone.removed)


def test_pinning_marks_the_shortcut_where_it_stands() -> None:
    layout = HomeLayout("split", CORE_ITEMS, (Shortcut(LI_MEI, "Li Mei", False), Shortcut(WATER, "Water", False)), None)
    pinned = pin_in_place(layout, WATER)
    assert [(s.item, s.pinned) for s in pinned.shortcuts] == [(LI_MEI, False), (WATER, True)]  # nothing moves


def test_bringing_back_fills_free_slots_at_once_and_the_rest_waits() -> None:
    config = AdaptiveConfig(slots=3)
    shown = (Shortcut(LI_MEI, "Li Mei", False), Shortcut(SON, "Son", True))
    layout = HomeLayout("split", CORE_ITEMS, shown, None)
    prefs = Preferences(removed=(WATER, "balance", DAUGHTER, LI_MEI), labels={WATER: "Pay water", DAUGHTER: "Daughter"})
    after, back, waiting = bring_back(layout, prefs, config)
    assert after.shortcuts[:2] == shown  # nothing already there moves
    assert [(s.item, s.label, s.pinned) for s in back] == [(WATER, "Pay water", False)]
    assert [s.item for s in waiting] == [DAUGHTER]  # no room now: a later visit
    assert len(after.shortcuts) == config.slots
