"""Ed25519 keys, detached signatures over a bundle's exact bytes, and ``verify``.

What is signed is the bundle file's bytes exactly as written (``stix.bundle_bytes``): there is
no re-serialisation on either side, so no canonical-JSON rules to disagree on, and any changed
byte, even whitespace, fails. The signature sits next to the bundle in ``BUNDLE.json.sig``::

    {"alg": "Ed25519", "key_id": "<sha256 hex of the raw 32-byte public key>", "signature": "<base64>"}

Keys are PEM (PKCS#8 private, SubjectPublicKeyInfo public), so ``openssl`` reads them too. A key
may declare the one source it signs for, as a ``QuerySentry-Source: NAME`` line before the PEM
block (explanatory text, which RFC 7468 parsers skip). ``verify`` then refuses a bundle signed by
that key for any other source, so one trusted partner cannot pass as another.

``verify`` checks, in this order, each failure its own error: size, signature file, signer
trusted, signature matches, schema (only now is the content parsed), provenance, validity time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from querysentry.fileio import atomic_write_bytes, create_file
from querysentry.intel.errors import (
    BundleExpiredError,
    BundleNotYetValidError,
    BundleTooLargeError,
    IntelError,
    KeyFileError,
    ProvenanceError,
    SignatureError,
    UntrustedKeyError,
)
from querysentry.intel.model import SOURCE_ID, BundleInfo, VerifiedBundle, utc_now
from querysentry.intel.stix import MAX_OBJECTS, bundle_bytes, parse_bundle

__all__ = [
    "ALGORITHM",
    "CLOCK_SKEW",
    "MAX_BUNDLE_BYTES",
    "SigningKey",
    "TrustedKey",
    "key_id",
    "keygen",
    "load_signing_key",
    "load_trusted_key",
    "public_key_path",
    "sign_bytes",
    "signature_path",
    "verify",
    "verify_bytes",
    "write_signed_bundle",
]

ALGORITHM = "Ed25519"
SOURCE_HEADER = "QuerySentry-Source"
# 16 MiB: about 19,000 pattern indicators (0.9 KB each), or 1,700 campaigns with 384-dimension
# vectors (9.9 KB each); MAX_OBJECTS bounds the first case first.
MAX_BUNDLE_BYTES = 16 << 20
_MAX_SIGNATURE_BYTES = 4096
_MAX_KEY_BYTES = 64 << 10
_SIGNATURE_BYTES = 64
# A producer's clock may run a little ahead of ours; a bundle from further in the future is not
# "just created" and would outlive its stated lifetime here.
CLOCK_SKEW = timedelta(minutes=5)
_HEADER = re.compile(rf"^{SOURCE_HEADER}:[ \t]*(\S+)[ \t]*$", re.MULTILINE)


def key_id(public_key: Ed25519PublicKey) -> str:
    """sha256 (hex) of the raw 32-byte public key: the id a signature names its key by."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class TrustedKey:
    """A public key this deployment accepts bundles from; ``source`` if it is bound to one."""

    public_key: Ed25519PublicKey
    source: str | None = None
    origin: str = "<key>"  # where it was loaded from, for messages

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


@dataclass(frozen=True)
class SigningKey:
    """A private key and the source it declares (if any)."""

    private_key: Ed25519PrivateKey
    source: str | None = None
    origin: str = "<key>"

    @property
    def key_id(self) -> str:
        return key_id(self.private_key.public_key())

    @property
    def trusted(self) -> TrustedKey:
        """The public half, as an importer would trust it."""
        return TrustedKey(self.private_key.public_key(), self.source, self.origin)


def public_key_path(path: Path) -> Path:
    return path.with_name(path.name + ".pub")


def signature_path(bundle_path: Path) -> Path:
    return bundle_path.with_name(bundle_path.name + ".sig")


# ---------------------------------------------------------------------------------------- keys


def _header(source: str | None) -> bytes:
    if source is None:
        return b""
    if not SOURCE_ID.fullmatch(source):
        raise KeyFileError(f"invalid source id {source!r} (letters, digits, . _ -; at most 64)")
    return f"{SOURCE_HEADER}: {source}\n".encode()


def _write_new(path: Path, data: bytes, mode: int, *, force: bool) -> None:
    """Write ``path`` whole through a temp file with ``mode``; never replace it unless ``force``."""
    try:
        create_file(path, data, mode=mode, overwrite=force)
    except FileExistsError:
        raise KeyFileError(f"{path}: exists; use force (--force) to replace it") from None


def keygen(path: Path, *, source: str | None = None, force: bool = False) -> SigningKey:
    """Write a new Ed25519 key: ``path`` (private, PKCS#8 PEM, mode 0600) and ``path.pub`` (public).

    ``source`` binds the key to one source id (written into both files). Refuses to replace
    either file unless ``force``. Returns the key.
    """
    path = Path(path)
    header = _header(source)
    public_path = public_key_path(path)
    if not force:
        for existing in (path, public_path):
            if existing.exists():
                raise KeyFileError(f"{existing}: exists; use force (--force) to replace it")
    if not path.parent.is_dir():
        raise KeyFileError(f"{path.parent}: no such directory")
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(path, header + private_pem, 0o600, force=force)
    _write_new(public_path, header + public_pem, 0o644, force=force)
    return SigningKey(private, source, str(path))


def _read_key_file(path: Path) -> tuple[bytes, str | None]:
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(_MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise KeyFileError(f"{path}: unreadable: {exc.strerror or exc}") from None
    if len(data) > _MAX_KEY_BYTES:
        raise KeyFileError(f"{path}: too large for a key file")
    head = data.split(b"-----BEGIN", 1)[0].decode("utf-8", errors="replace")
    sources = _HEADER.findall(head)
    if len(sources) > 1 or (sources and not SOURCE_ID.fullmatch(sources[0])):
        raise KeyFileError(f"{path}: one {SOURCE_HEADER} line with a valid source id expected")
    return data, sources[0] if sources else None


def load_signing_key(path: Path) -> SigningKey:
    """The private key in ``path`` (as ``keygen`` writes it); ``KeyFileError`` if it is not one."""
    data, source = _read_key_file(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path}: not an unencrypted PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return SigningKey(key, source, str(path))


def load_trusted_key(path: Path) -> TrustedKey:
    """The public key in ``path`` (``KEY.pub`` from ``keygen``); ``KeyFileError`` if it is not one."""
    data, source = _read_key_file(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path}: not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return TrustedKey(key, source, str(path))


# ---------------------------------------------------------------------------------------- signing


def sign_bytes(data: bytes, key: SigningKey) -> bytes:
    """The signature file's bytes for ``data`` (a bundle file's exact bytes)."""
    signature = base64.b64encode(key.private_key.sign(data)).decode("ascii")
    return (json.dumps({"alg": ALGORITHM, "key_id": key.key_id, "signature": signature}) + "\n").encode()


def write_signed_bundle(bundle: Any, path: Path, key: SigningKey) -> tuple[Path, Path]:
    """Write ``bundle`` (a ``stix2.Bundle`` from ``to_bundle``) to ``path`` and its signature to ``path.sig``.

    Refuses (``ProvenanceError``) a key bound to another source than the bundle's producer. The
    signature is written after the bundle: a reader racing the writer sees a mismatch, never a
    wrong pair that verifies. Returns ``(bundle path, signature path)``.
    """
    path = Path(path)
    data = bundle_bytes(bundle)
    info = parse_bundle(data).info  # what an importer will read, so a bad bundle is never signed
    if key.source is not None and key.source != info.source_id:
        raise ProvenanceError(
            f"key {key.origin} signs for source {key.source!r}, the bundle is from {info.source_id!r}"
        )
    sig_path = signature_path(path)
    atomic_write_bytes(path, data)
    atomic_write_bytes(sig_path, sign_bytes(data, key))
    return path, sig_path


# ---------------------------------------------------------------------------------------- verifying


def _read_bounded(
    path: Path, limit: int, too_large: Callable[[str], IntelError], missing: Callable[[str], IntelError]
) -> bytes:
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)  # never more than the limit in memory, whatever the file
    except FileNotFoundError:
        raise missing(f"{path}: no such file") from None
    except OSError as exc:
        raise missing(f"{path}: unreadable: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise too_large(f"{path}: larger than the limit of {limit} bytes")
    return data


def verify(
    bundle_path: Path,
    trusted_keys: Iterable[TrustedKey],
    *,
    clock: Callable[[], datetime] = utc_now,
    signature_file: Path | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
    max_objects: int = MAX_OBJECTS,
    skew: timedelta = CLOCK_SKEW,
) -> VerifiedBundle:
    """Verify the bundle at ``bundle_path`` against its ``.sig`` (or ``signature_file``): see ``verify_bytes``."""
    bundle_path = Path(bundle_path)
    sig_path = signature_file if signature_file is not None else signature_path(bundle_path)
    data = _read_bounded(bundle_path, max_bytes, BundleTooLargeError, IntelError)
    signature = _read_bounded(
        sig_path,
        _MAX_SIGNATURE_BYTES,
        SignatureError,
        lambda m: SignatureError(f"{m} (a bundle's signature is expected next to it as {sig_path.name})"),
    )
    return verify_bytes(
        data,
        signature,
        trusted_keys,
        clock=clock,
        max_bytes=max_bytes,
        max_objects=max_objects,
        skew=skew,
        where=str(bundle_path),
    )


def verify_bytes(
    data: bytes,
    signature: bytes,
    trusted_keys: Iterable[TrustedKey],
    *,
    clock: Callable[[], datetime] = utc_now,
    max_bytes: int = MAX_BUNDLE_BYTES,
    max_objects: int = MAX_OBJECTS,
    skew: timedelta = CLOCK_SKEW,
    where: str = "bundle",
) -> VerifiedBundle:
    """A ``VerifiedBundle`` if every check passes, else the first failure's error, naming ``where``.

    Size (``BundleTooLargeError``), the signature file (``SignatureError``), the signer among
    ``trusted_keys`` (``UntrustedKeyError``), the signature over ``data`` (``SignatureError``),
    the schema (``BundleSchemaError``/``BundleTooLargeError``, checked only once the bytes are
    authentic), the source the key is bound to (``ProvenanceError``), then ``clock()`` against
    the bundle's expiry (``BundleExpiredError``) and creation less ``skew``
    (``BundleNotYetValidError``). O(bundle size); parsing dominates.
    """
    if len(data) > max_bytes:
        raise BundleTooLargeError(f"{where}: {len(data)} bytes, more than the limit of {max_bytes}")
    keys = _trusted_by_id(trusted_keys)
    claimed_key, raw_signature = _parse_signature(signature, where)
    key = keys.get(claimed_key)
    if key is None:
        known = ", ".join(f"{k.key_id[:16]}… ({k.origin})" for k in keys.values()) or "none"
        raise UntrustedKeyError(f"{where}: signed by key {claimed_key}, which is not trusted (trusted: {known})")
    try:
        key.public_key.verify(raw_signature, data)
    except InvalidSignature:
        raise SignatureError(
            f"{where}: the signature does not match the bundle's bytes: changed after signing, or not signed by "
            f"key {claimed_key[:16]}…"
        ) from None
    try:
        parsed = parse_bundle(data, max_objects=max_objects)
    except IntelError as exc:
        raise type(exc)(f"{where}: {exc}") from None
    info = parsed.info
    if key.source is not None and key.source != info.source_id:
        raise ProvenanceError(
            f"{where}: from source {info.source_id!r} ({info.producer}), but key {key.origin} signs only for "
            f"source {key.source!r}"
        )
    _check_validity(info, clock(), skew, where)
    return VerifiedBundle(
        info=info,
        bundle_id=parsed.bundle_id,
        patterns=parsed.patterns,
        campaigns=parsed.campaigns,
        key_id=key.key_id,
        bundle_bytes=data,
        signature=signature,
    )


def _trusted_by_id(trusted_keys: Iterable[TrustedKey]) -> dict[str, TrustedKey]:
    keys: dict[str, TrustedKey] = {}
    for key in trusted_keys:
        known = keys.get(key.key_id)
        if known is not None and known.source != key.source:
            raise KeyFileError(f"{key.origin} and {known.origin}: one key bound to two sources")
        keys[key.key_id] = key
    return keys


def _parse_signature(signature: bytes, where: str) -> tuple[str, bytes]:
    try:
        data = json.loads(signature)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or set(data) != {"alg", "key_id", "signature"}:
        raise SignatureError(f'{where}: the signature file is not {{"alg", "key_id", "signature"}} JSON')
    if data["alg"] != ALGORITHM:
        raise SignatureError(f"{where}: signature algorithm {data['alg']!r}; only {ALGORITHM} is accepted")
    claimed, encoded = data["key_id"], data["signature"]
    if not isinstance(claimed, str) or not re.fullmatch(r"[0-9a-f]{64}", claimed):
        raise SignatureError(f"{where}: the signature's key_id is not a sha256 hex digest")
    try:
        raw = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != _SIGNATURE_BYTES:
        raise SignatureError(f"{where}: the signature is not {_SIGNATURE_BYTES} bytes of base64")
    return claimed, raw


def _check_validity(info: BundleInfo, now: datetime, skew: timedelta, where: str) -> None:
    if now >= info.expires:
        raise BundleExpiredError(f"{where}: expired at {info.expires.isoformat()} (now {now.isoformat()})")
    if info.created > now + skew:
        raise BundleNotYetValidError(
            f"{where}: created {info.created.isoformat()}, after now ({now.isoformat()}) by more than {skew}"
        )
