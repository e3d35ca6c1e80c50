"""Request-level signals: signs in a request's shape, beside what its segments match.

A signal reads one normalised message (role and text) and names what it found; the names travel in
``Verdict.frames`` and the scoring step gives them weight (``Thresholds.frame_bonus``). A new
signal is one class here (or the caller's own) passed as ``Detector(request_signals=...)``: the
detector and the scoring step do not change. A signal must be linear in its input and read at
most ``max_chars`` characters, since it runs on every message of every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from querysentry.text.structure import benchmark_frames

__all__ = ["DEFAULT_REQUEST_SIGNALS", "BenchmarkFrames", "RequestSignal", "request_signals"]


@runtime_checkable
class RequestSignal(Protocol):
    """``signal(role, text, max_chars=...)`` → the names of what it found (empty: nothing)."""

    def __call__(self, role: str, text: str, *, max_chars: int) -> frozenset[str]: ...


class BenchmarkFrames:
    """Benchmark-item shapes (lettered answer options, "Question:/Answer:" frames) in the text.

    A filled harvesting template carries an exam item; the frames alone decide nothing (students
    paste exam questions too), they only add ``frame_bonus`` to a lane that already matched.
    """

    def __call__(self, role: str, text: str, *, max_chars: int) -> frozenset[str]:
        return benchmark_frames(text, max_chars=max_chars)


DEFAULT_REQUEST_SIGNALS: tuple[RequestSignal, ...] = (BenchmarkFrames(),)


def request_signals(
    signals: Sequence[RequestSignal], messages: Sequence[tuple[str, str]], *, max_chars: int
) -> frozenset[str]:
    """Every name any signal found in any of the (role, normalised text) messages."""
    found: set[str] = set()
    for role, text in messages:
        for signal in signals:
            found |= signal(role, text, max_chars=max_chars)
    return frozenset(found)
