"""Honest crowds behind four apps whose own system prompt asks the model to reason step by step.

Asking for careful, numbered, show-your-working reasoning is an everyday product choice, not a sign
of harvesting. Each app below sets one fixed system prompt for all its users, and each end user
reaches the gateway with their own API key (bring-your-own-key, or a hosted app that issues one key
per account), from their own home address, now and then a shared campus or office network, with a
browser, mobile-app or editor User-Agent:

1. Explainly, a browser extension: highlight text on a page and ask what it means. 300 keys, 1–3
   requests each over a day or two, never with chat history (the widget has no conversation).
2. StudyLoop power users: 30 students, 20–60 requests each over a week, homework sessions with
   think times of tens of seconds to minutes, hours or days between sessions; about a fifth of the
   requests follow up on an earlier answer ("I don't get step 3"), some paste multiple choice.
3. PassMark, an exam-practice app: 200 learners, 2–8 requests each over 1–3 days, app-formatted
   practice items (driving theory, nursing, bar-exam style, school science, coding interviews)
   with a button the learner pressed, or a question typed from their own book; little history.
4. Patchwork, a coding helper: 150 developers and students, 1–15 requests each, bug reports,
   tracebacks and snippets, about 30 % follow-ups in the same conversation.

Arrivals follow each person's local day (a time zone per person and an hourly profile per app),
with sessions of human think times. Problems carry their own numbers, so two students rarely send
the same text; an exam app's item bank, though, is shared, so learners do send identical items.

Provenance: written by a different author from the detector's rules, without reading them or the
detector's code, results or other traffic scenarios (only the helper modules ``records``,
``timing``, ``network`` and ``grammar`` were used). Every prompt, question, snippet, system prompt
and answer here was written for this module; none is copied from a public prompt collection or
data set.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from benchmarks.traffic_scenarios import network
from benchmarks.traffic_scenarios.grammar import capitalised, expand
from benchmarks.traffic_scenarios.records import BENIGN, MODELS, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

__all__ = [
    "APP_KEYS",
    "CODING_SYSTEM",
    "EXAM_SYSTEM",
    "SCENARIO",
    "TUTOR_SYSTEM",
    "WIDGET_SYSTEM",
    "app_crowd_users",
]

SCENARIO = "app_crowds"

WIDGET_SYSTEM = (
    "You are Explainly, an assistant built into a browser extension. The user has highlighted something on a "
    "web page and wants to understand it. Reason step by step and show your working: first restate in plain "
    "words what the selection says, then go through any unfamiliar terms, numbers or logic one at a time, "
    "doing any arithmetic explicitly. End with a two-sentence summary that a curious non-expert could follow. "
    "If the selection is too short or lacks context, say what extra context you would need."
)
TUTOR_SYSTEM = (
    "You are StudyLoop, a patient tutor for secondary-school and first-year university students in maths, "
    "physics, chemistry and economics. Work through every problem step by step, numbering the steps and saying "
    "why each one follows from the last, so the student learns the method rather than copying a result. Use "
    "plain language, check the final answer, and point out the usual mistakes. When a student pastes a "
    "multiple-choice question, reason about each option before saying which one is right. Do not invent data "
    "that the question does not give; ask for it instead."
)
EXAM_SYSTEM = (
    "You are the study coach inside PassMark, an exam practice app. For each practice item, reason through it "
    "step by step before you answer: restate what is being asked, go through every option in turn and say why it "
    "is right or wrong, then state the correct option and a one-line rule of thumb the learner can remember. If "
    "the learner gives their own answer, tell them kindly whether it is correct and where their reasoning went "
    "wrong. For short-answer items, mark the learner's answer against what an examiner would expect. Be concise "
    "and never invent regulations, doses or statistics."
)
CODING_SYSTEM = (
    "You are Patchwork, a coding assistant for developers and students. Think through the problem step by step "
    "before writing code: restate what the code is meant to do, trace what it actually does, and find the root "
    "cause of the bug or error. Then give the smallest fix, explain why it works and mention edge cases worth "
    "testing. Stay with the language, framework and style the user is already using, and if the question is "
    "ambiguous, state the assumption you are making."
)

# Keys per app at scale 1 (honest traffic: never fewer, more for scale > 1).
APP_KEYS = {"widget": 300, "tutor": 30, "exam": 200, "coding": 150}

# Relative activity by local hour, 0–23.
_READER = (2, 1, 0.5, 0.3, 0.3, 0.5, 2, 4, 6, 6, 6, 6, 7, 6, 6, 6, 6, 6, 6, 7, 8, 8, 6, 4)
_STUDENT = (3, 2, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 3, 3, 3, 4, 4, 5, 7, 8, 8, 8, 9, 10, 10, 8, 5)
_LEARNER = (2, 1, 0.5, 0.3, 0.3, 1, 3, 6, 6, 4, 3, 4, 6, 5, 4, 4, 4, 5, 6, 8, 9, 9, 7, 4)
_WORKER = (1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 5, 8, 9, 9, 7, 8, 9, 9, 8, 6, 4, 4, 4, 4, 3, 2)

# UTC offsets (hours) and how many users live there.
_ZONES = (
    (-8.0, 10),
    (-7.0, 4),
    (-6.0, 8),
    (-5.0, 14),
    (-3.0, 5),
    (0.0, 10),
    (1.0, 12),
    (2.0, 5),
    (3.0, 3),
    (5.5, 10),
    (7.0, 3),
    (8.0, 6),
    (9.0, 4),
    (10.0, 3),
)
_LANGUAGES = {
    -8.0: "en-US,en;q=0.9",
    -7.0: "en-US,en;q=0.9",
    -6.0: "en-US,en;q=0.9,es;q=0.6",
    -5.0: "en-US,en;q=0.9",
    -3.0: "pt-BR,pt;q=0.9,en;q=0.7",
    0.0: "en-GB,en;q=0.9",
    1.0: "de-DE,de;q=0.9,en;q=0.8",
    2.0: "fr-FR,fr;q=0.9,en;q=0.6",
    3.0: "tr-TR,tr;q=0.9,en;q=0.7",
    5.5: "en-IN,en;q=0.9,hi;q=0.7",
    7.0: "vi-VN,vi;q=0.9,en;q=0.8",
    8.0: "zh-CN,zh;q=0.9,en;q=0.7",
    9.0: "ja-JP,ja;q=0.9,en;q=0.6",
    10.0: "en-AU,en;q=0.9",
}


# --------------------------------------------------------------------------------------------------
# People, devices and networks
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """How one user types: where they live, how sloppy and how chatty they are."""

    tz: float
    typo: float  # chance that a message they type carries a typo
    lower: bool  # never bothers with capitals
    texting: bool  # "u", "pls", "im"
    chatty: float  # chance of a greeting or a thanks


def _person(rng: random.Random, casual: float, zones: Sequence[float] | None = None) -> Person:
    tz = rng.choice(zones) if zones else rng.choices([z for z, _ in _ZONES], weights=[w for _, w in _ZONES])[0]
    return Person(
        tz=tz,
        typo=rng.choice((0.0, 0.0, 0.05, 0.1, 0.2, 0.35)) * casual,
        lower=rng.random() < 0.45 * casual,
        texting=rng.random() < 0.25 * casual,
        chatty=rng.uniform(0.0, 0.45) * casual,
    )


_WORD = re.compile(r"[A-Za-z]{4,}")


def _typo(rng: random.Random, text: str) -> str:
    words = [m.span() for m in _WORD.finditer(text)]
    if not words:
        return text
    start, end = rng.choice(words)
    word = text[start:end]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind < 0.7:
        word = word[:i] + word[i + 1 :]
    else:
        word = word[:i] + word[i] + word[i:]
    return text[:start] + word + text[end:]


_TEXTING = ((r"\byou\b", "u"), (r"\bplease\b", "pls"), (r"\bI'm\b", "im"), (r"\bdon't\b", "dont"))


def _typed(rng: random.Random, person: Person, text: str) -> str:
    """``text`` as this person types it (prose only: never call this on pasted code)."""
    if person.texting:
        for pattern, short in _TEXTING:
            text = re.sub(pattern, short, text)
    if person.lower and text[:1].isupper() and not text[:2].isupper():
        text = text[0].lower() + text[1:]
    if rng.random() < person.typo:
        text = _typo(rng, text)
        if rng.random() < 0.3:
            text = _typo(rng, text)
    return text


def _home_ips(rng: random.Random, shared: Sequence[str], p_shared: float, mobile: bool) -> list[str]:
    """A person's addresses: home first, sometimes a campus/office NAT they share, a phone network."""
    ips = [network.residential_ip(rng)]
    if shared and rng.random() < p_shared:
        nat = rng.choice(shared)
        if rng.random() < 0.5:
            ips.insert(0, nat)  # mostly uses the app from campus / the office
        else:
            ips.append(nat)
    if mobile or rng.random() < 0.2:
        ips.append(network.residential_ip(rng))
    return ips


def _desktop_browser(rng: random.Random) -> str:
    family = rng.random()
    if family < 0.62:
        return network.browser_user_agent(rng)
    if family < 0.78:
        version = rng.randint(128, 134)
        os_part = rng.choice(("Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7"))
        return (
            f"Mozilla/5.0 ({os_part}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{version}.0.0.0 "
            f"Safari/537.36 Edg/{version}.0.{rng.randint(2000, 2900)}.{rng.randint(40, 99)}"
        )
    if family < 0.92:
        version = rng.randint(128, 135)
        os_part = rng.choice(
            ("Windows NT 10.0; Win64; x64; rv:{v}.0", "X11; Ubuntu; Linux x86_64; rv:{v}.0", "Macintosh; rv:{v}.0")
        ).format(v=version)
        return f"Mozilla/5.0 ({os_part}) Gecko/20100101 Firefox/{version}.0"
    minor = rng.randint(0, 3)
    return (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        f"Version/18.{minor} Safari/605.1.15"
    )


def _mobile_app(rng: random.Random, app: str, major: int) -> str:
    version = f"{major}.{rng.randint(0, 9)}.{rng.randint(0, 4)}"
    if rng.random() < 0.45:
        ios = rng.choice(("17.6.1", "18.1", "18.1.1", "18.2", "18.3"))
        device = rng.choice(("iPhone14,5", "iPhone15,2", "iPhone16,1", "iPhone13,2", "iPad13,18"))
        return f"{app}/{version} ({device}; iOS {ios}; Scale/3.00) Alamofire/5.{rng.randint(8, 10)}.{rng.randint(0, 2)}"
    android = rng.choice(("12", "13", "14", "14", "15"))
    model = rng.choice(("SM-A546B", "SM-S911B", "Pixel 7", "Pixel 8a", "M2101K6G", "CPH2451", "moto g54 5G"))
    return f"{app}/{version} (Android {android}; {model}) okhttp/4.{rng.randint(9, 12)}.0"


def _editor(rng: random.Random) -> str:
    code = f"1.9{rng.randint(2, 6)}.{rng.randint(0, 3)}"
    return f"Patchwork-VSCode/0.{rng.randint(14, 19)}.{rng.randint(0, 6)} VSCode/{code} Electron/3{rng.randint(0, 2)}"


def _client(
    rng: random.Random, apis: dict[str, float], ua: str, ips: Sequence[str], browser: bool, tz: float
) -> Client:
    api = rng.choices(list(apis), weights=list(apis.values()))[0]
    extra = {"accept-language": _LANGUAGES.get(tz, "en-US,en;q=0.9")} if browser else {}
    return Client(
        key=new_key(rng), api=api, model=rng.choice(MODELS[api]), user_agent=ua, ips=tuple(ips), extra_headers=extra
    )


# --------------------------------------------------------------------------------------------------
# When people send
# --------------------------------------------------------------------------------------------------


def _at_local(rng: random.Random, day: int, tz: float, profile: Sequence[float]) -> float:
    """A moment on ``day`` (0 = the first day) at an hour this person is likely to be awake and busy."""
    hour = rng.choices(range(24), weights=profile)[0] + rng.random()
    return START + day * DAY + ((hour - tz) % 24) * HOUR


def _sessions(
    rng: random.Random,
    n: int,
    days: int,
    tz: float,
    profile: Sequence[float],
    think: float,
    size: float,
) -> list[list[float]]:
    """``n`` times in sessions of about ``size`` requests, ``think`` seconds median apart, on ``days`` days."""
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(max(1, min(n - sum(sizes), round(rng.lognormvariate(math.log(size), 0.6)))))
    starts = sorted(_at_local(rng, rng.randrange(days), tz, profile) for _ in sizes)
    out: list[list[float]] = []
    end = -math.inf
    for start, length in zip(starts, sizes):
        t = start if start > end + 900 else end + rng.lognormvariate(math.log(2 * HOUR), 0.7)
        times: list[float] = []
        for _ in range(length):
            times.append(t)
            t += min(1800.0, max(6.0, rng.lognormvariate(math.log(think), 0.75)))
        end = times[-1]
        out.append(times)
    return out


# --------------------------------------------------------------------------------------------------
# Conversations
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One new question as the user sends it, a short answer the app showed, and follow-ups it invites."""

    text: str
    answer: str
    follow_ups: tuple[tuple[str, str], ...] = ()


def _conversation(
    rng: random.Random,
    person: Person,
    sessions: list[list[float]],
    new_item: Callable[[int], Item],
    generic: Sequence[tuple[str, str]],
    p_follow: float,
    max_depth: int,
    p_retry: float = 0.0,
) -> list[tuple[float, tuple[dict[str, str], ...]]]:
    """Times and turns for one user: threads that start with a new item and may go on with follow-ups
    carrying the history so far. A thread never spans two sessions. ``new_item`` gets the item's index
    within its session."""
    out: list[tuple[float, tuple[dict[str, str], ...]]] = []
    for times in sessions:
        turns: list[dict[str, str]] = []
        answer, specific, depth, index, asked = "", list[tuple[str, str]](), 0, 0, set[str]()
        for t in times:
            if out and turns and rng.random() < p_retry:
                out.append((t, out[-1][1]))  # pressed "regenerate": the same request again
                continue
            if turns and depth < max_depth and rng.random() < p_follow:
                chosen = specific if specific and rng.random() < 0.6 else generic
                pool = [pair for pair in chosen if pair[0] not in asked]
                pool = pool or [pair for pair in generic if pair[0] not in asked] or list(generic)
                question, reply = rng.choice(pool)
                asked.add(question)
                turns += [
                    {"role": "assistant", "content": answer},
                    {"role": "user", "content": _typed(rng, person, question)},
                ]
                answer, depth = reply, depth + 1
            else:
                item = new_item(index)
                index += 1
                turns = [{"role": "user", "content": item.text}]
                answer, specific, depth, asked = item.answer, list(item.follow_ups), 0, set()
            out.append((t, tuple(turns)))
    return out


def _records(
    rng: random.Random, client: Client, system: str, sent: Sequence[tuple[float, Sequence[dict[str, str]]]]
) -> list[dict[str, Any]]:
    tag = label(SCENARIO, BENIGN, False)
    return [record(t, client, Request(turns=tuple(turns), system=system), dict(tag), rng) for t, turns in sent]


def _fmt(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):d}"
    if abs(x) >= 100:
        return f"{x:.1f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def _options(rng: random.Random, value: float, unit: str) -> tuple[list[str], int]:
    """Four numeric options, one right and three made from the usual slips; the index of the right one."""
    texts = [_fmt(value)]
    for factor in rng.sample((0.5, 2.0, 1.5, 0.75, 1.25, 4.0, 0.25, 0.9, 1.1, 10.0), 10):
        candidate = _fmt(value * factor)
        if candidate not in texts:
            texts.append(candidate)
        if len(texts) == 4:
            break
    bump = 1
    while len(texts) < 4:
        candidate = _fmt(value + bump)
        bump += 1
        if candidate not in texts:
            texts.append(candidate)
    order = list(range(4))
    rng.shuffle(order)
    suffix = f" {unit}" if unit else ""
    return [texts[i] + suffix for i in order], order.index(0)


# --------------------------------------------------------------------------------------------------
# 1. The explain-it widget
# --------------------------------------------------------------------------------------------------

_PASSAGES: tuple[tuple[str, str], ...] = (
    (
        "legal",
        "Notwithstanding anything to the contrary herein, the Supplier's aggregate liability under this Agreement "
        "shall not exceed the fees paid by the Customer in the ⟦six|twelve⟧ months preceding the event giving "
        "rise to the claim.",
    ),
    (
        "legal",
        "The Tenant may terminate this lease on ⟦thirty|sixty|ninety⟧ days' written notice, provided that no "
        "such termination shall take effect before the first anniversary of the Commencement Date.",
    ),
    (
        "legal",
        "By continuing to use the Service after the effective date you agree to be bound by the revised Terms; "
        "if you do not agree, your sole remedy is to stop using the Service.",
    ),
    (
        "legal",
        "The court held that the limitation period was tolled for as long as the plaintiff could not reasonably "
        "have discovered the injury.",
    ),
    (
        "legal",
        "This warranty is void if the product has been serviced by anyone other than an authorised repair centre, "
        "except where local consumer law provides otherwise.",
    ),
    (
        "legal",
        "Any dispute shall be resolved by binding arbitration on an individual basis, and you waive any right to "
        "participate in a class action.",
    ),
    (
        "finance",
        "The central bank left its policy rate at ⟦#3-5⟧.⟦25|5|75⟧% but signalled that ⟦one|two⟧ cuts remain "
        "possible later in the year, and two-year yields fell ⟦#6-15⟧ basis points on the announcement.",
    ),
    (
        "finance",
        "Shares of the retailer slid ⟦#7-19⟧% in after-hours trading after it cut its full-year guidance, citing "
        "softer demand and higher freight costs, even though quarterly revenue beat estimates.",
    ),
    (
        "finance",
        "The yield curve has now been inverted for ⟦#8-20⟧ months, a pattern that has come before most "
        "recessions of the past fifty years, although the lag has varied a lot.",
    ),
    (
        "finance",
        "Core inflation, which strips out food and energy, rose ⟦0.2|0.3|0.4⟧% on the month, taking the annual "
        "rate to ⟦#2-4⟧.⟦#1-9⟧%.",
    ),
    (
        "finance",
        "The company completed a ⟦2|3|4|10⟧-for-1 stock split, which leaves its market value unchanged but lowers "
        "the price of a single share.",
    ),
    (
        "finance",
        "The fund's expense ratio is ⟦0.03|0.09|0.45|0.75⟧%, deducted from returns rather than billed, so on a "
        "$⟦10,000|25,000|100,000⟧ balance you never see the fee as a separate charge.",
    ),
    (
        "finance",
        "Mortgage rates rose for a ⟦third|fourth|fifth⟧ straight week, pushing the average 30-year fixed rate to "
        "⟦6|7⟧.⟦#10-90⟧%, the highest since ⟦the spring|last summer|October⟧.",
    ),
    (
        "finance",
        "The bonds were downgraded to junk, which forces some pension funds that may only hold investment-grade "
        "debt to sell them.",
    ),
    (
        "science",
        "CRISPR-Cas9 cuts both strands of DNA at a site chosen by a short guide RNA; the cell then repairs the "
        "break, either sloppily, which tends to knock the gene out, or precisely if a template is supplied.",
    ),
    (
        "science",
        "Because the study was observational, the link between the supplement and lower blood pressure may "
        "reflect confounding rather than a causal effect.",
    ),
    (
        "science",
        "The vaccine showed ⟦#60-95⟧% efficacy against symptomatic illness, but protection against infection was "
        "lower and waned over ⟦four|six|eight⟧ months.",
    ),
    (
        "science",
        "The effect was statistically significant (p = 0.0⟦#1-4⟧), although the 95% confidence interval ran from "
        "almost zero to a moderate benefit.",
    ),
    (
        "science",
        "People taking warfarin are told to keep their vitamin K intake steady rather than cut it out, since a "
        "sudden change either way moves the INR.",
    ),
    (
        "science",
        "Tardigrades survive drying out by replacing the water in their cells with a glassy sugar matrix and "
        "making proteins that shield their DNA.",
    ),
    (
        "science",
        "The telescope observes in the infrared, which lets it see light from the earliest galaxies that has been "
        "stretched to longer wavelengths by the expansion of the universe.",
    ),
    (
        "science",
        "With a half-life of ⟦#3-12⟧ hours, the drug is considered essentially cleared after about five half-lives.",
    ),
    (
        "science",
        "Entanglement does not allow faster-than-light messages, because each side's result is random until the "
        "two are compared over an ordinary channel.",
    ),
    (
        "science",
        "Relative risk fell by ⟦#20-50⟧%, but because the baseline risk was only ⟦1|2|3⟧ in 1,000, the absolute "
        "reduction is small.",
    ),
    (
        "tech",
        "The database is eventually consistent, so a read issued right after a write may return the old value "
        "until replication catches up.",
    ),
    (
        "tech",
        "This release deprecates the v1 endpoints; they keep working until ⟦March|June|September⟧ but every "
        "response now carries a Sunset header.",
    ),
    (
        "tech",
        "A flaw in the VPN appliance let unauthenticated attackers run code remotely; the vendor has shipped a "
        "patch and told customers to rotate every credential stored on the device.",
    ),
    (
        "tech",
        "The model has ⟦7|8|13⟧ billion parameters and was quantised to 4 bits, cutting its memory footprint "
        "roughly fourfold at a small cost in accuracy.",
    ),
    (
        "tech",
        "Passkeys replace passwords with a key pair: the private key never leaves your device and the site only "
        "keeps the public half.",
    ),
    (
        "civics",
        "The treaty was ratified by the legislature but never took effect, because the incoming government "
        "declined to deposit the instrument of ratification.",
    ),
    (
        "civics",
        "Because of the filibuster, most bills in practice need sixty votes to pass the Senate, even though the "
        "constitution asks only for a simple majority.",
    ),
    (
        "civics",
        "Under proportional representation a party winning ⟦#8-15⟧% of the national vote would expect roughly "
        "the same share of seats, provided it clears the threshold.",
    ),
    (
        "civics",
        "Applicants must not have spent more than ⟦180|270|365⟧ days outside the country in any ⟦12|24⟧-month "
        "period of the qualifying residence.",
    ),
    (
        "humanities",
        "Sartre's line that existence precedes essence means we are not born with a fixed purpose; we make "
        "ourselves through what we choose to do.",
    ),
    (
        "humanities",
        "Kant separates hypothetical imperatives, which bind only if you want some end, from the categorical "
        "imperative, which binds whatever you happen to want.",
    ),
    (
        "humanities",
        "The narrator is revealed in the last chapter to have been describing events he could not possibly have "
        "witnessed, which forces a rereading of everything before it.",
    ),
    (
        "humanities",
        "Historians now stress that the treaty changed less on the ground than its later reputation suggests; its "
        "importance was largely constructed in the nineteenth century.",
    ),
    (
        "personal",
        "Your plan has a $⟦1,500|2,000|3,000⟧ deductible and 20% coinsurance after that, up to an out-of-pocket "
        "maximum of $⟦6,000|7,500|9,100⟧.",
    ),
    (
        "personal",
        "Contributions to a traditional account go in before tax and are taxed when withdrawn, while Roth "
        "contributions go in after tax and qualified withdrawals are tax-free.",
    ),
    (
        "personal",
        "The recall covers vehicles built between ⟦May|June⟧ and ⟦August|November⟧ in which the passenger airbag "
        "may not deploy if the seat sensor misreads whether the seat is occupied.",
    ),
    (
        "personal",
        "Your annual percentage rate is ⟦19|22|24⟧.⟦#1-9⟧%, but interest is charged daily on the average balance, "
        "so paying part of the bill early still lowers the charge.",
    ),
    (
        "sports",
        "Under the new rule a runner who leaves the running lane and interferes with the throw to first is out, "
        "even if the throw was off target.",
    ),
    (
        "sports",
        "The club is ⟦#3-9⟧ points clear at the top but has played two games more, so its lead on points per game "
        "is much narrower.",
    ),
    ("formula", "A = P(1 + r/n)^(nt)"),
    ("formula", "A = ⟦1000|2500|5000⟧(1 + 0.0⟦#2-7⟧/12)^(12·⟦#5-30⟧)"),
    ("formula", "P(A|B) = P(B|A) · P(A) / P(B)"),
    ("formula", "F = G · m1 · m2 / r²"),
    ("formula", "ΔG = ΔH − TΔS"),
    ("formula", "pH = pKa + log([A⁻]/[HA])"),
    ("formula", "NPV = Σ CF_t / (1 + r)^t − C_0"),
    ("formula", "e^(iπ) + 1 = 0"),
    ("formula", "σ = √( Σ (xᵢ − μ)² / N )"),
    ("formula", "Var(X) = E[X²] − (E[X])²"),
    ("formula", "x = (−b ± √(b² − 4ac)) / 2a"),
    ("formula", "H(X) = −Σ p(x) log₂ p(x)"),
    ("formula", "CAGR = (End value / Start value)^(1 / years) − 1"),
    ("formula", "t½ = ln(2) / λ"),
    ("formula", "z = (x − μ) / σ"),
    ("formula", "ROI = (gain − cost) / cost"),
    ("formula", "Q = m · c · ΔT"),
    ("sentence", "Failure to not return the form will not prevent your benefits from being withheld."),
    ("sentence", "It is not unlikely that the proposal will fail to be rejected."),
    ("sentence", "Only staff who have not previously declined the offer are ineligible to decline it again."),
    ("sentence", "The reviewer the editor the publisher hired trusted resigned."),
    ("sentence", "No fewer than half of the respondents did not disagree with the statement."),
    (
        "sentence",
        "Neither the landlord nor the tenants, who had not been informed, were liable unless notified otherwise.",
    ),
    ("sentence", "We regret that we are unable to not process requests submitted after the deadline."),
    ("sentence", "The sooner you cancel, the later the refund arrives, unless you cancel before the cut-off."),
    ("sentence", "Had the meeting not been moved, the vote that wasn't held would not have been postponed."),
    (
        "foreign",
        "El Banco Central mantuvo la tasa de referencia en ⟦10|11⟧,75 %, aunque no descartó un recorte en su "
        "próxima reunión si la inflación sigue cediendo.",
    ),
    (
        "foreign",
        "Die Kündigungsfrist verlängert sich nach fünf Jahren Betriebszugehörigkeit auf zwei Monate zum Monatsende.",
    ),
    (
        "foreign",
        "Le taux d'usure est le taux maximal auquel un prêt peut être accordé ; au-delà, le prêt est considéré "
        "comme usuraire.",
    ),
    (
        "foreign",
        "O reajuste será aplicado de forma escalonada, com efeito retroativo a janeiro para os servidores ativos.",
    ),
)

_TITLES = {
    "legal": ("Terms of Service", "lease_agreement.pdf", "Master Services Agreement", "Law360", "Warranty"),
    "finance": ("Reuters", "Bloomberg", "Financial Times", "CNBC", "Investopedia", "MarketWatch", "Yahoo Finance"),
    "science": ("Nature News", "BBC Science", "Ars Technica", "NIH", "The Conversation", "Wikipedia"),
    "tech": ("Release notes", "Hacker News", "The Verge", "Security advisory", "docs", "Wikipedia"),
    "civics": ("Wikipedia", "AP News", "The Guardian", "gov.uk", "uscis.gov"),
    "humanities": ("Stanford Encyclopedia of Philosophy", "course reader.pdf", "Wikipedia", "LitCharts"),
    "personal": ("Benefits summary", "Cardholder agreement", "NHTSA recall notice", "My account"),
    "sports": ("ESPN", "BBC Sport", "The Athletic"),
    "formula": ("Khan Academy", "Wikipedia", "lecture_notes_wk3.pdf", "Investopedia", "textbook"),
    "sentence": ("Letter from the council", "HR policy", "email", "Reddit"),
    "foreign": ("El País", "Spiegel", "Le Monde", "Folha", "Gmail"),
}

_NOTES = {
    "any": (
        "Explain this.",
        "explain this",
        "What does this mean?",
        "what does this mean",
        "eli5",
        "Explain like I'm 12.",
        "can you explain this in plain english",
        "what does this actually mean for me?",
        "I don't understand this part",
        "why does this matter?",
        "is this good or bad?",
        "explain simply please",
        "What's the takeaway here?",
        "??",
    ),
    "legal": ("does this mean I can't sue them?", "what am I agreeing to here", "in plain words please"),
    "finance": (
        "why did the market react like that?",
        "what are basis points",
        "should a normal person care about this?",
        "is this why my savings rate changed?",
    ),
    "science": ("how big a deal is this really?", "what does the p value mean here", "so does it work or not"),
    "tech": ("does this affect me?", "what does this mean for someone using it at home?"),
    "formula": (
        "explain this formula",
        "what do all the letters mean",
        "walk me through an example with numbers",
        "where does this come from?",
        "explain each part of this equation",
    ),
    "sentence": (
        "what is this sentence even saying",
        "is this a yes or a no??",
        "can you untangle this sentence",
        "who is doing what here?",
        "I read this five times and still don't get it",
    ),
    "foreign": (
        "what does this say and what does it mean?",
        "¿me lo explicas con palabras sencillas?",
        "was heißt das konkret für mich?",
        "explique-moi ça simplement",
        "translate and explain",
    ),
}


def _widget_text(rng: random.Random, person: Person, version: int, quiet: bool) -> str:
    kind, passage = rng.choice(_PASSAGES)
    selection = expand(passage, rng)
    if quiet or rng.random() < 0.3:
        note = "Explain this."
    else:
        pool = _NOTES["any"] + _NOTES.get(kind, ())
        note = _typed(rng, person, rng.choice(pool))
    if version == 1:
        return f"Explain this:\n\n{selection}"
    if version == 2:
        return f'{note}\n\n"{selection}"'
    title = rng.choice(_TITLES[kind])
    return f'Selected text:\n"""\n{selection}\n"""\nPage: {title}\nQuestion: {note}'


def _widget_users(rng: random.Random, count: int) -> list[dict[str, Any]]:
    offices = [network.residential_ip(rng) for _ in range(14)]
    apis = {"chat": 0.45, "anthropic": 0.35, "responses": 0.2}
    out: list[dict[str, Any]] = []
    for _ in range(count):
        person = _person(rng, casual=0.8)
        ips = _home_ips(rng, offices, 0.12, mobile=False)
        client = _client(rng, apis, _desktop_browser(rng), ips, True, person.tz)
        version = rng.choices((1, 2, 3), weights=(2, 3, 5))[0]  # whichever release they installed
        quiet = rng.random() < 0.25  # never types a question, just presses the button
        n = rng.choices((1, 2, 3), weights=(50, 32, 18))[0]
        times = [_at_local(rng, 0, person.tz, _READER)]
        while len(times) < n:
            if rng.random() < 0.45:  # still reading the same page
                times.append(times[-1] + rng.lognormvariate(math.log(240), 0.9))
            else:
                later = _at_local(rng, rng.randint(0, 1), person.tz, _READER)
                times.append(later if later > times[-1] else times[-1] + rng.lognormvariate(math.log(5 * HOUR), 0.6))
        sent = [(t, ({"role": "user", "content": _widget_text(rng, person, version, quiet)},)) for t in times]
        out += _records(rng, client, WIDGET_SYSTEM, sent)
    return out


# --------------------------------------------------------------------------------------------------
# 2. Tutoring power users
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A homework problem as a student would write it, a short worked answer, and its numeric result."""

    stem: str
    answer: str
    value: float | None = None
    unit: str = ""
    follow_ups: tuple[tuple[str, str], ...] = ()


def _expr(terms: Sequence[tuple[int, str]]) -> str:
    """``[(3, "x^2"), (-1, "x"), (4, "")]`` -> ``3x^2 - x + 4``."""
    out: list[str] = []
    for coef, var in terms:
        if coef == 0:
            continue
        body = (str(abs(coef)) if abs(coef) != 1 or not var else "") + var
        if not out:
            out.append(("-" if coef < 0 else "") + body)
        else:
            out.append((" - " if coef < 0 else " + ") + body)
    return "".join(out) or "0"


def _xp(power: int) -> str:
    return "" if power == 0 else "x" if power == 1 else f"x^{power}"


def _factor(r: int) -> str:
    return "x" if r == 0 else f"(x - {r})" if r > 0 else f"(x + {-r})"


def _m_quadratic(rng: random.Random) -> Problem:
    r1, r2 = rng.randint(-9, 9), rng.randint(-9, 9)
    if r1 == 0 and r2 == 0:
        r2 = rng.randint(1, 9)
    a = rng.choice((1, 1, 1, 2, 3))
    poly = _expr(((a, "x^2"), (-a * (r1 + r2), "x"), (a * r1 * r2, "")))
    stem = expand(f"⟦solve|Solve|find x if|factor and solve|how do I solve⟧ {poly} = 0", rng)
    factored = ("" if a == 1 else str(a)) + (f"{_factor(r1)}^2" if r1 == r2 else _factor(r1) + _factor(r2))
    roots = f"x = {r1}, a repeated root" if r1 == r2 else f"x = {min(r1, r2)} or x = {max(r1, r2)}"
    answer = (
        f"1. Look for a factorisation: {poly} = {factored}. 2. A product is zero only when a factor is zero, "
        f"so {roots}. 3. Check: substituting back gives 0 each time."
    )
    extra = (
        (
            "can I just use the quadratic formula instead?",
            "Yes, the formula always works and gives the same roots here. Factoring is just quicker when the "
            "numbers are friendly; the formula is the safe choice when you can't spot the factors.",
        ),
    )
    return Problem(stem, answer, follow_ups=extra)


def _m_system(rng: random.Random) -> Problem:
    x, y = rng.randint(-5, 9), rng.randint(-5, 9)
    while True:
        a1, b1, a2, b2 = (rng.choice((-3, -2, -1, 1, 2, 3, 4, 5)) for _ in range(4))
        if a1 * b2 - a2 * b1 != 0:
            break
    eq1 = f"{_expr(((a1, 'x'), (b1, 'y')))} = {a1 * x + b1 * y}"
    eq2 = f"{_expr(((a2, 'x'), (b2, 'y')))} = {a2 * x + b2 * y}"
    stem = expand(f"⟦solve the system|Solve simultaneously|find x and y:|solve for x and y⟧ {eq1} and {eq2}", rng)
    answer = (
        f"1. Eliminate y: multiply the first equation by {b2} and the second by {b1}, then subtract. "
        f"2. That leaves {a1 * b2 - a2 * b1}x = {(a1 * b2 - a2 * b1) * x}, so x = {x}. "
        f"3. Substitute into the first equation to get y = {y}. Check both equations: they hold."
    )
    return Problem(stem, answer, value=float(x), unit="")


def _m_derivative(rng: random.Random) -> Problem:
    powers = sorted(rng.sample(range(1, 6), 3), reverse=True)
    coefs = [rng.choice((-7, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 8)) for _ in powers]
    const = rng.randint(-9, 9)
    f = _expr([(c, _xp(p)) for c, p in zip(coefs, powers)] + [(const, "")])
    d = _expr([(c * p, _xp(p - 1)) for c, p in zip(coefs, powers)])
    rule = "1. Use the power rule on each term: bring the power down and reduce it by one. 2. The constant goes to 0."
    if rng.random() < 0.5:
        stem = expand(f"⟦differentiate|find the derivative of|what is dy/dx for⟧ f(x) = {f}", rng)
        return Problem(stem, f"{rule} 3. So f'(x) = {d}.")
    at = rng.randint(-3, 3)
    value = sum(c * p * at ** (p - 1) for c, p in zip(coefs, powers))
    stem = expand(f"⟦if|given⟧ f(x) = {f}, ⟦find|what is⟧ f'({at})⟦?|⟧", rng)
    return Problem(stem, f"{rule} 3. f'(x) = {d}. 4. Substituting x = {at} gives {value}.", value=float(value))


def _m_chain(rng: random.Random) -> Problem:
    a, b, n = rng.randint(2, 6), rng.choice((-9, -7, -5, -3, -1, 1, 2, 4, 7)), rng.randint(2, 7)
    inner = _expr(((a, "x"), (b, "")))
    stem = expand(f"⟦differentiate|d/dx of|derivative of⟧ ({inner})^{n}⟦ using the chain rule|⟧", rng)
    answer = (
        f"1. Outer function u^{n}, inner u = {inner}. 2. Derivative of the outer: {n}u^{n - 1}. "
        f"3. Multiply by the inner derivative {a}: {n * a}({inner})^{n - 1}."
    )
    extra = (
        (
            "why do we multiply by the inside bit?",
            "Because the inner function changes too: the chain rule says the rate of change of the whole is the "
            "outer rate times how fast the inside moves. Forgetting that factor is the most common slip.",
        ),
    )
    return Problem(stem, answer, follow_ups=extra)


def _m_integral(rng: random.Random) -> Problem:
    a, b, c = rng.randint(1, 6), rng.randint(-5, 6), rng.randint(1, 4)
    value = Fraction(a * c**3, 3) + Fraction(b * c**2, 2)
    integrand = _expr(((a, "x^2"), (b, "x")))
    stem = expand(f"⟦evaluate|compute|work out⟧ the integral of {integrand} from 0 to {c}", rng)
    answer = (
        f"1. Antiderivative: {Fraction(a, 3)}x^3 + {Fraction(b, 2)}x^2. 2. Evaluate at {c} and subtract the value "
        f"at 0 (which is 0). 3. Result: {value} ≈ {float(value):.3f}."
    )
    return Problem(stem, answer, value=float(value))


def _m_probability(rng: random.Random) -> Problem:
    r, b = rng.randint(2, 8), rng.randint(2, 8)
    p = Fraction(r * (r - 1), (r + b) * (r + b - 1))
    stem = expand(
        f"a bag has {r} red and {b} blue ⟦marbles|counters|balls⟧. two are drawn without replacement. "
        "what is the probability ⟦both are red|that they are both red⟧?",
        rng,
    )
    answer = (
        f"1. First draw: {r}/{r + b} chance of red. 2. One red is gone, so the second is {r - 1}/{r + b - 1}. "
        f"3. Multiply: {p} ≈ {float(p):.3f}."
    )
    extra = (
        (
            "what if it was with replacement?",
            f"Then the second draw is the same as the first, {r}/{r + b}, so the answer would be "
            f"({r}/{r + b})² = {Fraction(r, r + b) ** 2}.",
        ),
    )
    return Problem(stem, answer, value=float(p), follow_ups=extra)


def _m_percent(rng: random.Random) -> Problem:
    price, off, tax = rng.randint(20, 200), rng.choice((10, 15, 20, 25, 30, 40)), rng.choice((5, 8, 10, 20))
    final = price * (1 - off / 100) * (1 + tax / 100)
    stem = expand(
        f"a ⟦jacket|pair of shoes|game|lamp⟧ costs ${price}. it's {off}% off and then {tax}% sales tax is added. "
        "⟦what's the final price|how much do you pay⟧?",
        rng,
    )
    answer = (
        f"1. Discount: {price} × {1 - off / 100:g} = {price * (1 - off / 100):.2f}. 2. Add tax: × {1 + tax / 100:g}. "
        f"3. Final price ${final:.2f}. Note the discount and tax don't cancel even if the percentages match."
    )
    return Problem(stem, answer, value=round(final, 2), unit="$")


def _m_exponent(rng: random.Random) -> Problem:
    base = rng.randint(2, 5)
    k = rng.randint(3, {2: 10, 3: 6, 4: 5, 5: 4}[base])
    m = rng.randint(1, 3)
    stem = expand(f"⟦solve|find x:⟧ {base}^(x + {m}) = {base**k}", rng)
    answer = (
        f"1. Write {base**k} as a power of {base}: {base}^{k}. 2. Same base, so the exponents are equal: "
        f"x + {m} = {k}. 3. x = {k - m}."
    )
    return Problem(stem, answer, value=float(k - m))


def _m_ladder(rng: random.Random) -> Problem:
    length, angle = rng.randint(3, 10), rng.choice((50, 55, 60, 65, 70, 75))
    height = length * math.sin(math.radians(angle))
    stem = expand(
        f"a {length} m ladder leans against a wall making {angle}° with the ground. how high up the wall does it "
        "⟦reach|go⟧?",
        rng,
    )
    answer = (
        f"1. The ladder is the hypotenuse and the height is opposite the {angle}° angle. 2. So height = "
        f"{length} × sin({angle}°). 3. That is about {height:.2f} m."
    )
    extra = (
        (
            "how do i know whether to use sin or cos",
            "Label the sides from the angle you know: opposite, adjacent, hypotenuse. Opposite over hypotenuse is "
            "sin, adjacent over hypotenuse is cos. The wall height is opposite the ground angle, so sin.",
        ),
    )
    return Problem(stem, answer, value=round(height, 2), unit="m", follow_ups=extra)


def _m_series(rng: random.Random) -> Problem:
    a, d, n = rng.randint(1, 20), rng.randint(2, 9), rng.randint(10, 40)
    total = n * (2 * a + (n - 1) * d) // 2
    stem = expand(
        f"⟦find the sum of the first {n} terms of|what is the sum of the first {n} terms in⟧ the arithmetic "
        f"sequence {a}, {a + d}, {a + 2 * d}, ...",
        rng,
    )
    answer = f"1. First term {a}, common difference {d}. 2. S_n = n/2 × (2a + (n − 1)d). 3. S_{n} = {total}."
    return Problem(stem, answer, value=float(total))


def _p_projectile(rng: random.Random) -> Problem:
    v, angle = rng.randint(10, 30), rng.choice((15, 30, 45, 60, 75))
    reach = v**2 * math.sin(math.radians(2 * angle)) / 9.8
    stem = expand(
        f"a ball is ⟦kicked|thrown|launched⟧ at {v} m/s at {angle}° above the horizontal on level ground. "
        "⟦how far does it travel|what is its range|find the horizontal distance⟧ (ignore air resistance)",
        rng,
    )
    answer = (
        f"1. Split the velocity: v_x = {v}cos{angle}°, v_y = {v}sin{angle}°. 2. Time of flight t = 2v_y/g. "
        f"3. Range = v_x × t = v²sin(2θ)/g ≈ {reach:.1f} m with g = 9.8 m/s²."
    )
    extra = (
        (
            "where does the 9.8 come from?",
            "That's g, the acceleration due to gravity near Earth's surface, about 9.8 m/s². Some classes round it "
            "to 10 to keep the arithmetic simple, so check which value your teacher wants.",
        ),
        (
            "why is 45 degrees the best angle?",
            "Range depends on sin(2θ), which is largest when 2θ = 90°, so θ = 45°. Steeper throws stay up longer "
            "but move slower sideways; flatter ones are fast sideways but land sooner.",
        ),
    )
    return Problem(stem, answer, value=round(reach, 1), unit="m", follow_ups=extra)


def _p_kinematics(rng: random.Random) -> Problem:
    u, a, t = rng.randint(0, 15), rng.randint(1, 6), rng.randint(2, 12)
    s = u * t + a * t * t / 2
    start = "from rest" if u == 0 else f"from {u} m/s"
    stem = expand(
        f"a ⟦car|cyclist|train⟧ accelerates uniformly {start} at {a} m/s² for {t} s. how far does it go⟦ in that "
        "time|⟧?",
        rng,
    )
    answer = f"1. Use s = ut + ½at². 2. s = {u}×{t} + ½×{a}×{t}². 3. s = {_fmt(s)} m. Final speed is {u + a * t} m/s."
    return Problem(stem, answer, value=s, unit="m")


def _p_circuit(rng: random.Random) -> Problem:
    r1, r2, r3 = (rng.choice((2, 4, 6, 8, 10, 12, 20)) for _ in range(3))
    v = rng.choice((6, 9, 12, 24))
    parallel = r2 * r3 / (r2 + r3)
    current = v / (r1 + parallel)
    stem = expand(
        f"a {r1} Ω resistor is in series with a parallel pair of {r2} Ω and {r3} Ω, across a {v} V battery. "
        "⟦what current flows from the battery|find the total current|what's the current⟧?",
        rng,
    )
    answer = (
        f"1. Parallel pair: 1/R = 1/{r2} + 1/{r3}, so R = {parallel:.2f} Ω. 2. Total R = {r1} + {parallel:.2f} = "
        f"{r1 + parallel:.2f} Ω. 3. I = V/R = {v}/{r1 + parallel:.2f} ≈ {current:.2f} A."
    )
    return Problem(stem, answer, value=round(current, 2), unit="A")


def _p_friction(rng: random.Random) -> Problem:
    m, mu, target = rng.randint(2, 20), rng.choice((0.1, 0.15, 0.2, 0.25, 0.3, 0.4)), rng.uniform(0.5, 3)
    force = round(mu * m * 9.8 + m * target)
    accel = (force - mu * m * 9.8) / m
    stem = expand(
        f"a {m} kg box is pulled across a floor by a horizontal force of {force} N. the coefficient of kinetic "
        f"friction is {mu}. ⟦find the acceleration|what is its acceleration|how fast does it accelerate⟧",
        rng,
    )
    answer = (
        f"1. Friction = μmg = {mu} × {m} × 9.8 = {mu * m * 9.8:.1f} N. 2. Net force = {force} − {mu * m * 9.8:.1f} "
        f"= {force - mu * m * 9.8:.1f} N. 3. a = F_net/m ≈ {accel:.2f} m/s²."
    )
    extra = (
        (
            "why isn't the normal force just given?",
            "On a flat floor with a horizontal pull, the normal force balances the weight, so it equals mg. "
            "That's why we could compute friction from m and g directly.",
        ),
    )
    return Problem(stem, answer, value=round(accel, 2), unit="m/s²", follow_ups=extra)


def _p_energy(rng: random.Random) -> Problem:
    h = rng.randint(2, 60)
    v = math.sqrt(2 * 9.8 * h)
    stem = expand(
        f"⟦an object|a stone|a ball⟧ is dropped from {h} m. ⟦using energy conservation|with energy⟧, how fast is it "
        "going just before it hits the ground?",
        rng,
    )
    answer = f"1. mgh = ½mv², the mass cancels. 2. v = √(2gh) = √(2 × 9.8 × {h}). 3. v ≈ {v:.1f} m/s."
    extra = (
        (
            "wait why does the mass cancel",
            "Both the potential energy and the kinetic energy are proportional to m, so dividing both sides by m "
            "removes it. That's the energy version of heavy and light objects falling at the same rate.",
        ),
    )
    return Problem(stem, answer, value=round(v, 1), unit="m/s", follow_ups=extra)


def _p_collision(rng: random.Random) -> Problem:
    m1, v1, m2 = rng.randint(1, 5), rng.randint(2, 12), rng.randint(1, 8)
    v = m1 * v1 / (m1 + m2)
    stem = expand(
        f"a {m1} kg ⟦trolley|cart|puck⟧ moving at {v1} m/s hits a {m2} kg one at rest and they stick together. "
        "what's their speed after?",
        rng,
    )
    answer = (
        f"1. Momentum is conserved: {m1} × {v1} = ({m1} + {m2})v. 2. v = {m1 * v1}/{m1 + m2}. 3. v ≈ {v:.2f} m/s. "
        "Kinetic energy is not conserved in a sticky collision."
    )
    return Problem(stem, answer, value=round(v, 2), unit="m/s")


def _p_wave(rng: random.Random) -> Problem:
    f = rng.choice((128, 256, 300, 440, 512, 600, 880, 1000))
    lam = 343 / f
    stem = expand(f"⟦what is the wavelength of|find the wavelength for⟧ a {f} Hz sound in air (v = 343 m/s)", rng)
    answer = f"1. v = fλ. 2. λ = v/f = 343/{f}. 3. λ ≈ {lam:.3f} m."
    return Problem(stem, answer, value=round(lam, 3), unit="m")


_SOLUTES = (("NaCl", 58.44), ("KCl", 74.55), ("NaOH", 40.00), ("glucose", 180.16), ("CuSO4", 159.61))
_COMPOUNDS = (("CO2", 44.01), ("H2O", 18.02), ("CaCO3", 100.09), ("NH3", 17.03), ("C6H12O6", 180.16))


def _c_molarity(rng: random.Random) -> Problem:
    name, mass = rng.choice(_SOLUTES)
    volume, molar = rng.choice((100, 250, 500, 750, 1000)), rng.choice((0.1, 0.2, 0.25, 0.4, 0.5, 1.5))
    grams = molar * volume / 1000 * mass
    stem = expand(
        f"how many grams of {name} ⟦do you need|are needed⟧ to make {volume} mL of a {molar} M solution?", rng
    )
    answer = (
        f"1. Moles = M × V = {molar} × {volume / 1000:g} L = {molar * volume / 1000:g} mol. 2. Mass = moles × molar "
        f"mass ({mass} g/mol). 3. ≈ {grams:.2f} g."
    )
    extra = (
        (
            "why do we change mL to L?",
            "Molarity is moles per litre, so the volume has to be in litres for the units to cancel. "
            "Forgetting it makes the answer a thousand times too big.",
        ),
    )
    return Problem(stem, answer, value=round(grams, 2), unit="g", follow_ups=extra)


def _c_moles(rng: random.Random) -> Problem:
    name, mass = rng.choice(_COMPOUNDS)
    grams = rng.choice((5, 9, 11, 22, 36, 50, 88, 100, 250))
    moles = grams / mass
    stem = expand(f"⟦how many moles are in|convert to moles:⟧ {grams} g of {name}", rng)
    answer = f"1. Molar mass of {name} is {mass} g/mol. 2. n = m/M = {grams}/{mass}. 3. n ≈ {moles:.3f} mol."
    return Problem(stem, answer, value=round(moles, 3), unit="mol")


def _c_gas(rng: random.Random) -> Problem:
    n, celsius, p = rng.choice((0.5, 1.0, 1.5, 2.0, 3.0)), rng.choice((0, 20, 25, 37, 50, 80)), rng.choice((1, 2, 3))
    volume = n * 0.08206 * (celsius + 273.15) / p
    stem = expand(
        f"what volume does {n} mol of an ideal gas occupy at {celsius} °C and {p} atm⟦?| (R = 0.08206 L atm/mol K)⟧",
        rng,
    )
    answer = (
        f"1. PV = nRT, so V = nRT/P. 2. Convert to kelvin: T = {celsius + 273.15:.2f} K. "
        f"3. V = {n} × 0.08206 × {celsius + 273.15:.2f} / {p} ≈ {volume:.2f} L."
    )
    extra = (
        (
            "do i always have to use kelvin",
            "Yes, in gas laws. The equation needs a temperature scale that starts at absolute zero; in Celsius, "
            "0 °C would wrongly give zero volume.",
        ),
    )
    return Problem(stem, answer, value=round(volume, 2), unit="L", follow_ups=extra)


_EQUATIONS = (
    ("C3H8 + O2 -> CO2 + H2O", "C3H8 + 5O2 → 3CO2 + 4H2O"),
    ("Fe + O2 -> Fe2O3", "4Fe + 3O2 → 2Fe2O3"),
    ("Al + HCl -> AlCl3 + H2", "2Al + 6HCl → 2AlCl3 + 3H2"),
    ("CH4 + O2 -> CO2 + H2O", "CH4 + 2O2 → CO2 + 2H2O"),
    ("N2 + H2 -> NH3", "N2 + 3H2 → 2NH3"),
    ("KClO3 -> KCl + O2", "2KClO3 → 2KCl + 3O2"),
    ("C2H6 + O2 -> CO2 + H2O", "2C2H6 + 7O2 → 4CO2 + 6H2O"),
    ("Na + H2O -> NaOH + H2", "2Na + 2H2O → 2NaOH + H2"),
    ("Ca(OH)2 + HCl -> CaCl2 + H2O", "Ca(OH)2 + 2HCl → CaCl2 + 2H2O"),
)


def _c_balance(rng: random.Random) -> Problem:
    raw, balanced = rng.choice(_EQUATIONS)
    stem = expand(f"⟦balance this equation|how do i balance|can you balance⟧: {raw}", rng)
    answer = (
        "1. Balance the element that appears in only one compound on each side first. 2. Leave hydrogen and oxygen "
        f"for last and fix them with coefficients, never subscripts. 3. Balanced: {balanced}. Count each atom to check."
    )
    extra = (
        (
            "why can't i just change the little numbers",
            "The subscripts define which substance it is: H2O2 is hydrogen peroxide, not water. Coefficients only "
            "change how many molecules you have, which is what balancing is about.",
        ),
    )
    return Problem(stem, answer, follow_ups=extra)


def _c_ph(rng: random.Random) -> Problem:
    m, k = rng.choice((1, 2, 2.5, 4, 5)), rng.randint(1, 4)
    conc = m * 10 ** (-k)
    ph = -math.log10(conc)
    acid = rng.choice(("HCl", "HNO3"))
    stem = expand(f"⟦what is the pH of|find the pH of|pH of⟧ a {conc:g} M {acid} solution?", rng)
    answer = f"1. {acid} is a strong acid, so [H⁺] = {conc:g} M. 2. pH = −log[H⁺]. 3. pH ≈ {ph:.2f}."
    return Problem(stem, answer, value=round(ph, 2), unit="")


def _c_dilution(rng: random.Random) -> Problem:
    m1, m2, v2 = rng.choice((2.0, 6.0, 12.0, 1.0)), rng.choice((0.1, 0.25, 0.5)), rng.choice((100, 250, 500, 1000))
    v1 = m2 * v2 / m1
    stem = expand(f"how much {m1:g} M stock do I need to make {v2} mL of {m2} M⟦ solution|⟧?", rng)
    answer = f"1. Moles are the same before and after: M1V1 = M2V2. 2. V1 = {m2} × {v2} / {m1:g}. 3. V1 ≈ {v1:.1f} mL."
    return Problem(stem, answer, value=round(v1, 1), unit="mL")


def _e_equilibrium(rng: random.Random) -> Problem:
    b, d, price = rng.randint(1, 5), rng.randint(1, 5), rng.randint(5, 40)
    c = rng.randint(-20, 10)
    quantity = c + d * price
    if quantity <= 0:
        c, quantity = c - quantity + 10, 10
    a = quantity + b * price
    supply = f"{d}P" + (f" + {c}" if c > 0 else f" - {-c}" if c < 0 else "")
    stem = expand(
        f"⟦demand is|if demand is⟧ Qd = {a} - {b}P and supply is Qs = {supply}. "
        "find the equilibrium price and quantity",
        rng,
    )
    answer = (
        f"1. At equilibrium Qd = Qs: {a} − {b}P = {supply}. 2. Collect P terms: {b + d}P = {a - c}, so "
        f"P = {price}. 3. Substitute back: Q = {quantity}."
    )
    extra = (
        (
            "what happens if the government sets a price below that?",
            "Then quantity demanded rises and quantity supplied falls, so you get a shortage equal to the gap "
            "between the two at that price.",
        ),
    )
    return Problem(stem, answer, value=float(price), follow_ups=extra)


def _e_elasticity(rng: random.Random) -> Problem:
    p1, q1 = rng.randint(4, 20), rng.randint(100, 900)
    p2, q2 = p1 + rng.randint(1, 5), q1 - rng.randint(20, 90)
    e = ((q2 - q1) / ((q1 + q2) / 2)) / ((p2 - p1) / ((p1 + p2) / 2))
    stem = expand(
        f"price goes from ${p1} to ${p2} and quantity demanded falls from {q1} to {q2}. "
        "⟦what's the price elasticity of demand (midpoint method)|calculate the elasticity using the midpoint formula⟧",
        rng,
    )
    kind = "elastic" if abs(e) > 1 else "inelastic"
    answer = (
        f"1. %ΔQ = {q2 - q1}/{(q1 + q2) / 2:g}. 2. %ΔP = {p2 - p1}/{(p1 + p2) / 2:g}. 3. Elasticity ≈ {e:.2f}, "
        f"so demand is {kind} over this range."
    )
    return Problem(stem, answer, value=round(e, 2))


def _e_present_value(rng: random.Random) -> Problem:
    amount, years, rate = rng.choice((1000, 5000, 10000, 2500)), rng.randint(2, 15), rng.choice((3, 4, 5, 6, 8))
    pv = amount / (1 + rate / 100) ** years
    stem = expand(
        f"what is the present value of ${amount} received in {years} years if the discount rate is {rate}%?", rng
    )
    answer = f"1. PV = FV/(1 + r)^n. 2. PV = {amount}/(1.{rate:02d})^{years}. 3. PV ≈ ${pv:.2f}."
    return Problem(stem, answer, value=round(pv, 2), unit="$")


def _e_advantage(rng: random.Random) -> Problem:
    a1, a2, b1, b2 = rng.randint(2, 12), rng.randint(2, 12), rng.randint(2, 12), rng.randint(2, 12)
    while a1 * b2 == a2 * b1:
        b2 = rng.randint(2, 12)
    goods = rng.choice((("cloth", "wheat"), ("cars", "computers"), ("wine", "cheese")))
    stem = expand(
        f"in one hour a worker in country A can make {a1} {goods[0]} or {a2} {goods[1]}; in country B, {b1} "
        f"{goods[0]} or {b2} {goods[1]}. who has the comparative advantage in {goods[0]}?",
        rng,
    )
    cost_a, cost_b = Fraction(a2, a1), Fraction(b2, b1)
    who = "A" if cost_a < cost_b else "B"
    answer = (
        f"1. Opportunity cost of one unit of {goods[0]}: A gives up {cost_a} {goods[1]}, B gives up {cost_b}. "
        f"2. The lower opportunity cost wins. 3. So country {who} has the comparative advantage in {goods[0]}."
    )
    return Problem(stem, answer)


def _e_real_gdp(rng: random.Random) -> Problem:
    nominal, deflator = rng.randint(200, 3000), rng.choice((104, 108, 110, 115, 120, 125))
    real = nominal / (deflator / 100)
    stem = expand(
        f"nominal GDP is ${nominal} billion and the GDP deflator is {deflator}. ⟦find real GDP|what is real GDP⟧", rng
    )
    answer = f"1. Real GDP = nominal / (deflator/100). 2. = {nominal}/{deflator / 100:g}. 3. ≈ ${real:.1f} billion."
    return Problem(stem, answer, value=round(real, 1), unit="$bn")


_CONCEPTS = {
    "maths": (
        (
            "why is anything to the power 0 equal to 1?",
            "Dividing x^n by x gives x^(n−1): each step down divides by x. Going from x^1 down one more step is "
            "x/x = 1, so x^0 = 1 keeps the pattern (for x ≠ 0).",
        ),
        (
            "whats the difference between permutations and combinations and how do i know which to use",
            "Ask whether order matters. If swapping two chosen items gives a different outcome (a PIN, a podium), "
            "count permutations; if not (a team, a hand of cards), count combinations.",
        ),
        (
            "why can't you divide by zero?",
            "Division asks what times the divisor gives the number. For 5 ÷ 0 no number works, and for 0 ÷ 0 every "
            "number works, so there is no single answer to define.",
        ),
        (
            "how do i know when to use the product rule vs the chain rule",
            "Product rule: two functions multiplied, like x²·sin x. Chain rule: one function inside another, like "
            "sin(x²). Some problems need both, one after the other.",
        ),
        (
            "is 0.999... actually equal to 1 or is that a trick",
            "It is exactly 1. There's no number between them, and 1/3 = 0.333... times 3 gives 0.999... = 1.",
        ),
        (
            "what does it mean for a function to be continuous but not differentiable",
            "You can draw it without lifting the pen, but somewhere it has a sharp corner, like |x| at 0, so there "
            "isn't a single tangent slope there.",
        ),
    ),
    "physics": (
        (
            "why doesn't a heavier object fall faster if gravity pulls it harder",
            "It is pulled harder, but it also needs more force to accelerate: a = F/m = mg/m = g. The two effects "
            "cancel exactly, so without air resistance everything falls at the same rate.",
        ),
        (
            "what's the actual difference between speed and velocity",
            "Speed is how fast; velocity is how fast and in which direction. Running a lap at a steady pace keeps "
            "your speed constant but your velocity changes all the time.",
        ),
        (
            "why is the normal force not always equal to mg?",
            "It is whatever the surface must push to stop you sinking in. On a slope, or when something else pushes "
            "down or pulls up on you, that differs from mg.",
        ),
        (
            "what actually is voltage",
            "Voltage is energy per unit charge: how much energy each coulomb gains or loses between two points. "
            "Think of it as the push; current is how much charge flows per second.",
        ),
        (
            "why are astronauts weightless if gravity is still there in orbit",
            "Gravity is still about 90% as strong up there. They feel weightless because they and the station fall "
            "together around the Earth, so nothing pushes back on them.",
        ),
    ),
    "chemistry": (
        (
            "why does ice float",
            "When water freezes, hydrogen bonds lock the molecules into an open lattice that takes more space than "
            "liquid water, so ice is less dense and floats.",
        ),
        (
            "difference between ionic and covalent bonds?",
            "Ionic: electrons are transferred, giving ions that attract (often a metal and a non-metal). Covalent: "
            "electrons are shared between non-metals.",
        ),
        (
            "what is a limiting reagent and how do i find it",
            "It's the reactant that runs out first. Convert each to moles, divide by its coefficient in the balanced "
            "equation, and the smallest result is limiting.",
        ),
        (
            "what does a mole actually mean",
            "A mole is a counting unit, like a dozen but 6.022×10²³. It's chosen so that one mole of a substance "
            "weighs its formula mass in grams.",
        ),
        (
            "why don't noble gases react",
            "Their outer electron shells are already full, so gaining, losing or sharing electrons would cost "
            "energy rather than release it.",
        ),
    ),
    "economics": (
        (
            "why does a price ceiling cause a shortage",
            "If the ceiling sits below the equilibrium price, buyers want more at that low price while sellers "
            "offer less, so quantity demanded exceeds quantity supplied.",
        ),
        (
            "what's the difference between marginal cost and average cost",
            "Average cost is total cost divided by units made. Marginal cost is what one more unit adds. When "
            "marginal is below average it pulls the average down, and the reverse.",
        ),
        (
            "if supply and demand both increase what happens to price?",
            "Quantity definitely rises, but price is ambiguous: it depends on which curve shifts more. You need the "
            "sizes of the shifts to say.",
        ),
        (
            "nominal vs real gdp, whats the difference",
            "Nominal GDP uses current prices, so it rises with inflation. Real GDP uses constant base-year prices, "
            "so it only moves when actual output changes.",
        ),
        (
            "why does the demand curve slope down",
            "As price falls, the good becomes cheaper relative to others (substitution) and your money goes further "
            "(income effect), so people buy more.",
        ),
    ),
}

_TUTOR_MC = {
    "physics": (
        (
            "Which of these is a vector quantity?\n(A) mass\n(B) temperature\n(C) displacement\n(D) energy",
            "(C). Displacement has a size and a direction; mass, temperature and energy only have a size.",
        ),
        (
            "An object moves in a circle at constant speed. Which is true?\n(A) its velocity is constant\n"
            "(B) its acceleration is zero\n(C) its acceleration points toward the centre\n(D) no net force acts on it",
            "(C). The direction keeps changing, so velocity changes and there is a centripetal acceleration "
            "toward the centre; A, B and D all contradict that.",
        ),
    ),
    "economics": (
        (
            "A price floor set above the equilibrium price will most likely cause:\n(A) a shortage\n(B) a surplus\n"
            "(C) no change in quantity traded\n(D) an increase in demand",
            "(B). At the higher price, sellers offer more and buyers want less, so there is excess supply.",
        ),
        (
            "Which would shift the demand curve for coffee to the right?\n(A) a fall in the price of coffee\n"
            "(B) a rise in the price of tea\n(C) a rise in the cost of coffee beans\n(D) a new tax on coffee sellers",
            "(B). Tea is a substitute, so dearer tea raises demand for coffee. A is a movement along the curve; "
            "C and D shift supply.",
        ),
        (
            "Nominal GDP rose 6% while prices rose 4%. Real GDP grew by roughly:\n(A) 10%\n(B) 6%\n(C) 4%\n(D) 2%",
            "(D). Real growth is about nominal growth minus inflation: 6% − 4% ≈ 2%.",
        ),
    ),
    "chemistry": (
        (
            "Which solution has the lowest pH?\n(A) 0.1 M NaOH\n(B) 0.1 M HCl\n(C) 0.1 M NaCl\n(D) pure water",
            "(B). HCl is a strong acid, giving pH 1. NaCl and water are neutral; NaOH is basic.",
        ),
        (
            "How many significant figures are in 0.004050?\n(A) 2\n(B) 3\n(C) 4\n(D) 7",
            "(C). Leading zeros don't count; 4, 0, 5 and the trailing 0 after the decimal point do.",
        ),
        (
            "Which element has the highest electronegativity?\n(A) oxygen\n(B) fluorine\n(C) chlorine\n(D) nitrogen",
            "(B). Electronegativity rises across a period and up a group, so fluorine tops the table.",
        ),
    ),
    "maths": (
        (
            "If f(x) = x^3, what is f'(x)?\n(A) x^2\n(B) 3x^2\n(C) 3x^3\n(D) x^4/4",
            "(B). Power rule: bring down the 3 and reduce the power by one. D is the integral, not the derivative.",
        ),
        (
            "The probability of at least one head in three fair coin tosses is:\n(A) 1/8\n(B) 3/8\n(C) 1/2\n(D) 7/8",
            "(D). The only way to get no heads is TTT, with probability 1/8, so at least one head is 1 − 1/8 = 7/8.",
        ),
    ),
}

_TUTOR_MAKERS: dict[str, tuple[Callable[[random.Random], Problem], ...]] = {
    "maths": (
        _m_quadratic,
        _m_system,
        _m_derivative,
        _m_chain,
        _m_integral,
        _m_probability,
        _m_percent,
        _m_exponent,
        _m_ladder,
        _m_series,
    ),
    "physics": (_p_projectile, _p_kinematics, _p_circuit, _p_friction, _p_energy, _p_collision, _p_wave),
    "chemistry": (_c_molarity, _c_moles, _c_gas, _c_balance, _c_ph, _c_dilution),
    "economics": (_e_equilibrium, _e_elasticity, _e_present_value, _e_advantage, _e_real_gdp),
}

_TUTOR_FOLLOW_UPS = (
    (
        "I don't get step 3",
        "No problem. Step 3 just uses the result of step 2: we substitute the number we found and simplify. "
        "Nothing new happens there, it's the arithmetic finishing off what step 2 set up.",
    ),
    (
        "wait why did you divide there?",
        "We divided both sides by the same number to get the unknown on its own. Doing the same thing to both "
        "sides keeps the equation balanced, so it's still true.",
    ),
    (
        "can you explain it more simply? im lost",
        "Sure. Forget the symbols for a second: we know two things, and we want the third. Each step swaps one "
        "fact for an easier one until only the answer is left.",
    ),
    (
        "is there a faster way to do this on a test?",
        "Once you're comfortable, you can skip writing step 1 and go straight to the formula. Keep the units in "
        "though; they catch most mistakes.",
    ),
    (
        "my answer key says something different, can you double check?",
        "Happy to. I've rechecked each step and get the same result. Answer keys sometimes round differently or use "
        "a different value for a constant; what does yours say?",
    ),
    (
        "ok thanks! that makes sense now",
        "Great! If you want to practise, try the same problem with the numbers changed and see if you get a sensible "
        "answer.",
    ),
    (
        "thanks!! can you give me a similar one to practise",
        "Of course: take the same setup and double the first number. Work it through the same steps and send me "
        "your answer; I'll check it.",
    ),
    (
        "why is it that formula and not the other one we learned",
        "The other one assumes a condition this problem doesn't meet. Here we have the values this one needs, so "
        "it's the direct route.",
    ),
    (
        "so for part b they change the numbers, do i just do the same steps?",
        "Yes, same method: redo step 1 with the new values and carry on. If part b asks for a different quantity, "
        "stop at the step where that quantity appears.",
    ),
    (
        "why is the answer negative?",
        "A negative sign here just tells you the direction or that the value lies on the other side of zero. "
        "Check it against the question: if a negative makes no sense physically, look for a sign slip.",
    ),
    (
        "hmm I got a slightly different number, I rounded in the middle. does that matter?",
        "A little. Rounding early lets small errors build up. Keep full precision until the last step and round "
        "only the final answer.",
    ),
)

_CONCEPT_FOLLOW_UPS = (
    (
        "can you give me an example?",
        "Sure. The easiest way to see it is with small numbers: try the idea on a case you can check by hand and "
        "watch it hold. The general statement is just that pattern written with letters.",
    ),
    (
        "do you think that'll be on the test",
        "I can't see your syllabus, but a lot of the topic rests on this idea, so questions often use it even when "
        "they don't ask it directly. Being able to explain it in one sentence is a good check.",
    ),
    (
        "ok but why though",
        "Fair question. The short version is that it's the only choice that keeps everything else consistent: any "
        "other rule would break results you already trust.",
    ),
)
_MC_FOLLOW_UPS = (
    (
        "why not (A) though?",
        "(A) is tempting because it sounds familiar, but it doesn't match what the question describes. Check it "
        "against the definition and you'll see where it breaks.",
    ),
    (
        "how do i rule out the wrong ones quickly in an exam",
        "Cross out anything that contradicts a definition first, then anything that's true but doesn't answer the "
        "question asked. Usually that leaves one or two, and a quick check decides.",
    ),
)

_TUTOR_PREFIXES = (
    "hey ",
    "ok next one: ",
    "can you help with this? ",
    "pls help ",
    "homework question: ",
    "stuck on this one - ",
    "how do I do this: ",
    "my teacher gave us this: ",
    "another one sorry! ",
    "hi, ",
    "",
)
_TUTOR_SUFFIXES = (
    " thanks!",
    " thx",
    " ty",
    " (we need to show working)",
    " please explain step by step",
    " I got a different answer",
    " test tomorrow",
    "",
)


def _tutor_item(
    rng: random.Random,
    person: Person,
    subject: str,
    makers: Sequence[Callable[[random.Random], Problem]],
    number: int | None,
) -> Item:
    roll = rng.random()
    if roll < 0.12:
        stem, answer = rng.choice(_CONCEPTS[subject])
        problem = Problem(stem, answer, follow_ups=_CONCEPT_FOLLOW_UPS)
    elif roll < 0.2 and subject in _TUTOR_MC:
        stem, answer = rng.choice(_TUTOR_MC[subject])
        problem = Problem(stem, "The answer is " + answer, follow_ups=_MC_FOLLOW_UPS)
    else:
        problem = rng.choice(makers)(rng)
    text = _typed(rng, person, capitalised(problem.stem) if not person.lower else problem.stem)
    answer = problem.answer
    if problem.value is not None and rng.random() < 0.15:  # pasted with the options from the worksheet
        options, right = _options(rng, problem.value, problem.unit)
        text += "\n" + "\n".join(f"({letter}) {option}" for letter, option in zip("ABCD", options))
        answer = f"The answer is ({'ABCD'[right]}). " + answer
    if number is not None:
        text = f"{number}) {text}"
    elif rng.random() < person.chatty + 0.1:
        text = _typed(rng, person, rng.choice(_TUTOR_PREFIXES)) + text
    if rng.random() < person.chatty:
        text += _typed(rng, person, rng.choice(_TUTOR_SUFFIXES))
    return Item(text, answer, problem.follow_ups)


def _tutor_next(
    rng: random.Random,
    person: Person,
    subject: str,
    makers: Sequence[Callable[[random.Random], Problem]],
    first: int | None,
    index: int,
) -> Item:
    return _tutor_item(rng, person, subject, makers, None if first is None else first + index)


def _tutor_users(rng: random.Random, count: int) -> list[dict[str, Any]]:
    campuses = [network.residential_ip(rng) for _ in range(5)]
    apis = {"chat": 0.5, "anthropic": 0.3, "responses": 0.2}
    out: list[dict[str, Any]] = []
    for _ in range(count):
        person = _person(rng, casual=1.0)
        mobile = rng.random() < 0.5
        ua = _mobile_app(rng, "StudyLoop", 4) if mobile else _desktop_browser(rng)
        client = _client(rng, apis, ua, _home_ips(rng, campuses, 0.35, mobile), not mobile, person.tz)
        subjects = rng.sample(("maths", "physics", "chemistry", "economics"), rng.choice((1, 2, 2, 3)))
        if "maths" not in subjects and rng.random() < 0.5:
            subjects[0] = "maths"
        n = rng.randint(20, 60)
        think = rng.lognormvariate(math.log(75), 0.45)
        sessions = _sessions(rng, n, 7, person.tz, _STUDENT, think, 6)
        numbers = rng.random() < 0.3  # numbers the worksheet questions it pastes
        sent: list[tuple[float, tuple[dict[str, str], ...]]] = []
        for times in sessions:  # one subject and a topic or two per homework session
            subject = rng.choice(subjects)
            makers = rng.sample(_TUTOR_MAKERS[subject], min(2, len(_TUTOR_MAKERS[subject])))
            first = rng.randint(1, 6)

            new_item = partial(_tutor_next, rng, person, subject, makers, first if numbers else None)
            sent += _conversation(rng, person, [times], new_item, _TUTOR_FOLLOW_UPS, 0.25, 3, p_retry=0.02)
        out += _records(rng, client, TUTOR_SYSTEM, sent)
    return out


# --------------------------------------------------------------------------------------------------
# 3. The exam-prep app
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    """One item from the app's bank: options in display order (none for short answer) and the reason."""

    stem: str
    options: tuple[str, ...]
    correct: int
    why: str
    attempts: tuple[str, ...] = ()  # what learners write for a short-answer item


def _mc(stem: str, right: str, wrong: Sequence[str], why: str) -> Practice:
    """An item whose options the app shows in a fixed order (shuffled once, the same for everybody)."""
    options = [right, *wrong]
    random.Random(stem).shuffle(options)
    return Practice(stem, tuple(options), options.index(right), why)


def _short(stem: str, why: str, *attempts: str) -> Practice:
    return Practice(stem, (), -1, why, attempts)


_DRIVING = (
    _mc(
        "You are driving on a wet road. How should the gap to the vehicle in front change compared with dry roads?",
        "It should be at least doubled",
        ("It can stay the same with good tyres", "It should be shorter so others can't cut in", "Only at night"),
        "Stopping distances can double in the wet, so the two-second gap becomes at least four seconds.",
    ),
    _mc(
        "You see a pedestrian with a white stick that has a red band. What does this mean?",
        "They are deaf and blind",
        ("They are elderly", "They are a learner guide", "They have a broken leg"),
        "A plain white stick means visually impaired; a red band means they also have a hearing impairment.",
    ),
    _mc(
        "What is the minimum legal tread depth for car tyres in the UK?",
        "1.6 mm across the central three-quarters",
        ("1 mm across the whole tyre", "2.5 mm on the outer edge", "4 mm across the centre"),
        "The legal minimum is 1.6 mm over the central three-quarters of the tread, all the way round.",
    ),
    _mc(
        "A pedestrian is waiting at the kerb of a zebra crossing. What should you do?",
        "Be ready to slow down and stop to let them cross",
        ("Sound the horn to warn them", "Flash your headlights to wave them across", "Keep going, they must wait"),
        "Pedestrians waiting at a zebra crossing should be given the chance to cross; signalling them is unsafe.",
    ),
    _mc(
        "Which of these is most likely to affect your concentration while driving?",
        "Holding a call on a hands-free phone",
        ("Checking your mirrors", "Keeping a steady speed", "Having a window slightly open"),
        "Even hands-free conversations take attention away from the road.",
    ),
    _mc(
        "Your car breaks down on a level crossing. What should you do first?",
        "Get everyone out of the car and clear of the crossing",
        ("Try to restart the engine", "Phone the breakdown service from the car", "Push the car off the tracks"),
        "People come first: get clear, then use the railway telephone to warn the signal operator.",
    ),
    _mc(
        "What is the national speed limit for cars on a single carriageway road?",
        "60 mph",
        ("50 mph", "70 mph", "40 mph"),
        "Cars: 60 mph on single carriageways, 70 mph on dual carriageways and motorways.",
    ),
    _mc(
        "When may you use hazard warning lights while moving?",
        "On a motorway or dual carriageway, briefly, to warn drivers behind of a hazard ahead",
        ("When parking on double yellow lines", "When towing another car", "Whenever you are driving slowly"),
        "Moving with hazards on is only allowed briefly on motorways or unrestricted dual carriageways.",
    ),
    _mc(
        "What is the most common cause of skidding?",
        "Driver error, such as harsh braking or steering",
        ("Worn brake pads", "Other road users", "Pedestrians stepping out"),
        "Most skids start with the driver asking too much of the tyres' grip.",
    ),
    _mc(
        "At a four-way stop, you and another car arrive at the same time. Who should go first?",
        "The car on the right",
        ("The car on the left", "The larger vehicle", "Whoever is going straight"),
        "When two drivers arrive together at an all-way stop, the driver on the left yields to the one on the right.",
    ),
    _mc(
        "A flashing yellow arrow for a left turn means:",
        "You may turn left after yielding to oncoming traffic and pedestrians",
        ("You must stop and wait", "You have a protected turn", "The signal is out of order"),
        "Flashing yellow arrow: a permitted but unprotected turn.",
    ),
    _short(
        "What does the two-second rule mean?",
        "Leave at least two seconds between you and the vehicle ahead, counted from when it passes a fixed point, and "
        "double it in the wet.",
        "you count two seconds after the car in front passes something before you pass it",
        "wait 2 seconds at a stop sign before going",
        "keep a gap of 2 car lengths",
    ),
)

_NURSING = (
    _mc(
        "A client with type 1 diabetes is sweaty, shaky and confused. Blood glucose is 52 mg/dL. What should the "
        "nurse do first?",
        "Give 15 g of fast-acting carbohydrate if the client can swallow safely",
        ("Give the scheduled insulin dose", "Recheck the glucose in one hour", "Encourage a high-protein snack"),
        "Treat the hypoglycaemia immediately with fast sugar, then recheck in 15 minutes.",
    ),
    _mc(
        "Which client should the nurse see first?",
        "A client two days after surgery with sudden shortness of breath and chest pain",
        (
            "A client with COPD whose SpO2 is 89% at rest",
            "A client with a temperature of 38.1 °C",
            "A client asking for pain medication for pain rated 4/10",
        ),
        "Sudden dyspnoea and chest pain after surgery suggests pulmonary embolism, an acute change.",
    ),
    _mc(
        "Before giving digoxin to an adult, the nurse checks the apical pulse. The dose is usually held if the "
        "pulse is below:",
        "60 beats per minute",
        ("80 beats per minute", "100 beats per minute", "40 beats per minute"),
        "Digoxin slows the heart; hold it and report if the adult apical pulse is under 60.",
    ),
    _mc(
        "Which finding would the nurse expect in a client with hypokalaemia?",
        "Muscle weakness and flattened T waves",
        ("Peaked T waves", "Hyperactive reflexes and tetany", "Bradycardia with a wide QRS"),
        "Low potassium weakens muscles and flattens T waves; peaked T waves point to hyperkalaemia.",
    ),
    _mc(
        "After caring for a client on contact precautions for C. difficile, which hand hygiene is best?",
        "Washing with soap and water",
        ("Alcohol-based hand rub", "Gloves alone are enough", "Antiseptic wipes"),
        "Alcohol doesn't kill C. difficile spores; the friction of soap and water removes them.",
    ),
    _mc(
        "A conscious client is in respiratory distress. Which position helps most?",
        "High Fowler's",
        ("Supine", "Trendelenburg", "Prone"),
        "Sitting upright lets the diaphragm move down and the lungs expand.",
    ),
    _mc(
        "Which lab value is used to monitor a continuous heparin infusion?",
        "aPTT",
        ("INR", "Platelet count only", "Serum potassium"),
        "Unfractionated heparin is titrated to the aPTT; INR monitors warfarin.",
    ),
    _mc(
        "Which is an early sign of hypoxia in an adult?",
        "Restlessness and anxiety",
        ("Cyanosis of the lips", "Bradycardia", "Clubbing of the fingers"),
        "Restlessness comes early; cyanosis and bradycardia are late signs.",
    ),
    _mc(
        "Which statement by a client taking warfarin shows a need for more teaching?",
        '"I\'ll take aspirin when I get a headache."',
        (
            '"I\'ll use a soft toothbrush."',
            '"I\'ll keep my intake of leafy greens about the same."',
            '"I\'ll report any black stools."',
        ),
        "Aspirin adds to the bleeding risk; the other statements are correct.",
    ),
    _mc(
        "Which task may the nurse delegate to an unlicensed assistive person?",
        "Measuring vital signs on a stable client",
        (
            "Assessing a new admission",
            "Teaching a client about insulin",
            "Evaluating a client's response to pain relief",
        ),
        "Assessment, teaching and evaluation stay with the nurse; routine tasks on stable clients can be delegated.",
    ),
    _short(
        "List three signs of hypoglycaemia.",
        "Any three of: sweating, shakiness, confusion, palpitations, hunger, pallor, irritability.",
        "sweating, shaking, confusion",
        "thirst, frequent urination, blurred vision",
        "shaky and sweaty i think, maybe headache",
    ),
)

_LAW = (
    _mc(
        "On March 1 a seller mails an offer. On March 3 the buyer mails an acceptance. On March 4, before the "
        "acceptance arrives, the seller phones to revoke. Is there a contract?",
        "Yes, because the acceptance took effect when it was mailed",
        (
            "No, because the revocation came before the acceptance arrived",
            "No, because offers by mail can't be accepted by mail",
            "Yes, but only if the buyer relied on it",
        ),
        "Under the mailbox rule, an acceptance is effective on dispatch; a revocation only on receipt.",
    ),
    _mc(
        "An uncle promises his adult niece $5,000 if she stops smoking for a year. She does, and he refuses to pay. "
        "Is the promise enforceable?",
        "Yes, because giving up a legal right is consideration",
        ("No, because it was a gift", "No, because it benefits only the niece", "Yes, but only if it was in writing"),
        "Forbearance from something you are legally entitled to do counts as consideration.",
    ),
    _mc(
        'At a trial over a car crash, a witness says that a bystander shouted "That red car just ran the light!" as '
        "it happened. The testimony is most likely:",
        "Admissible as a present sense impression or excited utterance",
        ("Inadmissible hearsay", "Admissible only if the bystander testifies", "Inadmissible as opinion"),
        "A statement describing an event made as it happens falls within a hearsay exception.",
    ),
    _mc(
        "A shop leaves a mop bucket in an aisle. A customer trips on it but is not hurt at all. Her negligence claim "
        "fails mainly because:",
        "There are no damages",
        ("The shop owed her no duty", "There was no breach", "She assumed the risk"),
        "Negligence needs actual harm; duty, breach and causation alone are not enough.",
    ),
    _mc(
        "Which is NOT normally required for adverse possession?",
        "The true owner's permission",
        ("Open and notorious use", "Continuous use for the statutory period", "Exclusive possession"),
        "Possession must be hostile, meaning without permission; permission defeats the claim.",
    ),
    _mc(
        "Police lawfully stop a car for speeding and see a bag of cocaine on the passenger seat. Seizing it is:",
        "Valid under the plain view doctrine",
        ("Invalid without a warrant", "Valid only with the driver's consent", "Invalid because speeding is minor"),
        "An officer lawfully in position may seize contraband whose nature is immediately apparent.",
    ),
    _mc(
        "Which contract generally must be in writing to be enforceable?",
        "A contract for the sale of land",
        ("A contract to paint a house next week", "A six-month employment contract", "A sale of goods for $200"),
        "Land contracts fall within the statute of frauds.",
    ),
    _mc(
        "A surgeon who has consent to operate on the left knee operates on the right knee instead. The best claim is:",
        "Battery",
        ("Assault", "False imprisonment", "Intentional infliction of emotional distress"),
        "Touching beyond the scope of consent is a harmful or offensive contact: battery.",
    ),
    _short(
        "What is the difference between murder and voluntary manslaughter?",
        "Both are intentional killings; voluntary manslaughter is one committed in the heat of passion after adequate "
        "provocation, without time to cool off.",
        "manslaughter is when you didn't mean to kill",
        "voluntary manslaughter = intentional killing but provoked, heat of passion, no cooling off time",
        "murder needs premeditation, manslaughter doesnt",
    ),
    _short(
        "State the elements of a valid offer.",
        "An expression of present intent to contract, definite and certain terms, and communication to the offeree.",
        "intent, definite terms, communicated to offeree",
        "offer acceptance consideration",
    ),
)

_SCIENCE = (
    _mc(
        "Where in a plant cell does photosynthesis take place?",
        "Chloroplasts",
        ("Mitochondria", "Ribosomes", "Nucleus"),
        "Chloroplasts hold chlorophyll and run photosynthesis; mitochondria handle respiration.",
    ),
    _mc(
        "What type of bond holds sodium and chloride together in table salt?",
        "Ionic",
        ("Covalent", "Metallic", "Hydrogen"),
        "Sodium gives up an electron to chlorine; the opposite ions attract.",
    ),
    _mc(
        "A car travels at a constant velocity. What is the net force on it?",
        "Zero",
        ("Equal to its weight", "In the direction of motion", "Opposite to its motion"),
        "No acceleration means balanced forces (Newton's first law).",
    ),
    _mc(
        "In the food chain grass → rabbit → fox, the fox is a:",
        "Secondary consumer",
        ("Producer", "Primary consumer", "Decomposer"),
        "It eats a primary consumer, the rabbit.",
    ),
    _mc(
        "Which of these is a chemical change?",
        "Iron rusting",
        ("Ice melting", "Salt dissolving in water", "Glass breaking"),
        "Rusting makes a new substance, iron oxide; the others are physical changes.",
    ),
    _mc(
        "Which layer of the Earth is liquid?",
        "The outer core",
        ("The inner core", "The crust", "The lower mantle"),
        "The outer core is molten iron and nickel; the inner core is solid under pressure.",
    ),
    _mc(
        "Sound travels fastest through:",
        "Steel",
        ("Air", "Water", "A vacuum"),
        "Particles closer together and more rigidly bonded pass vibrations on faster; sound can't cross a vacuum.",
    ),
    _mc(
        "Mitosis produces:",
        "Two genetically identical diploid cells",
        ("Four haploid cells", "Two haploid gametes", "Four identical diploid cells"),
        "Mitosis is for growth and repair; meiosis gives four haploid cells.",
    ),
    _mc(
        "Why does the Moon show phases?",
        "We see different amounts of its sunlit half as it orbits us",
        ("The Earth's shadow covers it", "Clouds block part of it", "It changes shape"),
        "Half the Moon is always lit; the phase is how much of that half faces us. Earth's shadow is an eclipse.",
    ),
    _mc(
        "Two parents are both heterozygous (Aa) for a recessive trait. What fraction of their children would be "
        "expected to show the trait?",
        "1/4",
        ("1/2", "3/4", "0"),
        "A Punnett square gives AA, Aa, Aa, aa; only aa shows a recessive trait.",
    ),
    _short(
        "Explain why ice floats on water.",
        "Ice is less dense than liquid water because hydrogen bonding holds the molecules in an open lattice.",
        "because ice is lighter",
        "ice is less dense since the molecules spread out when it freezes (hydrogen bonds)",
        "air bubbles trapped inside",
    ),
    _short(
        "What is the difference between mass and weight?",
        "Mass is the amount of matter (kg) and doesn't change; weight is the gravitational force on it (N), W = mg.",
        "mass is kg and weight is newtons, weight depends on gravity",
        "they're the same thing",
    ),
)

_INTERVIEW = (
    _mc(
        "What is the time complexity of binary search on a sorted array of n elements?",
        "O(log n)",
        ("O(n)", "O(n log n)", "O(1)"),
        "Each step halves the search space.",
    ),
    _mc(
        "Which data structure gives O(1) average-time lookup by key?",
        "Hash table",
        ("Sorted array", "Linked list", "Binary heap"),
        "Hashing maps the key straight to a bucket; a sorted array needs O(log n).",
    ),
    _mc(
        "What does this print in Python?\n\nx = [1, 2, 3]\ny = x\ny.append(4)\nprint(len(x))",
        "4",
        ("3", "An error", "None"),
        "y and x name the same list, so appending through y changes x.",
    ),
    _mc(
        "Which traversal of a binary search tree visits the keys in sorted order?",
        "In-order",
        ("Pre-order", "Post-order", "Level-order"),
        "Left subtree, node, right subtree matches the BST ordering.",
    ),
    _mc(
        "What is a standard way to build an LRU cache with O(1) get and put?",
        "A hash map plus a doubly linked list",
        ("A min-heap", "A sorted array", "A single queue"),
        "The map finds the node; the list moves it to the front and evicts from the back in constant time.",
    ),
    _mc(
        "What is the worst-case time complexity of quicksort?",
        "O(n²)",
        ("O(n log n)", "O(n)", "O(log n)"),
        "Bad pivots (e.g. already sorted input with a first-element pivot) give n levels of partitioning.",
    ),
    _mc(
        "Which SQL clause filters groups after aggregation?",
        "HAVING",
        ("WHERE", "ORDER BY", "GROUP BY"),
        "WHERE filters rows before grouping; HAVING filters the grouped results.",
    ),
    _mc(
        "How can you detect a cycle in a singly linked list using O(1) extra space?",
        "Move a slow pointer one step and a fast pointer two steps until they meet or the fast one ends",
        ("Store visited nodes in a set", "Sort the list first", "Reverse the list twice"),
        "Floyd's tortoise and hare: the fast pointer laps the slow one only if there is a cycle.",
    ),
    _mc(
        "What does SELECT COUNT(*) FROM t WHERE col = NULL return?",
        "0",
        ("The number of rows where col is NULL", "An error", "The number of rows in t"),
        "Comparing with NULL gives UNKNOWN, never true; use IS NULL.",
    ),
    _short(
        "Explain the difference between a process and a thread.",
        "A process has its own address space; threads run inside a process and share its memory, so they are cheaper "
        "to create but need synchronisation.",
        "threads share memory inside a process, processes have separate memory",
        "a process is a program and a thread is a smaller program",
    ),
)

_EXAMS: dict[str, tuple[str, tuple[Practice, ...], tuple[float, ...]]] = {
    "driving": ("Driving theory", _DRIVING, (0.0, 0.0, 1.0, -5.0, -8.0, -6.0)),
    "nursing": ("NCLEX-RN practice", _NURSING, (-8.0, -7.0, -6.0, -5.0, -5.0, 8.0)),
    "law": ("Bar exam (MBE style)", _LAW, (-8.0, -6.0, -5.0, -5.0)),
    "science": ("High-school science", _SCIENCE, ()),
    "interview": ("Coding interview prep", _INTERVIEW, ()),
}


def _dose_item(rng: random.Random) -> tuple[Practice, str]:
    weight, dose = rng.randint(8, 40), rng.choice((5, 10, 15, 20))
    strength = rng.choice((25, 40, 50, 100))
    drug = rng.choice(("amoxicillin", "paracetamol", "ibuprofen", "cefalexin"))
    ml = round(weight * dose / strength, 1)
    options, right = _options(rng, ml, "mL")
    stem = (
        f"A child weighing {weight} kg is prescribed {drug} {dose} mg/kg as a single dose. The oral suspension "
        f"contains {strength} mg/mL. How many mL should the nurse give?"
    )
    why = f"Dose = {weight} × {dose} = {weight * dose} mg; volume = {weight * dose}/{strength} = {_fmt(ml)} mL."
    return Practice(stem, tuple(options), right, why), "nursing"


def _drip_item(rng: random.Random) -> tuple[Practice, str]:
    volume, hours, factor = rng.choice((250, 500, 1000)), rng.choice((4, 6, 8, 12)), rng.choice((10, 15, 20, 60))
    rate = round(volume * factor / (hours * 60))
    options, right = _options(rng, rate, "gtt/min")
    stem = (
        f"Infuse {volume} mL of normal saline over {hours} hours. The drop factor is {factor} gtt/mL. What is the rate?"
    )
    why = f"Rate = volume × drop factor / minutes = {volume} × {factor} / {hours * 60} ≈ {rate} gtt/min."
    return Practice(stem, tuple(options), right, why), "nursing"


def _density_item(rng: random.Random) -> tuple[Practice, str]:
    mass, volume = rng.randint(20, 400), rng.randint(5, 100)
    density = round(mass / volume, 2)
    options, right = _options(rng, density, "g/cm³")
    stem = f"An object has a mass of {mass} g and a volume of {volume} cm³. What is its density?"
    return Practice(
        stem, tuple(options), right, f"Density = mass/volume = {mass}/{volume} ≈ {_fmt(density)} g/cm³."
    ), "science"


def _ohm_item(rng: random.Random) -> tuple[Practice, str]:
    volts, ohms = rng.choice((3, 6, 9, 12, 24)), rng.choice((2, 3, 4, 6, 8, 12, 16))
    amps = round(volts / ohms, 2)
    options, right = _options(rng, amps, "A")
    stem = f"A {volts} V battery is connected across a {ohms} Ω resistor. What current flows?"
    return Practice(stem, tuple(options), right, f"I = V/R = {volts}/{ohms} ≈ {_fmt(amps)} A."), "science"


_GENERATED = {"nursing": (_dose_item, _drip_item), "science": (_density_item, _ohm_item)}

_EXAM_BUTTONS = (
    "Explain this question.",
    "Give me a hint without telling me the answer.",
    "Walk me through every option.",
)
_EXAM_NOTES = (
    "i dont get why my answer is wrong",
    "can you explain this one like i'm five",
    "is there a trick to these kinds of questions?",
    "I keep getting these wrong, help",
    "why is it not the one I picked??",
    "explain please",
)
_EXAM_FOLLOW_UPS = (
    (
        "but why not the other one? it looked right too",
        "It's a classic distractor: true in some situations, but not the one described. The stem has a detail that "
        "rules it out, and once you spot it only one option fits.",
    ),
    (
        "any trick to remember this for the exam?",
        "Tie it to the reason rather than the fact: if you remember why the rule exists, you can rebuild the answer "
        "under pressure. Put the one-line rule on a flashcard too.",
    ),
    (
        "ok got it. does this come up a lot?",
        "It's a commonly tested idea, so it's worth being solid on. Expect it phrased differently, often with a "
        "detail changed to see whether you apply the rule or just recognise the wording.",
    ),
    (
        "i still dont get it",
        "Let's shrink it: ignore the options and answer the question in your own words first. Then pick the option "
        "that says the same thing. Which part of the stem is confusing you?",
    ),
    (
        "thanks, that helps a lot!",
        "Glad it helped! Try the next item in the set and see if the same rule applies.",
    ),
)


def _exam_item(rng: random.Random, person: Person, exams: Sequence[str], number: int, total: int, style: str) -> Item:
    exam = rng.choice(exams)
    title, bank, _ = _EXAMS[exam]
    practice = bank[rng.randrange(len(bank))]
    if exam in _GENERATED and rng.random() < 0.3:
        practice, _ = rng.choice(_GENERATED[exam])(rng)
    letters = "ABCD"[: len(practice.options)]
    if not practice.options:  # short answer, the learner's own attempt
        attempt = _typed(rng, person, rng.choice(practice.attempts))
        text = f"{title} · Short answer\n\nQ: {practice.stem}\n\nMy answer: {attempt}\n\nMark my answer and explain."
        return Item(text, f"Let's compare with what an examiner wants. {practice.why}")
    answer = f"Let's go through the options. {practice.why} So the correct answer is {letters[practice.correct]}."
    if rng.random() < 0.15:  # typed from their own book instead of the app's bank
        body = practice.stem[0].lower() + practice.stem[1:] if person.lower else practice.stem
        lines = "\n".join(f"{letter.lower()}) {option}" for letter, option in zip(letters, practice.options))
        intro = rng.choice(("can you explain this one from my book? ", "practice q: ", "", "help with this pls "))
        return Item(_typed(rng, person, intro + body) + "\n" + lines, answer)
    mark = "{}." if style == "dot" else "({})"
    lines = "\n".join(f"{mark.format(letter)} {option}" for letter, option in zip(letters, practice.options))
    roll = rng.random()
    if roll < 0.45:
        chosen = rng.choice([i for i in range(len(letters)) if i != practice.correct])
        action = f"I chose {letters[chosen]}. Why is that wrong?"
    elif roll < 0.6:
        action = f"I chose {letters[practice.correct]}. Explain why it's correct."
    elif roll < 0.85:
        action = rng.choice(_EXAM_BUTTONS)
    else:
        action = _typed(rng, person, rng.choice(_EXAM_NOTES))
    text = f"{title} · Question {number} of {total}\n\n{practice.stem}\n\n{lines}\n\n{action}"
    return Item(text, answer)


def _exam_next(
    rng: random.Random,
    person: Person,
    exams: Sequence[str],
    numbers: Sequence[int],
    total: int,
    style: str,
    index: int,
) -> Item:
    return _exam_item(rng, person, exams, numbers[min(index, len(numbers) - 1)], total, style)


def _exam_users(rng: random.Random, count: int) -> list[dict[str, Any]]:
    campuses = [network.residential_ip(rng) for _ in range(10)]
    apis = {"chat": 0.6, "anthropic": 0.25, "responses": 0.15}
    out: list[dict[str, Any]] = []
    for _ in range(count):
        exams = [rng.choices(list(_EXAMS), weights=(5, 4, 2, 4, 3))[0]]
        if rng.random() < 0.1:
            exams.append(rng.choice([e for e in _EXAMS if e != exams[0]]))
        person = _person(rng, casual=0.8, zones=_EXAMS[exams[0]][2])
        mobile = rng.random() < 0.7
        ua = _mobile_app(rng, "PassMark", rng.choice((6, 7))) if mobile else _desktop_browser(rng)
        client = _client(rng, apis, ua, _home_ips(rng, campuses, 0.2, mobile), not mobile, person.tz)
        style = rng.choice(("dot", "paren"))  # the option labels changed between app releases
        n = rng.randint(2, 8)
        think = rng.lognormvariate(math.log(70), 0.4)
        sessions = _sessions(rng, n, rng.randint(1, 3), person.tz, _LEARNER, think, 3)
        sent: list[tuple[float, tuple[dict[str, str], ...]]] = []
        for times in sessions:
            total = rng.choice((20, 25, 40, 50))
            numbers = sorted(rng.sample(range(1, total + 1), len(times)))

            new_item = partial(_exam_next, rng, person, exams, numbers, total, style)
            sent += _conversation(rng, person, [times], new_item, _EXAM_FOLLOW_UPS, 0.1, 2)
        out += _records(rng, client, EXAM_SYSTEM, sent)
    return out


# --------------------------------------------------------------------------------------------------
# 4. The coding helper
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A kind of bug: how a user shows it (with «name» slots), a short diagnosis, follow-ups it invites."""

    lang: str
    text: str
    answer: str
    follow_ups: tuple[tuple[str, str], ...] = ()


_PLURALS = (
    ("items", "item"),
    ("nums", "n"),
    ("orders", "order"),
    ("users", "user"),
    ("rows", "row"),
    ("tasks", "task"),
    ("prices", "price"),
    ("records", "rec"),
    ("scores", "score"),
    ("files", "f"),
)
_SLOTS: dict[str, Sequence[str]] = {
    "fn": ("process", "load_data", "handle", "update_totals", "parse_line", "fetch_user", "build_report", "find_index"),
    "fnc": ("loadData", "handleClick", "fetchUser", "updateCart", "parseRow", "renderList", "saveDraft", "getOrders"),
    "file": ("main.py", "app.py", "utils.py", "script.py", "etl.py", "views.py", "bot.py", "solver.py", "hw3.py"),
    "jsfile": ("index.js", "app.js", "server.js", "api.ts", "utils.ts", "App.tsx", "cart.js", "Dashboard.jsx"),
    "key": ("name", "id", "email", "price", "user_id", "status", "created_at", "total", "amount"),
    "cls": ("OrderService", "UserRepository", "ReportBuilder", "InventoryManager", "PaymentHandler", "ConfigLoader"),
    "var": ("name", "token", "path", "username", "title", "label", "message"),
    "comp": ("OrderList", "Dashboard", "UserTable", "CartView", "Feed", "ResultsPanel"),
    "port": ("5000", "8000", "8080", "4000", "3001"),
    "word": ("hello", "alice", "test", "config", "output"),
}

_CASES = (
    Case(
        "Python",
        """why does this loop never end?

def «fn»(«items», target):
    i = 0
    while i < len(«items»):
        if «items»[i] == target:
            return i
    return -1""",
        "The loop never changes `i`, so unless the first element matches, `i < len(«items»)` stays true forever. Add "
        "`i += 1` at the end of the loop body (outside the `if`), or loop with `for i, x in enumerate(«items»):`, "
        "which can't forget the increment.",
        (
            (
                "why doesn't python warn me about that?",
                "It can't know in general whether a loop ends. Some linters flag a while loop whose condition "
                "variables never change inside the body, but the interpreter just runs what you wrote.",
            ),
        ),
    ),
    Case(
        "JavaScript",
        """this loop never ends and the tab freezes, what am I doing wrong

for (let i = 0; i < «items».length; i + 1) {
  console.log(«items»[i]);
}""",
        "`i + 1` computes a value and throws it away; it never updates `i`, so `i < «items».length` stays true. "
        "Use `i++` or `i += 1`. Or skip the index: `for (const x of «items») console.log(x);`.",
    ),
    Case(
        "C",
        r"""This never stops printing, I expected it to stop at 1.0:

for (float x = 0.0f; x != 1.0f; x += 0.1f) {
    printf("%f\n", x);
}""",
        "0.1 has no exact binary representation, so adding it ten times gives something like 1.0000001, never "
        "exactly 1.0, and `!=` stays true. Loop on an integer (`for (int i = 0; i < 10; i++) { float x = i * 0.1f; "
        "... }`) or compare with `<`.",
    ),
    Case(
        "Python",
        """def add_«item»(«item», bucket=[]):
    bucket.append(«item»)
    return bucket

print(add_«item»(1))
print(add_«item»(2))

the second print shows [1, 2] instead of [2]?? why does it remember the old value""",
        "Default values are evaluated once, when the function is defined, so every call shares the same list. Use "
        "`bucket=None` and `if bucket is None: bucket = []` inside the function.",
        (
            (
                "is that the same for dicts?",
                "Yes, any mutable default (list, dict, set, an object) is shared between calls. Immutable ones like "
                "numbers, strings and None are safe.",
            ),
        ),
    ),
    Case(
        "Python",
        """Traceback (most recent call last):
  File "«file»", line «line», in <module>
    total += row["«key»"]
KeyError: '«key»'

the column is definitely in the csv, I can see it in excel""",
        "The header probably isn't exactly `«key»`: a leading space, different case or an invisible BOM on the first "
        "column. Print `reader.fieldnames` to see the real names. If the first one starts with `\\ufeff`, open the "
        "file with `encoding='utf-8-sig'`.",
        (
            (
                "yep it was the BOM thing. how would i have known",
                "Printing `repr()` of the keys shows hidden characters that `print()` hides. Files saved from Excel "
                "as 'CSV UTF-8' often start with that BOM.",
            ),
        ),
    ),
    Case(
        "Python",
        """«items» = «items».sort()
print(«items»[0])

TypeError: 'NoneType' object is not subscriptable""",
        "`list.sort()` sorts in place and returns `None`, so you replaced your list with `None`. Either call "
        "`«items».sort()` on its own line, or use `«items» = sorted(«items»)`.",
    ),
    Case(
        "JavaScript",
        """results is always empty when I return it:

async function «fnc»(ids) {
  const results = [];
  ids.forEach(async (id) => {
    const res = await fetch(`/api/«items»/${id}`);
    results.push(await res.json());
  });
  return results;
}""",
        "`forEach` doesn't wait for async callbacks, so you return before any fetch finishes. Use "
        "`for (const id of ids) { ... }` to go one by one, or "
        "`return Promise.all(ids.map(async (id) => (await fetch(`/api/«items»/${id}`)).json()));` in parallel.",
        (
            (
                "which one is better?",
                "Promise.all is faster because the requests overlap, but it fires them all at once. With a lot of "
                "ids or a rate-limited API, go sequentially or in small batches.",
            ),
        ),
    ),
    Case(
        "Java",
        'Exception in thread "main" java.lang.NullPointerException: '
        'Cannot invoke "String.length()" because "this.«var»" is null\n'
        """    at com.example.«cls».validate(«cls».java:«line»)
    at com.example.Main.main(Main.java:14)

I definitely set «var» in the constructor""",
        "Check whether the constructor declares a new local, like `String «var» = ...;`, instead of assigning the "
        "field. The local shadows the field, which stays null. Write `this.«var» = ...;` (and make the field final "
        "so the compiler catches it).",
    ),
    Case(
        "React",
        """my component re-renders forever and I get "Maximum update depth exceeded"

useEffect(() => {
  setVisible(«items».filter(x => x.active));
});""",
        "With no dependency array the effect runs after every render, and `setVisible` triggers another render. Add "
        "`[«items»]` as the dependency array, or better, drop the state and compute it: "
        "`const visible = useMemo(() => «items».filter(x => x.active), [«items»]);`.",
    ),
    Case(
        "SQL",
        """SELECT o.customer_id, c.name, SUM(o.amount)
FROM orders o
JOIN customers c ON c.id = o.customer_id
GROUP BY o.customer_id;

ERROR:  column "c.name" must appear in the GROUP BY clause or be used in an aggregate function""",
        "Every selected column that isn't aggregated must be in GROUP BY. Add it: `GROUP BY o.customer_id, c.name`. "
        "(Postgres also accepts `GROUP BY c.id` alone if c.id is the primary key.)",
    ),
    Case(
        "Go",
        """func main() {
    ch := make(chan int)
    ch <- «line»
    fmt.Println(<-ch)
}

fatal error: all goroutines are asleep - deadlock!""",
        "A send on an unbuffered channel blocks until someone receives, and the only receiver is the next line of "
        "the same goroutine. Send from another goroutine (`go func() { ch <- «line» }()`) or use "
        "`make(chan int, 1)`.",
    ),
    Case(
        "Rust",
        """let mut «items» = vec![1, 2, 3];
let first = &«items»[0];
«items».push(4);
println!("{}", first);

error[E0502]: cannot borrow `«items»` as mutable because it is also borrowed as immutable""",
        "`push` may reallocate the vector, which would leave `first` dangling, so Rust refuses. Copy the value "
        "(`let first = «items»[0];`), or finish using `first` before you push.",
        (
            (
                "but it's just an int, why can't it figure that out",
                "The borrow is of the vector's memory, not of the number. Copying the i32 out removes the borrow; "
                "that's what `let first = «items»[0];` does.",
            ),
        ),
    ),
    Case(
        "C",
        r"""char *name;
strcpy(name, "«word»");
printf("%s\n", name);

Segmentation fault (core dumped)""",
        "`name` is an uninitialised pointer, so strcpy writes to a random address. Give it memory: "
        "`char name[32];` or `char *name = malloc(32);` (and check the result and free it later).",
    ),
    Case(
        "Python",
        "why is 0.1 + 0.2 == 0.3 False in python?? is my install broken",
        "Your install is fine: 0.1 and 0.2 can't be stored exactly in binary floating point, so the sum is "
        "0.30000000000000004. Compare with `math.isclose(a, b)`, and use `decimal.Decimal` for money.",
    ),
    Case(
        "Python",
        """for «item» in «items»:
    if «item» < 0:
        «items».remove(«item»)

some negative numbers are still in the list afterwards""",
        "Removing while iterating shifts the remaining elements left, so the loop skips the one right after each "
        "removal. Build a new list: `«items» = [x for x in «items» if x >= 0]`.",
    ),
    Case(
        "Python",
        """count = 0

def «fn»():
    count += 1

UnboundLocalError: cannot access local variable 'count' where it is not associated with a value""",
        "Assigning to `count` inside the function makes it local to the function, and then `+=` reads it before "
        "it exists. Add `global count` at the top of the function, or better, pass the value in and return it.",
    ),
    Case(
        "React",
        """TypeError: Cannot read properties of undefined (reading 'map')
    at «comp» («jsfile»:«line»:23)

it's this line: {data.«items».map(x => <Row key={x.id} {...x} />)}
works after refresh sometimes""",
        "On the first render `data` hasn't loaded yet, so `data.«items»` is undefined. Initialise the state with "
        "`{ «items»: [] }`, or guard: `{data?.«items»?.map(...)}` and show a loading state until the fetch "
        "resolves.",
    ),
    Case(
        "JavaScript",
        "Access to fetch at 'http://localhost:«port»/api/«items»' from origin 'http://localhost:3000' has been "
        "blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\n"
        """
works fine in postman""",
        "CORS is enforced by the browser, not the server, which is why Postman works. The API on port «port» has "
        "to send `Access-Control-Allow-Origin: http://localhost:3000` (e.g. enable the CORS middleware of your "
        "framework), or proxy the API through your dev server.",
    ),
    Case(
        "Python",
        "I did pip install requests but python3 «file» still says ModuleNotFoundError: No module named 'requests'",
        "`pip` and `python3` are probably different interpreters. Run `python3 -m pip install requests` so it "
        "installs into the Python you actually use, or activate your virtualenv first.",
    ),
    Case(
        "Python",
        """sub = df[df["«key»"] > 0]
sub["flag"] = True

SettingWithCopyWarning: A value is trying to be set on a copy of a slice from a DataFrame""",
        "The filtered frame may be a view or a copy, so pandas can't promise the write goes where you expect. If "
        "you want a separate frame, write `sub = df[df['«key»'] > 0].copy()`; to change `df` itself, use "
        "`df.loc[df['«key»'] > 0, 'flag'] = True`.",
    ),
    Case(
        "TypeScript",
        """const «var»: string = user.nickname;

error TS2322: Type 'string | undefined' is not assignable to type 'string'.""",
        "`nickname` is optional, so it may be undefined. Give a default (`user.nickname ?? ''`), narrow it with an "
        "`if`, or declare the variable as `string | undefined` if undefined is a real case.",
    ),
    Case(
        "Python",
        """def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print(fib(«line»))  # takes forever""",
        "Each call makes two more, so the work roughly doubles with n. Cache results with `@functools.cache` above "
        "the function, or compute iteratively with two variables in a loop, which is linear.",
    ),
    Case(
        "Java",
        """Scanner sc = new Scanner(System.in);
String input = sc.nextLine();
if (input == "yes") {
    System.out.println("ok");
}

never prints ok even when I type yes""",
        "`==` compares object references, and the string read from input is a different object from the literal. "
        'Use `"yes".equals(input)` (or `equalsIgnoreCase` if case shouldn\'t matter).',
    ),
    Case(
        "Python",
        """dupes = []
seen = []
for x in «items»:
    if x in seen:
        dupes.append(x)
    seen.append(x)

takes forever on the real data (about 200k rows)""",
        "`x in seen` scans the whole list each time, so the loop is quadratic. Make `seen` a set "
        "(`seen = set()` and `seen.add(x)`): membership checks become constant time on average.",
    ),
    Case(
        "Bash",
        """for f in $(ls *.csv); do
  wc -l $f
done

breaks on files like "Q1 report.csv" """,
        "`$(ls ...)` splits on spaces, so the name arrives in pieces. Use the glob directly and quote the variable: "
        '`for f in *.csv; do wc -l "$f"; done`.',
    ),
    Case(
        "Docker",
        """my container exits right away with code 0. Dockerfile ends with
CMD ["python", "«file»"]""",
        "A container lives only as long as its main process; exit code 0 means your script simply finished. If "
        "it's meant to be a server, make sure it starts one in the foreground and binds to 0.0.0.0, and check "
        "`docker logs <id>` for what it printed.",
    ),
    Case(
        "Python",
        """total = 0
for i in range(1, len(«items»)):
    total += «items»[i]

the total is always a bit too small""",
        "`range(1, len(...))` starts at index 1, so the first element is skipped. Use `range(len(«items»))`, or just "
        "`total = sum(«items»)`.",
    ),
    Case(
        "Java",
        """int sum = 17, count = 4;
double avg = sum / count;
System.out.println(avg); // prints 4.0 not 4.25""",
        "`sum / count` is integer division because both are ints, and the result is converted to double only "
        "afterwards. Cast one side first: `(double) sum / count`.",
    ),
    Case(
        "Git",
        "how do I undo my last commit but keep the changes? haven't pushed yet",
        "`git reset --soft HEAD~1` moves the branch back one commit and leaves the changes staged. Use "
        "`git reset HEAD~1` if you want them unstaged. Since you haven't pushed, nobody else is affected.",
    ),
    Case(
        "Python",
        "datetime.now() in my script is a few hours off from the timestamps in our server logs, why?",
        "`datetime.now()` gives naive local time, while servers usually log in UTC. Use "
        "`datetime.now(timezone.utc)` and keep everything timezone-aware; convert to local time only for display.",
    ),
)

_CODING_INTROS = (
    "",
    "",
    "",
    "hey, ",
    "quick question: ",
    "getting this and can't figure out why\n\n",
    "please help, deadline tonight.\n\n",
    "I'm new to «lang» - ",
    "been stuck on this for an hour:\n\n",
    "Can someone explain this?\n\n",
)
_CODING_OUTROS = ("", "", "", "\n\nthanks in advance", "\n\nusing «lang» if that matters", "\n\nwhat am I missing?")
_CODING_FOLLOW_UPS = (
    (
        "still getting the same error after that change",
        "Then something else is producing it. Can you paste the full error from the latest run and the current "
        "version of the code? The line it points to will tell us whether it's the same spot.",
    ),
    (
        "that worked, thanks! but why did the original version run at all?",
        "Because it was valid code; it only misbehaves at runtime for the inputs you hit. Nothing checks that "
        "ahead of time, so it shows up only when that path runs.",
    ),
    (
        "what happens if the input is empty though",
        "With an empty input the loop body never runs, so you get the starting value back. If that's wrong for "
        "your case, check for it at the top and return early or raise a clear error.",
    ),
    (
        "can you write a quick test for this?",
        "Sure: one test with a small input where you know the answer, and one edge case like an empty input. If "
        "the first failed before the fix and both pass after, you've pinned the bug.",
    ),
    (
        "is there a cleaner way to write this?",
        "Yes. Once it works, the language's built-in iteration or a library helper usually replaces the manual "
        "bookkeeping and removes this whole kind of bug. Keep the fix small first, then refactor.",
    ),
    (
        "ok it runs now but it's really slow on the full dataset",
        "The fix itself is cheap, so the time is probably going elsewhere, often a lookup inside a loop that scans "
        "a list. Profile one run, or turn that list into a set or dict before the loop.",
    ),
    (
        "wait I don't follow the second part of your explanation",
        "Try tracing it by hand: write down what each variable holds at the start of every iteration for a tiny "
        "input. You'll see the exact moment it stops matching what you expected.",
    ),
    (
        "ah ok that makes sense now, thanks",
        "You're welcome! If it comes back in another form, paste the new error and we'll look again.",
    ),
)


def _fill(text: str, slots: dict[str, str]) -> str:
    for name, value in slots.items():
        text = text.replace(f"«{name}»", value)
    return text


def _coding_item(rng: random.Random, person: Person, langs: Sequence[str]) -> Item:
    fitting = [case for case in _CASES if case.lang in langs]
    case = rng.choice(fitting if fitting and rng.random() < 0.85 else _CASES)
    plural, singular = rng.choice(_PLURALS)
    slots = {name: rng.choice(values) for name, values in _SLOTS.items()}
    slots.update(items=plural, item=singular, line=str(rng.randint(8, 240)), lang=case.lang)
    body = _fill(case.text, slots)
    if "\n" not in body:  # a one-line question: typed, so typos are possible
        body = _typed(rng, person, body)
    intro = _typed(rng, person, _fill(rng.choice(_CODING_INTROS), slots))
    outro = _fill(rng.choice(_CODING_OUTROS), slots) if rng.random() < person.chatty + 0.2 else ""
    answer = _fill(case.answer, slots)
    follow_ups = tuple((_fill(q, slots), _fill(a, slots)) for q, a in case.follow_ups)
    return Item(intro + body + outro, answer, follow_ups)


def _coding_next(rng: random.Random, person: Person, langs: Sequence[str], index: int) -> Item:
    return _coding_item(rng, person, langs)


def _coding_users(rng: random.Random, count: int) -> list[dict[str, Any]]:
    offices = [network.residential_ip(rng) for _ in range(8)]
    campuses = [network.residential_ip(rng) for _ in range(4)]
    apis = {"anthropic": 0.45, "chat": 0.35, "responses": 0.2}
    stacks = (
        ("Python",),
        ("Python", "SQL", "Docker", "Git"),
        ("JavaScript", "React", "TypeScript"),
        ("JavaScript", "React", "TypeScript", "SQL", "Git"),
        ("Java", "SQL"),
        ("C", "Bash", "Git"),
        ("Go", "Docker", "SQL"),
        ("Rust", "Git"),
    )
    out: list[dict[str, Any]] = []
    for _ in range(count):
        person = _person(rng, casual=0.6)
        student = rng.random() < 0.35
        if rng.random() < 0.25:
            ua, browser = _editor(rng), False
        else:
            ua, browser = _desktop_browser(rng), True
        ips = _home_ips(rng, campuses if student else offices, 0.3, mobile=False)
        client = _client(rng, apis, ua, ips, browser, person.tz)
        langs = rng.choice(stacks)
        n = min(15, 1 + int(rng.expovariate(1 / 4.2)))
        think = rng.lognormvariate(math.log(200), 0.5)  # reading the answer, editing, running it again
        sessions = _sessions(rng, n, rng.randint(1, 5), person.tz, _STUDENT if student else _WORKER, think, 3)

        new_item = partial(_coding_next, rng, person, langs)
        sent = _conversation(rng, person, sessions, new_item, _CODING_FOLLOW_UPS, 0.5, 4, p_retry=0.02)
        out += _records(rng, client, CODING_SYSTEM, sent)
    return out


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def _keys(app: str, scale: float) -> int:
    return max(APP_KEYS[app], round(APP_KEYS[app] * scale))


def app_crowd_users(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """Honest users of the four step-by-step apps, sorted by (ts, client). ``scale`` only ever adds keys."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive finite number, not {scale!r}")
    out = _widget_users(rng, _keys("widget", scale))
    out += _tutor_users(rng, _keys("tutor", scale))
    out += _exam_users(rng, _keys("exam", scale))
    out += _coding_users(rng, _keys("coding", scale))
    out.sort(key=lambda line: (line["ts"], line["client"]))
    return out
