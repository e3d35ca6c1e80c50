"""Contract tests for the honest heavy framed-app population (``benchmarks/traffic_scenarios/heavy_framed.py``).

They check what the population promises (apps, keys, requests per key, item fields in the user turns, API
shapes, follow-up history, languages, timing, releases, addresses, labels), not how any detector treats it.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

import pytest

from benchmarks.traffic_scenarios.heavy_framed import APPS, END, SCENARIO, heavy_framed_users
from benchmarks.traffic_scenarios.records import MODELS
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START
from tests.benchmarks.records_view import by_key as _by_key
from tests.benchmarks.records_view import turns as _turns

Record = dict[str, Any]
PATHS = {"chat": "/v1/chat/completions", "anthropic": "/v1/messages", "responses": "/v1/responses"}
API_OF_PATH = {path: api for api, path in PATHS.items()}
AGENT_TO_APP = {shape.agent: name for name, shape in APPS.items()}
UA = re.compile(r"^(?P<agent>[A-Za-z]+)/(?P<version>\d+\.\d+\.\d+) \((?P<platform>[^()]+)\)$")

# Written here, not imported: what each app's opening user turn looks like before and after its release.
OPTIONS = r"(?P<options>\(A\) .+\n\(B\) .+\n\(C\) .+\n\(D\) .+)"
FRAMES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "question_bank": (
        re.compile(
            r"Bank: .+ \| Item \d+\n(Passage: (?P<passage>.+)\n)?Question: (?P<stem>.+)\n"
            rf"({OPTIONS}\nReference answer: \([A-D]\) .+|Answer: .+|Worked solution: .+\nAnswer: .+)\n\n.+"
        ),
        re.compile(
            r"### Item [A-Z0-9]+-\d{4}\n(Passage: (?P<passage>.+)\n)?Q: (?P<stem>.+)\n"
            rf"(Options:\n{OPTIONS}\nKey: [A-D]|Reference answer: .+|Worked solution: .+\nReference answer: .+)\n"
            r"Reviewer note: .+"
        ),
    ),
    "quiz_authoring": (
        re.compile(rf"Stem: (?P<stem>.+)\n{OPTIONS}\nCorrect: \([A-D]\)\n\n.+"),
        re.compile(
            rf'Quiz: ".+" \(item \d+ of \d+\)\nQuestion: (?P<stem>.+)\nAnswer options:\n{OPTIONS}\n'
            r"Marked correct: \([A-D]\) .+\nAuthor asks: .+"
        ),
    ),
    "exam_practice": (
        re.compile(
            r"Exam: .+ · .+\n(Text: (?P<passage>.+)\n)?Question: (?P<stem>.+)\n"
            rf"({OPTIONS}\nYour answer: \([A-D]\)\nCorrect answer: \([A-D]\)|Your answer: .+)\n\n.+"
        ),
        re.compile(
            r"(Examen|Prüfung|Prova|Esame|Egzamin|Sınav): .+ · .+\n"
            r"((Texto|Text|Texte|Testo|Tekst|Metin): (?P<passage>.+)\n)?"
            r"(Pregunta|Frage|Question|Pergunta|Domanda|Pytanie|Soru): (?P<stem>.+)\n"
            rf"({OPTIONS}\n)?(Mi respuesta|Meine Antwort|Ma réponse|Minha resposta|La mia risposta|Moja odpowiedź"
            r"|Cevabım): .+(\n(Respuesta correcta|Richtige Antwort|Bonne réponse|Resposta correta|Risposta corretta"
            r"|Poprawna odpowiedź|Doğru cevap): \([A-D]\))?\n\n.+"
        ),
    ),
    "district_marking": (
        re.compile(
            r"(Passage: (?P<passage>.+)\n)?Question \(\d marks?\): (?P<stem>.+)\n"
            rf"({OPTIONS}\n)?Mark scheme: .+\nStudent answer: .+\n\n.+"
        ),
        re.compile(
            r"Assessment: .+, .+\nQuestion \d+ \[\d marks?\]\n(Passage: (?P<passage>.+)\n)?(?P<stem>.+)\n"
            rf"({OPTIONS}\n)?Mark scheme: .+\nResponses:\n(Student \d: .+\n)+Teacher request: .+"
        ),
    ),
    "study_group": (
        re.compile(
            r"(Passage: (?P<passage>.+)\n)?"
            rf"(Q\d+: (?P<stem>.+)\n{OPTIONS}\n.+|Question: (?P<stem2>.+)\nAnswer: .+(\nmy working: .+)?)\n.+"
        ),
        re.compile(
            r"Homework: .+, question \d+\n(Passage: (?P<passage>.+)\n)?(?P<stem>.+)\n"
            rf"({OPTIONS}\nMy answer: \([A-D]\)\n.+'s answer: \([A-D]\)|My answer: .+)\nAsk: .+"
        ),
    ),
}
# One marker word of each learner language (case-insensitive), as the learners' own messages use them.
LANGUAGE_WORDS = {
    "es": r"respuesta|por qué",
    "de": r"antwort|warum",
    "fr": r"réponse|pourquoi",
    "pt": r"resposta|por que",
    "it": r"risposta|perché",
    "pl": r"odpowied|dlaczego",
    "tr": r"cevap|cevab|neden",
}


@pytest.fixture(scope="module")
def traffic() -> list[Record]:
    return heavy_framed_users(random.Random(5), 0.25)


def _app(rec: Record) -> str:
    return AGENT_TO_APP[rec["headers"]["user-agent"].split("/", 1)[0]]


def _version(rec: Record) -> int:
    """0 before the app's release, 1 after."""
    match = UA.match(rec["headers"]["user-agent"])
    assert match, rec["headers"]["user-agent"]
    return APPS[_app(rec)].versions.index(match["version"])


def _by_app(records: list[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        out[_app(rec)].append(rec)
    return out


def _system(rec: Record) -> str | None:
    payload = rec["payload"]
    if rec["path"] != PATHS["chat"]:
        text = payload.get("instructions" if rec["path"] == PATHS["responses"] else "system")
        return None if text is None else str(text)
    first = payload["messages"][0]
    return str(first["content"]) if first["role"] == "system" else None


def _framed(name: str, text: str) -> bool:
    return any(frame.fullmatch(text) for frame in FRAMES[name])


def _item(name: str, text: str) -> tuple[tuple[str, str], tuple[str, ...]] | None:
    """The item an opening turn carries: (passage, question) and its options without letters, or None."""
    for frame in FRAMES[name]:
        match = frame.fullmatch(text)
        if match:
            fields = match.groupdict()
            stem = fields.get("stem") or fields.get("stem2") or ""
            options = fields.get("options")
            lines = tuple(sorted(line[4:] for line in options.split("\n"))) if options else ()
            return (fields.get("passage") or "", stem), lines
    return None


# --- determinism and size ----------------------------------------------------------------------------------


def test_deterministic_for_a_seed_and_different_across_seeds() -> None:
    assert heavy_framed_users(random.Random(9), 1.0) == heavy_framed_users(random.Random(9), 1.0)
    assert heavy_framed_users(random.Random(9), 1.0) != heavy_framed_users(random.Random(10), 1.0)


def test_scale_does_not_change_the_population() -> None:
    assert heavy_framed_users(random.Random(3), 0.05) == heavy_framed_users(random.Random(3), 3.0)


def test_fast() -> None:
    began = time.perf_counter()
    heavy_framed_users(random.Random(1), 1.0)
    assert time.perf_counter() - began < 5.0


@pytest.mark.parametrize("seed", [1, 2])
def test_about_400_keys_and_8000_to_12000_requests(seed: int) -> None:
    records = heavy_framed_users(random.Random(seed), 1.0)
    keys = {r["client"] for r in records}
    assert len(keys) == sum(shape.keys for shape in APPS.values()) == 400
    assert 8000 <= len(records) <= 12000


def test_every_record_is_benign(traffic: list[Record]) -> None:
    assert SCENARIO == "heavy_framed"
    for rec in traffic:
        assert rec["label"] == {"scenario": "heavy_framed", "campaign": "benign", "campaign_request": False}


def test_inside_the_week_and_sorted(traffic: list[Record]) -> None:
    assert END == START + 7 * DAY
    assert all(START <= r["ts"] < END for r in traffic)
    assert [r["ts"] for r in traffic] == sorted(r["ts"] for r in traffic)
    days = Counter(int((r["ts"] - START) // DAY) for r in traffic)
    assert set(days) == set(range(7))  # traffic on every day of the week


def test_keys_and_requests_per_app(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    assert set(apps) == set(APPS)
    seen: set[str] = set()
    for name, shape in APPS.items():
        per_key = Counter(r["client"] for r in apps[name])
        assert len(per_key) == shape.keys, name
        assert min(per_key.values()) == shape.min_requests, name
        assert max(per_key.values()) == shape.max_requests, name
        assert not seen & set(per_key), "a key belongs to one app"
        seen |= set(per_key)


def test_heavy_users(traffic: list[Record]) -> None:
    per_key = Counter(r["client"] for r in traffic)
    assert sum(1 for n in per_key.values() if n >= 150) >= 10
    bank = _by_key(_by_app(traffic)["question_bank"])
    assert all(len(recs) >= 150 for recs in bank.values())
    busiest = []
    for recs in bank.values():  # a working day: the requests between two nights (gaps of 7 hours or more)
        days, day = [], 1
        for a, b in pairwise(recs):
            if b["ts"] - a["ts"] >= 7 * HOUR:
                days.append(day)
                day = 0
            day += 1
        busiest.append(max([*days, day]))
    assert all(60 <= best <= 125 for best in busiest), busiest  # days of about 60 to 120 items


# --- payloads ----------------------------------------------------------------------------------------------


def test_payloads_have_valid_api_shapes(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    for name, shape in APPS.items():
        used = {API_OF_PATH[r["path"]] for r in apps[name]}
        assert used == set(shape.apis), name
    for rec in traffic:
        payload = rec["payload"]
        api = API_OF_PATH[rec["path"]]
        assert payload["model"] in MODELS[api]
        if api == "anthropic":
            assert isinstance(payload["messages"], list) and payload["max_tokens"] > 0
            assert "instructions" not in payload and "input" not in payload
            assert "system" not in payload or isinstance(payload["system"], str)
        elif api == "responses":
            assert isinstance(payload["input"], list) and "messages" not in payload
        else:
            assert isinstance(payload["messages"], list) and "input" not in payload
            assert all(m["role"] != "system" for m in payload["messages"][1:])
        turns = _turns(rec)
        assert [t["role"] for t in turns] == ["user", "assistant"] * (len(turns) // 2) + ["user"]
        assert all(isinstance(t["content"], str) and t["content"].strip() for t in turns)
        assert rec["headers"]["x-forwarded-for"]
    for name, recs in apps.items():  # every app has a system prompt, the study app only after its update
        for rec in recs:
            if name == "study_group" and _version(rec) == 0:
                assert _system(rec) is None
            else:
                assert (_system(rec) or "").strip(), name
    # the marking service tells the API which teacher is asking
    assert all(r["payload"]["user"].startswith("cvsd-") for r in apps["district_marking"])


def test_user_agents_name_the_app(traffic: list[Record]) -> None:
    platforms: dict[str, set[str]] = defaultdict(set)
    for rec in traffic:
        match = UA.match(rec["headers"]["user-agent"])
        assert match and match["agent"] in AGENT_TO_APP
        platforms[rec["client"]].add(match["platform"])
    per_key = Counter(r["client"] for r in traffic)
    assert sum(1 for p in platforms.values() if len(p) > 1) >= 0.15 * len(platforms)  # several devices
    heavy = [k for k, n in per_key.items() if n >= 50]
    assert sum(1 for k in heavy if len(platforms[k]) > 1) >= 0.35 * len(heavy)


# --- content -----------------------------------------------------------------------------------------------


def test_openings_carry_the_apps_item_fields(traffic: list[Record]) -> None:
    for name, recs in _by_app(traffic).items():
        openings = [(r, _turns(r)[0]["content"]) for r in recs]
        framed = [(r, text) for r, text in openings if _framed(name, text)]
        assert 0.92 * len(openings) <= len(framed) < len(openings), name  # and a few ordinary questions
        for rec, text in framed:  # the template the app version writes
            assert FRAMES[name][_version(rec)].fullmatch(text), (name, text)
        assert any(FRAMES[name][0].fullmatch(t) for _r, t in framed), name
        assert any(FRAMES[name][1].fullmatch(t) for _r, t in framed), name


def test_generic_requests(traffic: list[Record]) -> None:
    text = "\n".join(_turns(r)[0]["content"].lower() for r in traffic)
    for phrase in ("explain", "is this right", "why?", "check my working", "grade this", "check each distractor"):
        assert phrase in text, phrase


def test_people_type_differently(traffic: list[Record]) -> None:
    asks: Counter[str] = Counter()
    for rec in traffic:
        last = _turns(rec)[0]["content"].rsplit("\n", 1)[-1]
        if "is this right" in last.lower():
            asks[last] += 1
    variants = set(asks)
    assert "is this right?" in variants and "is this right" in variants  # some drop the question mark
    assert any(v.startswith(("hi, ", "ok ", "hey ", "Hello! ")) for v in variants)  # some say hello
    texts = " ".join(_turns(r)[-1]["content"] for r in traffic)
    assert " pls" in texts and " thx" in texts  # some abbreviate


def test_messages_vary(traffic: list[Record]) -> None:
    for name, recs in _by_app(traffic).items():
        openings = Counter(_turns(r)[0]["content"] for r in recs if len(_turns(r)) == 1)
        assert len(openings) >= 0.9 * sum(openings.values()), name
        assert openings.most_common(1)[0][1] <= 0.02 * sum(openings.values()) + 2, name


def test_follow_ups_extend_an_earlier_request(traffic: list[Record]) -> None:
    multi = 0
    for name, recs in _by_app(traffic).items():
        follow_ups = 0
        for key_recs in _by_key(recs).values():
            seen: list[tuple[list[dict[str, Any]], Record]] = []
            for rec in key_recs:
                turns = _turns(rec)
                if len(turns) > 1:
                    follow_ups += 1
                    assert turns[-2]["role"] == "assistant"
                    earlier = [r for t, r in seen if t == turns[:-2]]
                    assert earlier, "history is a chat this person had"
                    assert _system(earlier[-1]) == _system(rec)
                    assert 0 < rec["ts"] - earlier[-1]["ts"] <= 30 * 60
                seen.append((turns, rec))
        assert 0.05 * len(recs) <= follow_ups <= 0.4 * len(recs), name
        multi += follow_ups
    assert 0.08 * len(traffic) <= multi <= 0.35 * len(traffic)
    assert any(len(_turns(r)) == 5 for r in traffic)  # a second follow-up now and then


def test_learners_write_in_their_own_languages(traffic: list[Record]) -> None:
    recs = _by_app(traffic)["exam_practice"]
    texts = [" ".join(t["content"] for t in _turns(r) if t["role"] == "user").lower() for r in recs]
    for lang, words in LANGUAGE_WORDS.items():
        assert sum(1 for t in texts if re.search(words, t)) >= 10, lang
    other = sum(1 for t in texts if any(re.search(w, t) for w in LANGUAGE_WORDS.values()))
    assert other >= 0.6 * len(texts)
    # the items themselves stay in English
    stems = [m["content"] for r in recs for m in _turns(r)[:1]]
    assert sum(
        1 for s in stems if re.search(r"(Question|Pregunta|Frage|Pergunta|Domanda|Pytanie|Soru): [A-Z]", s)
    ) > 0.8 * len(stems)


def test_study_group_items_recur_across_keys_within_hours(traffic: list[Record]) -> None:
    seen: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for rec in _by_app(traffic)["study_group"]:
        item = _item("study_group", _turns(rec)[0]["content"])
        if item:
            seen[item[0]].append((rec["ts"], rec["client"]))
    shared = 0
    for uses in seen.values():
        if any(k1 != k2 and t2 - t1 <= 6 * HOUR for (t1, k1), (t2, k2) in pairwise(sorted(uses))):
            shared += 1
    assert shared >= 40


def test_items_are_not_shared_much_across_apps(traffic: list[Record]) -> None:
    """Common-knowledge questions and small sums turn up in more than one app, as they do in real teaching
    material; most items don't, and generated passages practically never do."""
    items: dict[str, dict[tuple[str, str], set[tuple[str, ...]]]] = {}
    for name, recs in _by_app(traffic).items():
        items[name] = defaultdict(set)
        for rec in recs:
            item = _item(name, _turns(rec)[0]["content"])
            if item:
                items[name][item[0]].add(item[1])
    for name, recs in _by_app(traffic).items():
        shared = total = passages = shared_passages = 0
        for rec in recs:
            item = _item(name, _turns(rec)[0]["content"])
            if not item:
                continue
            question, options = item
            total += 1
            passages += bool(question[0])
            for other, theirs in items.items():
                known = theirs.get(question, set())
                if other != name and known and (not options or options in known or () in known):
                    shared += 1
                    shared_passages += bool(question[0])
                    break
        assert shared <= 0.5 * total, (name, shared, total)
        assert shared_passages <= 0.03 * passages + 2, (name, shared_passages, passages)


# --- timing ------------------------------------------------------------------------------------------------


def test_human_pacing(traffic: list[Record]) -> None:
    for key, recs in _by_key(traffic).items():
        gaps = [b["ts"] - a["ts"] for a, b in pairwise(recs)]
        if len(gaps) < 19:
            continue
        within = [g for g in gaps if g < 30 * 60]  # inside a sitting
        if len(within) < 10:
            continue
        assert statistics.pstdev(within) >= 0.25 * statistics.mean(within), key  # nothing clock-like
        middle = statistics.median(within)
        assert 10 <= middle <= 15 * 60, key  # tens of seconds to minutes
        # a script on a clock puts nearly every gap within 15% of its period; people scatter
        assert sum(1 for g in within if abs(g - middle) <= 0.15 * middle) <= 0.5 * len(within), key
        if len(recs) >= 80:  # more than a day's work: sittings hours apart
            assert max(gaps) > HOUR, key


def test_people_sleep(traffic: list[Record]) -> None:
    for key, recs in _by_key(traffic).items():
        if len(recs) < 30:
            continue
        hours = {int(((r["ts"] - START) / HOUR) % 24) for r in recs}
        longest = run = 0
        for hour in list(range(24)) * 2:  # around the clock twice, so a night across midnight counts whole
            run = 0 if hour in hours else run + 1
            longest = max(longest, run)
        assert longest >= 5, key  # five hours of the day (UTC) with no request all week


def test_app_release_mid_week(traffic: list[Record]) -> None:
    for name, recs in _by_app(traffic).items():
        shape = APPS[name]
        versions = Counter(_version(r) for r in recs)
        assert versions[0] >= 0.2 * len(recs) and versions[1] >= 0.2 * len(recs), name
        assert all(r["ts"] >= START + shape.release for r in recs if _version(r) == 1), name
    for rec in _by_app(traffic)["study_group"]:  # the study app moved to the Responses API with the update
        assert rec["path"] == PATHS["responses" if _version(rec) else "chat"]


def test_addresses(traffic: list[Record]) -> None:
    for name, recs in _by_app(traffic).items():  # an office, a centre, a school, a library
        keys_per_ip: dict[str, set[str]] = defaultdict(set)
        for rec in recs:
            keys_per_ip[rec["headers"]["x-forwarded-for"]].add(rec["client"])
        assert max(len(k) for k in keys_per_ip.values()) >= 3, name
    marking: dict[str, set[str]] = defaultdict(set)
    for rec in _by_app(traffic)["district_marking"]:
        marking[rec["headers"]["x-forwarded-for"]].add(rec["client"])
    assert sum(1 for k in marking.values() if len(k) >= 3) >= 4  # five schools, one address each
    ips_per_key: dict[str, set[str]] = defaultdict(set)
    for rec in traffic:
        ips_per_key[rec["client"]].add(rec["headers"]["x-forwarded-for"])
    assert sum(1 for ips in ips_per_key.values() if len(ips) > 1) >= 0.3 * len(ips_per_key)
