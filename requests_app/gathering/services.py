"""The ticket's actions on gathering: start it, retry a source, complete a
manual task. The engine (``dsar.gathering``) writes the job's state; the
request's audit trail records each action through ``workflow``."""

from __future__ import annotations

import logging
import mimetypes

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dsar import gathering
from dsar.core.crypto import encrypt_bytes
from dsar.models import Connector, ManualTask, ManualTaskFile, Operation, SourceRun
from requests_app import workflow
from requests_app.gathering.selectors import current_job, identity_of
from requests_app.models import Status, SubjectRequest

log = logging.getLogger(__name__)


def start_gathering(request: SubjectRequest) -> None:
    """Start the engine's job for an approved request; the request is processing until every source answered."""
    # (JSON "contains" lookups are not available on SQLite: filter in Python.)
    connectors = [c for c in Connector.objects.filter(enabled=True) if Operation.ACCESS in (c.operations or [])]
    if not connectors:
        # No source to search: the request stays approved and the DPO goes on by hand.
        log.info("No source is configured for access: %s was not gathered.", request.reference)
        return
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.APPROVED or current_job(request) is not None:
            return  # already started (an effect run twice must not gather twice)
        # The job first: its runs' messages go to the broker as soon as this
        # commits, before the effects of the status change (both are run
        # after commit, in the order they were asked for).
        gathering.start_job(
            external_ref=request.reference,
            identity=identity_of(request),
            operation=Operation.ACCESS,
            connectors=connectors,
        )
        workflow.start_processing(request, actor=workflow.SYSTEM)


def retry_source(request: SubjectRequest, run: SourceRun, *, actor) -> SourceRun:
    """Retry one failed source; the request goes back to processing until it answers."""
    if run.status != SourceRun.Status.FAILED:
        raise workflow.WorkflowError(_("Only a failed source can be retried."))
    with transaction.atomic():
        if request.status != Status.PROCESSING:
            workflow.start_processing(request, actor=actor)
        workflow.log_event(request, actor=actor, kind="source.retried", details={"source": run.connector.code})
        return gathering.retry_source(run)


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
        # A file attached is something found: the box ticked beside it does not empty the source.
        nothing_found = nothing_found and not files
        gathering.complete_manual_task(task, user=user, findings=findings, nothing_found=nothing_found)
        workflow.log_event(
            subject_request,
            actor=user,
            kind="source.manual_task_completed",
            details={"source": task.run.connector.code, "files": len(files), "nothing_found": nothing_found},
        )
    return task
