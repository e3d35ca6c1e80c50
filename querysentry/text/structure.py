"""Structural signs that a prompt is a filled benchmark item.

Campaigns fill one template with thousands of exam-style questions: answer options, "Q:/A:" or
"Premise/Hypothesis" frames. Ordinary chat rarely has that shape (about 0.6 % of the public
benign prompts we measure on), so a reasoning request wrapped around such an item is stronger
evidence than the same request alone. Pure regular expressions; O(len(text)).
"""

from __future__ import annotations

import re

__all__ = ["benchmark_frames"]

_OPTION_HEADER = re.compile(r"(?im)^\s*(?:options|choices|answer choices|possible answers)\s*:")
_LETTERED_OPTIONS = re.compile(r"(?s)\(\s*[A-Ea-e]\s*\)[^\n]{1,200}?\(\s*[B-Eb-e]\s*\)")
_FIELD_FRAME = re.compile(
    r"(?im)^\s*(?:q|a|question|answer|premise|hypothesis|student|teacher|claim|passage|context)\s*:"
)


def benchmark_frames(text: str) -> frozenset[str]:
    """Names of the benchmark-item shapes found in ``text`` (empty for ordinary prose)."""
    found = set()
    if _OPTION_HEADER.search(text) or _LETTERED_OPTIONS.search(text):
        found.add("answer_options")
    if _FIELD_FRAME.search(text):
        found.add("qa_frame")
    return frozenset(found)
