"""Every request of a single-sign-on session asks the identity provider again.

A person removed from the provider's group must not keep the desk open for
the rest of an eight-hour session (Art. 32(1)(b): ongoing confidentiality;
Art. 29: only those the controller instructs process the data). So, before
any view runs, a request whose session was opened through the provider calls
its userinfo endpoint with the session's access token (renewed with the
refresh token when it expired) once the last answer is older than
DSAR_OIDC_RECHECK_SECONDS (0, the default: every request):

- groups still mapped to a role: the request goes on (roles updated if they changed);
- no mapped group any more: the roles are taken away, the person is signed
  out, and the page says why;
- token refused and not renewable, or the provider not answering: signed out
  too (fail closed: the desk cannot know the person is still entitled).

Such a session counts as verified for django-otp: the provider did the second
factor, so the desk's TOTP is not asked (``permissions.staff_view``).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from requests_app.accounts.sso import provider, services
from requests_app.accounts.sso.models import SsoAccount, SsoEvent

NO_ROLE = "no_role"
EXPIRED = "expired"
UNAVAILABLE = "unavailable"


def _verified() -> bool:
    return True


class SsoSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and provider.enabled() and services.is_sso_session(session):
            if request.user.is_authenticated:
                reason = self._recheck(request)
                if reason is None:
                    request.user.is_verified = _verified
                else:
                    logout(request)
                    if not request.path.startswith("/api/"):
                        return self._ended_page(reason)
                    # The API answers an anonymous caller itself (401, in JSON).
        return self.get_response(request)

    def _recheck(self, request) -> str | None:
        data = request.session[services.SESSION_KEY]
        if time.time() - int(data.get("checked_at", 0)) < settings.DSAR_OIDC_RECHECK_SECONDS:
            return None
        user = request.user
        account = SsoAccount.objects.filter(user=user).first()
        if account is None:
            return EXPIRED
        access, refresh_token = services.session_tokens(request.session)
        try:
            claims = provider.fetch_userinfo(access)
            tokens: dict[str, Any] | None = None
            if claims is None and refresh_token:
                tokens = provider.refresh(refresh_token)
                if tokens is not None:
                    claims = provider.fetch_userinfo(tokens["access_token"])
        except provider.ProviderUnavailable:
            self._lost(user, UNAVAILABLE)
            return UNAVAILABLE
        if claims is None or str(claims.get("sub", "")) != account.subject:
            self._lost(user, EXPIRED)
            return EXPIRED
        granted = provider.roles_from_claims(claims)
        had = services.apply_roles(user, granted)
        if not granted:
            self._lost(user, f"{NO_ROLE}; was {services.describe(had)}")
            return NO_ROLE
        if had != granted:
            services.record(
                SsoEvent.Kind.ROLE_CHANGED,
                user=user,
                detail=f"{services.describe(had)} -> {services.describe(granted)}",
            )
        if tokens is not None:
            services.remember_tokens(request.session, tokens=tokens, granted=granted)
        elif settings.DSAR_OIDC_RECHECK_SECONDS > 0 or had != granted:
            # With a check on every request (0) the time of the last one is
            # never read: no session write per page.
            request.session[services.SESSION_KEY] = {
                **data,
                "roles": sorted(granted),
                "checked_at": int(time.time()),
            }
        return None

    @staticmethod
    def _lost(user, detail: str) -> None:
        services.record(SsoEvent.Kind.ACCESS_LOST, user=user, detail=detail)

    @staticmethod
    def _ended_page(reason: str) -> HttpResponseRedirect:
        reason = NO_ROLE if reason.startswith(NO_ROLE) else reason
        return HttpResponseRedirect(reverse("workspace:sso_ended") + "?" + urlencode({"reason": reason}))
