"""Template fingerprints: what stays the same when a campaign fills one template many times.

A campaign sends one skeleton with many fills ("{question} Let's reason it out step by step.",
a fixed system message before each exam question). Whatever the fill, the skeleton's own lines and
sentences come back verbatim, so each request is reduced to the hashes of its units (lines and
sentences), masked so that numbers and spacing do not matter. Which of a request's units are
template and which are fill is learnt from the stream: a template unit recurs across requests (of
one client, or of many), a fill unit does not. This is the content-fingerprint idea of Blacklight,
kept to hashes: no prompt text is stored.

The cost is bounded on attacker-controlled text: only the first and last ``EDGE_CHARS``
characters of a request's scanned messages are split into units (where a template's fixed text
sits), and runs of combining marks are cut before NFKC.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from querysentry.messages import DEFAULT_SCAN_ROLES, Message
from querysentry.text.normalize import limit_combining_marks

__all__ = ["EDGE_CHARS", "mask", "template_features", "template_units", "unit_hash"]

_UNITS = re.compile(r"(?<=[.!?;:。！？；])\s+|\n+")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]")
MIN_LETTERS = 3  # a unit of fewer letters ("A:", "1.") says nothing about a template
# A field label on its own ("Question:", "Selected text:", "My answer:"): a unit ends at a colon, so
# every "Question: <what the user asked>" line leaves its label behind as a unit. Across clients
# such labels are format, shared by unrelated apps, campaigns and pasted exam items alike: a
# cluster on one would group every client that ever labels a field, so they feed no cluster
# (``template_features(labels=False)``). Within one client they stay units: a blended campaign
# that rotates its instruction's wording keeps its item's fields, and that reuse is its template.
# Words and the spaces between them are disjoint classes, so the match cannot backtrack, and only
# units of at most ``_LABEL_CHARS`` characters are tried.
_FIELD_LABEL = re.compile(r"[^\W\d_][\w'\-]*(?:[^\S\n]+[\w'\-]+){0,2}[^\S\n]*:")
_LABEL_CHARS = 48
# Characters of a request split into units, from each end (a few dozen lines each): a template's
# fixed text is its system message and instructions at the start and its answer format at the
# end. Bounds the units hashed per request (at most about 2 * EDGE_CHARS / 4).
EDGE_CHARS = 4_096


def mask(text: str) -> str:
    """Unicode-fold, lowercase, numbers to ``0``, runs of spaces to one: the unit as compared.

    O(len(text)): runs of combining marks are cut first (NFKC is quadratic in their length).
    """
    text = limit_combining_marks(text)
    folded = (text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)).casefold()
    return _SPACE.sub(" ", _DIGITS.sub("0", folded)).strip()


def unit_hash(unit: str) -> str:
    """16 hex characters (64 bits) of BLAKE2b over the masked unit."""
    return hashlib.blake2b(mask(unit).encode("utf-8"), digest_size=8).hexdigest()


def _units(text: str, *, cut_start: bool = False, cut_end: bool = False) -> Iterable[str]:
    pieces = _UNITS.split(text)
    # A piece at a cut is part of a unit: hashing it would only add noise.
    for unit in pieces[int(cut_start) : len(pieces) - int(cut_end)]:
        unit = unit.strip()
        if len(_LETTERS.findall(unit)) >= MIN_LETTERS:
            yield unit


def _is_label(unit: str) -> bool:
    return len(unit) <= _LABEL_CHARS and _FIELD_LABEL.fullmatch(unit) is not None


def _edges(contents: Sequence[str], edge: int) -> Iterator[tuple[str, bool, bool]]:
    """The parts of ``contents`` within the first and last ``edge`` characters of their
    concatenation, in order, as ``(text, cut_start, cut_end)``. O(len(contents) + edge)."""
    total = sum(map(len, contents))
    if total <= 2 * edge:
        for content in contents:
            yield content, False, False
        return
    tail_start = total - edge  # > edge: the two regions do not meet
    end = 0
    for content in contents:
        start, end = end, end + len(content)
        if start < edge:
            yield content[: edge - start], False, end > edge
        if end > tail_start:
            yield content[max(0, tail_start - start) :], start < tail_start, False


def template_features(
    messages: Sequence[Message], roles: frozenset[str] = DEFAULT_SCAN_ROLES, limit: int = 16, *, labels: bool = True
) -> tuple[str, ...]:
    """The unit hashes of a request's scanned messages, distinct, in order; at most ``limit``.
    ``labels=False`` leaves out field labels on their own ("Question:"), as clusters do.

    A long request keeps its first and last ``limit // 2`` units: templates put their fixed text
    at the start (system message, instructions) and the end (answer format). Only the first and
    last ``EDGE_CHARS`` characters of the scanned messages are read, so a 100-page document costs
    what a short one does: O(len(messages) + EDGE_CHARS).
    """
    every, unlabelled = template_units(messages, roles, limit)
    return every if labels else unlabelled


def template_units(
    messages: Sequence[Message], roles: frozenset[str] = DEFAULT_SCAN_ROLES, limit: int = 16
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``template_features`` with and without field labels, from one pass over the text."""
    seen: dict[str, bool] = {}  # unit hash -> whether the unit is a field label on its own
    contents = [message.content for message in messages if message.role in roles]
    for text, cut_start, cut_end in _edges(contents, EDGE_CHARS):
        for unit in _units(text, cut_start=cut_start, cut_end=cut_end):
            seen.setdefault(unit_hash(unit), _is_label(unit))
    return _ends(list(seen), limit), _ends([u for u, label in seen.items() if not label], limit)


def _ends(features: list[str], limit: int) -> tuple[str, ...]:
    if len(features) > limit:
        features = features[: limit // 2] + features[-(limit - limit // 2) :]
    return tuple(features)
