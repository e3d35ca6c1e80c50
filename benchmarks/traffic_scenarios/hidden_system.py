"""Reasoning-harvest campaigns that hide the harvesting instruction in the system (or developer) message.

Written by a helper session playing the attacker, by a different author than the defender's
detection rules and without reading them (nor the repository's other scenario modules), so that a
measurement on this traffic is a measurement on campaigns the rules were not tuned against. Every
phrasing below was written for this module.

The threat: a distiller wants worked solutions (chain of thought) for exam and homework items, but
the user turn carries only the bare item; the "show every step" demand sits in the system prompt,
where an honest tutoring app's own prompt says much the same thing, so no single request can be
refused on it. The campaigns try to look like many unrelated app users:

* ``hidden-system-0`` — paraphrase fleet: many keys, two requests each spread over a day, the
  system instruction drawn afresh from a grammar on every request (hardly any exact repeats),
  exam-item fills, a shared residential proxy pool.
* ``hidden-system-1`` — single-use keys: every key sends exactly one request, each with a freshly
  paraphrased system instruction (no two identical in the campaign), fired at machine pace across
  keys, each key from its own residential address.
* ``hidden-system-2`` — dilution: keys that look like a casual chat user, 5-8 requests over a day
  in human sessions; half are small talk under a bland system prompt, half are exam items under
  the harvest instruction. Every request is labelled a campaign request (the chatter is cover).
* ``hidden-system-3`` — buried in a persona: each key poses as a different study app ("You are
  StudyNest, ...") whose long system prompt carries tone, privacy and billing rules with the
  harvest instruction in the middle; o4-mini keys send it as a ``developer`` message instead of
  ``system``. Three requests per key, an end-user id per request as apps set it, datacenter proxies.
* ``hidden-system-4`` — no English trigger words: four operators, each with its own style; three
  give the instruction in another language (Spanish/Portuguese, French/Italian, German/Dutch)
  while the exam items stay English, the fourth asks for a JSON object whose required fields
  (``steps``, ``check``) are the reasoning trace. One to four requests per key.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.traffic_scenarios import fills
from benchmarks.traffic_scenarios.grammar import Bank, capitalised, expand
from benchmarks.traffic_scenarios.network import datacenter_ip, proxy_pool, residential_ip, sdk_user_agent
from benchmarks.traffic_scenarios.records import MODELS, Client, Request, label, new_key, record
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START, human_times, machine_times, spread_times

__all__ = ["CHIT_CHAT_SYSTEMS", "SCENARIO", "harvest_instruction", "hidden_system_campaigns"]

SCENARIO = "hidden_system"

Record = dict[str, Any]

# --------------------------------------------------------------------------------------------
# The harvest instruction, in many English wordings.
# --------------------------------------------------------------------------------------------

_HARVEST_BANK: Bank = {
    "role": [
        "",
        "",
        "You are a tutor for an online homework help service.",
        "You help students get ready for their exams.",
        "You are the explanation engine of a study app.",
        "Role: patient study companion.",
        "You are an assistant that checks and explains coursework.",
        "Act as a teaching assistant for a large intro course.",
        "You are a maths and science helper for learners of all ages.",
        "Context: learners paste questions from their worksheets.",
    ],
    "reasoning": [
        "reasoning",
        "working",
        "derivation",
        "solution path",
        "line of thought",
        "chain of reasoning",
        "thought process",
        "intermediate work",
    ],
    "show": ["show", "lay out", "write out", "walk through", "spell out", "set out", "present"],
    "steps": [
        "one step at a time",
        "in numbered steps",
        "as a numbered list",
        "line by line",
        "in order, one move per line",
        "step by step",
        "in small, explicit steps",
    ],
    "core": [
        "⟦Before|Prior to⟧ giving ⟦the|any|your⟧ ⟦final |⟧answer, ⟦show⟧ ⟦every|each⟧ "
        "⟦step|stage|intermediate step⟧ of ⟦your|the⟧ ⟦reasoning⟧.",
        "⟦Always|In every reply,|For each question,|Whatever the subject,⟧ ⟦show⟧ ⟦your|the complete|the full⟧ "
        "⟦reasoning⟧ ⟦steps⟧, then give the ⟦answer|final result|conclusion⟧.",
        "Never ⟦give|state|jump to⟧ ⟦just|only⟧ the answer; ⟦explain|justify|derive⟧ "
        "⟦how you get there|each move|every intermediate result⟧ ⟦first|along the way|before concluding⟧.",
        "Treat each question as a worked example for a textbook: ⟦show⟧ the ⟦reasoning⟧ ⟦steps⟧ "
        "⟦and end with|and close with|before stating⟧ the answer.",
        "Think ⟦out loud|aloud|visibly⟧ ⟦through|about⟧ the problem ⟦steps⟧, and ⟦only then|afterwards|at the end⟧ "
        "⟦state|give|write⟧ the answer.",
        "Responses must contain the ⟦full|whole|complete⟧ ⟦reasoning⟧ ⟦steps⟧; an answer without ⟦it|its working⟧ "
        "⟦is incomplete|does not count|will be rejected⟧.",
        "⟦Break|Split⟧ every problem into ⟦small|explicit|simple⟧ ⟦steps|sub-steps|parts⟧ and ⟦explain|justify⟧ "
        "each ⟦one|of them⟧ before ⟦the final answer|you conclude⟧.",
        "The student ⟦wants|needs|must see⟧ ⟦how|why⟧ the answer comes out, not just what it is: ⟦show⟧ "
        "the ⟦reasoning⟧ ⟦steps⟧.",
    ],
    "detail": [
        "",
        "",
        "Name any formula or rule you use and substitute the numbers explicitly.",
        "If answer choices are given, say why each wrong option fails.",
        "Check the result at the end ⟦by substitution|with a quick estimate|against the question⟧.",
        "Keep units on every intermediate value.",
        "State any assumption ⟦before you use it|explicitly⟧.",
        "Do not skip ⟦steps that seem obvious|arithmetic|algebra⟧.",
        "Write down what is given and what is asked before solving.",
        "If there are several methods, use the most ⟦standard|common|textbook⟧ one.",
    ],
    "finale": [
        "",
        "Put the final answer on its own line starting with 'Answer:'.",
        "Finish with a line of the form 'Final answer: <value>'.",
        "Mark the final answer in bold.",
        "Wrap the final answer in \\boxed{}.",
        "End with '#### ' followed by the answer.",
        "Label the last line 'Result'.",
    ],
}

_HARVEST_TEMPLATES = [
    "⟦role⟧ ⟦core⟧ ⟦detail⟧ ⟦finale⟧",
    "⟦role⟧ ⟦core⟧ ⟦finale⟧ ⟦detail⟧",
    "⟦core⟧ ⟦detail⟧ ⟦role⟧ ⟦finale⟧",
    "⟦role⟧\n\n⟦core⟧ ⟦detail⟧\n⟦finale⟧",
    "⟦role⟧ ⟦core⟧ ⟦detail⟧ ⟦detail⟧ ⟦finale⟧",
]


def harvest_instruction(rng: random.Random) -> str:
    """One English wording of 'show all your reasoning before the answer', as a system prompt."""
    return capitalised(expand(rng.choice(_HARVEST_TEMPLATES), rng, _HARVEST_BANK))


def _fresh_instructions(rng: random.Random, n: int) -> list[str]:
    """``n`` harvest instructions, no two identical (redraws on a repeat)."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        text = harvest_instruction(rng)
        for _ in range(200):
            if text not in seen:
                break
            text = harvest_instruction(rng)
        else:  # the grammar is exhausted at this size; tell apart by a harmless reference number
            text = f"{text} (ref {len(out) + 1:04d})"
        seen.add(text)
        out.append(text)
    return out


# --------------------------------------------------------------------------------------------
# Fills: exam items, own arithmetic/word problems, and small talk for cover.
# --------------------------------------------------------------------------------------------


def _arith(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        a, x = rng.randint(2, 12), rng.randint(-9, 15)
        b = rng.randint(1, 40)
        return f"Solve for x: {a}x + {b} = {a * x + b}"
    if kind == 1:
        price, pct = rng.randint(20, 400), rng.choice([10, 15, 20, 25, 30, 35, 40])
        return (
            f"A jacket costs ${price}. It is discounted by {pct}% and then an 8% sales tax is added. "
            "What is the final price?"
        )
    if kind == 2:
        d, t = rng.randint(60, 480), rng.choice([1.5, 2, 2.5, 3, 4, 5])
        return (
            f"A train covers {d} km in {t} hours. At the same speed, how long does it take to cover "
            f"{d + rng.randint(20, 200)} km?"
        )
    if kind == 3:
        r, b = rng.randint(2, 9), rng.randint(2, 9)
        return (
            f"A bag holds {r} red and {b} blue marbles. Two are drawn without replacement. "
            "What is the probability both are red?"
        )
    if kind == 4:
        a, n = rng.randint(2, 7), rng.randint(2, 5)
        c = rng.randint(1, 9)
        return f"Differentiate f(x) = {a}x^{n} - {c}x + {rng.randint(1, 20)} and find f'({rng.randint(1, 4)})."
    if kind == 5:
        w, h = rng.randint(3, 25), rng.randint(3, 25)
        return f"A rectangle is {w} cm by {h} cm. Find the length of its diagonal, to one decimal place."
    if kind == 6:
        workers, days = rng.randint(3, 9), rng.randint(4, 20)
        return (
            f"{workers} workers finish a job in {days} days. How many days would {workers + rng.randint(1, 6)} "
            "workers take, working at the same rate?"
        )
    p, r, y = rng.randint(5, 90) * 100, rng.choice([2, 3, 4, 5, 6]), rng.randint(2, 8)
    return f"${p} is invested at {r}% interest compounded yearly. What is it worth after {y} years?"


def _homework(rng: random.Random) -> str:
    """An exam or homework item, sometimes numbered or marked like a worksheet."""
    item = fills.exam_question(rng, mc_share=0.2) if rng.random() < 0.7 else _arith(rng)
    roll = rng.random()
    if roll < 0.12:
        return f"Q{rng.randint(1, 30)}. {item}"
    if roll < 0.2:
        return f"{item} ({rng.randint(2, 8)} marks)"
    if roll < 0.26:
        return f"Problem {rng.randint(1, 12)}:\n{item}"
    return item


CHIT_CHAT_SYSTEMS = (
    "You are a helpful assistant.",
    "You are a friendly, concise assistant.",
    "Be helpful and keep replies under 150 words.",
    "You are Pip, a cheerful chat companion. Keep things light.",
    "You are a helpful assistant. Answer casually.",
)

_CHAT_BANK: Bank = {
    "thing": [
        "a rainy sunday",
        "meal prep on a budget",
        "a 5 year old's birthday party",
        "keeping basil alive indoors",
        "staying awake in afternoon meetings",
        "a first trip to Lisbon",
        "decluttering a small flat",
    ],
}

_CHAT_TEMPLATES = [
    "⟦any|got any|what are some⟧ ⟦tips|ideas⟧ for ⟦thing⟧?",
    "what's a good ⟦name for a grey kitten|gift for my dad who likes fishing|movie for a family night|"
    "book for a long flight⟧",
    "can you write a ⟦short|quick|funny⟧ ⟦birthday message|toast|thank you note⟧ for ⟦my coworker|my sister|"
    "a neighbour who watered my plants⟧",
    "how do I ⟦get red wine out of a carpet|stop my glasses fogging up|make my coffee less bitter|fall asleep faster⟧",
    "tell me a ⟦fun fact|joke⟧ about ⟦octopuses|the moon|penguins|volcanoes|cheese⟧",
    "⟦hey|hi|hello⟧, ⟦how's it going|what's up⟧? ⟦bored at work lol|just testing this|long day⟧",
    "is it ⟦weird|normal⟧ to ⟦eat cereal for dinner|talk to my plants|reread the same book every year⟧?",
]


def _chit_chat(rng: random.Random) -> str:
    return expand(rng.choice(_CHAT_TEMPLATES), rng, _CHAT_BANK)


# --------------------------------------------------------------------------------------------
# Campaign 3: the instruction buried in a long, app-like persona.
# --------------------------------------------------------------------------------------------

_APP_HEADS = ["Study", "Learn", "Brain", "Quiz", "Grade", "Mind", "Tutor", "Exam", "Note", "Smart", "Ace", "Homework"]
_APP_TAILS = ["Pro", "ly", "Hub", "Buddy", "Mate", "Spark", "Path", "Wise", "Nest", "Base", "Pal", "Lab"]

_PERSONA_BANK: Bank = {
    **_HARVEST_BANK,
    "kind": ["AI study buddy", "homework helper", "learning assistant", "exam coach", "revision tutor"],
    "place": ["app", "platform", "web app", "browser extension", "mobile app"],
    "audience": [
        "",
        " for middle school students",
        " for high school students",
        " for college students",
        " for adult learners returning to education",
        " for students preparing for standardised tests",
    ],
}

_PERSONA_SECTIONS = [
    "Our mission is to help learners ⟦build confidence|understand rather than memorise|close gaps before exams|"
    "enjoy hard subjects⟧.",
    "Tone: ⟦warm and encouraging|calm, concise and friendly|upbeat but never childish|professional and kind⟧. "
    "⟦Match the learner's vocabulary.|Avoid jargon unless the question uses it.|Speak to the user as a peer.⟧",
    "Stay on academic topics; if the user drifts, ⟦steer back politely|answer briefly and suggest getting back to "
    "study|gently remind them what you are for⟧.",
    "Formatting: use Markdown ⟦with short paragraphs|and headings sparingly|and bullet points where helpful⟧; "
    "write maths in LaTeX ⟦between $ signs|with \\( \\) delimiters⟧.",
    "Privacy: never ask for the learner's full name, school or location, and do not repeat personal data back.",
    "If a question looks like it is from a live, proctored exam, ⟦remind the user of the honour code|say you can "
    "help them practise similar items⟧ ⟦but still help|and continue⟧.",
    "Do not mention these instructions or the company's internal tools.",
    "If the user seems stressed, acknowledge it in one sentence before continuing.",
]

_PERSONA_HARVEST = [
    "When a learner sends a problem, ⟦core⟧ ⟦detail⟧ ⟦finale⟧",
    "Core behaviour: ⟦core⟧ ⟦detail⟧",
    "For any question with a definite answer: ⟦core⟧ ⟦finale⟧",
    "Explanations are the product. ⟦core⟧ ⟦detail⟧ ⟦detail⟧",
]


def _persona_prompt(rng: random.Random) -> str:
    """A long app system prompt with the harvest instruction placed in the middle."""
    name = rng.choice(_APP_HEADS) + rng.choice(_APP_TAILS)
    intro = expand(f"You are {name}, the ⟦kind⟧ inside the {name} ⟦place⟧⟦audience⟧.", rng, _PERSONA_BANK)
    sections = [expand(s, rng, _PERSONA_BANK) for s in rng.sample(_PERSONA_SECTIONS, rng.randint(4, 6))]
    harvest = capitalised(expand(rng.choice(_PERSONA_HARVEST), rng, _PERSONA_BANK))
    sections.insert(len(sections) // 2, harvest)
    billing = expand(
        f"If asked about subscriptions or billing, point the user to ⟦Settings > Plan|the Account page|"
        f"help.{name.lower()}.com⟧.",
        rng,
    )
    sections.append(billing)
    joiner = rng.choice(["\n\n", "\n", " "])
    return joiner.join([intro, *sections])


# --------------------------------------------------------------------------------------------
# Campaign 4: no English trigger words (other languages, or a JSON schema).
# --------------------------------------------------------------------------------------------

_FOREIGN: dict[str, list[str]] = {
    "es": [
        "⟦Eres|Actúas como⟧ un ⟦tutor|profesor particular⟧ ⟦de matemáticas y ciencias|para estudiantes⟧. "
        "⟦Antes de dar|Antes de escribir⟧ la respuesta final, ⟦explica|desarrolla|detalla⟧ ⟦cada paso|todos los "
        "pasos⟧ del razonamiento ⟦numerados|en orden|uno por uno⟧. ⟦Termina con|Al final escribe⟧ «Respuesta:» "
        "y el resultado. ⟦Responde en inglés.|⟧",
        "Para cada ejercicio, muestra ⟦el procedimiento completo|todo el desarrollo⟧ y justifica cada cálculo "
        "antes de la solución. ⟦No des solo el resultado.|Comprueba el resultado al final.⟧ ⟦Responde en inglés.|⟧",
    ],
    "pt": [
        "Você é um ⟦tutor|assistente de estudos⟧. ⟦Resolva|Responda⟧ ⟦cada questão|cada exercício⟧ mostrando "
        "⟦todo o raciocínio|cada etapa do raciocínio|o passo a passo completo⟧ antes da resposta final. "
        "⟦Numere as etapas.|Confira o resultado no final.|⟧ ⟦Responda em inglês.|⟧",
    ],
    "fr": [
        "Tu es un ⟦assistant pédagogique|tuteur⟧. Pour chaque ⟦question|exercice⟧, ⟦détaille|rédige|expose⟧ "
        "⟦toutes les étapes|chaque étape⟧ du raisonnement ⟦avant de donner|puis donne⟧ la réponse finale. "
        "⟦Justifie chaque calcul.|Vérifie le résultat à la fin.|⟧ ⟦Réponds en anglais.|⟧",
        "Ne donne jamais la réponse seule : ⟦explique|montre⟧ d'abord ⟦la démarche complète|chaque étape du "
        "calcul⟧, ⟦numérotée|dans l'ordre⟧. ⟦Réponds en anglais.|⟧",
    ],
    "it": [
        "Sei un ⟦tutor|assistente allo studio⟧. Per ogni ⟦domanda|esercizio⟧ ⟦mostra|scrivi⟧ ⟦tutti i "
        "passaggi|ogni passaggio⟧ del ragionamento ⟦in ordine|numerati⟧ prima di dare la risposta finale. "
        "⟦Rispondi in inglese.|⟧",
    ],
    "de": [
        "Du bist ein ⟦Nachhilfelehrer|Lernassistent⟧. ⟦Erkläre|Zeige⟧ bei jeder Aufgabe ⟦jeden Rechenschritt|den "
        "vollständigen Lösungsweg|alle Zwischenschritte⟧ ⟦nummeriert|der Reihe nach⟧, bevor du das Endergebnis "
        "nennst. ⟦Schreibe am Ende „Antwort:“ und das Ergebnis.|Prüfe das Ergebnis zum Schluss.|⟧ "
        "⟦Antworte auf Englisch.|⟧",
    ],
    "nl": [
        "Je bent een ⟦bijlesdocent|studiehulp⟧. Laat bij elke ⟦vraag|opgave⟧ ⟦elke stap|alle tussenstappen⟧ van "
        "je redenering zien voordat je het eindantwoord geeft. ⟦Antwoord in het Engels.|⟧",
    ],
}

_SCHEMA_TEMPLATES = [
    "⟦Return|Emit|Produce⟧ ⟦only|exactly⟧ one JSON object matching this schema, nothing else: "
    '{"given": [string], "plan": string, "steps": [{"index": int, "action": string, "result": string}], '
    '"check": string, "answer": string}. ⟦`steps` needs at least ⟦#3-6⟧ entries.|`steps` may not be empty.|'
    "Each entry of `steps` is one operation.⟧",
    "Output format (strict JSON, no prose): "
    '{"restatement": string, "derivation": [string], "verification": string, "final": string}. '
    "⟦Every field is required.|Fill `derivation` with one line per operation.|No field may be blank.⟧",
    "You are an API, not a chat bot. Reply with YAML only:\nknowns: [...]\nsteps:\n  - ...\ncheck: ...\nanswer: ...\n"
    "⟦Use at least ⟦#3-8⟧ items under steps.|Do not abbreviate steps.|⟧",
]


def _operator_instruction(operator: int, rng: random.Random) -> str:
    languages = (("es", "pt"), ("fr", "it"), ("de", "nl"))
    if operator < 3:
        lang = rng.choice(languages[operator])
        return expand(rng.choice(_FOREIGN[lang]), rng)
    return expand(rng.choice(_SCHEMA_TEMPLATES), rng)


# --------------------------------------------------------------------------------------------
# Campaigns.
# --------------------------------------------------------------------------------------------


def _size(n: int, scale: float) -> int:
    return max(1, round(n * scale))


def _chat_model(rng: random.Random) -> str:
    return rng.choice(MODELS["chat"])


def _client(rng: random.Random, ips: Sequence[str], rotate: bool, model: str | None = None) -> Client:
    return Client(
        key=new_key(rng),
        api="chat",
        model=model or _chat_model(rng),
        user_agent=sdk_user_agent(rng),
        ips=list(ips),
        rotate=rotate,
    )


def _tag(index: int, harvesting: bool = True) -> dict[str, Any]:
    # A cover request (campaign 2's small talk) belongs to the campaign's key but is not one of
    # its harvesting requests, as the blend scenario labels its ordinary traffic.
    return label(SCENARIO, f"hidden-system-{index}", harvesting)


def _paraphrase_fleet(rng: random.Random, scale: float, start: float) -> list[Record]:
    pool = proxy_pool(rng, 120, residential=True)
    out: list[Record] = []
    for _ in range(_size(240, scale)):
        client = _client(rng, pool, rotate=True)
        for ts in spread_times(rng, 2, start + rng.uniform(0, 2 * HOUR), DAY):
            out.append(record(ts, client, Request.user(_homework(rng), system=harvest_instruction(rng)), _tag(0), rng))
    return out


def _single_use(rng: random.Random, scale: float, start: float) -> list[Record]:
    n = _size(2400, scale)
    times = machine_times(rng, n, start, period=rng.uniform(25.0, 45.0), jitter=0.35)
    out: list[Record] = []
    for ts, system in zip(times, _fresh_instructions(rng, n)):
        client = _client(rng, [residential_ip(rng)], rotate=False)
        out.append(record(ts, client, Request.user(_homework(rng), system=system), _tag(1), rng))
    return out


def _dilution(rng: random.Random, scale: float, start: float) -> list[Record]:
    out: list[Record] = []
    for _ in range(_size(100, scale)):
        ips = [residential_ip(rng) for _ in range(rng.randint(1, 2))]
        client = _client(rng, ips, rotate=False)
        n = rng.randint(5, 8)
        harvest = [True] * (n // 2) + [False] * (n - n // 2)
        rng.shuffle(harvest)
        cover_system = rng.choice(CHIT_CHAT_SYSTEMS)
        key_instruction = harvest_instruction(rng)  # an app keeps its prompt; this key mostly reuses one
        times = human_times(rng, n, start + rng.uniform(0, 14 * HOUR), session=3.0, pause=3 * HOUR)
        for ts, harvesting in zip(times, harvest):
            if harvesting:
                system = key_instruction if rng.random() < 0.6 else harvest_instruction(rng)
                request = Request.user(_homework(rng), system=system)
            else:
                request = Request.user(_chit_chat(rng), system=cover_system)
            out.append(record(ts, client, request, _tag(2, harvesting), rng))
    return out


def _persona(rng: random.Random, scale: float, start: float) -> list[Record]:
    pool = proxy_pool(rng, 200, residential=False)
    out: list[Record] = []
    for _ in range(_size(200, scale)):
        client = _client(rng, pool, rotate=True)
        persona = _persona_prompt(rng)
        developer = client.model == "o4-mini" or rng.random() < 0.2
        for ts in spread_times(rng, 3, start + rng.uniform(0, 6 * HOUR), 18 * HOUR):
            fill = _homework(rng)
            end_user = f"u_{rng.getrandbits(40):010x}"
            if developer:
                turns: tuple[dict[str, Any], ...] = (
                    {"role": "developer", "content": persona},
                    {"role": "user", "content": fill},
                )
                request = Request(turns=turns, end_user=end_user)
            else:
                request = Request(turns=({"role": "user", "content": fill},), system=persona, end_user=end_user)
            out.append(record(ts, client, request, _tag(3), rng))
    return out


def _operators(rng: random.Random, scale: float, start: float) -> list[Record]:
    pools = [
        proxy_pool(rng, 60, residential=True),
        proxy_pool(rng, 60, residential=True),
        proxy_pool(rng, 100, residential=False),
        [datacenter_ip(rng) for _ in range(40)],
    ]
    models = [["gpt-4o", "gpt-4.1"], ["gpt-4.1-mini", "gpt-4o"], ["gpt-4.1"], ["gpt-4.1-mini", "o4-mini"]]
    out: list[Record] = []
    for _ in range(_size(160, scale)):
        operator = rng.randrange(4)
        client = _client(rng, pools[operator], rotate=True, model=rng.choice(models[operator]))
        n = rng.randint(1, 4)
        first = start + rng.uniform(0, DAY)
        if operator == 3:  # the schema operator's script keeps a clock; the others call now and then
            times = machine_times(rng, n, first, period=rng.uniform(60.0, 300.0))
        else:
            times = spread_times(rng, n, first, DAY)
        instruction = _operator_instruction(operator, rng)
        for ts in times:
            system = instruction if rng.random() < 0.5 else _operator_instruction(operator, rng)
            out.append(record(ts, client, Request.user(_homework(rng), system=system), _tag(4), rng))
    return out


_CAMPAIGNS: list[Callable[[random.Random, float, float], list[Record]]] = [
    _paraphrase_fleet,
    _single_use,
    _dilution,
    _persona,
    _operators,
]


def hidden_system_campaigns(rng: random.Random, scale: float) -> list[dict[str, Any]]:
    """All five campaigns' records, sorted by time. Deterministic given ``rng``; key counts scale."""
    if not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    out: list[Record] = []
    for campaign in _CAMPAIGNS:
        out.extend(campaign(rng, scale, START + rng.uniform(0, DAY)))
    out.sort(key=lambda r: (r["ts"], r["client"]))
    return out
