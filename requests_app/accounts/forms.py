"""Forms of the sign-in and of the API tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from requests_app import permissions


class SignInForm(AuthenticationForm):
    """Django's sign-in form; django-axes counts its failures (lockout)."""


class CodeForm(forms.Form):
    """The second factor: a code from the authenticator app."""

    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return token


EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("1 year")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"),
        max_length=100,
        help_text=_("For example: help desk integration."),
    )
    days = forms.TypedChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial="90")
    connectors = forms.BooleanField(
        label=_("May create and change connectors"),
        help_text=_(
            "Only for a script that manages the sources; asks for your second factor again. "
            "Without it, the token reads connectors but cannot change them."
        ),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a DPO changes connectors, so only a DPO's token may.
        if user is None or not permissions.can_manage_desk(user):
            del self.fields["connectors"]
