"""gunicorn's settings for every deployment (Dockerfile, docker-compose, CI):
``gunicorn config.wsgi:application --config config/gunicorn.conf.py``.

The access log is where URLs end up in full, so it is written without query
strings (``?q=<e-mail>`` in a workspace search is personal data, Art. 5(1)(c)
and 32 GDPR) and with every secret link masked (/verify/, /status/,
/download/, /forwarded/, /ack/: whoever holds the link holds the request).
"""

import gc

from gunicorn.glogging import Logger, SafeAtoms

from config.logging import redact

accesslog = "-"
# The request line without its query string (%(U)s is the path alone).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'


def _without_query(value: str) -> str:
    return value.split("?", 1)[0]


def _cleaned(key: str, value):
    if not isinstance(value, str):
        return value
    lowered = key.lower()
    if key == "q" or "query_string" in lowered:
        return ""
    if key in ("r", "f") or any(word in lowered for word in ("uri", "url", "referer", "path")):
        # The request line, the referrer and every header or environ value
        # that holds a URL ({http_referer}e, {raw_uri}e...).
        value = _without_query(value)
    return redact(value)


class RedactedAtoms(SafeAtoms):
    """The atoms as the format reads them, each cleaned when it is read:
    a format uses a dozen of the fifty atoms (every header and environ
    value), and cleaning them all cost a third of a millisecond on every
    request (issue 17)."""

    def __getitem__(self, key):
        return _cleaned(key, super().__getitem__(key))


class RedactingLogger(Logger):
    """Whatever format an operator sets, no atom carries a query or a secret link."""

    atoms_wrapper_class = RedactedAtoms


logger_class = RedactingLogger


def post_worker_init(worker):
    """Once the worker has loaded the application, take its long-lived
    objects (Django, the apps, the URL and template caches) out of the cyclic
    garbage collector's walks, which otherwise scan them all at every full
    collection during requests (issue 17)."""
    gc.freeze()
