"""Adaptive home: which shortcuts a customer sees, computed once at sign-in (DESIGN.md "Adaptive home").

Pure and deterministic: no clock, no I/O, no randomness, no Qt. The same inputs always give the same
layout. The UI calls :func:`plan_home` once when the customer signs in and keeps that layout for the
whole visit, so the home screen never changes while the customer is using it; the strip can only
change at the next sign-in.

Policies:

- ``split`` (default): the core grid (``CORE_ITEMS``) never moves; a "Your shortcuts" strip *copies*
  up to ``slots`` items. Pinned shortcuts come first in pin order; then the bills the bank says are
  due now (:class:`DueBill`, so a new customer has a shortcut on the first visit); the rest are the
  most used items by recency-weighted score. Incumbents (the strip shown last time) are kept while
  they are still used; a newcomer replaces the weakest incumbent only if its score exceeds the
  incumbent's score times ``hysteresis``. Removed shortcuts never come back until restored. A bill
  shown only because it is due is not remembered as part of the strip and never reported as a change.
- ``reorder``: the core tiles are sorted by use (research comparison); no strip.
- ``static``: the core tiles in default order; no strip; never adapts.

Item ids: ``"balance"``, ``"history"``, ``"send:<payee id>"``, ``"bill:<biller id>:<account>"``
(anything after the first colon is opaque here). A bare core item (``"balance"``, ``"history"``,
``"send"``, ``"bill"``) is a core tile only, never a shortcut: the strip never repeats a tile of the
grid above it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

CORE_ITEMS: tuple[str, ...] = ("balance", "send", "bill", "history")
POLICIES: tuple[str, ...] = ("split", "reorder", "static")

# Incumbents stay while their score is at least this fraction of min_score.
_INCUMBENT_KEEP_FRACTION = 0.5
# Bounds applied to preferences read from storage (a small JSON dict).
_MAX_ITEMS = 50
_MAX_TEXT = 200
_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class AdaptiveConfig:
    """Tuning of the split policy. ``hysteresis`` must be >= 1 so that a strip is stable."""

    half_life_days: float = 30.0
    slots: int = 4
    hysteresis: float = 1.5
    min_score: float = 1.5

    def __post_init__(self) -> None:
        if not (math.isfinite(self.half_life_days) and self.half_life_days > 0):
            raise ValueError("half_life_days must be a positive number")
        if self.slots < 0:
            raise ValueError("slots must not be negative")
        if not (math.isfinite(self.hysteresis) and self.hysteresis >= 1.0):
            raise ValueError("hysteresis must be at least 1")
        if not (math.isfinite(self.min_score) and self.min_score >= 0):
            raise ValueError("min_score must not be negative")


@dataclass(frozen=True)
class Usage:
    """One thing the customer did. ``at`` must be timezone-aware."""

    item: str
    label: str
    at: datetime

    def __post_init__(self) -> None:
        _require_aware(self.at, "Usage.at")


@dataclass(frozen=True)
class Preferences:
    """The customer's own choices, stored by the payment API.

    Normalised on construction: duplicates dropped (first kept), and an item that is both pinned and
    removed counts as removed. ``labels`` is copied, never shared.
    """

    pinned: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    last_strip: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        removed = _unique(self.removed)
        object.__setattr__(self, "removed", removed)
        object.__setattr__(self, "pinned", tuple(i for i in _unique(self.pinned) if i not in removed))
        object.__setattr__(self, "last_strip", _unique(self.last_strip))
        object.__setattr__(self, "labels", dict(self.labels))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Preferences:
        """Read stored preferences; anything missing, malformed or oversized is dropped, never raised."""
        if not isinstance(data, Mapping):
            return cls()
        raw_labels = data.get("labels")
        labels: dict[str, str] = {}
        if isinstance(raw_labels, Mapping):
            for key, value in list(raw_labels.items())[: _MAX_ITEMS * 3]:
                if _is_text(key) and _is_text(value):
                    labels[key] = value
        return cls(
            pinned=_items_from(data.get("pinned"), shortcut_only=True),
            removed=_items_from(data.get("removed"), shortcut_only=False),
            last_strip=_items_from(data.get("last_strip"), shortcut_only=True),
            labels=labels,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``from_dict(to_dict())`` gives back an equal object."""
        return {
            "version": 1,
            "pinned": list(self.pinned),
            "removed": list(self.removed),
            "last_strip": list(self.last_strip),
            "labels": dict(self.labels),
        }

    def pin(self, item: str, label: str) -> Preferences:
        """Pin ``item`` (after existing pins); pinning also restores a removed item."""
        if not is_shortcut_item(item):
            raise ValueError(f"not a shortcut item: {item!r}")
        pinned = self.pinned if item in self.pinned else (*self.pinned, item)
        removed = tuple(i for i in self.removed if i != item)
        return replace(self, pinned=pinned, removed=removed, labels={**self.labels, item: label})

    def unpin(self, item: str) -> Preferences:
        return replace(self, pinned=tuple(i for i in self.pinned if i != item))

    def remove(self, item: str, label: str) -> Preferences:
        """Never suggest ``item`` again until restored; also unpins it."""
        removed = self.removed if item in self.removed else (*self.removed, item)
        return replace(
            self,
            pinned=tuple(i for i in self.pinned if i != item),
            removed=removed,
            labels={**self.labels, item: label},
        )

    def restore(self, item: str) -> Preferences:
        return replace(self, removed=tuple(i for i in self.removed if i != item))


@dataclass(frozen=True)
class DueBill:
    """A bill the bank says is due now and not paid: ``item`` is ``"bill:<biller id>:<customer number>"``."""

    item: str
    label: str
    amount_minor: int

    def __post_init__(self) -> None:
        if core_item_of(self.item) != "bill" or not is_shortcut_item(self.item):
            raise ValueError(f"not a bill item: {self.item!r}")
        if self.amount_minor < 0:
            raise ValueError("amount_minor must not be negative")


@dataclass(frozen=True)
class Shortcut:
    """One button of the strip. ``due_minor``: the amount of a bill due now (shown on the button);
    ``due_only``: shown only because that bill is due, not because it was pinned or used."""

    item: str
    label: str
    pinned: bool
    due_minor: int | None = None
    due_only: bool = False


@dataclass(frozen=True)
class Change:
    """What changed in the strip since the last visit; the UI says it once in one sentence."""

    added: tuple[Shortcut, ...]
    removed: tuple[Shortcut, ...]


@dataclass(frozen=True)
class HomeLayout:
    policy: str
    core: tuple[str, ...]
    shortcuts: tuple[Shortcut, ...]
    change: Change | None


def core_item_of(item: str) -> str | None:
    """The core tile an item belongs to: ``"send:payee_1"`` -> ``"send"``; unknown -> ``None``."""
    head, sep, rest = item.partition(":")
    if head not in CORE_ITEMS or (sep and not rest):
        return None
    return head


def is_shortcut_item(item: str) -> bool:
    """True for items that may appear in the strip: a known core item with a target (a person, a
    bill), never a bare core item, which the grid already shows ("Check balance" twice helps nobody)."""
    return core_item_of(item) is not None and item not in CORE_ITEMS


def scores(usage: Iterable[Usage], now: datetime, config: AdaptiveConfig = AdaptiveConfig()) -> dict[str, float]:
    """Recency-weighted use per item: each event weighs ``0.5 ** (age_days / half_life_days)``.

    Events in the future (clock skew between kiosks) count as age 0. The sum does not depend on the
    order of events.
    """
    _require_aware(now, "now")
    weights: dict[str, list[float]] = {}
    for event in usage:
        _require_aware(event.at, "Usage.at")
        age_days = max(0.0, (now - event.at).total_seconds() / _SECONDS_PER_DAY)
        weights.setdefault(event.item, []).append(0.5 ** (age_days / config.half_life_days))
    return {item: math.fsum(values) for item, values in weights.items()}


def plan_home(
    policy: str,
    usage: Sequence[Usage],
    preferences: Preferences,
    now: datetime,
    config: AdaptiveConfig = AdaptiveConfig(),
    due: Sequence[DueBill] = (),
) -> HomeLayout:
    """The home layout for one visit. Call once at sign-in; the layout stays constant for the visit.

    ``due``: the customer's bills due now, as the bank lists them (split policy only).
    Pure: equal inputs give an equal layout. Raises ``ValueError`` for an unknown policy or a naive
    datetime.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown policy: {policy!r}")
    item_scores = scores(usage, now, config)
    if policy == "static":
        return HomeLayout(policy, CORE_ITEMS, (), None)
    if policy == "reorder":
        return HomeLayout(policy, _core_by_use(item_scores), (), None)

    labels = _labels(usage, preferences)
    removed = set(preferences.removed)
    pinned = tuple(i for i in preferences.pinned if is_shortcut_item(i) and i not in removed)[: config.slots]
    free = config.slots - len(pinned)

    def score(item: str) -> float:
        return item_scores.get(item, 0.0)

    def by_score(items: Iterable[str]) -> list[str]:
        return sorted(items, key=lambda i: (-score(i), i))

    def eligible(item: str) -> bool:
        return is_shortcut_item(item) and item not in removed and item not in pinned

    incumbents = by_score(
        i for i in preferences.last_strip if eligible(i) and score(i) >= config.min_score * _INCUMBENT_KEEP_FRACTION
    )[:free]
    candidates = by_score(
        i for i in item_scores if eligible(i) and score(i) >= config.min_score and i not in incumbents
    )

    chosen = list(incumbents)
    while candidates and len(chosen) < free:
        chosen.append(candidates.pop(0))
    # Replace the weakest only when a newcomer clearly beats it.
    while candidates and chosen:
        weakest = by_score(chosen)[-1]
        if score(candidates[0]) > score(weakest) * config.hysteresis:
            chosen[chosen.index(weakest)] = candidates.pop(0)
        else:
            break

    shortcuts = _with_due(
        tuple(Shortcut(i, labels.get(i, i), True) for i in pinned),
        tuple(Shortcut(i, labels.get(i, i), False) for i in by_score(chosen)),
        [d for d in due if d.item not in removed],
        config.slots,
    )
    return HomeLayout(policy, CORE_ITEMS, shortcuts, _change(preferences.last_strip, shortcuts, labels))


def _with_due(
    pinned: tuple[Shortcut, ...], learned: tuple[Shortcut, ...], due: Sequence[DueBill], slots: int
) -> tuple[Shortcut, ...]:
    """Pinned first, then bills due now that are not already there, then the learned ones; at most
    ``slots``. A shortcut whose bill is due carries its amount."""
    amounts: dict[str, DueBill] = {}
    for bill in due:
        amounts.setdefault(bill.item, bill)
    shown = {s.item for s in (*pinned, *learned)}
    extra = tuple(
        Shortcut(b.item, b.label, False, due_minor=b.amount_minor, due_only=True)
        for b in amounts.values()
        if b.item not in shown
    )

    def marked(shortcut: Shortcut) -> Shortcut:
        bill = amounts.get(shortcut.item)
        return shortcut if bill is None else replace(shortcut, due_minor=bill.amount_minor)

    return tuple(marked(s) for s in (*pinned, *extra, *learned))[:slots]


@dataclass(frozen=True)
class ShortcutEdit:
    """The customer's last change to the strip in this visit, and what it replaced, so it can be undone.

    ``action``: ``"pinned"``, ``"removed"``, ``"brought_back"`` or ``"put_back"``; ``shortcuts``: the
    shortcuts it is about; ``waiting``: shortcuts brought back that have no room on the strip now
    (they can come back at a later sign-in)."""

    action: str
    shortcuts: tuple[Shortcut, ...]
    previous_preferences: Preferences
    previous_layout: HomeLayout
    waiting: tuple[Shortcut, ...] = ()


def pin_in_place(layout: HomeLayout, item: str) -> HomeLayout:
    """The layout with ``item`` marked pinned where it stands: pinning never moves a button during
    the visit (pinned shortcuts come first from the next sign-in on)."""
    return replace(layout, shortcuts=tuple(replace(s, pinned=True) if s.item == item else s for s in layout.shortcuts))


def bring_back(
    layout: HomeLayout, preferences: Preferences, config: AdaptiveConfig = AdaptiveConfig()
) -> tuple[HomeLayout, tuple[Shortcut, ...], tuple[Shortcut, ...]]:
    """Removed shortcuts back on the strip now, after those shown, where there is room (``slots``).

    Returns the layout, the shortcuts shown again, and those that wait for room at a later sign-in.
    Nothing already on the strip moves."""
    shown = {s.item for s in layout.shortcuts}
    returning = [
        Shortcut(i, preferences.labels.get(i, i), False)
        for i in preferences.removed
        if is_shortcut_item(i) and i not in shown
    ]
    room = max(config.slots - len(layout.shortcuts), 0)
    back, waiting = tuple(returning[:room]), tuple(returning[room:])
    return replace(layout, shortcuts=layout.shortcuts + back), back, waiting


def restore_strip(layout: HomeLayout) -> HomeLayout:
    """The layout with its change undone for this visit: added shortcuts out, removed ones back.

    Kept shortcuts stay in place (pinned first); the returning ones follow in their old order,
    unpinned. The result has ``change=None``. A layout without a change is returned as is.
    """
    if layout.change is None:
        return layout
    added = {s.item for s in layout.change.added}
    kept = tuple(s for s in layout.shortcuts if s.item not in added)
    shown = {s.item for s in kept}
    returning = tuple(replace(s, pinned=False) for s in layout.change.removed if s.item not in shown)
    return replace(layout, shortcuts=kept + returning, change=None)


def undo_change(preferences: Preferences, layout: HomeLayout) -> Preferences:
    """Preferences after the customer says "put it back".

    ``last_strip`` becomes the previous strip (so it is the incumbent set at the next sign-in) and
    every newly added shortcut goes into ``removed`` (and is unpinned) so it does not come back until
    restored. The previous items are not pinned: they return as long as they are still used. Works
    whether or not :func:`remember` was already called with ``layout``. Without a change, the
    preferences are returned unchanged.
    """
    if layout.change is None:
        return preferences
    result = preferences
    for shortcut in layout.change.added:
        result = result.remove(shortcut.item, shortcut.label)
    return remember(result, restore_strip(layout))


def remember(preferences: Preferences, layout: HomeLayout) -> Preferences:
    """Preferences with ``last_strip`` and labels set to the strip shown now; call at sign-in after planning.

    Labels are kept for shown, pinned and removed items (so removed shortcuts can be listed for
    restoring) and dropped for anything else, keeping the stored dict small. Only the ``split`` policy
    has a strip: for ``reorder``/``static`` the preferences are returned unchanged, so a later split
    visit still starts from the customer's last real strip.
    """
    if layout.policy != "split":
        return preferences
    strip = tuple(s.item for s in layout.shortcuts if not s.due_only)
    labels = {**preferences.labels, **{s.item: s.label for s in layout.shortcuts}}
    keep = set(strip) | set(preferences.pinned) | set(preferences.removed)
    return replace(
        preferences,
        last_strip=strip,
        labels={item: label for item, label in labels.items() if item in keep},
    )


def _core_by_use(item_scores: Mapping[str, float]) -> tuple[str, ...]:
    totals: dict[str, list[float]] = {tile: [] for tile in CORE_ITEMS}
    for item, value in item_scores.items():
        tile = core_item_of(item)
        if tile is not None:
            totals[tile].append(value)
    summed = {tile: math.fsum(values) for tile, values in totals.items()}
    return tuple(sorted(CORE_ITEMS, key=lambda tile: -summed[tile]))  # stable: ties keep CORE_ITEMS order


def _labels(usage: Sequence[Usage], preferences: Preferences) -> dict[str, str]:
    """Label per item: the most recent non-empty usage label, else the stored one."""
    labels = {item: label for item, label in preferences.labels.items() if label}
    latest: dict[str, tuple[datetime, str]] = {}
    for event in usage:
        key = (event.at, event.label)  # equal times: the larger label, so event order does not matter
        if event.label and (event.item not in latest or key > latest[event.item]):
            latest[event.item] = key
            labels[event.item] = event.label
    return labels


def _change(last_strip: tuple[str, ...], shortcuts: tuple[Shortcut, ...], labels: Mapping[str, str]) -> Change | None:
    if not last_strip:
        return None
    now_items = {s.item for s in shortcuts}
    old_items = set(last_strip)
    # A bill shown because it is due is news of its own, not a change of the customer's strip.
    added = tuple(s for s in shortcuts if s.item not in old_items and not s.due_only)
    removed = tuple(Shortcut(i, labels.get(i, i), False) for i in last_strip if i not in now_items)
    if not added and not removed:
        return None
    return Change(added, removed)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _is_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_TEXT


def _items_from(value: object, *, shortcut_only: bool) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    items = (v for v in value if _is_text(v) and (not shortcut_only or is_shortcut_item(v)))
    return _unique(items)[:_MAX_ITEMS]


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
