"""The representative's part of the request form (public and staff): who acts
for the subject, as what, with which mandate, and to whom we write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests_app.intake.forms import sniff_content_type
from requests_app.intake.names import clean_person_name
from requests_app.models import Language
from requests_app.representation.models import AgeBand, Contact, MandateKind, Relationship


class MandateFileField(forms.FileField):
    """One file, recognised by its first bytes as the subject's attachments are
    (PDF, PNG, JPEG, plain text), within the attachments' size limit."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        limit = settings.DSAR_ATTACHMENT_MAX_MB * 1024 * 1024
        if upload.size > limit:
            raise ValidationError(
                _("%(name)s is larger than %(size)d MB.")
                % {"name": upload.name, "size": settings.DSAR_ATTACHMENT_MAX_MB},
                code="too_large",
            )
        head = upload.read(2048)
        upload.seek(0)
        content_type = sniff_content_type(head)
        if content_type is None:
            raise ValidationError(
                _("%(name)s is not a PDF, PNG, JPEG or plain-text file.") % {"name": upload.name}, code="file_type"
            )
        upload.checked_content_type = content_type
        return upload


class RepresentativeForm(forms.Form):
    """Validated beside the request form. ``cleaned_data["representation"]`` is
    None when the person asks for themselves, else the representative's details
    in the shape ``services.attach_representative`` takes."""

    on_behalf = forms.BooleanField(
        label=_("I am asking for someone else: as their lawyer, parent, guardian or with their mandate"),
        required=False,
    )
    representative_name = forms.CharField(label=_("Your name, as representative"), max_length=200, required=False)
    representative_email = forms.EmailField(
        label=_("Your e-mail, as representative"),
        max_length=254,
        required=False,
        help_text=_("We send the link to confirm the request to this address."),
    )
    relationship = forms.ChoiceField(
        label=_("You act as"), choices=Relationship.choices, widget=forms.RadioSelect, required=False
    )
    minor_age_band = forms.ChoiceField(
        label=_("How old is the child?"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Only for a parent. Under 13, the parent decides for the child (in Belgium, art. 7 of the Act of "
            "30 July 2018, Art. 8 GDPR); from 13, we may also involve the child."
        ),
    )
    contact = forms.ChoiceField(
        label=_("Who should receive our messages and the answer?"),
        choices=Contact.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("As the mandate allows. For a child, we write to the parent."),
    )
    subject_language = forms.ChoiceField(
        label=_("The language of the person you represent"),
        choices=[("", _("The language of this request")), *Language.choices],
        required=False,
        help_text=_("We write to them in it, for example to tell them that you asked in their name."),
    )
    mandate_document = MandateFileField(
        label=_("Your mandate (a document)"),
        required=False,
        help_text=_(
            "A power of attorney, a court decision or, for a parent, a birth certificate or family record: PDF, "
            "PNG, JPEG or plain text. We store it encrypted."
        ),
    )
    mandate_statement = forms.CharField(
        label=_("Or a statement signed by the person you represent"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("That they ask you to make this request for them, with their name, the date and their signature."),
    )

    FIELDS_WHEN_ON_BEHALF = (
        "representative_name",
        "representative_email",
        "relationship",
        "minor_age_band",
        "contact",
        "subject_language",
        "mandate_document",
        "mandate_statement",
    )

    def __init__(self, *args, email_required: bool = True, sent_fields_only: bool = False, **kwargs):
        data = kwargs.get("data", args[0] if args else None)
        # Ticked as the box's own field reads it ("off" is ticked for Django's checkbox).
        if sent_fields_only and not forms.CheckboxInput().value_from_datadict(data or {}, {}, "on_behalf"):
            # Nobody asks for someone else (nearly every submission): the
            # fields sent with a value are validated, as the whole form would
            # (a wrong value is refused as before); the others clean to their
            # empty values, which no rule reads then. For validating a
            # submission only: a page that shows the form builds it whole
            # (issue 17: copying its fields cost more than validating them).
            files = kwargs.get("files", args[1] if len(args) > 1 else None) or {}
            # An instance attribute: Django copies ``self.base_fields`` into ``self.fields``.
            self.base_fields = {
                name: field
                for name, field in type(self).base_fields.items()
                if name == "on_behalf" or (data or {}).get(name) not in (None, "", []) or name in files
            }
        super().__init__(*args, **kwargs)
        # Staff may log a lawyer's letter: the representative then has no e-mail address.
        self.email_required = email_required
        if not self.is_bound:
            self.initial.setdefault("contact", Contact.REPRESENTATIVE)

    def representative_fields(self):
        return [self[name] for name in self.FIELDS_WHEN_ON_BEHALF]

    @property
    def on_behalf_requested(self) -> bool:
        """Read from the raw input, so that the request form can relax the
        subject's own e-mail address before either form is validated."""
        return _ticked(self.data.get("on_behalf"))

    @property
    def subject_address_needed(self) -> bool:
        """Whether the subject's own e-mail address is required: only when our
        e-mails go to them (never for a child, whose parent we write to)."""
        if self.data.get("relationship") == Relationship.PARENT:
            return False
        return self.data.get("contact") in (Contact.SUBJECT, Contact.BOTH)

    def _required(self, cleaned, name, message) -> None:
        if name in self.errors:
            return
        value = cleaned.get(name)
        if isinstance(value, str):
            value = value.strip()
        if not value:
            self.add_error(name, ValidationError(message, code="required"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("on_behalf"):
            cleaned["representation"] = None
            return cleaned
        name = clean_person_name(cleaned.get("representative_name") or "")
        if not name and "representative_name" not in self.errors:
            self.add_error("representative_name", ValidationError(_("Enter your full name."), code="required"))
        if self.email_required:
            self._required(cleaned, "representative_email", _("Enter your e-mail address."))
        self._required(cleaned, "relationship", _("Say how you act for this person."))
        relationship = cleaned.get("relationship") or ""
        contact = cleaned.get("contact") or Contact.REPRESENTATIVE
        age_band = ""
        if relationship == Relationship.PARENT:
            # Art. 8 GDPR, Belgium art. 7 of the Act of 30 July 2018: whether the
            # child is under 13 decides whether the parent alone acts for them.
            self._required(cleaned, "minor_age_band", _("Tell us how old the child is."))
            age_band = cleaned.get("minor_age_band") or ""
            contact = Contact.REPRESENTATIVE
        upload = cleaned.get("mandate_document")
        statement = (cleaned.get("mandate_statement") or "").strip()
        if not upload and not statement and "mandate_document" not in self.errors:
            self.add_error(
                "mandate_document",
                ValidationError(
                    _("Add your mandate: a document, or a statement signed by the person you represent."),
                    code="required",
                ),
            )
        cleaned["representation"] = {
            "full_name": name,
            "email": (cleaned.get("representative_email") or "").strip(),
            "relationship": relationship,
            "minor_age_band": age_band,
            "contact": contact,
            "subject_language": cleaned.get("subject_language") or "",
            "mandate_kind": MandateKind.DOCUMENT if upload else MandateKind.STATEMENT,
            "mandate_statement": statement,
            "mandate_document": upload or None,
        }
        return cleaned


class MandateCheckForm(forms.Form):
    """The DPO's check of the mandate: proportionate, like the identity check
    (Art. 12(6)); a mandate that falls short is answered with what is missing."""

    decision = forms.ChoiceField(
        label=_("The mandate"),
        choices=[("accepted", _("Accept it")), ("refused", _("Ask for a better mandate"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What is missing (sent to the representative)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refused" and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason",
                ValidationError(_("Tell the representative what is missing from the mandate."), code="required"),
            )
        return cleaned


def _ticked(value) -> bool:
    return str(value).lower() in ("on", "true", "1", "yes")
