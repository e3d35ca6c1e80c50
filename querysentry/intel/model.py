"""What one deployment shares with another: plain frozen values, checked when built.

The model is the privacy boundary. It has no field for a client key, a prompt's fill or a
system prompt, so nothing built from it can carry one: a pattern travels as the sha256 of its
normalised text (the text itself only when the operator opts in), a campaign as the hashes of its
template's instruction units, its sizes and its time span. A vector travels only together with
the fingerprint of the encoder that produced it, since a vector from another encoder means nothing.

Every value checks itself in ``__post_init__`` and raises ``ValueError``; ``from_bundle`` turns
that into a ``BundleSchemaError`` naming the STIX object. ``to_json``/``from_json`` are the
shared layer's on-disk form, readable without ``stix2`` or ``cryptography``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from querysentry.categories import Category, Severity
from querysentry.library import Pattern, text_key

__all__ = [
    "MAX_HASHES",
    "MAX_TEXT_CHARS",
    "MAX_VECTOR_DIMS",
    "SOURCE_ID",
    "BundleInfo",
    "CampaignSignature",
    "Mode",
    "PatternIndicator",
    "VerifiedBundle",
    "parse_time",
    "text_hash",
    "utc_now",
]

Mode = Literal["enforce", "tag_only"]
MODES: tuple[Mode, ...] = ("enforce", "tag_only")

# Ids as the pattern library spells them; a source id also names files, so it is stricter.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Instruction unit hashes are 16 hex digits today (behaviour.fingerprint.unit_hash); allow longer.
_UNIT_HASH = re.compile(r"^[0-9a-f]{16,128}$")
_LINKAGE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_FINGERPRINT = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
MAX_TEXT_CHARS = 4000  # as the pattern library allows
MAX_HASHES = 256  # instruction units of one template: a template has a few dozen at most
MAX_VECTOR_DIMS = 4096
MAX_PRODUCER_CHARS = 256


def utc_now() -> datetime:
    """The default clock of ``verify`` and the shared layer (injectable wherever it is used)."""
    return datetime.now(timezone.utc)


def text_hash(text: str) -> str:
    """sha256 (hex) of the text in the form the library compares texts in (``library.text_key``)."""
    return hashlib.sha256(text_key(text).encode("utf-8")).hexdigest()


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with a zone ("Z" allowed) as an aware datetime; ``ValueError`` otherwise."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    _require_aware("time", parsed)
    return parsed


def _format_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _require_aware(name: str, value: object) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be a datetime with a time zone")


def _require_text(name: str, value: object, limit: int) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")


def _require_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer")


def _require_match(name: str, value: object, pattern: re.Pattern[str]) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"invalid {name} {value!r}")


@dataclass(frozen=True)
class BundleInfo:
    """Who made a bundle and how long it is good for.

    ``source_id`` names the producing deployment in every importer's shared layer (and in the
    verdicts its indicators cause); it is also a file name there, hence the narrow alphabet.
    """

    producer: str
    source_id: str
    created: datetime
    expires: datetime

    def __post_init__(self) -> None:
        _require_text("producer", self.producer, MAX_PRODUCER_CHARS)
        _require_match("source id (letters, digits, . _ -; at most 64)", self.source_id, SOURCE_ID)
        _require_aware("created", self.created)
        _require_aware("expires", self.expires)
        if self.expires <= self.created:
            raise ValueError("expires must be after created")

    def to_json(self) -> dict[str, Any]:
        return {
            "producer": self.producer,
            "source_id": self.source_id,
            "created": _format_time(self.created),
            "expires": _format_time(self.expires),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BundleInfo:
        return cls(data["producer"], data["source_id"], parse_time(data["created"]), parse_time(data["expires"]))


@dataclass(frozen=True)
class PatternIndicator:
    """One operator-added pattern, shared as the hash of its normalised text (the text on opt-in)."""

    category: Category
    severity: Severity
    text_hash: str
    pattern_id: str
    text: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.category, Category) or not isinstance(self.severity, Severity):
            raise ValueError("category and severity must be Category and Severity values")
        _require_match("text hash (64 lowercase hex digits)", self.text_hash, _SHA256)
        _require_match("pattern id", self.pattern_id, _ID)
        if self.text is not None:
            _require_text("pattern text", self.text, MAX_TEXT_CHARS)
            if text_hash(self.text) != self.text_hash:
                raise ValueError(f"pattern {self.pattern_id}: text_hash is not the hash of its text")

    @classmethod
    def from_pattern(cls, pattern: Pattern, *, include_text: bool = False) -> PatternIndicator:
        """The shareable form of a library pattern; its text only with ``include_text``."""
        return cls(
            pattern.category,
            pattern.severity,
            text_hash(pattern.text),
            pattern.id,
            pattern.text if include_text else None,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "category": self.category.value,
            "severity": self.severity.value,
            "text_hash": self.text_hash,
            "pattern_id": self.pattern_id,
        }
        if self.text is not None:
            data["text"] = self.text
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PatternIndicator:
        return cls(
            Category(data["category"]),
            Severity(data["severity"]),
            data["text_hash"],
            data["pattern_id"],
            data.get("text"),
        )


@dataclass(frozen=True)
class CampaignSignature:
    """One campaign as another deployment can recognise it: its template's instruction hashes.

    ``member_count`` is how many distinct clients took part and ``request_count`` how many
    requests it sent; the clients themselves are never part of the value. ``linkage_kinds`` names
    how members were tied together (for example ``template`` or ``shared_key``).
    ``instruction_texts`` is set only when the operator opts in. ``vector`` is accepted only with
    the ``encoder_fingerprint`` it was computed by (and the fingerprint only with a vector).
    Sequences are stored as tuples, so lists may be passed.
    """

    campaign_id: str
    instruction_hashes: tuple[str, ...]
    categories: tuple[Category, ...]
    member_count: int
    request_count: int
    first_seen: datetime
    last_seen: datetime
    linkage_kinds: tuple[str, ...] = ()
    instruction_texts: tuple[str, ...] | None = None
    vector: tuple[float, ...] | None = field(default=None, repr=False)
    encoder_fingerprint: str | None = None

    def __post_init__(self) -> None:
        for name in ("instruction_hashes", "categories", "linkage_kinds", "instruction_texts", "vector"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
                    raise ValueError(f"{name} must be a sequence")
                object.__setattr__(self, name, tuple(value))
        _require_match("campaign id", self.campaign_id, _ID)
        self._check_hashes()
        if not all(isinstance(c, Category) for c in self.categories):
            raise ValueError("categories must be Category values")
        for kind in self.linkage_kinds:
            _require_match("linkage kind (lowercase letters, digits, _)", kind, _LINKAGE)
        _require_count("member_count", self.member_count)
        _require_count("request_count", self.request_count)
        _require_aware("first_seen", self.first_seen)
        _require_aware("last_seen", self.last_seen)
        if self.last_seen < self.first_seen:
            raise ValueError("last_seen must not be before first_seen")
        if self.instruction_texts is not None:
            if len(self.instruction_texts) > MAX_HASHES:
                raise ValueError(f"more than {MAX_HASHES} instruction texts")
            for text in self.instruction_texts:
                _require_text("instruction text", text, MAX_TEXT_CHARS)
        self._check_vector()

    def _check_hashes(self) -> None:
        hashes = self.instruction_hashes
        if not hashes or len(hashes) > MAX_HASHES:
            raise ValueError(f"a campaign needs 1 to {MAX_HASHES} instruction hashes")
        for value in hashes:
            _require_match("instruction hash (16 to 128 lowercase hex digits)", value, _UNIT_HASH)
        if len(set(hashes)) != len(hashes):
            raise ValueError("instruction hashes repeat")

    def _check_vector(self) -> None:
        if (self.vector is None) != (self.encoder_fingerprint is None):
            raise ValueError("a vector is shared only together with its encoder fingerprint (and vice versa)")
        if self.vector is None:
            return
        _require_match("encoder fingerprint", self.encoder_fingerprint, _FINGERPRINT)
        if not 1 <= len(self.vector) <= MAX_VECTOR_DIMS:
            raise ValueError(f"a vector needs 1 to {MAX_VECTOR_DIMS} dimensions")
        for x in self.vector:
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise ValueError("vector components must be finite numbers")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "campaign_id": self.campaign_id,
            "instruction_hashes": list(self.instruction_hashes),
            "categories": [c.value for c in self.categories],
            "member_count": self.member_count,
            "request_count": self.request_count,
            "first_seen": _format_time(self.first_seen),
            "last_seen": _format_time(self.last_seen),
            "linkage_kinds": list(self.linkage_kinds),
        }
        if self.instruction_texts is not None:
            data["instruction_texts"] = list(self.instruction_texts)
        if self.vector is not None:
            data["vector"] = list(self.vector)
            data["encoder_fingerprint"] = self.encoder_fingerprint
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CampaignSignature:
        texts = data.get("instruction_texts")
        vector = data.get("vector")
        return cls(
            data["campaign_id"],
            tuple(data["instruction_hashes"]),
            tuple(Category(c) for c in data["categories"]),
            data["member_count"],
            data["request_count"],
            parse_time(data["first_seen"]),
            parse_time(data["last_seen"]),
            tuple(data.get("linkage_kinds", ())),
            tuple(texts) if texts is not None else None,
            tuple(float(x) for x in vector) if vector is not None else None,
            data.get("encoder_fingerprint"),
        )


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose signature, signer, schema, provenance and validity ``verify`` has checked.

    ``bundle_bytes`` and ``signature`` are the exact bytes of the two files, kept so that the
    shared layer stores what was verified and anyone can verify it again later.
    """

    info: BundleInfo
    bundle_id: str
    patterns: tuple[PatternIndicator, ...]
    campaigns: tuple[CampaignSignature, ...]
    key_id: str
    bundle_bytes: bytes = field(repr=False)
    signature: bytes = field(repr=False)
