"""Reads of the ticket's side of execution: the request's plan, what the job
is told, the recipients concerned (Art. 19), and what was done, in words."""

from __future__ import annotations

import copy

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from dsar.execution import service
from dsar.execution.models import Action, Plan, PlanItem, RecipientNotice
from dsar.execution.recipients import Notifiable, recipients_to_notify
from dsar.models import DataCategory, Operation, ProcessingActivity, Recipient, SourceRun, pick
from requests_app.intake.details import ErasureGround, RestrictionGround
from requests_app.models import RequestType, SubjectRequest

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
    return (
        plan is not None
        and subject_request.request_type == RequestType.RESTRICTION
        and plan.status == Plan.Status.DONE
        and not subject_request.purged_at
        and not service.is_lifted(plan)
    )


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
    """The subject's corrections, with whether some source has a matching field."""
    from dsar.execution.scope import correction_fields

    known = {f.lower() for f in correction_fields()}
    rows = []
    for index, correction in enumerate(plan.job.options.get("corrections") or []):
        field = correction.get("field", "")
        rows.append(
            {
                "index": index,
                "field": field,
                "correct": correction.get("correct", ""),
                "matched": field.strip().lower() in known,
            }
        )
    return rows


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


def notice_context(notice: RecipientNotice, subject_request: SubjectRequest) -> dict:
    corrections = []
    for item in notice.plan.items.filter(action=Action.RECTIFY, status=PlanItem.Status.DONE):
        corrections.extend(f"{k}: {v}" for k, v in item.fields.items() if k in item.approved_fields)
    # The recipient's name as the notice's language writes it (never saved).
    recipient = copy.copy(notice.recipient)
    recipient.name = notice.recipient.display_name(subject_request.language)
    return {
        "recipient": recipient,
        "request": subject_request,
        "kind": subject_request.get_request_type_display(),
        "request_type": subject_request.request_type,
        "corrections": sorted(set(corrections)),
        "categories": category_names(notice.categories, subject_request.language),
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
            counts: dict[str, int] = {}
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
                if action in ACTION_DONE and action != Action.UNRESTRICT:
                    counts[action] = counts.get(action, 0) + 1
                if stops:
                    stopped.append(pick(item.activity.names, language) or item.activity.code)
            if counts:
                done.append(
                    {
                        "source": run.connector.display_name(language),
                        "counts": [(ACTION_DONE[a], n) for a, n in counts.items()],
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
