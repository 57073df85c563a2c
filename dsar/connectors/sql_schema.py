"""The reflected schema of each SQL source, kept per process (issue 17).

Reflecting a table (its columns and types) and the foreign keys of the whole
database was about 80% of a SQL source's time on every find. Both depend on
the source's database and on its configuration (which tables, which
relations), not on the subject, so a process keeps them per source:

- the key holds the source's id and a digest of its configuration, so a
  saved configuration change (another URL, table or relation) is reflected
  afresh at the next find, in every process;
- an entry is dropped after ``MAX_AGE`` seconds, and at once when a find on
  it fails with a database error, so a schema changed in the source database
  itself (a column added or dropped) is picked up without a restart.

Reflection runs under a lock: the threads of one worker may share an entry.

The engine of each source is kept too, with a small pool: a fresh engine and
connection per find (``NullPool``) cost a connection set-up (a new server
process on PostgreSQL) and the dialect's own first queries every time, more
than the search of a subject with a few records (issue 17). Pooled
connections are checked before reuse (``pool_pre_ping``) and replaced after
``RECYCLE`` seconds; the engine goes with the schema when a find fails or the
source's configuration changes, and a forked process (a prefork worker's
child) never uses its parent's connections.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, MetaData

RECYCLE = 600

MAX_AGE = 600.0


@dataclass
class Schema:
    created: float
    metadata: MetaData = field(default_factory=MetaData)
    # Parent table -> (child table, child columns, parent columns); None until computed.
    children: dict | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)


_schemas: dict[tuple, Schema] = {}
_guard = threading.Lock()


def _key(source_id: tuple, config: dict) -> tuple:
    digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()
    return (source_id, digest)


def schema_for(source_id: tuple, config: dict) -> Schema:
    """``source_id`` is (the source's pk, its database URL without password).
    The cached schema of this source as configured now (a fresh one when
    the configuration changed or the entry is older than ``MAX_AGE``)."""
    key = _key(source_id, config)
    now = time.monotonic()
    with _guard:
        schema = _schemas.get(key)
        if schema is None or now - schema.created > MAX_AGE:
            # Entries of this source under an older configuration go too.
            for stale in [k for k in _schemas if k[0] == source_id and k != key]:
                del _schemas[stale]
            schema = _schemas[key] = Schema(created=now)
        return schema


def forget_source(pk) -> None:
    """Drop what is kept of this source (whatever its URL): its next find
    reflects again, on new connections."""
    with _guard:
        for stale in [k for k in _schemas if k[0][0] == pk]:
            del _schemas[stale]
        for stale in [k for k in _engines if k[0] == pk]:
            _engines.pop(stale).dispose()


_engines: dict[tuple, Engine] = {}


def engine_for(pk, settings: str, make: Callable[[], Engine]) -> Engine:
    """The kept engine of source ``pk`` for these connection ``settings`` (its
    URL with the password, timeouts), made by ``make()`` the first time. The
    key holds a digest of them, never the password itself."""
    key = (pk, hashlib.sha256(settings.encode()).hexdigest())
    with _guard:
        engine = _engines.get(key)
        if engine is None:
            for stale in [k for k in _engines if k[0] == pk]:
                _engines.pop(stale).dispose()
            engine = _engines[key] = make()
        return engine


def dispose_engines() -> None:
    """Close every kept source connection (tests, before a source database goes)."""
    with _guard:
        while _engines:
            _engines.popitem()[1].dispose()


def _after_fork() -> None:
    # The parent's pooled connections are its own: the child leaves their
    # sockets alone (close=False) and opens its own.
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()


os.register_at_fork(after_in_child=_after_fork)
