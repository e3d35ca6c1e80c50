"""Request body decoding: content-encoding, charset and media type. Pure, bounded.

The middleware must scan what the application will read, so each function here mirrors what the
application's framework does with the same bytes:

- ``scan_kind`` decides from the ``Content-Type`` whether a body is scanned, and as JSON or text.
  FastAPI parses a body as JSON when the header is absent, ``application/json`` or any
  ``application/*+json``; it reads the media type the way ``email.message.Message`` does
  (``media_type`` reproduces that, including its ``text/plain`` fallback for malformed values).
- ``decode_json_bytes`` is ``json.loads(bytes)``, as Starlette's ``Request.json()`` calls it: the
  encoding is detected (UTF-8 with or without BOM, UTF-16/32 with or without BOM), never declared.
- ``decode_text`` honours the ``charset=`` parameter, a byte-order mark winning over it.
- ``decode_content`` undoes ``Content-Encoding`` (``gzip``/``x-gzip`` with every member,
  ``deflate`` with or without the zlib header, ``identity``, up to ``MAX_ENCODING_LAYERS`` stacked
  codings) without ever holding more than ``limit + 1`` decoded bytes per layer.

Every failure to read is an ``UnsupportedPayloadError``, except a body that decodes to more than
the limit, which is a ``ContentTooLargeError`` (a different outcome: oversize, not unsupported).
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from querysentry.errors import ContentTooLargeError, UnsupportedPayloadError

__all__ = [
    "MAX_ENCODING_LAYERS",
    "ContentTooLargeError",
    "ScanKind",
    "UnsupportedPayloadError",
    "body_kind",
    "content_charset",
    "decode_content",
    "decode_json_bytes",
    "decode_text",
    "is_json_media_type",
    "media_type",
    "response_answer_type",
    "scan_kind",
]

ScanKind = Literal["json", "text"]

# ``Content-Encoding: gzip, gzip, gzip`` is legal; more layers than this are only ever an attack.
MAX_ENCODING_LAYERS = 3
# Compressed input is fed to zlib in slices that start small and double, so that the bytes zlib
# copies into ``unused_data`` at the end of a gzip member are at most about twice the member's size:
# a body of many tiny members then costs time linear in its size, not quadratic.
_FIRST_FEED = 512
_NON_ZERO = re.compile(b"[^\x00]")
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_WBITS = -zlib.MAX_WBITS
# Byte-order marks, longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Text codecs whose decoding is not a plain linear table walk (punycode and idna are quadratic on
# crafted input) or that turn escape sequences into text no client sends as a charset.
_REFUSED_CHARSETS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})


def media_type(content_type: str) -> str:
    """The lower-case ``type/subtype`` of a ``Content-Type`` value, read as FastAPI reads it.

    An empty value (FastAPI: no header) is ``application/json``; a value without exactly one
    ``/`` before its parameters is ``text/plain`` (``email.message.Message.get_content_type``,
    RFC 2045 §5.2). Cost: O(len(content_type)).
    """
    if not content_type:
        return "application/json"
    value = content_type.partition(";")[0].strip().lower()
    return value if value.count("/") == 1 else "text/plain"


def response_answer_type(start: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(media type, content type)`` of an ASGI ``http.response.start`` whose body can be read as
    an answer: a 2xx status, no ``Content-Encoding`` other than ``identity``, and JSON or
    ``text/event-stream``; None for any other. Compressed bytes are never read by the edge."""
    if not 200 <= int(start.get("status", 200)) < 300:
        return None
    content_type = encoding = ""
    for name, value in start.get("headers", ()):
        lower = bytes(name).lower()
        if lower == b"content-type":
            content_type = bytes(value).decode("latin-1")
        elif lower == b"content-encoding":
            encoding = bytes(value).decode("latin-1").strip().lower()
    if encoding not in ("", "identity"):
        return None
    media = media_type(content_type) if content_type else ""
    if media == "text/event-stream" or (media and is_json_media_type(media)):
        return media, content_type
    return None


def is_json_media_type(media: str) -> bool:
    """``application/json`` or ``application/<anything>+json``: the types FastAPI parses as JSON."""
    maintype, _, subtype = media.partition("/")
    return maintype == "application" and (subtype == "json" or subtype.endswith("+json"))


def body_kind(content_type: str) -> ScanKind:
    """How a body of this content type is read: ``text`` for ``text/*``, ``json`` for the rest.

    Anything that is not text is read as JSON because Starlette's ``Request.json()`` parses the
    body whatever its declared type.
    """
    return "text" if media_type(content_type).startswith("text/") else "json"


def scan_kind(content_type: str, allowed: Sequence[str]) -> ScanKind | None:
    """Whether a body with this ``Content-Type`` is scanned, and as what; None: not scanned.

    ``allowed`` holds media types or ``fnmatch`` patterns (``text/*``, ``application/*+json``,
    ``*/*``); parameters, case and surrounding whitespace of both sides are ignored. An allowed
    ``application/json`` also admits every ``application/*+json`` type, because FastAPI parses
    them all as JSON. Cost: O(len(allowed) × header length).
    """
    media = media_type(content_type)
    for entry in allowed:
        pattern = entry.partition(";")[0].strip().lower()
        if not pattern:
            continue
        if fnmatch.fnmatchcase(media, pattern) or (pattern == "application/json" and is_json_media_type(media)):
            return body_kind(content_type)
    return None


def content_charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` value (unquoted, lower case), if any."""
    for param in content_type.split(";")[1:]:
        key, sep, value = param.partition("=")
        if sep and key.strip().lower() == "charset":
            return value.strip().strip("\"'").strip().lower() or None
    return None


def decode_json_bytes(data: bytes) -> Any:
    """``json.loads(data)`` exactly as Starlette calls it, with every failure an ``UnsupportedPayloadError``.

    The text encoding is detected from the first bytes (``json.detect_encoding``), so a UTF-8 BOM
    and UTF-16/UTF-32 bodies are read as the application reads them. Nesting deeper than the
    interpreter's recursion limit (``RecursionError``) is unsupported, not an escaping exception.
    Cost: O(len(data)).
    """
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise UnsupportedPayloadError(f"invalid JSON: {exc.msg}") from None
    except UnicodeDecodeError:
        raise UnsupportedPayloadError(f"body is not valid {json.detect_encoding(data).upper()}") from None
    except RecursionError:
        raise UnsupportedPayloadError("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal over the interpreter's digit limit
        raise UnsupportedPayloadError(f"invalid JSON: {exc}") from None


def decode_text(data: bytes, content_type: str = "text/plain") -> str:
    """A text body as a string: a byte-order mark decides, else ``charset=``, else UTF-8.

    Decoding is strict. An unknown, non-text or refused charset (see ``_REFUSED_CHARSETS``) and
    bytes invalid in the charset are ``UnsupportedPayloadError``. Cost: O(len(data)).
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        encoding = _text_codec(content_charset(content_type) or "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeError:
        raise UnsupportedPayloadError(f"body is not valid {encoding.upper()}") from None
    except LookupError:  # a bytes-to-bytes codec (base64, rot13, zlib) is not a charset
        raise UnsupportedPayloadError(f"charset {encoding!r} is not a text encoding") from None


def _text_codec(charset: str) -> str:
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):  # ValueError: a name with a NUL byte
        raise UnsupportedPayloadError(f"unknown charset {charset[:40]!r}") from None
    name = info.name.replace("_", "-")
    if name in _REFUSED_CHARSETS:
        raise UnsupportedPayloadError(f"charset {name!r} is not supported")
    return info.name


def content_codings(content_encoding: str) -> list[str]:
    """The codings of a ``Content-Encoding`` value in the order they were applied, ``identity`` dropped.

    Raises ``UnsupportedPayloadError`` for an unknown coding or more than ``MAX_ENCODING_LAYERS``.
    """
    codings = []
    for token in content_encoding.split(","):
        coding = token.strip().lower()
        if coding in ("", "identity"):
            continue
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise UnsupportedPayloadError(f"content-encoding {coding[:40]!r}")
        codings.append(coding)
    if len(codings) > MAX_ENCODING_LAYERS:
        raise UnsupportedPayloadError(f"more than {MAX_ENCODING_LAYERS} content-encodings")
    return codings


def decode_content(data: bytes, content_encoding: str, limit: int) -> bytes:
    """Undo ``Content-Encoding`` (applied in header order, so undone in reverse), for scanning only.

    Returns at most ``limit`` bytes. Raises ``ContentTooLargeError`` as soon as any layer would
    produce more (a decompression bomb, including one spread over gzip members or layers), and
    ``UnsupportedPayloadError`` for an unknown coding, too many layers or corrupt data. A stream
    that is cut short yields what it decoded to so far, as a streaming decoder would hand it on.
    Cost: O(len(data) + layers × limit) time, O(limit) memory per layer.
    """
    if limit < 0:
        raise ValueError("limit must be >= 0")
    codings = content_codings(content_encoding)
    if not codings and len(data) > limit:
        raise ContentTooLargeError(f"body over {limit} bytes")
    for coding in reversed(codings):
        data = _inflate_gzip(data, limit) if coding in ("gzip", "x-gzip") else _inflate_deflate(data, limit)
    return data


def _inflate_gzip(data: bytes, limit: int) -> bytes:
    # Every member, as gzip.decompress does: NUL padding between members is skipped, anything
    # else after a member must be another member.
    out = bytearray()
    position = 0
    while True:
        padding = _NON_ZERO.search(data, position)
        if padding is None:
            return bytes(out)
        end = _inflate_stream(data, padding.start(), _GZIP_WBITS, out, limit)
        if end is None:  # the last member is cut short
            return bytes(out)
        position = end


def _inflate_deflate(data: bytes, limit: int) -> bytes:
    # "deflate" means zlib-wrapped (RFC 9110), but some clients send raw deflate: a stream whose
    # first two bytes are a valid zlib header is zlib, anything else raw. Bytes after the end of
    # the stream are ignored, as zlib.decompress ignores them.
    out = bytearray()
    wbits = _ZLIB_WBITS if _has_zlib_header(data) else _RAW_WBITS
    _inflate_stream(data, 0, wbits, out, limit)
    return bytes(out)


def _has_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and (data[0] << 8 | data[1]) % 31 == 0


def _inflate_stream(data: bytes, start: int, wbits: int, out: bytearray, limit: int) -> int | None:
    """Inflate one stream of ``data`` from ``start`` into ``out``; the offset just past it, or None
    if the input ends first. Never lets ``out`` grow past ``limit + 1`` bytes."""
    view = memoryview(data)
    decompressor = zlib.decompressobj(wbits)
    position, feed = start, _FIRST_FEED
    try:
        while position < len(data):
            piece = view[position : position + feed]
            position += len(piece)
            out += decompressor.decompress(piece, limit + 1 - len(out))
            # Output stops at limit + 1 bytes; reaching that is the only way input is left over.
            if len(out) > limit:
                raise ContentTooLargeError(f"body inflates past {limit} bytes")
            if decompressor.eof:
                return position - len(decompressor.unused_data)
            feed *= 2
    except zlib.error:
        raise UnsupportedPayloadError("body does not decompress") from None
    return None
