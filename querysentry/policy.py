"""The one place that turns scores into actions.

Two inputs meet here: the request's verdict, mapped through the per-category ``actions``, and the
client's level, reached by its risk (or its cluster's) with hysteresis. The stronger one wins; then
the mode says what is actually done: ``shadow`` only logs, ``tag`` tags what enforce would
throttle or block, ``enforce`` acts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from querysentry.categories import EXTRACTION_CATEGORIES, LOOKALIKE_CATEGORIES, Category, Severity
from querysentry.messages import PRIORITY_ROLES
from querysentry.scoring import FRAME_CATEGORIES, Thresholds, needs_frame
from querysentry.verdict import Action, Level, Mode, Verdict

__all__ = [
    "DEFAULT_ENFORCE_ACTIONS",
    "LEVELS",
    "Action",
    "ClientPolicy",
    "Level",
    "Mode",
    "action_for_level",
    "answer_only",
    "apply_mode",
    "capped",
    "combine",
    "level_rank",
    "request_action",
    "stronger",
    "throttled",
    "validate_actions",
]

_ORDER: dict[str, int] = {"allow": 0, "ok": 0, "tag": 1, "throttle": 2, "block": 3}
LEVELS: tuple[Level, ...] = ("ok", "tag", "throttle", "block")  # weakest first


# What enforce mode does with a flagged request on its own, before the client's level adds to it.
# System-prompt theft is refused outright; the other categories have everyday look-alikes (a
# student's "show your work"), so one request is throttled, which is a real rate limit: an honest
# user who trips it now and then is not stopped, a campaign sending hundreds is.
DEFAULT_ENFORCE_ACTIONS: Mapping[str, Action] = {
    category.value: ("block" if category.value == "prompt_extraction" else "throttle")
    for category in EXTRACTION_CATEGORIES
}


def validate_actions(actions: Mapping[str, str] | None) -> dict[str, Action]:
    """The per-category actions for enforce mode: the defaults, overridden by ``actions``.

    Raises ``ValueError`` naming the valid categories or actions for a misspelled one.
    """
    merged: dict[str, Action] = dict(DEFAULT_ENFORCE_ACTIONS)
    for category, action in (actions or {}).items():
        if category not in DEFAULT_ENFORCE_ACTIONS:
            valid = ", ".join(sorted(DEFAULT_ENFORCE_ACTIONS))
            raise ValueError(f"unknown category {category!r} in actions; valid categories: {valid}")
        if action not in ("allow", "tag", "throttle", "block"):
            raise ValueError(f"unknown action {action!r} for {category}; valid actions: allow, tag, throttle, block")
        merged[category] = action  # type: ignore[assignment]
    return merged


def level_rank(level: str | None) -> int:
    """0 for ``ok`` (or anything unknown, such as a missing field in an old log) up to 3 for ``block``."""
    return _ORDER.get(level or "ok", 0) if level != "allow" else 0


def stronger(a: Action, b: Action) -> Action:
    return a if _ORDER[a] >= _ORDER[b] else b


def request_action(verdict: Verdict | None, actions: Mapping[str, Action]) -> Action:
    """What one request deserves on its own: its category's action if flagged (default ``tag``
    for a category ``actions`` does not name; see ``validate_actions`` for enforce's defaults)."""
    if verdict is None or not verdict.flagged or verdict.category is None:
        return "allow"
    return actions.get(verdict.category.value, "tag")


# In a decision record's signals: the request's own action was held back by
# ``EngineConfig.answer_only`` (it asks only for answers to benchmark-like items).
ANSWER_ONLY_SIGNAL = "answer_only"


def answer_only(verdict: Verdict | None, thresholds: Thresholds | None) -> bool:
    """Whether a flagged request asks only for answers to benchmark-like items: Q&A harvesting, or
    a flag that stands only on the item's frame (``scoring.needs_frame``: a generic phrasing below
    its threshold without the answer options or Q/A fields). A learner's "Q: ... My answer: ...
    Mark my answer and explain." is such a flag, and so is an evaluation harness's item; so is a
    campaign's, which is why the flag still counts for the client and its campaign
    (``EngineConfig.answer_only``). ``thresholds`` None (a detector without them): only Q&A."""
    if verdict is None or not verdict.flagged:
        return False
    if verdict.category is Category.QA_HARVESTING:
        return True
    if thresholds is None:
        return False
    return needs_frame(verdict.category, verdict.severity, verdict.margin, verdict.frames, thresholds)


def frame_lift(verdict: Verdict | None, thresholds: Thresholds | None) -> float:
    """How much of a near miss's margin its item's frame gave it: the frame bonus, for a request
    not flagged whose generic phrasing in a frame category was scored with the item's shape
    (``scoring.decide``); 0.0 otherwise. A flag standing on its frame is ``answer_only``; a near
    miss lifted the same way ("Author asks: explain" under a quiz item, just under its threshold)
    carried nearly a flag's evidence for its client through the ramp, where the flag itself
    counts ``BehaviourTracker.answer_only_weight`` of it (RESULTS.md, thirteenth round)."""
    if verdict is None or verdict.flagged or verdict.category is None or thresholds is None or not verdict.frames:
        return 0.0
    if verdict.category not in FRAME_CATEGORIES or verdict.severity is Severity.HIGH:
        return 0.0
    return thresholds.frame_bonus


# In a decision record's signals: the request's own action was held back by
# ``EngineConfig.configured_lookalike`` (its flag is an app's kind of system prompt).
CONFIGURED_SIGNAL = "configured_instruction"


def configured_lookalike(verdict: Verdict | None) -> bool:
    """Whether a flag was decided in a configuration message (system, developer) in a category
    with everyday look-alikes. An app's own "reason step by step and show your work" is sent
    with every one of its users' requests and reads exactly like a reasoning harvest; which it
    is shows only in what the keys that send it do over time (``EngineConfig.configured_lookalike``)."""
    if verdict is None or not verdict.flagged or verdict.category is None or verdict.segment is None:
        return False
    role = verdict.segment.role
    return role in PRIORITY_ROLES and verdict.category.value in LOOKALIKE_CATEGORIES


def action_for_level(level: str) -> Action:
    """What a client level asks for (``ok`` asks for nothing)."""
    if level not in _ORDER or level == "allow":
        raise ValueError(f"unknown client level {level!r}")
    return "allow" if level == "ok" else level  # type: ignore[return-value]


def combine(own: Action, level: str | None, campaign: str | None = None) -> Action:
    """The one place a request's own action, its client's standing and its campaign meet: the
    strongest wins.

    ``own`` is what the request deserves on its own (``request_action``, or the ``unscanned``
    policy for a request nobody could read); ``level`` the client's level, None when client
    behaviour is off or failed; ``campaign`` the level of the campaign the request belongs to
    (None: none). Live traffic and replay both decide through here.
    """
    wanted = own
    for standing in (level, campaign):
        if standing is not None:
            wanted = stronger(wanted, action_for_level(standing))
    return wanted


def capped(wanted: Action, ceiling: Action) -> Action:
    """``wanted``, but no stronger than ``ceiling`` (an allowance: evaluation clients are tagged at most)."""
    return wanted if _ORDER[wanted] <= _ORDER[ceiling] else ceiling


def throttled(wanted: Action, allowed: bool | None) -> Action:
    """A throttle decision applied: within the throttled client's rate (``allowed``) the request
    passes, tagged; over it (or with no limiter, ``None``) it stays throttled (refused with 429)."""
    return "tag" if wanted == "throttle" and allowed else wanted


def apply_mode(mode: Mode, wanted: Action) -> Action:
    """Shadow logs only, tag mode only tags, enforce acts."""
    if mode == "shadow":
        return "allow"
    if mode == "tag" and wanted in ("throttle", "block"):
        return "tag"
    return wanted


@dataclass(frozen=True)
class ClientPolicy:
    """Client (and cluster) risk → level, with hysteresis so a client does not flap.

    A client enters ``tag`` at ``tag_at`` risk, ``throttle`` at ``throttle_at``, ``block`` at
    ``block_at``. It keeps a level for at least ``hold`` seconds (the action's TTL) and leaves it
    only once its risk has fallen under ``release`` × that level's entry risk; then it drops to
    the level its risk supports.
    """

    tag_at: float = 1.0
    throttle_at: float = 2.0
    block_at: float = 4.0
    release: float = 0.5
    hold: float = 900.0

    def __post_init__(self) -> None:
        if not 0 < self.tag_at <= self.throttle_at <= self.block_at:
            raise ValueError("need 0 < tag_at <= throttle_at <= block_at")
        if not 0 < self.release <= 1 or self.hold < 0:
            raise ValueError("need 0 < release <= 1 and hold >= 0")

    def _entry(self, level: Level) -> float:
        return {"ok": 0.0, "tag": self.tag_at, "throttle": self.throttle_at, "block": self.block_at}[level]

    def level(self, risk: float, previous: Level, until: float, now: float) -> tuple[Level, float]:
        """The new level and the time it is held until, from the previous ones."""
        reached: Level = "ok"
        for level in LEVELS[1:]:
            if risk >= self._entry(level):
                reached = level
        if _ORDER[reached] > _ORDER[previous]:
            return reached, now + self.hold
        if _ORDER[reached] == _ORDER[previous]:
            return previous, until if previous == "ok" else max(until, now + self.hold)
        if now < until or risk >= self.release * self._entry(previous):
            return previous, until
        return reached, (now + self.hold) if reached != "ok" else 0.0

    @staticmethod
    def level_code(level: Level) -> float:
        return float(_ORDER[level])

    @staticmethod
    def level_from_code(code: float) -> Level:
        return LEVELS[min(3, max(0, int(code)))]
