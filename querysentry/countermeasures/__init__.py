"""Countermeasures on responses: what a flagged client gets back is worth less to a distiller, and
leaks are caught on the way out.

Build a ``CountermeasurePlan`` per request (``CountermeasureSettings().plan(level=..., client=...,
campaign=..., system_prompt=...)``) and wrap the response's ``send`` with
``countermeasure_send(send, plan)``. The parts, each usable alone:

- ``sse``: an incremental, bounded ``text/event-stream`` parser;
- ``think``: ``<think>`` blocks withheld from streamed text;
- ``leaks``: leaks of secrets (copied, reordered, spaced, reversed, rot13, base64, translated)
  cut or redacted while streaming;
- ``canary``: per-client marks and ``canary_check``;
- ``tarpit``: pacing of a response;
- ``shapes``: where each API (OpenAI chat and Responses, Anthropic, Gemini) keeps reasoning and text;
- ``rewrite``: the engine for one response; ``asgi``: the ``send`` wrapper.
"""

from querysentry.countermeasures.answers import answer_texts
from querysentry.countermeasures.asgi import countermeasure_send, response_filters
from querysentry.countermeasures.canary import CanaryConfig, CanaryMarker, canary_check, canary_mark, extract_payloads
from querysentry.countermeasures.leaks import (
    LeakDetector,
    LeakEvent,
    LeakGuard,
    LeakSettings,
    SecretIndex,
    compact_text,
    compile_secrets,
)
from querysentry.countermeasures.pieces import PieceFilter, TextPipeline
from querysentry.countermeasures.plan import (
    DEFAULT_MARKER,
    EMPTY_PLAN,
    CountermeasurePlan,
    CountermeasureSettings,
    system_prompt_of,
)
from querysentry.countermeasures.rewrite import ResponseFilters, StreamLimits, StreamRewriter, rewrite_json_body
from querysentry.countermeasures.sse import SSEEvent, SSEParser
from querysentry.countermeasures.tarpit import Pacer, TarpitSettings
from querysentry.countermeasures.think import ThinkTagFilter, strip_think_blocks

__all__ = [
    "DEFAULT_MARKER",
    "EMPTY_PLAN",
    "CanaryConfig",
    "CanaryMarker",
    "CountermeasurePlan",
    "CountermeasureSettings",
    "LeakDetector",
    "LeakEvent",
    "LeakGuard",
    "LeakSettings",
    "Pacer",
    "PieceFilter",
    "ResponseFilters",
    "SSEEvent",
    "SSEParser",
    "SecretIndex",
    "StreamLimits",
    "StreamRewriter",
    "TarpitSettings",
    "TextPipeline",
    "ThinkTagFilter",
    "answer_texts",
    "canary_check",
    "canary_mark",
    "compact_text",
    "compile_secrets",
    "countermeasure_send",
    "extract_payloads",
    "response_filters",
    "rewrite_json_body",
    "strip_think_blocks",
    "system_prompt_of",
]
