"""The sign-in through the identity provider: start, callback, and the pages
that say why someone was not let in."""

from __future__ import annotations

import logging

import requests
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from config import reauth
from requests_app.accounts.sso import provider, services
from requests_app.accounts.sso.backend import INACTIVE, NO_ROLE, REFUSAL_ATTR
from requests_app.accounts.sso.models import SsoEvent

log = logging.getLogger(__name__)


def _unavailable(request):
    return render(request, "workspace/sso/unavailable.html", {"provider": provider.provider_name()}, status=503)


class _StartView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(provider.get_setting)

    def get_extra_params(self, request):
        # "Confirm again" before a sensitive change (config.reauth): the
        # provider must ask the person to authenticate now, not reuse its session.
        return {"prompt": "login"} if request.GET.get("fresh") == "1" else {}


class _CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(provider.get_setting)

    def login_success(self):
        request = self.request
        response = super().login_success()
        granted = request._sso_roles
        services.remember_tokens(request.session, tokens=request._sso_tokens, granted=granted)
        # The provider authenticated the person just now (with its own second
        # factor): this counts as a recent second factor at the desk.
        reauth.mark(request)
        services.record(SsoEvent.Kind.SIGNED_IN, user=self.user, detail=services.describe(granted))
        return response

    def login_failure(self):
        request = self.request
        refusal = getattr(request, REFUSAL_ATTR, None)
        if request.user.is_authenticated:
            logout(request)
        context = {"provider": provider.provider_name(), "reason": refusal}
        status = 403 if refusal in (NO_ROLE, INACTIVE) else 400
        return render(request, "workspace/sso/refused.html", context, status=status)


@require_GET
@never_cache
def start(request):
    if not provider.enabled():
        raise Http404
    try:
        provider.discovery()
    except provider.ProviderUnavailable:
        log.warning("Single sign-on: the identity provider's discovery document could not be read.")
        return _unavailable(request)
    return _StartView.as_view()(request)


@require_GET
@never_cache
def callback(request):
    if not provider.enabled():
        raise Http404
    try:
        return _CallbackView.as_view()(request)
    except (provider.ProviderUnavailable, requests.RequestException) as exc:
        log.warning("Single sign-on: the identity provider did not answer the callback: %s", type(exc).__name__)
        return _unavailable(request)
    except SuspiciousOperation as exc:
        # A replayed or forged callback, or an ID token for another client:
        # nobody is signed in, and the page says to start again.
        log.warning("Single sign-on refused a callback: %s", exc)
        return render(request, "workspace/sso/refused.html", {"provider": provider.provider_name()}, status=400)


@require_GET
@never_cache
def access_lost(request):
    """Where the middleware sends a person the provider no longer vouches for."""
    if not provider.enabled():
        raise Http404
    reason = request.GET.get("reason", "")
    return render(
        request,
        "workspace/sso/refused.html",
        {"provider": provider.provider_name(), "reason": reason if reason in (NO_ROLE, "expired") else "expired"},
        status=403,
    )
