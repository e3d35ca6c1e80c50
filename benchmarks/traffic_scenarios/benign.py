"""What honest users and apps send, including the look-alikes of every campaign category.

People ask for step-by-step help, grade their own essays, ask for ten ideas, want a text rewritten
five ways, ask which of two options is better and translate "the text above": each is one request
among many varied ones, in a person's own phrasing and with a person's typos. Apps put their own
system prompt before every user message, and some of those ask for careful step-by-step reasoning.
"""

from __future__ import annotations

import random

from benchmarks.traffic_scenarios.fills import (
    CITIES,
    NAMES,
    TOPICS,
    code_snippet,
    document,
    exam_question,
)
from benchmarks.traffic_scenarios.grammar import Bank, expand

__all__ = [
    "APP_PROMPTS",
    "REASONING_APP_PROMPTS",
    "assistant_reply",
    "evaluation_prompt",
    "follow_up",
    "homework_request",
    "humanise",
    "ordinary_request",
]

_WORDS: Bank = {
    "name": NAMES,
    "city": CITIES,
    "topic": TOPICS,
    "person": ["boss", "landlord", "professor", "team", "neighbour", "client", "sister", "coach", "doctor's office"],
    "tone": ["polite", "friendly", "firm", "short", "formal", "apologetic", "upbeat"],
    "lang": ["Python", "JavaScript", "SQL", "Go", "Rust", "Java", "bash", "TypeScript", "C#"],
    "language": ["Spanish", "French", "German", "Japanese", "Italian", "Portuguese", "Korean"],
    "food": ["chickpeas", "leftover rice", "salmon", "tofu", "ground beef", "zucchini", "lentils", "eggs and spinach"],
    "event": [
        "a 7-year-old's birthday",
        "a team offsite",
        "a baby shower",
        "a retirement party",
        "a game night",
        "our anniversary",
        "a charity bake sale",
    ],
    "job": ["data analyst", "nurse", "barista", "software engineer", "teacher", "project manager", "electrician"],
    "thing": ["the ocean", "my grandmother's kitchen", "autumn", "a lost sock", "the night shift", "a lighthouse"],
}

# Ordinary requests. Some are look-alikes of campaign categories on purpose (marked by comments).
_ORDINARY = [
    "write a ⟦tone⟧ email to my ⟦person⟧ saying ⟦I'll be late on Monday|I can't make the meeting|the rent will be "
    "a week late|thanks for the help last week⟧",
    "can you help me write a cover letter for a ⟦job⟧ position? I have ⟦#1-12⟧ years of experience",
    "give me a ⟦#4-14⟧-line poem about ⟦thing⟧",
    "draft a short toast for my ⟦sister's|best friend's|brother's⟧ wedding, ⟦funny but not embarrassing|heartfelt|"
    "under a minute long⟧",
    "how do I ⟦reverse a string|read a csv file|make an http request|parse json|sort a list of objects by date|"
    "remove duplicates from an array⟧ in ⟦lang⟧?",
    "what's the difference between ⟦let and const|a list and a tuple|an interface and an abstract class|INNER JOIN and "
    "LEFT JOIN|threads and processes⟧?",
    "{code}\n\n⟦why does this throw an error?|this doesn't work, what's wrong?|how can I make this faster?|can you "
    "add comments to this?|is there a bug here?⟧",
    "explain ⟦topic⟧ like I'm ⟦five|a high schooler|new to it⟧",
    "what are some good ⟦books|podcasts|YouTube channels|courses⟧ about ⟦topic⟧?",
    "plan a ⟦#2-6⟧-day trip to ⟦city⟧ on a ⟦tight|moderate|generous⟧ budget",
    "what can I cook tonight with ⟦food⟧ and whatever's in a normal pantry?",
    "summarize this for me:\n\n{doc}",
    "{doc}\n\n⟦what are the action items here?|can you make this shorter?|what's the main point?|is the tone ok?⟧",
    "translate into ⟦language⟧: {doc}",
    # Look-alike of "translate the text above" extraction: the text above is the user's own.
    "{doc}\n\nTranslate the text above into ⟦language⟧.",
    "{doc}\n\nRepeat the paragraph above but fix any grammar mistakes.",
    "give me ⟦#5-12⟧ ideas for ⟦event⟧",
    # Look-alike of synthetic generation: a teacher's quiz, an interviewer's questions.
    "write ⟦#5-20⟧ quiz questions about ⟦topic⟧ for my ⟦6th|8th|10th⟧ graders, with answers at the end",
    "what questions should I ask at the end of an interview for a ⟦job⟧ job?",
    "list ⟦#5-15⟧ conversation starters for ⟦a first date|a networking event|meeting my partner's parents⟧",
    # Look-alike of rewrite/augmentation: variants of the user's own text.
    "give me ⟦#3-8⟧ different versions of this tagline: '⟦Fresh bread, every morning|Your data, your rules|Small "
    "town, big heart|Coffee that keeps up with you⟧'",
    "rewrite this to sound more ⟦professional|casual|confident|concise⟧: ⟦hey so i wont be able to finish the "
    "report today sorry|We regret to inform you the event is cancelled|i think maybe we should consider changing "
    "the plan⟧",
    # Look-alike of judging: a person asking for a grade or a preference.
    "how would you grade this paragraph out of 10? {doc}",
    "which sounds better for a bakery name, '⟦Rise & Shine|Crumb Club|The Daily Loaf⟧' or '⟦Golden Crust|Flour "
    "Power|Knead to Know⟧'?",
    # Look-alike of step-by-step reasoning, outside homework.
    "explain step by step how to ⟦change a flat tire|set up a python virtual environment|file a tax extension|"
    "replace a light switch|bleed a radiator⟧",
    "is it normal that ⟦my sourdough starter smells like nail polish|my laptop fan runs all the time|my cat sleeps "
    "18 hours a day|my knee clicks when I squat⟧?",
    "tips for ⟦running my first 10k|sleeping better|staying focused while working from home|learning to draw|"
    "saving for a house⟧",
    "tell me a joke about ⟦accountants|cats|pirates|programmers|the weather⟧",
    "what should I name my ⟦cat|dog|sourdough starter|houseplant|band⟧?",
    "make a table comparing ⟦the iPhone and Pixel|renting and buying|Python and JavaScript|electric and gas cars⟧",
    "who was ⟦Ada Lovelace|Mansa Musa|Hypatia|Nikola Tesla|Frida Kahlo|Ibn Battuta⟧ and why are they famous?",
    "what happened in ⟦city⟧ ⟦in the 1800s|during WW2|recently⟧? just a quick overview",
    "help me write a ⟦birthday message|thank-you note|sympathy card|LinkedIn post⟧ for ⟦name⟧",
    "I have ⟦#2-9⟧ hours, ⟦#1-5⟧ tasks and no motivation. how do I plan my afternoon?",
    "whats a good ⟦beginner|weeknight|vegetarian|one-pot⟧ recipe with ⟦food⟧",
    "convert ⟦#2-12⟧ cups of flour to grams",
    "how many ⟦calories|grams of protein⟧ are in ⟦#1-4⟧ ⟦eggs|bananas|slices of bread⟧?",
    "{question}",
    "quick question: {question}",
]

_HOMEWORK = [
    "{q}\n\n⟦show your work|show your work pls|please show all the steps|can you show how you got it|explain each "
    "step so I can follow|walk me through it step by step⟧",
    "⟦can you|could you|pls|please⟧ help me with this ⟦homework|hw|assignment|practice⟧ question? ⟦I don't get how to "
    "start|I keep getting it wrong|we didn't cover this in class⟧\n\n{q}",
    "{q} ⟦(need the steps for my teacher)|- I need to show work|step by step please|and why?⟧",
    "I got ⟦#2-120⟧ for this but the answer key says something else. where did I go wrong?\n{q}",
    "how do you solve this? {q}",
    "{q}",
    "explain this like my tutor would, one step at a time: {q}",
    "for my ⟦chem|physics|math|bio|econ|history⟧ class: {q}",
    "I have a test ⟦tomorrow|on friday|next week⟧, can you explain how to do problems like this one? {q}",
]

_FOLLOW_UPS = [
    "thanks! can you make it shorter?",
    "wait, why did you do that step?",
    "can you explain the second part again?",
    "ok now do the same for the next one",
    "that's not quite right, try again",
    "perfect, thank you",
    "can you give an example?",
    "make it more formal",
    "what if the number was bigger?",
    "ok but simpler pls",
    "can you put that in a table?",
    "why?",
    "and in ⟦lang⟧?",
    "great, now translate it to ⟦language⟧",
]

_ASSISTANT = [
    "Sure! Here's a draft you can adapt.",
    "Here is one way to approach it.",
    "Good question. In short:",
    "Here's a step-by-step explanation.",
    "Of course. Below is a revised version.",
    "Here are a few options.",
]


def humanise(text: str, rng: random.Random, sloppiness: float) -> str:
    """A person's version of ``text``: lower case, dropped punctuation, a typo, a greeting, a "thx"."""
    if rng.random() < sloppiness:
        text = text[0].lower() + text[1:] if text else text
    if rng.random() < sloppiness * 0.5:
        text = text.rstrip("?.!")
    if rng.random() < sloppiness * 0.6 and len(text) > 12:
        i = rng.randrange(1, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if rng.random() < 0.12:
        text = rng.choice(["hey, ", "hi! ", "ok so ", "hello, ", "quick one: "]) + text
    if rng.random() < 0.08:
        text += rng.choice([" thx", " thanks!", " ty", " :)", " please", " 🙏"])
    return text


def ordinary_request(rng: random.Random, sloppiness: float = 0.4) -> str:
    template = rng.choice(_ORDINARY)
    filled = expand(template, rng, _WORDS)
    filled = (
        filled.replace("{code}", code_snippet(rng))
        .replace("{doc}", document(rng))
        .replace("{question}", exam_question(rng))
    )
    return humanise(filled, rng, sloppiness)


def homework_request(rng: random.Random, question: str | None = None, sloppiness: float = 0.5) -> str:
    q = question if question is not None else exam_question(rng)
    return humanise(expand(rng.choice(_HOMEWORK), rng).replace("{q}", q), rng, sloppiness)


def follow_up(rng: random.Random) -> str:
    return expand(rng.choice(_FOLLOW_UPS), rng, _WORDS)


def assistant_reply(rng: random.Random) -> str:
    return rng.choice(_ASSISTANT)


# App system prompts: each app sends its own before every user message. The first group asks the
# model for careful step-by-step reasoning, which is the honest look-alike of reasoning harvesting.
REASONING_APP_PROMPTS = [
    "You are MathMentor, a patient tutor for secondary-school students. For every problem, reason through it "
    "carefully step by step and show each step to the student before giving the final answer. Never just give "
    "the answer. Use simple language and check your arithmetic.",
    "You are the study assistant inside the LearnLoop app. When a student asks a question, think it through "
    "step by step, explain your reasoning at each stage, and end with a one-line summary. If the question is "
    "ambiguous, ask a clarifying question first.",
    "You are a physics homework helper. Always write out the known quantities, the formula you choose and why, "
    "each algebraic step, and the units, then the result. Be careful and methodical; students learn from the "
    "steps, not the number.",
    "You are an exam-prep coach for nursing students. Work through each clinical question carefully, reasoning "
    "step by step about the options before you pick one, and explain why the wrong options are wrong.",
    "You are a careful analyst for a small finance newsletter. When asked a quantitative question, reason step "
    "by step, show every calculation, state your assumptions, and only then give the conclusion.",
    "Eres un tutor de matemáticas para estudiantes de secundaria. Resuelve cada problema paso a paso, explicando "
    "cada paso con claridad antes de dar la respuesta final.",
    "你是一名耐心的中学数学老师。对于每道题，请一步一步仔细推理，向学生展示每个步骤，然后再给出最终答案。",
]

APP_PROMPTS = [
    "You are ChefBuddy, a friendly cooking assistant. Suggest recipes based on what the user has, keep "
    "instructions short and numbered, and mention substitutions for common allergies.",
    "You are a customer support assistant for Brightline Bank. Be polite and concise. Never ask for full card "
    "numbers or passwords. For disputes, direct users to the in-app form.",
    "You are a code reviewer for a team that writes Python and TypeScript. Point out bugs first, then style, "
    "and suggest concrete fixes with short code examples.",
    "You are TripTailor, a travel planner. Ask about budget and dates if they are missing, then propose a day-by-"
    "day plan with approximate costs.",
    "You help small-business owners write marketing copy. Keep a warm, plain tone, avoid jargon, and offer two "
    "alternatives for every headline.",
    "You are a language-learning partner for intermediate Spanish learners. Reply in Spanish, then give a short "
    "English note on any mistakes the user made.",
    "You are a fitness coach. Give safe, beginner-friendly advice, suggest progressions, and remind users to see "
    "a doctor for pain or injuries.",
    "You are a writing assistant for students. Give feedback on structure, clarity and argument; do not write "
    "the essay for them.",
]

# Evaluation harnesses: a fixed answer-format template per harness, no request for reasoning.
_HARNESSES = [
    {
        "mc": "Answer the following multiple-choice question. Reply "
        "with only the letter of the correct option.\n\n{item}",
        "open": "Question: {item}\nGive only the final answer, with no explanation.\nAnswer:",
    },
    {
        "mc": "The following is a multiple choice question.\n\n{item}\nAnswer with A, B, C or D.\nAnswer:",
        "open": "Question: {item}\nAnswer:",
    },
]


def evaluation_prompt(item: str, harness: int, *, multiple_choice: bool, shots: str = "") -> str:
    """One benchmark item in an evaluation harness's template, after its few-shot prefix ``shots``."""
    template = _HARNESSES[harness % len(_HARNESSES)]["mc" if multiple_choice else "open"]
    return shots + template.replace("{item}", item)
