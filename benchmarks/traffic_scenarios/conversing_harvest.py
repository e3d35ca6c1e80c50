"""Conversing harvest: distillation campaigns that buy "verified follow-up" standing for their keys.

The defence keeps, per key, a ledger of the conversations that key sent. A follow-up (a user turn after an
assistant turn) is *verified* when the conversation before that assistant turn was sent earlier by the same
key; keys and crowds with verified follow-ups look like people talking to an app, so their frame-standing
flags stop feeding campaigns and a reasoning system prompt counts half for them. Replay does not check the
assistant text, and in production an attacker who really asked has the real answer to paste back, so a
verified follow-up costs one extra request. Every campaign below harvests explanations, worked solutions or
graded answers for distinct exam-like items built combinatorially (arithmetic, percentages, equations,
probability, physics, atoms, units, grammar, logic, sequences, Python output, reading passages), and each
spends that extra request differently. Sizes are at the default scale 0.25.

``cheap-verify-0`` (30 keys, 10-40 requests each, ~780 requests, all harvesting)
    Threads of two to five requests: an item with lettered options or a ``Question:/Answer:`` field plus a
    generic "explain why" / "is this right?", then follow-ups that re-send the thread so far, a throwaway
    assistant turn ("(C).", "ok", "Correct.") and either "now explain (B) too" on the same item or the next
    item. About 70 % of requests are verified follow-ups, so every key passes the two-follow-up bar (3a)
    after its first thread, and the crowd is 100 % "conversing" (3b). Half the keys sit behind a rotating
    proxy pool. Evades: campaign weight for frame-standing flags; per-key volume stays far below the ~80
    frame-standing requests that tag a key.

``seeded-crowd-0`` (400 x scale keys = 100, ~24 requests each, ~2,400 requests; the only campaign scale grows)
    Seven keys in every ten (placed evenly, so any window of recent members is ~70 % seeded) open with a
    genuine-looking chat (flour conversions, pet names, itineraries, CSS, polite rewrites...) and one or two
    verified follow-ups, labelled cover. Then every key, seeded or not, harvests 14-30 single-turn framed
    items. Evades: the crowd-share rule (3b) -- the campaign's recent measured members are well over half
    "conversing", so the unseeded 30 % ride along; the seeded keys with two follow-ups also pass 3a.

``sysprompt-verified-0`` (24 keys in three "apps" of eight, 17-29 requests each, ~530 requests)
    A reasoning-eliciting system prompt ("work every step before answering", "show all of your working") over
    bare lettered exam items. Each key first says hello (cover), then sends its first item as a verified
    follow-up of the hello; half the keys add a second verified follow-up ("why not (B)?"). The rest are
    single-turn items under the same system prompt. Evades: the system-prompt weight is halved for keys with
    a verified follow-up (3c); the keys with two also pass 3a for whatever is frame-standing.

``slow-polyglot-0`` (20 keys, 10-18 requests each, ~280 requests)
    Slow, paced like a person who never sleeps (median gap 6-9 h, the whole week), in French, Spanish,
    German, Portuguese, Italian or paraphrased English ("what makes that the right pick?"). Threads of two to
    four requests with localised follow-ups ("Et celle-ci ?", "¿Y por qué no (C)?"). Evades: per-key decay
    (nothing accumulates over a 6-hour half-life), 24-hour campaign formation across languages and
    paraphrases, and 3a/3b for whatever does cluster.

``plain-mixed-0`` (15 keys, 18-30 requests each, ~360 requests)
    Like cheap-verify, but every key also sends plainly worded harvesting orders: two or three inline ("Give
    your full chain of thought before the final answer.") mostly inside verified follow-ups, and one thread
    that states a standing order once in its first turn ("For every question I send in this chat, show all of
    your step-by-step reasoning") and then only sends "next:" + item, so the order lives in the re-sent
    history rather than in the newest turn. Probes: do real-instruction flags still count fully (and reach
    the 5-member throttle / 12-member block bars) when they sit in verified conversations, and does a
    standing order in history taint the later follow-ups?

Every request in a campaign is labelled harvesting except the seeded chats and the hellos (cover). Times
start at ``timing.START`` and stay within seven days.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from benchmarks.traffic_scenarios.records import MODELS, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START, human_times, paced_times

__all__ = ["CAMPAIGNS", "SCENARIO", "conversing_harvest_campaigns"]

SCENARIO = "conversing_harvest"
CHEAP, SEEDED, SYSPROMPT, POLYGLOT, PLAIN = (
    "cheap-verify-0",
    "seeded-crowd-0",
    "sysprompt-verified-0",
    "slow-polyglot-0",
    "plain-mixed-0",
)
CAMPAIGNS = (CHEAP, SEEDED, SYSPROMPT, POLYGLOT, PLAIN)
SEEDED_KEYS = 400  # at scale 1.0; the only size that scale changes
END = START + 7 * DAY
LETTERS = "ABCD"

Turn = dict[str, str]
Record = dict[str, Any]


# ---------------------------------------------------------------------------------------------------------------
# Exam items


@dataclass(frozen=True)
class Item:
    """One multiple-choice item: a stem, four options and the index of the right one."""

    stem: str
    options: tuple[str, ...]
    correct: int
    lang: str = "en"

    @property
    def answer(self) -> str:
        return LETTERS[self.correct]


def _choices(rng: random.Random, right: str, wrong: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """The right option and the first three distinct wrong ones, shuffled."""
    picks: list[str] = []
    for option in wrong:
        if option != right and option not in picks:
            picks.append(option)
        if len(picks) == 3:
            break
    if len(picks) < 3:
        raise ValueError(f"too few distinct distractors for {right!r}")
    options = [right, *picks]
    rng.shuffle(options)
    return tuple(options), options.index(right)


def _numeric(rng: random.Random, stem: str, right: int, wrong: Sequence[int], unit: str = "", lang: str = "en") -> Item:
    fallbacks = [right + d for d in (1, -1, 2, -2, 10, -10, 3)]
    options, correct = _choices(rng, f"{right}{unit}", [f"{w}{unit}" for w in [*wrong, *fallbacks]])
    return Item(stem, options, correct, lang)


def _decimal(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


# Stems the polyglot campaign needs in its languages; the other kinds are English only.
STEMS: dict[str, dict[str, str]] = {
    "en": {
        "arith": "What is {a} × {b} − {c}?",
        "eq": "Solve for x: {eq}",
        "speed": "A train covers {d} km in {t} hours at a constant speed. What is its speed?",
        "marbles": "A bag holds {r} red and {b} blue marbles. One is drawn at random. What is the chance it is red?",
    },
    "fr": {
        "arith": "Combien font {a} × {b} − {c} ?",
        "eq": "Résoudre pour x : {eq}",
        "speed": "Un train parcourt {d} km en {t} heures à vitesse constante. Quelle est sa vitesse ?",
        "marbles": "Un sac contient {r} billes rouges et {b} billes bleues. On en tire une au hasard. "
        "Quelle est la probabilité qu'elle soit rouge ?",
    },
    "es": {
        "arith": "¿Cuánto es {a} × {b} − {c}?",
        "eq": "Resuelve para x: {eq}",
        "speed": "Un tren recorre {d} km en {t} horas a velocidad constante. ¿Cuál es su velocidad?",
        "marbles": "Una bolsa tiene {r} canicas rojas y {b} azules. Se saca una al azar. "
        "¿Qué probabilidad hay de que sea roja?",
    },
    "de": {
        "arith": "Wie viel ist {a} × {b} − {c}?",
        "eq": "Löse nach x auf: {eq}",
        "speed": "Ein Zug fährt {d} km in {t} Stunden mit konstanter Geschwindigkeit. Wie schnell ist er?",
        "marbles": "In einem Beutel sind {r} rote und {b} blaue Murmeln. Eine wird zufällig gezogen. "
        "Wie groß ist die Wahrscheinlichkeit, dass sie rot ist?",
    },
    "pt": {
        "arith": "Quanto é {a} × {b} − {c}?",
        "eq": "Resolva para x: {eq}",
        "speed": "Um trem percorre {d} km em {t} horas a velocidade constante. Qual é a sua velocidade?",
        "marbles": "Um saco tem {r} bolinhas vermelhas e {b} azuis. Tira-se uma ao acaso. "
        "Qual é a probabilidade de ser vermelha?",
    },
    "it": {
        "arith": "Quanto fa {a} × {b} − {c}?",
        "eq": "Risolvi per x: {eq}",
        "speed": "Un treno percorre {d} km in {t} ore a velocità costante. Qual è la sua velocità?",
        "marbles": "Un sacchetto contiene {r} biglie rosse e {b} blu. Se ne estrae una a caso. "
        "Qual è la probabilità che sia rossa?",
    },
}


def _arith(rng: random.Random, lang: str) -> Item:
    a, b, c = rng.randint(12, 99), rng.randint(11, 49), rng.randint(3, 199)
    right = a * b - c
    stem = STEMS[lang]["arith"].format(a=a, b=b, c=c)
    return _numeric(
        rng, stem, right, [a * (b - c) if b > c else right + a, right + 2 * c, a * b + c, right - b], lang=lang
    )


def _equation(rng: random.Random, lang: str) -> Item:
    a, x, b = rng.randint(2, 9), rng.randint(-12, 15), rng.randint(-40, 40)
    b = b or 7
    c = a * x + b
    sign = "+" if b > 0 else "-"
    stem = STEMS[lang]["eq"].format(eq=f"{a}x {sign} {abs(b)} = {c}")
    return _numeric(rng, stem, x, [-x, x + 1, x - 2, (c + b) // a], lang=lang)


def _speed(rng: random.Random, lang: str) -> Item:
    s, t = rng.randrange(40, 160, 5), rng.choice([1.5, 2, 2.5, 3, 4, 5, 6])
    d = round(s * t)
    stem = STEMS[lang]["speed"].format(d=d, t=_decimal(t, lang))
    return _numeric(rng, stem, s, [s + 10, s - 5, round(d / (t + 1)), round(d * t)], unit=" km/h", lang=lang)


def _marbles(rng: random.Random, lang: str) -> Item:
    r, b = rng.randint(2, 18), rng.randint(2, 18)
    stem = STEMS[lang]["marbles"].format(r=r, b=b)
    right = Fraction(r, r + b)
    wrong = [Fraction(r, b), Fraction(b, r + b), Fraction(1, 2), Fraction(r, r + b + 1), Fraction(1, r + b)]
    options, correct = _choices(rng, str(right), [str(w) for w in wrong])
    return Item(stem, options, correct, lang)


def _percent(rng: random.Random, lang: str) -> Item:
    price, off = rng.randrange(20, 400, 5), rng.choice([10, 15, 20, 25, 30, 35, 40, 45])
    thing = rng.choice(["jacket", "lamp", "bicycle helmet", "backpack", "kettle", "pair of boots", "desk chair"])
    stem = f"A {thing} costs ${price}. It is marked down by {off}%. What is the sale price?"
    cents = [price * (100 - off), price * off, price * 100 - off * 100, price * (100 - off + 5), price * (100 + off)]
    options, correct = _choices(rng, f"${cents[0] / 100:.2f}", [f"${c / 100:.2f}" for c in cents[1:]])
    return Item(stem, options, correct, lang)


ELEMENTS = (
    ("hydrogen", 1), ("helium", 2), ("lithium", 3), ("beryllium", 4), ("boron", 5), ("carbon", 6),
    ("nitrogen", 7), ("oxygen", 8), ("fluorine", 9), ("neon", 10), ("sodium", 11), ("magnesium", 12),
    ("aluminium", 13), ("silicon", 14), ("phosphorus", 15), ("sulfur", 16), ("chlorine", 17), ("argon", 18),
    ("potassium", 19), ("calcium", 20), ("iron", 26), ("nickel", 28), ("copper", 29), ("zinc", 30),
)  # fmt: skip


def _atom(rng: random.Random, lang: str) -> Item:
    name, z = rng.choice(ELEMENTS)
    mass = z + rng.randint(max(0, z - 1), z + 4) if z > 1 else rng.choice([1, 2, 3])
    if rng.random() < 0.6:
        stem = f"An atom of {name} has atomic number {z} and mass number {mass}. How many neutrons does it have?"
        return _numeric(rng, stem, mass - z, [mass, z, mass + z, mass - z + 1], lang=lang)
    charge = rng.choice([1, 2, -1, -2])
    ion = f"{abs(charge)}{'+' if charge > 0 else '−'}"
    stem = f"How many electrons does a {name} ion with charge {ion} have? (Atomic number of {name}: {z}.)"
    return _numeric(rng, stem, z - charge, [z + charge, z, z - 2 * charge, z + 1], lang=lang)


def _density(rng: random.Random, lang: str) -> Item:
    rho, v = rng.choice([0.5, 0.8, 1.2, 1.5, 2.5, 2.7, 4, 7.5, 8.9, 11.3]), rng.randrange(10, 250, 5)
    m = round(rho * v, 1)
    stem = f"A block has a mass of {m:g} g and a volume of {v} cm³. What is its density?"
    wrong = [round(v / m, 2), round(rho * 10, 2), round(rho * 2, 2), round(rho / 2, 2), round(rho + 1, 2)]
    options, correct = _choices(rng, f"{rho:g} g/cm³", [f"{w:g} g/cm³" for w in wrong])
    return Item(stem, options, correct, lang)


UNITS = (
    ("minutes", "hours", 60), ("seconds", "minutes", 60), ("centimetres", "metres", 100), ("grams", "kilograms", 1000),
    ("millilitres", "litres", 1000), ("inches", "feet", 12), ("metres", "kilometres", 1000), ("hours", "days", 24),
)  # fmt: skip


def _units(rng: random.Random, lang: str) -> Item:
    small, big, k = rng.choice(UNITS)
    n = rng.choice([1.5, 2.5, 3, 4, 6, 7, 0.25, 0.75, 12, 15])
    right = round(n * k)
    if right != n * k:
        n = round(n) or 2
        right = n * k
    stem = f"How many {small} are there in {n:g} {big}?"
    return _numeric(rng, stem, right, [round(n * k / 10), right * 10, round(n + k), right + k], lang=lang)


NOUNS = ("students", "players", "drawers", "windows", "volunteers", "laptops", "cabins", "recipes", "rooms", "boats")
NAMES = (
    ("Maya", "she", "her"), ("Tomas", "he", "his"), ("Aiko", "she", "her"), ("Idris", "he", "his"),
    ("Lena", "she", "her"), ("Rafael", "he", "his"), ("Noor", "she", "her"), ("Kofi", "he", "his"),
    ("Sofia", "she", "her"), ("Dmitri", "he", "his"), ("Priya", "she", "her"), ("Mateo", "he", "his"),
    ("Hana", "she", "her"), ("Ezra", "he", "his"), ("Ines", "she", "her"), ("Yusuf", "he", "his"),
)  # fmt: skip
THINGS = ("lamp", "clock", "vase", "radio", "kettle", "globe", "mirror", "plant", "camera", "printer")
PLACES = ("shelf", "table", "windowsill", "counter", "desk", "cabinet")
IRREGULAR = (
    ("bring", "brought", "bringed", "brung", "a cake"), ("take", "took", "taked", "tooken", "the bus"),
    ("write", "wrote", "writed", "written", "a letter"), ("catch", "caught", "catched", "cought", "the ball"),
    ("teach", "taught", "teached", "tought", "the class"), ("buy", "bought", "buyed", "brought", "new shoes"),
    ("swim", "swam", "swimmed", "swum", "two lengths"), ("draw", "drew", "drawed", "drawn", "a map"),
    ("freeze", "froze", "freezed", "frozen", "the soup"), ("lead", "led", "leaded", "lead", "the team"),
)  # fmt: skip
COMPARATIVES = (
    ("good", "better", "gooder", "more good", "best"), ("bad", "worse", "badder", "more bad", "worst"),
    ("far", "farther", "farer", "more far", "farthest"),
    ("simple", "simpler", "more simpler", "simplest", "simplier"),
    ("narrow", "narrower", "more narrower", "narrowest", "narrowier"),
    ("busy", "busier", "busyer", "more busier", "busiest"),
)  # fmt: skip


def _grammar(rng: random.Random, lang: str) -> Item:
    kind = rng.randrange(5)
    name, _, poss = rng.choice(NAMES)
    if kind == 0:
        noun = rng.choice(NOUNS)
        stem = f'Choose the word that completes the sentence: "Each of the {noun} ___ a number on it."'
        options, correct = _choices(rng, "has", ["have", "having", "are having"])
    elif kind == 1:
        a, b = rng.sample(THINGS, 2)
        stem = f'Choose the word that completes the sentence: "The {a} and the {b} ___ on the {rng.choice(PLACES)}."'
        options, correct = _choices(rng, "are", ["is", "was being", "be"])
    elif kind == 2:
        base, past, w1, w2, obj = rng.choice(IRREGULAR)
        day = rng.choice(["Yesterday", "Last week", "On Monday", "Two days ago"])
        stem = f'Which verb form is correct? "{day} {name} ___ {obj}." (verb: to {base})'
        options, correct = _choices(rng, past, [w1, w2, f"{base}s"])
    elif kind == 3:
        adj, comp, w1, w2, w3 = rng.choice(COMPARATIVES)
        thing = rng.choice(["road", "plan", "route", "answer", "week", "idea", "trail"])
        stem = f'Fill the gap with the right form of "{adj}": "This {thing} is ___ than the last one."'
        options, correct = _choices(rng, comp, [w1, w2, w3])
    else:
        place = rng.choice(["cinema", "beach", "market", "library", "stadium", "museum"])
        event = rng.choice(["lunch", "school", "the game", "work", "practice"])
        stem = f'Which word fits? "{name} and {poss} cousins said ___ going to the {place} after {event}."'
        options, correct = _choices(rng, "they're", ["their", "there", "theirs"])
    return Item(stem, options, correct, lang)


NONSENSE = ("blickets", "florps", "zindles", "grommets", "wugs", "daxes", "toves", "quibbles", "snarks", "glims",
            "vorts", "mims", "borogs", "tulgeys")  # fmt: skip


def _logic(rng: random.Random, lang: str) -> Item:
    kind = rng.randrange(5)
    a, b, c = rng.sample(NONSENSE, 3)
    ask = "Which statement must be true?"
    if kind == 0:
        stem = f"All {a} are {b}. No {b} are {c}. {ask}"
        options, correct = _choices(
            rng, f"No {a} are {c}.", [f"Some {a} are {c}.", f"All {c} are {a}.", f"Some {c} are {b}."]
        )
    elif kind == 1:
        stem = f"All {a} are {b}. All {b} are {c}. {ask}"
        options, correct = _choices(
            rng, f"All {a} are {c}.", [f"All {c} are {a}.", f"No {a} are {c}.", f"All {c} are {b}."]
        )
    elif kind == 2:
        stem = f"Some {a} are {b}. All {b} are {c}. {ask}"
        options, correct = _choices(
            rng, f"Some {a} are {c}.", [f"All {a} are {c}.", f"No {a} are {c}.", f"All {c} are {b}."]
        )
    elif kind == 3:
        day = rng.choice(["Saturday", "Sunday", "Friday", "the first day", "Tuesday"])
        event = rng.choice(["concert", "market", "film night", "chess match", "book fair", "barbecue", "sports day"])
        stem = f"If it rains on {day}, the {event} is moved indoors. On {day} the {event} was not moved indoors."
        stem += " What follows?"
        options, correct = _choices(
            rng,
            f"It did not rain on {day}.",
            [f"It rained on {day}.", f"The {event} was cancelled.", "Nothing can be concluded about the rain."],
        )
    else:
        start, step = rng.randint(1, 30), rng.randint(2, 13)
        if rng.random() < 0.5:
            seq, right = [start + i * step for i in range(4)], start + 4 * step
            wrong = [right + step, right - 1, start + 3 * step + start]
        else:
            ratio = rng.choice([2, 3])
            start = rng.randint(1, 9)
            seq, right = [start * ratio**i for i in range(4)], start * ratio**4
            wrong = [seq[-1] + (seq[-1] - seq[-2]), right * ratio, right - ratio]
        stem = f"What number comes next? {', '.join(map(str, seq))}, ..."
        return _numeric(rng, stem, right, wrong, lang=lang)
    return Item(stem, options, correct, lang)


WORDS = ("planet", "harbour", "lantern", "pebble", "orchard", "compass", "thunder", "granite", "meadow", "saddle")


def _code(rng: random.Random, lang: str) -> Item:
    kind = rng.randrange(4)
    if kind == 0:
        a, n = rng.randint(0, 20), rng.randint(3, 9)
        code = f"x = {a}\nfor i in range({n}):\n    x += i\nprint(x)"
        right = a + n * (n - 1) // 2
        item = _numeric(rng, "", right, [a + n * (n + 1) // 2, a + n, n * (n - 1) // 2], lang=lang)
    elif kind == 1:
        nums = rng.sample(range(1, 60), 7)
        i = rng.randint(0, 3)
        j = rng.randint(i + 2, 6)
        code = f"nums = {nums}\nprint(nums[{i}:{j}])"
        slices = [nums[i : j + 1], nums[i + 1 : j + 1], nums[max(0, i - 1) : j], nums[i + 1 : j]]
        options, correct = _choices(rng, str(nums[i:j]), [str(w) for w in slices])
        item = Item("", options, correct, lang)
    elif kind == 2:
        word = rng.choice(WORDS)
        i, j = rng.randint(0, 3), rng.randint(1, 3)
        code = f's = "{word}"\nprint(s[{i}] + s[-{j}])'
        pairs = [word[i + 1] + word[-j], word[i] + word[-j - 1], word[-j] + word[i], word[i] + word[j]]
        options, correct = _choices(rng, word[i] + word[-j], [*pairs, *(x + y for x in word for y in word)])
        item = Item("", options, correct, lang)
    else:
        a = rng.randint(5, 60)

        def f(n: int) -> int:
            return n * 3 + 1 if n % 2 else n // 2

        code = f"def f(n):\n    return n * 3 + 1 if n % 2 else n // 2\n\nprint(f(f({a})))"
        item = _numeric(rng, "", f(f(a)), [f(a), f(f(f(a))), a * 3 + 1, a // 2 + 1], lang=lang)
    stem = f"What does this Python code print?\n\n```python\n{code}\n```"
    return Item(stem, item.options, item.correct, lang)


JOBS = (
    ("baker", "bakery"), ("tailor", "tailoring shop"), ("watch repairer", "repair workshop"),
    ("florist", "flower shop"), ("printer", "print shop"), ("pharmacist", "pharmacy"), ("carpenter", "joinery"),
    ("barber", "barbershop"),
)  # fmt: skip
TOWNS = ("Ashby", "Kelmore", "Dunrith", "Pellow", "Varna Creek", "Holloway", "Saltmere", "Brackton")
CITIES = ("Lyon", "Turin", "Osaka", "Porto", "Leeds", "Montreal", "Gdansk", "Valencia")
RELATIVES = ("daughter", "son", "niece", "nephew", "apprentice")
PLANTS = ("bean", "sunflower", "pea", "tomato", "maize", "radish")


def _reading(rng: random.Random, lang: str) -> Item:
    name, pron, poss = rng.choice(NAMES)
    kind = rng.randrange(3)
    if kind == 0:
        (job, shop), town, city = rng.choice(JOBS), rng.choice(TOWNS), rng.choice(CITIES)
        age, k, m, rel = rng.randint(15, 24), rng.randint(2, 9), rng.randint(5, 30), rng.choice(RELATIVES)
        passage = (
            f"{name} left {town} at {age} to train as a {job} in {city}. After {k} years there, {pron} moved back "
            f"and opened a small {shop}, which {pron} ran for {m} years before handing it to {poss} {rel}."
        )
        question, right, wrong = rng.choice(
            [
                (f"How old was {name} when {pron} opened the {shop}?", age + k, [age + m, age, age + k + m, k + m]),
                (f"How many years after leaving {town} did {name} hand over the {shop}?", k + m, [k, m, age + k + m]),
                (f"How old was {name} when {pron} handed the {shop} to {poss} {rel}?", age + k + m, [age + m, k + m]),
            ]
        )
    elif kind == 1:
        plant, unit = rng.choice(PLANTS), rng.choice(["day", "week"])
        h0, g, w = rng.randint(2, 9), rng.randint(2, 7), rng.randint(4, 12)
        passage = (
            f"{name}'s class measured a {plant} seedling once a {unit}. On the first {unit} it was {h0} cm tall, and "
            f"it grew by {g} cm every {unit} after that."
        )
        question, right, wrong = f"How tall was the seedling on {unit} {w}?", h0 + g * (w - 1), [h0 + g * w, g * w]
        item = _numeric(rng, "", right, [*wrong, h0 + g * (w - 2)], unit=" cm", lang=lang)
        return Item(f"Read the passage and answer.\n\n{passage}\n\n{question}", item.options, item.correct, lang)
    else:
        money, n, price, pen = rng.randrange(20, 80, 5), rng.randint(2, 6), rng.randint(2, 6), rng.randint(1, 4)
        passage = (
            f"{name} had ${money}. {pron.capitalize()} bought {n} notebooks at ${price} each and a pen for ${pen}."
        )
        question = f"How much money did {name} have left?"
        right, wrong = money - n * price - pen, [money - n * price, money - price - pen, n * price + pen]
    item = _numeric(rng, "", right, wrong, lang=lang)
    return Item(f"Read the passage and answer.\n\n{passage}\n\n{question}", item.options, item.correct, lang)


Maker = Callable[[random.Random, str], Item]
MAKERS: tuple[Maker, ...] = (
    _arith, _equation, _speed, _marbles, _percent, _atom, _density, _units, _grammar, _grammar, _logic, _logic,
    _code, _code, _reading, _reading,
)  # fmt: skip
LOCAL_MAKERS: tuple[Maker, ...] = (_arith, _equation, _speed, _marbles)


class ItemBank:
    """Draws items no campaign has asked about yet (a harvester wants coverage, not repeats)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def draw(self, rng: random.Random, lang: str = "en") -> Item:
        makers = MAKERS if lang == "en" else LOCAL_MAKERS
        item = rng.choice(makers)(rng, lang)
        for _ in range(40):
            if item.stem not in self._seen:
                break
            item = rng.choice(makers)(rng, lang)
        self._seen.add(item.stem)
        return item


# ---------------------------------------------------------------------------------------------------------------
# Frames, asks and replies


LABELS = {
    "en": ("Question:", "Answer:"),
    "fr": ("Question :", "Réponse :"),
    "es": ("Pregunta:", "Respuesta:"),
    "de": ("Frage:", "Antwort:"),
    "pt": ("Pergunta:", "Resposta:"),
    "it": ("Domanda:", "Risposta:"),
}
ASKS = {
    "en": (
        "Explain why.", "Explain why that is the answer.", "Which one, and why?", "can you explain why",
        "explain why pls", "Why is that the right one?", "Explain why the others are wrong.",
    ),
    "fr": ("Explique pourquoi.", "Pourquoi cette réponse ?", "Tu peux m'expliquer pourquoi ?",
           "Laquelle, et pourquoi ?"),
    "es": ("Explica por qué.", "¿Por qué es esa la respuesta?", "¿Me explicas por qué?", "¿Cuál es y por qué?"),
    "de": ("Erkläre, warum.", "Warum ist das die Antwort?", "Kannst du mir erklären, warum?", "Welche, und warum?"),
    "pt": ("Explique por quê.", "Por que essa é a resposta?", "Pode me explicar por quê?", "Qual é, e por quê?"),
    "it": ("Spiega perché.", "Perché è questa la risposta?", "Mi spieghi perché?", "Quale, e perché?"),
}  # fmt: skip
CHECKS = {
    "en": ("Is this right?", "Is this right? Explain why.", "is this correct?", "Is that right? why?"),
    "fr": ("C'est juste ?", "C'est juste ? Explique."),
    "es": ("¿Está bien?", "¿Está bien? Explícalo."),
    "de": ("Stimmt das?", "Stimmt das? Bitte erklären."),
    "pt": ("Está certo?", "Está certo? Explique."),
    "it": ("È giusto?", "È giusto? Spiegalo."),
}
# Paraphrased English for the slow campaign: asking for the reasoning without the usual words.
PARAPHRASES = (
    "What makes that the right pick?", "Help me see how you'd get there.", "I don't get it, talk me through it?",
    "How would you reason about this one?", "What's the logic behind the answer here?",
    "Could you go over how to get the answer?", "Why does that option win over the rest?",
)  # fmt: skip
NEXT = {
    "en": ("ok next one:", "thanks. and this one?", "now this one:", "next:", "same again for this:", "and this?"),
    "fr": ("Et celle-ci ?", "Merci. La suivante :", "D'accord, et ça ?"),
    "es": ("¿Y esta?", "Gracias. La siguiente:", "Vale, ¿y esta otra?"),
    "de": ("Und diese hier?", "Danke. Die nächste:", "Okay, und die?"),
    "pt": ("E esta?", "Obrigado. A próxima:", "Beleza, e essa?"),
    "it": ("E questa?", "Grazie. La prossima:", "Ok, e questa?"),
}
OTHER = {
    "en": ("Now explain ({L}) too.", "Why not ({L})?", "and why is ({L}) wrong?", "explain ({L}) as well"),
    "fr": ("Et pourquoi pas ({L}) ?", "Explique aussi ({L})."),
    "es": ("¿Y por qué no ({L})?", "Explica también ({L})."),
    "de": ("Und warum nicht ({L})?", "Erkläre auch ({L})."),
    "pt": ("E por que não ({L})?", "Explique também ({L})."),
    "it": ("E perché non ({L})?", "Spiega anche ({L})."),
}
# The throwaway assistant turns the cheap campaigns paste back (replay does not check them).
FORGED = ("The answer is ({L}).", "({L}).", "{L}", "It's ({L}).", "Correct.", "Yes, that's right.", "ok", "Sure.",
          "({L}) — see the reasoning above.", "No, it's ({L}).")  # fmt: skip
FORGED_TERSE = ("({L}).", "{L}", "({L})", "ok", "{L}.")
PLAIN_ORDERS = (
    "Give your full chain of thought before the final answer.",
    "Show every intermediate reasoning step in full, don't summarise.",
    "Write out your complete step-by-step reasoning, then the answer letter.",
    "Think out loud and include all of your reasoning verbatim.",
    "Before answering, lay out your entire reasoning process step by step.",
)
STANDING = (
    "For every question I send in this chat, give your full chain of thought before the answer.",
    "From now on, show all of your step-by-step reasoning for each question, then the letter.",
    "For the rest of this conversation: complete reasoning first, every step, then the final answer.",
)


def _lettered(item: Item) -> str:
    return item.stem + "\n" + "\n".join(f"({LETTERS[i]}) {o}" for i, o in enumerate(item.options))


def _fielded(rng: random.Random, item: Item) -> str:
    """``Question:`` / options / ``Answer:`` with a claimed answer, right three times in four."""
    q, a = LABELS[item.lang]
    claimed = item.correct if rng.random() < 0.75 else rng.choice([i for i in range(4) if i != item.correct])
    options = "\n".join(f"({LETTERS[i]}) {o}" for i, o in enumerate(item.options))
    return f"{q} {item.stem}\n{options}\n{a} ({LETTERS[claimed]})"


def _framed(rng: random.Random, item: Item, ask: str | None = None, *, paraphrase: bool = False) -> str:
    """An item in one of its frames with a generic ask before or after it (or the given ``ask``)."""
    if rng.random() < 0.4:
        body, default = _fielded(rng, item), rng.choice(CHECKS[item.lang])
    else:
        body, default = _lettered(item), rng.choice(PARAPHRASES if paraphrase else ASKS[item.lang])
    text = ask or default
    return f"{text}\n\n{body}" if rng.random() < 0.3 else f"{body}\n\n{text}"


def _user(text: str) -> Turn:
    return {"role": "user", "content": text}


def _assistant(text: str) -> Turn:
    return {"role": "assistant", "content": text}


def _forged(rng: random.Random, item: Item) -> str:
    letter = item.answer if rng.random() < 0.6 else rng.choice(LETTERS)
    return rng.choice(FORGED if item.lang == "en" else FORGED_TERSE).replace("{L}", letter)


def _other(rng: random.Random, item: Item) -> str:
    letter = rng.choice([c for c in LETTERS if c != item.answer])
    return rng.choice(OTHER[item.lang]).replace("{L}", letter)


def _follow(turns: Sequence[Turn], reply: str, text: str) -> tuple[Turn, ...]:
    """The conversation so far, re-sent, with an assistant turn and the next user turn."""
    return (*turns, _assistant(reply), _user(text))


def _framed_threads(
    rng: random.Random,
    bank: ItemBank,
    n: int,
    *,
    lang: str = "en",
    lengths: Sequence[int] = (2, 3, 3, 4, 4, 5),
    plain_at: frozenset[int] = frozenset(),
    standing_thread: int | None = None,
    paraphrase: bool = False,
) -> list[Request]:
    """``n`` requests in threads: an item, then follow-ups re-sending the thread with a throwaway answer and either
    a question about another option of the same item or the next item. From each position in ``plain_at`` one plain
    harvesting order falls due: it rides the next follow-up (now and then, after the first, a thread's opening
    request) outside the standing thread. Thread ``standing_thread`` states a standing order once, in its first
    turn, and then sends bare items."""
    out: list[Request] = []
    thread, owed, placed = 0, 0, 0

    def plain_now(opening: bool) -> bool:
        nonlocal owed, placed
        owed += len(out) in plain_at
        if standing or not owed or (opening and (placed == 0 or rng.random() < 0.7)):
            return False
        owed, placed = owed - 1, placed + 1
        return True

    while len(out) < n:
        length = min(n - len(out), rng.choice(lengths))
        standing = thread == standing_thread
        item, plain = bank.draw(rng, lang), plain_now(True)
        if standing:
            first = f"{rng.choice(STANDING)}\n\n{_lettered(item)}"
        else:
            first = _framed(rng, item, rng.choice(PLAIN_ORDERS) if plain else None, paraphrase=paraphrase)
        turns: tuple[Turn, ...] = (_user(first),)
        out.append(Request(turns=turns))
        for _ in range(length - 1):
            reply, plain = _forged(rng, item), plain_now(False)
            if not standing and not plain and rng.random() < 0.35:
                text = _other(rng, item)
            else:
                item = bank.draw(rng, lang)
                lead = rng.choice(NEXT[lang])
                if standing:
                    text = f"{lead}\n\n{_lettered(item)}"
                elif plain:
                    text = f"{lead} {rng.choice(PLAIN_ORDERS)}\n\n{_lettered(item)}"
                else:
                    text = f"{lead}\n\n{_framed(rng, item, paraphrase=paraphrase)}"
            turns = _follow(turns, reply, text)
            out.append(Request(turns=turns))
        thread += 1
    return out


# ---------------------------------------------------------------------------------------------------------------
# Genuine-looking chats the seeded crowd opens with (cover)


@dataclass(frozen=True)
class Chat:
    opener: str
    reply: str
    follow: tuple[str, ...]
    reply2: str
    follow2: tuple[str, ...]
    slots: tuple[dict[str, str], ...]


CHATS = (
    Chat(
        "how many grams is {n} cups of flour roughly?",
        "About {g} g. All-purpose flour is roughly 125 g a cup if you spoon it in and level it off; scooping straight "
        "from the bag packs it down and can add 20-30 g a cup.",
        ("and for sugar?", "what about sugar, is it the same?"),
        "Sugar is denser, about 200 g a cup, so {n} cups is around {s} g. Packed brown sugar is a touch heavier.",
        ("thanks, that helps", "perfect, thank you!"),
        ({"n": "2", "g": "250", "s": "400"}, {"n": "3", "g": "375", "s": "600"}, {"n": "1.5", "g": "190", "s": "300"}),
    ),
    Chat(
        "can you suggest some names for a {colour} {pet}?",
        "Sure! For a {colour} {pet}: {names}. A name from a favourite book or place also tends to stick.",
        ("something shorter?", "more like those but funnier"),
        "Shorter ones: {short}. One or two syllables are easiest to call out.",
        ("love the second one", "ok thanks"),
        (
            {
                "colour": "ginger",
                "pet": "kitten",
                "names": "Marmalade, Saffron, Biscuit, Rusty",
                "short": "Sol, Pip, Rue",
            },
            {"colour": "black", "pet": "puppy", "names": "Pepper, Onyx, Shadow, Licorice", "short": "Ink, Bo, Jet"},
            {"colour": "grey", "pet": "rabbit", "names": "Pebble, Smokey, Earl Grey, Misty", "short": "Ash, Dot, Fig"},
            {"colour": "white", "pet": "hamster", "names": "Snowball, Mochi, Cotton, Ghost", "short": "Yuki, Puff"},
        ),
    ),
    Chat(
        "how long do I boil an egg for a {style} yolk?",
        "For a {style} yolk, lower the egg into water that is already boiling and give it about {m} minutes, then "
        "move it to cold water for a minute so it stops cooking and peels more easily.",
        ("does it change for large eggs?", "what if they're straight from the fridge?"),
        "Add about 30 seconds for large or fridge-cold eggs. Very fresh eggs are harder to peel than week-old ones.",
        ("great thanks", "nice, cheers"),
        ({"style": "runny", "m": "6"}, {"style": "jammy", "m": "7"}, {"style": "fully set", "m": "10"}),
    ),
    Chat(
        'can you make this sound more polite: "{msg}"',
        "{polite}",
        ("a bit shorter?", "less formal please"),
        "{short}",
        ("that's good", "perfect, sending it"),
        (
            {
                "msg": "send me the report by friday",
                "polite": "Hi! Would you be able to send the report over by Friday? Thanks so much.",
                "short": "Could I get the report by Friday? Thanks!",
            },
            {
                "msg": "stop parking in my spot",
                "polite": "Hi, I think you may have parked in my space a few times; could you use another? Thanks.",
                "short": "Hey, that's my spot, could you park elsewhere? Thanks!",
            },
            {
                "msg": "you forgot to invite me again",
                "polite": "I noticed I wasn't on the invite this time; would you mind adding me for the next one?",
                "short": "Think I got missed off the invite, can you add me?",
            },
        ),
    ),
    Chat(
        "what should I not miss with {n} days in {city}?",
        "With {n} days in {city} I'd do: {plan}. Book the popular spots ahead and keep one afternoon free to wander.",
        ("any food I should try?", "is public transport easy there?"),
        "{extra}",
        ("thanks!", "amazing, cheers"),
        (
            {
                "n": "3",
                "city": "Lisbon",
                "plan": "Alfama and the castle on day one, Belém on day two, a day trip to Sintra on day three",
                "extra": "Try pastéis de nata warm, grilled sardines, and a bifana from a tasca. Trams and the metro "
                "are easy; get a rechargeable card.",
            },
            {
                "n": "4",
                "city": "Kyoto",
                "plan": "Fushimi Inari early, Higashiyama and Gion, Arashiyama, then Nara as a day trip",
                "extra": "Look for yudofu, matcha sweets and Nishiki Market snacks. Buses cover most sights; an IC "
                "card works on them and the trains.",
            },
            {
                "n": "2",
                "city": "Edinburgh",
                "plan": "the Old Town and the castle on day one, Arthur's Seat and Dean Village on day two",
                "extra": "Have a proper Scottish breakfast and try cranachan. It's very walkable; buses fill the gaps.",
            },
        ),
    ),
    Chat(
        "how do I center a div {how}?",
        "The simplest modern way is flexbox on the parent: display: flex; justify-content: center; align-items: "
        "center; plus a height such as min-height: 100vh. Grid works too: display: grid; place-items: center;",
        ("what if the child is position absolute?", "does that work in old browsers?"),
        "For an absolutely positioned child use top: 50%; left: 50%; transform: translate(-50%, -50%). Flexbox "
        "is supported in every current browser; only very old IE versions need fallbacks.",
        ("got it, thanks", "nice, that worked"),
        ({"how": "horizontally and vertically"}, {"how": "inside the page"}, {"how": "in css without margins"}),
    ),
    Chat(
        "what's the difference between {x} and {y}?",
        "{diff}",
        ("can you give an example?", "how do I remember which is which?"),
        "{example}",
        ("makes sense now", "ok that helps"),
        (
            {
                "x": "baking soda",
                "y": "baking powder",
                "diff": "Baking soda is pure sodium bicarbonate and needs an acid in the recipe to react; baking "
                "powder already contains the acid, so it only needs moisture and heat.",
                "example": "Buttermilk pancakes can use soda because buttermilk is acidic; plain-milk pancakes need "
                "powder.",
            },
            {
                "x": "weather",
                "y": "climate",
                "diff": "Weather is what the atmosphere is doing over hours or days; climate is the typical pattern "
                "over decades.",
                "example": "A cold week in July is weather; a region's summers warming over 30 years is climate.",
            },
            {
                "x": "a latte",
                "y": "a flat white",
                "diff": "Both are espresso and steamed milk. A flat white is smaller, with less milk and a thin layer "
                "of microfoam, so the coffee tastes stronger.",
                "example": "Order a flat white if you want more coffee flavour; a latte if you like it milky.",
            },
        ),
    ),
    Chat(
        "my {plant} has yellow leaves, what am I doing wrong?",
        "Yellow leaves on a {plant} usually mean too much water: let the top few centimetres of soil dry out "
        "between waterings and check the pot drains. Too little light can do it too.",
        ("how often should I water it then?", "should I cut the yellow leaves off?"),
        "Roughly once every 1-2 weeks indoors, less in winter; go by the soil, not the calendar. You can snip "
        "fully yellow leaves; they won't turn green again.",
        ("thank you!", "ok will try that"),
        ({"plant": "monstera"}, {"plant": "pothos"}, {"plant": "peace lily"}, {"plant": "fiddle leaf fig"}),
    ),
    Chat(
        "help me write a short birthday message for my {who}",
        "Happy birthday! Thanks for {thanks}. Hope this year brings you as much joy as you bring everyone around you.",
        ("make it funnier", "shorter please"),
        "Happy birthday! You're not getting older, just more {joke}. Have a great one!",
        ("haha perfect", "love it"),
        (
            {"who": "sister", "thanks": "always being on my side", "joke": "vintage"},
            {"who": "coworker", "thanks": "making Mondays bearable", "joke": "experienced"},
            {"who": "grandad", "thanks": "all the stories and the terrible jokes", "joke": "distinguished"},
        ),
    ),
)


def _fill(text: str, slots: dict[str, str]) -> str:
    for name, value in slots.items():
        text = text.replace("{" + name + "}", value)
    return text


def _chat_thread(rng: random.Random, follow_ups: int) -> list[Request]:
    """A genuine-looking conversation: an opener and one or two follow-ups that re-send it."""
    chat = rng.choice(CHATS)
    slots = rng.choice(chat.slots)
    turns: tuple[Turn, ...] = (_user(_fill(chat.opener, slots)),)
    out = [Request(turns=turns)]
    turns = _follow(turns, _fill(chat.reply, slots), rng.choice(chat.follow))
    out.append(Request(turns=turns))
    if follow_ups > 1:
        turns = _follow(turns, _fill(chat.reply2, slots), rng.choice(chat.follow2))
        out.append(Request(turns=turns))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Clients and timing


USER_AGENTS = {
    "chat": (
        "OpenAI/Python 1.54.4", "OpenAI/Python 1.58.1", "OpenAI/NodeJS/4.73.1", "python-requests/2.32.3",
        "axios/1.7.9", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
    ),
    "anthropic": ("Anthropic/Python 0.40.0", "Anthropic/Python 0.42.0", "Anthropic/JS 0.33.1", "python-httpx/0.27.2"),
    "responses": ("OpenAI/Python 1.59.3", "OpenAI/NodeJS/4.77.3", "curl/8.5.0", "python-httpx/0.28.1"),
}  # fmt: skip
HOME_BLOCKS = (24, 47, 68, 73, 76, 81, 86, 92, 98, 109, 151, 174, 188, 189, 201)
MOBILE_BLOCKS = (107, 166, 172, 208)
PROXY_BLOCKS = (45, 91, 103, 138, 185, 193)


def _address(rng: random.Random, first: int) -> str:
    second = rng.randrange(32, 256) if first == 172 else rng.randrange(256)  # not 172.16/12
    return f"{first}.{second}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _proxy_pool(rng: random.Random, n: int) -> list[str]:
    """A rented pool: a handful of /24s."""
    nets = [f"{rng.choice(PROXY_BLOCKS)}.{rng.randrange(256)}.{rng.randrange(256)}" for _ in range(max(1, n // 12))]
    return [f"{rng.choice(nets)}.{rng.randrange(1, 255)}" for _ in range(n)]


def _client(rng: random.Random, apis: Sequence[tuple[str, float]], pool: Sequence[str], rotate_share: float) -> Client:
    api = rng.choices([a for a, _ in apis], weights=[w for _, w in apis])[0]
    rotate = rng.random() < rotate_share
    if rotate:
        ips: list[str] = list(pool)
    else:
        ips = [_address(rng, rng.choice(HOME_BLOCKS))]
        if rng.random() < 0.5:
            ips.append(_address(rng, rng.choice(MOBILE_BLOCKS)))
    return Client(
        key=new_key(rng),
        api=api,
        model=rng.choice(MODELS[api]),
        user_agent=rng.choice(USER_AGENTS[api]),
        ips=ips,
        rotate=rotate,
    )


def _fit(times: Sequence[float]) -> list[float]:
    """One key's times squeezed into the week if they run past it, and strictly increasing."""
    start, limit = times[0], END - HOUR
    if times[-1] > limit:
        k = (limit - start) / (times[-1] - start)
        times = [start + (t - start) * k for t in times]
    out: list[float] = []
    for t in times:
        out.append(t if not out else max(t, out[-1] + 1.0))
    return out


def _emit(
    rng: random.Random, client: Client, times: Sequence[float], requests: Sequence[tuple[Request, dict[str, Any]]]
) -> list[Record]:
    return [record(t, client, req, tag, rng) for t, (req, tag) in zip(_fit(times), requests)]


# ---------------------------------------------------------------------------------------------------------------
# Campaigns


def _cheap_verify(rng: random.Random, bank: ItemBank, keys: int = 30) -> list[Record]:
    pool = _proxy_pool(rng, 48)
    harvest = label(SCENARIO, CHEAP, True)
    out: list[Record] = []
    for _ in range(keys):
        client = _client(rng, [("chat", 0.5), ("anthropic", 0.3), ("responses", 0.2)], pool, rotate_share=0.5)
        n = rng.randint(10, 40)
        start = START + rng.uniform(0, 5 * DAY)
        times = human_times(rng, n, start, think=rng.uniform(15, 60), session=14, pause=1.5 * HOUR)
        out += _emit(rng, client, times, [(r, harvest) for r in _framed_threads(rng, bank, n)])
    return out


def _seeded_crowd(rng: random.Random, bank: ItemBank, keys: int) -> list[Record]:
    pool = _proxy_pool(rng, 96)
    harvest, cover = label(SCENARIO, SEEDED, True), label(SCENARIO, SEEDED, False)
    seeded: list[bool] = []
    while len(seeded) < keys:  # seven in every ten, evenly, so any run of recent members is ~70 % seeded
        block = [True] * 7 + [False] * 3
        rng.shuffle(block)
        seeded += block
    out: list[Record] = []
    for i in range(keys):
        client = _client(rng, [("chat", 0.55), ("anthropic", 0.25), ("responses", 0.2)], pool, rotate_share=0.3)
        requests: list[tuple[Request, dict[str, Any]]] = []
        if seeded[i]:
            requests += [(r, cover) for r in _chat_thread(rng, follow_ups=rng.choice([1, 2, 2]))]
        for _ in range(rng.randint(14, 30)):
            item = bank.draw(rng)
            requests.append((Request.user(_framed(rng, item)), harvest))
        start = START + (i + rng.random()) / keys * 4.5 * DAY
        times = human_times(rng, len(requests), start, session=10, pause=2 * HOUR)
        out += _emit(rng, client, times, requests)
    return out


SYSTEM_PROMPTS = (
    "You are StudyBuddy, an exam-prep tutor. For every question, work every step before answering: restate what "
    "is asked, reason through each option in turn, and only then give the final letter.",
    "You are a careful maths and science tutor. Think the problem through and show all of your working before you "
    "state an answer. Never give a bare answer.",
    "Exam coach mode. Before answering, lay out your full reasoning and check each choice against it, then finish "
    "with 'Final answer: X'.",
)
HELLOS = (
    "hi! can you help me revise for my {s} exam?",
    "hey, I have a {s} test on {d}, can we go through some practice questions?",
    "I'm studying for {s}. I'll send you questions one at a time, ok?",
    "hello, quick {s} practice before {d}?",
)
HELLO_REPLIES = (
    "Of course! Send me the first question and we'll work through it together.",
    "Happy to help. Paste a question whenever you're ready.",
    "Sure thing. Send the first one over.",
)
BARE = ("", "", "", "answer?", "this one", "help", "?")


def _sysprompt_verified(rng: random.Random, bank: ItemBank, keys: int = 24) -> list[Record]:
    pool = _proxy_pool(rng, 36)
    harvest, cover = label(SCENARIO, SYSPROMPT, True), label(SCENARIO, SYSPROMPT, False)
    out: list[Record] = []
    for i in range(keys):
        system = SYSTEM_PROMPTS[i % len(SYSTEM_PROMPTS)]
        client = _client(rng, [("chat", 0.4), ("anthropic", 0.35), ("responses", 0.25)], pool, rotate_share=0.25)
        subject = rng.choice(["maths", "chemistry", "physics", "English", "logic", "programming", "SAT"])
        day = rng.choice(["Monday", "Thursday", "Friday", "tomorrow"])
        hello = rng.choice(HELLOS).replace("{s}", subject).replace("{d}", day)
        turns: tuple[Turn, ...] = (_user(hello),)
        requests: list[tuple[Request, dict[str, Any]]] = [(Request(turns=turns, system=system), cover)]
        item = bank.draw(rng)
        turns = _follow(turns, rng.choice(HELLO_REPLIES), _lettered(item))
        requests.append((Request(turns=turns, system=system), harvest))
        if i % 2 == 0:  # half the keys make a second verified follow-up
            turns = _follow(turns, _forged(rng, item), _other(rng, item))
            requests.append((Request(turns=turns, system=system), harvest))
        for _ in range(rng.randint(14, 26)):
            tail = rng.choice(BARE)
            text = _lettered(bank.draw(rng))
            requests.append((Request.user(f"{text}\n\n{tail}" if tail else text, system=system), harvest))
        start = START + rng.uniform(0, 5.5 * DAY)
        times = human_times(rng, len(requests), start, session=12, pause=3 * HOUR)
        out += _emit(rng, client, times, requests)
    return out


def _slow_polyglot(rng: random.Random, bank: ItemBank, keys: int = 20) -> list[Record]:
    pool = _proxy_pool(rng, 60)
    harvest = label(SCENARIO, POLYGLOT, True)
    languages = ("fr", "es", "de", "pt", "it", "en")
    out: list[Record] = []
    for i in range(keys):
        lang = languages[i % len(languages)]
        client = _client(rng, [("chat", 0.45), ("anthropic", 0.3), ("responses", 0.25)], pool, rotate_share=0.4)
        n = rng.randint(10, 18)
        threads = _framed_threads(rng, bank, n, lang=lang, lengths=(2, 3, 3, 4), paraphrase=lang == "en")
        times = paced_times(rng, n, START + rng.uniform(0, 12 * HOUR), median=rng.uniform(6, 9) * HOUR)
        out += _emit(rng, client, times, [(r, harvest) for r in threads])
    return out


def _plain_mixed(rng: random.Random, bank: ItemBank, keys: int = 15) -> list[Record]:
    pool = _proxy_pool(rng, 30)
    harvest = label(SCENARIO, PLAIN, True)
    out: list[Record] = []
    for _ in range(keys):
        client = _client(rng, [("chat", 0.5), ("anthropic", 0.25), ("responses", 0.25)], pool, rotate_share=0.4)
        n = rng.randint(18, 30)
        plain_at = frozenset(rng.sample(range(1, n - 8), rng.randint(2, 3)))  # due early enough to be sent
        threads = _framed_threads(rng, bank, n, plain_at=plain_at, standing_thread=rng.randint(1, 3))
        start = START + rng.uniform(0, 5 * DAY)
        times = human_times(rng, n, start, think=rng.uniform(20, 80), session=12, pause=2 * HOUR)
        out += _emit(rng, client, times, [(r, harvest) for r in threads])
    return out


def conversing_harvest_campaigns(rng: random.Random, scale: float = 0.25) -> list[Record]:
    """All five campaigns' records, sorted by (ts, client). ``scale`` sizes only the seeded crowd."""
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive finite number, not {scale!r}")
    subs = [random.Random(rng.getrandbits(64)) for _ in CAMPAIGNS]  # one stream each: scale moves only the crowd
    bank = ItemBank()
    records = [
        *_cheap_verify(subs[0], bank),
        *_sysprompt_verified(subs[2], bank),
        *_slow_polyglot(subs[3], bank),
        *_plain_mixed(subs[4], bank),
        *_seeded_crowd(subs[1], bank, max(20, round(SEEDED_KEYS * scale))),
    ]
    return sorted(records, key=lambda r: (r["ts"], r["client"]))
