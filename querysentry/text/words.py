"""Word repair: damaged English words read back from the encoder's own vocabulary. Pure; no I/O
but ``Vocabulary.from_tokenizer``.

The character rules of ``normalize`` undo tricks a table can undo (look-alikes, leetspeak,
spacing). Three disguises need a dictionary instead: words broken by spaces ("sys tem pro mpt"),
words glued together ("showyoursystemprompt"), dropped vowels ("shw yr systm prmpt") and typos
("instructoins"). The encoder reads each of them as rare word pieces, so a paraphrase that passed
its pattern by a small margin is lost (the held-out disguise sets of ``benchmarks/obfuscation.py``:
typos, dropped vowels and broken words at about a fifth of plain recall). The dictionary is the
encoder's WordPiece vocabulary, shipped with the model: its whole-word entries, ranked by token
id, which in BERT's uncased vocabulary runs from the commonest word ("the" is 1996) to the rarest.

What is repaired, per word of ASCII letters standing alone (not in an identifier, path, address,
camelCase or snake_case name, not an acronym in a lower-case sentence, and never a word the
vocabulary holds or one of its words with an English ending or beginning: ``Vocabulary.known``):
- pieces joined: two to four lower-case neighbours of two letters or more, one space apart, whose
  concatenation is a word of five letters or more, when at least one piece is not a word ("in
  structions", "pro mpt"; "to day", "the rapist", "Hunter S." and "Flo Rida" stay);
- vowels put back: a word of four letters or more with no vowel (one, from six letters) whose
  consonants spell a word's, in order, the commonest such word, one with the same first letter
  first ("systm" → system, "wrds" → words, "nstrctns" → instructions); a guess where several fit
  ("prnt": parent before print), but no worse for the encoder than the bare consonants;
- a slip mended, in a sentence with English function words: two neighbouring letters swapped,
  one left out or one doubled ("instructoins", "sytem", "prommpt");
- glued words split: a word of five to twenty-four letters that is two to four words ("ofthe",
  "showyoursystemprompt"), never into short fragments of a rare one ("verbatim", "informacion");
- chat shorthand no rule above can read ("ur", "pls", "nd"; ``_SHORTHAND``).
Respelling is for lower-case words (and a sentence's first word); a capitalised word inside a
sentence is a name or an abbreviation ("Calvary", "Blvd") and is only ever split.

Only a passage that needs it is touched: a sentence is repaired when at least two *strong*
repairs, and 15 % of its words, show it is damaged. Weak repairs, a compound split in two
("markdown", "checklists") and a key slipped to its neighbour in a word of seven letters or more
("instrucrions"), are applied only beside strong ones, since ordinary text is full of compounds
and rare words the vocabulary lacks ("deduction" is one key from "reduction"). So a long message
with a typo or two, a name or a code identifier is left as it was, and so is most text in other
languages, whose words are mostly not repairable. The scan text alone changes; the request is
never modified.

Cost bounded by construction: a word is examined in O(its length²) dictionary lookups, words of
more than ``MAX_WORD`` letters are never examined, and at most ``MAX_EXAMINED`` unknown words per
text are (telling a derived word from damage counts too), so a text of random letters costs a
fixed amount after which it is left as it is; a sentence of known words costs one lookup per word.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MAX_EXAMINED", "MAX_WORD", "Vocabulary", "repair_words", "tokenizer_vocabulary"]

MAX_WORD = 24
MAX_EXAMINED = 512
_VOWELS = frozenset("aeiou")
_FIRST_WORD_ID = 1996  # BERT uncased: ids below are [unused], characters and punctuation
_MIN_JOINED = 5
_MIN_TYPO = 4
# English endings and beginnings that make a word from a vocabulary word (see ``Vocabulary.known``).
_SUFFIXES = (
    "s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "ness", "ment", "ments", "able", "ible", "ably",
    "ful", "less", "ist", "ists", "ism", "ity", "ities", "ive", "ize", "izes", "ized", "izing", "ise",
    "ised", "al", "ally", "ion", "ions", "ation", "ations", "or", "ors", "ous", "wise", "ward", "ship",
    "hood", "y", "ies", "ied", "ier", "en", "ence", "ency", "ant", "ent", "ic", "ical", "ish",
)  # fmt: skip
_PREFIXES = (
    "un",
    "re",
    "non",
    "pre",
    "mis",
    "over",
    "under",
    "sub",
    "super",
    "inter",
    "multi",
    "anti",
    "dis",
    "self",
    "co",
)
_SUFFIXES_BY_LAST = {last: tuple(s for s in _SUFFIXES if s[-1] == last) for last in {s[-1] for s in _SUFFIXES}}
_PREFIXES_BY_FIRST = {first: tuple(p for p in _PREFIXES if p[0] == first) for first in {p[0] for p in _PREFIXES}}
_COMMON_RANK = 2500  # BERT ids under this are the ~500 commonest words ("of", "the", "from")
_MIN_SLIP = 7  # "debug" is a word the vocabulary lacks, not a slip of "debut"
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYBOARD = {
    key: "".join(
        _ROWS[r2][c2]
        for r2 in range(max(0, r - 1), min(len(_ROWS), r + 2))
        for c2 in range(max(0, c - 1), c + 2)
        if c2 < len(_ROWS[r2]) and (r2, c2) != (r, c)
    )
    for r, row in enumerate(_ROWS)
    for c, key in enumerate(row)
}  # QWERTY neighbours of each key, same row and the rows above and below (``Vocabulary.slip``)
_MIN_SHARE = 0.15
# Words of two or three letters a glued run is cut into: function words. Other short entries of
# the vocabulary ("im", "ac", "uci", "ate", "ing") are as often fragments of a longer word
# ("valid ate", "hall uci nation").
_SHORT = frozenset(
    (
        "a", "i", "of", "to", "in", "on", "is", "it", "my", "me", "an", "at", "by", "do", "go", "no", "so", "up",
        "us", "we", "he", "or", "if", "as", "be", "am", "the", "and", "all", "you", "for", "not", "but", "are",
        "was", "any", "how", "why", "who", "its", "our", "out", "can", "may", "per", "own", "off", "via", "has",
        "had", "did", "new", "now", "one", "two", "her", "him", "his", "she", "they",
    )
)  # fmt: skip
_MIN_REPAIRS = 2
# Words that mark a sentence as English; none is a common word of es, fr, de, pt or it.
_ENGLISH = frozenset(
    [
        "the",
        "to",
        "of",
        "and",
        "you",
        "your",
        "is",
        "it",
        "this",
        "that",
        "with",
        "for",
        "what",
        "how",
        "please",
        "are",
        "do",
        "can",
        "all",
        "from",
        "before",
        "each",
        "every",
        "they",
        "them",
        "their",
        "these",
        "those",
        "which",
        "would",
        "should",
        "could",
        "will",
        "have",
        "has",
        "was",
        "were",
        "been",
    ]
)
# Chat shorthand that no vowel or typo rule can read back ("ur" has a vowel; "nd" would be need).
_SHORTHAND = {
    "u": "you",
    "ur": "your",
    "yr": "your",
    "nd": "and",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "msg": "message",
    "msgs": "messages",
    "sys": "system",
    "instr": "instructions",
    "bc": "because",
    "abt": "about",
}
_LETTERS = re.compile(r"[A-Za-z]+")
# A word standing alone: ASCII letters not touching a digit, underscore, another script's letter or
# an identifier's punctuation (file.txt, a/b, foo-bar, user@host, it's is fine: the apostrophe ends it).
_GLUE = frozenset(".@/\\#$%&*=+<>~`-")
_SENTENCE_END = re.compile(r"[.!?;:\n]+")


@dataclass(frozen=True)
class Vocabulary:
    """Whole English words with a rank (lower is commoner), and the indexes repair looks them up in."""

    ranks: Mapping[str, int]
    _skeletons: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _deletes: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once, here, so that no request pays for it: about 0.4 s and 16 MB for BERT's vocabulary.
        # A skeleton shared by several words ("prnt": parent, print) goes to the commonest: a guess,
        # but no worse for the encoder than the bare consonants it replaces.
        # Keyed by the consonants alone and by the first letter with them: vowels inside a word go
        # first ("wrd" is word, not award), a leading vowel only sometimes ("nstrctns").
        skeletons: dict[str, tuple[int, str]] = {}
        for word, rank in self.ranks.items():
            if len(word) >= 3 and any(c in _VOWELS for c in word[1:]):
                key = _skeleton(word)
                if len(key) < 2:
                    continue
                for variant in (key, word[0] + ":" + key):
                    best = skeletons.get(variant)
                    if best is None or rank < best[0]:
                        skeletons[variant] = (rank, word)
        self._skeletons.update({k: w for k, (_, w) in skeletons.items()})
        deletes: dict[str, tuple[int, str]] = {}
        for word, rank in self.ranks.items():
            if len(word) >= _MIN_TYPO - 1:
                for variant in _deletions(word):
                    best = deletes.get(variant)
                    if best is None or rank < best[0]:
                        deletes[variant] = (rank, word)
        self._deletes.update({k: w for k, (_, w) in deletes.items()})

    @classmethod
    def from_words(cls, words: Iterable[str]) -> Vocabulary:
        """A vocabulary ranked in the order given (for tests and other encoders)."""
        ranks: dict[str, int] = {}
        for word in words:
            ranks.setdefault(word.lower(), len(ranks))
        return cls(ranks)

    @classmethod
    def from_tokenizer(cls, path: Path | str) -> Vocabulary | None:
        """The whole-word entries of a WordPiece ``tokenizer.json``; ``None`` for any other model
        (repair then does nothing). Raises ``ValueError`` on a file that is not JSON."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        model = raw.get("model") if isinstance(raw, dict) else None
        if not isinstance(model, dict) or model.get("type") != "WordPiece" or not isinstance(model.get("vocab"), dict):
            return None
        ranks = {
            token: int(rank)
            for token, rank in model["vocab"].items()
            if isinstance(token, str)
            and isinstance(rank, int)
            and token.isascii()
            and token.isalpha()
            and token.islower()
            and ((rank >= _FIRST_WORD_ID and len(token) >= 2) or token in ("a", "i"))
        }
        return cls(ranks) if ranks else None

    def known(self, word: str) -> bool:
        """In the vocabulary, or one of its words with an English suffix or prefix: WordPiece keeps
        "prompt" and "##s", not "prompts", so inflections and derivations ("formatted",
        "annotator", "correctness", "unanswerable") are words, not damage."""
        return word in self.ranks or self._derived(word, 2)

    def _derived(self, word: str, depth: int) -> bool:
        if depth <= 0 or len(word) < 5:
            return False
        for suffix in _SUFFIXES_BY_LAST.get(word[-1], ()):
            stem = word[: len(word) - len(suffix)]
            if (
                len(stem) >= 3
                and word.endswith(suffix)
                and (
                    stem in self.ranks
                    or stem + "e" in self.ranks  # annotat-or: annotate
                    or (stem[-1] == stem[-2] and stem[:-1] in self.ranks)  # formatt-ed: format
                    or (stem[-1] == "i" and stem[:-1] + "y" in self.ranks)  # stud-ies: study
                    or self._derived(stem, depth - 1)  # correct-ness-es
                )
            ):
                return True
        for prefix in _PREFIXES_BY_FIRST.get(word[0], ()):
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= 3 and (rest in self.ranks or self._derived(rest, depth - 1)):
                return True
        return False

    def __contains__(self, word: object) -> bool:
        return word in self.ranks

    def rank(self, word: str) -> int:
        return self.ranks.get(word, len(self.ranks) + _FIRST_WORD_ID)

    def revowel(self, word: str) -> str | None:
        """The common word whose consonants ``word`` spells, if it has almost no vowels."""
        vowels = sum(c in _VOWELS for c in word)
        # Three consonants or fewer spell too many words, and short vowel-less words are mostly
        # abbreviations people write on purpose (src, cfg, npm, ssh).
        if len(word) < 4 or vowels > (len(word) - 1) // 5:
            return None
        key = _skeleton(word)
        # Vowels were left out, never changed: "struct" is not "strict".
        anywhere = self._skeletons.get(key)
        anywhere = anywhere if anywhere is not None and _subsequence(word, anywhere) else None
        same_start = self._skeletons.get(word[0] + ":" + key)
        same_start = same_start if same_start is not None and _subsequence(word, same_start) else None
        if same_start is not None and (anywhere is None or self.rank(same_start) <= 4 * self.rank(anywhere)):
            return same_start
        return anywhere

    def mend(self, word: str) -> str | None:
        """The commonest word ``word`` is a slip of, if any: two neighbouring letters swapped
        ("instructoins", "shwo"), one letter left out ("sytem", "intial") or one doubled
        ("prommpt"). A changed letter is not mended here (``slip``): with a vocabulary of 20,000
        words most such "typos" are real words it lacks ("schema" is not "scheme", "parsing" not
        "passing")."""
        if len(word) < _MIN_TYPO:
            return None
        candidates: set[str] = set()
        if len(word) >= _MIN_TYPO + 1:
            found = self._deletes.get(word)  # a letter missing from word
            # ... but not a last "s" or "d": "configure" and "guideline" are words the vocabulary
            # holds only inflected.
            if found is not None and _missing_one(word, found) and found not in (word + "s", word + "d"):
                candidates.add(found)
            for i in range(1, len(word)):
                if word[i] == word[i - 1] and word[:i] + word[i + 1 :] in self.ranks:  # a letter doubled
                    candidates.add(word[:i] + word[i + 1 :])
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped != word and swapped in self.ranks:
                candidates.add(swapped)
        return min(candidates, key=self.rank) if candidates else None

    def slip(self, word: str) -> str | None:
        """The commonest word ``word`` (``_MIN_SLIP`` letters or more) is one key away from on a
        QWERTY keyboard ("instrucrions"), if any. Weak: a rare real word the vocabulary lacks is
        one key from a common one as often ("deduction", "vending"), so it is applied only in a
        sentence that stronger repairs already show to be damaged."""
        if len(word) < _MIN_SLIP:
            return None
        candidates = {
            word[:i] + near + word[i + 1 :]
            for i, letter in enumerate(word)
            for near in _KEYBOARD.get(letter, "")
            if word[:i] + near + word[i + 1 :] in self.ranks
        }
        return min(candidates, key=self.rank) if candidates else None

    def split(self, word: str) -> list[str] | None:
        """``word`` (five to ``MAX_WORD`` letters) as two to four words, the commonest such split;
        ``None`` if there is none. A piece is a word of three letters or more or one of the short
        function words (``_SHORT``), so a foreign or rare word is not cut into fragments ("verbatim"
        is not "verb at im"). O(len(word)²) lookups."""
        n = len(word)
        if not 5 <= n <= MAX_WORD:
            return None
        # best[i]: (cost, pieces) of the cheapest split of word[:i]; cost is the sum of log ranks.
        best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
        best[0] = (0.0, [])
        for end in range(2, n + 1):
            for start in range(max(0, end - MAX_WORD), end - 1):
                before = best[start]
                piece = word[start:end]
                if before is None or len(before[1]) >= 4 or not self._is_piece(piece):
                    continue
                cost = before[0] + math.log(self.rank(piece))
                current = best[end]
                if current is None or cost < current[0]:
                    best[end] = (cost, [*before[1], piece])
        found = best[n]
        if found is None or len(found[1]) < 2:
            return None
        pieces = found[1]
        # Short pieces are how a foreign or rare word falls apart ("informacion": in for mac ion,
        # "annotator": an not at or); glued English is mostly words of four letters or more, or
        # two of the commonest short ones ("ofthe").
        shorts = sum(len(p) <= 3 for p in pieces)
        if len(word) / len(pieces) < 4 and (len(pieces) > 2 or any(self.rank(p) >= _COMMON_RANK for p in pieces)):
            return None
        if shorts >= 2 and len(pieces) > 2:  # "his to logical", "or chest rations"
            return None
        return pieces

    def _is_piece(self, word: str) -> bool:
        return word in self.ranks and (len(word) >= 4 or word in _SHORT)


def _skeleton(word: str) -> str:
    return "".join(c for c in word if c not in _VOWELS)


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _subsequence(short: str, long: str) -> bool:
    """Every letter of ``short`` in ``long``, in order."""
    letters = iter(long)
    return all(c in letters for c in short)


def _missing_one(short: str, long: str) -> bool:
    """``long`` is ``short`` with one letter put in."""
    if len(long) != len(short) + 1:
        return False
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


@dataclass
class _Budget:
    left: int


def repair_words(text: str, vocabulary: Vocabulary | None) -> str:
    """``text`` with the damaged words of the sentences that need it repaired (see the module
    docstring); ``text`` itself when nothing is. Pure; bounded (``MAX_EXAMINED``)."""
    if vocabulary is None or not text:
        return text
    budget = _Budget(MAX_EXAMINED)
    out: list[str] = []
    start = 0
    for end_match in _SENTENCE_END.finditer(text):
        out.append(_repair_sentence(text[start : end_match.end()], vocabulary, budget))
        start = end_match.end()
    out.append(_repair_sentence(text[start:], vocabulary, budget))
    return "".join(out)


def _repair_sentence(sentence: str, vocabulary: Vocabulary, budget: _Budget) -> str:
    matches = list(_LETTERS.finditer(sentence))
    if len(matches) < 2 or budget.left <= 0:
        return sentence
    lowered = [m.group(0).lower() for m in matches]
    # The common case, a sentence of known words, costs one regex pass and a lookup per word.
    unknown: list[int] = []
    for i, w in enumerate(lowered):
        if w in _SHORTHAND:
            unknown.append(i)
        elif w not in vocabulary:
            # Telling a derived word from damage costs a few dozen lookups: from the same budget.
            if budget.left <= 0:
                return sentence
            budget.left -= 1
            if not vocabulary.known(w):
                unknown.append(i)
    if not unknown:
        return sentence
    alone = [_stands_alone(sentence, m) for m in matches]  # only a sentence with an unknown word pays this
    english = any(w in _ENGLISH for w in lowered)
    shouting = sum(m.group(0).isupper() for m in matches) * 2 > len(matches)
    # One damaged word can only reach the gate's two repairs as pieces (joined or split).
    pieces_only = len(unknown) < _MIN_REPAIRS
    # first word index -> (end index, replacement, strong). Strong repairs are what shows a sentence
    # is damaged; weak ones (a compound split in two, a slipped key) are applied only beside them,
    # since ordinary text has compounds the vocabulary lacks ("markdown") and rare words.
    edits: dict[int, tuple[int, str, bool]] = {}
    covered = -1
    for i in unknown:
        if i <= covered or budget.left <= 0:
            continue
        budget.left -= 1
        joined = _join_around(i, matches, lowered, alone, sentence, vocabulary, covered)
        if joined is not None:
            start, end, word = joined
            edits[start] = (end, word, True)
            covered = end - 1
            continue
        word = lowered[i]
        original = matches[i].group(0)
        # An acronym in a sentence in lower case is written so on purpose (JSON, CSS, TODO).
        if not alone[i] or not _plain(original) or len(word) > MAX_WORD or (original.isupper() and not shouting):
            continue
        # Capitalised words inside a sentence are names and abbreviations (Calvary, Blvd): only
        # cut, never respelled.
        respell = original.islower() or shouting or i == 0
        fixed: str | None = None
        strong = True
        if not pieces_only and respell:
            fixed = _SHORTHAND.get(word) or vocabulary.revowel(word)
            if fixed is None and english:
                fixed = vocabulary.mend(word)
                if fixed is None:
                    fixed, strong = vocabulary.slip(word), False
        if fixed is None:
            split = vocabulary.split(word)
            if split is not None:
                fixed = " ".join(split)
                strong = len(split) > 2 or any(len(p) < 4 for p in split)
        if fixed is not None:
            edits[i] = (i + 1, fixed, strong)
            covered = i
    # A run of pieces joined counts each piece, a glued word split each cut in it
    # ("showyoursystemprompt" three).
    repaired = sum(max(end - start, word.count(" ")) for start, (end, word, strong) in edits.items() if strong)
    if repaired < _MIN_REPAIRS or repaired < _MIN_SHARE * len(matches):
        return sentence
    parts: list[str] = []
    cursor = 0
    for start, (end, word, _) in sorted(edits.items()):
        parts.append(sentence[cursor : matches[start].start()])
        parts.append(word)
        cursor = matches[end - 1].end()
    parts.append(sentence[cursor:])
    return "".join(parts)


def _stands_alone(text: str, match: re.Match[str]) -> bool:
    """Not part of an identifier, path, address or number (``file.txt``, ``a/b``, ``x2``)."""
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    following = text[match.end() + 1] if match.end() + 1 < len(text) else " "
    if before in _GLUE or before.isalnum() or before in "_'’":  # the "s" of "day's" too
        return False
    if after == ".":  # a sentence's full stop, unless a word follows it at once (file.txt, e.g.)
        return not following.isalnum()
    return not (after in _GLUE or after.isalnum() or after == "_")


def _join_around(
    i: int,
    matches: list[re.Match[str]],
    lowered: list[str],
    alone: list[bool],
    sentence: str,
    vocabulary: Vocabulary,
    covered: int,
) -> tuple[int, int, str] | None:
    """The longest run of two to four pieces holding word ``i``, one space apart, standing alone
    and of two letters or more, that joins into a word of five letters or more (``i`` is not a
    word)."""
    best: tuple[int, int, str] | None = None
    for start in range(max(covered + 1, i - 3), i + 1):
        for end in range(min(len(matches), start + 4), max(start + 1, i), -1):
            if end <= i or (best is not None and end - start <= best[1] - best[0]):
                continue
            if not all(alone[start:end]) or any(
                sentence[matches[k].end() : matches[k + 1].start()] != " " for k in range(start, end - 1)
            ):
                continue
            # Initials and names are not pieces: "Hunter S." is no "hunters", "Flo Rida" no
            # "florida" (a lone letter, or a capital after the first piece).
            if any(len(lowered[k]) < 2 for k in range(start, end)) or any(
                not matches[k].group(0).islower() for k in range(start + 1, end)
            ):
                continue
            word = "".join(lowered[start:end])
            if len(word) >= _MIN_JOINED and word in vocabulary:
                best = (start, end, word)
    return best


def _plain(word: str) -> bool:
    """Not a camelCase or mixed-case name: all lower, all upper, or capitalised."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


@functools.lru_cache(maxsize=4)
def _cached_vocabulary(path: str, size: int, mtime_ns: int) -> Vocabulary | None:
    return Vocabulary.from_tokenizer(path)


def tokenizer_vocabulary(path: Path | str) -> Vocabulary | None:
    """``Vocabulary.from_tokenizer``, built once per tokenizer file in a process (detectors that
    share an encoder share it)."""
    stat = Path(path).stat()
    return _cached_vocabulary(str(path), stat.st_size, stat.st_mtime_ns)
