"""Writes of single sign-on: roles from the provider's groups, the session's
tokens (encrypted), and the audit rows."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from dsar.core.crypto import decrypt_str, encrypt_str
from requests_app.accounts import roles
from requests_app.accounts.sso.models import SsoEvent

log = logging.getLogger(__name__)

# The session's record of an SSO sign-in: the provider's tokens (encrypted
# with DSAR_ENCRYPTION_KEYS: sessions live in the database, and a token there
# in clear would let whoever reads it ask the provider as the person), the
# roles last granted and when the provider was last asked.
SESSION_KEY = "sso"


def record(kind: str, *, user: Any = None, username: str = "", detail: str = "") -> None:
    """An audit row, and a log line a DPO can find (ids and role names only)."""
    name = username or (user.get_username() if user is not None else "")
    SsoEvent.objects.create(kind=kind, user=user, username=name[:150], detail=detail[:255])
    log.info("SSO %s: user %s %s", kind, getattr(user, "pk", None), detail)


def describe(role_names: set[str]) -> str:
    return ", ".join(sorted(role_names)) or "-"


def apply_roles(user: Any, granted: set[str]) -> set[str]:
    """Make the person's role groups exactly ``granted``; return the roles they had.

    Only the desk's role groups are touched: other groups a DPO gave by hand
    in the admin stay. Emptying them matters beyond the session: the person's
    API tokens stop working too (``permissions.IsStaffMember``)."""
    with transaction.atomic():
        current = set(user.groups.filter(name__in=roles.ROLE_NAMES).values_list("name", flat=True))
        if current != granted:
            user.groups.remove(*Group.objects.filter(name__in=current - granted))
            user.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in granted - current])
        # The admin (register, connectors, the audit rows below) opens to the
        # roles that have rights there: a DPO changes, an auditor reads.
        is_staff = bool(granted & {roles.DPO, roles.AUDITOR})
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    # roles.py caches the names on the user object for one request.
    if hasattr(user, "_dsar_groups"):
        del user._dsar_groups
    return current


def remember_tokens(session: Any, *, tokens: dict[str, Any], granted: set[str]) -> None:
    previous = session.get(SESSION_KEY) or {}
    refresh_token = tokens.get("refresh_token") or ""
    session[SESSION_KEY] = {
        "access": encrypt_str(tokens["access_token"]),
        # A provider need not give a new refresh token with each refresh (RFC 6749 §6).
        "refresh": encrypt_str(refresh_token) if refresh_token else previous.get("refresh", ""),
        "roles": sorted(granted),
        "checked_at": int(time.time()),
    }


def session_tokens(session: Any) -> tuple[str, str]:
    data = session.get(SESSION_KEY) or {}
    access = decrypt_str(data["access"]) if data.get("access") else ""
    refresh_token = decrypt_str(data["refresh"]) if data.get("refresh") else ""
    return access, refresh_token


def is_sso_session(session: Any) -> bool:
    return bool(session.get(SESSION_KEY))
