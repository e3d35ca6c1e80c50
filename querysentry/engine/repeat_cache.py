"""Per-client answers for byte-identical repeats, looked up on the event loop."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["RepeatCache"]

T = TypeVar("T")


class RepeatCache(Generic[T]):
    """Keyed by the client and a BLAKE2b digest of the request (path, content type and encoding,
    body): hashing is one linear C pass, no parsing, so a retry or a resent request skips the
    worker thread. Keyed per client on purpose: a cache shared across clients answers a text
    someone else sent faster than a new one, which lets anyone test whether a given system prompt
    or template passed through. Bounded in entries (LRU); entries of another index version are
    never served.
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[bytes, tuple[str, T]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(client: str, path: str, content_type: str, encoding: str, body: bytes) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for part in (client, path, content_type, encoding):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(body)
        return digest.digest()

    def get(self, key: bytes, version: str) -> T | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != version:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: bytes, version: str, value: T) -> None:
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
