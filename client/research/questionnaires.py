"""The questionnaires a participant answers on the kiosk, as data, and a run through them.

Each questionnaire is a list of items on one numeric scale with words at its two ends; the texts
live in the translation catalogs (assets/i18n, keys ``questionnaire.<id>.<n>``, ``.low``, ``.high``)
so they are shown and spoken in the participant's language like every other text.

Sources of the wording:

- SEQ, the Single Ease Question (Sauro & Dumas 2009; Sauro 2012, "10 things to know about the
  Single Ease Question"): "Overall, how difficult or easy was the task to complete?", 1 very
  difficult … 7 very easy.
- SUS, the System Usability Scale: the ten items of Brooke (1996), "SUS: a 'quick and dirty'
  usability scale", in Usability Evaluation in Industry, Taylor & Francis; 1 strongly disagree … 5
  strongly agree. Chinese: after the Chinese SUS of Wang, Lei & Liu, "Chinese System Usability
  Scale: Translation, Revision, Psychological Measurement", International Journal of
  Human–Computer Interaction (2020), doi:10.1080/10447318.2019.1700644. Every item keeps "system"
  (系统, 系統): it is the scale's own word. The Traditional texts are the same items in Hong Kong
  usage. NOTE: the paper's table of items could not be read when these texts were written; the
  Chinese wording follows Brooke's items and must be compared word for word with that table
  before a study reports its SUS as the validated Chinese version.
- NPS, Net Promoter Score (Reichheld 2003): "How likely are you to recommend … to a friend or
  family member?", 0 not at all likely … 10 extremely likely.
- CSAT, customer satisfaction: "Overall, how satisfied are you with …?", 1 very dissatisfied …
  5 very satisfied.

:class:`QuestionnaireRun` walks the items of one or more questionnaires in order, one at a time,
keeps the answers, goes back one item when asked (the answer stays until it is given anew) and
says when it is done. The kiosk's questionnaire screen (ui.screens.questionnaire) shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """The points a participant can answer, from ``low`` to ``high``, with words at both ends."""

    low: int
    high: int

    @property
    def points(self) -> range:
        return range(self.low, self.high + 1)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high


@dataclass(frozen=True)
class Questionnaire:
    id: str
    scale: Scale
    item_count: int

    def item_key(self, number: int) -> str:
        """The catalog key of item ``number`` (from 1)."""
        if not 1 <= number <= self.item_count:
            raise ValueError(f"{self.id} has no item {number}")
        return f"questionnaire.{self.id}.{number}"

    @property
    def low_key(self) -> str:
        """The catalog key of the words at the low end of the scale ("Strongly disagree")."""
        return f"questionnaire.{self.id}.low"

    @property
    def high_key(self) -> str:
        return f"questionnaire.{self.id}.high"


SEQ = Questionnaire("seq", Scale(1, 7), 1)
SUS = Questionnaire("sus", Scale(1, 5), 10)
NPS = Questionnaire("nps", Scale(0, 10), 1)
CSAT = Questionnaire("csat", Scale(1, 5), 1)
# In the order a session asks them: SEQ after each task, then SUS, NPS and CSAT at the end.
QUESTIONNAIRES: dict[str, Questionnaire] = {q.id: q for q in (SEQ, SUS, NPS, CSAT)}


def questionnaire(questionnaire_id: str) -> Questionnaire:
    try:
        return QUESTIONNAIRES[questionnaire_id]
    except KeyError:
        raise ValueError(f"unknown questionnaire {questionnaire_id!r}") from None


def catalog_keys() -> list[str]:
    """Every catalog key the questionnaires use (a test checks each language has them all)."""
    keys = []
    for q in QUESTIONNAIRES.values():
        keys += [q.item_key(n) for n in range(1, q.item_count + 1)]
        keys += [q.low_key, q.high_key]
    return keys


@dataclass(frozen=True)
class Item:
    """One item of a run: item ``number`` (from 1) of ``questionnaire``."""

    questionnaire: Questionnaire
    number: int

    @property
    def key(self) -> str:
        return self.questionnaire.item_key(self.number)

    @property
    def scale(self) -> Scale:
        return self.questionnaire.scale


class QuestionnaireRun:
    """One pass through the items of ``questionnaire_ids`` (e.g. ``("sus", "nps", "csat")``), in
    that order. Answers are kept per item: going back shows the answer given, and answering again
    replaces it. The run is done once the last item has an answer."""

    def __init__(self, questionnaire_ids: Iterable[str]) -> None:
        ids = list(questionnaire_ids)
        if not ids:
            raise ValueError("a run needs at least one questionnaire")
        if len(set(ids)) != len(ids):
            raise ValueError(f"a questionnaire asked twice in one run: {ids}")
        self.questionnaires = tuple(questionnaire(i) for i in ids)
        self.items = tuple(Item(q, n) for q in self.questionnaires for n in range(1, q.item_count + 1))
        self.position = 0  # the item shown; len(items) once done
        self._values: dict[Item, int] = {}

    @property
    def done(self) -> bool:
        return self.position >= len(self.items)

    @property
    def current(self) -> Item | None:
        return None if self.done else self.items[self.position]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def can_go_back(self) -> bool:
        return self.position > 0

    def value_of(self, item: Item) -> int | None:
        return self._values.get(item)

    def answer(self, value: int) -> Item:
        """Answer the current item with ``value`` and move on; returns the item answered."""
        item = self.current
        if item is None:
            raise ValueError("the run is done: there is no question to answer")
        if value not in item.scale:
            raise ValueError(f"{value!r} is not on the {item.questionnaire.id} scale")
        self._values[item] = value
        self.position += 1
        return item

    def previous(self) -> Item | None:
        """Go back one item (its answer kept); returns it, or None at the first item."""
        if not self.can_go_back:
            return None
        self.position -= 1
        return self.items[self.position]

    @property
    def answers(self) -> dict[str, list[int]]:
        """``{"sus": [4, 2, …], "nps": [9]}``: each questionnaire's answers in item order, as far
        as they go (the items answered always run unbroken from the first)."""
        found: dict[str, list[int]] = {q.id: [] for q in self.questionnaires}
        for item in self.items:
            value = self._values.get(item)
            if value is None:
                break
            found[item.questionnaire.id].append(value)
        return found
