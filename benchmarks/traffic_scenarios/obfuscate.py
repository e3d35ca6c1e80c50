"""Obfuscations campaigns use to get an instruction past a text filter.

Each transform takes the text and an rng and changes only letters or the spaces between them, so
the instruction still reads the same to a model. ``obfuscate`` applies a campaign's mix of them,
with a fresh random intensity per request.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

__all__ = ["TRANSFORMS", "obfuscate"]

# Latin letters and look-alikes from Cyrillic, Greek and Latin extensions.
_HOMOGLYPHS = {
    "a": "аα",
    "c": "сϲ",
    "e": "еε",
    "i": "іι",
    "j": "ј",
    "o": "оοσ",
    "p": "рρ",
    "s": "ѕ",
    "x": "хχ",
    "y": "уγ",
    "h": "һ",
    "k": "κ",
    "n": "ո",
    "v": "ν",
    "w": "ԝ",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "С",
    "E": "ЕΕ",
    "H": "НΗ",
    "I": "ІΙ",
    "K": "КΚ",
    "M": "МΜ",
    "O": "ОΟ",
    "P": "РΡ",
    "S": "Ѕ",
    "T": "ТΤ",
    "X": "ХΧ",
    "Y": "ҮΥ",
}
_LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7+", "l": "1|", "g": "9", "b": "8"}
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
_NOISE = [".", "-", "_", "*", "~", "·", "/"]


def _per_letter(text: str, rng: random.Random, rate: float, table: dict[str, str]) -> str:
    return "".join(rng.choice(table[ch]) if ch in table and rng.random() < rate else ch for ch in text)


def homoglyphs(text: str, rng: random.Random) -> str:
    return _per_letter(text, rng, rng.uniform(0.2, 0.6), _HOMOGLYPHS)


def leetspeak(text: str, rng: random.Random) -> str:
    return _per_letter(text, rng, rng.uniform(0.3, 0.8), _LEET)


def zero_width(text: str, rng: random.Random) -> str:
    rate = rng.uniform(0.15, 0.5)
    marks = rng.sample(_ZERO_WIDTH, rng.randint(1, 3))
    return "".join(ch + rng.choice(marks) if ch.isalpha() and rng.random() < rate else ch for ch in text)


def punctuation_noise(text: str, rng: random.Random) -> str:
    """Separators inside words ("s.h.o.w", "re-a-son"), on some words only."""
    mark = rng.choice(_NOISE)
    rate = rng.uniform(0.25, 0.7)
    words = text.split(" ")
    return " ".join(mark.join(w) if len(w) > 3 and rng.random() < rate else w for w in words)


def letter_spacing(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    rate = rng.uniform(0.2, 0.5)
    return "  ".join(" ".join(w) if len(w) > 3 and rng.random() < rate else w for w in words)


def random_case(text: str, rng: random.Random) -> str:
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)


def fullwidth(text: str, rng: random.Random) -> str:
    rate = rng.uniform(0.3, 0.9)
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" and rng.random() < rate else ch for ch in text)


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "homoglyphs": homoglyphs,
    "leetspeak": leetspeak,
    "zero_width": zero_width,
    "punctuation_noise": punctuation_noise,
    "letter_spacing": letter_spacing,
    "random_case": random_case,
    "fullwidth": fullwidth,
}


def obfuscate(text: str, rng: random.Random, mix: Sequence[str]) -> str:
    """``text`` through one or two of the transforms in ``mix``, chosen per call."""
    chosen = rng.sample(list(mix), min(len(mix), rng.choice((1, 1, 2))))
    for name in chosen:
        text = TRANSFORMS[name](text, rng)
    return text
