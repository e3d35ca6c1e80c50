from __future__ import annotations

import gc
import hashlib
import logging
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from types import FrameType, ModuleType

import numpy as np
import pytest

from querysentry.detector import Detector
from querysentry.encoder import Encoder


@pytest.fixture(scope="session")
def detector(encoder: Encoder) -> Detector:
    """The shipped detector (index and thresholds), built once for the whole run."""
    return Detector(encoder=encoder)


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real shipped encoder, loaded once per test session (about half a second)."""
    return Encoder()


class HashEmbedder:
    """A deterministic stand-in encoder: each distinct text gets a fixed pseudo-random unit vector.

    Used where a test is about index mechanics, not semantics, so it runs without the model.
    """

    dims = 16
    fingerprint = "hash-embedder-v1"
    model_name = "hash-embedder"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dims).astype(np.float32)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dims)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


def _is_mark(ch: str) -> bool:
    # A combining mark, or a character NFKC turns into one (half-width katakana sound marks).
    decomposed = unicodedata.normalize("NFKD", ch)
    return unicodedata.category(ch).startswith("M") or bool(unicodedata.combining(decomposed[:1] or ch))


class NormalisationRecorder:
    """Stands in for ``unicodedata`` inside one module and keeps every text it is asked to normalise.

    Lets a test assert how much text reaches NFKC (and how long its runs of combining marks are)
    without timing anything.
    """

    def __init__(self) -> None:
        self.inputs: list[str] = []

    def normalize(self, form: str, text: str) -> str:
        self.inputs.append(text)
        return unicodedata.normalize(form, text)

    def is_normalized(self, form: str, text: str) -> bool:
        self.inputs.append(text)
        return unicodedata.is_normalized(form, text)

    def __getattr__(self, name: str) -> object:
        return getattr(unicodedata, name)

    def longest_input(self) -> int:
        return max(map(len, self.inputs), default=0)

    def longest_mark_run(self) -> int:
        """The longest run of consecutive combining characters in any recorded input."""
        longest = 0
        for text in self.inputs:
            run = 0
            for ch in text:
                run = run + 1 if _is_mark(ch) else 0
                longest = max(longest, run)
        return longest


@pytest.fixture
def record_normalisation(monkeypatch: pytest.MonkeyPatch) -> Callable[[ModuleType], NormalisationRecorder]:
    """``record_normalisation(module)`` replaces that module's ``unicodedata`` with a recorder."""

    def install(module: ModuleType) -> NormalisationRecorder:
        recorder = NormalisationRecorder()
        monkeypatch.setattr(module, "unicodedata", recorder)
        return recorder

    return install


@pytest.fixture
def python_steps() -> Callable[..., int]:
    """``python_steps(fn, *args)``: how many Python calls and lines (generator steps included) ``fn`` runs.

    A per-character Python loop shows up as steps per character, so comparing counts asserts that a
    step stays in C (or is bounded) without measuring time.
    """

    def count(fn: Callable[..., object], *args: object) -> int:
        steps = 0

        def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
            nonlocal steps
            if event in ("call", "line"):
                steps += 1
            return trace

        fn(*args)  # warm up: one-time work (lazy imports, caches) is not what is being counted
        # A garbage collection could run finalisers (Python code) inside the count: keep it out.
        gc.collect()
        gc.disable()
        previous = sys.gettrace()
        sys.settrace(trace)
        try:
            fn(*args)
        finally:
            sys.settrace(previous)
            gc.enable()
        return steps

    return count


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def at(self, level: int) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == level]


@pytest.fixture
def logs() -> Iterator[Records]:
    # Straight on the logger: telemetry may have turned its propagation off, which caplog relies on.
    logger = logging.getLogger("querysentry")
    handler, level = Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
