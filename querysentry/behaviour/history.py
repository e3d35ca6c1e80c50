"""What each client sent and was answered before: a bounded ledger of conversation digests.

An honest user's follow-up carries its conversation along: the turns it sent earlier and the
service's answers to them. A harvest wants independent samples and sends none; a campaign that
wants to pass for an app's users writes that history itself (RESULTS.md, tenth round: forged
assistant turns were enough to look like an app whose users converse). The ledger tells the two
apart without keeping any text:

- for every request it remembers a digest of the conversation as sent (``conversation_digest``:
  a rolling BLAKE2b over each message's role and whitespace-normalised text), keyed by client;
- when the edge passes on what the service answered (``answered``: the ASGI middleware does, from
  the JSON or SSE body it sent back), a short digest of each answer, under that conversation.

A later request *follows up verifiably* (``follow_up``) when the conversation before its last
answer turn is one this client sent, and that answer is one the service gave it (when the answer
was seen: a response of a shape not read, or a replay of logged requests, has only the first
half). A forger has to send each earlier turn from the same key first, and, behind the
middleware, quote the service's real answer.

Bounded by construction: ``max_turns`` entries in all (least recently sent dropped first), each a
16-byte key and at most ``max_answers`` 8-byte answer digests, whatever the number of clients;
an entry older than ``ttl`` does not count. One process's memory: replicas behind a balancer
that does not keep a client on one replica verify fewer follow-ups (an unverified follow-up is
treated as the structural check alone would be, never refused for it). Thread-safe; O(text).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from querysentry.messages import ANSWER_ROLES, Message

__all__ = ["ConversationLedger", "FollowUp", "answer_digest", "conversation_digest"]

FollowUpStatus = Literal["verified", "unverified"]
_SEP = b"\x1f"


def _normal(text: str) -> bytes:
    # SDKs and apps re-send a conversation with its whitespace trimmed or re-flowed; nothing else
    # about a quoted answer is expected to change.
    return " ".join(text.split()).encode("utf-8", "surrogatepass")


def _step(state: bytes, message: Message) -> bytes:
    h = hashlib.blake2b(state, digest_size=16)
    h.update(message.role.encode("utf-8", "surrogatepass"))
    h.update(_SEP)
    h.update(_normal(message.content))
    return h.digest()


_EMPTY = hashlib.blake2b(b"querysentry/conversation", digest_size=16).digest()


def conversation_digest(messages: Iterable[Message]) -> bytes:
    """A 16-byte digest of ``messages`` in order (roles and normalised text). O(text)."""
    state = _EMPTY
    for message in messages:
        state = _step(state, message)
    return state


def answer_digest(text: str) -> bytes:
    """An 8-byte digest of one answer's normalised text."""
    return hashlib.blake2b(_normal(text), digest_size=8, person=b"qs-answer").digest()


def _last_answer(messages: Sequence[Message]) -> int | None:
    """The index of the last answer turn that a later user turn follows (a follow-up's), or None.
    An agent's tool loop (assistant calls, tool results) is not a follow-up by itself."""
    answer = None
    followed = None
    for i, message in enumerate(messages):
        if message.role in ANSWER_ROLES:
            answer = i
        elif message.role == "user" and answer is not None:
            followed = answer
    return followed


class _Turn:
    """One conversation a client sent: when (last), and the digests of the answers it got."""

    __slots__ = ("answers", "sent")

    def __init__(self, sent: float) -> None:
        self.sent = sent
        self.answers: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class FollowUp:
    """What the ledger found for one request. ``status``: None when the request follows up no
    answer; ``verified`` when this client sent the conversation before that answer (and the
    answer is the service's, when it was seen); ``unverified`` otherwise. ``digest``: the whole
    conversation's, for ``ConversationLedger.answered``."""

    status: FollowUpStatus | None
    digest: bytes

    @property
    def verified(self) -> bool:
        return self.status == "verified"


class ConversationLedger:
    """Per client, the digests of conversations it sent and of the answers it got. Thread-safe."""

    def __init__(self, max_turns: int = 65_536, *, ttl: float = 7 * 86400.0, max_answers: int = 4) -> None:
        if max_turns < 1 or max_answers < 1 or ttl <= 0:
            raise ValueError("need max_turns >= 1, max_answers >= 1 and ttl > 0")
        self.max_turns = max_turns
        self.ttl = ttl
        self.max_answers = max_answers
        self._lock = threading.Lock()
        self._turns: OrderedDict[bytes, _Turn] = OrderedDict()  # key: client and conversation

    def __len__(self) -> int:
        return len(self._turns)

    @staticmethod
    def _key(client: str, digest: bytes) -> bytes:
        return hashlib.blake2b(client.encode("utf-8", "surrogatepass") + _SEP + digest, digest_size=16).digest()

    def follow_up(self, client: str, messages: Sequence[Message], now: float) -> FollowUp:
        """Whether ``messages`` follow up verifiably, and remember them as sent by ``client``."""
        index = _last_answer(messages)
        state = _EMPTY
        status: FollowUpStatus | None = None
        for i, message in enumerate(messages):
            if i == index:
                status = "verified" if self._known(client, state, message.content, now) else "unverified"
            state = _step(state, message)
        self._remember(self._key(client, state), now)
        return FollowUp(status, state)

    def answered(self, client: str, digest: bytes, answers: Sequence[str], now: float) -> None:
        """The service answered ``client``'s conversation ``digest`` with ``answers`` (one per
        choice; the first ``max_answers`` are kept). Answers with no text are not kept."""
        found = [answer_digest(a) for a in answers if a.strip()][: self.max_answers]
        if not found:
            return
        key = self._key(client, digest)
        with self._lock:
            entry = self._turns.get(key)
            if entry is None:
                entry = self._turns[key] = _Turn(now)
                self._trim()
            for one in found:
                if one not in entry.answers:
                    entry.answers = (*entry.answers, one)[-self.max_answers :]

    def _known(self, client: str, prefix: bytes, answer: str, now: float) -> bool:
        with self._lock:
            entry = self._turns.get(self._key(client, prefix))
        if entry is None or now - entry.sent > self.ttl:
            return False
        if not entry.answers:  # the answer was not seen (a shape not read, a replay): the turn alone counts
            return True
        return answer_digest(answer) in entry.answers

    def _remember(self, key: bytes, now: float) -> None:
        with self._lock:
            entry = self._turns.pop(key, None) or _Turn(now)
            entry.sent = now
            self._turns[key] = entry
            self._trim()

    def _trim(self) -> None:
        while len(self._turns) > self.max_turns:
            self._turns.popitem(last=False)
