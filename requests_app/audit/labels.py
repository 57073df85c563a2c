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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from requests_app.audit import facts
from requests_app.audit.facts import Names
from requests_app.register import facts as register_facts

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
# The registry
# ------------------------------------------------------------------------------
EVENT_KINDS: dict[str, EventKind] = {
    # The request's workflow (requests_app/workflow/)
    "request.created": EventKind(gettext_lazy("Request received"), facts.created),
    "request.verify": EventKind(gettext_lazy("E-mail address confirmed")),
    "request.expire": EventKind(gettext_lazy("Expired unconfirmed")),
    "request.cancel": EventKind(gettext_lazy("Cancelled")),
    "request.subject_reply": EventKind(gettext_lazy("The subject replied")),
    "request.assigned": EventKind(gettext_lazy("Assigned"), facts.assigned),
    "request.type_changed": EventKind(gettext_lazy("Type changed"), facts.type_changed, typed_reason=True),
    "request.request_info": EventKind(gettext_lazy("Information asked of the subject")),
    "request.approve": EventKind(gettext_lazy("Approved")),
    "request.processing_started": EventKind(gettext_lazy("Processing started")),
    "request.in_review": EventKind(gettext_lazy("Ready for review"), facts.in_review),
    "request.fulfilled": EventKind(gettext_lazy("Released to the subject")),
    "request.rejected": EventKind(gettext_lazy("Rejected"), facts.rejected),
    "request.extended": EventKind(gettext_lazy("Deadline extended"), facts.extended),
    "request.close": EventKind(gettext_lazy("Closed"), typed_reason=True),
    "request.forwarded": EventKind(gettext_lazy("Forwarded to the controller"), facts.controller, typed_reason=True),
    # The privacy mailbox (requests_app/inbox/)
    "inbox.converted": EventKind(gettext_lazy("Made from an e-mail to the privacy address")),
    "inbox.attached": EventKind(gettext_lazy("E-mail from the privacy mailbox added")),
    # Forwarded requests (requests_app/forwarding/)
    "forwarding.acknowledged": EventKind(
        gettext_lazy("The controller acknowledged the forwarded request"), facts.controller
    ),
    "forwarding.reminded": EventKind(gettext_lazy("Controller reminded of the forwarded request"), facts.controller),
    "note.added": EventKind(gettext_lazy("Note added")),
    "national_number.revealed": EventKind(gettext_lazy("National number revealed"), typed_reason=True),
    "request.purged": EventKind(gettext_lazy("Personal data purged"), facts.purged),
    "request.records_deleted": EventKind(gettext_lazy("Records deleted at the end of the retention period")),
    # Retention holds (workflow.place_retention_hold / lift_retention_hold)
    "retention_hold.placed": EventKind(gettext_lazy("Retention hold placed"), facts.hold_ground, typed_reason=True),
    "retention_hold.lifted": EventKind(gettext_lazy("Retention hold lifted"), facts.hold_ground, typed_reason=True),
    "attachment.deleted": EventKind(gettext_lazy("Attachment deleted")),
    "attachment.downloaded": EventKind(gettext_lazy("Attachment opened by staff")),
    "action.refused": EventKind(gettext_lazy("Action refused"), facts.refused),
    # requests_app/emails.py: the subject has no e-mail address (logged from a letter or a call)
    "email.not_sent": EventKind(gettext_lazy("No e-mail address: this message must be sent by post"), facts.email_name),
    # Gathering (requests_app/gathering/)
    "source.retried": EventKind(gettext_lazy("Source searched again"), facts.source),
    "source.manual_task_completed": EventKind(gettext_lazy("Manual search completed"), facts.task_completed),
    # The copy of the data (requests_app/delivery/)
    "export.generated": EventKind(gettext_lazy("Copy of the data generated"), facts.generated),
    "export.failed": EventKind(gettext_lazy("Copy of the data could not be generated"), facts.export_failed),
    # Art. 12(1), 15: released by the DPO's choice while a source could not be searched (the reason is kept).
    "release.incomplete": EventKind(
        gettext_lazy("Released although a source could not be searched"), typed_reason=True
    ),
    # Four eyes (ControllerProfile.release_needs_second_approval, delivery/release.py)
    "release.requested": EventKind(
        gettext_lazy("Release asked for: waits for a second DPO's approval"), facts.generated
    ),
    "release.approved": EventKind(gettext_lazy("Release approved by a second DPO")),
    "release.withdrawn": EventKind(gettext_lazy("Request to release withdrawn")),
    "export.records_excluded": EventKind(gettext_lazy("Records left out of the copy"), facts.records_changed),
    "export.records_included": EventKind(gettext_lazy("Records put back in the copy"), facts.records_changed),
    # Art. 15(4): one field of a record withheld, the record kept (requests_app/delivery/services.set_withheld).
    "export.fields_withheld": EventKind(gettext_lazy("Fields withheld from the copy"), facts.fields_changed),
    "export.fields_given_back": EventKind(gettext_lazy("Withheld fields given back in the copy"), facts.fields_changed),
    "export.records_unconfirmed": EventKind(
        gettext_lazy("Records found only by unverified identifiers left out of the copy"), facts.records_changed
    ),
    "export.previewed": EventKind(gettext_lazy("Copy previewed by staff"), facts.format),
    "export.records_read": EventKind(gettext_lazy("Gathered records read by staff"), facts.records_read),
    "export.downloaded": EventKind(gettext_lazy("Copy downloaded by the subject"), facts.format),
    "export.transmission_decided": EventKind(
        gettext_lazy("Decided how the copy goes to the other organisation (Art. 20(2))"), facts.organisation
    ),
    "export.transmitted": EventKind(gettext_lazy("Copy sent to the other organisation"), facts.organisation),
    "export.downloaded_by_organisation": EventKind(
        gettext_lazy("Copy downloaded by the other organisation"), facts.organisation
    ),
    "export.files_deleted": EventKind(gettext_lazy("Files of the copy deleted (link expired)"), facts.files_deleted),
    # Acting on the data (requests_app/execution/)
    "plan.approved": EventKind(gettext_lazy("Execution plan approved"), facts.plan_approved),
    "plan.executed": EventKind(gettext_lazy("Execution plan carried out"), facts.plan_executed),
    "plan.recomputed": EventKind(gettext_lazy("Execution plan computed again")),
    "plan.resumed": EventKind(gettext_lazy("Execution resumed for the failed sources")),
    "plan.item_kept": EventKind(gettext_lazy("Record kept from the erasure (Art. 17(3))"), facts.plan_item),
    "plan.item_left_out": EventKind(gettext_lazy("Step left out of the plan"), facts.plan_item),
    "plan.item_included": EventKind(gettext_lazy("Step put back in the plan"), facts.plan_item),
    "plan.items_unconfirmed": EventKind(
        gettext_lazy("Steps on records found only by unverified identifiers left out of the plan"),
        facts.records_changed,
    ),
    "plan.correction_mapped": EventKind(
        gettext_lazy("Correction mapped onto the source fields"), facts.correction_mapped
    ),
    "plan.fields_approved": EventKind(gettext_lazy("Corrected fields approved"), facts.fields_approved),
    "plan.task_completed": EventKind(gettext_lazy("Manual task of the plan done"), facts.source),
    "plan.categories_chosen": EventKind(gettext_lazy("Data categories to erase chosen"), facts.categories_chosen),
    "erasure.deferred_done": EventKind(
        gettext_lazy("Records kept under a legal hold erased when it ended"), facts.deferred_done
    ),
    "recipients.notified": EventKind(gettext_lazy("Recipients notified of the changes (Art. 19)"), facts.notified),
    "recipient.reminded": EventKind(gettext_lazy("Recipient reminded of the notice"), facts.recipient),
    "recipient.acknowledged": EventKind(gettext_lazy("Recipient confirmed the notice"), facts.recipient),
    "recipients.told": EventKind(gettext_lazy("Subject told who the recipients are"), facts.told),
    "restriction.lifted": EventKind(
        gettext_lazy("Restriction lifted (subject told first, Art. 18(3))"), facts.lift_reason
    ),
    "restriction.lift_scheduled": EventKind(
        gettext_lazy("Lifting of the restriction scheduled (subject told first, Art. 18(3))"), facts.lift_reason
    ),
    "restriction.lift_cancelled": EventKind(gettext_lazy("Scheduled lifting of the restriction cancelled")),
    "recipient.not_notified": EventKind(
        gettext_lazy("Recipient not notified, with the reason (Art. 19)"), facts.not_notified, typed_reason=True
    ),
    "recipient.notified_other_means": EventKind(
        gettext_lazy("Recipient notified by other means than e-mail (Art. 19)"), facts.recipient
    ),
    # Issue 14: absolute rights, repeats, patient requests, identity, fees
    "request.double_joined": EventKind(gettext_lazy("An identical request was joined to this one")),
    "request.related": EventKind(gettext_lazy("Another request of the same right received")),
    "request.forwarding_closed": EventKind(gettext_lazy("Closed: the care provider acknowledged the request")),
    "identity.checked": EventKind(gettext_lazy("Identity check recorded"), facts.identity_check, typed_reason=True),
    "fee.announced": EventKind(gettext_lazy("Fee announced to the subject (Art. 12(5))"), facts.fee),
    # requests_app.audit.evidence: who took the request's evidence out, and whether its trail was intact then.
    "evidence.exported": EventKind(gettext_lazy("Evidence pack made for the supervisory authority"), facts.evidence),
    # Issue 18: requests made by a representative
    "representation.recorded": EventKind(gettext_lazy("Made by a representative"), facts.representation),
    "mandate.accepted": EventKind(gettext_lazy("Representative's mandate accepted"), facts.representation),
    "mandate.refused": EventKind(gettext_lazy("Better mandate asked of the representative"), facts.representation),
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
    from requests_app.representation.selectors import acted_by
    from requests_app.workflow import SUBJECT, SYSTEM

    statuses = dict(Status.choices)
    by_marker = {SUBJECT: _("by the subject"), SYSTEM: _("by the system")}
    names = Names()
    events = list(events)
    notes = _reason_notes(events)
    representations = _representations(events)
    for event in events:
        event.label = label(event.kind)
        event.facts = facts(event, names)
        event.reason = typed_reason(event, notes)
        event.by = by_marker.get(event.actor_label) or _("by %(user)s") % {"user": event.actor_label}
        if event.actor_label == SUBJECT and event.request_id in representations:
            # A represented request: the link holder may be the representative, not the subject.
            event.by = acted_by(representations[event.request_id], event.kind)
        event.status_before_label = str(statuses.get(event.status_before, event.status_before))
        event.status_after_label = str(statuses.get(event.status_after, event.status_after))
    return events


def _representations(events: list) -> dict:
    """Request id -> its representative, for the requests of these events (one query)."""
    from requests_app.representation.models import Representation

    ids = {event.request_id for event in events}
    return {r.request_id: r for r in Representation.objects.filter(request_id__in=ids)} if ids else {}


# Staff opening what the desk holds: recorded each time (who read the subject's
# data is part of Art. 5(2)'s evidence), but on the request page a run of them
# would bury the decisions (walkthrough finding 16).
READ_KINDS = frozenset({"export.records_read", "export.previewed", "attachment.downloaded", "mandate.downloaded"})


def group_reads(events: list) -> list:
    """The request page's timeline: each run of consecutive read events becomes
    one line per kind and person, with how often and since when.

    ``events`` are annotated (``annotate``), newest first as the page lists
    them; a grouped line is its newest event with ``repeats`` and ``first_at``
    set. The audit trail, its log, the API and the evidence pack keep every event.
    """
    shown: list = []
    run: dict[tuple[str, str], list] = {}

    def flush() -> None:
        for group in run.values():
            newest = group[0]
            newest.repeats = len(group)
            newest.first_at = group[-1].created_at
            if len(group) > 1:
                newest.facts = [
                    ngettext("%(n)s time", "%(n)s times", len(group)) % {"n": len(group)},
                    _("the first on %(when)s")
                    % {"when": formats.date_format(localtime(newest.first_at), "DATETIME_FORMAT")},
                ]
            shown.append(newest)
        run.clear()

    for event in events:
        if event.kind in READ_KINDS:
            run.setdefault((event.kind, event.actor_label), []).append(event)
            continue
        flush()
        shown.append(event)
    flush()
    return shown
