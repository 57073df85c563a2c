"""The ticket's side of gathering: start the engine on approval, follow it,
and move the request on when every source has answered.

The engine (``dsar``) knows nothing of requests: a job carries the request's
reference as ``external_ref`` and the engine's signals bring us back here.
"""

from __future__ import annotations

import logging
import mimetypes

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dsar import gathering, signals
from dsar.connectors.base import SubjectIdentity, translate
from dsar.crypto import encrypt_bytes
from dsar.models import Connector, Job, ManualTask, ManualTaskFile, Operation, SourceRun
from requests_app import matching, roles, workflow
from requests_app.emails import queue_email, staff_language
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
    # (JSON "contains" lookups are not available on SQLite: filter in Python.)
    operations = Connector.objects.filter(enabled=True).values_list("operations", flat=True)
    if not any(Operation.ACCESS in (ops or []) for ops in operations):
        # No source to search: the request stays approved and the DPO goes on by hand.
        log.info("No source is configured for access: %s was not gathered.", request.reference)
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
    matching.hold_unconfirmed_records(request, job)
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


@receiver(signals.manual_task_created, dispatch_uid="requests_app.processing.notify_manual_task")
def notify_assignee(sender, task: ManualTask, **kwargs) -> None:
    """Tell the person who must search by hand; no personal data in the e-mail."""
    task = ManualTask.objects.select_related("assignee", "run__connector", "run__job").get(pk=task.pk)
    if task.assignee is None or not task.assignee.email:
        return
    request = SubjectRequest.objects.filter(reference=task.run.job.external_ref).first()
    if request is None:
        return
    queue_email(
        "processing_manual_task",
        to=task.assignee.email,
        context={
            "reference": request.reference,
            "source": task.run.connector.name,
            "instructions": task.instructions,
            "url": settings.SITE_URL + workspace_url(request.reference),
        },
        language=staff_language(task.assignee),
    )


def workspace_url(reference: str) -> str:
    """The request's page in the workspace (built by another area; a fallback until it exists)."""
    for name in ("workspace:request", "workspace:request_detail"):
        try:
            return reverse(name, args=[reference])
        except NoReverseMatch:
            continue
    return "/workspace/"


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
        # Errors and warnings in the reader's language (the engine stores them
        # in English and in a translatable form).
        summary = run.summary or {}
        run.error_text = translate(summary["error"]) if "error" in summary and run.error else run.error
        run.warning_texts = [translate(w) for w in summary.get("warnings", run.warnings)]
        run.duration_seconds = (
            None if run.duration_ms is None else round(run.duration_ms / 1000, 2 if run.duration_ms < 1000 else 1)
        )
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


def complete_manual_task(
    subject_request: SubjectRequest, task: ManualTask, *, findings: str, files, user, nothing_found: bool = False
) -> ManualTask:
    """Complete a manual task from the request page or the API: store the files encrypted at rest, complete the task through the engine
    (the run is done, the gathering goes on) and record it on the request.

    Raises ``dsar.connectors.base.ConnectorError`` when the task was already done.
    """
    with transaction.atomic():
        for upload in files:
            attached = ManualTaskFile(
                task=task,
                original_name=upload.name[:200],
                content_type=(
                    upload.content_type or mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
                )[:100],
                size=upload.size,
            )
            attached.file.save("upload.bin", ContentFile(encrypt_bytes(upload.read())), save=False)
            attached.save()
        gathering.complete_manual_task(task, user=user, findings=findings, nothing_found=nothing_found and not files)
        workflow.log_event(
            subject_request,
            actor=user,
            kind="source.manual_task_completed",
            details={"source": task.run.connector.code, "files": len(files), "nothing_found": nothing_found},
        )
    return task
