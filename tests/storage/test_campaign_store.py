"""Campaign state in the shared store: replicas see one campaign; intel exports it with its vector."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np

from querysentry.behaviour.campaigns import CampaignTracker, Instruction
from querysentry.intel.export import campaigns_from_store
from querysentry.storage import store_from_url


def _instruction(i: int) -> Instruction:
    rng = np.random.default_rng(i)
    base = np.ones(16, dtype=np.float32)
    v = base + 0.05 * rng.normal(size=16).astype(np.float32)
    return Instruction(v / np.linalg.norm(v), "ab" * 8, "prompt_extraction", 1.0)


def test_two_replicas_on_a_redis_cluster_see_one_campaign(redis_cluster: Any) -> None:
    test_two_replicas_on_redis_see_one_campaign_and_intel_exports_it(redis_cluster.url)


def test_two_replicas_on_redis_see_one_campaign_and_intel_exports_it(redis_url: str) -> None:
    async def go() -> tuple[object, object]:
        one, two = store_from_url(redis_url), store_from_url(redis_url)
        try:
            a, b = CampaignTracker(store=one), CampaignTracker(store=two)
            for i in range(8):
                match = a.observe(f"k{i}", _instruction(i), 100.0 + i)
                if match is not None:
                    await a.publish(match, f"k{i}", 1.0, 100.0 + i)
            assert await b.refresh(200.0, force=True) == 1
            seen = b.observe("never-seen-by-b", _instruction(99), 210.0)
            assert seen is not None and seen.campaign_id == a.campaigns()[0].id and seen.members >= 6
            await b.publish(seen, "never-seen-by-b", 1.0, 210.0)
            await a.refresh(220.0, force=True)
            return a.campaigns()[0].requests, seen.requests
        finally:
            await one.close()
            await two.close()

    counted_at_a, _ = asyncio.run(go())
    assert counted_at_a >= 9  # B's request was counted where A sees it
    found = asyncio.run(campaigns_from_store(redis_url, "f" * 64))
    assert len(found) == 1 and found[0].encoder_fingerprint == "f" * 64 and found[0].vector is not None
    assert found[0].instruction_hashes == ("ab" * 8,) and found[0].member_count >= 6
