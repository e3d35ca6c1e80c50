"""Structural signs that a prompt is a filled benchmark item.

Campaigns fill one template with thousands of exam-style questions: answer options, "Q:/A:" or
"Premise/Hypothesis" frames. Ordinary chat rarely has that shape (about 0.6 % of the public
benign prompts we measure on), so a reasoning request wrapped around such an item is stronger
evidence than the same request alone.

Linear by construction, on text an attacker controls (the behaviour tracker passes raw message
content): only the head and tail of a long text are read (``MAX_FRAME_CHARS``), the line-start
patterns cannot reach past the end of a line (``[^\\S\\n]*``, never ``\\s*``, so no line start
rescans the lines after it), and lettered options are found by one scan over the option markers.
"""

from __future__ import annotations

import re

from querysentry.text.normalize import MAX_TEXT_CHARS, head_and_tail

__all__ = ["MAX_FRAME_CHARS", "benchmark_frames"]

# Characters read from a long text, half from each end: the same bound as the text the detector
# scans, so for the detector nothing changes.
MAX_FRAME_CHARS = MAX_TEXT_CHARS
_OPTION_HEADER = re.compile(r"(?im)^[^\S\n]*(?:options|choices|answer choices|possible answers)[^\S\n]*:")
_FIELD_FRAME = re.compile(
    r"(?im)^[^\S\n]*(?:q|a|question|answer|premise|hypothesis|student|teacher|claim|passage|context)[^\S\n]*:"
)
# An option marker "(A)" .. "(E)", or a line break (options are counted within one line).
_OPTION_MARK = re.compile(r"\([^\S\n]*([A-Ea-e])[^\S\n]*\)|\n")
# At most this many characters between an option and a later one of B..E ("(A) 12 (B) 16").
_OPTION_GAP = 200


def benchmark_frames(text: str, *, max_chars: int = MAX_FRAME_CHARS) -> frozenset[str]:
    """Names of the benchmark-item shapes found in ``text`` (empty for ordinary prose).

    O(min(len(text), max_chars)): a longer text is read as its first and last ``max_chars / 2``
    characters, where a filled template puts its item.
    """
    text = head_and_tail(text, max_chars)
    found = set()
    if _OPTION_HEADER.search(text) or _lettered_options(text):
        found.add("answer_options")
    if _FIELD_FRAME.search(text):
        found.add("qa_frame")
    return frozenset(found)


def _lettered_options(text: str) -> bool:
    """An option marker followed on the same line, 1 to ``_OPTION_GAP`` characters later, by one of
    B..E. One pass over the markers: for each B..E marker the nearest earlier marker that ends
    before it is the only candidate worth checking (it gives the smallest gap)."""
    last_end: int | None = None
    before_last_end: int | None = None
    for match in _OPTION_MARK.finditer(text):
        letter = match.group(1)
        if letter is None:  # a new line: no option before it counts
            last_end = before_last_end = None
            continue
        start = match.start()
        if letter in "BCDEbcde":
            # "(A)(B)" leaves no gap, so an adjacent marker defers to the one before it.
            previous = last_end if last_end is not None and last_end < start else before_last_end
            if previous is not None and start - previous <= _OPTION_GAP:
                return True
        before_last_end, last_end = last_end, match.end()
    return False
