"""Which environment variables a connector may read its secrets from.

A connector's configuration names environment variables (``password_env``,
``secret_headers: {X: {env: NAME}}``, ``token_env``) and the worker reads
them when it connects. Without a rule, whoever may edit a connector (a DPO,
or a stolen DPO token) could name the desk's own secrets (``SECRET_KEY``,
``DATABASE_URL``, ``DSAR_ENCRYPTION_KEYS``, ``DSAR_AUDIT_KEY``) and have them
sent to a server of their choice by "testing the connection". So a connector
may only name variables under ``DSAR_SOURCE_`` (settings.DSAR_SOURCE_ENV_PREFIX),
which the operator sets for sources and nothing else.
"""

from __future__ import annotations

import os
import re

from django.conf import settings
from django.utils.translation import gettext_noop

from dsar.connectors.base import ConnectorError, Message

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def prefix() -> str:
    return settings.DSAR_SOURCE_ENV_PREFIX


def env_name_problem(name) -> str | None:
    """Why ``name`` may not be named by a connector (plain English), or None."""
    if not isinstance(name, str) or not _NAME.match(name):
        return "Name the environment variable holding the secret in capitals (env: DSAR_SOURCE_NAME)."
    if not name.startswith(prefix()) or name == prefix():
        return (
            f"A connector may only read environment variables whose names start with {prefix()} "
            f"(e.g. {prefix()}{name.removeprefix('DSAR_')}): the desk's own secrets stay home."
        )
    return None


def secret_env_names(config: dict) -> list[tuple[str, object]]:
    """Every environment variable a configuration names, as (path, name)."""
    found: list[tuple[str, object]] = []
    for key, value in (config or {}).items():
        if isinstance(key, str) and key.endswith("_env"):
            found.append((key, value))
    for header, value in ((config or {}).get("secret_headers") or {}).items():
        env = value.get("env") if isinstance(value, dict) else value
        found.append((f"secret_headers.{header}", env))
    execution = (config or {}).get("execution")
    if isinstance(execution, dict):
        found += [(f"execution.{path}", name) for path, name in secret_env_names(execution)]
    return found


def env_problems(config: dict) -> list[tuple[str, str]]:
    return [(path, problem) for path, name in secret_env_names(config) if (problem := env_name_problem(name))]


def read_secret(name: str) -> str:
    """The value of a source's secret at the moment of use; never another variable."""
    problem = env_name_problem(name)
    if problem:
        # A row saved before the rule (or written past the checks) is refused here too.
        raise ConnectorError(
            Message(
                gettext_noop(
                    "The environment variable %(variable)s may not be read by a connector: "
                    "name one that starts with %(prefix)s."
                ),
                variable=str(name),
                prefix=prefix(),
            )
        )
    return os.environ.get(name, "")
