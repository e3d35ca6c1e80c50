"""Prometheus metrics for the middleware (optional: ``pip install 'querysentry[metrics]'``).

No label ever holds a client key: a per-client label would grow without bound and leak who was
flagged to anyone who can read the metrics. Without ``prometheus_client`` installed every method
is a no-op, so the middleware never has to check.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
_RISK_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


class Metrics:
    """Decision counters, scan latency, client levels and risk, cache and batch figures, store
    fallbacks and the index version."""

    def __init__(self, registry: Any = None, namespace: str = "querysentry", *, enabled: bool = True) -> None:
        self.enabled = False
        if not enabled:
            return
        try:
            import prometheus_client as prom
        except ModuleNotFoundError:
            return
        self.enabled = True
        kwargs: dict[str, Any] = {"namespace": namespace}
        if registry is not None:
            kwargs["registry"] = registry
        self._decisions = prom.Counter(
            "decisions", "Requests decided, by action and category", ["action", "status", "category"], **kwargs
        )
        self._latency = prom.Histogram("scan_seconds", "Time to scan one request", buckets=_LATENCY_BUCKETS, **kwargs)
        self._cache = prom.Counter("embedding_cache", "Segment-vector cache lookups", ["result"], **kwargs)
        self._batch = prom.Histogram("encoder_batch_texts", "Texts per encoder call", buckets=_BATCH_BUCKETS, **kwargs)
        self._index = prom.Gauge("index_info", "The loaded pattern index (value 1)", ["version"], **kwargs)
        self._client_levels = prom.Counter(
            "client_levels", "Requests by their client's level (ok, tag, throttle, block)", ["level"], **kwargs
        )
        self._client_risk = prom.Histogram(
            "client_risk", "Client risk at each request (1 = enough to act on)", buckets=_RISK_BUCKETS, **kwargs
        )
        self._clustered = prom.Counter("clustered_requests", "Requests from members of a cluster", **kwargs)
        self._fallback = prom.Counter(
            "store_fallbacks", "Times the behaviour store was unreachable and local state took over", **kwargs
        )
        self._index_version: str | None = None

    @classmethod
    def disabled(cls) -> Metrics:
        """A no-op instance (the middleware's default: metrics are opt-in)."""
        return cls(enabled=False)

    def decision(self, action: str, status: str, category: str | None, seconds: float) -> None:
        if not self.enabled:
            return
        self._decisions.labels(action=action, status=status, category=category or "none").inc()
        self._latency.observe(seconds)

    def client(self, level: str, risk: float, clustered: bool) -> None:
        if not self.enabled:
            return
        self._client_levels.labels(level=level).inc()
        self._client_risk.observe(risk)
        if clustered:
            self._clustered.inc()

    def store_fallback(self) -> None:
        if self.enabled:
            self._fallback.inc()

    def cache(self, hits: int, misses: int) -> None:
        if self.enabled:
            self._cache.labels(result="hit").inc(hits)
            self._cache.labels(result="miss").inc(misses)

    def batch(self, texts: int) -> None:
        if self.enabled:
            self._batch.observe(texts)

    def index_version(self, version: str) -> None:
        if not self.enabled or version == self._index_version:
            return
        if self._index_version is not None:
            self._index.remove(self._index_version)
        self._index.labels(version=version).set(1)
        self._index_version = version
