"""What is done to one response (``CountermeasurePlan``), and the deployment policy that makes a
plan from a client's level (``CountermeasureSettings.plan``). Pure.

The defaults of ``CountermeasureSettings`` are what ``--countermeasures`` means: reasoning withheld
(dropped) from clients at level ``tag`` and above and from campaign members, leaks of the request's
system prompt (and of registered secrets) cut for every client, with nothing held back for clients
in good standing (no added latency, untouched bytes when nothing leaks) and a whole leak's worth
held back for flagged ones (nothing of a copy reaches them). Canary marks and the tarpit are off
until configured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from querysentry.countermeasures.canary import CanaryConfig
from querysentry.countermeasures.leaks import LeakEvent, LeakSettings
from querysentry.countermeasures.rewrite import StreamLimits
from querysentry.countermeasures.shapes import ReasoningMode
from querysentry.countermeasures.tarpit import TarpitSettings
from querysentry.messages import PRIORITY_ROLES, Message
from querysentry.policy import Level, level_rank

__all__ = ["DEFAULT_MARKER", "EMPTY_PLAN", "CountermeasurePlan", "CountermeasureSettings", "system_prompt_of"]

DEFAULT_MARKER = "[reasoning withheld]"


@dataclass(frozen=True)
class CountermeasurePlan:
    """The countermeasures for one response.

    ``withhold_reasoning`` with ``reasoning_mode`` (``drop``, or ``replace`` with
    ``reasoning_marker``); ``secrets``: texts whose leaks are cut (``leak`` says how; ``on_leak``
    hears of each, once per secret and response, possibly from a worker thread when
    ``leak.embed`` is set); ``canary``: mark the answer for this client; ``tarpit``: pace it;
    ``limits``: what the rewriting may hold. A plan with none of these is ``active == False`` and
    ``countermeasure_send`` returns the original ``send``.
    """

    withhold_reasoning: bool = False
    reasoning_mode: ReasoningMode = "drop"
    reasoning_marker: str = DEFAULT_MARKER
    secrets: tuple[str, ...] = ()
    leak: LeakSettings = field(default_factory=LeakSettings)
    on_leak: Callable[[LeakEvent], None] | None = field(default=None, compare=False)
    canary: CanaryConfig | None = None
    tarpit: TarpitSettings | None = None
    limits: StreamLimits = field(default_factory=StreamLimits)

    def __post_init__(self) -> None:
        if self.reasoning_mode not in ("drop", "replace"):
            raise ValueError("reasoning_mode must be 'drop' or 'replace'")
        object.__setattr__(self, "secrets", tuple(secret for secret in self.secrets if secret and secret.strip()))

    @property
    def rewrites(self) -> bool:
        """Whether response bodies are read at all."""
        return self.withhold_reasoning or bool(self.secrets) or self.canary is not None

    @property
    def active(self) -> bool:
        return self.rewrites or (self.tarpit is not None and self.tarpit.active)


EMPTY_PLAN = CountermeasurePlan()


def system_prompt_of(messages: Sequence[Message]) -> str:
    """The system and developer text of a request (``Extracted.messages``), the secret a response
    must not give back."""
    return "\n\n".join(message.content for message in messages if message.role in PRIORITY_ROLES and message.content)


@dataclass(frozen=True)
class CountermeasureSettings:
    """The deployment's countermeasure policy; ``plan(...)`` applies it to one request.

    ``withhold_from``: the lowest client level whose reasoning is withheld (None: never by level);
    ``withhold_campaigns``: withhold from members of a campaign (a cluster of keys) whatever their
    level. ``leak_detection``: guard every response against leaks of the request's system prompt
    and ``secrets``; ``flagged_hold_back``: letters/digits held back for clients whose reasoning is
    withheld (None: ``leak.min_leak_chars``, so none of a copy gets out). ``canary_key`` (bytes; off
    when None) marks answers to clients at ``canary_from`` and above; ``tarpit`` paces those at
    ``tarpit_from`` and above.
    """

    withhold_from: Level | None = "tag"
    withhold_campaigns: bool = True
    reasoning_mode: ReasoningMode = "drop"
    reasoning_marker: str = DEFAULT_MARKER
    leak_detection: bool = True
    secrets: tuple[str, ...] = ()
    leak: LeakSettings = field(default_factory=LeakSettings)
    flagged_hold_back: int | None = None
    canary_key: bytes | None = field(default=None, repr=False)
    canary_from: Level = "tag"
    tarpit: TarpitSettings | None = None
    tarpit_from: Level = "throttle"
    limits: StreamLimits = field(default_factory=StreamLimits)

    def __post_init__(self) -> None:
        for name in ("withhold_from", "canary_from", "tarpit_from"):
            value = getattr(self, name)
            if value is not None and value not in ("ok", "tag", "throttle", "block"):
                raise ValueError(f"{name} must be a client level (ok, tag, throttle, block), not {value!r}")

    def plan(self, *, level: str, client: str, campaign: bool = False, system_prompt: str | None = None,
             on_leak: Callable[[LeakEvent], None] | None = None) -> CountermeasurePlan:  # fmt: skip
        """The plan for one request from ``client`` at ``level`` (``ok``/``tag``/``throttle``/``block``).

        ``campaign``: the client belongs to a flagged cluster (``ClientVerdict.cluster_id`` is set);
        ``system_prompt``: the request's system text (``system_prompt_of(extracted.messages)``).
        """
        rank = level_rank(level)
        flagged = (self.withhold_from is not None and rank >= level_rank(self.withhold_from)) or (
            campaign and self.withhold_campaigns
        )
        secrets: tuple[str, ...] = ()
        leak = self.leak
        if self.leak_detection:
            secrets = tuple(text for text in (system_prompt or "", *self.secrets) if text)
            if flagged:
                hold = self.leak.min_leak_chars if self.flagged_hold_back is None else self.flagged_hold_back
                leak = replace(self.leak, hold_back=hold)
        marked = self.canary_key is not None and rank >= level_rank(self.canary_from)
        canary = CanaryConfig(self.canary_key, client) if marked and self.canary_key else None
        tarpit = self.tarpit if self.tarpit is not None and rank >= level_rank(self.tarpit_from) else None
        return CountermeasurePlan(
            withhold_reasoning=flagged, reasoning_mode=self.reasoning_mode, reasoning_marker=self.reasoning_marker,
            secrets=secrets, leak=leak, on_leak=on_leak, canary=canary, tarpit=tarpit, limits=self.limits,
        )  # fmt: skip
