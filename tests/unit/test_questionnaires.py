"""The questionnaires as data (scales, texts in every language) and a run through their items."""

from __future__ import annotations

import pytest

from client.i18n import LANGUAGES, catalog
from client.research.questionnaires import (
    QUESTIONNAIRES,
    QuestionnaireRun,
    Scale,
    catalog_keys,
    questionnaire,
)


def test_the_four_questionnaires_and_their_scales() -> None:
    assert {q: (QUESTIONNAIRES[q].scale, QUESTIONNAIRES[q].item_count) for q in QUESTIONNAIRES} == {
        "seq": (Scale(1, 7), 1),  # Sauro's Single Ease Question: 7 points
        "sus": (Scale(1, 5), 10),  # Brooke 1996: ten items, 5 points
        "nps": (Scale(0, 10), 1),
        "csat": (Scale(1, 5), 1),
    }
    assert list(QUESTIONNAIRES["nps"].scale.points) == list(range(11))
    assert 0 not in QUESTIONNAIRES["sus"].scale and 6 not in QUESTIONNAIRES["sus"].scale
    assert True not in QUESTIONNAIRES["sus"].scale  # a bool is not an answer
    with pytest.raises(ValueError, match="unknown questionnaire"):
        questionnaire("umux")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_item_and_end_label_is_in_every_language(language: str) -> None:
    texts = catalog(language)
    missing = [key for key in catalog_keys() if not texts.get(key, "").strip()]
    assert missing == []


def test_the_published_wording() -> None:
    english, simplified, traditional = catalog("en"), catalog("zh-Hans"), catalog("zh-Hant")
    assert english["questionnaire.seq.1"] == "Overall, how difficult or easy was the task to complete?"
    assert (english["questionnaire.seq.low"], english["questionnaire.seq.high"]) == ("Very difficult", "Very easy")
    # Brooke (1996), items 1 and 10, word for word.
    assert english["questionnaire.sus.1"] == "I think that I would like to use this system frequently."
    assert english["questionnaire.sus.10"] == (
        "I needed to learn a lot of things before I could get going with this system."
    )
    # Every SUS item speaks of the system, in each script: the scale's own word is kept.
    for number in range(1, 11):
        assert "system" in english[f"questionnaire.sus.{number}"]
        assert "系统" in simplified[f"questionnaire.sus.{number}"]
        assert "系統" in traditional[f"questionnaire.sus.{number}"]
    assert (simplified["questionnaire.sus.low"], simplified["questionnaire.sus.high"]) == ("非常不同意", "非常同意")
    assert "friend or family member" in english["questionnaire.nps.1"]


def test_a_run_walks_every_item_in_order_and_keeps_the_answers() -> None:
    run = QuestionnaireRun(("sus", "nps", "csat"))
    assert run.count == 12 and not run.done and not run.can_go_back
    seen = []
    values = [4, 2, 5, 1, 4, 2, 5, 1, 3, 3, 10, 5]
    for value in values:
        item = run.current
        assert item is not None
        seen.append((item.questionnaire.id, item.number))
        assert run.answer(value) == item
    assert seen[:2] == [("sus", 1), ("sus", 2)]
    assert seen[10:] == [("nps", 1), ("csat", 1)]
    assert run.done and run.current is None
    assert run.answers == {"sus": values[:10], "nps": [10], "csat": [5]}
    with pytest.raises(ValueError, match="done"):
        run.answer(3)


def test_going_back_keeps_the_answer_until_it_is_given_anew() -> None:
    run = QuestionnaireRun(("sus",))
    run.answer(4)
    run.answer(2)
    back = run.previous()
    assert back is not None and back.number == 2
    assert run.value_of(back) == 2  # kept, shown as the answer so far
    assert run.answers == {"sus": [4, 2]}
    assert run.previous() is not None and run.previous() is None  # at the first item: no further
    assert run.position == 0 and run.answers == {"sus": [4, 2]}
    run.answer(5)  # the first item answered anew
    assert run.answers == {"sus": [5, 2]} and run.current is not None and run.current.number == 2


def test_an_answer_off_the_scale_is_refused() -> None:
    run = QuestionnaireRun(("seq",))
    for wrong in (0, 8, -1):
        with pytest.raises(ValueError, match="not on the seq scale"):
            run.answer(wrong)
    assert run.position == 0 and run.answers == {"seq": []}
    assert run.answer(7).number == 1 and run.done


@pytest.mark.parametrize("ids", [(), ("sus", "sus"), ("sus", "tlx")])
def test_a_run_needs_known_questionnaires_each_once(ids: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        QuestionnaireRun(ids)
