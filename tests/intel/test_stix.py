import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from querysentry.intel import (
    EXTENSION_ID,
    BundleSchemaError,
    BundleTooLargeError,
    bundle_bytes,
    from_bundle,
    to_bundle,
)
from querysentry.intel.stix import parse_bundle
from tests.intel.conftest import DAY, T0, make_campaign, make_info, make_pattern


def _bundle_json(**kwargs: Any) -> dict[str, Any]:
    info = kwargs.get("info", make_info())
    patterns = kwargs.get("patterns", (make_pattern(), make_pattern("rt-op-0002", "Another hidden-steps request.")))
    campaigns = kwargs.get("campaigns", (make_campaign(), make_campaign("cmp-8", vector=False)))
    data: dict[str, Any] = json.loads(bundle_bytes(to_bundle(info, patterns, campaigns)))
    return data


def _of(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in data["objects"] if o.get("extensions", {}).get(EXTENSION_ID, {}).get("kind") == kind]


def test_round_trip() -> None:
    info = make_info()
    patterns = (make_pattern(include_text=True), make_pattern("rt-op-0002", "Another hidden-steps request."))
    campaigns = (make_campaign(), make_campaign("cmp-8", vector=False))
    assert from_bundle(bundle_bytes(to_bundle(info, patterns, campaigns))) == (info, patterns, campaigns)
    assert from_bundle(bundle_bytes(to_bundle(info, (), ()))) == (info, (), ())


def test_the_same_inputs_give_the_same_bytes() -> None:
    assert bundle_bytes(to_bundle(make_info(), [make_pattern()], [make_campaign()])) == bundle_bytes(
        to_bundle(make_info(), [make_pattern()], [make_campaign()])
    )
    later = bundle_bytes(to_bundle(make_info(created=T0 + DAY), [make_pattern()], [make_campaign()]))
    assert json.loads(later)["id"] != _bundle_json()["id"]


def test_the_objects_are_plain_stix_2_1() -> None:
    data = _bundle_json()
    assert data["type"] == "bundle"
    types = [o["type"] for o in data["objects"]]
    assert (
        types
        == ["identity", "extension-definition", "identity"]
        + ["indicator"] * 2
        + [
            "campaign",
            "indicator",
            "relationship",
        ]
        * 2
    )
    assert all(o["spec_version"] == "2.1" for o in data["objects"])
    definition = data["objects"][1]
    assert definition["id"] == EXTENSION_ID and definition["extension_types"] == ["property-extension"]
    (producer,) = _of(data, "producer")
    assert producer["name"] == "Acme model gateway" and producer["identity_class"] == "system"
    for indicator in [o for o in data["objects"] if o["type"] == "indicator"]:
        assert indicator["pattern_type"] == "querysentry"
        assert indicator["valid_until"] == producer["extensions"][EXTENSION_ID]["expires"]
        assert indicator["created_by_ref"] == producer["id"]
    relationships = [o for o in data["objects"] if o["type"] == "relationship"]
    signatures = {o["id"] for o in _of(data, "campaign_signature")}
    campaigns = {o["id"] for o in data["objects"] if o["type"] == "campaign"}
    assert {
        (r["relationship_type"], r["source_ref"] in signatures, r["target_ref"] in campaigns) for r in relationships
    } == {("indicates", True, True)}
    (campaign, _) = [o for o in data["objects"] if o["type"] == "campaign"]
    assert campaign["first_seen"].startswith("2026-04-28T12:00:00.25") and campaign["first_seen"].endswith("Z")


def test_text_is_in_the_bundle_only_on_opt_in() -> None:
    hashed = bundle_bytes(to_bundle(make_info(), [make_pattern()], []))
    opted = bundle_bytes(to_bundle(make_info(), [make_pattern(include_text=True)], []))
    assert b"hidden step" not in hashed and b"hidden step" in opted


def test_to_bundle_refuses_two_patterns_with_one_id() -> None:
    with pytest.raises(ValueError, match="unique"):
        to_bundle(make_info(), [make_pattern(), make_pattern(text="other text")], [])


def _mutate(change: Callable[[dict[str, Any]], Any]) -> str:
    data = _bundle_json()
    change(data)
    return json.dumps(data)


def _ext(data: dict[str, Any], kind: str, index: int = 0) -> dict[str, Any]:
    extension: dict[str, Any] = _of(data, kind)[index]["extensions"][EXTENSION_ID]
    return extension


def _drop_kind(data: dict[str, Any], kind: str) -> None:
    data["objects"] = [o for o in data["objects"] if o not in _of(data, kind)]


_MALWARE = {
    "type": "malware",
    "spec_version": "2.1",
    "id": "malware--6b2f7d4e-1c3a-4f5b-8e9d-0a1b2c3d4e5f",
    "created": "2026-05-01T00:00:00.000Z",
    "modified": "2026-05-01T00:00:00.000Z",
    "name": "not ours",
    "is_family": False,
}

SCHEMA_VIOLATIONS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("custom property", lambda d: d["objects"][3].update(x_note="hi"), "Unexpected properties"),
    ("extra extension field", lambda d: _ext(d, "pattern").update(client="key-1"), "Unexpected properties"),
    ("string count", lambda d: _ext(d, "campaign").update(member_count="14"), "non-negative integer"),
    ("string vector item", lambda d: _ext(d, "campaign_signature").update(vector=["0.1"]), "finite number"),
    ("list as string", lambda d: _ext(d, "campaign").update(linkage_kinds="template"), "must be a list"),
    ("unknown kind", lambda d: _ext(d, "pattern").update(kind="other"), "kind"),
    ("unknown category", lambda d: _ext(d, "pattern").update(category="mind_reading"), "mind_reading"),
    ("vector without fingerprint", lambda d: _ext(d, "campaign_signature").pop("encoder_fingerprint"), "fingerprint"),
    ("field of another kind", lambda d: _ext(d, "pattern").update(member_count=3), "unexpected member_count"),
    ("missing field", lambda d: _ext(d, "pattern").pop("severity"), "missing severity"),
    ("bad hash", lambda d: _ext(d, "pattern").update(text_sha256="00"), "text hash"),
    ("pattern differs", lambda d: _of(d, "pattern")[0].update(pattern="text_sha256:" + "0" * 64), "pattern does not"),
    ("other pattern_type", lambda d: _of(d, "pattern")[0].update(pattern_type="sigma"), "pattern_type"),
    ("valid_until", lambda d: _of(d, "pattern")[0].update(valid_until="2027-01-01T00:00:00Z"), "valid_until"),
    ("no producer", lambda d: _drop_kind(d, "producer"), "exactly one producer"),
    ("no extension definition", lambda d: d["objects"].pop(1), "extension definition"),
    ("not by the producer", lambda d: _of(d, "pattern")[0].pop("created_by_ref"), "not created by"),
    ("unpaired signature", lambda d: d["objects"].pop(7), "no indicates relationship"),
    ("other object type", lambda d: d["objects"].append(_MALWARE), "a malware object"),
    ("duplicate id", lambda d: d["objects"].append(d["objects"][3]), "twice"),
    ("not a bundle", lambda d: d.update(type="report"), "not a STIX bundle"),
]


@pytest.mark.parametrize(
    ("change", "message"), [v[1:] for v in SCHEMA_VIOLATIONS], ids=[v[0] for v in SCHEMA_VIOLATIONS]
)
def test_schema_violations_are_refused(change: Callable[[dict[str, Any]], Any], message: str) -> None:
    with pytest.raises(BundleSchemaError, match=message):
        from_bundle(_mutate(change))


def test_the_violations_start_from_a_valid_bundle() -> None:
    assert from_bundle(_mutate(lambda d: None))[0] == make_info()


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '{"type": "bundle", "objects": [NaN]}', "[" * 100_000])
def test_not_json_or_not_a_bundle(text: str) -> None:
    with pytest.raises(BundleSchemaError):
        from_bundle(text)


def test_too_many_objects() -> None:
    text = bundle_bytes(to_bundle(make_info(), [make_pattern(f"p-{i}", f"text {i}") for i in range(5)], []))
    assert len(parse_bundle(text, max_objects=8).patterns) == 5
    with pytest.raises(BundleTooLargeError, match="8 objects"):
        from_bundle(text, max_objects=7)


def test_vectors_survive_exactly() -> None:
    vector = tuple(1 / (i + 3) for i in range(384))
    campaign = dataclasses.replace(make_campaign(), vector=vector)
    (_, _, (back,)) = from_bundle(bundle_bytes(to_bundle(make_info(), [], [campaign])))
    assert back.vector == vector
