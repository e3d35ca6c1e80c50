"""Signed STIX 2.1 indicator bundles: what one deployment learnt, recognised by another.

``export`` turns decision records and operator patterns into the model (``model``); ``stix``
writes and reads the model as a STIX 2.1 bundle; ``signing`` makes keys, signs a bundle's bytes
and verifies a received bundle; ``shared`` keeps verified bundles in an index's shared layer.

``stix2`` and ``cryptography`` are imported when a name from ``stix`` or ``signing`` is first
used: a reader of the shared layer (the middleware) loads neither.
"""

import importlib
from typing import TYPE_CHECKING, Any

from querysentry.intel.errors import (
    BundleExpiredError,
    BundleNotYetValidError,
    BundleSchemaError,
    BundleTooLargeError,
    IntelError,
    KeyFileError,
    ProvenanceError,
    SharedLayerError,
    SignatureError,
    StaleBundleError,
    UntrustedKeyError,
)
from querysentry.intel.export import campaigns_from_records, pattern_indicators
from querysentry.intel.model import BundleInfo, CampaignSignature, Mode, PatternIndicator, VerifiedBundle, text_hash
from querysentry.intel.shared import SharedCampaign, SharedLayer, SharedPattern, SharedSnapshot, SourceRecord

if TYPE_CHECKING:
    from querysentry.intel.signing import (
        MAX_BUNDLE_BYTES,
        SigningKey,
        TrustedKey,
        key_id,
        keygen,
        load_signing_key,
        load_trusted_key,
        sign_bytes,
        signature_path,
        verify,
        verify_bytes,
        write_signed_bundle,
    )
    from querysentry.intel.stix import EXTENSION_ID, MAX_OBJECTS, bundle_bytes, from_bundle, to_bundle

# Loaded on first use, so that a reader of the shared layer never imports stix2 or cryptography.
_LAZY = {
    **dict.fromkeys(
        (
            "MAX_BUNDLE_BYTES",
            "SigningKey",
            "TrustedKey",
            "key_id",
            "keygen",
            "load_signing_key",
            "load_trusted_key",
            "sign_bytes",
            "signature_path",
            "verify",
            "verify_bytes",
            "write_signed_bundle",
        ),
        "querysentry.intel.signing",
    ),
    **dict.fromkeys(
        ("EXTENSION_ID", "MAX_OBJECTS", "bundle_bytes", "from_bundle", "to_bundle"), "querysentry.intel.stix"
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "EXTENSION_ID",
    "MAX_BUNDLE_BYTES",
    "MAX_OBJECTS",
    "BundleExpiredError",
    "BundleInfo",
    "BundleNotYetValidError",
    "BundleSchemaError",
    "BundleTooLargeError",
    "CampaignSignature",
    "IntelError",
    "KeyFileError",
    "Mode",
    "PatternIndicator",
    "ProvenanceError",
    "SharedCampaign",
    "SharedLayer",
    "SharedLayerError",
    "SharedPattern",
    "SharedSnapshot",
    "SignatureError",
    "SigningKey",
    "SourceRecord",
    "StaleBundleError",
    "TrustedKey",
    "UntrustedKeyError",
    "VerifiedBundle",
    "bundle_bytes",
    "campaigns_from_records",
    "from_bundle",
    "key_id",
    "keygen",
    "load_signing_key",
    "load_trusted_key",
    "pattern_indicators",
    "sign_bytes",
    "signature_path",
    "text_hash",
    "to_bundle",
    "verify",
    "verify_bytes",
    "write_signed_bundle",
]
