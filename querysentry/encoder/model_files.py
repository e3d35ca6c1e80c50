"""Where the shipped encoder lives, and its manifest.

The encoder is never downloaded: it ships inside the wheel (``querysentry/models``, mapped from the
repository's top-level ``models/`` at build time) and is read from ``models/`` in a checkout.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from querysentry.errors import ModelError

__all__ = ["ModelManifest", "default_model_dir", "file_sha256", "load_manifest"]

MANIFEST_NAME = "manifest.json"


def default_model_dir() -> Path:
    """The shipped model directory: inside the installed package, else the checkout's ``models/``."""
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "models", package_dir.parent / "models"):
        if (candidate / MANIFEST_NAME).is_file():
            return candidate
    raise ModelError(
        "the shipped encoder was not found (looked in "
        f"{package_dir / 'models'} and {package_dir.parent / 'models'}); "
        "reinstall querysentry or pass model_dir="
    )


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in 1 MiB blocks; O(file size)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelManifest:
    """What ``models/manifest.json`` says about the encoder files beside it."""

    directory: Path
    name: str
    dims: int
    max_tokens: int
    onnx_file: str
    tokenizer_file: str
    checksums: dict[str, str]
    fingerprint: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def session_config(self) -> dict[str, str]:
        """ORT session config entries the exporter says this model needs."""
        entries = self.raw.get("runtime", {}).get("session_config_entries", {})
        return {str(k): str(v) for k, v in entries.items()}

    @property
    def onnx_path(self) -> Path:
        return self.directory / self.onnx_file

    @property
    def tokenizer_path(self) -> Path:
        return self.directory / self.tokenizer_file

    def verify(self) -> None:
        """Raise ``ModelError`` unless every listed file exists and matches its sha256."""
        for name, expected in self.checksums.items():
            path = self.directory / name
            if not path.is_file():
                raise ModelError(f"encoder file missing: {path}")
            actual = file_sha256(path)
            if actual != expected:
                raise ModelError(f"encoder file {path} is corrupt: sha256 {actual[:12]}… != manifest {expected[:12]}…")


def load_manifest(directory: Path | str | None = None) -> ModelManifest:
    """Read and check the shape of the manifest in ``directory`` (default: the shipped model)."""
    path = Path(directory) if directory is not None else default_model_dir()
    manifest_path = path / MANIFEST_NAME
    try:
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no encoder manifest at {manifest_path}") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"unreadable encoder manifest {manifest_path}: {exc}") from None
    try:
        files = raw["files"]
        checksums = {name: str(entry["sha256"]) for name, entry in files.items()}
        onnx_file = next(name for name in checksums if name.endswith(".onnx"))
        tokenizer_file = next(name for name in checksums if name.endswith("tokenizer.json"))
        return ModelManifest(
            directory=path,
            name=str(raw.get("model_name") or raw["model"]),
            dims=int(raw["dimensions"]),
            max_tokens=int(raw["max_tokens"]),
            onnx_file=onnx_file,
            tokenizer_file=tokenizer_file,
            checksums=checksums,
            fingerprint=str(raw["fingerprint"]),
            raw=raw,
        )
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError) as exc:
        raise ModelError(f"encoder manifest {manifest_path} is missing a field: {exc!r}") from None
