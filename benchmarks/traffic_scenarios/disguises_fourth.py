"""A fourth, held-out set of character-level disguises for measuring the text normaliser honestly.

This module was written without reading the normaliser (``querysentry/text/``), the other disguise
modules (``obfuscate.py``, ``disguises_unseen.py``, ``disguises_third.py``, ``benchmarks/obfuscation.py``)
or their tests. Its tables come from general knowledge of how people hide text from keyword and
embedding classifiers: leetspeak forums, "fancy text" generator sites, homoglyph spoofing, zero-width
and tag-character smuggling, and plain sloppy typing.

Every transform takes an English text and a ``random.Random`` and returns the disguised text:

* all randomness comes from the ``rng`` argument, so the same seed gives the same output;
* a text without ASCII letters comes back unchanged;
* no transform raises on any ``str``;
* only a share of the words (roughly 25-50 %) is touched, so a human can still read the result -- the
  realistic attacker case. ``leet_heavy_words`` touches fewer words (a few, but almost every letter of
  them); ``broken_words`` also removes the word next to a glued one; ``stacked`` applies two or three
  disguises, each choosing its own words, so it touches more.

Words are runs of ASCII letters; everything between them (spaces, punctuation, digits, other scripts)
is kept as it is. Non-ASCII characters are written as ``\\u`` escapes so that the tables can be reviewed.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable

Transform = Callable[[str, random.Random], str]

__all__ = ["TRANSFORMS", "Transform"]

# Capturing split: even indices are the gaps between words, odd indices are the words themselves.
_WORD_SPLIT = re.compile(r"([A-Za-z]+)")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_VOWELS = "aeiou"


# --------------------------------------------------------------------------------------------------
# Shared plumbing
# --------------------------------------------------------------------------------------------------


def _guarded(fn: Transform) -> Transform:
    """Return texts without ASCII letters untouched, so every transform honours that contract."""

    @functools.wraps(fn)
    def wrapper(text: str, rng: random.Random) -> str:
        if not _HAS_LETTER.search(text):
            return text
        return fn(text, rng)

    return wrapper


def _pick_words(
    parts: list[str], rng: random.Random, lo: float, hi: float, eligible: Callable[[str], bool]
) -> list[int]:
    """Pick the indices (into ``parts``) of the words to disguise.

    Only eligible words are candidates: those the disguise can visibly change, usually the longer
    content words attackers care about. The share is drawn per text from [lo, hi] and counted against
    the eligible words, so that letter fragments left by an earlier disguise (in ``stacked``) do not
    push the count up and concentrate this layer on the words still intact. At least one word is picked
    whenever one is eligible, so a typical sentence always changes.
    """
    pool = [i for i in range(1, len(parts), 2) if eligible(parts[i])]
    if not pool:
        return []
    k = max(1, round(rng.uniform(lo, hi) * len(pool)))
    return sorted(rng.sample(pool, k))


def _per_word(
    text: str,
    rng: random.Random,
    fn: Callable[[str, random.Random], str],
    lo: float = 0.25,
    hi: float = 0.5,
    eligible: Callable[[str], bool] = lambda w: len(w) >= 3,
) -> str:
    parts = _WORD_SPLIT.split(text)
    for i in _pick_words(parts, rng, lo, hi, eligible):
        parts[i] = fn(parts[i], rng)
    return "".join(parts)


def _letter_indices(word: str, rng: random.Random, share: float, minimum: int = 1) -> list[int]:
    """Indices of the letters to change: each with probability ``share``, topped up to ``minimum``."""
    chosen = [i for i in range(len(word)) if rng.random() < share]
    if len(chosen) < minimum:
        taken = set(chosen)
        rest = [i for i in range(len(word)) if i not in taken]
        chosen += rng.sample(rest, min(minimum - len(chosen), len(rest)))
    return sorted(chosen)


# --------------------------------------------------------------------------------------------------
# 1, 2. Leetspeak
# --------------------------------------------------------------------------------------------------

# Single-character stand-ins: digits, ASCII symbols, and the Latin-1 / Cyrillic symbols that leet
# generators like to throw in (Ya for R, I for N, Sha for W, the cent sign for C ...).
_LEET_SINGLE: dict[str, tuple[str, ...]] = {
    "a": ("4", "@", "^", "\u00aa"),
    "b": ("8", "6", "\u00df"),
    "c": ("(", "<", "[", "{", "\u00a2", "\u00a9"),
    "d": (")", "\u2202", "\u00d0"),
    "e": ("3", "&", "\u20ac", "\u00a3"),
    "f": ("\u0192", "#"),
    "g": ("9", "6", "&"),
    "h": ("#",),
    "i": ("1", "!", "|", "\u00a1"),
    "j": (";", "]"),
    "k": ("X",),
    "l": ("1", "|", "7", "\u00a3"),
    "n": ("\u0418",),
    "o": ("0", "\u00f8", "\u00b0", "*"),
    "p": ("\u00b6",),
    "q": ("9",),
    "r": ("2", "\u00ae", "\u042f"),
    "s": ("5", "$", "\u00a7", "z"),
    "t": ("7", "+", "\u2020"),
    "u": ("\u00b5", "v"),
    "v": ("\u221a",),
    "w": ("\u0428",),
    "x": ("%", "\u00d7", "*"),
    "y": ("\u00a5", "j"),
    "z": ("2", "%"),
}

# Multi-character glyphs drawn from ASCII art ("|\/|" for m); a few reuse other letters ("ph", "cl",
# "VV") the way real leet does, which also means a letter-run tokenizer sees different "words".
_LEET_MULTI: dict[str, tuple[str, ...]] = {
    "a": ("/-\\", "/\\", "/_\\"),
    "b": ("|3", "13", "|8", "!3"),
    "d": ("|)", "[)", "|>", "cl"),
    "e": ("[-", "|=-"),
    "f": ("|=", "ph", "|#"),
    "g": ("(_+", "(_-", "C-"),
    "h": ("|-|", "]-[", "}{", "(-)"),
    "i": ("][",),
    "j": ("_|", "_/"),
    "k": ("|<", "|{", "|(", "1<"),
    "l": ("|_", "1_"),
    "m": ("|\\/|", "/\\/\\", "^^", "[V]", "(\\/)", "|v|"),
    "n": ("|\\|", "/\\/", "^/", "[\\]", "|V"),
    "o": ("()", "[]", "<>"),
    "p": ("|*", "|o", "|>", "|D", "|7"),
    "q": ("0_", "(,)", "O,"),
    "r": ("|2", "12", "|?", "|^"),
    "t": ("-|-", "']['"),
    "u": ("|_|", "(_)", "L|"),
    "v": ("\\/", "|/"),
    "w": ("\\/\\/", "VV", "\\^/", "\\X/", "uu"),
    "x": ("><", ")(", "}{"),
    "y": ("`/", "'/"),
    "z": ("7_", "-/_", "~/_"),
}


def _leet_letter(letter: str, rng: random.Random, multi_share: float) -> str:
    key = letter.lower()
    single = _LEET_SINGLE.get(key, ())
    multi = _LEET_MULTI.get(key, ())
    if multi and (not single or rng.random() < multi_share):
        return rng.choice(multi)
    if single:
        return rng.choice(single)
    return letter


def _leet_word(word: str, rng: random.Random, share: float, minimum: int, multi_share: float) -> str:
    idx = _letter_indices(word, rng, share, minimum)
    chars = list(word)
    for i in idx:
        chars[i] = _leet_letter(chars[i], rng, multi_share)
    return "".join(chars)


@_guarded
def leet_mixed(text: str, rng: random.Random) -> str:
    """Leetspeak on a share of the words: some letters per word, single stand-ins mixed with glyphs."""
    # Each text gets its own density and its own taste for multi-character glyphs, as different people
    # (and different generator sites) do.
    multi_share = rng.uniform(0.2, 0.5)

    def one(word: str, r: random.Random) -> str:
        return _leet_word(word, r, r.uniform(0.3, 0.65), 1, multi_share)

    return _per_word(text, rng, one, eligible=lambda w: len(w) >= 2)


@_guarded
def leet_heavy_words(text: str, rng: random.Random) -> str:
    """A few words (about 8-20 %) written almost entirely in leetspeak ("1337 5P34K" style)."""

    def one(word: str, r: random.Random) -> str:
        # "Most letters": at least 70 % of them, usually all.
        minimum = max(1, -(-len(word) * 7 // 10))
        return _leet_word(word, r, r.uniform(0.85, 1.0), minimum, r.uniform(0.3, 0.6))

    return _per_word(text, rng, one, lo=0.08, hi=0.2, eligible=lambda w: len(w) >= 4)


# --------------------------------------------------------------------------------------------------
# 3. Look-alike letters from other scripts
# --------------------------------------------------------------------------------------------------


def _offset_alphabet(upper: int, lower: int) -> dict[str, tuple[str, ...]]:
    """A Unicode block that repeats A-Z and a-z contiguously (fullwidth, maths sans-serif, ...)."""
    table: dict[str, tuple[str, ...]] = {}
    for n in range(26):
        table[chr(ord("A") + n)] = (chr(upper + n),)
        table[chr(ord("a") + n)] = (chr(lower + n),)
    return table


# Cherokee capitals that look like Latin capitals. Cherokee also has small letters (U+AB70..) with the
# same shapes at x-height, which pass for lowercase Latin in many fonts.
_CHEROKEE_CAPS: dict[str, str] = {
    "A": "\u13aa",
    "B": "\u13f4",
    "C": "\u13df",
    "D": "\u13a0",
    "E": "\u13ac",
    "G": "\u13c0",
    "H": "\u13bb",
    "J": "\u13ab",
    "K": "\u13e6",
    "L": "\u13de",
    "M": "\u13b7",
    "P": "\u13e2",
    "R": "\u13a1",
    "S": "\u13da",
    "T": "\u13a2",
    "V": "\u13d9",
    "W": "\u13b3",
    "Z": "\u13c3",
}


def _cherokee_small(cap: str) -> str:
    code = ord(cap)
    # U+13A0..U+13EF pair with U+AB70..U+ABBF; U+13F0..U+13F5 pair with U+13F8..U+13FD.
    return chr(code - 0x13A0 + 0xAB70) if code <= 0x13EF else chr(code + 8)


def _cherokee_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {k: (v,) for k, v in _CHEROKEE_CAPS.items()}
    for k, v in _CHEROKEE_CAPS.items():
        table[k.lower()] = (_cherokee_small(v),)
    # Lowercase-shaped Cherokee letters: V (looks like i), GI (y), NI (h), SI (b).
    for k, v in (("i", "\u13a5"), ("y", "\u13a9"), ("h", "\u13c2"), ("b", "\u13cf")):
        table[k] = (*table.get(k, ()), v)
    return table


_LOOKALIKES: dict[str, dict[str, tuple[str, ...]]] = {
    "cyrillic": {
        "a": ("\u0430",),
        "c": ("\u0441",),
        "d": ("\u0501",),
        "e": ("\u0435",),
        "h": ("\u04bb",),
        "i": ("\u0456",),
        "j": ("\u0458",),
        "k": ("\u043a",),
        "l": ("\u04cf",),
        "m": ("\u043c",),
        "o": ("\u043e",),
        "p": ("\u0440",),
        "q": ("\u051b",),
        "s": ("\u0455",),
        "t": ("\u0442",),
        "v": ("\u0475",),
        "w": ("\u051d",),
        "x": ("\u0445",),
        "y": ("\u0443",),
        "A": ("\u0410",),
        "B": ("\u0412",),
        "C": ("\u0421",),
        "E": ("\u0415",),
        "H": ("\u041d",),
        "I": ("\u0406",),
        "J": ("\u0408",),
        "K": ("\u041a",),
        "M": ("\u041c",),
        "O": ("\u041e",),
        "P": ("\u0420",),
        "Q": ("\u051a",),
        "S": ("\u0405",),
        "T": ("\u0422",),
        "W": ("\u051c",),
        "X": ("\u0425",),
        "Y": ("\u04ae",),
    },
    "greek": {
        "a": ("\u03b1",),
        "c": ("\u03f2",),
        "e": ("\u03b5",),
        "i": ("\u03b9",),
        "j": ("\u03f3",),
        "k": ("\u03ba",),
        "n": ("\u03b7",),
        "o": ("\u03bf", "\u03c3"),
        "p": ("\u03c1",),
        "t": ("\u03c4",),
        "u": ("\u03c5",),
        "v": ("\u03bd",),
        "w": ("\u03c9",),
        "x": ("\u03c7",),
        "y": ("\u03b3",),
        "A": ("\u0391",),
        "B": ("\u0392",),
        "C": ("\u03f9",),
        "E": ("\u0395",),
        "H": ("\u0397",),
        "I": ("\u0399",),
        "K": ("\u039a",),
        "M": ("\u039c",),
        "N": ("\u039d",),
        "O": ("\u039f",),
        "P": ("\u03a1",),
        "T": ("\u03a4",),
        "X": ("\u03a7",),
        "Y": ("\u03a5",),
        "Z": ("\u0396",),
    },
    "armenian": {
        "g": ("\u0581",),
        "h": ("\u0570",),
        "j": ("\u0575",),
        "n": ("\u0578",),
        "o": ("\u0585",),
        "q": ("\u0566",),
        "u": ("\u057d",),
        "L": ("\u053c",),
        "O": ("\u0555",),
        "S": ("\u054f",),
        "U": ("\u054d",),
    },
    "cherokee": _cherokee_table(),
    # Lisu capitals are a near-complete Latin look-alike alphabet; used for capitals only.
    "lisu": {
        "A": ("\ua4ee",),
        "B": ("\ua4d0",),
        "C": ("\ua4da",),
        "D": ("\ua4d3",),
        "E": ("\ua4f0",),
        "F": ("\ua4dd",),
        "G": ("\ua4d6",),
        "H": ("\ua4e7",),
        "I": ("\ua4f2",),
        "J": ("\ua4d9",),
        "K": ("\ua4d7",),
        "L": ("\ua4e1",),
        "M": ("\ua4df",),
        "N": ("\ua4e0",),
        "O": ("\ua4f3",),
        "P": ("\ua4d1",),
        "R": ("\ua4e3",),
        "S": ("\ua4e2",),
        "T": ("\ua4d4",),
        "U": ("\ua4f4",),
        "V": ("\ua4e6",),
        "W": ("\ua4ea",),
        "X": ("\ua4eb",),
        "Y": ("\ua4ec",),
        "Z": ("\ua4dc",),
    },
    # IPA and Latin Extended letters: small capitals, hooked and dotless forms.
    "latin_ext": {
        "a": ("\u0251",),
        "b": ("\u0185", "\u0253"),
        "c": ("\u1d04",),
        "d": ("\u0257",),
        "g": ("\u0261",),
        "i": ("\u0131", "\u0269"),
        "j": ("\u0237",),
        "k": ("\u0138",),
        "l": ("\u01c0",),
        "o": ("\u1d0f",),
        "p": ("\u1d18", "\u01a5"),
        "r": ("\u027e", "\u0280"),
        "s": ("\ua731", "\u0282"),
        "t": ("\u01ad",),
        "u": ("\u028b", "\u1d1c"),
        "v": ("\u1d20",),
        "w": ("\u1d21",),
        "y": ("\u028f", "\u01b4"),
        "z": ("\u1d22",),
        "I": ("\u01c0",),
    },
    # Letterlike symbols, Roman numerals and the multiplication sign: not letters at all, but they read
    # as letters and survive most "strip the accents" clean-ups.
    "letterlike": {
        "c": ("\u217d",),
        "d": ("\u217e",),
        "e": ("\u212f",),
        "g": ("\u210a",),
        "h": ("\u210e",),
        "i": ("\u2170", "\u2139"),
        "l": ("\u2113", "\u217c"),
        "m": ("\u217f",),
        "o": ("\u2134",),
        "v": ("\u2174",),
        "x": ("\u2179", "\u00d7"),
        "C": ("\u216d",),
        "D": ("\u216e",),
        "I": ("\u2160",),
        "K": ("\u212a",),
        "L": ("\u216c",),
        "M": ("\u216f",),
        "V": ("\u2164",),
        "X": ("\u2169",),
    },
    # Mathematical sans-serif and monospace look like ordinary type, unlike the showy styles below.
    "math_sans": _offset_alphabet(0x1D5A0, 0x1D5BA),
    "math_mono": _offset_alphabet(0x1D670, 0x1D68A),
    "fullwidth": _offset_alphabet(0xFF21, 0xFF41),
}
_SCRIPTS = tuple(_LOOKALIKES)


def _lookalike_word(word: str, rng: random.Random) -> str:
    # Most spoofers pick one script and swap what it covers ("Cyrillic a/e/o/p"); others grab whatever
    # homoglyph a confusables list offers per letter, mixing scripts inside one word.
    single_script = rng.random() < 0.6
    script = rng.choice([s for s in _SCRIPTS if any(c in _LOOKALIKES[s] for c in word)])

    def options(c: str) -> list[str]:
        if single_script:
            return list(_LOOKALIKES[script].get(c, ()))
        return [g for s in _SCRIPTS for g in _LOOKALIKES[s].get(c, ())]

    coverable = [i for i, c in enumerate(word) if options(c)]
    share = rng.uniform(0.3, 1.0)
    chosen = [i for i in coverable if rng.random() < share] or [rng.choice(coverable)]
    chars = list(word)
    for i in chosen:
        chars[i] = rng.choice(options(chars[i]))
    return "".join(chars)


@_guarded
def lookalike_scripts(text: str, rng: random.Random) -> str:
    """Swap letters for look-alikes from Cyrillic, Greek, Armenian, Cherokee, Lisu, IPA, maths, fullwidth."""
    return _per_word(text, rng, _lookalike_word, eligible=lambda w: len(w) >= 2)


# --------------------------------------------------------------------------------------------------
# 4. "Fancy text" generator styles
# --------------------------------------------------------------------------------------------------


def _style_alphabet(upper: int | None, lower: int | None, holes: dict[str, str] | None = None) -> dict[str, str]:
    """A styled alphabet; a block with only capitals serves lowercase letters too (as the sites do)."""
    table: dict[str, str] = {}
    for n in range(26):
        up, low = chr(ord("A") + n), chr(ord("a") + n)
        if upper is not None:
            table[up] = chr(upper + n)
        if lower is not None:
            table[low] = chr(lower + n)
        elif upper is not None:
            table[low] = chr(upper + n)
        if upper is None and lower is not None:
            table[up] = chr(lower + n)
    # The mathematical alphabets have holes where a letterlike symbol already existed (italic h is the
    # Planck constant, script B is the Bernoulli symbol, ...); the sites fill them from U+21xx.
    table.update(holes or {})
    return table


def _style_table(pairs: str) -> dict[str, str]:
    """Lowercase-only alphabets (small caps, superscript): capitals map to the same glyph."""
    table: dict[str, str] = {}
    for letter, glyph in zip(pairs[0::2], pairs[1::2]):
        table[letter] = glyph
        table[letter.upper()] = glyph
    return table


_STYLES: dict[str, dict[str, str]] = {
    "bold": _style_alphabet(0x1D400, 0x1D41A),
    "italic": _style_alphabet(0x1D434, 0x1D44E, {"h": "\u210e"}),
    "bold_italic": _style_alphabet(0x1D468, 0x1D482),
    "script": _style_alphabet(
        0x1D49C,
        0x1D4B6,
        {
            "B": "\u212c",
            "E": "\u2130",
            "F": "\u2131",
            "H": "\u210b",
            "I": "\u2110",
            "L": "\u2112",
            "M": "\u2133",
            "R": "\u211b",
            "e": "\u212f",
            "g": "\u210a",
            "o": "\u2134",
        },
    ),
    "bold_script": _style_alphabet(0x1D4D0, 0x1D4EA),
    "fraktur": _style_alphabet(
        0x1D504, 0x1D51E, {"C": "\u212d", "H": "\u210c", "I": "\u2111", "R": "\u211c", "Z": "\u2128"}
    ),
    "bold_fraktur": _style_alphabet(0x1D56C, 0x1D586),
    "double_struck": _style_alphabet(
        0x1D538,
        0x1D552,
        {"C": "\u2102", "H": "\u210d", "N": "\u2115", "P": "\u2119", "Q": "\u211a", "R": "\u211d", "Z": "\u2124"},
    ),
    "sans_bold": _style_alphabet(0x1D5D4, 0x1D5EE),
    "sans_italic": _style_alphabet(0x1D608, 0x1D622),
    "sans_bold_italic": _style_alphabet(0x1D63C, 0x1D656),
    "circled": _style_alphabet(0x24B6, 0x24D0),
    "negative_circled": _style_alphabet(0x1F150, None),
    "parenthesised": _style_alphabet(0x1F110, 0x249C),
    "squared": _style_alphabet(0x1F130, None),
    "negative_squared": _style_alphabet(0x1F170, None),
    "wide": _style_alphabet(0xFF21, 0xFF41),
    # Small capitals: there is no small-capital x, so the sites leave it (and write q as q-ogonek).
    "small_caps": _style_table(
        "a\u1d00b\u0299c\u1d04d\u1d05e\u1d07f\ua730g\u0262h\u029ci\u026aj\u1d0ak\u1d0bl\u029fm\u1d0d"
        "n\u0274o\u1d0fp\u1d18q\u01ebr\u0280s\ua731t\u1d1bu\u1d1cv\u1d20w\u1d21xxy\u028fz\u1d22"
    ),
    # "Tiny text": modifier letters, with a Canadian syllabic standing in for the missing q.
    "superscript": _style_table(
        "a\u1d43b\u1d47c\u1d9cd\u1d48e\u1d49f\u1da0g\u1d4dh\u02b0i\u2071j\u02b2k\u1d4fl\u02e1m\u1d50"
        "n\u207fo\u1d52p\u1d56q\u146br\u02b3s\u02e2t\u1d57u\u1d58v\u1d5bw\u02b7x\u02e3y\u02b8z\u1dbb"
    ),
    # Subscript letters exist only for part of the alphabet; the rest stay plain, as on the sites.
    "subscript": _style_table(
        "a\u2090e\u2091h\u2095i\u1d62j\u2c7ck\u2096l\u2097m\u2098n\u2099o\u2092p\u209ar\u1d63"
        "s\u209bt\u209cu\u1d64v\u1d65x\u2093"
    ),
}

# Upside-down text: each letter rotated 180 degrees, and the word written backwards so it reads when
# the screen is turned. Letters that look the same rotated (o, s, x, z, H, N ...) are kept.
_UPSIDE_DOWN: dict[str, str] = {
    "a": "\u0250",
    "b": "q",
    "c": "\u0254",
    "d": "p",
    "e": "\u01dd",
    "f": "\u025f",
    "g": "\u0183",
    "h": "\u0265",
    "i": "\u1d09",
    "j": "\u027e",
    "k": "\u029e",
    "l": "l",
    "m": "\u026f",
    "n": "u",
    "o": "o",
    "p": "d",
    "q": "b",
    "r": "\u0279",
    "s": "s",
    "t": "\u0287",
    "u": "n",
    "v": "\u028c",
    "w": "\u028d",
    "x": "x",
    "y": "\u028e",
    "z": "z",
    "A": "\u2200",
    "B": "\ua4ed",
    "C": "\u0186",
    "D": "\u15e1",
    "E": "\u018e",
    "F": "\u2132",
    "G": "\u2141",
    "J": "\u017f",
    "K": "\ua4d8",
    "L": "\u2142",
    "M": "W",
    "P": "\u0500",
    "R": "\ua4e4",
    "T": "\ua4d5",
    "U": "\u2229",
    "V": "\u039b",
    "W": "M",
    "Y": "\u2144",
}

# Combining-overlay styles: strikethrough, underline, slashed -- one mark after every letter.
_OVERLAY_STYLES: dict[str, str] = {"strike": "\u0336", "underline": "\u0332", "slashed": "\u0338", "tilde": "\u0334"}

_STYLE_NAMES: tuple[str, ...] = (*_STYLES, "upside_down", *_OVERLAY_STYLES)


def _apply_style(word: str, style: str) -> str:
    if style == "upside_down":
        return "".join(_UPSIDE_DOWN.get(c, c) for c in reversed(word))
    if style in _OVERLAY_STYLES:
        return "".join(c + _OVERLAY_STYLES[style] for c in word)
    table = _STYLES[style]
    return "".join(table.get(c, c) for c in word)


@_guarded
def styled_unicode(text: str, rng: random.Random) -> str:
    """Fancy-text styles per word: maths bold/italic/script/fraktur/double-struck, circled, squared, ..."""
    # People usually copy one favourite style from a generator and sprinkle a few others in.
    favourite = rng.choice(_STYLE_NAMES)

    def one(word: str, r: random.Random) -> str:
        style = favourite if r.random() < 0.5 else r.choice(_STYLE_NAMES)
        out = _apply_style(word, style)
        # Palindromes of rotation-symmetric letters ("sos") and x-only words in subscript can come out
        # identical; bold always changes a letter.
        return out if out != word else _apply_style(word, "bold")

    return _per_word(text, rng, one, eligible=lambda w: len(w) >= 2)


# --------------------------------------------------------------------------------------------------
# 5. Separators between the letters
# --------------------------------------------------------------------------------------------------

_SEP_VISIBLE: tuple[str, ...] = (
    " ",
    ".",
    "-",
    "_",
    "*",
    "/",
    "\\",
    "|",
    "~",
    "+",
    ",",
    ":",
    "\u00b7",  # middle dot
    "\u2022",  # bullet
    "\u2027",  # hyphenation point
    "\u2219",  # bullet operator
    ". ",
    " - ",
)
_SEP_INVISIBLE: tuple[str, ...] = (
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u2060",  # word joiner
    "\u00ad",  # soft hyphen
    "\ufeff",  # zero width no-break space (BOM)
    "\u180e",  # Mongolian vowel separator
    "\u2061",  # function application
    "\u2062",  # invisible times
    "\u2063",  # invisible separator
    "\u2064",  # invisible plus
    "\u034f",  # combining grapheme joiner
)
_SEP_SPACES: tuple[str, ...] = (
    "\u00a0",  # no-break space
    "\u2002",  # en space
    "\u2009",  # thin space
    "\u200a",  # hair space
    "\u202f",  # narrow no-break space
    "\u205f",  # medium mathematical space
    "\u3000",  # ideographic space
)
_SEP_ALL = _SEP_VISIBLE + _SEP_INVISIBLE + _SEP_SPACES


def _separate_word(word: str, rng: random.Random, house: str | None) -> str:
    gaps = len(word) - 1
    if house is not None:
        seps = [house] * gaps
    else:
        family = rng.choices((_SEP_VISIBLE, _SEP_INVISIBLE, _SEP_SPACES), weights=(45, 35, 20))[0]
        mode = rng.choices(("uniform", "mixed", "partial"), weights=(55, 20, 25))[0]
        if mode == "uniform":
            sep = rng.choice(family)
            # Now and then doubled ("i..g..n..o..r..e").
            seps = [sep * 2 if rng.random() < 0.1 and sep.strip() else sep] * gaps
        elif mode == "mixed":
            pool = family if rng.random() < 0.5 else _SEP_ALL
            seps = [rng.choice(pool) for _ in range(gaps)]
        else:
            # Only a few gaps: enough to split the token, hard to spot.
            sep = rng.choice(family)
            where = set(rng.sample(range(gaps), rng.randint(1, max(1, gaps // 2))))
            seps = [sep if j in where else "" for j in range(gaps)]
    out = [word[0]]
    for sep, letter in zip(seps, word[1:]):
        out.append(sep + letter)
    return "".join(out)


@_guarded
def separators(text: str, rng: random.Random) -> str:
    """Letters of a share of the words separated by visible, invisible or odd-space separators."""
    # Half of the writers pick one separator for the whole message ("i.g.n.o.r.e a.l.l").
    house = rng.choice(_SEP_ALL) if rng.random() < 0.5 else None

    def one(word: str, r: random.Random) -> str:
        return _separate_word(word, r, house)

    return _per_word(text, rng, one, eligible=lambda w: len(w) >= 2)


# --------------------------------------------------------------------------------------------------
# 6. Junk inside words
# --------------------------------------------------------------------------------------------------

_NOISE: dict[str, tuple[str, ...]] = {
    "punct": (
        ".",
        ",",
        "'",
        "`",
        "*",
        "^",
        "~",
        '"',
        "#",
        "_",
        "-",
        "|",
        ":",
        ";",
        "!",
        "?",
        "+",
        "=",
        "\u00b0",
        "\u00a8",
        "\u00b4",
        "\u02d9",
    ),
    "emoji": (
        "\U0001f600",
        "\U0001f602",
        "\U0001f525",
        "\u2728",
        "\U0001f449",
        "\U0001f480",
        "\U0001f642",
        "\u2764\ufe0f",
        "\U0001f916",
        "\U0001f440",
        "\U0001f4af",
        "\U0001f680",
        "\u2b50",
        "\U0001f44d\U0001f3fd",  # thumbs up with a skin-tone modifier: two code points, one picture
    ),
    "dingbat": (
        "\u2713",
        "\u2714",
        "\u2726",
        "\u2727",
        "\u2756",
        "\u27a4",
        "\u2605",
        "\u2606",
        "\u2666",
        "\u2731",
        "\u2740",
        "\u263c",
        "\u266a",
        "\u26a1",
        "\u25aa",
        "\u25c6",
        "\u203b",
    ),
    # Combining marks attach to the letter before them: the word still reads, the code points differ.
    "combining": (
        "\u0300",
        "\u0301",
        "\u0302",
        "\u0303",
        "\u0308",
        "\u030a",
        "\u0323",
        "\u0327",
        "\u0330",
        "\u0332",
        "\u0334",
        "\u0335",
        "\u0336",
        "\u0337",
        "\u0338",
        "\u0489",
        "\u20dd",
        "\u20e3",
    ),
    "invisible": (
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\u00ad",
        "\ufeff",
        "\u2061",
        "\u2062",
        "\u2063",
        "\u2064",
        "\u180e",
        "\u034f",
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\ufe0f",  # variation selector 16
        "\ufe00",  # variation selector 1
        "\u2066\u2069",  # an empty, invisible bidi isolate
    ),
}


def _tag_run(rng: random.Random) -> str:
    # Unicode tag characters (U+E0020..U+E007E) render as nothing; smugglers use them to hide text.
    return "".join(chr(0xE0020 + rng.randrange(0x5F)) for _ in range(rng.randint(1, 4)))


def _zalgo(rng: random.Random) -> str:
    return "".join(chr(rng.randint(0x0300, 0x036F)) for _ in range(rng.randint(2, 6)))


def _junk(kind: str, rng: random.Random) -> str:
    if kind == "tag":
        return _tag_run(rng)
    if kind == "zalgo":
        return _zalgo(rng)
    return rng.choice(_NOISE[kind])


_NOISE_KINDS: tuple[str, ...] = (*_NOISE, "tag", "zalgo")


def _noise_word(word: str, rng: random.Random) -> str:
    kind = rng.choices((*_NOISE_KINDS, "mixed"), weights=(20, 10, 10, 15, 20, 8, 7, 10))[0]
    count = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    # Marks may also go after the last letter; other junk only between letters, where it breaks the token.
    attaches = kind in ("combining", "zalgo")
    slots = list(range(1, len(word) + 1)) if attaches else list(range(1, len(word)))
    where = sorted(rng.sample(slots, min(count, len(slots))), reverse=True)
    out = word
    for pos in where:
        this = rng.choice(_NOISE_KINDS) if kind == "mixed" else kind
        out = out[:pos] + _junk(this, rng) + out[pos:]
    return out


@_guarded
def inner_noise(text: str, rng: random.Random) -> str:
    """Junk inside a share of the words: punctuation, emoji, dingbats, combining marks, invisibles, tags."""
    return _per_word(text, rng, _noise_word)


# --------------------------------------------------------------------------------------------------
# 7. Broken and glued words
# --------------------------------------------------------------------------------------------------

# Break strings, weighted towards the plain space; the others are what copy-paste from PDFs, chat
# clients and narrow text boxes leaves behind.
_BREAKS: tuple[str, ...] = (" ", "  ", "\n", "-\n", " \n", "\r\n", "\t", "\n\n")
_BREAK_WEIGHTS: tuple[int, ...] = (40, 10, 15, 10, 8, 5, 5, 7)


def _break_word(word: str, rng: random.Random) -> str:
    cuts = 2 if len(word) >= 9 and rng.random() < 0.3 else 1
    points = sorted(rng.sample(range(1, len(word)), min(cuts, len(word) - 1)))
    pieces = [word[a:b] for a, b in zip([0, *points], [*points, len(word)])]
    out = pieces[0]
    for piece in pieces[1:]:
        out += rng.choices(_BREAKS, weights=_BREAK_WEIGHTS)[0] + piece
    return out


@_guarded
def broken_words(text: str, rng: random.Random) -> str:
    """Words split at random points by spaces or line breaks; short words glued to their neighbour."""
    parts = _WORD_SPLIT.split(text)
    glue_share = rng.uniform(0.2, 0.6)
    changed = False
    for i in _pick_words(parts, rng, 0.25, 0.45, lambda w: len(w) >= 2):
        word = parts[i]
        # "ofthe", "tothe", "systemprompt": only across plain whitespace, never across punctuation.
        can_glue = i + 2 < len(parts) and parts[i + 1].isspace()
        if can_glue and (len(word) <= 4 or rng.random() < glue_share) and rng.random() < 0.8:
            parts[i + 1] = ""
            changed = True
        elif len(word) >= 3:
            parts[i] = _break_word(word, rng)
            changed = True
        elif can_glue:
            parts[i + 1] = ""
            changed = True
    if not changed:
        # Only very short words with no whitespace after them: split the longest of them.
        longest = max(range(1, len(parts), 2), key=lambda j: len(parts[j]))
        if len(parts[longest]) >= 2:
            parts[longest] = _break_word(parts[longest], rng)
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# 8. Typos
# --------------------------------------------------------------------------------------------------

# QWERTY neighbours (same row and the rows above/below) -- where a finger slips to.
_KEYBOARD: dict[str, str] = {
    "q": "wa",
    "w": "qeas",
    "e": "wrsd",
    "r": "etdf",
    "t": "ryfg",
    "y": "tugh",
    "u": "yihj",
    "i": "uojk",
    "o": "iplk",
    "p": "ol",
    "a": "qwsz",
    "s": "awedxz",
    "d": "serfcx",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "z": "asx",
    "x": "zsdc",
    "c": "xdfv",
    "v": "cfgb",
    "b": "vghn",
    "n": "bhjm",
    "m": "njk",
}


def _neighbour(letter: str, rng: random.Random) -> str:
    near = rng.choice(_KEYBOARD[letter.lower()])
    return near.upper() if letter.isupper() else near


def _typo_swap(word: str, rng: random.Random) -> str:
    spots = [i for i in range(len(word) - 1) if word[i].lower() != word[i + 1].lower()]
    if not spots:
        return _typo_sub(word, rng)
    # People rarely swap the first two letters; they do swap inside the word ("teh", "recieve").
    inner = [i for i in spots if i >= 1]
    i = rng.choice(inner) if inner and rng.random() < 0.85 else rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _typo_drop(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1 :]


def _typo_double(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    return word[: i + 1] + word[i] + word[i + 1 :]


def _typo_sub(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    return word[:i] + _neighbour(word[i], rng) + word[i + 1 :]


def _typo_fat_finger(word: str, rng: random.Random) -> str:
    # Hitting a neighbouring key as well as the right one.
    i = rng.randrange(len(word))
    extra = _neighbour(word[i], rng)
    return word[:i] + extra + word[i:] if rng.random() < 0.5 else word[: i + 1] + extra + word[i + 1 :]


_TYPO_OPS: tuple[Callable[[str, random.Random], str], ...] = (
    _typo_swap,
    _typo_drop,
    _typo_double,
    _typo_sub,
    _typo_fat_finger,
)
_TYPO_WEIGHTS: tuple[int, ...] = (30, 25, 15, 20, 10)


def _typo_word(word: str, rng: random.Random) -> str:
    count = 2 if len(word) >= 7 and rng.random() < 0.25 else 1
    out = word
    for _ in range(count):
        out = rng.choices(_TYPO_OPS, weights=_TYPO_WEIGHTS)[0](out, rng)
    # A drop followed by a double can restore the word; a neighbour key never equals the letter.
    return out if out != word else _typo_sub(word, rng)


@_guarded
def typos(text: str, rng: random.Random) -> str:
    """Realistic typos in a share of the words: swaps, drops, doubles, neighbouring keys."""
    return _per_word(text, rng, _typo_word)


# --------------------------------------------------------------------------------------------------
# 9. Case noise and diacritics
# --------------------------------------------------------------------------------------------------

# Precomposed accented forms per base letter (Latin-1, Latin Extended-A/B and Latin Extended Additional).
_ACCENTED: dict[str, tuple[str, ...]] = {
    "a": (
        "\u00e0",
        "\u00e1",
        "\u00e2",
        "\u00e3",
        "\u00e4",
        "\u00e5",
        "\u0101",
        "\u0103",
        "\u0105",
        "\u01ce",
        "\u0227",
        "\u1ea1",
    ),
    "b": ("\u1e03", "\u1e05"),
    "c": ("\u00e7", "\u0107", "\u0109", "\u010b", "\u010d"),
    "d": ("\u010f", "\u1e0b", "\u1e0d"),
    "e": (
        "\u00e8",
        "\u00e9",
        "\u00ea",
        "\u00eb",
        "\u0113",
        "\u0115",
        "\u0117",
        "\u0119",
        "\u011b",
        "\u1eb9",
        "\u1ebd",
    ),
    "f": ("\u1e1f",),
    "g": ("\u011d", "\u011f", "\u0121", "\u0123", "\u01e7"),
    "h": ("\u0125", "\u1e23", "\u1e25", "\u1e27"),
    "i": ("\u00ec", "\u00ed", "\u00ee", "\u00ef", "\u0129", "\u012b", "\u012d", "\u012f", "\u01d0", "\u1ecb"),
    "j": ("\u0135",),
    "k": ("\u0137", "\u1e31", "\u01e9"),
    "l": ("\u013a", "\u013c", "\u013e", "\u1e37"),
    "m": ("\u1e3f", "\u1e41", "\u1e43"),
    "n": ("\u00f1", "\u0144", "\u0146", "\u0148", "\u1e45", "\u01f9"),
    "o": (
        "\u00f2",
        "\u00f3",
        "\u00f4",
        "\u00f5",
        "\u00f6",
        "\u014d",
        "\u014f",
        "\u0151",
        "\u01d2",
        "\u1ecd",
        "\u022f",
    ),
    "p": ("\u1e55", "\u1e57"),
    "r": ("\u0155", "\u0157", "\u0159", "\u1e59", "\u1e5b"),
    "s": ("\u015b", "\u015d", "\u015f", "\u0161", "\u1e61", "\u1e63", "\u0219"),
    "t": ("\u0163", "\u0165", "\u1e6b", "\u1e6d", "\u021b"),
    "u": (
        "\u00f9",
        "\u00fa",
        "\u00fb",
        "\u00fc",
        "\u0169",
        "\u016b",
        "\u016d",
        "\u016f",
        "\u0171",
        "\u0173",
        "\u01d4",
        "\u1ee5",
    ),
    "v": ("\u1e7d", "\u1e7f"),
    "w": ("\u0175", "\u1e81", "\u1e83", "\u1e85", "\u1e87"),
    "x": ("\u1e8b", "\u1e8d"),
    "y": ("\u00fd", "\u00ff", "\u0177", "\u1e8f", "\u1ef3", "\u1ef9"),
    "z": ("\u017a", "\u017c", "\u017e", "\u1e91", "\u1e93"),
}
# Decomposed accents (letter + combining mark): looks the same as the precomposed form, different bytes.
_COMBINING_ACCENTS: tuple[str, ...] = (
    "\u0300",
    "\u0301",
    "\u0302",
    "\u0303",
    "\u0304",
    "\u0306",
    "\u0307",
    "\u0308",
    "\u030a",
    "\u030b",
    "\u030c",
    "\u0323",
    "\u0327",
    "\u0328",
    "\u0331",
)


def _recase(word: str, rng: random.Random, mode: str) -> str:
    if mode == "alternate":
        first_upper = rng.random() < 0.5
        return "".join(c.upper() if (i % 2 == 0) == first_upper else c.lower() for i, c in enumerate(word))
    if mode == "invert":
        # Caps lock on while the shift key is held: "iGNORE".
        return word.swapcase()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def _accent_letter(letter: str, rng: random.Random) -> str:
    options = _ACCENTED.get(letter.lower())
    if options and rng.random() < 0.75:
        glyph = rng.choice(options)
        if letter.isupper():
            up = glyph.upper()
            # Some accented lowercase letters have no single-code-point capital; decompose those.
            return up if len(up) == 1 else letter + rng.choice(_COMBINING_ACCENTS)
        return glyph
    return letter + rng.choice(_COMBINING_ACCENTS)


def _accent(word: str, rng: random.Random) -> str:
    chars = list(word)
    for i in _letter_indices(word, rng, rng.uniform(0.25, 0.6)):
        chars[i] = _accent_letter(chars[i], rng)
    return "".join(chars)


def _case_word(word: str, rng: random.Random) -> str:
    mode = rng.choices(("alternate", "random", "invert", "accents", "both"), weights=(25, 20, 10, 25, 20))[0]
    out = word
    if mode in ("alternate", "random", "invert"):
        out = _recase(word, rng, mode)
    elif mode == "both":
        out = _accent(_recase(word, rng, rng.choice(("alternate", "random"))), rng)
    else:
        out = _accent(word, rng)
    # Random or alternating case can land on the original casing; flipping one letter always differs.
    if out == word:
        i = rng.randrange(len(word))
        out = word[:i] + word[i].swapcase() + word[i + 1 :]
    return out


@_guarded
def case_noise(text: str, rng: random.Random) -> str:
    """Random, alternating or inverted case and accents/diacritics on a share of the words."""
    return _per_word(text, rng, _case_word, eligible=lambda w: len(w) >= 2)


# --------------------------------------------------------------------------------------------------
# Extra: vowel dropping
# --------------------------------------------------------------------------------------------------


def _can_drop_vowel(word: str) -> bool:
    return len(word) >= 4 and any(c.lower() in _VOWELS for c in word[1:])


def _vowel_drop_word(word: str, rng: random.Random) -> str:
    # Texting style keeps the first letter ("instrctns"); some writers drop it too ("nstrctns").
    start = 1 if rng.random() < 0.75 else 0
    idx = [i for i in range(start, len(word)) if word[i].lower() in _VOWELS]
    # Mostly every vowel; sometimes only some of them (at least one).
    dropped = set(idx) if rng.random() < 0.65 else {i for i in idx if rng.random() < 0.6} or {rng.choice(idx)}
    out = "".join(c for i, c in enumerate(word) if i not in dropped)
    return out or word[0]


@_guarded
def vowel_drop(text: str, rng: random.Random) -> str:
    """Disemvowelled words ("dsregard prvs nstrctns"): all or some vowels of a share of the words."""
    return _per_word(text, rng, _vowel_drop_word, eligible=_can_drop_vowel)


# --------------------------------------------------------------------------------------------------
# 10. Stacked
# --------------------------------------------------------------------------------------------------

_BASE: dict[str, Transform] = {
    "leet_mixed": leet_mixed,
    "leet_heavy_words": leet_heavy_words,
    "lookalike_scripts": lookalike_scripts,
    "styled_unicode": styled_unicode,
    "separators": separators,
    "inner_noise": inner_noise,
    "broken_words": broken_words,
    "typos": typos,
    "case_noise": case_noise,
    "vowel_drop": vowel_drop,
}

# The order an attacker naturally applies things in: reshape the words, then swap glyphs, then insert
# junk. Inserting first and then running a word-level disguise would mostly hit the fragments.
_STAGE: dict[str, int] = {
    "typos": 0,
    "vowel_drop": 0,
    "case_noise": 0,
    "broken_words": 0,
    "leet_mixed": 1,
    "leet_heavy_words": 1,
    "lookalike_scripts": 1,
    "styled_unicode": 1,
    "separators": 2,
    "inner_noise": 2,
}


@_guarded
def stacked(text: str, rng: random.Random) -> str:
    """Two or three of the other disguises, one after another, each on its own share of words."""
    names = rng.sample(list(_BASE), rng.choice((2, 2, 3)))
    names.sort(key=lambda n: _STAGE[n])
    # A quarter of the time the layers come in an arbitrary order, as when several tools are chained.
    if rng.random() < 0.25:
        rng.shuffle(names)
    for name in names:
        text = _BASE[name](text, rng)
    return text


TRANSFORMS: dict[str, Transform] = {**_BASE, "stacked": stacked}
