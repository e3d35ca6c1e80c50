"""QuerySentry: detect LLM distillation and extraction traffic, offline, inside your ASGI app.

Heavy modules (onnxruntime, faiss) are imported when first used, not on ``import querysentry``.
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from querysentry.asgi.identity import ClientIdentity
from querysentry.asgi.middleware import QuerySentryMiddleware
from querysentry.categories import EXTRACTION_CATEGORIES, Category, Severity
from querysentry.detector import Detector
from querysentry.encoder import Encoder, ModelManifest, load_manifest
from querysentry.engine.config import EngineConfig
from querysentry.engine.engine import Engine
from querysentry.engine.outcome import Outcome
from querysentry.errors import (
    IncompatibleIndexError,
    InputError,
    LibraryError,
    ModelError,
    PatternIndexError,
    QuerySentryError,
    UnsupportedPayloadError,
)
from querysentry.extract import Extracted, extract_payload
from querysentry.index import IndexHandle, PatternIndex, SearchHit, build_index, load_index
from querysentry.library import Pattern, PatternLibrary, default_library, load_library, validate_library
from querysentry.messages import Message
from querysentry.scoring import Thresholds
from querysentry.text import NormalizedText, Segment, SegmentationConfig, normalize, segment_messages
from querysentry.threshold_files import default_thresholds
from querysentry.verdict import Match, MatchedSegment, Timings, Verdict

try:
    __version__ = _version("querysentry")
except _PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "EXTRACTION_CATEGORIES",
    "Category",
    "ClientIdentity",
    "Detector",
    "Encoder",
    "Engine",
    "EngineConfig",
    "Extracted",
    "IncompatibleIndexError",
    "IndexHandle",
    "InputError",
    "LibraryError",
    "Match",
    "MatchedSegment",
    "Message",
    "ModelError",
    "ModelManifest",
    "NormalizedText",
    "Outcome",
    "Pattern",
    "PatternIndex",
    "PatternIndexError",
    "PatternLibrary",
    "QuerySentryError",
    "QuerySentryMiddleware",
    "SearchHit",
    "Segment",
    "SegmentationConfig",
    "Severity",
    "Thresholds",
    "Timings",
    "UnsupportedPayloadError",
    "Verdict",
    "__version__",
    "build_index",
    "default_library",
    "default_thresholds",
    "extract_payload",
    "load_index",
    "load_library",
    "load_manifest",
    "normalize",
    "segment_messages",
    "validate_library",
]
