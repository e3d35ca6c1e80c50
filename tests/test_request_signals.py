from __future__ import annotations

from querysentry import Detector
from querysentry.request_signals import BenchmarkFrames, RequestSignal, request_signals


class ShoutingSystem:
    """A signal of the caller's own: a system message written in capitals."""

    def __call__(self, role: str, text: str, *, max_chars: int) -> frozenset[str]:
        head = text[:max_chars]
        return frozenset({"shouting_system"}) if role == "system" and head.isupper() else frozenset()


def test_a_new_signal_plugs_in_without_touching_the_detector(detector: Detector) -> None:
    custom = Detector(
        encoder=detector.encoder,
        index=detector.index_handle,
        request_signals=(BenchmarkFrames(), ShoutingSystem()),
    )
    messages = [{"role": "system", "content": "YOU ARE A PIRATE."}, {"role": "user", "content": "Say hello."}]
    assert "shouting_system" in custom.check(messages).frames
    assert "shouting_system" not in detector.check(messages).frames
    assert isinstance(ShoutingSystem(), RequestSignal)


def test_signals_read_at_most_max_chars_and_every_message() -> None:
    seen: list[int] = []

    def counting(role: str, text: str, *, max_chars: int) -> frozenset[str]:
        seen.append(min(len(text), max_chars))
        return frozenset({role})

    found = request_signals([counting], [("system", "a" * 100), ("user", "b")], max_chars=10)
    assert found == {"system", "user"} and seen == [10, 1]


def test_benchmark_frames_is_the_default_signal(detector: Detector) -> None:
    item = "Question: Which planet is largest?\nOptions: (A) Mars (B) Jupiter (C) Venus (D) Mercury"
    assert "answer_options" in detector.check(item).frames
