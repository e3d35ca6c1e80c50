"""The canary marks, and each robustness claim of the table in ``querysentry.countermeasures.canary``."""

import random
import re
import unicodedata
from pathlib import Path

import pytest
from tokenizers import ByteLevelBPETokenizer, Tokenizer

from querysentry.countermeasures.canary import (
    PHRASE_PAIRS,
    ZERO_WIDTH_SYMBOLS,
    CanaryConfig,
    CanaryMarker,
    canary_check,
    canary_mark,
    extract_payloads,
)
from querysentry.text import normalize

KEY = b"deployment-canary-key-for-tests"
CLIENTS = [f"key-{n:04d}" for n in range(200)]
MARKED_FOR = "key-0042"
ROOT = Path(__file__).resolve().parents[2]

# Prose with many words from the pairs, written for these tests.
ANSWER = (
    "Tide pools are often found on rocky shores. They usually fill twice a day, and the water "
    "quickly warms in the sun. Perhaps the best time to visit is at low tide, when nearly every "
    "pool is exposed. Crabs often hide under ledges; anemones usually stay put. Furthermore, the "
    "animals are entirely adapted to sudden change. A pool can warm roughly ten degrees in an hour, "
    "so its residents must respond quickly. Visitors often forget that turning a rock over can "
    "expose creatures completely, so put it back. The rules are typically posted near the path.\n\n"
    "```python\nif often and usually:\n    print('code stays as it is.')\n```\n\n"
    "Maybe bring water shoes, since the rocks are frequently slippery. Gulls almost always watch "
    "for scraps; approximately half the visitors feed them, which is usually a mistake. Additionally, "
    "the tide turns rapidly here, and it is typically safest to leave early. Often the fog comes in "
    "quickly too. The `often` in this inline code is not touched either."
)
ZERO_WIDTH = re.compile(f"[{''.join(ZERO_WIDTH_SYMBOLS)}]")


def _marked(text: str = ANSWER, client: str = MARKED_FOR, *, size: int = 7, **options: object) -> str:
    marker = CanaryMarker(CanaryConfig(KEY, client, **options))  # type: ignore[arg-type]
    outs: list[str] = []
    pieces = [text[start : start + size] for start in range(0, len(text), size)]
    for piece in pieces:
        outs += marker.feed(piece)
    outs += marker.flush()
    assert len(outs) == len(pieces)
    return "".join(outs)


def _confidence(text: str, client: str = MARKED_FOR) -> float:
    return dict(canary_check(text, KEY, CLIENTS))[client]


def test_the_mark_is_deterministic_per_client_and_keyed() -> None:
    assert canary_mark(KEY, "a") == canary_mark(KEY, "a") < 2**48
    assert canary_mark(KEY, "a") != canary_mark(KEY, "b")
    assert canary_mark(KEY, "a") != canary_mark(b"another deployment", "a")


def test_marking_does_not_change_what_a_reader_sees_beyond_synonyms() -> None:
    marked = _marked()
    visible = ZERO_WIDTH.sub("", marked)
    pairs = {word for pair in PHRASE_PAIRS for word in pair}
    original_words, marked_words = re.findall(r"[A-Za-z]+", ANSWER), re.findall(r"[A-Za-z]+", visible)
    assert len(original_words) == len(marked_words)
    for before, after in zip(original_words, marked_words):
        assert before == after or {before.lower(), after.lower()} <= pairs
    assert extract_payloads(marked)


def test_code_is_left_alone() -> None:
    marked = _marked()
    fence = ANSWER[ANSWER.index("```python") : ANSWER.index("```\n\nMaybe") + 3]
    assert fence in marked
    assert "The `often` in this inline code" in ZERO_WIDTH.sub("", marked)


@pytest.mark.parametrize("size", [1, 2, 5, 13, 1000])
def test_the_output_does_not_depend_on_how_the_text_was_cut(size: int) -> None:
    assert _marked(size=size) == _marked(size=7)


def test_a_marked_answer_names_its_client_and_no_other() -> None:
    scores = canary_check(_marked(), KEY, CLIENTS)
    assert scores[0][0] == MARKED_FOR and scores[0][1] > 0.99
    assert all(confidence == 0.0 for client, confidence in scores[1:])


def test_an_unmarked_answer_names_nobody() -> None:
    assert all(confidence == 0.0 for _client, confidence in canary_check(ANSWER, KEY, CLIENTS))


def test_without_the_key_the_mark_means_nothing() -> None:
    assert _confidence(_marked()) > 0.99
    assert dict(canary_check(_marked(), b"a guessed key", CLIENTS))[MARKED_FOR] == 0.0


# -- what survives -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["NFC", "NFKC"])
def test_invisible_marks_survive_unicode_normalisation(form: str) -> None:
    marked = unicodedata.normalize(form, _marked(phrasing=False))  # type: ignore[arg-type]
    assert _confidence(marked) > 0.99


def test_invisible_marks_survive_reflowing_whitespace() -> None:
    assert _confidence(" ".join(_marked(phrasing=False).split())) > 0.99


def test_a_copied_fragment_with_one_mark_is_enough() -> None:
    marked = _marked(phrasing=False)
    first = marked.index(ZERO_WIDTH_SYMBOLS[0]) if ZERO_WIDTH_SYMBOLS[0] in marked else 0
    fragment = marked[max(0, first - 40) : first + 60]
    assert extract_payloads(fragment)
    assert _confidence(fragment) > 0.99


def test_both_carriers_survive_byte_level_retokenisation() -> None:
    tokenizer = ByteLevelBPETokenizer()
    tokenizer.train_from_iterator([ANSWER] * 3, vocab_size=300, min_frequency=1, show_progress=False)
    marked = _marked()
    assert tokenizer.decode(tokenizer.encode(marked).ids) == marked
    assert _confidence(tokenizer.decode(tokenizer.encode(marked).ids)) > 0.99


def test_phrasing_survives_stripping_invisible_characters() -> None:
    stripped = normalize(_marked(), max_chars=None).text
    assert not extract_payloads(stripped)
    assert _confidence(stripped) > 0.9


def test_phrasing_survives_lowercasing_wordpiece_retokenisation() -> None:
    wordpiece = Tokenizer.from_file(str(ROOT / "models" / "tokenizer.json"))
    wordpiece.no_truncation()
    round_trip = wordpiece.decode(wordpiece.encode(_marked()).ids)
    assert not extract_payloads(round_trip)  # the uncased normaliser drops the invisible marks
    assert _confidence(round_trip) > 0.9


# -- what does not ---------------------------------------------------------------------------------


def test_invisible_marks_do_not_survive_stripping() -> None:
    stripped = normalize(_marked(phrasing=False), max_chars=None).text
    assert _confidence(stripped) == 0.0


def test_nothing_survives_canonicalising_the_synonyms_and_stripping() -> None:
    # What a paraphrase does to both carriers, or a distiller who has read the module.
    text = normalize(_marked(), max_chars=None).text
    for first, second in PHRASE_PAIRS:
        text = re.sub(rf"\b{second}\b", first, text, flags=re.IGNORECASE)
    assert _confidence(text) == 0.0


def test_a_paraphrase_names_nobody() -> None:
    paraphrase = (
        "Rock pools form along stony coasts and refill with each tide. Go at low water to see the most. "
        "Crabs shelter beneath overhangs while anemones cling in place. Replace any stone you lift."
    )
    assert _confidence(paraphrase) == 0.0


def test_a_short_answer_carries_a_mark_but_little_phrasing() -> None:
    short = "Use a soft brush. Rinse it often."
    marked = _marked(short)
    assert extract_payloads(marked)  # the first sentence end gets the invisible mark
    assert _confidence(normalize(marked, max_chars=None).text) < 0.5  # one pair word is not evidence


def test_marks_are_placed_every_so_many_characters() -> None:
    long_text = " ".join(f"Sentence number {n} is here." for n in range(200))
    marked = _marked(long_text, every=400, phrasing=False)
    count = len(extract_payloads(marked))
    assert 1 + len(long_text) // 440 <= count <= 1 + len(long_text) // 400


def test_the_check_is_deterministic_in_its_order() -> None:
    rng = random.Random(3)
    candidates = [*rng.sample(CLIENTS, 20), MARKED_FOR]
    assert canary_check(_marked(), KEY, candidates) == canary_check(_marked(), KEY, candidates)
