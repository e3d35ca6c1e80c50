"""The scenarios: who sends what, when, from where. ``generate(seed)`` builds one seed's traffic.

Every scenario draws from its own rng (seeded by the seed and its name), so one scenario's traffic
is the same whether it is generated alone or with the others. All scenarios share the same time
window (the first two days of 2026) and the same fill banks, so they meet in one population as they
would in production: campaigns among students, apps, heavy users and an evaluation customer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.traffic_scenarios import attacks, benign, fills
from benchmarks.traffic_scenarios.answer_only_campaigns import answer_only_campaigns
from benchmarks.traffic_scenarios.app_crowds import app_crowd_users
from benchmarks.traffic_scenarios.conversing_harvest import conversing_harvest_campaigns
from benchmarks.traffic_scenarios.forged_history import forged_history_campaigns
from benchmarks.traffic_scenarios.framed_apps import framed_app_users
from benchmarks.traffic_scenarios.framed_harvest import framed_harvest_campaigns
from benchmarks.traffic_scenarios.heavy_framed import heavy_framed_users
from benchmarks.traffic_scenarios.hidden_system import hidden_system_campaigns
from benchmarks.traffic_scenarios.languages import CAMPAIGN_LANGUAGES, LANGUAGES
from benchmarks.traffic_scenarios.network import (
    browser_user_agent,
    datacenter_ip,
    proxy_pool,
    residential_ip,
    sdk_user_agent,
)
from benchmarks.traffic_scenarios.obfuscate import obfuscate
from benchmarks.traffic_scenarios.one_time import one_time_users
from benchmarks.traffic_scenarios.popular_apps import popular_app_users
from benchmarks.traffic_scenarios.records import BENIGN, MODELS, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import (
    DAY,
    HOUR,
    START,
    aggregate_times,
    human_times,
    machine_times,
    paced_times,
    spread_times,
)
from benchmarks.traffic_scenarios.tools import agent_task, prior_tool_turns, tool_set

__all__ = ["DEFAULT_SCALE", "RING_KEYS", "RING_REQUESTS", "SCENARIOS", "SINGLE_USE_KEYS", "Scenario", "generate"]

Record = dict[str, Any]
Make = Callable[[random.Random, int], Request]  # (rng, the campaign's request number) -> request


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str  # "campaign", "benign" or "evaluation"
    summary: str
    build: Callable[[random.Random, float], list[Record]]  # (rng, scale of key/client counts)
    # The target for campaigns: "after_100" (keys acted on once the campaign has sent 100
    # requests), "within_100" (each key within its first 100 requests), "within_300".
    target: str | None = None


# --------------------------------------------------------------------------- shared pieces


def _client(
    rng: random.Random,
    *,
    api: str | None = None,
    user_agent: str | None = None,
    ips: Sequence[str] | None = None,
    rotate: bool = False,
    person: bool = True,
) -> Client:
    shape = api or rng.choices(["chat", "anthropic", "responses"], weights=[6, 3, 1])[0]
    if ips is None:
        home = residential_ip(rng) if person else datacenter_ip(rng)
        ips = [home, residential_ip(rng)] if person and rng.random() < 0.3 else [home]
    return Client(
        key=new_key(rng),
        api=shape,
        model=rng.choice(MODELS[shape]),
        user_agent=user_agent or (sdk_user_agent(rng) if rng.random() < 0.8 else browser_user_agent(rng)),
        ips=list(ips),
        rotate=rotate,
    )


def _fleet(
    rng: random.Random,
    count: int,
    *,
    api: str | None = None,
    user_agent: str | None = None,
    ips: Sequence[str] | None = None,
    rotate: bool = False,
) -> list[Client]:
    """A campaign's keys: one pipeline, so one API shape, model and User-Agent; each key its own
    hosting address unless ``ips`` (a proxy pool, with ``rotate``) is given."""
    shape = api or rng.choice(["chat", "chat", "anthropic"])
    model = rng.choice(MODELS[shape])
    agent = user_agent or sdk_user_agent(rng)
    return [
        Client(
            key=new_key(rng),
            api=shape,
            model=model,
            user_agent=agent,
            ips=list(ips) if ips is not None else [datacenter_ip(rng)],
            rotate=rotate,
        )
        for _ in range(count)
    ]


def _compose(layout: str, instruction: str, fill: str) -> Request:
    """Instruction and fill as a campaign's pipeline joins them."""
    if layout == "system":
        return Request.user(fill, system=instruction)
    if layout == "suffix":
        return Request.user(f"{fill}\n\n{instruction}")
    if layout == "labeled" and not fill.startswith("Question:"):
        return Request.user(f"Question:\n{fill}\n\nInstructions: {instruction}")
    if layout == "inline":
        return Request.user(f"{instruction} {fill}")
    return Request.user(f"{instruction}\n\n{fill}")


_LAYOUTS = ["prefix", "suffix", "labeled", "inline", "system"]


def _judge_fill(rng: random.Random, pair: bool) -> str:
    q = fills.exam_question(rng)
    if pair:
        first, second = fills.candidate_response(rng), fills.candidate_response(rng)
        return f"Question: {q}\n\nResponse A: {first}\n\nResponse B: {second}"
    return f"Question: {q}\n\nResponse: {fills.candidate_response(rng)}"


def _fill(category: str, rng: random.Random) -> str:
    """The fill a campaign of ``category`` sends with its instruction."""
    if category in ("judge", "judge_pair"):
        return _judge_fill(rng, category == "judge_pair")
    if category == "confidence":
        return fills.mc_text(fills.mc_item(rng), rng)
    if category == "rewrite":
        pick = rng.random()
        if pick < 0.5:
            return fills.exam_question(rng)
        return benign.ordinary_request(rng, 0.0) if pick < 0.8 else fills.document(rng)
    if category in ("qa_pairs", "synthetic", "prompt_extraction"):
        return ""  # the instruction is the whole request (a topic, if any, is inside it)
    return fills.exam_question(rng)


def _category_request(category: str, instruction: str, layout: str, rng: random.Random) -> Request:
    fill = _fill(category, rng)
    return Request.user(instruction) if not fill else _compose(layout, instruction, fill)


def _campaign(
    rng: random.Random,
    scenario: str,
    campaign: str,
    clients: Sequence[Client],
    schedules: Sequence[Sequence[float]],
    make: Make,
) -> list[Record]:
    """All requests of one campaign; ``make`` gets the campaign-wide request number in time order."""
    timed = sorted((t, i) for i, times in enumerate(schedules) for t in times)
    return [record(t, clients[i], make(rng, n), label(scenario, campaign, True), rng) for n, (t, i) in enumerate(timed)]


def _variants(category: str, rng: random.Random, count: int) -> list[str]:
    """A campaign that keeps one skeleton: a few phrasings fixed once, reused for every request."""
    return [attacks.instruction(category, rng) for _ in range(count)]


def _offset(rng: random.Random, within: float = 6 * HOUR) -> float:
    return START + rng.uniform(0, within)


def _n(count: int, scale: float) -> int:
    """``count`` keys or clients at ``scale`` (at least one)."""
    return max(1, round(count * scale))


# --------------------------------------------------------------------------- campaigns

PARAPHRASE_PLAN = [  # (category, keys, requests per key, pace)
    ("reasoning_trace", 1, 110, "fast"),
    ("rewrite", 1, 110, "fast"),
    ("judge", 1, 110, "slow"),
    ("qa_answer", 4, 28, "fast"),
]


def _paraphrase(rng: random.Random, scale: float) -> list[Record]:
    """Campaigns whose pipeline rephrases the instruction for every single request."""
    out: list[Record] = []
    for number, (category, keys, per_key, pace) in enumerate(PARAPHRASE_PLAN):
        clients = _fleet(rng, keys)
        start = _offset(rng)
        if pace == "fast":
            schedules = [machine_times(rng, per_key, start + rng.uniform(0, 60), rng.uniform(2, 8)) for _ in clients]
        else:
            schedules = [paced_times(rng, per_key, start + rng.uniform(0, 600), rng.uniform(60, 240)) for _ in clients]
        layouts = rng.sample(_LAYOUTS[:4], 2) if category in ("reasoning_trace", "qa_answer") else ["prefix", "suffix"]

        def make(r: random.Random, n: int, category: str = category, layouts: list[str] = layouts) -> Request:
            return _category_request(category, attacks.instruction(category, r), r.choice(layouts), r)

        out += _campaign(rng, "paraphrase", f"paraphrase-{number}", clients, schedules, make)
    return out


RING_KEYS, RING_REQUESTS = 1000, 8  # at scale 1
DEFAULT_SCALE = 0.25


def _ring(rng: random.Random, scale: float) -> list[Record]:
    """A hydra ring: 1,000 keys, 8 requests each, spread over 24 h, one automation UA, rotating proxies."""
    ua = f"python-httpx/0.{rng.randint(25, 28)}.{rng.randint(0, 2)}"
    pool = proxy_pool(rng, 400, residential=False)
    clients = _fleet(rng, _n(RING_KEYS, scale), user_agent=ua, ips=pool, rotate=True)
    schedules = [spread_times(rng, RING_REQUESTS, START, DAY) for _ in clients]
    phrasings = _variants("reasoning_trace", rng, 4)
    layout = rng.choice(["prefix", "suffix", "labeled", "system"])

    def make(r: random.Random, n: int) -> Request:
        return _compose(layout, r.choice(phrasings), fills.exam_question(r))

    return _campaign(rng, "ring", "ring-0", clients, schedules, make)


SINGLE_USE_KEYS = 3000


def _single_use(rng: random.Random, scale: float) -> list[Record]:
    """3,000 keys that send one request each, one every ~15 s from a fresh residential proxy."""
    uas = [sdk_user_agent(rng) for _ in range(3)]
    model = rng.choice(MODELS["anthropic"])
    clients = [
        Client(key=new_key(rng), api="anthropic", model=model, user_agent=rng.choice(uas), ips=[residential_ip(rng)])
        for _ in range(_n(SINGLE_USE_KEYS, scale))
    ]
    times = machine_times(rng, len(clients), _offset(rng, 2 * HOUR), 15.0 / scale, jitter=0.5)
    schedules = [[t] for t in times]
    phrasings = _variants("reasoning_trace", rng, 3)
    layout = rng.choice(["prefix", "labeled", "system"])

    def make(r: random.Random, n: int) -> Request:
        return _compose(layout, r.choice(phrasings), fills.exam_question(r))

    return _campaign(rng, "single_use", "single-use-0", clients, schedules, make)


FEW_USE_KEYS, FEW_USE_REQUESTS = 1600, 3  # at scale 1


def _few_use_system(rng: random.Random, scale: float) -> list[Record]:
    """Keys that each send three requests, the harvest in the system message: written against the
    rule that leaves an app's kind of system prompt to behaviour (a key acts from its fourth
    request; keys used once are judged as such), so it sits between the two."""
    pool = proxy_pool(rng, 300, residential=True)
    clients = _fleet(rng, _n(FEW_USE_KEYS, scale), user_agent=sdk_user_agent(rng), ips=pool, rotate=True)
    schedules = [spread_times(rng, FEW_USE_REQUESTS, START, DAY) for _ in clients]
    phrasings = _variants("reasoning_trace", rng, 3)

    def make(r: random.Random, n: int) -> Request:
        return _compose("system", r.choice(phrasings), fills.exam_question(r))

    return _campaign(rng, "few_use_system", "few-use-system-0", clients, schedules, make)


def _bare_exam(rng: random.Random, scale: float) -> list[Record]:
    """Benchmark sweeps with no instruction at all: one fast key, and a slower ring of ten."""
    out: list[Record] = []
    solo = _fleet(rng, 1, api="chat")
    out += _campaign(
        rng,
        "bare_exam",
        "bare-exam-0",
        solo,
        [machine_times(rng, 200, _offset(rng), 1.5)],
        lambda r, n: Request.user(fills.exam_question(r, mc_share=0.3)),
    )
    ring = _fleet(rng, 10, api="chat")
    start = _offset(rng)
    out += _campaign(
        rng,
        "bare_exam",
        "bare-exam-1",
        ring,
        [machine_times(rng, 12, start + rng.uniform(0, 30), rng.uniform(20, 40)) for _ in ring],
        lambda r, n: Request.user(fills.exam_question(r, mc_share=0.3)),
    )
    return out


NON_ENGLISH_KEYS, NON_ENGLISH_REQUESTS = 3, 37


def _non_english(rng: random.Random, scale: float) -> list[Record]:
    """Reasoning-trace campaigns in zh, ru, es, ja, ko and de, and a synthetic-task campaign in zh."""
    out: list[Record] = []
    plan = [(code, "reasoning") for code in CAMPAIGN_LANGUAGES] + [("zh", "synthetic")]
    for code, kind in plan:
        lang = LANGUAGES[code]
        clients = _fleet(rng, NON_ENGLISH_KEYS)
        start = _offset(rng)
        schedules = [
            machine_times(rng, NON_ENGLISH_REQUESTS, start + rng.uniform(0, 60), rng.uniform(3, 10)) for _ in clients
        ]
        layout = rng.choice(["prefix", "suffix", "system"])

        def make(r: random.Random, n: int, lang: Any = lang, kind: str = kind, layout: str = layout) -> Request:
            if kind == "synthetic":
                return Request.user(lang.synthetic_instruction(r))
            fill = lang.exam(r) if r.random() < 0.7 else fills.exam_question(r)
            return _compose(layout, lang.reasoning_instruction(r), fill)

        out += _campaign(rng, "non_english", f"non-english-{code}-{kind}", clients, schedules, make)
    return out


OBFUSCATION_PLAN = [  # (category, transforms)
    ("reasoning_trace", ["homoglyphs", "zero_width", "fullwidth"]),
    ("prompt_extraction", ["leetspeak", "punctuation_noise"]),
    ("synthetic", ["letter_spacing", "random_case", "homoglyphs", "zero_width"]),
]


def _obfuscated(rng: random.Random, scale: float) -> list[Record]:
    """One skeleton per campaign, obfuscated afresh in every request (the fill stays readable)."""
    out: list[Record] = []
    for number, (category, mix) in enumerate(OBFUSCATION_PLAN):
        clients = _fleet(rng, 2, api="chat")
        start = _offset(rng)
        schedules = [machine_times(rng, 55, start + rng.uniform(0, 60), rng.uniform(2, 6)) for _ in clients]
        if category == "prompt_extraction":
            phrasings = [attacks.extraction_attack(rng)[1] for _ in range(3)]
        else:
            phrasings = _variants(category, rng, 3)

        def make(
            r: random.Random, n: int, category: str = category, mix: list[str] = mix, phrasings: list[str] = phrasings
        ) -> Request:
            text = obfuscate(r.choice(phrasings), r, mix)
            return _category_request(category, text, "prefix", r)

        out += _campaign(rng, "obfuscated", f"obfuscated-{number}", clients, schedules, make)
    return out


BLEND_REQUESTS, BLEND_SHARE = 300, 0.05
BLEND_PLAN = [("reasoning_trace", 3), ("judge", 1)]  # (category, keys)


def _blend(rng: random.Random, scale: float) -> list[Record]:
    """Keys that look like a person: 300 ordinary requests at human pace, 5 % of them the campaign's."""
    out: list[Record] = []
    for number, (category, keys) in enumerate(BLEND_PLAN):
        campaign = f"blend-{number}"
        phrasings = _variants(category, rng, 4)
        for _ in range(keys):
            client = _client(rng)
            times = human_times(
                rng, BLEND_REQUESTS, _offset(rng, 3 * HOUR), think=rng.uniform(25, 50), session=40, pause=HOUR
            )
            hits = set(rng.sample(range(BLEND_REQUESTS), int(BLEND_REQUESTS * BLEND_SHARE)))
            for i, t in enumerate(times):
                if i in hits:
                    request = _category_request(category, rng.choice(phrasings), "prefix", rng)
                    out.append(record(t, client, request, label("blend_5pct", campaign, True), rng))
                else:
                    request = Request.user(benign.ordinary_request(rng, 0.3))
                    out.append(record(t, client, request, label("blend_5pct", campaign, False), rng))
    return out


def _prompt_extraction(rng: random.Random, scale: float) -> list[Record]:
    """System-prompt theft that rotates through many different attacks rather than one phrasing."""
    out: list[Record] = []
    families = sorted(attacks.EXTRACTION_FAMILIES)
    plan = [(1, 110, "fast"), (6, 20, "fast"), (1, 110, "slow")]
    for number, (keys, per_key, pace) in enumerate(plan):
        order = rng.sample(families, len(families))
        clients = [_client(rng)] if pace == "slow" else _fleet(rng, keys)
        start = _offset(rng)
        if pace == "fast":
            schedules = [machine_times(rng, per_key, start + rng.uniform(0, 120), rng.uniform(3, 9)) for _ in clients]
        else:
            schedules = [paced_times(rng, per_key, start, rng.uniform(120, 300)) for _ in clients]

        def make(r: random.Random, n: int, order: list[str] = order) -> Request:
            _, attack = attacks.extraction_attack(r, order[n % len(order)])
            if r.random() < 0.3:  # warm up with an innocent turn first
                opener = benign.ordinary_request(r, 0.2)
                return Request(
                    turns=(
                        {"role": "user", "content": opener},
                        {"role": "assistant", "content": benign.assistant_reply(r)},
                        {"role": "user", "content": attack},
                    )
                )
            return Request.user(attack)

        out += _campaign(rng, "prompt_extraction", f"prompt-extraction-{number}", clients, schedules, make)
    return out


_AGENT_SYSTEM = [
    "You are an autonomous assistant that completes tasks by calling the provided functions.",
    "You are a helpful agent with tool access. Use the tools to answer the user's request.",
]


def _tool_trace(rng: random.Random, scale: float) -> list[Record]:
    """Agent-trajectory harvesting: a tools array, a task, and an order to write out every call."""
    out: list[Record] = []
    for number, fresh in enumerate((False, True)):
        clients = _fleet(rng, 2, api="chat")
        start = _offset(rng)
        schedules = [machine_times(rng, 55, start + rng.uniform(0, 60), rng.uniform(3, 8)) for _ in clients]
        phrasings = _variants("tool_trace", rng, 3)
        system = rng.choice(_AGENT_SYSTEM)

        def make(
            r: random.Random, n: int, fresh: bool = fresh, phrasings: list[str] = phrasings, system: str = system
        ) -> Request:
            text = attacks.instruction("tool_trace", r) if fresh else r.choice(phrasings)
            task, needed = agent_task(r)
            tools = tool_set(r, needed, extra=r.randint(1, 5))
            if r.random() < 0.4:  # continue a trajectory already started
                turns = prior_tool_turns(r, f"{text}\n\nTask: {task}", needed)
            else:
                turns = [{"role": "user", "content": f"{text}\n\nTask: {task}"}]
            return Request(turns=tuple(turns), system=system, tools=tools)

        out += _campaign(rng, "tool_trace", f"tool-trace-{number}", clients, schedules, make)
    return out


def _reasoning_trace(rng: random.Random, scale: float) -> list[Record]:
    """Reasoning harvesting on small rings: one puts the instruction in a repeated system message."""
    out: list[Record] = []
    for number, layout in enumerate(("system", "prefix")):
        clients = _fleet(rng, 5)
        start = _offset(rng)
        schedules = [machine_times(rng, 23, start + rng.uniform(0, 300), rng.uniform(5, 20)) for _ in clients]
        phrasings = _variants("reasoning_trace", rng, 1 if layout == "system" else 2)

        def make(r: random.Random, n: int, layout: str = layout, phrasings: list[str] = phrasings) -> Request:
            return _compose(layout, r.choice(phrasings), fills.exam_question(r))

        out += _campaign(rng, "reasoning_trace", f"reasoning-trace-{number}", clients, schedules, make)
    return out


def _judge(rng: random.Random, scale: float) -> list[Record]:
    """Reward-signal harvesting: pointwise scores and pairwise preferences in a fixed output format."""
    out: list[Record] = []
    for number, category in enumerate(("judge", "judge_pair")):
        clients = _fleet(rng, 4)
        start = _offset(rng)
        schedules = [machine_times(rng, 28, start + rng.uniform(0, 120), rng.uniform(2, 10)) for _ in clients]
        phrasings = _variants(category, rng, 3)

        def make(r: random.Random, n: int, category: str = category, phrasings: list[str] = phrasings) -> Request:
            return _category_request(category, r.choice(phrasings), "suffix", r)

        out += _campaign(rng, "judge", f"judge-{number}", clients, schedules, make)
    return out


def _synthetic(rng: random.Random, scale: float) -> list[Record]:
    """Synthetic instruction generation: "write 20 diverse instructions about X", seeded and persona-driven."""
    out: list[Record] = []
    for number, category in enumerate(("synthetic", "seed_bootstrap")):
        clients = _fleet(rng, 4)
        start = _offset(rng)
        schedules = [machine_times(rng, 28, start + rng.uniform(0, 120), rng.uniform(4, 12)) for _ in clients]

        def make(r: random.Random, n: int, category: str = category) -> Request:
            text = attacks.instruction(category, r)
            if category == "seed_bootstrap":
                seeds: dict[str, None] = {}
                while len(seeds) < 3:  # three different example tasks, first lines only
                    seeds.setdefault(benign.ordinary_request(r, 0.0).split("\n")[0][:160], None)
                examples = "\n".join(f"{i}. {s}" for i, s in enumerate(seeds, start=1))
                text = text.replace("{examples}", examples).replace("{next}", "4")
            return Request.user(text)

        out += _campaign(rng, "synthetic", f"synthetic-{number}", clients, schedules, make)
    return out


# --------------------------------------------------------------------------- honest traffic


def _person_records(
    rng: random.Random,
    scenario: str,
    client: Client,
    times: Sequence[float],
    say: Callable[[random.Random], str],
    *,
    system: str | None = None,
    follow_ups: float = 0.2,
) -> list[Record]:
    """One person's requests; some are follow-ups that resend the previous turn, as chat UIs do."""
    out: list[Record] = []
    previous: str | None = None
    for t in times:
        if previous is not None and rng.random() < follow_ups:
            turns: tuple[dict[str, Any], ...] = (
                {"role": "user", "content": previous},
                {"role": "assistant", "content": benign.assistant_reply(rng)},
                {"role": "user", "content": benign.follow_up(rng)},
            )
            request = Request(turns=turns, system=system)
        else:
            previous = say(rng)
            request = Request.user(previous, system=system)
        out.append(record(t, client, request, label(scenario, BENIGN, False), rng))
    return out


STUDENTS, STUDENT_REQUESTS = 5, 200


def _students(rng: random.Random, scale: float) -> list[Record]:
    """Students doing homework, 200 requests each, most asking to see the steps."""
    out: list[Record] = []
    for _ in range(STUDENTS):
        client = _client(rng)
        times = human_times(rng, STUDENT_REQUESTS, _offset(rng, 12 * HOUR), session=30, pause=3 * HOUR)
        sloppy = rng.uniform(0.3, 0.8)

        def say(r: random.Random, sloppy: float = sloppy) -> str:
            return benign.homework_request(r, sloppiness=sloppy) if r.random() < 0.85 else benign.ordinary_request(r)

        out += _person_records(rng, "students", client, times, say, follow_ups=0.15)
    return out


HEAVY_USERS, HEAVY_REQUESTS = 2, 1000


def _heavy_users(rng: random.Random, scale: float) -> list[Record]:
    """People who use the API all day: 1,000 ordinary, varied requests each."""
    out: list[Record] = []
    for _ in range(HEAVY_USERS):
        client = _client(rng)
        times = human_times(
            rng, HEAVY_REQUESTS, _offset(rng, 2 * HOUR), think=rng.uniform(20, 45), session=60, pause=HOUR
        )
        sloppy = rng.uniform(0.2, 0.7)

        def say(r: random.Random, sloppy: float = sloppy) -> str:
            return benign.ordinary_request(r, sloppy)

        out += _person_records(rng, "heavy_users", client, times, say, follow_ups=0.25)
    return out


def _app_user_message(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.5:
        return benign.homework_request(rng, sloppiness=0.6)
    if pick < 0.7:
        return fills.exam_question(rng)
    return benign.ordinary_request(rng)


REASONING_APPS, REASONING_APP_REQUESTS = 5, 100


def _reasoning_app_keys(rng: random.Random, scale: float) -> list[Record]:
    """Apps whose own system prompt asks for careful step-by-step reasoning, many end users per key."""
    out: list[Record] = []
    for prompt in rng.sample(benign.REASONING_APP_PROMPTS, REASONING_APPS):
        client = _client(rng, api="chat", user_agent=sdk_user_agent(rng), person=False)
        times = aggregate_times(rng, REASONING_APP_REQUESTS, _offset(rng, 2 * HOUR), rng.uniform(120, 600))
        users = [f"u{rng.getrandbits(32):08x}" for _ in range(60)]
        for t in times:
            request = Request(
                turns=({"role": "user", "content": _app_user_message(rng)},), system=prompt, end_user=rng.choice(users)
            )
            out.append(record(t, client, request, label("reasoning_app_keys", BENIGN, False), rng))
    return out


BYOK_USERS, BYOK_REQUESTS = 120, 4


def _reasoning_app_users(rng: random.Random, scale: float) -> list[Record]:
    """One tutoring app whose users bring their own keys: 120 keys, one system prompt, same app UA."""
    prompt = rng.choice(benign.REASONING_APP_PROMPTS)
    ua = f"LearnLoop/3.{rng.randint(0, 4)} (OpenAI/Python 1.{rng.randint(40, 60)}.0)"
    out: list[Record] = []
    for _ in range(BYOK_USERS):
        client = _client(rng, api="chat", user_agent=ua)
        times = human_times(rng, BYOK_REQUESTS, _offset(rng, 36 * HOUR), session=5)
        out += _person_records(
            rng, "reasoning_app_users", client, times, _app_user_message, system=prompt, follow_ups=0.1
        )
    return out


def _apps(rng: random.Random, scale: float) -> list[Record]:
    """Other apps with their own system prompts, and one agent app that sends tools and tool results."""
    out: list[Record] = []
    for prompt in benign.APP_PROMPTS:
        client = _client(rng, api=rng.choice(["chat", "anthropic"]), person=False)
        times = aggregate_times(rng, 50, _offset(rng, 2 * HOUR), rng.uniform(200, 900))
        for t in times:
            request = Request.user(benign.ordinary_request(rng), system=prompt)
            out.append(record(t, client, request, label("apps", BENIGN, False), rng))
    agent = _client(rng, api="chat", person=False)
    for t in aggregate_times(rng, 120, _offset(rng, 2 * HOUR), 300):
        task, needed = agent_task(rng)
        tools = tool_set(rng, needed, extra=2)
        turns = prior_tool_turns(rng, task, needed) if rng.random() < 0.5 else [{"role": "user", "content": task}]
        request = Request(turns=tuple(turns), system=rng.choice(_AGENT_SYSTEM), tools=tools)
        out.append(record(t, agent, request, label("apps", BENIGN, False), rng))
    return out


ORDINARY_USERS = 200


def _ordinary(rng: random.Random, scale: float) -> list[Record]:
    """Everyone else: a few to a dozen requests each."""
    out: list[Record] = []
    for _ in range(ORDINARY_USERS):
        client = _client(rng)
        times = human_times(rng, rng.randint(3, 12), _offset(rng, 40 * HOUR), session=6)
        sloppy = rng.uniform(0.1, 0.9)

        def say(r: random.Random, sloppy: float = sloppy) -> str:
            return (
                benign.homework_request(r, sloppiness=sloppy)
                if r.random() < 0.1
                else benign.ordinary_request(r, sloppy)
            )

        out += _person_records(rng, "ordinary", client, times, say)
    return out


MULTILINGUAL_PER_LANGUAGE = 8


def _multilingual(rng: random.Random, scale: float) -> list[Record]:
    """Ordinary users writing in zh, ru, es, ja, ko, de, fr and pt, homework included."""
    out: list[Record] = []
    for lang in LANGUAGES.values():
        for _ in range(MULTILINGUAL_PER_LANGUAGE):
            client = _client(rng)
            times = human_times(rng, rng.randint(5, 12), _offset(rng, 40 * HOUR), session=6)

            def say(r: random.Random, lang: Any = lang) -> str:
                pick = r.random()
                if pick < 0.7:
                    return str(lang.ordinary_request(r))
                return str(lang.homework(r)) if pick < 0.9 else benign.ordinary_request(r)

            out += _person_records(rng, "multilingual", client, times, say, follow_ups=0.05)
    return out


EVALUATION_PLAN = [(0, 320, False), (1, 300, True)]  # (harness, items, few-shot prefix)


def _unique_items(rng: random.Random, count: int) -> list[str]:
    """A benchmark's open items: each asked once."""
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault(fills.exam_question(rng, mc_share=0.0), None)
    return list(seen)


_SHOTS = (
    "Question: A shop sells pens at 3 dollars each. How much do 7 pens cost?\nAnswer: 21\n\n"
    "Question: A car travels 150 km in 3 hours. What is its average speed in km/h?\nAnswer: 50\n\n"
    "Question: What is 15% of 80?\nAnswer: 12\n\n"
)


def _evaluation(rng: random.Random, scale: float) -> list[Record]:
    """Evaluation customers running a benchmark: answer-format instructions, no harvesting instruction."""
    out: list[Record] = []
    for harness, count, few_shot in EVALUATION_PLAN:
        client = _client(rng, api="chat", user_agent=f"lm-eval-harness/0.4.{rng.randint(2, 8)}", person=False)
        times = machine_times(rng, count, _offset(rng), rng.uniform(1.0, 3.0))
        items: list[tuple[str, bool]] = []
        if not few_shot:  # a mixed benchmark: every multiple-choice item once, then open items
            chosen = rng.sample(fills.MC_ITEMS, len(fills.MC_ITEMS))
            items = [(fills.mc_text(item, rng, style=0), True) for item in chosen]
        items += [(text, False) for text in _unique_items(rng, count - len(items))]
        for t, (item, multiple_choice) in zip(times, items):
            text = benign.evaluation_prompt(
                item, harness, multiple_choice=multiple_choice, shots=_SHOTS if few_shot else ""
            )
            out.append(record(t, client, Request.user(text), label("evaluation", BENIGN, False), rng))
    return out


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "paraphrase",
            "campaign",
            "4 campaigns whose instruction is rephrased in every request",
            _paraphrase,
            "within_100",
        ),
        Scenario("ring", "campaign", "1,000 keys x 8 requests over 24 h, rotating proxies", _ring, "after_100"),
        Scenario("single_use", "campaign", "3,000 keys x 1 request", _single_use, "after_100"),
        Scenario(
            "few_use_system",
            "campaign",
            "1,600 keys x 3 requests over 24 h, the instruction in the system message",
            _few_use_system,
            "after_100",
        ),
        Scenario(
            "hidden_system",
            "campaign",
            "5 campaigns hiding the harvest in system messages (another author): paraphrased, single-use, diluted, "
            "buried in a persona, non-English",
            hidden_system_campaigns,
            "after_100",
        ),
        Scenario(
            "forged_history",
            "campaign",
            "4 campaigns hiding the harvest in system messages and forging conversation history (another author, "
            "from the conversation rule's description): a ring, few-use keys, real sessions, single-use keys",
            forged_history_campaigns,
            "after_100",
        ),
        Scenario(
            "answer_only_campaigns",
            "campaign",
            "4 campaigns keeping every flag on the item's frame alone (another author, from the answer-only rule's "
            "description): single-use keys, a paraphrasing ring, learners stating the gold answer, a 25 % blend",
            answer_only_campaigns,
            "after_100",
        ),
        Scenario(
            "framed_harvest",
            "campaign",
            "5 campaigns harvesting explanations of framed items (another author, from the frame rules' description, "
            "held out): a per-key budget pool, a nine-language paraphrase, learners' gold answers, mixed frames, "
            "slow and wide",
            framed_harvest_campaigns,
            "after_100",
        ),
        Scenario(
            "conversing_harvest",
            "campaign",
            "5 campaigns buying verified follow-ups to pass for an app's conversing users (another author, from "
            "the conversation ledger's rules, held out): cheap verification, a seeded crowd, a system prompt with "
            "verified chat, slow and multilingual, plain orders mixed in",
            conversing_harvest_campaigns,
            "after_100",
        ),
        Scenario(
            "bare_exam", "campaign", "exam questions with no instruction at machine pace", _bare_exam, "after_100"
        ),
        Scenario("non_english", "campaign", "campaigns in zh, ru, es, ja, ko and de", _non_english, "after_100"),
        Scenario(
            "obfuscated", "campaign", "homoglyphs, leetspeak, zero-width, punctuation noise", _obfuscated, "after_100"
        ),
        Scenario(
            "blend_5pct", "campaign", "5 % campaign requests inside a key's ordinary traffic", _blend, "within_300"
        ),
        Scenario(
            "prompt_extraction",
            "campaign",
            "system-prompt theft rotating through many attacks",
            _prompt_extraction,
            "after_100",
        ),
        Scenario("tool_trace", "campaign", "tool-trajectory harvesting with a tools array", _tool_trace, "after_100"),
        Scenario(
            "reasoning_trace",
            "campaign",
            "'show every step of your thinking' + exam fill",
            _reasoning_trace,
            "after_100",
        ),
        Scenario("judge", "campaign", "judge / reward label harvesting", _judge, "after_100"),
        Scenario("synthetic", "campaign", "'write 20 diverse instructions about ...'", _synthetic, "after_100"),
        Scenario("students", "benign", "5 students x 200 homework requests, 'show your work'", _students),
        Scenario("heavy_users", "benign", "2 users x 1,000 ordinary varied requests", _heavy_users),
        Scenario(
            "reasoning_app_keys",
            "benign",
            "5 app keys x 100 requests, system prompt asks for step-by-step reasoning",
            _reasoning_app_keys,
        ),
        Scenario("reasoning_app_users", "benign", "one such app, 120 user keys x 4 requests", _reasoning_app_users),
        Scenario("apps", "benign", "8 other apps x 50 requests, one agent app (tools) x 120", _apps),
        Scenario("ordinary", "benign", "200 ordinary users, 3-12 requests each", _ordinary),
        Scenario("multilingual", "benign", "64 users in zh, ru, es, ja, ko, de, fr, pt", _multilingual),
        Scenario(
            "one_time_users",
            "benign",
            "300 keys used once or twice: copied quickstart snippets, one-visit study-app users, trial signups",
            one_time_users,
        ),
        Scenario(
            "popular_apps",
            "benign",
            "3 bring-your-own-key apps (another author): 400 homework-app keys with a class burst, 150 keys of one "
            "reasoning template, 100 language-app keys; one step-by-step system prompt per app",
            popular_app_users,
        ),
        Scenario(
            "app_crowds",
            "benign",
            "4 apps with a step-by-step system prompt (another author): 300 single-shot widget keys with no history, "
            "30 tutoring power users x 20-60 requests, 200 exam-prep keys, 150 coding-help keys",
            app_crowd_users,
        ),
        Scenario(
            "framed_apps",
            "benign",
            "5 apps whose user turns carry question/answer fields (another author, held out): 40 teachers marking a "
            "class, 250 document-Q&A keys, 150 flashcard keys, 150 driving-theory keys, 60 reading learners; a week",
            framed_app_users,
        ),
        Scenario(
            "heavy_framed",
            "benign",
            "5 apps of heavy users whose turns are framed items (another author): 12 question-bank staff x 150-400, "
            "60 quiz authors, 154 exam-practice learners, 38 markers, 136 study-group classmates sharing items; a week",
            heavy_framed_users,
        ),
        Scenario("evaluation", "evaluation", "2 customers running a benchmark (320 and 300 items)", _evaluation),
    ]
}


def generate(seed: int, names: Iterable[str] | None = None, *, scale: float = DEFAULT_SCALE) -> list[Record]:
    """One seed's traffic for ``names`` (all scenarios when None), in timestamp order.

    ``scale`` multiplies the number of keys of the two largest campaigns (the ring and the
    single-use keys), which are most of the encoding work; everything else keeps its size, so the
    honest population still resolves a 0.5 % false-positive rate. Scale 1 is issue 11's sizes
    (1,000 ring keys, 3,000 single-use keys); the default, a quarter of that, keeps a three-seed run
    within reach of a shared two-core machine."""
    if scale <= 0:
        raise ValueError("scale must be > 0")
    chosen = list(names) if names is not None else list(SCENARIOS)
    unknown = [n for n in chosen if n not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    records: list[Record] = []
    for name in chosen:
        records += SCENARIOS[name].build(random.Random(f"querysentry-traffic/{seed}/{name}"), scale)
    records.sort(key=lambda r: (r["ts"], r["client"]))
    return records
