"""The extraction categories the pattern library is organised by.

The nine extraction categories follow the threat model; ``benign`` marks look-alikes that suppress
false positives. Kept as a ``str`` enum so values serialise as plain strings in JSON and logs.
"""

from __future__ import annotations

from enum import Enum


class Category(str, Enum):
    REASONING_TRACE = "reasoning_trace"
    PROMPT_EXTRACTION = "prompt_extraction"
    INSTRUCTION_GENERATION = "instruction_generation"
    DATA_AUGMENTATION = "data_augmentation"
    PREFERENCE_LABELLING = "preference_labelling"
    AGENT_TRACE = "agent_trace"
    QA_HARVESTING = "qa_harvesting"
    LOGIT_EXTRACTION = "logit_extraction"
    REFUSAL_HARVESTING = "refusal_harvesting"
    BENIGN = "benign"

    @property
    def is_extraction(self) -> bool:
        return self is not Category.BENIGN


EXTRACTION_CATEGORIES: tuple[Category, ...] = tuple(c for c in Category if c.is_extraction)
# Categories with everyday look-alikes (a tutor's "show your reasoning", an app's "answer in
# JSON"): one request of them says little, so the behaviour layers need more of them to act.
LOOKALIKE_CATEGORIES: frozenset[str] = frozenset(
    c.value
    for c in (
        Category.REASONING_TRACE,
        Category.QA_HARVESTING,
        Category.DATA_AUGMENTATION,
        Category.REFUSAL_HARVESTING,
    )
)


class Severity(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}
