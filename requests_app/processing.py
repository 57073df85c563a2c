"""The ticket's side of gathering: start the engine on approval, follow it,
and move the request on when every source has answered.

The engine (``dsar``) knows nothing of requests: a job carries the request's
reference as ``external_ref`` and the engine's signals bring us back here.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from dsar import gathering, signals
from dsar.connectors.base import SubjectIdentity
from dsar.models import Job, ManualTask, Operation, SourceRun
from requests_app import roles, workflow
from requests_app.models import RequestType, Status, SubjectRequest
from requests_app.panels import Panel, register_panel

log = logging.getLogger(__name__)

# Requests for which the engine gathers the subject's data.
GATHERING_TYPES = (RequestType.ACCESS, RequestType.PORTABILITY)


def identity_of(request: SubjectRequest) -> SubjectIdentity:
    return SubjectIdentity(
        email=request.email,
        full_name=request.full_name,
        phone=request.phone,
        customer_number=request.customer_number,
        national_number=request.national_number,
    )


def current_job(request: SubjectRequest) -> Job | None:
    return (
        Job.objects.filter(external_ref=request.reference, operation=Operation.ACCESS).order_by("-created_at").first()
    )


@workflow.on_event("request.approve")
def start_gathering(request: SubjectRequest, event) -> None:
    """On approval of an access or portability request: one job, every source in parallel."""
    if request.request_type not in GATHERING_TYPES:
        return
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.APPROVED or current_job(request) is not None:
            return  # already started (an effect run twice must not gather twice)
        workflow.start_processing(request, actor=workflow.SYSTEM)
        gathering.start_job(external_ref=request.reference, identity=identity_of(request), operation=Operation.ACCESS)


@receiver(signals.job_finished, dispatch_uid="requests_app.processing.job_finished")
def on_job_finished(sender, job: Job, **kwargs) -> None:
    if job.operation != Operation.ACCESS:
        return
    request = SubjectRequest.objects.filter(reference=job.external_ref).first()
    if request is None or request.status != Status.PROCESSING:
        return
    runs = list(job.runs.select_related("connector"))
    details = {
        "job": str(job.pk),
        "outcome": job.status,
        "sources": len(runs),
        "failed": [run.connector.code for run in runs if run.status == SourceRun.Status.FAILED],
        "records": sum(run.record_count for run in runs),
    }
    try:
        workflow.processing_done(request, actor=workflow.SYSTEM, details=details)
    except workflow.WorkflowError as exc:
        # Someone moved the request meanwhile (e.g. cancelled): nothing to do.
        log.info("Gathering of %s finished but the request moved on: %s", request.reference, exc)


@receiver(signals.manual_task_created, dispatch_uid="requests_app.processing.manual_task_created")
def on_manual_task_created(sender, task: ManualTask, **kwargs) -> None:
    """A task without a default assignee goes to the request's assignee, else to a DPO."""
    if task.assignee_id is not None:
        return
    request = SubjectRequest.objects.filter(reference=task.run.job.external_ref).select_related("assignee").first()
    assignee = request.assignee if request is not None else None
    if assignee is None:
        from django.contrib.auth import get_user_model

        assignee = get_user_model().objects.filter(groups__name=roles.DPO, is_active=True).order_by("pk").first()
    if assignee is not None:
        ManualTask.objects.filter(pk=task.pk, assignee__isnull=True).update(assignee=assignee)


def retry_source(request: SubjectRequest, run: SourceRun, *, actor) -> SourceRun:
    """Retry one failed source; the request goes back to processing until it answers."""
    if run.status != SourceRun.Status.FAILED:
        raise workflow.WorkflowError(_("Only a failed source can be retried."))
    with transaction.atomic():
        if request.status != Status.PROCESSING:
            workflow.start_processing(request, actor=actor)
        workflow.record_event(
            SubjectRequest.objects.select_for_update().get(pk=request.pk),
            actor=actor,
            kind="source.retried",
            details={"source": run.connector.code},
        )
        return gathering.retry_source(run)


# ------------------------------------------------------------------------------
# The request page's panel: sources done of total, per-source outcome
# ------------------------------------------------------------------------------
def _panel_context(request: SubjectRequest, user) -> dict:
    job = current_job(request)
    if job is None:
        return {"subject_request": request, "job": None}
    runs = list(job.runs.select_related("connector", "manual_task", "manual_task__assignee"))
    finished = sum(1 for run in runs if run.is_finished)
    for run in runs:
        run.duration_seconds = None if run.duration_ms is None else round(run.duration_ms / 1000, 1)
    can_work = roles.can_work_on(user, request)
    return {
        "subject_request": request,
        "job": job,
        "runs": runs,
        "finished": finished,
        "total": len(runs),
        "can_retry": can_work and request.status in (Status.PROCESSING, Status.IN_REVIEW),
        "can_complete": can_work and not roles.is_auditor(user),
        "can_test": roles.is_dpo(user),
    }


register_panel(
    Panel(
        key="sources",
        template="workspace/panels/sources.html",
        order=20,
        context=_panel_context,
        applies=lambda request: request.request_type in GATHERING_TYPES,
    )
)
