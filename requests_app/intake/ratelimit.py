"""Cache-backed rate limits, shared by every web and API process.

Fixed windows counted in the default cache (Redis in production, a file cache
on embedded defaults), so a limit holds across processes and restarts. The
counted value (an IP address, an e-mail address) is hashed before it becomes
a cache key: the cache never holds personal data in plain text.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"5/h"``, ``"20/d"``, ``"3/10m"`` (count per window)."""
        match = _RATE.match(text)
        if not match:
            raise ValueError(f"Invalid rate {text!r}: expected e.g. '5/h', '20/d' or '3/10m'.")
        count, multiple, unit = match.groups()
        return cls(int(count), int(multiple or 1) * _UNITS[unit])


def _key(scope: str, value: str, rate: Rate, window_index: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{rate.limit}/{rate.window}:{digest}:{window_index}"


def hit(scope: str, value: str, rates: list[str]) -> int:
    """Count one attempt against every rate; return 0 when allowed, else the
    seconds until the most restrictive exceeded window ends.

    The counter is incremented before the comparison (``incr`` is atomic in
    Redis), so two concurrent attempts cannot both take the last slot.

    Fails open: when the cache is unreachable (Redis down, a full disk) the
    attempt is allowed and the outage logged. A subject's request must be
    received whatever happens to the cache (Art. 12(2): the controller
    facilitates the exercise of rights); the limits only slow abuse down.
    """
    return hit_all([(scope, value, rates)])


def hit_all(checks: list[tuple[str, str, list[str]]], *, what: str = "") -> int:
    """``hit`` for several (scope, value, rates) at once: one round trip to
    Redis for all of them (issue 17: the intake made one per add and incr).
    ``what`` names the limits in the warning when the cache is down."""
    return _hit(checks, what=what)[0]


def hit_and_read(checks: list[tuple[str, str, list[str]]], key: str, default, *, what: str = "") -> tuple[int, object]:
    """``hit_all``, and the cache's value of ``key`` (``default`` when it has
    none) read in the same round trip; the value is None when the cache is
    unavailable (the limits then fail open)."""
    retry_after, values = _hit(checks, what=what, reads=[(key, default)])
    return retry_after, values[0]


@dataclass(frozen=True)
class Counted:
    """Limits counted ahead of a submission's validation, in the round trip
    of another check (the API's flood guard): the submission uses the
    outcome if it is the one counted, and gives the counts back if it is
    refused before it counts (an invalid submission uses up no limit)."""

    values: tuple[str, ...]  # the values counted, as the checks named them
    retry_after: int
    keys: tuple[str, ...] = ()  # the counters to give back
    read: object = None  # a value the submission needs, read in the same round trip

    def give_back(self) -> None:
        give_back(self.keys)


def count_ahead(
    checks: list[tuple[str, str, list[str]]],
    ahead: list[tuple[str, str, list[str]]],
    reads: list[tuple[str, object]],
    *,
    what: str = "",
) -> tuple[int, Counted, list]:
    """``checks`` counted now, ``ahead`` counted for later (``Counted``), and
    the cache's values of ``reads``: one round trip for all. The values are
    None when the cache is unavailable (every limit then fails open)."""
    now = time.time()
    mine = _counters(checks, now)
    counters = mine + _counters(ahead, now)
    try:
        counts, values = _count(counters, reads)
    except Exception as exc:
        what = what or "Rate limit " + ", ".join(scope for scope, _value, _rates in checks + ahead)
        log.warning("%s not checked: the cache is unavailable (%s).", what, type(exc).__name__)
        return 0, Counted(tuple(value for _s, value, _r in ahead), 0), [None] * len(reads)
    split = len(mine)
    counted = Counted(
        values=tuple(value for _scope, value, _rates in ahead),
        retry_after=_retry_after(counters[split:], counts[split:], now),
        keys=tuple(key for key, _rate, _index in counters[split:]),
    )
    return _retry_after(mine, counts[:split], now), counted, values


def give_back(keys) -> None:
    """Take one attempt back from each counter (counted for a submission
    that was refused before it counted). Best effort: at worst a count
    stays until its window ends."""
    if not keys:
        return
    backend = caches[DEFAULT_CACHE_ALIAS]
    try:
        if isinstance(backend, RedisCache):
            pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
            for key in keys:
                pipe.decr(backend.make_and_validate_key(key))
            pipe.execute()
        else:
            for key in keys:
                backend.decr(key)
    except Exception as exc:  # an expired key (ValueError), the cache down
        log.info("Rate limit counts not given back (%s).", type(exc).__name__)


def _counters(checks, now: float) -> list[tuple[str, Rate, int]]:
    counters = []
    for scope, value, rates in checks:
        for text in rates:
            rate = Rate.parse(text)
            window_index = int(now // rate.window)
            counters.append((_key(scope, value.lower(), rate, window_index), rate, window_index))
    return counters


def _retry_after(counters, counts, now: float) -> int:
    retry_after = 0
    for (_, rate, window_index), count in zip(counters, counts, strict=True):
        if count > rate.limit:
            retry_after = max(retry_after, int((window_index + 1) * rate.window - now) + 1)
    return retry_after


def _hit(checks, *, what: str, reads: list[tuple[str, object]] = ()) -> tuple[int, list]:
    retry_after, _nothing_ahead, values = count_ahead(checks, [], list(reads), what=what)
    return retry_after, values


def _count(counters: list[tuple[str, Rate, int]], reads) -> tuple[list[int], list]:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return _count_in_redis(backend, counters, reads)
    values = [backend.get(key, default) for key, default in reads]
    counts = []
    for key, rate, _window_index in counters:
        backend.add(key, 0, timeout=rate.window + 1)
        try:
            counts.append(backend.incr(key))
        except ValueError:
            # The key expired between add and incr: this is the first hit of a new window.
            backend.set(key, 1, timeout=rate.window + 1)
            counts.append(1)
    return counts, values


def _count_in_redis(backend: RedisCache, counters: list[tuple[str, Rate, int]], reads) -> tuple[list[int], list]:
    """SET NX with the window's expiry, then INCR, for every counter, in one
    pipeline (no MULTI needed: INCR is atomic on its own), and a GET for each
    read. Django's Redis serializer stores integers as plain Redis integers,
    so ``cache.get`` reads these counters as the add/incr path wrote them."""
    pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
    for key, rate, _index in counters:
        key = backend.make_and_validate_key(key)
        pipe.set(key, 0, ex=rate.window + 1, nx=True)
        pipe.incr(key)
    for key, _default in reads:
        pipe.get(backend.make_and_validate_key(key))
    results = pipe.execute()
    raw_values = results[len(results) - len(reads) :] if reads else []
    values = [
        default if raw is None else backend._cache._serializer.loads(raw)
        for raw, (_key, default) in zip(raw_values, reads, strict=True)
    ]
    return [int(count) for count in results[1 : 2 * len(counters) : 2]], values
