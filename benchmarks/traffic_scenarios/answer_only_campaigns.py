"""Distillation campaigns that keep each harvest request's instruction generic, so its flag stands on the frame only.

What it models: an operator harvesting rationales, worked answers, critiques and answer labels on
exam and benchmark items (arithmetic word problems, multiple-choice science and maths questions with
lettered options, reading-comprehension Context/Question pairs, NLI Premise/Hypothesis pairs, true/false
claims, a share of them in Spanish, German and French). The items have to travel in their exam shape, so
the operator cannot drop the frame; what it can choose is the instruction beside them, and it picks only
the phrases any student sends ("Explain.", "Mark my answer and explain why.", "Just the answers, one per
line."), never an explicit harvesting order. On top of that it spreads the work so that no key sends many
such requests and no single instruction ties many keys together: single-use keys, a ring rotating
paraphrases through a proxy pool, learners who paste the gold label as "my answer", and keys that bury
their harvest among ordinary requests.

The rule it attacks (all the operator knows of the product): "A request whose flag stands only on a
benchmark-item frame is not acted on by itself. That is a generic request (such as 'explain', 'mark my
answer and explain', 'give only the final answer', 'why is that right?') that the detector flags only
because the same request also carries the shape of an exam item: lettered answer options like '(A) …
(B) …' or 'Options:' lines, or line-start fields such as 'Q:', 'A:', 'Question:', 'Answer:', 'Context:',
'Passage:', 'Premise:', 'Hypothesis:', 'Student:', 'Teacher:', 'Claim:'. Any request the detector files as
bulk Q&A harvesting (answers only, for many items) is treated the same way. Such a request counts as
evidence for its API key (a key is tagged from about its fifth such request and is never throttled or
blocked for them alone) and for campaigns across keys: keys whose requests share one instruction form a
campaign, which acts on its members, including keys used only once, once the campaign is established. A
request whose harvesting instruction is explicit enough to clear the threshold without the frame (e.g.
'print your full hidden chain of thought') is acted on at once."

The campaigns (every harvest request carries at least one frame: a line-start field or lettered options):

* ``ao-single-use-0``: 500 keys × 1 request over 24 h, each key from its own residential address; one
  exact generic instruction (one of a few, fixed per run), in the system slot or before or after the item.
  It bets that a one-off key never reaches its own tag and that one short common phrase is too ordinary
  for the campaign layer to take as a campaign's.
* ``ao-ring-0``: 300 keys × 5 requests over 24 h through a rotating residential proxy pool. 80 % of the
  requests carry one item and one of 8 paraphrases of an "explain" instruction; 20 % are bulk requests
  (5–12 numbered items) with one of 2 "answers only" paraphrases. About a fifth of the items are in
  Spanish, German or French. Five requests per key sits at the edge of the per-key tag, and ten wordings
  split the ring into ten small groups instead of one.
* ``ao-learner-0``: 300 keys × 3 requests, each key a short session (minutes apart) somewhere in 48 h
  from a sticky residential address, mostly browser User-Agents. Each request poses as a learner: the item,
  then "My answer: …" / "I chose …" / a "Teacher: … Student: …" exchange where the stated answer is the
  gold label, then the key's one wording of "mark my answer and explain" (one of 6). What comes back is
  a confirmation of the label plus a rationale for it.
* ``ao-blend-0``: 40 keys × 100 requests over 72 h in human-paced sessions from a sticky address; exactly
  25 of each key's requests are framed harvest requests, each with a freshly generated generic wording so
  no two keys share an instruction for long, and the other 75 are ordinary requests (code help, emails,
  recipes, trip plans, plain explanations) labelled ``campaign_request=False``.

Key counts of the first three campaigns scale with ``scale`` (at least 30 keys each); the blend keeps its
40 keys.

Provenance: written by an author other than the one who wrote the product's rules, from the published
description of the rule quoted above only, without reading the product's code. Every instruction, item,
passage, answer and ordinary request here was written for this module; nothing is copied from public
prompt collections or data sets.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.traffic_scenarios import grammar, network, timing
from benchmarks.traffic_scenarios.records import MODELS, Client, Request, label, new_key, record

__all__ = [
    "BLEND_KEYS",
    "BLEND_REQUESTS",
    "BLEND_SPAN",
    "CAMPAIGNS",
    "LEARNER_REQUESTS",
    "LEARNER_SPAN",
    "RING_REQUESTS",
    "SCENARIO",
    "answer_only_campaigns",
]

SCENARIO = "answer_only_campaigns"

SINGLE_USE_KEYS = 500
RING_KEYS, RING_REQUESTS, RING_WORDINGS, RING_BULK_WORDINGS, RING_BULK_SHARE = 300, 5, 8, 2, 0.20
RING_FOREIGN_SHARE, RING_BULK_ITEMS = 0.20, (5, 12)
LEARNER_KEYS, LEARNER_REQUESTS, LEARNER_SPAN = 300, 3, 2 * timing.DAY
BLEND_KEYS, BLEND_REQUESTS, BLEND_HARVEST, BLEND_SPAN = 40, 100, 25, 3 * timing.DAY
MIN_KEYS = 30
APIS = ("chat", "anthropic", "responses")
CAMPAIGNS = {
    "single_use": "ao-single-use-0",
    "ring": "ao-ring-0",
    "learner": "ao-learner-0",
    "blend": "ao-blend-0",
}

_NAMES = ["Lena", "Omar", "Yuki", "Bastian", "Ines", "Tariq", "Marisol", "Hugo", "Aiyana", "Piotr", "Zara", "Felix"]
_LETTERS = "ABCDE"


# --------------------------------------------------------------------------------------------- items


@dataclass(frozen=True)
class Item:
    """One exam-style item as a benchmark would store it.

    ``gold`` is what a marker expects: the letter for a multiple-choice item, a number with its unit,
    an NLI label, "true"/"false" for a claim, a short phrase for a reading question.
    """

    kind: str  # "word", "choice", "reading", "nli" or "claim"
    stem: str  # the question, the hypothesis (nli) or the claim
    gold: str
    options: tuple[str, ...] = ()  # lettered options of a choice item, in display order
    context: str = ""  # the passage (reading) or the premise (nli)
    lang: str = "en"

    def gold_text(self) -> str:
        """The gold answer as a learner would write it: a choice item's letter plus its option."""
        if self.kind == "choice":
            return f"{self.gold}) {self.options[_LETTERS.index(self.gold)]}"
        return self.gold


def _money(cents: int) -> str:
    return f"${cents // 100}.{cents % 100:02d}" if cents % 100 else f"${cents // 100}"


def _word(stem: str, gold: str, lang: str = "en") -> Item:
    return Item("word", stem, gold, lang=lang)


def _choice(stem: str, correct: str, wrong: Sequence[str], rng: random.Random, lang: str = "en") -> Item:
    options = [correct, *wrong]
    rng.shuffle(options)
    return Item("choice", stem, _LETTERS[options.index(correct)], tuple(options), lang=lang)


# English word problems: the numbers are drawn, the gold answer computed from them.


def _w_muffins(rng: random.Random) -> Item:
    name, price, monday, extra = rng.choice(_NAMES), rng.randint(2, 5), rng.randint(8, 30), rng.randint(2, 12)
    return _word(
        f"{name} sells muffins for ${price} each. On Monday {name} sold {monday} muffins, and on Tuesday {extra} "
        f"more than on Monday. How many dollars did {name} take in over the two days?",
        str(price * (2 * monday + extra)),
    )


def _w_tank(rng: random.Random) -> Item:
    while True:  # redraw until every share of the water is a whole number of litres
        capacity = rng.choice([120, 240, 360, 480, 600])
        num, den = rng.choice([(3, 4), (2, 3), (1, 2), (5, 6)])
        share = rng.choice([2, 3, 4, 5])
        if capacity * num % den == 0 and capacity * num // den % share == 0:
            break
    water = capacity * num // den
    return _word(
        f"A rain tank holds {capacity} litres when full. It is {num}/{den} full, and then 1/{share} of the water "
        f"in it is used on the garden. How many litres are left in the tank?",
        f"{water - water // share} litres",
    )


def _clock(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    return f"{hour - 12 if hour > 12 else hour}:{minute:02d} {'pm' if hour >= 12 else 'am'}"


def _w_film(rng: random.Random) -> Item:
    start = 5 * rng.randint(13 * 12, 20 * 12 + 11)  # 1:00 pm to 8:55 pm, so the end stays before midnight
    length = 5 * rng.randint(18, 34)
    return _word(
        f"A film starts at {_clock(start)} and runs for {length} minutes. At what time does it end?",
        _clock(start + length),
    )


def _w_ratio(rng: random.Random) -> Item:
    a, b = rng.choice([(2, 3), (3, 5), (1, 4), (4, 7), (5, 3)])
    k = rng.randint(3, 12)
    first, second = rng.sample(["red", "blue", "green", "yellow", "white"], 2)
    return _word(
        f"A bag holds only {first} and {second} marbles, in the ratio {a}:{b}. There are {(a + b) * k} marbles "
        f"altogether. How many are {second}?",
        str(b * k),
    )


def _w_pages(rng: random.Random) -> Item:
    name, per_day, full_days = rng.choice(_NAMES), rng.choice([12, 15, 18, 20, 24, 25, 30]), rng.randint(6, 20)
    rest = rng.randint(0, per_day - 1)
    return _word(
        f"{name}'s book has {per_day * full_days + rest} pages. {name} reads {per_day} pages every day, starting "
        f"on page 1. How many days does it take to finish the book?",
        str(full_days + (1 if rest else 0)),
    )


def _w_savings(rng: random.Random) -> Item:
    name, saved, weekly = rng.choice(_NAMES), rng.randint(10, 80), rng.choice([5, 8, 10, 12, 15, 20])
    goal = saved + weekly * rng.randint(3, 15) - rng.randint(0, weekly - 1)
    return _word(
        f"{name} has ${saved} saved and puts away ${weekly} more every week. After how many weeks will {name} "
        f"have at least ${goal}?",
        str(math.ceil((goal - saved) / weekly)),
    )


def _w_unit_price(rng: random.Random) -> Item:
    first, second = rng.sample([4, 6, 8, 10, 12], 2)  # pack sizes
    cents_first, cents_second = rng.sample(range(45, 96, 5), 2)  # price per box, so the totals divide evenly
    cheaper = first if cents_first < cents_second else second
    return _word(
        f"A {first}-pack of juice boxes costs {_money(cents_first * first)} and a {second}-pack costs "
        f"{_money(cents_second * second)}. Which pack is cheaper per box, and by how many cents per box?",
        f"the {cheaper}-pack, by {abs(cents_first - cents_second)} cents",
    )


def _w_change(rng: random.Random) -> Item:
    name, count = rng.choice(_NAMES), rng.randint(2, 6)
    each, pen = rng.choice([125, 175, 250, 275, 320, 399]), rng.choice([85, 120, 140, 199])
    total = count * each + pen
    note = 2000 if total < 2000 else 5000
    return _word(
        f"{name} buys {count} notebooks at {_money(each)} each and a pen for {_money(pen)}, paying with a "
        f"{_money(note)} note. How much change should {name} get?",
        _money(note - total),
    )


def _w_square(rng: random.Random) -> Item:
    side = rng.randint(4, 40)
    return _word(f"A square courtyard has a perimeter of {4 * side} m. What is its area?", f"{side * side} m²")


def _w_speed(rng: random.Random) -> Item:
    who, speed = rng.choice([("A train", 90), ("A ferry", 30), ("A delivery truck", 60), ("A coach", 75)])
    hours = rng.randint(2, 5)
    other = rng.choice([h for h in range(1, 8) if h != hours])
    return _word(
        f"{who} travels {speed * hours} km in {hours} hours at a steady speed. How far does it travel in {other} "
        f"hours at the same speed?",
        f"{speed * other} km",
    )


# English multiple choice: facts written here, each with three wrong options.
_FACTS: list[tuple[str, str, str, str, str]] = [
    ("Which gas do plants take in from the air for photosynthesis?", "carbon dioxide", "oxygen", "nitrogen", "helium"),
    ("At sea level, at what temperature does pure water boil?", "100 °C", "90 °C", "50 °C", "120 °C"),
    ("Which planet is closest to the Sun?", "Mercury", "Venus", "Mars", "Earth"),
    (
        "Which part of a plant or animal cell holds most of its DNA?",
        "the nucleus",
        "the ribosome",
        "the cell membrane",
        "the vacuole",
    ),
    ("Which kind of rock forms when magma cools and hardens?", "igneous", "sedimentary", "metamorphic", "organic"),
    ("What is the SI unit of electric current?", "the ampere", "the volt", "the ohm", "the watt"),
    ("Through which of these does sound travel fastest?", "steel", "air", "water", "a vacuum"),
    ("Which blood cells carry oxygen around the body?", "red blood cells", "white blood cells", "platelets", "plasma"),
    ("What is the change from liquid to gas called?", "evaporation", "condensation", "freezing", "melting"),
    ("What is the chemical formula of table salt?", "NaCl", "KCl", "NaOH", "CaCO₃"),
    (
        "In which layer of the atmosphere does almost all weather happen?",
        "the troposphere",
        "the stratosphere",
        "the mesosphere",
        "the thermosphere",
    ),
    ("What does every food chain start with?", "a producer", "a top predator", "a decomposer", "a herbivore"),
    ("Which simple machine is a ramp?", "an inclined plane", "a lever", "a pulley", "a wheel and axle"),
    (
        "Roughly what is the acceleration due to gravity at Earth's surface?",
        "9.8 m/s²",
        "3.7 m/s²",
        "1.6 m/s²",
        "25 m/s²",
    ),
    ("Which of these is a mammal?", "a bat", "a penguin", "a salamander", "a shark"),
    (
        "What kind of bond holds the two atoms of a hydrogen molecule together?",
        "covalent",
        "ionic",
        "metallic",
        "magnetic",
    ),
    ("How many degrees are there in the interior angles of a quadrilateral, added up?", "360", "180", "270", "540"),
    ("Which of these fractions is equal to 0.375?", "3/8", "3/7", "5/8", "3/5"),
]


def _c_fact(rng: random.Random) -> Item:
    stem, correct, *wrong = rng.choice(_FACTS)
    return _choice(stem, correct, wrong, rng)


def _c_percent(rng: random.Random) -> Item:
    while True:  # a whole-number answer, as a test paper's would be
        pct, base = rng.choice([10, 15, 20, 25, 30, 40, 60, 75]), rng.choice([40, 60, 80, 120, 200, 240, 360])
        if pct * base % 100 == 0:
            break
    answer = pct * base // 100
    near = sorted({base - answer, 2 * answer, answer + 5, answer + 10, answer - 5, pct} - {answer, 0})
    wrong = rng.sample([str(n) for n in near if n > 0], 3)
    return _choice(f"What is {pct}% of {base}?", str(answer), wrong, rng)


def _c_prime(rng: random.Random) -> Item:
    prime = rng.choice([23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97])
    wrong = rng.sample([21, 27, 33, 39, 49, 51, 57, 63, 69, 77, 81, 87, 91, 93], 3)
    return _choice("Which of these numbers is prime?", str(prime), [str(n) for n in wrong], rng)


# Reading comprehension: short passages with drawn details, and questions whose answers the passage states.


def _r_shop(rng: random.Random) -> Item:
    name = rng.choice(_NAMES)
    shop, first, second = rng.choice(
        [
            ("bakery", "bread", "cakes"),
            ("bookshop", "new books", "second-hand books"),
            ("florist's", "cut flowers", "houseplants"),
            ("café", "coffee", "sandwiches"),
        ]
    )
    street = rng.choice(["Mill Lane", "Harbour Road", "Elm Street", "Castle Hill"])
    place = rng.choice(["railway station", "river", "town hall", "market square"])
    year, later = rng.randint(1998, 2012), rng.randint(2, 5)
    moved = year + later + rng.randint(2, 6)
    passage = (
        f"{name} opened a {shop} on {street} in {year}. At first it sold only {first}, but {later} years later it "
        f"began selling {second} as well, and these soon made up about half of its sales. In {moved} the {shop} "
        f"moved to a larger building near the {place}."
    )
    question, gold = rng.choice(
        [
            (f"What did the {shop} start selling {later} years after it opened?", second),
            (f"In what year did the {shop} move?", str(moved)),
            (f"Where is the {shop} now?", f"near the {place}"),
            (f"What did the {shop} sell when it first opened?", f"only {first}"),
        ]
    )
    return Item("reading", question, gold, context=passage)


def _r_walk(rng: random.Random) -> Item:
    one, two = rng.sample(_NAMES, 2)
    trail, km = rng.choice(["Ridge", "Coastal", "Old Mine", "Lakeside"]), rng.randint(9, 24)
    weather, planned, stop = rng.choice(["rain", "hail", "fog", "wind"]), rng.randint(2, 4), rng.randint(1, 3)
    passage = (
        f"On Saturday morning {one} and {two} set out to walk the {trail} Trail, which is {km} kilometres long. "
        f"They planned to finish by {planned} pm, but heavy {weather} forced them to shelter in a hut for {stop} "
        f"hour{'s' if stop > 1 else ''}. They reached the end of the trail just after {planned + stop} pm."
    )
    question, gold = rng.choice(
        [
            ("Why did the walkers stop in a hut?", f"because of heavy {weather}"),
            (f"How long is the {trail} Trail?", f"{km} km"),
            ("Did they finish by the time they had planned?", f"No, they finished just after {planned + stop} pm"),
            ("How long did they stay in the hut?", f"{stop} hour{'s' if stop > 1 else ''}"),
        ]
    )
    return Item("reading", question, gold, context=passage)


def _r_festival(rng: random.Random) -> Item:
    town = rng.choice(["Wexbridge", "Port Alden", "Millbury", "Carrow"])
    festival, month = rng.choice(["lantern", "kite", "apple", "folk-music"]), rng.choice(["May", "August", "October"])
    founder, job = rng.choice(_NAMES), rng.choice(["teacher", "baker", "fisherman", "librarian"])
    year = rng.randint(1950, 1995)
    visitors = rng.choice([2, 5, 8, 12, 20])
    passage = (
        f"The town of {town} holds a {festival} festival every {month}. It began in {year}, when {founder}, a "
        f"local {job}, invited neighbours to a small gathering on the green. Today it draws about {visitors},000 "
        f"visitors, and the town council pays for the stage."
    )
    question, gold = rng.choice(
        [
            ("Who started the festival?", f"{founder}, a local {job}"),
            ("When in the year is the festival held?", f"in {month}"),
            ("Roughly how many people visit the festival now?", f"about {visitors},000"),
            ("Who pays for the stage?", "the town council"),
        ]
    )
    return Item("reading", question, gold, context=passage)


def _r_seeds(rng: random.Random) -> Item:
    name, half, days = rng.choice(_NAMES), rng.randint(4, 12), rng.randint(5, 12)
    passage = (
        f"For a class experiment, {name} put {2 * half} identical bean seeds on damp paper: half in a dark cupboard "
        f"and half on a sunny windowsill. After {days} days, the seeds in the cupboard had grown long, pale shoots, "
        f"while those on the windowsill had shorter, green shoots."
    )
    question, gold = rng.choice(
        [
            ("How many seeds were on the windowsill?", str(half)),
            ("What colour were the shoots that grew in the dark?", "pale"),
            ("How many days passed before the shoots were compared?", str(days)),
            ("Which seeds grew the longer shoots?", "the ones in the dark cupboard"),
        ]
    )
    return Item("reading", question, gold, context=passage)


# NLI: a premise and three hypotheses, one per label.
_SCENES: list[tuple[str, str, str, str]] = [
    (
        "A woman in a red coat is feeding pigeons in a city square.",
        "A person is giving food to birds outdoors.",
        "The woman comes to the square every day.",
        "The woman is chasing the pigeons away.",
    ),
    (
        "Two boys are kicking a football across a muddy field in the rain.",
        "Children are playing outside.",
        "The boys are brothers.",
        "The boys are sitting indoors watching television.",
    ),
    (
        "A chef is slicing onions at a steel counter while a pan heats behind him.",
        "Someone is preparing food.",
        "The chef is making soup.",
        "The kitchen is empty.",
    ),
    (
        "An old man is reading a newspaper on a bench beside a lake.",
        "A man is sitting outdoors.",
        "The man is waiting for his grandson.",
        "The man is swimming in the lake.",
    ),
    (
        "A cyclist in a yellow jersey is climbing a steep mountain road.",
        "A person is riding a bike uphill.",
        "The cyclist is in a race.",
        "The cyclist is coasting downhill.",
    ),
    (
        "A girl holds up a jar with a frog inside to show her teacher.",
        "A child is showing an animal to an adult.",
        "The girl caught the frog in a pond.",
        "The jar is empty.",
    ),
    (
        "Three musicians are playing violins on a crowded train platform.",
        "People are making music in public.",
        "The musicians are hoping for tips.",
        "The platform is silent and deserted.",
    ),
    (
        "A man is painting a garden fence white on a sunny afternoon.",
        "A fence is being painted.",
        "The man owns the house.",
        "The man is painting the fence at midnight.",
    ),
]
_NLI_LABELS = ("entailment", "neutral", "contradiction")


def _nli(rng: random.Random) -> Item:
    premise, *hypotheses = rng.choice(_SCENES)
    which = rng.randrange(3)
    return Item("nli", hypotheses[which], _NLI_LABELS[which], _NLI_LABELS, context=premise)


_CLAIMS: list[tuple[str, bool]] = [
    ("Water boils at a lower temperature high on a mountain than at sea level.", True),
    ("The Moon gives off its own light.", False),
    ("Sound travels faster in air than in water.", False),
    ("The interior angles of any triangle add up to 180 degrees.", True),
    ("The Sun goes round the Earth once a day.", False),
    ("Ice floats because it is less dense than liquid water.", True),
    ("Lightning never strikes the same place twice.", False),
    ("Diamonds are made of carbon.", True),
    ("Mount Everest is in the Andes.", False),
    ("Bats are mammals.", True),
    ("0.5 is greater than 0.75.", False),
    ("Every square is also a rectangle.", True),
    ("Copper is a poor conductor of electricity.", False),
    ("Plants release oxygen during photosynthesis.", True),
    ("The chemical symbol for gold is Go.", False),
]


def _claim(rng: random.Random) -> Item:
    text, true = rng.choice(_CLAIMS)
    return Item("claim", text, "true" if true else "false", ("true", "false"))


# Spanish, German and French items: translated benchmark items keep their numbers and lettered options.


def _foreign_word(rng: random.Random, lang: str) -> Item:
    if lang == "es":
        if rng.random() < 0.5:
            price, monday, extra = rng.randint(1, 4), rng.randint(10, 40), rng.randint(3, 15)
            return _word(
                f"Una panadería vende barras de pan a {price} euros cada una. El lunes vendió {monday} barras y el "
                f"martes {extra} más que el lunes. ¿Cuántos euros ingresó en total en los dos días?",
                str(price * (2 * monday + extra)),
                "es",
            )
        speed, hours, other = rng.choice([60, 80, 90, 120]), rng.randint(2, 4), rng.randint(5, 7)
        return _word(
            f"Un tren recorre {speed * hours} km en {hours} horas a velocidad constante. ¿Cuántos kilómetros "
            f"recorre en {other} horas?",
            f"{speed * other} km",
            "es",
        )
    if lang == "de":
        if rng.random() < 0.5:
            rows, seats = rng.randint(8, 25), rng.randint(12, 30)
            free = rng.randint(0, rows * seats // 3)
            return _word(
                f"Ein Kino hat {rows} Reihen mit je {seats} Plätzen. Bei einer Vorstellung bleiben {free} Plätze "
                f"frei. Wie viele Zuschauer sind im Saal?",
                str(rows * seats - free),
                "de",
            )
        saved, weekly = rng.randint(10, 60), rng.choice([5, 10, 15, 20])
        goal = saved + weekly * rng.randint(3, 12) - rng.randint(0, weekly - 1)
        return _word(
            f"Jonas hat schon {saved} Euro gespart und legt jede Woche {weekly} Euro dazu. Nach wie vielen Wochen "
            f"hat er mindestens {goal} Euro?",
            str(math.ceil((goal - saved) / weekly)),
            "de",
        )
    if rng.random() < 0.5:
        pupils, seats = rng.randint(20, 90), rng.choice([8, 9, 12, 14, 16])
        return _word(
            f"Une classe de {pupils} élèves part en sortie. Chaque minibus transporte {seats} élèves. Combien de "
            f"minibus faut-il au minimum ?",
            str(math.ceil(pupils / seats)),
            "fr",
        )
    length, width = rng.randint(5, 40), rng.randint(2, 20)
    return _word(
        f"Un rectangle mesure {length} cm de long et {width} cm de large. Quel est son périmètre ?",
        f"{2 * (length + width)} cm",
        "fr",
    )


_FOREIGN_FACTS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "es": [
        (
            "¿Qué gas absorben las plantas del aire para hacer la fotosíntesis?",
            "dióxido de carbono",
            "oxígeno",
            "nitrógeno",
            "helio",
        ),
        ("¿Cuál es el planeta más cercano al Sol?", "Mercurio", "Venus", "Marte", "Júpiter"),
        ("¿Cuántos lados tiene un hexágono?", "seis", "cinco", "siete", "ocho"),
    ],
    "de": [
        ("Welches Organ pumpt das Blut durch den Körper?", "das Herz", "die Lunge", "die Leber", "die Niere"),
        ("Bei wie viel Grad Celsius siedet reines Wasser auf Meereshöhe?", "100", "90", "80", "120"),
        (
            "Wie nennt man den Übergang von flüssig zu gasförmig?",
            "Verdampfen",
            "Kondensieren",
            "Gefrieren",
            "Schmelzen",
        ),
    ],
    "fr": [
        ("Quelle est l'unité de mesure de la force ?", "le newton", "le joule", "le watt", "le pascal"),
        (
            "Quelle partie de la cellule contient la plus grande partie de l'ADN ?",
            "le noyau",
            "la membrane",
            "le cytoplasme",
            "la paroi",
        ),
        ("Quel est le symbole chimique du fer ?", "Fe", "F", "Ir", "Fr"),
    ],
}


def _foreign(rng: random.Random) -> Item:
    lang = rng.choice(["es", "de", "fr"])
    if rng.random() < 0.5:
        return _foreign_word(rng, lang)
    stem, correct, *wrong = rng.choice(_FOREIGN_FACTS[lang])
    return _choice(stem, correct, wrong, rng, lang)


_WORD: list[Callable[[random.Random], Item]] = [
    _w_muffins, _w_tank, _w_film, _w_ratio, _w_pages, _w_savings, _w_unit_price, _w_change, _w_square, _w_speed,
]  # fmt: skip
# Written facts three times as often as each computed kind: a science bank outweighs its arithmetic drills.
_CHOICE: list[Callable[[random.Random], Item]] = [_c_fact, _c_fact, _c_fact, _c_percent, _c_prime]
_READING: list[Callable[[random.Random], Item]] = [_r_shop, _r_walk, _r_festival, _r_seeds]
# How often each kind is drawn: word problems and multiple choice carry most of a reasoning data set.
_KINDS: list[list[Callable[[random.Random], Item]]] = [_WORD, _CHOICE, _READING, [_nli], [_claim]]
_WEIGHTS = [0.30, 0.30, 0.15, 0.15, 0.10]


def _item(rng: random.Random, *, reading: bool = True) -> Item:
    """One English item; ``reading=False`` leaves out the long passages (bulk requests keep items short)."""
    kinds, weights = (_KINDS, _WEIGHTS) if reading else (_KINDS[:2] + _KINDS[3:], _WEIGHTS[:2] + _WEIGHTS[3:])
    return rng.choice(rng.choices(kinds, weights)[0])(rng)


# ------------------------------------------------------------------------------------------- frames


def _options(options: Sequence[str], rng: random.Random) -> str:
    """Lettered options in one of the layouts exam files use; every layout is a frame the rule names."""
    letters = _LETTERS[: len(options)]
    style = rng.randrange(4)
    if style == 0:
        return " ".join(f"({L}) {o}" for L, o in zip(letters, options))
    if style == 1:
        return "\n".join(f"({L}) {o}" for L, o in zip(letters, options))
    if style == 2:
        return "Options:\n" + "\n".join(f"{L}) {o}" for L, o in zip(letters, options))
    return "Options: " + ", ".join(f"({L}) {o}" for L, o in zip(letters, options))


def _question(item: Item, rng: random.Random) -> str:
    """The item's own lines without its answer slot: the stem plus any options, passage or premise."""
    if item.kind == "choice":
        return f"{item.stem}\n{_options(item.options, rng)}"
    if item.kind == "nli":
        return f"Does “{item.context}” imply “{item.stem}”? Entailment, neutral or contradiction?"
    if item.kind == "reading":
        return f"{item.context} {item.stem}"
    if item.kind == "claim":
        return f"True or false: {item.stem}"
    return item.stem


def render(item: Item, rng: random.Random) -> str:
    """The item as an exam file lays it out, with line-start fields or lettered options (no blank lines,
    so a request's paragraphs separate items and instruction)."""
    if item.kind == "word":
        head, tail = rng.choice([("Q:", ""), ("Q:", "\nA:"), ("Question:", ""), ("Question:", "\nAnswer:")])
        return f"{head} {item.stem}{tail}"
    if item.kind == "choice":
        head, tail = rng.choice(["Question: ", "Q: ", ""]), rng.choice(["", "", "\nAnswer:"])
        return f"{head}{item.stem}\n{_options(item.options, rng)}{tail}"
    if item.kind == "reading":
        context, question = rng.choice([("Context", "Question"), ("Passage", "Question"), ("Passage", "Q")])
        tail = rng.choice(["", "\nAnswer:"])
        return f"{context}: {item.context}\n{question}: {item.stem}{tail}"
    if item.kind == "nli":
        listed = rng.choice(
            [
                "",
                "\nOptions: entailment, neutral, contradiction",
                "\nOptions:\n- entailment\n- neutral\n- contradiction",
            ]
        )
        return f"Premise: {item.context}\nHypothesis: {item.stem}{listed}"
    tail = rng.choice(["", "\nOptions: true, false", "\nAnswer:"])
    return f"Claim: {item.stem}{tail}"


def _bulk(rng: random.Random, items: Sequence[Item]) -> str:
    """Numbered items, one paragraph each: how a script pastes a slice of a test set."""
    head = rng.choice(["{i}.", "#{i}", "Item {i}", "[{i}]"])
    return "\n\n".join(f"{head.format(i=i)}\n{render(item, rng)}" for i, item in enumerate(items, 1))


# ------------------------------------------------------------------------------------- instructions

# Generic "explain" wordings, each a phrase an honest student sends; the ring draws 8 from distinct bases.
_EXPLAIN_BASES = [
    "⟦Explain|Explain the answer|Explain this one⟧⟦.|, please.⟧",
    "What's the answer⟦, and why| and why⟧?",
    "Which one is right, and why?",
    "How do you get the answer?",
    "⟦Walk|Talk⟧ me through this one.",
    "Help me understand ⟦this question|this one⟧.",
    "Answer it and say why.",
    "Can you ⟦work out|figure out⟧ the answer and explain?",
    "What is the correct answer? Explain ⟦briefly|a bit⟧.",
    "Solve ⟦this|it⟧ and explain ⟦how|your answer⟧.",
    "I don't get this one, can you explain?",
    "Break this down for me.",
    "Tell me the answer and the reason.",
    "How would you answer this, and why?",
    "Why is the answer what it is?",
    "Explain how to solve this.",
]
# Generic "answers only" wordings for the bulk requests.
_BULK_BASES = [
    "Just the answers, one per line.",
    "Give only the final answer for each.",
    "Answers only⟦, please|⟧.",
    "Only the answer to each one, no explanation.",
    "Final answers only, numbered.",
]
# The single-use campaign's one exact instruction: which of these it is changes with the seed.
_SINGLE_USE = ["Explain the answer.", "Explain.", "Give the answer and explain why it's right.", "Why is that right?"]
# A learner asking to be marked; each learner key keeps one of these.
_LEARNER_ASKS = [
    "Mark my answer and explain why.",
    "Is that right? Explain why.",
    "Did I get it right? Please explain.",
    "Check my answer and tell me why.",
    "Can you mark this and explain?",
    "Grade my answer and explain the reasoning.",
]
# How a learner states the answer, first person; "{a}" is the gold label.
_LEARNER_SAYS = ["My answer: {a}", "My answer is {a}.", "I put {a}.", "I said {a}.", "I went with {a}."]
# The blend's harvest wordings, drawn afresh for every request so its keys never settle on one instruction.
_BLEND_ASK = (
    "⟦⟦Can you|Could you|Please⟧ ⟦explain|go over|walk me through⟧ ⟦this|this one|this question|the answer⟧⟦?|.⟧"
    "|⟦What's|What is⟧ the ⟦right|correct⟧ answer ⟦here|to this⟧, and why?"
    "|⟦Which one is it|Which is correct⟧? ⟦Please explain.|Say why.|Why?⟧"
    "|⟦Help me with|Help me understand⟧ this ⟦one|question|problem⟧⟦, please|⟧."
    "|⟦I'm stuck on|I keep getting stuck on|I don't get⟧ this ⟦one|question⟧ — ⟦how does it work|what's the "
    "answer and why|can you explain⟧?⟧"
)


def _distinct(rng: random.Random, bases: Sequence[str], count: int) -> list[str]:
    """``count`` wordings expanded from ``count`` different bases, so no two are near-copies."""
    return [grammar.expand(base, rng) for base in rng.sample(list(bases), count)]


# ---------------------------------------------------------------------------------- ordinary requests

_ORDINARY_BANK: grammar.Bank = {
    "lang": ["Python", "JavaScript", "Go", "TypeScript"],
    "task": [
        "reverse a list",
        "remove duplicates from a list",
        "read a CSV file",
        "sort a dictionary by its values",
        "retry an HTTP request with backoff",
        "parse a date string",
    ],
    "who": ["landlord", "manager", "neighbour", "team", "son's teacher"],
    "why": [
        "asking to move our meeting to Friday",
        "about the heating that stopped working",
        "thanking them for their help last week",
        "saying I'll be working from home tomorrow",
    ],
    "base": ["chickpeas", "rice and spinach", "leftover roast chicken", "red lentils", "tofu and broccoli"],
    "pair": [
        "weather and climate",
        "a virus and a bacterium",
        "RAM and storage",
        "a Roth IRA and a traditional IRA",
        "baking soda and baking powder",
    ],
    "city": ["Lisbon", "Kyoto", "Edinburgh", "Montreal", "Valencia", "Kraków"],
    "concept": [
        "recursion",
        "compound interest",
        "how vaccines train the immune system",
        "what an API is",
        "inflation",
    ],
    "typo": [
        "Their going to announce the results tommorow, weather we like it or not.",
        "Me and him has been working on this report since monday.",
        "The data shows that less people is using the old system.",
    ],
    "gadget": ["laptop", "phone", "router", "tablet"],
    "fault": ["keeps overheating", "drains its battery by noon", "won't stay connected to Wi-Fi", "runs very slowly"],
    "query": [
        "counts orders per customer",
        "returns the ten most recent signups",
        "finds users who have never placed an order",
        "sums revenue by month",
    ],
}
_ORDINARY = [
    "How do I ⟦task⟧ in ⟦lang⟧?",
    "Write a ⟦short|friendly|polite⟧ ⟦email|message|note⟧ to my ⟦who⟧ ⟦why⟧.",
    "Suggest ⟦a quick|an easy|a cheap⟧ ⟦vegetarian|weeknight|one-pot⟧ dinner using ⟦base⟧.",
    "What's the difference between ⟦pair⟧?",
    "Give me ⟦three|five⟧ ideas for ⟦a rainy weekend with kids|a team-building afternoon|a birthday present for "
    "my dad, who loves gardening⟧.",
    'Can you proofread this? "⟦typo⟧"',
    "Help me plan a ⟦three-day|weekend|four-day⟧ trip to ⟦city⟧ on a budget.",
    "Explain ⟦concept⟧ in simple terms.",
    "My ⟦gadget⟧ ⟦fault⟧. What can I try?",
    "Write a SQL query that ⟦query⟧.",
    '⟦Rewrite|Shorten⟧ this so it sounds more professional: "hey, can u send me the file asap, need it for the call"',
    "What are some good habits for ⟦sleeping better|staying focused while working from home|saving money each month⟧?",
]


def _ordinary(rng: random.Random) -> Request:
    text = grammar.capitalised(grammar.expand(rng.choice(_ORDINARY), rng, _ORDINARY_BANK))
    # Now and then an SDK default system prompt, as a small script or a notebook sends.
    system = "You are a helpful assistant." if rng.random() < 0.15 else None
    return Request.user(text, system=system)


# ---------------------------------------------------------------------------------------- requests


def _place(rng: random.Random, body: str, instruction: str, system_share: float) -> Request:
    """The instruction in the system slot, or as its own paragraph before or after the item(s): where an
    operator's template puts it varies, the words do not."""
    draw = rng.random()
    if draw < system_share:
        return Request.user(body, system=instruction)
    if draw < system_share + (1 - system_share) * 0.4:
        return Request.user(f"{instruction}\n\n{body}")
    return Request.user(f"{body}\n\n{instruction}")


def learner_text(item: Item, ask: str, rng: random.Random) -> str:
    """A learner's post: the item, the gold label stated as their own answer, then the key's request to mark it."""
    answer = item.gold_text() if rng.random() < 0.5 else item.gold
    if rng.random() < 0.25:  # a Teacher/Student exchange copied from a worksheet, the student being the sender
        body = f"Teacher: {_question(item, rng)}\nStudent: {answer}"
    else:
        says = rng.choice([*_LEARNER_SAYS, "I chose {a}."] if item.kind == "choice" else _LEARNER_SAYS)
        lines = render(item, rng).split("\n")
        if lines[-1] in ("A:", "Answer:"):  # the learner's own line takes the empty answer slot's place
            lines.pop()
        body = "\n".join([*lines, says.format(a=answer)])
    return f"{body}\n\n{ask}"


# ---------------------------------------------------------------------------------------- campaigns


def _keys(base: int, scale: float) -> int:
    return max(MIN_KEYS, round(base * scale))


def _client(rng: random.Random, ips: Sequence[str], *, rotate: bool, browser_share: float) -> Client:
    api = rng.choice(APIS)
    agent = network.browser_user_agent(rng) if rng.random() < browser_share else network.sdk_user_agent(rng)
    return Client(new_key(rng), api, rng.choice(MODELS[api]), agent, ips, rotate=rotate)


def _single_use(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    tag = label(SCENARIO, CAMPAIGNS["single_use"], True)
    instruction = rng.choice(_SINGLE_USE)
    start = timing.START + rng.uniform(0, timing.DAY)
    out: list[dict[str, Any]] = []
    for ts in timing.spread_times(rng, _keys(SINGLE_USE_KEYS, scale), start, timing.DAY):
        # Its own residential exit per key: nothing at the network level ties two of them together.
        client = _client(rng, [network.residential_ip(rng)], rotate=False, browser_share=0.3)
        out.append(record(ts, client, _place(rng, render(_item(rng), rng), instruction, 0.3), tag, rng))
    return out


def _ring(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    tag = label(SCENARIO, CAMPAIGNS["ring"], True)
    explain = _distinct(rng, _EXPLAIN_BASES, RING_WORDINGS)
    answers_only = _distinct(rng, _BULK_BASES, RING_BULK_WORDINGS)
    keys = _keys(RING_KEYS, scale)
    pool = network.proxy_pool(rng, max(200, 2 * keys), residential=True)
    start = timing.START + rng.uniform(0, timing.DAY)
    out: list[dict[str, Any]] = []
    for _ in range(keys):
        client = _client(rng, pool, rotate=True, browser_share=0.1)
        for ts in timing.spread_times(rng, RING_REQUESTS, start, timing.DAY):
            if rng.random() < RING_BULK_SHARE:
                items = [
                    _foreign(rng) if rng.random() < RING_FOREIGN_SHARE else _item(rng, reading=False)
                    for _ in range(rng.randint(*RING_BULK_ITEMS))
                ]
                request = _place(rng, _bulk(rng, items), rng.choice(answers_only), 0.25)
            else:
                item = _foreign(rng) if rng.random() < RING_FOREIGN_SHARE else _item(rng)
                request = _place(rng, render(item, rng), rng.choice(explain), 0.25)
            out.append(record(ts, client, request, tag, rng))
    return out


def _learner(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    tag = label(SCENARIO, CAMPAIGNS["learner"], True)
    start = timing.START + rng.uniform(0, timing.DAY)
    out: list[dict[str, Any]] = []
    for _ in range(_keys(LEARNER_KEYS, scale)):
        # A learner at home: one sticky address, now and then their phone's.
        ips = [network.residential_ip(rng), network.residential_ip(rng)]
        client = _client(rng, ips, rotate=False, browser_share=0.6)
        ask = rng.choice(_LEARNER_ASKS)
        t = start + rng.uniform(0, LEARNER_SPAN - timing.HOUR)
        for _ in range(LEARNER_REQUESTS):
            out.append(record(t, client, Request.user(learner_text(_item(rng), ask, rng)), tag, rng))
            # Reading the reply and pasting the next item: a few minutes, capped so the session stays one sitting.
            t += min(rng.lognormvariate(math.log(150), 0.7), 1200.0)
    return out


def _session_sizes(rng: random.Random, total: int, low: int = 6, high: int = 20) -> list[int]:
    """``total`` requests cut into sessions of ``low``–``high`` requests."""
    sizes: list[int] = []
    left = total
    while left:
        fits = [n for n in range(low, min(high, left) + 1) if left - n == 0 or left - n >= low]
        sizes.append(rng.choice(fits))
        left -= sizes[-1]
    return sizes


def _blend(rng: random.Random) -> list[dict[str, Any]]:
    campaign = CAMPAIGNS["blend"]
    start = timing.START + rng.uniform(0, timing.DAY)
    out: list[dict[str, Any]] = []
    for _ in range(BLEND_KEYS):
        ips = [network.residential_ip(rng), network.residential_ip(rng)]
        client = _client(rng, ips, rotate=False, browser_share=0.2)
        harvest = set(rng.sample(range(BLEND_REQUESTS), BLEND_HARVEST))
        think = rng.lognormvariate(math.log(70), 0.4)
        sizes = _session_sizes(rng, BLEND_REQUESTS)
        slot = BLEND_SPAN / len(sizes)  # one session per slot, so sessions never overlap and the span holds
        n = 0
        for s, size in enumerate(sizes):
            t = start + s * slot + rng.uniform(0, 0.5 * slot)
            for _ in range(size):
                if n in harvest:
                    ask = grammar.capitalised(grammar.expand(_BLEND_ASK, rng))
                    request = _place(rng, render(_item(rng), rng), ask, 0.0)
                else:
                    request = _ordinary(rng)
                out.append(record(t, client, request, label(SCENARIO, campaign, n in harvest), rng))
                t += min(rng.lognormvariate(math.log(think), 0.8), 600.0)
                n += 1
    return out


def answer_only_campaigns(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """All four campaigns' records, sorted by (ts, client). Key counts of the single-use, ring and learner
    campaigns scale with ``scale`` (at least 30 keys each); the blend keeps its 40 keys."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive finite number, not {scale!r}")
    out = [*_single_use(rng, scale), *_ring(rng, scale), *_learner(rng, scale), *_blend(rng)]
    out.sort(key=lambda r: (r["ts"], r["client"]))
    return out
