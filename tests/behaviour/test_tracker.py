import asyncio
import dataclasses
from typing import Any

import pytest

from querysentry.behaviour import BehaviourTracker, ClusterRule
from querysentry.categories import Category
from querysentry.messages import Message
from querysentry.policy import ClientPolicy
from querysentry.storage import MemoryStore
from querysentry.verdict import Verdict

TEMPLATE = (
    "Work through the exercise below.\n{q}\n"
    "Write out every intermediate step of your reasoning before the final answer."
)
APP_SYSTEM = "You are the help desk of a bicycle shop. Answer politely and briefly."
_THINGS = [
    "kettle",
    "lantern",
    "walrus",
    "violin",
    "glacier",
    "teapot",
    "compass",
    "orchard",
    "saddle",
    "comet",
    "harbour",
    "meadow",
]
_PLACES = ["attic", "canyon", "bakery", "lagoon", "library", "quarry", "tundra", "museum", "garage", "island"]
# Every fill distinct, and no two alike once numbers are masked.
QUESTIONS = [f"Would a {a} fit inside a {b} {c}?" for a in _THINGS for b in _THINGS if a != b for c in _PLACES]


def verdict(margin: float) -> Verdict:
    return Verdict(margin >= 0, 0.7 + margin, margin, Category.REASONING_TRACE, None, 0.7, (), None)


def campaign(i: int) -> list[Message]:
    return [Message("user", TEMPLATE.format(q=QUESTIONS[i % len(QUESTIONS)]))]


def app(i: int) -> list[Message]:
    return [Message("system", APP_SYSTEM), Message("user", f"Do you repair tyre number {i} of my bike {i % 7}?")]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_a_campaign_is_flagged_and_a_templated_app_is_not() -> None:
    tracker = BehaviourTracker()

    async def go() -> tuple[list[str], list[str]]:
        camp, shop = [], []
        for i in range(60):
            # The campaign's template lands just under the threshold: no request is flagged alone.
            camp.append((await tracker.observe("camp", verdict(-0.03), campaign(i), 1000.0 + i)).level)
            shop.append((await tracker.observe("shop", verdict(-0.4), app(i), 1000.0 + i)).level)
        return camp, shop

    camp, shop = run(go())
    assert "tag" in camp and camp.index("tag") < 20
    assert set(shop) == {"ok"}


def test_reasons_and_template_name_the_evidence_without_text() -> None:
    tracker = BehaviourTracker()

    async def go() -> Any:
        result = None
        for i in range(30):
            result = await tracker.observe("camp", verdict(0.05), campaign(i), 1000.0 + 2 * i)
        return result

    result = run(go())
    assert result.level != "ok" and result.risk >= 1
    assert any("extraction evidence" in r for r in result.reasons)
    assert any("machine-regular timing" in r for r in result.reasons)
    assert result.template is not None
    assert not any("Work through" in r for r in result.reasons)  # no prompt text in reasons


def test_blended_campaign_is_caught_through_its_template() -> None:
    tracker = BehaviourTracker()

    async def go() -> str:
        level = "ok"
        for i in range(300):
            if i % 10 == 0:  # 10 % campaign share
                level = (await tracker.observe("blend", verdict(-0.02), campaign(i), 1000.0 + i)).level
            else:
                messages = [Message("user", f"Can you suggest a name for my cat number {i}?")]
                level = (await tracker.observe("blend", verdict(-0.5), messages, 1000.0 + i)).level
        return level

    assert run(go()) != "ok"


def test_benign_noise_never_flags() -> None:
    tracker = BehaviourTracker()

    async def go() -> set[str]:
        levels = set()
        for i in range(1000):
            margin = 0.05 if i % 50 == 7 else -0.3  # 2 % flagged, scattered
            messages = [Message("user", f"Tell me something about topic {i} please, in detail.")]
            levels.add((await tracker.observe("user", verdict(margin), messages, 1000.0 + 60 * i)).level)
        return levels

    assert run(go()) == {"ok"}


def test_hydra_ring_forms_one_cluster_that_reaches_new_keys() -> None:
    tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2))

    async def go() -> list[Any]:
        results = []
        for k in range(12):
            for j in range(3):  # few requests per key: each key alone stays ok
                i = 3 * k + j
                results.append(await tracker.observe(f"key-{k}", verdict(-0.05), campaign(i), 1000.0 + i))
        return results

    results = run(go())
    clustered = [r for r in results if r.cluster_id]
    assert clustered and len({r.cluster_id for r in clustered}) == 1
    assert results[-1].cluster_id is not None and results[-1].level != "ok"  # the 12th key, 3rd request
    assert results[-1].own_risk < 1 <= results[-1].cluster_risk
    assert max(r.own_risk for r in results) < 1  # no single key would have been flagged alone


def labelled(k: int, i: int) -> list[Message]:
    # Each key its own instruction (one of its own words), all with the same "Question:" field.
    return [Message("user", f"Tell me about the {_THINGS[k]} in plain words.\nQuestion: {QUESTIONS[i]}")]


def test_keys_sharing_only_a_field_label_form_no_cluster() -> None:
    # As the ring above, but nothing of the template is shared except the "Question:" label that
    # unrelated apps all write: no cluster, and nobody is acted on.
    tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2))

    async def go() -> list[Any]:
        results = []
        for k in range(12):
            for j in range(3):
                i = 3 * k + j
                results.append(await tracker.observe(f"key-{k}", verdict(-0.05), labelled(k, i), 1000.0 + i))
        return results

    results = run(go())
    assert all(r.cluster_id is None and r.level == "ok" for r in results)


def test_a_shared_benign_template_does_not_form_a_cluster() -> None:
    tracker = BehaviourTracker()

    async def go() -> set[Any]:
        ids = set()
        for k in range(30):
            for j in range(5):
                r = await tracker.observe(f"shop-{k}", verdict(-0.4), app(5 * k + j), 1000.0 + 5 * k + j)
                ids.add(r.cluster_id)
        return ids

    assert run(go()) == {None}


def test_allow_listed_templates_are_ignored() -> None:
    allowed = BehaviourTracker(allow_templates=TEMPLATE.replace("{q}", "").split("\n"))

    async def go(tracker: BehaviourTracker) -> Any:
        result = None
        for i in range(40):
            result = await tracker.observe("camp", verdict(-0.05), campaign(i), 1000.0 + i)
        return result

    assert run(go(allowed)).template is None
    assert run(go(BehaviourTracker())).template is not None


def test_level_is_held_then_released() -> None:
    tracker = BehaviourTracker(policy=ClientPolicy(hold=100.0))

    async def go() -> tuple[str, str, str]:
        for i in range(20):
            await tracker.observe("c", verdict(0.1), campaign(i), 1000.0 + i)
        flagged = (await tracker.observe("c", verdict(-0.5), app(0), 1021.0)).level
        held = (await tracker.observe("c", verdict(-0.5), app(1), 1050.0)).level
        # Six half-lives of quiet later, the evidence has faded and the hold is over.
        released = (await tracker.observe("c", verdict(-0.5), app(2), 1000.0 + 6 * 6 * 3600)).level
        return flagged, held, released

    flagged, held, released = run(go())
    assert flagged != "ok" and held == flagged and released == "ok"


def test_a_million_keys_stay_within_the_store_bound() -> None:
    store = MemoryStore(max_keys=500)
    tracker = BehaviourTracker(store=store, cluster_units=2)

    async def go() -> None:
        for i in range(5000):
            await tracker.observe(f"rotating-{i}", verdict(-0.5), [Message("user", f"Hello number {i}.")], 1000.0 + i)

    run(go())
    assert len(store) <= 500


def test_store_urls_and_bad_settings() -> None:
    assert isinstance(BehaviourTracker(store="memory://?max_keys=10").backend, MemoryStore)
    with pytest.raises(ValueError, match="unsupported store URL"):
        BehaviourTracker(store="ftp://nowhere")
    with pytest.raises(ValueError):
        BehaviourTracker(units_per_request=0)


def near_miss_in_system(margin: float = -0.05, frames: tuple[str, ...] = ()) -> Verdict:
    from querysentry.verdict import MatchedSegment

    segment = MatchedSegment(APP_SYSTEM, 0, "system", 0, len(APP_SYSTEM), "sentence")
    return Verdict(False, 0.7 + margin, margin, Category.REASONING_TRACE, None, 0.7, (), segment, frames=frames)


def test_an_app_whose_own_system_prompt_nears_a_threshold_is_one_piece_of_evidence_not_two_hundred() -> None:
    tracker = BehaviourTracker()

    async def go() -> tuple[set[str], float]:
        levels = set()
        last = None
        for i in range(200):
            last = await tracker.observe("shop", near_miss_in_system(), app(i), 1000.0 + 20 * i)
            levels.add(last.level)
        assert last is not None
        return levels, last.risk

    levels, risk = run(go())
    assert levels == {"ok"} and risk < 0.5


def test_the_same_system_prompt_before_exam_items_keeps_counting() -> None:
    tracker = BehaviourTracker()

    async def go() -> str:
        level = "ok"
        for i in range(40):
            # A benchmark-shaped fill: a question with lettered answer options.
            quiz = [Message("system", APP_SYSTEM), Message("user", f"{QUESTIONS[i]}\nOptions:\n- yes\n- no")]
            observed = near_miss_in_system(frames=("answer_options",))
            level = (await tracker.observe("harvester", observed, quiz, 1000.0 + i)).level
        return level

    assert run(go()) != "ok"


def test_the_users_of_an_app_whose_system_prompt_nears_a_threshold_form_no_cluster() -> None:
    async def go(observed: Verdict) -> set[str | None]:
        tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2))
        ids = set()
        for k in range(40):  # forty users of one app, two questions each
            for j in range(2):
                r = await tracker.observe(f"user-{k}-{observed.flagged}", observed, app(2 * k + j), 1000.0 + 2 * k + j)
                ids.add(r.cluster_id)
        return ids

    assert run(go(near_miss_in_system(margin=-0.01))) == {None}
    # The same keys sending a system prompt that is flagged are a ring.
    assert run(go(dataclasses.replace(near_miss_in_system(margin=0.02), flagged=True))) - {None}


def test_a_client_repeating_a_ring_sentence_now_and_then_does_not_join_it() -> None:
    tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2))

    async def go() -> Any:
        for k in range(10):
            for j in range(4):
                await tracker.observe(f"key-{k}", verdict(-0.02), campaign(4 * k + j), 1000.0 + 4 * k + j)
        result = None
        for i in range(40):  # 3 of 40 requests use the ring's template
            messages = campaign(100 + i) if i % 13 == 0 else [Message("user", f"Tell me about {QUESTIONS[i]}")]
            result = await tracker.observe("bystander", verdict(-0.5), messages, 2000.0 + i)
        return result

    assert run(go()).cluster_id is None


def test_every_ring_member_reports_the_same_cluster_id() -> None:
    tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2))

    async def go() -> set[Any]:
        ids = set()
        for k in range(15):
            for j in range(4):
                r = await tracker.observe(f"key-{k}", verdict(-0.02), campaign(4 * k + j), 1000.0 + 4 * k + j)
                if k >= 8:  # once the ring is established
                    ids.add(r.cluster_id)
        return ids

    ids = run(go())
    assert len(ids - {None}) == 1


def test_a_cluster_on_a_flagged_system_prompt_is_reported_and_acts_on_nobody() -> None:
    # Forty keys, two requests each, all sending one system prompt the detector flags (copies of a
    # quickstart snippet, a study app's users): they form a cluster, but a line of a system prompt
    # is shared by every user of an app, so the cluster is reported and acts on nobody (tags at
    # most when the operator asks). The same text in the user turn is a ring's template and is
    # refused.
    def observe_all(role: str, act: bool = False) -> list[Any]:
        tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2), configured_clusters_act=act)
        verdict = near_miss_in_system(margin=0.02)
        assert verdict.segment is not None
        # The verdict's deciding segment is where the text is: the system message, or the user turn.
        flagged = dataclasses.replace(verdict, flagged=True, segment=dataclasses.replace(verdict.segment, role=role))

        async def go() -> list[Any]:
            out = []
            for k in range(40):
                for j in range(2):
                    messages = [Message(role, APP_SYSTEM), Message("user", QUESTIONS[7 * (2 * k + j)])]
                    out.append(await tracker.observe(f"dev-{k}", flagged, messages, 1000.0 + 2 * k + j))
            return out

        return run(go())

    shared = observe_all("system")
    assert any(r.cluster_id for r in shared)
    assert {r.level for r in shared} == {"ok"}
    assert {r.level for r in observe_all("system", act=True)} == {"ok", "tag"}
    assert {r.level for r in observe_all("user")} & {"throttle", "block"}


def test_an_app_kind_of_system_prompt_counts_half_for_its_client() -> None:
    # A study app's user resends the app's flagged "show every step" with each of a handful of
    # questions: not enough to act on. A key that resends it thirty times is (a harvesting
    # instruction in a repeated system message counts), and exam items in its turns count in full.
    verdict = dataclasses.replace(near_miss_in_system(margin=0.02), flagged=True)

    def levels(n: int, items: bool = False, weight: float = 0.5) -> list[str]:
        tracker = BehaviourTracker(configured_weight=weight)

        async def go() -> list[str]:
            out = []
            for i in range(n):
                turn = f"{QUESTIONS[i]}\nOptions:\n- yes\n- no" if items else f"Why is {QUESTIONS[i]} so odd?"
                observed = dataclasses.replace(verdict, frames=("answer_options",)) if items else verdict
                messages = [Message("system", APP_SYSTEM), Message("user", turn)]
                out.append((await tracker.observe("key", observed, messages, 1000.0 + 60 * i)).level)
            return out

        return run(go())

    assert set(levels(7)) == {"ok"}
    assert levels(7, weight=1.0)[-1] == "tag"  # counted in full, the old behaviour
    assert levels(7, items=True)[-1] == "tag"
    assert levels(30)[-1] != "ok"
    with pytest.raises(ValueError):
        BehaviourTracker(configured_weight=1.5)


def test_a_flag_standing_on_its_frame_counts_at_the_answer_only_weight() -> None:
    # A flag in the user turn lifted over its threshold by a Q/A frame, as the engine marks it
    # (``framed``): a dozen leave the key alone, a hundred from one key tag it.
    verdict = dataclasses.replace(near_miss_in_system(margin=0.02), flagged=False, frames=("qa_frame",))
    tracker = BehaviourTracker()
    messages = [Message("user", "Q: What is osmosis?\nMy answer: water moving across a membrane\nIs it right?")]
    full = tracker.summarise(verdict, messages)
    framed = tracker.summarise(verdict, messages, framed=True)
    assert framed.evidence == pytest.approx(full.evidence * tracker.answer_only_weight)

    def levels(n: int, weight: float) -> list[str]:
        tracker = BehaviourTracker(answer_only_weight=weight)

        async def go() -> list[str]:
            out = []
            for i in range(n):
                turn = [Message("user", f"Q: {QUESTIONS[i % len(QUESTIONS)]} ({i})\nMy answer: no\nIs it right?")]
                summary = tracker.summarise(verdict, turn, framed=True)
                out.append((await tracker.record("learner", summary, 1000.0 + 30 * i)).level)
            return out

        return run(go())

    assert set(levels(12, 0.15)) == {"ok"}
    assert levels(12, 1.0)[-1] == "tag"  # counted in full, the eleventh round's behaviour
    hundred = levels(120, 0.15)
    assert hundred[-1] == "tag" and set(hundred) <= {"ok", "tag"}
    with pytest.raises(ValueError):
        BehaviourTracker(answer_only_weight=-0.1)


def test_classmates_on_one_worksheet_form_no_cluster_on_its_items() -> None:
    # A class uses one study app whose system prompt the detector flags; each student asks about
    # a worksheet item and follows up ("why?"), so the item recurs in every student's requests.
    # The evidence was decided in the system message: the items, fills shared by the class, must
    # not become a cluster, which would refuse the whole class.
    tracker = BehaviourTracker(clusters=ClusterRule(min_clients=5, min_uses=2))
    verdict = dataclasses.replace(near_miss_in_system(margin=0.02), flagged=True)
    worksheet = "Solve for x: 4(x - 3) = 2x + 10. Show each step."

    async def go() -> list[Any]:
        out = []
        for k in range(30):
            first = [Message("system", APP_SYSTEM), Message("user", worksheet)]
            follow = [*first, Message("assistant", "Step 1: expand the bracket."), Message("user", f"why? ({k})")]
            out.append(await tracker.observe(f"student-{k}", verdict, first, 5000.0 + 60 * k))
            out.append(await tracker.observe(f"student-{k}", verdict, follow, 5030.0 + 60 * k))
        return out

    assert {r.level for r in run(go())} <= {"ok", "tag"}


def test_a_near_miss_lifted_by_its_frame_counts_the_frame_at_the_answer_only_weight() -> None:
    # "Author asks: explain" under a quiz item, just under its threshold with the frame bonus:
    # without the bonus it would carry nothing, so all but the answer-only share of it goes.
    from querysentry.verdict import MatchedSegment

    tracker = BehaviourTracker()
    ramp = tracker.model.ramp
    segment = MatchedSegment("Author asks: explain", 1, "user", 0, 20, "sentence")
    near = Verdict(False, 0.69, -0.01, Category.REASONING_TRACE, None, 0.7, (), segment, frames=("answer_options",))
    messages = [Message("user", "Question: What is 10% of 720?\n(A) 72\n(B) 7.2\nAuthor asks: explain")]
    whole = tracker.summarise(near, messages).evidence
    lifted = tracker.summarise(near, messages, frame_lift=0.3).evidence
    assert whole == pytest.approx((ramp - 0.01) / ramp)
    assert lifted == pytest.approx(whole * tracker.answer_only_weight)
    # Part of it stands without the frame: that part counts in full.
    partly = tracker.summarise(near, messages, frame_lift=0.05).evidence
    unlifted = (ramp - 0.06) / ramp
    assert partly == pytest.approx(unlifted + (whole - unlifted) * tracker.answer_only_weight)
    # A flag standing on its frame is weighted once, as ``framed``, never twice.
    assert tracker.summarise(near, messages, framed=True, frame_lift=0.3).evidence == pytest.approx(
        whole * tracker.answer_only_weight
    )
    # A flag is the engine's ``framed`` call, not this one.
    flag = dataclasses.replace(near, flagged=True, margin=0.01)
    assert tracker.summarise(flag, messages, frame_lift=0.3).evidence == 1.0


def test_an_apps_prompt_over_exam_items_counts_half_from_a_key_that_follows_up() -> None:
    # A quiz reviewer's system prompt ("look at each option in turn") over quiz items counts in
    # full (a harvest puts its instruction there); from a key that asked about an answer it got,
    # verifiably, it counts ``configured_weight``, on that request and every later one.
    verdict = dataclasses.replace(near_miss_in_system(margin=0.02), flagged=True, frames=("answer_options",))

    def levels(follow_up_at: int | None, n: int = 7) -> list[str]:
        tracker = BehaviourTracker()

        async def go() -> list[str]:
            out = []
            for i in range(n):
                messages = [Message("system", APP_SYSTEM), Message("user", f"{QUESTIONS[i]}\nOptions:\n- yes\n- no")]
                summary = tracker.summarise(verdict, messages, followed=i == follow_up_at)
                out.append((await tracker.record("author", summary, 1000.0 + 60 * i)).level)
            return out

        return run(go())

    assert levels(None)[-1] == "tag"
    assert set(levels(0)) == {"ok"}
    assert set(levels(1)) == {"ok"}  # from the follow-up on, every later one counts half
    assert levels(0, n=30)[-1] != "ok"  # thirty such requests still act


def test_client_counter_fields_are_distinct() -> None:
    # Two counters under one field name would silently add up (a follow-up counted as a flag).
    from querysentry.behaviour import signals, tracker

    names = [
        signals.REQUESTS, signals.EVIDENCE, signals.FLAGGED, signals.BENCHMARK, signals.GAPS, signals.GAPS_SQUARED,
        signals.GAP_COUNT, tracker.UNSCANNED, tracker.FOLLOWED, tracker.LEVEL, tracker.UNTIL, tracker.CLUSTER_ID,
    ]  # fmt: skip
    assert len(set(names)) == len(names)
