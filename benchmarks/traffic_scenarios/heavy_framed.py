"""Honest heavy users of item-shaped products: every turn looks like a benchmark item, nobody is distilling.

This population stands for people whose ordinary, legitimate work is to send the model one exam-style item
after another: tutors checking a question bank, quiz authors reviewing their distractors, language learners
practising for an exam, teachers marking, classmates arguing about homework. Their user turns carry the
fields an extraction harness would use (question and answer fields, options (A)-(D), a reference answer, a
mark scheme, "Question: ... Answer: ...") plus a generic request ("explain", "is this right?", "why?",
"check my working", "grade this"). Several of them are very heavy. Every record is labelled
``campaign="benign"``: the population is a false-positive denominator, so its size does not depend on
``scale`` (about 400 keys and 8,000-12,000 requests over seven days from ``timing.START``).

Each key is one person using one app (the apps pass the user's own key through). The apps, each with its
own User-Agent product token, its key count and its requests per key over the week (the first key of each
app sends the minimum and the second the maximum, so the bounds are exact):

* ``question_bank``: ItemSmith, a tutoring centre's question-bank console (Anthropic Messages, a careful
  step-by-step tutor prompt). 12 staff at three centres (London, Toronto, Melbourne) that share each
  centre's address, 150-400 requests each on two to six days, days of about 60-120 items in long sittings
  (tens of seconds to minutes apart, with breaks). Items come as "Bank: ... | Item n / Question: /
  (A)-(D) / Reference answer:", as "Question: / Answer:" or with a worked solution to check; now and then
  the bank's key is wrong. Release 3.5 changes the template to "### Item CODE-n / Q: / Options: / Key:".
* ``quiz_authoring``: QuizLoom, a quiz-authoring tool (OpenAI Chat Completions). 60 authors (ten in one
  publisher's office), 8-120 requests each (log-uniform), asking the model to check each distractor,
  explain the key or grade the item; release 2.3 sends "Quiz: ... / Question: / Answer options: / Marked
  correct:".
* ``exam_practice``: Parlavo, an English-exam practice app (OpenAI Responses). 154 learners whose first
  language is Spanish, Portuguese, German, French, Italian, Polish or Turkish (two language schools share
  an address), 3-40 requests each; English items with the learner's answer and the correct one, the
  learner writing in their own language (now and then in English); release 5.1 localises the field labels.
* ``district_marking``: MarkRoom, the marking service of an invented school district (OpenAI Chat
  Completions, with the ``user`` field set to the teacher). 38 teachers at five schools that each share one
  address, 12-90 requests each, mostly on the first school days after the holiday: question, mark scheme,
  student answer, "grade this"; release 1.9 batches one to three student responses under "Assessment:".
* ``study_group``: StudyHuddle, a study-group app (OpenAI Chat Completions without a system prompt, then
  OpenAI Responses with one after release 4.7). 136 classmates in groups of three to six, 2-20 requests
  each, after school; the group's homework items recur, word for word, across the members' keys within
  hours, and the school library's address is shared.

Human variation: per-person habits (lower case, typos, no final punctuation, abbreviations, greetings,
sign-offs), time zones and sleep, sittings with breaks, one to three devices per person (a home address,
a phone's carrier address that changes daily, a shared office, centre or school address), follow-up turns
that carry the assistant's previous reply as history (about 15-20% of requests: user / assistant / user,
sometimes a second follow-up), about 3-4% unrelated ordinary questions, and a mid-week app release that
changes the app's template and its version in the User-Agent (people pick the update up hours later, a
few not at all).

Items: mathematics, science, history, geography, reading comprehension, grammar, vocabulary, driving
theory, professional certification and coding trivia, generated from hand-written tables with numbers,
names and events drawn at random, and distractors drawn from a larger pool. Common-knowledge questions and
small sums do turn up in more than one app, as they do in real teaching material; generated passages
practically never do.

Provenance: written for this benchmark by an author other than the one who wrote QuerySentry's detection
rules, without reading the product's code, rules, results or other traffic scenarios (only the
``records``, ``network`` and ``timing`` helpers). Every text here (system prompts, items, answers, replies,
messages) was written for this module; no public dataset or benchmark was copied. Items are generated
combinatorially from small hand-written tables and templates.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from benchmarks.traffic_scenarios.network import residential_ip
from benchmarks.traffic_scenarios.records import BENIGN, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

__all__ = ["APPS", "END", "SCENARIO", "AppShape", "heavy_framed_users"]

SCENARIO = "heavy_framed"
END = START + 7 * DAY
LETTERS = "ABCD"
Record = dict[str, Any]
Turn = dict[str, str]


@dataclass(frozen=True)
class AppShape:
    """What a reader can check about one app's traffic."""

    agent: str  # User-Agent product token
    keys: int
    min_requests: int
    max_requests: int
    apis: tuple[str, ...]  # API shapes, in the order the app used them
    versions: tuple[str, str]  # before and after the mid-week release
    release: float  # seconds after START when the new version ships


APPS: dict[str, AppShape] = {
    "question_bank": AppShape("ItemSmith", 12, 150, 400, ("anthropic",), ("3.4.2", "3.5.0"), 3.4 * DAY),
    "quiz_authoring": AppShape("QuizLoom", 60, 8, 120, ("chat",), ("2.2.7", "2.3.0"), 2.6 * DAY),
    "exam_practice": AppShape("Parlavo", 154, 3, 40, ("responses",), ("5.0.3", "5.1.0"), 4.2 * DAY),
    "district_marking": AppShape("MarkRoom", 38, 12, 90, ("chat",), ("1.8.4", "1.9.0"), 4.6 * DAY),
    "study_group": AppShape("StudyHuddle", 136, 2, 20, ("chat", "responses"), ("4.6.1", "4.7.0"), 3.5 * DAY),
}

# ---------------------------------------------------------------------------------------------------------
# Items: a small generator per subject, each drawing numbers or rows from hand-written tables.
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    subject: str
    stem: str
    options: tuple[str, ...]
    key: int
    why: str
    context: str = ""

    @property
    def answer(self) -> str:
        return self.options[self.key]

    @property
    def letter(self) -> str:
        return LETTERS[self.key]

    @property
    def standalone(self) -> bool:
        """Whether the question makes sense without its options, so that it can be asked open-ended."""
        return not any(cue in self.stem for cue in ("of these", "Which option", "closest in meaning", "Which verb"))

    def wrong(self, rng: random.Random) -> int:
        return rng.choice([i for i in range(len(self.options)) if i != self.key])

    def option_lines(self) -> list[str]:
        return [f"({LETTERS[i]}) {text}" for i, text in enumerate(self.options)]


Gen = Callable[[random.Random], Item]
Fact = tuple[tuple[str, ...], str, tuple[str, ...], str]


def _mcq(
    rng: random.Random, subject: str, stem: str, correct: str, candidates: Sequence[str], why: str, context: str = ""
) -> Item:
    wrong: list[str] = []
    for text in candidates:
        if text != correct and text not in wrong:
            wrong.append(text)
    for pad in ("none of these", "it cannot be worked out from the information given", "all of these"):
        if len(wrong) >= 3:
            break
        wrong.append(pad)
    picked = rng.sample(wrong[:6], 3)
    key = rng.randrange(4)
    options = (*picked[:key], correct, *picked[key:])
    return Item(subject, stem, tuple(options), key, why, context)


def _fact(rng: random.Random, subject: str, facts: Sequence[Fact]) -> Item:
    stems, answer, distractors, why = rng.choice(facts)
    return _mcq(rng, subject, rng.choice(stems), answer, distractors, why)


def _fmt(x: float) -> str:
    x = round(x, 2)
    if abs(x - round(x)) < 1e-9:
        return str(round(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _signed(b: int) -> str:
    return f"+ {b}" if b >= 0 else f"- {-b}"


# --- mathematics -----------------------------------------------------------------------------------------


def _maths_linear(rng: random.Random) -> Item:
    a, x = rng.randint(2, 9), rng.randint(-4, 12)
    b = rng.choice([v for v in range(-15, 26) if v != 0])
    c = a * x + b
    eq = f"{a}x {_signed(b)} = {c}"
    stem = rng.choice((f"Solve for x: {eq}.", f"If {eq}, what is the value of x?", f"Find x when {eq}."))
    cands = [str((c + b) // a)] if (c + b) % a == 0 else []
    cands += [str(x + 1), str(-x), str(x - 1), str(x + 2)]
    step = f"subtract {b} from both sides" if b > 0 else f"add {-b} to both sides"
    why = f"First {step} to get {a}x = {c - b}, then divide both sides by {a}, so x = {x}."
    return _mcq(rng, "maths", stem, str(x), cands, why)


def _maths_percent(rng: random.Random) -> Item:
    p = rng.choice((5, 10, 15, 20, 25, 30, 40, 60, 75))
    n = 20 * rng.randint(4, 40)
    ans = p * n // 100
    cur = rng.choice(("£", "$", "€"))
    why = f"{p}% means {p} out of every 100, so {p}/100 × {n} = {ans}."
    form = rng.randrange(3)
    if form == 0:
        stem = f"What is {p}% of {n}?"
        return _mcq(rng, "maths", stem, str(ans), [str(ans * 10), str(n - ans), str(ans + p), str(2 * ans)], why)
    if form == 1:
        stem = f"A coat priced at {cur}{n} is reduced by {p}% in a sale. How much is taken off the price?"
        cands = [f"{cur}{n - ans}", f"{cur}{ans * 10}", f"{cur}{p}", f"{cur}{ans + p}"]
        return _mcq(rng, "maths", stem, f"{cur}{ans}", cands, why)
    stem = f"In a year group of {n} pupils, {p}% walk to school. How many pupils walk?"
    return _mcq(rng, "maths", stem, str(ans), [str(n - ans), str(p), str(ans * 10), str(ans + 5)], why)


def _maths_rectangle(rng: random.Random) -> Item:
    w, h = rng.sample(range(3, 26), 2)
    unit = rng.choice(("cm", "m"))
    thing = rng.choice(("A rectangle", "A rectangular garden", "A rectangular poster", "A classroom floor"))
    if rng.random() < 0.5:
        stem = f"{thing} measures {w} {unit} by {h} {unit}. What is its perimeter?"
        ans = 2 * (w + h)
        cands = [f"{w * h} {unit}", f"{w + h} {unit}", f"{2 * w + h} {unit}", f"{4 * max(w, h)} {unit}"]
        why = f"The perimeter is the distance all the way round: 2 × ({w} + {h}) = {ans} {unit}."
        return _mcq(rng, "maths", stem, f"{ans} {unit}", cands, why)
    stem = f"{thing} is {w} {unit} wide and {h} {unit} long. What is its area?"
    ans = w * h
    cands = [f"{2 * (w + h)} {unit}²", f"{w + h} {unit}²", f"{ans + w} {unit}²", f"{ans // 2} {unit}²"]
    return _mcq(rng, "maths", stem, f"{ans} {unit}²", cands, f"Area is width × length: {w} × {h} = {ans} {unit}².")


_MOVERS = (
    ("A cyclist", (12, 15, 16, 18, 20, 24)),
    ("A runner", (8, 9, 10, 12, 14)),
    ("A coach", (45, 50, 60, 72, 80, 90)),
    ("A ferry", (18, 20, 24, 30, 36)),
    ("A delivery van", (36, 40, 48, 56, 64)),
)


def _maths_speed(rng: random.Random) -> Item:
    who, speeds = rng.choice(_MOVERS)
    s, t = rng.choice(speeds), rng.choice((2, 3, 4, 5, 6, 7, 8))
    d = s * t
    stem = rng.choice(
        (
            f"{who} travels {d} km in {t} hours at a steady pace. What is its average speed?",
            f"{who} covers {d} km in {t} hours. What is the average speed in km/h?",
        )
    )
    cands = [f"{d * t} km/h", f"{d - t} km/h", f"{2 * s} km/h", f"{s + t} km/h"]
    return _mcq(rng, "maths", stem, f"{s} km/h", cands, f"Speed is distance ÷ time: {d} ÷ {t} = {s} km/h.")


def _maths_probability(rng: random.Random) -> Item:
    r, b = rng.randint(1, 9), rng.randint(1, 9)
    c1, c2 = rng.choice((("red", "blue"), ("green", "yellow"), ("black", "white"), ("striped", "plain")))
    p = Fraction(r, r + b)
    stem = f"A bag holds {r} {c1} and {b} {c2} marbles. One is taken at random. What is the probability it is {c1}?"
    cands = [str(Fraction(b, r + b)), str(Fraction(1, r + b)), str(Fraction(r, r + b + 1))]
    if r != b:
        cands.insert(0, f"{r}/{b}")
    why = f"There are {r} + {b} = {r + b} marbles and {r} of them are {c1}, so the probability is {r}/{r + b}"
    why += f", which simplifies to {p}." if str(p) != f"{r}/{r + b}" else "."
    return _mcq(rng, "maths", stem, str(p), cands, why)


def _maths_interest(rng: random.Random) -> Item:
    principal = rng.choice((200, 400, 500, 800, 1000, 1200, 1500, 2000, 2500, 4000))
    rate, years = rng.choice((2, 3, 4, 5, 6, 8)), rng.randint(2, 6)
    interest = principal * rate * years // 100
    cur = rng.choice(("£", "$", "€"))
    stem = (
        f"{cur}{principal:,} is invested at {rate}% simple interest per year. "
        f"How much interest is earned in {years} years?"
    )
    compound = principal * ((1 + rate / 100) ** years - 1)
    cands = [
        f"{cur}{principal * rate // 100:,}",
        f"{cur}{principal + interest:,}",
        f"{cur}{compound:,.2f}",
        f"{cur}{interest + principal * rate // 100:,}",
    ]
    why = f"Simple interest is principal × rate × time: {principal:,} × {rate}/100 × {years} = {interest:,}."
    return _mcq(rng, "maths", stem, f"{cur}{interest:,}", cands, why)


def _maths_fraction(rng: random.Random) -> Item:
    b, d = rng.randint(2, 9), rng.randint(2, 9)
    a, c = rng.randint(1, b - 1), rng.randint(1, d - 1)
    total = Fraction(a, b) + Fraction(c, d)
    lcm = math.lcm(b, d)
    top = a * lcm // b + c * lcm // d
    stem = rng.choice(
        (f"What is {a}/{b} + {c}/{d}?", f"Work out {a}/{b} + {c}/{d}, giving the answer in its simplest form.")
    )
    cands = [
        f"{a + c}/{b + d}",
        str(Fraction(a * c, b * d)),
        str(total + Fraction(1, b * d)),
        str(Fraction(a + c, b * d)),
    ]
    why = f"Use the common denominator {lcm}: {a}/{b} = {a * lcm // b}/{lcm} and {c}/{d} = {c * lcm // d}/{lcm}, "
    why += f"so the sum is {top}/{lcm}" + (f", which simplifies to {total}." if str(total) != f"{top}/{lcm}" else ".")
    return _mcq(rng, "maths", stem, str(total), cands, why)


def _maths_mean(rng: random.Random) -> Item:
    m = rng.randint(6, 15)
    while True:
        xs = [rng.randint(m - 5, m + 5) for _ in range(4)]
        last = 5 * m - sum(xs)
        if 1 <= last <= 30:
            break
    xs.append(last)
    rng.shuffle(xs)
    stem = f"What is the mean of {', '.join(map(str, xs[:-1]))} and {xs[-1]}?"
    cands = [str(sorted(xs)[2]), str(m + 1), str(m - 1), _fmt(sum(xs) / 4)]
    return _mcq(rng, "maths", stem, str(m), cands, f"The five numbers add up to {5 * m}, and {5 * m} ÷ 5 = {m}.")


def _maths_triangle(rng: random.Random) -> Item:
    a = rng.randint(25, 95)
    b = rng.randint(20, 150 - a)
    c = 180 - a - b
    stem = f"Two angles of a triangle are {a}° and {b}°. What is the third angle?"
    cands = [f"{360 - a - b}°", f"{a + b}°", f"{c + 10}°", f"{abs(90 - a - b)}°"]
    return _mcq(
        rng, "maths", stem, f"{c}°", cands, f"The angles of a triangle add up to 180°, so 180 - {a} - {b} = {c}°."
    )


# --- science ---------------------------------------------------------------------------------------------

_SCIENCE: tuple[Fact, ...] = (
    (
        (
            "Which gas do green plants take in from the air for photosynthesis?",
            "Which gas do leaves absorb during photosynthesis?",
        ),
        "carbon dioxide",
        ("oxygen", "nitrogen", "hydrogen", "methane", "argon"),
        "Plants take in carbon dioxide and water and, using light energy, make glucose and give off oxygen.",
    ),
    (
        ("What is the chemical symbol for sodium?", "Which symbol stands for sodium in the periodic table?"),
        "Na",
        ("S", "So", "N", "Sd", "K"),
        "The symbol comes from sodium's Latin name, natrium.",
    ),
    (
        (
            "In which part of a cell does most aerobic respiration happen?",
            "Where in a cell does most aerobic respiration take place?",
        ),
        "the mitochondria",
        ("the nucleus", "the ribosomes", "the cell wall", "the chloroplasts", "the vacuole"),
        "Mitochondria release energy from glucose during aerobic respiration.",
    ),
    (
        ("What is the pH of pure water at 25 °C?", "Pure water at 25 °C has which pH?"),
        "7",
        ("0", "1", "14", "5", "9"),
        "Pure water is neutral, and neutral is pH 7 at that temperature.",
    ),
    (
        ("Which planet is closest to the Sun?", "Which planet orbits nearest to the Sun?"),
        "Mercury",
        ("Venus", "Mars", "Earth", "Jupiter", "Saturn"),
        "Mercury's orbit is the innermost one.",
    ),
    (
        (
            "What kind of bond forms when two atoms share a pair of electrons?",
            "Two atoms share a pair of electrons. What type of bond is this?",
        ),
        "a covalent bond",
        ("an ionic bond", "a metallic bond", "a hydrogen bond", "a metallic lattice", "an ionic lattice"),
        "Sharing electron pairs is covalent bonding; ionic bonding transfers electrons instead.",
    ),
    (
        ("Which part of the blood carries oxygen around the body?", "Which component of blood transports oxygen?"),
        "red blood cells",
        ("white blood cells", "platelets", "plasma proteins", "antibodies", "bone marrow cells"),
        "Red blood cells contain haemoglobin, which picks up oxygen in the lungs.",
    ),
    (
        ("Sound cannot travel through which of these?", "Through which of these can sound NOT travel?"),
        "a vacuum",
        ("water", "steel", "air", "wood", "glass"),
        "Sound is a vibration passed between particles, so it needs a medium; a vacuum has none.",
    ),
    (
        ("What is the SI unit of force?", "In which SI unit is force measured?"),
        "the newton",
        ("the joule", "the watt", "the pascal", "the kilogram", "the hertz"),
        "Force is measured in newtons; joules measure energy and watts measure power.",
    ),
    (
        ("What is the SI unit of electrical resistance?", "In which SI unit is electrical resistance measured?"),
        "the ohm",
        ("the volt", "the ampere", "the coulomb", "the watt", "the farad"),
        "Resistance is measured in ohms (Ω).",
    ),
    (
        (
            "At sea level, pure water boils at about what temperature?",
            "What is the boiling point of pure water at sea level?",
        ),
        "100 °C",
        ("90 °C", "80 °C", "120 °C", "110 °C", "0 °C"),
        "At normal atmospheric pressure the boiling point of water is 100 °C.",
    ),
    (
        (
            "What do we call an organism that makes its own food using light?",
            "In a food chain, what is an organism that makes its own food from light called?",
        ),
        "a producer",
        ("a consumer", "a decomposer", "a predator", "a parasite", "a scavenger"),
        "Producers such as plants make food by photosynthesis; everything else in the food chain depends on them.",
    ),
    (
        (
            "Which force keeps the planets in orbit around the Sun?",
            "What keeps the planets moving in their orbits around the Sun?",
        ),
        "gravity",
        ("magnetism", "friction", "air resistance", "the solar wind", "static electricity"),
        "The Sun's gravitational pull bends each planet's path into an orbit.",
    ),
    (
        ("Which element has the atomic number 6?", "The atoms of which element each have six protons?"),
        "carbon",
        ("oxygen", "nitrogen", "boron", "lithium", "neon"),
        "Carbon atoms have six protons.",
    ),
    (
        (
            "Roughly how long does sunlight take to reach Earth?",
            "About how long does light from the Sun take to get to Earth?",
        ),
        "about 8 minutes",
        ("about 8 seconds", "about 8 hours", "about 1 second", "about 8 days", "about 80 minutes"),
        "The Sun is about 150 million km away, and light covers that in a little over 8 minutes.",
    ),
    (
        (
            "Which blood vessels carry blood away from the heart?",
            "Which vessels carry blood from the heart to the rest of the body?",
        ),
        "arteries",
        ("veins", "capillaries", "lymph vessels", "venules", "the pulmonary veins"),
        "Arteries carry blood away from the heart; veins bring it back.",
    ),
)


def _science_fact(rng: random.Random) -> Item:
    return _fact(rng, "science", _SCIENCE)


def _science_ohm(rng: random.Random) -> Item:
    r = rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20, 22, 24, 25, 30, 40, 47, 50, 68, 100, 220))
    i = rng.choice((0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6))
    v = r * i
    stem = f"A current of {_fmt(i)} A flows through a {r} Ω resistor. What is the potential difference across it?"
    cands = [f"{_fmt(r / i)} V", f"{_fmt(i / r)} V", f"{_fmt(r + i)} V", f"{_fmt(2 * v)} V"]
    return _mcq(rng, "science", stem, f"{_fmt(v)} V", cands, f"Use V = I × R: {_fmt(i)} A × {r} Ω = {_fmt(v)} V.")


def _science_density(rng: random.Random) -> Item:
    vol = rng.randint(2, 40)
    dens = rng.choice((0.7, 0.8, 0.9, 1.2, 1.5, 2.2, 2.5, 2.7, 7.9, 8.9, 10.5, 11.3))
    mass = dens * vol
    stem = f"A block has a mass of {_fmt(mass)} g and a volume of {vol} cm³. What is its density?"
    cands = [
        f"{_fmt(vol / mass)} g/cm³",
        f"{_fmt(mass * vol)} g/cm³",
        f"{_fmt(abs(mass - vol))} g/cm³",
        f"{_fmt(2 * dens)} g/cm³",
    ]
    why = f"Density is mass ÷ volume: {_fmt(mass)} ÷ {vol} = {_fmt(dens)} g/cm³."
    return _mcq(rng, "science", stem, f"{_fmt(dens)} g/cm³", cands, why)


def _science_speed(rng: random.Random) -> Item:
    a, t = rng.randint(1, 12) / 2, rng.randint(2, 20)
    v = a * t
    stem = f"A car starts from rest and accelerates at {_fmt(a)} m/s² for {t} s. What is its final speed?"
    cands = [f"{_fmt(0.5 * a * t * t)} m/s", f"{_fmt(a / t)} m/s", f"{_fmt(a + t)} m/s", f"{_fmt(v + a)} m/s"]
    why = f"Starting from rest, final speed = acceleration × time = {_fmt(a)} × {t} = {_fmt(v)} m/s."
    return _mcq(rng, "science", stem, f"{_fmt(v)} m/s", cands, why)


# --- history ---------------------------------------------------------------------------------------------

_HISTORY: tuple[Fact, ...] = (
    (
        ("In which year did the Berlin Wall fall?", "The Berlin Wall was opened in which year?"),
        "1989",
        ("1991", "1985", "1979", "1987", "1993"),
        "The crossings in Berlin opened in November 1989, and the wall came down over the following months.",
    ),
    (
        ("Who was the first person to walk on the Moon?", "Which astronaut stepped onto the Moon first?"),
        "Neil Armstrong",
        ("Buzz Aldrin", "Yuri Gagarin", "John Glenn", "Michael Collins", "Alan Shepard"),
        "Armstrong left the Apollo 11 lander first, in July 1969, and Aldrin followed him.",
    ),
    (
        ("In which year did the First World War begin?", "The First World War broke out in which year?"),
        "1914",
        ("1912", "1916", "1918", "1905", "1939"),
        "Fighting began in the summer of 1914, weeks after Archduke Franz Ferdinand was assassinated.",
    ),
    (
        ("In which year was Magna Carta sealed?", "King John agreed to Magna Carta in which year?"),
        "1215",
        ("1066", "1415", "1315", "1265", "1192"),
        "King John sealed it at Runnymede in 1215.",
    ),
    (
        (
            "The storming of the Bastille, often taken as the start of the French Revolution, happened in which year?",
            "In which year was the Bastille stormed?",
        ),
        "1789",
        ("1776", "1799", "1815", "1769", "1804"),
        "The Bastille fell on 14 July 1789.",
    ),
    (
        (
            "Who is credited with bringing movable-type printing to Europe?",
            "Who developed printing with movable metal type in Europe around 1450?",
        ),
        "Johannes Gutenberg",
        ("William Caxton", "Martin Luther", "Leonardo da Vinci", "Galileo Galilei", "Erasmus"),
        "Gutenberg's press in Mainz, around 1450, made books far cheaper to produce; Caxton later brought "
        "printing to England.",
    ),
    (
        (
            "Which civilisation built the mountain citadel of Machu Picchu?",
            "Machu Picchu was built by which civilisation?",
        ),
        "the Inca",
        ("the Aztecs", "the Maya", "the Olmecs", "the Moche", "the Toltecs"),
        "Machu Picchu was built in the fifteenth century as an Inca royal estate high in the Andes.",
    ),
    (
        (
            "In which country did the Meiji Restoration take place?",
            "The Meiji Restoration of 1868 took place in which country?",
        ),
        "Japan",
        ("China", "Korea", "Thailand", "Vietnam", "the Philippines"),
        "The Meiji Restoration of 1868 restored power to the Japanese emperor and began rapid modernisation.",
    ),
    (
        (
            "Who was the first woman to win a Nobel Prize?",
            "Which scientist was the first woman to receive a Nobel Prize?",
        ),
        "Marie Curie",
        ("Rosalind Franklin", "Dorothy Hodgkin", "Lise Meitner", "Florence Nightingale", "Ada Lovelace"),
        "Marie Curie shared the 1903 physics prize and went on to win the 1911 chemistry prize.",
    ),
    (
        ("In which country did the Industrial Revolution begin?", "Where did the Industrial Revolution start?"),
        "Britain",
        ("France", "Germany", "the United States", "the Netherlands", "Belgium"),
        "Factories, canals and steam power spread first in Britain from the late eighteenth century.",
    ),
    (
        (
            "Which treaty, signed in 1919, set the peace terms between Germany and the Allies?",
            "What is the name of the 1919 treaty that set the peace terms between Germany and the Allies?",
        ),
        "the Treaty of Versailles",
        (
            "the Treaty of Utrecht",
            "the Treaty of Tordesillas",
            "the Treaty of Nanking",
            "the Treaty of Rome",
            "the Treaty of Ghent",
        ),
        "It was signed in June 1919 in the Hall of Mirrors at Versailles.",
    ),
    (
        ("In which year did the Soviet Union dissolve?", "The Soviet Union broke up in which year?"),
        "1991",
        ("1989", "1985", "1993", "1995", "1979"),
        "The Soviet Union formally ceased to exist in December 1991.",
    ),
    (
        (
            "Nelson Mandela became president of South Africa in which year?",
            "In which year was Nelson Mandela first elected president of South Africa?",
        ),
        "1994",
        ("1990", "1984", "1999", "1996", "1989"),
        "He was released from prison in 1990 and became president after the 1994 election.",
    ),
    (
        ("Who was the first emperor of Rome?", "Who became the first Roman emperor?"),
        "Augustus",
        ("Julius Caesar", "Nero", "Constantine", "Tiberius", "Hadrian"),
        "Julius Caesar was dictator, not emperor; his heir Octavian took the name Augustus in 27 BC.",
    ),
    (
        (
            "Which empire was ruled from Constantinople for most of the Middle Ages?",
            "Constantinople was the capital of which empire for most of the Middle Ages?",
        ),
        "the Byzantine Empire",
        (
            "the Ottoman Empire",
            "the Holy Roman Empire",
            "the Mongol Empire",
            "the Carolingian Empire",
            "the Abbasid Caliphate",
        ),
        "The eastern Roman state, ruled from Constantinople, lasted until the city fell to the Ottomans in 1453.",
    ),
    (
        (
            "In which year did Christopher Columbus first reach the Americas?",
            "Columbus first landed in the Americas in which year?",
        ),
        "1492",
        ("1488", "1498", "1519", "1453", "1502"),
        "His first voyage made landfall in the Caribbean in October 1492.",
    ),
    (
        (
            "In which year was the United States Declaration of Independence adopted?",
            "The Declaration of Independence of the United States dates from which year?",
        ),
        "1776",
        ("1783", "1789", "1765", "1770", "1791"),
        "The Continental Congress adopted it on 4 July 1776.",
    ),
    (
        ("In which year did the Second World War end?", "The Second World War ended in which year?"),
        "1945",
        ("1944", "1946", "1939", "1941", "1950"),
        "Germany surrendered in May 1945 and Japan in September 1945.",
    ),
)


_EVENTS = (
    ("the Norman conquest of England", 1066),
    ("the sealing of Magna Carta", 1215),
    ("the fall of Constantinople to the Ottomans", 1453),
    ("Columbus's first landing in the Americas", 1492),
    ("the adoption of the US Declaration of Independence", 1776),
    ("the storming of the Bastille", 1789),
    ("the Battle of Waterloo", 1815),
    ("the Meiji Restoration", 1868),
    ("the Wright brothers' first powered flight", 1903),
    ("the start of the First World War", 1914),
    ("the Russian Revolution", 1917),
    ("the signing of the Treaty of Versailles", 1919),
    ("the end of the Second World War", 1945),
    ("the first Moon landing", 1969),
    ("the fall of the Berlin Wall", 1989),
    ("the dissolution of the Soviet Union", 1991),
    ("Nelson Mandela's election as president of South Africa", 1994),
    ("the coronation of Charlemagne as emperor", 800),
    ("the return of Magellan's expedition after sailing round the world", 1522),
    ("the Peace of Westphalia", 1648),
    ("the Great Fire of London", 1666),
    ("the Glorious Revolution in England", 1688),
    ("the abolition of the slave trade in the British Empire", 1807),
    ("the opening of the Suez Canal", 1869),
    ("the sinking of the Titanic", 1912),
    ("the Wall Street Crash", 1929),
    ("Indian independence", 1947),
    ("the first ascent of Mount Everest", 1953),
    ("the launch of Sputnik 1", 1957),
    ("the reunification of Germany", 1990),
)


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def _history(rng: random.Random) -> Item:
    roll = rng.random()
    if roll < 0.4:
        return _fact(rng, "history", _HISTORY)
    if roll < 0.75:
        (a, ya), (b, yb) = sorted(rng.sample(_EVENTS, 2), key=lambda e: e[1])
        gap = yb - ya
        stem = rng.choice(
            (
                f"How many years passed between {a} and {b}?",
                f"{_capital(a)} happened in {ya}. How many years later came {b}?",
            )
        )
        cands = [str(gap + 1), str(gap - 1), str(gap + 10), str(abs(gap - 10)), str(gap + 100)]
        why = f"{_capital(a)} was in {ya} and {b} in {yb}, so {yb} - {ya} = {gap} years."
        return _mcq(rng, "history", stem, str(gap), cands, why)
    picked = sorted(rng.sample(_EVENTS, 4), key=lambda e: e[1])
    if rng.random() < 0.5:
        stem, answer, others = "Which of these events happened first?", picked[0], picked[1:]
    else:
        stem, answer, others = "Which of these events happened most recently?", picked[-1], picked[:-1]
    why = "In order: " + ", ".join(f"{e} ({y})" for e, y in picked) + "."
    return _mcq(rng, "history", stem, answer[0], [e for e, _y in others], why)


# --- geography -------------------------------------------------------------------------------------------

_CAPITALS = (
    ("Australia", "Canberra", ("Sydney", "Melbourne", "Perth", "Brisbane", "Adelaide")),
    ("Canada", "Ottawa", ("Toronto", "Montreal", "Vancouver", "Calgary", "Quebec City")),
    ("Brazil", "Brasília", ("Rio de Janeiro", "São Paulo", "Salvador", "Belo Horizonte", "Recife")),
    ("Turkey", "Ankara", ("Istanbul", "Izmir", "Antalya", "Bursa", "Konya")),
    ("Switzerland", "Bern", ("Zurich", "Geneva", "Basel", "Lausanne", "Lucerne")),
    ("Morocco", "Rabat", ("Casablanca", "Marrakesh", "Fez", "Tangier", "Agadir")),
    ("Nigeria", "Abuja", ("Lagos", "Kano", "Ibadan", "Port Harcourt", "Enugu")),
    ("New Zealand", "Wellington", ("Auckland", "Christchurch", "Hamilton", "Dunedin", "Queenstown")),
    ("Vietnam", "Hanoi", ("Ho Chi Minh City", "Da Nang", "Hue", "Hai Phong", "Can Tho")),
    ("Pakistan", "Islamabad", ("Karachi", "Lahore", "Peshawar", "Quetta", "Multan")),
    ("Kenya", "Nairobi", ("Mombasa", "Kisumu", "Nakuru", "Eldoret", "Malindi")),
    ("South Korea", "Seoul", ("Busan", "Incheon", "Daegu", "Gwangju", "Daejeon")),
    ("Egypt", "Cairo", ("Alexandria", "Giza", "Luxor", "Aswan", "Port Said")),
    ("Argentina", "Buenos Aires", ("Córdoba", "Rosario", "Mendoza", "La Plata", "Salta")),
    ("Peru", "Lima", ("Cusco", "Arequipa", "Trujillo", "Iquitos", "Piura")),
    ("Poland", "Warsaw", ("Kraków", "Gdańsk", "Wrocław", "Poznań", "Łódź")),
    ("Spain", "Madrid", ("Barcelona", "Seville", "Valencia", "Bilbao", "Málaga")),
    ("India", "New Delhi", ("Mumbai", "Kolkata", "Bengaluru", "Chennai", "Hyderabad")),
    ("China", "Beijing", ("Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Wuhan")),
    ("Germany", "Berlin", ("Munich", "Hamburg", "Frankfurt", "Cologne", "Stuttgart")),
    ("Italy", "Rome", ("Milan", "Naples", "Turin", "Florence", "Venice")),
    ("Norway", "Oslo", ("Bergen", "Trondheim", "Stavanger", "Tromsø", "Drammen")),
    ("Ghana", "Accra", ("Kumasi", "Tamale", "Takoradi", "Cape Coast", "Tema")),
    ("Colombia", "Bogotá", ("Medellín", "Cali", "Cartagena", "Barranquilla", "Bucaramanga")),
    ("Japan", "Tokyo", ("Osaka", "Kyoto", "Yokohama", "Nagoya", "Sapporo")),
    ("Portugal", "Lisbon", ("Porto", "Braga", "Coimbra", "Faro", "Aveiro")),
)

_PLACES: tuple[Fact, ...] = (
    (
        ("Which is the largest ocean on Earth?", "What is the biggest ocean on Earth?"),
        "the Pacific Ocean",
        ("the Atlantic Ocean", "the Indian Ocean", "the Arctic Ocean", "the Southern Ocean", "the Mediterranean Sea"),
        "The Pacific covers about a third of the planet's surface.",
    ),
    (
        ("Which mountain has the highest summit above sea level?", "Which is the highest mountain above sea level?"),
        "Mount Everest",
        ("K2", "Kangchenjunga", "Mont Blanc", "Denali", "Aconcagua"),
        "Everest's summit is about 8,849 m above sea level, higher than any other.",
    ),
    (
        ("Which river flows through Cairo?", "Cairo stands on which river?"),
        "the Nile",
        ("the Niger", "the Congo", "the Euphrates", "the Zambezi", "the Jordan"),
        "Cairo lies on the Nile, just south of its delta.",
    ),
    (
        ("Which continent has the most countries?", "Which continent is made up of the largest number of countries?"),
        "Africa",
        ("Asia", "Europe", "South America", "Oceania", "North America"),
        "Africa has 54 countries that are members of the United Nations, more than any other continent.",
    ),
    (
        ("What is the largest hot desert in the world?", "Which is the world's largest hot desert?"),
        "the Sahara",
        ("the Gobi", "the Kalahari", "the Atacama", "the Arabian Desert", "the Great Victoria Desert"),
        "Antarctica is a larger desert but a cold one; the Sahara is the largest hot desert.",
    ),
    (
        (
            "Which line of latitude divides Earth into northern and southern hemispheres?",
            "Which line of latitude splits the Earth into the northern and southern hemispheres?",
        ),
        "the Equator",
        (
            "the Tropic of Cancer",
            "the Prime Meridian",
            "the Arctic Circle",
            "the Tropic of Capricorn",
            "the International Date Line",
        ),
        "The Equator is latitude 0°; the Prime Meridian is a line of longitude.",
    ),
    (
        (
            "What do we call a large mass of ice that moves slowly over land?",
            "What is a slow-moving mass of ice on land called?",
        ),
        "a glacier",
        ("an iceberg", "a fjord", "a moraine", "an ice shelf", "a crevasse"),
        "A glacier flows over land; an iceberg is a piece that has broken off into water.",
    ),
    (
        ("Which country has the largest land area?", "What is the largest country in the world by area?"),
        "Russia",
        ("Canada", "China", "the United States", "Brazil", "Australia"),
        "Russia covers about 17 million km², far more than Canada, the next largest.",
    ),
)


_ZONES = (
    ("Tokyo", 9.0),
    ("Nairobi", 3.0),
    ("New York", -5.0),
    ("Mexico City", -6.0),
    ("Dubai", 4.0),
    ("Mumbai", 5.5),
    ("Bangkok", 7.0),
    ("Berlin", 1.0),
    ("Buenos Aires", -3.0),
    ("Los Angeles", -8.0),
    ("Singapore", 8.0),
    ("Moscow", 3.0),
    ("Cairo", 2.0),
)


def _clock(hours: float) -> str:
    minutes = round(hours * 60) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _geography_numbers(rng: random.Random) -> Item:
    kind = rng.randrange(3)
    if kind == 0:
        scale = rng.choice((10_000, 25_000, 50_000, 100_000, 200_000, 250_000))
        cm = rng.randint(3, 48) / 2
        km = scale * cm / 100_000
        stem = (
            f"On a map with a scale of 1:{scale:,}, two villages are {_fmt(cm)} cm apart. "
            "How far apart are they in reality?"
        )
        cands = [f"{_fmt(km * 10)} km", f"{_fmt(km / 10)} km", f"{_fmt(km * 100)} km", f"{_fmt(km + 1)} km"]
        why = f"1 cm on the map is {scale:,} cm = {_fmt(scale / 100_000)} km, so {_fmt(cm)} cm is {_fmt(km)} km."
        return _mcq(rng, "geography", stem, f"{_fmt(km)} km", cands, why)
    if kind == 1:
        city, offset = rng.choice(_ZONES)
        hour = rng.randint(0, 23)
        whole, half = divmod(abs(offset), 1)
        sign = f"UTC{'+' if offset >= 0 else '-'}{int(whole)}" + (":30" if half else "")
        stem = f"In January, when it is {hour:02d}:00 in London (UTC+0), what time is it in {city} ({sign})?"
        answer = _clock(hour + offset)
        cands = [_clock(hour - offset), _clock(hour + offset + 1), _clock(hour + offset - 1), _clock(hour + 12)]
        side = "ahead of" if offset > 0 else "behind"
        why = f"{city} is {_fmt(abs(offset))} hours {side} London, so {hour:02d}:00 in London is {answer} there."
        return _mcq(rng, "geography", stem, answer, cands, why)
    area = rng.choice((20, 25, 40, 50, 80, 120, 250, 400))
    density = rng.randint(3, 180) * 5
    people = area * density
    stem = f"A district of {area} km² has {people:,} inhabitants. What is its population density?"
    unit = "people per km²"
    cands = [
        f"{_fmt(area / people * 1000)} {unit}",
        f"{people // 10:,} {unit}",
        f"{density * 2} {unit}",
        f"{density + 5} {unit}",
    ]
    why = f"Density is people ÷ area: {people:,} ÷ {area} = {density} people per km²."
    return _mcq(rng, "geography", stem, f"{density} {unit}", cands, why)


def _geography(rng: random.Random) -> Item:
    roll = rng.random()
    if roll < 0.5:
        return _geography_numbers(rng)
    if roll < 0.65:
        return _fact(rng, "geography", _PLACES)
    country, capital, others = rng.choice(_CAPITALS)
    stem = rng.choice(
        (
            f"What is the capital of {country}?",
            f"Which city is the capital of {country}?",
            f"Which of these cities is the capital of {country}?",
        )
    )
    why = (
        f"{capital} is the capital of {country}; {others[0]} is bigger or better known, which is why it tempts people."
    )
    return _mcq(rng, "geography", stem, capital, others, why)


# --- reading comprehension -------------------------------------------------------------------------------

_NAMES = (
    ("Mara", "she", "her"),
    ("Tomasz", "he", "his"),
    ("Aiko", "she", "her"),
    ("Dev", "he", "his"),
    ("Lucía", "she", "her"),
    ("Jonas", "he", "his"),
    ("Amara", "she", "her"),
    ("Felix", "he", "his"),
    ("Noor", "she", "her"),
    ("Bram", "he", "his"),
    ("Ines", "she", "her"),
    ("Kofi", "he", "his"),
    ("Sofia", "she", "her"),
    ("Ravi", "he", "his"),
    ("Hana", "she", "her"),
    ("Mateo", "he", "his"),
    ("Olga", "she", "her"),
    ("Samir", "he", "his"),
    ("Greta", "she", "her"),
    ("Tariq", "he", "his"),
)
_PLANS = (
    (
        "take the ferry to the island",
        "the morning ferry was cancelled because of strong winds",
        "The ferry was cancelled because of the wind.",
    ),
    ("paint the garden fence", "it rained from breakfast until late afternoon", "It rained for most of the day."),
    ("visit the science museum", "the museum was closed for a private event", "The museum was closed."),
    ("cycle to the lake", "{pos} bike had a flat tyre and the repair shop was shut", "The bike had a flat tyre."),
    (
        "meet a friend at the market",
        "the friend sent a message at the last minute to say she was ill",
        "The friend was ill.",
    ),
    (
        "bake bread for the neighbours",
        "the oven stopped heating halfway through the morning",
        "The oven stopped working.",
    ),
    ("walk the coastal path", "thick fog rolled in off the sea before breakfast", "Thick fog made the walk unsafe."),
    ("see a film at the new cinema", "every ticket had sold out by lunchtime", "The tickets had sold out."),
)
_INSTEAD = (
    "reading on the sofa",
    "sorting through old photographs",
    "helping a neighbour move a wardrobe",
    "writing letters to cousins abroad",
    "fixing a wobbly bookshelf",
    "practising the guitar",
    "baking a lemon cake",
    "teaching a younger cousin to play chess",
    "tidying the garden shed",
    "learning a new card game",
)
_MOODS = (
    ("was tired but pleased with what {sub} had done", "content"),
    ("was still a little disappointed about the change of plan", "disappointed"),
    ("laughed about how differently the day had turned out", "amused"),
)
_COMPANIONS = ("brother", "sister", "grandmother", "uncle", "best friend", "cousin", "neighbour's son", "flatmate")
_TOWNS = ("Brackwell", "Orrinsby", "Kelmouth", "Tarnley", "Wexhope", "Fennick")
_RIVERS = ("Lune", "Asker", "Morrow", "Fenn", "Carrow")
_TRADES = ("salted fish", "wool", "slate", "ship timber", "oysters", "rope")
_MODERN = ("tourism", "a large hospital", "the university", "wind-turbine maintenance", "software firms")


def _reading(rng: random.Random) -> Item:
    kind = rng.randrange(4)
    if kind < 3:
        name, sub, pos = rng.choice(_NAMES)
        plan, obstacle, reason = rng.choice(_PLANS)
        instead = rng.choice(_INSTEAD)
        mood, feeling = rng.choice(_MOODS)
        day = rng.choice(
            (
                "Saturday",
                "Sunday",
                "the first day of the holidays",
                "a bank holiday",
                "the last day of term",
                "a free afternoon",
            )
        )
        context = (
            f"{name} had planned to {plan} with {pos} {rng.choice(_COMPANIONS)} on {day}, "
            f"but {obstacle.format(pos=pos)}. Instead, {sub} spent the "
            f"afternoon {instead}, and by the evening {sub} {mood.format(sub=sub)}."
        )
        if kind == 0:
            others = [p[2] for p in _PLANS if p[2] != reason]
            stem = f"According to the passage, why did {name} not {plan}?"
            return _mcq(
                rng,
                "reading",
                stem,
                reason,
                rng.sample(others, 4),
                "The passage gives the reason straight after 'but'.",
                context,
            )
        if kind == 2:
            feelings = [f for _m, f in _MOODS if f != feeling] + ["frightened", "jealous", "furious"]
            stem = f"How did {name} most likely feel by the evening?"
            why = f"The last sentence says {sub} {mood.format(sub=sub)}, which suggests feeling {feeling}."
            return _mcq(rng, "reading", stem, feeling, rng.sample(feelings, 4), why, context)
        others = [x for x in _INSTEAD if x != instead]
        stem = f"What did {name} do instead of the original plan?"
        why = f"The passage says that instead {sub} spent the afternoon {instead}."
        return _mcq(rng, "reading", stem, instead, rng.sample(others, 4), why, context)
    town, river = rng.choice(_TOWNS), rng.choice(_RIVERS)
    trade, modern = rng.choice(_TRADES), rng.choice(_MODERN)
    year = rng.randint(1700, 1890)
    context = (
        f"The town of {town} sits where the River {river} meets the sea. Its harbour was built in {year}, and for "
        f"about a hundred years the town lived mainly on {trade}. Today most people there work in {modern}."
    )
    if rng.random() < 0.5:
        stem = "According to the passage, what was the town's main trade for about a century?"
        others = [t for t in _TRADES if t != trade]
        return _mcq(rng, "reading", stem, trade, rng.sample(others, 4), "The second sentence names the trade.", context)
    stem = "When was the harbour built?"
    cands = [str(year + 100), str(year - 10), str(year + 1), str(year + 50)]
    return _mcq(rng, "reading", stem, str(year), cands, f"The passage says the harbour was built in {year}.", context)


# --- grammar and vocabulary ------------------------------------------------------------------------------

_GRAMMAR: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "Neither of {name}'s answers ___ correct.",
        "is",
        ("are", "were", "be"),
        "'Neither of' takes a singular verb in careful written English.",
    ),
    (
        "If {name} ___ more time, {sub} would learn the cello.",
        "had",
        ("have", "will have", "would have"),
        "A second conditional uses the past simple in the if-clause.",
    ),
    (
        "By the time {name} arrived, the film ___.",
        "had already started",
        ("has already started", "already starts", "was already start"),
        "The earlier of two past events takes the past perfect.",
    ),
    ("{name} is very good ___ solving puzzles.", "at", ("in", "on", "for"), "We say 'good at' something."),
    (
        "There were ___ people at the meeting than last year.",
        "fewer",
        ("less", "little", "least"),
        "'Fewer' goes with countable nouns such as people.",
    ),
    (
        "I look forward to ___ from you.",
        "hearing",
        ("hear", "heard", "be hearing"),
        "In 'look forward to', 'to' is a preposition, so an -ing form follows.",
    ),
    (
        "The new library ___ by the mayor last Friday.",
        "was opened",
        ("opened", "has opened", "is opening"),
        "The library didn't do the opening, so the passive is needed, and 'last Friday' calls for the past simple.",
    ),
    (
        "{name} asked me where ___.",
        "I lived",
        ("did I live", "do I live", "I am live"),
        "A reported question keeps statement word order.",
    ),
    (
        "You ___ smoke here; it's a petrol station.",
        "mustn't",
        ("needn't", "don't have to", "wouldn't"),
        "'Mustn't' forbids something; 'don't have to' only says it isn't necessary.",
    ),
    (
        "Hardly ___ the door when the phone rang.",
        "had I opened",
        ("I had opened", "did I open", "I opened"),
        "After 'hardly' at the start of a sentence, the auxiliary comes before the subject.",
    ),
    (
        "{name} suggested ___ a taxi to the station.",
        "taking",
        ("to take", "take", "took"),
        "'Suggest' is followed by an -ing form or a that-clause.",
    ),
    (
        "I wish I ___ my keys at home yesterday.",
        "hadn't left",
        ("didn't leave", "haven't left", "wouldn't leave"),
        "A regret about the past takes 'wish' plus the past perfect.",
    ),
    (
        "Each of {name}'s teammates ___ a number on the back of the shirt.",
        "has",
        ("have", "are having", "were having"),
        "'Each of' takes a singular verb.",
    ),
    ("{name} and I have run out ___ milk.", "of", ("from", "with", "off"), "The phrasal verb is 'run out of'."),
    (
        "It's the ___ film I have ever seen.",
        "most exciting",
        ("more exciting", "excitingest", "most excited"),
        "A superlative with 'ever' needs 'the most' for a long adjective, and the -ing form describes the film itself.",
    ),
)
_COMPARATIVES = (
    ("cheap", "cheaper", ("more cheap", "cheapest", "the cheaper")),
    ("heavy", "heavier", ("more heavy", "heaviest", "heavyer")),
    ("good", "better", ("gooder", "more good", "best")),
    ("expensive", "more expensive", ("expensiver", "most expensive", "expensivest")),
    ("comfortable", "more comfortable", ("comfortabler", "most comfortable", "comfortablest")),
    ("light", "lighter", ("more light", "lightest", "the lighter")),
)
_CONDITIONALS = (
    ("left earlier", "caught the train"),
    ("revised more", "passed the test"),
    ("checked the map", "found the café"),
    ("booked ahead", "got a table"),
    ("charged the phone", "called us back"),
)
_MONTHS = ("March", "June", "September", "November")


def _grammar(rng: random.Random) -> Item:
    kind = rng.randrange(4)
    name, sub, _pos = rng.choice(_NAMES)
    if kind == 0:
        sentence, answer, distractors, why = rng.choice(_GRAMMAR)
        sentence = sentence.format(name=name, sub=sub)
        stem = rng.choice(
            (
                f"Choose the word or words that best complete the sentence: {sentence}",
                f"Complete the sentence: {sentence}",
            )
        )
        return _mcq(rng, "grammar", stem, answer, distractors, why)
    if kind == 1:
        place = rng.choice(("bakery", "hospital", "bank", "museum", "garage", "library"))
        period, answer = rng.choice(
            (
                (str(rng.randint(2005, 2022)), "since"),
                (f"{rng.randint(2, 15)} years", "for"),
                (f"last {rng.choice(_MONTHS)}", "since"),
                ("a long time", "for"),
            )
        )
        stem = f"Complete the sentence: {name} has worked at the {place} ___ {period}."
        why = "Use 'since' with a point in time and 'for' with a length of time."
        return _mcq(rng, "grammar", stem, answer, ("since", "for", "from", "during"), why)
    if kind == 2:
        adj, answer, distractors = rng.choice(_COMPARATIVES)
        thing = rng.choice(("suitcase", "tent", "jacket", "laptop", "chair", "bicycle"))
        when = rng.choice(("yesterday", "last week", "in the first shop", "online"))
        stem = f"Complete the sentence: This {thing} is ___ than the one we looked at {when}. ({adj})"
        why = f"The comparative of '{adj}' is '{answer}'."
        return _mcq(rng, "grammar", stem, answer, distractors, why)
    cause, result = rng.choice(_CONDITIONALS)
    stem = f"Complete the sentence: If {name} had {cause}, {sub} ___ {result}."
    why = "A third conditional is 'if + past perfect', then 'would have + past participle'."
    return _mcq(rng, "grammar", stem, "would have", ("will have", "would", "had"), why)


_WORDS = (
    ("reluctant", "unwilling", ("eager", "grateful", "sudden"), "She was reluctant to lend him the car."),
    ("brief", "short", ("strict", "bright", "loud"), "The manager gave a brief talk before lunch."),
    ("reliable", "dependable", ("expensive", "fragile", "noisy"), "We need a reliable car for the long drive."),
    (
        "fragile",
        "easily broken",
        ("very heavy", "brightly coloured", "well known"),
        "Pack the fragile glasses in paper.",
    ),
    ("vague", "unclear", ("empty", "rude", "ancient"), "His directions were too vague to follow."),
    (
        "thrifty",
        "careful with money",
        ("very hungry", "quick to anger", "fond of travel"),
        "My thrifty aunt reuses every envelope.",
    ),
    ("candid", "frank", ("sweet", "hidden", "nervous"), "Thank you for your candid opinion."),
    ("diligent", "hard-working", ("forgetful", "clever", "lucky"), "A diligent student checks every answer."),
    ("obsolete", "out of date", ("brand new", "hard to find", "very large"), "That printer model is now obsolete."),
    ("ample", "more than enough", ("barely enough", "far too small", "simple"), "There is ample room for six people."),
    ("hostile", "unfriendly", ("welcoming", "tired", "distant"), "The crowd grew hostile after the decision."),
    ("tedious", "boring", ("frightening", "exciting", "confusing"), "Copying the figures by hand was tedious."),
    ("cautious", "careful", ("careless", "cheerful", "curious"), "Be cautious on the icy steps."),
    (
        "postpone",
        "put off until later",
        ("cancel completely", "bring forward", "repeat"),
        "They had to postpone the match.",
    ),
)
_COLLOCATIONS = (
    ("___ a decision", "make"),
    ("___ your homework", "do"),
    ("___ a photo", "take"),
    ("___ a mistake", "make"),
    ("___ someone a favour", "do"),
    ("___ progress", "make"),
    ("___ the washing-up", "do"),
    ("___ notes in a lecture", "take"),
    ("___ an effort", "make"),
    ("___ some research", "do"),
)


def _vocabulary(rng: random.Random) -> Item:
    if rng.random() < 0.3:
        phrase, verb = rng.choice(_COLLOCATIONS)
        stem = f"Which verb completes the phrase '{phrase}'?"
        why = f"The fixed phrase is '{phrase.replace('___', verb)}'; English uses 'make' and 'do' in set combinations."
        return _mcq(rng, "vocabulary", stem, verb, [v for v in ("make", "do", "take", "get") if v != verb], why)
    word, meaning, distractors, sentence = rng.choice(_WORDS)
    stem = rng.choice(
        (
            f"Choose the word or phrase closest in meaning to '{word}'.",
            f"Which option means the same as '{word}'?",
            f"In the sentence '{sentence}', the word '{word}' is closest in meaning to:",
        )
    )
    return _mcq(rng, "vocabulary", stem, meaning, distractors, f"'{word.capitalize()}' means {meaning}.")


# --- driving theory --------------------------------------------------------------------------------------

_DRIVING: tuple[Fact, ...] = (
    (
        (
            "What does a triangular road sign with a red border usually give?",
            "A road sign is a triangle with a red border. What kind of message does it normally give?",
        ),
        "a warning",
        ("an order", "directions", "a speed limit", "a motorway route", "a parking rule"),
        "In the UK and much of Europe, triangles warn of a hazard and red circles give orders.",
    ),
    (
        (
            "What does a circular road sign with a red border usually give?",
            "What kind of message does a round road sign with a red border normally give?",
        ),
        "an order, often telling you what you must not do",
        ("a warning", "directions", "tourist information", "a route for cyclists", "a place of interest"),
        "Red circles are mostly prohibitions; triangles are warnings.",
    ),
    (
        (
            "How much longer can stopping distances be on a wet road than on a dry one?",
            "Compared with a dry road, how much longer can your stopping distance be in the wet?",
        ),
        "at least double",
        ("about the same", "about 10% longer", "ten times longer", "about half as long", "no longer with good tyres"),
        "Tyres grip less on a wet surface, so allow at least twice the distance.",
    ),
    (
        (
            "On an icy road, stopping distances can be up to how many times longer than on a dry road?",
            "How many times longer can stopping distances be on ice than on a dry road?",
        ),
        "ten times",
        ("twice", "three times", "the same", "five times", "four times"),
        "On ice the tyres have very little grip, so distances can be up to ten times longer.",
    ),
    (
        (
            "Your car starts to aquaplane on standing water. What should you do?",
            "What should you do if your tyres lose grip on standing water (aquaplaning)?",
        ),
        "ease off the accelerator and keep the steering steady",
        (
            "brake hard",
            "steer sharply towards the kerb",
            "accelerate through it",
            "switch off the engine",
            "pull the handbrake on",
        ),
        "Braking or steering sharply while the tyres have lost contact with the road can cause a skid.",
    ),
    (
        (
            "Why should you keep well back when following a large lorry?",
            "What is the main reason to leave a big gap behind a large lorry?",
        ),
        "so you can see further ahead and the driver can see you in the mirrors",
        (
            "so you can overtake faster",
            "to save fuel in its slipstream",
            "because lorries always travel slowly",
            "so the lorry can reverse if it needs to",
            "to stay out of its exhaust fumes",
        ),
        "Close behind a lorry you can't see the road ahead, and the driver can't see you.",
    ),
    (
        ("What does the two-second rule help you judge?", "The two-second rule is used to judge what?"),
        "a safe gap to the vehicle in front in good conditions",
        (
            "how long to wait at a junction",
            "when to change gear",
            "how long to signal before turning",
            "the speed of the car in front",
            "your total stopping distance",
        ),
        "Let two seconds pass between the car in front passing a mark and you passing it; double it in the wet.",
    ),
    (
        (
            "What is the minimum legal tread depth for car tyres in the UK?",
            "In the UK, what is the legal minimum tread depth for a car tyre?",
        ),
        "1.6 mm",
        ("1 mm", "2.5 mm", "3 mm", "2 mm", "0.8 mm"),
        "The limit is 1.6 mm across the central three-quarters of the tread, all the way round.",
    ),
    (
        (
            "An emergency vehicle with flashing blue lights comes up behind you. What should you do?",
            "What should you do when an ambulance with flashing blue lights comes up behind you?",
        ),
        "let it pass when you can do so safely and legally",
        (
            "stop at once wherever you are",
            "speed up to stay ahead of it",
            "mount the pavement immediately",
            "brake sharply to warn it",
            "ignore it until it sounds its siren",
        ),
        "Help it through without putting anyone in danger or breaking the law.",
    ),
    (
        (
            "Before moving off from the side of the road, what should you do?",
            "What should you do before pulling away from the kerb?",
        ),
        "check your mirrors and blind spot, then signal if needed",
        (
            "sound the horn",
            "flash your headlights",
            "pull out quickly to join the traffic",
            "wait for the car behind to flash you",
            "check only the left mirror",
        ),
        "Looking all round, including the blind spot, comes before moving off.",
    ),
)


def _driving(rng: random.Random) -> Item:
    roll = rng.random()
    if roll < 0.25:
        v = rng.choice((36, 54, 72, 90, 108, 126))
        t = rng.choice((0.5, 1.0, 1.5, 2.0))
        d = v * t / 3.6
        stem = (
            f"At {v} km/h, a driver takes {_fmt(t)} s to react before braking. "
            "How far does the car travel while the driver reacts?"
        )
        cands = [f"{_fmt(v * t)} m", f"{_fmt(d * 2)} m", f"{_fmt(d / 2)} m", f"{_fmt(d + 10)} m"]
        why = f"{v} km/h is {_fmt(v / 3.6)} m every second, and {_fmt(v / 3.6)} × {_fmt(t)} = {_fmt(d)} m."
        return _mcq(rng, "driving", stem, f"{_fmt(d)} m", cands, why)
    if roll < 0.5:
        v = 9 * rng.randint(2, 16)
        n = rng.randint(1, 5)
        per = v / 3.6
        d = per * n
        when = "one second" if n == 1 else f"{n} seconds"
        stem = f"You are driving at a steady {v} km/h. Roughly how far do you travel in {when}?"
        cands = [f"{v * n} m", f"{_fmt(2 * d)} m", f"{_fmt(v / 10 * n)} m", f"{_fmt(d + 5)} m"]
        why = f"{v} km/h is {v * 1000:,} m in 3,600 s, which is {_fmt(per)} m every second, so {_fmt(d)} m in {when}."
        return _mcq(rng, "driving", stem, f"{d} m", cands, why)
    return _fact(rng, "driving", _DRIVING)


# --- professional certification --------------------------------------------------------------------------

_PORTS = (
    ("HTTPS", "443"),
    ("SSH", "22"),
    ("DNS", "53"),
    ("SMTP", "25"),
    ("RDP", "3389"),
    ("HTTP", "80"),
    ("FTP control", "21"),
)
_CERT: tuple[Fact, ...] = (
    (
        (
            "In double-entry bookkeeping, every debit must be matched by what?",
            "In double-entry bookkeeping, what must each debit be matched by?",
        ),
        "a credit of the same amount",
        (
            "another debit of the same amount",
            "a note in the petty cash book",
            "a journal entry the following month",
            "a matching line on the bank statement only",
            "an adjustment at the year end",
        ),
        "Each transaction is recorded twice, as equal debits and credits, so the books balance.",
    ),
    (
        (
            "Which financial statement shows assets, liabilities and equity at a single point in time?",
            "Which statement lists assets, liabilities and equity on a particular date?",
        ),
        "the balance sheet",
        ("the income statement", "the cash flow statement", "the budget", "the sales ledger", "the profit forecast"),
        "The balance sheet is a snapshot; the income statement covers a period.",
    ),
    (
        ("In project scheduling, what is the critical path?", "What is meant by the critical path of a project?"),
        "the longest chain of dependent tasks, which sets the earliest possible finish date",
        (
            "the list of the most expensive tasks",
            "the route through the plan with the fewest tasks",
            "the tasks given to senior staff",
            "the tasks with the most float",
            "the order in which invoices are paid",
        ),
        "Any delay on the critical path delays the whole project, because its tasks have no float.",
    ),
    (
        (
            "What does the principle of least privilege require?",
            "What does applying the principle of least privilege mean?",
        ),
        "each account gets only the access its role needs",
        (
            "all staff share one administrator account",
            "passwords are changed every day",
            "only managers may use email",
            "every user is an administrator on their own laptop",
            "access is given to anyone who asks for it",
        ),
        "Limiting access limits the damage a mistake or a stolen account can do.",
    ),
    (
        (
            "In the CIA triad of information security, what does the A stand for?",
            "What does the letter A in the CIA security triad stand for?",
        ),
        "availability",
        ("authentication", "authorisation", "accountability", "authenticity", "anonymity"),
        "The triad is confidentiality, integrity and availability.",
    ),
    (
        (
            "At what rate should chest compressions be given during adult CPR?",
            "During adult CPR, how many chest compressions per minute are recommended?",
        ),
        "100 to 120 per minute",
        (
            "60 to 80 per minute",
            "40 to 50 per minute",
            "150 to 180 per minute",
            "20 to 30 per minute",
            "200 to 220 per minute",
        ),
        "Current first-aid guidance is 100 to 120 compressions a minute.",
    ),
    (
        ("Which of these best describes phishing?", "What is phishing?"),
        "tricking people into revealing information or clicking links through fake messages",
        (
            "scanning a network for open ports",
            "encrypting files and demanding payment",
            "flooding a server with traffic",
            "copying data to a backup server",
            "guessing passwords by trying every combination",
        ),
        "Phishing works on people through deceptive messages, not on the systems themselves.",
    ),
)


def _certification(rng: random.Random) -> Item:
    kind = rng.randrange(6)
    cur = rng.choice(("£", "$", "€"))
    if kind == 5:
        a, b, c, d = (rng.randint(2, 15) for _ in range(4))
        if b == c:
            c += 1
        total = a + max(b, c) + d
        stem = (
            f"A project has four tasks. A takes {a} days; B ({b} days) and C ({c} days) can both start once A is "
            f"finished; D ({d} days) starts when B and C are both done. What is the shortest possible duration?"
        )
        cands = [f"{a + b + c + d} days", f"{a + min(b, c) + d} days", f"{total + 1} days", f"{max(a, b, c, d)} days"]
        why = (
            f"The critical path is A, then the longer of B and C ({max(b, c)} days), then D: "
            f"{a} + {max(b, c)} + {d} = {total} days."
        )
        return _mcq(rng, "certification", stem, f"{total} days", cands, why)
    if kind == 0:
        service, port = rng.choice(_PORTS)
        stem = rng.choice(
            (f"Which port number is the default for {service}?", f"By default, {service} uses which port?")
        )
        others = [p for _s, p in _PORTS if p != port]
        return _mcq(
            rng, "certification", stem, port, rng.sample(others, 4), f"{service} is assigned port {port} by default."
        )
    if kind == 1:
        prefix = rng.randint(23, 30)
        base = f"{rng.choice(('10', '172.16', '192.168'))}.{2 * rng.randint(0, 125)}.0"
        if base.count(".") == 2:
            base = base + ".0"
        size = 2 ** (32 - prefix)
        stem = rng.choice(
            (
                f"How many usable host addresses are there in an IPv4 /{prefix} subnet?",
                f"A branch office is given the network {base}/{prefix}. How many hosts can it address?",
            )
        )
        cands = [str(size), str(size - 1), str(size // 2), str(size * 2 - 2)]
        why = (
            f"A /{prefix} leaves {32 - prefix} host bits, so 2^{32 - prefix} = {size} addresses; the network and "
            f"broadcast addresses can't be given to hosts, leaving {size - 2}."
        )
        return _mcq(rng, "certification", stem, str(size - 2), cands, why)
    if kind == 2:
        price, margin = rng.choice(
            [(p, m) for p in (20, 40, 50, 80, 100, 200, 250) for m in (10, 20, 25, 40, 50, 60) if p * m % 100 == 0]
        )
        cost = price * (100 - margin) // 100
        stem = (
            f"A product sells for {cur}{price} and costs {cur}{cost} to make. "
            "What is its gross margin as a percentage of the selling price?"
        )
        cands = [f"{_fmt((price - cost) / cost * 100)}%", f"{100 - margin}%", f"{price - cost}%", f"{margin + 5}%"]
        why = f"Gross margin = (price - cost) ÷ price = {price - cost} ÷ {price} = {margin}%."
        return _mcq(rng, "certification", stem, f"{margin}%", cands, why)
    if kind == 3:
        cost, residual, years = rng.choice(
            [
                (c, r, n)
                for c in (12000, 24000, 30000, 45000, 60000)
                for r in (0, 2000, 3000, 6000)
                for n in (3, 4, 5, 6)
                if (c - r) % n == 0 and r < c
            ]
        )
        stem = (
            f"A machine costs {cur}{cost:,}, will be worth {cur}{residual:,} at the end of its life and is used for "
            f"{years} years. What is the yearly straight-line depreciation?"
        )
        charge = (cost - residual) // years
        cands = [
            f"{cur}{cost // years:,}",
            f"{cur}{(cost + residual) // years:,}",
            f"{cur}{(cost - residual) // (years + 1):,}",
            f"{cur}{charge * 2:,}",
        ]
        why = (
            "Straight-line depreciation spreads (cost - residual value) evenly: "
            f"({cost:,} - {residual:,}) ÷ {years} = {charge:,}."
        )
        return _mcq(rng, "certification", stem, f"{cur}{charge:,}", cands, why)
    return _fact(rng, "certification", _CERT)


# --- coding trivia ---------------------------------------------------------------------------------------

_STATUS = (
    ("404", "the requested resource was not found"),
    ("500", "the server hit an internal error"),
    ("401", "the request lacks valid authentication"),
    ("429", "the client has sent too many requests"),
    ("301", "the resource has moved permanently"),
    ("201", "a new resource was created"),
)
_CODE: tuple[Fact, ...] = (
    (
        (
            "What is the worst-case time complexity of binary search on a sorted array of n items?",
            "How does the worst-case running time of binary search grow with the number of items n?",
        ),
        "O(log n)",
        ("O(n)", "O(n log n)", "O(1)", "O(n²)", "O(√n)"),
        "Each comparison halves the remaining range, so about log2(n) steps are needed.",
    ),
    (
        ("In JavaScript, what does typeof null return?", "What is the result of typeof null in JavaScript?"),
        '"object"',
        ('"null"', '"undefined"', '"number"', '"NaN"', '"boolean"'),
        "It is a long-standing quirk kept for backward compatibility.",
    ),
    (
        (
            "Which SQL clause filters groups after GROUP BY?",
            "Which SQL keyword filters the groups produced by GROUP BY?",
        ),
        "HAVING",
        ("WHERE", "ORDER BY", "LIMIT", "JOIN", "GROUP BY"),
        "WHERE filters rows before grouping; HAVING filters the groups.",
    ),
    (
        (
            "Which Git command creates a new branch and switches to it?",
            "Which command both creates a Git branch and checks it out?",
        ),
        "git switch -c <name>",
        ("git branch -d <name>", "git merge <name>", "git stash <name>", "git clone <name>", "git rebase <name>"),
        "git switch -c (or the older git checkout -b) creates the branch and moves you onto it.",
    ),
    (
        ("In Python, which of these built-in types is immutable?",),
        "tuple",
        ("list", "dict", "set", "bytearray", "deque"),
        "Tuples can't be changed after creation; lists, dicts and sets can.",
    ),
)
_WORDS_CODE = ("sentry", "quizzes", "marble", "harbour", "lantern", "pumpkin", "orbit", "velvet", "cobalt")


def _coding(rng: random.Random) -> Item:
    kind = rng.randrange(7)
    if kind == 0:
        top = rng.randint(2, 5)
        items: list[Any] = []
        nested = rng.randrange(top)
        for i in range(top):
            if i == nested or rng.random() < 0.3:
                items.append([rng.randint(0, 9) for _ in range(rng.randint(2, 3))])
            else:
                items.append(rng.randint(0, 9))
        flat = sum(len(x) if isinstance(x, list) else 1 for x in items)
        stem = f"In Python, what does len({items!r}) return?"
        cands = [str(flat), str(top + 1), str(top - 1) if top > 2 else "0", "an error"]
        return _mcq(
            rng, "coding", stem, str(top), cands, "len counts only the top-level elements; a nested list counts as one."
        )
    if kind == 1:
        a = rng.choice([v for v in range(-20, 21) if v != 0])
        b = rng.randint(2, 6)
        stem = f"In Python, what is the value of {a} // {b}?"
        cands = [str(int(a / b)), str(a // b + 1), str(a % b), str(a // b - 1)]
        return _mcq(
            rng,
            "coding",
            stem,
            str(a // b),
            cands,
            f"// rounds down towards negative infinity, so {a} // {b} = {a // b}.",
        )
    if kind == 2:
        word = rng.choice(_WORDS_CODE)
        i = rng.randint(-3, len(word) - 1)
        stem = f"In Python, what does '{word}'[{i}] evaluate to?"
        cands = [repr(word[(i + 1) % len(word)]), repr(word[i - 1]), repr(word[-i - 1]), repr(word[0])]
        why = "Indexing starts at 0, and negative indexes count back from the end (-1 is the last character)."
        return _mcq(rng, "coding", stem, repr(word[i]), cands, why)
    if kind == 3:
        n = rng.randint(5, 63)
        bits = f"{n:b}"
        stem = f"What is the binary number {bits} in decimal?"
        cands = [str(n + 1), str(n - 1), str(int(bits[::-1], 2)), str(n * 2)]
        return _mcq(rng, "coding", stem, str(n), cands, f"Add up the place values of the 1 bits: {bits} = {n}.")
    if kind == 4:
        a, b = rng.randint(10, 99), rng.randint(3, 9)
        stem = f"What does {a} % {b} evaluate to in Python?"
        cands = [str(a // b), str(a % b + 1), str(b - a % b), str(b)]
        return _mcq(
            rng, "coding", stem, str(a % b), cands, f"{a} = {b} × {a // b} + {a % b}, so the remainder is {a % b}."
        )
    if kind == 5:
        code, meaning = rng.choice(_STATUS)
        others = [c for c, _m in _STATUS if c != code]
        return _mcq(
            rng,
            "coding",
            f"Which HTTP status code means {meaning}?",
            code,
            rng.sample(others, 4),
            f"{code} is the standard code for that.",
        )
    return _fact(rng, "coding", _CODE)


def _science_wave(rng: random.Random) -> Item:
    f = rng.choice((2, 3, 4, 5, 8, 10, 12, 20, 25, 40, 50, 100, 120, 250, 440, 500))
    lam = rng.choice((0.1, 0.2, 0.25, 0.5, 0.75, 1.5, 2, 2.5, 3, 4, 5, 6.8, 8, 12))
    v = f * lam
    stem = f"A wave has a frequency of {f} Hz and a wavelength of {_fmt(lam)} m. What is its speed?"
    cands = [f"{_fmt(f / lam)} m/s", f"{_fmt(lam / f)} m/s", f"{_fmt(f + lam)} m/s", f"{_fmt(v * 10)} m/s"]
    why = f"Wave speed = frequency × wavelength = {f} × {_fmt(lam)} = {_fmt(v)} m/s."
    return _mcq(rng, "science", stem, f"{_fmt(v)} m/s", cands, why)


def _science_power(rng: random.Random) -> Item:
    watts = rng.choice((15, 25, 40, 60, 75, 100, 150, 250, 400, 500, 750, 900, 1200, 1500, 2000, 3000))
    seconds = rng.choice((4, 5, 8, 10, 15, 20, 30, 45, 60, 90, 120, 300))
    joules = watts * seconds
    thing = rng.choice(("A kettle", "A motor", "A lamp", "A heater", "A drill"))
    stem = f"{thing} transfers {joules:,} J of energy in {seconds} s. What is its power?"
    cands = [f"{joules * seconds:,} W", f"{_fmt(seconds / joules)} W", f"{joules - seconds:,} W", f"{watts * 10:,} W"]
    why = f"Power = energy ÷ time = {joules:,} ÷ {seconds} = {watts:,} W."
    return _mcq(rng, "science", stem, f"{watts:,} W", cands, why)


_GENERATORS: dict[str, tuple[Gen, ...]] = {
    "maths": (
        _maths_linear,
        _maths_percent,
        _maths_rectangle,
        _maths_speed,
        _maths_probability,
        _maths_interest,
        _maths_fraction,
        _maths_mean,
        _maths_triangle,
    ),
    "science": (
        _science_fact,
        _science_fact,
        _science_ohm,
        _science_density,
        _science_speed,
        _science_wave,
        _science_power,
    ),
    "history": (_history,),
    "geography": (_geography,),
    "reading": (_reading,),
    "grammar": (_grammar,),
    "vocabulary": (_vocabulary,),
    "driving": (_driving,),
    "certification": (_certification,),
    "coding": (_coding,),
}


def _draw(rng: random.Random, subject: str, used: set[str]) -> Item:
    """A fresh item of ``subject`` for a person who has already seen the stems in ``used``."""
    item = rng.choice(_GENERATORS[subject])(rng)
    for _ in range(6):
        if item.stem + item.context not in used:
            break
        item = rng.choice(_GENERATORS[subject])(rng)
    used.add(item.stem + item.context)
    return item


def _article(word: str) -> str:
    return "an" if word[0] in "AEIOU" else "a"


def _first_sentence(text: str) -> str:
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


# ---------------------------------------------------------------------------------------------------------
# People: habits, addresses, devices, days.
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Habit:
    lower: bool
    bare: bool  # no final punctuation
    typo: float
    abbrev: bool
    greet: float
    thanks: float


_ABBREV = {
    "please": "pls",
    "thanks": "thx",
    "question": "q",
    "answer": "ans",
    "because": "bc",
    "with": "w/",
    "you": "u",
    "explanation": "expl",
    "something": "sth",
    "probably": "prob",
}


def _habit(rng: random.Random) -> Habit:
    return Habit(
        lower=rng.random() < 0.35,
        bare=rng.random() < 0.4,
        typo=rng.choice((0.0, 0.03, 0.08, 0.15)),
        abbrev=rng.random() < 0.25,
        greet=rng.choice((0.0, 0.0, 0.05, 0.15)),
        thanks=rng.choice((0.0, 0.05, 0.2)),
    )


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if rng.random() < 0.7 else w[:j] + w[j + 1 :]
    return " ".join(words)


def _voice(text: str, habit: Habit, rng: random.Random) -> str:
    """The person's own way of typing ``text``."""
    out = text
    if habit.abbrev:
        out = " ".join(_ABBREV[w.lower()] if w.lower() in _ABBREV and rng.random() < 0.7 else w for w in out.split(" "))
    if habit.typo and rng.random() < habit.typo:
        out = _typo(out, rng)
    if habit.greet and rng.random() < habit.greet:
        out = rng.choice(("hi, ", "ok ", "hey ", "Hello! ")) + out
    if habit.thanks and rng.random() < habit.thanks:
        out = out + rng.choice((" thanks", " thx", " ty", " Thank you!"))
    if habit.lower:
        out = out.lower()
    if habit.bare and out and out[-1] in ".?!":
        out = out[:-1]
    return out


@dataclass(frozen=True)
class Person:
    key: str
    tz: float  # hours east of UTC
    habit: Habit
    platforms: tuple[tuple[str, bool], ...]  # (platform in the User-Agent, is a phone or tablet)
    weights: tuple[float, ...]
    home: tuple[str, ...]
    mobile: tuple[str, ...]  # the carrier address, one per local day
    site: str | None = None  # a shared office or school address
    site_days: frozenset[int] = frozenset()
    site_hours: tuple[float, float] = (8.0, 17.0)

    def local(self, ts: float) -> tuple[int, float]:
        hours = (ts - START) / HOUR + self.tz
        day = math.floor(hours / 24)
        return day, hours - 24 * day

    def address(self, ts: float, mobile: bool, rng: random.Random) -> str:
        day, hour = self.local(ts)
        if self.site and day in self.site_days and self.site_hours[0] <= hour < self.site_hours[1]:
            return self.site  # the office, centre or school network, phones on its wifi too
        if mobile and rng.random() < 0.5:
            return self.mobile[(day + 1) % len(self.mobile)]  # the carrier's address, new each day
        if len(self.home) > 1 and rng.random() < 0.12:
            return self.home[1]
        return self.home[0]


def _person(
    rng: random.Random,
    key: str,
    tz: float,
    platforms: Sequence[tuple[str, bool]],
    *,
    site: str | None = None,
    site_days: Sequence[int] = (),
    site_hours: tuple[float, float] = (8.0, 17.0),
) -> Person:
    count = rng.choices((1, 2, 3), (0.3, 0.5, 0.2))[0]
    mine = tuple(rng.sample(list(platforms), min(count, len(platforms))))
    weights = tuple(rng.uniform(4, 8) if i == 0 else rng.uniform(1.5, 4) for i in range(len(mine)))
    home = (residential_ip(rng),) + ((residential_ip(rng),) if rng.random() < 0.3 else ())
    mobile = tuple(residential_ip(rng) for _ in range(9))
    return Person(key, tz, _habit(rng), mine, weights, home, mobile, site, frozenset(site_days), site_hours)


def _weekday(day: int) -> int:
    """0 is Monday; day 0 of the week is Thursday 1 January 2026."""
    return (3 + day) % 7


def _valid_days(tz: float) -> list[int]:
    """Local days whose waking hours (07:00 to midnight) fall inside the week."""
    return [
        d
        for d in range(-1, 8)
        if START + d * DAY + (7 - tz) * HOUR >= START and START + d * DAY + (24 - tz) * HOUR <= END
    ]


@dataclass(frozen=True)
class Rhythm:
    per_day: float  # requests on a typical active day
    sitting: float  # requests in a typical sitting
    think: float  # median seconds between requests in a sitting
    pause: float  # median seconds between sittings
    first_hour: Callable[[int], tuple[float, float]]  # local hours when a day's first sitting may start
    last_hour: float = 23.0  # no new sitting starts later than this (local)
    most: int = 10_000  # the most requests this person sends in one day


def _hours(lo: float, hi: float) -> Callable[[int], tuple[float, float]]:
    """The same local window for a day's first sitting on every day."""
    return lambda _day: (lo, hi)


def _school_hours(days: Sequence[int]) -> Callable[[int], tuple[float, float]]:
    """Lessons on school days (practice starts in class), any waking hour otherwise."""
    return lambda day: (9.0, 14.0) if day in days else (7.0, 21.0)


def _by_version(before: str, after: str) -> Callable[[int], str]:
    """A setting (API shape, model) before and after the app's release."""
    return lambda version: after if version else before


def _split(n: int, k: int, rng: random.Random, most: int, sigma: float = 0.35) -> list[int]:
    """``n`` requests over ``k`` days, unevenly, no day above ``most`` unless it can't be helped."""
    weights = [rng.lognormvariate(0, sigma) for _ in range(k)]
    total = sum(weights)
    counts = [max(1, int(n * w / total)) for w in weights]
    while sum(counts) > n:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < n:
        counts[rng.randrange(k)] += 1
    while max(counts) > most and min(counts) < most:
        counts[counts.index(max(counts))] -= 1
        counts[counts.index(min(counts))] += 1
    return counts


def _times(rng: random.Random, n: int, tz: float, rhythm: Rhythm, prefer: Sequence[int] = ()) -> list[float]:
    """``n`` request times of one person: active days, sittings with think times, breaks, sleep."""
    valid = _valid_days(tz)
    want = max(1, round(n / rhythm.per_day * rng.uniform(0.8, 1.25)), math.ceil(n / rhythm.most))
    want = min(len(valid), n, want)
    liked = [d for d in prefer if d in valid]
    other = [d for d in valid if d not in liked]
    days: list[int] = []
    while len(days) < want:
        pool = liked if liked and (not other or rng.random() < 0.85) else other
        days.append(pool.pop(rng.randrange(len(pool))))
    days.sort()
    out: list[float] = []
    for day, count in zip(days, _split(n, len(days), rng, rhythm.most)):
        lo, hi = rhythm.first_hour(day)
        local = rng.uniform(lo, hi) * HOUR
        stamps: list[float] = []
        left = count
        while left > 0:
            size = min(left, max(1, round(rng.lognormvariate(math.log(rhythm.sitting), 0.5))))
            for _ in range(size):
                stamps.append(local)
                gap = rng.lognormvariate(math.log(rhythm.think), 0.75)
                if rng.random() < 0.04:  # the phone rings, a cup of tea
                    gap += rng.uniform(240, 900)
                local += gap
            left -= size
            pause = min(5 * HOUR, max(20 * 60, rng.lognormvariate(math.log(rhythm.pause), 0.6)))
            if left and local + pause < rhythm.last_hour * HOUR:  # too late for a break: finish in one go
                local += pause
        base = START + day * DAY - tz * HOUR
        ts = [base + s for s in stamps]
        if ts[-1] > END - 60:
            ts = [t - (ts[-1] - (END - 60)) for t in ts]
        if ts[0] < START + 60:
            ts = [t + (START + 60 - ts[0]) for t in ts]
        out.extend(ts)
    return sorted(out)


def _counts(rng: random.Random, shape: AppShape, log: bool) -> list[int]:
    """Requests per key: the first key sends the minimum, the second the maximum."""
    lo, hi = shape.min_requests, shape.max_requests
    out = [lo, hi]
    for _ in range(shape.keys - 2):
        n = math.exp(rng.uniform(math.log(lo), math.log(hi))) if log else rng.uniform(lo, hi)
        out.append(min(hi, max(lo, round(n))))
    return out


def _adoption(rng: random.Random, shape: AppShape) -> float:
    if rng.random() < 0.08:  # never updates this week
        return math.inf
    return START + shape.release + rng.lognormvariate(math.log(4 * HOUR), 1.0)


# ---------------------------------------------------------------------------------------------------------
# Conversations: one opening turn per chat, follow-ups that carry the reply as history.
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Chat:
    turns: list[Turn]
    system: str | None
    version: int
    item: Item | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    canned: tuple[str, str] | None = None  # an unrelated question's reply and follow-up


def _user(text: str) -> Turn:
    return {"role": "user", "content": text}


def _assistant(text: str) -> Turn:
    return {"role": "assistant", "content": text}


@dataclass(frozen=True)
class Conduct:
    """How one app talks: its opening turns, the reply to an opening, the follow-up questions and their answers
    (:data:`FollowUps`), the API shape and the model per version."""

    open_chat: Callable[[float, int], Chat]
    reply: Callable[[Chat], str]
    follow: FollowUps
    api: Callable[[int], str]
    model: Callable[[int], str]
    follow_p: float
    end_user: str | None = None


def _drive(
    rng: random.Random, person: Person, shape: AppShape, times: list[float], adopt: float, how: Conduct
) -> list[Record]:
    out: list[Record] = []
    tag = label(SCENARIO, BENIGN, False)
    device = 0
    prev = -math.inf

    def emit(ts: float, chat: Chat) -> None:
        platform, mobile = person.platforms[device]
        api = how.api(chat.version)
        client = Client(
            key=person.key,
            api=api,
            model=how.model(chat.version),
            user_agent=f"{shape.agent}/{shape.versions[chat.version]} ({platform})",
            ips=(person.address(ts, mobile, rng),),
        )
        request = Request(
            turns=tuple(dict(t) for t in chat.turns),
            system=chat.system,
            end_user=how.end_user if api == "chat" else None,
        )
        out.append(record(ts, client, request, tag, rng))

    i = 0
    while i < len(times):
        t = times[i]
        if t - prev > 20 * 60:  # a new sitting, maybe on another device
            device = rng.choices(range(len(person.platforms)), person.weights)[0]
        chat = how.open_chat(t, 1 if t >= adopt else 0)
        emit(t, chat)
        prev, i = t, i + 1
        depth, most = 0, (1 if chat.canned else 2)
        while (
            i < len(times)
            and depth < most
            and times[i] - prev < 15 * 60
            and rng.random() < how.follow_p * (0.45 if depth else 1.0)
        ):
            if chat.canned:
                reply, follow = chat.canned
            else:  # the reply answers the latest user turn: the opening, or the previous follow-up
                reply = chat.extra.pop("pending") if depth else how.reply(chat)
                follow = _follow_up(chat, how.follow, rng)
            chat.turns += [_assistant(reply), _user(_voice(follow, person.habit, rng))]
            emit(times[i], chat)
            prev, i, depth = times[i], i + 1, depth + 1
    return out


FollowUps = Sequence[tuple[str, str]]  # (a follow-up question, the assistant's answer to it), as templates


def _follow_up(chat: Chat, table: FollowUps, rng: random.Random) -> str:
    """A follow-up question on ``chat``'s item; its answer waits in ``chat.extra["pending"]`` for the next turn."""
    item = chat.item
    assert item is not None
    letters = chat.extra.get("letters", True)
    asked = chat.extra.get("asked")
    skip = {asked, *chat.extra.get("skip", ())}  # no question twice, none that doesn't fit this chat
    pairs = [p for p in table if (letters or ("({w})" not in p[0] and "({L})" not in p[0])) and p[0] not in skip]
    question, answer = rng.choice(pairs)
    w = item.wrong(rng)
    fill = {
        "w": LETTERS[w],
        "wo": item.options[w],
        "L": item.letter,
        "a": item.answer,
        "why": item.why,
        "short": _first_sentence(item.why),
        "example": rng.choice(_EXAMPLES),
    }
    chat.extra["pending"] = answer.format(**fill)
    chat.extra["asked"] = question
    return question.format(**fill)


def _unrelated(
    rng: random.Random, person: Person, table: Sequence[tuple[str, str, str]], system: str | None, version: int
) -> Chat:
    question, answer, follow = rng.choice(table)
    return Chat([_user(_voice(question, person.habit, rng))], system, version, canned=(answer, follow))


def _letters(item: Item, rng: random.Random) -> tuple[str, str]:
    """Two wrong options' letters, for "are (B) and (D) too similar?"."""
    a, b = rng.sample([i for i in range(4) if i != item.key], 2)
    return LETTERS[min(a, b)], LETTERS[max(a, b)]


# ---------------------------------------------------------------------------------------------------------
# App 1: ItemSmith, a tutoring centre's question-bank console (Anthropic Messages).
# ---------------------------------------------------------------------------------------------------------

_BANKS = (
    ("Y9 Maths", "Y9M", "maths"),
    ("GCSE Chemistry", "GCH", "science"),
    ("KS3 History", "K3H", "history"),
    ("Y8 Geography", "Y8G", "geography"),
    ("11+ Reading", "R11", "reading"),
    ("SAT Grammar", "SGR", "grammar"),
    ("Theory Test", "THT", "driving"),
    ("Workplace Certificates", "WPC", "certification"),
    ("Python Club", "PYC", "coding"),
    ("Y11 Physics", "Y11P", "science"),
    ("Adult Numeracy", "ANM", "maths"),
)
_BANK_SYSTEM = (
    "You are a careful tutor helping the staff of a tutoring centre check their question bank. For every item, "
    "work the problem through step by step on your own before you look at the reference answer. Then say whether "
    "the reference answer is right, point out anything ambiguous in the wording, and keep explanations at a level "
    "a secondary-school student can follow."
)
_BANK_SYSTEM_2 = (
    _BANK_SYSTEM + " Begin every reply with a one-line verdict (KEY OK, KEY WRONG or AMBIGUOUS), then give your "
    "reasoning in numbered steps."
)
_BANK_ASK = {
    "mc": (
        "Check the reference answer is right.",
        "Is the key correct? If not, which option should it be?",
        "explain",
        "Write a two-sentence explanation for the answer sheet.",
        "Is any of the distractors also defensible?",
        "is this right?",
        "why?",
        "Explain it step by step for a student who picked the wrong option.",
        "Rate the difficulty from 1 to 5 and say why.",
        "Suggest a better distractor than the weakest one.",
    ),
    "open": (
        "is this right?",
        "Check the answer.",
        "explain",
        "why?",
        "Explain the answer in two lines for the answer sheet.",
        "grade this",
    ),
    "working": (
        "check my working",
        "Check my working please, the students will see this.",
        "is my explanation right?",
        "Is this worked solution clear enough?",
    ),
}
_BANK_FOLLOW: FollowUps = (
    ("why not ({w})?", "({w}) {wo} is tempting, but it doesn't fit: {why}"),
    ("can you make that shorter for the answer sheet?", "Shorter: {short}"),
    (
        "ok. would the same method work if the numbers changed?",
        "Yes. The method doesn't depend on the particular values; only the arithmetic changes.",
    ),
    ("Could you reword the explanation for a weaker reader?", "Put simply: the answer is {a}. {short}"),
    ("my colleague thinks it's ({w}). who's right?", "The answer is {a}, not {wo}. {why}"),
    (
        "thanks. is the stem clear enough as written?",
        "Yes, it reads clearly. If you want it tighter, keep the actual question in the last sentence.",
    ),
    ("explain the second step again", "Sure. {why}"),
)
_BANK_OTHER = (
    (
        "can you draft a short, polite email to a parent moving thursday's session to friday at 4pm?",
        "Here's a draft:\n\nDear parent,\nI'm sorry for the change, but Thursday's session needs to move to Friday at "
        "4pm. Please let me know if that time doesn't suit and we'll find another slot.\n\nBest wishes",
        "make it a bit warmer",
    ),
    (
        "what's a sensible way to tag 300 questions so i can filter them by topic and difficulty?",
        "A spreadsheet works well: one row per question, with columns for topic, subtopic, difficulty (1-5), source "
        "and the date it was last reviewed. Filters or a pivot table then pull out any mix you need.",
        "and if two of us edit it at the same time?",
    ),
    (
        "any stretches for a stiff neck after a long day at the desk?",
        "Try slow chin tucks, gentle side tilts (ear towards shoulder) and shoulder rolls, about 30 seconds each, and "
        "stand up every half hour. If the pain lasts or spreads, see a doctor.",
        "thanks",
    ),
)
_CENTRES = (("London", 0.0, 5), ("Toronto", -5.0, 4), ("Melbourne", 11.0, 3))
_BANK_PLATFORMS = (("Windows 11", False), ("macOS 14", False), ("iPadOS 17", True))


def _question_bank(rng: random.Random) -> list[Record]:
    shape = APPS["question_bank"]
    counts = _counts(rng, shape, log=False)
    sites = [(name, tz, residential_ip(rng)) for name, tz, _n in _CENTRES]
    homes = [i for i, (_name, _tz, n) in enumerate(_CENTRES) for _ in range(n)]
    out: list[Record] = []
    for n, centre in zip(counts, homes):
        _name, tz, site_ip = sites[centre]
        key = new_key(rng, "sk-ant-api03-")
        on_site = [d for d in range(-1, 8) if _weekday(d) != 6 and rng.random() < 0.6]
        person = _person(rng, key, tz, _BANK_PLATFORMS, site=site_ip, site_days=on_site, site_hours=(8.5, 18.0))
        rhythm = Rhythm(
            per_day=rng.uniform(75, 100),
            sitting=rng.uniform(25, 45),
            think=rng.lognormvariate(math.log(65), 0.35),
            pause=rng.uniform(0.75, 2.0) * HOUR,
            first_hour=_hours(8.0, 10.5),
            last_hour=19.0,
            most=120,
        )
        banks = rng.sample(_BANKS, rng.randint(1, 3))
        weights = [rng.uniform(5, 8) if i == 0 else rng.uniform(1, 3) for i in range(len(banks))]
        numbers = {code: rng.randint(1, 300) for _b, code, _s in banks}
        used: set[str] = set()
        model = "claude-opus-4-1" if rng.random() < 0.25 else "claude-sonnet-4-5"

        def open_chat(
            t: float,
            v: int,
            person: Person = person,
            banks: Sequence[tuple[str, str, str]] = banks,
            weights: Sequence[float] = weights,
            numbers: dict[str, int] = numbers,
            used: set[str] = used,
        ) -> Chat:
            system = _BANK_SYSTEM_2 if v else _BANK_SYSTEM
            if rng.random() < 0.03:
                return _unrelated(rng, person, _BANK_OTHER, system, v)
            bank, code, subject = rng.choices(banks, weights)[0]
            num = numbers[code]
            numbers[code] += rng.choice((1, 1, 1, 2, 3))
            item = _draw(rng, subject, used)
            keyed = item.key if rng.random() > 0.08 else item.wrong(rng)
            form = rng.choices(("mc", "open", "working"), (0.62, 0.2, 0.18))[0] if item.standalone else "mc"
            ask = _voice(rng.choice(_BANK_ASK[form]), person.habit, rng)
            passage = [f"Passage: {item.context}"] if item.context else []
            if v == 0:
                lines = [f"Bank: {bank} | Item {num}", *passage, f"Question: {item.stem}"]
                if form == "mc":
                    lines += [*item.option_lines(), f"Reference answer: ({LETTERS[keyed]}) {item.options[keyed]}"]
                elif form == "open":
                    lines.append(f"Answer: {item.options[keyed]}")
                else:
                    lines += [f"Worked solution: {item.why}", f"Answer: {item.answer}"]
                text = "\n".join(lines) + "\n\n" + ask
            else:
                lines = [f"### Item {code}-{num:04d}", *passage, f"Q: {item.stem}"]
                if form == "mc":
                    lines += ["Options:", *item.option_lines(), f"Key: {LETTERS[keyed]}"]
                elif form == "open":
                    lines.append(f"Reference answer: {item.options[keyed]}")
                else:
                    lines += [f"Worked solution: {item.why}", f"Reference answer: {item.answer}"]
                text = "\n".join([*lines, f"Reviewer note: {ask}"])
            extra = {"keyed": keyed if form != "working" else item.key, "form": form, "letters": form == "mc"}
            return Chat([_user(text)], system, v, item, extra)

        def reply(chat: Chat) -> str:
            item = chat.item
            assert item is not None
            ok = chat.extra["keyed"] == item.key
            named = f"({item.letter}) {item.answer}" if chat.extra["form"] == "mc" else item.answer
            if ok:
                body = rng.choice(
                    (
                        f"The reference answer is right: {named}. {item.why}",
                        f"Working it through: {item.why} So {named} stands.",
                        f"1. {item.why}\n2. That matches the reference answer, {named.rstrip('.')}.",
                    )
                )
            else:
                given = item.options[chat.extra["keyed"]]
                body = f"The reference answer doesn't hold. {item.why} The answer should be {named}, not {given}."
            if chat.version:
                return ("KEY OK\n" if ok else "KEY WRONG\n") + body
            return body

        how = Conduct(
            open_chat,
            reply,
            _BANK_FOLLOW,
            _by_version("anthropic", "anthropic"),
            _by_version(model, model),
            follow_p=rng.uniform(0.1, 0.3),
        )
        out += _drive(rng, person, shape, _times(rng, n, tz, rhythm), _adoption(rng, shape), how)
    return out


# ---------------------------------------------------------------------------------------------------------
# App 2: QuizLoom, a quiz-authoring tool (OpenAI Chat Completions).
# ---------------------------------------------------------------------------------------------------------

_QUIZZES = (
    ("Friday Pub Quiz", {"history": 3, "geography": 3, "science": 2, "coding": 0.5}),
    ("Onboarding: Security Basics", {"certification": 4, "coding": 1}),
    ("Year 10 Science Check", {"science": 5, "maths": 1}),
    ("Capitals Sprint", {"geography": 5}),
    ("Dev Trivia Night", {"coding": 4, "certification": 1}),
    ("Road Safety Week", {"driving": 5}),
    ("Maths Warm-ups", {"maths": 5}),
    ("Finance Team Refresher", {"certification": 3, "maths": 2}),
    ("History Club Quiz", {"history": 5, "geography": 1}),
    ("Family Quiz Night", {"history": 2, "geography": 2, "science": 2, "maths": 1}),
)
_QUIZ_SYSTEM = (
    "You review multiple-choice questions for quiz authors. Look at each option in turn: confirm whether the keyed "
    "option is unambiguously correct and say whether any distractor could also be defended. Keep feedback short "
    "and specific."
)
_QUIZ_SYSTEM_2 = (
    "You are QuizLoom's item reviewer. For each item: (1) solve it yourself, (2) compare your answer with the "
    "marked key, (3) comment on every distractor, (4) flag wording that is unclear or gives the answer away. Reply "
    "in plain text without tables."
)
_QUIZ_ASK = (
    "Check each distractor: could any of them be argued as correct?",
    "explain the key",
    "Explain why the key is right in two sentences.",
    "is this right?",
    "Is the stem clear?",
    "Are ({a}) and ({b}) too similar?",
    "grade this item out of 5 for quality",
    "why is ({a}) wrong?",
    "Does anything in the wording give the answer away?",
    "check the distractors please",
    "explain",
)
_QUIZ_FOLLOW: FollowUps = (
    (
        "ok, suggest a better distractor to replace ({w})",
        "Use a common slip rather than a random value. For this item, a good one comes from getting this step "
        "wrong: {short}",
    ),
    (
        "can you rewrite the stem so it's less wordy?",
        "It's fairly tight already. Cut anything before the question that doesn't change the meaning, and keep "
        "units in the stem rather than in every option.",
    ),
    (
        "would a 12-year-old get this?",
        "Most twelve-year-olds would manage it once the topic is taught; the wording is plain.",
    ),
    ("what if I change the key to ({w})?", "Then the item would be wrong. {why}"),
    ("thanks! next one coming", "Ready when you are."),
    (
        "make it a bit harder",
        "Bring the distractors closer to the key, so that students have to finish the working or recall the detail "
        "exactly instead of ruling options out.",
    ),
)
_QUIZ_OTHER = (
    (
        "suggest five fun names for a quiz round about volcanoes",
        "1. Hot Stuff\n2. Ring of Fire\n3. Lava Lamp Round\n4. Eruption Disruption\n5. Magma Mayhem",
        "more puns please",
    ),
    (
        "what's the difference between 'affect' and 'effect' again?",
        "'Affect' is usually the verb (the rain affected the match) and 'effect' the noun (the rain had an effect). "
        "'Effect' as a verb means to bring something about, as in 'to effect change'.",
        "ok and 'impact'?",
    ),
    (
        "how many questions should a 20-minute quiz have?",
        "For multiple choice, 15 to 20 is typical: about a minute per question plus time to check. Use fewer if "
        "items involve a passage or a calculation.",
        "and for kids?",
    ),
)
_QUIZ_PLATFORMS = (("macOS 14", False), ("Windows 11", False), ("Web; Chrome 131", False), ("iPadOS 17", True))
_QUIZ_ZONES = (-8.0, -6.0, -5.0, -5.0, -3.0, 0.0, 0.0, 1.0, 1.0, 2.0, 5.5, 8.0)


def _quiz_authoring(rng: random.Random) -> list[Record]:
    shape = APPS["quiz_authoring"]
    office = residential_ip(rng)  # a publisher's office, ten authors behind it
    out: list[Record] = []
    for index, n in enumerate(_counts(rng, shape, log=True)):
        key = new_key(rng, "sk-proj-")
        prefer: list[int] = []
        if index % 6 == 3:  # works at the office on weekdays
            tz = -5.0
            prefer = [d for d in range(-1, 8) if _weekday(d) < 5 and d != 0]
            person = _person(rng, key, tz, _QUIZ_PLATFORMS, site=office, site_days=prefer, site_hours=(8.5, 17.5))
            start = rng.uniform(8.5, 10.5)
        else:
            tz = rng.choice(_QUIZ_ZONES)
            person = _person(rng, key, tz, _QUIZ_PLATFORMS)
            start = rng.uniform(8.0, 19.0)
        rhythm = Rhythm(
            per_day=rng.uniform(15, 35),
            sitting=rng.uniform(8, 20),
            think=rng.lognormvariate(math.log(120), 0.45),
            pause=rng.uniform(1.0, 3.0) * HOUR,
            first_hour=_hours(start, start + 2.5),
        )
        quizzes = [[title, mix, rng.randint(10, 40), 1] for title, mix in rng.sample(_QUIZZES, rng.randint(1, 3))]
        used: set[str] = set()
        model0 = rng.choice(("gpt-4.1", "gpt-4.1-mini", "gpt-4o"))

        def open_chat(
            t: float, v: int, person: Person = person, quizzes: list[list[Any]] = quizzes, used: set[str] = used
        ) -> Chat:
            system = _QUIZ_SYSTEM_2 if v else _QUIZ_SYSTEM
            if rng.random() < 0.03:
                return _unrelated(rng, person, _QUIZ_OTHER, system, v)
            quiz = rng.choice(quizzes)
            title, mix, size, position = quiz
            quiz[3] = position % size + 1
            subject = rng.choices(list(mix), list(mix.values()))[0]
            item = _draw(rng, subject, used)
            a, b = _letters(item, rng)
            ask = _voice(rng.choice(_QUIZ_ASK).format(a=a, b=b), person.habit, rng)
            if v == 0:
                text = "\n".join([f"Stem: {item.stem}", *item.option_lines(), f"Correct: ({item.letter})", "", ask])
            else:
                text = "\n".join(
                    [
                        f'Quiz: "{title}" (item {position} of {size})',
                        f"Question: {item.stem}",
                        "Answer options:",
                        *item.option_lines(),
                        f"Marked correct: ({item.letter}) {item.answer}",
                        f"Author asks: {ask}",
                    ]
                )
            return Chat([_user(text)], system, v, item)

        def reply(chat: Chat) -> str:
            item = chat.item
            assert item is not None
            a, b = _letters(item, rng)
            return rng.choice(
                (
                    f"The key ({item.letter}) is sound. {item.why} ({a}) is the most plausible distractor; ({b}) and "
                    f"the remaining option are clearly wrong, so none of them can be defended.",
                    f"1. Solving it: {item.why}\n2. That matches the key, ({item.letter}).\n3. Distractors: ({a}) "
                    f"{item.options[LETTERS.index(a)]} is a fair trap; ({b}) "
                    f"{item.options[LETTERS.index(b)]} is weaker.\n"
                    "4. Wording: clear.",
                    f"Yes, ({item.letter}) {item.answer} is correct. {item.why}",
                )
            )

        how = Conduct(
            open_chat,
            reply,
            _QUIZ_FOLLOW,
            _by_version("chat", "chat"),
            _by_version(model0, "gpt-4.1"),
            follow_p=rng.uniform(0.1, 0.35),
        )
        out += _drive(rng, person, shape, _times(rng, n, person.tz, rhythm, prefer=prefer), _adoption(rng, shape), how)
    return out


# ---------------------------------------------------------------------------------------------------------
# App 3: Parlavo, an English-exam practice app for speakers of other languages (OpenAI Responses).
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lang:
    name: str
    zones: tuple[float, ...]
    labels: tuple[str, str, str, str, str]  # exam, question, my answer, correct answer, text
    wrong: tuple[str, ...]
    right: tuple[str, ...]
    follow: tuple[str, ...]
    said_right: str
    said_wrong: str
    lead: str
    example: str
    why_not: str
    welcome: str
    trick: str
    other: tuple[str, str, str]

    @property
    def follow_ups(self) -> FollowUps:
        """The four follow-ups (why not that option, thanks, another example, a trick) with the coach's answers."""
        answers = (self.why_not + " {why}", self.welcome, self.example + ' "{example}"', self.trick + " {short}")
        return tuple(zip(self.follow, answers))


_LANGS: dict[str, Lang] = {
    "es": Lang(
        "Spanish",
        (1.0, 1.0, 1.0, -6.0, -5.0, -3.0),
        ("Examen", "Pregunta", "Mi respuesta", "Respuesta correcta", "Texto"),
        (
            "¿Por qué mi respuesta está mal?",
            "No entiendo por qué la respuesta correcta es la ({L}).",
            "¿Por qué no es la ({m})?",
            "pensaba que era la ({m}), ¿por qué está mal?",
        ),
        (
            "¿Esto está bien? Explícamelo, por favor.",
            "La acerté, pero no sé bien por qué. ¿Me lo explicas?",
            "¿Me puedes explicar la regla?",
        ),
        (
            "¿Y por qué no la ({w})?",
            "Gracias, ahora lo entiendo.",
            "¿Me das otro ejemplo?",
            "¿Hay alguna regla fácil para recordarlo?",
        ),
        "¡Muy bien! Tu respuesta es correcta: ({L}) {a}.",
        "La respuesta correcta es la ({L}) {a}, no la ({m}).",
        "Explicación:",
        "Otro ejemplo:",
        "La ({w}) no encaja aquí.",
        "¡De nada! Sigue así.",
        "Un truco:",
        (
            "¿Cómo se dice «llego tarde» en inglés de forma informal?",
            "Puedes decir «I'm running late» o, más corto, «Running late!».",
            "¿Y en un correo formal?",
        ),
    ),
    "de": Lang(
        "German",
        (1.0,),
        ("Prüfung", "Frage", "Meine Antwort", "Richtige Antwort", "Text"),
        (
            "Warum ist meine Antwort falsch?",
            "Ich verstehe nicht, warum ({L}) richtig ist.",
            "Warum nicht ({m})?",
            "ich dachte ({m}) passt, warum ist das falsch?",
        ),
        (
            "Ist das so richtig? Kannst du es mir erklären?",
            "Hab's richtig, weiß aber nicht genau warum. Erklärst du es mir?",
            "Kannst du mir die Regel erklären?",
        ),
        (
            "Und warum nicht ({w})?",
            "Danke, jetzt verstehe ich es.",
            "Kannst du noch ein Beispiel geben?",
            "Gibt es eine einfache Eselsbrücke dafür?",
        ),
        "Richtig! Deine Antwort stimmt: ({L}) {a}.",
        "Die richtige Antwort ist ({L}) {a}, nicht ({m}).",
        "Erklärung:",
        "Noch ein Beispiel:",
        "({w}) passt hier nicht.",
        "Gern geschehen! Weiter so.",
        "Ein Tipp:",
        (
            "Wie sage ich auf Englisch locker „Ich bin spät dran“?",
            "Du kannst „I'm running late“ sagen, kurz auch „Running late!“.",
            "Und in einer formellen E-Mail?",
        ),
    ),
    "fr": Lang(
        "French",
        (1.0,),
        ("Examen", "Question", "Ma réponse", "Bonne réponse", "Texte"),
        (
            "Pourquoi ma réponse est-elle fausse ?",
            "Je ne comprends pas pourquoi la bonne réponse est ({L}).",
            "Pourquoi pas ({m}) ?",
            "je pensais que c'était ({m}), pourquoi c'est faux ?",
        ),
        (
            "Est-ce que c'est correct ? Tu peux m'expliquer ?",
            "J'ai bon mais je ne sais pas vraiment pourquoi. Tu m'expliques ?",
            "Tu peux m'expliquer la règle ?",
        ),
        (
            "Et pourquoi pas ({w}) ?",
            "Merci, c'est plus clair.",
            "Tu peux me donner un autre exemple ?",
            "Il y a une astuce pour s'en souvenir ?",
        ),
        "Bravo, c'est la bonne réponse : ({L}) {a}.",
        "La bonne réponse est ({L}) {a}, et non ({m}).",
        "Explication :",
        "Un autre exemple :",
        "({w}) ne convient pas ici.",
        "Avec plaisir ! Continue comme ça.",
        "Une astuce :",
        (
            "Comment dire « je suis en retard » en anglais de façon familière ?",
            "Tu peux dire « I'm running late », ou juste « Running late! ».",
            "Et dans un mail formel ?",
        ),
    ),
    "pt": Lang(
        "Portuguese",
        (-3.0, -3.0, 0.0),
        ("Prova", "Pergunta", "Minha resposta", "Resposta correta", "Texto"),
        (
            "Por que minha resposta está errada?",
            "Não entendi por que a resposta certa é a ({L}).",
            "Por que não a ({m})?",
            "achei que era a ({m}), por que tá errado?",
        ),
        (
            "Isso está certo? Pode me explicar?",
            "Acertei, mas não sei bem por quê. Me explica?",
            "Você pode me explicar a regra?",
        ),
        (
            "E por que não a ({w})?",
            "Valeu, agora entendi.",
            "Pode me dar outro exemplo?",
            "Tem algum jeito fácil de lembrar isso?",
        ),
        "Isso mesmo! A resposta certa é ({L}) {a}.",
        "A resposta correta é ({L}) {a}, não ({m}).",
        "Explicação:",
        "Outro exemplo:",
        "A ({w}) não serve aqui.",
        "De nada! Continue assim.",
        "Uma dica:",
        (
            'Como eu digo "estou atrasado" em inglês de um jeito informal?',
            'Você pode dizer "I\'m running late" ou só "Running late!".',
            "E num e-mail formal?",
        ),
    ),
    "it": Lang(
        "Italian",
        (1.0,),
        ("Esame", "Domanda", "La mia risposta", "Risposta corretta", "Testo"),
        (
            "Perché la mia risposta è sbagliata?",
            "Non capisco perché la risposta giusta sia la ({L}).",
            "Perché non la ({m})?",
            "pensavo fosse la ({m}), perché è sbagliata?",
        ),
        (
            "È giusto così? Me lo spieghi?",
            "L'ho azzeccata ma non so bene perché. Me lo spieghi?",
            "Mi spieghi la regola?",
        ),
        (
            "E perché non la ({w})?",
            "Grazie, ora ho capito.",
            "Mi fai un altro esempio?",
            "C'è un modo facile per ricordarlo?",
        ),
        "Esatto! La risposta giusta è ({L}) {a}.",
        "La risposta corretta è la ({L}) {a}, non la ({m}).",
        "Spiegazione:",
        "Un altro esempio:",
        "La ({w}) qui non va bene.",
        "Prego! Continua così.",
        "Un trucco:",
        (
            'Come si dice "sono in ritardo" in inglese in modo informale?',
            'Puoi dire "I\'m running late" oppure solo "Running late!".',
            "E in una mail formale?",
        ),
    ),
    "pl": Lang(
        "Polish",
        (1.0,),
        ("Egzamin", "Pytanie", "Moja odpowiedź", "Poprawna odpowiedź", "Tekst"),
        (
            "Dlaczego moja odpowiedź jest błędna?",
            "Nie rozumiem, dlaczego poprawna odpowiedź to ({L}).",
            "Dlaczego nie ({m})?",
            "myślałem, że ({m}), czemu to źle?",
        ),
        (
            "Czy to jest dobrze? Możesz mi to wyjaśnić?",
            "Odpowiedziałam dobrze, ale nie wiem dlaczego. Wyjaśnisz?",
            "Możesz wyjaśnić tę regułę?",
        ),
        (
            "A dlaczego nie ({w})?",
            "Dzięki, teraz rozumiem.",
            "Możesz podać jeszcze jeden przykład?",
            "Jest jakiś prosty sposób, żeby to zapamiętać?",
        ),
        "Dobrze! Poprawna odpowiedź to ({L}) {a}.",
        "Poprawna odpowiedź to ({L}) {a}, a nie ({m}).",
        "Wyjaśnienie:",
        "Jeszcze jeden przykład:",
        "({w}) tu nie pasuje.",
        "Nie ma za co! Tak trzymaj.",
        "Wskazówka:",
        (
            "Jak powiedzieć po angielsku na luzie „spóźnię się”?",
            "Możesz powiedzieć „I'm running late” albo krótko „Running late!”.",
            "A w oficjalnym mailu?",
        ),
    ),
    "tr": Lang(
        "Turkish",
        (3.0,),
        ("Sınav", "Soru", "Cevabım", "Doğru cevap", "Metin"),
        (
            "Cevabım neden yanlış?",
            "Doğru cevabın neden ({L}) olduğunu anlamadım.",
            "Neden ({m}) değil?",
            "({m}) sandım, neden yanlış?",
        ),
        (
            "Bu doğru mu? Açıklar mısın?",
            "Doğru yaptım ama nedenini tam bilmiyorum. Açıklar mısın?",
            "Bu kuralı açıklar mısın?",
        ),
        (
            "Peki neden ({w}) değil?",
            "Teşekkürler, şimdi anladım.",
            "Bir örnek daha verebilir misin?",
            "Bunu hatırlamanın kolay bir yolu var mı?",
        ),
        "Doğru! Cevap ({L}) {a}.",
        "Doğru cevap ({L}) {a}, ({m}) değil.",
        "Açıklama:",
        "Bir örnek daha:",
        "({w}) burada uymuyor.",
        "Rica ederim! Böyle devam et.",
        "Bir ipucu:",
        (
            'İngilizcede samimi bir şekilde "geç kalıyorum" nasıl denir?',
            '"I\'m running late" diyebilirsin, kısaca "Running late!" da olur.',
            "Peki resmi bir e-postada?",
        ),
    ),
}
_LANG_WEIGHTS = {"es": 3.0, "pt": 2.0, "de": 1.5, "fr": 1.5, "it": 1.0, "pl": 1.0, "tr": 1.5}
_EXAMS = ("Upper-Intermediate Mock", "Advanced Mock", "Academic English Practice", "Business English Test")
_PARTS = {"grammar": "Use of English", "vocabulary": "Vocabulary", "reading": "Reading"}
_EXAMPLES = (
    "She has worked here since March.",
    "If I had known, I would have called you.",
    "Neither of the buses is on time today.",
    "We ran out of bread on Sunday.",
    "He suggested meeting at noon.",
    "This route is shorter than the one we took last time.",
    "I look forward to seeing you on Friday.",
)
_LEARNER_EN = ("why is my answer wrong?", "explain pls", "is this right?", "can you explain the rule?", "why?")
_PARLAVO_OTHER = (
    (
        "what is the difference between 'borrow' and 'lend'?",
        "You borrow something from someone (you receive it) and lend something to someone (you give it for a while). "
        "'Can I borrow your pen?' / 'Can you lend me your pen?'",
        "and 'rent'?",
    ),
)
_PARLAVO_PLATFORMS = (("Android 14", True), ("iOS 17", True), ("Android 13", True), ("Web; Firefox 133", False))


def _exam_practice(rng: random.Random) -> list[Record]:
    shape = APPS["exam_practice"]
    schools = {"tr": (residential_ip(rng), 10), "es": (residential_ip(rng), 8)}  # two language schools' wifi
    school_days = [d for d in range(-1, 8) if _weekday(d) < 5 and d != 0]
    seats = dict.fromkeys(schools, 0)
    codes = list(_LANG_WEIGHTS)
    out: list[Record] = []
    for n in _counts(rng, shape, log=True):
        code = rng.choices(codes, list(_LANG_WEIGHTS.values()))[0]
        lang = _LANGS[code]
        key = new_key(rng, "sk-proj-")
        prefer: list[int] = []
        first_hour = _hours(7.0, 21.0)
        if code in schools and seats[code] < schools[code][1]:  # a class at a language school, practising there
            seats[code] += 1
            prefer, first_hour = school_days, _school_hours(school_days)
            person = _person(
                rng,
                key,
                lang.zones[0],
                _PARLAVO_PLATFORMS,
                site=schools[code][0],
                site_days=school_days,
                site_hours=(9.0, 16.0),
            )
        else:
            person = _person(rng, key, rng.choice(lang.zones), _PARLAVO_PLATFORMS)
        rhythm = Rhythm(
            per_day=rng.uniform(6, 15),
            sitting=rng.uniform(4, 10),
            think=rng.lognormvariate(math.log(70), 0.45),
            pause=rng.uniform(1.5, 4.0) * HOUR,
            first_hour=first_hour,
        )
        exam = rng.choice(_EXAMS)
        english = rng.choice((0.0, 0.1, 0.3))  # how often this learner writes to the coach in English
        used: set[str] = set()
        model1 = "gpt-5" if rng.random() < 0.2 else "gpt-5-mini"

        def system_for(v: int, lang: Lang = lang, exam: str = exam) -> str:
            if v == 0:
                return (
                    f"You are a patient English exam coach. The learner's first language is {lang.name}. Explain "
                    "grammar and vocabulary simply, answer in the learner's language when they write in it, and "
                    "quote English examples in English. Finish with one extra practice sentence."
                )
            return (
                f"You are Parlavo's exam coach for {_article(lang.name)} {lang.name}-speaking learner preparing "
                f"for the {exam}. Be encouraging and brief: explain the rule, show why the chosen option fails if it "
                "is wrong, and give one new example sentence."
            )

        def open_chat(
            t: float,
            v: int,
            person: Person = person,
            lang: Lang = lang,
            exam: str = exam,
            english: float = english,
            used: set[str] = used,
            system_for: Callable[[int], str] = system_for,
        ) -> Chat:
            system = system_for(v)
            if rng.random() < 0.04:
                table = (*_PARLAVO_OTHER, lang.other)
                return _unrelated(rng, person, table, system, v)
            subject = rng.choices(("grammar", "vocabulary", "reading"), (3, 3, 2))[0]
            item = _draw(rng, subject, used)
            mine = item.wrong(rng) if rng.random() < 0.6 else item.key
            part = _PARTS[subject]
            typed = item.standalone and rng.random() < 0.2  # the learner typed an answer instead of picking one
            fill = {"L": item.letter, "m": LETTERS[mine]}
            if rng.random() < english:
                message = rng.choice(_LEARNER_EN)
            else:
                said = [m for m in (lang.wrong if mine != item.key else lang.right) if not typed or "({" not in m]
                message = rng.choice(said).format(**fill)
            message = _voice(message, person.habit, rng)
            exam_l, question_l, mine_l, correct_l, text_l = (
                lang.labels if v else ("Exam", "Question", "Your answer", "Correct answer", "Text")
            )
            passage = [f"{text_l}: {item.context}"] if item.context else []
            if not typed:
                lines = [
                    f"{exam_l}: {exam} · {part}",
                    *passage,
                    f"{question_l}: {item.stem}",
                    *item.option_lines(),
                    f"{mine_l}: ({LETTERS[mine]})",
                    f"{correct_l}: ({item.letter})",
                ]
            else:  # typed answer, checked by the app
                lines = [
                    f"{exam_l}: {exam} · {part}",
                    *passage,
                    f"{question_l}: {item.stem}",
                    f"{mine_l}: {item.options[mine]}",
                ]
            extra = {"mine": mine, "letters": not typed}
            return Chat([_user("\n".join(lines) + "\n\n" + message)], system, v, item, extra)

        def reply(chat: Chat, lang: Lang = lang) -> str:
            item = chat.item
            assert item is not None
            mine = chat.extra["mine"]
            said = lang.said_right if mine == item.key else lang.said_wrong
            head = said.format(L=item.letter, a=item.answer, m=LETTERS[mine])
            if not chat.extra["letters"]:  # a typed answer: name the words, not option letters
                head = head.replace(f"({item.letter}) ", "").replace(f"({LETTERS[mine]})", item.options[mine])
            return f'{head} {lang.lead} {item.why} {lang.example} "{rng.choice(_EXAMPLES)}"'

        how = Conduct(
            open_chat,
            reply,
            lang.follow_ups,
            _by_version("responses", "responses"),
            _by_version("gpt-5-mini", model1),
            follow_p=rng.uniform(0.15, 0.4),
        )
        out += _drive(rng, person, shape, _times(rng, n, person.tz, rhythm, prefer=prefer), _adoption(rng, shape), how)
    return out


# ---------------------------------------------------------------------------------------------------------
# App 4: MarkRoom, the marking service of the (invented) Cedar Valley School District (OpenAI Chat).
# ---------------------------------------------------------------------------------------------------------

_SCHOOLS = ("Northgate Middle", "Riverside High", "Elm Park Middle", "Lakeview High", "Westfield Junior High")
_COURSES = (
    ("Grade 7 Math", {"maths": 1.0}),
    ("Grade 8 Science", {"science": 1.0}),
    ("US History 10", {"history": 1.0}),
    ("World Geography 9", {"geography": 1.0}),
    ("ELA 8 Reading", {"reading": 1.0}),
    ("ELA 7 Grammar", {"grammar": 1.0}),
    ("Physical Science 9", {"science": 3.0, "maths": 1.0}),
    ("Algebra I", {"maths": 1.0}),
)
_MARK_SYSTEM = (
    "You assist teachers in the Cedar Valley School District with marking. Apply the mark scheme exactly as written "
    "and do not add criteria of your own. Think through the student's answer step by step, then give the mark "
    "first, followed by one sentence of feedback the teacher can pass on to the student."
)
_MARK_SYSTEM_2 = (
    "You are MarkRoom, a marking assistant for Cedar Valley School District staff. For each student response, "
    "state the mark as N/M, quote the part of the response that earned or lost marks, and write one line of "
    "feedback in plain language for a student aged 11 to 16."
)
_MARK_ASK = (
    "grade this",
    "Mark this and give one line of feedback.",
    "is this right?",
    "How many marks would you give?",
    "check my marking: I gave {g}/{M}",
    "Is this worth full marks?",
    "explain what the student got wrong",
    "grade this please, same scheme as before",
)
_UNITS = "would you accept it without units?"
_NOT_FULL = "why not full marks?"
_WORKING = "ok, and if they'd shown their working?"
_MARK_FOLLOW: FollowUps = (
    (
        _UNITS,
        "The scheme as written doesn't mention units, so I would; if your department requires them, take a mark off.",
    ),
    (
        _WORKING,
        "With correct working shown, the method mark would be secure even after a slip.",
    ),
    (
        "can you make the feedback a bit kinder?",
        "Kinder version: Good start! Check your last step against the question and you'll get there.",
    ),
    (_NOT_FULL, "The response doesn't reach the answer the scheme asks for, which is {a}."),
    ("what would a full-mark answer look like?", "A full-mark answer: {a}. {short}"),
    ("thanks", "You're welcome."),
)
_MARK_OTHER = (
    (
        "write a short reminder to parents that field trip permission slips are due friday",
        "Dear families, a quick reminder that permission slips for next week's field trip are due this Friday. "
        "Please send the signed slip to school with your child. Thank you!",
        "add that lunch is provided",
    ),
    (
        "what's a fair late-work policy for 8th graders?",
        "A common approach is a small deduction per day (say 10%) up to a cap, with no penalty when families ask "
        "ahead. Publishing it at the start of term and applying it consistently matters more than the exact numbers.",
        "what about students with accommodations?",
    ),
    (
        "how do i turn a google doc into a pdf?",
        "Open the document and choose File > Download > PDF Document (.pdf); it saves to your downloads folder.",
        "thanks",
    ),
)
_MARK_PLATFORMS = (("ChromeOS 131", False), ("Windows 11", False), ("iOS 17", True))


def _student(item: Item, marks: int, rng: random.Random) -> tuple[str, int]:
    """A student's response and the mark it deserves under the scheme :func:`_scheme` writes."""
    quality = rng.choices(("full", "part", "wrong", "blank"), (0.45, 0.25, 0.26, 0.04))[0]
    if quality == "part" and marks < 2:
        quality = rng.choice(("full", "wrong"))
    reason = item.why[0].lower() + item.why[1:]
    if quality == "full":
        if marks == 1 and rng.random() < 0.6:
            text = item.answer
        else:
            text = rng.choice((f"{item.answer}. {item.why}", f"it is {item.answer} because {reason}"))
        score = marks
    elif quality == "part":  # the right answer with no working or reason
        text, score = item.answer, marks - 1
    elif quality == "wrong":
        wrong = item.options[item.wrong(rng)]
        text, score = rng.choice((wrong, f"i think {wrong}", f"{wrong}, I worked it out in my head")), 0
    else:
        text, score = rng.choice(("I don't know", "?", "not sure")), 0
    return (text.lower() if rng.random() < 0.4 else text), score


def _scheme(item: Item, marks: int, worked: bool) -> str:
    if worked:
        method = " Award 1 mark for a correct method even if the final answer is wrong." if marks > 1 else ""
        return f"{item.answer}. Working: {item.why}{method}"
    if marks > 1:
        return f"1 mark for {item.answer}; 1 mark for a reason such as: {item.why}"
    return f"{item.answer}. Accept equivalent wording."


def _district_marking(rng: random.Random) -> list[Record]:
    shape = APPS["district_marking"]
    tz = -6.0
    schools = [residential_ip(rng) for _ in _SCHOOLS]
    term = [4, 5, 6]  # Monday 5 to Wednesday 7 January; the days before are the holiday
    out: list[Record] = []

    def first_hour(day: int) -> tuple[float, float]:
        return (7.5, 9.5) if day in term else (9.0, 20.0)

    for index, n in enumerate(_counts(rng, shape, log=True)):
        school = index % len(_SCHOOLS)
        key = new_key(rng, "sk-")
        person = _person(rng, key, tz, _MARK_PLATFORMS, site=schools[school], site_days=term, site_hours=(7.0, 16.5))
        rhythm = Rhythm(
            per_day=rng.uniform(15, 35),
            sitting=rng.uniform(8, 25),
            think=rng.lognormvariate(math.log(110), 0.45),
            pause=rng.uniform(1.0, 3.0) * HOUR,
            first_hour=first_hour,
        )
        courses = rng.sample(_COURSES, rng.randint(1, 2))
        teacher = f"cvsd-{rng.randint(10000, 99999)}"
        used: set[str] = set()

        def open_chat(
            t: float,
            v: int,
            person: Person = person,
            courses: Sequence[tuple[str, dict[str, float]]] = courses,
            used: set[str] = used,
        ) -> Chat:
            system = _MARK_SYSTEM_2 if v else _MARK_SYSTEM
            if rng.random() < 0.03:
                return _unrelated(rng, person, _MARK_OTHER, system, v)
            course, mix = rng.choice(courses)
            subject = rng.choices(list(mix), list(mix.values()))[0]
            item = _draw(rng, subject, used)
            worked = subject == "maths" or (subject == "science" and any(c.isdigit() for c in item.stem))
            marks = rng.randint(2, 4) if worked else rng.randint(1, 2)
            choice = not item.standalone or (not worked and rng.random() < 0.35)
            if choice:
                marks = 1
            scheme = f"Key ({item.letter}) {item.answer}." if choice else _scheme(item, marks, worked)
            n_students = 1 if v == 0 else rng.choices((1, 2, 3), (0.5, 0.3, 0.2))[0]
            responses = [_student(item, marks, rng) for _ in range(n_students)]
            if choice:
                responses = [
                    (f"({LETTERS[item.wrong(rng)]})" if s < marks else f"({item.letter})", s) for _t, s in responses
                ]
            given = responses[0][1] if rng.random() < 0.6 else rng.randint(0, marks)
            ask = _voice(rng.choice(_MARK_ASK).format(g=given, M=marks), person.habit, rng)
            passage = [f"Passage: {item.context}"] if item.context else []
            options = item.option_lines() if choice else []
            if v == 0:
                lines = [
                    *passage,
                    f"Question ({marks} mark{'s' if marks > 1 else ''}): {item.stem}",
                    *options,
                    f"Mark scheme: {scheme}",
                    f"Student answer: {responses[0][0]}",
                ]
                text = "\n".join(lines) + "\n\n" + ask
            else:
                unit = rng.choice(("Unit 3 quiz", "Unit 4 quiz", "Midterm review", "Homework check", "Exit ticket"))
                lines = [
                    f"Assessment: {course}, {unit}",
                    f"Question {rng.randint(1, 12)} [{marks} mark{'s' if marks > 1 else ''}]",
                    *passage,
                    item.stem,
                    *options,
                    f"Mark scheme: {scheme}",
                    "Responses:",
                    *(f"Student {k + 1}: {r}" for k, (r, _s) in enumerate(responses)),
                    f"Teacher request: {ask}",
                ]
                text = "\n".join(lines)
            scores = [score for _r, score in responses]
            skip = [] if worked and any(c.isdigit() for c in item.answer) and " " in item.answer else [_UNITS]
            if not worked:
                skip.append(_WORKING)
            if min(scores) == marks:
                skip.append(_NOT_FULL)
            return Chat([_user(text)], system, v, item, {"marks": marks, "scores": scores, "skip": skip})

        def reply(chat: Chat) -> str:
            item = chat.item
            assert item is not None
            marks, scores = chat.extra["marks"], chat.extra["scores"]
            if chat.version == 0:
                s = scores[0]
                feedback = (
                    "Well done, that's complete." if s == marks else f"Look again at this: {_first_sentence(item.why)}"
                )
                return f"Mark: {s}/{marks}. {feedback}"
            return "\n".join(
                f"Student {k + 1}: {s}/{marks}. "
                + ("Full credit." if s == marks else f"Feedback: {_first_sentence(item.why)}")
                for k, s in enumerate(scores)
            )

        how = Conduct(
            open_chat,
            reply,
            _MARK_FOLLOW,
            _by_version("chat", "chat"),
            _by_version("gpt-4.1-mini", "gpt-4.1"),
            follow_p=rng.uniform(0.08, 0.25),
            end_user=teacher,
        )
        out += _drive(rng, person, shape, _times(rng, n, tz, rhythm, prefer=term), _adoption(rng, shape), how)
    return out


# ---------------------------------------------------------------------------------------------------------
# App 5: StudyHuddle, a study-group app (OpenAI Chat, then OpenAI Responses after its update).
# ---------------------------------------------------------------------------------------------------------

_CLASSES = (
    ("Maths", {"maths": 1.0}),
    ("Bio", {"science": 1.0}),
    ("Physics", {"science": 2.0, "maths": 1.0}),
    ("History", {"history": 1.0}),
    ("Geo", {"geography": 1.0}),
    ("CS", {"coding": 1.0}),
    ("Mixed revision", {"maths": 2.0, "science": 2.0, "history": 1.0, "geography": 1.0}),
)
_STUDY_SYSTEM = (
    "You are the StudyHuddle helper for a group of classmates. Explain homework questions step by step, check "
    "their working kindly, and when two friends disagree, say who is right and why. Encourage them to try the last "
    "step themselves."
)
_STUDY_ASK = (
    "who's right?",
    "why?",
    "check my working",
    "explain pls",
    "is this right?",
    "i dont get this one",
    "how do you even start this",
    "explain",
)
_STUDY_FOLLOW: FollowUps = (
    ("ohh ok. why not ({w}) tho", "({w}) {wo} doesn't work. {why}"),
    ("can u explain the 2nd step again", "Sure, step by step: {why}"),
    ("so it's ({L})?", "Yes, it's ({L}). Try the next one the same way!"),
    ("so the answer is {a}?", "Yes, {a}. Try the next one the same way!"),
    ("thanks!!", "Good luck with the rest of the sheet!"),
    ("is there a quicker way?", "Rule out what can't be right first, then check what's left. It saves a lot of time."),
    ("wait what", "No worries, let's slow down. {why}"),
)
_STUDY_OTHER = (
    (
        "whats a good way to split a group presentation between 4 people",
        "Split by sections rather than slides: intro and background, two middle sections, and a conclusion with "
        "questions. Agree on one template and do a run-through the day before.",
        "what if one person never does anything lol",
    ),
    (
        "any tips for staying awake while revising at night",
        "Work in 25-30 minute blocks with short breaks, keep the room bright and cool, drink water, and stop in time "
        "to sleep at least seven hours: sleep helps memory more than an extra hour of cramming.",
        "ok ty",
    ),
    (
        "how long should i study for a test thats in 3 days",
        "Spread it out: an hour or two each day with practice questions beats one long session. Keep the last "
        "evening for a light review and get a good night's sleep.",
        "thanks!!",
    ),
)
_STUDY_PLATFORMS = (("iOS 17", True), ("Android 14", True), ("Web; Safari 18", False), ("iPadOS 17", True))
_STUDY_ZONES = (-8.0, -6.0, -5.0, -5.0, 0.0, 1.0, 1.0, 8.0, 10.0)
_FIRST = ("Sam", "Priya", "Leo", "Mia", "Omar", "Zoe", "Ben", "Ana", "Kai", "Ella", "Yusuf", "Lena", "Tom", "Ivy")


def _study_group(rng: random.Random) -> list[Record]:
    shape = APPS["study_group"]
    counts = _counts(rng, shape, log=True)
    sizes: list[int] = []
    while sum(sizes) < shape.keys:
        sizes.append(min(rng.randint(3, 6), shape.keys - sum(sizes)))
    if sizes[-1] < 2:  # no group of one
        last = sizes.pop()
        sizes[-1] += last
    out: list[Record] = []
    member = 0
    for size in sizes:
        tz = rng.choice(_STUDY_ZONES)
        subject_name, mix = rng.choice(_CLASSES)
        library = residential_ip(rng)  # the school library's wifi
        group_days = rng.sample(_valid_days(tz), rng.randint(3, 4))
        names = rng.sample(_FIRST, size)
        sets: dict[int, tuple[str, list[Item], list[float]]] = {}
        used: set[str] = set()
        for k, day in enumerate(range(-1, 8)):
            items = [_draw(rng, rng.choices(list(mix), list(mix.values()))[0], used) for _ in range(rng.randint(8, 12))]
            hot = [rng.choice((1.0, 1.0, 1.0, 4.0, 6.0)) for _ in items]  # the hard ones everyone asks about
            sets[day] = (f"{subject_name} sheet {k + 3}", items, hot)
        for who in range(size):
            n = counts[member]
            member += 1
            key = new_key(rng, "sk-proj-")
            days = [d for d in range(-1, 8) if _weekday(d) < 5 and d != 0]
            person = _person(rng, key, tz, _STUDY_PLATFORMS, site=library, site_days=days, site_hours=(12.0, 18.5))
            rhythm = Rhythm(
                per_day=rng.uniform(3, 8),
                sitting=rng.uniform(2, 6),
                think=rng.lognormvariate(math.log(90), 0.45),
                pause=rng.uniform(1.0, 3.0) * HOUR,
                first_hour=_hours(15.0, 21.5),
                last_hour=23.5,
            )
            friends = [x for i, x in enumerate(names) if i != who]
            model0 = rng.choice(("gpt-4o", "gpt-4.1-mini"))

            def open_chat(
                t: float,
                v: int,
                person: Person = person,
                friends: Sequence[str] = friends,
                sets: dict[int, tuple[str, list[Item], list[float]]] = sets,
            ) -> Chat:
                system = _STUDY_SYSTEM if v else None
                if rng.random() < 0.04:
                    return _unrelated(rng, person, _STUDY_OTHER, system, v)
                day, _hour = person.local(t)
                title, items, hot = sets[min(7, max(-1, day))]
                number = rng.choices(range(len(items)), hot)[0]
                item = items[number]
                mine = item.key if rng.random() < 0.5 else item.wrong(rng)
                theirs = item.wrong(rng) if mine == item.key else (item.key if rng.random() < 0.6 else item.wrong(rng))
                friend = rng.choice(friends)
                form = rng.choices(("mc", "open"), (0.7, 0.3))[0] if item.standalone else "mc"
                ask = rng.choice(_STUDY_ASK if form == "mc" else _STUDY_ASK[1:])  # no friend to side with
                passage = [f"Passage: {item.context}"] if item.context else []
                if v == 0:
                    if form == "mc":
                        said = _voice(
                            f"I put ({LETTERS[mine]}) but {friend} says ({LETTERS[theirs]})", person.habit, rng
                        )
                        lines = [*passage, f"Q{number + 1}: {item.stem}", *item.option_lines(), said]
                    else:
                        lines = [*passage, f"Question: {item.stem}", f"Answer: {item.options[mine]}"]
                        if ask == "check my working":
                            lines.append(f"my working: {_first_sentence(item.why)}")
                    text = "\n".join([*lines, _voice(ask, person.habit, rng)])
                else:
                    lines = [f"Homework: {title}, question {number + 1}", *passage, item.stem]
                    if form == "mc":
                        lines += [
                            *item.option_lines(),
                            f"My answer: ({LETTERS[mine]})",
                            f"{friend}'s answer: ({LETTERS[theirs]})",
                        ]
                    else:
                        lines.append(f"My answer: {item.options[mine]}")
                    text = "\n".join([*lines, f"Ask: {_voice(ask, person.habit, rng)}"])
                extra = {"mine": mine, "theirs": theirs, "friend": friend, "letters": form == "mc"}
                return Chat([_user(text)], system, v, item, extra)

            def reply(chat: Chat) -> str:
                item = chat.item
                assert item is not None
                mine = chat.extra["mine"] == item.key
                if not chat.extra["letters"]:
                    verdict = "Yes, that's right." if mine else "Not quite."
                    return f"{verdict} {item.why} So the answer is {item.answer}."
                if mine:
                    who = "You're right"
                elif chat.extra["theirs"] == item.key:
                    who = f"{chat.extra['friend']} is right"
                else:
                    who = "Neither of you has it yet"
                return rng.choice(
                    (
                        f"{who}. {item.why} So the answer is ({item.letter}) {item.answer}.",
                        f"{who}. Let's check it together: {item.why} That gives ({item.letter}). "
                        "Can you see where the other answer went wrong?",
                    )
                )

            how = Conduct(
                open_chat,
                reply,
                _STUDY_FOLLOW,
                _by_version("chat", "responses"),
                _by_version(model0, "gpt-5-mini"),
                follow_p=rng.uniform(0.15, 0.4),
            )
            out += _drive(rng, person, shape, _times(rng, n, tz, rhythm, prefer=group_days), _adoption(rng, shape), how)
    return out


# ---------------------------------------------------------------------------------------------------------


def heavy_framed_users(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """Replay records of the honest heavy framed-app users, sorted by time. ``scale`` is ignored on purpose:
    an honest population is a false-positive denominator and keeps its size."""
    del scale
    builders = (_question_bank, _quiz_authoring, _exam_practice, _district_marking, _study_group)
    seeds = [rng.getrandbits(64) for _ in builders]  # each app its own stream, so one app's edits don't move another's
    out: list[Record] = []
    for build, seed in zip(builders, seeds):
        out += build(random.Random(seed))
    out.sort(key=lambda r: (r["ts"], r["client"]))
    return out
