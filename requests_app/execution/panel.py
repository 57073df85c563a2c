"""The plan's section of the request page (panel ``plan``): what would be
changed where, the recipients to notify (Art. 19), and the DPO's choices."""

from __future__ import annotations

from django.utils import translation

from dsar.connectors.base import translate
from dsar.execution.models import MEANWHILE, Action, Exception17, NotNotifiedReason, Plan, PlanItem
from dsar.exports import columns
from dsar.models import DataCategory, Operation, pick
from requests_app import permissions, workflow
from requests_app.execution.effects import every_recipient_settled, plan_executed_before_release
from requests_app.execution.selectors import (
    NOTIFIED_TYPES,
    OPERATIONS,
    approval_blocked,
    can_lift,
    correction_preview,
    corrections_of,
    erasure_choices,
    erasure_ground_of,
    field_labels,
    plan_for,
    recipient_reason,
    recipients_of,
    restriction_ground_of,
    scheduled_lift,
    unreachable_recipients,
)
from requests_app.execution.services import LiftReason
from requests_app.gathering import matching
from requests_app.intake.details import ErasureGround, RestrictionGround
from requests_app.models import RequestType, Status, SubjectRequest
from requests_app.workspace.panels import Panel, register_panel

# The reason a restriction usually ends, per ground of Art. 18(1): offered first.
# Unlawful processing (b) has no end of its own: the subject may consent (Art. 18(2)).
LIFT_FOR_GROUND = {
    RestrictionGround.CONTESTED_ACCURACY: LiftReason.ACCURACY_VERIFIED,
    RestrictionGround.UNLAWFUL_PROCESSING: LiftReason.SUBJECT_CONSENTED,
    RestrictionGround.LEGAL_CLAIMS: LiftReason.CLAIMS_ENDED,
    RestrictionGround.PENDING_OBJECTION: LiftReason.OBJECTION_ASSESSED,
}


def lift_reasons(ground: str) -> list[tuple[str, str]]:
    """The lift reasons, the one matching the restriction's ground first."""
    first = LIFT_FOR_GROUND.get(ground)
    return sorted(LiftReason.choices, key=lambda choice: choice[0] != first)


def _correction_fields() -> list[str]:
    from dsar.execution.scope import correction_fields

    return correction_fields()


def _field_choices(corrections: list[dict]) -> list[dict]:
    """The correctable fields with their labels, for mapping a correction onto several fields."""
    labels = field_labels()
    choices = [{"field": name, "label": labels.get(name, name)} for name in _correction_fields()]
    # In the order the DPO reads them (their labels), not the columns' names.
    return sorted(choices, key=lambda choice: str(choice["label"]).casefold())


def name_records(items: list[PlanItem], connector, category_labels: dict[str, str]) -> None:
    """Each item's table and category in the reader's words ("Klantenfiche",
    "Identificatiegegevens"), not the source's table name and the category's
    code ("customers", "identification"): the labels the source declares for
    the subject's copy, else a label made from the table's name."""
    language = translation.get_language() or "en"
    tables = columns.table_declarations(connector.kind, connector.config)
    for item in items:
        item.entity_label = columns.Table(item.entity, tables.get(item.entity) or {}).label(language)
        item.category_label = category_labels.get(item.category, item.category) if item.category else ""


def panel_context(subject_request: SubjectRequest, user) -> dict:
    """The panel's template context (the API's plan resource shows the same)."""
    plan = plan_for(subject_request)
    ground = (
        restriction_ground_of(subject_request, plan) if subject_request.request_type == RequestType.RESTRICTION else ""
    )
    runs = []
    meanwhile_by_hand, meanwhile_failed = [], []
    category_labels = {c.code: pick(c.names) or c.code for c in DataCategory.objects.all()}
    verified = matching.verified_identifiers(subject_request)
    if plan is not None:
        for run in plan.job.runs.select_related("connector").prefetch_related("plan_items__activity"):
            task = getattr(run, "manual_task", None)
            items = list(run.plan_items.all())
            matching.annotate(items, verified)
            name_records(items, run.connector, category_labels)
            for item in items:
                if item.action == Action.RECTIFY or (item.fields.get("changes") and item.action != Action.KEEP):
                    # Each record before and after, with the fields' labels (what approving writes).
                    item.preview = correction_preview(item)
            notes = [translate(note) for note in (plan.scope_notes or {}).get(run.connector.code, [])]
            runs.append({"run": run, "items": items, "task": task, "notes": notes})
            meanwhile = [i for i in items if i.note == MEANWHILE]
            if any(i.action == Action.MANUAL for i in meanwhile):
                meanwhile_by_hand.append(run.connector.workspace_name)
            elif any(i.status == PlanItem.Status.FAILED for i in meanwhile):
                meanwhile_failed.append(run.connector.workspace_name)
    notices, to_notify = [], []
    if plan is not None and subject_request.request_type in NOTIFIED_TYPES:
        notices = [
            {**recipient_reason(n.recipient, n.categories, n.activities, n.unclassified), "notice": n}
            for n in plan.notices.select_related("recipient")
        ]
        if not plan.recipients_notified_at and plan.status != Plan.Status.FAILED:
            to_notify = [
                recipient_reason(e.recipient, e.categories, e.activities, e.unclassified)
                for e in recipients_of(plan, planned=True)
            ]
    corrections = corrections_of(plan) if plan and plan.job.operation == Operation.RECTIFY else []
    return {
        "plan": plan,
        "runs": runs,
        "notices": notices,
        "to_notify": to_notify,
        "unreachable": unreachable_recipients(plan) if plan else [],
        "not_notified_reasons": NotNotifiedReason.choices,
        "scheduled_lift": scheduled_lift(subject_request),
        "restrict_meanwhile": bool(plan and plan.job.options.get("restrict_meanwhile")),
        "meanwhile_by_hand": meanwhile_by_hand,
        "meanwhile_failed": meanwhile_failed,
        "subject_request": subject_request,
        # Art. 19, last sentence: whether the form asked for the list of recipients;
        # the button says "(they asked)" only then (a later e-mail may ask too).
        "recipients_asked": bool(
            (subject_request.type_details or {}).get("tell_recipients")
            or (subject_request.type_details or {}).get("recipients_requested")
        ),
        "corrections": corrections,
        "unmapped_corrections": [c for c in corrections if not c.get("matched")],
        "correction_fields": _correction_fields() if plan and plan.job.operation == Operation.RECTIFY else [],
        "correction_field_choices": _field_choices(corrections) if corrections else [],
        # What must be decided before the plan can be approved: shown beside the disabled button.
        "approval_blocked": approval_blocked(plan),
        "can_change": permissions.can_change_plan(user, subject_request),
        "can_approve": permissions.can_approve_plan(user, subject_request),
        # Not while a lifting is scheduled (Art. 18(3)): the panel shows it, with a cancel button.
        "can_lift": can_lift(subject_request, plan)
        and permissions.can_approve_plan(user, subject_request)
        and scheduled_lift(subject_request) is None,
        "erasure": erasure_choices(plan) if subject_request.request_type == RequestType.ERASURE else None,
        "lift_reasons": lift_reasons(ground),
        "restriction_ground": RestrictionGround(ground).label if ground else "",
        "exceptions": Exception17.choices,
        # Why "Release" is refused now (open manual tasks, failed sources), said before the DPO presses it.
        "release_blocked": plan_release_blocked(subject_request, plan),
        "can_release": bool(
            plan
            and plan.status == Plan.Status.DONE
            and subject_request.status == Status.IN_REVIEW
            and "fulfil" in workflow.allowed_actions(subject_request, user)
        ),
        # A plan carried out except on sources that failed: the DPO may answer now, with a reason.
        "can_release_incomplete": bool(
            plan
            and plan.status == Plan.Status.PARTIAL
            and subject_request.status == Status.IN_REVIEW
            and "fulfil" in workflow.allowed_actions(subject_request, user)
        ),
        "erasure_grounds": ErasureGround.choices if subject_request.request_type == RequestType.ERASURE else [],
        "erasure_ground": erasure_ground_of(subject_request),
    }


def plan_release_blocked(subject_request: SubjectRequest, plan: Plan | None) -> str:
    """Why the release would be refused now (the precondition's message), or ""."""
    if plan is None or subject_request.status != Status.IN_REVIEW:
        return ""
    for check in (plan_executed_before_release, every_recipient_settled):
        try:
            check(subject_request, None)
        except workflow.WorkflowError as exc:
            return str(exc)
    return ""


register_panel(
    Panel(
        key="plan",
        template="workspace/panels/plan.html",
        order=50,
        context=panel_context,
        applies=lambda subject_request: subject_request.request_type in OPERATIONS,
    )
)
