"""Forms of the workspace. They validate input; the workflow decides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_app.identity import OptionalIdentifiersMixin
from requests_app.models import Channel, ControllerProfile, Language, RejectionReason, RequestType

from .selectors import staff_members

STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value not in (Channel.WEB, Channel.API)]


class SignInForm(AuthenticationForm):
    """Django's sign-in form; django-axes counts its failures (lockout)."""


class TokenForm(forms.Form):
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


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=staff_members(), required=False, empty_label=_("(nobody)")
    )


class ChangeTypeForm(forms.Form):
    request_type = forms.ChoiceField(label=_("New type"), choices=RequestType.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput)


class RequestInfoForm(forms.Form):
    subject_line = forms.CharField(label=_("Subject line"), max_length=200)
    body = forms.CharField(
        label=_("Message to the subject"), max_length=10000, widget=forms.Textarea(attrs={"rows": 9})
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    details = forms.CharField(
        label=_("Explanation sent to the subject"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Extend by"), coerce=int, choices=[(1, _("1 month")), (2, _("2 months"))])
    reason = forms.CharField(
        label=_("Reasons sent to the subject"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    controller_name = forms.CharField(label=_("Controller (for example the care provider)"), max_length=200)
    controller_email = forms.EmailField(label=_("Its e-mail address"))
    note = forms.CharField(
        label=_("Internal note (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    # Required by the workflow only for a request never answered (Art. 12(4)).
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=300)


class LogRequestForm(OptionalIdentifiersMixin, forms.Form):
    """A request received outside the web form, logged with its real date of receipt."""

    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)
    received_on = forms.DateField(
        label=_("Date of receipt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    received_time = forms.TimeField(
        label=_("Time (if known)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    request_type = forms.ChoiceField(label=_("Type"), choices=RequestType.choices)
    language = forms.ChoiceField(label=_("Language of the subject"), choices=Language.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    customer_number = forms.CharField(label=_("Customer number"), max_length=64, required=False)
    national_number = forms.CharField(label=_("National number (INSZ/NISS)"), max_length=20, required=False)
    details = forms.CharField(
        label=_("What the subject asks"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not ControllerProfile.current().national_number_enabled:
            del self.fields["national_number"]

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of receipt cannot be in the future."))
        if value < timezone.localdate() - dt.timedelta(days=365):
            raise forms.ValidationError(_("The date of receipt is more than a year ago; check it."))
        return value

    def received_at(self) -> dt.datetime:
        day = self.cleaned_data["received_on"]
        moment = self.cleaned_data.get("received_time")
        if moment is None:
            # No time given: noon keeps the day the same in any time zone shift,
            # and a request logged today is never "in the future".
            now = timezone.localtime()
            moment = min(dt.time(12, 0), now.time()) if day == now.date() else dt.time(12, 0)
        aware = timezone.make_aware(dt.datetime.combine(day, moment))
        return min(aware, timezone.now())

    def request_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name, "")
            for name in ("phone", "postal_address", "customer_number", "national_number", "details")
            if data.get(name)
        }
        return fields
