"""A logging filter that masks secrets and national numbers before any handler writes."""

import logging
import re

_PATTERNS = [
    # Bearer tokens, API keys and passwords in URLs or headers.
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
    (re.compile(r"(?i)((?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*)\S+"), r"\1***"),
    (re.compile(r"(?i)(\w+://[^:/\s]+:)[^@\s]+@"), r"\1***@"),
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
        return True
