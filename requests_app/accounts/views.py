"""Sign-in with two factors: password (django-axes locks out repeated
failures), then a TOTP code (django-otp, with the seed encrypted at rest in
requests_app.accounts.two_factor), enrolled here with a QR code; and the
pages where staff make and revoke their API tokens."""

from __future__ import annotations

import time
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token

from config import reauth
from requests_app import permissions
from requests_app.accounts.forms import ApiTokenForm, CodeForm, SignInForm
from requests_app.accounts.sso import provider as sso_provider
from requests_app.accounts.sso.services import is_sso_session
from requests_app.accounts.two_factor.models import AuthenticatorApp
from requests_app.api.models import SCOPE_CONNECTORS, ApiToken
from requests_app.permissions import staff_view

NEXT_SESSION_KEY = "workspace_next"
# A user who gave the right password but not yet the code: not signed in.
PENDING_SESSION_KEY = "workspace_pending_user"
PENDING_SECONDS = 600


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


class SignInView(auth_views.LoginView):
    template_name = "workspace/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_provider"] = sso_provider.provider_name() if sso_provider.enabled() else ""
        return context

    def form_valid(self, form):
        user = form.get_user()
        next_url = _safe_next(self.request, self.get_redirect_url())
        if AuthenticatorApp.objects.devices_for_user(user, confirmed=True).exists():
            # The password alone signs nobody in who has a second factor, even
            # where two factors are optional: the session stays anonymous
            # until the code is given.
            self.request.session.cycle_key()
            self.request.session[PENDING_SESSION_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
            }
            self.request.session[NEXT_SESSION_KEY] = next_url
            return redirect("workspace:two_factor")
        response = super().form_valid(form)
        if settings.DSAR_REQUIRE_2FA:
            # Signed in but unverified: staff_view shows nothing until enrolment.
            self.request.session[NEXT_SESSION_KEY] = next_url
            return redirect("workspace:two_factor")
        return response


def _pending_user(request):
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


def _qr_svg(data: str) -> str:
    # Imported here: qrcode brings Pillow and lxml, megabytes that only the
    # two-factor set-up page needs in a web process (issue 17).
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@never_cache
@sensitive_post_parameters("token")
def two_factor(request):
    """Verify the second factor at sign-in, or enrol an authenticator app.

    Not wrapped in ``staff_view``: that decorator sends unverified users here.
    It checks the sign-in and the role itself.
    """
    if request.user.is_authenticated and is_sso_session(request.session):
        # The identity provider does the second factor of an SSO account: the
        # desk's TOTP is never asked. Confirming "again" means signing in at
        # the provider anew (prompt=login).
        if request.GET.get("again") == "1":
            next_url = _safe_next(request, request.GET.get("next", ""))
            return redirect(reverse("workspace:sso_start") + "?" + urlencode({"fresh": "1", "next": next_url}))
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = request.user if request.user.is_authenticated else _pending_user(request)
    if user is None:
        return redirect("workspace:login")
    if not permissions.can_enter_workspace(user):
        raise PermissionDenied(_("Your account has no role in the workspace."))
    confirmed = AuthenticatorApp.objects.devices_for_user(user, confirmed=True).first()
    if not request.user.is_authenticated and confirmed is None:
        return redirect("workspace:login")
    # "again": a signed-in person confirms the code anew before a change that
    # asks for a recent second factor (config.reauth), then goes back to it.
    again = request.GET.get("again") == "1"
    if again and request.method == "GET":
        request.session[NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next", ""))
    if confirmed is not None and request.user.is_authenticated and request.user.is_verified() and not again:
        return render(request, "workspace/two_factor_done.html", {"device": confirmed})
    if confirmed is not None:
        device, enrolling = confirmed, False
    else:
        if request.method != "POST" and request.GET.get("start") != "1" and not settings.DSAR_REQUIRE_2FA:
            return render(request, "workspace/two_factor_offer.html")
        # One pending (unconfirmed) device per person, kept across page reloads
        # so that the QR code scanned is the one verified.
        device = AuthenticatorApp.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = AuthenticatorApp.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        enrolling = True
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        # django-otp's verify_token locks the device's row: two posts of one
        # code would otherwise both find it newer than the last one accepted.
        if allowed and verify_token(user, device.persistent_id, form.cleaned_data["token"]) is not None:
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, _("Two-factor sign-in is on for your account."))
            if not request.user.is_authenticated:
                auth_login(request, user, backend=user.backend)
                request.session.pop(PENDING_SESSION_KEY, None)
            otp_login(request, device)
            reauth.mark(request)
            target = request.session.pop(NEXT_SESSION_KEY, "") or settings.LOGIN_REDIRECT_URL
            return redirect(target)
        form.add_error(
            "token",
            _("That code is not right. Wait for a new code and try again.")
            if allowed
            else _("Too many wrong codes: wait a little before trying again."),
        )
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context.update({"qr_svg": _qr_svg(device.config_url), "secret": _b32(device)})
    return render(request, "workspace/two_factor.html", context)


def _b32(device) -> str:
    secret = device.base32_key
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# ------------------------------------------------------------------------------
# API tokens: staff make and revoke their own at /workspace/api-tokens/. A new
# token is shown once, in the page that answers the form, and never again:
# only its hash is kept.
# ------------------------------------------------------------------------------
def _page(request, form, new_token: str | None = None, status: int = 200):
    own = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    others = None
    if permissions.can_manage_desk(request.user):
        # A DPO sees everyone's live tokens, to revoke one that leaked or
        # belongs to someone who left.
        others = ApiToken.objects.usable().exclude(user=request.user).select_related("user").order_by("user__username")
    context = {"form": form, "tokens": own, "others": others, "new_token": new_token}
    return render(request, "workspace/api/tokens.html", context, status=status)


@staff_view
def token_list(request):
    if request.method == "POST":
        form = ApiTokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return _page(request, form, status=400)
        scopes = [SCOPE_CONNECTORS] if form.cleaned_data.get("connectors") else []
        if scopes and not reauth.is_recent(request):
            form.add_error(
                "connectors",
                _("Confirm your second factor again first, then make the token: %(url)s")
                % {"url": reauth.confirm_url(request.path)},
            )
            return _page(request, form, status=400)
        _token, clear = ApiToken.issue(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"], scopes=scopes
        )
        return _page(request, ApiTokenForm(user=request.user), new_token=clear)
    return _page(request, ApiTokenForm(user=request.user))


@require_POST
@staff_view
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    if not permissions.can_revoke_token(request.user, token):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token.revoke()
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
