"""When requests are sent: people in sessions with think times, machines on a clock.

People: sessions of a few to a few dozen requests, think times log-normal around a per-person
median (reading and typing vary a lot), breaks of minutes to hours between sessions. Machines:
a fixed period with a little jitter, or, for campaigns that pace themselves, log-normal gaps around
a slow median with no breaks. Every function returns sorted absolute times (seconds).
"""

from __future__ import annotations

import math
import random

__all__ = ["START", "aggregate_times", "human_times", "machine_times", "paced_times", "spread_times"]

START = 1_767_225_600.0  # 2026-01-01T00:00:00Z: real-looking traffic time, so decay by time behaves as in production
HOUR = 3600.0
DAY = 24 * HOUR


def human_times(
    rng: random.Random,
    n: int,
    start: float,
    *,
    think: float | None = None,
    session: float = 12.0,
    pause: float = 2 * HOUR,
) -> list[float]:
    """``n`` times of one person: sessions of about ``session`` requests, ``think`` seconds median
    between requests (drawn per person when None), breaks of about ``pause`` seconds median."""
    median = think if think is not None else rng.lognormvariate(math.log(60), 0.5)
    t, out = start, list[float]()
    while len(out) < n:
        length = 1 + int(rng.expovariate(1 / max(1.0, session - 1)))
        for _ in range(min(length, n - len(out))):
            out.append(t)
            t += rng.lognormvariate(math.log(median), 0.8)
        t += rng.lognormvariate(math.log(pause), 0.9)
    return out


def machine_times(rng: random.Random, n: int, start: float, period: float, jitter: float = 0.15) -> list[float]:
    """A script on a clock: ``period`` seconds apart, each gap within ±``jitter`` of it."""
    t, out = start, list[float]()
    for _ in range(n):
        out.append(t)
        t += period * rng.uniform(1 - jitter, 1 + jitter)
    return out


def paced_times(rng: random.Random, n: int, start: float, median: float) -> list[float]:
    """A slow campaign pacing itself like a person, but never pausing: log-normal gaps, no sessions."""
    t, out = start, list[float]()
    for _ in range(n):
        out.append(t)
        t += rng.lognormvariate(math.log(median), 0.6)
    return out


def spread_times(rng: random.Random, n: int, start: float, span: float) -> list[float]:
    """``n`` independent times, uniform over ``span`` seconds (a key that calls now and then all day)."""
    return sorted(start + rng.uniform(0, span) for _ in range(n))


def aggregate_times(rng: random.Random, n: int, start: float, mean_gap: float) -> list[float]:
    """Many independent people behind one key (an app): a Poisson stream, busier by day."""
    t, out = start, list[float]()
    while len(out) < n:
        hour = ((t - START) / HOUR) % 24
        busy = 0.5 + 0.5 * math.sin((hour - 8) / 24 * 2 * math.pi) + 0.25  # quiet at night
        t += rng.expovariate(busy / mean_gap)
        out.append(t)
    return out
