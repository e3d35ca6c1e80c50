"""Prometheus metrics for the middleware (optional: ``pip install 'querysentry[metrics]'``).

No label ever holds a client key: a per-client label would grow without bound and leak who was
flagged to anyone who can read the metrics. Without ``prometheus_client`` installed every method
is a no-op, so the middleware never has to check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the metrics endpoint is an ASGI app; the engine only counts, so no ASGI import
    from querysentry.asgi.types import ASGIApp, Receive, Scope, Send

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
_RISK_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


class Metrics:
    """Decision counters, scan latency, client levels and risk, cache and batch figures, store
    fallbacks and the index version."""

    def __init__(self, registry: Any = None, namespace: str = "querysentry", *, enabled: bool = True) -> None:
        self.enabled = False
        self.registry: Any = None
        if not enabled:
            return
        try:
            import prometheus_client as prom
        except ModuleNotFoundError:
            return
        self.enabled = True
        self.registry = registry if registry is not None else prom.REGISTRY
        kwargs: dict[str, Any] = {"namespace": namespace, "registry": self.registry}
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

    @classmethod
    def isolated(cls, namespace: str = "querysentry") -> Metrics:
        """An instance with a registry of its own (disabled without ``prometheus_client``).

        The default registry is process-wide and takes each metric name once, so a second
        ``Metrics()`` in one process raises; apps built more than once (tests, several apps in one
        process) use this. Its endpoint shows QuerySentry's metrics only, without the default
        registry's process and platform collectors.
        """
        try:
            from prometheus_client import CollectorRegistry
        except ModuleNotFoundError:
            return cls.disabled()
        return cls(registry=CollectorRegistry(), namespace=namespace)

    def asgi_app(self) -> ASGIApp:
        """An ASGI app that serves this instance's registry in the Prometheus text format.

        It is an object, not a function, so that Starlette's ``Route("/metrics", app)`` serves it
        at ``/metrics`` exactly (``Mount`` would answer ``/metrics`` with a redirect to ``/metrics/``).
        Each scrape renders every metric of the registry: a few kilobytes, proportional to the
        number of label values (bounded: no label holds a client key). Exclude its path from the
        middleware's scanning. Raises ``RuntimeError`` if the metrics are disabled.
        """
        if not self.enabled:
            raise RuntimeError(
                "metrics are disabled (is prometheus_client installed? pip install 'querysentry[metrics]')"
            )
        from prometheus_client import make_asgi_app

        return _MetricsEndpoint(make_asgi_app(registry=self.registry))

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


class _MetricsEndpoint:
    """prometheus_client's ASGI function behind an object, so that Starlette routes treat it as an ASGI app."""

    def __init__(self, app: Any) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)
