"""The workspace pages where staff make and revoke their API tokens.

A new token is shown once, in the page that answers the form, and never
again: only its hash is kept.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config import reauth
from requests_app import roles
from requests_app.access import staff_view
from requests_app.api.models import SCOPE_CONNECTORS, ApiToken

EXPIRY_CHOICES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("180", gettext_lazy("180 days")),
    ("365", gettext_lazy("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is it for?"),
        max_length=100,
        help_text=gettext_lazy("For example: help desk integration."),
    )
    days = forms.TypedChoiceField(label=gettext_lazy("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial="90")
    connectors = forms.BooleanField(
        label=gettext_lazy("May create and change connectors"),
        help_text=gettext_lazy(
            "Only for a script that manages the sources; asks for your second factor again. "
            "Without it, the token reads connectors but cannot change them."
        ),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a DPO changes connectors, so only a DPO's token may.
        if user is None or not roles.is_dpo(user):
            del self.fields["connectors"]


def _page(request, form, new_token: str | None = None, status: int = 200):
    own = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    others = None
    if roles.is_dpo(request.user):
        # A DPO sees everyone's live tokens, to revoke one that leaked or
        # belongs to someone who left.
        others = ApiToken.objects.usable().exclude(user=request.user).select_related("user").order_by("user__username")
    context = {"form": form, "tokens": own, "others": others, "new_token": new_token}
    return render(request, "workspace/api/tokens.html", context, status=status)


@staff_view
def token_list(request):
    if request.method == "POST":
        form = TokenForm(request.POST, user=request.user)
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
        return _page(request, TokenForm(user=request.user), new_token=clear)
    return _page(request, TokenForm(user=request.user))


@require_POST
@staff_view
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk and not roles.is_dpo(request.user):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token.revoke()
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
