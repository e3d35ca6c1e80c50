"""Canary marks: a deterministic per-client mark in answers to flagged clients, and the check that
says which client a suspect text was marked for. Pure. Off unless a plan carries a ``CanaryConfig``.

The mark is 48 bits of HMAC-SHA256(deployment key, client id): the same client always gets the
same mark, and nobody without the key can tell marks apart or forge one. Two carriers:

- **Invisible characters** (``zero_width``): after a sentence end in prose (never inside code), the
  48 bits as 24 characters from U+200B, U+200C, U+200D, U+2060, two bits each, inserted after the
  first sentence and then after the first sentence end every ``every`` (400) characters.
- **Phrasing** (``phrasing``): where the answer uses one word of a near-synonym pair ("often" /
  "frequently", "usually" / "typically", ...), the word is set to the one a bit of the mark picks,
  the bit chosen by the word before it. One use carries one bit; a check needs many.

What survives (each claim is a test in ``tests/countermeasures/test_canary.py``):

==========================================  ==============  =====================================
transformation                              invisible marks  phrasing
==========================================  ==============  =====================================
copy-paste of the text, or of a fragment    yes (a fragment  yes, given enough pair words
holding one mark                            with one mark)   (about 10 for a confident answer)
Unicode NFC / NFKC, whitespace reflow       yes              yes
lower-casing, WordPiece (BERT-style)        no (stripped)    yes
retokenisation and decoding
byte-level BPE retokenisation               yes              yes
stripping invisible characters (as          no               yes
``querysentry.text.normalize`` does)
paraphrase, translation, summary            no               no (the words are rewritten)
a distiller who has read this module        no               no (both carriers can be removed)
==========================================  ==============  =====================================

A student model trained on marked answers is not expected to reproduce either carrier verbatim;
the phrasing choices are a weak statistical bias at best. The marks identify the client an
answer was served to when that answer (or a fragment) is found as text, nothing more.

Cost: marking is O(length) with at most one word plus a few characters held between pieces;
``canary_check`` is O(length + candidates × observations).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from querysentry.countermeasures.pieces import PendingPieces

__all__ = [
    "MARK_BITS",
    "PHRASE_PAIRS",
    "ZERO_WIDTH_SYMBOLS",
    "CanaryConfig",
    "CanaryMarker",
    "canary_check",
    "canary_mark",
    "extract_payloads",
]

MARK_BITS = 48
ZERO_WIDTH_SYMBOLS = ("\u200b", "\u200c", "\u200d", "\u2060")  # 2 bits each; NFKC leaves them alone
_SYMBOL_VALUE = {symbol: value for value, symbol in enumerate(ZERO_WIDTH_SYMBOLS)}
_PAYLOAD_SYMBOLS = MARK_BITS // 2
_PAYLOAD_RUN = re.compile(f"[{''.join(ZERO_WIDTH_SYMBOLS)}]{{{_PAYLOAD_SYMBOLS},}}")
# Adverbs that can stand for each other in either direction in ordinary prose.
PHRASE_PAIRS: tuple[tuple[str, str], ...] = (
    ("often", "frequently"),
    ("usually", "typically"),
    ("perhaps", "maybe"),
    ("quickly", "rapidly"),
    ("nearly", "almost"),
    ("roughly", "approximately"),
    ("entirely", "completely"),
    ("furthermore", "additionally"),
)
_PAIR_OF = {word: (number, side) for number, pair in enumerate(PHRASE_PAIRS) for side, word in enumerate(pair)}
_TOKEN = re.compile(r"```|`|[A-Za-z]+|[.!?]+(?=\s)")
_TRAILING = re.compile(r"(?:[A-Za-z]+|`+|[.!?]+)\Z")
_DOMAIN = b"querysentry-canary-v1\x00"
_MAX_OBSERVATIONS = 4096


def canary_mark(key: bytes | str, client: str) -> int:
    """The client's 48-bit mark: the first 6 bytes of HMAC-SHA256(key, client)."""
    secret = key.encode("utf-8") if isinstance(key, str) else key
    digest = hmac.new(secret, _DOMAIN + client.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[: MARK_BITS // 8], "big")


def _payload(mark: int) -> str:
    return "".join(ZERO_WIDTH_SYMBOLS[(mark >> (2 * k)) & 3] for k in range(_PAYLOAD_SYMBOLS))


def _bit_index(pair: int, previous: str) -> int:
    return zlib.crc32(f"{pair}:{previous}".encode()) % MARK_BITS


def _with_case(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word.capitalize() if like[0].isupper() else word


@dataclass(frozen=True)
class CanaryConfig:
    """Marks for one client: ``key`` is the deployment's secret (keep it out of the repository)."""

    key: bytes = field(repr=False)
    client: str = ""
    zero_width: bool = True
    phrasing: bool = True
    every: int = 400

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a canary key is needed")
        if self.every < 1:
            raise ValueError("every must be >= 1")

    @property
    def mark(self) -> int:
        return canary_mark(self.key, self.client)


class CanaryMarker:
    """A ``PieceFilter`` that puts a client's mark into answer text as it streams."""

    def __init__(self, config: CanaryConfig) -> None:
        self._config = config
        self._mark = config.mark
        self._payload = _payload(self._mark)
        self._pending = PendingPieces()
        self._buffer = ""
        self._start = 0
        self._fence = False
        self._inline = False
        self._since: int | None = None  # prose characters since the last mark; None: none yet
        self._previous = ""
        self.marks = 0
        self.swaps = 0

    def feed(self, piece: str) -> list[str]:
        self._pending.add(len(piece))
        self._buffer += piece
        self._scan(final=False)
        return self._pending.resolve(self._start)

    def release(self) -> list[str]:
        self._scan(final=True)
        return self._pending.resolve_all()

    def flush(self) -> list[str]:
        return self.release()

    def _scan(self, *, final: bool) -> None:
        text = self._buffer
        limit = len(text)
        if not final:
            trailing = _TRAILING.search(text)
            if trailing is not None:
                limit = trailing.start()
        position = 0
        emit = self._pending.emit
        for token in _TOKEN.finditer(text, 0, limit):
            begin, end = token.span()
            self._prose(text[position:begin], self._start + position)
            word = token.group()
            if word == "```":
                self._fence = not self._fence
                self._pending.keep(self._start + begin, word)
            elif word == "`":
                if not self._fence:
                    self._inline = not self._inline
                self._pending.keep(self._start + begin, word)
            elif word[0].isalpha():
                chosen = self._word(word)
                if chosen == word:
                    self._pending.keep(self._start + begin, word)
                else:
                    emit(self._start + begin, chosen)
            else:
                self._prose(word, self._start + begin)
                if (
                    not (self._fence or self._inline)
                    and self._config.zero_width
                    and (self._since is None or self._since >= self._config.every)
                ):
                    emit(self._start + end - 1, self._payload)
                    self._since = 0
                    self.marks += 1
            position = end
        self._prose(text[position:limit], self._start + position)
        self._start += limit
        self._buffer = text[limit:]

    def _prose(self, text: str, at: int) -> None:
        if not text:
            return
        if self._since is not None and not (self._fence or self._inline):
            self._since += len(text)
        self._pending.keep(at, text)

    def _word(self, word: str) -> str:
        if self._fence or self._inline:
            return word
        lower = word.lower()
        found = _PAIR_OF.get(lower) if self._config.phrasing else None
        if found is not None:
            pair, _side = found
            bit = (self._mark >> _bit_index(pair, self._previous)) & 1
            chosen = PHRASE_PAIRS[pair][bit]
            if chosen != lower:
                word = _with_case(chosen, word)
                self.swaps += 1
            lower = chosen
        if self._since is not None:
            self._since += len(word)
        self._previous = lower
        return word


def extract_payloads(text: str) -> list[int]:
    """The 48-bit values carried by runs of the invisible mark characters in ``text``. O(len(text))."""
    values: list[int] = []
    for run in _PAYLOAD_RUN.finditer(text):
        symbols = run.group()
        for start in range(0, len(symbols) - _PAYLOAD_SYMBOLS + 1, _PAYLOAD_SYMBOLS):
            value = 0
            for k, symbol in enumerate(symbols[start : start + _PAYLOAD_SYMBOLS]):
                value |= _SYMBOL_VALUE[symbol] << (2 * k)
            values.append(value)
    return values


def _phrasing(text: str) -> list[tuple[int, int, int]]:
    """(pair, side used, bit index) for each pair word in the prose of ``text``, as the marker saw them."""
    observations: list[tuple[int, int, int]] = []
    fence = inline = False
    previous = ""
    for token in _TOKEN.finditer(text):
        word = token.group()
        if word == "```":
            fence = not fence
        elif word == "`":
            inline = inline if fence else not inline
        elif word[0].isalpha() and not (fence or inline):
            lower = word.lower()
            found = _PAIR_OF.get(lower)
            if found is not None and len(observations) < _MAX_OBSERVATIONS:
                observations.append((found[0], found[1], _bit_index(found[0], previous)))
            previous = lower
    return observations


def _bits(observations: list[tuple[int, int, int]]) -> dict[int, int]:
    """The mark bit each observation reads, one vote per bit: uses of the same bit are the same
    evidence, not more of it, and a bit read both ways is no evidence."""
    bits: dict[int, int] = {}
    conflicting: set[int] = set()
    for _pair, side, bit in observations:
        if bits.setdefault(bit, side) != side:
            conflicting.add(bit)
    for bit in conflicting:
        del bits[bit]
    return bits


def _tail(trials: int, agreements: int) -> float:
    """P(at least ``agreements`` of ``trials`` fair coin flips come up heads)."""
    if trials == 0:
        return 1.0
    return float(sum(math.comb(trials, k) for k in range(agreements, trials + 1)) / 2**trials)


def canary_check(text: str, key: bytes | str, candidates: Iterable[str]) -> list[tuple[str, float]]:
    """Which of ``candidates`` (client ids) ``text`` was marked for: (client, confidence), best first.

    Confidence is 1 - p × len(candidates), floored at 0, where p is the chance that text marked
    for nobody (or for another client) agrees with this client's mark as well as ``text`` does:
    the best invisible payload's agreeing bits, or the phrasing choices' (one vote per mark bit
    read; the smaller p, doubled when both carriers are present). A whole invisible payload gives
    about 1.0; ten agreeing bits from phrasing about 1 - 0.002 × candidates. Unmarked text scores
    about 0 for everyone.
    """
    clients = list(dict.fromkeys(candidates))
    payloads = extract_payloads(text)
    bits = _bits(_phrasing(text))
    scored: list[tuple[str, float]] = []
    for client in clients:
        mark = canary_mark(key, client)
        tests: list[float] = []
        if payloads:
            best = min(_tail(MARK_BITS, MARK_BITS - (mark ^ value).bit_count()) for value in payloads)
            tests.append(min(1.0, best * len(payloads)))
        if bits:
            agree = sum(1 for bit, side in bits.items() if side == (mark >> bit) & 1)
            tests.append(_tail(len(bits), agree))
        p = min(1.0, min(tests) * len(tests)) if tests else 1.0
        scored.append((client, max(0.0, 1.0 - p * len(clients))))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored
