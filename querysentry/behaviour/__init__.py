"""Client behaviour: per-client evidence, template reuse and cross-client clusters.

``BehaviourTracker.observe(client, verdict, messages, now)`` → ``ClientVerdict``. The pure parts
(``fingerprint``, ``signals``, ``clusters``) know nothing of storage; the tracker does the I/O.
"""

from __future__ import annotations

from querysentry.behaviour.clusters import Cluster, ClusterRule
from querysentry.behaviour.fingerprint import template_features, unit_hash
from querysentry.behaviour.signals import ClientSignals, RiskModel, request_evidence
from querysentry.behaviour.tracker import BehaviourTracker

__all__ = [
    "BehaviourTracker",
    "ClientSignals",
    "Cluster",
    "ClusterRule",
    "RiskModel",
    "request_evidence",
    "template_features",
    "unit_hash",
]
