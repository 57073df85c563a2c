"""What the subject reads on their status page: statuses and events in plain words."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from requests_app.models import RequestType, Status

STATUS_FOR_SUBJECT = {
    Status.UNVERIFIED: gettext_lazy("Waiting for you to confirm your e-mail address"),
    Status.NEW: gettext_lazy("Received: we will handle it soon"),
    Status.AWAITING_SUBJECT: gettext_lazy("Waiting for your answer"),
    Status.APPROVED: gettext_lazy("In progress"),
    Status.PROCESSING: gettext_lazy("In progress"),
    Status.IN_REVIEW: gettext_lazy("In progress: final checks"),
    Status.FORWARDED: gettext_lazy("Forwarded to the care provider, who answers you"),
    Status.FULFILLED: gettext_lazy("Done"),
    Status.CLOSED: gettext_lazy("Closed"),
    Status.REJECTED: gettext_lazy("Refused"),
    Status.CANCELLED: gettext_lazy("Cancelled"),
    Status.EXPIRED: gettext_lazy("Expired: the e-mail address was not confirmed in time"),
}

_EVENT_TEXT = {
    "request.created": gettext_lazy("We received your request."),
    "request.verify": gettext_lazy("You confirmed your e-mail address."),
    "request.expire": gettext_lazy("The request expired because the e-mail address was not confirmed."),
    "request.cancel": gettext_lazy("The request was cancelled."),
    "request.subject_reply": gettext_lazy("You sent us an answer."),
    "request.request_info": gettext_lazy("We asked you for more information."),
    "request.approve": gettext_lazy("We accepted your request and started to handle it."),
    "request.processing_started": gettext_lazy("We are handling your request in our systems."),
    "request.in_review": gettext_lazy("We are checking the result before we send it."),
    "request.fulfilled": gettext_lazy("We completed your request."),
    "export.transmitted": gettext_lazy("We sent a copy of your data to the organisation you named."),
    "export.downloaded_by_organisation": gettext_lazy("The organisation you named downloaded the copy we sent it."),
    "request.rejected": gettext_lazy("We refused your request."),
    "request.close": gettext_lazy("The request was closed."),
    "recipients.told": gettext_lazy("We sent you the list of the organisations that received your data."),
    "restriction.lifted": gettext_lazy("We lifted the restriction of your data, as announced to you by e-mail."),
    "restriction.lift_scheduled": gettext_lazy(
        "We told you by e-mail that the restriction of your data will be lifted, and from which date."
    ),
    "restriction.lift_cancelled": gettext_lazy("The restriction of your data stays: we will not lift it now."),
    "request.double_joined": gettext_lazy("We received the same request again and joined it to this one."),
    "request.forwarding_closed": gettext_lazy("The care provider confirmed that it received your request."),
    "fee.announced": gettext_lazy("We told you that we may ask a fee, and why. Tell us how you wish to go on."),
}
# Only access and portability send the subject a result to check first; for
# the other rights the request is in review while the DPO checks the plan of
# changes, before anything in our systems changes.
_IN_REVIEW_TEXT = {
    RequestType.RECTIFICATION: gettext_lazy("We prepared the corrections and are checking them before we make them."),
    RequestType.ERASURE: gettext_lazy(
        "We prepared the erasure of your data and are checking it before we carry it out."
    ),
    RequestType.RESTRICTION: gettext_lazy(
        "We prepared the restriction of your data and are checking it before we apply it."
    ),
    RequestType.OBJECTION: gettext_lazy(
        "We prepared how to stop the uses of your data you object to, and are checking it before we do so."
    ),
    RequestType.WITHDRAWAL: gettext_lazy(
        "We prepared how to stop the uses of your data based on the consents you withdrew, and are checking it "
        "before we do so."
    ),
}
# Public kinds worded with the event's details (codes and dates only).
WORDED_FROM_DETAILS = ("request.extended", "request.type_changed", "export.downloaded", "request.forwarded")


def _date(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return ""


def describe(event) -> str:
    """One sentence for a public event; its details never go out verbatim,
    since staff may write reasons meant for the file."""
    if event.kind == "request.extended":
        return _("We extended the deadline to %(date)s.") % {"date": _date(event.details.get("to", ""))}
    if event.kind == "request.type_changed":
        label = dict(RequestType.choices).get(event.details.get("to"), "")
        return _("We recorded your request as: %(type)s.") % {"type": label}
    if event.kind == "request.forwarded":
        # An organisation's name (forwarding.forward_request), never a person's.
        return _("We forwarded your request to %(controller)s, which will answer you.") % {
            "controller": event.details.get("controller", "")
        }
    if event.kind == "export.downloaded":
        from dsar.exports.models import ExportFile

        file_format = dict(ExportFile.Format.choices).get(event.details.get("format"))
        if file_format:
            return _("The copy of your data was downloaded (%(format)s).") % {"format": file_format}
        return _("The copy of your data was downloaded.")
    if event.kind == "request.in_review" and event.request.request_type in _IN_REVIEW_TEXT:
        return str(_IN_REVIEW_TEXT[event.request.request_type])
    text = _EVENT_TEXT.get(event.kind)
    return str(text) if text else _("Your request was updated.")


def worded_kinds() -> set[str]:
    """The kinds the subject reads in words of their own (the others get a
    neutral line); a test checks that every public kind is among them."""
    return {*_EVENT_TEXT, *WORDED_FROM_DETAILS}
