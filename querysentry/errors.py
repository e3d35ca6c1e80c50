"""Exceptions raised by QuerySentry.

QuerySentryError
├── ModelError              the encoder files are missing, corrupt or unusable
├── LibraryError            a pattern library is malformed (names file:line)
├── PatternIndexError       an index directory is missing, corrupt or incompatible
│   └── IncompatibleIndexError   built with another encoder or format
├── InputError              a request or input file cannot be read (names file:line)
└── ScanTimeoutError        a check ran past its deadline (also a TimeoutError)
"""

from __future__ import annotations


class QuerySentryError(Exception):
    """Base class of every error QuerySentry raises on purpose."""


class ModelError(QuerySentryError):
    """The encoder files are missing, corrupt or cannot be loaded."""


class LibraryError(QuerySentryError):
    """A pattern library file is malformed; the message names ``file:line``."""


class PatternIndexError(QuerySentryError):
    """An index directory is missing, corrupt or inconsistent."""


class IncompatibleIndexError(PatternIndexError):
    """An index was built with another encoder (or an unknown format version)."""


class InputError(QuerySentryError):
    """Input to check cannot be read; the message names ``file:line`` where it can."""


class UnsupportedPayloadError(InputError):
    """A request body is not a supported API shape (or not UTF-8 / JSON).

    The middleware passes such requests through unscanned and tagged rather than failing them.
    """


class ContentTooLargeError(InputError):
    """A request body decodes (inflates) to more bytes than the configured limit.

    Not an ``UnsupportedPayloadError``: the middleware treats it as oversize, not as unreadable.
    """


class ScanTimeoutError(QuerySentryError, TimeoutError):
    """A check passed its ``deadline`` and stopped between two steps instead of running on.

    Also a ``TimeoutError``, so code that already treats a timed-out scan as such (the
    middleware's ``except TimeoutError`` around ``anyio.fail_after``) handles it unchanged.
    """
