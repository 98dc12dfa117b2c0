"""The questionnaires of a usability session on the real kiosk window, answered by keyboard or
keypad only: every answer signalled, going back keeps an answer, each question spoken, nothing on
the screen leaves the questions half answered."""

from __future__ import annotations

from PySide6.QtCore import Qt

from client.i18n import catalog
from tests.e2e.conftest import KioskDriver
from ui.screens.questionnaire import QuestionnaireScreen

DIGITS = {value: getattr(Qt.Key, f"Key_{value}") for value in range(10)}
SUS_ANSWERS = [4, 2, 5, 1, 4, 2, 5, 1, 3, 3]


class Recorder:
    """What the researcher's side hears from the screen."""

    def __init__(self, screen: QuestionnaireScreen) -> None:
        self.answered: list[tuple[str, int, int]] = []
        self.finished = 0
        self.shown: list[str] = []
        screen.answered.connect(lambda q, n, v: self.answered.append((q, n, v)))
        screen.finished.connect(self._finished)
        screen.shown.connect(self.shown.append)

    def _finished(self) -> None:
        self.finished += 1


def ask(driver: KioskDriver, *questions: str) -> tuple[QuestionnaireScreen, Recorder]:
    screen = driver.window.screens["questionnaire"]
    assert isinstance(screen, QuestionnaireScreen)
    recorder = Recorder(screen)
    driver.window.go("questionnaire", remember=False, questions=questions)
    driver.wait_for("questionnaire")
    return screen, recorder


def said(driver: KioskDriver) -> str:
    return driver.speaker.utterances[-1].text


def test_sus_answered_with_digit_keys(driver: KioskDriver) -> None:
    driver.window.go("card")  # the participant came from somewhere: Back would have a place to go
    driver.wait_for("card")
    screen, recorder = ask(driver, "sus")
    assert driver.window.history
    assert recorder.shown == ["sus"]
    assert driver.focused().objectName() == "questionScale1"
    assert not driver.window.back_button.isEnabled() and not driver.window.start_over_button.isEnabled()
    for number, value in enumerate(SUS_ANSWERS, start=1):
        assert driver.window.title.accessibleName() == f"Question {number} of 10"
        assert screen.question.accessibleName() == catalog("en")[f"questionnaire.sus.{number}"]
        if number == 3:  # Escape (Back) and a digit off the scale change nothing
            driver.key(Qt.Key.Key_Escape)
            driver.key(DIGITS[7])
            assert driver.window.current_id == "questionnaire" and screen.answers == {"sus": SUS_ANSWERS[:2]}
        driver.key(DIGITS[value])
    assert recorder.answered == [("sus", number, value) for number, value in enumerate(SUS_ANSWERS, start=1)]
    assert recorder.finished == 1
    assert screen.answers == {"sus": SUS_ANSWERS}
    assert driver.window.title.accessibleName() == "Thank you"
    assert driver.focused() is screen.done and not screen.previous.isVisible()
    assert said(driver).startswith("You chose 3. That was the last question. Thank you for your answers.")
    driver.key(DIGITS[4])  # once done, a stray key answers nothing
    assert len(recorder.answered) == 10 and recorder.finished == 1


def test_previous_question_keeps_the_answer_and_lets_it_change(driver: KioskDriver) -> None:
    screen, recorder = ask(driver, "sus", "nps")
    assert not screen.previous.isVisible()  # nothing to go back to yet
    driver.key(DIGITS[4])
    driver.key(DIGITS[2])
    driver.activate("questionPrevious")
    assert driver.window.title.accessibleName() == "Question 2 of 11"
    assert screen.points[2].property("chosen") and driver.focused() is screen.points[2]
    assert screen.points[2].accessibleName().endswith(", your answer")
    assert said(driver).endswith("Your answer was 2. Choose it again, or choose another.")
    assert screen.answers == {"sus": [4, 2], "nps": []}
    driver.key(DIGITS[5])
    assert recorder.answered == [("sus", 1, 4), ("sus", 2, 2), ("sus", 2, 5)]
    assert screen.answers == {"sus": [4, 5], "nps": []}
    assert driver.window.title.accessibleName() == "Question 3 of 11"
    assert not any(point.property("chosen") for point in screen.points.values())  # item 3: not answered yet
    # Help covers the questions and gives them back as they were.
    driver.key(Qt.Key.Key_F1)
    driver.wait_for("help")
    assert driver.window.screens["help"].text.accessibleName() == catalog("en")["help.questionnaire"]
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("questionnaire")
    assert driver.window.title.accessibleName() == "Question 3 of 11"
    assert screen.answers == {"sus": [4, 5], "nps": []}


def test_nps_ten_by_the_arrow_keys_and_enter(driver: KioskDriver) -> None:
    screen, recorder = ask(driver, "nps")
    assert driver.window.title.accessibleName() == "A quick question"
    assert [point.objectName() for point in screen.points.values() if point.isVisible()] == [
        f"questionScale{value}" for value in range(11)
    ]
    assert "For 10, move to it with the arrow keys and press Enter." in said(driver)
    driver.key(Qt.Key.Key_Right, times=10)
    assert driver.focused().objectName() == "questionScale10"
    assert driver.focused().accessibleName() == "10: Extremely likely"
    driver.enter()
    assert recorder.answered == [("nps", 1, 10)] and recorder.finished == 1
    assert screen.answers == {"nps": [10]}


def test_each_question_is_spoken_with_the_ends_of_its_scale(driver: KioskDriver) -> None:
    ask(driver, "seq")
    arrival = said(driver)
    assert arrival.startswith("A quick question. Overall, how difficult or easy was the task to complete?")
    assert '1 is "Very difficult". 7 is "Very easy".' in arrival
    assert "Touch your answer, or press its number on the keypad." in arrival
    ask(driver, "csat", "nps")
    driver.key(DIGITS[4])
    after = said(driver)
    assert after.startswith("You chose 4. Question 2 of 2. How likely are you to recommend this machine")
    assert '0 is "Not at all likely". 10 is "Extremely likely".' in after


def test_the_chinese_sus_for_a_chinese_participant(driver: KioskDriver) -> None:
    driver.window.set_language("zh-Hans")
    screen, recorder = ask(driver, "sus")
    assert screen.question.accessibleName() == "我认为我会愿意经常使用这个系统。"
    assert screen.points[1].accessibleName() == "1：非常不同意"
    assert screen.points[5].accessibleName() == "5：非常同意"
    assert driver.window.title.accessibleName() == "第 1 题，共 10 题"
    utterance = driver.speaker.utterances[-1]
    assert utterance.language == "zh-Hans" and "我认为我会愿意经常使用这个系统。" in utterance.text
    driver.key(DIGITS[5])
    assert screen.question.accessibleName() == catalog("zh-Hans")["questionnaire.sus.2"]
    driver.window.set_language("zh-Hant")  # the participant's language may change mid-way: the question follows
    assert screen.question.accessibleName() == catalog("zh-Hant")["questionnaire.sus.2"]
    assert recorder.answered == [("sus", 1, 5)]


def test_touch_answers_too(driver: KioskDriver) -> None:
    screen, recorder = ask(driver, "csat")
    driver.qtbot.mouseClick(screen.points[5], Qt.MouseButton.LeftButton)
    assert recorder.answered == [("csat", 1, 5)] and recorder.finished == 1
    assert screen.answers == {"csat": [5]}
    assert said(driver).startswith("You chose 5.")


def test_an_answer_is_said_and_nothing_else_when_the_buttons_go(driver: KioskDriver) -> None:
    """The last answer hides the scale: the focus must not walk through the hidden buttons, each said
    in turn ("3", "4", "5"…), before the participant hears what they chose."""
    ask(driver, "seq", "nps")
    driver.key(Qt.Key.Key_4)  # SEQ: 1 to 7; then the NPS, 0 to 10
    driver.tab_to("questionScale9")
    heard = len(driver.speaker.utterances)
    driver.key(Qt.Key.Key_9)  # the last answer: the scale goes, the thanks come
    assert driver.speaker.utterances[heard].text.startswith("You chose 9.")
