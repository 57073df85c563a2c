"""Forms of the workspace. They validate input; the workflow decides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_app.intake.forms import TYPE_FIELDS, TYPE_SPECIFIC_FIELDS, RequestForm
from requests_app.models import Channel, HoldReason, IdentityCheck, RejectionReason, RequestType

from .selectors import staff_members

STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value not in (Channel.WEB, Channel.API)]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=staff_members(), required=False, empty_label=_("(nobody)")
    )


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


class IdentityCheckForm(forms.Form):
    """Art. 12(6): how the staff confirmed who the subject is."""

    method = forms.ChoiceField(label=_("How the identity was checked"), choices=IdentityCheck.choices)
    note = forms.CharField(
        label=_("What was seen or asked (internal note)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeeForm(forms.Form):
    """Art. 12(5): a reasonable fee for a manifestly unfounded or excessive request, announced first."""

    reason = forms.ChoiceField(
        label=_("Ground"),
        choices=[(c, label) for c, label in RejectionReason.choices if c in ("manifestly_unfounded", "excessive")],
    )
    amount = forms.DecimalField(label=_("Amount in euro"), min_value=0.01, max_digits=7, decimal_places=2)
    reasons = forms.CharField(
        label=_("Reasons sent to the subject"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
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


class PlaceHoldForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the records must be kept"), choices=HoldReason.choices)
    explanation = forms.CharField(
        label=_("Explanation (kept as an internal note)"),
        help_text=_("For example the authority's or the court's file number."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LiftHoldForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why the hold can be lifted (optional, kept as an internal note)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=300)


class StaffRequestForm(RequestForm):
    """A request received outside the web form, as staff record it (the
    workspace page and the API's staff create).

    It is the public form (``RequestForm``) with the channel added: the
    type-specific sections, their validation and the ``type_details`` they
    produce are the public form's own, so that staff record exactly what the
    subject asked, in the same shape. Only the words change: staff read them,
    not the subject. Without an e-mail address (a letter, a call) the subject is
    answered by post or phone, so the address or number is then required.
    """

    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)
    # Art. 12(6): the request counts as coming from the subject because staff
    # checked it; how they did is recorded (a code in the audit, words in a note).
    identity_check = forms.ChoiceField(
        label=_("How the subject's identity was checked"),
        choices=[("", "—"), *IdentityCheck.choices],
    )
    identity_note = forms.CharField(
        label=_("What you checked (kept as an internal note; required for “Other”)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The public form's honeypot has no place here.
    website = None

    field_order = [
        "channel",
        "received_on",
        "received_time",
        "request_type",
        "language",
        "full_name",
        "email",
        "phone",
        "postal_address",
        "customer_number",
        "national_number",
        "identity_check",
        "identity_note",
        "details",
    ]
    GENERAL_FIELDS = field_order

    STAFF_LABELS = {
        "request_type": _("Type"),
        "language": _("Language of the subject"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "details": _("What the subject asks"),
        "rectification_restrict": _("The subject asks to stop using this data until it is corrected (Art. 18(1)(a))"),
        "restriction_ground": _("The subject's ground (Art. 18(1))"),
        "restriction_contested_categories": _(
            "The data whose accuracy the subject contests (ground (a) only; none: all their data is restricted)"
        ),
        "erasure_scope": _("What the subject wants deleted"),
        "erasure_categories": _("The data categories to delete (specific data only)"),
        "rectification_tell_recipients": _("The subject asks which recipients were informed (Art. 19)"),
        "restriction_tell_recipients": _("The subject asks which recipients were informed (Art. 19)"),
        "erasure_tell_recipients": _("The subject asks which recipients were informed (Art. 19)"),
        "erasure_specific": _("Which data"),
        "objection_activities": _("The uses of their data the subject objects to"),
        "withdrawal_consents": _("The consents the subject withdraws"),
        "portability_format": _("File format"),
        "portability_target": _("Send it directly to another organisation (optional)"),
        "portability_target_email": _("That organisation's e-mail address (optional)"),
    }
    # Channels on which a subject may reach us without an e-mail address, and
    # what we then need to answer them.
    ANSWERED_WITHOUT_EMAIL = {Channel.LETTER: "postal_address", Channel.PHONE: "phone"}
    # Set by the view when a representative acts for the subject (requests_app.representation).
    represented = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list, starting empty: a type chosen by default would be logged by mistake.
        request_type = self.fields["request_type"]
        request_type.choices = [("", "—"), *RequestType.choices]
        request_type.widget = forms.Select(choices=request_type.choices)
        for name, field in self.fields.items():
            if name in self.STAFF_LABELS:
                field.label = self.STAFF_LABELS[name]
            if name in self.GENERAL_FIELDS or name in self.STAFF_LABELS:
                # The public help texts speak to the subject ("we send a link to this address").
                field.help_text = ""
        email = self.fields["email"]
        email.required = False
        email.help_text = _("Optional for a letter or a call: the subject is then answered by post or by phone.")

    def general_fields(self):
        return [self[name] for name in self.GENERAL_FIELDS if name in self.fields]

    def type_sections(self) -> list[tuple[str, str, list]]:
        """(type, label, bound fields) of each type's section; all show, so that the
        page works without JavaScript; only the chosen type's are validated and kept."""
        return [(value, label, self.type_fields(value)) for value, label in RequestType.choices if value in TYPE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("identity_check") == IdentityCheck.OTHER and not (cleaned.get("identity_note") or "").strip():
            self.add_error(
                "identity_note",
                forms.ValidationError(_("Explain how the subject's identity was checked."), code="required"),
            )
        if cleaned.get("email") or "email" in self.errors or self.represented:
            # With a representative, we write to them (a child may have no address).
            return cleaned
        channel = cleaned.get("channel")
        needed = self.ANSWERED_WITHOUT_EMAIL.get(channel)
        if needed is None:
            self.add_error(
                "email",
                forms.ValidationError(
                    _(
                        "Enter the subject's e-mail address: only a request received by letter or phone may be logged without one."
                    ),
                    code="required",
                ),
            )
        elif not (cleaned.get(needed) or "").strip() and needed not in self.errors:
            message = (
                _("Without an e-mail address, enter the postal address: the answer goes by post.")
                if needed == "postal_address"
                else _("Without an e-mail address, enter the phone number: we need a way to reach the subject.")
            )
            self.add_error(needed, forms.ValidationError(message, code="required"))
        return cleaned

    def request_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name, "")
            for name in ("phone", "postal_address", "customer_number", "national_number", "details")
            if data.get(name)
        }
        fields["type_details"] = data.get("type_details") or {}
        fields["identity_check"] = data["identity_check"]
        fields["identity_note"] = data.get("identity_note", "")
        return fields


class LogRequestForm(StaffRequestForm):
    """The workspace page: a request logged with its real date of receipt."""

    received_on = forms.DateField(
        label=_("Date of receipt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    received_time = forms.TimeField(
        label=_("Time (if known)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

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


class ChangeTypeForm(StaffRequestForm):
    """Triage: the new type with what the subject asks under it (the workspace
    page and the API's change-type action).

    The public form's type-specific sections, validation and ``type_details``,
    as on the "log a request" page, so that the request never keeps the old
    type's details (an erasure's scope read as a rectification's corrections).
    The subject's identity and the request's free text are not changed here.
    """

    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput)

    GENERAL_FIELDS = ["request_type", "reason"]
    KEPT = {"request_type", "reason"}

    def __init__(self, *args, subject_request=None, **kwargs):
        self.subject_request = subject_request
        super().__init__(*args, **kwargs)
        self.fields["request_type"].label = _("New type")
        for name in list(self.fields):
            if name not in self.KEPT and name not in TYPE_SPECIFIC_FIELDS:
                del self.fields[name]
        self.order_fields(["request_type", "reason"])

    def clean(self):
        # The public form's own checks and type_details, without the staff
        # form's (which concern the subject's address).
        return RequestForm.clean(self)

    def _require(self, cleaned, name, message) -> None:
        if name == "details":
            # Without a list to choose from (nothing of the kind in the register),
            # the request's own words say what the subject asks.
            if not (self.subject_request is not None and self.subject_request.details.strip()):
                self.add_error(
                    None,
                    forms.ValidationError(
                        _(
                            "The register lists nothing to choose from: note what the subject asks before changing the type."
                        ),
                        code="required",
                    ),
                )
            return
        super()._require(cleaned, name, message)
