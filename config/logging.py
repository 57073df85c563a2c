"""A logging filter that masks secrets and national numbers before any handler writes.

It is installed on Django's console handler (settings.LOGGING), on the Celery
worker's handlers (config.celery_app) and on gunicorn's own loggers
(config.wsgi), so the web, worker and access logs all go through it.
"""

import logging
import re

_KEYS = r"password|passwd|secret|token|api[_-]?key|apikey|authorization|cookie|credentials?"
_PATTERNS = [
    # An Authorization header or field with its scheme: "Authorization: Basic abc".
    (
        re.compile(r"(?i)(authorization[\"']?\s*[=:]\s*[\"']?)(?:(?:basic|bearer|token|digest)\s+)?[^\s\"',;}]+"),
        r"\1***",
    ),
    # Bearer tokens, API keys and passwords in URLs, headers, dicts and JSON
    # ("password=x", "token: x", {'password': 'x'}, {"api_key": "x"}).
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
    (re.compile(rf"(?i)((?:{_KEYS})[\"']?\s*[=:]\s*[\"']?)(?!\*\*\*)[^\s\"',;&}}]+"), r"\1***"),
    (re.compile(r"(?i)(\w+://[^:/\s]+:)[^@\s]+@"), r"\1***@"),
    # Our own secrets by their prefixes: API tokens, webhook signing secrets.
    (re.compile(r"\b(dsar_|whsec_)[A-Za-z0-9_-]{16,}"), r"\1***"),
    # Links that are secrets themselves (a request's status page, its
    # confirmation, a download, a recipient's acknowledgement, a forwarded
    # request's page for the other controller), as they appear
    # in access logs and in Django's "Not Found: /download/..." warnings.
    (re.compile(r"(/(?:download|status|verify|ack|forwarded)/)[^/\s?\"']+"), r"\1***"),
    # Belgian national numbers (INSZ/NISS), with or without separators.
    (re.compile(r"\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}\b"), "**.**.**-***.**"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # A traceback repeats the exception's message (a driver error with its
        # URL, a header in an httpx error): the formatter uses exc_text when it
        # is set, so it gets the redacted one.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# Housekeeping that beat sends every few seconds (the inbox's drop folder: every
# 15 s). Celery's "Sending due task", "received" and "succeeded" lines for it
# would bury everything else in the log of `make run`; the task logs itself
# when it does something (requests_app.inbox.drop). Warnings and errors pass.
QUIET_TASKS = ("import-dropped-emails", "requests_app.inbox.tasks.import_dropped_files")
# The loggers of those routine lines: beat's scheduler, the worker's receipt, the task's outcome.
CELERY_ROUTINE_LOGGERS = ("celery.beat", "celery.worker.strategy", "celery.app.trace")


class QuietHousekeepingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        return not any(name in message for name in QUIET_TASKS)


def quiet_housekeeping() -> None:
    for name in CELERY_ROUTINE_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietHousekeepingFilter) for f in logger.filters):
            logger.addFilter(QuietHousekeepingFilter())


def install(*logger_names: str) -> None:
    """Redact what these loggers emit, whatever handlers others gave them
    (gunicorn's access log is configured by gunicorn, not by Django)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
            logger.addFilter(RedactSecretsFilter())
