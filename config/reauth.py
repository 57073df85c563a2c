"""A recent second factor, for the few changes that deserve one.

Sign-in with two factors proves who sat at the keyboard this morning; a
connector change (which names the secrets the worker sends and where it sends
them) asks for the code again if the last one is older than
DSAR_RECENT_2FA_MINUTES. The workspace's two-factor page records the moment
(``mark``); dsar's admin and the workspace ask ``is_recent``. It lives in
config because both dsar and requests_app use it and dsar never imports
requests_app.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "second_factor_at"


def mark(request) -> None:
    request.session[SESSION_KEY] = int(time.time())


def required_for(user) -> bool:
    """Asked when two factors are required (always in production), or when
    the person has set one up; a development desk without 2FA is not locked."""
    if settings.DSAR_REQUIRE_2FA:
        return True
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


def is_recent(request) -> bool:
    if not required_for(request.user):
        return True
    at = request.session.get(SESSION_KEY)
    return bool(at) and time.time() - int(at) <= settings.DSAR_RECENT_2FA_MINUTES * 60


def confirm_url(next_url: str) -> str:
    return reverse("workspace:two_factor") + "?" + urlencode({"again": "1", "next": next_url})
