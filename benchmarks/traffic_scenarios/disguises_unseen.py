"""A second, independent set of character-level disguises for held-out normaliser tests.

Written by a helper session from its own knowledge of how attackers hide text from a classifier,
without reading the text normaliser (``querysentry/text``) or the repository's other obfuscation
modules, so that none of these tables was seen by the normaliser's author.

Every transform takes an English text and a ``random.Random`` and returns the disguised text; all
randomness comes from that rng, so the same seed always gives the same output. Non-ASCII characters
are written as escapes so the tables stay readable and reviewable.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence

__all__ = ["TRANSFORMS"]

Transform = Callable[[str, random.Random], str]

_TOKEN_RE = re.compile(r"(\s+)")


def _tokens(text: str) -> list[str]:
    """Split into alternating word / whitespace tokens (whitespace kept, so joining restores the text)."""
    return _TOKEN_RE.split(text)


def _is_word(token: str) -> bool:
    return any(ch.isalpha() for ch in token)


def _map_words(
    text: str,
    rng: random.Random,
    fraction: float,
    word_fn: Callable[[str, random.Random], str],
) -> str:
    """Apply ``word_fn`` to about ``fraction`` of the words; at least one word if any changes are possible."""
    parts = _tokens(text)
    word_idx = [i for i, tok in enumerate(parts) if tok and not tok.isspace() and _is_word(tok)]
    if not word_idx:
        return text
    chosen = [i for i in word_idx if rng.random() < fraction]
    if not chosen:
        chosen = [rng.choice(word_idx)]
    for i in chosen:
        parts[i] = word_fn(parts[i], rng)
    out = "".join(parts)
    if out == text:
        # Force a visible change on one word (word_fn may have picked no letter to touch).
        i = rng.choice(word_idx)
        parts[i] = word_fn(parts[i], rng)
        out = "".join(parts)
    return out


# --------------------------------------------------------------------------------------------
# Leetspeak
# --------------------------------------------------------------------------------------------

# The first one or two entries of each list are the "common" substitutions; later ones are rarer.
_LEET: dict[str, tuple[str, ...]] = {
    "a": ("4", "@", "/-\\", "^", "\u2202", "/\\"),
    "b": ("8", "|3", "6", "\u00df", "13", "!3"),
    "c": ("(", "<", "[", "\u00a9", "\u00a2"),
    "d": ("|)", "[)", "cl", "|>", "])"),
    "e": ("3", "\u20ac", "&", "[-", "\u00a3"),
    "f": ("|=", "ph", "\u0192", "|#", "]="),
    "g": ("9", "6", "(_+", "C-", "&"),
    "h": ("#", "|-|", "]-[", "}{", "4"),
    "i": ("1", "!", "|", "][", "\u00a1"),
    "j": ("_|", ";", "_/", "]"),
    "k": ("|<", "|{", "X", "1<"),
    "l": ("1", "|", "|_", "7", "\u00a3"),
    "m": ("|\\/|", "/\\/\\", "^^", "[]V[]", "(V)"),
    "n": ("|\\|", "/\\/", "^/", "\u0418"),
    "o": ("0", "()", "[]", "\u00b0", "\u00f8"),
    "p": ("|*", "|o", "9", "|>", "|\u00b0"),
    "q": ("9", "0_", "(,)", "O,"),
    "r": ("|2", "12", "\u042f", "\u00ae", "|?"),
    "s": ("5", "$", "z", "\u00a7"),
    "t": ("7", "+", "\u2020", "-|-", "']['"),
    "u": ("|_|", "(_)", "\u00b5", "v"),
    "v": ("\\/", "|/", "\\|"),
    "w": ("\\/\\/", "vv", "\\^/", "\u0428", "uu"),
    "x": ("><", "}{", "\u00d7", ")("),
    "y": ("`/", "\u00a5", "'/", "j"),
    "z": ("2", "7_", "%", "~/_"),
}


def _leet_char(ch: str, rng: random.Random) -> str:
    options = _LEET.get(ch.lower())
    if not options:
        return ch
    if rng.random() < 0.6:
        return rng.choice(options[:2])
    return rng.choice(options)


def _leet_word(word: str, rng: random.Random) -> str:
    """Whole-word substitution (every mappable letter) or partial substitution (each letter ~45%)."""
    if rng.random() < 0.45:
        return "".join(_leet_char(ch, rng) for ch in word)
    out: list[str] = []
    for ch in word:
        out.append(_leet_char(ch, rng) if rng.random() < 0.45 else ch)
    mappable = [i for i, ch in enumerate(word) if ch.lower() in _LEET]
    if mappable and all(a == b for a, b in zip(out, word)):
        i = rng.choice(mappable)
        out[i] = _leet_char(word[i], rng)
    return "".join(out)


def leet_heavy(text: str, rng: random.Random) -> str:
    """Leetspeak on nearly every word, mixing whole-word and partial substitution."""
    return _map_words(text, rng, 0.9, _leet_word)


def leet_light(text: str, rng: random.Random) -> str:
    """Leetspeak on about 40% of the words."""
    return _map_words(text, rng, 0.4, _leet_word)


# --------------------------------------------------------------------------------------------
# Cross-script look-alikes
# --------------------------------------------------------------------------------------------

_LOOKALIKES: dict[str, tuple[str, ...]] = {
    # lower case
    "a": ("\u0430", "\u03b1", "\u0251", "\U0001d41a", "\uff41", "\u237a"),  # Cyr, Greek, Latin alpha, APL
    "b": ("\u042c", "\u0184", "\U0001d41b", "\u13cf", "\uff42"),  # Cyr soft sign, tone six, math, Cherokee si
    "c": ("\u0441", "\u03f2", "\u217d", "\u1d04", "\U0001d41c", "\u2ca5"),  # Cyr es, lunate sigma, roman 100
    "d": ("\u0501", "\u217e", "\u146f", "\U0001d41d", "\uff44"),  # Cyr komi de, roman 500, Canadian syllabics
    "e": ("\u0435", "\u212f", "\u04bd", "\U0001d41e", "\uff45", "\uab32"),  # Cyr ie, script e, Cyr abkhasian che
    "f": ("\U0001d41f", "\u0192", "\u017f", "\uff46"),
    "g": ("\u0261", "\u0581", "\u210a", "\U0001d420", "\u0260"),  # script g, Armenian co, script small g
    "h": ("\u04bb", "\u0570", "\u210e", "\U0001d421", "\u13c2"),  # Cyr shha, Armenian ho, Planck, Cherokee
    "i": ("\u0456", "\u03b9", "\u2170", "\u0131", "\U0001d422", "\u0269"),  # Cyr i, iota, roman one, dotless i
    "j": ("\u0458", "\u03f3", "\u0237", "\U0001d423", "\uff4a"),  # Cyr je, Greek yot, dotless j
    "k": ("\u03ba", "\u043a", "\u1d0b", "\U0001d424", "\u0138"),  # kappa, Cyr ka, small cap k, kra
    "l": ("\u04cf", "\u217c", "\u2113", "\u0406", "\U0001d425", "\u01c0", "\u05c0"),  # palochka, roman 50, script l
    "m": ("\u217f", "\u043c", "\U0001d426", "\u1d0d", "\uff4d"),  # roman 1000, Cyr em
    "n": ("\u0578", "\u057c", "\u0438", "\U0001d427", "\u1d0e"),  # Armenian vo, Armenian ra
    "o": ("\u043e", "\u03bf", "\u0585", "\u2134", "\U0001d428", "\u0ce6", "\u1d0f", "\u101d"),  # Kannada 0, Myanmar wa
    "p": ("\u0440", "\u03c1", "\u2374", "\U0001d429", "\uff50"),  # Cyr er, rho, APL rho
    "q": ("\u051b", "\u0566", "\u0563", "\U0001d42a"),  # Cyr qa, Armenian za
    "r": ("\u0433", "\u1d26", "\u2c85", "\U0001d42b", "\uab81"),  # Cyr ghe, small cap gamma, Coptic gamma
    "s": ("\u0455", "\ua731", "\u01bd", "\U0001d42c", "\uff53"),  # Cyr dze, small cap s
    "t": ("\U0001d42d", "\u1d1b", "\u0442", "\uff54", "\u01ad"),  # small cap t, Cyr te
    "u": ("\u057d", "\u03c5", "\u1d1c", "\U0001d42e", "\u028b"),  # Armenian seh, upsilon
    "v": ("\u03bd", "\u0475", "\u2174", "\u1d20", "\U0001d42f"),  # nu, Cyr izhitsa, roman five
    "w": ("\u051d", "\u0461", "\u1d21", "\u0561", "\U0001d430"),  # Cyr we, Cyr omega, Armenian ayb
    "x": ("\u0445", "\u03c7", "\u2179", "\u00d7", "\U0001d431"),  # Cyr ha, chi, roman ten
    "y": ("\u0443", "\u04af", "\u03b3", "\U0001d432", "\u10e7"),  # Cyr u, straight u, gamma, Georgian
    "z": ("\u1d22", "\u0290", "\U0001d433", "\uff5a", "\u01b6"),  # small cap z
    # upper case
    "A": ("\u0410", "\u0391", "\u13aa", "\U0001d400", "\ua4ee", "\u15c5"),  # Cyr, Greek, Cherokee, math, Lisu
    "B": ("\u0412", "\u0392", "\u13f4", "\u212c", "\ua4d0"),  # script B
    "C": ("\u0421", "\u03f9", "\u13df", "\u216d", "\u2102", "\ua4da"),  # lunate sigma cap, roman 100, double-struck
    "D": ("\u13a0", "\u216e", "\ua4d3", "\U0001d403"),
    "E": ("\u0415", "\u0395", "\u13ac", "\u2130", "\ua4f0"),
    "F": ("\u03dc", "\u2131", "\ua4dd", "\U0001d405"),  # digamma, script F
    "G": ("\u050c", "\u13c0", "\ua4d6", "\U0001d406"),
    "H": ("\u041d", "\u0397", "\u13bb", "\u210b", "\u210d", "\ua4e7"),
    "I": ("\u0406", "\u0399", "\u2160", "\u04c0", "\u2110", "\ua4f2"),
    "J": ("\u0408", "\u037f", "\u13ab", "\ua4d9"),
    "K": ("\u041a", "\u039a", "\u13e6", "\u212a", "\ua4d7"),  # Kelvin sign
    "L": ("\u13de", "\u216c", "\u2112", "\ua4e1", "\u053c"),
    "M": ("\u041c", "\u039c", "\u13b7", "\u216f", "\u2133", "\ua4df"),
    "N": ("\u039d", "\u2115", "\ua4e0", "\U0001d40d"),
    "O": ("\u041e", "\u039f", "\u0555", "\u2d54", "\ua4f3", "\U0001d40e"),  # Armenian oh, Tifinagh
    "P": ("\u0420", "\u03a1", "\u13e2", "\u2119", "\ua4d1"),
    "Q": ("\u051a", "\u211a", "\u2d55", "\U0001d410"),
    "R": ("\u13a1", "\u13d2", "\u211b", "\u211d", "\ua4e3"),
    "S": ("\u0405", "\u13da", "\u054f", "\ua4e2", "\U0001d412"),  # Armenian tiwn
    "T": ("\u0422", "\u03a4", "\u13a2", "\ua4d4", "\U0001d413"),
    "U": ("\u054d", "\u144c", "\ua4f4", "\U0001d414"),  # Armenian seh cap, Canadian syllabics
    "V": ("\u0474", "\u13d9", "\u2164", "\ua4e6", "\U0001d415"),
    "W": ("\u051c", "\u13b3", "\u13d4", "\ua4ea", "\U0001d416"),
    "X": ("\u0425", "\u03a7", "\u2169", "\ua4eb", "\u2d5d"),
    "Y": ("\u04ae", "\u03a5", "\u13a9", "\ua4ec", "\U0001d418"),
    "Z": ("\u0396", "\u13c3", "\u2124", "\ua4dc", "\U0001d419"),
}


def lookalikes(text: str, rng: random.Random) -> str:
    """Swap Latin letters for visually similar characters from other scripts and symbol blocks."""
    rate = rng.uniform(0.3, 0.75)
    out: list[str] = []
    changed = False
    for ch in text:
        options = _LOOKALIKES.get(ch)
        if options and rng.random() < rate:
            out.append(rng.choice(options))
            changed = True
        else:
            out.append(ch)
    if not changed:
        positions = [i for i, ch in enumerate(out) if ch in _LOOKALIKES]
        if positions:
            i = rng.choice(positions)
            out[i] = rng.choice(_LOOKALIKES[out[i]])
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Mathematical alphanumeric styles
# --------------------------------------------------------------------------------------------

# style name in the Unicode character names -> letterlike-block prefix used for the reserved holes
_MATH_STYLES: dict[str, str] = {
    "BOLD": "",
    "ITALIC": "",
    "BOLD ITALIC": "",
    "SCRIPT": "SCRIPT",
    "BOLD SCRIPT": "",
    "FRAKTUR": "BLACK-LETTER",
    "BOLD FRAKTUR": "",
    "DOUBLE-STRUCK": "DOUBLE-STRUCK",
    "SANS-SERIF": "",
    "SANS-SERIF BOLD": "",
    "SANS-SERIF ITALIC": "",
    "SANS-SERIF BOLD ITALIC": "",
    "MONOSPACE": "",
}
_DIGIT_WORDS = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")


def _math_char(style: str, hole_prefix: str, ch: str) -> str:
    if ch.isdigit():
        try:
            return unicodedata.lookup(f"MATHEMATICAL {style} DIGIT {_DIGIT_WORDS[int(ch)]}")
        except KeyError:
            return ch
    case = "CAPITAL" if ch.isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"MATHEMATICAL {style} {case} {ch.upper()}")
    except KeyError:
        pass
    if style == "ITALIC" and ch == "h":
        return "\u210e"  # PLANCK CONSTANT stands in for the reserved italic small h
    if hole_prefix:
        try:
            return unicodedata.lookup(f"{hole_prefix} {case} {ch.upper()}")
        except KeyError:
            pass
    return ch


def _build_math_tables() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for style, hole in _MATH_STYLES.items():
        table = {ch: _math_char(style, hole, ch) for ch in chars}
        tables[style] = {k: v for k, v in table.items() if k != v}
    return tables


_MATH_TABLES: dict[str, dict[str, str]] = _build_math_tables()


def math_alnum(text: str, rng: random.Random) -> str:
    """Render whole words in one mathematical alphanumeric style (picked per text)."""
    table = _MATH_TABLES[rng.choice(list(_MATH_TABLES))]
    fraction = rng.choice((1.0, 1.0, 0.7, 0.5))

    def word_fn(word: str, _rng: random.Random) -> str:
        return "".join(table.get(ch, ch) for ch in word)

    return _map_words(text, rng, fraction, word_fn)


# --------------------------------------------------------------------------------------------
# Enclosed alphanumerics
# --------------------------------------------------------------------------------------------


def _offset_table(upper_base: int | None, lower_base: int | None) -> dict[str, str]:
    """Letters mapped from a contiguous A..Z run; a style with only one case serves both cases."""
    table: dict[str, str] = {}
    for k in range(26):
        up = chr(upper_base + k) if upper_base is not None else None
        low = chr(lower_base + k) if lower_base is not None else None
        table[chr(ord("A") + k)] = up or low or chr(ord("A") + k)
        table[chr(ord("a") + k)] = low or up or chr(ord("a") + k)
    return table


def _digits_table(zero: str | None, one_base: int) -> dict[str, str]:
    table = {str(d): chr(one_base + d - 1) for d in range(1, 10)}
    if zero is not None:
        table["0"] = zero
    return table


_ENCLOSED_STYLES: dict[str, dict[str, str]] = {
    "circled": _offset_table(0x24B6, 0x24D0) | _digits_table("\u24ea", 0x2460),
    "parenthesized": _offset_table(0x1F110, 0x249C) | _digits_table(None, 0x2474),
    "squared": _offset_table(0x1F130, None),
    "negative_circled": _offset_table(0x1F150, None) | _digits_table("\u24ff", 0x2776),
    "negative_squared": _offset_table(0x1F170, None),
    "regional_indicator": _offset_table(0x1F1E6, None),
    "digit_full_stop": _digits_table("\U0001f100", 0x2488),
}
_ENCLOSED_LETTER_STYLES: tuple[str, ...] = (
    "circled",
    "parenthesized",
    "squared",
    "negative_circled",
    "negative_squared",
    "regional_indicator",
)


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def enclosed(text: str, rng: random.Random) -> str:
    """Circled / parenthesized / squared (and negative, regional-indicator) letters; one style or a per-letter mix."""
    mode = rng.random()
    if mode < 0.7:
        styles: Sequence[str] = (rng.choice(_ENCLOSED_LETTER_STYLES),)
    else:
        styles = rng.sample(_ENCLOSED_LETTER_STYLES, 3)
    fraction = rng.choice((1.0, 0.8, 0.6))

    def word_fn(word: str, wrng: random.Random) -> str:
        out: list[str] = []
        for ch in word:
            table = _ENCLOSED_STYLES[wrng.choice(styles)]
            if ch.isdigit():
                table = _ENCLOSED_STYLES[wrng.choice(("circled", "parenthesized", "digit_full_stop"))]
            new = table.get(ch, ch)
            # Adjacent regional indicators fuse into flags; an attacker would break them with a ZWSP.
            if out and _is_regional(new) and _is_regional(out[-1][-1]):
                out.append("\u200b")
            out.append(new)
        return "".join(out)

    return _map_words(text, rng, fraction, word_fn)


# --------------------------------------------------------------------------------------------
# Invisible characters
# --------------------------------------------------------------------------------------------

_INVISIBLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "zero_width": ("\u200b", "\u200c", "\u200d"),
    "word_joiner": ("\u2060",),
    "soft_hyphen": ("\u00ad",),
    "bom": ("\ufeff",),
    "variation_selectors": tuple(chr(c) for c in range(0xFE00, 0xFE10)),
    "invisible_math": ("\u2061", "\u2062", "\u2063", "\u2064"),
    "mongolian_vs": ("\u180e",),
    "grapheme_joiner": ("\u034f",),
    "tags": tuple(chr(c) for c in range(0xE0020, 0xE0080)),
    "bidi_marks": ("\u200e", "\u200f", "\u061c"),
}
_INVISIBLE_FAMILY_NAMES: tuple[str, ...] = tuple(_INVISIBLE_FAMILIES)


def invisible(text: str, rng: random.Random) -> str:
    """Insert invisible characters between letters inside words (per-text palette of 1-4 families)."""
    families = rng.sample(_INVISIBLE_FAMILY_NAMES, rng.randint(1, 4))
    palette: list[str] = []
    for name in families:
        palette.extend(_INVISIBLE_FAMILIES[name])
    rate = rng.uniform(0.25, 0.7)

    def word_fn(word: str, wrng: random.Random) -> str:
        out: list[str] = [word[0]]
        for ch in word[1:]:
            if wrng.random() < rate:
                # Tag characters are usually smuggled as a short run; others appear singly.
                count = wrng.randint(1, 3) if wrng.random() < 0.3 else 1
                out.append("".join(wrng.choice(palette) for _ in range(count)))
            out.append(ch)
        if len(out) == len(word):
            # Nothing inserted yet: put one character at a random interior (or, for one letter, end) spot.
            out.insert(wrng.randint(1, max(1, len(word) - 1)), wrng.choice(palette))
        elif wrng.random() < 0.1:
            out.append(wrng.choice(palette))
        return "".join(out)

    return _map_words(text, rng, 0.85, word_fn)


# --------------------------------------------------------------------------------------------
# Combining diacritics
# --------------------------------------------------------------------------------------------

_COMBINING: tuple[str, ...] = tuple(chr(c) for c in range(0x0300, 0x0370) if c != 0x034F)


def combining(text: str, rng: random.Random) -> str:
    """Stack 1-3 combining diacritics on many letters ("zalgo-lite")."""
    rate = rng.uniform(0.4, 0.85)
    max_marks = rng.choice((1, 2, 3))
    out: list[str] = []
    changed = False
    for ch in text:
        out.append(ch)
        if ch.isalpha() and rng.random() < rate:
            out.extend(rng.choice(_COMBINING) for _ in range(rng.randint(1, max_marks)))
            changed = True
    if not changed:
        for i, ch in enumerate(out):
            if ch.isalpha():
                out[i] = ch + rng.choice(_COMBINING)
                break
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Separators between letters
# --------------------------------------------------------------------------------------------

_CORE_RE = re.compile(r"\w(?:.*\w)?", re.DOTALL)
_SEPARATORS: tuple[str, ...] = (".", "-", "_", "*", "\u00b7", "/", "|", "~", " ")


def separators(text: str, rng: random.Random) -> str:
    """Put one per-text separator between the letters of some words (e.g. ``i.g.n.o.r.e``)."""
    sep = rng.choice(_SEPARATORS)
    doubled = rng.random() < 0.15 and sep != " "
    glue = sep * 2 if doubled else sep
    fraction = rng.uniform(0.35, 0.8)

    def word_fn(word: str, _rng: random.Random) -> str:
        # Spread only the alphanumeric core, so trailing punctuation stays attached as typed.
        match = _CORE_RE.search(word)
        if match is None or match.end() - match.start() < 2:
            return word
        core = glue.join(match.group(0))
        return word[: match.start()] + core + word[match.end() :]

    parts = _tokens(text)
    if not any(len(p) >= 2 and _is_word(p) for p in parts):
        return text
    return _map_words(text, rng, fraction, word_fn)


# --------------------------------------------------------------------------------------------
# Stacks
# --------------------------------------------------------------------------------------------

_BASE: dict[str, Transform] = {
    "leet_heavy": leet_heavy,
    "leet_light": leet_light,
    "lookalikes": lookalikes,
    "math_alnum": math_alnum,
    "enclosed": enclosed,
    "invisible": invisible,
    "combining": combining,
    "separators": separators,
}
_BASE_NAMES: tuple[str, ...] = tuple(_BASE)


def mixed(text: str, rng: random.Random) -> str:
    """Two or three of the other disguises stacked in an rng-chosen order (only one leet flavour)."""
    count = rng.choice((2, 3))
    names: list[str] = []
    pool = list(_BASE_NAMES)
    while len(names) < count and pool:
        name = rng.choice(pool)
        pool.remove(name)
        if name.startswith("leet_"):
            pool = [n for n in pool if not n.startswith("leet_")]
        names.append(name)
    for name in names:
        text = _BASE[name](text, rng)
    return text


TRANSFORMS: dict[str, Transform] = {**_BASE, "mixed": mixed}
