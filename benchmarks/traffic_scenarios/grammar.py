"""A tiny phrase grammar for writing many paraphrases compactly.

``⟦a|b|c⟧`` picks one alternative (an empty one is allowed: ``⟦please |⟧``), ``⟦name⟧`` a value
from a named bank (a list, or a callable taking the rng), ``⟦#lo-hi⟧`` an integer. Brackets are
expanded innermost first and values are expanded again, so alternatives nest and banks may refer
to banks. The brackets are mathematical white square brackets, which no prompt text here uses,
so JSON braces, tags and typographic quotes stay literal.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence

__all__ = ["Bank", "Pick", "capitalised", "expand", "tidy"]

Pick = Callable[[random.Random], str]
Bank = Mapping[str, Sequence[str] | Pick]

_SPAN = re.compile(r"⟦([^⟦⟧]*)⟧")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")
# Only , . ; — French puts a space before ? ! : on purpose.
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +([,.;])(?=\s|$)")
# Deep enough for any bank here; a bank that refers to itself forever stops here instead of hanging.
_MAX_ROUNDS = 12


def expand(text: str, rng: random.Random, bank: Bank | None = None) -> str:
    """``text`` with every bracket replaced by a random choice. Cost: O(len(text) × depth)."""
    names = bank or {}

    def pick(match: re.Match[str]) -> str:
        body: str = match.group(1)
        if body.startswith("#") and "-" in body:
            low, high = body[1:].split("-", 1)
            return str(rng.randint(int(low), int(high)))
        if body in names:
            value = names[body]
            return str(value(rng)) if callable(value) else str(rng.choice(value))
        return rng.choice(body.split("|"))

    for _ in range(_MAX_ROUNDS):
        expanded = _SPAN.sub(pick, text)
        if expanded == text:
            break
        text = expanded
    return tidy(text)


def tidy(text: str) -> str:
    """Collapse the double spaces and stray spaces before punctuation that empty alternatives leave
    (indentation is kept: fills may be code)."""
    lines = [_SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", line)).rstrip(" ") for line in text.split("\n")]
    return "\n".join(lines).strip("\n ")


def capitalised(text: str) -> str:
    """``text`` with its first letter upper-cased (an empty first alternative leaves it lower)."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text
