"""Honest users of five apps whose requests *look like* exam items or carry question/answer fields.

What this population stands for. Plenty of honest products put a question, an answer and a reference
into every user turn, because that is their job: a marking tool needs the mark scheme, a document
assistant needs the retrieved passages, a flashcard app sends the card. Seen one request at a time
these turns are shaped like benchmark items; seen over a week they are people doing their work, at
their hours, with their habits. Five apps, about 650 keys:

1. **MarkWell, a marking helper for teachers** (40 keys, 20-80 requests each over the week). A
   teacher fills in "Question / Student answer / Mark scheme" (or pastes all three into the free
   text box with a line of their own) and asks for a mark and feedback. Teachers mark a whole class
   on the same question in one evening sitting, so one question arrives 10-30 times in a row with a
   different student answer each time; now and then they push back on a mark or ask for shorter
   feedback in the same chat, or ask something unrelated (a report comment, a starter activity).
   Some teachers share a school's network address for marking in free periods. Anthropic Messages
   API for most schools, OpenAI chat for a district on the OpenAI-hosted plan.
2. **DocsAsk, a document Q&A (retrieval) assistant** (250 keys, 1-6 requests). The backend builds
   every user turn as "Context:" + retrieved passages + "Question:" + what the person typed, even
   when the person typed "thanks". Five tenants (a logistics firm's policies, a pharma company's HR
   pages, an appliance maker's manuals, a router vendor's manuals, a retailer's legal FAQ); many
   employees ask the same few things in their own words. Office hours, office networks shared by
   many keys. OpenAI chat, and the Responses API for tenants moved to the new backend.
3. **Recall, a spaced-repetition flashcard app** (150 keys, 5-40 requests). The app sends the card
   as "Q: ... / A: ..." with the learner's typed answer and one of "is my answer right?", "explain
   this card", "give me a mnemonic"; short sessions on the bus or before bed; some learners write in
   Spanish, German, French or Portuguese. The iOS build uses the Responses API, Android OpenAI chat.
4. **PassPrep, driving-theory and certification practice** (150 keys, 3-30 requests). A practice
   question with options (A)-(D), the learner's choice and the right answer, and "why is B wrong?",
   "explain" or a question of their own; follow-ups in the same chat carry the tutor's reply.
   OpenAI chat.
5. **ReadUp, English reading comprehension for learners** (60 keys, 10-50 requests). "Passage /
   Question / My answer" and a request to check it, from Spanish, German, French, Portuguese and
   Italian speakers, some asking in their own language; three questions per passage in a row.
   Anthropic Messages API.

Human variation throughout: per-person habits (lower case, no final punctuation, typos at their own
rate), a person's time zone, sleep and working hours, several devices and addresses per person,
school and office addresses shared by several keys, and an app release during the week that
changes each app's template slightly, picked up by each user whenever their app updates.

Provenance: written by an author other than the one who wrote the product's rules, without reading
the product's code or rules; every text (system prompts, questions, passages, answers, replies,
messages) was written for this module.

Size: 650 keys and about 8,500 requests at any ``scale``; an honest population is a false-positive
denominator and keeps its size.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.traffic_scenarios.network import residential_ip
from benchmarks.traffic_scenarios.records import BENIGN, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

__all__ = ["APPS", "END", "SCENARIO", "AppShape", "framed_app_users"]

SCENARIO = "framed_apps"
END = START + 7 * DAY  # a week: teachers' marking only shows its rhythm over several evenings
LATEST_SESSION = END - 3 * HOUR  # the longest sitting (80 items at a couple of minutes) ends inside the week
MINUTE = 60.0

Record = dict[str, Any]


@dataclass(frozen=True)
class AppShape:
    """What the population promises about one app (the tests read these, not the texts)."""

    keys: int
    min_requests: int
    max_requests: int
    apis: tuple[str, ...]
    agent: str  # the app's User-Agent product token


APPS: dict[str, AppShape] = {
    "grading": AppShape(40, 20, 80, ("anthropic", "chat"), "MarkWell"),
    "docs": AppShape(250, 1, 6, ("chat", "responses"), "DocsAsk"),
    "flashcards": AppShape(150, 5, 40, ("responses", "chat"), "Recall"),
    "practice": AppShape(150, 3, 30, ("chat",), "PassPrep"),
    "reading": AppShape(60, 10, 50, ("anthropic",), "ReadUp"),
}


# --------------------------------------------------------------------------------------------------
# People: how they type, when they are awake, which devices they use
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """One person's typing habits, kept for all their messages (people are consistent)."""

    lower: bool  # never uses the shift key
    bare: bool  # never ends with punctuation
    typos: float  # chance per longer word of a slip


def _style(rng: random.Random, careful: float = 0.5) -> Style:
    """A person's habits; ``careful`` is the share of people who type tidily (teachers more than teens)."""
    if rng.random() < careful:
        return Style(False, rng.random() < 0.15, rng.uniform(0.0, 0.015))
    return Style(rng.random() < 0.6, rng.random() < 0.6, rng.uniform(0.01, 0.06))


def _typos(rng: random.Random, text: str, rate: float) -> str:
    """Keyboard slips: swapped, dropped or doubled letters inside some longer words."""
    words = text.split(" ")
    for n, word in enumerate(words):
        if len(word) >= 5 and word.isalpha() and rng.random() < rate:
            i = rng.randrange(1, len(word) - 2)
            op = rng.randrange(3)
            if op == 0:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            elif op == 1:
                word = word[:i] + word[i + 1 :]
            else:
                word = word[:i] + word[i] + word[i:]
            words[n] = word
    return " ".join(words)


def _typed(rng: random.Random, style: Style, text: str) -> str:
    """``text`` as this person would type it (only applied to what people type, never to app frames)."""
    text = _typos(rng, text, style.typos)
    if style.lower:
        text = text.lower()
    if style.bare:
        text = text.rstrip(".!")
    return text


def _weekday(ts: float, tz: float) -> int:
    """Local day of the week, Monday 0 (2026-01-01 was a Thursday)."""
    return (3 + math.floor(((ts - START) / HOUR + tz) / 24)) % 7


def _local_hour(ts: float, tz: float) -> float:
    return ((ts - START) / HOUR + tz) % 24


@dataclass(frozen=True)
class Window:
    """A part of the day people of an app use it in: local hours [lo, hi), how often, and on which days."""

    lo: float
    hi: float
    weight: float
    weekend: float = 1.0  # relative chance of a session in this window on a Saturday or Sunday
    weekday: float = 1.0


def _session_starts(rng: random.Random, count: int, tz: float, windows: Sequence[Window]) -> list[float]:
    """``count`` session start times (UTC) inside the week, at local hours the person is awake and
    using the app, a few hours apart (a second sitting is a separate decision)."""
    out: list[float] = []
    attempts = 0
    while len(out) < count:
        attempts += 1
        window = rng.choices(list(windows), [w.weight for w in windows])[0]
        t = START + rng.randrange(-1, 8) * DAY + (rng.uniform(window.lo, window.hi) - tz) * HOUR
        if not START <= t <= LATEST_SESSION:
            continue
        weekend = _weekday(t, tz) >= 5
        if rng.random() > (window.weekend if weekend else window.weekday):
            continue
        if attempts < 400 and any(abs(t - o) < 3 * HOUR for o in out):
            continue
        out.append(t)
    return sorted(out)


def _split(rng: random.Random, n: int, parts: int) -> list[int]:
    """``n`` requests over ``parts`` sessions, each at least one, unevenly (some sittings run long)."""
    parts = max(1, min(parts, n))
    weights = [rng.lognormvariate(0, 0.5) for _ in range(parts)]
    sizes = [1] * parts
    for _ in range(n - parts):
        sizes[rng.choices(range(parts), weights)[0]] += 1
    return sizes


def _lay_out(rng: random.Random, starts: Sequence[float], sizes: Sequence[int], gap: float) -> list[list[float]]:
    """Request times per session: log-normal think times around ``gap`` seconds, sessions never overlap."""
    out: list[list[float]] = []
    t = START
    for start, size in zip(starts, sizes):
        t = max(start, t + 15 * MINUTE)
        times = []
        for _ in range(size):
            times.append(min(t, END - 1.0))
            t += min(15 * MINUTE, rng.lognormvariate(math.log(gap), 0.6))
        out.append(times)
    return out


@dataclass(frozen=True)
class Exchange:
    """One user turn, the reply it got (history for a follow-up), and whether it opens a new chat."""

    user: str
    reply: str
    fresh: bool = True


def _conversation_requests(system: str, exchanges: Sequence[Exchange]) -> list[Request]:
    """Requests of one session: a follow-up carries the chat so far (user and assistant turns) and keeps
    the same system prompt (one session has one app version); a fresh exchange starts a new chat."""
    out: list[Request] = []
    history: list[dict[str, Any]] = []
    for ex in exchanges:
        if ex.fresh:
            history = []
        turns = [*history, {"role": "user", "content": ex.user}]
        out.append(Request(turns=tuple(turns), system=system))
        history = [*turns, {"role": "assistant", "content": ex.reply}]
    return out


def _emit(
    rng: random.Random, clients: Sequence[Client], times: Sequence[float], requests: Sequence[Request]
) -> list[Record]:
    """Records of one session on one device (``clients`` has one entry per request: an update may land
    mid-week but never mid-sitting, so callers pass the same device for a whole session)."""
    tag = label(SCENARIO, BENIGN, False)
    return [record(t, c, r, tag, rng) for t, c, r in zip(times, clients, requests)]


def _home_ips(rng: random.Random) -> list[str]:
    """A home connection, often a phone on mobile data as well."""
    ips = [residential_ip(rng)]
    if rng.random() < 0.45:
        ips.append(residential_ip(rng))
    return ips


def _site(rng: random.Random) -> str:
    """A school's or office's single NAT address."""
    return residential_ip(rng)


def _count(rng: random.Random, lo: int, hi: int, median: float) -> int:
    """A per-key request count in [lo, hi], log-normal around ``median`` (a few heavy users, many light)."""
    return max(lo, min(hi, round(rng.lognormvariate(math.log(median), 0.55))))


def _pick(rng: random.Random, options: Sequence[str]) -> str:
    return rng.choice(list(options))


def _update_time(rng: random.Random, release: float) -> float:
    """When one person's app picks up a release: most within a day or two, some not this week."""
    if rng.random() < 0.2:
        return END + DAY
    return release + rng.expovariate(1 / (20 * HOUR))


# --------------------------------------------------------------------------------------------------
# 1. MarkWell: teachers marking a class on one question
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One mark-scheme point as the teacher writes it, and ways students actually put it."""

    scheme: str
    said: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    subject: str
    question: str
    marks: int
    points: tuple[Point, ...]
    wrong: tuple[str, ...]  # misconceptions students write down with confidence


ITEMS: tuple[Item, ...] = (
    Item(
        "science",
        "Explain why a metal spoon feels colder than a wooden spoon, even though both are at room temperature.",
        2,
        (
            Point(
                "metal is a good thermal conductor (wood is an insulator)",
                (
                    "metal is a good conductor of heat",
                    "metals conduct heat well and wood doesnt",
                    "the metal is a conducter",
                ),
            ),
            Point(
                "so it transfers energy away from the hand faster",
                (
                    "it takes the heat away from your hand quicker",
                    "heat moves from your hand into the spoon faster",
                    "energy leaves your skin more quickly",
                ),
            ),
        ),
        ("because the metal spoon is actually colder", "metal lets the cold in", "wood keeps warmth inside it"),
    ),
    Item(
        "science",
        "Describe what happens in photosynthesis.",
        3,
        (
            Point(
                "carbon dioxide and water are taken in",
                ("the plant takes in carbon dioxide and water", "it uses CO2 from the air and water from the roots"),
            ),
            Point(
                "light energy is absorbed by chlorophyll / in chloroplasts",
                (
                    "chlorophyll absorbs light",
                    "it happens in the chloroplasts using sunlight",
                    "light energy is needed",
                ),
            ),
            Point(
                "glucose and oxygen are produced",
                (
                    "it makes glucose and oxygen",
                    "oxygen is given off and sugar is made",
                    "the plant makes food (glucose)",
                ),
            ),
        ),
        ("plants breathe in oxygen and breathe out carbon dioxide", "the plant gets its food from the soil"),
    ),
    Item(
        "science",
        "State two differences between a plant cell and an animal cell.",
        2,
        (
            Point(
                "plant cells have a cell wall",
                ("plant cells have a cell wall", "plants have a cell wall made of cellulose"),
            ),
            Point("plant cells have chloroplasts", ("only plant cells have chloroplasts", "plants have chloroplasts")),
            Point(
                "plant cells have a large permanent vacuole",
                ("plant cells have a big vacuole", "a plant cell has a permanent vacuole full of sap"),
            ),
        ),
        ("animal cells don't have a nucleus", "plant cells have no cell membrane"),
    ),
    Item(
        "physics",
        "A ball is thrown straight up. Explain why it slows down as it rises.",
        2,
        (
            Point("gravity / weight acts downwards on the ball", ("gravity pulls it down", "its weight acts downward")),
            Point(
                "so it decelerates; kinetic energy is transferred to gravitational potential energy",
                (
                    "kinetic energy turns into potential energy",
                    "the force is opposite to its motion so it decelerates",
                    "it loses kinetic energy as it gains height",
                ),
            ),
        ),
        ("it runs out of force", "the air pushes it down"),
    ),
    Item(
        "history",
        "Give two reasons why the Great Fire of London spread so quickly in 1666.",
        4,
        (
            Point(
                "houses built of wood / timber", ("the houses were made of wood", "most buildings were timber framed")
            ),
            Point(
                "buildings close together, narrow streets",
                ("the streets were really narrow", "houses were packed close together so fire jumped across"),
            ),
            Point("strong east wind", ("there was a strong wind blowing from the east", "the wind spread the flames")),
            Point("long dry summer, everything dry", ("it had been a hot dry summer", "everything was very dry")),
            Point(
                "no fire brigade / slow to act (Lord Mayor)",
                ("there was no proper fire brigade", "the mayor didnt take it seriously at first"),
            ),
        ),
        ("the fire started in a bakery on purpose", "people didn't have water"),
    ),
    Item(
        "history",
        "Explain one consequence of the invention of the printing press.",
        2,
        (
            Point(
                "identifies a consequence (books cheaper / more widely available / ideas spread)",
                ("books became cheaper", "ideas could spread much faster", "more people could get books"),
            ),
            Point(
                "develops it (e.g. more people learned to read; Reformation ideas spread)",
                (
                    "so more people learned to read",
                    "this helped Luther's ideas spread across Europe",
                    "so the church lost control over what people read",
                ),
            ),
        ),
        ("it meant people could send letters", "it was invented by the Romans"),
    ),
    Item(
        "history",
        "Why did the Berlin Wall come down in 1989?",
        3,
        (
            Point(
                "Gorbachev's reforms / USSR would not intervene",
                ("Gorbachev said the USSR wouldnt send tanks", "because of glasnost and perestroika"),
            ),
            Point(
                "mass protests in East Germany", ("there were huge protests in Leipzig", "people protested every week")
            ),
            Point(
                "East Germans leaving via Hungary / border confusion on 9 November",
                ("people were escaping through Hungary", "a spokesman announced the border was open by mistake"),
            ),
        ),
        ("America knocked it down", "the war ended"),
    ),
    Item(
        "English",
        "Read the opening: 'The station was empty. A single light flickered above platform two. Somewhere, a door "
        "banged, and then nothing.' How does the writer create tension? Refer to language.",
        4,
        (
            Point(
                "identifies a technique (short sentences, silence, darkness)",
                ("the writer uses short sentences", "the short sentence 'then nothing'"),
            ),
            Point("uses a relevant quotation", ("'a single light flickered'", '"a door banged"')),
            Point(
                "explains the effect on the reader",
                ("this makes the reader feel something bad is about to happen", "it makes you feel uneasy and alone"),
            ),
            Point(
                "comments on a specific word choice",
                ("'flickered' suggests the light could go out any second", "the word 'empty' shows isolation"),
            ),
        ),
        ("the writer uses lots of rhyme", "it is tense because it is in the present tense"),
    ),
    Item(
        "English",
        "What is the difference between a simile and a metaphor? Give an example of each.",
        2,
        (
            Point(
                "simile compares using like/as, with example",
                ("a simile uses like or as, e.g. as brave as a lion", "simile: her smile was like sunshine"),
            ),
            Point(
                "metaphor says something is something else, with example",
                ("a metaphor says it is the thing, like 'he is a lion'", "metaphor: the classroom was a zoo"),
            ),
        ),
        ("a metaphor is when you exaggerate", "they are the same thing"),
    ),
    Item(
        "maths",
        "Solve 3x + 7 = 25. Show your working.",
        2,
        (
            Point("subtracts 7 from both sides (3x = 18)", ("3x = 25 - 7 = 18", "take 7 away: 3x=18")),
            Point("x = 6", ("x = 6", "so x=6")),
        ),
        ("x = 32/3", "3x = 32 so x = 10.6"),
    ),
    Item(
        "maths",
        "A jacket costs £60. In a sale the price is reduced by 15%. Work out the sale price.",
        3,
        (
            Point("finds 15% of 60 = 9", ("10% is 6 and 5% is 3 so 15% is 9", "15% of 60 = 9")),
            Point("subtracts from 60", ("60 - 9", "take 9 off 60")),
            Point("£51", ("= £51", "the sale price is £51")),
        ),
        ("£45", "60 - 15 = £45"),
    ),
    Item(
        "maths",
        "Explain why the mean may not be a good average to use for the data 2, 3, 3, 4, 40.",
        2,
        (
            Point("identifies 40 as an outlier", ("40 is an outlier", "40 is much bigger than the rest")),
            Point(
                "it drags the mean up / median better represents the data",
                ("it makes the mean too high", "the median (3) would be better"),
            ),
        ),
        ("because the mean is 3", "there are too many numbers"),
    ),
    Item(
        "geography",
        "Explain two ways people can reduce the risk of flooding in a town.",
        4,
        (
            Point(
                "hard engineering: flood walls / embankments / dams",
                ("build flood walls along the river", "they could make the banks higher (levees)"),
            ),
            Point(
                "explains how it works (holds more water / keeps river in channel)",
                ("so the water stays in the river", "which stops the water reaching the houses"),
            ),
            Point(
                "soft engineering: plant trees / wetlands upstream",
                ("plant trees upstream", "afforestation means more water is intercepted"),
            ),
            Point(
                "planning: don't build on the floodplain / warning systems",
                ("stop building houses on the floodplain", "flood warnings give people time to move things"),
            ),
        ),
        ("pour concrete on the river", "stop it raining"),
    ),
    Item(
        "geography",
        "Describe the water cycle.",
        3,
        (
            Point(
                "evaporation from the sea/land",
                ("water evaporates from the sea", "the sun heats water and it evaporates"),
            ),
            Point("condensation forms clouds", ("it condenses into clouds", "the vapour cools and condenses")),
            Point(
                "precipitation and return (run-off/infiltration)",
                ("it falls as rain", "precipitation then it flows back in rivers"),
            ),
        ),
        ("clouds are made of smoke", "water goes up because it is lighter than air"),
    ),
    Item(
        "computing",
        "What is the difference between RAM and ROM?",
        2,
        (
            Point(
                "RAM is volatile / loses contents when power off; ROM keeps them",
                ("RAM is volatile and ROM isnt", "when you turn it off RAM forgets everything"),
            ),
            Point(
                "RAM holds running programs/data; ROM holds startup instructions (BIOS)",
                ("RAM stores the programs that are open", "ROM has the boot up instructions"),
            ),
        ),
        ("ROM is faster than RAM", "RAM is the hard drive"),
    ),
    Item(
        "economics",
        "Explain what is likely to happen to the price of coffee if a frost destroys part of the harvest in Brazil.",
        3,
        (
            Point(
                "supply falls / supply curve shifts left", ("supply goes down", "the supply curve moves to the left")
            ),
            Point(
                "excess demand at the old price",
                ("there is a shortage at the old price", "demand is now bigger than supply"),
            ),
            Point("price rises (to a new equilibrium)", ("so the price goes up", "the equilibrium price rises")),
        ),
        ("demand falls so the price drops", "the government sets the price"),
    ),
)

MARKWELL_SYSTEM = (
    "You are MarkWell, a marking assistant for school teachers. Each message gives a question, a student's "
    "answer and the teacher's mark scheme. Go through the mark scheme point by point and say which points the "
    "answer earns, quoting the student's words, and which it misses. Then give the mark out of the total and "
    "two or three sentences of feedback written to the student: what they did well and the one thing that would "
    "improve the answer. Credit correct ideas in the student's own words; do not penalise spelling unless the "
    "mark scheme asks for it. If the teacher asks you to change something, keep the rest as it was."
)
MARKWELL_SETTINGS = (
    "",
    "\n\nTeacher settings: feedback tone: encouraging.",
    "\n\nTeacher settings: feedback tone: concise; students aged 11-14.",
    "\n\nTeacher settings: students aged 14-16 (GCSE). Use British spelling.",
    "\n\nTeacher settings: students aged 16-18. Feedback tone: direct.",
)
MARKWELL_V2_NOTE = "\n\nShow your reasoning for each mark before the final mark, so the teacher can check it."

TEACHER_ASKS = (
    "Please mark this and give feedback.",
    "mark this one pls",
    "Can you mark this and write a short comment for the student?",
    "same again:",
    "next one",
    "Mark this out of the total and give feedback.",
    "Could you mark this one? Be fair but not too generous.",
    "another from the same class",
)


def _scheme_text(item: Item, style: int) -> str:
    """The mark scheme as a teacher writes it: their own layout, kept all week."""
    if style == 0:  # each layout carries its own separator after "Mark scheme:" (a list starts on a new line)
        return " " + "; ".join(f"1 mark: {p.scheme}" for p in item.points) + f" (max {item.marks})"
    if style == 1:
        return "\n" + "\n".join(f"- {p.scheme} (1)" for p in item.points) + f"\nTotal {item.marks}"
    return f" Award 1 mark per point, max {item.marks}: " + "; ".join(p.scheme for p in item.points) + "."


def _student_answer(rng: random.Random, item: Item) -> tuple[str, list[int], str]:
    """A student's answer: some mark-scheme points in their own words, maybe a misconception, their own
    spelling. Returns the text, the points it earns and the misconception ("" if none)."""
    ability = rng.betavariate(2.2, 1.6)
    hits = [i for i in range(len(item.points)) if rng.random() < ability]
    parts = [rng.choice(item.points[i].said) for i in hits]
    wrong = ""
    if not parts or rng.random() < (1 - ability) * 0.5:
        wrong = rng.choice(item.wrong)
        parts.insert(rng.randrange(len(parts) + 1), wrong)
    if rng.random() < 0.03:  # the one who wrote nothing useful
        return rng.choice(["idk", "I don't know", "not sure", "-"]), [], ""
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice([". ", " and ", ", ", ". Also ", " "]) + part
    student = Style(rng.random() < 0.4, rng.random() < 0.5, rng.uniform(0.0, 0.12))
    text = _typed(rng, student, text[0].upper() + text[1:] + ".")
    return text, hits, wrong


def _marking_reply(item: Item, hits: Sequence[int], wrong: str) -> str:
    lines = ["Going through the mark scheme:"]
    for i, point in enumerate(item.points):
        if i in hits:
            lines.append(f"- {point.scheme}: awarded, the answer covers this.")
        else:
            lines.append(f"- {point.scheme}: not awarded, this is not in the answer.")
    if wrong:
        lines.append(f'- The statement "{wrong}" is not correct and earns no credit.')
    mark = min(item.marks, len(hits))
    lines.append(f"\nMark: {mark}/{item.marks}")
    missing = [p.scheme for i, p in enumerate(item.points) if i not in hits]
    if mark == item.marks:
        feedback = "Well done: you covered everything the question asked for, clearly and in your own words."
    elif mark:
        feedback = f"Good start, you have the right idea in places. To improve, add this: {missing[0]}."
    else:
        feedback = f"This needs another look. Start from the key idea ({item.points[0].scheme}) and build from there."
    if wrong:
        feedback += " Check your notes on the part that isn't right, so it doesn't cost you marks next time."
    lines.append(f"\nFeedback: {feedback}")
    return "\n".join(lines)


def _teacher_follow_up(rng: random.Random, item: Item, hits: Sequence[int]) -> Exchange:
    mark = min(item.marks, len(hits))
    model = ". ".join(p.said[0][0].upper() + p.said[0][1:] for p in item.points[: item.marks]) + "."
    options = [
        (
            "Can you make the feedback shorter? One sentence.",
            "Feedback: "
            + (
                "Excellent, full marks."
                if mark == item.marks
                else "Good start; add the missing point to get full marks."
            ),
        ),
        ("What would a full-mark answer look like?", f"A full-mark answer could read: {model}"),
        (
            "rewrite the feedback so a year 7 would understand it",
            "Feedback: You got some of it right. Next time, try to say why it happens as well as what happens.",
        ),
    ]
    if mark < item.marks:
        options.append(
            (
                "I think the second point is implied there. Would you give one more mark?",
                f"That is a reasonable reading. If you credit it as implied, the mark becomes {mark + 1}/{item.marks}. "
                "I'd mention in the feedback that it should be stated explicitly next time.",
            )
        )
    else:
        options.append(
            (
                "Isn't that a bit generous?",
                "Each mark-scheme point is there in the student's words, so I'd keep full marks. If your department "
                "expects the technical terms, you could hold back one mark and say so in the feedback.",
            )
        )
    text, reply = rng.choice(options)
    return Exchange(text, reply, fresh=False)


TEACHER_ASIDES: tuple[tuple[str, str], ...] = (
    (
        "Write a short report comment for a student who has improved a lot in homework but chats in lessons.",
        "Sam has made real progress this term: homework is now complete, careful and on time. The next step is to "
        "bring the same focus to lessons, where chatting sometimes gets in the way of his learning.",
    ),
    (
        "can you suggest a 10 minute starter for a year 8 lesson on the water cycle",
        "Try 'Where did this raindrop come from?': show a photo of a puddle and give pairs three minutes to trace the "
        "drop backwards through the cycle, then share and build the class diagram on the board.",
    ),
    (
        "What's a good way to explain percentages to a student who finds them scary?",
        "Start from money: 10% of £60 is £6, 5% is half of that. Build every percentage from 10%, 5% and 1%, and "
        "let the student check with a calculator until they trust their own method.",
    ),
    ("thanks, that's the lot for tonight", "You're welcome. Good luck with the rest of the week!"),
    (
        "Give me three extension questions for the top set on this topic.",
        "1. Why might the answer change in a different situation? 2. What evidence would convince a sceptic? "
        "3. Which part of the explanation is the weakest, and how could it be tested?",
    ),
)


@dataclass(frozen=True)
class Teacher:
    key: str
    tz: float
    style: Style
    scheme_style: int
    paste_mode: bool  # types the three fields into the free-text box with their own line
    settings: str
    api: str
    model: str
    home: list[str]
    school: str | None  # the school's NAT address if they sometimes mark there
    updated: float
    ipad: bool


GRADING_RELEASE = START + 4 * DAY + 6 * HOUR  # MarkWell 2.5 goes out on Monday morning
GRADING_WINDOWS = (
    Window(19.0, 22.5, 0.72, weekend=0.5),  # the evening pile
    Window(12.0, 15.5, 0.14, weekend=0.0),  # a free period at school
    Window(14.0, 18.0, 0.14, weekend=1.0, weekday=0.1),  # Sunday afternoon catch-up
)
# Teachers whose school runs MarkWell on its network use their free periods for it more often.
SCHOOL_WINDOWS = (GRADING_WINDOWS[0], Window(12.0, 15.5, 0.4, weekend=0.0), GRADING_WINDOWS[2])


def _markwell_agent(teacher: Teacher, t: float, on_ipad: bool) -> str:
    version = "2.5.0" if t >= teacher.updated else "2.4.3"
    return f"MarkWell/{version} ({'iPadOS 18.1' if on_ipad else 'web'})"


def _marking_message(rng: random.Random, teacher: Teacher, item: Item, answer: str, v2: bool, ask: str) -> str:
    scheme = _scheme_text(item, teacher.scheme_style)
    if teacher.paste_mode:  # their own words around the three pasted fields
        lead = _typed(rng, teacher.style, ask)
        return f"{lead}\n\nQuestion: {item.question}\nStudent answer: {answer}\nMark scheme:{scheme}"
    if v2:  # 2.5 puts the marks in the question line and each field on its own lines
        return (
            f"Question ({item.marks} marks): {item.question}\n\nStudent answer:\n{answer}\n\nMark scheme:\n"
            + scheme.strip()
            + "\n\nPlease mark this answer and write feedback for the student."
        )
    return f"Question: {item.question}\nStudent answer: {answer}\nMark scheme:{scheme}"


def _markwell(rng: random.Random) -> list[Record]:
    out: list[Record] = []
    schools = [_site(rng) for _ in range(3)]
    for n_teacher in range(APPS["grading"].keys):
        api = "chat" if n_teacher % 5 == 4 else "anthropic"  # one district in five is on the OpenAI plan
        teacher = Teacher(
            key=new_key(rng),
            tz=rng.choice([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, -5.0, -5.0, -6.0, -8.0]),
            style=_style(rng, careful=0.75),
            scheme_style=rng.randrange(3),
            paste_mode=rng.random() < 0.35,
            settings=rng.choice(MARKWELL_SETTINGS),
            api=api,
            model=rng.choice(["claude-sonnet-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"])
            if api == "anthropic"
            else rng.choice(["gpt-4.1", "gpt-4.1-mini"]),
            home=_home_ips(rng),
            school=schools[n_teacher % 3] if n_teacher < 15 else None,  # five colleagues at each of three schools
            updated=_update_time(rng, GRADING_RELEASE),
            ipad=rng.random() < 0.3,
        )
        n = rng.randint(20, 80) if n_teacher >= 2 else (20, 80)[n_teacher]  # the range's ends are real people too
        sizes = _split(rng, n, max(2, round(n / rng.uniform(11, 22))))
        windows = SCHOOL_WINDOWS if teacher.school else GRADING_WINDOWS
        starts = _session_starts(rng, len(sizes), teacher.tz, windows)
        for times in _lay_out(rng, starts, sizes, gap=rng.uniform(50, 110)):
            at_school = teacher.school is not None and 8 <= _local_hour(times[0], teacher.tz) < 17
            on_ipad = teacher.ipad and not at_school and rng.random() < 0.5
            ips = [teacher.school] if at_school and teacher.school else teacher.home
            client = Client(teacher.key, teacher.api, teacher.model, _markwell_agent(teacher, times[0], on_ipad), ips)
            v2 = times[0] >= teacher.updated
            system = MARKWELL_SYSTEM + teacher.settings + (MARKWELL_V2_NOTE if v2 else "")
            items = rng.sample(ITEMS, 2)  # tonight's pile: one or two questions, a class's worth each
            exchanges: list[Exchange] = []
            while len(exchanges) < len(times):
                item = items[0] if len(exchanges) < len(times) * rng.uniform(0.5, 1.0) else items[1]
                roll = rng.random()
                if roll < 0.03:
                    text, reply = rng.choice(TEACHER_ASIDES)
                    exchanges.append(Exchange(_typed(rng, teacher.style, text), reply))
                    continue
                answer, hits, wrong = _student_answer(rng, item)
                ask = rng.choice(TEACHER_ASKS)
                message = _marking_message(rng, teacher, item, answer, v2, ask)
                exchanges.append(Exchange(message, _marking_reply(item, hits, wrong)))
                if roll > 0.88 and len(exchanges) < len(times):  # pushes back or asks for a change
                    follow = _teacher_follow_up(rng, item, hits)
                    exchanges.append(Exchange(_typed(rng, teacher.style, follow.user), follow.reply, fresh=False))
            requests = _conversation_requests(system, exchanges[: len(times)])
            out += _emit(rng, [client] * len(times), times, requests)
    return out


# --------------------------------------------------------------------------------------------------
# 2. DocsAsk: retrieval Q&A over company documents
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk and what people ask that it answers: (ways of asking, the answer; {n} is the
    passage's number in the context)."""

    title: str
    text: str
    asks: tuple[tuple[tuple[str, ...], str], ...]


@dataclass(frozen=True)
class Tenant:
    name: str
    system: str
    passages: tuple[Passage, ...]
    keys: int
    tz: float
    offices: int  # office NAT addresses the employees share


NORTHWIND = Tenant(
    "Northwind Logistics",
    "You are the policy assistant for Northwind Logistics employees. Answer the question using only the "
    "context passages provided with it, and cite the passage number in square brackets, e.g. [2]. If the context "
    "does not contain the answer, say you could not find it in the policies and suggest contacting "
    "people@northwind-logistics.example. Keep answers short and plain.",
    (
        Passage(
            "Expenses Policy v4, section 3: Meals",
            "When travelling on company business, employees may claim meals up to £35 per day in the UK and up to "
            "£50 per day abroad. Alcohol cannot be claimed. Itemised receipts are required for every claim over "
            "£10 and must be uploaded to Expensify within 30 days.",
            (
                (
                    (
                        "How much can I claim for food when I travel?",
                        "whats the daily meal allowance abroad",
                        "do I need receipts for a coffee",
                        "Can I expense a beer with dinner on a work trip?",
                    ),
                    "You can claim up to £35 a day for meals in the UK and £50 a day abroad; alcohol can't be claimed. "
                    "Receipts are needed for anything over £10, uploaded within 30 days [{n}].",
                ),
            ),
        ),
        Passage(
            "Travel Policy, section 2: Booking",
            "All flights and hotels must be booked through the TravelDesk portal at least 14 days in advance where "
            "possible. Economy class is standard for flights under 6 hours; premium economy may be approved by a "
            "director for longer flights. Rail travel is preferred for journeys under 4 hours.",
            (
                (
                    (
                        "can I fly business class to Singapore",
                        "Do I have to book hotels through TravelDesk?",
                        "how far in advance should i book flights",
                        "is premium economy allowed",
                    ),
                    "Book flights and hotels through TravelDesk, ideally 14+ days ahead. Economy is standard under 6 "
                    "hours; for longer flights a director can approve premium economy. Business class isn't "
                    "mentioned [{n}].",
                ),
            ),
        ),
        Passage(
            "Hybrid Working Guidelines",
            "Office-based staff are expected in the office at least two days a week, agreed with their line "
            "manager. Working from another country for more than 10 working days a year needs HR approval because "
            "of tax and insurance rules. A one-off home office allowance of £150 is available on request.",
            (
                (
                    (
                        "How many days a week do I have to be in the office?",
                        "can i work from spain for 3 weeks",
                        "is there a budget for a desk chair at home",
                        "do we get a home office allowance",
                    ),
                    "Two office days a week, agreed with your manager. Working abroad for more than 10 working days a "
                    "year needs HR approval, and there's a one-off £150 home office allowance on request [{n}].",
                ),
            ),
        ),
        Passage(
            "Annual Leave",
            "Full-time employees receive 25 days of annual leave plus bank holidays, rising by one day for each "
            "two years of service up to 28 days. Up to 5 unused days may be carried into the next leave year and "
            "must be used by 31 March. Leave is requested in Workday.",
            (
                (
                    (
                        "how many holiday days do I get",
                        "Can I carry over leave to next year?",
                        "when do carried over days expire",
                        "do we get more holiday after a few years",
                    ),
                    "25 days plus bank holidays, going up a day every two years of service to 28. You can carry over "
                    "up to 5 days, to be used by 31 March [{n}].",
                ),
            ),
        ),
        Passage(
            "IT Security Standard, section 5: Devices",
            "Company data may only be accessed from managed devices or through the virtual desktop. Personal "
            "phones may be used for email and Teams if the Intune app is installed. Lost or stolen devices must be "
            "reported to the Service Desk within 24 hours.",
            (
                (
                    (
                        "Can I read work email on my own phone?",
                        "i lost my laptop what do i do",
                        "am I allowed to use my personal laptop for work",
                    ),
                    "Personal phones are fine for email and Teams with the Intune app; otherwise use a managed device "
                    "or the virtual desktop. Report a lost or stolen device to the Service Desk within 24 hours [{n}].",
                ),
            ),
        ),
    ),
    keys=70,
    tz=0.0,
    offices=2,
)

HALVORSEN = Tenant(
    "Halvorsen Pharma",
    "You answer questions from Halvorsen Pharma employees about HR topics. Use only the passages in the "
    "context. Quote the relevant rule, give the passage number like [1], and reply in the language of the "
    "question. When the passages do not cover the question, say so and refer the employee to their HR "
    "business partner.",
    (
        Passage(
            "HR-Richtlinie Elternzeit / Parental leave (EN summary)",
            "Employees in Germany are entitled to up to three years of parental leave per child under the BEEG. "
            "Halvorsen tops up the statutory parental allowance to 80% of net salary for the first 12 weeks. "
            "Parental leave must be requested in writing at least seven weeks before it starts.",
            (
                (
                    (
                        "How long can I take parental leave?",
                        "Does the company top up Elterngeld?",
                        "wie früh muss ich Elternzeit beantragen?",
                        "how much notice for parental leave",
                    ),
                    "Up to three years per child; Halvorsen tops up the statutory allowance to 80% of net pay for the "
                    "first 12 weeks. Request it in writing at least seven weeks before it starts [{n}].",
                ),
            ),
        ),
        Passage(
            "Sick leave and certificates",
            "If you are ill, inform your manager before your shift starts. From the fourth calendar day of illness a "
            "medical certificate (eAU) is required; your doctor transmits it electronically. Salary continues for "
            "six weeks per illness.",
            (
                (
                    (
                        "When do I need a sick note?",
                        "ab wann brauche ich eine Krankmeldung",
                        "do i have to send the doctor's note myself",
                        "how long is sick pay paid",
                    ),
                    "Tell your manager before your shift starts; from the fourth day of illness you "
                    "need a certificate, "
                    "which your doctor sends electronically. Pay continues for six weeks per illness [{n}].",
                ),
            ),
        ),
        Passage(
            "Training budget",
            "Each employee has an individual training budget of EUR 1,500 per calendar year for courses, "
            "conferences and certifications related to their role. Requests over EUR 500 need approval from the "
            "department head. Unused budget does not carry over.",
            (
                (
                    (
                        "What's my training budget?",
                        "can I use the training budget for a language course",
                        "does unused training money roll over",
                        "who approves a 900 euro course",
                    ),
                    "EUR 1,500 per calendar year for role-related courses, conferences and certifications; anything "
                    "over EUR 500 needs your department head's approval, and unused budget doesn't carry over [{n}].",
                ),
            ),
        ),
        Passage(
            "Company car policy",
            "Company cars are provided from job grade E5. Private use is taxed at 1% of the list price per month "
            "(0.25% for electric cars). Fuel cards may be used for private trips within Germany only.",
            (
                (
                    (
                        "Do I get a company car?",
                        "how is private use of the company car taxed",
                        "can i use the fuel card on holiday in Italy",
                    ),
                    "Company cars start at grade E5. Private use is taxed at 1% of list price a month (0.25% for "
                    "electric), and the fuel card only covers private trips within Germany [{n}].",
                ),
            ),
        ),
        Passage(
            "Onboarding checklist",
            "In your first week you will receive your badge, laptop and access to SAP SuccessFactors. Complete the "
            "GMP basic training and the data protection e-learning within 30 days. Your buddy will introduce you to "
            "the site safety rules on day one.",
            (
                (
                    (
                        "What training do I have to finish in my first month?",
                        "when do i get my laptop",
                        "what is due in the first 30 days",
                    ),
                    "Your badge, laptop and SuccessFactors access come in week one; the GMP basics and data protection "
                    "e-learning must be done within 30 days [{n}].",
                ),
            ),
        ),
    ),
    keys=50,
    tz=1.0,
    offices=2,
)

BRAVA = Tenant(
    "Brava Home",
    "You are the help assistant for Brava Home appliances. Answer the customer's question from the manual "
    "excerpts in the context, step by step where there are steps, and cite the excerpt number like [3]. Never "
    "invent settings or part numbers that are not in the context; if the context doesn't cover it, suggest "
    "contacting Brava support.",
    (
        Passage(
            "Brava 200 Espresso, Manual p.18: Descaling",
            "Descale the machine every 2 months, or when the orange drop symbol lights up. Fill the tank with 0.5 l "
            "water and one sachet of Brava descaler, place a 1 l container under the spout, and hold the steam "
            "and cup buttons together for 5 seconds. The cycle takes about 25 minutes. Rinse the tank and run one "
            "full tank of clean water afterwards.",
            (
                (
                    (
                        "how do I descale my machine",
                        "The orange drop light is on, what does it mean?",
                        "how long does descaling take",
                        "can I use vinegar to descale",
                    ),
                    "The orange drop means it's time to descale. Steps: 1) 0.5 l water plus one sachet of Brava "
                    "descaler in the tank; 2) a 1 l container under the spout; 3) hold steam + cup buttons for 5 s. "
                    "It takes about 25 minutes; then rinse and run a full tank of clean water [{n}]. Vinegar isn't "
                    "mentioned in the manual.",
                ),
            ),
        ),
        Passage(
            "Brava 200 Espresso, Manual p.22: Troubleshooting",
            "Coffee runs too fast: the grind is too coarse or the tamp too light; choose a finer grind setting. "
            "No water comes out: check that the tank is seated correctly and run the descaling programme. Water "
            "under the machine: empty the drip tray, which holds 0.4 l.",
            (
                (
                    (
                        "my coffee comes out really fast and watery",
                        "no water coming out of the espresso machine",
                        "theres water under my machine",
                    ),
                    "Fast, watery coffee usually means the grind is too coarse or the tamp too light, so try a finer "
                    "setting. No water: reseat the tank and descale. Water underneath: empty the drip tray [{n}].",
                ),
            ),
        ),
        Passage(
            "Brava DW45 Dishwasher, Manual p.9: Error codes",
            "E1: water supply problem; check the tap is open and the inlet hose is not kinked. E4: water in the "
            "base tray; switch off, unplug and call service. E9: door not closed; press until it clicks.",
            (
                (
                    ("dishwasher shows E1", "What does E4 mean on the DW45?", "my dishwasher says E9"),
                    "E1 is a water supply problem (open the tap, check the hose isn't kinked); E4 means water in the "
                    "base tray, so switch off, unplug and call service; E9 means the door isn't fully closed [{n}].",
                ),
            ),
        ),
        Passage(
            "Brava DW45 Dishwasher, Manual p.14: Programmes",
            "Eco 50°C is the most efficient programme for normally soiled dishes and takes 3 h 35 min. Quick 35' is "
            "for lightly soiled loads and does not dry. Intensive 70°C is for pans.",
            (
                (
                    (
                        "why does eco take so long",
                        "Which programme for pots and pans?",
                        "the quick program leaves everything wet",
                    ),
                    "Eco 50°C saves energy by running longer (3 h 35 min). Use Intensive 70°C for pans; Quick 35' "
                    "doesn't include drying, so wet dishes are expected [{n}].",
                ),
            ),
        ),
    ),
    keys=45,
    tz=-5.0,
    offices=1,
)

LUMEN = Tenant(
    "Lumen Networks",
    "You are Lumen Networks' support assistant. Use the manual sections in the context to answer; give numbered "
    "steps for procedures and cite the section like [1]. Do not guess at anything the context doesn't say.",
    (
        Passage(
            "AX3000 Router Guide, 4.2: Factory reset",
            "With the router powered on, press and hold the recessed RESET button on the back for 10 seconds with "
            "a paperclip until the status LED flashes amber. The router restarts with the default Wi-Fi name and "
            "password printed on the label underneath. All settings are erased.",
            (
                (
                    (
                        "How do I factory reset the router?",
                        "forgot my wifi password how do i reset",
                        "what happens if i press reset",
                    ),
                    "1) Keep the router on. 2) Hold the recessed RESET button for 10 s with a paperclip until the LED "
                    "flashes amber. 3) Reconnect using the Wi-Fi name and password on the label underneath. Note that "
                    "all settings are erased [{n}].",
                ),
            ),
        ),
        Passage(
            "AX3000 Router Guide, 5.1: Guest network",
            "Open the Lumen app, go to Wi-Fi > Guest network and switch it on. You can set a separate password and a "
            "time limit of 1, 4 or 24 hours. Guests cannot see devices on your main network.",
            (
                (
                    (
                        "how do i set up a guest wifi",
                        "Can guests see my printer?",
                        "can the guest network turn off by itself",
                    ),
                    "In the Lumen app: Wi-Fi > Guest network > on. You can give it its own password and a 1, 4 or "
                    "24-hour limit; guests can't see devices on your main network [{n}].",
                ),
            ),
        ),
        Passage(
            "AX3000 Router Guide, 7.3: LED status",
            "Solid white: connected. Pulsing white: starting up. Solid amber: no internet connection, check the cable "
            "to the modem. Flashing amber: reset in progress or firmware update; do not unplug.",
            (
                (
                    ("the light on my router is orange", "What does pulsing white mean?", "router light solid amber"),
                    "Solid amber means no internet connection, so check the cable to the modem. Pulsing white is "
                    "start-up, and flashing amber is a reset or update in progress, so don't unplug it [{n}].",
                ),
            ),
        ),
        Passage(
            "Mesh Node M2 Quick Start, 2: Placement",
            "Place each node no more than two rooms away from the router, off the floor and away from microwaves "
            "and fish tanks. The app shows a signal rating after setup; 'Good' or 'Excellent' is recommended.",
            (
                (
                    (
                        "where should I put the mesh node",
                        "my mesh node says weak signal",
                        "can the node go in the garage",
                    ),
                    "Keep each node within two rooms of the router, off the floor and away from microwaves and fish "
                    "tanks, and aim for a 'Good' or 'Excellent' rating in the app. Whether the garage works depends on "
                    "that rating [{n}].",
                ),
            ),
        ),
    ),
    keys=35,
    tz=-6.0,
    offices=1,
)

KESTREL = Tenant(
    "Kestrel Outdoor",
    "You help Kestrel Outdoor's customer service team answer legal and policy questions. Answer only from the "
    "FAQ passages in the context and cite them like [2]. This is general information, not legal advice; for "
    "anything the FAQ does not cover, say it should go to the legal team.",
    (
        Passage(
            "Returns FAQ",
            "Customers may return unused items within 30 days of delivery for a full refund. Under EU distance "
            "selling rules, online customers in the EU have a statutory 14-day right of withdrawal without giving a "
            "reason. Refunds are issued to the original payment method within 14 days of receiving the return.",
            (
                (
                    (
                        "can a customer return a used tent",
                        "how long does a refund take?",
                        "Does the 14 day withdrawal apply to store purchases?",
                        "what's our return window",
                    ),
                    "Unused items can be returned within 30 days of delivery; EU online customers also have the "
                    "statutory 14-day withdrawal right. Refunds go to the original payment method within 14 days of "
                    "receiving the return [{n}]. Used items and in-store purchases aren't addressed here.",
                ),
            ),
        ),
        Passage(
            "Warranty FAQ",
            "Kestrel products carry a 2-year warranty against manufacturing defects. Damage from misuse, normal wear "
            "and tear, or repairs by third parties is not covered. Proof of purchase is required; the order number "
            "is sufficient for online orders.",
            (
                (
                    (
                        "Is a broken zip covered by the warranty?",
                        "customer has no receipt, can we still do warranty",
                        "how long is the warranty on jackets",
                    ),
                    "Products have a 2-year warranty for manufacturing defects, not misuse, wear and tear or "
                    "third-party repairs. Proof of purchase is needed, but the order number is enough for online "
                    "orders [{n}].",
                ),
            ),
        ),
        Passage(
            "Data Protection FAQ: Subject access requests",
            "Under the GDPR, customers can ask for a copy of their personal data. Requests must be answered within "
            "one month, extendable by two further months for complex requests. Verify the customer's identity before "
            "releasing data. Forward all requests to privacy@kestrel-outdoor.example.",
            (
                (
                    (
                        "a customer wants all the data we hold on them, what do I do?",
                        "how long do we have to answer a GDPR request",
                        "do I need to check ID for a data request",
                    ),
                    "Forward the request to privacy@kestrel-outdoor.example. It must be answered within one month "
                    "(extendable by two months if complex), and the customer's identity must be verified first [{n}].",
                ),
            ),
        ),
        Passage(
            "Terms of Sale FAQ: Pricing errors",
            "If an item is listed at an obviously incorrect price, Kestrel may cancel the order before dispatch and "
            "refund the customer in full. Once an order has been dispatched, the contract is formed and the listed "
            "price applies.",
            (
                (
                    (
                        "we listed boots for 9.99 by mistake, do we have to honour it",
                        "can we cancel an order with a wrong price",
                    ),
                    "If the price is obviously wrong you can cancel before dispatch with a full "
                    "refund; once the order is "
                    "dispatched the contract is formed and the listed price applies [{n}].",
                ),
            ),
        ),
    ),
    keys=50,
    tz=1.0,
    offices=2,
)

TENANTS = (NORTHWIND, HALVORSEN, BRAVA, LUMEN, KESTREL)

# Things people type into a document assistant that the passages do not answer; the backend retrieves
# passages anyway and frames them the same way.
DOCS_ASIDES: tuple[tuple[str, str], ...] = (
    ("thanks!", "You're welcome!"),
    ("ok that helps, thank you", "Glad it helped."),
    (
        "Can I bring my dog to the office?",
        "I couldn't find anything about pets in the documents provided, so it's best to ask your manager or HR.",
    ),
    ("who wrote these policies", "The passages don't say who wrote them."),
    ("hello", "Hi! Ask me anything about the documents and I'll look it up."),
    (
        "can you say that in german",
        "Gern: Die Antwort steht in den Unterlagen oben; bitte lies den zitierten Abschnitt.",
    ),
)
DOCS_RELEASE = START + 5 * DAY + 8 * HOUR  # the new backend template goes live on Tuesday morning
DOCS_WINDOWS = (Window(9.0, 12.5, 0.55, weekend=0.03), Window(13.5, 17.5, 0.45, weekend=0.03))


def _context_block(rng: random.Random, tenant: Tenant, passage: Passage, v2: bool) -> tuple[str, int]:
    """What retrieval returns: the matching chunk and one or two neighbours, in score order (the right one
    is usually, not always, first). Returns the block and the matching chunk's number."""
    others = rng.sample([p for p in tenant.passages if p is not passage], rng.randint(1, 2))
    chunks = [passage, *others]
    if rng.random() < 0.3:
        rng.shuffle(chunks)
    number = chunks.index(passage) + 1
    if v2:  # the new backend: markdown headings and separators
        body = "\n---\n".join(f"### [{i}] {p.title}\n{p.text}" for i, p in enumerate(chunks, 1))
    else:
        body = "\n\n".join(f"[{i}] {p.title}\n{p.text}" for i, p in enumerate(chunks, 1))
    return body, number


def _docs_message(context: str, question: str, v2: bool) -> str:
    if v2:
        return f"Context:\n{context}\n\nQuestion: {question}\nAnswer from the context only."
    return f"Context:\n{context}\n\nQuestion: {question}"


def _docsask(rng: random.Random) -> list[Record]:
    out: list[Record] = []
    for tenant in TENANTS:
        offices = [_site(rng) for _ in range(tenant.offices)]
        new_backend = tenant.name in ("Brava Home", "Kestrel Outdoor")  # on the Responses API already
        for _ in range(tenant.keys):
            key, style = new_key(rng), _style(rng, careful=0.55)
            tz = tenant.tz + rng.choice([0.0, 0.0, 0.0, 0.0, 1.0, -1.0])  # a few colleagues elsewhere
            api = "responses" if new_backend else "chat"
            model = "gpt-5-mini" if api == "responses" else rng.choice(["gpt-4.1-mini", "gpt-4.1-mini", "gpt-4o"])
            ips = [rng.choice(offices)] if rng.random() < 0.75 else _home_ips(rng)  # office, or working from home
            n = rng.choices(range(1, 7), [30, 25, 18, 12, 8, 7])[0]
            sizes = _split(rng, n, 1 if n < 3 or rng.random() < 0.6 else 2)
            starts = _session_starts(rng, len(sizes), tz, DOCS_WINDOWS)
            for times in _lay_out(rng, starts, sizes, gap=rng.uniform(45, 140)):
                v2 = times[0] >= DOCS_RELEASE  # server-side: everyone changes at once
                version = "2.0.1" if v2 else "1.9.4"
                agent = f"DocsAsk/{version} (+{tenant.name.split()[0].lower()}) python-httpx/0.27.2"
                client = Client(key, api, model, agent, ips)
                passage = rng.choice(tenant.passages)
                exchanges: list[Exchange] = []
                for i in range(len(times)):
                    fresh = i == 0 or rng.random() < 0.35  # "new question" button, or keeps chatting
                    if i and rng.random() < 0.15:
                        question, answer = rng.choice(DOCS_ASIDES)
                    else:
                        if fresh or rng.random() < 0.5:
                            passage = rng.choice(tenant.passages)
                        phrasings, answer = rng.choice(passage.asks)
                        question = rng.choice(phrasings)
                    context, number = _context_block(rng, tenant, passage, v2)
                    reply = answer.replace("{n}", str(number))
                    exchanges.append(Exchange(_docs_message(context, _typed(rng, style, question), v2), reply, fresh))
                requests = _conversation_requests(tenant.system, exchanges)
                out += _emit(rng, [client] * len(times), times, requests)
    return out


# --------------------------------------------------------------------------------------------------
# 3. Recall: flashcard reviews
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A card in someone's deck, answers people type for it (right, half right, wrong) and what the
    helper says when asked to explain it or give a memory hook."""

    deck: str
    q: str
    a: str
    right: tuple[str, ...]
    partial: tuple[str, ...]
    wrong: tuple[str, ...]
    explain: str
    mnemonic: str


CARDS: dict[str, tuple[Card, ...]] = {
    "en": (
        Card(
            "Biology 101",
            "What is the function of mitochondria?",
            "Release energy from glucose by aerobic respiration (make ATP)",
            ("they make ATP", "aerobic respiration, releases energy"),
            ("energy",),
            ("they make proteins", "photosynthesis"),
            "Mitochondria are where aerobic respiration happens: glucose and oxygen are turned into carbon dioxide and "
            "water, and the energy released is stored as ATP that the rest of the cell uses.",
            "Think 'mighty-chondria': the mighty power station of the cell.",
        ),
        Card(
            "Biology 101",
            "Which blood vessels carry blood away from the heart?",
            "Arteries",
            ("arteries", "artery"),
            ("the big ones",),
            ("veins", "capillaries"),
            "Arteries carry blood away from the heart under high pressure, which is why their walls are thick and "
            "muscular. Veins bring it back at low pressure and have valves.",
            "A for Arteries, A for Away.",
        ),
        Card(
            "Pharmacology",
            "Antidote for paracetamol overdose?",
            "Acetylcysteine (N-acetylcysteine, NAC)",
            ("N-acetylcysteine", "NAC", "acetylcysteine"),
            ("some kind of cysteine",),
            ("naloxone", "flumazenil"),
            "Acetylcysteine replenishes glutathione, which the liver needs to neutralise the toxic paracetamol "
            "metabolite NAPQI. It works best when started within 8 hours of ingestion.",
            "'NAC the NAPQI': NAC knocks out NAPQI.",
        ),
        Card(
            "Pharmacology",
            "Main side effect to monitor with ACE inhibitors?",
            "Dry cough (also hyperkalaemia, angioedema)",
            ("dry cough", "cough"),
            ("high potassium",),
            ("weight gain", "hair loss"),
            "ACE also breaks down bradykinin; blocking it lets bradykinin build up in the airways, causing a dry "
            "cough. Potassium and kidney function are monitored too.",
            "ACE inhibitors make you 'ACE-choo' cough.",
        ),
        Card(
            "World history",
            "In what year did the French Revolution begin?",
            "1789",
            ("1789",),
            ("1780s", "around 1790"),
            ("1776", "1815"),
            "The storming of the Bastille on 14 July 1789 is taken as the start, after the Estates-General met in "
            "May of that year.",
            "17-89: the Bastille fell, 'Seven-teen eighty-nine, the prison's no longer fine'.",
        ),
        Card(
            "World history",
            "Who was the first emperor of Rome?",
            "Augustus (Octavian)",
            ("Augustus", "octavian"),
            ("caesar augustus I think",),
            ("Julius Caesar", "Nero"),
            "Julius Caesar was dictator but never emperor. His adopted heir Octavian took the title Augustus in "
            "27 BC, which counts as the start of the Empire.",
            "August is the month named after the first emperor.",
        ),
        Card(
            "Geography",
            "Capital of Australia?",
            "Canberra",
            ("Canberra", "canberra"),
            ("Canbera",),
            ("Sydney", "Melbourne"),
            "Canberra was built as a compromise because Sydney and Melbourne both wanted to be the capital.",
            "Can-berra: you CAN'T pick Sydney or Melbourne.",
        ),
        Card(
            "Geography",
            "Longest river in Africa?",
            "The Nile",
            ("nile", "the Nile"),
            ("the Nile or the Congo",),
            ("Congo", "Niger"),
            "The Nile flows about 6,650 km north to the Mediterranean; the Congo is the deepest and carries more "
            "water, but it is shorter.",
            "The Nile is a 'Nile-long' river.",
        ),
        Card(
            "Chemistry",
            "What is the pH of a neutral solution at 25°C?",
            "7",
            ("7", "pH 7"),
            ("around 7",),
            ("0", "14"),
            "At 25°C pure water has equal concentrations of H+ and OH- ions, 10^-7 mol/L each, so pH = 7.",
            "Neutral is in the middle of 0 to 14: seven.",
        ),
        Card(
            "Chemistry",
            "What type of bond forms between Na and Cl in table salt?",
            "Ionic bond",
            ("ionic", "an ionic bond"),
            ("electrons are transferred",),
            ("covalent", "metallic"),
            "Sodium gives up one electron to chlorine; the resulting Na+ and Cl- ions attract each other. That "
            "electrostatic attraction is the ionic bond.",
            "Ionic: metal + non-metal, 'I own it' because one atom takes the electron.",
        ),
        Card(
            "Contract law",
            "What are the essential elements of a valid contract?",
            "Offer, acceptance, consideration, intention to create legal relations",
            (
                "offer acceptance consideration intention",
                "offer, acceptance, consideration and intention to be legally bound",
            ),
            ("offer and acceptance",),
            ("a signature", "a lawyer"),
            "All four must be present. Most contracts need no signature or writing; the exceptions, such as land, "
            "are set out in statute.",
            "OACI: 'Only A Contract Is', offer, acceptance, consideration, intention.",
        ),
        Card(
            "Python",
            "What does list.append() return?",
            "None (it changes the list in place)",
            ("None", "nothing, it modifies the list"),
            ("the list?",),
            ("the new list", "the length"),
            "append mutates the list and returns None, which is why `x = x.append(1)` leaves x as None.",
            "Append adds, returns nada.",
        ),
        Card(
            "Python",
            "Difference between a list and a tuple?",
            "Lists are mutable, tuples are immutable",
            ("list mutable tuple immutable", "you can change a list but not a tuple"),
            ("tuples use round brackets",),
            ("tuples are faster lists", "lists can only hold numbers"),
            "A list can be changed after creation (append, remove, assign); a tuple cannot, which also makes "
            "tuples hashable when their items are.",
            "Tuple: 'too pull' it apart? You can't.",
        ),
        Card(
            "Anatomy",
            "How many bones are in the adult human body?",
            "206",
            ("206",),
            ("about 200",),
            ("300", "212"),
            "Babies have around 270 bones; many fuse during growth, leaving 206 in adults.",
            "2-0-6: 'two oh sick bones'.",
        ),
        Card(
            "Economics",
            "What is opportunity cost?",
            "The value of the next best alternative given up",
            ("the next best alternative you give up", "what you give up for the next best option"),
            ("the cost of something",),
            ("the price you pay", "the profit"),
            "Choosing one option means losing the benefit of the best option you didn't choose; that lost benefit "
            "is the opportunity cost, whether or not money changes hands.",
            "Opportunity cost = the road not taken.",
        ),
        Card(
            "Spanish vocab",
            "la ventana",
            "the window",
            ("window", "the window"),
            ("door?",),
            ("the wind", "the sale"),
            "'Ventana' comes from Latin ventus (wind): a window was an opening for air. Don't confuse it with "
            "'venta', which means sale.",
            "A VENTana lets in the wind (viento).",
        ),
        Card(
            "German vocab",
            "die Rechnung",
            "the bill / the invoice",
            ("bill", "invoice", "the bill"),
            ("the calculation",),
            ("the right", "the reckoning room"),
            "Rechnung comes from rechnen (to calculate), and in a restaurant it's the bill: 'Die Rechnung, bitte.'",
            "You RECKON up the Rechnung.",
        ),
    ),
    "es": (
        Card(
            "Biología",
            "¿Qué orgánulo realiza la fotosíntesis?",
            "El cloroplasto",
            ("cloroplasto", "los cloroplastos"),
            ("la clorofila",),
            ("la mitocondria", "el núcleo"),
            "La fotosíntesis ocurre en los cloroplastos, que contienen clorofila; la clorofila es el "
            "pigmento, no el orgánulo.",
            "CLORO-plasto: donde la planta se pone verde con el cloro... ¡de la clorofila!",
        ),
        Card(
            "Historia",
            "¿En qué año llegó Colón a América?",
            "1492",
            ("1492",),
            ("a finales del siglo XV",),
            ("1498", "1519"),
            "Colón llegó a Guanahaní, en las Bahamas, el 12 de octubre de 1492.",
            "En mil cuatrocientos noventa y dos, Colón navegó el mar azul.",
        ),
        Card(
            "Derecho",
            "¿Qué es la prescripción?",
            "La extinción de un derecho o acción por el paso del tiempo",
            ("perder un derecho por el paso del tiempo",),
            ("algo del tiempo",),
            ("una receta médica",),
            "Si no se ejerce una acción dentro del plazo legal, ya no se puede reclamar: el tiempo "
            "extingue el derecho.",
            "PRE-scribir: el plazo ya se escribió antes, y se acabó.",
        ),
        Card(
            "Inglés",
            "to get rid of",
            "deshacerse de",
            ("deshacerse de",),
            ("quitar",),
            ("conseguir", "ir"),
            "'Get rid of' significa eliminar algo que no quieres: 'I got rid of my old phone'.",
            "RID suena a 'red': tiras a la red lo que no quieres.",
        ),
        Card(
            "Química",
            "Símbolo químico del potasio",
            "K",
            ("K", "k"),
            ("Ka",),
            ("P", "Po"),
            "Viene del latín kalium; la P ya es del fósforo.",
            "Kalium: el potasio va con K de kiwi, que tiene mucho potasio.",
        ),
    ),
    "de": (
        Card(
            "Biologie",
            "Was ist die Aufgabe der roten Blutkörperchen?",
            "Sauerstofftransport (mit Hämoglobin)",
            ("Sauerstoff transportieren", "sie transportieren Sauerstoff"),
            ("Blut",),
            ("Infektionen bekämpfen", "Gerinnung"),
            "Rote Blutkörperchen enthalten Hämoglobin, das in der Lunge Sauerstoff bindet und im Gewebe wieder abgibt.",
            "Rot wie Rost: Eisen im Hämoglobin bindet Sauerstoff.",
        ),
        Card(
            "Geschichte",
            "Wann fiel die Berliner Mauer?",
            "Am 9. November 1989",
            ("9.11.1989", "9. November 1989"),
            ("1989",),
            ("1990", "1961"),
            "Am Abend des 9. November 1989 wurden die Grenzübergänge geöffnet; die Wiedervereinigung "
            "folgte am 3. Oktober 1990.",
            "9/11/89: neun, elf, neunundachtzig, der Tag der Freude.",
        ),
        Card(
            "Steuerrecht",
            "Wie hoch ist der reguläre Umsatzsteuersatz in Deutschland?",
            "19 %",
            ("19%", "19 Prozent"),
            ("ca. 20%",),
            ("7%", "16%"),
            "Der Regelsatz ist 19 %, der ermäßigte Satz 7 % gilt z. B. für viele Lebensmittel und Bücher.",
            "19 fürs Leben, 7 fürs Essen.",
        ),
        Card(
            "Englisch",
            "to postpone",
            "verschieben",
            ("verschieben", "aufschieben"),
            ("später",),
            ("absagen", "posten"),
            "'Postpone' heißt auf einen späteren Zeitpunkt verschieben, nicht absagen (cancel).",
            "POST = danach: etwas nach hinten schieben.",
        ),
        Card(
            "Chemie",
            "Was ist die Summenformel von Wasser?",
            "H2O",
            ("H2O", "h2o"),
            ("HO",),
            ("H2O2", "CO2"),
            "Zwei Wasserstoffatome und ein Sauerstoffatom; H2O2 wäre Wasserstoffperoxid.",
            "Zwei H, ein O: H-zwei-O.",
        ),
    ),
    "fr": (
        Card(
            "Biologie",
            "Quel est le rôle des globules blancs ?",
            "Défendre l'organisme contre les infections",
            ("défendre contre les infections", "le système immunitaire"),
            ("ils protègent",),
            ("transporter l'oxygène",),
            "Les globules blancs (leucocytes) détectent et détruisent les microbes ; ce sont les "
            "globules rouges qui transportent l'oxygène.",
            "Blanc comme la blouse du médecin : ils soignent.",
        ),
        Card(
            "Histoire",
            "En quelle année a eu lieu la prise de la Bastille ?",
            "1789",
            ("1789",),
            ("fin du XVIIIe",),
            ("1792", "1799"),
            "Le 14 juillet 1789, les Parisiens prennent la Bastille, symbole de l'absolutisme royal.",
            "14 juillet 89 : la fête nationale tombe le même jour.",
        ),
        Card(
            "Droit",
            "Qu'est-ce que la force majeure ?",
            "Un événement imprévisible, irrésistible et extérieur qui exonère de responsabilité",
            ("imprévisible irrésistible extérieur",),
            ("un événement imprévu",),
            ("une grève de l'avocat",),
            "Les trois critères doivent être réunis ; s'il en manque un, le débiteur reste responsable.",
            "I-I-E : Imprévisible, Irrésistible, Extérieur.",
        ),
        Card(
            "Anglais",
            "a deadline",
            "une date limite / une échéance",
            ("date limite", "échéance"),
            ("un délai",),
            ("une ligne morte",),
            "'Deadline' désigne la date limite pour rendre un travail : 'The deadline is Friday'.",
            "DEAD-line : après cette ligne, c'est mort.",
        ),
        Card(
            "Géographie",
            "Quel est le plus long fleuve de France ?",
            "La Loire",
            ("la Loire", "loire"),
            ("la Loire ou la Seine",),
            ("la Seine", "le Rhône"),
            "La Loire mesure environ 1 000 km et se jette dans l'Atlantique ; la Seine est plus courte.",
            "La Loire, c'est la plus longue histoire.",
        ),
    ),
    "pt": (
        Card(
            "Biologia",
            "Qual é a função do pâncreas na digestão?",
            "Produz suco pancreático com enzimas digestivas (e insulina)",
            ("produz enzimas digestivas", "suco pancreático"),
            ("ajuda na digestão",),
            ("produz bile",),
            "O pâncreas lança enzimas no intestino delgado; a bile é produzida pelo fígado e guardada na vesícula.",
            "PÂNcreas faz o suco que digere o PÃO.",
        ),
        Card(
            "História",
            "Em que ano o Brasil se tornou independente?",
            "1822",
            ("1822",),
            ("início do século XIX",),
            ("1889", "1500"),
            "Dom Pedro declarou a independência em 7 de setembro de 1822; 1889 é a Proclamação da República.",
            "Dois-dois: em 22 o Brasil disse adeus.",
        ),
        Card(
            "Direito",
            "O que é habeas corpus?",
            "Ação para proteger a liberdade de locomoção contra prisão ilegal",
            ("proteger contra prisão ilegal",),
            ("algo sobre liberdade",),
            ("um tipo de contrato",),
            "Serve para garantir o direito de ir e vir quando alguém é preso ou ameaçado de prisão ilegalmente.",
            "Habeas CORPUS: devolvam o CORPO livre.",
        ),
        Card(
            "Inglês",
            "to look forward to",
            "estar ansioso por / aguardar com expectativa",
            ("aguardar ansiosamente",),
            ("olhar para frente",),
            ("procurar",),
            "Depois de 'look forward to' vem verbo com -ing: 'I look forward to meeting you'.",
            "Olhar PARA A FRENTE, para o que vem de bom.",
        ),
        Card(
            "Química",
            "Qual é o símbolo do sódio?",
            "Na",
            ("Na", "na"),
            ("N",),
            ("S", "So"),
            "Vem do latim natrium; S é o enxofre.",
            "NAtrium: o sódio está no NAtural sal de cozinha.",
        ),
    ),
}

# How people ask, per language: (is it right, explain, mnemonic), plus small talk after a reply.
RECALL_ASKS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("Is my answer right?", "is this correct", "did I get it?", "right or wrong?", "close enough?"),
        ("Explain this card", "explain please", "why is this the answer?", "I don't get this one"),
        ("Give me a mnemonic", "any trick to remember this?", "mnemonic pls", "how can I remember this"),
    ),
    "es": (
        ("¿Mi respuesta es correcta?", "esta bien?", "¿acerté?"),
        ("Explícame esta tarjeta", "no entiendo esta, explícamela"),
        ("Dame una regla mnemotécnica", "algún truco para recordarlo?"),
    ),
    "de": (
        ("Ist meine Antwort richtig?", "stimmt das so?", "richtig?"),
        ("Erklär mir diese Karte", "kannst du das erklären"),
        ("Gib mir eine Eselsbrücke", "wie kann ich mir das merken?"),
    ),
    "fr": (
        ("Ma réponse est-elle correcte ?", "c'est bon ?", "j'ai juste ?"),
        ("Explique-moi cette carte", "je comprends pas, tu peux expliquer ?"),
        ("Donne-moi un moyen mnémotechnique", "une astuce pour retenir ?"),
    ),
    "pt": (
        ("Minha resposta está certa?", "ta certo?", "acertei?"),
        ("Explica esse cartão", "não entendi, pode explicar?"),
        ("Me dá um macete pra lembrar", "alguma dica para memorizar?"),
    ),
}
VERDICTS: dict[str, tuple[str, str, str]] = {
    "en": (
        "Yes, that's right.",
        "Partly right: you have the idea, but the card expects more.",
        "Not quite. The card's answer is: {a}.",
    ),
    "es": (
        "¡Sí, correcto!",
        "Casi: vas bien, pero la tarjeta pide algo más completo.",
        "No exactamente. La respuesta es: {a}.",
    ),
    "de": (
        "Ja, richtig!",
        "Teilweise richtig: die Idee stimmt, aber es fehlt etwas.",
        "Nicht ganz. Die Antwort lautet: {a}.",
    ),
    "fr": (
        "Oui, c'est juste !",
        "En partie : l'idée est là, mais il manque quelque chose.",
        "Pas tout à fait. La réponse est : {a}.",
    ),
    "pt": ("Sim, está certo!", "Em parte: a ideia está certa, mas falta algo.", "Não exatamente. A resposta é: {a}."),
}
RECALL_CHATTER: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("ok thanks", "You're welcome, keep going!"),
        ("another mnemonic?", "Try picturing it as a scene: the sillier, the better it sticks."),
        (
            "wait so was I wrong?",
            "Your answer missed the key part, so mark this card as 'again' and it'll come back soon.",
        ),
    ),
    "es": (
        ("vale gracias", "¡De nada, sigue así!"),
        ("otro truco?", "Imagina una escena absurda con la palabra: cuanto más rara, mejor se recuerda."),
    ),
    "de": (
        ("ok danke", "Gern, weiter so!"),
        ("noch eine Eselsbrücke?", "Stell dir ein lustiges Bild dazu vor, je verrückter, desto besser."),
    ),
    "fr": (
        ("ok merci", "Avec plaisir, continue comme ça !"),
        ("une autre astuce ?", "Imagine une scène absurde avec le mot : plus c'est bizarre, mieux on retient."),
    ),
    "pt": (
        ("valeu", "De nada, continue assim!"),
        ("outro macete?", "Imagine uma cena engraçada com a palavra: quanto mais absurda, melhor."),
    ),
}
RECALL_SYSTEM = (
    "You are the study helper inside Recall, a spaced-repetition flashcard app. The user is reviewing one of "
    "their own cards. If they ask whether their answer is right, compare it with the card's answer and say "
    "right, partly right or wrong, then explain briefly. If they ask for an explanation, explain the idea behind "
    "the card step by step in plain words. If they ask for a mnemonic, give one short, memorable hook. Reply in "
    "the language the user writes in, in under 120 words."
)
RECALL_RELEASE = START + 2 * DAY + 17 * HOUR
RECALL_WINDOWS = (
    Window(7.0, 9.0, 0.25, weekend=0.4),  # the commute
    Window(12.0, 13.5, 0.2),  # lunch
    Window(18.0, 23.5, 0.45),  # evening, before bed
    Window(23.5, 25.5, 0.1),  # night owls (past midnight)
)
LANG_TZ = {"en": [0.0, -5.0, -8.0, 1.0, 10.0], "es": [1.0, -6.0, -3.0], "de": [1.0], "fr": [1.0], "pt": [0.0, -3.0]}


def _card_message(card: Card, mine: str | None, ask: str, v2: bool) -> str:
    head = f"Deck: {card.deck}\n" if v2 else ""  # 5.3 tells the helper which deck the card is from
    body = f"{head}Q: {card.q}\nA: {card.a}"
    if mine is not None:
        body += f"\n\nMy answer: {mine}"
    return f"{body}\n\n{ask}"


def _recall_exchange(rng: random.Random, lang: str, style: Style, card: Card, v2: bool) -> Exchange:
    check, explain, mnemonic = RECALL_ASKS[lang]
    mode = rng.choices(["check", "explain", "mnemonic"], [0.55, 0.28, 0.17])[0]
    if mode == "check":
        kind = rng.choices([0, 1, 2], [0.5, 0.25, 0.25])[0]
        mine = _typed(rng, style, rng.choice((card.right, card.partial, card.wrong)[kind]))
        verdict = VERDICTS[lang][kind].replace("{a}", card.a)
        return Exchange(
            _card_message(card, mine, _typed(rng, style, rng.choice(check)), v2), f"{verdict} {card.explain}"
        )
    if mode == "explain":
        return Exchange(_card_message(card, None, _typed(rng, style, rng.choice(explain)), v2), card.explain)
    return Exchange(_card_message(card, None, _typed(rng, style, rng.choice(mnemonic)), v2), card.mnemonic)


def _recall(rng: random.Random) -> list[Record]:
    out: list[Record] = []
    # Fixed shares (not draws): with 150 users a language could otherwise vanish from a seed's week.
    langs = ["en"] * 93 + ["es"] * 18 + ["de"] * 15 + ["fr"] * 12 + ["pt"] * 12
    rng.shuffle(langs)
    for n_user, lang in enumerate(langs[: APPS["flashcards"].keys]):
        tz = rng.choice(LANG_TZ[lang]) + (rng.choice([0.0, 1.0]) if lang == "en" else 0.0)
        key, style, updated = new_key(rng), _style(rng, careful=0.35), _update_time(rng, RECALL_RELEASE)
        # The iPhone build talks to the Responses API, the Android build to chat completions; a few people
        # review on both (phone and tablet).
        devices = [rng.choice(["ios", "android"])]
        if rng.random() < 0.15:
            devices.append("android" if devices[0] == "ios" else "ios")
        ips = _home_ips(rng)
        deck = list(CARDS[lang]) if lang == "en" else list(CARDS[lang]) + rng.sample(CARDS["en"], 4)
        own = rng.sample(deck, min(len(deck), rng.randint(6, 12)))  # the decks this person studies
        n = (5, 40)[n_user] if n_user < 2 else _count(rng, 5, 40, 16)
        sizes = _split(rng, n, max(1, round(n / rng.uniform(4, 10))))
        starts = _session_starts(rng, len(sizes), tz, RECALL_WINDOWS)
        for times in _lay_out(rng, starts, sizes, gap=rng.uniform(20, 55)):
            device = devices[0] if len(devices) == 1 or rng.random() < 0.7 else devices[1]
            v2 = times[0] >= updated
            version = "5.3.0" if v2 else "5.2.2"
            if device == "ios":
                client = Client(key, "responses", "gpt-5-mini", f"Recall/{version} (iPhone; iOS 18.2)", ips)
            else:
                client = Client(key, "chat", "gpt-4.1-mini", f"Recall/{version} (Android 14)", ips)
            exchanges: list[Exchange] = []
            while len(exchanges) < len(times):
                card = rng.choice(own)
                exchanges.append(_recall_exchange(rng, lang, style, card, v2))
                if rng.random() < 0.15:  # a reply in the same chat: "ok thanks", "another one?"
                    text, reply = rng.choice(RECALL_CHATTER[lang])
                    exchanges.append(Exchange(_typed(rng, style, text), reply, fresh=False))
            requests = _conversation_requests(RECALL_SYSTEM, exchanges[: len(times)])
            out += _emit(rng, [client] * len(times), times, requests)
    return out


# --------------------------------------------------------------------------------------------------
# 4. PassPrep: driving-theory and certification practice questions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    """A practice question: four options, the right one, why each option is right or wrong, and a
    follow-up a learner asks about it with its answer."""

    track: str
    question: str
    options: tuple[str, str, str, str]
    correct: int
    notes: tuple[str, str, str, str]
    follow: tuple[str, str]


LETTERS = "ABCD"

PRACTICE: tuple[Practice, ...] = (
    Practice(
        "driving",
        "You're approaching a zebra crossing and a pedestrian is waiting at the kerb. What should you do?",
        (
            "Flash your headlights to wave them across",
            "Be prepared to slow down and stop",
            "Sound your horn to warn them",
            "Speed up to clear the crossing first",
        ),
        1,
        (
            "Flashing can be misread, and you can't know it's safe from other traffic.",
            "Pedestrians waiting at a zebra crossing have priority once they step on, so be ready to stop.",
            "The horn is for warning of danger, not for telling people to wait.",
            "Speeding up puts the pedestrian at risk.",
        ),
        (
            "what if they're not looking at me?",
            "Still be ready to stop. Their attention doesn't change your duty; slow down and keep an "
            "eye on them until you're past.",
        ),
    ),
    Practice(
        "driving",
        "What is the national speed limit on a single carriageway road for cars?",
        ("50 mph", "60 mph", "70 mph", "40 mph"),
        1,
        (
            "50 is a common posted limit, but not the national one.",
            "For cars and motorcycles the national limit on single carriageways is 60 mph.",
            "70 mph applies on dual carriageways and motorways.",
            "40 mph is a local limit, not national.",
        ),
        (
            "and for a car towing a caravan?",
            "Towing lowers it to 50 mph on single carriageways and 60 mph on dual carriageways and motorways.",
        ),
    ),
    Practice(
        "driving",
        "In wet weather, what stopping distance should you allow compared with dry conditions?",
        ("The same", "At least double", "At least ten times", "Half"),
        1,
        (
            "Wet roads reduce grip, so the same distance isn't enough.",
            "Stopping distances at least double in the wet because tyres grip less.",
            "Ten times is the figure for icy roads.",
            "Less distance would be dangerous.",
        ),
        ("so how much on ice then", "On ice, allow up to ten times the normal dry stopping distance."),
    ),
    Practice(
        "driving",
        "What does a red triangle road sign usually mean?",
        ("An order you must obey", "A warning", "Information only", "Direction to a motorway"),
        1,
        (
            "Orders are usually in circles.",
            "Triangles warn of a hazard ahead.",
            "Information signs are usually rectangles.",
            "Motorway signs are blue rectangles.",
        ),
        (
            "what do blue circles mean",
            "Blue circles usually give a positive instruction, such as 'turn left' or 'cycle route only'.",
        ),
    ),
    Practice(
        "driving",
        "You're on a motorway and see a red X above your lane. What should you do?",
        ("Carry on at reduced speed", "Move out of that lane", "Stop on the hard shoulder", "Flash your hazard lights"),
        1,
        (
            "The lane is closed; carrying on is an offence.",
            "A red X means the lane is closed, so move into an open lane as soon as it's safe.",
            "Only stop on the hard shoulder in an emergency.",
            "Hazard lights don't make driving in a closed lane safe.",
        ),
        ("is it actually illegal", "Yes, driving under a red X is an offence and can be enforced by cameras."),
    ),
    Practice(
        "driving",
        "When may you use the hard shoulder on a normal motorway?",
        ("To overtake slow traffic", "In an emergency or breakdown", "To make a phone call", "When traffic is queuing"),
        1,
        (
            "Overtaking on the hard shoulder is illegal.",
            "The hard shoulder is only for emergencies and breakdowns (or when signs open it on smart motorways).",
            "Leave at the next exit or services to make a call.",
            "Queues don't make it available.",
        ),
        (
            "what about smart motorways",
            "On smart motorways the hard shoulder may be opened as a running lane; only use it when "
            "the overhead signs show a speed limit over it.",
        ),
    ),
    Practice(
        "driving",
        "What's the minimum legal tread depth for car tyres in the UK?",
        ("1 mm", "1.6 mm", "2.5 mm", "3 mm"),
        1,
        (
            "Too low, that's below the legal limit.",
            "1.6 mm across the central three-quarters of the tread, all the way round.",
            "Many experts advise changing tyres before 2.5 mm, but it isn't the legal minimum.",
            "3 mm is advice for winter, not law.",
        ),
        (
            "how do i check it",
            "A quick check is the 20p test: put the coin in the groove; if you can see its outer "
            "band, the tread may be close to the limit.",
        ),
    ),
    Practice(
        "driving",
        "At a roundabout, who normally has priority?",
        (
            "Traffic joining from the left",
            "Traffic already on the roundabout from your right",
            "The largest vehicle",
            "Whoever arrives first",
        ),
        1,
        (
            "Traffic from the left gives way to you once you're on.",
            "Give way to traffic coming from your right, already on the roundabout, unless signs say otherwise.",
            "Size gives no priority.",
            "Arrival order doesn't decide it.",
        ),
        (
            "what if the roundabout has traffic lights",
            "Then follow the lights; priority at each entry is controlled by the signals.",
        ),
    ),
    Practice(
        "driving",
        "What should you do if your vehicle breaks down on a level crossing?",
        (
            "Try to restart the engine repeatedly",
            "Get everyone out and call the signal operator",
            "Wait in the car for the train to pass",
            "Push it off only if the barriers are down",
        ),
        1,
        (
            "Don't waste time in the car.",
            "Get everyone out and clear, then use the railway phone to tell the signal operator; "
            "move the car only if you're told to.",
            "Staying inside is extremely dangerous.",
            "If the barriers come down or the alarm sounds, get clear immediately.",
        ),
        (
            "and if there's no phone",
            "Call 999 and give the crossing's name or the number on the sign, from a safe distance.",
        ),
    ),
    Practice(
        "driving",
        "Why should you look over your shoulder before moving off?",
        (
            "To check the blind spot",
            "To check for traffic wardens",
            "It's only needed on hills",
            "To see if your door is closed",
        ),
        0,
        (
            "Mirrors don't show everything; a cyclist or car can be hidden in the blind spot.",
            "Traffic wardens have nothing to do with it.",
            "It matters on every road.",
            "Check doors before you start, not by looking over your shoulder.",
        ),
        (
            "even if my mirrors are good?",
            "Yes. Every car has areas the mirrors can't cover, so the shoulder check stays necessary.",
        ),
    ),
    Practice(
        "first aid",
        "An adult casualty is unresponsive and not breathing normally. What should you do first?",
        (
            "Put them in the recovery position",
            "Call 999/112 and start CPR",
            "Give them water",
            "Wait to see if they recover",
        ),
        1,
        (
            "The recovery position is for someone breathing normally.",
            "Call for help (put the phone on speaker) and start chest compressions straight away.",
            "Never give anything by mouth to an unresponsive person.",
            "Every minute without CPR lowers survival.",
        ),
        (
            "how fast do you push",
            "100 to 120 compressions a minute, about 5 to 6 cm deep, letting the chest come back up each time.",
        ),
    ),
    Practice(
        "first aid",
        "What is the correct first aid for a minor burn?",
        ("Apply butter", "Cool it under running water for 20 minutes", "Pop any blisters", "Cover it with cotton wool"),
        1,
        (
            "Butter traps heat and risks infection.",
            "Cool running water for 20 minutes limits the damage; then cover loosely with cling film.",
            "Blisters protect the skin underneath.",
            "Cotton wool sticks to the wound.",
        ),
        ("can I use ice", "No, ice can damage the skin further. Cool tap water is best."),
    ),
    Practice(
        "first aid",
        "A casualty is choking and can't cough. After up to five back blows, what next?",
        ("Five abdominal thrusts", "Give them a drink", "Lay them down", "Ten more back blows"),
        0,
        (
            "Abdominal thrusts are the next step, then alternate with back blows.",
            "Liquids can make it worse.",
            "Keep them upright and leaning forward.",
            "Alternate five back blows with five abdominal thrusts rather than repeating back blows only.",
        ),
        (
            "what if it's a baby",
            "For infants, use up to five back blows and then five chest thrusts with two fingers, "
            "never abdominal thrusts.",
        ),
    ),
    Practice(
        "food hygiene",
        "What's the maximum temperature a fridge storing high-risk food should run at?",
        ("8°C", "5°C or below", "10°C", "0°C"),
        1,
        (
            "8°C is the legal maximum in the UK, but best practice is 5°C or below.",
            "Keeping it at 5°C or below slows bacterial growth.",
            "10°C is too warm.",
            "0°C is colder than necessary and could freeze food.",
        ),
        ("and the freezer?", "A freezer should be at -18°C or colder."),
    ),
    Practice(
        "food hygiene",
        "Which of these is the best way to defrost a frozen chicken?",
        ("On the kitchen counter overnight", "In the fridge", "In warm water", "In a low oven"),
        1,
        (
            "At room temperature the outside warms into the danger zone.",
            "Defrost in the fridge on the bottom shelf, in a container, so juices can't drip onto other food.",
            "Warm water lets bacteria multiply on the surface.",
            "It would partly cook it unevenly.",
        ),
        ("how long does that take", "Roughly a day per 2 to 2.5 kg, so plan ahead."),
    ),
    Practice(
        "networking",
        "Which port does HTTPS use by default?",
        ("80", "443", "22", "25"),
        1,
        ("80 is plain HTTP.", "HTTPS defaults to TCP 443.", "22 is SSH.", "25 is SMTP."),
        (
            "why different ports for http and https",
            "So a server can offer both and the client knows which protocol to expect without negotiating it first.",
        ),
    ),
    Practice(
        "networking",
        "A host with IP 192.168.1.10/24 is in which network?",
        ("192.168.0.0", "192.168.1.0", "192.168.1.10", "192.0.0.0"),
        1,
        (
            "That would be a /16 or a different /24.",
            "A /24 keeps the first three octets: 192.168.1.0 is the network address.",
            "That's the host address itself.",
            "That's far too broad for a /24.",
        ),
        ("what's the broadcast then", "192.168.1.255, the last address in the /24."),
    ),
    Practice(
        "networking",
        "Which device operates mainly at layer 2 of the OSI model?",
        ("Router", "Switch", "Hub", "Firewall"),
        1,
        (
            "Routers forward by IP address, layer 3.",
            "Switches forward frames by MAC address, layer 2.",
            "Hubs repeat signals at layer 1.",
            "Most firewalls work at layer 3 and above.",
        ),
        (
            "what about a layer 3 switch",
            "It's a switch that can also route between VLANs, so it works at both layers 2 and 3.",
        ),
    ),
    Practice(
        "project management",
        "What is the critical path in a project schedule?",
        (
            "The tasks with the highest cost",
            "The longest sequence of dependent tasks, which sets the minimum duration",
            "The tasks assigned to the manager",
            "The first tasks to start",
        ),
        1,
        (
            "Cost doesn't define it.",
            "It's the longest chain of dependent activities; any delay on it delays the project.",
            "Who owns a task is irrelevant.",
            "Start order doesn't matter, only the longest chain.",
        ),
        (
            "what is float then",
            "Float (slack) is how long a task can slip without delaying the project; tasks on the "
            "critical path have zero float.",
        ),
    ),
    Practice(
        "forklift safety",
        "When driving a loaded forklift down a slope, how should the load face?",
        ("Downhill", "Uphill", "Either way", "Sideways"),
        1,
        (
            "Facing downhill, the load can slide off or the truck tip forward.",
            "Keep the load uphill: drive down in reverse so the load stays against the carriage.",
            "It matters a lot on slopes.",
            "Never turn across a slope.",
        ),
        ("and without a load?", "Unloaded, drive with the forks pointing downhill."),
    ),
)

PRACTICE_ASKS = (
    "why is {mine} wrong?",
    "Why is {mine} wrong",
    "explain",
    "Explain please",
    "why {right} and not {mine}?",
    "can you explain why the answer is {right}",
    "i dont get it",
    "Why?",
    "explain it simply",
    "what's the rule here?",
)
PRACTICE_ASKS_RIGHT = (
    "explain",
    "I guessed, why is it {right}?",
    "got it right but why",
    "Explain the other options too",
)
PRACTICE_THANKS = (
    ("ok got it thanks", "You're welcome, good luck on the next one!"),
    ("makes sense", "Great, keep going!"),
)
PRACTICE_SYSTEMS = {
    "driving": "You are the driving-theory tutor in PassPrep. The learner has just answered a practice question. "
    "Explain step by step why the correct option is right and, if they chose another, why theirs is wrong, "
    "naming the rule behind it. Be encouraging and keep it under 150 words.",
    "cert": "You are PassPrep's certification coach. The learner has just answered a multiple-choice practice "
    "question. Explain the reasoning behind the correct option and why any wrong choice is wrong, in plain words, "
    "under 150 words. If they ask a follow-up question, answer it briefly.",
}
PRACTICE_RELEASE = START + 3 * DAY + 10 * HOUR
PRACTICE_WINDOWS = (Window(17.0, 23.0, 0.6), Window(10.0, 16.0, 0.25, weekend=2.0, weekday=0.4), Window(7.0, 9.0, 0.15))


def _practice_message(item: Practice, number: int, mine: int, v2: bool) -> str:
    options = "\n".join(f"({LETTERS[i]}) {text}" for i, text in enumerate(item.options))
    head = f"Question {number} of 50 ({item.track})\n{item.question}\n{options}\n\n"
    if v2:  # 3.1 shows the choice with its brackets, as on screen
        return head + f"Your choice: ({LETTERS[mine]})\nCorrect answer: ({LETTERS[item.correct]})"
    return head + f"My answer: {LETTERS[mine]}\nCorrect answer: {LETTERS[item.correct]}"


def _practice_reply(item: Practice, mine: int) -> str:
    right = LETTERS[item.correct]
    reply = f"The answer is ({right}) {item.options[item.correct]}. {item.notes[item.correct]}"
    if mine != item.correct:
        reply += f" You chose ({LETTERS[mine]}): {item.notes[mine]}"
    return reply


def _passprep(rng: random.Random) -> list[Record]:
    out: list[Record] = []
    driving = [p for p in PRACTICE if p.track == "driving"]
    certs = [p for p in PRACTICE if p.track != "driving"]
    classroom = _site(rng)  # a training centre where a cohort practises on the same Wi-Fi
    for n_user in range(APPS["practice"].keys):
        track = "driving" if rng.random() < 0.7 else "cert"
        pool = driving if track == "driving" else certs
        key, style = new_key(rng), _style(rng, careful=0.4)
        tz = rng.choice([0.0, 0.0, 0.0, 1.0, -5.0, 5.5])
        platform = rng.choice(["Android 13", "Android 14", "iOS 17.6", "iOS 18.2", "web"])
        ips = [classroom] if track == "cert" and n_user % 10 == 0 else _home_ips(rng)
        updated = _update_time(rng, PRACTICE_RELEASE)
        n = (3, 30)[n_user] if n_user < 2 else _count(rng, 3, 30, 10)
        sizes = _split(rng, n, max(1, round(n / rng.uniform(3, 8))))
        starts = _session_starts(rng, len(sizes), tz, PRACTICE_WINDOWS)
        for times in _lay_out(rng, starts, sizes, gap=rng.uniform(35, 100)):
            v2 = times[0] >= updated
            agent = f"PassPrep/{'3.1.0' if v2 else '3.0.4'} ({platform})"
            client = Client(key, "chat", rng.choice(["gpt-4.1-mini", "gpt-4.1-mini", "gpt-4o"]), agent, ips)
            exchanges: list[Exchange] = []
            while len(exchanges) < len(times):
                item = rng.choice(pool)
                mine = item.correct if rng.random() < 0.35 else rng.choice([i for i in range(4) if i != item.correct])
                ask = rng.choice(PRACTICE_ASKS if mine != item.correct else PRACTICE_ASKS_RIGHT)
                ask = ask.replace("{mine}", LETTERS[mine]).replace("{right}", LETTERS[item.correct])
                message = _practice_message(item, rng.randint(1, 50), mine, v2) + "\n\n" + _typed(rng, style, ask)
                exchanges.append(Exchange(message, _practice_reply(item, mine)))
                roll = rng.random()
                if roll < 0.3:  # their own question about the same rule, in the same chat
                    exchanges.append(Exchange(_typed(rng, style, item.follow[0]), item.follow[1], fresh=False))
                if roll < 0.1 or 0.3 <= roll < 0.36:
                    text, reply = rng.choice(PRACTICE_THANKS)
                    exchanges.append(Exchange(_typed(rng, style, text), reply, fresh=False))
            requests = _conversation_requests(PRACTICE_SYSTEMS[track], exchanges[: len(times)])
            out += _emit(rng, [client] * len(times), times, requests)
    return out


# --------------------------------------------------------------------------------------------------
# 5. ReadUp: reading comprehension for learners of English
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """A learner's answer as written, whether it is right (0), partly right (1) or wrong (2), and a
    corrected version of their sentence."""

    text: str
    verdict: int
    corrected: str


@dataclass(frozen=True)
class Comprehension:
    question: str
    evidence: str  # the words in the passage that settle it
    attempts: tuple[Attempt, ...]


@dataclass(frozen=True)
class Reading:
    title: str
    text: str
    questions: tuple[Comprehension, ...]


READINGS: tuple[Reading, ...] = (
    Reading(
        "The late train",
        "Marta usually catches the 7:40 train to work. On Monday it was cancelled because of a signal problem, so "
        "she waited forty minutes for the next one. When she finally arrived at the office, her manager was not "
        "angry; he had been on the same platform. They laughed about it and decided to start the meeting after "
        "lunch instead.",
        (
            Comprehension(
                "Why was Marta late on Monday?",
                "it was cancelled because of a signal problem",
                (
                    Attempt(
                        "Because the train was cancel for a signal problem.",
                        0,
                        "Because the train was cancelled because of a signal problem.",
                    ),
                    Attempt(
                        "She was late because she wake up late.", 2, "She was late because her train was cancelled."
                    ),
                    Attempt(
                        "because the train dont come",
                        1,
                        "Because the train didn't come: it was cancelled because of a signal problem.",
                    ),
                ),
            ),
            Comprehension(
                "Why wasn't her manager angry?",
                "he had been on the same platform",
                (
                    Attempt(
                        "Because he was also in the same platform.", 0, "Because he had also been on the same platform."
                    ),
                    Attempt(
                        "Because he is a nice person.",
                        1,
                        "Because he had been waiting on the same platform, so he was late too.",
                    ),
                    Attempt("He was angry.", 2, "He wasn't angry, because he had been on the same platform."),
                ),
            ),
            Comprehension(
                "What did they decide to do?",
                "start the meeting after lunch instead",
                (
                    Attempt(
                        "They decided to start the meeting after the lunch.",
                        0,
                        "They decided to start the meeting after lunch.",
                    ),
                    Attempt(
                        "they cancel the meeting", 2, "They moved the meeting to after lunch; they didn't cancel it."
                    ),
                ),
            ),
        ),
    ),
    Reading(
        "A village library",
        "When the bus to town stopped running, the people of Hollin decided to turn the old phone box into a "
        "tiny library. Anyone can leave a book and take one. At first there were only twenty books, mostly "
        "cookery and crime novels. Now there are over two hundred, and the children have added a shelf of comics. "
        "The phone box is never locked, but no book has ever gone missing for good.",
        (
            Comprehension(
                "Why did the villagers create the library?",
                "When the bus to town stopped running",
                (
                    Attempt(
                        "Because the bus to the town stopped to run.", 0, "Because the bus to town stopped running."
                    ),
                    Attempt(
                        "Because they like books.",
                        1,
                        "Because the bus to town stopped running, so it was harder to get books.",
                    ),
                    Attempt("Because the phone box was broken.", 2, "Because the bus to town stopped running."),
                ),
            ),
            Comprehension(
                "How has the library changed?",
                "Now there are over two hundred",
                (
                    Attempt(
                        "It has more books now, over two hundreds, and comics for childrens.",
                        0,
                        "It has more books now, over two hundred, and comics for children.",
                    ),
                    Attempt(
                        "It is bigger.",
                        1,
                        "It has grown from twenty books to over two hundred, with a shelf of comics.",
                    ),
                ),
            ),
            Comprehension(
                "Is the library safe?",
                "no book has ever gone missing for good",
                (
                    Attempt(
                        "Yes, because nobody have stolen a book for always.",
                        0,
                        "Yes: although it's never locked, no book has ever gone missing for good.",
                    ),
                    Attempt(
                        "No, because it is never locked.",
                        2,
                        "It's never locked, but it seems safe: no book has ever gone missing for good.",
                    ),
                ),
            ),
        ),
    ),
    Reading(
        "Working from home",
        "Since 2021, Daniel has worked from home three days a week. He saves two hours of travel on those days "
        "and uses the time to cook proper meals. However, he misses chatting with colleagues, so on Thursdays he "
        "goes to the office even though it is not required. He says the balance suits him better than working "
        "from home every day.",
        (
            Comprehension(
                "What does Daniel do with the time he saves?",
                "uses the time to cook proper meals",
                (
                    Attempt("He use the time for cooking good meals.", 0, "He uses the time to cook proper meals."),
                    Attempt("He sleeps more.", 2, "He uses the time to cook proper meals."),
                    Attempt("he cooks", 1, "He cooks proper meals."),
                ),
            ),
            Comprehension(
                "Why does he go to the office on Thursdays?",
                "he misses chatting with colleagues",
                (
                    Attempt(
                        "Because he miss to talk with his colleagues.",
                        0,
                        "Because he misses chatting with his colleagues.",
                    ),
                    Attempt(
                        "Because his boss obligates him.",
                        2,
                        "It isn't required; he goes because he misses chatting with colleagues.",
                    ),
                ),
            ),
            Comprehension(
                "Would Daniel prefer to work from home every day?",
                "the balance suits him better",
                (
                    Attempt("No, he prefers the mix.", 0, "No, he prefers the mix of home and office."),
                    Attempt(
                        "Yes because he saves time.",
                        2,
                        "No: he says the balance suits him better than working from home every day.",
                    ),
                ),
            ),
        ),
    ),
    Reading(
        "The bakery app",
        "Lena's bakery throws away less bread since she started using an app that sells leftover food cheaply at "
        "the end of the day. Customers pay a third of the normal price for a 'surprise bag'. Lena doesn't make "
        "much money from the bags, but she says it is better than putting good bread in the bin, and some "
        "customers who found her through the app now come back at full price.",
        (
            Comprehension(
                "How much do customers pay for a surprise bag?",
                "a third of the normal price",
                (
                    Attempt("They pay the third part of the price.", 0, "They pay a third of the normal price."),
                    Attempt("They pay half.", 2, "They pay a third of the normal price."),
                ),
            ),
            Comprehension(
                "Does Lena earn a lot from the app?",
                "doesn't make much money from the bags",
                (
                    Attempt(
                        "No, she don't make much money with the bags.",
                        0,
                        "No, she doesn't make much money from the bags.",
                    ),
                    Attempt("Yes, a lot of customers.", 2, "Not directly: she doesn't make much money from the bags."),
                ),
            ),
            Comprehension(
                "What is one indirect benefit of the app for Lena?",
                "now come back at full price",
                (
                    Attempt(
                        "New customers find her and after they buy at the normal price.",
                        0,
                        "New customers find her and later come back to buy at the full price.",
                    ),
                    Attempt(
                        "She throws less bread.",
                        1,
                        "That's a direct benefit; the indirect one is new customers who come back at full price.",
                    ),
                ),
            ),
        ),
    ),
    Reading(
        "Learning to swim at forty",
        "Paulo never learned to swim as a child because there was no pool near his village. At forty, after "
        "watching his daughter's lessons every Saturday, he signed up for an adult class. The first weeks were "
        "embarrassing, he admits, but after six months he swam his first full length. Next summer he wants to "
        "swim in the sea with his daughter.",
        (
            Comprehension(
                "Why didn't Paulo learn to swim as a child?",
                "there was no pool near his village",
                (
                    Attempt(
                        "Because there were not a pool near to his village.",
                        0,
                        "Because there wasn't a pool near his village.",
                    ),
                    Attempt("Because he was afraid of water.", 2, "Because there was no pool near his village."),
                ),
            ),
            Comprehension(
                "What made him decide to take lessons?",
                "watching his daughter's lessons every Saturday",
                (
                    Attempt(
                        "He watched the lessons of his daughter every saturday.",
                        0,
                        "He watched his daughter's lessons every Saturday.",
                    ),
                    Attempt("His doctor.", 2, "Watching his daughter's lessons every Saturday."),
                    Attempt("his daughter", 1, "Watching his daughter's swimming lessons made him decide."),
                ),
            ),
            Comprehension(
                "What is his plan for next summer?",
                "swim in the sea with his daughter",
                (
                    Attempt(
                        "He want to swim in the sea with her daughter.",
                        0,
                        "He wants to swim in the sea with his daughter.",
                    ),
                    Attempt(
                        "To swim a full length.",
                        2,
                        "He has already done that; next summer he wants to swim in the sea with his daughter.",
                    ),
                ),
            ),
        ),
    ),
    Reading(
        "The repair café",
        "Once a month, volunteers in Gent open a repair café in the community hall. People bring broken lamps, "
        "toasters, bicycles and clothes, and the volunteers show them how to fix them. It is free, but visitors "
        "can leave a donation. The organisers say the most important thing is not the repairs but that people "
        "learn they can fix things themselves.",
        (
            Comprehension(
                "How often is the repair café open?",
                "Once a month",
                (
                    Attempt("One time per month.", 0, "Once a month."),
                    Attempt("Every week.", 2, "Once a month."),
                ),
            ),
            Comprehension(
                "Do visitors have to pay?",
                "It is free, but visitors can leave a donation",
                (
                    Attempt(
                        "No, is free but you can give a donation.", 0, "No, it's free, but you can leave a donation."
                    ),
                    Attempt("Yes, a donation.", 1, "No, it's free; a donation is optional."),
                ),
            ),
            Comprehension(
                "According to the organisers, what matters most?",
                "people learn they can fix things themselves",
                (
                    Attempt(
                        "That the people learn to repair the things alone.",
                        0,
                        "That people learn they can fix things themselves.",
                    ),
                    Attempt("The repairs.", 2, "Not the repairs: that people learn they can fix things themselves."),
                ),
            ),
        ),
    ),
)

# The learner's request, in English or in their own language.
READ_ASKS: dict[str, tuple[str, ...]] = {
    "en": (
        "Can you check my answer?",
        "is my answer correct?",
        "please correct me",
        "Is it right? And is my grammar ok?",
        "check pls",
        "I'm not sure about this one, can you check?",
    ),
    "es": ("¿Puedes corregir mi respuesta?", "esta bien mi respuesta?", "¿Está correcto? Y la gramática?"),
    "de": ("Kannst du meine Antwort prüfen?", "ist das richtig so?", "Bitte korrigieren, auch die Grammatik."),
    "fr": ("Tu peux vérifier ma réponse ?", "c'est correct ?", "Corrige-moi s'il te plaît, aussi la grammaire."),
    "pt": ("Pode corrigir minha resposta?", "tá certo?", "Está correta? E a gramática?"),
    "it": ("Puoi controllare la mia risposta?", "è giusta?", "Mi correggi anche la grammatica?"),
}
READ_VERDICTS: dict[str, tuple[str, str, str]] = {
    "en": ("Your answer is correct.", "Your answer is partly correct.", "Your answer doesn't match the passage."),
    "es": (
        "Tu respuesta es correcta.",
        "Tu respuesta es correcta solo en parte.",
        "Tu respuesta no coincide con el texto.",
    ),
    "de": ("Deine Antwort ist richtig.", "Deine Antwort ist teilweise richtig.", "Deine Antwort passt nicht zum Text."),
    "fr": ("Ta réponse est correcte.", "Ta réponse est en partie correcte.", "Ta réponse ne correspond pas au texte."),
    "pt": (
        "Sua resposta está correta.",
        "Sua resposta está parcialmente correta.",
        "Sua resposta não corresponde ao texto.",
    ),
    "it": (
        "La tua risposta è corretta.",
        "La tua risposta è corretta solo in parte.",
        "La tua risposta non corrisponde al testo.",
    ),
}
READ_EVIDENCE = {
    "en": 'The passage says: "{e}".',
    "es": 'El texto dice: "{e}".',
    "de": 'Im Text steht: "{e}".',
    "fr": "Le texte dit : « {e} ».",
    "pt": 'O texto diz: "{e}".',
    "it": 'Il testo dice: "{e}".',
}
READ_BETTER = {
    "en": 'A more natural way to write it: "{c}"',
    "es": 'Una forma más natural en inglés: "{c}"',
    "de": 'Natürlicher auf Englisch: "{c}"',
    "fr": "Plus naturel en anglais : « {c} »",
    "pt": 'Uma forma mais natural em inglês: "{c}"',
    "it": 'In modo più naturale in inglese: "{c}"',
}
# What learners ask next about the correction (same chat), in English and in their language.
READ_FOLLOWS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (
            "why is my grammar wrong?",
            "After he/she/it, the present simple verb takes -s (he uses, she doesn't), and "
            "after 'because of' we use a noun. Small things, but they make your English sound natural.",
        ),
        ("thank you!", "You're welcome! On to the next question."),
        (
            "can you give me one more question about this text?",
            "Sure: what does the last sentence tell us about the writer's opinion? Answer in one sentence.",
        ),
    ),
    "es": (
        (
            "¿por qué está mal mi gramática?",
            "Con he/she/it el verbo lleva -s en presente (he uses), y 'because of' va seguido de un sustantivo.",
        ),
    ),
    "de": (
        (
            "warum ist das grammatisch falsch?",
            "Nach he/she/it bekommt das Verb im Present Simple ein -s (he uses), "
            "und nach 'because of' steht ein Nomen.",
        ),
    ),
    "fr": (
        (
            "pourquoi c'est faux grammaticalement ?",
            "Avec he/she/it, le verbe au présent simple prend un -s (he uses), et après 'because of' on met un nom.",
        ),
    ),
    "pt": (
        (
            "por que a gramática está errada?",
            "Com he/she/it o verbo no presente leva -s (he uses), e depois de 'because of' vem um substantivo.",
        ),
    ),
    "it": (
        (
            "perché la grammatica è sbagliata?",
            "Con he/she/it il verbo al presente prende la -s (he uses), e dopo 'because of' si usa un sostantivo.",
        ),
    ),
}
READUP_SYSTEM = (
    "You are ReadUp's English reading tutor for learners at levels A2 to B2. The learner sends a short passage, a "
    "comprehension question and their answer. First decide whether the answer is right according to the passage "
    "and quote the words that show it. Then point out up to three language mistakes and give a corrected version "
    "of their sentence. Explain simply and kindly. If the learner writes to you in their own language, explain in "
    "that language but keep the corrected sentence in English."
)
READUP_RELEASE = START + 4 * DAY + 16 * HOUR
READUP_WINDOWS = (Window(18.0, 22.5, 0.6), Window(9.0, 12.0, 0.25, weekend=2.5, weekday=0.2), Window(12.5, 14.0, 0.15))
LEARNER_TZ = {"es": [1.0, -6.0, -5.0], "de": [1.0], "fr": [1.0, -5.0], "pt": [0.0, -3.0], "it": [1.0]}


def _readup_message(reading: Reading, q: Comprehension, answer: str, ask: str, v2: bool) -> str:
    if v2:  # 1.8 adds the title and a line between the passage and the task
        return f"Passage: {reading.title}\n{reading.text}\n\nQuestion: {q.question}\nMy answer: {answer}\n\n{ask}"
    return f"Passage: {reading.text}\nQuestion: {q.question}\nMy answer: {answer}\n\n{ask}"


def _readup(rng: random.Random) -> list[Record]:
    out: list[Record] = []
    school = _site(rng)  # a language school's lab where a class practises together
    # Fixed shares of first languages, and about a third of each group asks in its own language rather
    # than in English (fixed too: 60 learners are too few for every group to show it by chance).
    learners = [
        (native, i < round(size * 0.35))
        for native, size in (("es", 18), ("de", 12), ("fr", 12), ("pt", 11), ("it", 7))
        for i in range(size)
    ]
    rng.shuffle(learners)
    for n_user, (native, own_language) in enumerate(learners[: APPS["reading"].keys]):
        lang = native if own_language else "en"
        key, style = new_key(rng), _style(rng, careful=0.5)
        tz = rng.choice(LEARNER_TZ[native])
        ips = _home_ips(rng) + ([school] if n_user % 12 == 0 else [])
        updated = _update_time(rng, READUP_RELEASE)
        n = (10, 50)[n_user] if n_user < 2 else _count(rng, 10, 50, 24)
        sizes = _split(rng, n, max(2, round(n / rng.uniform(5, 12))))
        starts = _session_starts(rng, len(sizes), tz, READUP_WINDOWS)
        for times in _lay_out(rng, starts, sizes, gap=rng.uniform(90, 240)):
            v2 = times[0] >= updated
            platform = "web" if rng.random() < 0.6 else "iOS 17.6"
            client = Client(
                key, "anthropic", "claude-haiku-4-5", f"ReadUp/{'1.8.0' if v2 else '1.7.2'} ({platform})", ips
            )
            exchanges: list[Exchange] = []
            while len(exchanges) < len(times):
                reading = rng.choice(READINGS)
                for q in reading.questions:  # the app walks through the passage's questions in order
                    attempt = rng.choice(q.attempts)
                    answer = _typos(rng, attempt.text, style.typos)
                    ask = _typed(rng, style, rng.choice(READ_ASKS[lang]))
                    reply = " ".join(
                        (
                            READ_VERDICTS[lang][attempt.verdict],
                            READ_EVIDENCE[lang].replace("{e}", q.evidence),
                            READ_BETTER[lang].replace("{c}", attempt.corrected),
                        )
                    )
                    exchanges.append(Exchange(_readup_message(reading, q, answer, ask, v2), reply))
                    if rng.random() < 0.18:
                        text, follow = rng.choice(READ_FOLLOWS[lang])
                        exchanges.append(Exchange(_typed(rng, style, text), follow, fresh=False))
            requests = _conversation_requests(READUP_SYSTEM, exchanges[: len(times)])
            out += _emit(rng, [client] * len(times), times, requests)
    return out


# --------------------------------------------------------------------------------------------------
# The population
# --------------------------------------------------------------------------------------------------


def framed_app_users(rng: random.Random, scale: float) -> list[Record]:
    """Honest users of five apps whose turns carry question/answer fields (about 650 keys over a week).

    ``scale`` is ignored: the population is a false-positive denominator and keeps its size. Records are
    sorted by time and labelled benign."""
    del scale
    out = _markwell(rng) + _docsask(rng) + _recall(rng) + _passprep(rng) + _readup(rng)
    out.sort(key=lambda r: (r["ts"], r["client"]))
    return out
