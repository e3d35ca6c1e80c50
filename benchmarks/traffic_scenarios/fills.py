"""Fills: the variable content that campaigns and honest users both send.

Exam questions, documents, code and topics are drawn from the same banks by students, apps'
users, evaluation customers and campaigns alike, so the same item (or the same masked skeleton of
a word problem) recurs across unrelated clients, as it does in the world: textbooks, benchmarks
and popular snippets are shared. All text here was written for this benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.traffic_scenarios.grammar import Bank, expand

__all__ = [
    "CODE_SNIPPETS",
    "CONCEPT_QUESTIONS",
    "DOCUMENTS",
    "MC_ITEMS",
    "TOPICS",
    "McItem",
    "candidate_response",
    "code_snippet",
    "document",
    "exam_question",
    "mc_item",
    "mc_text",
    "topic",
    "word_problem",
]

NAMES = [
    "Amara",
    "Bilal",
    "Chen",
    "Dana",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Yara",
]
CITIES = [
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Denver",
    "Krakow",
    "Lima",
    "Hanoi",
    "Tunis",
    "Perth",
    "Quebec City",
    "Bergen",
    "Cebu",
    "Rosario",
    "Izmir",
    "Leeds",
    "Pune",
]
ITEMS = ["notebooks", "apples", "concert tickets", "bags of rice", "paint cans", "light bulbs", "bus passes"]

_BANK: Bank = {"name": NAMES, "city": CITIES, "item": ITEMS}

# Word problems: the numbers change, the skeleton recurs (textbook exercises are like this).
WORD_PROBLEMS = [
    "A train leaves ⟦city⟧ at ⟦#40-120⟧ km/h and another leaves the same station ⟦#1-3⟧ hours later at "
    "⟦#60-160⟧ km/h on the same track. How long after the second train departs does it catch up?",
    "⟦name⟧ buys ⟦#3-12⟧ ⟦item⟧ at $⟦#2-19⟧ each and pays with a $⟦#100-200⟧ bill. How much change is due?",
    "A rectangle has a perimeter of ⟦#20-90⟧ cm and its length is ⟦#2-5⟧ cm more than twice its width. Find its area.",
    "The sum of three consecutive even integers is ⟦#30-300⟧. What is the largest of the three?",
    "A tank holds ⟦#200-900⟧ litres. Pipe A fills it in ⟦#3-9⟧ hours and pipe B drains it in ⟦#10-20⟧ hours. "
    "Starting empty with both open, how long until it is full?",
    "An investment of $⟦#1000-9000⟧ earns ⟦#2-9⟧% interest compounded annually. What is it worth after ⟦#3-15⟧ years?",
    "A ladder ⟦#5-13⟧ m long leans against a wall with its foot ⟦#1-4⟧ m from the wall. How high up the "
    "wall does it reach?",
    "Solve for x: ⟦#2-9⟧x + ⟦#1-30⟧ = ⟦#31-99⟧ - ⟦#1-5⟧x.",
    "Find all real solutions of x^2 - ⟦#2-15⟧x + ⟦#1-40⟧ = 0.",
    "A bag has ⟦#2-9⟧ red, ⟦#2-9⟧ blue and ⟦#1-6⟧ green marbles. Two are drawn without replacement. What "
    "is the probability that both are blue?",
    "A shop marks a jacket up ⟦#20-60⟧% over cost and later offers ⟦#10-40⟧% off the marked price. As a "
    "percentage of cost, what is the profit or loss?",
    "A car uses ⟦#5-11⟧ litres of fuel per 100 km. Fuel costs $⟦#1-3⟧.⟦#10-99⟧ per litre. What does a "
    "⟦#150-900⟧ km trip cost?",
    "What is the derivative of f(x) = ⟦#2-9⟧x^⟦#2-6⟧ - ⟦#1-9⟧x + ⟦#1-20⟧, and where is f'(x) = 0?",
    "Evaluate the integral of ⟦#2-8⟧x^⟦#1-4⟧ from x = 0 to x = ⟦#1-5⟧.",
    "A ball is thrown upward at ⟦#8-30⟧ m/s from a height of ⟦#1-20⟧ m. Ignoring air resistance, when does "
    "it hit the ground? Use g = 9.8 m/s^2.",
    "How many grams of NaCl are needed to make ⟦#100-900⟧ mL of a ⟦#1-3⟧.⟦#0-9⟧ M solution?",
    "A ⟦#2-12⟧ kg block slides down a frictionless incline of ⟦#15-60⟧ degrees. What is its acceleration?",
    "A circuit has a ⟦#6-24⟧ V battery and resistors of ⟦#2-20⟧ ohm and ⟦#2-20⟧ ohm in parallel. What "
    "current does the battery supply?",
    "⟦name⟧ can paint a fence in ⟦#3-9⟧ hours and ⟦name⟧ can paint it in ⟦#4-12⟧ hours. How long does it "
    "take them working together?",
    "The mean of ⟦#5-9⟧ numbers is ⟦#10-60⟧. When one number is removed the mean becomes ⟦#8-55⟧. What "
    "number was removed?",
    "A population of bacteria doubles every ⟦#15-90⟧ minutes. Starting from ⟦#100-900⟧ cells, how many "
    "are there after ⟦#3-10⟧ hours?",
    "How many ways can ⟦#4-9⟧ people be seated around a round table if two particular people must sit "
    "next to each other?",
    "Convert ⟦#100-999⟧ from base 10 to base ⟦#2-8⟧.",
    "A loan of $⟦#5000-40000⟧ at ⟦#3-12⟧% annual interest is repaid in equal monthly payments over "
    "⟦#2-6⟧ years. What is the monthly payment?",
    "The angles of a triangle are in the ratio ⟦#1-4⟧:⟦#2-5⟧:⟦#3-7⟧. Find the largest angle.",
    "A gas at ⟦#100-300⟧ kPa occupies ⟦#2-20⟧ L. If the pressure rises to ⟦#301-600⟧ kPa at constant "
    "temperature, what is the new volume?",
    "Find the sum of the first ⟦#10-60⟧ terms of the arithmetic sequence that starts ⟦#1-9⟧, ⟦#10-19⟧, ...",
    "A cone has radius ⟦#2-9⟧ cm and height ⟦#5-20⟧ cm. What is its volume?",
    "What is the remainder when ⟦#2-9⟧^⟦#20-99⟧ is divided by ⟦#5-13⟧?",
    "A company's revenue grew from $⟦#2-9⟧ million to $⟦#10-30⟧ million over ⟦#3-8⟧ years. What was the "
    "compound annual growth rate?",
    "A recipe for ⟦#2-6⟧ people needs ⟦#150-600⟧ g of flour. How much flour is needed for ⟦#7-15⟧ people?",
    "Two dice are rolled. What is the probability that the sum is at least ⟦#7-11⟧?",
    "If log base ⟦#2-5⟧ of x equals ⟦#2-6⟧, what is x?",
    "A boat travels ⟦#10-40⟧ km upstream in ⟦#2-5⟧ hours and back downstream in ⟦#1-2⟧ hours. Find the "
    "speed of the current.",
    "What is the pH of a ⟦#1-9⟧ x 10^-⟦#2-5⟧ M solution of HCl?",
    "A spring with constant ⟦#50-400⟧ N/m is compressed ⟦#2-15⟧ cm. How much energy does it store?",
    "⟦name⟧ scored ⟦#60-95⟧, ⟦#60-95⟧ and ⟦#60-95⟧ on three tests. What score on the fourth gives an "
    "average of ⟦#75-90⟧?",
    "In how many ways can a committee of ⟦#2-5⟧ be chosen from ⟦#6-15⟧ people?",
]

# Conceptual questions: exact items recur (a famous textbook question is asked by many people).
CONCEPT_QUESTIONS = [
    "Why does ice float on liquid water?",
    "Why is the sky blue during the day but red at sunset?",
    "What is the difference between mitosis and meiosis?",
    "How do vaccines train the immune system?",
    "Why do we have seasons on Earth?",
    "What causes inflation, and how do central banks try to control it?",
    "Explain the difference between weather and climate.",
    "Why did the Western Roman Empire collapse?",
    "What were the main causes of the First World War?",
    "How does natural selection lead to new species?",
    "What is the role of ATP in a cell?",
    "Why is the square root of 2 irrational?",
    "What does the second law of thermodynamics say, in plain terms?",
    "How does a bill become a law in a parliamentary system?",
    "What is opportunity cost? Give an example.",
    "Why do heavier and lighter objects fall at the same rate in a vacuum?",
    "What is the difference between an acid and a base?",
    "How do tectonic plates cause earthquakes?",
    "What is the function of the mitochondria?",
    "Why was the printing press so important for Europe?",
    "What is the difference between speed and velocity?",
    "How does photosynthesis convert light into chemical energy?",
    "What is a prime number, and why are there infinitely many?",
    "What is the greenhouse effect?",
    "Why does the Moon show phases?",
    "How does a binary search work, and what is its time complexity?",
    "What is the difference between a stack and a queue?",
    "What is supply and demand equilibrium?",
    "Why did the Industrial Revolution begin in Britain?",
    "What is the difference between DNA and RNA?",
    "How do enzymes speed up chemical reactions?",
    "What is Ohm's law?",
    "Why is biodiversity important for ecosystems?",
    "What is the difference between a virus and a bacterium?",
    "What did the Treaty of Westphalia establish?",
    "How does compound interest differ from simple interest?",
    "What is the Pythagorean theorem, and why is it true?",
    "What is a market externality? Give two examples.",
    "Why do metals conduct electricity?",
    "What is the difference between renewable and non-renewable energy?",
    "How does the heart pump blood through the body?",
    "What are the three branches of government and what does each do?",
    "What is the difference between a median and a mean?",
    "Why does a hot air balloon rise?",
    "What is recursion in programming?",
    "What caused the Great Depression?",
    "What is an ionic bond?",
    "How does the nitrogen cycle work?",
    "What is the difference between a simile and a metaphor?",
    "What is the central limit theorem?",
    "Why are antibiotics useless against the flu?",
    "How did the Silk Road shape trade between Asia and Europe?",
    "What is a limit in calculus?",
    "What is the difference between latitude and longitude?",
    "Why does salt lower the freezing point of water?",
    "What is comparative advantage?",
    "What does a p-value tell you, and what does it not tell you?",
    "How does a transistor work?",
    "What were the consequences of the French Revolution?",
    "What is the difference between kinetic and potential energy?",
    "What is the big-O complexity of quicksort, on average and in the worst case?",
    "Why do we need a control group in an experiment?",
    "What is the difference between an ecosystem and a biome?",
    "How does a refrigerator move heat out of its interior?",
    "What is a derivative, intuitively?",
    "Why did the Cold War end?",
    "What is the difference between a democracy and a republic?",
    "How does the kidney filter blood?",
    "What is entropy?",
    "What are the main themes of Macbeth?",
    "What is a hash table and why are lookups fast?",
    "Why do stars shine?",
    "What is the difference between fiscal and monetary policy?",
    "How do neurons transmit signals?",
    "What is the Doppler effect?",
    "What is the difference between correlation and causation?",
    "Why did the Ottoman Empire decline?",
    "What is a covalent bond?",
    "What is Newton's third law? Give an everyday example.",
    "What is a confidence interval?",
]

# Paired-concept prompts: a large space of distinct items from a few frames.
_PAIRS = [
    ("mitosis", "meiosis"),
    ("TCP", "UDP"),
    ("fission", "fusion"),
    ("a sonnet", "a haiku"),
    ("weather", "climate"),
    ("GDP", "GNP"),
    ("an atom", "a molecule"),
    ("a process", "a thread"),
    ("absolute monarchy", "constitutional monarchy"),
    ("osmosis", "diffusion"),
    ("RAM", "storage"),
    ("series circuits", "parallel circuits"),
    ("a comet", "an asteroid"),
    ("inflation", "deflation"),
    ("nominal interest", "real interest"),
    ("aerobic respiration", "anaerobic respiration"),
    ("a compiler", "an interpreter"),
    ("empiricism", "rationalism"),
    ("a tariff", "a quota"),
    ("lytic cycles", "lysogenic cycles"),
    ("SQL joins", "subqueries"),
    ("stocks", "bonds"),
    ("the Renaissance", "the Enlightenment"),
    ("endothermic reactions", "exothermic reactions"),
    ("a recession", "a depression"),
    ("arteries", "veins"),
    ("igneous rock", "sedimentary rock"),
    ("classical conditioning", "operant conditioning"),
    ("an ellipse", "a hyperbola"),
    ("federal systems", "unitary systems"),
    ("mass", "weight"),
    ("a gene", "an allele"),
]
_PAIR_FRAMES = [
    "What is the difference between {a} and {b}?",
    "Compare and contrast {a} and {b}.",
    "How are {a} and {b} alike, and how do they differ?",
    "Explain {a} versus {b}, with one example of each.",
]
_EVENTS = [
    "the fall of Constantinople in 1453",
    "the Meiji Restoration",
    "the partition of India",
    "the Congress of Vienna",
    "the Haitian Revolution",
    "the Marshall Plan",
    "the Black Death",
    "the Protestant Reformation",
    "the collapse of the Soviet Union",
    "the abolition of the slave trade",
    "the Cuban Missile Crisis",
    "the unification of Germany",
    "the Opium Wars",
    "the Magna Carta",
    "the Scramble for Africa",
    "the Apollo program",
    "the Dust Bowl",
    "the Taiping Rebellion",
]
_EVENT_FRAMES = [
    "What were the main causes and consequences of {e}?",
    "Why was {e} a turning point?",
    "Describe the significance of {e}.",
]


@dataclass(frozen=True)
class McItem:
    question: str
    options: tuple[str, str, str, str]
    answer: str  # "A" to "D"


MC_ITEMS = [
    McItem("Which gas makes up most of Earth's atmosphere?", ("Oxygen", "Nitrogen", "Argon", "Carbon dioxide"), "B"),
    McItem("What is the powerhouse of the cell?", ("Nucleus", "Ribosome", "Mitochondrion", "Golgi body"), "C"),
    McItem("Which of these is a prime number?", ("51", "57", "61", "63"), "C"),
    McItem(
        "Who wrote 'Pride and Prejudice'?", ("Charlotte Bronte", "Jane Austen", "George Eliot", "Mary Shelley"), "B"
    ),
    McItem("What is the SI unit of electric charge?", ("Volt", "Ampere", "Ohm", "Coulomb"), "D"),
    McItem("Which organ produces insulin?", ("Liver", "Pancreas", "Kidney", "Spleen"), "B"),
    McItem("In which year did the Berlin Wall fall?", ("1987", "1989", "1991", "1993"), "B"),
    McItem("Which data structure uses first-in, first-out order?", ("Stack", "Queue", "Heap", "Tree"), "B"),
    McItem("What is the derivative of sin(x)?", ("cos(x)", "-cos(x)", "-sin(x)", "tan(x)"), "A"),
    McItem("Which planet has the shortest year?", ("Venus", "Mars", "Mercury", "Earth"), "C"),
    McItem("Which economist wrote 'The Wealth of Nations'?", ("Keynes", "Smith", "Ricardo", "Marx"), "B"),
    McItem("What is the chemical symbol for potassium?", ("P", "Po", "K", "Pt"), "C"),
    McItem("Which blood cells fight infection?", ("Red cells", "Platelets", "White cells", "Plasma"), "C"),
    McItem("What is 15% of 240?", ("24", "32", "36", "40"), "C"),
    McItem(
        "Which layer of the atmosphere contains the ozone layer?",
        ("Troposphere", "Stratosphere", "Mesosphere", "Thermosphere"),
        "B",
    ),
    McItem(
        "Which sorting algorithm has O(n log n) worst-case time?",
        ("Quicksort", "Bubble sort", "Merge sort", "Insertion sort"),
        "C",
    ),
    McItem(
        "What kind of bond holds the two strands of DNA together?", ("Ionic", "Hydrogen", "Covalent", "Metallic"), "B"
    ),
    McItem("Which empire built Machu Picchu?", ("Aztec", "Maya", "Inca", "Olmec"), "C"),
    McItem("What is the value of 2^10?", ("512", "1000", "1024", "2048"), "C"),
    McItem("Which force keeps planets in orbit around the Sun?", ("Magnetism", "Friction", "Gravity", "Tension"), "C"),
    McItem(
        "Which document begins 'We the People'?",
        ("Declaration of Independence", "Bill of Rights", "US Constitution", "Federalist No. 10"),
        "C",
    ),
    McItem(
        "What does CPU stand for?",
        ("Central Processing Unit", "Computer Power Unit", "Core Program Utility", "Central Peripheral Unit"),
        "A",
    ),
    McItem("Which of these is a renewable resource?", ("Coal", "Natural gas", "Wind", "Uranium"), "C"),
    McItem(
        "What is the main function of red blood cells?",
        ("Clotting", "Carrying oxygen", "Fighting germs", "Making hormones"),
        "B",
    ),
    McItem("Which river flows through Baghdad?", ("Nile", "Euphrates", "Tigris", "Jordan"), "C"),
    McItem("What is the median of 3, 9, 4, 7, 12?", ("4", "7", "9", "7.5"), "B"),
    McItem("What is the boiling point of water at sea level in Fahrenheit?", ("100", "180", "212", "273"), "C"),
    McItem("Which philosopher wrote 'The Republic'?", ("Aristotle", "Plato", "Socrates", "Epicurus"), "B"),
    McItem("What is the atomic number of carbon?", ("4", "6", "8", "12"), "B"),
    McItem("Which HTTP status code means 'Not Found'?", ("200", "301", "404", "500"), "C"),
    McItem(
        "Which of these is an example of a monopoly's feature?",
        ("Many sellers", "Price taker", "Single seller", "Free entry"),
        "C",
    ),
    McItem("In a right triangle with legs 6 and 8, how long is the hypotenuse?", ("9", "10", "12", "14"), "B"),
    McItem(
        "Which treaty ended the First World War with Germany?", ("Versailles", "Utrecht", "Paris 1856", "Ghent"), "A"
    ),
    McItem(
        "What is the process by which plants lose water through leaves?",
        ("Respiration", "Transpiration", "Condensation", "Digestion"),
        "B",
    ),
    McItem("Which keyword defines a function in Python?", ("func", "def", "function", "lambda"), "B"),
    McItem("What is the largest organ of the human body?", ("Liver", "Brain", "Skin", "Lungs"), "C"),
    McItem("Which of these numbers is irrational?", ("0.75", "22/7", "sqrt(16)", "pi"), "D"),
    McItem("Which scientist proposed the three laws of motion?", ("Galileo", "Kepler", "Newton", "Einstein"), "C"),
    McItem("What is the capital of Australia?", ("Sydney", "Melbourne", "Canberra", "Perth"), "C"),
    McItem(
        "What does GDP measure?", ("Government debt", "Total output of an economy", "Inflation", "Trade balance"), "B"
    ),
    McItem("Which part of the brain controls balance?", ("Cerebrum", "Cerebellum", "Medulla", "Hypothalamus"), "B"),
    McItem("What is the simplest form of 18/24?", ("2/3", "3/4", "4/5", "9/16"), "B"),
    McItem("Which gas do plants absorb for photosynthesis?", ("Oxygen", "Nitrogen", "Carbon dioxide", "Hydrogen"), "C"),
    McItem("Which logic gate outputs true only when both inputs are true?", ("OR", "XOR", "AND", "NAND"), "C"),
    McItem("Who painted the ceiling of the Sistine Chapel?", ("Raphael", "Michelangelo", "Donatello", "Leonardo"), "B"),
    McItem("What is the probability of heads twice in two fair coin tosses?", ("1/2", "1/3", "1/4", "1/8"), "C"),
    McItem("Which vitamin does the skin make in sunlight?", ("Vitamin A", "Vitamin C", "Vitamin D", "Vitamin K"), "C"),
    McItem("Which of these is a noble gas?", ("Chlorine", "Neon", "Sodium", "Sulfur"), "B"),
    McItem(
        "What does a semicolon usually join?",
        ("Two independent clauses", "A noun and a verb", "Two adjectives", "A title and subtitle"),
        "A",
    ),
    McItem(
        "Which algorithm finds shortest paths with non-negative edge weights?",
        ("Kruskal", "Dijkstra", "Prim", "DFS"),
        "B",
    ),
]

_PROGRAM_PUZZLES = [
    "def f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2)\n\nWhat does f(⟦#5-12⟧) return?",
    "x = [⟦#1-9⟧, ⟦#1-9⟧, ⟦#1-9⟧, ⟦#1-9⟧]\nprint(sorted(x)[::-1][⟦#0-3⟧])\n\nWhat is printed?",
    "What is the output of: print(sum(i * i for i in range(⟦#3-12⟧)))",
    "In JavaScript, what does [⟦#1-9⟧, ⟦#10-99⟧, ⟦#2-8⟧].sort() return, and why?",
    "How many times does the loop body run?\nfor i in range(⟦#2-5⟧, ⟦#20-60⟧, ⟦#2-6⟧):\n    pass",
]


def word_problem(rng: random.Random) -> str:
    return expand(rng.choice(WORD_PROBLEMS), rng, _BANK)


def _paired(rng: random.Random) -> str:
    a, b = rng.choice(_PAIRS)
    if rng.random() < 0.5:
        a, b = b, a
    return rng.choice(_PAIR_FRAMES).format(a=a, b=b)


def _event(rng: random.Random) -> str:
    return rng.choice(_EVENT_FRAMES).format(e=rng.choice(_EVENTS))


def mc_item(rng: random.Random) -> McItem:
    return rng.choice(MC_ITEMS)


def mc_text(item: McItem, rng: random.Random, *, style: int | None = None) -> str:
    """One multiple-choice item as text, in one of a few layouts benchmarks and worksheets use."""
    layout = style if style is not None else rng.randrange(3)
    letters = "ABCD"
    if layout == 0:
        options = "\n".join(f"{letter}. {text}" for letter, text in zip(letters, item.options))
        return f"{item.question}\n{options}"
    if layout == 1:
        options = "\n".join(f"({letter.lower()}) {text}" for letter, text in zip(letters, item.options))
        return f"{item.question}\n{options}"
    options = "  ".join(f"{letter}) {text}" for letter, text in zip(letters, item.options))
    return f"{item.question} {options}"


def exam_question(rng: random.Random, *, mc_share: float = 0.15) -> str:
    """One exam-style question from the shared pools (word problems, concepts, pairs, events, MC, code)."""
    roll = rng.random()
    if roll < mc_share:
        return mc_text(mc_item(rng), rng)
    roll = rng.random()
    if roll < 0.42:
        return word_problem(rng)
    if roll < 0.70:
        return rng.choice(CONCEPT_QUESTIONS)
    if roll < 0.84:
        return _paired(rng)
    if roll < 0.93:
        return _event(rng)
    return expand(rng.choice(_PROGRAM_PUZZLES), rng)


DOCUMENTS = [
    "Hi team, quick update on the warehouse move. The lease on the Elm Street site ends on the 30th, and "
    "the new building will not have racking installed until the 4th. We need a plan for the five days in "
    "between. Marco suggested renting two containers; Aisha thinks we can pause inbound deliveries instead. "
    "Please send your thoughts by Thursday.",
    "The city council voted 7 to 2 on Tuesday to convert the parking lot behind the library into a "
    "community garden. Supporters said the plot would give nearby apartment residents space to grow food, "
    "while opponents worried about lost parking for the Saturday market. Construction is expected to start "
    "in the spring, funded in part by a state grant.",
    "Our return policy: unworn items can be returned within 30 days with a receipt for a full refund. "
    "Sale items can be exchanged but not refunded. Online orders can be returned by mail using the prepaid "
    "label, or in any store. Refunds go back to the original payment method within 5 to 7 business days.",
    "Meeting notes, product sync. Attendees: Jo, Ravi, Min. Decisions: ship the onboarding redesign behind "
    "a flag next sprint; postpone the pricing page test until legal reviews the copy. Open questions: who "
    "owns the help-centre articles? Ravi to draft the migration checklist by Friday.",
    "Dear Ms. Okafor, thank you for your application for the junior analyst role. We were impressed by your "
    "background in public health data. We would like to invite you to a 45-minute video interview next "
    "week with two members of the team. Please reply with three time slots that suit you.",
    "The study followed 1,200 adults for six years and found that those who walked at least 7,000 steps a "
    "day had a lower rate of heart disease than those who walked fewer than 4,000. The authors caution that "
    "the study was observational, so it cannot show that walking itself caused the difference.",
    "Abstract: We propose a lightweight method for detecting leaks in municipal water networks using "
    "pressure sensors placed at a small number of junctions. On a simulated network of 400 pipes, the "
    "method located 86 percent of leaks to within two pipe segments, using one tenth of the sensors of a "
    "previous approach.",
    "Terms of service excerpt: The subscription renews automatically at the end of each billing period "
    "unless cancelled at least 24 hours before renewal. Fees already paid are non-refundable except where "
    "required by law. We may change prices with 30 days' notice sent to the email on your account.",
    "Chapter 3 begins with Ellen arriving at the lighthouse in a storm. The keeper, an old man named "
    "Tobias, refuses to let her in until she shows him a letter from her late father. Inside, she finds the "
    "logbook her father kept, with the last page torn out.",
    "Incident summary: between 14:05 and 14:47 UTC, about 12 percent of checkout requests failed with "
    "timeouts. The cause was a database connection pool exhausted after a configuration change lowered its "
    "size. The change was rolled back at 14:41. Action items: add an alert on pool saturation; require "
    "review for pool settings.",
    "Recipe: Toast one cup of rice in olive oil until it smells nutty. Add a chopped onion and two cloves "
    "of garlic, then two cups of stock and a pinch of saffron. Simmer covered for 18 minutes, rest for 5, "
    "and fluff with a fork. Serve with lemon wedges.",
    "Press release: Northwind Bikes today announced the Commuter 3, an electric bicycle with a 90 km range "
    "and a removable battery that charges in three hours. The bike will be available in four colours from "
    "March at a starting price of 1,499 euros.",
    "Hey, sorry for the late reply! I can't make Saturday because my cousin's wedding got moved, but I'm "
    "free Sunday afternoon if that works for everyone. Also, did anyone find the blue jacket I left at "
    "Sam's place?",
    "Safety notice: The east stairwell will be closed from Monday to Wednesday for repainting. Please use "
    "the west stairwell or the lifts. Fire exits remain marked and accessible. Contact facilities with any "
    "questions.",
    "The committee reviewed three vendor proposals for the new payroll system. Vendor A was cheapest but "
    "lacked multi-currency support. Vendor B met all requirements at a moderate cost. Vendor C offered the "
    "best support terms but would take nine months to deploy. The committee recommends Vendor B.",
    "Customer review: The blender is powerful and crushes ice easily, but it's very loud and the lid leaks "
    "if you fill it past the halfway line. Customer service replaced a cracked jar quickly. Three stars.",
    "Lab report draft: We measured the period of a pendulum for lengths from 0.2 m to 1.0 m. The period "
    "increased with the square root of length, as expected. Our value for g was 9.7 m/s^2, about 1 percent "
    "below the accepted value, probably because of timing error at short lengths.",
    "Memo: Starting next month, travel expenses must be submitted within 14 days of the trip, with "
    "receipts attached for any item over 25 dollars. Claims submitted late will need approval from a "
    "department head.",
    "Letter to tenants: Water will be shut off on Thursday from 9 am to 1 pm while the plumbers replace "
    "the main valve. Please store some water in advance. We apologise for the inconvenience.",
    "Job posting: We are hiring a part-time bookkeeper for a small architecture firm. Duties include "
    "accounts payable, monthly reconciliation and payroll support. Experience with cloud accounting tools "
    "is a plus. Flexible hours, remote-friendly.",
]

_DOC_FRAMES = [
    "Notes from the ⟦Monday|weekly|quarterly⟧ ⟦budget|planning|design⟧ review: ⟦name⟧ presented the "
    "⟦Q1|Q2|Q3|Q4⟧ numbers, which came in ⟦#2-15⟧ percent ⟦above|below⟧ plan. The team agreed to "
    "⟦delay the hiring of two engineers|move the launch to next month|cut the travel budget|run a second "
    "user study⟧. ⟦name⟧ will ⟦circulate a revised forecast|book a follow-up|update the roadmap⟧ by "
    "⟦Friday|Tuesday|the end of the month⟧.",
    "Hello ⟦name⟧, I ordered a ⟦desk lamp|pair of running shoes|coffee grinder|backpack⟧ on the "
    "⟦#2-28⟧th (order ⟦#10000-99999⟧) and it arrived ⟦damaged|in the wrong colour|with a missing part⟧. "
    "I'd like ⟦a replacement|a refund|to exchange it⟧. Please let me know what you need from me. "
    "Thanks, ⟦name⟧",
    "⟦city⟧ will host a ⟦food|film|jazz|science⟧ festival from the ⟦#1-10⟧th to the ⟦#11-20⟧th. "
    "Organisers expect ⟦#5-60⟧,000 visitors and have arranged extra ⟦buses|trams|ferries⟧. Tickets for "
    "the main events go on sale ⟦next week|on Monday|online only⟧.",
]


def document(rng: random.Random) -> str:
    if rng.random() < 0.65:
        return rng.choice(DOCUMENTS)
    return expand(rng.choice(_DOC_FRAMES), rng, _BANK)


CODE_SNIPPETS = [
    "def average(xs):\n    return sum(xs) / len(xs)\n\nprint(average([]))",
    "for i in range(len(items)):\n    if items[i] == target:\n        items.remove(items[i])",
    "const total = prices.reduce((a, b) => a + b);\nconsole.log(total.toFixed(2));",
    "SELECT customer_id, COUNT(*)\nFROM orders\nWHERE created_at > '2025-01-01'\nGROUP BY customer_id\n"
    "HAVING COUNT(*) > 3;",
    "def read_config(path):\n    f = open(path)\n    data = json.load(f)\n    return data['settings']",
    "import requests\nr = requests.get(url)\nprint(r.json()['results'][0]['name'])",
    "let x = 0;\nfor (var i = 0; i < 5; i++) {\n  setTimeout(() => console.log(i), 100);\n}",
    "def fib(n, memo={}):\n    if n in memo:\n        return memo[n]\n    if n < 2:\n        return n\n"
    "    memo[n] = fib(n - 1) + fib(n - 2)\n    return memo[n]",
    "#!/bin/bash\nfor f in *.txt; do\n  mv $f ${f%.txt}.md\ndone",
    "class Account:\n    def __init__(self, balance=0):\n       "
    " self.balance = balance\n    def withdraw(self, amount):\n"
    "        self.balance -= amount",
    "func sum(nums []int) int {\n    total := 0\n    for _, n := "
    "range nums {\n        total += n\n    }\n    return total\n}",
    "df = pd.read_csv('sales.csv')\ndf['month'] = df['date'].dt.month\nprint(df.groupby('month').sum())",
    "public int max(int[] a) {\n    int m = 0;\n    for (int x : a) if (x > m) m = x;\n    return m;\n}",
    "async function load() {\n  const res = fetch('/api/items');\n  const data = await res.json();\n  return data;\n}",
    "with open('log.txt') as f:\n    lines = f.readlines()\nerrors "
    "= [l for l in lines if 'ERROR' in l]\nprint(len(errors))",
    "UPDATE users SET active = 0 WHERE last_login < NOW() - INTERVAL 90 DAY",
    "def is_palindrome(s):\n    return s == s.reverse()",
    "import numpy as np\na = np.array([1, 2, 3])\nb = np.array([[1], [2]])\nprint(a + b)",
    "matches = re.findall(r'\\d+-\\d+', text)\nprint(matches)",
    "git rebase -i HEAD~3",
]


def code_snippet(rng: random.Random) -> str:
    return rng.choice(CODE_SNIPPETS)


TOPICS = [
    "personal finance",
    "gardening",
    "climate change",
    "ancient Rome",
    "machine learning",
    "nutrition",
    "travel in Japan",
    "photography",
    "job interviews",
    "cybersecurity",
    "chess openings",
    "astronomy",
    "customer support for an airline",
    "home repair",
    "music theory",
    "renewable energy",
    "parenting",
    "mental health at work",
    "cooking with legumes",
    "spreadsheet formulas",
    "public speaking",
    "marine biology",
    "the French Revolution",
    "small business accounting",
    "running a marathon",
    "learning Spanish",
    "3D printing",
    "data privacy law",
    "urban planning",
    "first aid",
    "poetry",
    "cloud computing",
    "wine regions of Europe",
    "dog training",
    "probability",
    "world geography",
    "medieval castles",
    "electric cars",
    "board game design",
    "organic chemistry",
    "sleep hygiene",
    "video game history",
    "real estate",
    "cryptography",
    "the immune system",
    "writing fiction",
    "supply chains",
    "volcanoes",
    "statistics for beginners",
    "web accessibility",
    "philosophy of mind",
    "insurance",
    "bird watching",
    "SQL databases",
    "knitting",
    "the stock market",
    "space exploration",
    "hiking safety",
    "linear algebra",
    "social media marketing",
    "the Ottoman Empire",
    "coffee brewing",
]


def topic(rng: random.Random) -> str:
    return rng.choice(TOPICS)


_ANSWER_OPENERS = ["The answer is", "It is", "I think it's", "Answer:", "The result is", "So we get"]
_REASONS = [
    "because the two quantities cancel out",
    "since the rate stays constant over the interval",
    "as shown by substituting the values into the formula",
    "which follows from the definition",
    "because the larger term dominates",
    "once you account for the units",
    "after simplifying both sides",
    "since the events are independent",
]
_PROSE = [
    "This happens mainly because of differences in density; the colder layer sinks and the warmer one rises.",
    "There were several causes, but the economic pressure from high taxes was probably the most important.",
    "The process has two stages. First the input is broken down, then the products are reassembled.",
    "In short, it depends on the context, but in most textbook cases the first option is correct.",
    "The key idea is that energy is conserved, so whatever is lost in one form appears in another.",
    "It is mostly about incentives: when the price rises, producers supply more and buyers want less.",
    "Historians disagree, but most point to a combination of military defeats and political instability.",
    "You can see this by drawing a diagram; the two triangles are similar, so the sides are proportional.",
]


def candidate_response(rng: random.Random) -> str:
    """A short answer of uneven quality, as the responses a grader is shown would be."""
    if rng.random() < 0.5:
        return f"{rng.choice(_ANSWER_OPENERS)} {rng.randint(2, 900)}, {rng.choice(_REASONS)}."
    return rng.choice(_PROSE)
