"""The public intake through the API: the web form's own validation and service.

``requests_app.intake`` (the subject's pages) owns the rules; this module only
turns JSON into the form's input and the form's errors into JSON.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions

from requests_app.models import Channel

# Fields that take several values; every other field takes one.
LIST_FIELDS = ("objection_activities", "withdrawal_consents")


def form_data(data) -> dict:
    """The request body as the form's ``data``, refusing values of the wrong shape
    (a list where one value is expected would otherwise be read as its text)."""
    if hasattr(data, "getlist"):  # form-encoded or multipart: already what a form reads
        return data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    errors, clean = {}, {}
    for name, value in data.items():
        if name in LIST_FIELDS:
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


def form_errors(form) -> dict:
    errors = {}
    for name, messages in form.errors.items():
        errors["non_field_errors" if name == "__all__" else name] = list(messages)
    return errors


def submit(request):
    """Validate with RequestForm and record with submit_request, as the web form does.

    Returns None for a bot caught by the honeypot, which is answered like a person.
    """
    from requests_app.intake.forms import RequestForm
    from requests_app.intake.services import RateLimited, submit_request
    from requests_app.intake.views import client_ip

    form = RequestForm(data=form_data(request.data))
    if form.honeypot_filled:
        return None
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    try:
        return submit_request(form.cleaned_data, channel=Channel.API, client_ip=client_ip(request), merge_repeats=False)
    except RateLimited as exc:
        wait = getattr(exc, "retry_after", None)
        raise exceptions.Throttled(
            wait=wait, detail=_("Too many requests from this address: please try again later.")
        ) from exc
