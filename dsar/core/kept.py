"""A value read from the database and kept per process, fresh as of the last
committed change anywhere (issue 17).

What the intake form offers, the register behind every copy's Art. 15
information and the webhook subscriptions change only when somebody edits
the configuration, but reading them was a good part of a submission's or a
copy's time. Each process keeps its copy with a version: a value in the
shared cache that every change bumps once it commits (``changed``, connected
to the models' signals). One cache read instead of the queries, and a change
made in any process is seen by the next read in every other. A change that
bypasses the signals (a bulk ``update()``, SQL by hand) is seen within
``max_age`` seconds. When the cache is unreachable the database is read, as
without a cache.

A value read in a transaction that itself changed what it holds is not kept:
a rollback would undo it. Any other transaction reads only what others
committed, so what it reads is kept.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

log = logging.getLogger(__name__)

T = TypeVar("T")

# ``get``'s version when the caller has not read it.
UNREAD = object()


class KeptPerProcess(Generic[T]):
    # Every one made, so that a flushed cache can be followed by ``forget_all``.
    _made: weakref.WeakSet[KeptPerProcess] = weakref.WeakSet()

    def __init__(
        self, version_key: str, read: Callable[[], T], *, what: str, max_age: float, new_version_when_missing=False
    ):
        """``what`` names it in the warnings. ``new_version_when_missing``: a
        cache without the key gets a new version, so that a flushed cache does
        not leave a process with what it kept before (otherwise an absent key
        reads as version 0, as a caller that read it with other keys does)."""
        self.version_key = version_key
        self._read = read
        self.what = what
        self.max_age = max_age
        self.new_version_when_missing = new_version_when_missing
        # (version, when it was read, the value)
        self._kept: tuple[object, float, T] | None = None
        KeptPerProcess._made.add(self)

    def version(self):
        """The version in the shared cache; None when the cache is unavailable."""
        try:
            if not self.new_version_when_missing:
                return cache.get(self.version_key, 0)
            version = cache.get(self.version_key)
            if version is None:
                cache.add(self.version_key, time.time_ns(), timeout=None)
                version = cache.get(self.version_key)
            return version
        except Exception as exc:
            log.warning("%s version not read: the cache is unavailable (%s).", self.what, type(exc).__name__)
            return None

    def get(self, *, version=UNREAD) -> T:
        """The value as of the last committed change. ``version``: the cache's
        value of the key when the caller read it already, in a round trip of its
        own (None when the cache was unavailable then)."""
        if version is UNREAD:
            version = self.version()
        kept = self._kept
        if (
            version is not None
            and kept is not None
            and kept[0] == version
            and time.monotonic() - kept[1] <= self.max_age
        ):
            return kept[2]
        read_at = time.monotonic()
        value = self._read()
        if version is not None and not self._changed_in_this_transaction():
            self._kept = (version, read_at, value)
        return value

    def forget(self) -> None:
        """This process reads the value again at its next ``get``."""
        self._kept = None

    @classmethod
    def forget_all(cls) -> None:
        """Every value kept in this process is read again at its next ``get``.

        For whoever empties the shared cache and the tables behind its values
        together (the test suite between tests): the versions start again from
        nothing, so a value kept under the same version before would pass for
        fresh. A flush that bypasses the models' signals bumps no version."""
        for kept in list(cls._made):
            kept.forget()

    def changed(self, **kwargs) -> None:
        """A signal's receiver: this process reads again at once; every process,
        once the change is committed."""
        self._kept = None
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        self._kept = None
        try:
            cache.set(self.version_key, time.time_ns(), timeout=None)
        except Exception as exc:
            log.warning("%s version not bumped: the cache is unavailable (%s).", self.what, type(exc).__name__)

    def _changed_in_this_transaction(self) -> bool:
        """Whether the open transaction changed what this holds: its ``_bump``
        waits for the commit (Django drops it on a rollback)."""
        return connection.in_atomic_block and any(entry[1] == self._bump for entry in connection.run_on_commit)
