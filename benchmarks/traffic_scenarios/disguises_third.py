"""A third, independent set of character-level disguises for held-out normaliser measurement.

This module was written without reading the QuerySentry text normaliser (``querysentry/text``), the
other disguise modules (``obfuscate.py``, ``disguises_unseen.py``, ``benchmarks/obfuscation.py``) or
their tests. Every table below was put together from general knowledge of how people hide a text
from a keyword or embedding classifier: leetspeak, look-alike letters from rarely-checked scripts,
separators between letters, junk inside words, broken words, case noise and diacritics.

``TRANSFORMS`` maps a disguise name to ``fn(text, rng) -> str``. All randomness comes from the
``random.Random`` passed in, so a given seed always gives the same output. Only a share of the
words is changed, so a human can still read the result; a text with no ASCII letters comes back
unchanged, and no transform raises.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

Transform = Callable[[str, random.Random], str]

__all__ = ["TRANSFORMS", "Transform"]

_WS_SPLIT = re.compile(r"(\s+)")
_ASCII_LETTER = re.compile(r"[A-Za-z]")

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

# Classic multi-character leetspeak, as written on forums and in "1337 translators".
_LEET_CLASSIC: dict[str, tuple[str, ...]] = {
    "a": ("4", "/\\", "/-\\", "@"),
    "b": ("8", "|3", "13"),
    "c": ("(", "<", "["),
    "d": ("|)", "[)", "|>"),
    "e": ("3", "[-"),
    "f": ("ph", "|="),
    "g": ("6", "9", "(_+"),
    "h": ("|-|", "]-[", "#", "}{"),
    "i": ("1", "!", "|"),
    "j": ("_|", "_/"),
    "k": ("|<", "|{"),
    "l": ("1", "|_"),
    "m": ("|\\/|", "/\\/\\", "^^"),
    "n": ("|\\|", "/\\/", "^/"),
    "o": ("0", "()"),
    "p": ("|*", "|o", "|>"),
    "q": ("0_", "(,)"),
    "r": ("|2", "|?", "12"),
    "s": ("5", "$"),
    "t": ("7", "+", "']['"),
    "u": ("(_)", "|_|"),
    "v": ("\\/",),
    "w": ("\\/\\/", "VV", "\\^/"),
    "x": ("><", "}{"),
    "y": ("`/", "'/"),
    "z": ("2", "7_"),
}

# One symbol per letter: ASCII stand-ins, currency signs, typographic marks and maths symbols that
# look like Greek letters (increment, n-ary sum and product, micro sign, APL omega, partial d).
_LEET_SYMBOLS: dict[str, tuple[str, ...]] = {
    "a": ("@", "\u00aa", "\u2200", "\u2206", "\u20b3"),
    "b": ("8", "\u00df", "\u0e3f"),
    "c": ("(", "\u00a2", "\u00a9", "\u20b5"),
    "d": ("\u2202", "\u20ab", "\u00d0"),
    "e": ("3", "\u20ac", "\u2211", "\u2208", "\u00a3"),
    "f": ("\u0192", "\u222b"),
    "g": ("9", "&", "\u20b2"),
    "h": ("#", "\u210f"),
    "i": ("!", "1", "|", "\u00a1"),
    "j": ("]", "\u00bf"),
    "k": ("\u20ad", "\u0138"),
    "l": ("1", "|", "\u00a6", "\u2113"),
    "m": ("\u20a5", "\u264f"),
    "n": ("\u220f", "\u20a6", "\u2229"),
    "o": ("0", "\u00f8", "\u00b0", "\u2205", "\u2299", "\u00a4"),
    "p": ("\u00b6", "\u20b1", "\u00fe", "\u2117"),
    "q": ("9",),
    "r": ("\u00ae", "\u211f"),
    "s": ("$", "5", "\u00a7"),
    "t": ("+", "7", "\u2020", "\u2021", "\u20ae", "\u22a4"),
    "u": ("\u00b5", "\u222a", "\u2294"),
    "v": ("\u221a", "\u2228"),
    "w": ("\u20a9", "\u2375"),
    "x": ("\u00d7", "\u2715"),
    "y": ("\u00a5", "\u2144"),
    "z": ("2", "\u01b6"),
}

# Look-alike letters from outside the Cyrillic and Greek blocks: Cherokee (capital and small),
# Armenian, Coptic, Lisu, Canadian syllabics, Tifinagh, Runic, Latin IPA / small capitals, roman
# numerals, letterlike and mathematical sans-serif letters, and a few odd ones (Oriya, Tai Le,
# Georgian, Hebrew). Keyed by the exact letter they replace, so case is kept.
_HOMOGLYPH_RARE: dict[str, tuple[str, ...]] = {
    # lower case
    "a": ("\u0251", "\u237a", "\u1d00", "\uab7a", "\U0001d5ba"),
    "b": ("\u0185", "\u13cf", "\u1472"),
    "c": ("\u217d", "\u1d04", "\u2ca5", "\uabaf"),
    "d": ("\u217e", "\u146f", "\u0257"),
    "e": ("\u212f", "\uab32", "\u1971", "\U0001d5be"),
    "f": ("\uab35", "\u017f"),
    "g": ("\u0261", "\u210a", "\u0581"),
    "h": ("\u210e", "\u0570", "\u13c2"),
    "i": ("\u2170", "\u0269", "\u0131", "\u2139", "\u13a5", "\U0001d5c2"),
    "j": ("\u0237", "\u2149"),
    "k": ("\u2c95", "\u1d0b", "\uabb6"),
    "l": ("\u2113", "\u01c0", "\u217c", "\u2d4f", "\ua4f2", "\u16c1", "\u05df"),
    "m": ("\u217f", "\u1d0d", "\uab87"),
    "n": ("\u0578", "\u057c", "\u0274", "\U0001d5c7"),
    "o": ("\u0585", "\u2c9f", "\u2134", "\u1d0f", "\u2d54", "\u0b66", "\U0001d5c8"),
    "p": ("\u2ca3", "\u1d18", "\uabb2"),
    "q": ("\u0566", "\u024b"),
    "r": ("\u0280", "\u027e", "\u2c85", "\uab47", "\U0001d5cb"),
    "s": ("\ua731", "\uabaa", "\u0282", "\U0001d5cc"),
    "t": ("\u1d1b", "\u0167", "\uab72", "\U0001d5cd"),
    "u": ("\u057d", "\u1d1c", "\u028b", "\uab52", "\U0001d5ce"),
    "v": ("\u2174", "\u1d20", "\uaba9", "\u142f"),
    "w": ("\u1d21", "\u0561", "\uab83", "\u026f"),
    "x": ("\u2179", "\u2cad", "\u1541"),
    "y": ("\u028f", "\u0263", "\u10e7"),
    "z": ("\u1d22", "\uab93", "\u0290"),
    # upper case
    "A": ("\u13aa", "\ua4ee", "\u15c5", "\U0001d5a0"),
    "B": ("\u13f4", "\ua4d0", "\u212c", "\u16d2"),
    "C": ("\u13df", "\ua4da", "\u2102", "\u1455", "\u2ca4"),
    "D": ("\u13a0", "\ua4d3", "\u15ea", "\u2145"),
    "E": ("\u13ac", "\ua4f0", "\u2130", "\u2d39"),
    "F": ("\ua4dd", "\u2131", "\u15b4"),
    "G": ("\u13c0", "\ua4d6"),
    "H": ("\u13bb", "\ua4e7", "\u210b", "\u210d", "\u2c8e", "\u157c"),
    "I": ("\ua4f2", "\u2110", "\u2160", "\u16c1", "\u2d4f"),
    "J": ("\u13ab", "\ua4d9", "\u148d"),
    "K": ("\u13e6", "\ua4d7", "\u2c94", "\u212a"),
    "L": ("\u13de", "\ua4e1", "\u2112", "\u216c", "\u14aa"),
    "M": ("\u13b7", "\ua4df", "\u2133", "\u216f", "\u2c98", "\u15f0"),
    "N": ("\ua4e0", "\u2115", "\u2c9a", "\u144e"),
    "O": ("\ua4f3", "\u0555", "\u2c9e", "\u2d54", "\u0b20"),
    "P": ("\u13e2", "\ua4d1", "\u2119", "\u2ca2", "\u146d"),
    "Q": ("\u211a", "\u2d55"),
    "R": ("\u13a1", "\ua4e3", "\u211b", "\u211d", "\u1587"),
    "S": ("\u13da", "\ua4e2", "\u054f", "\u1515"),
    "T": ("\u13a2", "\ua4d4", "\u2ca6"),
    "U": ("\ua4f4", "\u054d", "\u144c"),
    "V": ("\u13d9", "\ua4e6", "\u2164", "\u2d38"),
    "W": ("\u13b3", "\ua4ea", "\u15ef"),
    "X": ("\ua4eb", "\u2169", "\u2cac", "\u166d", "\u2d5d"),
    "Y": ("\ua4ec", "\u2ca8", "\u13a9"),
    "Z": ("\u13c3", "\ua4dc", "\u2124", "\u2128", "\u2c8c"),
}

# Separators put between the letters of a word ("i.n|s..t-r u_c/t"): a word picks two or three of
# these and every gap draws from that pick, so the spacing is uneven inside a word too.
_SEPARATORS: tuple[str, ...] = (
    ".",
    "|",
    "..",
    " ",
    "-",
    "_",
    "/",
    "*",
    "+",
    "~",
    ":",
    " . ",
    "\u00b7",
    "\u2022",
    "\u2013",
)

# Junk dropped inside words: ASCII punctuation, stars and dingbats, and single-code-point emoji.
_NOISE: tuple[str, ...] = (
    "#",
    "*",
    "~",
    "^",
    "%",
    "`",
    "_",
    "+",
    "=",
    "<",
    ">",
    "|",
    "'",
    "\u2605",
    "\u2606",
    "\u2728",
    "\u26a1",
    "\u2620",
    "\u2764",
    "\u00a4",
    "\u2022",
    "\u273f",
    "\U0001f525",
    "\U0001f480",
    "\U0001f608",
    "\U0001f47e",
    "\U0001f4a5",
    "\U0001f921",
    "\U0001f648",
)

# Precomposed accented letters for "case_and_marks".
_ACCENTED: dict[str, tuple[str, ...]] = {
    "a": ("\u00e1", "\u00e0", "\u00e2", "\u00e4", "\u00e3", "\u00e5", "\u0101"),
    "c": ("\u00e7", "\u0107", "\u010d"),
    "d": ("\u010f",),
    "e": ("\u00e9", "\u00e8", "\u00ea", "\u00eb", "\u0113", "\u0117", "\u0119"),
    "g": ("\u011f",),
    "i": ("\u00ed", "\u00ec", "\u00ee", "\u00ef", "\u012b"),
    "n": ("\u00f1", "\u0144", "\u0148"),
    "o": ("\u00f3", "\u00f2", "\u00f4", "\u00f6", "\u00f5", "\u014d"),
    "r": ("\u0159", "\u0155"),
    "s": ("\u0161", "\u015b", "\u015f"),
    "t": ("\u0165", "\u0163"),
    "u": ("\u00fa", "\u00f9", "\u00fb", "\u00fc", "\u016b", "\u016f"),
    "y": ("\u00fd", "\u00ff"),
    "z": ("\u017e", "\u017a", "\u017c"),
}

# Combining marks put after a letter: acute, grave, circumflex, tilde, macron, dot above,
# diaeresis, ring, caron, dot below, macron below, cedilla, ogonek, short stroke overlay.
_COMBINING: tuple[str, ...] = (
    "\u0301",
    "\u0300",
    "\u0302",
    "\u0303",
    "\u0304",
    "\u0307",
    "\u0308",
    "\u030a",
    "\u030c",
    "\u0323",
    "\u0331",
    "\u0327",
    "\u0328",
    "\u0335",
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _has_letter(text: str) -> bool:
    return _ASCII_LETTER.search(text) is not None


def _choose_words(tokens: list[str], rng: random.Random, share: float, ok: Callable[[str], bool]) -> list[int]:
    """Indices of the tokens to disguise: each eligible one with probability ``share``, at least one."""
    eligible = [i for i, tok in enumerate(tokens) if tok and not tok.isspace() and ok(tok)]
    if not eligible:
        return []
    chosen = [i for i in eligible if rng.random() < share]
    if not chosen:
        chosen = [rng.choice(eligible)]
    return chosen


def _per_word(
    text: str,
    rng: random.Random,
    share: float,
    fn: Callable[[str, random.Random], str],
    ok: Callable[[str], bool] = _has_letter,
) -> str:
    """Apply ``fn`` to a share of the whitespace-separated tokens of ``text``."""
    if not _has_letter(text):
        return text
    tokens = _WS_SPLIT.split(text)
    for i in _choose_words(tokens, rng, share, ok):
        tokens[i] = fn(tokens[i], rng)
    return "".join(tokens)


def _affixes(token: str) -> tuple[str, str, str]:
    """Split a token into (leading punctuation, core, trailing punctuation)."""
    start = 0
    while start < len(token) and not token[start].isalnum():
        start += 1
    end = len(token)
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[:start], token[start:end], token[end:]


def _clusters(core: str) -> list[str]:
    """A core split into characters, each with the combining marks that follow it."""
    out: list[str] = []
    for ch in core:
        if out and unicodedata.combining(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _core_len(token: str) -> int:
    return len(_clusters(_affixes(token)[1]))


def _substitute_letters(token: str, rng: random.Random, rate: float, options: Callable[[str], tuple[str, ...]]) -> str:
    """Replace each ASCII letter of ``token`` from ``options(letter)`` at ``rate``; at least one if any can be."""
    chars = list(token)
    replaceable = [i for i, ch in enumerate(chars) if ch.isascii() and ch.isalpha() and options(ch)]
    if not replaceable:
        return token
    hits = [i for i in replaceable if rng.random() < rate]
    if not hits:
        hits = [rng.choice(replaceable)]
    for i in hits:
        chars[i] = rng.choice(options(chars[i]))
    return "".join(chars)


def _lookup(table: dict[str, tuple[str, ...]], fold: bool) -> Callable[[str], tuple[str, ...]]:
    def options(ch: str) -> tuple[str, ...]:
        return table.get(ch.lower() if fold else ch, ())

    return options


# ---------------------------------------------------------------------------------------------
# Letter-level disguises
# ---------------------------------------------------------------------------------------------

_LEET_CLASSIC_OPTIONS = _lookup(_LEET_CLASSIC, fold=True)
_LEET_SYMBOL_OPTIONS = _lookup(_LEET_SYMBOLS, fold=True)
_HOMOGLYPH_OPTIONS = _lookup(_HOMOGLYPH_RARE, fold=False)


def leet_classic(text: str, rng: random.Random) -> str:
    """Multi-character leet (``|-|1dd3n``) on about two words in five."""
    return _per_word(text, rng, 0.4, lambda tok, r: _substitute_letters(tok, r, 0.55, _LEET_CLASSIC_OPTIONS))


def leet_symbols(text: str, rng: random.Random) -> str:
    """One symbol per letter (``$y$7\u2211m``), ASCII and non-ASCII, on about two words in five."""
    return _per_word(text, rng, 0.4, lambda tok, r: _substitute_letters(tok, r, 0.5, _LEET_SYMBOL_OPTIONS))


def homoglyph_rare(text: str, rng: random.Random) -> str:
    """Look-alike letters from Cherokee, Armenian, Coptic, Lisu, IPA, letterlike symbols and others."""
    return _per_word(text, rng, 0.5, lambda tok, r: _substitute_letters(tok, r, 0.45, _HOMOGLYPH_OPTIONS))


def _mark(ch: str, rng: random.Random) -> str:
    """An accented form of ``ch``: precomposed where the table has one, else combining mark(s)."""
    options = _ACCENTED.get(ch.lower())
    if options and rng.random() < 0.55:
        accented = rng.choice(options)
        return accented.upper() if ch.isupper() else accented
    marks = rng.choice(_COMBINING)
    if rng.random() < 0.2:
        marks += rng.choice(_COMBINING)
    return ch + marks


def case_and_marks(text: str, rng: random.Random) -> str:
    """rAnDoM case on about half the words plus a few accents and combining marks."""
    if not _has_letter(text):
        return text

    def flip_case(tok: str, r: random.Random) -> str:
        out = "".join((ch.swapcase() if r.random() < 0.45 else ch) for ch in tok)
        if out == tok:
            letters = [i for i, ch in enumerate(tok) if ch.isascii() and ch.isalpha()]
            i = r.choice(letters)
            out = tok[:i] + tok[i].swapcase() + tok[i + 1 :]
        return out

    cased = _per_word(text, rng, 0.5, flip_case)
    chars = list(cased)
    letters = [i for i, ch in enumerate(chars) if ch.isascii() and ch.isalpha()]
    marked = [i for i in letters if rng.random() < 0.07]
    if not marked:
        marked = [rng.choice(letters)]
    for i in marked:
        chars[i] = _mark(chars[i], rng)
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Structural disguises (they act on the word core, leaving leading/trailing punctuation alone)
# ---------------------------------------------------------------------------------------------


def _on_core(fn: Callable[[list[str], random.Random], str]) -> Callable[[str, random.Random], str]:
    def wrapped(tok: str, rng: random.Random) -> str:
        head, core, tail = _affixes(tok)
        return head + fn(_clusters(core), rng) + tail

    return wrapped


def _space_out(parts: list[str], rng: random.Random) -> str:
    pool = rng.sample(_SEPARATORS, rng.choice((2, 3)))
    out = [parts[0]]
    joined = 0
    for part in parts[1:]:
        if rng.random() < 0.1:
            out.append(part)
            continue
        out.append(rng.choice(pool) + part)
        joined += 1
    if joined == 0:
        out[1] = rng.choice(pool) + out[1]
    return "".join(out)


def spacing_mixed(text: str, rng: random.Random) -> str:
    """Letters split by a per-word mix of separators (``i.n|s..t-r``) on about a third of the words."""
    return _per_word(text, rng, 0.35, _on_core(_space_out), ok=lambda tok: _core_len(tok) >= 3)


def _add_noise(parts: list[str], rng: random.Random) -> str:
    gaps = list(range(1, len(parts)))
    count = min(len(gaps), rng.choice((1, 1, 2)))
    where = sorted(rng.sample(gaps, count), reverse=True)
    for gap in where:
        junk = rng.choice(_NOISE)
        if rng.random() < 0.15:
            junk += rng.choice(_NOISE)
        parts.insert(gap, junk)
    return "".join(parts)


def word_noise(text: str, rng: random.Random) -> str:
    """Junk characters and emoji inside about a third of the words (``inst#ructions``)."""
    return _per_word(text, rng, 0.35, _on_core(_add_noise), ok=lambda tok: _core_len(tok) >= 3)


def _break(parts: list[str], rng: random.Random) -> str:
    n = len(parts)
    # cut points keep every piece at least two characters long
    cuts: list[int] = []
    wanted = 1 if n < 8 else rng.choice((1, 2, 2))
    options = list(range(2, n - 1))
    rng.shuffle(options)
    for cut in options:
        if all(abs(cut - other) >= 2 for other in cuts):
            cuts.append(cut)
        if len(cuts) == wanted:
            break
    for cut in sorted(cuts, reverse=True):
        parts.insert(cut, " ")
    return "".join(parts)


def split_words(text: str, rng: random.Random) -> str:
    """Words broken by spaces at random points (``inst ruct ions``) on a good share of longer words."""
    return _per_word(text, rng, 0.45, _on_core(_break), ok=lambda tok: _core_len(tok) >= 4)


def _reverse(parts: list[str], rng: random.Random) -> str:
    return "".join(reversed(parts))


def _not_palindrome(tok: str) -> bool:
    parts = _clusters(_affixes(tok)[1])
    return len(parts) >= 3 and parts != parts[::-1]


def reversed_words(text: str, rng: random.Random) -> str:
    """The letters of about a third of the words written backwards (``snoitcurtsni``)."""
    return _per_word(text, rng, 0.3, _on_core(_reverse), ok=_not_palindrome)


# ---------------------------------------------------------------------------------------------
# Stacking
# ---------------------------------------------------------------------------------------------

# Order in which stacked disguises run: structure first, letter swaps last, so that separators and
# junk sit between whole leet glyphs rather than inside them.
_STACK_ORDER: tuple[str, ...] = (
    "reversed_words",
    "split_words",
    "spacing_mixed",
    "word_noise",
    "case_and_marks",
    "homoglyph_rare",
    "leet_symbols",
    "leet_classic",
)

_SINGLES: dict[str, Transform] = {
    "leet_classic": leet_classic,
    "leet_symbols": leet_symbols,
    "homoglyph_rare": homoglyph_rare,
    "spacing_mixed": spacing_mixed,
    "word_noise": word_noise,
    "split_words": split_words,
    "reversed_words": reversed_words,
    "case_and_marks": case_and_marks,
}


def stacked(text: str, rng: random.Random) -> str:
    """Two or three of the single disguises applied one after another."""
    if not _has_letter(text):
        return text
    names = rng.sample(_STACK_ORDER, rng.choice((2, 3)))
    for name in sorted(names, key=_STACK_ORDER.index):
        text = _SINGLES[name](text, rng)
    return text


TRANSFORMS: dict[str, Transform] = {**_SINGLES, "stacked": stacked}
