"""Every kind of event the audit trail records, in the words of a DPO.

The single list of event kinds: the workspace timeline, the API's events
endpoint and the webhook documentation read it, and a test fails when the
code records a kind that is missing here (``tests/requests_app/audit/test_event_labels.py``).
What the subject reads about public events is worded for them in
``requests_app.intake.timeline``.

``facts`` turns an event's details into short phrases (counts, formats,
source names, months of extension). Details hold no personal data (see
``workflow.record_event``); the phrases are built from codes and numbers only,
never from free text, which the request page shows on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from requests_app.register import facts as register_facts


class Names:
    """Source and recipient names by code, each table read at most once per page."""

    def __init__(self) -> None:
        self._sources: dict[str, str] | None = None
        self._recipients: dict[str, str] | None = None

    def source(self, code: str) -> str:
        if self._sources is None:
            from dsar.models import Connector

            self._sources = dict(Connector.objects.values_list("code", "name"))
        return self._sources.get(code) or code

    def recipient(self, code: str) -> str:
        if self._recipients is None:
            from dsar.models import Recipient

            self._recipients = dict(Recipient.objects.values_list("code", "name"))
        return self._recipients.get(code) or code


Facts = Callable[[dict, Names], list[str]]


def _no_facts(details: dict, names: Names) -> list[str]:
    return []


@dataclass(frozen=True)
class EventKind:
    label: Promise
    facts: Facts = field(default=_no_facts)
    # The details' "reason" is text staff typed for the file: shown as written,
    # on the request page only (it may name people, so never in facts).
    typed_reason: bool = False


# ------------------------------------------------------------------------------
# Details in words
# ------------------------------------------------------------------------------
def _number(value) -> str:
    return formats.number_format(value, force_grouping=True)


def _count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _date(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value or "")


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def _format_name(value) -> str:
    from dsar.exports.models import ExportFile

    return _choice(ExportFile.Format.choices, value)


def _records(n: int) -> str:
    return ngettext("%(n)s record", "%(n)s records", n) % {"n": _number(n)}


def _created(details: dict, names: Names) -> list[str]:
    from requests_app.models import Channel, IdentityCheck, RequestType

    facts = []
    if details.get("type"):
        facts.append(_choice(RequestType.choices, details["type"]))
    if details.get("channel"):
        facts.append(_("received by: %(channel)s") % {"channel": _choice(Channel.choices, details["channel"])})
    if details.get("identity_check"):
        check = _choice(IdentityCheck.choices, details["identity_check"])
        facts.append(_("identity checked: %(how)s") % {"how": check})
    return facts


def _representation(details: dict, names: Names) -> list[str]:
    from requests_app.representation.models import AgeBand, Contact, MandateKind, Relationship

    facts = []
    if details.get("relationship"):
        facts.append(_choice(Relationship.choices, details["relationship"]))
    if details.get("age_band"):
        facts.append(_("age: %(band)s") % {"band": _choice(AgeBand.choices, details["age_band"])})
    if details.get("mandate"):
        facts.append(_choice(MandateKind.choices, details["mandate"]))
    if details.get("contact"):
        facts.append(_("we write to: %(whom)s") % {"whom": _choice(Contact.choices, details["contact"])})
    return facts


def _assigned(details: dict, names: Names) -> list[str]:
    assignee = details.get("assignee")
    return [_("to %(user)s") % {"user": assignee}] if assignee else [_("nobody is assigned now")]


def _type_changed(details: dict, names: Names) -> list[str]:
    from requests_app.models import RequestType

    return [
        _("from %(old)s to %(new)s")
        % {
            "old": _choice(RequestType.choices, details.get("from")),
            "new": _choice(RequestType.choices, details.get("to")),
        }
    ]


def _in_review(details: dict, names: Names) -> list[str]:
    if "plan_status" in details:
        from dsar.execution.models import Plan

        items = _count(details.get("items"))
        return [
            _("plan: %(status)s") % {"status": _choice(Plan.Status.choices, details["plan_status"])},
            ngettext("%(n)s planned action", "%(n)s planned actions", items) % {"n": _number(items)},
        ]
    if "sources" not in details:
        return []
    sources = _count(details.get("sources"))
    facts = [
        _records(_count(details.get("records"))),
        ngettext("from %(n)s source", "from %(n)s sources", sources) % {"n": _number(sources)},
    ]
    failed = details.get("failed") or []
    if failed:
        facts.append(_("failed: %(sources)s") % {"sources": ", ".join(names.source(code) for code in failed)})
    return facts


def _rejected(details: dict, names: Names) -> list[str]:
    from requests_app.models import RejectionReason

    return [_choice(RejectionReason.choices, details.get("reason"))] if details.get("reason") else []


def _extended(details: dict, names: Names) -> list[str]:
    months = _count(details.get("months"))
    facts = [ngettext("by %(n)s month", "by %(n)s months", months) % {"n": months}] if months else []
    if details.get("from") and details.get("to"):
        facts.append(
            _("deadline moved from %(old)s to %(new)s") % {"old": _date(details["from"]), "new": _date(details["to"])}
        )
    return facts


# Why the system purged a request (the reasons it records are codes).
_PURGE_REASONS = {
    "erasure fulfilled": gettext_lazy("after the erasure was carried out"),
    "unverified": gettext_lazy("the e-mail address was never confirmed"),
    "retention": gettext_lazy("the retention period of the request's data ended"),
}


def _purged(details: dict, names: Names) -> list[str]:
    reason = details.get("reason")
    return [str(_PURGE_REASONS.get(reason, reason))] if reason else []


# Refused actions that are not transitions of the workflow table.
_OTHER_ACTIONS = {
    "approve_plan": gettext_lazy("Approve the execution plan"),
    "choose_categories": gettext_lazy("Choose the data categories to erase"),
    "exclude_records": gettext_lazy("Leave records out of the copy"),
    "check_mandate": gettext_lazy("Record the mandate check"),
    "open_mandate": gettext_lazy("Open the representative's mandate"),
}


def _refused(details: dict, names: Names) -> list[str]:
    from requests_app.workflow import TRANSITIONS

    action = details.get("action") or ""
    if action in TRANSITIONS:
        return [str(TRANSITIONS[action].label)]
    return [str(_OTHER_ACTIONS.get(action, action))] if action else []


def _source(details: dict, names: Names) -> list[str]:
    return [names.source(details["source"])] if details.get("source") else []


def _task_completed(details: dict, names: Names) -> list[str]:
    files = _count(details.get("files"))
    facts = _source(details, names)
    if files:
        facts.append(ngettext("%(n)s file attached", "%(n)s files attached", files) % {"n": _number(files)})
    return facts


def _generated(details: dict, names: Names) -> list[str]:
    facts = []
    if details.get("formats"):
        facts.append(", ".join(_format_name(f) for f in details["formats"]))
    if "records" in details:
        facts.append(_records(_count(details["records"])))
    return facts


def _export_failed(details: dict, names: Names) -> list[str]:
    # Library and package names, from WeasyPrint's error and system-packages.txt: no personal data.
    facts = []
    if details.get("missing"):
        facts.append(_("%(library)s cannot be loaded") % {"library": details["missing"]})
    if details.get("packages"):
        facts.append(_("install: %(packages)s") % {"packages": " ".join(details["packages"])})
    return facts


def _records_changed(details: dict, names: Names) -> list[str]:
    return [_records(_count(details.get("count")))]


def _fields_changed(details: dict, names: Names) -> list[str]:
    n = _count(details.get("count"))
    return [ngettext("%(n)s field", "%(n)s fields", n) % {"n": _number(n)}]


def _format(details: dict, names: Names) -> list[str]:
    return [_format_name(details["format"])] if details.get("format") else []


def _records_read(details: dict, names: Names) -> list[str]:
    return [_records(_count(details.get("records")))]


def _files_deleted(details: dict, names: Names) -> list[str]:
    files = _count(details.get("files"))
    return [ngettext("%(n)s file", "%(n)s files", files) % {"n": _number(files)}]


def _plan_approved(details: dict, names: Names) -> list[str]:
    from requests_app.intake.details import ErasureGround

    items = _count(details.get("items"))
    facts = [ngettext("%(n)s planned action", "%(n)s planned actions", items) % {"n": _number(items)}]
    if details.get("erasure_ground"):
        ground = _choice(ErasureGround.choices, details["erasure_ground"])
        facts.append(_("ground of Art. 17(1): %(ground)s") % {"ground": ground})
    return facts


def _plan_executed(details: dict, names: Names) -> list[str]:
    from dsar.execution.models import Plan
    from dsar.models import SourceRun

    facts = []
    if details.get("status"):
        facts.append(_choice(Plan.Status.choices, details["status"]))
    per_source = [
        _("%(source)s: %(status)s")
        % {
            "source": names.source(entry.get("source", "")),
            "status": _choice(SourceRun.Status.choices, entry.get("status")),
        }
        for entry in details.get("sources") or []
        if isinstance(entry, dict)
    ]
    if per_source:
        facts.append(", ".join(per_source))
    return facts


def _plan_item(details: dict, names: Names) -> list[str]:
    from dsar.execution.models import Action, Exception17

    facts = _source(details, names)
    if details.get("action"):
        facts.append(_choice(Action.choices, details["action"]))
    if details.get("reason"):
        facts.append(_choice(Exception17.choices, details["reason"]))
    return facts


def _deferred_done(details: dict, names: Names) -> list[str]:
    records, remaining = _count(details.get("records")), _count(details.get("remaining"))
    facts = [
        ngettext("%(n)s record erased", "%(n)s records erased", records) % {"n": _number(records)},
    ]
    if remaining:
        facts.append(
            ngettext("%(n)s still kept or waiting", "%(n)s still kept or waiting", remaining)
            % {"n": _number(remaining)}
        )
    return facts


def _fields_approved(details: dict, names: Names) -> list[str]:
    approved, proposed = _count(details.get("approved")), _count(details.get("proposed"))
    return [
        *_source(details, names),
        ngettext(
            "%(n)s of %(total)s corrected field approved", "%(n)s of %(total)s corrected fields approved", approved
        )
        % {"n": _number(approved), "total": _number(proposed)},
    ]


def _categories_chosen(details: dict, names: Names) -> list[str]:
    from dsar.models import DataCategory, pick

    codes = [str(code) for code in details.get("categories") or []]
    known = {c.code: pick(c.names) or c.code for c in DataCategory.objects.filter(code__in=codes)}
    return [", ".join(known.get(code, code) for code in codes)] if codes else []


def _recipient_list(codes, names: Names) -> str:
    return ", ".join(names.recipient(code) for code in codes or [])


def _notified(details: dict, names: Names) -> list[str]:
    facts = []
    if details.get("recipients"):
        facts.append(_("sent to %(recipients)s") % {"recipients": _recipient_list(details["recipients"], names)})
    else:
        facts.append(_("no recipient to notify by e-mail"))
    if details.get("without_email"):
        facts.append(
            _("to notify by other means (no e-mail address): %(recipients)s")
            % {"recipients": _recipient_list(details["without_email"], names)}
        )
    return facts


def _recipient(details: dict, names: Names) -> list[str]:
    return [names.recipient(details["recipient"])] if details.get("recipient") else []


def _told(details: dict, names: Names) -> list[str]:
    if not details.get("recipients"):
        return [_("no recipient to name")]
    return [_recipient_list(details["recipients"], names)]


def _lift_reason(details: dict, names: Names) -> list[str]:
    from requests_app.execution.services import LiftReason

    facts = [_choice(LiftReason.choices, details.get("reason"))] if details.get("reason") else []
    items = _count(details.get("items"))
    if items:
        facts.append(ngettext("%(n)s action", "%(n)s actions", items) % {"n": _number(items)})
    return facts


def _organisation(details: dict, names: Names) -> list[str]:
    # The other controller of a portability request (Art. 20(2)): an organisation.
    facts = [str(details["organisation"])] if details.get("organisation") else []
    decision = details.get("decision")
    if decision == "send":
        facts.append(_("to be sent"))
    elif decision == "not_feasible":
        facts.append(_("not technically feasible"))
    return facts + _format(details, names)


def _email_name(details: dict, names: Names) -> list[str]:
    # The template's name (a code, e.g. "reject_notice"): tells the DPO which message to send by post.
    name = details.get("email")
    return [str(name)] if name else []


def _controller(details: dict, names: Names) -> list[str]:
    # An organisation's name, never a person's (forwarding.forward_request).
    name = details.get("controller")
    return [str(name)] if name else []


def _hold_ground(details: dict, names: Names) -> list[str]:
    from requests_app.models import HoldReason

    return [_choice(HoldReason.choices, details["ground"])] if details.get("ground") else []


def _not_notified(details: dict, names: Names) -> list[str]:
    from dsar.execution.models import NotNotifiedReason

    facts = _recipient(details, names)
    if details.get("ground"):
        facts.append(_choice(NotNotifiedReason.choices, details["ground"]))
    return facts


def _identity_check(details: dict, names: Names) -> list[str]:
    from requests_app.models import IdentityCheck

    return [_choice(IdentityCheck.choices, details["identity_check"])] if details.get("identity_check") else []


def _fee(details: dict, names: Names) -> list[str]:
    from requests_app.models import RejectionReason

    facts = [f"EUR {details['amount']}"] if details.get("amount") else []
    if details.get("ground"):
        facts.append(_choice(RejectionReason.choices, details["ground"]))
    return facts


def _evidence(details: dict, names: Names) -> list[str]:
    if "chain_intact" not in details:
        return []
    return [_("audit trail intact") if details["chain_intact"] else _("audit trail broken")]


# ------------------------------------------------------------------------------
# The registry
# ------------------------------------------------------------------------------
EVENT_KINDS: dict[str, EventKind] = {
    # The request's workflow (requests_app/workflow/)
    "request.created": EventKind(gettext_lazy("Request received"), _created),
    "request.verify": EventKind(gettext_lazy("E-mail address confirmed")),
    "request.expire": EventKind(gettext_lazy("Expired unconfirmed")),
    "request.cancel": EventKind(gettext_lazy("Cancelled")),
    "request.subject_reply": EventKind(gettext_lazy("The subject replied")),
    "request.assigned": EventKind(gettext_lazy("Assigned"), _assigned),
    "request.type_changed": EventKind(gettext_lazy("Type changed"), _type_changed, typed_reason=True),
    "request.request_info": EventKind(gettext_lazy("Information asked of the subject")),
    "request.approve": EventKind(gettext_lazy("Approved")),
    "request.processing_started": EventKind(gettext_lazy("Processing started")),
    "request.in_review": EventKind(gettext_lazy("Ready for review"), _in_review),
    "request.fulfilled": EventKind(gettext_lazy("Released to the subject")),
    "request.rejected": EventKind(gettext_lazy("Rejected"), _rejected),
    "request.extended": EventKind(gettext_lazy("Deadline extended"), _extended),
    "request.close": EventKind(gettext_lazy("Closed"), typed_reason=True),
    "request.forwarded": EventKind(gettext_lazy("Forwarded to the controller"), _controller, typed_reason=True),
    # The privacy mailbox (requests_app/inbox/)
    "inbox.converted": EventKind(gettext_lazy("Made from an e-mail to the privacy address")),
    "inbox.attached": EventKind(gettext_lazy("E-mail from the privacy mailbox added")),
    # Forwarded requests (requests_app/forwarding/)
    "forwarding.acknowledged": EventKind(
        gettext_lazy("The controller acknowledged the forwarded request"), _controller
    ),
    "forwarding.reminded": EventKind(gettext_lazy("Controller reminded of the forwarded request"), _controller),
    "note.added": EventKind(gettext_lazy("Note added")),
    "national_number.revealed": EventKind(gettext_lazy("National number revealed"), typed_reason=True),
    "request.purged": EventKind(gettext_lazy("Personal data purged"), _purged),
    "request.records_deleted": EventKind(gettext_lazy("Records deleted at the end of the retention period")),
    # Retention holds (workflow.place_retention_hold / lift_retention_hold)
    "retention_hold.placed": EventKind(gettext_lazy("Retention hold placed"), _hold_ground, typed_reason=True),
    "retention_hold.lifted": EventKind(gettext_lazy("Retention hold lifted"), _hold_ground, typed_reason=True),
    "attachment.deleted": EventKind(gettext_lazy("Attachment deleted")),
    "attachment.downloaded": EventKind(gettext_lazy("Attachment opened by staff")),
    "action.refused": EventKind(gettext_lazy("Action refused"), _refused),
    # requests_app/emails.py: the subject has no e-mail address (logged from a letter or a call)
    "email.not_sent": EventKind(gettext_lazy("No e-mail address: this message must be sent by post"), _email_name),
    # Gathering (requests_app/gathering/)
    "source.retried": EventKind(gettext_lazy("Source searched again"), _source),
    "source.manual_task_completed": EventKind(gettext_lazy("Manual search completed"), _task_completed),
    # The copy of the data (requests_app/delivery/)
    "export.generated": EventKind(gettext_lazy("Copy of the data generated"), _generated),
    "export.failed": EventKind(gettext_lazy("Copy of the data could not be generated"), _export_failed),
    # Art. 12(1), 15: released by the DPO's choice while a source could not be searched (the reason is kept).
    "release.incomplete": EventKind(
        gettext_lazy("Released although a source could not be searched"), typed_reason=True
    ),
    # Four eyes (ControllerProfile.release_needs_second_approval, delivery/release.py)
    "release.requested": EventKind(gettext_lazy("Release asked for: waits for a second DPO's approval"), _generated),
    "release.approved": EventKind(gettext_lazy("Release approved by a second DPO")),
    "release.withdrawn": EventKind(gettext_lazy("Request to release withdrawn")),
    "export.records_excluded": EventKind(gettext_lazy("Records left out of the copy"), _records_changed),
    "export.records_included": EventKind(gettext_lazy("Records put back in the copy"), _records_changed),
    # Art. 15(4): one field of a record withheld, the record kept (requests_app/delivery/services.set_withheld).
    "export.fields_withheld": EventKind(gettext_lazy("Fields withheld from the copy"), _fields_changed),
    "export.fields_given_back": EventKind(gettext_lazy("Withheld fields given back in the copy"), _fields_changed),
    "export.records_unconfirmed": EventKind(
        gettext_lazy("Records found only by unverified identifiers left out of the copy"), _records_changed
    ),
    "export.previewed": EventKind(gettext_lazy("Copy previewed by staff"), _format),
    "export.records_read": EventKind(gettext_lazy("Gathered records read by staff"), _records_read),
    "export.downloaded": EventKind(gettext_lazy("Copy downloaded by the subject"), _format),
    "export.transmission_decided": EventKind(
        gettext_lazy("Decided how the copy goes to the other organisation (Art. 20(2))"), _organisation
    ),
    "export.transmitted": EventKind(gettext_lazy("Copy sent to the other organisation"), _organisation),
    "export.downloaded_by_organisation": EventKind(
        gettext_lazy("Copy downloaded by the other organisation"), _organisation
    ),
    "export.files_deleted": EventKind(gettext_lazy("Files of the copy deleted (link expired)"), _files_deleted),
    # Acting on the data (requests_app/execution/)
    "plan.approved": EventKind(gettext_lazy("Execution plan approved"), _plan_approved),
    "plan.executed": EventKind(gettext_lazy("Execution plan carried out"), _plan_executed),
    "plan.recomputed": EventKind(gettext_lazy("Execution plan computed again")),
    "plan.resumed": EventKind(gettext_lazy("Execution resumed for the failed sources")),
    "plan.item_kept": EventKind(gettext_lazy("Record kept from the erasure (Art. 17(3))"), _plan_item),
    "plan.item_left_out": EventKind(gettext_lazy("Step left out of the plan"), _plan_item),
    "plan.item_included": EventKind(gettext_lazy("Step put back in the plan"), _plan_item),
    "plan.items_unconfirmed": EventKind(
        gettext_lazy("Steps on records found only by unverified identifiers left out of the plan"), _records_changed
    ),
    "plan.fields_approved": EventKind(gettext_lazy("Corrected fields approved"), _fields_approved),
    "plan.task_completed": EventKind(gettext_lazy("Manual task of the plan done"), _source),
    "plan.categories_chosen": EventKind(gettext_lazy("Data categories to erase chosen"), _categories_chosen),
    "erasure.deferred_done": EventKind(
        gettext_lazy("Records kept under a legal hold erased when it ended"), _deferred_done
    ),
    "recipients.notified": EventKind(gettext_lazy("Recipients notified of the changes (Art. 19)"), _notified),
    "recipient.reminded": EventKind(gettext_lazy("Recipient reminded of the notice"), _recipient),
    "recipient.acknowledged": EventKind(gettext_lazy("Recipient confirmed the notice"), _recipient),
    "recipients.told": EventKind(gettext_lazy("Subject told who the recipients are"), _told),
    "restriction.lifted": EventKind(gettext_lazy("Restriction lifted (subject told first, Art. 18(3))"), _lift_reason),
    "restriction.lift_scheduled": EventKind(
        gettext_lazy("Lifting of the restriction scheduled (subject told first, Art. 18(3))"), _lift_reason
    ),
    "restriction.lift_cancelled": EventKind(gettext_lazy("Scheduled lifting of the restriction cancelled")),
    "recipient.not_notified": EventKind(
        gettext_lazy("Recipient not notified, with the reason (Art. 19)"), _not_notified, typed_reason=True
    ),
    "recipient.notified_other_means": EventKind(
        gettext_lazy("Recipient notified by other means than e-mail (Art. 19)"), _recipient
    ),
    # Issue 14: absolute rights, repeats, patient requests, identity, fees
    "request.double_joined": EventKind(gettext_lazy("An identical request was joined to this one")),
    "request.related": EventKind(gettext_lazy("Another request of the same right received")),
    "request.forwarding_closed": EventKind(gettext_lazy("Closed: the care provider acknowledged the request")),
    "identity.checked": EventKind(gettext_lazy("Identity check recorded"), _identity_check, typed_reason=True),
    "fee.announced": EventKind(gettext_lazy("Fee announced to the subject (Art. 12(5))"), _fee),
    # requests_app.audit.evidence: who took the request's evidence out, and whether its trail was intact then.
    "evidence.exported": EventKind(gettext_lazy("Evidence pack made for the supervisory authority"), _evidence),
    # Issue 18: requests made by a representative
    "representation.recorded": EventKind(gettext_lazy("Made by a representative"), _representation),
    "mandate.accepted": EventKind(gettext_lazy("Representative's mandate accepted"), _representation),
    "mandate.refused": EventKind(gettext_lazy("Better mandate asked of the representative"), _representation),
    "mandate.downloaded": EventKind(gettext_lazy("Representative's mandate opened")),
    "representation.subject_informed": EventKind(gettext_lazy("Subject told that a representative asked for them")),
}

# The register's own trail, outside any request (requests_app/register/, RegisterEvent): labelled
# here with the rest, but never a request's event, so not in the API's event kinds nor the webhooks'.
REGISTER_EVENT_KINDS: dict[str, EventKind] = {
    "register.loaded": EventKind(gettext_lazy("Configuration file loaded"), register_facts.loaded),
    "source.connection_tested": EventKind(gettext_lazy("Connection tested"), register_facts.tested),
    "source.previewed": EventKind(gettext_lazy("Source previewed for one subject (masked)"), register_facts.previewed),
}


def _kind(kind: str) -> EventKind | None:
    return EVENT_KINDS.get(kind) or REGISTER_EVENT_KINDS.get(kind)


def label(kind: str) -> str:
    """The kind in words; a kind nobody described yet shows as recorded."""
    entry = _kind(kind)
    return str(entry.label) if entry else kind


def facts(event, names: Names | None = None) -> list[str]:
    """Short phrases from the event's details, in the active language."""
    entry = _kind(event.kind)
    if entry is None or not isinstance(event.details, dict):
        return []
    return [fact for fact in entry.facts(event.details, names or Names()) if fact]


def typed_reason(event, notes: dict[int, str] | None = None) -> str:
    """The reason staff typed for this event, if its kind carries one.

    Newer events point to an internal note (``details["note"]``), which the
    purge blanks; older ones carried the text in the details.
    """
    entry = EVENT_KINDS.get(event.kind)
    if entry is None or not entry.typed_reason or not isinstance(event.details, dict):
        return ""
    if "note" in event.details:
        return (notes or {}).get(event.details["note"], "")
    return str(event.details.get("reason") or "")


def _reason_notes(events: list) -> dict[int, str]:
    from requests_app.models import InternalNote

    ids = {
        event.details["note"]
        for event in events
        if isinstance(event.details, dict)
        and isinstance(event.details.get("note"), int)
        and getattr(EVENT_KINDS.get(event.kind), "typed_reason", False)
    }
    return dict(InternalNote.objects.filter(pk__in=ids).values_list("pk", "body")) if ids else {}


def annotate(events: Iterable) -> list:
    """Give each event what a timeline shows: ``label``, ``facts``, the
    ``reason`` staff typed, who acted (``by``) and its statuses in words."""
    from requests_app.models import Status
    from requests_app.workflow import SUBJECT, SYSTEM

    statuses = dict(Status.choices)
    by_marker = {SUBJECT: _("by the subject"), SYSTEM: _("by the system")}
    names = Names()
    events = list(events)
    notes = _reason_notes(events)
    for event in events:
        event.label = label(event.kind)
        event.facts = facts(event, names)
        event.reason = typed_reason(event, notes)
        event.by = by_marker.get(event.actor_label) or _("by %(user)s") % {"user": event.actor_label}
        event.status_before_label = str(statuses.get(event.status_before, event.status_before))
        event.status_after_label = str(statuses.get(event.status_after, event.status_after))
    return events
