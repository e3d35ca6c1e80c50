"""Normalisation of prompt text before it is embedded.

Attackers hide instructions from naive matchers with invisible characters, Unicode look-alikes,
letter spacing and encoded blobs. Each rule below undoes one such trick; the rules that fired are
reported, because obfuscation is itself evidence. The original text is never modified: this
produces a separate *scan text*.

Order matters: hidden tag characters are decoded before NFKC (which would otherwise keep them as
invisible code points), and confusables are mapped after NFKC (which already folds full-width and
mathematical alphanumerics to ASCII).

Cost is bounded by construction, because the text is attacker-controlled. First come passes over
the whole text that only remove or shorten, each a regular-expression scan in C: invisible
characters, runs of combining marks (cut to ``MAX_COMBINING_RUN``) and of whitespace. Padding made
of those therefore cannot push an instruction out of what is scanned. Then the text is cut to its
head and tail (``max_chars``, rule ``"truncated"``), and only that bounded text goes through tag
decoding, NFKC, confusables, leetspeak, letter spacing and blob decoding. No step loops over
characters in Python (one fallback does, over a single decoded blob that is not ASCII and has
non-printable characters; the leetspeak reader does, over the characters of each word, at most 40,
that holds a stand-in, in a text that has one between letters or a glyph); Python runs per match at
most, for matches that are rare in ordinary text.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from querysentry.text.words import Vocabulary, repair_words

__all__ = [
    "MAX_COMBINING_RUN",
    "MAX_TEXT_CHARS",
    "NormalizedText",
    "head_and_tail",
    "limit_combining_marks",
    "normalize",
]

# Characters of one text that reach the steps after the linear passes (NFKC, confusables, letter
# spacing, blob decoding), half from each end. The segmenter keeps at most its token budget (1,024
# tokens, about 5,000 characters of English) from the head and tail of a message, so 16,384
# characters from each end drops nothing it would have embedded unless a "token" averages more
# than 16 characters.
MAX_TEXT_CHARS = 32_768
# Combining characters kept in a row. Real writing stacks few: decomposed Vietnamese two,
# Devanagari and Tibetan three or four (nukta, vowel sign, nasal; stacked consonants), Arabic
# shadda with harakat and Quranic signs four or five, pointed and cantillated Hebrew up to five.
# NFKC's canonical reordering sorts each run by insertion, quadratic in its length; with eight a
# run costs at most 28 swaps, a constant, while "Zalgo" stacks of hundreds are cut.
MAX_COMBINING_RUN = 8
# Joins the head and tail of a cut text: a paragraph break, so the cut is also a sentence break.
_CUT = "\n\n"

# Unicode "tag" block: U+E0020..U+E007E mirror printable ASCII and render as nothing.
# They are used for "ASCII smuggling", so they are decoded into visible text rather than dropped.
_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F
_TAG_ASCII_FIRST, _TAG_ASCII_LAST = 0xE0020, 0xE007E

_ZERO_WIDTH = {
    0x00AD,  # soft hyphen
    0x034F,  # combining grapheme joiner
    0x115F,
    0x1160,
    0x3164,
    0xFFA0,  # Hangul fillers render blank
    0x180E,  # Mongolian vowel separator
    0x200B,
    0x200C,
    0x200D,  # zero-width space / non-joiner / joiner
    0x2060,
    0x2061,
    0x2062,
    0x2063,
    0x2064,  # word joiner, invisible operators
    0xFEFF,  # zero-width no-break space (BOM)
}
_BIDI_CONTROLS = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_VARIATION_SELECTORS = {*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}

# Look-alikes that NFKC leaves alone: Cyrillic, Greek and a few Latin-extended letters that render
# like ASCII. Only applied inside words that mix scripts (or in mostly-Latin text), so genuine
# Russian or Greek prompts are left as they are.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic lower case
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ԁ": "d",
    "ɡ": "g",
    "һ": "h",
    "ԛ": "q",
    "ԝ": "w",
    "ү": "y",
    "ӏ": "l",
    "ɩ": "i",
    "ь": "b",
    # Cyrillic upper case
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Х": "X",
    "Ѕ": "S",
    "І": "I",
    "Ј": "J",
    "Ԛ": "Q",
    "Ԝ": "W",
    "Ү": "Y",
    # Greek
    "α": "a",
    "ο": "o",
    "ρ": "p",
    "ν": "v",
    "τ": "t",
    "ι": "i",
    "κ": "k",
    "υ": "u",
    "ε": "e",
    "γ": "y",
    "σ": "o",
    "ϲ": "c",
    "ϳ": "j",
    "ς": "c",  # final sigma: renders like a c in most fonts
    "χ": "x",
    "ω": "w",
    "η": "n",
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
    # Armenian
    "օ": "o",
    "ո": "n",
    "ս": "u",
    "հ": "h",
    "ց": "g",
    "ք": "p",
    "Ս": "U",
    "Օ": "O",
    # Latin extended / IPA that pass for ASCII
    "ı": "i",
    "ȷ": "j",
    "ʀ": "r",
    "ɑ": "a",
    "ǀ": "l",
    "ᴎ": "n",  # small capital reversed N
    "ဝ": "o",  # Myanmar wa, a plain circle
    "׀": "l",  # Hebrew paseq, a bar
    "⍵": "w",  # APL omega, drawn as a w
}

# Scripts whose letters pass for Latin ones in running text. Their look-alikes come from Unicode's
# confusables data (UTS #39, shipped by ``confusable-homoglyphs``) and from the names of small
# capitals; CJK, kana, Hangul, Arabic, Hebrew and Indic letters are left out, since Latin text often
# quotes them and none of them is read as a Latin letter.
_LOOKALIKE_SCRIPTS = (
    "LATIN",
    "CYRILLIC",
    "GREEK",
    "ARMENIAN",
    "CHEROKEE",
    "COPTIC",
    "LISU",
    "CANADIAN",
    "TIFINAGH",
    "GEORGIAN",
    "MODIFIER LETTER",
)


def _unicode_confusables() -> dict[str, str]:
    """One-character look-alikes of ASCII letters, from UTS #39 and small-capital names (read once)."""
    import json
    from importlib.resources import files

    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for letter in string.ascii_letters:
        for entry in data.get(letter, ()):
            ch = entry["c"]
            name = unicodedata.name(ch, "") if len(ch) == 1 else ""
            # APL's Greek letters ("⍺", "⍴") are symbols that draw a Latin letter too.
            lookalike = not ch.isascii() and (ch.isalpha() or name.startswith("APL FUNCTIONAL SYMBOL "))
            if lookalike and name.startswith((*_LOOKALIKE_SCRIPTS, "APL FUNCTIONAL SYMBOL ")):
                out.setdefault(ch, letter)
            elif letter in "oO" and name.endswith(" DIGIT ZERO") and not ch.isascii():
                out.setdefault(ch, "o")  # the round zeros of Indic and South-East Asian digits
    # Small capitals: Phonetic Extensions' LATIN LETTER SMALL CAPITAL X, and those of IPA.
    for cp in (*range(0x1D00, 0x1D2C), 0x0280, 0x0262, 0x029C, 0x026A, 0x0274, 0x0299, 0x029F, 0xA7AF):
        name = unicodedata.name(chr(cp), "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == len("LATIN LETTER SMALL CAPITAL X"):
            out.setdefault(chr(cp), name[-1].lower())
    for cp in range(0x0180, 0x02B0):  # Latin Extended-B and IPA: letters with a hook, tail or curl
        name = unicodedata.name(chr(cp), "")
        base = re.fullmatch(r"LATIN (SMALL|CAPITAL) LETTER ([A-Z]) WITH (?:[A-Z]+ )?(?:HOOK|TAIL|CURL)", name)
        if base and not unicodedata.decomposition(chr(cp)):
            out.setdefault(chr(cp), base[2].lower() if base[1] == "SMALL" else base[2])
    # Some look-alikes are listed only as confusable with another look-alike ("ꭺ" with "ᴀ", "⍵"
    # with "ω"): follow such links, two at most, to the Latin letter at their end.
    for _ in range(2):
        for target, entries in data.items():
            if len(target) != 1 or target.isascii() or target not in out:
                continue
            for entry in entries:
                ch = entry["c"]
                name = unicodedata.name(ch, "") if len(ch) == 1 else ""
                lookalike = not ch.isascii() and (ch.isalpha() or name.startswith("APL FUNCTIONAL SYMBOL "))
                # An accented Latin letter ("ț", "ņ") is a letter of its language, not a look-alike.
                accented = name.startswith("LATIN") and unicodedata.decomposition(ch) != ""
                if lookalike and not accented and name.startswith((*_LOOKALIKE_SCRIPTS, "APL FUNCTIONAL SYMBOL ")):
                    out.setdefault(ch, out[target])
    return out


# The hand-written table wins where the two disagree (it was checked against common fonts).
_CONFUSABLES = {**_unicode_confusables(), **_CONFUSABLES}
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)


def _char_class(code_points: Iterable[int]) -> str:
    """A regex character class matching exactly ``code_points`` (as ranges)."""
    ranges: list[list[int]] = []
    for cp in sorted(set(code_points)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return "[" + "".join(parts) + "]"


class _Planes(NamedTuple):
    """One character class in two compiled forms.

    Python's regex engine tests a class of BMP characters with a bitmap, but one holding astral
    (plane 1+) ranges with a linear walk over them, ten to fifty times slower per character. So
    each class is also compiled without its astral part, and ``pick`` takes that fast form for
    text without astral characters, which is almost all text (one C scan decides).
    """

    bmp: re.Pattern[str]
    every: re.Pattern[str]

    def pick(self, text: str) -> re.Pattern[str]:
        return self.bmp if _ASTRAL.search(text) is None else self.every


def _planes(build: Callable[[str], str], code_points: Iterable[int]) -> _Planes:
    """The pattern ``build(cls)``, with ``cls`` the class of the BMP part and of all of ``code_points``."""
    points = list(code_points)
    bmp = _char_class(cp for cp in points if cp < 0x10000)
    return _Planes(re.compile(build(bmp)), re.compile(build(_char_class(points))))


def _scan_unicode() -> tuple[list[int], list[int], list[int]]:
    """Combining characters, numeric non-letters and pictographic symbols, read from ``unicodedata``.

    Read once at import (about 40 ms) so they follow the running Python's Unicode version.
    Combining means a mark (category M), any character with a non-zero combining class, or one
    that NFKC turns into a combining character (U+FF9E, U+FF9F). Numeric non-letters are the word
    characters ``[^\\W\\d_]`` matches but ``str.isalpha`` rejects (Ⅻ, 〇, ½). Both exist only in
    planes 0, 1 and 14 (tests/text/test_bounded_work.py checks every plane). Pictographic symbols
    are category So (emoji, dingbats, arrows, box drawing): what noise inside a word is made of.
    """
    combining: list[int] = []
    numeric: list[int] = []
    symbols: list[int] = []
    for cp in (*range(0x20000), *range(0xE0000, 0xE1000)):
        ch = chr(cp)
        category = unicodedata.category(ch)
        if (
            category[0] == "M"
            or unicodedata.combining(ch)
            or (unicodedata.decomposition(ch) and unicodedata.combining(unicodedata.normalize("NFKD", ch)[0]))
        ):
            combining.append(cp)
        elif category[0] == "N" and ch.isnumeric() and not ch.isdecimal() and not ch.isalpha():
            numeric.append(cp)
        elif category == "So":
            symbols.append(cp)
    return combining, numeric, symbols


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_COMBINING_POINTS, _NUMERIC_POINTS, _SYMBOL_POINTS = _scan_unicode()
# A run of more than MAX_COMBINING_RUN combining characters. It starts with a bare character class,
# so the regex engine skips to candidate positions in its C loop; benign text rarely matches.
_LONG_MARK_RUN = _planes(lambda marks: f"{marks}{marks}{{{MAX_COMBINING_RUN},}}", _COMBINING_POINTS)
_NUMERIC_NOT_LETTER = _planes(lambda numeric: numeric, _NUMERIC_POINTS)

# A Latin letter (ASCII or composed with accents) and a combining mark NFKC could not compose in.
_LATIN_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LATIN_THEN_MARK = re.compile(f"[A-Za-z\u00c0-\u024f][{_LATIN_MARKS}]")
_MARKS_AFTER_LATIN = re.compile(f"(?<=[A-Za-z])[{_LATIN_MARKS}]+")
_STRAY_MARKS = 3
_MARK_SCAN_CHARS = 4096  # where to count them: the head of the text is enough to tell

_TAG_CHARACTER = re.compile(f"[{chr(_TAG_FIRST)}-{chr(_TAG_LAST)}]")
# Tag characters with no ASCII twin are dropped with the other invisible characters, before the
# cut; the rest map one to one onto ASCII, so they are decoded after it (the cut falls in the same
# place, and ``str.translate``, a dictionary lookup per character, only sees bounded text).
_TAG_WITHOUT_ASCII = [*range(_TAG_FIRST, _TAG_ASCII_FIRST), *range(_TAG_ASCII_LAST + 1, _TAG_LAST + 1)]
_TAG_TABLE = {cp: chr(cp - 0xE0000) for cp in range(_TAG_ASCII_FIRST, _TAG_ASCII_LAST + 1)}
# A smuggled message is a run of tag characters; one to three of them inside a word are noise
# sprinkled to split it, and decoding those would put stray letters into the word.
_TAG_RUN = re.compile(f"[{chr(_TAG_ASCII_FIRST)}-{chr(_TAG_ASCII_LAST)}]+")
_TAG_MIN_RUN = 4
# Letters in boxes and circles that NFKC leaves as they are (negative circled and squared, regional
# indicators) or turns into several characters (parenthesized "(a)"): each becomes its letter. A
# pair of regional indicators is a flag; as letters it still reads as the country code.
_ENCLOSED_TABLE = {
    **{0x1F150 + i: chr(0x41 + i) for i in range(26)},  # negative circled capitals
    **{0x1F170 + i: chr(0x41 + i) for i in range(26)},  # negative squared capitals
    **{0x1F1E6 + i: chr(0x41 + i) for i in range(26)},  # regional indicator symbols
    **{0x249C + i: chr(0x61 + i) for i in range(26)},  # parenthesized small letters
}
_ENCLOSED = _planes(lambda enclosed: enclosed, _ENCLOSED_TABLE)
# C0/C1 controls except \t, \n and \r (which becomes \n): they carry no meaning for the encoder.
_CONTROLS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_INVISIBLE_RULES = tuple(
    (rule, re.compile(_char_class(points)))
    for rule, points in (
        ("zero_width", _ZERO_WIDTH),
        ("bidi_controls", _BIDI_CONTROLS),
        ("variation_selectors", _VARIATION_SELECTORS),
        ("control_characters", _CONTROLS),
    )
)
_INVISIBLE = re.compile(
    _char_class([*_ZERO_WIDTH, *_BIDI_CONTROLS, *_VARIATION_SELECTORS, *_CONTROLS, *_TAG_WITHOUT_ASCII])
)

_CONFUSABLE = _char_class(map(ord, _CONFUSABLES))
_HAS_CONFUSABLE = re.compile(_CONFUSABLE)
# A whole word (maximal run of word characters) holding a look-alike. The lookbehind anchors it at
# the word's start, so a word without one is scanned once, not once per position.
# Look-alikes that are no word characters ("⍺", "׀") belong to the word they stand in.
_WORD_OR_CONFUSABLE = "[\\w" + _CONFUSABLE[1:]
_CONFUSABLE_WORD = re.compile(rf"(?<!{_WORD_OR_CONFUSABLE}){_WORD_OR_CONFUSABLE}*{_CONFUSABLE}{_WORD_OR_CONFUSABLE}*")
# A look-alike, then word characters that are neither ASCII letters nor look-alikes, then an ASCII
# letter: a word mixing the two, with the Latin letter to the right (search the reversed text for
# the left). It never scans past the next letter of either kind, so it is linear.
_CONFUSABLE_THEN_LATIN = re.compile(rf"{_CONFUSABLE}(?:(?![A-Za-z]|{_CONFUSABLE})\w)*[A-Za-z]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ASCII_NOT_LETTER_BYTES = bytes(b for b in range(128) if not chr(b).isalpha())
# ``[^\W\d_]`` minus the numeric non-letters is exactly ``str.isalpha``.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# A letter that is neither ASCII nor a look-alike: genuine Cyrillic, Greek, CJK...
# A letter of another script, or a digit of one ("२" in "२०२४"): what a genuine non-Latin word
# holds, so that its round zero ("०") is not read as an "o".
_OTHER_LETTER = _planes(lambda numeric: rf"(?![A-Za-z0-9]|{_CONFUSABLE}|{numeric})[^\W_]", _NUMERIC_POINTS)

# Whitespace, in two passes. Before the cut, on all of the text, shrink what could be padding:
# runs of horizontal space longer than _SPACE_KEPT are cut to it (two spaces separate letter-spaced
# words, so runs must not become one space yet), space at line ends goes, and a block of blank
# lines becomes one paragraph break. These patterns begin with a literal or a bare class, which the
# regex engine scans for in C, and each matches a bounded neighbourhood, so none rescans a run.
# After the other rules, the usual collapse: runs to one space, at most one blank line.
_SPACE_KEPT = 8
_LONG_SPACE = re.compile(rf"[^\S\n](?<=[^\S\n]{{{_SPACE_KEPT + 1}}})[^\S\n]*")  # a run's characters past the kept
_BLANK_LINES = re.compile(rf"\n[^\S\n]{{0,{_SPACE_KEPT}}}\n\s*")  # two or more line breaks, with the space between
_SPACE_BEFORE_NEWLINE = re.compile(rf"[^\S\n][^\S\n]{{0,{_SPACE_KEPT - 1}}}\n")
_SPACE_AFTER_NEWLINE = re.compile(rf"\n[^\S\n]{{1,{_SPACE_KEPT}}}")
_SPACE_RUN = re.compile(r"[^\S\n](?:[^\S\n]+|(?<! ))")  # horizontal space other than one plain space
_MANY_NEWLINES = re.compile(r"\n\n\n+")
# Four or more single letters separated by one separator, the same throughout the run:
# "i g n o r e", "p.r.i.n.t", "s/y/s/t/e/m". One separator per run, so "y-o-u-r f-u-l-l" stays two
# words. Anchored at a word start, each run is read once.
_ODD_HORIZONTAL_SPACE = re.compile(r"[\t\v\f]")
# Between separators other than a space, a unit may also be a leetspeak stand-in ("n/3/3/d",
# "t.h.!.$"); such a run is joined only when at least two of its units are letters.
_SPACED_UNIT = r"(?:[^\W\d_]|[0-9@$!+|])"
# The separator is a space or one punctuation character, maybe doubled ("w~~r~~i~~t~~e"); group 1
# is all of it. A bar separates letters too ("t|h|e|m"), but not at a run's ends (a table row).
_SPACER = r"( |([.\-/_*~·|])\2?)"
# A run ends where no unit goes on; a bar may follow a run spaced by bars (so that the pattern
# never fails at each of its units, which would cost quadratic time), and ``join`` keeps such a
# run as it is when a bar stands at either end (a table row "|a|b|c|").
_SPACED_END = r"(?![\w@$!+])(?!(?!\1)\|)"
_LETTER_SPACED = re.compile(rf"(?<!\w){_SPACED_UNIT}{_SPACER}{_SPACED_UNIT}(?:\1{_SPACED_UNIT}){{2,}}{_SPACED_END}")
# Two or three single letters between one separator ("o.f", "t*h*e"): a word only in a text that
# already spaced out a longer one with the same separator (a space excepted: "I a m" is rarely a
# word), so "e.g" and "a/b" stay in ordinary text.
_SHORT_SPACED = re.compile(rf"(?<!\w){_SPACED_UNIT}{_SPACER}{_SPACED_UNIT}(?:\1{_SPACED_UNIT})?{_SPACED_END}")
# Single letters between separators that change inside the word ("c*h_o*i*c_e", "y-o~u"). All
# separators are read together (doubled ones too); what is joined is decided by ``join_mixed``.
_MIXED_SEPARATOR = "[.\\-/_*~·•–|:+]"
_MIXED_SPACED = re.compile(
    rf"(?<![\w.\-/_*~·•–|:+])[^\W\d_](?:{_MIXED_SEPARATOR}{{1,2}}[^\W\d_]){{2,}}(?![\w.\-/_*~·•–|:+])"
)
_MIXED_SEPARATORS = re.compile(f"{_MIXED_SEPARATOR}+")
# Operators of a formula: single letters between only these ("a*b-c", "x/y+z") are maths, unless
# there are more of them than formulas have without spaces or brackets.
_MATH_SEPARATORS = frozenset({"+", "-", "*", "/"})
_MIXED_MATH_UNITS = 6
_BASE64_BLOB = re.compile(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-]{16,}={0,2}(?![A-Za-z0-9+/_\-=])")
_HEX_BLOB = re.compile(r"(?<![0-9A-Fa-f])(?:0x)?((?:[0-9A-Fa-f]{2}[ :]?){8,})(?![0-9A-Fa-f])")
# Eight hex pairs in a row: what any hex blob contains. Starting with a bare class it is several
# times cheaper to search for than _HEX_BLOB (which starts with a lookbehind), and prose rarely has it.
_HEX_PAIRS = re.compile(r"[0-9A-Fa-f][0-9A-Fa-f](?:[ :]?[0-9A-Fa-f][0-9A-Fa-f]){7}")
_HEX_SEPARATORS = str.maketrans("", "", " :")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"
_ASCII_LETTER_BYTES = string.ascii_letters.encode("ascii")

# Decoding is bounded: an attacker must not be able to make the scanner do unbounded work.
MAX_BLOBS = 8
MAX_BLOB_CHARS = 16_384


@dataclass(frozen=True)
class NormalizedText:
    """The scan text of one input, the texts decoded from blobs inside it, and the rules that fired."""

    text: str
    decoded: tuple[str, ...] = ()
    rules: frozenset[str] = field(default_factory=frozenset)


def normalize(
    text: str, *, max_chars: int | None = MAX_TEXT_CHARS, vocabulary: Vocabulary | None = None
) -> NormalizedText:
    """Return the scan text for ``text``. Pure; O(len(text)).

    The linear passes see all of ``text``; everything after them sees at most ``max_chars``
    characters (the head and tail, rule ``"truncated"``), and so does the returned text.
    ``max_chars=None`` scans everything (still linear, but unbounded). With a ``vocabulary``
    (the encoder's; ``querysentry.text.words``) broken, glued, vowel-less and mistyped words of
    the passages that need it are read back last (rule ``"words_repaired"``), in the scan text
    and in decoded blobs alike; blobs are found in the text before that, which it cannot change.
    """
    if max_chars is not None and max_chars < 1:
        raise ValueError("max_chars must be >= 1")
    rules: set[str] = set()
    text = _normalize_characters(text, rules, max_chars)
    decoded = _decode_blobs(text, rules, max_chars)
    if vocabulary is not None:
        repaired = repair_words(text, vocabulary)
        decoded_repaired = tuple(repair_words(d, vocabulary) for d in decoded)
        if repaired != text or decoded_repaired != decoded:
            rules.add("words_repaired")
        text, decoded = repaired, decoded_repaired
    return NormalizedText(text=text, decoded=decoded, rules=frozenset(rules))


def head_and_tail(text: str, max_chars: int) -> str:
    """``text`` if it has at most ``max_chars`` characters, else its first and last characters
    joined by a paragraph break, ``max_chars`` in all. O(max_chars)."""
    if len(text) <= max_chars:
        return text
    room = max_chars - len(_CUT)
    if room < 2:
        return text[:max_chars]
    head = room - room // 2
    return text[:head] + _CUT + text[len(text) - room // 2 :]


def limit_combining_marks(text: str) -> str:
    """``text`` with every run of combining characters cut to ``MAX_COMBINING_RUN``. O(len(text)).

    Run it before NFKC on untrusted text: NFKC is quadratic in the length of a run of marks. The
    scan is in C; only a run that is cut costs a Python call (at least 9 characters each).
    """
    pattern = _LONG_MARK_RUN.pick(text)
    return text if pattern.search(text) is None else pattern.sub(_first_marks, text)


def _first_marks(match: re.Match[str]) -> str:
    return match.group(0)[:MAX_COMBINING_RUN]


def _normalize_characters(text: str, rules: set[str], max_chars: int | None) -> str:
    # Linear passes over the whole text; each only removes or shortens.
    tagged = _TAG_CHARACTER.search(text) is not None
    if tagged:
        rules.add("tag_characters")
    text = _drop_invisible(text, rules)
    # BMP marks on all of the text (fast); astral ones (rare, slower to match) once it is cut.
    text = _cut_mark_runs(text, _LONG_MARK_RUN.bmp, rules)
    text = _squeeze_whitespace(text, rules)
    # Bounded from here on.
    text = _cut(text, max_chars, rules)
    if tagged:
        text = _TAG_RUN.sub(_decode_tag_run, text)
    if _ASTRAL.search(text) is not None:
        text = _cut_mark_runs(text, _LONG_MARK_RUN.every, rules)
    if _ENCLOSED.pick(text).search(text) is not None:
        rules.add("enclosed_letters")
        text = text.translate(_ENCLOSED_TABLE)
    if not unicodedata.is_normalized("NFKC", text):
        rules.add("nfkc")
        # NFKC can expand a character up to 18 times (U+FDFA): cut again.
        text = _cut(unicodedata.normalize("NFKC", text), max_chars, rules)
    text = _strip_latin_marks(text, rules)
    # Noise inside words goes first, so that a word split by it is mapped whole.
    text = _drop_junk_in_words(_join_mixed_spacing(text, rules), rules)
    mapped = _map_confusables(text, rules)
    if mapped != text:
        # Marks over look-alikes ("ҽ̻̓") stand over Latin letters now: count them again.
        mapped = _strip_latin_marks(mapped, rules)
    if mapped != text and not unicodedata.is_normalized("NFKC", mapped):
        # A mapped look-alike can compose with a mark after it ("е" + U+0301 becomes "é"): NFKC
        # again (composition only shrinks), so the scan text is a fixed point.
        mapped = unicodedata.normalize("NFKC", mapped)
    text, leet_text = _undo_leet_glyphs(mapped, rules)
    joined = _join_letter_spacing(text, rules)
    if joined != text:
        # Joining can make a mixed-script word of letters that stood alone ("c е е е"): map
        # look-alikes again, so that a second pass finds nothing left to do.
        joined = _map_confusables(joined, rules)
    # Reading leetspeak can put a letter beside noise that stood next to a stand-in ("a¦1y").
    text = _collapse_whitespace(_drop_junk_in_words(_read_leetspeak(joined, rules, leet_text), rules), rules)
    if _LETTER_SPACED.search(text) is not None:
        # Collapsing whitespace can line up single letters that a wider gap kept apart
        # ("c  е е е"): one more join, so that the result is a fixed point (idempotent).
        again = _join_letter_spacing(text, rules)
        if again != text:
            text = _collapse_whitespace(_read_leetspeak(_map_confusables(again, rules), rules), rules)
    return text


def _decode_tag_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return run.translate(_TAG_TABLE) if len(run) >= _TAG_MIN_RUN else ""


def _strip_latin_marks(text: str, rules: set[str]) -> str:
    # After NFKC, real Latin-script writing has almost every accent composed into its letter; marks
    # still standing after Latin letters, a few of them, are "zalgo" noise over the words. Then all
    # marks on Latin letters go (a French accent in such a text too), other scripts keep theirs.
    if len(_LATIN_THEN_MARK.findall(text, 0, _MARK_SCAN_CHARS)) < _STRAY_MARKS:
        return text
    rules.add("combining_marks")
    return unicodedata.normalize("NFC", _MARKS_AFTER_LATIN.sub("", unicodedata.normalize("NFD", text)))


def _cut_mark_runs(text: str, pattern: re.Pattern[str], rules: set[str]) -> str:
    if pattern.search(text) is None:
        return text
    rules.add("combining_marks")
    return pattern.sub(_first_marks, text)


def _cut(text: str, max_chars: int | None, rules: set[str]) -> str:
    if max_chars is None or len(text) <= max_chars:
        return text
    rules.add("truncated")
    return head_and_tail(text, max_chars)


def _drop_invisible(text: str, rules: set[str]) -> str:
    if _INVISIBLE.search(text) is not None:
        rules.update(rule for rule, pattern in _INVISIBLE_RULES if pattern.search(text))
        text = _INVISIBLE.sub("", text)
    return text.replace("\r", "\n") if "\r" in text else text


def _count_letters(text: str) -> int:
    """``sum(ch.isalpha() for ch in text)``, in C."""
    return len(_NOT_LETTERS.sub("", text)) - _NUMERIC_NOT_LETTER.pick(text).subn("", text)[1]


def _count_ascii_letters(text: str) -> int:
    return len(text.encode("ascii", "ignore").translate(None, _ASCII_NOT_LETTER_BYTES))


def _replace_confusables(text: str) -> str:
    # One dictionary lookup per character in C (the table holds hundreds of look-alikes, too many
    # for one str.replace each). Each maps one character to one, so offsets are kept.
    return text.translate(_CONFUSABLE_TABLE)


# Cyrillic letters that "faux Cyrillic" writing uses for the Latin letter they mirror or resemble
# ("Иo", "Яule", "Шrite"). They are not look-alikes of one (a Russian word quoted in English keeps
# them), so they are read only inside a word that also has ASCII letters.
_MIRRORED = {"И": "N", "и": "n", "Я": "R", "я": "r", "Ш": "W", "ш": "w"}
_MIRRORED_TABLE = str.maketrans(_MIRRORED)
_HAS_MIRRORED = re.compile(f"[{''.join(_MIRRORED)}]")
# A word with one, marks over its letters included; anchored at a word's start, so linear.
_MIRRORED_WORD = re.compile(rf"(?<![\w{_LATIN_MARKS}])[\w{_LATIN_MARKS}]*[{''.join(_MIRRORED)}][\w{_LATIN_MARKS}]*")


def _map_mirrored(text: str, rules: set[str]) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if _ASCII_LETTER.search(word) is None:
            return word
        rules.add("confusables")
        return word.translate(_MIRRORED_TABLE)

    return text if _HAS_MIRRORED.search(text) is None else _MIRRORED_WORD.sub(fix, text)


def _map_confusables(text: str, rules: set[str]) -> str:
    # Mirrored letters last: mapping look-alikes can give their word its first ASCII letter.
    return _map_mirrored(_map_lookalikes(text, rules), rules)


def _map_lookalikes(text: str, rules: set[str]) -> str:
    if _HAS_CONFUSABLE.search(text) is None:
        return text
    # A word that mixes Latin with look-alikes is an obfuscation; once one is seen (or the text is
    # mostly Latin), words made only of look-alikes ("ТНЕ") are taken for Latin too. Cheapest
    # test first: the letters are at most the ASCII letters plus the non-ASCII characters.
    ascii_letters = _count_ascii_letters(text)
    if not ascii_letters:
        return text  # neither mixed words nor mostly Latin
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    latin_context = (
        ascii_letters > non_ascii
        or _CONFUSABLE_THEN_LATIN.search(text) is not None
        or _CONFUSABLE_THEN_LATIN.search(text[::-1]) is not None
        or ascii_letters * 2 > _count_letters(text)
    )
    if not latin_context:
        return text
    rules.add("confusables")
    mapped = _replace_confusables(text)
    other_letter = _OTHER_LETTER.pick(text)
    if other_letter.search(text) is None:
        # No genuine non-Latin letter anywhere: every word with a look-alike is mixed or made of
        # look-alikes only, so all of them are mapped.
        return mapped

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        # Mapped when it mixes in Latin letters, or when all its letters are look-alikes; a
        # genuine Russian or Greek word is kept.
        if _ASCII_LETTER.search(word) or other_letter.search(word) is None:
            return mapped[match.start() : match.end()]
        return word

    result = _CONFUSABLE_WORD.sub(fix, text)
    if result == text:
        rules.discard("confusables")
    return result


# Leetspeak: digits and symbols standing for letters inside a word ("pr1nt y0ur 5y5t3m pr0mpt").
# A token is only read as leetspeak when a stand-in sits between two letters, so model names,
# units and versions ("gpt4", "mp3", "covid19", "4x4", "h2o") are left alone. One character maps
# to one, so offsets are kept. Linear: one C search for a stand-in between letters, and only if
# there is one, one pass over the tokens (no pattern here can backtrack across a token).
# Symbols that stand for the letter they resemble ("W€lc0me", "§ecret"): currency signs and
# typographic marks no word carries between its letters. Read like digits; "®" and "©" after a
# word ("Cola®") stay, since they are read at a word's edge only in a text already shown to be
# leetspeak. Mathematical signs are not among them: "x∈S", "A∩B", "∂f" are formulas.
_LEET_SYMBOLS = {
    "€": "e", "£": "l", "¥": "y", "¢": "c", "₳": "a", "₫": "d", "§": "s", "†": "t", "©": "c",
    "®": "r", "ƒ": "f", "¤": "o", "₦": "n", "₵": "c", "₮": "t", "₱": "p", "₩": "w", "₭": "k", "₲": "g",
    "฿": "b", "₥": "m", "‡": "t", "¶": "p", "℟": "r",
}  # fmt: skip
_SYMBOL_CLASS = "".join(_LEET_SYMBOLS)
_LEET_INTERIOR = re.compile(rf"[A-Za-z][013456789@$!{_SYMBOL_CLASS}][A-Za-z]")  # not + or |: "a+b", "x|y" are code
# What shows a word is leetspeak: a digit, "@", "$" or "!" between letters. A symbol there ("el¥e€ts")
# is read but is no evidence: scanned old books are full of them.
_LEET_EVIDENCE_INTERIOR = re.compile(r"[A-Za-z][013456789@$!][A-Za-z]")
_LEET_EDGE = re.compile(rf"[A-Za-z]{{2}}[013456789@$!|+{_SYMBOL_CLASS}]|[013456789@$!|+{_SYMBOL_CLASS}][A-Za-z]{{2}}")
# A token with a stand-in in it (the rest cannot change), read from its start: the lookahead reads
# its letters once, so a text of plain words costs no Python step per word.
_LEET_TOKEN = re.compile(
    rf"(?<![A-Za-z0-9@$!|+{_SYMBOL_CLASS}])(?=[A-Za-z]*[0-9@$!|+{_SYMBOL_CLASS}])[A-Za-z0-9@$!|+{_SYMBOL_CLASS}]+"
)
# Tokens longer than a word, or with case changing inside them, are blobs (base64), not words.
_LEET_MAX_TOKEN = 24
_MIXED_CASE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
_LEET_STAND_INS = frozenset("013456789@$!|+" + _SYMBOL_CLASS)
_LEET_SINGLE = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b", "9": "g"} | {
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
    "+": "t",
}
_LEET_TABLE = str.maketrans(_LEET_SINGLE | _LEET_SYMBOLS)


def _leet_in_leetspeak(token: str) -> bool:
    """In a text already shown to be leetspeak, any short word with a stand-in is one: "7h3",
    "b07", "+0", "1t" (written whole, not only between letters). Numbers stay numbers."""
    if not 2 <= len(token) <= _LEET_MAX_TOKEN or token.isdigit() or _MIXED_CASE.search(token) is not None:
        return False
    return any(ch in _LEET_STAND_INS for ch in token)


def _read_leetspeak(text: str, rules: set[str], leet_text: bool = False) -> str:
    """Single stand-ins, then (when that shows the text is leetspeak, and the glyph pass had not
    found it so) glyphs once more, then look-alikes once more: each pass can make a word the
    others read ("8€1/\\/9" becomes "bei/\\/9", "øս||" becomes "øսll"), and a second normalisation
    must find nothing left to do."""
    read, leet_now = _undo_leetspeak(text, rules, leet_text)
    if leet_now and not leet_text:
        read = _undo_leet_glyphs(read, rules, force=True)[0]  # strong glyphs only: that evidence is weaker
    if read != text:
        read = _map_confusables(read, rules)
    return read


def _undo_leetspeak(text: str, rules: set[str], leet_text: bool = False) -> tuple[str, bool]:
    """Single stand-ins, and whether the text is leetspeak; ``leet_text`` when an earlier pass
    already found it so."""
    if not leet_text and _LEET_INTERIOR.search(text) is None:
        return text, False

    def word_like(token: str) -> bool:
        return 3 <= len(token) <= _LEET_MAX_TOKEN and _MIXED_CASE.search(token) is None

    tokens = _LEET_TOKEN.findall(text)
    clear = sum(1 for t in tokens if word_like(t) and _LEET_EVIDENCE_INTERIOR.search(t) is not None)
    if not clear and not leet_text:
        return text, False
    # Two or more clear cases make the text leetspeak: then a stand-in at a word's edge ("th3",
    # "4ll") is one too. A lone "b4b" in ordinary prose leaves "3rd" and "1st" alone.
    edges = clear >= 2 or leet_text

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if _HEX_WORD.fullmatch(token) is not None:
            return token  # a hash or an id
        if edges and _leet_in_leetspeak(token):
            rules.add("leetspeak")
            return token.translate(_LEET_TABLE)
        if not word_like(token):
            return token
        # Alone, only a digit or sign between letters makes a word leetspeak, not a symbol ("el¥e€ts").
        interior = _LEET_INTERIOR if edges else _LEET_EVIDENCE_INTERIOR
        if interior.search(token) is None and not (edges and _LEET_EDGE.search(token)):
            return token
        rules.add("leetspeak")
        return token.translate(_LEET_TABLE)

    return _LEET_TOKEN.sub(fix, text), edges


# Leetspeak glyphs of several characters: "|-|" for h, "/\\/" for n, "(_)" for u, "|2" for r. A word
# is read through them only when all of it reads as letters (glyphs, stand-ins, letters), and only
# in a text with two such words, or one with two glyphs: code, paths, emoticons and tables have
# lone brackets and bars that read as nothing ("f(x)", "a|b", ":-)", "\\o/"). Pairs of brackets are
# no glyph at a word's end, where code puts its calls ("print()", "xs[]"). "ph", "vv" and digit
# pairs ("1/2", "13") are left out: words and numbers carry them.
_LEET_GLYPHS = {
    "/-\\": "a", "/\\": "a", "|3": "b", "|8": "b", "]3": "b", "|)": "d", "[)": "d", "|>": "d",
    "[-": "e", "|=": "f", "|#": "f", "[,": "g", "|-|": "h", "]-[": "h", "}{": "h", ")-(": "h",
    "_|": "j", "|<": "k", "|{": "k", "|_": "l", "|\\/|": "m", "/\\/\\": "m", "|v|": "m", "^^": "m",
    "|\\|": "n", "/\\/": "n", "[\\]": "n", "()": "o", "[]": "o", "|*": "p", "|o": "p", "(,)": "q",
    "|2": "r", "|?": "r", "[]V[]": "m", "(V)": "m", "']['": "t", "-|-": "t", "(_)": "u", "|_|": "u", "\\/": "v",
    "\\/\\/": "w", "\\^/": "w", "|/\\|": "w", "><": "x", "`/": "y", "'/": "y", "7_": "z",
}  # fmt: skip
# Weaker stand-ins, read only in a text already shown to be leetspeak and only inside a word that
# also holds one of the stand-ins above: alone each is ordinary ("12", "savvy", "(see", "C#",
# "Straße", "ø" in Danish, "°C", Cyrillic letters). "12" and "13" are r and b, "vv" a w, "|/" a v,
# "(" and "<" a c, "#" an h; a few letters and signs of other alphabets read for the Latin letter
# they draw (reversed "Я" and "И", "Ш", "ø", "°", "µ", "ß", "¡", "×").
_WEAK_GLYPHS = {"12": "r", "13": "b", "vv": "w", "|/": "v", "^/": "n", "|°": "p"}
_WEAK_SINGLE = {
    "(": "c", "[": "c", "<": "c", "#": "h", "Я": "r", "я": "r", "И": "n", "и": "n", "Ш": "w", "ш": "w", "ø": "o",
    "Ø": "o", "°": "o", "µ": "u", "μ": "u", "ß": "b", "¡": "i", "×": "x",
    # Mathematical signs drawn like a letter ("d⊙ y⊙∪"): formulas are full of them, so they are read
    # only inside a word of a leetspeak text that reads as letters throughout.
    "⊙": "o", "∅": "o", "∩": "n", "∏": "n", "∪": "u", "⊔": "u", "∀": "a", "∆": "a", "∑": "e", "∈": "e",
    "⊤": "t", "∂": "d", "∫": "f", "√": "v", "∨": "v", "ħ": "h",
}  # fmt: skip
_GLYPH_AT = re.compile("|".join(re.escape(g) for g in sorted(_LEET_GLYPHS, key=len, reverse=True)))
_WEAK_GLYPH_AT = re.compile("|".join(re.escape(g) for g in sorted(_WEAK_GLYPHS, key=len, reverse=True)))
_NOT_AT_END = frozenset({"()", "[]", "|>"})  # calls, and chat markup ("User|>")
_NOT_AT_START = frozenset({"`/", "'/"})  # a quoted path ("`/config")
# A word-sized token (longer runs are blobs, not words) with a character other than a letter or
# punctuation: what may be leetspeak. Anchored at a token's start, so the lookahead reads each
# token once, and plain words cost no Python step.
_LEET_CANDIDATE = re.compile(r"(?<!\S)(?=\S*[^\sA-Za-z.,;:?\"“”‘’'])\S{2,40}")
_TABLE_CHARACTERS = frozenset("0123456789|-+.:")
_GLYPH_EDGE_PUNCTUATION = '.,;:?"“”‘’'
# A text is leetspeak once it holds this many words that are clearly so (or one with two glyphs).
_LEET_EVIDENCE = 2


class _Reading(NamedTuple):
    letters: str
    glyphs: int  # glyphs of several characters
    weak: int  # weak stand-ins read


def _read_glyphs(token: str, weak: bool = False, lenient: bool | None = None) -> _Reading | None:
    """``token`` read as letters; None if some part reads as nothing. With ``weak``, the weak
    stand-ins are read too; ``lenient`` (by default as ``weak``) reads glyphs where code puts
    brackets too. One step per character of a token that holds a glyph or a stand-in (tokens are
    at most 40 characters)."""
    lenient = weak if lenient is None else lenient
    letterless = not any("a" <= ch.lower() <= "z" for ch in token)
    out: list[str] = []
    ones: list[int] = []  # where a "1" was read as an i
    glyphs = weak_read = 0
    i = 0
    while i < len(token):
        match = _GLYPH_AT.match(token, i)
        if match is not None and (
            lenient
            or not (
                (match.end() == len(token) and match.group(0) in _NOT_AT_END and not letterless)
                or (i == 0 and match.group(0) in _NOT_AT_START)
            )
        ):
            out.append(_LEET_GLYPHS[match.group(0)])
            glyphs += 1
            i = match.end()
            continue
        if weak and (match := _WEAK_GLYPH_AT.match(token, i)) is not None:
            out.append(_WEAK_GLYPHS[match.group(0)])
            weak_read += 1
            i = match.end()
            continue
        ch = token[i]
        if "a" <= ch.lower() <= "z" or (ch == "'" and 0 < i < len(token) - 1):
            out.append(ch)
        elif ch in "1|" and i == len(token) - 1 and out and out[-1].isalpha():
            out.append("l")  # at a word's end a bar or a one is an l ("labe1", "a||"): few words end in i
        elif ch in _LEET_SINGLE:
            if ch == "1":
                ones.append(len(out))
            out.append(_LEET_SINGLE[ch])
        elif ch in _LEET_SYMBOLS:
            out.append(_LEET_SYMBOLS[ch])
        elif weak and ch in _WEAK_SINGLE and (i > 0 or not ch.isascii()):
            out.append(_WEAK_SINGLE[ch])
            weak_read += 1
        else:
            return None
        i += 1
    for j in ones:
        # Next to an i (or another one) a one is an l: "ii" is rare, "li" and "ll" are common.
        if (j + 1 < len(out) and (out[j + 1] in "iI" or j + 1 in ones)) or (j and out[j - 1] in "iI"):
            out[j] = "l"
    return _Reading("".join(out), glyphs, weak_read)


def _undo_leet_glyphs(text: str, rules: set[str], force: bool = False) -> tuple[str, bool]:
    """``text`` with its leetspeak words read, and whether the text is leetspeak.

    A word is clearly leetspeak when all of it reads as letters and it has letters of its own and a
    glyph of several characters or a stand-in between two letters ("t|-|e", "pr0mpt"), or when it
    has two glyphs ("|-|()\\/\\/"). With two such words (or one of two glyphs) the text is
    leetspeak; then every word that reads as letters is read, weak stand-ins included, and whole
    words of stand-ins too ("/-\\$", "|15-|-"), but not numbers, rows of a table of numbers, or
    letters spaced out for the letter-spacing pass. Ordinary text costs one C search or two.
    """
    if not force and _GLYPH_AT.search(text) is None and _LEET_INTERIOR.search(text) is None:
        return text, False
    words = _leet_candidates(text)
    candidates: list[tuple[int, str]] = []
    if not force:
        clear = 0
        for start, core in words:
            candidates.append((start, core))
            clear += _leet_evidence(core)
            if clear >= _LEET_EVIDENCE:
                break
        if clear < _LEET_EVIDENCE:
            return text, False
    candidates += words  # the rest of the words, from where the evidence was found
    parts: list[str] = []
    last = 0
    for start, core in candidates:
        letters = _read_leet_word(core, weak=not force)
        if letters is None:
            continue
        parts += [text[last:start], letters]
        last = start + len(core)
    parts.append(text[last:])
    result = "".join(parts)
    if not force:
        result = _LONE_A.sub("a", result)
    if result != text:
        rules.add("leetspeak")
    return result, True


def _leet_candidates(text: str) -> Iterator[tuple[int, str]]:
    """Where each word with a character other than a letter starts, and the word (``_core``):
    what may be leetspeak. Numbers and single characters are none."""
    for match in _LEET_CANDIDATE.finditer(text):
        if not match.group(0).isdigit():
            start, core = _core(match)
            if len(core) >= 2:
                yield start, core


def _leet_evidence(core: str) -> int:
    """How much ``core`` shows that its text is leetspeak: ``_LEET_EVIDENCE`` for a word of two
    glyphs, 1 for a clear case, 0 otherwise. Weak stand-ins are read but make no evidence."""
    read = _read_glyphs(core, weak=True, lenient=False)
    if read is None or _MIXED_CASE.search(core) is not None or _HEX_WORD.fullmatch(core) is not None:
        return 0
    has_letter = any("a" <= ch.lower() <= "z" for ch in core)
    if read.glyphs >= 2 and not set(core) <= _TABLE_CHARACTERS:
        return _LEET_EVIDENCE
    if has_letter and (read.glyphs or _LEET_EVIDENCE_INTERIOR.search(core) is not None):
        return 1
    if read.glyphs and len(read.letters) >= 3 and not set(core) <= _TABLE_CHARACTERS:
        return 1  # a word of stand-ins around a glyph ("+|-|€", "61\\/€")
    if has_letter and _symbol_stand_ins(core) >= 2:
        return 1  # currency signs and marks for letters ("₵₳∏did∀te", "¢0℟℟ec7")
    return 0


def _symbol_stand_ins(core: str) -> int:
    """How many stand-ins of ``core`` are symbols, counted when it has one (with a digit or sign,
    one is enough: "ea₵h" alone is a scanning error, "¢0rrect" is not)."""
    symbols = sum(ch in _LEET_SYMBOLS for ch in core)
    if not symbols:
        return 0
    return symbols + sum(ch in _LEET_SINGLE for ch in core)


def _core(match: re.Match[str]) -> tuple[int, str]:
    """Where a token's word starts, and the word: the token without punctuation at its ends, but
    with a mark that ends a glyph ("|?" is an r)."""
    token = match.group(0)
    core = token.strip(_GLYPH_EDGE_PUNCTUATION)
    if not core:
        return match.start(), core
    offset = token.index(core)
    after = token[offset + len(core) : offset + len(core) + 1]
    if after and core[-1] + after in _LEET_GLYPHS:
        core += after
    return match.start() + offset, core


def _read_leet_word(core: str, weak: bool = True) -> str | None:
    """The letters ``core`` stands for in a leetspeak text, or None when it is to stay as it is.
    Without ``weak``, only the glyphs and stand-ins read in any text are read, where they are."""
    if _MIXED_CASE.search(core) is not None or set(core) <= _NUMBER_CHARACTERS or _HEX_WORD.fullmatch(core):
        return None  # a blob, a number ("10", "3.5", "1:2") or a hash
    if (
        core[0] == "|"
        and core[-1] == "|"
        and {ch for ch in core if not ("a" <= ch.lower() <= "z")} <= _TABLE_CHARACTERS
    ):
        return None  # a row of a table ("|8|3|", "|x|y|")
    spaced = _LETTER_SPACED.match(core)
    if spaced is not None and spaced.end() == len(core) and spaced.group(1) != "|":
        return None  # letters spaced out ("n/3/3/d"): the letter-spacing pass joins them
    read = _read_glyphs(core, weak=weak)
    if read is None or len(read.letters) < 2 or read.letters == core:
        return None
    only_one_weak = read.weak == 1 and read.letters.count("'") + sum(
        ch.isalpha() for ch in core if ch.isascii()
    ) + read.weak == len(read.letters)
    if only_one_weak and _PUNCTUATION_BETWEEN_LETTERS.search(core) is None:
        return None  # one weak stand-in among letters ("savvy", "C#", "Straße"): ordinary words
    return read.letters


# No word has these between two letters ("t#e", "ea<h"), as words have "vv", "ß" or "ø".
_PUNCTUATION_BETWEEN_LETTERS = re.compile(r"[A-Za-z][#(<\[][A-Za-z]")
# A lone glyph for "a" stands for the article in a leetspeak text ("@", "/\\", "/-\\", "^").
_LONE_A = re.compile(r"(?<!\S)(?:@|/-?\\|\^)(?!\S)")


_NUMBER_CHARACTERS = frozenset("0123456789.,:-+%")
_HEX_WORD = re.compile(r"(?=[a-f]*[0-9])[0-9a-f]{8,}|(?=[A-F]*[0-9])[0-9A-F]{8,}")  # a hash or an id


# Pictographic symbols (emoji, dingbats) and a few bullets inside a word ("y☠our", "s•ystem"):
# no writing system puts them between two letters, so they are noise. The leetspeak symbols are
# not among them (they are read as letters, "°" too), and neither are middle dots ("l·l" is Catalan).
_JUNK_POINTS = [cp for cp in _SYMBOL_POINTS if chr(cp) not in {**_LEET_SYMBOLS, **_WEAK_SINGLE, **_CONFUSABLES}] + [
    *map(ord, "•‧∙⁎"),
    *range(0x1F3FB, 0x1F400),  # skin-tone modifiers (Sk) ride on emoji
]
# ASCII punctuation that noise mixes in ("an=👾swer"): dropped with a symbol, never alone ("a=b" is code).
_JUNK_PUNCTUATION = r"[#*~^%`_+=<>|]"
# A run of noise holding a symbol between letters, or between a letter and a hyphen ("log💥-odds").
_JUNK_IN_WORD = _planes(
    lambda junk: rf"(?<=[^\W\d_]){_JUNK_PUNCTUATION}*{junk}(?:{_JUNK_PUNCTUATION}|{junk})*(?=-?[^\W\d_])",
    _JUNK_POINTS,
)


def _drop_junk_in_words(text: str, rules: set[str]) -> str:
    pattern = _JUNK_IN_WORD.pick(text)
    if pattern.search(text) is None:
        return text
    rules.add("symbol_noise")
    return pattern.sub("", text)


def _join_letter_spacing(text: str, rules: set[str]) -> str:
    def join(match: re.Match[str]) -> str:
        run, separator = match.group(0), match.group(1)
        if separator[0] == "|" and "|" in (
            match.string[match.end() : match.end() + 1],
            match.string[match.start() - 1 : match.start()],
        ):
            return run
        units = run.split(separator)
        letters = sum(1 for unit in units if unit.isalpha())
        if letters < 2 or (separator == " " and letters < len(units)):
            return run  # numbers ("1.2.3.4"), or a spaced run with digits in it: not a word
        rules.add("letter_spacing")
        return run.replace(separator, "")

    # Letter-spaced words are separated by a wider gap (two spaces, " / ") that survives joining.
    # Tabs and other horizontal space become plain spaces later anyway: read them as spaces here,
    # so that the first pass joins what a second one would (normalisation is idempotent).
    if _ODD_HORIZONTAL_SPACE.search(text) is not None:
        text = _ODD_HORIZONTAL_SPACE.sub(" ", text)
    separators: set[str] = set()

    def join_long(match: re.Match[str]) -> str:
        joined = join(match)
        if joined != match.group(0):
            separators.add(match.group(1))
        return joined

    text = _LETTER_SPACED.sub(join_long, text)

    def join_short(match: re.Match[str], text: str) -> str:
        # Not a piece of a longer pattern: "e.g.", "x-x-xx--x" (art, a table's rule).
        separator = match.group(1)
        if separator not in separators - {" "} or separator[0] in (
            text[match.end() : match.end() + 1],
            text[match.start() - 1 : match.start()],
        ):
            return match.group(0)
        return join(match)

    if separators - {" "}:
        text = _SHORT_SPACED.sub(lambda m: join_short(m, text), text)
    return _join_mixed_spacing(text, rules)


def _join_mixed_spacing(text: str, rules: set[str]) -> str:
    """Single letters between separators that change inside the word, joined. Run before noise is
    dropped (a bullet among the separators would be taken for noise) and again after the other
    joins (which can line such letters up)."""
    if _MIXED_SPACED.search(text) is None:
        return text

    def join(match: re.Match[str]) -> str:
        run = match.group(0)
        between = _MIXED_SEPARATORS.findall(run)
        kinds = set(between)
        if len(kinds) < 2:
            return run  # one separator: the letter-spacing passes decide
        if kinds <= _MATH_SEPARATORS and len(run) - len("".join(between)) < _MIXED_MATH_UNITS:
            return run  # a formula
        rules.add("letter_spacing")
        return _MIXED_SEPARATORS.sub("", run)

    return _MIXED_SPACED.sub(join, text)


def _squeeze_whitespace(text: str, rules: set[str]) -> str:
    squeezed = _LONG_SPACE.sub("", text)
    if "\n" in squeezed:
        # Runs are at most _SPACE_KEPT long now, so each pattern takes all of one. A block of
        # blank lines is one match (the lines of spaces an attacker repeats included).
        squeezed = _SPACE_BEFORE_NEWLINE.sub("\n", _BLANK_LINES.sub(_CUT, squeezed))
        squeezed = _SPACE_AFTER_NEWLINE.sub("\n", squeezed)
    if squeezed != text:
        rules.add("whitespace")
    return squeezed


def _collapse_whitespace(text: str, rules: set[str]) -> str:
    collapsed = _SPACE_RUN.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n")
    collapsed = _MANY_NEWLINES.sub(_CUT, collapsed).strip()
    if collapsed != text:
        rules.add("whitespace")
    return collapsed


def _looks_like_text(data: bytes) -> str | None:
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not decoded.strip():
        return None
    if data.isascii():
        # Counted in C: bytes.translate deletes the printable (or letter) bytes.
        printable = len(data) - len(data.translate(None, _PRINTABLE_ASCII))
        letters = len(data) - len(data.translate(None, _ASCII_LETTER_BYTES))
    else:
        letters = _count_letters(decoded)
        if decoded.replace("\n", "").replace("\t", "").isprintable():
            printable = len(decoded)
        else:
            # A Python loop, but over one decoded blob (at most MAX_BLOB_CHARS) of the cut text.
            printable = sum(ch.isprintable() or ch in "\n\t" for ch in decoded)
    if printable < 0.95 * len(decoded) or letters < 0.5 * (len(decoded) - decoded.count(" ")):
        return None
    return decoded


def _decode_base64(blob: str) -> str | None:
    if len(blob) > MAX_BLOB_CHARS:
        return None
    # A long run of plain letters is a word, not base64: require a digit, +, / or mixed case.
    if blob.isalpha() and (blob.islower() or blob.isupper()):
        return None
    padded = blob + "=" * (-len(blob) % 4)
    try:
        if "-" in blob or "_" in blob:
            data = base64.urlsafe_b64decode(padded)
        else:
            data = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _looks_like_text(data)


def _decode_hex(blob: str) -> str | None:
    digits = blob.translate(_HEX_SEPARATORS)
    if len(digits) > MAX_BLOB_CHARS or len(digits) % 2:
        return None
    try:
        return _looks_like_text(bytes.fromhex(digits))
    except ValueError:
        return None


def _decode_blobs(text: str, rules: set[str], max_chars: int | None) -> tuple[str, ...]:
    found: list[str] = []
    for pattern, decode, rule in (
        (_HEX_BLOB, _decode_hex, "hex_blob"),
        (_BASE64_BLOB, _decode_base64, "base64_blob"),
    ):
        if pattern is _HEX_BLOB and _HEX_PAIRS.search(text) is None:
            continue
        for match in pattern.finditer(text):
            if len(found) >= MAX_BLOBS:
                break
            blob = match.group(1) if match.groups() else match.group(0)
            decoded = decode(blob.strip())
            if decoded is not None:
                rules.add(rule)
                # Decoded text may itself be obfuscated; normalise it once (not recursively
                # decoding again, which would let nested blobs multiply the work).
                inner = _normalize_characters(decoded, set(), max_chars)
                if inner and inner not in found:
                    found.append(inner)
    return tuple(found)
