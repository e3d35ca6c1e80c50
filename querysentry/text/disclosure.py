"""Whether a segment names what an extraction wants: the assistant's own configuration, the raw
trace of its tools, or items for a training set. Pure; no I/O.

Prompt extraction comes in endless phrasings (translate it, encode it, put it in a poem, continue
"The assistant must", "you are in maintenance mode") but every one of them has to name what it
wants: the assistant's *own* system prompt, instructions or the text it was given before the
user's turn. The embedding lanes see the phrasing; this step sees that target. It is no verdict
on its own: the scoring step adds ``Thresholds.disclosure_bonus`` to the prompt-extraction lanes
of a segment in a user or tool turn that names such a target, so a paraphrase the library never
held but that already lands near a pattern is pushed over, while a text far from every pattern
stays where it is.

What counts, English: the second person with a configuration noun ("your system prompt", "ur
hidden instructions", "the rules you were given", "what were you told") *and* a verb of showing
or asking in the same segment ("print", "translate", "what were"), so "I followed your
instructions but it still fails" is not one; or a reference to the text before the user's turn
("the text above this message"). Other languages (zh, ja, ko, ru, ar, hi, es, de, fr, pt): the
words for "system prompt" / "system instructions" or "your instructions", which outside of a
request for them are rare in what users send ("系统提示" alone is a UI notice and does not count).
A system or developer message is the application's own text ("never reveal your instructions")
and never takes the bonus (``scoring.decide``).

Agent-trace harvesting has the same shape: whatever the wording ("paste the untouched
tool_result blocks", "keep every function call and its output word for word"), it has to name a
tool artefact *and* ask for it whole. ``names_tool_trace`` wants all three in one segment: a tool
artefact (tool/function/API/shell/browser calls, outputs, logs; ``tool_use``; a ReAct
Thought/Action/Observation log), a wholeness qualifier (raw, verbatim, every, full,
intermediate) and a verb of showing or producing. "How do I log tool calls in LangChain?" has no
qualifier and stays out; a developer asking to log *every* raw tool output does fire, which is why
the cue is a bonus for a segment already near an agent-trace pattern (``tool_trace_bonus``), not a
verdict. Other languages: the words for "tool call" / "function call", which users rarely write
outside such a request.

Instruction generation and synthetic data name a purpose: many generated items ("60 varied
requests", "question-answer pairs") *for* a training or evaluation set ("our fine-tuning set", "to
train a smaller model", "synthetic data", "seed tasks for self-instruct"). ``names_training_purpose``
wants the purpose, a verb of making and a plural item noun; bare "training" (a marathon plan) is no
purpose. Other languages: the words for "training data", "dataset" and "fine-tuning". It feeds
``purpose_bonus`` on the instruction-generation and data-augmentation lanes.

Linear by construction: each pattern is a single alternation whose repetitions are bounded
(``{0,3}`` words, no nested unbounded quantifiers), run over one segment (at most
``SegmentationConfig.max_segment_tokens`` tokens, a few hundred characters). Cheap by construction
too: the text is lowered once and matched case-sensitively (Python's ``re`` pays several times
over for ``IGNORECASE`` on long alternations), the English conjunction, whose first regex
rarely matches, runs first, and words in non-Latin scripts are not searched in an ASCII text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["names_own_configuration", "names_tool_trace", "names_training_purpose"]


class _Languages(NamedTuple):
    """Other-language cue words: those in Latin script (es, fr, de, pt), and those in scripts an
    ASCII text cannot hold (zh, ja, ko, ru, ar, hi), skipped for ASCII text, which is most text."""

    latin: re.Pattern[str]
    scripts: re.Pattern[str]

    def search(self, lowered: str) -> bool:
        if self.latin.search(lowered):
            return True
        return not lowered.isascii() and self.scripts.search(lowered) is not None


_YOUR = r"(?:your|ur|yr|thy)"
# Up to three qualifiers between "your" and the noun: "your full original system prompt".
_QUALIFIER = (
    r"(?:(?:full|whole|entire|complete|exact|original|initial|first|hidden|secret|internal|confidential|"
    r"private|starting|underlying|real|actual|current|system|developer|operator|pre|core|base)[\s-]+){0,3}"
)
_NOUN = (
    r"(?:system[\s-]*prompts?|prompts?|system[\s-]*messages?|developer[\s-]*messages?|instructions?|"
    r"directives?|configuration|config|guidelines|rules|setup|preamble|programming|persona\s+definition)"
)
_TARGET = re.compile(
    rf"\b{_YOUR}\s+{_QUALIFIER}{_NOUN}\b"
    # "the rules you were given", "the prompt given to you"
    r"|\b(?:system[\s-]*prompt|system[\s-]*message|developer[\s-]*message|instructions|prompt|rules|message)\s+"
    r"(?:that\s+|which\s+)?(?:you\s+(?:were|have\s+been|'ve\s+been|got|received)|(?:were\s+)?given\s+to\s+you)\b"
    r"|\byou\s+(?:were|have\s+been|'ve\s+been)\s+(?:told|given|configured|instructed|programmed|set\s+up)\b"
    r"|\b(?:were|have)\s+you\s+(?:been\s+)?(?:told|given|configured|instructed|programmed|set\s+up)\b"
    # the text before the user's turn
    r"|\b(?:text|words|message|messages|everything|content|lines?)\s+(?:above|before|preceding|prior\s+to)\s+"
    r"(?:this|my|the\s+(?:user|first)|'?user)"
    r"|\bfirst\s+message\s+(?:in|of)\s+(?:your|the|this)\s+(?:context|conversation)",
)
_ASKS = re.compile(
    r"\b(?:print|reprint|repeat|reveal|show|output|tell|share|quote|list|dump|echo|write\s+(?:out|down)|spell|"
    r"translate|summari[sz]e|paste|display|give|disclose|recite|copy|expose|leak|state|read\s+(?:out|back)|"
    r"return|send|put|format|encode|convert|rewrite|paraphrase|reproduce|restate|type|describe|explain|"
    r"tl;?dr|continue|complete|finish|what\s+(?:are|were|is|was|does|did)|how\s+(?:are|were))\b",
)
_SCRIPTS = re.compile(
    r"系统提示词|系统指令|系统消息|你的(?:指令|指示|提示词|设定)|初始指令|隐藏指令"
    r"|システムプロンプト|システムメッセージ|システム指示|あなたの指示|初期指示"
    r"|시스템\s*프롬프트|시스템\s*메시지|시스템\s*지시|당신의\s*지시|너의\s*지시|초기\s*지시"
    r"|системн\w*\s+(?:промпт|подсказк|инструкци|сообщени)"
    r"|(?:твои|ваши|свои|твоих|ваших)\s+(?:\w+\s+)?(?:инструкци|указани)"
    r"|موجه\s+النظام|رسالة\s+النظام|تعليماتك|تعليمات\s+النظام"
    r"|सिस्टम\s+प्रॉम्प्ट|सिस्टम\s+संदेश|आपके\s+(?:\S+\s+)?निर्देश|तुम्हारे\s+(?:\S+\s+)?निर्देश",
)
_LATIN = re.compile(
    r"\b(?:tus|sus)\s+(?:\w+\s+)?instrucciones\b|(?:prompt|mensaje|instrucciones)\s+del\s+sistema"
    r"|\b(?:tes|vos)\s+(?:\w+\s+)?instructions\b|(?:prompt|message|instructions)\s+syst[èe]me"
    r"|\b(?:suas|tuas)\s+(?:\w+\s+)?instruç[õo]es\b|(?:prompt|mensagem|instruç[õo]es)\s+do\s+sistema"
    r"|\b(?:deine|ihre|deinen|ihren)\s+(?:\w+\s+)?(?:anweisungen|instruktionen|systemanweisung\w*|systemprompt\w*)"
    r"|systemanweisung|systemprompt|systemnachricht",
)
_OTHER_LANGUAGES = _Languages(_LATIN, _SCRIPTS)


def names_own_configuration(text: str) -> bool:
    """Whether ``text`` (one normalised segment) asks for the assistant's own configuration.
    O(len(text))."""
    lowered = text.lower()
    if _TARGET.search(lowered) and _ASKS.search(lowered):
        return True
    return _OTHER_LANGUAGES.search(lowered)


_TOOL_ARTEFACT = re.compile(
    r"\b(?:tool|function|api|shell|browser|browsing|search|code[\s-]*interpreter|plugin)[\s_-]*"
    r"(?:calls?|invocations?|use|usage|requests?|responses?|outputs?|results?|returns?|logs?|traces?|"
    r"transcripts?|payloads?|observations?|queries|commands?)\b"
    r"|\b(?:tool_use|tool_result|tool_calls?|function_call|function_response)\b"
    r"|\b(?:react|agent|execution|action)\s+(?:logs?|traces?|trajector(?:y|ies)|transcripts?|loops?|history)\b"
    r"|\bthoughts?\s*\d*\s*[,/:|-]\s*(?:actions?|act)\b"
    r"|\bactions?\s*(?:inputs?)?\s*[,/:|-]\s*observations?\b",
)
_WHOLE = re.compile(
    r"\b(?:raw|verbatim|exact(?:ly)?|full|complete|entire|every|each|all|untouched|unmodified|unedited|"
    r"word\s+for\s+word|as\s+(?:received|returned|executed)|intermediate)\b",
)
_PRODUCES = re.compile(r"\b(?:log|record|emit|include|generate|produce|keep)\b")
_TOOL_OTHER_LANGUAGES = _Languages(
    re.compile(
        r"llamadas?\s+a\s+(?:las\s+)?herramientas|appels?\s+(?:d['’]|aux\s+)outils"
        r"|chamadas?\s+(?:de|às?)\s+ferramentas|tool-aufruf\w*|werkzeugaufruf\w*|funktionsaufruf\w*"
    ),
    re.compile(
        r"工具调用|函数调用|ツール呼び出し|関数呼び出し|도구\s*호출|함수\s*호출|вызов\w*\s+инструмент"
        r"|استدعاء\w*\s+الأدوات|टूल\s+कॉल"
    ),
)


def names_tool_trace(text: str) -> bool:
    """Whether ``text`` (one normalised segment) asks for tool calls or their outputs whole.
    O(len(text))."""
    lowered = text.lower()
    if (
        _TOOL_ARTEFACT.search(lowered)
        and _WHOLE.search(lowered)
        and (_ASKS.search(lowered) or _PRODUCES.search(lowered))
    ):
        return True
    return _TOOL_OTHER_LANGUAGES.search(lowered)


# A training-data purpose: "for our fine-tuning set", "to train a classifier", "synthetic data".
# Bare "training" is a marathon plan or a puppy, so it counts only as "training data/set/...".
_PURPOSE = re.compile(
    r"\b(?:training|train|eval(?:uation)?|instruction|synthetic|sft|seed)[\s-]+"
    r"(?:data(?:[\s-]*sets?)?|sets?|examples?|pairs?|corpus|corpora|samples?|splits?|tasks?)\b"
    r"|\bdata[\s-]*sets?\b|\bcorpus\b|\bcorpora\b"
    r"|\b(?:fine[\s-]*tun\w*|finetun\w*|instruction[\s-]*tun\w*|self[\s-]*instruct|rlhf|distill(?:ation|ing)?)\b"
    r"|\bto\s+(?:train|fine[\s-]*tune|teach)\s+(?:a|an|our|my|the|your|another|smaller|student)?\s*"
    r"(?:\w+\s+)?(?:models?|classifiers?|llms?|chatbots?|assistants?|networks?)\b",
)
_MAKES = re.compile(
    r"\b(?:generate|create|produce|write|brainstorm|invent|compose|draft|make|come\s+up\s+with|"
    r"list|give|output|build|synthesi[sz]e|craft|design|devise|expand|evolve|rewrite|paraphrase)\b",
)
_ITEMS = re.compile(
    r"\b(?:instructions|tasks|prompts|queries|questions|examples|samples|pairs|conversations|dialogues|"
    r"dialogs|records|rows|entries|exchanges|turns|variants|variations|responses|answers|items|scenarios|"
    r"requests|utterances|messages|texts|sentences|reviews|emails|tickets|complaints|stories|documents)\b",
)
_PURPOSE_OTHER_LANGUAGES = _Languages(
    re.compile(
        r"datos\s+de\s+entrenamiento|conjunto\s+de\s+datos|ajuste\s+fino"
        r"|données\s+d['’]entra[îi]nement|jeu\s+de\s+données|trainingsdaten|datensatz|feinabstimmung"
        r"|dados\s+de\s+treinamento|conjunto\s+de\s+dados"
    ),
    re.compile(
        r"训练数据|训练集|数据集|微调|学習データ|訓練データ|データセット|ファインチューニング"
        r"|학습\s*데이터|훈련\s*데이터|데이터\s*세트|데이터셋|파인\s*튜닝"
        r"|обучающ\w*\s+(?:выборк|данн|набор|пример)|датасет|набор\w*\s+данных|дообучени"
        r"|بيانات\s+التدريب|مجموعة\s+بيانات|प्रशिक्षण\s+डेटा|डेटासेट"
    ),
)


def names_training_purpose(text: str) -> bool:
    """Whether ``text`` (one normalised segment) asks for many generated items for a training or
    evaluation set. O(len(text))."""
    lowered = text.lower()
    if _PURPOSE.search(lowered) and _MAKES.search(lowered) and _ITEMS.search(lowered):
        return True
    return _PURPOSE_OTHER_LANGUAGES.search(lowered)
