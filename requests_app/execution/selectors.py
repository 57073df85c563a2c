"""Reads of the ticket's side of execution: the request's plan, what the job
is told, the recipients concerned (Art. 19), and what was done, in words."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from dsar.execution import service
from dsar.execution.config import table_writes
from dsar.execution.models import Action, Plan, PlanItem, RecipientNotice
from dsar.execution.recipients import Notifiable, recipients_to_notify
from dsar.models import Connector, DataCategory, Operation, ProcessingActivity, Recipient, SourceRun, pick
from requests_app import deadlines
from requests_app.intake.details import ErasureGround, RestrictionGround
from requests_app.models import RequestType, SubjectRequest

if TYPE_CHECKING:
    from requests_app.execution.models import RestrictionLift

OPERATIONS = {
    RequestType.ERASURE: Operation.ERASE,
    RequestType.RECTIFICATION: Operation.RECTIFY,
    RequestType.RESTRICTION: Operation.RESTRICT,
    RequestType.OBJECTION: Operation.STOP_PROCESSING,
    RequestType.WITHDRAWAL: Operation.STOP_PROCESSING,
}
# Art. 19 covers rectification, erasure and restriction.
NOTIFIED_TYPES = (RequestType.ERASURE, RequestType.RECTIFICATION, RequestType.RESTRICTION)


def plan_for(subject_request: SubjectRequest) -> Plan | None:
    return (
        Plan.objects.filter(job__external_ref=subject_request.reference)
        .select_related("job", "approved_by")
        .order_by("-created_at")
        .first()
    )


def is_plan_task(task) -> bool:
    """A manual task of an execution plan (a source acted on by hand), not of a gathering."""
    return Plan.objects.filter(job_id=task.run.job_id).exists()


def request_for(plan: Plan) -> SubjectRequest | None:
    return SubjectRequest.objects.filter(reference=plan.job.external_ref).first()


def job_options(subject_request: SubjectRequest) -> dict:
    details = subject_request.type_details or {}
    options = {"request_type": subject_request.request_type}
    if subject_request.request_type == RequestType.RECTIFICATION:
        options["corrections"] = [
            {"field": i.get("field", ""), "correct": i.get("correct", "")} for i in details.get("items") or []
        ]
        options["restrict_meanwhile"] = bool(details.get("restrict_meanwhile") or details.get("rectification_restrict"))
    elif subject_request.request_type == RequestType.OBJECTION:
        codes = list(details.get("activities") or [])
        if not codes:
            codes = [a.code for a in ProcessingActivity.objects.filter(active=True) if a.objectionable]
        options["activities"] = codes
    elif subject_request.request_type == RequestType.WITHDRAWAL:
        codes = list(details.get("consents") or details.get("activities") or [])
        if not codes:
            codes = [a.code for a in ProcessingActivity.objects.filter(active=True) if a.consent_based]
        options["activities"] = codes
    elif subject_request.request_type == RequestType.ERASURE:
        options["scope"] = details.get("scope", "all")
        if options["scope"] == "specific":
            options["categories"] = [str(code) for code in details.get("categories") or []]
    elif subject_request.request_type == RequestType.RESTRICTION:
        # Art. 18(1)(a)-(d): what the restriction waits for, and so why it will end.
        options["ground"] = details.get("ground") or ""
        # Art. 18(1)(a): the data whose accuracy is contested, where the request names it (only then is
        # the restriction limited to it: dsar.execution.scope.restriction_scope).
        for key in ("contested_categories", "contested_fields"):
            if details.get(key):
                options[key] = [str(value) for value in details[key]]
    return options


def identity_of(subject_request: SubjectRequest) -> dict:
    return {
        "full_name": subject_request.full_name,
        "email": subject_request.email,
        "phone": subject_request.phone,
        "customer_number": subject_request.customer_number,
        "national_number": subject_request.national_number,
    }


# ------------------------------------------------------------------------------
# Restriction and erasure: what the request asked, what the DPO chose
# ------------------------------------------------------------------------------
def restriction_ground_of(subject_request: SubjectRequest, plan: Plan | None) -> str:
    """The ground the restriction was asked on (the job's, else the request's for older plans)."""
    ground = (plan.job.options.get("ground") if plan else "") or (subject_request.type_details or {}).get("ground")
    return ground if ground in RestrictionGround.values else ""


def can_lift(subject_request: SubjectRequest, plan: Plan | None) -> bool:
    """A restriction carried out and not yet lifted: a restriction request's, or
    a rectification's restriction while its corrections were checked (Art. 18(1)(a))."""
    if plan is None or plan.status != Plan.Status.DONE or subject_request.purged_at or service.is_lifted(plan):
        return False
    if subject_request.request_type == RequestType.RESTRICTION:
        return True
    return subject_request.request_type == RequestType.RECTIFICATION and service.has_meanwhile_restriction(plan)


def erasure_ground_of(subject_request: SubjectRequest) -> str:
    """The Art. 17(1) ground the DPO named when approving the erasure (the last approval's), in words."""
    if subject_request.request_type != RequestType.ERASURE:
        return ""
    event = subject_request.events.filter(kind="plan.approved").order_by("-seq").first()
    code = (event.details or {}).get("erasure_ground", "") if event else ""
    return str(dict(ErasureGround.choices).get(code, ""))


def erasure_choices(plan: Plan | None) -> dict | None:
    """For an erasure of specific data: the register's categories to choose
    from, those chosen, and whether the choice is still missing."""
    from dsar.execution.scope import awaits_categories, erasure_scope

    if plan is None or erasure_scope(plan.job) is None:
        return None
    chosen = set(plan.job.options.get("categories") or [])
    return {
        "missing": awaits_categories(plan.job),
        "choices": [
            (c.code, pick(c.names) or c.code, c.code in chosen)
            # A retired category is offered no more, but one the request already chose stays shown.
            for c in sorted(
                DataCategory.objects.filter(Q(active=True) | Q(code__in=chosen)),
                key=lambda c: (pick(c.names) or c.code).lower(),
            )
        ],
        "chosen": category_names(chosen),
    }


def corrections_of(plan: Plan) -> list[dict]:
    """The subject's corrections, with whether some source has a matching
    field, and the fields the DPO mapped each onto (with their values)."""
    from dsar.execution.scope import correction_fields

    known = {f.lower() for f in correction_fields()}
    labels = field_labels()
    rows = []
    for index, correction in enumerate(plan.job.options.get("corrections") or []):
        field = correction.get("field", "")
        mapped = correction.get("fields") if isinstance(correction.get("fields"), dict) else {}
        rows.append(
            {
                "index": index,
                "field": field,
                "correct": correction.get("correct", ""),
                "matched": bool(mapped) or field.strip().lower() in known,
                # The DPO's mapping onto several fields: [(field, label, value)].
                "fields": [
                    {"field": name, "label": labels.get(name, name), "value": value} for name, value in mapped.items()
                ],
            }
        )
    return rows


def approval_blocked(plan: Plan | None) -> str:
    """Why the plan cannot be approved as it stands, or "": what the DPO must
    decide first. The panel shows it beside a disabled button, and the approval
    refuses with the same words (no refusal the DPO could not see coming)."""
    from dsar.execution.scope import awaits_categories, correction_fields

    if plan is None or not plan.editable:
        return ""
    if awaits_categories(plan.job):
        return str(_("The subject asked to erase specific data only: choose its data categories before approving."))
    if plan.job.operation == Operation.RECTIFY:
        unmatched = [c["field"] for c in corrections_of(plan) if not c["matched"]]
        # Only where some source has fields to map it onto: a desk of manual sources alone has a person apply
        # the correction as the subject wrote it.
        if unmatched and correction_fields():
            return str(
                _("Say which field each correction is about before approving: %(fields)s.")
                % {"fields": ", ".join(f"“{name}”" for name in unmatched)}
            )
    return ""


def field_labels(language: str | None = None) -> dict[str, str]:
    """A correctable field's label as the sources' configuration declares it
    for its column (dsar.exports.columns), in ``language`` (the active one by
    default): "Postcode", not ``postal_code``. A field no source labels keeps its name."""
    from dsar.connectors.base import ConnectorError
    from dsar.exports.columns import Table, table_declarations

    language = language or get_language() or settings.LANGUAGE_CODE
    labels: dict[str, str] = {}
    for connector in Connector.objects.filter(enabled=True, kind=Connector.Kind.SQL):
        declared = table_declarations(connector.kind, connector.config)
        try:
            specs = table_writes(connector.config)
        except ConnectorError:
            continue
        for spec in specs:
            table = Table(spec.name, declared.get(spec.name) or {})
            for name, column in spec.rectify_columns.items():
                if (table.declared.get("columns") or {}).get(column):
                    labels.setdefault(name, table.column(column).label(language))
    return labels


def correction_preview(item: PlanItem, language: str | None = None) -> list[dict]:
    """One record of a rectification, before and after: per corrected column,
    its label, the value now, the value after, and whether it is approved."""
    from dsar.exports.columns import Table, table_declarations

    language = language or get_language() or settings.LANGUAGE_CODE
    connector = item.run.connector
    table = Table(item.entity, table_declarations(connector.kind, connector.config).get(item.entity) or {})
    # An API's fields are the request's names: their labels are the SQL sources' (field_labels).
    labels = field_labels(language) if item.action != Action.RECTIFY else {}
    before = item.before_values
    changes = item.fields if item.action == Action.RECTIFY else item.fields.get("changes") or {}
    return [
        {
            "field": column,
            "label": labels.get(column) or table.column(column).label(language),
            "before": "" if before.get(column) is None else str(before.get(column)),
            "known": column in before,
            "after": str(value),
            "approved": column in item.approved_fields,
            "unchanged": column in before and str(before.get(column) or "") == str(value),
        }
        for column, value in changes.items()
    ]


# ------------------------------------------------------------------------------
# Art. 19: the recipients
# ------------------------------------------------------------------------------
def recipients_of(plan: Plan, *, planned: bool = False) -> list[Notifiable]:
    """The recipients in the register that received the data categories the
    plan changed (``planned``: will change), with why (see ``dsar.execution.recipients``)."""
    return recipients_to_notify(plan, planned=planned)


def unreachable_recipients(plan: Plan) -> list[dict]:
    """Recipients to notify that have no e-mail address in the register: someone must do it by other means."""
    if not plan.recipients_notified_at:
        return []
    return [
        recipient_reason(entry.recipient, entry.categories, entry.activities, entry.unclassified)
        for entry in recipients_of(plan)
        if not entry.recipient.contact_email
    ]


def recipient_language(recipient: Recipient) -> str:
    """The language of an Art. 19 notice: the recipient's own if the register
    records one, else the controller's default. The recipient is another
    organisation, not the subject: it reads the controller's language, not
    the one the subject chose for their request."""
    language = getattr(recipient, "language", "") or ""
    known = {code for code, _label in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def notice_context(notice: RecipientNotice, subject_request: SubjectRequest) -> dict:
    """The Art. 19 notice's context, worded in the recipient's language (``recipient_language``)."""
    language = recipient_language(notice.recipient)
    corrections = []
    items = notice.plan.items.filter(action=Action.RECTIFY, status=PlanItem.Status.DONE).select_related(
        "run__connector"
    )
    for item in items:
        # The fields by their labels in the notice's language ("Gemeente: Brugge"), not the columns' names.
        with override(language):
            rows = correction_preview(item, language)
        corrections.extend(f"{row['label']}: {row['after']}" for row in rows if row["approved"])
    # The recipient's name as the notice's language writes it (never saved).
    recipient = copy.copy(notice.recipient)
    recipient.name = notice.recipient.display_name(language)
    with override(language):
        kind = subject_request.get_request_type_display()
    return {
        "recipient": recipient,
        "request": subject_request,
        "kind": kind,
        "request_type": subject_request.request_type,
        "corrections": sorted(set(corrections)),
        "categories": category_names(notice.categories, language),
        "ack_url": settings.SITE_URL + reverse("execution:acknowledge", args=[notice.token]),
    }


def category_names(codes, language: str | None = None) -> list[str]:
    names = {c.code: pick(c.names, language) or c.code for c in DataCategory.objects.filter(code__in=codes)}
    return [names.get(code, code) for code in sorted(codes)]


def recipient_reason(recipient: Recipient, categories, activities, unclassified: bool) -> dict:
    """Why a recipient is (to be) notified, in the DPO's words."""
    names = {a.code: str(a) for a in ProcessingActivity.objects.filter(code__in=activities)}
    return {
        "recipient": recipient,
        "categories": category_names(categories),
        "activities": [names.get(code, code) for code in sorted(activities)],
        "unclassified": unclassified,
    }


# ------------------------------------------------------------------------------
# What was done, in words
# ------------------------------------------------------------------------------
ACTION_DONE = {
    Action.DELETE: gettext_lazy("deleted"),
    Action.MASK: gettext_lazy("anonymised"),
    Action.RECTIFY: gettext_lazy("corrected"),
    Action.RESTRICT: gettext_lazy("restricted"),
    Action.STOP: gettext_lazy("processing stopped"),
    Action.API_CALL: gettext_lazy("done through the system's interface"),
    Action.MANUAL: gettext_lazy("done by hand"),
}


def _corrected_labels(item: PlanItem, language: str) -> list[str]:
    """The labels, in the subject's language, of the fields a done correction wrote."""
    if item.action != Action.RECTIFY and not item.fields.get("changes"):
        return []
    with override(language):
        return [row["label"] for row in correction_preview(item, language) if row["approved"]]


def sources_summary(plan: Plan) -> list[dict]:
    """Per source: counts of what was done and kept, no personal data."""
    result = []
    for run in plan.job.runs.select_related("connector"):
        result.append({"source": run.connector.code, "status": run.status, **(run.summary or {})})
    return result


def fulfilment_context(subject_request: SubjectRequest, plan: Plan | None) -> dict:
    language = subject_request.language
    done, kept, left_out, stopped = [], [], [], []
    if plan is not None:
        for run in plan.job.runs.select_related("connector"):
            items = list(run.plan_items.select_related("activity"))
            counts: dict = {}  # what was done, in words -> how many records
            for item in items:
                if item.status == PlanItem.Status.SKIPPED and item.action != Action.KEEP:
                    # Left out by the DPO (an objection refused on compelling legitimate
                    # grounds, Art. 21(1)): the subject is told what, and why (Art. 12(4)).
                    left_out.append(
                        {
                            "source": run.connector.display_name(language),
                            "category": item.category,
                            "activity": (pick(item.activity.names, language) or item.activity.code)
                            if item.activity
                            else "",
                            "reason": item.fields.get("left_out") or item.note,
                        }
                    )
                    continue
                if item.status != PlanItem.Status.DONE:
                    continue
                # An activity stopped through an API call or by a person is stopped all the same.
                stops = item.activity is not None and (
                    item.action == Action.STOP or plan.job.operation == Operation.STOP_PROCESSING
                )
                action = Action.STOP if stops else item.action
                corrected = _corrected_labels(item, language) if plan.job.operation == Operation.RECTIFY else []
                if corrected:
                    # Which fields were corrected, in how many records: never "1 record corrected" alone.
                    with override(language):
                        label = _("corrected (%(fields)s)") % {"fields": ", ".join(corrected)}
                    counts[label] = counts.get(label, 0) + 1
                elif action in ACTION_DONE and action != Action.UNRESTRICT:
                    counts[ACTION_DONE[action]] = counts.get(ACTION_DONE[action], 0) + 1
                if stops:
                    stopped.append(pick(item.activity.names, language) or item.activity.code)
            if counts:
                done.append(
                    {
                        "source": run.connector.display_name(language),
                        "counts": list(counts.items()),
                    }
                )
            for item in items:
                if item.action != Action.KEEP:
                    continue
                reason = item.note or item.get_reason_display()
                if item.activity and item.activity.legal_hold_reason:
                    reason = pick(item.activity.legal_hold_reason, language)
                kept.append(
                    {
                        "source": run.connector.display_name(language),
                        "category": item.category,
                        "reason": reason,
                        "until": item.keep_until,
                    }
                )
    # The categories in the subject's language, not our codes.
    codes = sorted({entry["category"] for entry in kept + left_out if entry["category"]})
    names = dict(zip(codes, category_names(codes, language), strict=True))
    # Kept records: one line per category, reason and date, whatever the sources
    # and tables (invoices and their lines are one kind of data to the subject),
    # the soonest erasure first, those whose date is still to be checked last.
    merged: dict[tuple, dict] = {}
    for entry in kept:
        key = (names.get(entry["category"], entry["category"]), entry["reason"], entry["until"])
        line = merged.setdefault(key, {"sources": [], "count": 0})
        line["count"] += 1
        if entry["source"] not in line["sources"]:
            line["sources"].append(entry["source"])
    kept_lines = [
        {"source": ", ".join(line["sources"]), "category": c, "reason": r, "until": u, "count": line["count"]}
        for (c, r, u), line in sorted(
            merged.items(), key=lambda item: (item[0][2] is None, item[0][2] or 0, item[0][0])
        )
    ]
    grouped: dict[tuple, int] = {}
    for entry in left_out:
        key = (entry["source"], names.get(entry["category"], entry["category"]), entry["activity"], entry["reason"])
        grouped[key] = grouped.get(key, 0) + 1
    left_out_lines = [
        {"source": s, "category": c, "activity": a, "reason": r, "count": n} for (s, c, a, r), n in grouped.items()
    ]
    details = subject_request.type_details or {}
    tell_recipients = bool(details.get("tell_recipients") or details.get("recipients_requested"))
    recipients = []
    if tell_recipients and plan:
        recipients = [
            {"name": n.recipient.display_name(language), "address": n.recipient.address}
            for n in plan.notices.select_related("recipient")
        ]
    answers = recipient_answers(plan, language=language) if tell_recipients else []
    return {
        "request": subject_request,
        # Released by the DPO's choice while these failed: never "none of our systems held data".
        "unsearched": [
            run.connector.name
            for run in plan.job.runs.select_related("connector")
            if run.status == SourceRun.Status.FAILED
        ]
        if plan is not None
        else [],
        "done": done,
        "kept": kept_lines,
        "left_out": left_out_lines,
        "stopped": sorted(set(stopped)),
        "recipients": recipients,
        "answers": answers,
        "tell_recipients": tell_recipients,
    }


# ------------------------------------------------------------------------------
# Absolute rights (Art. 21(3), 7(3))
# ------------------------------------------------------------------------------
ART_21_3 = "art_21_3"
ART_7_3 = "art_7_3"


def absolute_ground(subject_request: SubjectRequest) -> str:
    """The article that makes this request (or part of it) absolute, or "".

    A withdrawal of consent is always honoured (Art. 7(3)); an objection is
    absolute when it names a direct marketing activity of the register (and
    the profiling related to it, Art. 21(2)-(3)). An objection naming no
    activity covers every objectionable one, direct marketing included."""
    if subject_request.request_type == RequestType.WITHDRAWAL:
        return ART_7_3
    if subject_request.request_type != RequestType.OBJECTION:
        return ""
    codes = list((subject_request.type_details or {}).get("activities") or [])
    activities = ProcessingActivity.objects.filter(active=True)
    activities = activities.filter(code__in=codes) if codes else activities.filter(direct_marketing=True)
    return ART_21_3 if activities.filter(direct_marketing=True).exists() else ""


def runs_without_weighing(subject_request: SubjectRequest) -> bool:
    """Wholly absolute: nothing in it for a person to weigh (an objection that
    also names an activity on legitimate interests needs the DPO's assessment
    of that part, Art. 21(1))."""
    ground = absolute_ground(subject_request)
    if ground == ART_7_3:
        return True
    if ground != ART_21_3:
        return False
    codes = list((subject_request.type_details or {}).get("activities") or [])
    return bool(codes) and not ProcessingActivity.objects.filter(code__in=codes, direct_marketing=False).exists()


# ------------------------------------------------------------------------------
# Art. 19: what the subject is told about every recipient
# ------------------------------------------------------------------------------
def recipient_answers(plan: Plan | None, *, language: str = "") -> list[dict]:
    """Every recipient of the changed data, notified or not and why, for the
    subject (Art. 19, last sentence) and the DPO. A recipient without an
    address is named too: leaving it out would tell the subject less than the
    truth. ``settled``: notified, or a reason recorded."""
    if plan is None:
        return []
    answers = []
    for notice in plan.notices.select_related("recipient"):
        answers.append(
            {
                "notice": notice,
                # In the language of the answer (Art. 12(1)).
                "name": notice.recipient.display_name(language) if language else notice.recipient.name,
                "address": notice.recipient.address,
                "notified": bool(notice.sent_at),
                "acknowledged": bool(notice.acknowledged_at),
                "reason": notice.get_not_notified_reason_display() if notice.not_notified_reason else "",
                "settled": notice.settled,
            }
        )
    return answers


def scheduled_lift(subject_request: SubjectRequest):
    """The restriction's lifting waiting for its date (Art. 18(3)), if any."""
    from requests_app.execution.models import RestrictionLift

    return (
        RestrictionLift.objects.filter(request=subject_request, status=RestrictionLift.Status.SCHEDULED)
        .select_related("notice")
        .first()
    )


def lift_is_due(lift: RestrictionLift, *, today=None) -> bool:
    """The notice left the outbox (sent, not only queued: Art. 18(3) "before"),
    the announced date came, and the lead time passed since it was sent."""
    from requests_app.execution.models import RestrictionLift

    today = today or deadlines.today()
    if lift.status != RestrictionLift.Status.SCHEDULED or today < lift.not_before:
        return False
    if lift.notice_id is None:
        # No address: the DPO told the subject by post (``email.not_sent``); the date alone applies.
        return True
    notice = lift.notice
    if notice is None or notice.status != notice.Status.SENT or notice.sent_at is None:
        return False
    lead = settings.DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS
    return deadlines.add_working_days(deadlines.local_date(notice.sent_at), lead) <= today
