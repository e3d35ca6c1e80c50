"""Honest users of popular bring-your-own-key apps: many unrelated keys, one shared system prompt.

What this models. Some products let every user paste their own API key, so the provider sees a
crowd of unrelated keys that all send the *same* system prompt, and because these are tutoring and
study products, that prompt asks for careful, step-by-step reasoning. Three such products:

1. **SolveSprout**, a homework-help app (iOS, Android, web): 400 student keys over two days, each
   sending one to six requests in one or two sessions. Students send arithmetic and algebra word
   problems, physics and chemistry exercises, history and biology questions and multiple-choice
   items pasted from worksheets, ask "why?" or "explain step 2 again", make typos and say thanks.
   Arrivals follow an after-school evening peak in each student's time zone, and once a teacher
   shares the app with a class: 30–40 new keys within an hour, mostly on the school's network,
   each working through a few items of the same ten-item worksheet.
2. **deliberate-chat**, an open-source "reasoning assistant" template that developers deploy for
   themselves: 150 keys in one day, each sending one to ten varied questions (planning, maths,
   code, trivia) at a human pace, the chat history carried along for follow-ups.
3. **Parlo**, a language-learning app: 100 learner keys over two days asking for grammar to be
   explained step by step, writing partly (some entirely) in Spanish, French, German or Japanese.

Each key is its own client with its own residential address (a few share a campus network).
Everything is honest traffic: the label is scenario ``popular_apps``, campaign ``benign``.

Provenance. This module was written by a different author from the one who wrote the detector's
rules, without reading them (or the detector, its results or the other scenarios), so that the
false-positive rate measured on it is not tuned to it. Every prompt and question below was written
for this module; none is copied from a public prompt collection.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from benchmarks.traffic_scenarios.grammar import capitalised, expand
from benchmarks.traffic_scenarios.network import browser_user_agent, residential_ip
from benchmarks.traffic_scenarios.records import BENIGN, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

__all__ = [
    "HOMEWORK_KEYS",
    "HOMEWORK_SYSTEM",
    "LANGUAGE_KEYS",
    "LANGUAGE_SYSTEM",
    "REASONING_KEYS",
    "REASONING_SYSTEM",
    "SCENARIO",
    "WORKSHEET",
    "popular_app_users",
]

SCENARIO = "popular_apps"
HOMEWORK_KEYS = 400
REASONING_KEYS = 150
LANGUAGE_KEYS = 100

HOMEWORK_SYSTEM = (
    "You are SolveSprout, a patient homework tutor for middle and high school students. When a "
    "student sends a problem, explain every step of the solution in order and show all of your "
    "working: write out each calculation, formula or piece of reasoning instead of skipping ahead. "
    "Use plain language that a 13-year-old can follow. When you have a result, check it (substitute "
    "it back, estimate, or reason about units) and say whether the check worked. For multiple-choice "
    "questions, explain why the correct option is right and why each of the other options is wrong. "
    'End every solution with a line that starts with "Final answer:". If the student asks about a '
    "step, explain that step again more slowly with a smaller example. If the student is just "
    "chatting or saying thanks, reply briefly and kindly. Do not write essays or whole assignments "
    "for the student; help them understand the work."
)

REASONING_SYSTEM = (
    "You are a careful, thoughtful assistant. Before you answer, think the problem through. Lay out "
    "your reasoning step by step: restate what is being asked, list the facts and assumptions you "
    "are relying on, work through the problem one step at a time, and then look back over your "
    "steps for mistakes or cases you missed. After the reasoning, give your conclusion under a "
    'heading "Answer". If the question is ambiguous, say which reading you chose. If you are not '
    "sure of something, say so plainly rather than guessing."
)

LANGUAGE_SYSTEM = (
    "You are Parlo, a friendly language tutor. The learner is studying Spanish, French, German or "
    "Japanese and may write in English, in the language they are learning, or in a mix of both. "
    "When they ask about grammar or send a sentence to check, explain it step by step: first name "
    "the grammar point involved, then state the rule simply, then go through their sentence or "
    "example piece by piece, and finally give the corrected or most natural version with a short "
    "English translation. Keep it short and encouraging, and finish with one extra example sentence. "
    "Answer in English unless the learner writes entirely in the language they are learning; then "
    "answer in that language, at a simple level."
)


@dataclass(frozen=True)
class Item:
    """One question a user asks, with the reply the app showed them (carried as history in a
    follow-up), a detail a follow-up can point at, and how many steps the reply had."""

    question: str
    answer: str
    detail: str
    steps: int = 3


Gen = Callable[[random.Random], Item]
Turn = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Small helpers


def _n(x: float, places: int = 2) -> str:
    """A number as a student would write it: no trailing zeros."""
    r = round(x, places)
    if r == int(r):
        return str(int(r))
    return f"{r:.{places}f}".rstrip("0").rstrip(".")


def _solution(steps: Sequence[str], check: str | None, final: str) -> str:
    lines = [f"Step {i}: {s}" for i, s in enumerate(steps, 1)]
    if check:
        lines.append(f"Check: {check}")
    lines.append(f"Final answer: {final}")
    return "\n".join(lines)


def _reasoned(steps: Sequence[str], answer: str) -> str:
    lines = [f"{i}. {s}" for i, s in enumerate(steps, 1)]
    return "Let me think this through.\n\n" + "\n".join(lines) + f"\n\nAnswer\n{answer}"


def _weighted(rng: random.Random, weights: Sequence[float]) -> int:
    """An index drawn with the given weights."""
    return rng.choices(range(len(weights)), weights=weights)[0]


def _typos(rng: random.Random, text: str) -> str:
    """Text typed fast on a phone: a slipped letter or two, maybe all lower case, texting spellings."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 4]
    for i in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        op = rng.random()
        if op < 0.4:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif op < 0.7:
            w = w[:j] + w[j + 1 :]
        else:
            w = w[:j] + w[j] + w[j:]
        words[i] = w
    out = " ".join(words)
    if rng.random() < 0.5:
        out = out.lower()
    if rng.random() < 0.4:
        out = out.replace(" you ", " u ").replace("please", "pls").replace("Please", "pls")
    if rng.random() < 0.3:
        out = out.rstrip("?.!")
    return out


def _arrival(rng: random.Random, start: float, days: int, offset: float, hour_weights: Sequence[float]) -> float:
    """A first-request time in ``[start, start + days)``: a local hour drawn from ``hour_weights``
    in a time zone ``offset`` hours from UTC."""
    while True:
        local = rng.randrange(days + 1) * DAY + _weighted(rng, hour_weights) * HOUR + rng.uniform(0, HOUR)
        t = start + local - offset * HOUR
        if start <= t < start + days * DAY:
            return t


def _session(rng: random.Random, n: int, start: float, think: float) -> list[float]:
    """``n`` requests of one sitting: log-normal gaps around ``think`` seconds."""
    t, out = start, list[float]()
    for _ in range(n):
        out.append(t)
        t += rng.lognormvariate(math.log(think), 0.7)
    return out


def _split_sessions(times: Sequence[float], gap: float = 20 * 60) -> list[list[float]]:
    """Consecutive times grouped into sittings wherever a gap exceeds ``gap`` seconds."""
    out: list[list[float]] = []
    for t in times:
        if out and t - out[-1][-1] <= gap:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def _hours(weights: str) -> list[float]:
    """24 weights, one per local hour from midnight, written on one line."""
    out = [float(w) for w in weights.split()]
    assert len(out) == 24
    return out


def _key(rng: random.Random) -> str:
    return new_key(rng, "sk-proj-" if rng.random() < 0.7 else "sk-")


def _home_ips(rng: random.Random) -> list[str]:
    """A home connection, and for some people their phone's mobile data as well."""
    ips = [residential_ip(rng)]
    if rng.random() < 0.3:
        ips.append(residential_ip(rng))
    return ips


def _dialogue(
    rng: random.Random,
    sessions: Sequence[Sequence[float]],
    fresh: Callable[[random.Random], tuple[str, Item]],
    follow_up: Callable[[random.Random, Item], str],
    thanks: Callable[[random.Random], str],
    p_follow: float,
    p_thanks: float,
    again: str,
) -> list[tuple[float, list[Turn]]]:
    """What one user sends: each sitting opens a new question; later requests in a sitting either
    follow up on the open conversation (history carried), thank and close it, or start a new one."""
    out: list[tuple[float, list[Turn]]] = []
    for times in sessions:
        history: list[Turn] = []
        item: Item | None = None
        for t in times:
            roll = rng.random()
            if item is not None and history and roll < p_thanks:
                out.append((t, [*history, {"role": "user", "content": thanks(rng)}]))
                history, item = [], None
            elif item is not None and history and roll < p_thanks + p_follow:
                text = follow_up(rng, item)
                out.append((t, [*history, {"role": "user", "content": text}]))
                history = [
                    *history,
                    {"role": "user", "content": text},
                    {"role": "assistant", "content": again + item.answer},
                ]
            else:
                text, item = fresh(rng)
                out.append((t, [{"role": "user", "content": text}]))
                history = [{"role": "user", "content": text}, {"role": "assistant", "content": item.answer}]
    return out


# ---------------------------------------------------------------------------------------------
# 1. SolveSprout, homework help: maths word problems (numbers drawn, solutions computed)


def _speed(rng: random.Random) -> Item:
    speed = rng.randrange(40, 100, 5)
    hours = rng.choice([1.5, 2.0, 2.5, 3.0, 4.0])
    dist = speed * hours
    vehicle = rng.choice(["bus", "train", "car", "delivery truck"])
    ask = expand("⟦What is its average speed?|Find its average speed in km/h.|How fast was it going on average?⟧", rng)
    q = f"A {vehicle} travels {_n(dist)} km in {_n(hours)} hours. {ask}"
    a = _solution(
        ["Average speed = total distance ÷ total time.", f"{_n(dist)} km ÷ {_n(hours)} h = {speed} km/h."],
        f"{speed} × {_n(hours)} = {_n(dist)} km ✓",
        f"{speed} km/h",
    )
    return Item(q, a, str(speed), 2)


def _discount(rng: random.Random) -> Item:
    price = rng.randrange(20, 125, 5)
    off = rng.choice([10, 15, 20, 25, 30, 40])
    cut = price * off / 100
    sale = price - cut
    thing = rng.choice(["jacket", "pair of shoes", "video game", "backpack", "skateboard"])
    q = f"A {thing} costs ${price} and is on sale for {off}% off. What is the sale price?"
    a = _solution(
        [
            f"Find {off}% of ${price}: {off}/100 × {price} = ${cut:.2f}.",
            f"Subtract the discount from the price: ${price} − ${cut:.2f} = ${sale:.2f}.",
        ],
        f"{100 - off}% of {price} = {sale:.2f} ✓",
        f"${sale:.2f}",
    )
    return Item(q, a, f"{cut:.2f}", 2)


def _signed(b: int) -> str:
    return f"+ {b}" if b >= 0 else f"- {-b}"


def _linear(rng: random.Random) -> Item:
    a, x = rng.randint(2, 9), rng.randint(-6, 15)
    b = rng.choice([v for v in range(-20, 21) if v != 0])
    c = a * x + b
    q = expand(f"⟦Solve for x: |solve |What is x if |⟧{a}x {_signed(b)} = {c}", rng)
    move = f"Subtract {b} from both sides" if b > 0 else f"Add {-b} to both sides"
    a_text = _solution(
        [f"{move}: {a}x = {c - b}.", f"Divide both sides by {a}: x = {x}."],
        f"{a}({x}) {_signed(b)} = {a * x} {_signed(b)} = {c} ✓",
        f"x = {x}",
    )
    return Item(q, a_text, str(c - b), 2)


def _rectangle(rng: random.Random) -> Item:
    w, k = rng.randint(3, 20), rng.randint(2, 9)
    length, p = w + k, 2 * (2 * w + k)
    q = (
        f"The length of a rectangle is {k} cm more than its width. Its perimeter is {p} cm. Find the length and the "
        "width."
    )
    a = _solution(
        [
            f"Let the width be w. Then the length is w + {k}.",
            f"Perimeter = 2(length + width) = 2(w + {k} + w) = 4w + {2 * k}.",
            f"Set it equal to {p}: 4w + {2 * k} = {p}, so 4w = {p - 2 * k} and w = {w}.",
            f"Length = {w} + {k} = {length}.",
        ],
        f"2({length} + {w}) = {p} ✓",
        f"width {w} cm, length {length} cm",
    )
    return Item(q, a, str(p - 2 * k), 4)


def _consecutive(rng: random.Random) -> Item:
    n = rng.randint(-8, 60)
    s = 3 * n + 3
    q = f"The sum of three consecutive integers is {s}. What are the integers?"
    a = _solution(
        [
            "Call the integers n, n + 1 and n + 2.",
            f"Add them: 3n + 3 = {s}.",
            f"Subtract 3: 3n = {s - 3}. Divide by 3: n = {n}.",
        ],
        f"{n} + {n + 1} + {n + 2} = {s} ✓",
        f"{n}, {n + 1}, {n + 2}",
    )
    return Item(q, a, str(s - 3), 3)


def _fractions(rng: random.Random) -> Item:
    b, d = rng.randint(2, 12), rng.randint(2, 12)
    x, y = Fraction(rng.randint(1, b - 1), b), Fraction(rng.randint(1, d - 1), d)
    plus = rng.random() < 0.6 or x == y
    if not plus and x < y:
        x, y = y, x
    result = x + y if plus else x - y
    lcd = math.lcm(x.denominator, y.denominator)
    sx, sy = x.numerator * lcd // x.denominator, y.numerator * lcd // y.denominator
    op = "+" if plus else "-"
    q = expand(f"⟦What is |Work out |⟧{x} {op} {y}⟦? Simplify your answer.|?|⟧", rng)
    a = _solution(
        [
            f"The lowest common denominator of {x.denominator} and {y.denominator} is {lcd}.",
            f"Rewrite: {x} = {sx}/{lcd} and {y} = {sy}/{lcd}.",
            f"{'Add' if plus else 'Subtract'} the numerators: {sx} {op} {sy} = {sx + sy if plus else sx - sy}, "
            f"so the result is {sx + sy if plus else sx - sy}/{lcd}.",
            f"Simplify: {result}.",
        ],
        None,
        str(result),
    )
    return Item(q, a, f"{lcd}", 4)


def _factor_term(r: int) -> str:
    return f"(x - {r})" if r > 0 else f"(x + {-r})"


def _quadratic(rng: random.Random) -> Item:
    nonzero = [v for v in range(-9, 10) if v != 0]
    r1, r2 = rng.choice(nonzero), rng.choice(nonzero)
    b, c = -(r1 + r2), r1 * r2
    sq = rng.choice(["x^2", "x²"])
    poly = sq + (f" {_signed(b)}x" if b else "") + f" {_signed(c)}"
    poly = poly.replace(" + 1x", " + x").replace(" - 1x", " - x")
    q = expand(f"⟦Solve |solve |Find the solutions of |⟧{poly} = 0⟦ by factoring| |⟧", rng)
    roots = sorted({r1, r2})
    final = " or ".join(f"x = {r}" for r in roots)
    a = _solution(
        [
            f"Find two numbers that multiply to {c} and add to {b}: {-r1} and {-r2}.",
            f"Factor: {_factor_term(r1)}{_factor_term(r2)} = 0.",
            f"Set each factor to zero: {final}.",
        ],
        f"({r1})² + ({b})({r1}) + ({c}) = {r1 * r1 + b * r1 + c} ✓",
        final,
    )
    return Item(q, a, f"{-r1} and {-r2}", 3)


def _needed_score(rng: random.Random) -> Item:
    while True:
        scores = [rng.randint(64, 98) for _ in range(5)]
        target = rng.choice([80, 85, 88, 90])
        need = target * 6 - sum(scores)
        if 55 <= need <= 100:
            break
    name = rng.choice(["Maya", "Jordan", "Priya", "Luis", "Aiden", "Fatima", "Chen"])
    listed = ", ".join(map(str, scores))
    q = (
        f"{name} got {listed} on her first five tests. What does she need on the sixth test to have an average of "
        f"{target}?"
    )
    if name in ("Jordan", "Luis", "Aiden", "Chen"):
        q = q.replace(" her ", " his ").replace(" she ", " he ")
    a = _solution(
        [
            f"An average of {target} over 6 tests means a total of {target} × 6 = {target * 6}.",
            f"The first five add up to {listed.replace(', ', ' + ')} = {sum(scores)}.",
            f"Needed score = {target * 6} − {sum(scores)} = {need}.",
        ],
        f"({sum(scores)} + {need}) ÷ 6 = {target} ✓",
        str(need),
    )
    return Item(q, a, str(sum(scores)), 3)


def _ages(rng: random.Random) -> Item:
    young, gap = rng.randint(5, 15), rng.randint(2, 8)
    total = 2 * young + gap
    older, sib = rng.choice([("Sam", "sister"), ("Ella", "brother"), ("Noah", "cousin"), ("Zoe", "sister")])
    q = f"{older} is {gap} years older than their {sib}. The sum of their ages is {total}. How old is each of them?"
    a = _solution(
        [
            f"Let the {sib}'s age be a. Then {older} is a + {gap}.",
            f"a + a + {gap} = {total}, so 2a = {total - gap} and a = {young}.",
            f"{older} is {young} + {gap} = {young + gap}.",
        ],
        f"{young} + {young + gap} = {total} ✓",
        f"the {sib} is {young}, {older} is {young + gap}",
    )
    return Item(q, a, str(total - gap), 3)


def _unit_rate(rng: random.Random) -> Item:
    unit = rng.choice([0.85, 1.25, 1.5, 1.75, 2.4, 3.5])
    n, m = rng.randint(3, 8), rng.randint(9, 15)
    thing = rng.choice(["notebooks", "pens", "granola bars", "bottles of water", "packs of gum"])
    q = f"{n} {thing} cost ${n * unit:.2f}. How much would {m} {thing} cost?"
    a = _solution(
        [f"Price of one: ${n * unit:.2f} ÷ {n} = ${unit:.2f}.", f"Price of {m}: {m} × ${unit:.2f} = ${m * unit:.2f}."],
        f"{m * unit:.2f} ÷ {m} = {unit:.2f}, the same unit price ✓",
        f"${m * unit:.2f}",
    )
    return Item(q, a, f"{unit:.2f}", 2)


def _percent_of(rng: random.Random) -> Item:
    total = rng.choice([200, 240, 300, 400, 480, 500, 600, 800])
    pct = rng.randrange(5, 50, 5)
    part = pct * total // 100
    how = rng.choice(["walk to school", "take the bus", "play a sport", "have a pet"])
    q = f"{pct}% of the {total} students at a school {how}. How many students is that?"
    a = _solution(
        [f"{pct}% means {pct} out of 100, so multiply by {pct}/100.", f"{pct}/100 × {total} = {part}."],
        f"{part} ÷ {total} = {part / total:.2f} = {pct}% ✓",
        f"{part} students",
    )
    return Item(q, a, str(part), 2)


# Physics and chemistry exercises


def _force(rng: random.Random) -> Item:
    m = rng.choice([2, 4, 5, 8, 10, 12, 20, 25])
    acc = rng.choice([0.5, 1.5, 2.0, 2.5, 3.0, 4.0])
    f = m * acc
    q = f"A net force of {_n(f)} N acts on a {m} kg box. What is the acceleration of the box?"
    a = _solution(
        ["Use Newton's second law: F = m × a, so a = F ÷ m.", f"a = {_n(f)} N ÷ {m} kg = {_n(acc)} m/s²."],
        f"{m} × {_n(acc)} = {_n(f)} N ✓",
        f"{_n(acc)} m/s²",
    )
    return Item(q, a, _n(acc), 2)


def _drop(rng: random.Random) -> Item:
    h = rng.choice([5, 20, 45, 80, 125])
    g = rng.choice([9.8, 10.0])
    t = math.sqrt(2 * h / g)
    q = (
        f"A stone is dropped from a height of {h} m. How long does it take to hit the ground? (use g = {_n(g)} m/s², "
        "ignore air resistance)"
    )
    a = _solution(
        [
            "It starts from rest, so h = ½ g t².",
            f"Rearrange: t = √(2h ÷ g) = √(2 × {h} ÷ {_n(g)}).",
            f"t = √{_n(2 * h / g, 3)} ≈ {_n(t)} s.",
        ],
        f"½ × {_n(g)} × {_n(t)}² ≈ {_n(0.5 * g * t * t, 1)} m ✓",
        f"about {_n(t)} s",
    )
    return Item(q, a, _n(2 * h / g, 3), 3)


def _density(rng: random.Random) -> Item:
    mass, vol = rng.randint(20, 400), rng.randint(15, 250)
    rho = mass / vol
    q = f"An object has a mass of {mass} g and a volume of {vol} cm³. What is its density, and will it float in water?"
    floats = "floats" if rho < 1 else "sinks"
    a = _solution(
        [
            "Density = mass ÷ volume.",
            f"{mass} g ÷ {vol} cm³ ≈ {_n(rho)} g/cm³.",
            f"Water is 1.00 g/cm³; {_n(rho)} is {'less' if rho < 1 else 'more'} than that, so it {floats}.",
        ],
        f"{_n(rho)} × {vol} ≈ {mass} g ✓",
        f"{_n(rho)} g/cm³, it {floats}",
    )
    return Item(q, a, _n(rho), 3)


def _ohm(rng: random.Random) -> Item:
    v = rng.choice([1.5, 3.0, 6.0, 9.0, 12.0, 24.0])
    r = rng.choice([2, 3, 4, 6, 8, 10, 12, 20])
    i = v / r
    q = (
        f"A {_n(v)} V battery is connected to a {r} Ω resistor. What current flows, and what power does the resistor "
        "use?"
    )
    a = _solution(
        [
            f"Ohm's law: I = V ÷ R = {_n(v)} ÷ {r} = {_n(i, 3)} A.",
            f"Power: P = V × I = {_n(v)} × {_n(i, 3)} = {_n(v * i, 3)} W.",
        ],
        f"V²/R = {_n(v * v / r, 3)} W, the same ✓",
        f"{_n(i, 3)} A and {_n(v * i, 3)} W",
    )
    return Item(q, a, _n(i, 3), 2)


def _kinetic(rng: random.Random) -> Item:
    m = rng.choice([0.5, 2, 5, 60, 70, 1200])
    v = rng.choice([2, 3, 4, 5, 10, 15, 20])
    ke = 0.5 * m * v * v
    q = f"What is the kinetic energy of a {_n(m)} kg object moving at {v} m/s?"
    a = _solution(
        ["KE = ½ m v².", f"v² = {v}² = {v * v}.", f"KE = ½ × {_n(m)} × {v * v} = {_n(ke)} J."],
        "units: kg × m²/s² = J ✓",
        f"{_n(ke)} J",
    )
    return Item(q, a, str(v * v), 3)


def _wave(rng: random.Random) -> Item:
    f = rng.choice([170, 256, 340, 440, 512, 680, 1000])
    lam = 340 / f
    q = f"A sound wave has a frequency of {f} Hz. The speed of sound is 340 m/s. What is its wavelength?"
    a = _solution(
        ["Wave equation: v = f × λ, so λ = v ÷ f.", f"λ = 340 ÷ {f} ≈ {_n(lam, 3)} m."],
        f"{f} × {_n(lam, 3)} ≈ 340 m/s ✓",
        f"about {_n(lam, 3)} m",
    )
    return Item(q, a, _n(lam, 3), 2)


_SUBSTANCES = [
    ("water", "H2O", 18.02, "2(1.01) + 16.00"),
    ("sodium chloride", "NaCl", 58.44, "22.99 + 35.45"),
    ("carbon dioxide", "CO2", 44.01, "12.01 + 2(16.00)"),
    ("glucose", "C6H12O6", 180.16, "6(12.01) + 12(1.01) + 6(16.00)"),
    ("calcium carbonate", "CaCO3", 100.09, "40.08 + 12.01 + 3(16.00)"),
]


def _moles(rng: random.Random) -> Item:
    name, formula, molar, parts = rng.choice(_SUBSTANCES)
    grams = rng.randint(5, 250)
    mol = grams / molar
    q = rng.choice(
        [
            f"How many moles are in {grams} g of {formula}?",
            f"How many moles of {name} are in {grams} g?",
            f"Convert {grams} g of {formula} to moles",
            f"how many mol is {grams}g of {formula}",
        ]
    )
    a = _solution(
        [
            f"Find the molar mass of {formula}: {parts} = {molar} g/mol.",
            f"moles = mass ÷ molar mass = {grams} ÷ {molar} ≈ {_n(mol, 3)} mol.",
        ],
        f"{_n(mol, 3)} × {molar} ≈ {grams} g ✓",
        f"about {_n(mol, 3)} mol",
    )
    return Item(q, a, str(molar), 2)


def _molarity(rng: random.Random) -> Item:
    grams = rng.choice([2, 4, 5, 8, 10, 20])
    ml = rng.choice([100, 250, 500, 1000])
    mol = grams / 40.0
    conc = mol / (ml / 1000)
    q = f"{grams} g of NaOH is dissolved in water to make {ml} mL of solution. What is the molarity?"
    a = _solution(
        [
            "Molar mass of NaOH = 22.99 + 16.00 + 1.01 = 40.00 g/mol.",
            f"moles = {grams} ÷ 40.00 = {_n(mol, 3)} mol.",
            f"volume = {ml} mL = {_n(ml / 1000, 3)} L.",
            f"molarity = {_n(mol, 3)} ÷ {_n(ml / 1000, 3)} = {_n(conc, 3)} M.",
        ],
        None,
        f"{_n(conc, 3)} M",
    )
    return Item(q, a, _n(mol, 3), 4)


_EQUATIONS = [
    ("Al + O2 → Al2O3", "4Al + 3O2 → 2Al2O3", "Al"),
    ("C3H8 + O2 → CO2 + H2O", "C3H8 + 5O2 → 3CO2 + 4H2O", "O"),
    ("N2 + H2 → NH3", "N2 + 3H2 → 2NH3", "H"),
    ("Fe + Cl2 → FeCl3", "2Fe + 3Cl2 → 2FeCl3", "Cl"),
    ("CH4 + O2 → CO2 + H2O", "CH4 + 2O2 → CO2 + 2H2O", "O"),
    ("KClO3 → KCl + O2", "2KClO3 → 2KCl + 3O2", "O"),
    ("Na + H2O → NaOH + H2", "2Na + 2H2O → 2NaOH + H2", "H"),
]


def _balance(rng: random.Random) -> Item:
    raw, balanced, tricky = rng.choice(_EQUATIONS)
    shown = raw if rng.random() < 0.6 else raw.replace("→", "->")
    q = expand(
        f"⟦Balance this equation: |balance |Balance the following chemical equation: |how do i balance ⟧{shown}", rng
    )
    a = _solution(
        [
            "Count the atoms of each element on both sides.",
            f"Start with the element that is hardest to match ({tricky}) and put coefficients in front of the "
            "formulas.",
            "Adjust the other coefficients until every element has the same count on both sides.",
        ],
        "every element now has equal numbers of atoms on each side ✓",
        balanced,
    )
    return Item(q, a, tricky, 3)


# Questions to explain (history, biology, science, English): written with the reply shown.

_EXPLAIN: list[tuple[str, str, str]] = [
    (
        "What were the main causes of World War I?",
        _solution(
            [
                "Long-term causes: militarism (an arms race), alliances (Europe split into two blocs), "
                "imperialism (rivalry over colonies) and nationalism.",
                "The trigger: Archduke Franz Ferdinand of Austria-Hungary was shot in Sarajevo in June 1914.",
                "Austria-Hungary declared war on Serbia and the alliance system pulled the other powers in within "
                "weeks.",
            ],
            "each cause explains why a local crisis turned into a continent-wide war ✓",
            "militarism, alliances, imperialism and nationalism, set off by the assassination of Franz Ferdinand",
        ),
        "alliances",
    ),
    (
        "why was the printing press such a big deal",
        _solution(
            [
                "Before it, books were copied by hand, so they were rare and expensive.",
                "Gutenberg's press (around 1440) made copies quickly and cheaply.",
                "More people could buy books and learn to read, and new ideas (science, the Reformation) spread fast.",
            ],
            None,
            "it made books cheap and fast to produce, spreading literacy and ideas across Europe",
        ),
        "Gutenberg",
    ),
    (
        "What was the significance of the Magna Carta?",
        _solution(
            [
                "In 1215 a group of English barons forced King John to agree to it.",
                "It said the king also had to follow the law, for example he could not imprison free men without a "
                "lawful trial.",
                "Later it became a symbol of limited government and influenced documents like the US Bill of Rights.",
            ],
            None,
            "it set the idea that even the king is subject to the law",
        ),
        "1215",
    ),
    (
        "Why did the United States enter World War 2?",
        _solution(
            [
                "Until 1941 the US was officially neutral, though it sent supplies to Britain through Lend-Lease.",
                "On 7 December 1941 Japan attacked the US naval base at Pearl Harbor.",
                "The US declared war on Japan the next day, and Germany declared war on the US a few days later.",
            ],
            None,
            "because of Japan's attack on Pearl Harbor in December 1941",
        ),
        "Lend-Lease",
    ),
    (
        "give 3 reasons the western roman empire fell",
        _solution(
            [
                "Political instability: many short-lived emperors and civil wars.",
                "Economic problems: heavy taxes, inflation and dependence on slave labour.",
                "Outside pressure: Germanic peoples and the Huns; in 476 Odoacer removed the last western emperor.",
            ],
            None,
            "political instability, economic decline and invasions",
        ),
        "476",
    ),
    (
        "what was the cold war and why is it called cold",
        _solution(
            [
                "It was a rivalry between the USA and the Soviet Union from about 1947 to 1991.",
                "It is called 'cold' because the two superpowers never fought each other directly.",
                "They competed through an arms race, the space race and proxy wars such as Korea and Vietnam.",
            ],
            None,
            "a long US–Soviet rivalry with no direct war between the two",
        ),
        "proxy wars",
    ),
    (
        "How did the Industrial Revolution change where people lived?",
        _solution(
            [
                "Factories were built near coal, rivers and ports.",
                "The jobs were there, so families moved from farms into towns (urbanisation).",
                "Cities grew very fast, often with crowded and unhealthy housing.",
            ],
            None,
            "people moved from the countryside into quickly growing industrial cities",
        ),
        "urbanisation",
    ),
    (
        "What did the Treaty of Versailles do to Germany",
        _solution(
            [
                "Germany had to accept the blame for the war (the war guilt clause).",
                "It had to pay large reparations.",
                "It lost land such as Alsace-Lorraine and its colonies, and its army was limited to 100,000 men.",
            ],
            None,
            "blame, reparations, lost territory and a limited army",
        ),
        "reparations",
    ),
    (
        "what is the difference between mitosis and meiosis",
        _solution(
            [
                "Mitosis: one division, 2 identical cells with the full number of chromosomes; used for growth and "
                "repair.",
                "Meiosis: two divisions, 4 cells with half the chromosomes; used to make sperm and egg cells.",
                "Meiosis also shuffles genes (crossing over), so the 4 cells are all different.",
            ],
            None,
            "mitosis makes 2 identical body cells; meiosis makes 4 genetically different sex cells",
        ),
        "crossing over",
    ),
    (
        "Explain photosynthesis step by step",
        _solution(
            [
                "The plant takes in carbon dioxide through its leaves and water through its roots.",
                "Chlorophyll in the chloroplasts absorbs light energy.",
                "That energy turns CO2 and water into glucose, and oxygen is released: 6CO2 + 6H2O → C6H12O6 + 6O2.",
            ],
            None,
            "light energy converts carbon dioxide and water into glucose and oxygen",
        ),
        "chlorophyll",
    ),
    (
        "why do we need red blood cells",
        _solution(
            [
                "Every cell needs oxygen for respiration, which releases energy.",
                "Red blood cells contain haemoglobin, which picks up oxygen in the lungs.",
                "They carry it around the body and release it in the tissues; they also help carry CO2 back.",
            ],
            None,
            "to carry oxygen from the lungs to every cell",
        ),
        "haemoglobin",
    ),
    (
        "How does natural selection work? Use an example.",
        _solution(
            [
                "Individuals in a population vary, and some of the variation is inherited.",
                "Some variants survive and reproduce better in their environment.",
                "Those variants become more common over generations. Example: dark peppered moths spread in "
                "sooty industrial England because birds spotted pale moths more easily.",
            ],
            None,
            "inherited traits that help survival and reproduction become more common over time",
        ),
        "peppered moths",
    ),
    (
        "Explain how enzymes work and why high temperatures stop them working",
        _solution(
            [
                "An enzyme is a protein with an active site shaped to fit its substrate.",
                "The substrate binds, the reaction happens faster, and the products leave.",
                "Too much heat changes the enzyme's shape (it denatures), so the substrate no longer fits.",
            ],
            None,
            "the active site fits the substrate; heat denatures the enzyme and the fit is lost",
        ),
        "active site",
    ),
    (
        "Two parents are both Bb for eye colour (B = brown, b = blue, blue is recessive). "
        "What is the probability that their child has blue eyes?",
        _solution(
            [
                "Each parent can pass on either B or b.",
                "Punnett square: BB, Bb, bB, bb.",
                "Only bb gives blue eyes, which is 1 box out of 4.",
            ],
            "1 BB + 2 Bb + 1 bb = 4 boxes ✓",
            "1/4, or 25%",
        ),
        "bb",
    ),
    (
        "whats the difference between DNA and RNA",
        _solution(
            [
                "DNA is double-stranded; RNA is usually single-stranded.",
                "DNA has the sugar deoxyribose and the base thymine; RNA has ribose and uracil instead of thymine.",
                "DNA stores genetic information; RNA copies it and helps build proteins.",
            ],
            None,
            "DNA stores the code (double strand, T); RNA carries and uses it (single strand, U)",
        ),
        "uracil",
    ),
    (
        "Describe the path of blood through the heart",
        _solution(
            [
                "Blood from the body enters the right atrium through the vena cava, then goes to the right ventricle.",
                "The right ventricle pumps it to the lungs through the pulmonary artery to pick up oxygen.",
                "It returns through the pulmonary vein to the left atrium, then the left ventricle pumps it out "
                "through the aorta.",
            ],
            None,
            "body → right atrium → right ventricle → lungs → left atrium → left ventricle → aorta",
        ),
        "pulmonary artery",
    ),
    (
        "Why does ice float on water?",
        _solution(
            [
                "Something floats if it is less dense than the liquid.",
                "When water freezes, hydrogen bonds hold the molecules in an open, spaced-out pattern.",
                "So ice (about 0.92 g/cm³) is less dense than liquid water (1.00 g/cm³).",
            ],
            None,
            "ice is less dense than water because its molecules are spaced further apart",
        ),
        "0.92",
    ),
    (
        "why is the sky blue",
        _solution(
            [
                "Sunlight contains all colours.",
                "Air molecules scatter short wavelengths (blue) much more than long ones (red): Rayleigh scattering.",
                "Scattered blue light reaches our eyes from every direction of the sky.",
            ],
            None,
            "air scatters blue light more than other colours",
        ),
        "Rayleigh scattering",
    ),
    (
        "What is the difference between mass and weight?",
        _solution(
            [
                "Mass is the amount of matter in an object, measured in kg. It is the same everywhere.",
                "Weight is the force of gravity on that mass, measured in newtons: W = m × g.",
                "On the Moon g is smaller, so your weight drops but your mass does not change.",
            ],
            None,
            "mass is matter (kg, constant); weight is gravity's pull (N, depends on g)",
        ),
        "W = m × g",
    ),
    (
        "Why do they put salt on icy roads?",
        _solution(
            [
                "Salt dissolves in the thin layer of water on the ice.",
                "Salt water has a lower freezing point than pure water (freezing point depression).",
                "So the ice melts at temperatures where pure water would stay frozen.",
            ],
            None,
            "salt lowers the freezing point of water, so the ice melts",
        ),
        "freezing point",
    ),
    (
        "whats the difference between a simile and a metaphor? examples pls",
        _solution(
            [
                "A simile compares two things using 'like' or 'as': 'Her voice was like honey.'",
                "A metaphor says one thing *is* another: 'Her voice was honey.'",
                "Both compare; only the simile uses 'like' or 'as'.",
            ],
            None,
            "simile = comparison with like/as; metaphor = comparison without them",
        ),
        "like or as",
    ),
    (
        "Is this a run-on sentence: 'I finished my homework I went outside.'",
        _solution(
            [
                "A run-on joins two complete sentences with no punctuation or joining word.",
                "'I finished my homework' and 'I went outside' are both complete sentences.",
                "Fix it with a full stop, a semicolon, or a joining word: 'I finished my homework, so I went outside.'",
            ],
            None,
            "yes, it is a run-on",
        ),
        "semicolon",
    ),
    (
        "explain the stages of the water cycle",
        _solution(
            [
                "Evaporation: the sun heats water in oceans and lakes and it turns into vapour.",
                "Condensation: the vapour cools high up and forms clouds.",
                "Precipitation: water falls as rain or snow, then collects in rivers, lakes and groundwater and the "
                "cycle repeats.",
            ],
            None,
            "evaporation → condensation → precipitation → collection",
        ),
        "condensation",
    ),
]


def _explain(rng: random.Random) -> Item:
    q, a, detail = rng.choice(_EXPLAIN)
    return Item(q, a, detail, 3)


# Multiple-choice items as pasted from a worksheet: question with options, answer, reasoning.

_CHOICE: list[tuple[str, str, str]] = [
    (
        "Which of the following is a chemical change?\nA. Ice melting\nB. Paper being cut\nC. Iron rusting\nD. "
        "Sugar dissolving in water",
        "C",
        "Rusting makes a new substance (iron oxide). Melting, cutting and dissolving only change form or size.",
    ),
    (
        "Which organelle is the site of protein synthesis?\nA) Nucleus\nB) Ribosome\nC) Golgi apparatus\nD) Vacuole",
        "B",
        "Ribosomes build proteins. The nucleus holds DNA, the Golgi packages proteins, the vacuole stores water.",
    ),
    (
        "What is the value of 3^4?\nA. 12\nB. 64\nC. 81\nD. 7",
        "C",
        "3^4 = 3 × 3 × 3 × 3 = 81. 12 is 3 × 4, 64 is 4^3 and 7 is 3 + 4.",
    ),
    (
        "Which of these events happened first?\nA. The French Revolution begins\nB. The Declaration of "
        "Independence is signed\nC. The Berlin Wall falls\nD. World War I begins",
        "B",
        "1776 comes before 1789 (French Revolution), 1914 (WWI) and 1989 (Berlin Wall).",
    ),
    (
        "A car speeds up from 0 to 20 m/s in 5 s. What is its acceleration?\n(A) 4 m/s²\n(B) 100 m/s²\n(C) 0.25 "
        "m/s²\n(D) 15 m/s²",
        "A",
        "a = change in velocity ÷ time = 20 ÷ 5 = 4 m/s². 100 multiplies instead of dividing, 0.25 divides the "
        "wrong way.",
    ),
    (
        "Which of the following is a prime number?\nA. 21\nB. 27\nC. 29\nD. 33",
        "C",
        "29 has no factors other than 1 and itself. 21 = 3 × 7, 27 = 3 × 9, 33 = 3 × 11.",
    ),
    (
        "The slope of the line y = -3x + 7 is\nA. 7\nB. -3\nC. 3\nD. -7",
        "B",
        "In y = mx + b the slope is m, here -3. 7 is the y-intercept; 3 and -7 have the wrong sign or part.",
    ),
    (
        "Which gas makes up most of Earth's atmosphere?\nA. Oxygen\nB. Carbon dioxide\nC. Nitrogen\nD. Argon",
        "C",
        "Nitrogen is about 78%. Oxygen is about 21%, argon under 1% and CO2 about 0.04%.",
    ),
    (
        "In which layer of the Earth do convection currents move the tectonic plates?\nA. Inner core\nB. Outer "
        "core\nC. Mantle\nD. Crust",
        "C",
        "Hot rock in the mantle rises and sinks slowly, dragging the plates. The crust is the plates themselves.",
    ),
    (
        "What is 15% of 80?\nA. 8\nB. 12\nC. 15\nD. 18",
        "B",
        "10% of 80 is 8 and 5% is 4, so 15% is 12.",
    ),
    (
        "Which word is an adverb in the sentence 'She quickly finished the long test'?\nA. She\nB. quickly\nC. "
        "long\nD. test",
        "B",
        "'Quickly' describes how she finished (a verb). 'She' is a pronoun, 'long' an adjective, 'test' a noun.",
    ),
    (
        "Who was the first emperor of Rome?\nA. Julius Caesar\nB. Augustus\nC. Nero\nD. Constantine",
        "B",
        "Augustus became emperor in 27 BC. Julius Caesar was a dictator, never emperor; Nero and Constantine came "
        "later.",
    ),
    (
        "Which of these is NOT a renewable energy source?\nA. Wind\nB. Solar\nC. Natural gas\nD. Hydroelectric",
        "C",
        "Natural gas is a fossil fuel that runs out. Wind, sunlight and flowing water are replaced naturally.",
    ),
    (
        "If 2x + 3 = 11, then x =\nA. 3\nB. 4\nC. 7\nD. 8",
        "B",
        "2x = 11 − 3 = 8, so x = 4. 7 and 8 forget a step; 3 is a guess that gives 9.",
    ),
    (
        "What type of bond forms when atoms share electrons?\nA. Ionic\nB. Covalent\nC. Metallic\nD. Hydrogen",
        "B",
        "Covalent bonds share electron pairs. Ionic bonds transfer electrons; metallic and hydrogen bonds are "
        "different attractions.",
    ),
]


def _choice(rng: random.Random) -> Item:
    text, letter, why = rng.choice(_CHOICE)
    number = rng.randint(1, 25)
    prefix = rng.choice(["", "", f"{number}. ", f"Q{number}) ", f"#{number} "])
    suffix = rng.choice(["", "", "\nanswer?", "\nwhich one and why", "\n\nI think it's A but not sure"])
    a = _solution(
        [f"The answer is {letter}.", why, "Cross out the options that do not fit and confirm the one left."],
        None,
        letter,
    )
    return Item(prefix + text + suffix, a, letter, 3)


_MATH: list[Gen] = [
    _speed,
    _discount,
    _linear,
    _linear,
    _rectangle,
    _consecutive,
    _fractions,
    _quadratic,
    _needed_score,
    _ages,
    _unit_rate,
    _percent_of,
]
_SCIENCE: list[Gen] = [_force, _drop, _density, _ohm, _kinetic, _wave, _moles, _molarity, _balance]
_HOMEWORK_KINDS: list[tuple[list[Gen], float, bool]] = [  # generators, weight, typed by hand
    (_MATH, 0.42, True),
    (_SCIENCE, 0.23, True),
    ([_explain], 0.2, True),
    ([_choice], 0.15, False),
]

_INTRO = [
    "can you help me with this",
    "I don't get this one",
    "hw due tomorrow pls help",
    "how do i do this",
    "my teacher wants us to show our work",
    "pls explain",
    "stuck on this one",
    "I have a test on this tomorrow",
    "help",
    "can someone explain this",
]


def _homework_fresh(rng: random.Random) -> tuple[str, Item]:
    kind = _weighted(rng, [w for _, w, _ in _HOMEWORK_KINDS])
    gens, _, typed = _HOMEWORK_KINDS[kind]
    item = rng.choice(gens)(rng)
    text = item.question
    if typed and rng.random() < 0.22:
        text = _typos(rng, text)
    roll = rng.random()
    if roll < 0.2:
        text = f"{rng.choice(_INTRO)}: {text}"
    elif roll < 0.35:
        text = f"{rng.choice(_INTRO)}\n\n{text}"
    return text, item


def _homework_follow(rng: random.Random, item: Item) -> str:
    step = rng.randint(1, max(1, item.steps))
    options = [
        "why?",
        "why",
        f"can you explain step {step} again",
        f"can u explain step {step} again i dont get it",
        f"how did you get {item.detail}?",
        f"wait where did {item.detail} come from",
        "is there an easier way to do this",
        "can you explain it simpler",
        "what does that mean",
        f"so the answer is {item.detail}?",
        "ok but my teacher got a different answer",
        "can you give me a similar one to practice",
        "why do we do that step first?",
    ]
    text = rng.choice(options)
    return _typos(rng, text) if rng.random() < 0.15 else text


def _homework_thanks(rng: random.Random) -> str:
    return rng.choice(
        [
            "thanks!",
            "thank you so much",
            "ty",
            "ok that makes sense now",
            "omg finally i get it",
            "lol ok thanks",
            "you're a lifesaver",
            "thanks!! 🙏",
            "got it",
        ]
    )


# The class burst: a teacher shares the app with a class working through one worksheet.

_WORKSHEET_ITEMS: list[tuple[str, str, str, int]] = [
    (
        "Solve: 3(x - 4) = 2x + 5",
        _solution(
            ["Distribute: 3x − 12 = 2x + 5.", "Subtract 2x from both sides: x − 12 = 5.", "Add 12: x = 17."],
            "3(17 − 4) = 39 and 2(17) + 5 = 39 ✓",
            "x = 17",
        ),
        "3x − 12",
        3,
    ),
    (
        "Solve: 5x - 7 = 2x + 11",
        _solution(
            ["Subtract 2x from both sides: 3x − 7 = 11.", "Add 7: 3x = 18.", "Divide by 3: x = 6."],
            "5(6) − 7 = 23 and 2(6) + 11 = 23 ✓",
            "x = 6",
        ),
        "18",
        3,
    ),
    (
        "The sum of a number and 8 is three times the number. Find the number.",
        _solution(
            ["Let the number be n. Then n + 8 = 3n.", "Subtract n: 8 = 2n.", "Divide by 2: n = 4."],
            "4 + 8 = 12 = 3 × 4 ✓",
            "4",
        ),
        "2n",
        3,
    ),
    (
        "Write the equation of the line that passes through (2, 3) and has slope 4.",
        _solution(
            ["Point-slope form: y − y1 = m(x − x1).", "y − 3 = 4(x − 2).", "Expand: y = 4x − 8 + 3 = 4x − 5."],
            "at x = 2, y = 8 − 5 = 3 ✓",
            "y = 4x − 5",
        ),
        "-5",
        3,
    ),
    (
        "Find the slope of the line through (-1, 4) and (3, -4).",
        _solution(
            ["Slope = (y2 − y1) ÷ (x2 − x1).", "(−4 − 4) ÷ (3 − (−1)) = −8 ÷ 4.", "= −2."],
            "from (−1, 4), going 4 right and 8 down reaches (3, −4) ✓",
            "−2",
        ),
        "-8",
        3,
    ),
    (
        "A phone plan costs $25 per month plus $0.10 per text. Last month's bill was $32.50. How many texts were sent?",
        _solution(
            [
                "Let t be the number of texts: 25 + 0.10t = 32.50.",
                "Subtract 25: 0.10t = 7.50.",
                "Divide by 0.10: t = 75.",
            ],
            "25 + 0.10 × 75 = 32.50 ✓",
            "75 texts",
        ),
        "7.50",
        3,
    ),
    (
        "Solve for y: 4x + 2y = 10",
        _solution(
            ["Subtract 4x from both sides: 2y = 10 − 4x.", "Divide every term by 2: y = 5 − 2x."],
            "4x + 2(5 − 2x) = 10 ✓",
            "y = 5 − 2x",
        ),
        "10 - 4x",
        2,
    ),
    (
        "Solve the inequality: -2x + 3 > 11",
        _solution(
            ["Subtract 3: −2x > 8.", "Divide by −2 and flip the inequality sign: x < −4."],
            "try x = −5: −2(−5) + 3 = 13 > 11 ✓",
            "x < −4",
        ),
        "8",
        2,
    ),
    (
        "Two numbers add up to 30. One number is 6 more than the other. What are the two numbers?",
        _solution(
            [
                "Let the smaller number be n, so the larger is n + 6.",
                "n + n + 6 = 30, so 2n = 24.",
                "n = 12 and n + 6 = 18.",
            ],
            "12 + 18 = 30 and 18 − 12 = 6 ✓",
            "12 and 18",
        ),
        "24",
        3,
    ),
    (
        "A taxi charges $3 plus $2.25 per mile. How many miles can you ride for $21?",
        _solution(
            ["Let m be the miles: 3 + 2.25m = 21.", "Subtract 3: 2.25m = 18.", "Divide by 2.25: m = 8."],
            "3 + 2.25 × 8 = 21 ✓",
            "8 miles",
        ),
        "18",
        3,
    ),
]

WORKSHEET: tuple[str, ...] = tuple(q for q, _, _, _ in _WORKSHEET_ITEMS)


def _worksheet_text(rng: random.Random, index: int, first: bool) -> str:
    q = WORKSHEET[index]
    no = index + 1
    prefix = rng.choice(
        ["", "", f"{no}. ", f"#{no} ", f"Question {no}: ", f"number {no} on the worksheet: ", f"{no}) "]
    )
    if first and rng.random() < 0.25:
        prefix = rng.choice(["our teacher told us to try this app lol\n", "hi! ", "ok so "]) + prefix
    return prefix + q


def _class_burst(rng: random.Random, n: int) -> list[tuple[float, Client, list[Turn]]]:
    """A teacher shares the app in a 1:10 pm class (US Eastern, the second day): ``n`` students,
    most on the school's network, each working through a few worksheet items in class."""
    school = residential_ip(rng)  # the school district's connection, one NAT address for the building
    start = START + DAY + 18 * HOUR + rng.uniform(8 * 60, 15 * 60)
    out: list[tuple[float, Client, list[Turn]]] = []
    for _ in range(n):
        ips = [school, residential_ip(rng)] if rng.random() < 0.7 else [residential_ip(rng)]
        client = Client(_key(rng), "chat", _homework_model(rng), _homework_ua(rng, mobile=0.85), ips)
        first = start + min(rng.expovariate(1 / (9 * 60)), 45 * 60)
        picks = sorted(rng.sample(range(len(_WORKSHEET_ITEMS)), rng.randint(2, 4)))
        times = _session(rng, 20, first, rng.lognormvariate(math.log(80), 0.3))
        k = 0
        for j, index in enumerate(picks):
            q, answer, detail, steps = _WORKSHEET_ITEMS[index]
            text = _worksheet_text(rng, index, j == 0)
            out.append((times[k], client, [{"role": "user", "content": text}]))
            k += 1
            history: list[Turn] = [{"role": "user", "content": text}, {"role": "assistant", "content": answer}]
            if rng.random() < 0.25:
                follow = _homework_follow(rng, Item(q, answer, detail, steps))
                out.append((times[k], client, [*history, {"role": "user", "content": follow}]))
                k += 1
        if rng.random() < 0.15:
            out.append((times[k], client, [*history, {"role": "user", "content": _homework_thanks(rng)}]))
    return out


_HOMEWORK_ZONES = [
    (-5.0, 0.25),
    (-6.0, 0.12),
    (-8.0, 0.1),
    (0.0, 0.1),
    (1.0, 0.1),
    (5.5, 0.13),
    (8.0, 0.1),
    (-3.0, 0.1),
]
# Local hour of a student's first request: little at night, some at lunch, a peak after school.
_AFTER_SCHOOL = _hours(
    "0.3 0.1 0.05 0.02 0.02 0.05 0.3 0.8 0.8 0.7 0.8 1.0 1.3 1.2 1.5 3.0 4.0 4.5 5.0 5.5 6.0 5.0 3.0 1.2"
)


def _homework_ua(rng: random.Random, mobile: float = 0.72) -> str:
    version = rng.choices(["5.4.1", "5.4.0", "5.3.2", "5.2.7"], weights=[0.55, 0.25, 0.15, 0.05])[0]
    roll = rng.random()
    if roll < mobile * 0.55:
        return f"SolveSprout/{version} (iPhone; iOS 18.{rng.randint(0, 3)}; Scale/3.00) Alamofire/5.9.1"
    if roll < mobile:
        device = rng.choice(["SM-A546B", "Pixel 7a", "moto g 5G", "SM-S918U", "Redmi Note 12", "CPH2451"])
        return f"SolveSprout/{version} (Android {rng.choice([12, 13, 14, 15])}; {device}) okhttp/4.12.0"
    return browser_user_agent(rng)  # the web version calls the API straight from the student's browser


def _homework_model(rng: random.Random) -> str:
    return rng.choices(["gpt-4.1-mini", "gpt-4o", "gpt-4.1", "o4-mini"], weights=[0.55, 0.2, 0.15, 0.1])[0]


def _homework(rng: random.Random) -> list[tuple[float, Client, list[Turn]]]:
    burst = rng.randint(30, 40)
    out = _class_burst(rng, burst)
    zones = [z for z, _ in _HOMEWORK_ZONES]
    zone_w = [w for _, w in _HOMEWORK_ZONES]
    for _ in range(HOMEWORK_KEYS - burst):
        client = Client(_key(rng), "chat", _homework_model(rng), _homework_ua(rng), _home_ips(rng))
        n = 1 + _weighted(rng, [0.3, 0.26, 0.19, 0.12, 0.08, 0.05])
        first = _arrival(rng, START, 2, zones[_weighted(rng, zone_w)], _AFTER_SCHOOL)
        think = rng.lognormvariate(math.log(100), 0.4)  # reading a worked solution takes a while
        if n >= 2 and rng.random() < 0.25 + 0.08 * n:
            cut = rng.randint(1, n - 1)
            one = _session(rng, cut, first, think)
            later = one[-1] + rng.lognormvariate(math.log(3 * HOUR), 0.8)
            sessions = [one, _session(rng, n - cut, later, think)]
        else:
            sessions = [_session(rng, n, first, think)]
        again = "Sure! Let's go through it again more slowly.\n\n"
        for t, turns in _dialogue(
            rng, sessions, _homework_fresh, _homework_follow, _homework_thanks, 0.45, 0.12, again
        ):
            out.append((t, client, turns))
    return out


# ---------------------------------------------------------------------------------------------
# 2. deliberate-chat, a self-hosted reasoning-assistant template


def _r_dice(rng: random.Random) -> Item:
    n = rng.randint(2, 9)
    none = (5 / 6) ** n
    note = f" I keep getting {n}/6 and that can't be right." if n < 6 else ""
    q = f"What's the probability of rolling at least one six in {n} rolls of a fair die?{note}"
    a = _reasoned(
        [
            "'At least one six' is the complement of 'no sixes at all', which is easier to count.",
            f"P(no six on one roll) = 5/6, and the rolls are independent, so P(no six in {n} rolls) = (5/6)^{n} ≈ "
            f"{none:.4f}.",
            f"P(at least one six) = 1 − {none:.4f} ≈ {1 - none:.4f}.",
            f"Adding 1/6 {n} times double-counts the outcomes with several sixes, which is why it overshoots.",
        ],
        f"about {100 * (1 - none):.1f}%",
    )
    return Item(q, a, f"(5/6)^{n}", 4)


def _r_compound(rng: random.Random) -> Item:
    p = rng.choice([1000, 2500, 5000, 10000, 20000])
    r = rng.choice([3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0])
    y = rng.choice([5, 10, 15, 20, 30])
    amount = p * (1 + r / 1200) ** (12 * y)
    q = (
        f"If I put ${p:,} in an account paying {_n(r)}% a year, compounded monthly, how much will I have after {y} "
        "years?"
    )
    a = _reasoned(
        [
            "Formula: A = P(1 + r/12)^(12t), with r as a decimal.",
            f"Monthly rate = {_n(r)}% / 12 = {r / 1200:.6f}; number of months = {12 * y}.",
            f"A = {p:,} × (1 + {r / 1200:.6f})^{12 * y} ≈ {amount:,.2f}.",
            "Sanity check: simple interest would give " + f"{p * (1 + r * y / 100):,.0f}, a bit less, as expected.",
        ],
        f"about ${amount:,.2f} (before tax and fees)",
    )
    return Item(q, a, f"{12 * y}", 4)


def _r_committee(rng: random.Random) -> Item:
    n = rng.randint(6, 15)
    k = rng.randint(2, min(5, n - 1))
    q = f"How many different {k}-person committees can be chosen from {n} people? And why isn't it {math.perm(n, k)}?"
    a = _reasoned(
        [
            f"Ordered picks: {n} × … ({k} factors) = {math.perm(n, k)}.",
            f"A committee has no order, and each group of {k} was counted {k}! = {math.factorial(k)} times.",
            f"{math.perm(n, k)} / {math.factorial(k)} = {math.comb(n, k)}.",
        ],
        f"C({n}, {k}) = {math.comb(n, k)}; {math.perm(n, k)} counts ordered line-ups",
    )
    return Item(q, a, str(math.factorial(k)), 3)


def _smallest_factor(n: int) -> int:
    f = 2
    while f * f <= n:
        if n % f == 0:
            return f
        f += 1
    return n


def _r_prime(rng: random.Random) -> Item:
    n = rng.randrange(101, 9999, 2)
    f = _smallest_factor(n)
    root = math.isqrt(n)
    q = expand(f"⟦Is {n} prime?|Quick check: is {n} a prime number?⟧ Show how you'd check it by hand.", rng)
    if f == n:
        steps = [
            f"Only divisors up to √{n} ≈ {root} need checking.",
            f"{n} is odd, not divisible by 3 (digit sum {sum(map(int, str(n)))}) or 5.",
            f"Trying the remaining primes up to {root} finds no divisor.",
        ]
        answer = f"yes, {n} is prime"
    else:
        steps = [
            f"Only divisors up to √{n} ≈ {root} need checking.",
            f"Trying primes in order: {f} divides it.",
            f"{n} = {f} × {n // f}.",
        ]
        answer = f"no, {n} = {f} × {n // f}"
    return Item(q, _reasoned(steps, answer), str(root), 3)


def _r_machines(rng: random.Random) -> Item:
    a, b = rng.choice([3, 4, 5, 7]), rng.choice([12, 50, 100])
    q = f"If {a} machines make {a} widgets in {a} minutes, how long would {b} machines take to make {b} widgets?"
    ans = _reasoned(
        [
            f"{a} machines make {a} widgets in {a} minutes, so each machine makes 1 widget in {a} minutes.",
            f"With {b} machines working in parallel, each makes 1 widget in those same {a} minutes.",
            f"So {b} widgets take {a} minutes.",
        ],
        f"{a} minutes",
    )
    return Item(q, ans, f"{a} minutes", 3)


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _r_weekday(rng: random.Random) -> Item:
    day = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(0, 125 * 365))
    anchor = datetime.date(2000, 1, 1)  # a Saturday
    diff = (day - anchor).days
    name = _WEEKDAYS[day.weekday()]
    shown = f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    q = expand(
        f"What day of the week was {shown}? ⟦I want to see the method, not just the answer.|Walk me through it.|⟧", rng
    )
    a = _reasoned(
        [
            "Anchor: 1 January 2000 was a Saturday.",
            f"Days from the anchor to {shown}: {diff}.",
            f"{diff} mod 7 = {diff % 7}, so count {diff % 7} days forward from Saturday.",
        ],
        name,
    )
    return Item(q, a, str(diff), 3)


def _r_horizon(rng: random.Random) -> Item:
    h = rng.choice([1.7, 2.0, 10.0, 30.0, 50.0, 100.0, 828.0])
    d = math.sqrt(2 * 6_371_000 * h) / 1000
    q = (
        f"How far away is the horizon if my eyes are {_n(h)} m above sea level? Assume a smooth Earth and no "
        "refraction."
    )
    a = _reasoned(
        [
            "Your line of sight to the horizon is tangent to the Earth, so (R + h)² = R² + d².",
            "Since h is tiny next to R, d ≈ √(2Rh), with R ≈ 6,371 km.",
            f"d ≈ √(2 × 6,371,000 × {_n(h)}) m ≈ {d:.1f} km.",
        ],
        f"about {d:.1f} km (refraction adds a few percent in practice)",
    )
    return Item(q, a, "√(2Rh)", 3)


def _r_budget(rng: random.Random) -> Item:
    pay = rng.choice([2800, 3200, 3600, 4100, 4800, 5500])
    rent = rng.randrange(900, 2250, 50)
    q = (
        f"My take-home pay is ${pay:,} a month and my rent is ${rent:,}. Using the 50/30/20 rule, how much "
        "should go to needs, wants and savings, and is my rent too high?"
    )
    share = rent / pay
    verdict = "within" if share <= 0.3 else "above"
    a = _reasoned(
        [
            f"Needs 50% = ${pay * 0.5:,.0f}, wants 30% = ${pay * 0.3:,.0f}, savings 20% = ${pay * 0.2:,.0f}.",
            f"Rent is {share:.0%} of take-home pay; a common guideline is at most about 30%.",
            f"Rent leaves ${pay * 0.5 - rent:,.0f} of the needs budget for food, transport, utilities and insurance.",
        ],
        f"${pay * 0.5:,.0f} / ${pay * 0.3:,.0f} / ${pay * 0.2:,.0f}; your rent is {verdict} the usual 30% guideline",
    )
    return Item(q, a, f"{share:.0%}", 3)


def _r_commute(rng: random.Random) -> Item:
    b = rng.randrange(60_000, 130_000, 5_000)
    a_pay = b + rng.randrange(5_000, 20_000, 2_500)
    c = rng.choice([25, 35, 45, 60, 75])
    base = 40 * 46
    extra = 2 * c / 60 * 5 * 46
    q = (
        f"Job A pays ${a_pay:,} with a {c}-minute commute each way; job B pays ${b:,} and is fully remote. "
        "Which is better purely on money per hour of my time? Assume 40-hour weeks and 46 working weeks."
    )
    ha, hb = a_pay / (base + extra), b / base
    better = "A" if ha > hb else "B"
    a = _reasoned(
        [
            f"Working hours a year: 40 × 46 = {base}.",
            f"Job A adds 2 × {c} min × 5 days × 46 weeks = {extra:,.0f} hours of commuting.",
            f"A: {a_pay:,} / {base + extra:,.0f} ≈ ${ha:,.2f}/h. B: {b:,} / {base} ≈ ${hb:,.2f}/h.",
            "This ignores commuting costs, taxes and how much you value being in an office.",
        ],
        f"job {better} pays more per hour of your time",
    )
    return Item(q, a, f"{extra:,.0f}", 4)


def _r_loan(rng: random.Random) -> Item:
    p = rng.choice([8000, 15000, 25000, 200000, 350000])
    r = rng.choice([4.5, 5.9, 6.5, 7.2, 8.9])
    years = rng.choice([3, 5, 15, 30]) if p < 100000 else rng.choice([15, 25, 30])
    i, n = r / 1200, 12 * years
    pay = p * i / (1 - (1 + i) ** -n)
    q = (
        f"What's the monthly payment on a ${p:,} loan at {_n(r)}% APR over {years} years, and how much interest is "
        "that in total?"
    )
    a = _reasoned(
        [
            "Amortised payment: M = P·i / (1 − (1 + i)^−n), with i the monthly rate and n the number of months.",
            f"i = {_n(r)}%/12 = {i:.6f}, n = {n}.",
            f"M = {p:,} × {i:.6f} / (1 − (1 + {i:.6f})^−{n}) ≈ {pay:,.2f}.",
            f"Total paid = {pay:,.2f} × {n} ≈ {pay * n:,.0f}, so interest ≈ {pay * n - p:,.0f}.",
        ],
        f"about ${pay:,.2f} a month, ${pay * n - p:,.0f} of interest in total",
    )
    return Item(q, a, f"{i:.6f}", 4)


def _r_trip(rng: random.Random) -> Item:
    n = rng.randint(3, 6)
    city = rng.choice(["Lisbon", "Kyoto", "Mexico City", "Edinburgh", "Vancouver", "Istanbul", "Seoul", "Buenos Aires"])
    month = rng.choice(_MONTHS)
    like = rng.choice(
        [
            "love food and walking",
            "have a toddler with me",
            "want some nature too",
            "don't care much for museums",
            "am on a tight budget",
        ]
    )
    q = (
        f"I have {n} days in {city} in {month} and I {like}. How should I split the days? Think about travel time "
        "between areas."
    )
    a = _reasoned(
        [
            f"With {n} days, grouping sights by neighbourhood saves the most time.",
            "Put the busiest, most central day first while energy is high; keep the last day light for packing.",
            f"Check {month} weather and keep one indoor option per day.",
            "Leave half a day unplanned; trips usually run over.",
        ],
        f"day 1 the central old town on foot, then one area per day{', plus one day trip' if n >= 4 else ''}, "
        "and a light last day",
    )
    return Item(q, a, "neighbourhood", 4)


def _r_week(rng: random.Random) -> Item:
    tasks = rng.sample(
        [
            "finish a report for work",
            "study for a certification exam",
            "clean the flat before my parents visit",
            "fix the bug in my side project",
            "do my taxes",
            "prepare a talk for a meetup",
            "go to the gym three times",
        ],
        3,
    )
    q = (
        f"This week I need to {tasks[0]}, {tasks[1]}, and {tasks[2]}, and I only have evenings free. What's a "
        "sensible order?"
    )
    a = _reasoned(
        [
            "Sort by deadline first, then by how much focus each needs.",
            f"'{tasks[0]}' and '{tasks[1]}' need focus: put them on the evenings you are least tired (often early in "
            "the week).",
            f"'{tasks[2]}' can be split into short chunks and fitted around the others.",
            "Leave one evening as a buffer.",
        ],
        "deadline-driven focus tasks early in the week, splittable tasks in between, one buffer evening",
    )
    return Item(q, a, "buffer", 4)


def _r_migration(rng: random.Random) -> Item:
    src, dst = rng.choice(
        [
            ("Heroku", "AWS ECS"),
            ("MySQL 5.7", "MySQL 8"),
            ("PostgreSQL 12", "PostgreSQL 16"),
            ("a cron box", "a managed scheduler"),
            ("Webpack", "Vite"),
        ]
    )
    q = (
        f"We're moving a small production app from {src} to {dst}. What's a low-risk plan for the cutover? There are "
        "two of us."
    )
    a = _reasoned(
        [
            "Inventory what depends on the old setup: configs, secrets, scheduled jobs, DNS.",
            f"Stand up {dst} alongside {src} and test it with a copy of production data.",
            "Write the rollback steps before the cutover and rehearse them once.",
            "Cut over at a quiet time, watch errors and latency, keep the old setup running for a week.",
        ],
        "run both in parallel, rehearse the rollback, cut over in a quiet window and keep the old one warm",
    )
    return Item(q, a, "rollback", 4)


def _r_running(rng: random.Random) -> Item:
    weeks, km = rng.choice([8, 10, 12, 16]), rng.choice([3, 5, 8, 10])
    q = (
        f"I want to run a half marathon in {weeks} weeks and right now I can comfortably run {km} km. Is that "
        "realistic, and how should I build up?"
    )
    a = _reasoned(
        [
            f"The gap is {km} km to 21.1 km.",
            "A common rule: grow your long run by about 10% (or 1–2 km) a week, with an easier week every 3–4 weeks.",
            f"In {weeks} weeks that reaches roughly {min(21.1, km + 1.5 * (weeks - 2)):.0f} km for the longest run "
            "before the taper.",
        ],
        "realistic if the longest run reaches about 16–18 km two weeks before the race"
        if km + 1.5 * (weeks - 2) >= 16
        else "tight: aim to finish with run/walk intervals, or pick a later race",
    )
    return Item(q, a, "10%", 3)


_CODE_FIXED: list[tuple[str, str, str]] = [
    (
        "Why does this print 2 2 2 instead of 0 1 2?\n\n```python\nfns = [lambda: i for i in range(3)]\nprint(*[f() "
        "for f in fns])\n```",
        _reasoned(
            [
                "Each lambda refers to the variable i, not to its value at creation time.",
                "By the time the lambdas run, the comprehension has finished and i is 2.",
                "Binding the current value fixes it: `lambda i=i: i`.",
            ],
            "late binding of closures; use a default argument or functools.partial",
        ),
        "late binding",
    ),
    (
        "```python\ndef add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n```\nWhy does add(1) "
        "then add(2) return [1, 2] the second time?",
        _reasoned(
            [
                "Default values are evaluated once, when the function is defined.",
                "So every call without `bucket` shares the same list object.",
                "Use `bucket=None` and create a new list inside the function.",
            ],
            "the default list is shared between calls; default to None instead",
        ),
        "None",
    ),
    (
        "What's the time complexity of `x in my_list` vs `x in my_set` in Python, and when does it actually matter?",
        _reasoned(
            [
                "A list is scanned element by element: O(n).",
                "A set hashes x and checks one bucket: O(1) on average.",
                "It matters when you test membership many times against a large collection, e.g. inside a loop.",
            ],
            "list O(n), set O(1) average; convert to a set when doing repeated lookups",
        ),
        "O(1)",
    ),
    (
        "Write a regex that matches a US ZIP code, either 5 digits or ZIP+4 like 12345-6789, and explain each part.",
        _reasoned(
            [
                "Five digits: \\d{5}.",
                "Optional hyphen and four digits: (?:-\\d{4})?.",
                "Anchor both ends so longer strings do not match: ^ … $.",
            ],
            "^\\d{5}(?:-\\d{4})?$",
        ),
        "(?:-\\d{4})?",
    ),
    (
        "I committed to main by accident instead of a feature branch and haven't pushed yet. How do I move the commit?",
        _reasoned(
            [
                "Create the branch at the current commit: `git branch feature`.",
                "Move main back one commit: `git reset --hard HEAD~1` (only safe because nothing was pushed).",
                "Switch to the branch: `git switch feature`.",
            ],
            "branch, reset main back by one, switch to the branch",
        ),
        "HEAD~1",
    ),
    (
        "Why does `0.1 + 0.2 === 0.3` return false in JavaScript?",
        _reasoned(
            [
                "Numbers are IEEE 754 binary doubles.",
                "0.1 and 0.2 have no exact binary representation, so each is slightly off.",
                "The rounding errors add up to 0.30000000000000004.",
            ],
            "binary floating point; compare with a tolerance such as Number.EPSILON, or use integers (cents)",
        ),
        "IEEE 754",
    ),
    (
        "My binary search loops forever when the target isn't in the list:\n```python\ndef find(xs, t):\n"
        "    lo, hi = 0, len(xs) - 1\n    while lo < hi:\n        mid = (lo + hi) // 2\n        if xs[mid] < t:\n"
        "            lo = mid\n        else:\n            hi = mid\n    return lo\n```\nWhat's wrong?",
        _reasoned(
            [
                "When hi = lo + 1, mid = lo.",
                "If xs[mid] < t, `lo = mid` leaves lo unchanged, so the loop never ends.",
                "Use `lo = mid + 1`; then the range shrinks every iteration.",
            ],
            "`lo = mid` can stall; it must be `lo = mid + 1`",
        ),
        "mid + 1",
    ),
    (
        "In asyncio, what's the difference between awaiting tasks one by one and using asyncio.gather? When is the "
        "first slower?",
        _reasoned(
            [
                "Awaiting coroutines one by one runs them sequentially: total time is the sum.",
                "gather schedules them all at once: total time is roughly the slowest one.",
                "They only differ when the work is I/O-bound and independent.",
            ],
            "sequential awaits add up the waits; gather overlaps them",
        ),
        "gather",
    ),
    (
        "Why do we have leap years, and why was 1900 not one but 2000 was?",
        _reasoned(
            [
                "A solar year is about 365.2422 days, so a 365-day calendar drifts.",
                "Adding a day every 4 years gives 365.25, slightly too much.",
                "So century years are skipped unless divisible by 400: 1900 skipped, 2000 kept.",
            ],
            "to keep the calendar in step with the seasons; the 100/400 rule fixes the leftover error",
        ),
        "400",
    ),
    (
        "Is it actually faster to boil water with the lid on? Reason it out.",
        _reasoned(
            [
                "Most heat loss from an open pot is evaporation and warm air leaving the surface.",
                "A lid traps vapour, which condenses and returns its heat to the water.",
                "Less heat lost means the same burner gets the water to 100 °C sooner.",
            ],
            "yes, noticeably faster, and it uses less energy",
        ),
        "evaporation",
    ),
    (
        "What's heavier, a kilogram of feathers or a kilogram of steel? My kid insists it's the steel.",
        _reasoned(
            [
                "Both have a mass of one kilogram by definition.",
                "The steel feels heavier because it is compact; the feathers take up much more space.",
                "Pedantically, in air the feathers get slightly more buoyancy, so a scale would show them a touch "
                "lighter.",
            ],
            "they are the same mass; your kid is thinking of density",
        ),
        "density",
    ),
    (
        "How many people do you need in a room for a better than even chance that two share a birthday? Why so few?",
        _reasoned(
            [
                "Compute the chance that all birthdays differ: 365/365 × 364/365 × …",
                "The product drops below 0.5 at 23 people.",
                "It is few because 23 people make 253 pairs, and any pair can match.",
            ],
            "23 people",
        ),
        "253 pairs",
    ),
]


def _r_code(rng: random.Random) -> Item:
    q, a, detail = rng.choice(_CODE_FIXED)
    return Item(q, a, detail, 3)


def _r_sql(rng: random.Random) -> Item:
    year = rng.choice([2023, 2024, 2025])
    q = (
        "Tables: orders(id, customer_id, total, created_at) and customers(id, name). How do I get each "
        f"customer's total spend in {year}, including customers who spent nothing?"
    )
    a = _reasoned(
        [
            "Start from customers so everyone appears: customers LEFT JOIN orders.",
            f"Put the {year} filter in the ON clause; in WHERE it would drop customers with no orders.",
            "Group by customer and use COALESCE(SUM(o.total), 0).",
        ],
        f"SELECT c.id, c.name, COALESCE(SUM(o.total), 0) AS spend FROM customers c LEFT JOIN orders o "
        f"ON o.customer_id = c.id AND o.created_at >= '{year}-01-01' AND o.created_at < '{year + 1}-01-01' "
        "GROUP BY c.id, c.name;",
    )
    return Item(q, a, "ON clause", 3)


def _r_utf8(rng: random.Random) -> Item:
    word = rng.choice(["café", "naïve", "Zürich", "日本", "crème brûlée", "Ελλάδα", "hi 🙂"])
    size = len(word.encode("utf-8"))
    q = f"How many bytes does the string '{word}' take in UTF-8, and why is it more than {len(word)}?"
    a = _reasoned(
        [
            "UTF-8 uses 1 byte for ASCII, 2 for most accented Latin and Greek letters, 3 for CJK, 4 for emoji.",
            f"'{word}' has {len(word)} code points.",
            f"Adding the bytes per character gives {size}.",
        ],
        f"{size} bytes",
    )
    return Item(q, a, str(size), 3)


def _r_docker(rng: random.Random) -> Item:
    size = rng.choice([1.2, 1.8, 2.5, 3.4, 4.0])
    q = f"My Docker image is {_n(size)} GB. What steps would you take, in order, to shrink it?"
    a = _reasoned(
        [
            "Look first: `docker history` shows which layers are big.",
            "Use a slimmer base image and a multi-stage build so compilers stay out of the final image.",
            "Add a .dockerignore, clean package caches in the same RUN step, and drop dev dependencies.",
        ],
        "measure, then multi-stage build with a slim base, then clean caches and context",
    )
    return Item(q, a, "multi-stage", 3)


def _r_moon(rng: random.Random) -> Item:
    kg = rng.randrange(45, 110, 5)
    q = f"If I'm {kg} kg on Earth, what would a bathroom scale show on the Moon, and is my mass different there?"
    shown = kg * 1.62 / 9.81
    a = _reasoned(
        [
            "Mass stays the same; the scale measures the force pressing on it.",
            "Moon gravity is about 1.62 m/s² against 9.81 on Earth, roughly a sixth.",
            f"A scale calibrated on Earth would show {kg} × 1.62/9.81 ≈ {shown:.1f} kg.",
        ],
        f"about {shown:.1f} kg on the display; your mass is still {kg} kg",
    )
    return Item(q, a, "1.62", 3)


def _r_fermi(rng: random.Random) -> Item:
    city, people = rng.choice(
        [("Chicago", 2.7), ("Berlin", 3.7), ("Toronto", 2.8), ("Melbourne", 5.0), ("Madrid", 3.3)]
    )
    pianos = people * 1e6 / 2.5 / 20
    tuners = pianos / (4 * 5 * 50)
    q = f"Roughly how many piano tuners work in {city}? Walk me through a Fermi estimate."
    a = _reasoned(
        [
            f"About {people} million people, say 2.5 per household: {people / 2.5:.2f} million households.",
            f"Maybe 1 in 20 households has a piano: about {pianos:,.0f} pianos.",
            "Each is tuned about once a year; a tuner does about 4 a day, 5 days a week, 50 weeks a year = 1,000.",
        ],
        f"on the order of {round(tuners, -1):.0f}",
    )
    return Item(q, a, "1,000", 3)


def _r_cache(rng: random.Random) -> Item:
    before, after = rng.choice([(120, 900), (80, 450), (200, 1500), (60, 700)])
    q = (
        f"After we added a cache, our p99 latency went from {before} ms to {after} ms even though the median "
        "improved. What could cause that? Reason through the likely causes in order."
    )
    a = _reasoned(
        [
            "The median improved, so hits are fast; the tail is the misses and whatever the cache adds to them.",
            "Most likely: a stampede, where many requests miss at once after an expiry and all hit the backend.",
            "Next: a slow cache call (network round trip or serialisation) added to every miss.",
            "Also possible: evictions from a too-small cache, or lock contention.",
        ],
        "check for synchronized expiry first (add jitter and request coalescing), then time the miss path",
    )
    return Item(q, a, "stampede", 4)


_REASONING_GENS: list[Gen] = [
    _r_dice,
    _r_compound,
    _r_committee,
    _r_prime,
    _r_machines,
    _r_weekday,
    _r_horizon,
    _r_budget,
    _r_commute,
    _r_loan,
    _r_trip,
    _r_week,
    _r_migration,
    _r_running,
    _r_code,
    _r_code,
    _r_code,
    _r_sql,
    _r_utf8,
    _r_docker,
    _r_moon,
    _r_fermi,
    _r_cache,
]

_SMOKE = [
    "hi",
    "test",
    "hello? is this working",
    "Testing my deployment, can you hear me?",
    "what model are you?",
    "ping",
]


def _reasoning_fresh(rng: random.Random) -> tuple[str, Item]:
    item = rng.choice(_REASONING_GENS)(rng)
    text = item.question
    roll = rng.random()
    if roll < 0.12:
        text = (
            rng.choice(["Quick one: ", "Think carefully: ", "Can you reason through this? ", "Sanity check for me: "])
            + text
        )
    elif roll < 0.2:
        text += rng.choice(
            [" Please double-check the arithmetic.", " Keep it fairly short.", " No need to be polite, just be right."]
        )
    return text, item


def _reasoning_follow(rng: random.Random, item: Item) -> str:
    step = rng.randint(1, max(1, item.steps))
    return rng.choice(
        [
            f"Can you double-check step {step}?",
            "Give me the short version.",
            "Ok. How would I test or verify that myself?",
            "Are there edge cases you didn't consider?",
            "Hmm, I'm not convinced. Why not the other way around?",
            "How confident are you in that?",
            "Can you put that in a table?",
            f"Where does {item.detail} come from?",
            "What assumptions would change the answer?",
        ]
    )


def _reasoning_thanks(rng: random.Random) -> str:
    return rng.choice(["Thanks, that makes sense.", "great, thanks", "perfect", "ok got it", "Thanks!"])


_WORLD_ZONES = [
    (-8.0, 0.12),
    (-5.0, 0.15),
    (-3.0, 0.05),
    (0.0, 0.1),
    (1.0, 0.2),
    (2.0, 0.06),
    (5.5, 0.12),
    (8.0, 0.08),
    (9.0, 0.07),
    (10.0, 0.05),
]
# A developer's local hours: working day and evening, a little late at night.
_DEV_HOURS = _hours("0.8 0.5 0.2 0.1 0.05 0.05 0.1 0.3 0.8 1.5 1.8 1.8 1.2 1.5 1.8 1.8 1.6 1.2 1.0 1.2 1.5 1.6 1.4 1.1")


def _reasoning_ua(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return "OpenAI/Python 1.54.3"  # the version the template pins
    if roll < 0.9:
        return f"OpenAI/Python 1.{rng.randint(55, 62)}.{rng.randint(0, 4)}"
    return f"OpenAI/JS 4.{rng.randint(70, 80)}.{rng.randint(0, 3)}"  # the community TypeScript port


def _reasoning(rng: random.Random) -> list[tuple[float, Client, list[Turn]]]:
    out: list[tuple[float, Client, list[Turn]]] = []
    campus = residential_ip(rng).rsplit(".", 1)[0]  # a university network a few developers share
    zones = [z for z, _ in _WORLD_ZONES]
    zone_w = [w for _, w in _WORLD_ZONES]
    for i in range(REASONING_KEYS):
        ips = [f"{campus}.{rng.randrange(2, 254)}", residential_ip(rng)] if i % 19 == 7 else _home_ips(rng)
        model = rng.choices(["o4-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4o"], weights=[0.35, 0.3, 0.25, 0.1])[0]
        client = Client(_key(rng), "chat", model, _reasoning_ua(rng), ips)
        n = 1 + _weighted(rng, [0.12, 0.14, 0.14, 0.13, 0.11, 0.1, 0.08, 0.07, 0.06, 0.05])
        first = _arrival(rng, START, 1, zones[_weighted(rng, zone_w)], _DEV_HOURS)
        think = rng.lognormvariate(math.log(110), 0.4)
        times: list[float] = []
        t = first
        while len(times) < n:  # sittings of a few questions, an hour or more apart
            sitting = min(n - len(times), 1 + int(rng.expovariate(1 / 3)))
            times.extend(_session(rng, sitting, t, think))
            t = times[-1] + rng.lognormvariate(math.log(2 * HOUR), 0.7)
        sessions = _split_sessions(times)
        if rng.random() < 0.12:  # a fresh deployment: the owner first checks that it answers
            smoke = rng.choice(_SMOKE)
            out.append((max(START, sessions[0][0] - rng.uniform(20, 90)), client, [{"role": "user", "content": smoke}]))
        again = "Going over it once more, the reasoning holds:\n\n"
        for ts, turns in _dialogue(
            rng, sessions, _reasoning_fresh, _reasoning_follow, _reasoning_thanks, 0.4, 0.06, again
        ):
            out.append((ts, client, turns))
    return out


# ---------------------------------------------------------------------------------------------
# 3. Parlo, language learning: grammar questions, sentences to check, some written in the language

_LANG_QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "es": [
        (
            "When do I use ser vs estar? Is it 'soy cansado' or 'estoy cansado'?",
            "Grammar point: ser vs estar. Rule: estar for states and conditions, ser for identity and "
            "characteristics. 'Cansado' is a temporary state → estar. Correct: 'Estoy cansado' (I'm tired). "
            "Extra: 'Soy alto, pero hoy estoy enfermo.'",
        ),
        (
            "Why is it 'ayer fui al cine' and not 'ayer iba al cine'?",
            "Grammar point: preterite vs imperfect. A single completed event at a definite time (ayer) takes "
            "the preterite: 'fui'. 'Iba' describes habits or background. Correct: 'Ayer fui al cine.' "
            "Extra: 'De niño iba al cine cada sábado.'",
        ),
        (
            "Why 'espero que vengas' and not 'espero que vienes'?",
            "Grammar point: subjunctive after wishes. 'Esperar que' expresses a hope, so the second verb is "
            "subjunctive: vengas. Correct: 'Espero que vengas' (I hope you come). Extra: 'Quiero que me llames.'",
        ),
        (
            "Is it por or para in 'Gracias ___ tu ayuda'?",
            "Grammar point: por vs para. Por marks the cause or exchange; you are thankful because of the help. "
            "Correct: 'Gracias por tu ayuda.' Extra: 'Este regalo es para ti.'",
        ),
        (
            "why is 'me gusta los perros' wrong??",
            "Grammar point: gustar. The thing liked is the subject, so the verb agrees with it: los perros is "
            "plural → gustan. Correct: 'Me gustan los perros' (I like dogs). Extra: 'Me gusta el café.'",
        ),
        (
            "what's going on grammatically in 'se me olvidó'? why the me?",
            "Grammar point: accidental se. 'Se' makes it something that happened, and 'me' shows who it "
            "happened to. Literally 'it got forgotten on me'. Correct as written: 'Se me olvidó' (I forgot). "
            "Extra: 'Se me cayeron las llaves.'",
        ),
        (
            "How do I say 'I've been living here for two years'? Llevo dos años viviendo aquí?",
            "Grammar point: duration up to now. 'Llevar + time + gerund' is right: 'Llevo dos años viviendo "
            "aquí.' Also natural: 'Vivo aquí desde hace dos años.' Extra: 'Llevo una hora esperando.'",
        ),
        (
            "conocer vs saber?? both are 'to know'",
            "Grammar point: saber vs conocer. Saber: facts and skills. Conocer: people, places, being familiar. "
            "'Sé nadar', 'Conozco a tu hermana.' Extra: 'No sé dónde está, pero conozco el barrio.'",
        ),
    ],
    "fr": [
        (
            "Why is it 'je suis allé' but 'j'ai mangé'? How do I know which auxiliary to use?",
            "Grammar point: être or avoir in the passé composé. Most verbs take avoir; verbs of movement or change "
            "of state (aller, venir, partir, naître…) and reflexive verbs take être. Correct: 'Je suis allé', "
            "'J'ai mangé.' Extra: 'Elle est partie à huit heures.'",
        ),
        (
            "why is there an extra -es in 'les pommes que j'ai mangées'?",
            "Grammar point: agreement with avoir. The past participle agrees with a direct object placed before "
            "it: 'que' = les pommes (feminine plural) → mangées. Extra: 'La lettre que j'ai écrite.'",
        ),
        (
            "'Il faut que tu viennes' — why viennes and not viens?",
            "Grammar point: subjunctive. 'Il faut que' always takes the subjunctive: venir → que tu viennes. "
            "Extra: 'Il faut que nous partions tôt.'",
        ),
        (
            "what's the difference between depuis and pendant",
            "Grammar point: duration. 'Depuis' = since/for, still true now (present tense): 'J'habite ici depuis "
            "deux ans.' 'Pendant' = during a finished period: 'J'ai habité là pendant deux ans.' Extra: "
            "'J'ai dormi pendant le film.'",
        ),
        (
            "je mange de la pizza vs je mange la pizza?",
            "Grammar point: partitive article. 'De la pizza' = some pizza (an unspecified amount); 'la pizza' = the "
            "specific pizza, or pizza in general with verbs like aimer. Extra: 'J'aime la pizza, alors je mange de "
            "la pizza.'",
        ),
        (
            "Why 'je n'ai pas de pain' and not 'pas du pain'?",
            "Grammar point: negation and articles. After a negation, du/de la/des become 'de': 'Je n'ai pas de "
            "pain.' Extra: 'Il n'y a pas de lait.'",
        ),
        (
            "imparfait or passé composé in 'Quand j'étais petit, je suis allé en France'?",
            "Grammar point: imparfait vs passé composé. 'J'étais petit' sets the background (imparfait); 'je suis "
            "allé' is one completed event (passé composé). Your sentence is correct. Extra: 'Il pleuvait quand je "
            "suis sorti.'",
        ),
    ],
    "de": [
        (
            "Why is it 'Ich gebe dem Mann das Buch'? Why dem?",
            "Grammar point: dative case. The person who receives something is the indirect object, in the "
            "dative: der Mann → dem Mann. The book is the direct object (accusative). Extra: 'Ich schenke der "
            "Frau Blumen.'",
        ),
        (
            "why does the verb go to the end in 'Ich weiß, dass er heute kommt'",
            "Grammar point: subordinate clauses. After dass, weil, wenn… the conjugated verb moves to the end "
            "of the clause. Extra: 'Ich bleibe zu Hause, weil ich krank bin.'",
        ),
        (
            "in den Park vs im Park?",
            "Grammar point: two-way prepositions. Movement towards → accusative: 'Ich gehe in den Park.' "
            "Location → dative: 'Ich bin im Park.' Extra: 'Ich lege das Buch auf den Tisch; es liegt auf dem Tisch.'",
        ),
        (
            "When do I use wenn vs als vs wann?",
            "Grammar point: 'when'. Als: one event in the past. Wenn: repeated events or 'if'/future. Wann: "
            "questions. Extra: 'Als ich klein war…', 'Wenn es regnet…', 'Wann kommst du?'",
        ),
        (
            "Adjective endings are killing me. 'ein guter Wein' but 'der gute Wein'?",
            "Grammar point: adjective endings. After 'der' the article already shows the gender, so the "
            "adjective takes a weak -e. After 'ein' (which doesn't show masculine), the adjective shows it: "
            "guter. Extra: 'ein kleines Haus', 'das kleine Haus.'",
        ),
        (
            "sein or haben in Perfekt? 'ich bin gelaufen' vs 'ich habe gegessen'",
            "Grammar point: Perfekt auxiliary. Verbs of movement from A to B or change of state take sein; most "
            "others take haben. Extra: 'Ich bin eingeschlafen', 'Ich habe geschlafen.'",
        ),
    ],
    "ja": [
        (
            "What's the difference between は and が? Like 私は学生です vs 私が学生です",
            "Grammar point: は vs が. は marks the topic ('as for me, I'm a student'). が marks the subject, often "
            "new or emphasised information ('I'm the one who is the student'). Extra: 誰が来ましたか？— "
            "田中さんが来ました。",
        ),
        (
            "Why is it 食べている and not just 食べる for 'I am eating'?",
            "Grammar point: ～ている. 食べる is the plain non-past (I eat / will eat). ～ている shows an action in "
            "progress: 今、食べています (I'm eating now). Extra: 雨が降っている。",
        ),
        (
            "に vs で for places? 東京に住んでいます but 東京で働いています",
            "Grammar point: に vs で. に marks where something exists or stays (住む, いる, ある). で marks where an "
            "action happens (働く, 食べる). Extra: 図書館で勉強します。",
        ),
        (
            "How does the te-form work for 行く? Why 行って and not 行いて?",
            "Grammar point: て-form. Verbs ending in く normally become いて (書く → 書いて), but 行く is the one "
            "exception: 行って. Extra: 学校に行って、勉強します。",
        ),
        (
            "What does ～てしまう add in 宿題を忘れてしまった?",
            "Grammar point: ～てしまう. It shows the action is completed, often with regret: 'I (ended up) "
            "forgetting my homework.' Casual form: 忘れちゃった. Extra: ケーキを全部食べてしまった。",
        ),
        (
            "Why 日本語が分かります with が and not を?",
            "Grammar point: が with 分かる. 分かる describes a state (something is understandable), so the thing "
            "understood takes が. Extra: 英語が少し分かります。",
        ),
        (
            "から vs ので for 'because'?",
            "Grammar point: から vs ので. Both mean 'because'. ので sounds softer and more objective, good for "
            "polite explanations; から is more direct. Extra: 雨なので、家にいます。",
        ),
    ],
}

# (sentence as written, corrected sentence, the rule): "check my sentence" requests.
_LANG_FIXES: dict[str, list[tuple[str, str, str]]] = {
    "es": [
        ("Yo soy en la casa.", "Yo estoy en la casa.", "location takes estar"),
        ("Ella tiene veinte años viejo.", "Ella tiene veinte años.", "age is tener + años, no 'viejo'"),
        (
            "Mañana voy a la playa con mi amigas.",
            "Mañana voy a la playa con mis amigas.",
            "the possessive agrees in number: mis",
        ),
        (
            "Si tendría dinero, viajaría.",
            "Si tuviera dinero, viajaría.",
            "an unreal si-clause takes the imperfect subjunctive",
        ),
        ("Hace calor mucho hoy.", "Hace mucho calor hoy.", "mucho goes before the noun"),
    ],
    "fr": [
        ("Je suis 25 ans.", "J'ai 25 ans.", "age uses avoir"),
        ("Hier je suis mangé au restaurant.", "Hier, j'ai mangé au restaurant.", "manger takes avoir"),
        (
            "Elle est plus bonne que moi en maths.",
            "Elle est meilleure que moi en maths.",
            "bon has the irregular comparative meilleur(e)",
        ),
        ("Je vais à le cinéma ce soir.", "Je vais au cinéma ce soir.", "à + le contracts to au"),
        (
            "Si j'aurais le temps, je viendrais.",
            "Si j'avais le temps, je viendrais.",
            "si + imparfait, then conditionnel",
        ),
    ],
    "de": [
        ("Ich habe nach Berlin gefahren.", "Ich bin nach Berlin gefahren.", "fahren (from A to B) takes sein"),
        ("Morgen ich gehe einkaufen.", "Morgen gehe ich einkaufen.", "the verb is always in second position"),
        ("Ich helfe dich.", "Ich helfe dir.", "helfen takes the dative"),
        (
            "Das ist der Auto von mein Bruder.",
            "Das ist das Auto von meinem Bruder.",
            "Auto is neuter and von takes the dative",
        ),
        (
            "Weil ich bin müde, ich bleibe zu Hause.",
            "Weil ich müde bin, bleibe ich zu Hause.",
            "verb last in the weil-clause, then verb first in the main clause",
        ),
    ],
    "ja": [
        ("昨日、映画を見ます。", "昨日、映画を見ました。", "a past event needs the past form ました"),
        (
            "私は日本語を話すことができるます。",
            "私は日本語を話すことができます。",
            "the polite form of できる is できます",
        ),
        (
            "この本はとても面白いでした。",
            "この本はとても面白かったです。",
            "an い-adjective forms its own past: 面白かった + です",
        ),
        (
            "友達に会いに行きました、でも彼はいませんでした。",
            "友達に会いに行きましたが、彼はいませんでした。",
            "join the two clauses with が instead of 、でも",
        ),
        (
            "私は猫が好きじゃないです、でも犬が好きです。",
            "猫は好きじゃないですが、犬は好きです。",
            "contrast two things with は and join with が",
        ),
    ],
}

# Questions written entirely in the language (the learner is advanced), with a reply in that language.
_LANG_NATIVE: dict[str, list[tuple[str, str]]] = {
    "es": [
        (
            "¿Por qué se dice 'si lo hubiera sabido, habría venido'? No entiendo bien los tiempos.",
            "Punto gramatical: condicional irreal en el pasado. Paso 1: 'si' + pluscuamperfecto de subjuntivo "
            "(hubiera sabido). Paso 2: condicional compuesto (habría venido). Ejemplo: 'Si hubiera estudiado, "
            "habría aprobado.'",
        ),
        (
            "¿Cuál es la diferencia entre 'pero' y 'sino'?",
            "Punto gramatical: pero / sino. 'Sino' corrige una negación ('No es rojo, sino azul'); 'pero' añade "
            "un contraste ('Es caro, pero bueno'). Ejemplo: 'No quiero té, sino café.'",
        ),
    ],
    "fr": [
        (
            "Pourquoi dit-on « bien que ce soit difficile » et pas « bien que c'est difficile » ?",
            "Point de grammaire : « bien que » est toujours suivi du subjonctif. Étape 1 : être → ce soit. "
            "Exemple : « Bien qu'il pleuve, je sors. »",
        ),
        (
            "Quelle est la différence entre « c'est » et « il est » ?",
            "Point de grammaire : « c'est » + nom avec article (« C'est un médecin ») ; « il est » + adjectif ou "
            "métier sans article (« Il est médecin »). Exemple : « C'est une amie. Elle est gentille. »",
        ),
    ],
    "de": [
        (
            "Warum sagt man „Ich hätte das machen sollen“ und nicht „Ich hätte das machen gesollt“?",
            "Grammatikpunkt: Ersatzinfinitiv. Bei Modalverben mit einem zweiten Infinitiv steht im Perfekt der "
            "Infinitiv statt des Partizips: „hätte … machen sollen“. Beispiel: „Ich habe nicht kommen können.“",
        ),
        (
            "Was ist der Unterschied zwischen „seit“ und „vor“?",
            "Grammatikpunkt: Zeit. „Seit“ = Beginn in der Vergangenheit, dauert noch an („seit drei Jahren“). "
            "„Vor“ = Zeitpunkt in der Vergangenheit („vor drei Jahren“). Beispiel: „Ich wohne seit 2020 hier.“",
        ),
    ],
    "ja": [
        (
            "「〜ばかり」と「〜だけ」の違いは何ですか？",
            "文法ポイント：「だけ」は限定（それ以外はない）、「ばかり」は同じことが多すぎる（少し否定的）。"
            "例：水だけ飲みました。／お菓子ばかり食べています。",
        ),
        (
            "「行ってきます」はどうして「行きます」じゃないんですか？",
            "文法ポイント：「〜てくる」は行って戻ってくることを表します。家を出るとき「行って、また帰ってきます」"
            "という意味で「行ってきます」と言います。例：コンビニに行ってきます。",
        ),
    ],
}

_THANKS = {
    "es": ["¡gracias!", "muchas gracias", "vale, gracias"],
    "fr": ["merci !", "merci beaucoup", "ah d'accord, merci"],
    "de": ["danke!", "vielen Dank", "ah okay, danke"],
    "ja": ["ありがとう！", "ありがとうございます", "なるほど、ありがとう"],
}


def _language_fresh(lang: str, native: bool) -> Callable[[random.Random], tuple[str, Item]]:
    def fresh(rng: random.Random) -> tuple[str, Item]:
        if native and rng.random() < 0.7:
            q, a = rng.choice(_LANG_NATIVE[lang])
            return q, Item(q, a, "", 2)
        if rng.random() < 0.4:
            wrong, right, rule = rng.choice(_LANG_FIXES[lang])
            frame = rng.choice(
                [
                    "can you check this sentence: {s}",
                    "is this right? {s}",
                    "I wrote '{s}' in my homework and it was marked wrong, why?",
                    "correct me pls: {s}",
                    "Does this sound natural? {s}",
                ]
            )
            q = frame.format(s=wrong)
            a = (
                f"Step 1 – grammar point: {rule}.\nStep 2 – in your sentence, look at the part that breaks it.\n"
                f"Step 3 – corrected: {right}\nNice try – you're close!"
            )
            return q, Item(q, a, right, 3)
        q, a = rng.choice(_LANG_QUESTIONS[lang])
        if rng.random() < 0.2:
            q = capitalised(
                rng.choice(["quick question: ", "sorry, another one. ", "my tutor couldn't explain this: "]) + q
            )
        return q, Item(q, a, "", 3)

    return fresh


def _language_follow(lang: str) -> Callable[[random.Random, Item], str]:
    def follow(rng: random.Random, item: Item) -> str:
        options = [
            "can you give me another example?",
            "why though?",
            "what about in the past tense?",
            "ok I think I get it. is it the same in questions?",
            "can you make me 3 practice sentences?",
            "is there an easy way to remember this?",
        ]
        if item.detail:
            options.append(f"so '{item.detail}' is always like that?")
        return rng.choice(options)

    return follow


def _language_thanks(lang: str) -> Callable[[random.Random], str]:
    def thanks(rng: random.Random) -> str:
        return (
            rng.choice(_THANKS[lang]) if rng.random() < 0.7 else rng.choice(["thanks!", "makes sense now, thank you"])
        )

    return thanks


_LEARNER_ZONES = [(-5.0, 0.2), (-8.0, 0.1), (0.0, 0.15), (1.0, 0.2), (-6.0, 0.1), (9.0, 0.1), (5.5, 0.05), (10.0, 0.1)]
# A learner's local hours: the morning commute, lunch, and evenings.
_LEARNER_HOURS = _hours(
    "0.4 0.1 0.05 0.02 0.02 0.1 0.6 1.8 1.6 0.8 0.6 0.8 1.4 1.0 0.6 0.6 0.8 1.2 1.6 2.2 2.6 2.4 1.8 1.0"
)


def _language_ua(rng: random.Random) -> str:
    version = rng.choices(["3.9.2", "3.9.1", "3.8.4"], weights=[0.6, 0.3, 0.1])[0]
    roll = rng.random()
    if roll < 0.45:
        return f"Parlo/{version} (iPhone; iOS 18.{rng.randint(0, 3)}; Scale/3.00)"
    if roll < 0.8:
        device = rng.choice(["Pixel 8", "SM-G991B", "OnePlus 11"])
        return f"Parlo/{version} (Android {rng.choice([13, 14, 15])}; {device}) okhttp/4.12.0"
    return browser_user_agent(rng)


def _language(rng: random.Random) -> list[tuple[float, Client, list[Turn]]]:
    out: list[tuple[float, Client, list[Turn]]] = []
    campus = residential_ip(rng).rsplit(".", 1)[0]  # a university language department's network
    langs = ["es", "fr", "de", "ja"]
    zones = [z for z, _ in _LEARNER_ZONES]
    zone_w = [w for _, w in _LEARNER_ZONES]
    for i in range(LANGUAGE_KEYS):
        ips = [f"{campus}.{rng.randrange(2, 254)}", residential_ip(rng)] if i % 23 == 5 else _home_ips(rng)
        model = rng.choices(["gpt-4.1-mini", "gpt-4o", "gpt-4.1"], weights=[0.6, 0.3, 0.1])[0]
        client = Client(_key(rng), "chat", model, _language_ua(rng), ips)
        lang = langs[_weighted(rng, [0.35, 0.25, 0.2, 0.2])]
        native = rng.random() < 0.15
        n = 1 + _weighted(rng, [0.25, 0.22, 0.18, 0.13, 0.1, 0.07, 0.05])
        first = _arrival(rng, START, 2, zones[_weighted(rng, zone_w)], _LEARNER_HOURS)
        think = rng.lognormvariate(math.log(75), 0.4)
        if n >= 3 and rng.random() < 0.3:
            cut = rng.randint(1, n - 1)
            one = _session(rng, cut, first, think)
            sessions = [one, _session(rng, n - cut, one[-1] + rng.lognormvariate(math.log(8 * HOUR), 0.5), think)]
        else:
            sessions = [_session(rng, n, first, think)]
        again = "Sure – here it is again, one step at a time.\n\n"
        dialogue = _dialogue(
            rng,
            sessions,
            _language_fresh(lang, native),
            _language_follow(lang),
            _language_thanks(lang),
            0.4,
            0.12,
            again,
        )
        out.extend((t, client, turns) for t, turns in dialogue)
    return out


# ---------------------------------------------------------------------------------------------


def popular_app_users(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """Replay lines for the three apps' users, in time order (about 2,000 requests).

    ``scale`` is accepted for the generator's common signature but not used: the population is
    the size the apps have (400, 150 and 100 keys), whatever the scale of the rest of the traffic.
    """
    tag = label(SCENARIO, BENIGN, False)
    apps = [(HOMEWORK_SYSTEM, _homework(rng)), (REASONING_SYSTEM, _reasoning(rng)), (LANGUAGE_SYSTEM, _language(rng))]
    lines: list[dict[str, Any]] = []
    for system, sent in apps:
        for ts, client, turns in sent:
            lines.append(record(ts, client, Request(turns=tuple(turns), system=system), dict(tag), rng))
    lines.sort(key=lambda line: (line["ts"], line["client"]))
    return lines
