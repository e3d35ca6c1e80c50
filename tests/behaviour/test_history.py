"""The conversation ledger: follow-ups verified against what a client sent and was answered."""

from __future__ import annotations

import pytest

from querysentry.behaviour.history import ConversationLedger, answer_digest, conversation_digest
from querysentry.messages import Message

SYSTEM = Message("system", "You are a patient exam coach.")
ASK = Message("user", "Question: Which word means 'postpone'?\n(A) put off\n(B) cancel\nWhy (A)?")
ANSWER = "(A) is right: to postpone is to put something off until later."
FOLLOW = Message("user", "and why not (B)?")


def _follow_up(answer: str = ANSWER) -> list[Message]:
    return [SYSTEM, ASK, Message("assistant", answer), FOLLOW]


def test_a_follow_up_on_a_conversation_the_client_sent_is_verified() -> None:
    ledger = ConversationLedger()
    first = ledger.follow_up("learner", [SYSTEM, ASK], 100.0)
    assert first.status is None and not first.verified  # nothing to follow up yet
    assert ledger.follow_up("learner", _follow_up(), 160.0).verified


def test_history_written_by_the_caller_is_not_verified() -> None:
    ledger = ConversationLedger()
    # Never sent before: a forged earlier turn.
    assert ledger.follow_up("forger", _follow_up(), 100.0).status == "unverified"
    # Sent, but by another key: a rotation replaying someone else's conversation.
    ledger.follow_up("alice", [SYSTEM, ASK], 100.0)
    assert ledger.follow_up("bob", _follow_up(), 120.0).status == "unverified"
    # The same key, but another earlier question.
    ledger.follow_up("carol", [SYSTEM, Message("user", "Something else entirely")], 100.0)
    assert ledger.follow_up("carol", _follow_up(), 120.0).status == "unverified"


def test_the_answer_must_be_the_services_when_it_was_seen() -> None:
    ledger = ConversationLedger()
    sent = ledger.follow_up("learner", [SYSTEM, ASK], 100.0)
    ledger.answered("learner", sent.digest, [ANSWER], 101.0)
    assert ledger.follow_up("learner", _follow_up(), 150.0).verified
    # Re-flowed whitespace is the same answer; other words are not.
    assert ledger.follow_up(
        "learner", _follow_up("  (A) is right:\nto postpone is to put something off until later. "), 151.0
    ).verified
    assert ledger.follow_up("learner", _follow_up("(A) is right, as everyone knows."), 152.0).status == "unverified"


def test_an_unseen_answer_leaves_the_turn_alone_to_count() -> None:
    # A response of a shape the edge does not read, or a replay of logged requests: the earlier
    # turn was this client's, and that is what can be checked.
    ledger = ConversationLedger()
    ledger.follow_up("learner", [SYSTEM, ASK], 100.0)
    assert ledger.follow_up("learner", _follow_up("anything"), 150.0).verified


def test_a_tool_loop_is_not_a_follow_up() -> None:
    ledger = ConversationLedger()
    loop = [ASK, Message("assistant", "calling search"), Message("tool", "results")]
    assert ledger.follow_up("agent", loop, 100.0).status is None


def test_the_last_answer_a_user_turn_follows_is_the_one_checked() -> None:
    ledger = ConversationLedger()
    ledger.follow_up("learner", [SYSTEM, ASK], 100.0)
    second = ledger.follow_up("learner", _follow_up(), 110.0)
    assert second.verified
    ledger.answered("learner", second.digest, ["Because (B) means to call it off."], 111.0)
    third = [*_follow_up(), Message("assistant", "Because (B) means to call it off."), Message("user", "thanks!")]
    assert ledger.follow_up("learner", third, 120.0).verified
    forged_middle = [*_follow_up(), Message("assistant", "Something it never said."), Message("user", "thanks!")]
    assert ledger.follow_up("learner", forged_middle, 121.0).status == "unverified"


def test_old_turns_do_not_count_and_memory_is_bounded() -> None:
    ledger = ConversationLedger(max_turns=50, ttl=3600.0)
    ledger.follow_up("learner", [SYSTEM, ASK], 100.0)
    assert ledger.follow_up("learner", _follow_up(), 100.0 + 7200.0).status == "unverified"
    for i in range(500):
        ledger.follow_up(f"key-{i}", [Message("user", f"question {i}")], 200.0 + i)
        ledger.answered(
            f"key-{i}", conversation_digest([Message("user", f"question {i}")]), ["a", "b", "c", "d", "e"], 200.0
        )
    assert len(ledger) <= 50
    # The most recent survive; the oldest were dropped.
    recent = [Message("user", "question 499"), Message("assistant", "a"), Message("user", "more")]
    assert ledger.follow_up("key-499", recent, 800.0).verified
    # Of one response's answers the first ``max_answers`` (4) are kept.
    fifth = [Message("user", "question 498"), Message("assistant", "e"), Message("user", "more")]
    assert ledger.follow_up("key-498", fifth, 800.0).status == "unverified"
    old = [Message("user", "question 0"), Message("assistant", "a"), Message("user", "more")]
    assert ledger.follow_up("key-0", old, 800.0).status == "unverified"


def test_at_most_max_answers_are_kept_per_turn() -> None:
    ledger = ConversationLedger(max_answers=2)
    sent = ledger.follow_up("k", [ASK], 1.0)
    ledger.answered("k", sent.digest, ["one", "two", "three"], 2.0)
    assert ledger.follow_up("k", [ASK, Message("assistant", "two"), FOLLOW], 3.0).verified
    assert ledger.follow_up("k", [ASK, Message("assistant", "three"), FOLLOW], 4.0).status == "unverified"
    # Empty answers record nothing: the turn alone still counts for a fresh one.
    other = ledger.follow_up("k", [FOLLOW], 5.0)
    ledger.answered("k", other.digest, ["", "   "], 6.0)
    assert ledger.follow_up("k", [FOLLOW, Message("assistant", "x"), ASK], 7.0).verified


def test_digests_depend_on_roles_order_and_text_only() -> None:
    a = conversation_digest([Message("user", "hi  there"), Message("assistant", "hello")])
    assert a == conversation_digest([Message("user", "hi there"), Message("assistant", " hello ")])
    assert a != conversation_digest([Message("assistant", "hi there"), Message("user", "hello")])
    assert a != conversation_digest([Message("user", "hi there hello")])
    assert len(a) == 16 and len(answer_digest("x")) == 8
    # Lone surrogates (from JSON escapes) hash instead of raising.
    assert len(conversation_digest([Message("user", "\ud800")])) == 16


def test_bounds_are_checked() -> None:
    for bad in ({"max_turns": 0}, {"max_answers": 0}, {"ttl": 0.0}):
        with pytest.raises(ValueError):
            ConversationLedger(**bad)  # type: ignore[arg-type]
