"""The statistics of a usability study: SUS, completion rates, task times, lostness, NPS.

Each formula is the published one (the sources are named below and in the tests, which check the
published worked examples). Intervals are 95% unless asked otherwise; t quantiles come from scipy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, stdev

from scipy.stats import t as student_t

Z_95 = 1.96
SUS_ITEMS = 10


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval; ``low``/``high`` are None when the sample
    cannot give one (a single value)."""

    value: float
    low: float | None
    high: float | None
    n: int


def sus_score(answers: Sequence[int]) -> float:
    """The SUS score (0–100) of ten raw answers, each 1–5 (Brooke 1996).

    Odd items are worded positively and give ``answer − 1``; even items negatively and give
    ``5 − answer``; the sum (0–40) times 2.5."""
    if len(answers) != SUS_ITEMS:
        raise ValueError(f"SUS has {SUS_ITEMS} items, got {len(answers)} answers")
    if any(isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= 5 for a in answers):
        raise ValueError(f"SUS answers are whole numbers 1–5, got {list(answers)}")
    odd = sum(answers[0::2])
    even = sum(answers[1::2])
    return ((odd - 5) + (25 - even)) * 2.5


def adjusted_proportion(successes: int, trials: int, z: float = Z_95) -> float:
    """The proportion the adjusted-Wald interval is built around: (x + z²/2) / (n + z²)."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, got {successes}/{trials}")
    return (successes + z * z / 2) / (trials + z * z)


def adjusted_wald(successes: int, trials: int, z: float = Z_95) -> Estimate:
    """The completion rate ``successes / trials`` with its adjusted-Wald interval.

    Sauro & Lewis (2005), after Agresti & Coull (1998): add z²/2 successes and z² trials, build
    the Wald interval around that adjusted proportion, clip it to [0, 1]. The point estimate
    reported is the observed rate."""
    adjusted = adjusted_proportion(successes, trials, z)
    adjusted_trials = trials + z * z
    margin = z * math.sqrt(adjusted * (1 - adjusted) / adjusted_trials)
    return Estimate(successes / trials, max(0.0, adjusted - margin), min(1.0, adjusted + margin), trials)


def _t_quantile(confidence: float, degrees_of_freedom: int) -> float:
    return float(student_t.ppf(1 - (1 - confidence) / 2, degrees_of_freedom))


def mean_interval(
    values: Sequence[float], confidence: float = 0.95, bounds: tuple[float, float] | None = None
) -> Estimate:
    """The arithmetic mean with its t interval (for SUS scores, SEQ answers); ``bounds``, the
    scale's ends (0–100 for SUS), clip the interval, which small samples can carry past them."""
    if not values:
        raise ValueError("no values")
    mean = fmean(values)
    if len(values) < 2:
        return Estimate(mean, None, None, len(values))
    margin = _t_quantile(confidence, len(values) - 1) * stdev(values) / math.sqrt(len(values))
    low, high = mean - margin, mean + margin
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Estimate(mean, low, high, len(values))


def geometric_mean_interval(times: Sequence[float], confidence: float = 0.95) -> Estimate:
    """The geometric mean of task times with its interval: the mean and t interval of the natural
    logs, exponentiated back (Sauro & Lewis, "Quantifying the User Experience", ch. 3). Task times
    are skewed; for small samples the geometric mean is the better estimate of the middle."""
    if any(time <= 0 for time in times):
        raise ValueError(f"task times must be positive, got {list(times)}")
    logs = mean_interval([math.log(time) for time in times], confidence)
    return Estimate(
        math.exp(logs.value),
        None if logs.low is None else math.exp(logs.low),
        None if logs.high is None else math.exp(logs.high),
        logs.n,
    )


def lostness(screens_visited: int, unique_screens: int, optimal_screens: int) -> float:
    """Smith's (1996) lostness: √((N/S − 1)² + (R/N − 1)²), 0 for the optimal path.

    S: screens visited, counting repeats; N: different screens visited; R: screens on the optimal
    path. Smith reads below 0.4 as not lost, above 0.5 as lost."""
    if screens_visited <= 0 or not 0 < unique_screens <= screens_visited or optimal_screens <= 0:
        raise ValueError(f"need S >= N > 0 and R > 0, got S={screens_visited} N={unique_screens} R={optimal_screens}")
    return math.hypot(unique_screens / screens_visited - 1, optimal_screens / unique_screens - 1)


def net_promoter_score(answers: Sequence[int]) -> float:
    """NPS in percent from 0–10 answers: promoters (9–10) minus detractors (0–6), −100 to 100."""
    if not answers:
        raise ValueError("no answers")
    if any(isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= 10 for a in answers):
        raise ValueError(f"NPS answers are whole numbers 0–10, got {list(answers)}")
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return 100 * (promoters - detractors) / len(answers)
