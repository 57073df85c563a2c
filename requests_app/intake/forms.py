"""The public forms: the request form, the reply to the DPO, a fresh link."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dsar.models import pick
from requests_app.intake import register_cache
from requests_app.intake.details import MAX_CORRECTIONS, RESTRICTION_GROUNDS_FOR_SUBJECT, RestrictionGround
from requests_app.intake.identity import OptionalIdentifiersMixin
from requests_app.intake.names import clean_person_name
from requests_app.models import Language, RequestType

# One plain sentence per right, shown next to the choice.
RIGHT_EXPLANATIONS = {
    RequestType.ACCESS: _(
        "Find out which personal data we hold about you, why, where it comes from and who receives it."
    ),
    RequestType.RECTIFICATION: _("Have data about you corrected when it is wrong or incomplete."),
    RequestType.ERASURE: _(
        "Have your data deleted, for example when we no longer need it or you withdraw your consent."
    ),
    RequestType.RESTRICTION: _("Have us keep your data but stop using it for a while, for example while we check it."),
    RequestType.PORTABILITY: _(
        "Receive the data you gave us in a machine-readable file, or have it sent to another organisation."
    ),
    RequestType.OBJECTION: _("Ask us to stop a use of your data based on our interests, such as direct marketing."),
    RequestType.WITHDRAWAL: _("Take back a consent you gave us, for example for a newsletter."),
}


def correction_field_names(row: int) -> tuple[str, str, str]:
    """The form's names of one correction row (1-based): "what is wrong", "what we
    have now", "what is correct". The first row keeps the names the API has
    always documented (``rectification_field`` ...); the others carry their number."""
    suffix = "" if row == 1 else f"_{row}"
    return (f"rectification_field{suffix}", f"rectification_current{suffix}", f"rectification_correct{suffix}")


CORRECTION_ROWS = range(1, MAX_CORRECTIONS + 1)
# Every correction row's field names, row by row.
CORRECTION_FIELDS = tuple(name for row in CORRECTION_ROWS for name in correction_field_names(row))
# Rows shown without JavaScript before the rest fold away, so that the page
# stays short for the many who need one or two.
UNFOLDED_CORRECTIONS = 3

# Which fields belong to which right (the template shows them together; the
# correction rows are shown as rows before the rectification's own fields).
TYPE_FIELDS = {
    RequestType.RECTIFICATION: ("rectification_restrict", "rectification_tell_recipients"),
    RequestType.RESTRICTION: ("restriction_ground", "restriction_contested_categories", "restriction_tell_recipients"),
    RequestType.ERASURE: ("erasure_scope", "erasure_categories", "erasure_specific", "erasure_tell_recipients"),
    RequestType.OBJECTION: ("objection_activities",),
    RequestType.WITHDRAWAL: ("withdrawal_consents",),
    RequestType.PORTABILITY: ("portability_format", "portability_target", "portability_target_email"),
}


# Art. 19: the rights whose changes are passed on to the recipients, and the
# subject may ask who they are (one field per right, as each right's fields
# are shown together).
TELL_RECIPIENTS_FIELDS = {
    RequestType.RECTIFICATION: "rectification_tell_recipients",
    RequestType.RESTRICTION: "restriction_tell_recipients",
    RequestType.ERASURE: "erasure_tell_recipients",
}


def _tell_recipients_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Tell me which organisations you informed of this (Art. 19)"),
        required=False,
        help_text=_(
            "We pass the change on to the organisations that received your data. Tick this to get their names."
        ),
    )


def _activity_choices(register: register_cache.Snapshot, predicate) -> list[tuple[str, str]]:
    language = translation.get_language()
    return [
        (activity.code, pick(activity.names, language) or activity.code)
        for activity in register.activities
        if predicate(activity)
    ]


def _category_choices(register: register_cache.Snapshot) -> list[tuple[str, str]]:
    """The data categories of the processing register, named in the subject's language."""
    language = translation.get_language()
    choices = [(category.code, pick(category.names, language) or category.code) for category in register.categories]
    return sorted(choices, key=lambda choice: choice[1].lower())


def _category_field(*, label, help_text) -> forms.MultipleChoiceField:
    """A choice among the register's data categories (``_category_choices``, set
    per form): what to erase (Art. 17), what is contested (Art. 18(1)(a))."""
    return forms.MultipleChoiceField(
        label=label,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("“%(value)s” is not one of the data categories we list: choose among them.")
        },
    )


class RequestForm(OptionalIdentifiersMixin, forms.Form):
    """The public request form; also validates API submissions.

    ``cleaned_data["type_details"]`` holds the type-specific answers in the
    shape documented on ``SubjectRequest.type_details``.
    """

    request_type = forms.ChoiceField(
        label=_("What would you like us to do?"), choices=RequestType.choices, widget=forms.RadioSelect
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address to confirm it is yours, and our answer."),
    )
    language = forms.ChoiceField(label=_("Language for our answer"), choices=Language.choices)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        required=False,
        help_text=_("Optional. Helps us find your data in systems that know you by your phone number."),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Only if you want a paper answer or we may know you by your address."),
    )
    customer_number = forms.CharField(
        label=_("Customer number"),
        max_length=64,
        required=False,
        help_text=_("Optional. Found on our invoices and letters; it helps us find your data quickly."),
    )
    national_number = forms.CharField(
        label=_("National number (INSZ/NISS)"),
        max_length=20,
        required=False,
        help_text=_("Optional. Only if we know you by it, for example as a patient. We store it encrypted."),
    )
    details = forms.CharField(
        label=_("Anything else we should know?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    # Correction (Art. 16): the rows of what is wrong and what is correct are
    # placed here after the class is made (``_place_correction_rows``).
    rectification_restrict = forms.BooleanField(
        label=_("Stop using this data until it is corrected (Art. 18(1)(a))"),
        required=False,
        help_text=_("We then keep the data but do not use it while we check and correct it."),
    )
    rectification_tell_recipients = _tell_recipients_field()
    # Restriction (Art. 18(1)): the ground, in plain words
    restriction_ground = forms.ChoiceField(
        label=_("Why should we stop using your data?"),
        choices=list(RESTRICTION_GROUNDS_FOR_SUBJECT.items()),
        widget=forms.RadioSelect,
        required=False,
        help_text=_("The law allows a restriction in these four cases. You may explain more in the box below."),
    )
    # Art. 18(1)(a): the data whose accuracy the subject contests (only then is the restriction limited to it)
    restriction_contested_categories = _category_field(
        label=_("Which data is inaccurate? (optional)"),
        help_text=_(
            "Only if you contest the accuracy of your data. Tick the data that is wrong: where our systems allow "
            "it, we stop using only that while we check it. If you tick nothing, we stop using all your data."
        ),
    )
    restriction_tell_recipients = _tell_recipients_field()
    # Erasure (Art. 17)
    erasure_scope = forms.ChoiceField(
        label=_("What should we delete?"),
        choices=[("all", _("All my data")), ("specific", _("Only specific data"))],
        widget=forms.RadioSelect,
        required=False,
    )
    erasure_categories = _category_field(
        label=_("Which data should we delete?"), help_text=_("Only if you chose specific data. We keep the rest.")
    )
    erasure_specific = forms.CharField(
        label=_("Anything more about the data to delete (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    erasure_tell_recipients = _tell_recipients_field()
    # Objection (Art. 21) and withdrawal of consent (Art. 7(3))
    objection_activities = forms.MultipleChoiceField(
        label=_("Which uses of your data do you object to?"), widget=forms.CheckboxSelectMultiple, required=False
    )
    withdrawal_consents = forms.MultipleChoiceField(
        label=_("Which consents do you withdraw?"), widget=forms.CheckboxSelectMultiple, required=False
    )
    # Portability (Art. 20)
    portability_format = forms.ChoiceField(
        label=_("File format"),
        choices=[("json", _("JSON (for software)")), ("csv", _("CSV (for spreadsheets)"))],
        widget=forms.RadioSelect,
        required=False,
    )
    portability_target = forms.CharField(
        label=_("Send it directly to another organisation (optional)"),
        max_length=500,
        required=False,
        help_text=_("Its name. Leave empty to receive the file yourself."),
    )
    portability_target_email = forms.EmailField(
        label=_("That organisation's e-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=_("Where we send the download link. If you do not know it, we look it up."),
    )
    # A field people never see or fill; bots that fill every field do.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(
        self,
        *args,
        register: register_cache.Snapshot | None = None,
        sent_fields_only: bool = False,
        **kwargs,
    ):
        if sent_fields_only:
            # An instance attribute: Django copies ``self.base_fields`` into ``self.fields``.
            self.base_fields = self._fields_in_use(kwargs.get("data", args[0] if args else None))
        super().__init__(*args, **kwargs)
        register = register or register_cache.snapshot()
        self.controller = register.controller
        if not self.controller.national_number_enabled:
            self.fields.pop("national_number", None)
        # Only the fields this form has (``sent_fields_only``); the register's
        # categories are named once for both fields that offer them.
        for name, offered in (
            ("objection_activities", lambda a: a.objectionable),
            ("withdrawal_consents", lambda a: a.consent_based),
        ):
            if name in self.fields:
                self.fields[name].choices = _activity_choices(register, offered)
        category_fields = [
            name for name in ("erasure_categories", "restriction_contested_categories") if name in self.fields
        ]
        if category_fields:
            categories = _category_choices(register)
            for name in category_fields:
                self.fields[name].choices = categories
        if "erasure_specific" in self.fields and not register.categories:
            # Nothing to tick: the subject's words are then what says which data.
            self.fields["erasure_specific"].label = _("Which data should we delete?")
        if not self.is_bound:
            language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
            self.initial.setdefault("language", language if language in Language.values else Language.EN)
            self.initial.setdefault("portability_format", "json")
            self.initial.setdefault("erasure_scope", "all")

    @classmethod
    def _fields_in_use(cls, data) -> dict:
        """The declared fields a bound form needs to validate ``data`` exactly
        as the whole form would: every field common to all rights, those of
        the right asked for, and any other field sent with a value (so that a
        wrong value is refused as before). A field of another right that was
        not sent cleans to its empty value, which no rule reads.

        For validating a submission (the API's, the web form's; a page that
        shows the form again builds it whole): the whole form is 41 fields,
        an access request uses 10, and copying and cleaning the others was a
        seventh of a submission's time (issue 17)."""
        data = data if data is not None else {}
        asked = data.get("request_type")
        needed = set(TYPE_FIELDS.get(asked, ()))
        if asked == RequestType.RECTIFICATION:
            needed.update(CORRECTION_FIELDS)
        return {
            name: field
            for name, field in cls.base_fields.items()
            if name not in TYPE_SPECIFIC_FIELDS or name in needed or data.get(name) not in (None, "", [])
        }

    @staticmethod
    def correction_legend(row: int) -> str:
        return _("Correction %(number)d") % {"number": row}

    def corrections(self) -> dict:
        """The correction rows for the template: the first ``UNFOLDED_CORRECTIONS``
        show without JavaScript, the others sit in a disclosure that opens by
        itself when one of them was typed in or is wrong."""
        rows = self.correction_rows()
        folded = rows[UNFOLDED_CORRECTIONS:]
        return {
            "max": len(rows),
            "shown": rows[:UNFOLDED_CORRECTIONS],
            "folded": folded,
            "folded_open": any(row["filled"] or row["has_errors"] for row in folded),
        }

    def correction_rows(self) -> list[dict]:
        """The correction rows; ``filled`` says whether the subject typed in it."""
        rows = []
        for row in CORRECTION_ROWS:
            fields = [self[name] for name in correction_field_names(row)]
            filled = any(str(field.value() or "").strip() for field in fields)
            rows.append(
                {
                    "number": row,
                    "legend": self.correction_legend(row),
                    "fields": fields,
                    "filled": filled,
                    "has_errors": any(field.errors for field in fields),
                }
            )
        return rows

    IDENTITY_FIELDS = ("full_name", "email", "phone", "customer_number", "national_number", "postal_address")

    def identity_fields(self):
        return [self[name] for name in self.IDENTITY_FIELDS if name in self.fields]

    def in_page_order(self):
        """The bound fields in the order the page shows them (the right, its
        details, the free text, the subject's identity), so that the list of
        errors reads from top to bottom."""
        names = ["request_type"]
        for value, _label in RequestType.choices:
            if value == RequestType.RECTIFICATION:
                names.extend(CORRECTION_FIELDS)
            names.extend(TYPE_FIELDS.get(value, ()))
        names.extend(["details", *self.IDENTITY_FIELDS, "language"])
        ordered = [self[name] for name in names if name in self.fields]
        return ordered + [field for field in self if field.name not in names]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, label, message) for the list of errors at the top of the page.

        A correction row's fields share their labels, so the row's number is
        put in front of the label for the list to say which row is wrong."""
        row_of = {name: row for row in CORRECTION_ROWS for name in correction_field_names(row)}
        summary = []
        for field in self.in_page_order():
            for error in field.errors:
                label = str(field.label)
                if field.name in row_of:
                    label = f"{self.correction_legend(row_of[field.name])}: {label}"
                summary.append((field.auto_id, label, error))
        return summary

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))

    def rights(self):
        """(value, label, explanation, bound radio) for the template."""
        explained = []
        for radio in self["request_type"]:
            value = radio.data["value"]
            explained.append((value, radio.choice_label, RIGHT_EXPLANATIONS.get(value, ""), radio))
        return explained

    def type_fields(self, request_type: str):
        return [self[name] for name in TYPE_FIELDS.get(request_type, ())]

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_full_name(self):
        value = clean_person_name(self.cleaned_data["full_name"])
        if not value:
            raise ValidationError(_("Enter your full name."), code="required")
        return value

    def clean(self):
        cleaned = super().clean()
        request_type = cleaned.get("request_type")
        builders = {
            RequestType.RECTIFICATION: self._rectification,
            RequestType.ERASURE: self._erasure,
            RequestType.OBJECTION: self._objection,
            RequestType.WITHDRAWAL: self._withdrawal,
            RequestType.PORTABILITY: self._portability,
            RequestType.RESTRICTION: self._restriction,
        }
        builder = builders.get(request_type)
        cleaned["type_details"] = builder(cleaned) if builder else {}
        if cleaned.get(TELL_RECIPIENTS_FIELDS.get(request_type, "")):
            cleaned["type_details"]["tell_recipients"] = True
        return cleaned

    def _require(self, cleaned, name, message) -> None:
        if name in self.errors:
            return  # already wrong for another reason (too long, unknown choice)
        value = cleaned.get(name)
        if isinstance(value, str):
            value = value.strip()
        if not value:
            self.add_error(name, ValidationError(message, code="required"))

    def _rectification(self, cleaned) -> dict:
        """Art. 16: one item per filled row, in the order typed; empty rows are left out."""
        items = []
        for row in CORRECTION_ROWS:
            wrong, current, correct = correction_field_names(row)
            values = {name: (cleaned.get(name) or "").strip() for name in (wrong, current, correct)}
            typed = any(values.values()) or any(name in self.errors for name in (wrong, current, correct))
            if not typed:
                continue
            self._require(cleaned, wrong, _("Tell us which data is wrong."))
            self._require(cleaned, correct, _("Tell us what the correct data is."))
            items.append({"field": values[wrong], "current": values[current], "correct": values[correct]})
        if not items:
            first_wrong, _current, first_correct = correction_field_names(1)
            self._require(cleaned, first_wrong, _("Tell us which data is wrong."))
            self._require(cleaned, first_correct, _("Tell us what the correct data is."))
        return {"items": items, "restrict_meanwhile": bool(cleaned.get("rectification_restrict"))}

    def _erasure(self, cleaned) -> dict:
        """Art. 17: all the subject's data, or the register's categories they
        tick (their own words are optional; without categories to offer, required)."""
        scope = cleaned.get("erasure_scope") or ""
        if not scope:
            self.add_error("erasure_scope", ValidationError(_("Choose what we should delete."), code="required"))
        elif scope == "specific":
            if self.fields["erasure_categories"].choices:
                self._require(cleaned, "erasure_categories", _("Choose the data we should delete."))
            else:
                self._require(cleaned, "erasure_specific", _("Tell us which data we should delete."))
        if scope != "specific":
            return {"scope": scope, "specific": ""}
        details = {"scope": scope, "specific": cleaned.get("erasure_specific", "")}
        if cleaned.get("erasure_categories"):
            details["categories"] = list(cleaned["erasure_categories"])
        return details

    def _objection(self, cleaned) -> dict:
        if self.fields["objection_activities"].choices:
            self._require(cleaned, "objection_activities", _("Choose at least one use of your data."))
        else:
            self._require(cleaned, "details", _("Tell us which use of your data you object to."))
        return {"activities": list(cleaned.get("objection_activities") or [])}

    def _withdrawal(self, cleaned) -> dict:
        if self.fields["withdrawal_consents"].choices:
            self._require(cleaned, "withdrawal_consents", _("Choose at least one consent."))
        else:
            self._require(cleaned, "details", _("Tell us which consent you withdraw."))
        return {"consents": list(cleaned.get("withdrawal_consents") or [])}

    def _portability(self, cleaned) -> dict:
        fmt = cleaned.get("portability_format") or ""
        if not fmt:
            self.add_error("portability_format", ValidationError(_("Choose a file format."), code="required"))
        target = (cleaned.get("portability_target") or "").strip()
        target_email = cleaned.get("portability_target_email") or ""
        if target_email and not target and "portability_target" not in self.errors:
            self.add_error(
                "portability_target",
                ValidationError(_("Tell us the name of the organisation to send it to."), code="required"),
            )
        details = {"format": fmt, "target_controller": target}
        if target_email:
            # Only when given, so requests without it keep the shape they always had.
            details["target_controller_email"] = target_email
        return details

    def _restriction(self, cleaned) -> dict:
        """Art. 18(1): the ground the subject relies on; their own words go in ``details``.

        On ground (a), the data categories the subject says are inaccurate, when
        they tick any. Ticked with another ground they are ignored, as the
        sections of the rights not chosen are: grounds (b) to (d) concern all
        the subject's data, the list is hidden once another ground is chosen
        (JavaScript), and ignoring it restricts more, never less."""
        self._require(cleaned, "restriction_ground", _("Choose why we should stop using your data."))
        ground = cleaned.get("restriction_ground") or ""
        details = {"ground": ground}
        contested = cleaned.get("restriction_contested_categories")
        if ground == RestrictionGround.CONTESTED_ACCURACY and contested:
            details["contested_categories"] = list(contested)
        return details


def _place_correction_rows(form_class: type[forms.Form]) -> None:
    """Put the MAX_CORRECTIONS rows of "which data is wrong" into the form's
    declared fields, just before the rectification's checkbox, so that the
    list of errors follows the page. Done once, when the class is made: built
    per form they were a third of the fields made on every submission (issue
    17); each form still gets its own copies (Django copies the declared fields)."""
    rows = {}
    for row in CORRECTION_ROWS:
        wrong, current, correct = correction_field_names(row)
        rows[wrong] = forms.CharField(label=_("Which data is wrong?"), max_length=200, required=False)
        rows[current] = forms.CharField(
            label=_("What we have now (if you know)"),
            max_length=1000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        rows[correct] = forms.CharField(
            label=_("What is correct"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
    fields = {}
    for name, field in form_class.declared_fields.items():
        if name == "rectification_restrict":
            fields.update(rows)
        fields[name] = field
    # The metaclass's dict itself (base_fields is the same object), so that
    # every subclass declared later inherits the rows in their place.
    form_class.declared_fields.clear()
    form_class.declared_fields.update(fields)


_place_correction_rows(RequestForm)
# The fields that belong to one right only (RequestForm._fields_in_use, the change of type).
TYPE_SPECIFIC_FIELDS = frozenset([name for names in TYPE_FIELDS.values() for name in names] + list(CORRECTION_FIELDS))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# Accepted attachments: recognised by their first bytes, not by the name or
# the browser's claim, so that nothing executable is stored under a harmless name.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if b"\x00" not in head else None


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > settings.DSAR_ATTACHMENT_MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": settings.DSAR_ATTACHMENT_MAX_FILES}, code="too_many"
            )
        limit = settings.DSAR_ATTACHMENT_MAX_MB * 1024 * 1024
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
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
            cleaned.append(upload)
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = AttachmentsField(
        label=_("Attachments (optional)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "PDF, PNG, JPEG or plain text; at most %(count)d files of %(size)d MB each."
        ) % {"count": settings.DSAR_ATTACHMENT_MAX_FILES, "size": settings.DSAR_ATTACHMENT_MAX_MB}

    def clean_body(self):
        value = self.cleaned_data["body"].strip()
        if not value:
            raise ValidationError(_("Write your answer."), code="required")
        return value


class NewLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
