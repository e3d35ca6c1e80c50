"""Template fingerprints: what stays the same when a campaign fills one template many times.

A campaign sends one skeleton with many fills ("{question} Let's reason it out step by step.",
a fixed system message before each exam question). Whatever the fill, the skeleton's own lines and
sentences come back verbatim, so each request is reduced to the hashes of its units (lines and
sentences), masked so that numbers and spacing do not matter. Which of a request's units are
template and which are fill is learnt from the stream: a template unit recurs across requests (of
one client, or of many), a fill unit does not. This is the content-fingerprint idea of Blacklight,
kept to hashes: no prompt text is stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from querysentry.messages import DEFAULT_SCAN_ROLES, Message

__all__ = ["mask", "template_features", "unit_hash"]

_UNITS = re.compile(r"(?<=[.!?;:。！？；])\s+|\n+")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]")
MIN_LETTERS = 3  # a unit of fewer letters ("A:", "1.") says nothing about a template


def mask(text: str) -> str:
    """Unicode-fold, lowercase, numbers to ``0``, runs of spaces to one: the unit as compared."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _DIGITS.sub("0", folded)).strip()


def unit_hash(unit: str) -> str:
    """16 hex characters (64 bits) of BLAKE2b over the masked unit."""
    return hashlib.blake2b(mask(unit).encode("utf-8"), digest_size=8).hexdigest()


def _units(text: str) -> Iterable[str]:
    for unit in _UNITS.split(text):
        unit = unit.strip()
        if len(_LETTERS.findall(unit)) >= MIN_LETTERS:
            yield unit


def template_features(
    messages: Sequence[Message], roles: frozenset[str] = DEFAULT_SCAN_ROLES, limit: int = 16
) -> tuple[str, ...]:
    """The unit hashes of a request's scanned messages, distinct, in order; at most ``limit``.

    A long request keeps its first and last ``limit // 2`` units: templates put their fixed text
    at the start (system message, instructions) and the end (answer format), and the cap keeps
    the cost of a 100-page document bounded. O(characters).
    """
    seen: dict[str, None] = {}
    for message in messages:
        if message.role in roles:
            for unit in _units(message.content):
                seen.setdefault(unit_hash(unit), None)
    features = list(seen)
    if len(features) > limit:
        features = features[: limit // 2] + features[-(limit - limit // 2) :]
    return tuple(features)
