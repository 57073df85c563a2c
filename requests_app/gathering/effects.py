"""What gathering does on workflow events and on the engine's signals: gather
on approval, move the request on when the job is finished, and give each
manual task a person who is told of it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation

from dsar import signals
from dsar.models import Job, ManualTask, Operation, SourceRun
from requests_app import workflow
from requests_app.accounts import roles
from requests_app.emails import queue_email, staff_language
from requests_app.gathering import matching
from requests_app.gathering.selectors import GATHERING_TYPES, workspace_url
from requests_app.gathering.services import start_gathering
from requests_app.models import Status, SubjectRequest

log = logging.getLogger(__name__)


@workflow.on_event("request.approve")
def gather_on_approval(request: SubjectRequest, event) -> None:
    """On approval of an access or portability request: one job, every source in parallel."""
    if request.request_type not in GATHERING_TYPES:
        return
    start_gathering(request)


@receiver(signals.job_finished, dispatch_uid="requests_app.gathering.effects.job_finished")
def on_job_finished(sender, job: Job, **kwargs) -> None:
    if job.operation != Operation.ACCESS:
        return
    request = SubjectRequest.objects.filter(reference=job.external_ref).first()
    if request is None or request.status != Status.PROCESSING:
        return
    runs = list(job.runs.select_related("connector"))
    matching.hold_unconfirmed_records(request, job, found=sum(run.record_count for run in runs))
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


@receiver(signals.manual_task_created, dispatch_uid="requests_app.gathering.effects.manual_task_created")
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


@receiver(signals.manual_task_created, dispatch_uid="requests_app.gathering.effects.notify_manual_task")
def notify_assignee(sender, task: ManualTask, **kwargs) -> None:
    """Tell the person who must search by hand; no personal data in the e-mail."""
    task = ManualTask.objects.select_related("assignee", "run__connector", "run__job").get(pk=task.pk)
    if task.assignee is None or not task.assignee.email:
        return
    request = SubjectRequest.objects.filter(reference=task.run.job.external_ref).first()
    if request is None:
        return
    language = staff_language(task.assignee)
    with translation.override(language):
        # The source as the assignee's workspace names it (in their language, else its own
        # name): the e-mail and the page it links to must name the same source the same way.
        source = task.run.connector.workspace_name
    queue_email(
        "processing_manual_task",
        to=task.assignee.email,
        context={
            "reference": request.reference,
            "source": source,
            "instructions": task.instructions_in(language),
            "url": settings.SITE_URL + workspace_url(request.reference),
        },
        language=language,
    )
