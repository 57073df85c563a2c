"""Secrets in a configuration file: found, refused and redacted.

A connector names the environment variable that holds a secret, never the
secret itself; a file that holds one is refused with the advice to name a
variable instead, and anything written back (``dump_yaml``, the API) shows
secrets as ``***``.
"""

from __future__ import annotations

import re

# Configuration keys whose value would be a secret itself (a password, a token,
# an Authorization or Cookie header) rather than the name of the environment
# variable holding it (``password_env``, ``secret_headers: {X: {env: NAME}}``).
SECRET_WORDS = (
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "authorization",
    "credential",
    "cookie",
)
# A secret inside a text: credentials in a URL (scheme://user:password@host),
# or a secret passed as a query parameter (?api_key=..., &token=...). An
# identity placeholder ({email}) is not a secret.
SECRET_IN_TEXT = re.compile(
    r"://[^/@\s:]+:[^/@\s]+@"
    r"|[?&][\w.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|signature)=(?!\{)[^&\s#]+",
    re.IGNORECASE,
)
REDACTED = "***"


def _looks_like_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS) and not lowered.endswith("_env") and lowered != "env"


def _names_variables(path: tuple) -> bool:
    """Under ``secret_headers`` every value names an environment variable."""
    return "secret_headers" in path


def secret_paths(value, path=()):
    """Paths of configuration values that hold a secret in clear: a value under
    a key that names a secret, or a text with credentials in a URL or a secret
    query parameter. The admin, the API and the YAML loader all refuse them."""
    if isinstance(value, dict):
        for key, item in value.items():
            if (
                isinstance(key, str)
                and _looks_like_secret(key)
                and isinstance(item, str | int)
                and item != ""
                and not _names_variables(path)
            ):
                yield (*path, key)
            else:
                yield from secret_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from secret_paths(item, (*path, index))
    elif isinstance(value, str) and SECRET_IN_TEXT.search(value):
        yield path


def secret_advice(path: tuple) -> str:
    """What to do instead of writing the secret at ``path`` (never the secret itself)."""
    last = path[-1] if path else ""
    if len(path) >= 2 and path[-2] == "headers":
        return "this header carries a secret: move it to secret_headers with an environment variable."
    if isinstance(last, str) and _looks_like_secret(last):
        return f"secrets are never stored; name an environment variable instead (e.g. {last}_env: DSAR_SOURCE_MY_VARIABLE)."
    return (
        "this text carries a secret (a password in a URL or a key in a query string); secrets are never stored: "
        "name an environment variable instead (password_env, or secret_headers for an HTTP API)."
    )


def _redact_text(text: str) -> str:
    def hide(match: re.Match) -> str:
        found = match.group(0)
        if found.startswith("://"):
            return found[: found.index(":", 3) + 1] + REDACTED + "@"
        return found[: found.index("=") + 1] + REDACTED

    return SECRET_IN_TEXT.sub(hide, text)


def redacted(value, path=()):
    """A copy of a configuration with every secret that ``secret_paths``
    finds replaced by ``***``: what is shown or dumped never carries one,
    even from a row written before the checks existed or past them."""
    if isinstance(value, dict):
        return {
            key: REDACTED
            if isinstance(key, str)
            and _looks_like_secret(key)
            and isinstance(item, str | int)
            and item != ""
            and not _names_variables(path)
            else redacted(item, (*path, key))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redacted(item, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, str):
        return _redact_text(value)
    return value
