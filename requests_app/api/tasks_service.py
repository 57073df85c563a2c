"""Completing a manual task from the API."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dsar.crypto import encrypt_bytes
from dsar.models import ManualTask, ManualTaskFile, SourceRun


def complete(task: ManualTask, *, findings: str, files, user) -> ManualTask:
    """Record what the person found, with their files encrypted at rest, and
    mark the source's run done so that the gathering can go on."""
    with transaction.atomic():
        task = ManualTask.objects.select_for_update().get(pk=task.pk)
        if task.status != ManualTask.Status.OPEN:
            return task
        for upload in files:
            stored = ManualTaskFile(
                task=task,
                original_name=upload.name[:200],
                content_type=(upload.content_type or "application/octet-stream")[:100],
                size=upload.size,
            )
            stored.file.save("upload.bin", ContentFile(encrypt_bytes(upload.read())), save=False)
            stored.save()
        now = timezone.now()
        task.findings = findings
        task.status = ManualTask.Status.DONE
        task.completed_at = now
        task.completed_by = user
        task.save(update_fields=["findings", "status", "completed_at", "completed_by"])
        SourceRun.objects.filter(pk=task.run_id).update(status=SourceRun.Status.DONE, finished_at=now)
    return task
