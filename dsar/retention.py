"""What the engine keeps about a subject once the caller's retention periods end.

Two steps, called by the ticket (the engine never decides when):

- ``forget_gathered(external_ref)``: the payloads go (the records gathered,
  the identifiers searched for, what people found in manual searches and the
  files they attached, the new values of corrections and restrictions); what was done where
  stays (runs, counts, plan items with their actions and reasons), so that the
  caller can still demonstrate what happened (Art. 5(2)).
- ``delete_jobs(external_ref)``: nothing of the jobs stays, files included.
  Erasures deferred by a legal hold (``DeferredErasure``) are not part of the
  jobs: those still to do stay, since the hold often outlives the caller's
  record; those done go with the rest.

Both are idempotent. Export files are deleted by ``delete_jobs``; while the
caller still keeps its record, it deletes them itself (``exports.service.delete_files``).
"""

from __future__ import annotations

import json

from dsar.execution.models import Action, DeferredErasure, PlanItem
from dsar.exports import service as exports
from dsar.models import Job, ManualTask, ManualTaskFile, SourceRecord


def _delete_task_files(external_ref: str) -> int:
    files = list(ManualTaskFile.objects.filter(task__run__job__external_ref=external_ref))
    for task_file in files:
        # Deleted before the rows, inside the caller's transaction: if it rolls
        # back, the rows point to missing files and the next run finishes the job;
        # the other order could leave files on disk that nothing points to.
        task_file.file.delete(save=False)
    ManualTaskFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    return len(files)


def forget_gathered(external_ref: str) -> dict:
    """Delete the subject's data the jobs of this reference hold; keep the facts."""
    jobs = Job.objects.filter(external_ref=external_ref)
    # Per model: the withheld fields (and their notes) go with their records, not counted as records.
    _total, deleted = SourceRecord.objects.filter(run__job__external_ref=external_ref).delete()
    records = deleted.get(SourceRecord._meta.label, 0)
    jobs.update(identity=json.dumps({}), options={})
    ManualTask.objects.filter(run__job__external_ref=external_ref).update(
        instructions="", instructions_translations={}, findings=""
    )
    files = _delete_task_files(external_ref)
    # A mask's fields name columns and how they were overwritten, not values: kept.
    PlanItem.objects.filter(plan__job__external_ref=external_ref).exclude(action=Action.MASK).update(fields={})
    # A correction's record before the change (its old values) goes with the rest.
    PlanItem.objects.filter(plan__job__external_ref=external_ref).exclude(before="").update(before="")
    return {"records": records, "files": files}


def delete_jobs(external_ref: str) -> int:
    """Delete every job of this reference with everything below it, files on disk included."""
    jobs = list(Job.objects.filter(external_ref=external_ref))
    for job in jobs:
        exports.delete_files(job)
    _delete_task_files(external_ref)
    Job.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    DeferredErasure.objects.filter(external_ref=external_ref, status=DeferredErasure.Status.DONE).delete()
    return len(jobs)
