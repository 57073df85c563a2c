"""Completing a manual task from the API, as the request page does."""

from __future__ import annotations

import mimetypes

from django.core.files.base import ContentFile
from django.db import transaction

from dsar import gathering
from dsar.crypto import encrypt_bytes
from dsar.models import ManualTask, ManualTaskFile
from requests_app import workflow
from requests_app.models import SubjectRequest


def complete(subject_request: SubjectRequest, task: ManualTask, *, findings: str, files, user) -> ManualTask:
    """Store the files encrypted at rest, complete the task through the engine
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
        gathering.complete_manual_task(task, user=user, findings=findings)
        locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
        workflow.record_event(
            locked,
            actor=user,
            kind="source.manual_task_completed",
            details={"source": task.run.connector.code, "files": len(files)},
        )
    return task
