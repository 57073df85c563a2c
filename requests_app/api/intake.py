"""The public intake through the API: the web form's own validation and service.

``requests_app.intake`` (the subject's pages) owns the rules; this module only
turns JSON into the form's input and the form's errors into JSON.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions

from requests_app.intake.details import MAX_CORRECTIONS
from requests_app.intake.forms import CORRECTION_FIELDS, CORRECTION_ROWS, correction_field_names
from requests_app.models import Channel

log = logging.getLogger(__name__)

# Fields that take several values; every other field takes one.
LIST_FIELDS = ("objection_activities", "withdrawal_consents", "erasure_categories", "restriction_contested_categories")
# A rectification's corrections as a list of objects, in JSON only; the form
# reads them as its numbered rows (``correction_field_names``).
CORRECTIONS_FIELD = "rectification_items"
CORRECTION_KEYS = ("field", "current", "correct")


def _correction_rows(value) -> tuple[dict, list[str]]:
    """The list of corrections as the form's row fields, or the reasons it is refused."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return {}, [_("Expected a list of objects with field, current and correct.")]
    if len(value) > MAX_CORRECTIONS:
        return {}, [_("Send at most %(count)d corrections.") % {"count": MAX_CORRECTIONS}]
    rows = {}
    for number, item in enumerate(value, start=1):
        if set(item) - set(CORRECTION_KEYS) or not all(isinstance(v, str | None) for v in item.values()):
            return {}, [_("Expected a list of objects with field, current and correct.")]
        for name, key in zip(correction_field_names(number), CORRECTION_KEYS, strict=True):
            rows[name] = item.get(key) or ""
    return rows, []


def form_data(data) -> dict:
    """The request body as the form's ``data``, refusing values of the wrong shape
    (a list where one value is expected would otherwise be read as its text)."""
    if hasattr(data, "getlist"):  # form-encoded or multipart: already what a form reads
        return data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    errors, clean = {}, {}
    row_names = set(CORRECTION_FIELDS)
    if CORRECTIONS_FIELD in data and row_names & set(data):
        errors[CORRECTIONS_FIELD] = [
            _("Send the corrections either as rectification_items or as rectification_field, not both.")
        ]
    for name, value in data.items():
        if name == CORRECTIONS_FIELD:
            rows, problems = _correction_rows(value)
            if problems:
                errors[name] = problems
            clean.update(rows)
        elif name in LIST_FIELDS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[name] = [_("Expected a list of codes.")]
                continue
            clean[name] = value
        elif value is None:
            continue
        elif isinstance(value, bool):
            clean[name] = "true" if value else ""
        elif isinstance(value, str | int | float):
            clean[name] = str(value)
        else:
            errors[name] = [_("Expected a single value.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return clean


def form_errors(form, *, corrections_sent: int | None = None) -> dict:
    """The form's errors per field. When the corrections came as
    ``rectification_items`` (``corrections_sent`` of them), the errors of the
    correction rows come back as one object per item, empty for an item
    without errors, the way DRF reports the errors of a list."""
    errors = {}
    rows = {}
    for number in CORRECTION_ROWS:
        for name, key in zip(correction_field_names(number), CORRECTION_KEYS, strict=True):
            rows[name] = (number, key)
    items: dict[int, dict] = {}
    for name, messages in form.errors.items():
        if corrections_sent is not None and name in rows:
            number, key = rows[name]
            items.setdefault(number, {})[key] = list(messages)
        else:
            errors["non_field_errors" if name == "__all__" else name] = list(messages)
    if items:
        count = max(corrections_sent or 0, *items)
        errors[CORRECTIONS_FIELD] = [items.get(number, {}) for number in range(1, count + 1)]
    return errors


REPRESENTATIVE_FIELD = "representative"
# The representative's JSON keys and the web form's names for them.
REPRESENTATIVE_KEYS = {
    "full_name": "representative_name",
    "email": "representative_email",
    "relationship": "relationship",
    "minor_age_band": "minor_age_band",
    "contact": "contact",
    "subject_language": "subject_language",
    "mandate_statement": "mandate_statement",
}


def representative_form(data, *, email_required: bool):
    """The ``representative`` object of a submission bound to the web form's
    ``RepresentativeForm`` (its document given as base64), or None when the
    subject asks for themselves. Raises a 400 naming the field when its shape
    is wrong; the form then validates the values as on the page."""
    from requests_app.representation.forms import RepresentativeForm

    value = data.get(REPRESENTATIVE_FIELD) if isinstance(data, dict) else None
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {*REPRESENTATIVE_KEYS, "mandate_document"}:
        raise exceptions.ValidationError(
            {REPRESENTATIVE_FIELD: [_("Expected an object with the representative's fields.")]}
        )
    fields = {"on_behalf": "on"}
    for key, name in REPRESENTATIVE_KEYS.items():
        if value.get(key) is not None:
            if not isinstance(value[key], str):
                raise exceptions.ValidationError({REPRESENTATIVE_FIELD: {key: [_("Expected a single value.")]}})
            fields[name] = value[key]
    files = {}
    document = value.get("mandate_document")
    if document is not None:
        try:
            content = base64.b64decode(document["content_base64"], validate=True)
            name = str(document.get("name") or "mandate")[:200]
        except (TypeError, KeyError, ValueError, binascii.Error) as exc:
            raise exceptions.ValidationError(
                {REPRESENTATIVE_FIELD: {"mandate_document": [_("Expected a name and the file in base64.")]}}
            ) from exc
        files["mandate_document"] = SimpleUploadedFile(name, content)
    form = RepresentativeForm(data=fields, files=files, email_required=email_required)
    if not form.is_valid():
        keys = {name: key for key, name in REPRESENTATIVE_KEYS.items()}
        errors = {keys.get(name, name): list(messages) for name, messages in form.errors.items()}
        raise exceptions.ValidationError({REPRESENTATIVE_FIELD: errors})
    return form


def _without_representative(data):
    if isinstance(data, dict) and REPRESENTATIVE_FIELD in data:
        return {key: value for key, value in data.items() if key != REPRESENTATIVE_FIELD}
    return data


def submit(request):
    """Validate with RequestForm and record with submit_request, as the web form does.

    Returns None for a bot caught by the honeypot, which is answered like a person.
    """
    from requests_app.intake import register_cache
    from requests_app.intake.forms import RequestForm
    from requests_app.intake.services import RateLimited, submit_request
    from requests_app.intake.views import client_ip

    # The register's version was read with the flood guard (PublicSubmitThrottle),
    # which also counted this submission's own limits (given back if it is refused here).
    register = register_cache.snapshot(version=getattr(request, "intake_register_version", register_cache.UNREAD))
    counted = getattr(request, "intake_counted", None)
    accepted = False
    try:
        form = RequestForm(
            data=form_data(_without_representative(request.data)), register=register, sent_fields_only=True
        )
        if form.honeypot_filled:
            return None
        representative = representative_form(request.data, email_required=True)
        if representative is not None:
            form.fields["email"].required = representative.subject_address_needed
        if not form.is_valid():
            sent = request.data.get(CORRECTIONS_FIELD) if isinstance(request.data, dict) else None
            corrections_sent = len(sent) if isinstance(sent, list) else None
            raise exceptions.ValidationError(form_errors(form, corrections_sent=corrections_sent))
        accepted = True
    finally:
        if not accepted and counted is not None:
            counted.give_back()  # refused before it counts (invalid, a bot): it uses up no limit
    try:
        return submit_request(
            form.cleaned_data,
            channel=Channel.API,
            client_ip=client_ip(request),
            merge_repeats=False,
            representation=representative.cleaned_data["representation"] if representative else None,
            counted=counted,
        )
    except RateLimited as exc:
        wait = getattr(exc, "retry_after", None)
        raise exceptions.Throttled(
            wait=wait, detail=_("Too many requests from this address: please try again later.")
        ) from exc


def _staff_form_class():
    # Imported late: the workspace's forms read the processing register at import of their choices.
    from requests_app.workspace.forms import StaffRequestForm

    class ApiStaffRequestForm(StaffRequestForm):
        """The workspace's "log a request" form, with the moment of receipt as one value."""

        received_at = forms.DateTimeField(required=False)

        def clean_received_at(self):
            value = self.cleaned_data.get("received_at")
            if value is None:
                return None
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            now = timezone.now()
            if value > now + dt.timedelta(minutes=5):
                raise forms.ValidationError(_("The date of receipt cannot be in the future."))
            if timezone.localdate(value) < timezone.localdate(now) - dt.timedelta(days=365):
                raise forms.ValidationError(_("The date of receipt is more than a year ago; check it."))
            return min(value, now)

    return ApiStaffRequestForm


def staff_create(request):
    """A request received by e-mail, letter, phone or in person, logged by staff
    with a token: the workspace page's validation and the workflow's role rules."""
    from requests_app import permissions, workflow

    user = request.user
    if not permissions.can_handle_requests(user):
        # No request exists to hold an action.refused event: the log keeps who tried.
        log.warning("API: %s may not log requests (role); refused.", user.get_username())
        raise exceptions.PermissionDenied(_("Your role does not allow logging requests."))
    form = _staff_form_class()(data=form_data(_without_representative(request.data)))
    representative = representative_form(request.data, email_required=False)
    form.represented = representative is not None
    if not form.is_valid():
        sent = request.data.get(CORRECTIONS_FIELD) if isinstance(request.data, dict) else None
        corrections_sent = len(sent) if isinstance(sent, list) else None
        raise exceptions.ValidationError(form_errors(form, corrections_sent=corrections_sent))
    data = form.cleaned_data
    with transaction.atomic():  # the first e-mails already go where the mandate says
        subject_request = workflow.create_request(
            actor=user,
            request_type=data["request_type"],
            full_name=data["full_name"],
            email=data["email"],
            language=data["language"],
            channel=data["channel"],
            received_at=data.get("received_at") or timezone.now(),
            **form.request_fields(),
        )
        if representative is not None:
            from requests_app.representation.services import attach_representative

            attach_representative(subject_request, data=representative.cleaned_data["representation"], actor=user)
    return subject_request


def change_type_form(request, subject_request):
    """The workspace's change-type form, bound to the request body and valid,
    or the form's errors as the intake answers them (400)."""
    from requests_app.workspace.forms import ChangeTypeForm

    form = ChangeTypeForm(data=form_data(request.data), subject_request=subject_request)
    if not form.is_valid():
        sent = request.data.get(CORRECTIONS_FIELD) if isinstance(request.data, dict) else None
        corrections_sent = len(sent) if isinstance(sent, list) else None
        raise exceptions.ValidationError(form_errors(form, corrections_sent=corrections_sent))
    return form
