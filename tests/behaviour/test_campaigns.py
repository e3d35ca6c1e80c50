"""Campaigns across clients: formation, joining, levels, bounds, linkage and replicas."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import numpy as np
import pytest

from querysentry.behaviour.campaigns import CampaignRule, CampaignTracker, Instruction, _client_hash
from querysentry.storage import MemoryStore

DIM = 32


def _direction(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _near(base: np.ndarray, rng: np.random.Generator, spread: float = 0.15) -> np.ndarray:
    # A paraphrase: the same direction plus noise, still well above the join similarity.
    v = base + spread * rng.normal(size=DIM).astype(np.float32) / np.sqrt(DIM)
    return v / np.linalg.norm(v)


def _instruction(vector: np.ndarray, skeleton: str = "s1", category: str = "prompt_extraction") -> Instruction:
    return Instruction(vector.astype(np.float32), skeleton, category, 1.0)


def test_single_use_keys_form_a_campaign_and_new_keys_carry_its_level_at_once() -> None:
    tracker = CampaignTracker(CampaignRule())
    base, rng = _direction(1), np.random.default_rng(2)
    matches = [tracker.observe(f"key-{i}", _instruction(_near(base, rng), f"s{i % 3}"), 1000.0 + i) for i in range(40)]
    first = next(i for i, m in enumerate(matches) if m is not None)
    assert first == CampaignRule().form_requests - 1  # formed by the request that completed the group
    assert all(m is not None for m in matches[first:])
    last = matches[-1]
    assert last is not None and last.level == "block" and last.members == 40 and last.requests == 40
    assert last.campaign_id.startswith("k-") and len(set(m.campaign_id for m in matches if m)) == 1
    fresh = tracker.observe("never-seen", _instruction(_near(base, rng)), 2000.0)
    assert fresh is not None and fresh.level == "block"


def test_one_key_repeating_itself_is_not_a_campaign() -> None:
    tracker = CampaignTracker()
    base, rng = _direction(3), np.random.default_rng(4)
    assert all(tracker.observe("one-key", _instruction(_near(base, rng)), 10.0 + i) is None for i in range(50))
    assert len(tracker) == 0


def test_unrelated_instructions_from_many_keys_do_not_group() -> None:
    tracker = CampaignTracker()
    found = [tracker.observe(f"user-{i}", _instruction(_direction(100 + i)), 5.0 + i) for i in range(300)]
    assert found == [None] * 300 and len(tracker) == 0


def test_requests_without_evidence_never_count() -> None:
    tracker = CampaignTracker()
    base, rng = _direction(5), np.random.default_rng(6)
    weak = [Instruction(_near(base, rng), "s", "prompt_extraction", 0.2) for _ in range(30)]
    assert all(tracker.observe(f"k{i}", w, 1.0) is None for i, w in enumerate(weak))
    assert tracker.observe("k", None, 1.0) is None


def test_lookalike_categories_need_a_larger_group() -> None:
    rule = CampaignRule()
    base, rng = _direction(7), np.random.default_rng(8)
    tracker = CampaignTracker(rule)
    levels = [
        m.level
        if (m := tracker.observe(f"s{i}", _instruction(_near(base, rng), category="reasoning_trace"), float(i)))
        else None
        for i in range(60)
    ]
    # A group of six students asking for worked steps is formed (it is a dense group) but not acted on.
    assert levels[:10].count(None) >= 5 and all(lvl in (None, "ok") for lvl in levels[:10])
    assert levels[-1] in ("tag", "throttle")
    assert rule.level(6, 16, Counter({"prompt_extraction": 16})) == "throttle"
    assert rule.level(6, 16, Counter({"reasoning_trace": 16})) == "ok"


def test_the_window_forgets_old_instructions() -> None:
    rule = CampaignRule(window=100.0)
    tracker = CampaignTracker(rule)
    base, rng = _direction(9), np.random.default_rng(10)
    # One request every 60 s: never more than two inside the window, never a campaign.
    assert all(tracker.observe(f"k{i}", _instruction(_near(base, rng)), 60.0 * i) is None for i in range(30))


def test_linkage_admits_a_weaker_match_only_with_shared_features() -> None:
    rule = CampaignRule(join_similarity=0.95, link_similarity=0.5)
    tracker = CampaignTracker(rule)
    base, rng = _direction(11), np.random.default_rng(12)
    features = ("net:abc", "ua:def")
    for i in range(10):
        tracker.observe(f"ring-{i}", _instruction(_near(base, rng, 0.05)), float(i), features)
    assert len(tracker) == 1
    weaker = _near(base, rng, 1.2)
    similarity = float(weaker @ tracker.campaigns()[0].centroid)
    assert 0.5 <= similarity < 0.95
    assert tracker.observe("outsider", _instruction(weaker), 20.0) is None
    linked = tracker.observe("linked", _instruction(weaker), 21.0, features)
    assert linked is not None and set(linked.linkage) == {"net", "ua"}


def test_a_strict_tier_raises_the_level_one_step() -> None:
    tracker = CampaignTracker()
    base, rng = _direction(13), np.random.default_rng(14)
    for i in range(6):
        tracker.observe(f"k{i}", _instruction(_near(base, rng)), float(i))
    plain = tracker.observe("paid", _instruction(_near(base, rng)), 10.0)
    strict = tracker.observe("trial", _instruction(_near(base, rng)), 11.0, ("tier:free",))
    assert plain is not None and strict is not None
    assert (plain.level, strict.level) == ("tag", "throttle")


def test_memory_is_bounded_by_construction() -> None:
    rule = CampaignRule(window_size=64, max_campaigns=4, max_members=10, max_skeletons=3, form_requests=3)
    tracker = CampaignTracker(rule)
    rng = np.random.default_rng(15)
    for c in range(12):
        base = _direction(200 + c)
        for i in range(30):
            tracker.observe(f"c{c}-k{i}", _instruction(_near(base, rng), f"sk{c}-{i}"), float(c * 100 + i))
    campaigns = tracker.campaigns()
    assert len(campaigns) <= 4
    for campaign in campaigns:
        assert len(campaign.members) <= 10 and campaign.member_count >= 10 and len(campaign.skeletons) <= 3
    assert tracker._recent is not None and tracker._recent.shape[0] == 64


def test_two_replicas_on_one_store_see_one_campaign() -> None:
    store = MemoryStore()
    a, b = CampaignTracker(store=store), CampaignTracker(store=store)
    base, rng = _direction(16), np.random.default_rng(17)

    async def go() -> None:
        for i in range(10):
            match = a.observe(f"k{i}", _instruction(_near(base, rng)), 100.0 + i)
            if match is not None:
                await a.publish(match, f"k{i}", 1.0, 100.0 + i)
        assert await b.refresh(200.0) == 1

    asyncio.run(go())
    seen = b.observe("brand-new", _instruction(_near(base, rng)), 210.0)
    assert seen is not None and seen.campaign_id == a.campaigns()[0].id
    assert seen.members >= 10


def test_rule_bounds_are_checked() -> None:
    with pytest.raises(ValueError):
        CampaignRule(form_clients=1)
    with pytest.raises(ValueError):
        CampaignRule(link_similarity=0.9, join_similarity=0.8)


def test_counts_shared_through_the_store_never_feed_on_themselves() -> None:
    store = MemoryStore()
    a, b = CampaignTracker(store=store, refresh_every=0.0), CampaignTracker(store=store, refresh_every=0.0)
    base, rng = _direction(18), np.random.default_rng(19)

    async def go() -> None:
        for i in range(200):
            tracker = a if i % 2 else b
            client = f"k{i % 20}"  # 20 members, each sending ten requests, half through each replica
            match = tracker.observe(client, _instruction(_near(base, rng)), 100.0 + i)
            if match is not None:
                await tracker.publish(match, client, 1.0, 100.0 + i)
            await tracker.refresh(100.0 + i)

    asyncio.run(go())
    for tracker in (a, b):
        (campaign,) = tracker.campaigns()
        assert 20 <= campaign.member_count <= 40  # each replica may count a member once: an upper bound of 2x
        assert campaign.requests <= 200


def _weak(vector: np.ndarray, skeleton: str = "s1", role: str | None = "user") -> Instruction:
    # A near miss: evidence enough to be compared, not enough for the detector to flag it.
    return Instruction(vector.astype(np.float32), skeleton, "prompt_extraction", 0.7, role)


def test_an_apps_own_system_prompt_never_makes_its_users_a_campaign() -> None:
    # 120 users of one app each send four requests with its system prompt, a near miss: a
    # near miss in a system message is the app's template, so it never groups, and no user is
    # acted on by it, on its first visit or later.
    tracker = CampaignTracker()
    base, rng = _direction(40), np.random.default_rng(41)
    found = [
        tracker.observe(f"user-{i}", _weak(_near(base, rng, 0.02), "app", "system"), 3600.0 * turn + 20.0 * i)
        for turn in range(4)
        for i in range(120)
    ]
    assert found == [None] * 480 and len(tracker) == 0
    # The same near misses in user turns from keys that send nothing else are a ring: tagged.
    ring = CampaignTracker()
    ring_levels = set()
    for turn in range(3):
        for i in range(60):
            m = ring.observe(f"ring-{i}", _weak(_near(base, rng, 0.02), "app", "user"), 3600.0 * turn + 20.0 * i)
            if turn == 2:
                ring_levels.add(m.level if m is not None else None)
    assert ring_levels == {"tag"}
    # A harvesting instruction the detector flags counts from a system message.
    flagged = Instruction(_near(base, rng, 0.02), "app", "prompt_extraction", 1.0, "system")
    assert ring.observe("other", flagged, 20_000.0) is not None
    assert tracker.dedication(_client_hash("user-0")) == 0.0


def test_template_groups_act_on_keys_used_once_and_never_on_an_apps_returning_users() -> None:
    # The option: near misses in a system message group across clients, and act only on a
    # campaign of keys used once. Keys that each send one request with a near-miss system prompt
    # are tagged once 30 of them are old enough to be judged.
    rule = CampaignRule(template_groups=True)
    base, rng = _direction(46), np.random.default_rng(47)
    once = CampaignTracker(rule)
    levels = [
        m.level if (m := once.observe(f"k{i}", _weak(_near(base, rng, 0.02), "sys", "system"), 60.0 * i)) else None
        for i in range(120)
    ]
    assert set(levels[:10]) <= {None, "ok"} and set(levels[60:]) == {"tag"}
    # The same prompt sent by an app's users, each coming back within the hour: the campaign
    # forms, but no user is acted on by it, and none is counted as dedicated to it.
    app = CampaignTracker(rule)
    matches = [
        app.observe(f"user-{i}", _weak(_near(base, rng, 0.02), "sys", "system"), 60.0 * i + 300.0 * turn)
        for i in range(120)
        for turn in range(3)
    ]
    assert len(app) == 1
    assert {m.level for m in matches if m is not None} == {"ok"}
    assert all(m.template for m in matches if m is not None)
    assert app.dedication(_client_hash("user-0")) == 0.0
    # Near a campaign that flagged requests built, an app user's first request with such a
    # system prompt still gets nothing from it, while a flagged key joining it does.
    mixed = CampaignTracker(rule)
    for i in range(40):
        mixed.observe(f"ring-{i}", _instruction(_near(base, rng, 0.02)), 10.0 * i)
    visitor = mixed.observe("visitor", _weak(_near(base, rng, 0.02), "sys", "system"), 500.0)
    assert visitor is not None and visitor.level == "ok" and visitor.held is not None
    joiner = mixed.observe("joiner", _instruction(_near(base, rng, 0.02)), 501.0)
    assert joiner is not None and joiner.level != "ok"
    # Off (the default), the same keys used once are never grouped.
    off = CampaignTracker()
    assert all(
        off.observe(f"k{i}", _weak(_near(base, rng, 0.02), "sys", "system"), 60.0 * i) is None for i in range(120)
    )


def test_a_shared_system_prompt_is_tagged_never_refused_by_the_campaign() -> None:
    # Sixty keys each send a request the detector flags, its instruction in the system message
    # (a copied quickstart snippet, an app's users): the campaign forms and tags them, but a
    # system prompt many keys share is no reason to refuse. The same instruction in user turns,
    # and the cap lifted, refuse.
    base, rng = _direction(48), np.random.default_rng(49)

    def last_level(rule: CampaignRule, role: str) -> str | None:
        tracker = CampaignTracker(rule)
        found = None
        for i in range(60):
            instruction = Instruction(_near(base, rng, 0.02), "sys", "prompt_extraction", 1.0, role)
            found = tracker.observe(f"k{i}", instruction, 30.0 * i)
        assert found is not None
        # The reason says why the campaign's level was not applied in full.
        assert ("system prompt" in found.reason()) is (role != "user" and rule.configured_cap == "tag")
        return found.level

    assert last_level(CampaignRule(), "system") == "tag"
    assert last_level(CampaignRule(), "developer") == "tag"
    assert last_level(CampaignRule(), "user") == "block"
    assert last_level(CampaignRule(configured_cap="block"), "system") == "block"
    with pytest.raises(ValueError):
        CampaignRule(configured_cap="refuse")  # type: ignore[arg-type]


def test_keys_used_once_are_judged_only_once_old_enough() -> None:
    # A campaign of single-use keys sending a near miss: each key is judged single-use once
    # ``single_use_after`` has passed since its request (a user at the start of a session
    # would have come back by then).
    rule = CampaignRule()
    tracker = CampaignTracker(rule)
    base, rng = _direction(44), np.random.default_rng(45)
    levels = [
        m.level if (m := tracker.observe(f"k{i}", _weak(_near(base, rng)), 5.0 * i)) else None for i in range(400)
    ]
    first_tag = levels.index("tag")
    # Not before 30 keys are at least 600 s old: key 29 sent at 145 s is judged from 745 s on.
    assert 5.0 * first_tag >= rule.single_use_after + 5.0 * (rule.single_use_members - 1)
    assert set(levels[first_tag:]) == {"tag"}


def test_a_group_of_near_misses_acts_only_through_dedicated_keys_and_only_tags() -> None:
    base, rng = _direction(42), np.random.default_rng(43)
    # Keys used once each, near misses only: nothing measures them one by one; once the
    # campaign holds ``single_use_members`` of them, it is tagged as what it is.
    single = CampaignTracker()
    found = [single.observe(f"k{i}", _weak(_near(base, rng)), 30.0 * i) for i in range(120)]
    levels = [m.level if m is not None else None for m in found]
    assert set(levels[:40]) <= {None, "ok"} and set(levels[60:]) == {"tag"}
    # Honest users who each send one near miss ("summarize this for me") among other requests.
    honest = CampaignTracker()
    levels = set()
    for i in range(60):
        for j in range(4):
            honest.observe(f"user-{i}", None, 10.0 * i + j)
        if (m := honest.observe(f"user-{i}", _weak(_near(base, rng)), 10.0 * i + 5)) is not None:
            levels.add(m.level)
    assert len(honest) == 1 and levels == {"ok"}
    # A ring: keys that send the campaign's near misses and nothing else are tagged, never refused.
    ring = CampaignTracker()
    last = {
        m.level
        for j in range(3)
        for i in range(60)
        if (m := ring.observe(f"ring-{i}", _weak(_near(base, rng)), 1000.0 * j + i)) is not None and j == 2
    }
    assert last == {"tag"}
    # Once enough members are flagged on their own, the same campaign acts.
    for i in range(20):
        ring.observe(f"strong-{i}", _instruction(_near(base, rng)), 5000.0 + i)
    final = ring.observe("strong-last", _instruction(_near(base, rng)), 6000.0)
    assert final is not None and final.level == "block" and final.strong >= CampaignRule().block_at[0]
    rule = CampaignRule()
    assert rule.level(50, 200, Counter({"prompt_extraction": 200}), strong=0) == "tag"
    assert rule.level(50, 200, Counter({"prompt_extraction": 200}), strong=None) == "block"  # imported
    assert CampaignRule(strong_to_act=False).level(50, 200, Counter({"prompt_extraction": 1}), strong=0) == "block"


def test_a_client_whose_traffic_is_mostly_elsewhere_gets_nothing_from_a_campaign() -> None:
    # A campaign of single-use keys, every request flagged: it blocks, and a new key matching it
    # is blocked at once. A student who has sent 40 homework questions and now sends one
    # flagged "show every step" that lands in the campaign is not: its own flag is its own
    # standing's business, not the campaign's.
    tracker = CampaignTracker()
    base, rng = _direction(50), np.random.default_rng(51)
    for i in range(80):
        tracker.observe(f"single-{i}", _instruction(_near(base, rng)), float(i))
    for j in range(40):
        tracker.observe("student", None, 100.0 + j)
    student = tracker.observe("student", _instruction(_near(base, rng)), 200.0)
    assert student is not None and student.level == "ok" and student.members == 81
    assert "not applied: 2% of this client's requests in campaigns" in student.reason()
    fresh = tracker.observe("fresh-key", _instruction(_near(base, rng)), 201.0)
    assert fresh is not None and fresh.level == "block"
    # A key that keeps sending the campaign's requests stays dedicated and stays blocked.
    for j in range(5):
        again = tracker.observe("fresh-key", _instruction(_near(base, rng)), 210.0 + j)
    assert again is not None and again.level == "block"
    assert tracker.dedication(_client_hash("fresh-key")) == 1.0
    assert tracker.dedication(_client_hash("student")) == pytest.approx(1 / 41)
    # A repeat answered from a cache counts as the client's request, at its level for the client.
    assert tracker.recall(again, "fresh-key", 220.0).level == "block"
    assert tracker.recall(student, "student", 221.0).level == "ok"


def test_request_counts_per_client_are_bounded() -> None:
    tracker = CampaignTracker(CampaignRule(max_clients=100))
    for i in range(10_000):
        tracker.observe(f"k{i}", None, float(i))
    assert len(tracker._totals) == 100
    with pytest.raises(ValueError):
        CampaignRule(max_clients=0)
    with pytest.raises(ValueError):
        CampaignRule(dedicated=1.5)


def test_a_near_miss_that_only_resembles_a_campaign_is_tagged_not_refused() -> None:
    tracker = CampaignTracker()
    base, rng = _direction(44), np.random.default_rng(45)
    for i in range(60):
        tracker.observe(f"c{i}", _instruction(_near(base, rng, 0.05)), float(i))
    rule = CampaignRule()
    # A vector at about 0.76 to the campaign: within join reach, below the weak similarity.
    other = _direction(46)
    other = other - float(other @ base) * base
    other /= np.linalg.norm(other)
    loose = (0.76 * base + np.sqrt(1 - 0.76**2) * other).astype(np.float32)
    assert rule.join_similarity <= float(loose @ base) < rule.weak_similarity
    weak = tracker.observe("student", _weak(loose), 100.0)
    assert weak is not None and weak.level == "tag"
    # Below weak_min_similarity a near miss does not join at all.
    far = (0.70 * base + np.sqrt(1 - 0.70**2) * other).astype(np.float32)
    assert tracker.observe("someone", _weak(far), 101.0) is None
    # The same vector as the student's, flagged by the detector on its own, carries the level.
    assert (strong := tracker.observe("flagged-user", _instruction(loose), 102.0)) is not None
    assert strong.level == "block"


def test_a_flagged_system_prompt_acts_only_on_keys_used_once_or_keys_that_keep_sending_it() -> None:
    # Sixty developers who copied one snippet, whose system prompt the detector flags: a quarter
    # of them run it two or three times. The campaign forms, yet none of them is acted on by it:
    # they share the prompt and nothing more.
    base, rng = _direction(60), np.random.default_rng(61)

    def flagged(role: str = "system") -> Instruction:
        return Instruction(_near(base, rng, 0.02), "sys", "reasoning_trace", 1.0, role)

    def flagged_as(skeleton: str) -> Instruction:
        return Instruction(_near(base, rng, 0.02), skeleton, "reasoning_trace", 1.0, "system")

    def runs(i: int) -> int:
        return 1 + (i % 4 == 0) * (1 + i % 2)  # one request, or two or three

    copiers = CampaignTracker()
    levels = []
    for i in range(60):
        for turn in range(runs(i)):
            found = copiers.observe(f"dev-{i}", flagged(), 600.0 * i + 90.0 * turn)
            levels.append(found.level if found is not None else None)
    assert len(copiers) == 1 and set(levels) <= {None, "ok"}
    held = copiers.observe("dev-0", flagged(), 50_000.0)
    assert held is not None and held.level == "ok" and "system prompt" in (held.held or "")
    # A key that keeps sending it, and nothing else, is acted on from its fourth request.
    worker = [copiers.observe("worker", flagged(), 50_100.0 + 60.0 * t) for t in range(5)]
    assert [m.level if m else None for m in worker[:3]] == ["ok"] * 3
    assert all(m is not None and m.level == "tag" for m in worker[3:])
    # The size of the campaign says little (every tutoring app's "show each step" lands in
    # one): a hundred keys that each sent some instruction of the group are not a reason. With
    # ``configured_senders``, a hundred distinct keys within a day that sent this very
    # instruction, each two or three times, are a rotation: tagged from the hundredth on; by
    # default (off) they are a popular app's users, left to their own standing.
    mixed = CampaignTracker()
    levels = [
        m.level if (m := mixed.observe(f"m{i}", flagged_as(f"snippet-{i % 5}"), 60.0 * i + 20.0 * t)) else None
        for i in range(300)
        for t in range(runs(i))
    ]
    assert len(mixed) == 1 and set(levels) <= {None, "ok"}
    rotation = CampaignTracker(CampaignRule(configured_senders=100))
    rotated = [(i, rotation.observe(f"r{i}", flagged(), 60.0 * i + 20.0 * t)) for i in range(130) for t in range(2)]
    assert {m.level for i, m in rotated if m is not None and i < 99} == {"ok"}
    assert {m.level for i, m in rotated if m is not None and i >= 99} == {"tag"}
    app = CampaignTracker()
    users = [app.observe(f"u{i}", flagged(), 60.0 * i + 20.0 * t) for i in range(130) for t in range(2)]
    assert {m.level for m in users if m is not None} == {"ok"}
    # Keys that each send it once, and never again, are a campaign's keys: tagged.
    once = CampaignTracker()
    single = [once.observe(f"k{i}", flagged(), 60.0 * i) for i in range(60)]
    assert single[-1] is not None and single[-1].level == "tag"
    # In user turns the same keys used once, twice or thrice are acted on as before.
    turns = CampaignTracker()
    last = None
    for i in range(60):
        for turn in range(runs(i)):
            last = turns.observe(f"dev-{i}", flagged("user"), 600.0 * i + 90.0 * turn)
    assert last is not None and last.level in ("throttle", "block")
    for bad in ({"configured_after": 0}, {"configured_senders": 0}):
        with pytest.raises(ValueError, match="configured_"):
            CampaignRule(**bad)  # type: ignore[arg-type]


def test_keys_that_converse_through_a_flagged_system_prompt_are_its_apps_users() -> None:
    # A study app's system prompt is flagged; its users send four to six questions each, and one
    # in four follows up an answer it read (the history comes along). A ring sends the same
    # prompt with fresh items only. Keys that keep sending it are acted on from their fourth
    # request when nobody converses through it; once a tenth of its keys have, it is the app's,
    # and none of its users gets anything from the campaign.
    base, rng = _direction(90), np.random.default_rng(91)

    def run(conversing_every: int | None, keys: int = 60) -> list[str | None]:
        tracker = CampaignTracker()
        levels = []
        for i in range(keys):
            for turn in range(4 + i % 3):
                conversing = conversing_every is not None and (4 * i + turn) % conversing_every == 0
                instruction = Instruction(_near(base, rng, 0.02), "app", "reasoning_trace", 1.0, "system", conversing)
                found = tracker.observe(f"u{i}", instruction, 600.0 * i + 90.0 * turn)
                levels.append(found.level if found is not None else None)
        return levels

    assert "tag" in run(None)  # the ring: keys at work from their fourth request
    users = run(4)
    assert set(users) <= {None, "ok"}
    # Off, the app's users are treated as a ring's keys.
    tracker = CampaignTracker(CampaignRule(app_conversing=None))
    found = [
        tracker.observe(f"u{i}", Instruction(_near(base, rng, 0.02), "app", "reasoning_trace", 1.0, "system", True), t)
        for i in range(40)
        for t in (600.0 * i + 90.0 * turn for turn in range(5))
    ]
    assert "tag" in {m.level for m in found if m is not None}
    with pytest.raises(ValueError, match="app_conversing"):
        CampaignRule(app_conversing=0.0)


def test_keys_used_once_are_judged_per_exact_instruction_not_per_campaign() -> None:
    # A campaign of single-use keys puts its instruction in the system message; a snippet that
    # honest developers copied lands in the same campaign (its vector is near), and a quarter
    # of them run it two or three times. The campaign's keys are tagged; the developers, who
    # share the campaign but not the exact instruction, are not.
    base, rng = _direction(70), np.random.default_rng(71)
    tracker = CampaignTracker(CampaignRule(max_instructions=4))

    def send(who: str, skeleton: str, t: float) -> str | None:
        found = tracker.observe(who, Instruction(_near(base, rng, 0.05), skeleton, "reasoning_trace", 1.0, "system"), t)
        return found.level if found is not None else None

    campaign, honest = [], []
    for i in range(120):
        campaign.append(send(f"atk-{i}", "harvest", 60.0 * i))
        for turn in range(1 + (i % 4 == 0) * (1 + i % 2) if i < 80 else 0):
            honest.append(send(f"dev-{i}", "snippet", 60.0 * i + 5.0 + 20.0 * turn))
    assert len(tracker) == 1
    assert campaign[-1] == "tag" and set(campaign[60:]) == {"tag"}
    assert set(honest) <= {None, "ok"}
    # Bounded: at most ``max_instructions`` exact instructions keep their senders.
    for n in range(10):
        send(f"other-{n}", f"s{n}", 10_000.0 + n)
    assert len(tracker._by_instruction) == 4


def test_a_paraphrasing_campaign_of_keys_used_once_is_tagged_and_a_lookalike_prompt_is_not() -> None:
    # Single-use keys, each sending its own wording of one harvest in the system message: no
    # exact instruction gathers them, but they sit close to what the campaign sent and the
    # campaign is made of keys used once, so they are tagged. An honest snippet that only
    # resembles the harvest (similarity 0.75, under ``weak_similarity``) gets nothing from it.
    base, rng = _direction(80), np.random.default_rng(81)
    other = _direction(82)
    other = other - float(other @ base) * base
    other /= np.linalg.norm(other)
    lookalike = 0.75 * base + np.sqrt(1 - 0.75**2) * other
    tracker = CampaignTracker()

    def send(who: str, vector: np.ndarray, skeleton: str, t: float) -> tuple[str | None, float]:
        instruction = Instruction(vector.astype(np.float32), skeleton, "reasoning_trace", 1.0, "system")
        found = tracker.observe(who, instruction, t)
        return (found.level, found.similarity) if found is not None else (None, 0.0)

    harvest = [send(f"k{i}", _near(base, rng, 0.02), f"wording-{i}", 60.0 * i) for i in range(120)]
    assert {level for level, _ in harvest[60:]} == {"tag"}
    honest = [send(f"dev-{i}", lookalike, "snippet", 7300.0 + 60.0 * i) for i in range(20)]
    joined = [(level, sim) for level, sim in honest if level is not None]
    assert joined  # it joins the campaign, close enough to do so, but not to carry its level
    assert all(level == "ok" and sim < CampaignRule().weak_similarity for level, sim in joined)


def _framed(vector: np.ndarray, skeleton: str = "s1", category: str = "prompt_extraction") -> Instruction:
    # Flagged, but only because the item's frame (answer options, Q/A fields) lifted it.
    return Instruction(vector.astype(np.float32), skeleton, category, 1.0, framed=True)


def test_a_campaign_whose_flags_all_stand_on_the_frame_tags_and_never_refuses() -> None:
    # Forty keys sending "Question: ... Answer: ... Explain." to one group: as large as a campaign
    # that blocks, but what it asks is a learner's or a harness's, so its size alone only tags.
    tracker = CampaignTracker()
    base, rng = _direction(90), np.random.default_rng(91)
    matches = [tracker.observe(f"key-{i}", _framed(_near(base, rng), f"s{i % 3}"), 1000.0 + i) for i in range(60)]
    last = matches[-1]
    assert last is not None and last.members == 60 and last.strong == 60
    assert {m.level for m in matches if m is not None} == {"tag"}
    assert last.held is not None and "frame" in last.held
    # A stricter tier does not lift it either.
    trial = tracker.observe("trial", _framed(_near(base, rng)), 2000.0, ("tier:free",))
    assert trial is not None and trial.level == "tag"


def test_members_flagged_on_an_instruction_lift_a_framed_campaign_to_its_size() -> None:
    rule = CampaignRule()
    tracker = CampaignTracker(rule)
    base, rng = _direction(92), np.random.default_rng(93)
    for i in range(60):
        tracker.observe(f"framed-{i}", _framed(_near(base, rng)), 1000.0 + i)
    need = rule.throttle_at[0]
    levels = []
    for i in range(rule.block_at[0]):
        found = tracker.observe(f"plain-{i}", _instruction(_near(base, rng), category="prompt_extraction"), 2000.0 + i)
        assert found is not None
        levels.append(found.level)
    assert set(levels[: need - 1]) == {"tag"} and levels[need - 1] == "throttle"
    assert levels[-1] == "block"
    (campaign,) = tracker.campaigns()
    assert campaign.plain_count == rule.block_at[0] and campaign.strong_count == 60 + rule.block_at[0]


def test_plain_to_act_off_sizes_a_framed_campaign_as_any() -> None:
    tracker = CampaignTracker(CampaignRule(plain_to_act=False))
    base, rng = _direction(94), np.random.default_rng(95)
    matches = [tracker.observe(f"key-{i}", _framed(_near(base, rng)), 1000.0 + i) for i in range(60)]
    assert matches[-1] is not None and matches[-1].level == "block"


def test_replicas_share_how_many_members_were_flagged_on_an_instruction() -> None:
    store = MemoryStore()
    a, b = CampaignTracker(store=store), CampaignTracker(store=store)
    base, rng = _direction(96), np.random.default_rng(97)

    async def go() -> None:
        for i in range(60):
            make = _instruction if i < CampaignRule().block_at[0] else _framed
            match = a.observe(f"k{i}", make(_near(base, rng)), 100.0 + i)
            if match is not None:
                await a.publish(match, f"k{i}", 1.0, 100.0 + i)
        assert await b.refresh(200.0) == 1

    asyncio.run(go())
    (loaded,) = b.campaigns()
    assert loaded.plain_count == CampaignRule().block_at[0]
    seen = b.observe("brand-new", _instruction(_near(base, rng)), 210.0)
    assert seen is not None and seen.level == "block"


def test_a_request_flagged_on_its_frame_gets_a_tag_at_most_from_any_campaign() -> None:
    # A campaign of harvesting keys blocks; an honest learner's "is my answer correct?" after a
    # passage that lands exactly on it is flagged only because of its Q/A frame, and is tagged.
    tracker = CampaignTracker()
    base, rng = _direction(98), np.random.default_rng(99)
    for i in range(60):
        tracker.observe(f"harvest-{i}", _instruction(_near(base, rng)), 1000.0 + i)
    plain = tracker.observe("another-harvester", _instruction(_near(base, rng)), 1100.0)
    learner = tracker.observe("learner", _framed(_near(base, rng)), 1101.0)
    assert plain is not None and plain.level == "block"
    assert learner is not None and learner.level == "tag" and learner.framed
    assert learner.held is not None and "frame" in learner.held
    # A repeat answered from a cache keeps the cap.
    assert tracker.recall(learner, "learner", 1102.0).level == "tag"
    assert tracker.recall(plain, "another-harvester", 1102.0).level == "block"


def test_a_near_miss_close_to_a_blocking_campaign_is_tagged_not_refused() -> None:
    # A learner's unflagged "can you explain why the answer is B" joins a large harvest at 0.85:
    # resemblance alone tags (``near_miss_cap``); the harvest's own flagged requests still block.
    base, rng = _direction(100), np.random.default_rng(101)
    other = _direction(102)
    other = other - float(other @ base) * base
    other /= np.linalg.norm(other)
    close = (0.85 * base + np.sqrt(1 - 0.85**2) * other).astype(np.float32)

    def crowd(rule: CampaignRule) -> tuple[Any, Any]:
        tracker = CampaignTracker(rule)
        for i in range(60):
            tracker.observe(f"harvest-{i}", _instruction(_near(base, rng, 0.02)), 1000.0 + i)
        learner = tracker.observe("learner", _weak(close), 1100.0)
        harvester = tracker.observe("harvester", _instruction(_near(base, rng, 0.02)), 1101.0)
        return learner, harvester

    learner, harvester = crowd(CampaignRule())
    assert learner is not None and learner.near_miss and learner.similarity >= CampaignRule().weak_similarity
    assert learner.level == "tag" and harvester is not None and harvester.level == "block"
    # The earlier rule, only similarity capping: the same near miss is refused.
    learner, _ = crowd(CampaignRule(near_miss_cap="block"))
    assert learner is not None and learner.level == "block"
    with pytest.raises(ValueError):
        CampaignRule(near_miss_cap="refuse")  # type: ignore[arg-type]


def test_a_key_that_follows_up_its_answers_gets_nothing_from_a_campaign_of_frames() -> None:
    # Sixty keys send one frame-standing request each: a campaign that tags. A learner who has
    # followed up two of the service's answers (verified by the conversation ledger) is one of an
    # app's users; its own standing still counts, the campaign gives it nothing.
    def learner_level(rule: CampaignRule, follow_ups: int) -> str | None:
        tracker = CampaignTracker(rule)
        base, rng = _direction(200), np.random.default_rng(201)
        for i in range(60):
            tracker.observe(f"single-{i}", _framed(_near(base, rng)), 1000.0 + i)
        for n in range(follow_ups):  # "and why not (B)?" under the item: in the campaign too
            tracker.observe("learner", _framed(_near(base, rng)), 1100.0 + n, followed=True)
        found = tracker.observe("learner", _framed(_near(base, rng)), 1200.0)
        assert found is not None and found.members == 61
        return found.level

    assert learner_level(CampaignRule(), 0) == "tag"
    assert learner_level(CampaignRule(), 1) == "tag"
    assert learner_level(CampaignRule(), 2) == "ok"
    assert learner_level(CampaignRule(framed_follow_ups=None), 2) == "tag"
    # Follow-ups the ledger could not verify are not counted at all (observe's default).
    tracker = CampaignTracker()
    base, rng = _direction(200), np.random.default_rng(201)
    for i in range(60):
        tracker.observe(f"single-{i}", _framed(_near(base, rng)), 1000.0 + i)
    for n in range(5):
        tracker.observe("forger", _framed(_near(base, rng)), 1100.0 + n)
    forged = tracker.observe("forger", _framed(_near(base, rng)), 1200.0)
    assert forged is not None and forged.level == "tag"


def test_a_key_that_follows_up_is_still_refused_for_a_request_flagged_on_its_instruction() -> None:
    tracker = CampaignTracker()
    base, rng = _direction(202), np.random.default_rng(203)
    for i in range(60):
        tracker.observe(f"harvest-{i}", _instruction(_near(base, rng)), 1000.0 + i)
    for n in range(5):
        tracker.observe("chatty", _framed(_near(base, rng)), 1100.0 + n, followed=True)
    plain = tracker.observe("chatty", _instruction(_near(base, rng)), 1200.0)
    framed = tracker.observe("chatty", _framed(_near(base, rng)), 1201.0)
    assert plain is not None and plain.level == "block"
    assert framed is not None and framed.level == "ok" and framed.held is not None and "followed up" in framed.held


def test_a_campaign_of_frames_whose_members_follow_up_is_an_apps_users() -> None:
    # An exam-practice app: every learner sends its frame, and most of them ask about the
    # answers they got. A learner on a first visit gets nothing from the campaign either; keys
    # used once each never follow up, so the same campaign made of them tags.
    def newcomer_level(rule: CampaignRule, followers: int) -> str | None:
        tracker = CampaignTracker(rule)
        base, rng = _direction(204), np.random.default_rng(205)
        t = 1000.0
        for i in range(30):
            for _ in range(3):
                tracker.observe(f"learner-{i}", _framed(_near(base, rng)), t)
                t += 1.0
            if i < followers:
                tracker.observe(f"learner-{i}", _framed(_near(base, rng)), t, followed=True)
                t += 1.0
        found = tracker.observe("first-visit", _framed(_near(base, rng)), t)
        assert found is not None and found.members == 31
        return found.level

    assert newcomer_level(CampaignRule(), 0) == "tag"
    assert newcomer_level(CampaignRule(), 10) == "tag"  # a third of the members: under one half
    assert newcomer_level(CampaignRule(), 20) == "ok"
    assert newcomer_level(CampaignRule(framed_conversing=None), 30) == "tag"
    with pytest.raises(ValueError):
        CampaignRule(framed_conversing=0.0)
    with pytest.raises(ValueError):
        CampaignRule(framed_follow_ups=0)


def test_follow_ups_bought_early_stop_counting_once_they_are_a_small_share() -> None:
    # Two verified follow-ups, then forty single items: the key no longer converses.
    def level(rule: CampaignRule, items: int) -> str | None:
        tracker = CampaignTracker(rule)
        base, rng = _direction(206), np.random.default_rng(207)
        for i in range(60):
            tracker.observe(f"single-{i}", _framed(_near(base, rng)), 1000.0 + i)
        for n in range(2):
            tracker.observe("buyer", _framed(_near(base, rng)), 1100.0 + n, followed=True)
        found = None
        for n in range(items):
            found = tracker.observe("buyer", _framed(_near(base, rng)), 1200.0 + n)
        assert found is not None
        return found.level

    assert level(CampaignRule(), 10) == "ok"  # 2 of 12: still a sixth of what it sends
    assert level(CampaignRule(), 40) == "tag"  # 2 of 42
    assert level(CampaignRule(follow_up_share=0.0), 40) == "ok"
    with pytest.raises(ValueError):
        CampaignRule(follow_up_share=1.5)
