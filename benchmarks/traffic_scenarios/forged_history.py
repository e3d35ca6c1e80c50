"""Distillation campaigns that forge conversation history to pass their harvest prompt off as an app's.

What it models: an operator harvesting step-by-step reasoning on exam and homework items (maths
word problems, science questions, multiple-choice items with options, logic puzzles). The
harvesting instruction ("explain every step of your reasoning before the final answer", in wordings
written here) sits in the system message, as an app's own system prompt would. To make the traffic
look like an app's users, the operator fabricates earlier exchanges: a short user question and a
short made-up assistant answer come first, and the real item follows as the follow-up.

The rule it attacks (all the operator knows of the product): "An instruction in a system or
developer message that the detector flags as a reasoning harvest, and that many keys share, is
treated as an app's own system prompt when at least a tenth of the keys sending it carried a
conversation along with it (a request where an assistant turn comes before a later user turn, i.e.
a follow-up to an answer). Then keys sending it get nothing from the campaign layer; each key's own
standing still counts: a key whose requests carry such a flagged system prompt is tagged from about
its eleventh such request within six hours." Otherwise, keys of a campaign that keep sending the
instruction (4+ requests, mostly campaign requests) or keys used only once each get the campaign's
level.

The campaigns:

* ``forged-ring``: 300 keys × 6 requests over 24 h through a rotating residential proxy pool, one
  exact system prompt; 30 % of the requests carry a forged earlier exchange, so nearly every key has
  sent a "conversation" at least once, and no key comes near eleven requests in six hours.
* ``forged-few-use``: 400 keys × 3 requests over 24 h; every key's first request carries a forged
  history; the system prompt is one of 3 fixed wordings.
* ``real-sessions``: 60 keys running genuine multi-turn sessions of 5–10 turns (each follow-up carries
  the whole previous exchange, with worked answers written here), 20–40 requests per key over two days
  at 20–120 s between turns: costly, but it looks like tutoring.
* ``forged-single-use``: 500 keys × 1 request, 15 % of them with a forged history, one exact system
  prompt.

Key counts of the first, second and fourth campaign scale with ``scale`` (at least 30 keys each);
the real sessions keep their size.

Provenance: written by an author other than the one who wrote the product's rules, from the
published description of the rule quoted above only, without reading the product's code. Every
prompt, instruction, item and answer here was written for this module; nothing is copied from public
prompt collections or data sets.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.traffic_scenarios import grammar, network, timing
from benchmarks.traffic_scenarios.records import MODELS, Client, Request, label, new_key, record

__all__ = ["SCENARIO", "forged_history_campaigns"]

SCENARIO = "forged_history"

RING_KEYS, RING_REQUESTS, RING_FORGED_SHARE = 300, 6, 0.30
FEW_USE_KEYS, FEW_USE_REQUESTS, FEW_USE_WORDINGS = 400, 3, 3
SESSION_KEYS, SESSION_REQUESTS, SESSION_TURNS, SESSION_GAP = 60, (20, 40), (5, 10), (20.0, 120.0)
SINGLE_USE_KEYS, SINGLE_USE_FORGED_SHARE = 500, 0.15
MIN_KEYS = 30
APIS = ("chat", "anthropic", "responses")

Turn = dict[str, Any]


# --------------------------------------------------------------------------------------------- items


@dataclass(frozen=True)
class Item:
    """One exam-style item: the question as a student would paste it, the worked steps, the answer."""

    question: str
    steps: tuple[str, ...]
    final: str
    choices: bool = False  # a multiple-choice item, its options listed under the stem

    def worked(self, rng: random.Random) -> str:
        """A plausible full assistant answer: numbered reasoning, then the final answer."""
        opening = rng.choice(
            [
                "Let's work through it step by step.",
                "Sure — here is the full reasoning.",
                "Okay, let's take this one carefully.",
                "Here's how to approach it.",
                "",
            ]
        )
        marker = rng.choice(["Step {i}:", "{i}.", "{i})"])
        lines = [marker.format(i=i) + " " + step for i, step in enumerate(self.steps, 1)]
        closing = rng.choice(["Final answer: {f}", "**Answer:** {f}", "Answer: {f}"]).format(f=self.final)
        return "\n".join(([opening, ""] if opening else []) + lines + ["", closing])

    def brief(self, rng: random.Random) -> str:
        """A short answer, as a forged earlier assistant turn would hold."""
        return rng.choice(["{f}.", "The answer is {f}.", "It comes out to {f}.", "{f} — {s}"]).format(
            f=self.final, s=self.steps[-1]
        )


def _num(x: float) -> str:
    """A number as a textbook writes it: integers bare, otherwise up to two decimals."""
    if abs(x - round(x)) < 1e-9:
        return str(round(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _a(n: float) -> str:
    """The article before a number read aloud: "an 8 kg cart", "a 12 V battery"."""
    text = _num(n)
    return "an" if text.startswith("8") or text in ("11", "18") or text.startswith(("11.", "18.")) else "a"


def _money(x: float) -> str:
    return f"${x:.2f}" if abs(x - round(x)) > 1e-9 else f"${round(x)}"


_NAMES = ["Priya", "Tomás", "Mei", "Jonah", "Aisha", "Lukas", "Noor", "Dmitri", "Chloe", "Kwame", "Sofia", "Ravi"]


def _speed(rng: random.Random) -> Item:
    who, v = rng.choice([("A cyclist", 18), ("A train", 80), ("A delivery van", 45), ("A runner", 12), ("A bus", 60)])
    t, t2 = rng.sample([2, 3, 4, 5, 6], 2)
    d = v * t
    return Item(
        f"{who} covers {d} km in {t} hours at a constant speed. How far does it go in {t2} hours at that speed?",
        (
            f"Speed is distance divided by time: {d} km ÷ {t} h = {v} km/h.",
            f"At {v} km/h for {t2} hours the distance is {v} × {t2} = {v * t2} km.",
        ),
        f"{v * t2} km",
    )


def _discount(rng: random.Random) -> Item:
    price = rng.choice([40, 60, 80, 120, 150, 200, 250])
    off = rng.choice([10, 15, 20, 25, 30, 40])
    tax = rng.choice([5, 8, 10])
    sale = price * (100 - off) / 100
    total = sale * (100 + tax) / 100
    thing = rng.choice(["jacket", "pair of headphones", "bike helmet", "backpack", "desk lamp"])
    return Item(
        f"A {thing} costs {_money(price)}. It is marked {off}% off, and then {tax}% sales tax is added to the "
        f"sale price. What does the customer pay?",
        (
            f"The discount is {off}% of {_money(price)} = {_money(price * off / 100)}.",
            f"The sale price is {_money(price)} − {_money(price * off / 100)} = {_money(sale)}.",
            f"The tax is {tax}% of {_money(sale)} = {_money(sale * tax / 100)}.",
            f"The total is {_money(sale)} + {_money(sale * tax / 100)} = {_money(total)}.",
        ),
        _money(total),
    )


def _work_rate(rng: random.Random) -> Item:
    a, b, together = rng.choice([(3, 6, 2), (4, 12, 3), (6, 12, 4), (10, 15, 6), (12, 24, 8), (20, 30, 12)])
    return Item(
        f"One hose fills a paddling pool in {a} minutes and a second hose fills it in {b} minutes. "
        f"How long does it take with both hoses running?",
        (
            f"The first hose fills 1/{a} of the pool per minute, the second 1/{b}.",
            f"Together they fill 1/{a} + 1/{b} = {a + b}/{a * b} = 1/{together} of the pool per minute.",
            f"So the whole pool takes {together} minutes.",
        ),
        f"{together} minutes",
    )


def _sum_difference(rng: random.Random) -> Item:
    small = rng.randint(8, 60)
    big = small + 2 * rng.randint(2, 20)
    s, d = small + big, big - small
    return Item(
        f"The sum of two numbers is {s} and their difference is {d}. What are the two numbers?",
        (
            f"Call them x and y with x + y = {s} and x − y = {d}.",
            f"Adding the equations gives 2x = {s + d}, so x = {big}.",
            f"Then y = {s} − {big} = {small}.",
            f"Check: {big} − {small} = {d}.",
        ),
        f"{big} and {small}",
    )


def _garden(rng: random.Random) -> Item:
    length, width = rng.randint(6, 25), rng.randint(3, 14)
    cost = rng.choice([4, 6, 7.5, 9, 12])
    perimeter = 2 * (length + width)
    return Item(
        f"A rectangular garden is {length} m long and {width} m wide. Fencing costs {_money(cost)} per metre. "
        f"What is the garden's area, and how much does it cost to fence all the way round?",
        (
            f"Area = length × width = {length} × {width} = {length * width} m².",
            f"Perimeter = 2 × ({length} + {width}) = {perimeter} m.",
            f"Fencing cost = {perimeter} × {_money(cost)} = {_money(perimeter * cost)}.",
        ),
        f"{length * width} m² and {_money(perimeter * cost)}",
    )


def _average(rng: random.Random) -> Item:
    while True:
        scores = [rng.randint(60, 95) for _ in range(3)]
        target = rng.randint(72, 90)
        need = 4 * target - sum(scores)
        if 50 <= need <= 100:
            break
    name = rng.choice(_NAMES)
    a, b, c = scores
    return Item(
        f"{name} scored {a}, {b} and {c} on three tests. What must {name} score on the fourth test to average "
        f"exactly {target}?",
        (
            f"An average of {target} over four tests needs a total of 4 × {target} = {4 * target}.",
            f"The first three add up to {a} + {b} + {c} = {sum(scores)}.",
            f"The fourth score must be {4 * target} − {sum(scores)} = {need}.",
        ),
        str(need),
    )


def _percent_change(rng: random.Random) -> Item:
    before = rng.choice([200, 400, 500, 800, 1200, 2500])
    pct = rng.choice([5, 10, 12, 15, 20, 25, 30])
    after = before * (100 + pct) // 100
    what = rng.choice(["A town's population", "A school's enrolment", "The number of members of a club"])
    return Item(
        f"{what} rose from {before} to {after}. By what percentage did it increase?",
        (
            f"The increase is {after} − {before} = {after - before}.",
            f"As a fraction of the starting value: {after - before} ÷ {before} = {_num((after - before) / before)}.",
            f"Multiplying by 100 gives {pct}%.",
        ),
        f"{pct}%",
    )


def _consecutive(rng: random.Random) -> Item:
    k = rng.randint(10, 70)
    kind, step = rng.choice([("consecutive integers", 1), ("consecutive even numbers", 2)])
    if step == 2:
        k += k % 2
    total = 3 * k + 3 * step
    return Item(
        f"Three {kind} add up to {total}. What are they?",
        (
            f"Write them as n, n + {step} and n + {2 * step}; their sum is 3n + {3 * step}.",
            f"3n + {3 * step} = {total}, so 3n = {total - 3 * step} and n = {k}.",
            f"The numbers are {k}, {k + step} and {k + 2 * step}.",
        ),
        f"{k}, {k + step}, {k + 2 * step}",
    )


def _ages(rng: random.Random) -> Item:
    years = rng.randint(4, 16)
    parent, child = rng.sample(_NAMES, 2)
    return Item(
        f"{parent} is three times as old as {child}. In {years} years {parent} will be twice as old as {child}. "
        f"How old are they now?",
        (
            f"Let {child}'s age be c, so {parent} is 3c.",
            f"In {years} years: 3c + {years} = 2(c + {years}) = 2c + {2 * years}.",
            f"So c = {years}, and {parent} is 3 × {years} = {3 * years}.",
            f"Check: in {years} years they are {4 * years} and {2 * years}, and {4 * years} is twice {2 * years}.",
        ),
        f"{child} is {years} and {parent} is {3 * years}",
    )


def _force(rng: random.Random) -> Item:
    m, a = rng.randint(2, 25), rng.randint(2, 9)
    thing = rng.choice(["cart", "crate", "sled", "trolley"])
    return Item(
        f"{_a(m).capitalize()} {m} kg {thing} accelerates at {a} m/s² on a frictionless floor. What net force acts "
        f"on it, and what would its acceleration be if the same force pushed {_a(2 * m)} {2 * m} kg {thing}?",
        (
            f"Newton's second law: F = m × a = {m} kg × {a} m/s² = {m * a} N.",
            f"For the heavier {thing}: a = F ÷ m = {m * a} N ÷ {2 * m} kg = {_num(a / 2)} m/s².",
            "Doubling the mass at the same force halves the acceleration.",
        ),
        f"{m * a} N, and {_num(a / 2)} m/s²",
    )


def _moles(rng: random.Random) -> Item:
    name, formula, molar = rng.choice([("water", "H₂O", 18), ("carbon dioxide", "CO₂", 44), ("methane", "CH₄", 16)])
    n = rng.randint(2, 6)
    return Item(
        f"How many moles are there in {n * molar} g of {name} ({formula}), and roughly how many molecules is that?",
        (
            f"The molar mass of {formula} is {molar} g/mol.",
            f"Moles = mass ÷ molar mass = {n * molar} g ÷ {molar} g/mol = {n} mol.",
            f"Molecules = {n} × 6.02 × 10²³ ≈ {_num(n * 6.02)} × 10²³.",
        ),
        f"{n} mol, about {_num(n * 6.02)} × 10²³ molecules",
    )


def _wave(rng: random.Random) -> Item:
    f = rng.choice([170, 340, 680, 850, 1700])
    return Item(
        f"Sound travels at about 340 m/s in air. What is the wavelength of a {f} Hz note?",
        (
            "For any wave, speed = frequency × wavelength, so wavelength = speed ÷ frequency.",
            f"Wavelength = 340 m/s ÷ {f} Hz = {_num(340 / f)} m.",
        ),
        f"{_num(340 / f)} m",
    )


def _ohm(rng: random.Random) -> Item:
    v = rng.choice([6, 9, 12, 24])
    r1, r2 = rng.choice([(2, 4), (3, 3), (4, 8), (1, 5), (6, 6), (2, 10)])
    total = r1 + r2
    current = v / total
    return Item(
        f"A {v} V battery is connected to {_a(r1)} {r1} Ω resistor and {_a(r2)} {r2} Ω resistor in series. "
        f"What current flows, and what is the voltage across the {r2} Ω resistor?",
        (
            f"In series the resistances add: {r1} Ω + {r2} Ω = {total} Ω.",
            f"Ohm's law: I = V ÷ R = {v} V ÷ {total} Ω = {_num(current)} A.",
            f"The voltage across the {r2} Ω resistor is I × R = {_num(current)} A × {r2} Ω = {_num(current * r2)} V.",
        ),
        f"{_num(current)} A and {_num(current * r2)} V",
    )


def _density(rng: random.Random) -> Item:
    volume = rng.choice([50, 80, 100, 125, 200, 250])
    density = rng.choice([0.6, 0.8, 0.92, 1.2, 2.7, 7.9])
    mass = volume * density
    floats = density < 1
    return Item(
        f"A solid block has a mass of {_num(mass)} g and a volume of {volume} cm³. What is its density, and will it "
        f"float in water?",
        (
            f"Density = mass ÷ volume = {_num(mass)} g ÷ {volume} cm³ = {_num(density)} g/cm³.",
            "Water's density is about 1 g/cm³.",
            "It floats." if floats else "It sinks, because it is denser than water.",
        ),
        f"{_num(density)} g/cm³; it {'floats' if floats else 'sinks'}",
    )


def _falling(rng: random.Random) -> Item:
    t = rng.choice([1, 1.5, 2, 2.5, 3, 4])
    return Item(
        f"A stone is dropped from rest off a cliff and hits the ground {_num(t)} s later. Ignoring air resistance "
        f"(g = 9.8 m/s²), how fast is it going at impact and how high is the cliff?",
        (
            f"Starting from rest, v = g × t = 9.8 × {_num(t)} = {_num(9.8 * t)} m/s.",
            f"The distance fallen is ½ g t² = 0.5 × 9.8 × {_num(t)}² = {_num(4.9 * t * t)} m.",
        ),
        f"{_num(9.8 * t)} m/s; {_num(4.9 * t * t)} m",
    )


# Conceptual science questions: question, reasoning steps, short answer.
_CONCEPTS: list[tuple[str, tuple[str, ...], str]] = [
    (
        "Why does a metal spoon feel colder than a wooden spoon when both have been sitting in the same room?",
        (
            "Both spoons are at room temperature, so the difference is not their temperature.",
            "Your hand is warmer than the room, so heat flows from your hand into whatever you touch.",
            "Metal conducts heat far better than wood, so it draws heat away from your skin much faster.",
            "Your skin senses the rate of heat loss, which it reads as coldness.",
        ),
        "metal conducts heat away from your hand faster",
    ),
    (
        "Why does ice float on liquid water when most solids sink in their own liquid?",
        (
            "An object floats when it is less dense than the liquid around it.",
            "When water freezes, hydrogen bonds lock the molecules into an open hexagonal lattice.",
            "That lattice takes up more space than the liquid, so ice is about 9% less dense.",
        ),
        "ice is less dense than liquid water",
    ),
    (
        "Why does water boil at a lower temperature at the top of a high mountain?",
        (
            "Water boils when its vapour pressure equals the pressure of the air above it.",
            "Air pressure falls with altitude.",
            "So the vapour pressure needed is lower, and it is reached at a lower temperature.",
        ),
        "lower air pressure means a lower boiling point",
    ),
    (
        "During a storm, why do we see the lightning before we hear the thunder?",
        (
            "The flash and the sound are produced at the same moment.",
            "Light travels at about 300,000 km/s, sound at only about 340 m/s.",
            "So the sound takes about 3 seconds per kilometre longer to arrive.",
        ),
        "light travels much faster than sound",
    ),
    (
        "A potted plant is sealed inside a clear glass jar and left in bright sunlight. What happens to the oxygen "
        "and carbon dioxide inside the jar during the day?",
        (
            "In light, the plant photosynthesises: it takes in CO₂ and water and releases O₂.",
            "It also respires all the time, using O₂ and releasing CO₂, but more slowly.",
            "In bright light photosynthesis outpaces respiration.",
        ),
        "oxygen rises and carbon dioxide falls",
    ),
    (
        "Why does the Moon show phases over a month?",
        (
            "The Moon does not make light; the Sun always lights half of it.",
            "As the Moon orbits Earth, we see different fractions of that lit half.",
            "When it is between us and the Sun we see the dark side (new moon); opposite the Sun we see the lit "
            "side (full moon).",
        ),
        "we see changing portions of its sunlit half as it orbits",
    ),
    (
        "If you double the temperature of a gas in kelvin at constant volume, what happens to its pressure, and why?",
        (
            "At constant volume, pressure is proportional to absolute temperature (Gay-Lussac's law).",
            "Temperature in kelvin measures the molecules' average kinetic energy.",
            "Faster molecules hit the walls harder and more often, so doubling T doubles the pressure.",
        ),
        "the pressure doubles",
    ),
]


def _concept(rng: random.Random) -> Item:
    question, steps, final = rng.choice(_CONCEPTS)
    return Item(question, steps, final)


# Multiple-choice items: stem, correct option, three wrong options, reasoning steps.
_CHOICES: list[tuple[str, str, tuple[str, str, str], tuple[str, ...]]] = [
    (
        "Which organelle is the main site of aerobic respiration in a cell?",
        "Mitochondrion",
        ("Nucleus", "Ribosome", "Cell wall"),
        (
            "Aerobic respiration releases energy from glucose using oxygen.",
            "The Krebs cycle and the electron transport chain run inside the mitochondria.",
            "The nucleus stores DNA, ribosomes make proteins and the cell wall gives structure.",
        ),
    ),
    (
        "Which gas makes up the largest share of Earth's atmosphere?",
        "Nitrogen",
        ("Oxygen", "Carbon dioxide", "Argon"),
        (
            "Dry air is about 78% nitrogen and 21% oxygen.",
            "Argon is just under 1% and carbon dioxide only about 0.04%.",
        ),
    ),
    (
        "A ball is thrown straight up. At the very top of its path, its acceleration is:",
        "9.8 m/s² downward",
        ("Zero", "9.8 m/s² upward", "It depends on the ball's mass"),
        (
            "At the top the velocity is momentarily zero, but that says nothing about acceleration.",
            "Gravity still acts on the ball the whole time, pulling it down.",
            "Near Earth's surface that acceleration is g = 9.8 m/s², whatever the mass.",
        ),
    ),
    (
        "Which of these is a chemical change?",
        "An iron nail rusting",
        ("Ice melting", "Sugar dissolving in tea", "Paper being torn"),
        (
            "A chemical change makes a new substance.",
            "Rust is iron oxide, formed when iron reacts with oxygen and water.",
            "Melting, dissolving and tearing change form or mixture, not the substance.",
        ),
    ),
    (
        "Which of these numbers is prime?",
        "97",
        ("91", "87", "51"),
        (
            "91 = 7 × 13, 87 = 3 × 29 and 51 = 3 × 17.",
            "97 is not divisible by 2, 3, 5 or 7, and 7² < 97 < 11², so no other factor needs checking.",
        ),
    ),
    (
        "A fair six-sided die is rolled twice. What is the probability of getting two sixes?",
        "1/36",
        ("1/6", "1/12", "1/3"),
        (
            "The rolls are independent, so the probabilities multiply.",
            "Each roll shows a six with probability 1/6, so together 1/6 × 1/6 = 1/36.",
        ),
    ),
    (
        "Which layer of the Earth is liquid?",
        "The outer core",
        ("The inner core", "The mantle", "The crust"),
        (
            "S-waves from earthquakes cannot pass through liquids.",
            "They vanish at the outer core, which is molten iron and nickel.",
            "The inner core is solid under enormous pressure; the mantle is solid rock that creeps slowly.",
        ),
    ),
    (
        "Which material is the best conductor of electricity?",
        "Copper",
        ("Glass", "Rubber", "Dry wood"),
        (
            "Metals conduct because they have free electrons.",
            "Glass, rubber and dry wood hold their electrons tightly, so they are insulators.",
        ),
    ),
]


def _options(rng: random.Random, correct: str, wrong: Sequence[str]) -> tuple[str, str]:
    """The lettered option lines and the letter of the correct one, in a random order."""
    options = [correct, *wrong]
    rng.shuffle(options)
    style = rng.choice(["{l}) {o}", "({l}) {o}", "{l}. {o}"])
    lines = "\n".join(style.format(l=letter, o=option) for letter, option in zip("ABCD", options))
    return lines, "ABCD"[options.index(correct)]


def _choice_fixed(rng: random.Random) -> Item:
    stem, correct, wrong, steps = rng.choice(_CHOICES)
    lines, letter = _options(rng, correct, wrong)
    return Item(f"{stem}\n{lines}", (*steps, f"So the correct option is {letter}."), f"{letter} ({correct})", True)


def _choice_slope(rng: random.Random) -> Item:
    x1, y1 = rng.randint(-5, 5), rng.randint(-5, 5)
    run, m = rng.randint(1, 5), rng.choice([-3, -2, 2, 3, 4])
    x2, y2 = x1 + run, y1 + m * run
    lines, letter = _options(rng, str(m), (str(-m), str(m + 1), f"1/{m}" if m > 0 else f"-1/{-m}"))
    return Item(
        f"What is the slope of the line through ({x1}, {y1}) and ({x2}, {y2})?\n{lines}",
        (
            "Slope = (change in y) ÷ (change in x).",
            f"Change in y = {y2} − ({y1}) = {y2 - y1}; change in x = {x2} − ({x1}) = {run}.",
            f"Slope = {y2 - y1} ÷ {run} = {m}, which is option {letter}.",
        ),
        f"{letter} ({m})",
        True,
    )


def _choice_hypotenuse(rng: random.Random) -> Item:
    a, b, c = rng.choice([(3, 4, 5), (5, 12, 13), (8, 15, 17), (7, 24, 25)])
    k = rng.randint(1, 3)
    a, b, c = a * k, b * k, c * k
    lines, letter = _options(rng, str(c), (str(a + b), str(c + k), str(c - k)))
    return Item(
        f"A right triangle has legs of {a} cm and {b} cm. How long is the hypotenuse?\n{lines}",
        (
            "By Pythagoras, c² = a² + b².",
            f"c² = {a}² + {b}² = {a * a} + {b * b} = {c * c}.",
            f"c = √{c * c} = {c} cm, option {letter}.",
        ),
        f"{letter} ({c} cm)",
        True,
    )


def _ordering(rng: random.Random) -> Item:
    people = rng.sample(_NAMES, rng.choice([4, 5]))
    event = rng.choice(["a race", "a spelling bee", "a queue for tickets"])
    clues = [f"{a} came immediately before {b}." for a, b in itertools.pairwise(people)]
    rng.shuffle(clues)
    order = ", ".join(people)
    return Item(
        f"{len(people)} friends took part in {event}. " + " ".join(clues) + " Who came first and who came last?",
        (
            f"Each clue links two neighbours, so chain them: nobody comes immediately before {people[0]}, so "
            f"{people[0]} is first.",
            f"Following the links from {people[0]} gives the order {order}.",
            f"Nobody comes after {people[-1]}, so {people[-1]} is last.",
        ),
        f"{people[0]} first, {people[-1]} last",
    )


def _handshakes(rng: random.Random) -> Item:
    n = rng.randint(5, 30)
    return Item(
        f"At a meeting, each of the {n} people shakes hands exactly once with every other person. How many "
        f"handshakes are there?",
        (
            f"Each person shakes {n - 1} hands, giving {n} × {n - 1} = {n * (n - 1)} if we count per person.",
            "That counts every handshake twice (once for each person).",
            f"So there are {n * (n - 1)} ÷ 2 = {n * (n - 1) // 2} handshakes.",
        ),
        str(n * (n - 1) // 2),
    )


def _notebook_pen(rng: random.Random) -> Item:
    pen = rng.choice([5, 10, 15, 20, 25, 35, 40])
    gap = rng.choice([100, 150, 200, 250, 300])
    total = 2 * pen + gap
    return Item(
        f"A notebook and a pen cost {_money(total / 100)} together. The notebook costs {_money(gap / 100)} more "
        f"than the pen. How much does the pen cost?",
        (
            f"Let the pen cost p; the notebook costs p + {_money(gap / 100)}.",
            f"So 2p + {_money(gap / 100)} = {_money(total / 100)}, giving 2p = {_money(2 * pen / 100)}.",
            f"p = {_money(pen / 100)} (not {_money((total - gap) / 100)}, the tempting quick answer).",
        ),
        _money(pen / 100),
    )


def _weighings(rng: random.Random) -> Item:
    n = rng.randint(4, 27)
    k = 1
    while 3**k < n:
        k += 1
    return Item(
        f"You have {n} identical-looking coins, and one of them is slightly heavier. With a balance scale, what is "
        f"the fewest weighings that always finds the heavy coin?",
        (
            "Each weighing has three outcomes (left heavier, right heavier, balanced), so it can split the "
            "candidates into three groups.",
            f"k weighings can tell apart at most 3^k coins; 3^{k - 1} = {3 ** (k - 1)} < {n} ≤ 3^{k} = {3**k}.",
            f"So {k} weighings are needed and enough: split into three near-equal groups each time.",
        ),
        str(k),
    )


def _weekday(rng: random.Random) -> Item:
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    today = rng.randrange(7)
    n = rng.randint(20, 400)
    return Item(
        f"If today is {days[today]}, what day of the week will it be {n} days from now?",
        (
            "The days repeat every 7, so only the remainder of the count matters.",
            f"{n} = 7 × {n // 7} + {n % 7}.",
            f"Counting {n % 7} days on from {days[today]} lands on {days[(today + n) % 7]}.",
        ),
        days[(today + n) % 7],
    )


def _knights(rng: random.Random) -> Item:
    a, b = rng.sample(_NAMES, 2)
    return rng.choice(
        [
            Item(
                f"On an island, knights always tell the truth and knaves always lie. {a} says: “We are both "
                f"knaves.” What are {a} and {b}?",
                (
                    f"If {a} were a knight, the statement would be true, making {a} a knave — a contradiction.",
                    f"So {a} is a knave, and the statement is false: they are not both knaves.",
                    f"Since {a} is a knave, {b} must be a knight.",
                ),
                f"{a} is a knave and {b} is a knight",
            ),
            Item(
                f"Knights always tell the truth and knaves always lie. {a} says: “{b} is a knave.” {b} says: "
                f"“{a} and I are the same kind.” Who is what?",
                (
                    f"Suppose {b} is a knight: then {a} is also a knight, but {a} called {b} a knave — false, "
                    f"impossible for a knight.",
                    f"So {b} is a knave, and {b}'s statement is false: they are different kinds.",
                    f"So {a} is a knight, which fits: {a} truthfully said {b} is a knave.",
                ),
                f"{a} is a knight and {b} is a knave",
            ),
        ]
    )


_MATHS: list[Callable[[random.Random], Item]] = [
    _speed,
    _discount,
    _work_rate,
    _sum_difference,
    _garden,
    _average,
    _percent_change,
    _consecutive,
    _ages,
]
_SCIENCE: list[Callable[[random.Random], Item]] = [_force, _moles, _wave, _ohm, _density, _falling, _concept]
_MULTIPLE_CHOICE: list[Callable[[random.Random], Item]] = [_choice_fixed, _choice_slope, _choice_hypotenuse]
_LOGIC: list[Callable[[random.Random], Item]] = [_ordering, _handshakes, _notebook_pen, _weighings, _weekday, _knights]
_KINDS = (_MATHS, _SCIENCE, _MULTIPLE_CHOICE, _LOGIC)


def _item(rng: random.Random) -> Item:
    return rng.choice(rng.choice(_KINDS))(rng)


# -------------------------------------------------------------------------------------- phrasing

_QUESTION = "⟦|||Question ⟦#1-30⟧:|Homework problem:|From my practice test:|Next exam question:|Q⟦#1-20⟧.⟧"
_CHOICE_TAIL = "⟦||Choose one.|Pick the right option.|Which letter is it?⟧"


def _ask(item: Item, rng: random.Random) -> str:
    # expand() trims the ends of what it returns, so separators are put back here.
    prefix = grammar.expand(_QUESTION, rng)
    tail = grammar.expand(_CHOICE_TAIL, rng) if item.choices else ""
    return (prefix + " " if prefix else "") + item.question + ("\n" + tail if tail else "")


# Short questions for forged earlier exchanges: (question, answer), written to look like warm-ups.
def _quick(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.3:
        a, b = rng.randint(11, 29), rng.randint(3, 19)
        return grammar.expand(f"⟦what's|What is|quick one: what is⟧ {a} × {b}?", rng), f"{a} × {b} = {a * b}."
    if roll < 0.5:
        pct, base = rng.choice([10, 15, 20, 25, 40]), rng.choice([40, 60, 80, 120, 200])
        return f"What is {pct}% of {base}?", f"{pct}% of {base} is {_num(pct * base / 100)}."
    if roll < 0.7:
        metres = rng.choice([1.5, 2.25, 3.5, 4.8, 12])
        return (
            f"How many centimetres are in {_num(metres)} metres?",
            f"{_num(metres * 100)} cm, since 1 m = 100 cm.",
        )
    fact = rng.choice(
        [
            ("What's the chemical symbol for potassium?", "K."),
            ("what is the powerhouse of the cell", "The mitochondrion."),
            ("Is a tomato a fruit or a vegetable, botanically?", "Botanically it's a fruit, since it holds seeds."),
            ("What does pH 7 mean?", "Neutral — neither acidic nor basic."),
            ("What's the formula for the area of a circle?", "A = πr²."),
            ("How many sides does a hexagon have?", "Six."),
            ("what unit is force measured in", "Newtons (N)."),
        ]
    )
    return fact


def _forged_prefix(rng: random.Random) -> list[Turn]:
    """A fabricated earlier exchange: a short user question and a short made-up assistant answer."""
    if rng.random() < 0.6:
        question, answer = _quick(rng)
    else:
        item = _item(rng)
        question, answer = _ask(item, rng), item.brief(rng)
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


_FORGED_FOLLOW = (
    "⟦Thanks!|Got it, thanks.|ok makes sense.|Perfect.|Great.|Cool.⟧ "
    "⟦Now this one:|Next question:|What about this one?|Can you do the next one too?|Here's another:|"
    "And this one please:⟧"
)
_SESSION_FOLLOW = (
    "⟦Thanks, that helps.|Great, I get it now.|Okay, that makes sense.|Nice.|Got it.|"
    "Thank you! That's clearer than my textbook.⟧ "
    "⟦Next one, please go through it the same way, with every step:|Can you do the next one with full working?|"
    "Here's the next problem, show all your reasoning again:|Next question — same thing, step by step please:|"
    "Another one, and please don't skip any steps:⟧"
)


def _follow_up(template: str, item: Item, rng: random.Random) -> str:
    return grammar.expand(template, rng) + rng.choice(["\n\n", "\n", " "]) + _ask(item, rng)


# The harvesting instruction, in many wordings: an optional app-like persona, the instruction, a format rule.
_SYSTEM_BANK: grammar.Bank = {
    "persona": [
        "",
        "You are ⟦StudyPal|Brainy|MathMentor|HomeworkHero|Tutorly⟧, a ⟦friendly|patient|helpful⟧ "
        "⟦homework helper|study assistant|tutor⟧ for ⟦high-school|secondary-school|college|exam-prep⟧ students.",
        "You are a ⟦patient|careful|thorough⟧ ⟦maths and science|STEM|exam-prep⟧ tutor.",
        "You help students ⟦revise for exams|with their homework|prepare for tests⟧.",
    ],
    "instruction": [
        "⟦Before giving|Before you state⟧ the final answer, explain every step of your reasoning in detail.",
        "Always work through the problem step by step, showing all of your intermediate reasoning, and only "
        "then give the answer.",
        "Think out loud: lay out your complete chain of reasoning, one ⟦numbered |⟧step at a time, before "
        "⟦the final answer|you conclude⟧.",
        "Never give just the answer. Write out each reasoning step in full, including any calculations and "
        "⟦checks|why each step follows from the last⟧, ⟦then|and only then⟧ state the answer.",
        "For every question, ⟦show|spell out⟧ your full thought process ⟦in detail|at length|thoroughly⟧: what "
        "you notice, what you try, and why, before ⟦committing to|giving⟧ a final answer.",
        "Reason through each problem ⟦explicitly|carefully|exhaustively⟧, step by step, ⟦as if|like⟧ you were "
        "showing your working to an examiner, and put the answer at the end.",
    ],
    "format": [
        "",
        "Number the steps.",
        "End with a line that starts with ‘Final answer:’.",
        "For multiple-choice questions, explain why each wrong option is wrong ⟦too|as well⟧.",
        "Don't skip steps, even easy ones.",
    ],
}


def _system_prompts(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct harvesting system prompts not in ``taken`` (which they are added to)."""
    out: list[str] = []
    while len(out) < count:
        text = grammar.expand("⟦persona⟧ ⟦instruction⟧ ⟦format⟧", rng, _SYSTEM_BANK)
        if text not in taken:
            taken.add(text)
            out.append(text)
    return out


# ---------------------------------------------------------------------------------------- campaigns


def _keys(base: int, scale: float) -> int:
    return max(MIN_KEYS, round(base * scale))


def _client(rng: random.Random, ips: Sequence[str], *, rotate: bool, browser_share: float) -> Client:
    api = rng.choice(APIS)
    agent = network.browser_user_agent(rng) if rng.random() < browser_share else network.sdk_user_agent(rng)
    return Client(new_key(rng), api, rng.choice(MODELS[api]), agent, ips, rotate=rotate)


def _single(rng: random.Random, system: str, forged: bool) -> Request:
    item = _item(rng)
    if not forged:
        return Request.user(_ask(item, rng), system=system)
    turns = [*_forged_prefix(rng), {"role": "user", "content": _follow_up(_FORGED_FOLLOW, item, rng)}]
    return Request(turns=tuple(turns), system=system)


def _ring(rng: random.Random, scale: float, system: str) -> list[dict[str, Any]]:
    campaign = "forged-ring-0"
    keys = _keys(RING_KEYS, scale)
    pool = network.proxy_pool(rng, max(200, 2 * keys), residential=True)
    start = timing.START + rng.uniform(0, timing.DAY)
    clients = [_client(rng, pool, rotate=True, browser_share=0.2) for _ in range(keys)]
    total = keys * RING_REQUESTS
    forged = set(rng.sample(range(total), round(RING_FORGED_SHARE * total)))
    out: list[dict[str, Any]] = []
    for k, client in enumerate(clients):
        for j, ts in enumerate(timing.spread_times(rng, RING_REQUESTS, start, timing.DAY)):
            request = _single(rng, system, k * RING_REQUESTS + j in forged)
            out.append(record(ts, client, request, label(SCENARIO, campaign, True), rng))
    return out


def _few_use(rng: random.Random, scale: float, systems: Sequence[str]) -> list[dict[str, Any]]:
    campaign = "forged-few-use-0"
    keys = _keys(FEW_USE_KEYS, scale)
    pool = network.proxy_pool(rng, max(200, 2 * keys), residential=True)
    start = timing.START + rng.uniform(0, timing.DAY)
    out: list[dict[str, Any]] = []
    for _ in range(keys):
        client = _client(rng, pool, rotate=True, browser_share=0.15)
        system = rng.choice(systems)
        for j, ts in enumerate(timing.spread_times(rng, FEW_USE_REQUESTS, start, timing.DAY)):
            out.append(record(ts, client, _single(rng, system, j == 0), label(SCENARIO, campaign, True), rng))
    return out


def _session_lengths(rng: random.Random, n: int) -> list[int]:
    """``n`` requests (at least 5) cut into sessions of 5–10 turns each."""
    low, high = SESSION_TURNS
    lengths: list[int] = []
    left = n
    while left:
        sizes = [size for size in range(low, min(high, left) + 1) if left - size == 0 or left - size >= low]
        lengths.append(rng.choice(sizes))
        left -= lengths[-1]
    return lengths


def _real_sessions(rng: random.Random, system: str) -> list[dict[str, Any]]:
    campaign = "real-sessions-0"
    pool = network.proxy_pool(rng, 4 * SESSION_KEYS, residential=True)
    start = timing.START + rng.uniform(0, timing.DAY)
    out: list[dict[str, Any]] = []
    for _ in range(SESSION_KEYS):
        # A sticky residential exit per key (now and then a second one), as a tutoring user at home would have.
        client = _client(rng, rng.sample(pool, 2), rotate=False, browser_share=0.5)
        lengths = _session_lengths(rng, rng.randint(*SESSION_REQUESTS))
        spacing = 2 * timing.DAY / len(lengths)  # the sessions spread over two days
        t = start + rng.uniform(0, spacing)
        for size in lengths:
            session_start = t
            turns: list[Turn] = []
            for i in range(size):
                item = _item(rng)
                text = _ask(item, rng) if i == 0 else _follow_up(_SESSION_FOLLOW, item, rng)
                turns.append({"role": "user", "content": text})
                request = Request(turns=tuple(dict(turn) for turn in turns), system=system)
                out.append(record(t, client, request, label(SCENARIO, campaign, True), rng))
                turns.append({"role": "assistant", "content": item.worked(rng)})
                t += rng.uniform(*SESSION_GAP)
            t = session_start + spacing * rng.uniform(0.7, 1.3)
    return out


def _single_use(rng: random.Random, scale: float, system: str) -> list[dict[str, Any]]:
    campaign = "forged-single-use-0"
    keys = _keys(SINGLE_USE_KEYS, scale)
    pool = network.proxy_pool(rng, 2 * keys, residential=True)
    start = timing.START + rng.uniform(0, timing.DAY)
    forged = set(rng.sample(range(keys), math.ceil(SINGLE_USE_FORGED_SHARE * keys)))
    out: list[dict[str, Any]] = []
    for k, ts in enumerate(timing.spread_times(rng, keys, start, timing.DAY)):
        client = _client(rng, pool, rotate=True, browser_share=0.3)
        out.append(record(ts, client, _single(rng, system, k in forged), label(SCENARIO, campaign, True), rng))
    return out


def forged_history_campaigns(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """All four campaigns' records, sorted by (ts, client). Key counts of the ring, few-use and single-use
    campaigns scale with ``scale`` (at least 30 keys each); the real sessions keep their 60 keys."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive finite number, not {scale!r}")
    taken: set[str] = set()
    ring_system = _system_prompts(rng, 1, taken)[0]
    few_use_systems = _system_prompts(rng, FEW_USE_WORDINGS, taken)
    session_system = _system_prompts(rng, 1, taken)[0]
    single_system = _system_prompts(rng, 1, taken)[0]
    out = [
        *_ring(rng, scale, ring_system),
        *_few_use(rng, scale, few_use_systems),
        *_real_sessions(rng, session_system),
        *_single_use(rng, scale, single_system),
    ]
    out.sort(key=lambda r: (r["ts"], r["client"]))
    return out
