"""The pattern library: schema, loading and validation.

A library is a directory of ``*.jsonl`` files plus an optional ``library.json`` (``name``,
``version``, ``description``), or a single ``.jsonl`` file. One pattern per line::

    {"id": "rt-0001", "text": "...", "category": "reasoning_trace",
     "severity": "high", "lang": "en", "notes": "terse"}

``id``, ``text`` and ``category`` are required; ``severity`` defaults to ``medium``, ``lang`` to
``en``, ``notes`` to empty. Unknown fields are rejected so a typo cannot silently drop a setting.
Validation collects every problem with its ``file:line`` instead of stopping at the first.

Maintenance helpers: ``new_pattern`` builds a validated pattern (with a stable generated id),
``plan_append``/``append_pattern`` add it to a library file atomically (refusing a duplicate id or
text), ``logged_segment`` recovers a matched segment from the middleware's JSON decision log, and
``diff_libraries`` compares two libraries.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from querysentry.categories import Category, Severity
from querysentry.engine.record import DECISION_MESSAGE, LOGGER_NAME
from querysentry.errors import InputError, LibraryError
from querysentry.fileio import atomic_write_text
from querysentry.jsonl import iter_jsonl, iter_lines, parse_json_line

__all__ = [
    "AppendPlan",
    "LibraryDiff",
    "LibraryProblem",
    "LoggedSegment",
    "Pattern",
    "PatternChange",
    "PatternLibrary",
    "append_pattern",
    "default_library",
    "default_library_dir",
    "diff_libraries",
    "load_library",
    "logged_segment",
    "merge_libraries",
    "new_pattern",
    "parse_pattern",
    "pattern_id_for",
    "plan_append",
    "text_key",
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


# --- maintenance: new patterns, appending, decision logs, diffs ------------------------------

# Id prefixes as used by the shipped library, so generated ids read like the hand-written ones.
_ID_PREFIX = {
    Category.REASONING_TRACE: "rt",
    Category.PROMPT_EXTRACTION: "pe",
    Category.INSTRUCTION_GENERATION: "ig",
    Category.DATA_AUGMENTATION: "da",
    Category.PREFERENCE_LABELLING: "pl",
    Category.AGENT_TRACE: "at",
    Category.QA_HARVESTING: "qa",
    Category.LOGIT_EXTRACTION: "le",
    Category.REFUSAL_HARVESTING: "rh",
    Category.BENIGN: "bn",
}
_DIFF_FIELDS = ("text", "category", "severity", "lang", "notes")


def text_key(text: str) -> str:
    """The form in which two pattern texts count as duplicates: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def pattern_id_for(category: Category, text: str) -> str:
    """A stable id for a new pattern: the category's prefix and 8 hex digits of the text key's sha256."""
    return f"{_ID_PREFIX[category]}-{hashlib.sha256(text_key(text).encode()).hexdigest()[:8]}"


def _category(value: str) -> Category:
    try:
        return Category(value)
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise LibraryError(f"unknown category {value!r} (known: {known})") from None


def new_pattern(
    text: str,
    category: str,
    *,
    severity: str = "medium",
    pattern_id: str | None = None,
    lang: str = "en",
    notes: str = "",
) -> Pattern:
    """A validated new pattern; without ``pattern_id`` the id is ``pattern_id_for(category, text)``."""
    parsed_category = _category(category)
    try:
        parsed_severity = Severity(severity)
    except ValueError:
        raise LibraryError(f"unknown severity {severity!r} (low, medium, high)") from None
    text = text.strip()
    if not text:
        raise LibraryError("empty pattern text")
    if len(text) > _MAX_TEXT_CHARS:
        raise LibraryError(f"pattern text longer than {_MAX_TEXT_CHARS} characters ({len(text)})")
    if pattern_id is None:
        pattern_id = pattern_id_for(parsed_category, text)
    elif not _ID.match(pattern_id):
        raise LibraryError(f"invalid id {pattern_id!r} (letters, digits, . _ : -; at most 128)")
    return Pattern(pattern_id, text, parsed_category, parsed_severity, lang, notes)


def _restore_text(path: Path, original: str | None) -> None:
    if original is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write_text(path, original)


@dataclass(frozen=True)
class AppendPlan:
    """Everything ``append_pattern`` will write, computed without touching a file.

    ``before`` and ``after`` are the library as loaded now and as it will load once written;
    ``write`` applies the plan atomically per file and ``restore`` undoes it.
    """

    library: Path
    file: Path
    pattern: Pattern
    before: PatternLibrary
    after: PatternLibrary
    original_text: str | None
    new_text: str
    meta_path: Path | None = None
    original_meta: str | None = None
    new_meta: str | None = None

    @property
    def has_explicit_version(self) -> bool:
        """True if the library's version comes from ``library.json`` rather than its content."""
        return not self.after.version.startswith("sha256:")

    def write(self) -> None:
        atomic_write_text(self.file, self.new_text)
        if self.meta_path is not None and self.new_meta is not None:
            try:
                atomic_write_text(self.meta_path, self.new_meta)
            except BaseException:
                _restore_text(self.file, self.original_text)
                raise

    def restore(self) -> None:
        """Put the library back as it was before ``write``."""
        _restore_text(self.file, self.original_text)
        if self.meta_path is not None:
            _restore_text(self.meta_path, self.original_meta)


def _target_file(path: Path, category: Category, file_name: str | None) -> Path:
    if path.is_file():
        if file_name is not None and file_name != path.name:
            raise LibraryError(f"{path} is a single-file library; a file name applies only to a library directory")
        return path
    name = file_name if file_name is not None else f"{category.value}.jsonl"
    if Path(name).name != name or not name.endswith(".jsonl") or name.startswith("."):
        raise LibraryError(f"file name {name!r} must be a plain *.jsonl name inside {path}")
    return path / name


def plan_append(
    library: Path | str,
    pattern: Pattern,
    *,
    file_name: str | None = None,
    version: str | None = None,
) -> AppendPlan:
    """Plan adding ``pattern`` to the library at ``library`` (a directory or one ``.jsonl`` file).

    In a directory the pattern goes to ``file_name`` or ``<category>.jsonl`` (created if missing),
    the shipped library's layout. A library with problems, a duplicate id or a duplicate text
    (compared by ``text_key``) is a ``LibraryError``. ``version`` sets ``library.json``'s version
    (directories only; it must differ from the current one). Reads only. O(library size).
    """
    path = Path(library)
    before = load_library(path)
    # Text first: a generated id repeats exactly when the text does, and the text is the news.
    key = text_key(pattern.text)
    for existing in before:
        if text_key(existing.text) == key:
            raise LibraryError(f"the same text is already in {path} as pattern {existing.id}")
    for existing in before:
        if existing.id == pattern.id:
            raise LibraryError(f"pattern id {pattern.id} is already in {path}")
    target = _target_file(path, pattern.category, file_name)
    meta = _read_meta(path) if path.is_dir() else {}
    meta_path: Path | None = None
    original_meta: str | None = None
    new_meta: str | None = None
    if version is not None:
        version = version.strip()
        if not path.is_dir():
            raise LibraryError(f"{path} is a single-file library with no {LIBRARY_META} to hold a version")
        if not version or any(ch.isspace() for ch in version):
            raise LibraryError(f"invalid library version {version!r}")
        if version == str(meta.get("version") or ""):
            raise LibraryError(f"{path} is already version {version}; give a new one")
        meta_path = path / LIBRARY_META
        original_meta = meta_path.read_text(encoding="utf-8") if meta_path.is_file() else None
        new_meta = json.dumps({"name": before.name, **meta, "version": version}, indent=2, ensure_ascii=False) + "\n"
    # Order the new library exactly as load_library will read it back: files sorted, lines in order.
    files = sorted({*_library_files(path), target})
    ordered: list[Pattern] = []
    for file in files:
        if file.exists():
            ordered.extend(_read_lines([file], []))
        if file == target:
            ordered.append(pattern)
    original_text = target.read_text(encoding="utf-8") if target.exists() else None
    prefix = original_text or ""
    if prefix and not prefix.endswith("\n"):
        prefix += "\n"
    new_text = prefix + json.dumps(pattern.to_json(), ensure_ascii=False) + "\n"
    new_version = version or str(meta.get("version") or f"sha256:{_checksum(ordered)[:12]}")
    after = PatternLibrary(name=before.name, version=new_version, patterns=tuple(ordered))
    return AppendPlan(path, target, pattern, before, after, original_text, new_text, meta_path, original_meta, new_meta)


def append_pattern(
    library: Path | str,
    pattern: Pattern,
    *,
    file_name: str | None = None,
    version: str | None = None,
) -> AppendPlan:
    """Add ``pattern`` to a library file atomically (see ``plan_append``); returns the applied plan."""
    plan = plan_append(library, pattern, file_name=file_name, version=version)
    plan.write()
    return plan


@dataclass(frozen=True)
class LoggedSegment:
    """The matched segment of one request, as the middleware logged it with ``log_prompts=True``."""

    request_id: str
    text: str
    category: str | None
    line: int


_SHOWN_LINES = 5


def logged_segment(log: Path | str, request_id: str) -> LoggedSegment:
    """The matched segment of the one decision record of ``log`` whose ``request_id`` is ``request_id``.

    Only the ``request_id`` field is compared: the middleware generates it, so it names one
    request. ``caller_request_id`` (what a client sent as X-Request-ID) is never used, since any
    client can send any id, many times. Records with another ``message`` are the application's
    own lines carrying the request's fields, not decisions; a bare object without ``message``
    counts as a decision. ``InputError`` if no record or more than one matches, or if it holds
    no segment text. One pass, O(log size); only lines containing the id are parsed.
    """
    log = Path(log)
    matches: list[int] = []
    first: dict[str, Any] = {}
    # Skip lines that cannot hold the id without parsing them (only if JSON writes the id as is).
    needle = request_id if json.dumps(request_id)[1:-1] == request_id else ""
    for number, line in iter_lines(log):
        if needle not in line:
            continue
        data, error = parse_json_line(line)
        if error is not None:
            continue  # not a JSON line: another logger's output
        # A decision log line (live or ``replay -o``), or a bare record.
        if not isinstance(data, dict) or data.get("message", DECISION_MESSAGE) != DECISION_MESSAGE:
            continue
        fields = data.get(LOGGER_NAME, data)
        if not isinstance(fields, dict) or fields.get("request_id") != request_id:
            continue
        if not matches:
            first = fields
        matches.append(number)
    if not matches:
        raise InputError(f"{log}: no decision record with request_id '{request_id}'")
    if len(matches) > 1:
        lines = ", ".join(str(n) for n in matches[:_SHOWN_LINES]) + (", …" if len(matches) > _SHOWN_LINES else "")
        raise InputError(
            f"{log}: {len(matches)} decision records have request_id '{request_id}' (lines {lines}); "
            "refusing to guess which one to take"
        )
    segment = first.get("segment")
    text = segment.get("text") if isinstance(segment, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            f"{log}:{matches[0]}: the record of request '{request_id}' holds no segment text "
            "(the middleware logs it only for flagged requests, and only with log_prompts=True)"
        )
    category = first.get("category")
    return LoggedSegment(request_id, text, category if isinstance(category, str) else None, matches[0])


@dataclass(frozen=True)
class PatternChange:
    """One pattern id present in both libraries with different content."""

    old: Pattern
    new: Pattern

    @property
    def fields(self) -> tuple[str, ...]:
        old, new = self.old.to_json(), self.new.to_json()
        return tuple(name for name in _DIFF_FIELDS if old[name] != new[name])

    def to_json(self) -> dict[str, Any]:
        old, new = self.old.to_json(), self.new.to_json()
        return {"id": self.new.id, "changes": {name: {"old": old[name], "new": new[name]} for name in self.fields}}


@dataclass(frozen=True)
class LibraryDiff:
    """What changed between two libraries, by pattern id."""

    old_version: str
    new_version: str
    added: tuple[Pattern, ...] = ()
    removed: tuple[Pattern, ...] = ()
    changed: tuple[PatternChange, ...] = ()

    @property
    def version_changed(self) -> bool:
        return self.old_version != self.new_version

    @property
    def patterns_changed(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def is_empty(self) -> bool:
        """True if neither a pattern nor the version differs."""
        return not self.patterns_changed and not self.version_changed

    def to_json(self) -> dict[str, Any]:
        return {
            "identical": self.is_empty,
            "version": {"old": self.old_version, "new": self.new_version, "changed": self.version_changed},
            "added": [p.to_json() for p in self.added],
            "removed": [p.to_json() for p in self.removed],
            "changed": [c.to_json() for c in self.changed],
        }


def diff_libraries(old: PatternLibrary, new: PatternLibrary) -> LibraryDiff:
    """Patterns added, removed and changed (same id, other content) from ``old`` to ``new``. O(n)."""
    old_by_id = {p.id: p for p in old}
    new_by_id = {p.id: p for p in new}
    return LibraryDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(p for p in new if p.id not in old_by_id),
        removed=tuple(p for p in old if p.id not in new_by_id),
        changed=tuple(PatternChange(old_by_id[p.id], p) for p in new if p.id in old_by_id and old_by_id[p.id] != p),
    )
