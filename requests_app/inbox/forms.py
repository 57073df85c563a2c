"""The three decisions of the triage page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_app.models import IdentityCheck, Language, RequestType


class ConvertForm(forms.Form):
    request_type = forms.ChoiceField(label=_("Right asked for"), choices=RequestType.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    identity_check = forms.ChoiceField(
        label=_("How the subject's identity was checked"), choices=IdentityCheck.choices, widget=forms.RadioSelect
    )
    identity_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the request"), max_length=20)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this is not a request"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
