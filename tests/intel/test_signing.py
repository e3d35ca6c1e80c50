import base64
import json
import os
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from querysentry.intel import (
    BundleExpiredError,
    BundleNotYetValidError,
    BundleSchemaError,
    BundleTooLargeError,
    KeyFileError,
    ProvenanceError,
    SignatureError,
    SigningKey,
    UntrustedKeyError,
    key_id,
    keygen,
    load_signing_key,
    load_trusted_key,
    sign_bytes,
    to_bundle,
    verify,
    write_signed_bundle,
)
from querysentry.intel.errors import IntelError
from tests.intel.conftest import DAY, T0, Signed, at, make_info

NOW = at(T0 + DAY)


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    key = keygen(tmp_path / "k", source="acme-prod")
    assert stat.S_IMODE(os.stat(tmp_path / "k").st_mode) == 0o600
    assert (tmp_path / "k").read_bytes().startswith(b"QuerySentry-Source: acme-prod\n-----BEGIN PRIVATE KEY-----")
    public = load_trusted_key(tmp_path / "k.pub")
    assert public.source == "acme-prod" and public.key_id == key.key_id == key_id(key.private_key.public_key())
    assert load_signing_key(tmp_path / "k").key_id == key.key_id
    assert len(key.key_id) == 64


def test_keygen_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    first = keygen(tmp_path / "k")
    before = (tmp_path / "k").read_bytes()
    with pytest.raises(KeyFileError, match="k: exists"):
        keygen(tmp_path / "k")
    assert (tmp_path / "k").read_bytes() == before
    (tmp_path / "k").unlink()  # only the .pub is left: still refused
    with pytest.raises(KeyFileError, match=r"k\.pub: exists"):
        keygen(tmp_path / "k")
    assert not (tmp_path / "k").exists()
    second = keygen(tmp_path / "k", force=True)
    assert second.key_id != first.key_id and load_trusted_key(tmp_path / "k.pub").key_id == second.key_id
    assert stat.S_IMODE(os.stat(tmp_path / "k").st_mode) == 0o600
    assert load_trusted_key(tmp_path / "k.pub").source is None


def test_key_files_that_are_not_keys(tmp_path: Path) -> None:
    (tmp_path / "junk").write_text("hello")
    with pytest.raises(KeyFileError, match="not a PEM public key"):
        load_trusted_key(tmp_path / "junk")
    with pytest.raises(KeyFileError, match="not an unencrypted PEM private key"):
        load_signing_key(tmp_path / "junk")
    with pytest.raises(KeyFileError, match="unreadable"):
        load_trusted_key(tmp_path / "missing.pub")
    keygen(tmp_path / "k")
    with pytest.raises(KeyFileError, match="not a PEM public key"):
        load_trusted_key(tmp_path / "k")  # the private file where a public one belongs
    with pytest.raises(KeyFileError, match="source id"):
        keygen(tmp_path / "j", source="a/b")


def test_a_signed_bundle_verifies(signed: Signed) -> None:
    verified = verify(signed.path, [signed.trusted], clock=NOW)
    assert (verified.info, verified.patterns, verified.campaigns) == (signed.info, signed.patterns, signed.campaigns)
    assert verified.key_id == signed.key.key_id
    assert verified.bundle_bytes == signed.path.read_bytes() and verified.signature == signed.sig.read_bytes()
    sig = json.loads(signed.sig.read_text())
    assert set(sig) == {"alg", "key_id", "signature"} and sig["alg"] == "Ed25519"
    assert len(base64.b64decode(sig["signature"])) == 64


def _flip(path: Path, index: int) -> None:
    data = bytearray(path.read_bytes())
    data[index] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", [0, 0.5, -2, -1])
def test_one_changed_byte_is_refused(signed: Signed, where: float) -> None:
    size = signed.path.stat().st_size
    _flip(signed.path, int(size * where) if isinstance(where, float) else where % size)
    with pytest.raises(SignatureError, match="does not match the bundle's bytes"):
        verify(signed.path, [signed.trusted], clock=NOW)


def test_an_appended_byte_is_refused(signed: Signed) -> None:
    with signed.path.open("ab") as handle:
        handle.write(b" ")
    with pytest.raises(SignatureError, match="does not match"):
        verify(signed.path, [signed.trusted], clock=NOW)


def test_an_untrusted_key_is_refused(signed: Signed, tmp_path: Path) -> None:
    other = keygen(tmp_path / "other.key")
    with pytest.raises(UntrustedKeyError, match=f"signed by key {signed.key.key_id}, which is not trusted"):
        verify(signed.path, [other.trusted], clock=NOW)
    with pytest.raises(UntrustedKeyError, match=r"trusted: none"):
        verify(signed.path, [], clock=NOW)


def test_a_signature_by_another_key_claiming_a_trusted_id_is_refused(signed: Signed, tmp_path: Path) -> None:
    forger = keygen(tmp_path / "forger.key")
    forged = json.loads(sign_bytes(signed.path.read_bytes(), forger))
    forged["key_id"] = signed.key.key_id
    signed.sig.write_text(json.dumps(forged))
    with pytest.raises(SignatureError, match="does not match"):
        verify(signed.path, [signed.trusted], clock=NOW)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "not"),
        (b'{"alg": "Ed25519"}', "not"),
        (b'{"alg": "RSA", "key_id": "00", "signature": "AA=="}', "only Ed25519"),
        (b'{"alg": "Ed25519", "key_id": "xyz", "signature": "AA=="}', "key_id"),
        (None, "not 64 bytes"),
    ],
)
def test_malformed_signature_files(signed: Signed, content: bytes | None, message: str) -> None:
    if message == "not 64 bytes":
        sig = json.loads(signed.sig.read_text())
        content = json.dumps({**sig, "signature": "AAAA"}).encode()
    if content is None:
        signed.sig.unlink()
    else:
        signed.sig.write_bytes(content)
    with pytest.raises(SignatureError, match=message):
        verify(signed.path, [signed.trusted], clock=NOW)


def test_expired_and_not_yet_valid(signed: Signed) -> None:
    with pytest.raises(BundleExpiredError, match="expired at"):
        verify(signed.path, [signed.trusted], clock=at(signed.info.expires))
    verify(signed.path, [signed.trusted], clock=at(signed.info.expires - timedelta(microseconds=1)))
    with pytest.raises(BundleNotYetValidError, match="after now"):
        verify(signed.path, [signed.trusted], clock=at(T0 - timedelta(minutes=6)))
    verify(signed.path, [signed.trusted], clock=at(T0 - timedelta(minutes=4)))


def test_a_signed_schema_violation_is_refused(signed: Signed) -> None:
    data = json.loads(signed.path.read_bytes())
    data["objects"][3]["x_extra"] = "smuggled"
    raw = json.dumps(data).encode()
    signed.path.write_bytes(raw)
    signed.sig.write_bytes(sign_bytes(raw, signed.key))  # authentic, but not a QuerySentry bundle
    with pytest.raises(BundleSchemaError, match=f"{signed.path}: not valid STIX 2.1.*x_extra"):
        verify(signed.path, [signed.trusted], clock=NOW)


def test_a_key_bound_to_one_source_cannot_sign_for_another(
    make_signed: Callable[..., Signed], signing_key: SigningKey, tmp_path: Path
) -> None:
    with pytest.raises(ProvenanceError, match="signs for source 'acme-prod'"):
        make_signed(info=make_info(source="globex"))
    assert not (tmp_path / "out" / "bundle.json").exists()
    # Signed anyway (by hand, past write_signed_bundle's check): verify refuses it.
    unbound = SigningKey(signing_key.private_key, None)
    made = make_signed(info=make_info(source="globex"), key=unbound)
    with pytest.raises(ProvenanceError, match="signs only for source 'acme-prod'"):
        verify(made.path, [signing_key.trusted], clock=NOW)
    assert verify(made.path, [unbound.trusted], clock=NOW).info.source_id == "globex"


def test_size_bound(signed: Signed) -> None:
    size = signed.path.stat().st_size
    verify(signed.path, [signed.trusted], clock=NOW, max_bytes=size)
    with pytest.raises(BundleTooLargeError, match="larger than the limit"):
        verify(signed.path, [signed.trusted], clock=NOW, max_bytes=size - 1)
    with pytest.raises(BundleTooLargeError, match="objects"):
        verify(signed.path, [signed.trusted], clock=NOW, max_objects=3)


def test_every_failure_is_an_intel_error_naming_the_file(signed: Signed, tmp_path: Path) -> None:
    failures: list[IntelError] = []
    for keys, clock in (([keygen(tmp_path / "x").trusted], NOW), ([signed.trusted], at(T0 + 99 * DAY))):
        with pytest.raises(IntelError) as info:
            verify(signed.path, keys, clock=clock)
        failures.append(info.value)
    assert all(str(f).startswith(str(signed.path)) for f in failures)
    assert len({type(f) for f in failures}) == 2


def test_write_signed_bundle_writes_the_signature_next_to_the_bundle(tmp_path: Path, signing_key: SigningKey) -> None:
    bundle = to_bundle(make_info(), [], [])
    path, sig = write_signed_bundle(bundle, tmp_path / "b.json", signing_key)
    assert sig == tmp_path / "b.json.sig" and path.read_bytes().endswith(b"}\n")
