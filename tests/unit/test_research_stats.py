"""The statistics of usability studies against published worked examples (each test names its source)."""

from __future__ import annotations

import math

import pytest

from client.research.stats import (
    adjusted_proportion,
    adjusted_wald,
    geometric_mean_interval,
    lostness,
    mean_interval,
    net_promoter_score,
)
from client.research.stats import sus_score as sus


def test_sus_worked_example_total_22_scores_55() -> None:
    """Tullis, T. & Albert, B. Measuring the User Experience (Morgan Kaufmann, 2008; 2nd ed. 2013,
    ISBN 9780124157927), "Calculating a SUS Score", Figure 6.8: "The sum of the values, using these
    rules, is 22. Multiply that by 2.5 to get the overall SUS score of 55." The rules are Brooke's
    (1996): odd items give the answer − 1, even items 5 − the answer.

    The source gives the total of the item contributions and the score; the raw answers below are
    ours, chosen so their contributions (odd: answer − 1, even: 5 − answer) total 22."""
    answers = [5, 4, 2, 1, 2, 3, 2, 4, 5, 2]  # contributions 4, 1, 1, 4, 1, 2, 1, 1, 4, 3 = 22
    assert sum(a - 1 for a in answers[0::2]) + sum(5 - a for a in answers[1::2]) == 22
    assert sus(answers) == 55.0


def test_sus_range_is_0_to_100() -> None:
    """Brooke (1996), p. 189: "SUS scores have a range of 0 to 100"; the best answer to every item
    (5 to the odd, positive items, 1 to the even, negative ones) gives 100, the worst 0."""
    assert sus([5, 1] * 5) == 100.0
    assert sus([1, 5] * 5) == 0.0
    assert sus([3] * 10) == 50.0


@pytest.mark.parametrize("answers", [[3] * 9, [3] * 11, [0, 3, 3, 3, 3, 3, 3, 3, 3, 3], [3] * 9 + [6], [3.5] * 10])
def test_sus_refuses_what_is_not_ten_answers_1_to_5(answers: list) -> None:
    with pytest.raises(ValueError):
        sus(answers)


def test_adjusted_wald_four_of_five() -> None:
    """Tullis, T. (2008). "Calculating a Confidence Interval for Task Completion Using the Adjusted
    Wald Method", http://www.measuringux.com/adjustedwald.htm (Tullis & Albert, Measuring the User
    Experience, 2008, p. 69): 4 of 5 users succeed; p_adj = 5.9208 / 8.8416 = 0.6696, margin 0.3100,
    95% interval 0.3596 to 0.9796 ("approximately 36% to 98%")."""
    assert adjusted_proportion(4, 5) == pytest.approx(0.6696, abs=1e-4)
    estimate = adjusted_wald(4, 5)
    assert estimate.value == 0.8
    assert estimate.low == pytest.approx(0.3596, abs=5e-4)
    assert estimate.high == pytest.approx(0.9796, abs=5e-4)
    assert estimate.n == 5


def test_adjusted_wald_nine_of_ten_adjusts_to_about_eleven_fourteenths() -> None:
    """Sauro, J. (2005). "Confidence Interval Calculator for a Completion Rate",
    http://www.measuringu.com/wald.htm: "If you observe 9 out of 10 users completing a task, this
    formula computes the proportion as (9 + (1.96²/2)) / (10 + (1.96²)) = approx. 11/14"."""
    assert adjusted_proportion(9, 10) == pytest.approx((9 + 1.96**2 / 2) / (10 + 1.96**2))
    assert adjusted_proportion(9, 10) == pytest.approx(11 / 14, abs=0.005)


def test_adjusted_wald_is_clipped_to_0_and_1() -> None:
    """With every user succeeding (or none), the interval stops at 100% (0%) instead of passing it."""
    all_of_them = adjusted_wald(5, 5)
    assert all_of_them.high == 1.0 and 0.5 < all_of_them.low < 1.0
    none = adjusted_wald(0, 5)
    assert none.low == 0.0 and 0.0 < none.high < 0.5


@pytest.mark.parametrize(("successes", "trials"), [(1, 0), (-1, 5), (6, 5)])
def test_adjusted_wald_refuses_impossible_counts(successes: int, trials: int) -> None:
    with pytest.raises(ValueError):
        adjusted_wald(successes, trials)


def test_geometric_mean_of_task_times_with_interval() -> None:
    """Sauro, J. (2006). "Graph and Calculator for Confidence Intervals for Task Times",
    http://www.measuringu.com/time_intervals.php: "if you entered the raw task times: 55, 65, 75,
    62, 45, 135 ... with a 95% confidence level, you would report: Average Time: 68 seconds, 95% CI
    (46, 101)" (the geometric mean; the interval from the t interval of the natural logs)."""
    estimate = geometric_mean_interval([55, 65, 75, 62, 45, 135])
    assert round(estimate.value) == 68
    assert round(estimate.low) == 46
    assert round(estimate.high) == 101
    assert estimate.n == 6


def test_geometric_mean_of_one_time_has_no_interval() -> None:
    estimate = geometric_mean_interval([42.0])
    assert estimate.value == pytest.approx(42.0)
    assert estimate.low is None and estimate.high is None


def test_geometric_mean_refuses_a_time_of_zero() -> None:
    with pytest.raises(ValueError):
        geometric_mean_interval([10.0, 0.0])


def test_mean_with_t_interval() -> None:
    """Mean ± t(0.975, n − 1) · s / √n, with t(0.975, 5) = 2.5706 (any table of Student's t)."""
    values = [70.0, 72.5, 80.0, 85.0, 90.0, 62.5]
    mean = sum(values) / 6
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / 5)
    estimate = mean_interval(values)
    assert estimate.value == pytest.approx(mean)
    assert estimate.low == pytest.approx(mean - 2.5706 * sd / math.sqrt(6), abs=1e-3)
    assert estimate.high == pytest.approx(mean + 2.5706 * sd / math.sqrt(6), abs=1e-3)


def test_mean_interval_clipped_to_the_scale() -> None:
    """Two SUS scores far apart give a t interval past 0–100; the scale's ends clip it."""
    unclipped = mean_interval([30.0, 95.0])
    assert unclipped.low < 0 and unclipped.high > 100
    clipped = mean_interval([30.0, 95.0], bounds=(0.0, 100.0))
    assert (clipped.low, clipped.high) == (0.0, 100.0)
    assert clipped.value == 62.5


def test_lostness_of_the_optimal_path_is_zero() -> None:
    """Smith, P. A. (1996). "Towards a practical measure of hypertext usability". Interacting with
    Computers 8(4), 365–381: L = √((N/S − 1)² + (R/N − 1)²), 0 for a user who takes the optimal path
    (every screen once, only the screens needed: S = N = R)."""
    assert lostness(6, 6, 6) == 0.0


def test_lostness_worked_example() -> None:
    """Tullis, T. & Albert, B. (2008). Measuring the User Experience, ch. 4 ("Lostness", Figures 4.7
    and 4.8; http://what-when-how.com/Tutorial/topic-18348v65/Measuring-the-User-Experience-Collecting-Analyzing-and-Presenting-Usability-Metrics-108.html):
    to reach Product Page C1 from the home page takes R = 3 page visits; the user visited N = 6
    different pages in S = 9 visits, so L = √((6/9 − 1)² + (3/6 − 1)²) = 0.6, past Smith's 0.5:
    lost."""
    assert round(lostness(9, 6, 3), 1) == 0.6
    assert lostness(9, 6, 3) == pytest.approx(math.sqrt((6 / 9 - 1) ** 2 + (3 / 6 - 1) ** 2))


def test_lostness_by_hand() -> None:
    """Smith (1996)'s formula worked by hand: 8 screens visited, 6 different, 4 on the optimal path:
    √((6/8 − 1)² + (4/6 − 1)²) = √(0.0625 + 0.1111) = 0.4167, above Smith's 0.4 "not lost" bound."""
    assert lostness(8, 6, 4) == pytest.approx(0.4167, abs=5e-5)


@pytest.mark.parametrize(("visited", "unique", "optimal"), [(0, 0, 3), (3, 4, 3), (3, 0, 3), (3, 3, 0)])
def test_lostness_refuses_impossible_counts(visited: int, unique: int, optimal: int) -> None:
    with pytest.raises(ValueError):
        lostness(visited, unique, optimal)


def test_net_promoter_score() -> None:
    """Promoters (9–10) minus detractors (0–6), in percent of all answers (Reichheld 2003)."""
    answers = [10, 9, 9, 10, 9, 8, 7, 7, 6, 0]  # 5 promoters, 3 passives, 2 detractors
    assert net_promoter_score(answers) == 30.0
    assert net_promoter_score([0, 6]) == -100.0
    with pytest.raises(ValueError):
        net_promoter_score([11])
