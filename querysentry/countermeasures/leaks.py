"""Leaks on the way out: a response that reproduces a secret (the request's system prompt, a
registered text) is cut or redacted while it streams, and reported. Pure except for ``embed``.

What is caught, and how (every way is linear in the output's length):

- **Copies** (kind ``verbatim``), **reordered** sentences (``reordered``) and **letters spaced
  out** or re-punctuated (``spaced``): both sides are reduced to their letters and digits, case
  folded (``"Y o u  a-r-e"`` → ``"youare"``); every window of ``shingle`` (12) of them in the
  secret is stored, and every window of the output is looked up, once, as it streams.
- **Reversed** text and **rot13**: the secret's reversed and rot13 forms are stored too, so the
  same single look-up per output position finds them (kinds ``reversed``, ``rot13``).
- **base64**: runs of 16 or more base64 characters in the output are decoded as they stream, and
  the decoded letters are looked up the same way (kind ``base64``; standard and URL-safe
  alphabets, any alignment of the secret, lines wrapped at multiples of 4).
- **Translations** (kind ``translated``), only when an ``embed(texts) -> np.ndarray`` callable is
  given: each finished output sentence is embedded and compared with the secret's sentences.

A leak is called when the output has matched ``min_leak_chars`` (80) distinct letters/digits of
one secret, in any order, or ``short_secret_share`` (80 %) of a secret shorter than that
(translations count the letters of the secret sentences they match). A secret with fewer than
``shingle`` letters/digits cannot be found and is ignored.

**What escapes before the cut**: the guard holds back the last ``hold_back`` letters/digits of
output (0 by default: nothing is delayed and an answer with no leak goes out unchanged and
undelayed). A copy is cut where its first copied run begins (three windows in a row: a lone
shared word such as "instructions" does not count) if that is still held, else where the held
text begins, so at most ``max(0, min_leak_chars - hold_back)`` letters/digits of a copy (a verbatim,
spaced, reversed or rot13 one; of a reordered one, those of its already-sent sentences) reach the
client, about 100 characters of English with the defaults. ``hold_back = min_leak_chars`` lets none
of a copy out. A base64 copy is measured in decoded letters (4/3 as many characters are sent). A
translation is judged a sentence at a time, when the sentence ends, so the sentences that reach
the threshold escape unless held back. A body that is not streamed is judged whole before it is
sent: nothing escapes.

``action="cut"`` replaces everything from the cut on with ``marker``; ``action="redact"`` replaces
the copied run and goes on (the copy and up to ``shingle`` - 1 letters after it are dropped; any
later run of an already-leaked secret is dropped as soon as it is seen).

Cost: compiling a secret is O(its length) and cached (``compile_secrets``); guarding an output of n
characters is O(n) dictionary look-ups plus two regular-expression passes, with at most
``hold_back`` letters held, ``shingle`` - 1 letters of context and 15 base64 characters carried
between pieces. Not caught: paraphrase, summaries, word-by-word reversal, hex, other ciphers,
and text that differs every few words from the secret.
"""

from __future__ import annotations

import binascii
import codecs
import logging
import math
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np

from querysentry.countermeasures.pieces import PendingPieces

__all__ = [
    "Embed",
    "LeakAction",
    "LeakDetector",
    "LeakEvent",
    "LeakGuard",
    "LeakKind",
    "LeakSettings",
    "SecretIndex",
    "compact_text",
    "compile_secrets",
]

LOG = logging.getLogger("querysentry")

LeakKind = Literal["verbatim", "reordered", "spaced", "reversed", "rot13", "base64", "translated"]
LeakAction = Literal["cut", "redact"]
Embed = Callable[[Sequence[str]], np.ndarray]

_NON_ALNUM = re.compile(r"[\W_]+")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_ROT13 = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZabcdefghijklm"
)
_B64_RUN = re.compile(r"[A-Za-z0-9+/_=-]+")
_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-"
_B64_URLSAFE = str.maketrans("-_", "+/")
_B64_MIN_RUN = 16  # base64 of 12 bytes; English words are shorter, so they are never decoded
_SENTENCE_END = re.compile(r"[.!?。！？]+(?=\s|$)|\n+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?。！？])\s+|\n+")
# A shingle's code: secret index, variant, position in the variant.
_POS_BITS = 22
_VARIANT_BITS = 2
_POSITION_MASK = (1 << _POS_BITS) - 1
_VARIANTS: tuple[LeakKind, ...] = ("verbatim", "reversed", "rot13")
_RUN_WINDOWS = 3  # windows in a row that make a copied run
_SPACED_RATIO = 1.6  # characters per letter/digit above which a copy is "spaced" (English prose: about 1.2)


def compact_text(text: str) -> str:
    """Letters and digits only, case folded: what both sides are compared as. O(len(text))."""
    return _NON_ALNUM.sub("", text).casefold()


def _compact_offsets(text: str) -> list[int]:
    """For each character of ``compact_text(text)``, its index in ``text``. O(len(text))."""
    offsets: list[int] = []
    for run in _ALNUM_RUN.finditer(text):
        base = run.start()
        for k, char in enumerate(run.group()):
            offsets.extend([base + k] * len(char.casefold()))
    return offsets


@dataclass(frozen=True)
class LeakSettings:
    """How leaks are found and what is done with them (see the module docstring for the bounds)."""

    shingle: int = 12
    min_leak_chars: int = 80
    short_secret_share: float = 0.8
    hold_back: int = 0
    action: LeakAction = "cut"
    marker: str = "[redacted]"
    max_secret_chars: int = 16_384
    embed: Embed | None = field(default=None, compare=False)
    similarity: float = 0.8
    min_sentence_chars: int = 20
    max_sentence_chars: int = 600

    def __post_init__(self) -> None:
        if not 6 <= self.shingle <= 64:
            raise ValueError("shingle must be between 6 and 64 letters/digits")
        if self.min_leak_chars < self.shingle:
            raise ValueError("min_leak_chars must be >= shingle")
        if not 0 < self.short_secret_share <= 1:
            raise ValueError("short_secret_share must be in (0, 1]")
        if self.hold_back < 0:
            raise ValueError("hold_back must be >= 0")
        if self.action not in ("cut", "redact"):
            raise ValueError("action must be 'cut' or 'redact'")
        if not 0 < self.max_secret_chars < 1 << _POS_BITS:
            raise ValueError(f"max_secret_chars must be in (0, {1 << _POS_BITS})")
        if not 0 < self.similarity <= 1:
            raise ValueError("similarity must be in (0, 1]")


@dataclass(frozen=True)
class LeakEvent:
    """One leak, reported once per secret and response when it is called.

    ``matched_chars``: letters/digits of the secret found in the output by then; ``escaped_chars``:
    letters/digits of output sent between the start of the copy and the cut (0 when the cut came
    before any of it was sent).
    """

    kind: LeakKind
    secret: int  # index into the secrets given
    matched_chars: int
    escaped_chars: int
    action: LeakAction


@dataclass(frozen=True)
class SecretIndex:
    """Compiled secrets: every ``shingle``-window of each secret's letters/digits, forward,
    reversed and rot13, with where it came from; and the secrets' sentences for translations."""

    shingle: int
    table: dict[str, int]
    thresholds: tuple[int, ...]
    sentences: tuple[tuple[int, str, int], ...]  # (secret, sentence, its letters/digits)

    def __bool__(self) -> bool:
        return bool(self.table)


@lru_cache(maxsize=16)
def compile_secrets(
    secrets: tuple[str, ...], *, shingle: int = 12, min_leak_chars: int = 80, short_secret_share: float = 0.8,
    max_secret_chars: int = 16_384,
) -> SecretIndex:  # fmt: skip
    """The index of ``secrets``; each is cut to ``max_secret_chars`` letters/digits. O(total length):
    about 1 µs and 370 bytes per letter/digit (a 4,000-letter system prompt: 4 ms, 1.5 MB).

    Cached (16 entries, so at most about 100 MB with secrets at the cap) because a deployment's
    system prompts repeat across requests; compiled on a response's first text, not before its
    first byte.
    """
    table: dict[str, int] = {}
    thresholds: list[int] = []
    sentences: list[tuple[int, str, int]] = []
    for number, secret in enumerate(secrets):
        compact = compact_text(secret)[:max_secret_chars]
        size = len(compact)
        thresholds.append(min(min_leak_chars, max(shingle, math.ceil(short_secret_share * size))))
        if size < shingle:
            continue
        for variant, text in enumerate((compact, compact[::-1], compact.translate(_ROT13))):
            prefix = (number << (_POS_BITS + _VARIANT_BITS)) | (variant << _POS_BITS)
            for position in range(size - shingle + 1):
                table.setdefault(text[position : position + shingle], prefix | position)
        for sentence in _SENTENCE_SPLIT.split(secret):
            letters = len(compact_text(sentence))
            if letters >= 8:
                sentences.append((number, sentence.strip(), letters))
    return SecretIndex(shingle, table, tuple(thresholds), tuple(sentences))


class _View:
    """One stream of letters/digits looked up in the index: the output's own, or its decoded base64."""

    __slots__ = ("position", "tail")

    def __init__(self) -> None:
        self.tail = ""  # the last shingle - 1 letters, for windows that span pieces
        self.position = 0  # letters seen

    def scan(self, compact: str, table: dict[str, int], shingle: int) -> list[tuple[int, int]] | None:
        """(start of the window, code) for each window found. O(len(compact))."""
        text = self.tail + compact
        base = self.position - len(self.tail)
        self.position += len(compact)
        self.tail = text[-(shingle - 1) :]
        found: list[tuple[int, int]] | None = None
        get = table.get
        for start in range(len(text) - shingle + 1):
            code = get(text[start : start + shingle])
            if code is not None:
                if found is None:
                    found = []
                found.append((base + start, code))
        return found


@dataclass
class _Secret:
    """What one guard has seen of one secret."""

    seen: set[int] = field(default_factory=set)
    first_raw: int = -1  # where the first copied run began (character offset); -1: none yet
    first_letter: int = -1  # the same in letters/digits of output
    kinds: dict[str, int] = field(default_factory=dict)
    run_code: int = -1  # the last window of the current run of windows
    run_hits: int = 0
    run_raw: int = 0
    run_letter: int = 0
    run_position: int = 0
    last_run_position: int = -1  # where in the secret the last copied run began
    jumps: int = 0  # copied runs that began before the one before them
    raw_chars: int = 0
    letters: int = 0
    translated: int = 0


class LeakDetector:
    """The secrets of one response and what to do with a leak; ``guard()`` makes one
    ``LeakGuard`` per text channel of the response. Reports once per secret (``on_leak``, whose
    exceptions are logged and swallowed)."""

    def __init__(self, secrets: Sequence[str], settings: LeakSettings | None = None, *,
                 on_leak: Callable[[LeakEvent], None] | None = None, hold_back: int | None = None) -> None:  # fmt: skip
        self.settings = settings or LeakSettings()
        self.secrets = tuple(secret for secret in secrets if secret)
        self.hold_back = self.settings.hold_back if hold_back is None else hold_back
        self.on_leak = on_leak
        self.reported: set[int] = set()
        self.events: list[LeakEvent] = []
        self._index: SecretIndex | None = None
        self._vectors: np.ndarray | None = None

    @property
    def index(self) -> SecretIndex:
        if self._index is None:
            s = self.settings
            self._index = compile_secrets(
                self.secrets, shingle=s.shingle, min_leak_chars=s.min_leak_chars,
                short_secret_share=s.short_secret_share, max_secret_chars=s.max_secret_chars,
            )  # fmt: skip
        return self._index

    def guard(self, *, hold_back: int | None = None) -> LeakGuard:
        """A guard for one text channel (``hold_back``: this channel's, instead of the detector's)."""
        return LeakGuard(self, hold_back=hold_back)

    def sentence_vectors(self) -> np.ndarray:
        """The secrets' sentences, embedded once per response (unit rows)."""
        if self._vectors is None:
            embed = self.settings.embed
            texts = [sentence for _, sentence, _ in self.index.sentences]
            if embed is None or not texts:
                self._vectors = np.zeros((0, 1), dtype=np.float32)
            else:
                self._vectors = _unit_rows(np.asarray(embed(texts), dtype=np.float32))
        return self._vectors

    def report(self, event: LeakEvent) -> None:
        self.reported.add(event.secret)
        self.events.append(event)
        if self.on_leak is None:
            return
        try:
            self.on_leak(event)
        except Exception:  # a failing callback must not break the response
            LOG.exception("querysentry on_leak callback failed")


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    if matrix.ndim != 2:
        raise ValueError("embed must return a 2-d array (one row per text)")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


_NORMAL, _REDACTING, _CUT = 0, 1, 2


class LeakGuard:
    """A ``PieceFilter`` that cuts or redacts leaks of its detector's secrets from one text stream."""

    def __init__(self, detector: LeakDetector, *, hold_back: int | None = None) -> None:
        self._detector = detector
        index = detector.index
        self._table = index.table
        self._shingle = index.shingle
        self._settings = detector.settings
        self._hold = detector.hold_back if hold_back is None else hold_back
        self._main = _View()
        self._b64 = _View()
        self._b64_run = ""  # the current base64 run: under 16 characters, or under 4 once decoding
        self._b64_open = False  # the last piece ended inside a run
        self._b64_decoding = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="ignore")
        self._embed = detector.settings.embed if index.sentences else None
        self._sentence: list[str] = []
        self._sentence_size = 0
        self._sentence_start = 0
        self._matched_sentences: set[int] = set()
        self._secrets: dict[int, _Secret] = {}
        self._pending = PendingPieces()
        # Undecided pieces, from ``_start``: (offset, letters before it, letters after it, text).
        self._held: deque[tuple[int, int, int, str]] = deque()
        self._start = 0  # characters decided (sent or dropped)
        self._seen = 0  # characters fed
        self._sent_letters = 0  # letters decided by the time of the last release
        self._state = _NORMAL
        self._quiet = 0  # redacting: letters since the last match
        self._acted: set[int] = set()  # secrets this guard has cut or redacted
        self.modified = False

    # -- PieceFilter ---------------------------------------------------------------------------

    def feed(self, piece: str) -> list[str]:
        if self._state == _CUT:
            return [""]
        if not self._table:
            return [piece]
        compact = compact_text(piece)
        hits = self._main.scan(compact, self._table, self._shingle) if compact else None
        b64 = self._base64(piece)
        sentences = self._sentences(piece) if self._embed is not None else None
        found = hits is not None or b64 is not None or bool(sentences)
        if not found and not self._hold and self._state == _NORMAL and not self._pending:
            # The common case: nothing found, nothing held.
            self._seen += len(piece)
            self._start = self._seen
            self._sent_letters = self._main.position
            return [piece]
        return self._judge(piece, compact, hits, b64, sentences)

    def release(self) -> list[str]:
        self._send_held(self._seen)
        return self._pending.resolve_all()

    def flush(self) -> list[str]:
        if self._state != _CUT and self._embed is not None and self._sentence:
            # The last sentence had no full stop. What was already sent can only be reported.
            ended = self._end_sentence()
            secret = self._to_cut(self._judge_sentences([ended])) if ended is not None else None
            if secret is not None:
                return self._cut(secret, {})
        if self._state != _CUT:
            self._send_held(self._seen)
        return self._pending.resolve_all()

    # -- judging ---------------------------------------------------------------------------------

    def _judge(self, piece: str, compact: str, hits: list[tuple[int, int]] | None,
               b64: list[tuple[int, int]] | None, sentences: list[tuple[str, int]] | None) -> list[str]:  # fmt: skip
        piece_start = self._seen
        piece_letters = self._main.position - len(compact)
        self._pending.add(len(piece))
        self._seen += len(piece)
        self._held.append((piece_start, piece_letters, self._main.position, piece))
        touched: list[int] = []
        now: dict[int, int] = {}  # where each secret is first seen in this piece
        if hits:
            offsets: list[int] | None = None
            for start, code in hits:
                raw = -1  # a window that began in an earlier piece is placed only if it starts a run
                if start >= piece_letters:
                    if offsets is None:
                        offsets = _compact_offsets(piece)
                    raw = piece_start + offsets[start - piece_letters]
                number = self._count(code, raw, start, "main")
                touched.append(number)
                now.setdefault(number, raw if raw >= 0 else piece_start)
            for number in dict.fromkeys(touched):
                state = self._secrets[number]
                state.raw_chars += len(piece)
                state.letters += len(compact)
        if b64:
            for _start, code in b64:
                number = self._count(code, piece_start, piece_letters, "base64")
                touched.append(number)
                now.setdefault(number, piece_start)
        if sentences:
            touched.extend(self._judge_sentences(sentences))
        if self._state == _REDACTING:
            return self._redacting(bool(hits or b64), len(compact))
        secret = self._to_cut(touched)
        if secret is not None:
            return self._cut(secret, now)
        if self._hold:
            self._send_held(self._release_point())
        else:
            self._send_held(self._seen)
        return self._pending.resolve(self._start)

    def _count(self, code: int, raw: int, letter: int, view: str) -> int:
        number = code >> (_POS_BITS + _VARIANT_BITS)
        state = self._secrets.get(number)
        if state is None:
            state = self._secrets[number] = _Secret()
        if code in state.seen:
            return number
        state.seen.add(code)
        variant = (code >> _POS_BITS) & ((1 << _VARIANT_BITS) - 1)
        kind = "base64" if view == "base64" else _VARIANTS[variant]
        state.kinds[kind] = state.kinds.get(kind, 0) + 1
        # Windows in a row (allowing an edit) are a copied run; a lone window is a shared word
        # ("instructions") and says nothing about where a copy starts or its order.
        position = code & _POSITION_MASK
        step = position - (state.run_code & _POSITION_MASK)
        if state.run_hits and code >> _POS_BITS == state.run_code >> _POS_BITS and 0 < step <= self._shingle:
            state.run_hits += 1
        else:
            state.run_hits = 1
            raw = raw if raw >= 0 else self._raw_of_letter(letter)
            state.run_raw, state.run_letter, state.run_position = raw, letter, position
        state.run_code = code
        if state.run_hits == _RUN_WINDOWS:
            if state.first_raw < 0:
                state.first_raw, state.first_letter = state.run_raw, state.run_letter
            if 0 <= state.run_position < state.last_run_position:
                state.jumps += 1
            state.last_run_position = state.run_position
        return number

    def _matched(self, number: int) -> int:
        state = self._secrets[number]
        windows = len(state.seen)
        return max(windows + self._shingle - 1 if windows else 0, state.translated)

    def _to_cut(self, touched: list[int]) -> int | None:
        """The secret whose leak is called now (or, when redacting, that is copied again), if any."""
        thresholds = self._detector.index.thresholds
        for number in dict.fromkeys(touched):
            if number in self._acted:
                if self._settings.action == "redact":
                    return number
                continue
            if self._matched(number) >= thresholds[number]:
                return number
        return None

    def _kind(self, number: int) -> LeakKind:
        state = self._secrets[number]
        if state.translated and state.translated >= len(state.seen) + self._shingle - 1:
            return "translated"
        kind = max(state.kinds, key=lambda k: state.kinds[k]) if state.kinds else "translated"
        if kind != "verbatim":
            return kind  # type: ignore[return-value]
        if state.letters and state.raw_chars / state.letters >= _SPACED_RATIO:
            return "spaced"
        return "reordered" if state.jumps else "verbatim"

    def _cut(self, number: int, now: dict[int, int]) -> list[str]:
        state = self._secrets[number]
        again = number in self._acted
        began, began_letter = (state.first_raw, state.first_letter) if state.first_raw >= 0 else (
            state.run_raw, state.run_letter)  # fmt: skip
        cut_at = max(self._start, now.get(number, self._start) if again else began)
        escaped = max(0, self._sent_letters - began_letter) if cut_at == self._start else 0
        self._acted.add(number)
        if number not in self._detector.reported:
            kind = self._kind(number)
            self._detector.report(LeakEvent(kind, number, self._matched(number), escaped, self._settings.action))
        self.modified = True
        for start, _letters, _end, text in self._held:
            if start < cut_at:
                self._pending.keep(start, text[: cut_at - start])
        self._pending.emit(cut_at, self._settings.marker)
        self._drop_held()
        if self._settings.action == "cut":
            self._state = _CUT
        else:
            self._state = _REDACTING
            self._quiet = 0
        return self._pending.resolve_all()

    def _redacting(self, matched: bool, letters: int) -> list[str]:
        self._quiet = 0 if matched else self._quiet + letters
        if self._quiet < self._shingle:
            self._drop_held()  # still (or perhaps still) inside the copy
            return self._pending.resolve_all()
        self._state = _NORMAL
        self._send_held(self._seen)
        return self._pending.resolve_all()

    # -- holding -------------------------------------------------------------------------------------

    def _raw_of_letter(self, letter: int) -> int:
        """Where the output's ``letter``-th letter/digit is, if still held (else: where the held text
        begins). Searched from the newest piece: windows begin at most ``shingle`` - 1 letters back."""
        for start, letters, end, text in reversed(self._held):
            if letters <= letter < end:
                return start + _compact_offsets(text)[letter - letters]
            if end <= letter:
                break
        return self._start

    def _release_point(self) -> int:
        """The end of the last held piece followed by at least ``hold_back`` letters."""
        point = self._start
        for start, _letters, end, text in self._held:
            if self._main.position - end < self._hold:
                break
            point = start + len(text)
        return point

    def _send_held(self, upto: int) -> None:
        """Send the held pieces that end by ``upto`` (a piece boundary) as they are."""
        held = self._held
        while held and held[0][0] + len(held[0][3]) <= upto:
            start, _letters, end, text = held.popleft()
            self._pending.keep(start, text)
            self._sent_letters = end
        self._start = max(self._start, upto)
        if not held:
            self._start = self._seen
            self._sent_letters = self._main.position

    def _drop_held(self) -> None:
        self._held.clear()
        self._start = self._seen
        self._sent_letters = self._main.position

    # -- base64 --------------------------------------------------------------------------------------

    def _base64(self, piece: str) -> list[tuple[int, int]] | None:
        """Decode base64 runs as they stream and look the decoded letters up. O(len(piece))."""
        if not piece:
            return None
        if not self._b64_decoding and len(self._b64_run) + len(piece) < _B64_MIN_RUN:
            # Too short to finish a 16-character run: only remember the run it ends with.
            rest = piece.rstrip(_B64_ALPHABET)
            if not rest and self._b64_open:
                self._b64_run += piece
            else:
                self._b64_run = piece[len(rest) :]
            self._b64_open = len(rest) < len(piece)
            return None
        found: list[tuple[int, int]] | None = None
        size = len(piece)
        for run in _B64_RUN.finditer(piece):
            start, end = run.span()
            continues = start == 0 and self._b64_open
            if not continues:
                self._end_run()
            if end < size and not self._b64_decoding and len(self._b64_run) + end - start < _B64_MIN_RUN:
                self._b64_run = ""  # a short run that ends here: an ordinary word
                continue
            hits = self._add_run(run.group())
            if hits:
                found = (found or []) + hits
            if end < size:
                self._end_run()
        self._b64_open = size > 0 and _B64_RUN.match(piece, size - 1) is not None
        if not self._b64_open:
            self._end_run()
        return found

    def _add_run(self, chars: str) -> list[tuple[int, int]] | None:
        run = self._b64_run + chars
        if not self._b64_decoding and len(run) < _B64_MIN_RUN:
            self._b64_run = run
            return None
        self._b64_decoding = True
        found: list[tuple[int, int]] | None = None
        while run:
            padding = run.find("=")
            body = run if padding == -1 else run[:padding]
            usable = len(body) // 4 * 4 if padding == -1 else len(body)
            if usable:
                hits = self._decode(body[:usable])
                if hits:
                    found = (found or []) + hits
            if padding == -1:
                self._b64_run = body[usable:]
                return found
            # Padding ends this encoded text; what follows it starts a new one.
            rest = run[padding:].lstrip("=")
            self._end_run()
            if len(rest) < _B64_MIN_RUN:
                self._b64_run = rest
                return found
            self._b64_decoding = True
            run = rest
        self._b64_run = ""
        return found

    def _decode(self, chars: str) -> list[tuple[int, int]] | None:
        chars = chars.translate(_B64_URLSAFE)
        chars += "=" * (-len(chars) % 4)
        try:
            data = binascii.a2b_base64(chars)
        except (binascii.Error, ValueError):
            return None
        compact = compact_text(self._utf8.decode(data))
        return self._b64.scan(compact, self._table, self._shingle) if compact else None

    def _end_run(self) -> None:
        self._b64_run = ""
        self._b64_decoding = False
        self._utf8.reset()

    # -- translations --------------------------------------------------------------------------

    def _sentences(self, piece: str) -> list[tuple[str, int]]:
        """Sentences that end in ``piece`` (with where each began), bounded in length."""
        ended: list[tuple[str, int]] = []
        position = 0
        for end in _SENTENCE_END.finditer(piece):
            self._sentence.append(piece[position : end.end()])
            position = end.end()
            sentence = self._end_sentence()
            if sentence is not None:
                ended.append(sentence)
            self._sentence_start = self._seen + position
        rest = piece[position:]
        if rest:
            self._sentence.append(rest)
            self._sentence_size += len(rest)
            if self._sentence_size >= self._settings.max_sentence_chars:
                sentence = self._end_sentence()
                if sentence is not None:
                    ended.append(sentence)
                self._sentence_start = self._seen + len(piece)
        return ended

    def _end_sentence(self) -> tuple[str, int] | None:
        text = "".join(self._sentence)
        self._sentence.clear()
        self._sentence_size = 0
        if len(compact_text(text)) < self._settings.min_sentence_chars:
            return None
        return text.strip(), self._sentence_start

    def _judge_sentences(self, sentences: list[tuple[str, int]]) -> list[int]:
        embed = self._embed
        assert embed is not None
        bank = self._detector.sentence_vectors()
        if not len(bank):
            return []
        vectors = _unit_rows(np.asarray(embed([text for text, _ in sentences]), dtype=np.float32))
        similarity = vectors @ bank.T
        touched: list[int] = []
        index = self._detector.index
        for row, (_text, start) in enumerate(sentences):
            best = int(np.argmax(similarity[row]))
            if similarity[row, best] < self._settings.similarity or best in self._matched_sentences:
                continue
            self._matched_sentences.add(best)
            number, _sentence, letters = index.sentences[best]
            state = self._secrets.get(number)
            if state is None:
                state = self._secrets[number] = _Secret()
            state.translated += letters
            if state.first_raw < 0:
                state.first_raw, state.first_letter = start, self._main.position
            touched.append(number)
        return touched
