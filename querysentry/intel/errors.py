"""Why a bundle, a signature, a key or the shared layer cannot be used.

All are ``InputError`` (the CLI's exit status 2): something handed to QuerySentry is not usable.

InputError
└── IntelError                  base of this package's errors
    ├── BundleTooLargeError     more bytes or objects than the configured bounds
    ├── BundleSchemaError       not a STIX 2.1 bundle of the shape QuerySentry writes
    ├── SignatureError          the .sig file is missing or malformed, or does not match the bytes
    ├── UntrustedKeyError       signed by a key that is not among the trusted keys
    ├── ProvenanceError         the bundle's source is not the one its key (or the layer) is bound to
    ├── BundleExpiredError      past its expiry time
    ├── BundleNotYetValidError  created in the future (a wrong clock, or a replayed future bundle)
    ├── StaleBundleError        older than the bundle already imported from the same source
    ├── KeyFileError            a key file is missing, malformed, or would be overwritten
    └── SharedLayerError        the shared layer on disk is corrupt, or has no such source
"""

from __future__ import annotations

from querysentry.errors import InputError

__all__ = [
    "BundleExpiredError",
    "BundleNotYetValidError",
    "BundleSchemaError",
    "BundleTooLargeError",
    "IntelError",
    "KeyFileError",
    "ProvenanceError",
    "SharedLayerError",
    "SignatureError",
    "StaleBundleError",
    "UntrustedKeyError",
]


class IntelError(InputError):
    """A bundle, signature, key or shared layer cannot be used; the message says which and why."""


class BundleTooLargeError(IntelError):
    """The bundle has more bytes or objects than allowed."""


class BundleSchemaError(IntelError):
    """The bundle is not valid STIX 2.1, or not of the shape QuerySentry writes."""


class SignatureError(IntelError):
    """The detached signature is missing, malformed, or does not match the bundle's bytes."""


class UntrustedKeyError(IntelError):
    """The bundle was signed by a key that is not among the trusted keys."""


class ProvenanceError(IntelError):
    """The bundle's producer source is not the source its key, or the shared layer, is bound to."""


class BundleExpiredError(IntelError):
    """The bundle's expiry time has passed."""


class BundleNotYetValidError(IntelError):
    """The bundle says it was created after now (beyond the allowed clock skew)."""


class StaleBundleError(IntelError):
    """The bundle is older than the one already imported from the same source."""


class KeyFileError(IntelError):
    """A key file is missing or malformed, or keygen would overwrite one."""


class SharedLayerError(IntelError):
    """The shared layer on disk is corrupt or inconsistent, or names no such source."""
