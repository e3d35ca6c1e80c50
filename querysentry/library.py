"""The pattern library: schema, loading and validation.

A library is a directory of ``*.jsonl`` files plus an optional ``library.json`` (``name``,
``version``, ``description``), or a single ``.jsonl`` file. One pattern per line::

    {"id": "rt-0001", "text": "...", "category": "reasoning_trace",
     "severity": "high", "lang": "en", "notes": "terse"}

``id``, ``text`` and ``category`` are required; ``severity`` defaults to ``medium``, ``lang`` to
``en``, ``notes`` to empty. Unknown fields are rejected so a typo cannot silently drop a setting.
Validation collects every problem with its ``file:line`` instead of stopping at the first.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from querysentry.categories import Category, Severity
from querysentry.errors import InputError, LibraryError
from querysentry.jsonl import iter_jsonl

__all__ = [
    "LibraryProblem",
    "Pattern",
    "PatternLibrary",
    "default_library",
    "default_library_dir",
    "load_library",
    "merge_libraries",
    "parse_pattern",
    "validate_library",
]

LIBRARY_META = "library.json"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
_FIELDS = {"id", "text", "category", "severity", "lang", "notes"}
_MAX_TEXT_CHARS = 4000


@dataclass(frozen=True)
class Pattern:
    """One known extraction instruction (or benign look-alike) to match prompts against."""

    id: str
    text: str
    category: Category
    severity: Severity = Severity.MEDIUM
    lang: str = "en"
    notes: str = ""

    def to_json(self) -> dict[str, str]:
        data = asdict(self)
        data["category"] = self.category.value
        data["severity"] = self.severity.value
        return data


@dataclass(frozen=True)
class LibraryProblem:
    """A validation problem, located at ``source:line``."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True)
class PatternLibrary:
    """An ordered, validated set of patterns with a version string."""

    name: str
    version: str
    patterns: tuple[Pattern, ...]

    def __len__(self) -> int:
        return len(self.patterns)

    def __iter__(self) -> Iterator[Pattern]:
        return iter(self.patterns)

    @property
    def checksum(self) -> str:
        """sha256 of the patterns' canonical JSON: equal libraries have equal checksums."""
        return _checksum(self.patterns)


def _checksum(patterns: Iterable[Pattern]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        digest.update(json.dumps(pattern.to_json(), sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def default_library_dir() -> Path:
    return Path(__file__).resolve().parent / "data" / "library"


def parse_pattern(data: object, source: str = "<input>", line: int = 1) -> Pattern:
    """Build a Pattern from a decoded JSON object, or raise ``LibraryError`` naming ``source:line``."""
    problems: list[LibraryProblem] = []
    pattern = _parse(data, source, line, problems)
    if pattern is None:
        raise LibraryError(str(problems[0]))
    return pattern


def _parse(data: object, source: str, line: int, problems: list[LibraryProblem]) -> Pattern | None:
    def fail(message: str) -> None:
        problems.append(LibraryProblem(source, line, message))

    if not isinstance(data, dict):
        fail("expected a JSON object")
        return None
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        fail(f"unknown field(s): {', '.join(unknown)}")
        return None
    pattern_id = data.get("id")
    text = data.get("text")
    category = data.get("category")
    if not isinstance(pattern_id, str) or not _ID.match(pattern_id):
        fail(f"invalid or missing id {pattern_id!r} (letters, digits, . _ : -; at most 128)")
        return None
    if not isinstance(text, str) or not text.strip():
        fail(f"pattern {pattern_id}: empty text")
        return None
    if len(text) > _MAX_TEXT_CHARS:
        fail(f"pattern {pattern_id}: text longer than {_MAX_TEXT_CHARS} characters")
        return None
    try:
        parsed_category = Category(category)
    except ValueError:
        known = ", ".join(c.value for c in Category)
        fail(f"pattern {pattern_id}: unknown category {category!r} (known: {known})")
        return None
    try:
        severity = Severity(data.get("severity", "medium"))
    except ValueError:
        fail(f"pattern {pattern_id}: unknown severity {data.get('severity')!r} (low, medium, high)")
        return None
    lang, notes = data.get("lang", "en"), data.get("notes", "")
    if not isinstance(lang, str) or not isinstance(notes, str):
        fail(f"pattern {pattern_id}: lang and notes must be strings")
        return None
    return Pattern(pattern_id, text.strip(), parsed_category, severity, lang, notes)


def _library_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise LibraryError(f"{path}: no *.jsonl pattern files")
        return files
    raise LibraryError(f"{path}: no such pattern file or directory")


def _read_lines(paths: Sequence[Path], problems: list[LibraryProblem]) -> list[Pattern]:
    patterns: list[Pattern] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            rows = list(iter_jsonl(path))
        except InputError as exc:
            problems.append(LibraryProblem(str(path), 0, str(exc).removeprefix(f"{path}: ")))
            continue
        for number, data, error in rows:
            if error is not None:
                problems.append(LibraryProblem(str(path), number, error))
                continue
            pattern = _parse(data, str(path), number, problems)
            if pattern is None:
                continue
            where = f"{path}:{number}"
            if pattern.id in seen:
                problems.append(
                    LibraryProblem(str(path), number, f"duplicate id {pattern.id} (first at {seen[pattern.id]})")
                )
                continue
            seen[pattern.id] = where
            patterns.append(pattern)
    return patterns


def _read_meta(directory: Path) -> dict[str, Any]:
    meta_path = directory / LIBRARY_META
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LibraryError(f"{meta_path}:1: unreadable library metadata: {exc}") from None
    if not isinstance(meta, dict):
        raise LibraryError(f"{meta_path}:1: expected a JSON object")
    return meta


def validate_library(path: Path | str) -> tuple[list[Pattern], list[LibraryProblem]]:
    """Read a library and return its patterns and every problem found. O(patterns)."""
    path = Path(path)
    problems: list[LibraryProblem] = []
    patterns = _read_lines(_library_files(path), problems)
    if not patterns and not problems:
        problems.append(LibraryProblem(str(path), 0, "library holds no patterns"))
    return patterns, problems


def load_library(path: Path | str) -> PatternLibrary:
    """Load and validate a library; raise ``LibraryError`` listing every problem."""
    path = Path(path)
    patterns, problems = validate_library(path)
    if problems:
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise LibraryError(f"{len(problems)} problem(s) in pattern library:\n{shown}{more}")
    meta = _read_meta(path) if path.is_dir() else {}
    name = str(meta.get("name", path.stem))
    # Without an explicit version the content decides it, so two different libraries never
    # share a version string.
    version = str(meta.get("version") or f"sha256:{_checksum(patterns)[:12]}")
    return PatternLibrary(name=name, version=version, patterns=tuple(patterns))


def default_library() -> PatternLibrary:
    """The library that ships with QuerySentry."""
    return load_library(default_library_dir())


def merge_libraries(libraries: Sequence[PatternLibrary]) -> PatternLibrary:
    """One library from several; a pattern id used twice is a ``LibraryError``."""
    if len(libraries) == 1:
        return libraries[0]
    seen: dict[str, str] = {}
    patterns: list[Pattern] = []
    for library in libraries:
        for pattern in library:
            if pattern.id in seen:
                raise LibraryError(f"pattern id {pattern.id} is in both {seen[pattern.id]} and {library.name}")
            seen[pattern.id] = library.name
            patterns.append(pattern)
    return PatternLibrary(
        name="+".join(lib.name for lib in libraries),
        version="+".join(lib.version for lib in libraries),
        patterns=tuple(patterns),
    )
