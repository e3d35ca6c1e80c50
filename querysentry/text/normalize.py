"""Normalisation of prompt text before it is embedded.

Attackers hide instructions from naive matchers with invisible characters, Unicode look-alikes,
letter spacing and encoded blobs. Each rule below undoes one such trick; the rules that fired are
reported, because obfuscation is itself evidence. The original text is never modified: this
produces a separate *scan text*.

Order matters: hidden tag characters are decoded before NFKC (which would otherwise keep them as
invisible code points), and confusables are mapped after NFKC (which already folds full-width and
mathematical alphanumerics to ASCII).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["NormalizedText", "normalize"]

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
    # Latin extended / IPA that pass for ASCII
    "ı": "i",
    "ȷ": "j",
    "ʀ": "r",
    "ɑ": "a",
    "ǀ": "l",
}
_WORD = re.compile(r"\w+", re.UNICODE)
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# Four or more single letters separated by one space, dot or dash: "i g n o r e", "p.r.i.n.t".
_LETTER_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-]){3,}[^\W\d_](?!\w)")
_BASE64_BLOB = re.compile(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-]{16,}={0,2}(?![A-Za-z0-9+/_\-=])")
_HEX_BLOB = re.compile(r"(?<![0-9A-Fa-f])(?:0x)?((?:[0-9A-Fa-f]{2}[ :]?){8,})(?![0-9A-Fa-f])")

# Decoding is bounded: an attacker must not be able to make the scanner do unbounded work.
MAX_BLOBS = 8
MAX_BLOB_CHARS = 16_384


@dataclass(frozen=True)
class NormalizedText:
    """The scan text of one input, the texts decoded from blobs inside it, and the rules that fired."""

    text: str
    decoded: tuple[str, ...] = ()
    rules: frozenset[str] = field(default_factory=frozenset)


def normalize(text: str) -> NormalizedText:
    """Return the scan text for ``text``. Pure; O(len(text))."""
    rules: set[str] = set()
    text = _normalize_characters(text, rules)
    decoded = _decode_blobs(text, rules)
    return NormalizedText(text=text, decoded=decoded, rules=frozenset(rules))


def _normalize_characters(text: str, rules: set[str]) -> str:
    text = _decode_tag_characters(text, rules)
    text = _drop_invisible(text, rules)
    nfkc = unicodedata.normalize("NFKC", text)
    if nfkc != text:
        rules.add("nfkc")
    text = _map_confusables(nfkc, rules)
    text = _join_letter_spacing(text, rules)
    return _collapse_whitespace(text, rules)


def _decode_tag_characters(text: str, rules: set[str]) -> str:
    if not any(_TAG_FIRST <= ord(ch) <= _TAG_LAST for ch in text):
        return text
    rules.add("tag_characters")
    out = []
    for ch in text:
        cp = ord(ch)
        if _TAG_ASCII_FIRST <= cp <= _TAG_ASCII_LAST:
            out.append(chr(cp - 0xE0000))
        elif not _TAG_FIRST <= cp <= _TAG_LAST:
            out.append(ch)
    return "".join(out)


def _drop_invisible(text: str, rules: set[str]) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp in _ZERO_WIDTH:
            rules.add("zero_width")
        elif cp in _BIDI_CONTROLS:
            rules.add("bidi_controls")
        elif cp in _VARIATION_SELECTORS:
            rules.add("variation_selectors")
        elif unicodedata.category(ch) == "Cc" and ch not in "\n\t":
            # \r and other C0/C1 controls carry no meaning for the encoder.
            if ch == "\r":
                out.append("\n")
            else:
                rules.add("control_characters")
        else:
            out.append(ch)
    return "".join(out)


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _map_confusables(text: str, rules: set[str]) -> str:
    if not any(ch in _CONFUSABLES for ch in text):
        return text
    words = _WORD.findall(text)

    def mixed(word: str) -> bool:
        return any(map(_is_latin_letter, word)) and any(ch in _CONFUSABLES for ch in word)

    letters = [ch for ch in text if ch.isalpha()]
    # A word that mixes Latin with look-alikes is an obfuscation; once one is seen (or the text is
    # mostly Latin), words made only of look-alikes ("ТНЕ") are taken for Latin too.
    latin_context = any(map(mixed, words)) or sum(map(_is_latin_letter, letters)) * 2 > len(letters)
    if not latin_context:
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        all_confusable = all(ch in _CONFUSABLES or not ch.isalpha() for ch in word)
        if mixed(word) or all_confusable:
            rules.add("confusables")
            return "".join(_CONFUSABLES.get(ch, ch) for ch in word)
        return word

    return _WORD.sub(fix, text)


def _join_letter_spacing(text: str, rules: set[str]) -> str:
    def join(match: re.Match[str]) -> str:
        rules.add("letter_spacing")
        return re.sub(r"[ .\-]", "", match.group(0))

    # Letter-spaced words are separated by a wider gap (two spaces, " / ") that survives joining.
    return _LETTER_SPACED.sub(join, text)


def _collapse_whitespace(text: str, rules: set[str]) -> str:
    collapsed = _MANY_NEWLINES.sub("\n\n", _HORIZONTAL_SPACE.sub(" ", text))
    collapsed = "\n".join(line.strip() for line in collapsed.split("\n")).strip()
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
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in decoded)
    letters = sum(ch.isalpha() for ch in decoded)
    if printable < 0.95 * len(decoded) or letters < 0.5 * len(decoded.replace(" ", "")):
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
    digits = re.sub(r"[ :]", "", blob)
    if len(digits) > MAX_BLOB_CHARS or len(digits) % 2:
        return None
    try:
        return _looks_like_text(bytes.fromhex(digits))
    except ValueError:
        return None


def _decode_blobs(text: str, rules: set[str]) -> tuple[str, ...]:
    found: list[str] = []
    for pattern, decode, rule in (
        (_HEX_BLOB, _decode_hex, "hex_blob"),
        (_BASE64_BLOB, _decode_base64, "base64_blob"),
    ):
        for match in pattern.finditer(text):
            if len(found) >= MAX_BLOBS:
                break
            blob = match.group(1) if match.groups() else match.group(0)
            decoded = decode(blob.strip())
            if decoded is not None:
                rules.add(rule)
                # Decoded text may itself be obfuscated; normalise it once (not recursively
                # decoding again, which would let nested blobs multiply the work).
                inner = _normalize_characters(decoded, set())
                if inner and inner not in found:
                    found.append(inner)
    return tuple(found)
