"""Sign-in with two factors: password (django-axes locks out repeated
failures), then a TOTP code (django-otp), enrolled here with a QR code."""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from requests_app import roles

from .forms import SignInForm, TokenForm

NEXT_SESSION_KEY = "workspace_next"


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

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        has_device = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
        if has_device or settings.DSAR_REQUIRE_2FA:
            # The second factor comes before anything else; remember where to go next.
            self.request.session[NEXT_SESSION_KEY] = _safe_next(self.request, self.get_redirect_url())
            return redirect("workspace:two_factor")
        return response


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


def _qr_svg(data: str) -> str:
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
    user = request.user
    if not user.is_authenticated:
        return redirect("workspace:login")
    if not roles.is_staff_member(user):
        raise PermissionDenied(_("Your account has no role in the workspace."))
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if confirmed is not None and user.is_verified():
        return render(request, "workspace/two_factor_done.html", {"device": confirmed})
    if confirmed is not None:
        device, enrolling = confirmed, False
    else:
        if request.method != "POST" and request.GET.get("start") != "1" and not settings.DSAR_REQUIRE_2FA:
            return render(request, "workspace/two_factor_offer.html")
        # One pending (unconfirmed) device per person, kept across page reloads
        # so that the QR code scanned is the one verified.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        enrolling = True
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, _("Two-factor sign-in is on for your account."))
            otp_login(request, device)
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
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
