"""Honest one-time users: many new keys, one request each (a few send two or three), shared system prompts.

What this population stands for. A gateway in front of a public LLM API sees a steady trickle of keys
that are used once and never again, and a lot of them carry the *same* system prompt as hundreds of
other keys. None of that is a campaign; it is how people meet an API:

(a) **Copied snippets.** A developer finds a quickstart, tutorial or cookbook page, pastes its code
    (system prompt included) into a file, puts in a freshly created key and runs it once or twice.
    A popular page is copied by dozens of developers a day, so its system prompt arrives on dozens
    of unrelated keys. Many such pages are about reasoning ("math tutor", "solve step by step and
    give the final answer", "explain your reasoning first"), because that is what demos like to
    show off. What people type as their one test message is whatever comes to mind: "hello",
    "test", "what's 2+2", a homework problem, an exam question with options A-D, a trivia
    question, a paragraph to summarise, a code question, sometimes in their own language.
(b) **Bring-your-own-key study apps.** A student installs a tutoring app, pastes their own key,
    asks the one exam or homework question they were stuck on and leaves. The app sends its own
    step-by-step tutoring prompt with every request and its own User-Agent, so every one of its
    users looks alike except for the question.
(c) **A signup wave.** On a free-trial day many new accounts each send one or two ordinary
    requests using one of the platform's template system prompts from the console or an SDK.

Arrivals are human: spread over the benchmark's two days with a daily rhythm, plus the bursts that
happen in real life (a tutorial trending on a forum, an app being featured, the trial announcement),
each key from its own residential address except for a few that share a university or office
network or a single NAT address. Every text here was written for this module.

Size: the benchmark's honest measure is a false-positive *rate*, which needs a denominator that does
not collapse at small scales, so the population is ``600 * max(0.5, scale)`` keys: 300 at the default
scale 0.25 (and anything below 0.5), 600 at 1.0, growing linearly above that.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from benchmarks.traffic_scenarios.network import browser_user_agent, residential_ip, sdk_user_agent
from benchmarks.traffic_scenarios.records import BENIGN, MODELS, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

__all__ = ["APPS", "SNIPPETS", "TEMPLATES", "one_time_users", "population_sizes"]

SCENARIO = "one_time_users"
END = START + 2 * DAY  # the benchmark's window
LATEST_FIRST = END - HOUR  # leave room for a follow-up within minutes
MIN_FACTOR = 0.5  # never fewer than half the scale-1.0 population: a rate needs a denominator


# --------------------------------------------------------------------------------------------------
# What people ask: one asked message plus a plausible reply (needed when a follow-up carries history)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One user message, the reply it got, what kind of message it is, and its answer (MCQ letter)."""

    text: str
    reply: str
    kind: str
    answer: str = ""


NAMES = ["Maria", "Jamal", "Priya", "Tom", "Aiko", "Lukas", "Sofia", "Omar", "Chen", "Emma", "Diego", "Fatima"]


def _num(x: float | Fraction) -> str:
    """A number as people write it: no trailing zeros, at most two decimals."""
    text = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _math_change(rng: random.Random) -> tuple[str, str]:
    price, count, name = rng.choice([15, 20, 25, 35, 40, 45, 60, 75]), rng.randint(3, 12), rng.choice(NAMES)
    cost = price * count
    bill = next(b for b in (5, 10, 20) if b * 100 > cost)
    item = rng.choice(["pencils", "erasers", "stickers", "postcards"])
    return (
        f"A shop sells {item} for {price} cents each. {name} buys {count} {item} and pays with a ${bill} bill. "
        f"How much change should {name} get back?",
        f"The {item} cost {count} × {price} = {cost} cents, i.e. ${cost / 100:.2f}. "
        f"Change: ${bill}.00 − ${cost / 100:.2f} = ${(bill * 100 - cost) / 100:.2f}.",
    )


def _math_speed(rng: random.Random) -> tuple[str, str]:
    hours, speed = rng.randint(2, 6), rng.randrange(40, 130, 5)
    vehicle = rng.choice(["train", "bus", "car", "truck"])
    return (
        f"A {vehicle} travels {speed * hours} km in {hours} hours. What is its average speed?",
        f"Average speed = distance ÷ time = {speed * hours} km ÷ {hours} h = {speed} km/h.",
    )


def _math_linear(rng: random.Random) -> tuple[str, str]:
    a, x, b = rng.randint(2, 9), rng.randint(-6, 15), rng.randint(1, 30)
    c = a * x + b
    return (
        rng.choice([f"Solve for x: {a}x + {b} = {c}", f"solve {a}x+{b}={c}", f"Find x if {a}x + {b} = {c}."]),
        f"Subtract {b} from both sides: {a}x = {c - b}. Divide both sides by {a}: x = {x}.",
    )


def _math_percent(rng: random.Random) -> tuple[str, str]:
    p, n = rng.choice([5, 10, 12, 15, 20, 25, 30, 40, 60, 75]), rng.randrange(40, 1000, 20)
    return (
        rng.choice([f"What is {p}% of {n}?", f"whats {p} percent of {n}", f"Calculate {p}% of {n}."]),
        f"{p}% of {n} = {p}/100 × {n} = {_num(p * n / 100)}.",
    )


def _math_rectangle(rng: random.Random) -> tuple[str, str]:
    width = rng.randint(2, 15)
    length = rng.randint(width + 1, width + 20)
    return (
        f"A rectangle has a perimeter of {2 * (length + width)} cm and a width of {width} cm. What is its area?",
        f"Length = {2 * (length + width)}/2 − {width} = {length} cm, so the area is {length} × {width} = "
        f"{length * width} cm².",
    )


def _math_workers(rng: random.Random) -> tuple[str, str]:
    w1, h1 = rng.choice([2, 3, 4, 6]), rng.choice([4, 6, 8, 12])
    total = w1 * h1
    w2 = rng.choice([d for d in range(2, 13) if total % d == 0 and d != w1])
    return (
        f"{w1} workers can build a wall in {h1} hours. How long would {w2} workers take at the same rate?",
        f"The job takes {w1} × {h1} = {total} worker-hours, so {w2} workers need {total} ÷ {w2} = {total // w2} hours.",
    )


def _math_consecutive(rng: random.Random) -> tuple[str, str]:
    k = rng.randint(10, 200)
    return (
        f"The sum of two consecutive integers is {2 * k + 1}. What are the two integers?",
        f"Call them n and n + 1: 2n + 1 = {2 * k + 1}, so n = {k}. The integers are {k} and {k + 1}.",
    )


def _math_marbles(rng: random.Random) -> tuple[str, str]:
    red, blue = rng.randint(2, 12), rng.randint(2, 12)
    total = red + blue
    g = math.gcd(red, total)
    simplified = f" = {red // g}/{total // g}" if g > 1 else ""
    return (
        f"A bag holds {red} red and {blue} blue marbles. If I pick one at random, what's the probability it is red?",
        f"There are {total} marbles and {red} are red, so P(red) = {red}/{total}{simplified}.",
    )


def _math_derivative(rng: random.Random) -> tuple[str, str]:
    a, n, b = rng.randint(2, 9), rng.randint(2, 5), rng.randint(1, 12)
    lead = f"{a * n}x" if n == 2 else f"{a * n}x^{n - 1}"
    return (
        rng.choice([f"Find the derivative of f(x) = {a}x^{n} + {b}x", f"differentiate {a}x^{n} + {b}x"]),
        f"By the power rule, f'(x) = {lead} + {b}.",
    )


def _math_circle(rng: random.Random) -> tuple[str, str]:
    r = rng.randint(2, 15)
    return (
        f"What is the area of a circle with radius {r} cm? Use pi = 3.14",
        f"A = πr² ≈ 3.14 × {r}² = 3.14 × {r * r} = {_num(round(3.14 * r * r, 2))} cm².",
    )


def _math_sale(rng: random.Random) -> tuple[str, str]:
    price, off = rng.randrange(20, 200, 5), rng.choice([10, 15, 20, 25, 30, 40, 50])
    item = rng.choice(["jacket", "pair of shoes", "backpack", "lamp", "bike helmet"])
    return (
        f"A {item} costs ${price}. It's on sale for {off}% off. What's the sale price?",
        f"The discount is {off}% of ${price} = ${price * off / 100:.2f}, so the sale price is "
        f"${price * (100 - off) / 100:.2f}.",
    )


def _math_mean(rng: random.Random) -> tuple[str, str]:
    values = [rng.randint(1, 50) for _ in range(rng.randint(4, 7))]
    listed = ", ".join(str(v) for v in values)
    return (
        rng.choice([f"Find the mean of {listed}.", f"what is the average of {listed}"]),
        f"Sum = {sum(values)}, count = {len(values)}, mean = {sum(values)}/{len(values)} = "
        f"{_num(sum(values) / len(values))}.",
    )


def _math_fuel(rng: random.Random) -> tuple[str, str]:
    per100, dist = rng.choice([5, 6, 6.5, 7, 8, 9]), rng.randrange(150, 1200, 50)
    return (
        f"My car uses {_num(per100)} litres of fuel per 100 km. How much fuel do I need for a {dist} km trip?",
        f"{dist} km is {_num(dist / 100)} × 100 km, so you need {_num(dist / 100)} × {_num(per100)} = "
        f"{_num(dist * per100 / 100)} litres.",
    )


def _math_recipe(rng: random.Random) -> tuple[str, str]:
    flour, serves = rng.choice([2, 3, 4]), rng.choice([4, 6, 8])
    target = rng.choice([s for s in (2, 3, 10, 12, 16) if s != serves])
    need = Fraction(flour * target, serves)
    return (
        f"A recipe needs {flour} cups of flour for {serves} servings. How much flour do I need for {target} servings?",
        f"Per serving that is {flour}/{serves} cup, so {target} servings need {target} × {flour}/{serves} = "
        f"{_num(need)} cups.",
    )


def _math_age(rng: random.Random) -> tuple[str, str]:
    brother, times, years, name = rng.randint(3, 12), rng.choice([2, 3, 4]), rng.randint(2, 10), rng.choice(NAMES)
    return (
        f"{name} is {times} times as old as her brother, who is {brother}. "
        f"How old will {name} be when her brother is {brother + years}?",
        f"{name} is {times} × {brother} = {times * brother} now. In {years} years she will be "
        f"{times * brother + years}.",
    )


def _math_interest(rng: random.Random) -> tuple[str, str]:
    principal, rate, years = rng.randrange(500, 10000, 250), rng.choice([2, 3, 4, 5, 6]), rng.randint(2, 6)
    return (
        f"What is the simple interest on ${principal} at {rate}% per year for {years} years?",
        f"I = P × r × t = {principal} × {rate / 100} × {years} = ${principal * rate * years / 100:.2f}.",
    )


MATH_PROBLEMS: list[Callable[[random.Random], tuple[str, str]]] = [
    _math_change,
    _math_speed,
    _math_linear,
    _math_percent,
    _math_rectangle,
    _math_workers,
    _math_consecutive,
    _math_marbles,
    _math_derivative,
    _math_circle,
    _math_sale,
    _math_mean,
    _math_fuel,
    _math_recipe,
    _math_age,
    _math_interest,
]
# How people introduce a homework problem (most just paste it).
MATH_LEADS = [
    "",
    "",
    "",
    "Can you help me with this? ",
    "Homework question: ",
    "Q: ",
    "Please solve: ",
    "I'm stuck on this one. ",
    "Quick one: ",
    "Word problem: ",
]
MATH_TAILS = ["", "", "", " Show the steps please.", " Thanks!", " I got a different answer than the book."]


def _math(rng: random.Random) -> Ask:
    text, reply = rng.choice(MATH_PROBLEMS)(rng)
    return Ask(rng.choice(MATH_LEADS) + text + rng.choice(MATH_TAILS), reply, "math")


# "what's 2+2" is the classic smoke test; the rest are quick sums people check a model on.
TWO_PLUS_TWO = ["what's 2+2", "What is 2 + 2?", "2+2=?", "whats 2 + 2", "What's 2+2? Answer with just the number."]


def _arith(rng: random.Random) -> Ask:
    if rng.random() < 0.4:
        return Ask(rng.choice(TWO_PLUS_TWO), "2 + 2 = 4.", "arith")
    a, b = rng.randint(3, 99), rng.randint(3, 49)
    form = rng.randrange(4)
    if form == 0:
        return Ask(f"what is {a} times {b}?", f"{a} × {b} = {a * b}.", "arith")
    if form == 1:
        return Ask(f"{a} * {b} = ?", f"{a} × {b} = {a * b}.", "arith")
    if form == 2:
        return Ask(f"Calculate {a} + {b}.", f"{a} + {b} = {a + b}.", "arith")
    return Ask(f"What's {a * b} divided by {b}?", f"{a * b} ÷ {b} = {a}.", "arith")


EXAM: list[tuple[str, str]] = [
    (
        "Explain why the sky appears blue.",
        "Air molecules scatter short (blue) wavelengths of sunlight far more than long (red) ones — Rayleigh "
        "scattering — so blue light reaches us from every part of the sky.",
    ),
    (
        "What is the difference between mitosis and meiosis?",
        "Mitosis gives two identical diploid cells for growth and repair; meiosis gives four genetically "
        "different haploid gametes through two divisions and crossing over.",
    ),
    (
        "State Newton's second law of motion and give an everyday example.",
        "The net force on a body equals its mass times its acceleration (F = ma). An empty shopping cart "
        "speeds up faster than a full one when you push both equally hard.",
    ),
    (
        "What were the main causes of the First World War?",
        "Militarism, rival alliances, imperial competition and nationalism, with the assassination of "
        "Archduke Franz Ferdinand in 1914 as the trigger.",
    ),
    (
        "Define opportunity cost and give an example.",
        "It is the value of the best alternative you give up. Working a Saturday shift instead of studying "
        "costs you that study time.",
    ),
    (
        "Balance this equation: H2 + O2 -> H2O",
        "2H2 + O2 → 2H2O, which has 4 H atoms and 2 O atoms on each side.",
    ),
    (
        "What is the function of the mitochondria in a cell?",
        "They carry out aerobic respiration, releasing energy from glucose and storing it as ATP.",
    ),
    (
        "Explain the difference between weather and climate.",
        "Weather is the state of the atmosphere over hours or days; climate is the average weather of a "
        "region over decades.",
    ),
    (
        "What is the pH of a solution where [H+] = 1 x 10^-3 mol/L?",
        "pH = −log10[H+] = −log10(10^−3) = 3, so it is acidic.",
    ),
    (
        "Describe the process of photosynthesis.",
        "Using light absorbed by chlorophyll, plants turn carbon dioxide and water into glucose and oxygen: "
        "6CO2 + 6H2O → C6H12O6 + 6O2.",
    ),
    ("A 2 kg box accelerates at 3 m/s^2. What is the net force on it?", "F = ma = 2 kg × 3 m/s² = 6 N."),
    (
        "What is the difference between speed and velocity?",
        "Speed is how fast something moves (a scalar); velocity is speed with a direction (a vector).",
    ),
    (
        "Why did the Roman Republic turn into an empire?",
        "Decades of civil war, generals with personally loyal armies and institutions built for a city "
        "state let Augustus take sole power in 27 BC.",
    ),
    (
        "Explain supply and demand in simple terms.",
        "Scarce things many people want get pricier; plentiful things few people want get cheaper. The price "
        "settles where the amount offered matches the amount wanted.",
    ),
    (
        "What is an ionic bond? Give an example.",
        "One atom hands electrons to another and the opposite ions attract, as Na+ and Cl− do in table salt.",
    ),
    ("How many moles are in 36 g of water?", "Water is about 18 g/mol, so 36 g ÷ 18 g/mol = 2 mol."),
    (
        "State the Pythagorean theorem and use it to find the hypotenuse of a right triangle with legs 6 and 8.",
        "a² + b² = c², so c² = 36 + 64 = 100 and c = 10.",
    ),
    (
        "What is the difference between an element and a compound?",
        "An element has one kind of atom; a compound is two or more elements bonded in fixed proportions.",
    ),
    (
        "What is inflation and how is it measured?",
        "A general rise in prices over time, usually measured with a price index such as the CPI.",
    ),
    (
        "Describe the water cycle.",
        "Evaporation, condensation into clouds, precipitation, and runoff or groundwater back to the sea.",
    ),
    (
        "Why is the Magna Carta considered important?",
        "Sealed in 1215, it put the king under the law and seeded ideas such as due process.",
    ),
    (
        "Why do some objects float while others sink?",
        "An object floats if it can displace its own weight of fluid before going under, roughly if it is "
        "less dense than the fluid.",
    ),
    ("What is a limiting reactant?", "The reactant that runs out first, which caps how much product can form."),
    (
        "Compare renewable and non-renewable energy sources.",
        "Renewables such as solar and wind replenish naturally and emit little CO2; coal, oil and gas are "
        "finite and emit CO2 when burned.",
    ),
    (
        "Summarize the theory of natural selection.",
        "Individuals vary, helpful variations survive and reproduce more, and over generations the population adapts.",
    ),
    ("Convert 25 degrees Celsius to Fahrenheit.", "F = 25 × 9/5 + 32 = 77 °F."),
    (
        "What is the difference between a virus and a bacterium?",
        "Bacteria are living cells that reproduce on their own; viruses are not cells and replicate only "
        "inside a host cell.",
    ),
    ("Using Ohm's law, find the current when V = 12 V and R = 4 ohms.", "I = V / R = 12 ÷ 4 = 3 A."),
    (
        "What is the role of enzymes in digestion?",
        "They catalyse the breakdown of large food molecules into small absorbable ones, e.g. amylase turns "
        "starch into sugars.",
    ),
    (
        "Explain the difference between a democracy and a monarchy.",
        "In a democracy power comes from the people through elections; in a monarchy a hereditary ruler "
        "holds the throne, though constitutional monarchies leave real power to parliament.",
    ),
    (
        "What is kinetic energy? Calculate it for a 4 kg ball moving at 5 m/s.",
        "The energy of motion, KE = ½mv² = 0.5 × 4 × 25 = 50 J.",
    ),
    (
        "What does the term 'GDP per capita' mean?",
        "GDP divided by population: a rough measure of economic output per person.",
    ),
    (
        "What is the difference between an acid and a base?",
        "Acids donate H+ ions and have pH below 7; bases accept them (or release OH−) and have pH above 7.",
    ),
    (
        "Explain what a food chain is, with an example.",
        "A sequence of who eats whom, passing energy along: grass → rabbit → fox.",
    ),
]
EXAM_LEADS = [
    "",
    "",
    "",
    "Exam question: ",
    "Past paper question (4 marks): ",
    "Revision q - ",
    "Can you answer this for my test prep? ",
    "Q3. ",
    "From my worksheet: ",
]


def _exam(rng: random.Random) -> Ask:
    text, reply = rng.choice(EXAM)
    return Ask(rng.choice(EXAM_LEADS) + text, reply, "exam")


# Multiple-choice: question, the four options, the index of the right one, a one-line reason.
MCQ: list[tuple[str, tuple[str, str, str, str], int, str]] = [
    (
        "Which organelle produces most of a cell's ATP?",
        ("Nucleus", "Mitochondrion", "Ribosome", "Golgi apparatus"),
        1,
        "aerobic respiration happens in the mitochondria",
    ),
    ("What is the chemical symbol for sodium?", ("So", "Sd", "Na", "Nm"), 2, "it comes from the Latin natrium"),
    ("Which of these is a prime number?", ("21", "27", "29", "33"), 2, "29 has no divisors other than 1 and itself"),
    ("The value of 3^4 is:", ("12", "64", "81", "27"), 2, "3 × 3 × 3 × 3 = 81"),
    ("Which planet has the shortest year?", ("Venus", "Mercury", "Mars", "Earth"), 1, "it is closest to the Sun"),
    (
        "Who wrote 'Pride and Prejudice'?",
        ("Charlotte Brontë", "Jane Austen", "Mary Shelley", "George Eliot"),
        1,
        "Austen published it in 1813",
    ),
    (
        "GDP measures:",
        (
            "the value of all final goods and services produced in a country",
            "government debt",
            "inflation",
            "net exports",
        ),
        0,
        "that is the definition of gross domestic product",
    ),
    ("What is the derivative of sin(x)?", ("-cos(x)", "cos(x)", "-sin(x)", "tan(x)"), 1, "d/dx sin x = cos x"),
    (
        "Which gas makes up most of Earth's atmosphere?",
        ("Oxygen", "Carbon dioxide", "Nitrogen", "Argon"),
        2,
        "nitrogen is about 78% of dry air",
    ),
    (
        "Which type of bond involves sharing electron pairs?",
        ("Ionic", "Covalent", "Metallic", "Hydrogen"),
        1,
        "covalent bonds are shared electron pairs",
    ),
    (
        "What is the SI unit of electric current?",
        ("Volt", "Ohm", "Ampere", "Watt"),
        2,
        "current is measured in amperes",
    ),
    (
        "Which event began in 1789?",
        ("The American Civil War", "The French Revolution", "The Russian Revolution", "The Glorious Revolution"),
        1,
        "the Bastille fell in July 1789",
    ),
    (
        "A triangle has angles of 50° and 60°. The third angle is:",
        ("60°", "70°", "80°", "90°"),
        1,
        "180 − 50 − 60 = 70",
    ),
    ("Which of the following is a mammal?", ("Shark", "Penguin", "Dolphin", "Salamander"), 2, "dolphins nurse young"),
    ("What is the solution of 2x - 5 = 11?", ("3", "6", "8", "16"), 2, "2x = 16, so x = 8"),
    (
        "Which language is mainly spoken in Brazil?",
        ("Spanish", "Portuguese", "French", "Italian"),
        1,
        "Brazil was a Portuguese colony",
    ),
    ("A solution with pH 3 is:", ("strongly basic", "neutral", "acidic", "weakly basic"), 2, "pH below 7 is acidic"),
    ("Which layer of the Earth is liquid?", ("Crust", "Mantle", "Outer core", "Inner core"), 2, "the outer core"),
    ("In Python, what does len([1, 2, 3]) return?", ("2", "3", "6", "An error"), 1, "the list has three items"),
    ("Which of these is NOT renewable?", ("Solar", "Wind", "Coal", "Hydro"), 2, "coal is a finite fossil fuel"),
    (
        "The main job of red blood cells is to:",
        ("fight infection", "carry oxygen", "clot blood", "produce hormones"),
        1,
        "haemoglobin binds oxygen",
    ),
    ("What is 15% of 200?", ("15", "20", "30", "45"), 2, "0.15 × 200 = 30"),
    (
        "Who formulated the three laws of motion?",
        ("Einstein", "Galileo", "Newton", "Kepler"),
        2,
        "Newton, in the Principia",
    ),
    (
        "Which is the largest ocean?",
        ("Atlantic", "Indian", "Arctic", "Pacific"),
        3,
        "the Pacific is by far the largest",
    ),
    (
        "What is the time complexity of binary search on a sorted array?",
        ("O(1)", "O(log n)", "O(n)", "O(n log n)"),
        1,
        "it halves the search range each step",
    ),
    (
        "Photosynthesis mainly takes place in the:",
        ("roots", "stem", "leaves", "flowers"),
        2,
        "leaves hold most chloroplasts",
    ),
    ("What is the median of 3, 7, 9, 12, 20?", ("7", "9", "10.2", "12"), 1, "9 is the middle value"),
    (
        "A rise in interest rates usually:",
        ("increases borrowing", "reduces borrowing", "has no effect on borrowing", "doubles inflation"),
        1,
        "borrowing gets more expensive",
    ),
    (
        "Which part of speech describes a noun?",
        ("Verb", "Adverb", "Adjective", "Preposition"),
        2,
        "adjectives modify nouns",
    ),
    ("How many sides does a hexagon have?", ("5", "6", "7", "8"), 1, "hexa- means six"),
]
LETTERS = "ABCD"


def _mcq_text(rng: random.Random, question: str, options: Sequence[str]) -> str:
    form = rng.randrange(5)
    if form == 0:
        return question + "\n" + "\n".join(f"{letter}) {o}" for letter, o in zip(LETTERS, options))
    if form == 1:
        return question + " " + " ".join(f"({letter}) {o}" for letter, o in zip(LETTERS, options))
    if form == 2:
        listed = "\n".join(f"{letter}. {o}" for letter, o in zip(LETTERS, options))
        return f"Question: {question}\nOptions:\n{listed}\nAnswer with the letter."
    if form == 3:
        return (
            "Multiple choice - "
            + question
            + "\n"
            + "\n".join(f"{letter.lower()}) {o}" for letter, o in zip(LETTERS, options))
        )
    return (
        f"{question}\n\n"
        + "\n".join(f"{letter}: {o}" for letter, o in zip(LETTERS, options))
        + "\n\nWhich one is right?"
    )


def _mcq(rng: random.Random) -> Ask:
    question, options, right, why = rng.choice(MCQ)
    order = [0, 1, 2, 3]
    if rng.random() < 0.5:  # teachers shuffle the options between versions of a test
        rng.shuffle(order)
    shown = [options[i] for i in order]
    letter = LETTERS[order.index(right)]
    return Ask(_mcq_text(rng, question, shown), f"The answer is {letter}) {options[right]}: {why}.", "mcq", letter)


TRIVIA: list[tuple[str, str]] = [
    ("What is the capital of Australia?", "Canberra."),
    ("Who painted the Mona Lisa?", "Leonardo da Vinci."),
    ("How many bones are in the adult human body?", "206."),
    ("What's the tallest mountain in the world?", "Mount Everest, about 8,849 m above sea level."),
    ("When did humans first land on the Moon?", "On 20 July 1969, with Apollo 11."),
    ("What is the boiling point of water in Fahrenheit?", "212 °F at sea level."),
    ("What is the longest river in Africa?", "The Nile."),
    ("Who discovered penicillin?", "Alexander Fleming, in 1928."),
    ("How many players does a football (soccer) team have on the pitch?", "Eleven, including the goalkeeper."),
    ("How fast is the speed of light?", "About 299,792 km per second in a vacuum."),
    ("What is the smallest planet in the solar system?", "Mercury."),
    ("Who was the first woman to win a Nobel Prize?", "Marie Curie, in physics in 1903."),
    ("What does CPU stand for?", "Central processing unit."),
    ("How many continents are there?", "Seven, by the most common convention."),
    ("What is the hardest natural substance?", "Diamond."),
    ("In what year did the Berlin Wall fall?", "1989."),
    ("Which element has atomic number 1?", "Hydrogen."),
    ("What is the currency of Japan?", "The yen."),
    ("Who wrote Hamlet?", "William Shakespeare."),
    ("How far away is the Moon?", "About 384,400 km on average."),
    ("What is the chemical formula of table salt?", "NaCl, sodium chloride."),
    ("Which instrument usually has 88 keys?", "The piano."),
    ("What is the freezing point of water in kelvin?", "273.15 K."),
    ("Which country has the largest population?", "India, since overtaking China in 2023."),
    ("What's the largest animal that has ever lived?", "The blue whale."),
    ("Which city hosted the 2012 Summer Olympics?", "London."),
    ("What language has the most native speakers?", "Mandarin Chinese."),
    ("Who developed the theory of general relativity?", "Albert Einstein."),
]


def _trivia(rng: random.Random) -> Ask:
    text, reply = rng.choice(TRIVIA)
    return Ask(text, reply, "trivia")


SMOKE: list[tuple[str, str]] = [
    ("hello", "Hello! How can I help you today?"),
    ("Hello!", "Hi there! What can I do for you?"),
    ("hi", "Hi! What would you like to know?"),
    ("test", "Your message came through. What would you like to try?"),
    ("testing", "Got it — the connection works. Ask me anything."),
    ("testing 123", "Loud and clear! What can I help with?"),
    ("ping", "Pong! I'm here."),
    ("Hello world", "Hello, world! What are we building today?"),
    ("Are you working?", "Yes, I'm up and running. What do you need?"),
    ("Say hi in one word.", "Hi!"),
    ("Tell me a joke.", "Why do programmers prefer dark mode? Because light attracts bugs."),
    ("who are you?", "I'm an AI assistant. I can answer questions, explain things and help with writing or code."),
    ("What can you do?", "I can explain concepts, solve problems, summarise text, draft writing and help with code."),
    ("hey, quick test - reply with OK", "OK"),
    ("Is this thing on?", "It is! What would you like to ask?"),
    ("Give me a fun fact.", "Octopuses have three hearts and blue blood."),
    ("Write one sentence about the weather.", "Grey clouds drifted in, promising rain by the afternoon."),
    ("hello, can you help me", "Of course! What do you need help with?"),
    ("respond with the word 'pong'", "pong"),
    ("Count from 1 to 5.", "1, 2, 3, 4, 5"),
    ("What is your name?", "I don't have a personal name — I'm an AI assistant. How can I help?"),
    ("yo", "Hey! What's up?"),
    ("Test message, please ignore.", "No problem — message received."),
    ("hi there! first time using the api", "Welcome! Ask me anything and I'll do my best to help."),
]


def _smoke(rng: random.Random) -> Ask:
    text, reply = rng.choice(SMOKE)
    return Ask(text, reply, "smoke")


CODE: list[tuple[str, str]] = [
    (
        "How do I reverse a list in Python?",
        "my_list.reverse() reverses in place; my_list[::-1] returns a reversed copy.",
    ),
    (
        "What's the difference between let and const in JavaScript?",
        "Both are block-scoped; a const binding cannot be reassigned, a let binding can.",
    ),
    ("How do I read a CSV file with pandas?", "import pandas as pd, then df = pd.read_csv('file.csv')."),
    (
        "Write a Python function that checks whether a number is prime.",
        "def is_prime(n):\n    if n < 2:\n        return False\n    i = 2\n    while i * i <= n:\n"
        "        if n % i == 0:\n            return False\n        i += 1\n    return True",
    ),
    ("What does git rebase do?", "It replays your branch's commits on top of a new base commit for a linear history."),
    ("How do I center a div with CSS?", "On the parent: display: flex; justify-content: center; align-items: center;"),
    (
        "Explain what a REST API is.",
        "An API that exposes resources at URLs and lets clients act on them with HTTP methods (GET, POST, PUT, "
        "DELETE), usually exchanging JSON.",
    ),
    (
        "What's the difference between == and === in JavaScript?",
        "== compares after type coercion ('1' == 1 is true); === also requires the same type ('1' === 1 is false).",
    ),
    (
        "How can I sort a dictionary by value in Python?",
        "dict(sorted(d.items(), key=lambda kv: kv[1])) gives a dict ordered by value.",
    ),
    (
        "Why am I getting 'IndexError: list index out of range'?",
        "You're reading a position that doesn't exist: a list of length n has indices 0 to n-1. Check your loop.",
    ),
    ("Write a SQL query to get the 5 most recent orders.", "SELECT * FROM orders ORDER BY created_at DESC LIMIT 5;"),
    (
        "What is a Python decorator?",
        "A function that takes a function and returns a wrapped version of it, applied with @name above a def.",
    ),
    (
        "How do I make an HTTP request in Node.js?",
        "In Node 18+: const res = await fetch(url); const data = await res.json();",
    ),
    ("What's the time complexity of quicksort?", "O(n log n) on average, O(n²) in the worst case."),
    ("How do I exit vim?", "Press Esc, then type :q and Enter (:wq saves first, :q! discards changes)."),
    (
        "Explain async/await in one paragraph.",
        "async marks a function that returns a promise; inside it, await pauses until a promise settles and "
        "hands you its value, so asynchronous code reads top to bottom without blocking the thread.",
    ),
    (
        "How do I remove duplicates from a list in Python but keep the order?",
        "list(dict.fromkeys(items)) keeps the first occurrence of each item, in order.",
    ),
    (
        "What is the difference between a process and a thread?",
        "A process has its own memory; threads live inside a process and share its memory.",
    ),
    (
        "How do I create a virtual environment in Python?",
        "python -m venv .venv, then source .venv/bin/activate (or .venv\\Scripts\\activate on Windows).",
    ),
    (
        "regex to match an email address?",
        "A practical one is ^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$ — not every valid address, but the usual ones.",
    ),
    (
        "What does 'undefined is not a function' mean?",
        "You're calling something that isn't a function, often a misspelled method or a value not yet set.",
    ),
    (
        "How do I convert a string to an integer in Java?",
        'Integer.parseInt("42") returns 42 and throws NumberFormatException on bad input.',
    ),
]


def _code(rng: random.Random) -> Ask:
    text, reply = rng.choice(CODE)
    return Ask(text, reply, "code")


SUMMARY: list[tuple[str, str]] = [
    (
        "The city council voted on Tuesday to extend the bike-share programme to four new neighbourhoods. "
        "Officials said ridership had grown by 40 percent since the scheme launched two years ago, and that "
        "the expansion would be paid for by a mix of sponsorship and parking revenue. Critics argued the money "
        "would be better spent on repairing roads.",
        "- The council extended bike-share to four more neighbourhoods.\n- Ridership is up 40% in two years.\n"
        "- Funded by sponsorship and parking fees; critics prefer road repairs.",
    ),
    (
        "Hi team, a quick update: the office will be closed next Friday for maintenance on the heating system. "
        "Please take your laptops home on Thursday evening. The support rota is unchanged, and the on-call "
        "engineer can still be reached on the usual number.",
        "- Office closed next Friday for heating maintenance.\n- Take laptops home Thursday.\n"
        "- Support rota and on-call number unchanged.",
    ),
    (
        "I bought these headphones three weeks ago. The sound is great and the noise cancelling works well on "
        "trains, but the ear cushions get warm after an hour and the app keeps asking me to log in. Battery "
        "life is as advertised. I'd buy them again, but only on sale.",
        "- Great sound and effective noise cancelling.\n- Cushions get warm; the app is annoying.\n"
        "- Good battery; worth it on sale.",
    ),
    (
        "Researchers have found that honeybees can be trained to associate colours with rewards in just a few "
        "trials. In the study, bees learned to pick blue over yellow flowers when only blue ones held sugar "
        "water, and they remembered the pattern for several days.",
        "- Bees quickly learn colour–reward links.\n- They chose blue when it held sugar water.\n"
        "- The memory lasted several days.",
    ),
    (
        "Meeting notes: we agreed to move the product launch from March to April so the onboarding flow can be "
        "tested with real users. Dana will run the user tests, Raj will update the pricing page, and we will "
        "meet again in two weeks to decide on the final date.",
        "- Launch moved from March to April for onboarding tests.\n- Dana runs tests; Raj updates pricing.\n"
        "- Follow-up meeting in two weeks.",
    ),
    (
        "Dear customer, we have received your return and the refund of $84.50 has been issued to your original "
        "payment method. Depending on your bank, it may take up to seven working days to appear. Thank you for "
        "shopping with us.",
        "- Return received.\n- $84.50 refunded to the original payment method.\n- Allow up to seven working days.",
    ),
    (
        "The printing press, developed by Johannes Gutenberg around 1440, made books far cheaper to produce. "
        "Within fifty years millions of copies were circulating in Europe, which helped spread literacy, new "
        "scientific ideas and, later, the Protestant Reformation.",
        "- Gutenberg's press (c. 1440) made books cheap.\n- Millions of copies within fifty years.\n"
        "- It spread literacy, science and the Reformation.",
    ),
    (
        "Version 3.2 fixes a crash when importing large spreadsheets, adds dark mode to the settings page and "
        "removes the legacy export format, which had been deprecated since version 2.8. Users who still rely on "
        "it should switch to the CSV export.",
        "- Fixes a crash on large spreadsheet imports.\n- Adds dark mode to settings.\n"
        "- Drops the legacy export; use CSV instead.",
    ),
    (
        "Sleep researchers recommend that adults get seven to nine hours a night. Irregular schedules, screens "
        "late in the evening and caffeine after mid-afternoon are the most common reasons people fall short, "
        "and small changes to these habits often help more than sleep aids.",
        "- Adults need 7–9 hours of sleep.\n- Irregular hours, late screens and caffeine get in the way.\n"
        "- Habit changes beat sleep aids.",
    ),
    (
        "Our quarterly survey shows that 62% of customers are satisfied with delivery times, up from 55% last "
        "quarter. The main complaints were missing tracking updates and packaging that was hard to recycle. "
        "Both issues are being addressed with the new courier contract.",
        "- Delivery satisfaction rose from 55% to 62%.\n- Complaints: tracking updates and packaging.\n"
        "- The new courier contract addresses both.",
    ),
]
SUMMARY_LEADS = ["", "", "Summarize this:\n\n", "tl;dr:\n", "Please summarise the following.\n\n", "summarize: "]


def _summary(rng: random.Random) -> Ask:
    text, reply = rng.choice(SUMMARY)
    return Ask(rng.choice(SUMMARY_LEADS) + text, reply, "summary")


# Sentence, target language, translation. Sentences already in another language go to English.
TRANSLATE: list[tuple[str, str, str]] = [
    ("Where is the nearest train station?", "French", "Où se trouve la gare la plus proche ?"),
    (
        "I would like to book a table for two at eight o'clock.",
        "Spanish",
        "Me gustaría reservar una mesa para dos a las ocho.",
    ),
    ("Thank you for your quick reply.", "German", "Vielen Dank für Ihre schnelle Antwort."),
    ("The meeting has been moved to Thursday.", "French", "La réunion a été déplacée à jeudi."),
    ("Can you send me the invoice by email?", "Spanish", "¿Puede enviarme la factura por correo electrónico?"),
    ("We are closed on public holidays.", "German", "An Feiertagen haben wir geschlossen."),
    ("How much does this cost?", "Japanese", "これはいくらですか？"),
    ("Good morning, how are you?", "Portuguese", "Bom dia, como você está?"),
    ("Please keep the door closed.", "Italian", "Per favore, tieni la porta chiusa."),
    ("My flight was cancelled.", "Spanish", "Mi vuelo fue cancelado."),
    ("The package will arrive tomorrow.", "French", "Le colis arrivera demain."),
    ("I don't understand, could you repeat that?", "German", "Ich verstehe nicht, könnten Sie das wiederholen?"),
    (
        "Happy birthday! I hope you have a wonderful day.",
        "Portuguese",
        "Feliz aniversário! Espero que seu dia seja maravilhoso.",
    ),
    ("Where can I buy a ticket?", "Japanese", "切符はどこで買えますか？"),
    ("The coffee here is excellent.", "Italian", "Il caffè qui è ottimo."),
    ("Hola, ¿cómo estás?", "English", "Hello, how are you?"),
    ("Ich habe meinen Schlüssel verloren.", "English", "I have lost my key."),
    ("C'est une très bonne idée.", "English", "That's a very good idea."),
]


def _translate(rng: random.Random) -> Ask:
    sentence, language, translation = rng.choice(TRANSLATE)
    if language == "English":  # the snippet's prompt defaults to English, so people just paste the sentence
        text = rng.choice([sentence, f"Translate: {sentence}", f"what does this mean? {sentence}"])
    else:
        text = rng.choice(
            [
                f"Translate to {language}: {sentence}",
                f"Translate into {language}:\n{sentence}",
                f"{language}: {sentence}",
                f'How would you say "{sentence}" in {language}?',
                f"Please translate this to {language} - {sentence}",
            ]
        )
    return Ask(text, translation, "translate")


JOBS = ["nurse", "software engineer", "teacher", "chef", "accountant", "electrician", "graphic designer", "pharmacist"]
JOBS += ["bus driver", "architect", "journalist", "dentist", "marketing manager", "plumber"]
CITIES = ["Denver", "Lyon", "Manchester", "Osaka", "Toronto", "Melbourne", "Austin", "Porto", "Hamburg", "Seattle"]
CITIES += ["Dublin", "Cape Town", "Valencia", "Chicago"]
FULL_NAMES = ["John Smith", "Ana Lima", "Kenji Sato", "Laura Becker", "Sam Okafor", "Mei Wong", "Carlos Ruiz"]
FULL_NAMES += ["Hannah Cole", "Ravi Patel", "Zoe Martin", "Ibrahim Haddad", "Olga Ivanova", "Ben Carter", "Nina Rossi"]


def _extraction(rng: random.Random) -> tuple[str, str]:
    """A short self-description and the JSON the extractor snippet's prompt asks for."""
    name, age, job, city = rng.choice(FULL_NAMES), rng.randint(19, 67), rng.choice(JOBS), rng.choice(CITIES)
    form = rng.randrange(6)
    fields: dict[str, Any] = {"name": name, "age": age, "city": city, "occupation": job}
    if form == 0:
        text = f"Hi, I'm {name}, {age}, and I work as a {job} in {city}."
    elif form == 1:
        text = f"{name} ({age}) is a {job} based in {city}."
    elif form == 2:
        text = f"Meet {name}: {age} years old, lives in {city}, works as a {job}."
    elif form == 3:
        text, fields["age"] = f"My name is {name} and I'm a {job} from {city}.", None
    elif form == 4:
        text = f"{name} moved to {city} last year to start a job as a {job}. They turned {age} in March."
    else:
        text, fields["occupation"] = f"Customer: {name}. Age: {age}. Location: {city}.", None
    return text, json.dumps(fields)


def _extract(rng: random.Random) -> Ask:
    text, reply = _extraction(rng)
    return Ask(text, reply, "extract")


SUPPORT: list[tuple[str, str]] = [
    (
        "I was charged twice for my subscription this month.",
        "Sorry about that! Duplicate charges are usually reversed within 3–5 business days; if not, open a ticket "
        "at support.acmecloud.example.",
    ),
    ("How do I reset my password?", "Click 'Forgot password' on the login page and follow the emailed link."),
    (
        "My website is down, what do I do?",
        "Check status.acmecloud.example for outages first. If everything is green, open a ticket with your domain.",
    ),
    (
        "Can I upgrade my plan in the middle of the month?",
        "Yes. Upgrades apply at once and you pay only the difference for the rest of the month.",
    ),
    (
        "How do I point my domain to your servers?",
        "Set an A record for your domain to the IP shown under Dashboard → Sites → DNS.",
    ),
    ("Do you offer refunds?", "Yes, within 30 days of purchase for annual plans. Open a ticket to request one."),
    (
        "I can't log in to my dashboard.",
        "Try resetting your password and clearing cookies. If it still fails, open a ticket and we'll check it.",
    ),
    ("What are your support hours?", "Tickets are answered around the clock; phone support runs 8am–8pm CET."),
    (
        "How do I cancel my account?",
        "Go to Settings → Billing → Cancel plan. Your site stays up until the period ends.",
    ),
    (
        "Is there a limit on email accounts on the basic plan?",
        "The basic plan includes 10 mailboxes; higher plans have more.",
    ),
    (
        "My SSL certificate expired and visitors see a warning.",
        "Certificates renew automatically; go to Sites → SSL and click Renew now to force it.",
    ),
    (
        "How do I install WordPress?",
        "Open Dashboard → Apps, choose WordPress and click Install. It takes about two minutes.",
    ),
    (
        "Can you migrate my site from another host?",
        "Yes, free for the first site. Open a ticket with your old host's details.",
    ),
    ("Why is my site so slow today?", "Check for a traffic spike or heavy plugins. If it persists, open a ticket."),
    ("hi i need help", "Hi! I'm happy to help. What's going on with your account or site?"),
    ("Where can I download my invoices?", "Under Settings → Billing → Invoices; each one has a PDF download."),
    (
        "Do you have servers in Europe?",
        "Yes, in Frankfurt and Amsterdam. You can choose the region when you create a site.",
    ),
    (
        "I got an email saying my account is suspended??",
        "That usually means a payment failed. Update your card under Settings → Billing to restore it.",
    ),
]


def _support(rng: random.Random) -> Ask:
    text, reply = rng.choice(SUPPORT)
    return Ask(text, reply, "support")


HAIKU = {
    "autumn": "Red leaves drift and turn,\nthe path grows soft underfoot,\nthe year exhales slow.",
    "coffee": "Steam curls from the cup,\nbitter warmth before the dawn,\nthe day starts to hum.",
    "the ocean": "Grey waves fold and break,\nsalt wind carries gull voices,\nthe tide keeps its time.",
    "Mondays": "Alarm at six-ten,\ninbox full before the bus,\nstill, the coffee's good.",
    "rain in the city": "Neon on wet streets,\numbrellas bloom at crossings,\ngutters sing along.",
    "mountains": "Snow on the far peaks,\nthin air and a quiet trail,\nclouds below my boots.",
}
EMAIL_TO = ["landlord", "manager", "professor", "team", "neighbour"]
EMAIL_ABOUT = [
    "reschedule our meeting to next week",
    "fix the heating in my apartment",
    "extend my assignment deadline by two days",
    "take Friday off",
    "keep the noise down after 11pm",
    "review my draft before Monday",
]
NAME_IDEAS = {
    "coffee shop": ["Daily Grind", "Bean There", "Second Cup Corner"],
    "dog-walking business": ["Happy Tails", "Leash & Go", "Pawsome Walks"],
    "productivity app": ["Focusly", "Tidy Day", "NextStep"],
    "bakery": ["Rise & Shine", "Crumb Street", "The Flour Room"],
    "history podcast": ["Back Then", "Footnotes", "The Long Ago Show"],
    "book club": ["Chapter & Verse", "Page Turners", "The Spine Society"],
}
PROFESSIONAL = [
    ("hey can u send me that file asap", "Could you please send me the file at your earliest convenience?"),
    ("sorry im late, traffic was crazy", "Apologies for my late arrival; I was delayed by heavy traffic."),
    ("this doesnt work, fix it", "This doesn't seem to be working. Could you take a look when you have a moment?"),
    ("cant make it tmrw", "Unfortunately, I won't be able to attend tomorrow."),
    ("thx for the help, u rock", "Thank you very much for your help; I really appreciate it."),
]


def _writing(rng: random.Random) -> Ask:
    form = rng.randrange(4)
    if form == 0:
        topic = rng.choice(list(HAIKU))
        text = rng.choice(
            [f"Write a haiku about {topic}.", f"haiku about {topic} please", f"Give me a haiku on {topic}"]
        )
        return Ask(text, HAIKU[topic], "writing")
    if form == 1:
        to, about = rng.choice(EMAIL_TO), rng.choice(EMAIL_ABOUT)
        reply = (
            f"Subject: A quick request\n\nHi,\n\nI hope you're well. I'm writing to ask whether it would be possible "
            f"to {about}. Please let me know if that works for you.\n\nThanks,\n[Your name]"
        )
        return Ask(f"Write a short email to my {to} asking to {about}.", reply, "writing")
    if form == 2:
        thing = rng.choice(list(NAME_IDEAS))
        text = rng.choice([f"Give me some name ideas for a {thing}.", f"name ideas for a {thing}?"])
        return Ask(text, "Here are a few: " + ", ".join(NAME_IDEAS[thing]) + ".", "writing")
    casual, formal = rng.choice(PROFESSIONAL)
    return Ask(f"Rewrite this to sound more professional: {casual}", formal, "writing")


# Questions people type in their own language; replies in the same language.
FOREIGN: list[tuple[str, str, str]] = [
    ("es", "¿Cuánto es 15 por 4?", "15 × 4 = 60."),
    ("es", "Hola, ¿me puedes ayudar con una tarea de física?", "¡Claro! Escribe el problema y lo resolvemos juntos."),
    (
        "es",
        "Explica qué es la fotosíntesis en pocas palabras.",
        "Es el proceso por el que las plantas usan la luz para convertir CO2 y agua en glucosa y oxígeno.",
    ),
    (
        "es",
        "Un tren recorre 120 km en 2 horas. ¿Cuál es su velocidad media?",
        "Velocidad media = 120 km ÷ 2 h = 60 km/h.",
    ),
    ("de", "Hallo! Funktioniert das?", "Ja, alles funktioniert. Wie kann ich helfen?"),
    (
        "de",
        "Was ist der Unterschied zwischen Wetter und Klima?",
        "Wetter beschreibt Stunden oder Tage, Klima das durchschnittliche Wetter über Jahrzehnte.",
    ),
    ("de", "Löse bitte: 3x + 7 = 22", "3x = 15, also x = 5."),
    ("de", "Was ist die Hauptstadt von Kanada?", "Ottawa."),
    ("fr", "Bonjour, est-ce que ça marche ?", "Bonjour ! Oui, tout fonctionne. Que puis-je faire pour vous ?"),
    ("fr", "Quelle est la dérivée de x² + 3x ?", "La dérivée est 2x + 3."),
    ("fr", "Quelle est la formule de l'aire d'un cercle ?", "A = πr², où r est le rayon."),
    ("fr", "Qui a écrit Les Misérables ?", "Victor Hugo, en 1862."),
    ("pt", "Olá! Tudo bem?", "Olá! Tudo ótimo. Em que posso ajudar?"),
    ("pt", "Quanto é 25% de 80?", "25% de 80 = 0,25 × 80 = 20."),
    (
        "pt",
        "O que é uma célula eucariótica?",
        "É uma célula com núcleo delimitado por membrana e organelas, como as de animais e plantas.",
    ),
    ("pt", "Qual é a capital da Austrália?", "Camberra."),
    ("zh", "你好，测试一下", "你好！测试成功，有什么可以帮你的吗？"),
    ("zh", "一个长方形长8厘米，宽5厘米，面积是多少？", "面积 = 8 × 5 = 40 平方厘米。"),
    ("zh", "请解释一下牛顿第一定律。", "物体在不受外力时，保持静止或匀速直线运动状态。"),
    ("zh", "水的化学式是什么？", "H₂O。"),
    ("ja", "こんにちは、テストです。", "こんにちは！正常に届いています。何をお手伝いしましょうか？"),
    ("ja", "2x + 6 = 14 を解いてください。", "2x = 8 なので、x = 4 です。"),
    (
        "ja",
        "光合成とは何ですか？簡単に説明してください。",
        "植物が光のエネルギーを使って、二酸化炭素と水から糖と酸素を作るしくみです。",
    ),
    ("ja", "日本で一番高い山は何ですか？", "富士山（3,776 m）です。"),
]


def _foreign(rng: random.Random) -> Ask:
    lang, text, reply = rng.choice(FOREIGN)
    return Ask(text, reply, lang)


ASKS: dict[str, Callable[[random.Random], Ask]] = {
    "smoke": _smoke,
    "arith": _arith,
    "math": _math,
    "exam": _exam,
    "mcq": _mcq,
    "trivia": _trivia,
    "code": _code,
    "summary": _summary,
    "translate": _translate,
    "extract": _extract,
    "support": _support,
    "writing": _writing,
    "foreign": _foreign,
}
Mix = tuple[tuple[str, float], ...]


def _ask(rng: random.Random, mix: Mix) -> Ask:
    kind = rng.choices([k for k, _ in mix], [w for _, w in mix])[0]
    ask = ASKS[kind](rng)
    return Ask(_casual(rng, ask.text, kind), ask.reply, ask.kind, ask.answer)


def _casual(rng: random.Random, text: str, kind: str) -> str:
    """People type one-off questions sloppily: no capitals, no final mark, a trailing 'thanks'."""
    if kind not in ("math", "exam", "trivia", "code") or "\n" in text:
        return text
    roll = rng.random()
    if roll < 0.12:
        return text.lower()
    if roll < 0.2 and text[-1] in "?.":
        return text[:-1]
    if roll < 0.25:
        return text + rng.choice([" thanks", " pls", " thx!"])
    return text


# Follow-ups: what a person says after reading the reply, and what they hear back.
FOLLOW_UPS: dict[str, list[tuple[str, str]]] = {
    "math": [
        (
            "Can you explain the second step again?",
            "Sure. In the second step we isolate the unknown by undoing one operation.",
        ),
        ("why did you divide there?", "Dividing undoes the multiplication, so the unknown ends up on its own."),
        (
            "How would I check that answer?",
            "Substitute the result back into the original problem and see that both sides agree.",
        ),
        ("ok got it, thanks", "You're welcome! Good luck with the rest of the homework."),
        (
            "Is there a faster way to do this?",
            "You can estimate first and then compute directly, but the steps shown are the safest.",
        ),
        ("what if the numbers were doubled?", "The method is identical; redo each step with the doubled values."),
    ],
    "arith": [
        ("and 3+3?", "3 + 3 = 6."),
        (
            "ok now something harder",
            "Try this: a number doubled and increased by 7 equals 31. What is it? (Answer: 12.)",
        ),
        ("cool, thanks", "Anytime!"),
    ],
    "exam": [
        ("Can you make that shorter, like a 2-mark answer?", "In one line: the key idea plus one supporting fact."),
        (
            "What would a full-mark answer include?",
            "A definition, a worked example, and a sentence linking it back to the question.",
        ),
        (
            "thanks, can you give me a practice question on this?",
            "Try explaining the same idea with a different real-world example.",
        ),
        (
            "I don't get it, explain it like I'm 12",
            "Think of it like this: the simplest version is the main cause and what it leads to.",
        ),
    ],
    "mcq": [
        (
            "can you explain why the other options are wrong?",
            "Each of the others describes something related but doesn't match what the question asks.",
        ),
        ("thanks!", "You're welcome — good luck on the test!"),
        ("is there a trick to remember this?", "Link it to an everyday example; that makes it stick for exam day."),
    ],
    "extract": [
        ("return only the JSON, no extra text", "Understood — only the JSON object from now on."),
        (
            "what if the age is written in words?",
            "I'd convert it to a number, so 'thirty-four' becomes 34.",
        ),
    ],
    "trivia": [
        ("interesting, tell me more", "There's a lot of history behind it — happy to go into any part in more detail."),
        ("are you sure?", "Yes, that is the widely accepted answer."),
        ("cool thanks", "You're welcome!"),
    ],
    "smoke": [
        (
            "cool. what can you do?",
            "I can answer questions, explain concepts, write and edit text, and help with code.",
        ),
        ("test 2", "Received again — everything is working."),
        ("ok now tell me a joke", "I told a chemistry joke once. There was no reaction."),
        ("what model are you?", "I'm a large language model served through this API."),
    ],
    "code": [
        ("can you show a full example?", "Sure — here's a minimal runnable script using that approach."),
        ("what about in JavaScript?", "The same idea works in JavaScript with the equivalent built-in methods."),
        ("thanks, that worked", "Great, glad it helped!"),
    ],
    "summary": [
        ("make it one sentence", "In one sentence: the text's main point and its key consequence."),
        ("thanks!", "You're welcome!"),
        ("can you make it even shorter?", "Shorter: the main point in a few words."),
    ],
    "translate": [
        ("is that formal or informal?", "It's neutral and fine for most situations."),
        (
            "thanks! how do you pronounce it?",
            "Say it slowly, syllable by syllable; most words are stressed near the end.",
        ),
    ],
    "support": [
        (
            "that didn't work",
            "Sorry to hear that. Please open a ticket at support.acmecloud.example and we'll look into it.",
        ),
        ("ok thanks", "Happy to help. Have a great day!"),
    ],
    "writing": [
        ("make it shorter", "Here's a tighter version with the same meaning."),
        ("more formal please", "Here's a more formal version."),
        ("give me another version", "Here's an alternative with a different tone."),
    ],
    "es": [
        ("¡gracias!", "¡De nada!"),
        ("¿puedes explicarlo paso a paso?", "Claro: primero planteamos los datos y luego calculamos."),
    ],
    "de": [
        ("danke!", "Gern geschehen!"),
        ("Kannst du das genauer erklären?", "Gern, Schritt für Schritt: zuerst die Definition."),
    ],
    "fr": [("merci !", "Avec plaisir !"), ("tu peux détailler ?", "Bien sûr, reprenons étape par étape.")],
    "pt": [("obrigado!", "De nada!"), ("pode explicar melhor?", "Claro, vamos por partes.")],
    "zh": [("谢谢！", "不客气！"), ("能再详细解释一下吗？", "当然，我们一步一步来看。")],
    "ja": [
        ("ありがとう！", "どういたしまして！"),
        ("もう少し詳しく説明してください。", "はい、順を追って説明しますね。"),
    ],
}


def _follow_up(rng: random.Random, ask: Ask, used: set[str]) -> tuple[str, str]:
    """One follow-up the person types after the reply, unlike the ones they already sent."""
    if ask.kind == "mcq" and rng.random() < 0.6:
        if rng.random() < 0.5:
            wrong = rng.choice([letter for letter in LETTERS if letter != ask.answer])
            pair = (
                f"why not {wrong}?",
                f"{wrong} is a tempting distractor, but it doesn't fit; the answer is {ask.answer}.",
            )
        else:  # a student pasting the next question from the same sheet
            nxt = _mcq(rng)
            pair = ("and this one?\n" + nxt.text, nxt.reply)
    elif ask.kind == "extract" and rng.random() < 0.7:
        text, reply = _extraction(rng)  # the developer tries a second record
        pair = (f"now this one: {text}", reply)
    else:
        options = [p for p in FOLLOW_UPS[ask.kind] if p[0] not in used] or FOLLOW_UPS[ask.kind]
        pair = rng.choice(options)
    used.add(pair[0])
    return pair


def _requests(rng: random.Random, system: str, first: Ask, n: int, mode: str, mix: Mix) -> list[Request]:
    """The requests of one key: ``follow_up`` grows one conversation, ``rerun`` runs the identical script
    again, ``fresh`` edits the test message and runs once more (each a single-turn request)."""
    out = [Request.user(first.text, system=system)]
    turns: list[dict[str, Any]] = [{"role": "user", "content": first.text}]
    reply, used = first.reply, set[str]()
    while len(out) < n:
        if mode == "rerun":
            out.append(out[0])
        elif mode == "fresh":
            out.append(Request.user(_ask(rng, mix).text, system=system))
        else:
            text, next_reply = _follow_up(rng, first, used)
            turns += [{"role": "assistant", "content": reply}, {"role": "user", "content": text}]
            out.append(Request(turns=tuple(turns), system=system))
            reply = next_reply
    return out


# --------------------------------------------------------------------------------------------------
# The three sub-populations
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """A docs page people copy: its system prompt, API shape and model, and how many copy it (at scale 1.0)."""

    name: str
    system: str
    api: str
    model: str
    keys: int
    mix: Mix
    reasoning: bool
    burst: tuple[float, float, float] | None = None  # (offset from START, span, share of its keys)


SNIPPETS: list[Snippet] = [
    Snippet(
        "math-tutor quickstart",
        "You are a friendly math tutor. When a student asks a question, break the problem into small steps, "
        "explain each step in plain language, and finish with the final answer.",
        "chat",
        "gpt-4o",
        84,
        (
            ("math", 0.5),
            ("arith", 0.1),
            ("smoke", 0.15),
            ("mcq", 0.1),
            ("exam", 0.05),
            ("foreign", 0.05),
            ("trivia", 0.05),
        ),
        True,
        (16.25 * HOUR, HOUR, 0.45),  # the tutorial hit a forum's front page on day one
    ),
    Snippet(
        "step-by-step solver cookbook",
        "Solve the problem step by step. Show your work for each step, then write the final answer on its own "
        "line in the form: Final answer: <answer>",
        "chat",
        "gpt-4.1-mini",
        74,
        (
            ("math", 0.35),
            ("mcq", 0.15),
            ("exam", 0.15),
            ("smoke", 0.12),
            ("arith", 0.08),
            ("trivia", 0.08),
            ("foreign", 0.04),
            ("code", 0.03),
        ),
        True,
        (DAY + 9 * HOUR, 3 * HOUR, 0.3),  # linked from a developer newsletter on day two
    ),
    Snippet(
        "reason-before-answering prompt guide",
        "Before answering, think the question through and write out your reasoning. After your reasoning, give "
        "a short, direct answer. If the question is ambiguous or you are not sure, say so instead of guessing.",
        "anthropic",
        "claude-sonnet-4-5",
        66,
        (
            ("exam", 0.2),
            ("mcq", 0.18),
            ("trivia", 0.15),
            ("smoke", 0.15),
            ("math", 0.15),
            ("code", 0.1),
            ("foreign", 0.04),
            ("arith", 0.03),
        ),
        True,
    ),
    Snippet(
        "careful-assistant starter",
        "You are a helpful assistant who thinks carefully before responding. Work through the question "
        "methodically, show your working where it helps, and keep the conclusion brief.",
        "chat",
        "gpt-4.1",
        24,
        (
            ("smoke", 0.2),
            ("trivia", 0.15),
            ("code", 0.15),
            ("exam", 0.1),
            ("math", 0.1),
            ("mcq", 0.1),
            ("summary", 0.1),
            ("foreign", 0.05),
            ("arith", 0.05),
        ),
        True,
    ),
    Snippet(
        "summarizer example",
        "You are a summarization assistant. Summarize the text the user provides in three bullet points or "
        "fewer. Do not add information that is not in the text.",
        "chat",
        "gpt-4.1-mini",
        20,
        (("summary", 0.78), ("smoke", 0.22)),
        False,
    ),
    Snippet(
        "translator example",
        "You are a translator. Translate the user's message into the language they ask for. If no language is "
        "given, translate into English. Return only the translation.",
        "anthropic",
        "claude-haiku-4-5",
        12,
        (("translate", 0.85), ("smoke", 0.15)),
        False,
    ),
    Snippet(
        "structured-output extractor",
        "Extract the person's name, age, city and occupation from the user's text. Respond with a JSON object "
        "with the keys name, age, city and occupation; use null for anything that is missing.",
        "chat",
        "gpt-4o",
        12,
        (("extract", 0.85), ("smoke", 0.15)),
        False,
    ),
    Snippet(
        "support-bot tutorial",
        "You are a customer support agent for Acme Cloud, a web hosting company. Be polite and brief. If you "
        "cannot solve the problem, tell the customer how to open a ticket at support.acmecloud.example.",
        "chat",
        "gpt-4.1-mini",
        8,
        (("support", 0.8), ("smoke", 0.2)),
        False,
    ),
]
# A few developers personalise the prompt before running it, so not every copy is byte-identical.
TWEAKS: list[Callable[[str], str]] = [
    lambda s: s + " Keep answers brief.",
    lambda s: s + " Use Markdown formatting.",
    lambda s: s.replace("You are", "You're", 1) if "You are" in s else s + " Be friendly.",
    lambda s: s.rstrip(".") + ". Reply in the user's language.",
]
TWEAK_SHARE = 0.06


@dataclass(frozen=True)
class App:
    """A bring-your-own-key study app: its fixed prompt, User-Agents (by version), models and audience."""

    name: str
    system: str
    api: str
    agents: tuple[tuple[str, float], ...]
    models: tuple[tuple[str, float], ...]
    keys: int
    mix: Mix
    peak_hour: float  # UTC hour its students are most active (homework time where most of them live)
    burst: tuple[float, float, float] | None = None


APPS: list[App] = [
    App(
        "StudyPal",
        "You are StudyPal, a patient study coach for high-school and university students. For every question, "
        "explain the solution step by step, say which concept or formula each step uses, and finish with a "
        "clearly marked final answer. For multiple-choice questions, also say briefly why the other options are "
        "wrong.",
        "chat",
        (("StudyPal/2.1 (OpenAI/Python 1.52.0)", 0.8), ("StudyPal/2.0 (OpenAI/Python 1.47.1)", 0.2)),
        (("gpt-4.1-mini", 0.6), ("gpt-4o", 0.25), ("gpt-4.1", 0.15)),
        80,
        (("exam", 0.3), ("mcq", 0.3), ("math", 0.29), ("foreign", 0.08), ("smoke", 0.03)),
        19.0,
        (DAY + 18 * HOUR, HOUR, 0.5),  # featured in an app store's back-to-school list
    ),
    App(
        "ExamBuddy",
        "You help students prepare for exams. Work through the question one step at a time, showing all "
        "calculations, then state the answer on its own line as 'Answer: ...'. Keep the tone encouraging and "
        "explain any technical term you use.",
        "chat",
        (
            ("ExamBuddy/1.8.3 (Android 14; OpenAI/Kotlin 3.8.2)", 0.6),
            ("ExamBuddy/1.8.3 (iOS 18.2; OpenAI/Swift 0.3.1)", 0.4),
        ),
        (("gpt-4.1-mini", 0.7), ("o4-mini", 0.3)),
        64,
        (("mcq", 0.45), ("exam", 0.25), ("math", 0.23), ("foreign", 0.04), ("smoke", 0.03)),
        1.0,
    ),
    App(
        "TutorLoop",
        "You are a tutor inside the TutorLoop app. Don't just give the answer: walk the student through the "
        "reasoning in short numbered steps, check the result at the end, and suggest one similar practice "
        "question.",
        "anthropic",
        (
            ("TutorLoop/0.9.4 (Electron 32; Anthropic/JS 0.27.3)", 0.75),
            ("TutorLoop/0.9.2 (Electron 31; Anthropic/JS 0.26.1)", 0.25),
        ),
        (("claude-haiku-4-5", 0.7), ("claude-sonnet-4-5", 0.3)),
        36,
        (("math", 0.4), ("exam", 0.3), ("mcq", 0.2), ("foreign", 0.07), ("smoke", 0.03)),
        14.0,
    ),
]

# The platform console's template prompts a new account picks from (the default one most often).
TEMPLATES: list[tuple[str, float, Mix]] = [
    (
        "You are a helpful assistant.",
        0.5,
        (
            ("smoke", 0.3),
            ("trivia", 0.2),
            ("writing", 0.15),
            ("code", 0.1),
            ("summary", 0.08),
            ("arith", 0.07),
            ("exam", 0.04),
            ("foreign", 0.06),
        ),
    ),
    (
        "You are a writing assistant. Help the user draft, edit and improve their text. Keep the user's voice "
        "and ask before making large changes.",
        0.2,
        (("writing", 0.6), ("summary", 0.2), ("smoke", 0.2)),
    ),
    (
        "You are a coding assistant. Give short code examples that run as written, with a brief explanation. "
        "Prefer the standard library.",
        0.2,
        (("code", 0.75), ("smoke", 0.25)),
    ),
    (
        "You are a brainstorming partner. Offer several varied ideas, each in one or two sentences.",
        0.1,
        (("writing", 0.7), ("smoke", 0.3)),
    ),
]
TRIAL_KEYS = 120
TRIAL_DAY = START + DAY  # the free-trial announcement goes out on day two ...
TRIAL_ANNOUNCED = TRIAL_DAY + 13 * HOUR  # ... at 13:00 UTC
TRIAL_FIRST_HOUR = 0.6  # share of the day's signups that try their key within the first hour


def population_sizes(scale: float) -> dict[str, int]:
    """Keys per sub-population: ``snippets`` (a), ``apps`` (b), ``trial`` (c), for a given scale."""
    factor = max(MIN_FACTOR, scale)
    return {
        "snippets": sum(round(s.keys * factor) for s in SNIPPETS),
        "apps": sum(round(a.keys * factor) for a in APPS),
        "trial": round(TRIAL_KEYS * factor),
    }


# --------------------------------------------------------------------------------------------------
# When, from where, with what client
# --------------------------------------------------------------------------------------------------


def _daytime(rng: random.Random, lo: float, hi: float, peak_hour: float, depth: float) -> float:
    """A time in [lo, hi) following a daily rhythm peaking at ``peak_hour`` UTC (``depth`` 0 = flat)."""
    while True:
        t = rng.uniform(lo, hi)
        hour = ((t - START) / HOUR) % 24
        weight = 1 - depth * (0.5 - 0.5 * math.cos((hour - peak_hour) / 24 * 2 * math.pi))
        if rng.random() < weight:
            return t


def _arrivals(
    rng: random.Random, n: int, peak_hour: float, depth: float, burst: tuple[float, float, float] | None
) -> list[float]:
    """First-request times for ``n`` keys: a daily rhythm over the window, plus a burst if there was one."""
    in_burst = round(n * burst[2]) if burst else 0
    times = [_daytime(rng, START, LATEST_FIRST, peak_hour, depth) for _ in range(n - in_burst)]
    if burst:  # interest peaks early and fades: a skewed beta over the span
        times += [START + burst[0] + burst[1] * rng.betavariate(1.3, 2.2) for _ in range(in_burst)]
    rng.shuffle(times)
    return times


def _trial_arrivals(rng: random.Random, n: int) -> list[float]:
    """Signups on trial day: a rush in the hour after the announcement, then a decaying tail into the night."""
    first_hour = round(n * TRIAL_FIRST_HOUR)
    times = [TRIAL_ANNOUNCED + HOUR * rng.betavariate(1.2, 2.0) for _ in range(first_hour)]
    while len(times) < n:
        t = TRIAL_ANNOUNCED + HOUR + rng.expovariate(1 / (3 * HOUR))
        if t < LATEST_FIRST:
            times.append(t)
    rng.shuffle(times)
    return times


def _request_counts(rng: random.Random, n: int, shares: tuple[float, float]) -> list[int]:
    """Exactly ``shares`` = (one request, two requests) of ``n`` keys, the rest three; shuffled."""
    ones, twos = round(n * shares[0]), round(n * shares[1])
    counts = [1] * ones + [2] * twos + [3] * max(0, n - ones - twos)
    rng.shuffle(counts)
    return counts


def _addresses(rng: random.Random, n: int, *, nat_keys: int, site_share: float) -> list[list[str]]:
    """One address list per key: mostly a home connection each; a few keys on one campus or office /24,
    and a handful behind that site's single NAT address. Some people also show up from their phone."""
    site = residential_ip(rng).rsplit(".", 1)[0]
    nat = f"{site}.{rng.randrange(1, 255)}"
    on_site = round(n * site_share)
    out: list[list[str]] = []
    for i in range(n):
        if i < nat_keys:
            ips = [nat]
        elif i < nat_keys + on_site:
            ips = [f"{site}.{rng.randrange(1, 255)}"]
        else:
            ips = [residential_ip(rng)]
        if rng.random() < 0.08:
            ips.append(residential_ip(rng))
        out.append(ips)
    rng.shuffle(out)
    return out


def _sdk_agent(rng: random.Random, api: str) -> str:
    """An SDK User-Agent that fits the API shape (nobody calls /v1/messages with the OpenAI SDK)."""
    avoid = "OpenAI/" if api == "anthropic" else "Anthropic/"
    for _ in range(20):
        agent = sdk_user_agent(rng)
        if not agent.startswith(avoid):
            return agent
    return f"python-requests/2.32.{rng.randint(0, 3)}"


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _emit(
    rng: random.Random, client: Client, first: float, requests: list[Request], gap: float
) -> list[dict[str, Any]]:
    """Records of one key: the first request at ``first``, later ones a few minutes apart (reading the
    reply and typing), all inside the window."""
    tag = label(SCENARIO, BENIGN, False)
    out, t = [], first
    for i, request in enumerate(requests):
        if i:
            t += min(20 * 60.0, rng.lognormvariate(math.log(gap), 0.6))
        out.append(record(min(t, END - 1.0), client, request, tag, rng))
    return out


def _snippet_developers(rng: random.Random, factor: float) -> list[dict[str, Any]]:
    """(a) Developers trying a copied snippet once or twice with a new key from an SDK."""
    out: list[dict[str, Any]] = []
    sizes = [round(s.keys * factor) for s in SNIPPETS]
    addresses = _addresses(rng, sum(sizes), nat_keys=4, site_share=0.03)  # one shared office
    for snippet, n in zip(SNIPPETS, sizes):
        counts = _request_counts(rng, n, (0.72, 0.20))
        times = _arrivals(rng, n, 15.0, 0.4, snippet.burst)  # developers worldwide: a mild daily rhythm
        tweaked = set(rng.sample(range(n), round(n * TWEAK_SHARE)))
        for i in range(n):
            system = rng.choice(TWEAKS)(snippet.system) if i in tweaked else snippet.system
            # Most run the model the page names; some switch to one they already use.
            model = snippet.model if rng.random() < 0.8 else rng.choice(MODELS[snippet.api])
            client = Client(new_key(rng), snippet.api, model, _sdk_agent(rng, snippet.api), addresses.pop())
            mode = _weighted(rng, (("follow_up", 0.6), ("rerun", 0.2), ("fresh", 0.2)))
            first = _ask(rng, snippet.mix)
            requests = _requests(rng, system, first, counts[i], mode, snippet.mix)
            out += _emit(rng, client, times[i], requests, 40.0 if mode == "rerun" else 90.0)
    return out


def _app_students(rng: random.Random, factor: float) -> list[dict[str, Any]]:
    """(b) One-visit students of bring-your-own-key study apps; the app sets prompt and User-Agent."""
    out: list[dict[str, Any]] = []
    sizes = [round(a.keys * factor) for a in APPS]
    addresses = _addresses(rng, sum(sizes), nat_keys=5, site_share=0.06)  # one university campus
    for app, n in zip(APPS, sizes):
        counts = _request_counts(rng, n, (0.80, 0.15))
        times = _arrivals(rng, n, app.peak_hour, 0.7, app.burst)  # homework hours: a strong daily rhythm
        for i in range(n):
            client = Client(
                new_key(rng), app.api, _weighted(rng, app.models), _weighted(rng, app.agents), addresses.pop()
            )
            mode = "follow_up" if rng.random() < 0.85 else "fresh"  # "new chat" for the next question
            first = _ask(rng, app.mix)
            requests = _requests(rng, app.system, first, counts[i], mode, app.mix)
            out += _emit(rng, client, times[i], requests, 120.0)
    return out


def _trial_signups(rng: random.Random, factor: float) -> list[dict[str, Any]]:
    """(c) Free-trial signups trying a console template once or twice, from the browser or an SDK."""
    out: list[dict[str, Any]] = []
    n = round(TRIAL_KEYS * factor)
    counts = _request_counts(rng, n, (0.74, 0.19))
    times = _trial_arrivals(rng, n)
    addresses = _addresses(rng, n, nat_keys=3, site_share=0.03)  # a co-working space
    for i in range(n):
        system, _, mix = TEMPLATES[rng.choices(range(len(TEMPLATES)), [w for _, w, _ in TEMPLATES])[0]]
        api = "chat" if rng.random() < 0.8 else "anthropic"
        agent = browser_user_agent(rng) if rng.random() < 0.5 else _sdk_agent(rng, api)
        client = Client(new_key(rng), api, rng.choice(MODELS[api]), agent, addresses[i])
        mode = "follow_up" if rng.random() < 0.6 else "fresh"
        first = _ask(rng, mix)
        out += _emit(rng, client, times[i], _requests(rng, system, first, counts[i], mode, mix), 90.0)
    return out


def one_time_users(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """Honest one-time keys sharing popular system prompts: copied snippets, BYOK study apps, a trial day.

    About 600 keys at scale 1.0 and 300 at any scale up to 0.5 (see ``population_sizes``); about three
    keys in four send a single request. Records are sorted by time and labelled benign."""
    factor = max(MIN_FACTOR, scale)
    out = _snippet_developers(rng, factor) + _app_students(rng, factor) + _trial_signups(rng, factor)
    out.sort(key=lambda r: (r["ts"], r["client"]))
    return out
