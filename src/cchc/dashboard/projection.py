"""Year-end projection of a target from its monthly values (pure: no database, no clock).

Method (shown on the dashboard page as well):

1. A target's value over a year is a cumulative ratio: the year's numerator over the year's denominator, never an
   average of monthly ratios. The months so far give N (numerators) and D (denominators).
2. Each remaining month is expected to bring as many cases as the average month so far (the denominator is
   projected flat: we have no earlier year to take a seasonal pattern from).
3. The monthly ratio is fitted by a straight line over the months so far, least squares weighted by each month's
   denominator (a month with 5 dossiers weighs less than one with 5,000); the line gives the ratio expected in each
   remaining month, kept within 0–100 %.
4. Projected year-end value = (N + Σ expected ratio × expected cases) / (D + Σ expected cases).
5. Interval (about 90 %): the months' scatter around the line (residual standard deviation s, unweighted) gives the
   uncertainty of the remaining months' mean ratio, s·√(1/k + 1/n + (t̄_future − t̄)²/Sxx) for k remaining and n
   observed months; it counts in proportion to the remaining months' share of the year's cases, and the interval is
   projected ± 1.645 × that. With the year complete the interval is the value itself.
6. Classification against the threshold: "will meet" when the whole interval is on the right side of it, "will miss"
   when the whole interval is on the wrong side, "at risk" otherwise. `probability` is the normal approximation of the
   chance that the year-end value meets the threshold.
7. Fewer than MIN_MONTHS months with cases: no projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_MONTHS = 3
Z_90 = 1.645
WILL_MEET, AT_RISK, WILL_MISS = "will_meet", "at_risk", "will_miss"


@dataclass(frozen=True)
class Projection:
    value: float  # projected year-end value, percent
    low: float
    high: float
    outcome: str | None  # will_meet / at_risk / will_miss; None without a comparable threshold
    probability: float | None  # chance (normal approximation) that the year-end value meets the threshold
    months: int  # months with cases the projection is built on

    def shortfall(self, op: str, threshold: float) -> float:
        """How far the projection falls short of the threshold (positive = short, negative = ahead), points."""
        return threshold - self.value if op != "<=" else self.value - threshold


def _meets(op: str, actual: float, threshold: float) -> bool:
    if op == ">=":
        return actual >= threshold
    if op == "<=":
        return actual <= threshold
    return actual == threshold


def classify(op: str, threshold: float, low: float, high: float) -> str | None:
    if op not in (">=", "<="):
        return None
    if _meets(op, low, threshold) and _meets(op, high, threshold):
        return WILL_MEET
    if not _meets(op, low, threshold) and not _meets(op, high, threshold):
        return WILL_MISS
    return AT_RISK


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def project(
    months: list[tuple[int, int] | None],
    elapsed: int,
    op: str | None = None,
    threshold: float | None = None,
    year_months: int = 12,
) -> Projection | None:
    """Project the year-end value from `months` (index 0 = January: (numerator, denominator) or None).

    `elapsed`: how many months of the year are over (the months after it are ignored even when given).
    Returns None when fewer than MIN_MONTHS of the elapsed months have cases.
    """
    elapsed = max(0, min(elapsed, year_months))
    observed = [
        (t, num, den) for t, pair in enumerate(months[:elapsed], start=1) if pair is not None for num, den in [pair]
    ]
    observed = [(t, num, den) for t, num, den in observed if den > 0]
    if len(observed) < MIN_MONTHS:
        return None
    n_total = sum(num for _, num, _ in observed)
    d_total = sum(den for _, _, den in observed)
    remaining = list(range(elapsed + 1, year_months + 1))
    if not remaining:
        value = 100 * n_total / d_total
        outcome = classify(op, threshold, value, value) if op and threshold is not None else None
        probability = None
        if outcome is not None:
            probability = 1.0 if outcome == WILL_MEET else 0.0
        return Projection(value, value, value, outcome, probability, len(observed))

    ts = [t for t, _, _ in observed]
    ratios = [100 * num / den for _, num, den in observed]
    weights = [den for _, _, den in observed]
    w_sum = sum(weights)
    t_mean_w = sum(w * t for w, t in zip(weights, ts, strict=True)) / w_sum
    r_mean_w = sum(w * r for w, r in zip(weights, ratios, strict=True)) / w_sum
    sxx_w = sum(w * (t - t_mean_w) ** 2 for w, t in zip(weights, ts, strict=True))
    slope = (
        sum(w * (t - t_mean_w) * (r - r_mean_w) for w, t, r in zip(weights, ts, ratios, strict=True)) / sxx_w
        if sxx_w
        else 0.0
    )
    intercept = r_mean_w - slope * t_mean_w

    def line(t: float) -> float:
        return min(100.0, max(0.0, intercept + slope * t))

    cases_per_month = d_total / len(observed)
    future_cases = cases_per_month * len(remaining)
    future_num = sum(line(t) / 100 * cases_per_month for t in remaining)
    value = 100 * (n_total + future_num) / (d_total + future_cases)

    n = len(observed)
    residuals = [r - (intercept + slope * t) for t, r in zip(ts, ratios, strict=True)]
    s = math.sqrt(sum(e * e for e in residuals) / (n - 2)) if n > 2 else 0.0
    t_mean = sum(ts) / n
    sxx = sum((t - t_mean) ** 2 for t in ts)
    t_future = sum(remaining) / len(remaining)
    se_future_mean = s * math.sqrt(1 / len(remaining) + 1 / n + ((t_future - t_mean) ** 2 / sxx if sxx else 0.0))
    share_future = future_cases / (d_total + future_cases)
    se_year = se_future_mean * share_future
    low = max(0.0, value - Z_90 * se_year)
    high = min(100.0, value + Z_90 * se_year)
    outcome = probability = None
    if op in (">=", "<=") and threshold is not None:
        outcome = classify(op, threshold, low, high)
        if se_year > 0:
            z = (value - threshold) / se_year
            probability = _normal_cdf(z if op == ">=" else -z)
        else:
            probability = 1.0 if _meets(op, value, threshold) else 0.0
    return Projection(value, low, high, outcome, probability, n)
