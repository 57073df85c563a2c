"""The engine recovers by itself: what the broker lost is sent again, what a
lost worker left is resumed (issue 16).

``recover_runs`` runs every minute (dsar.schedules):

* a pending run whose message went to the broker more than ``RESEND_AFTER``
  ago (or never: the broker was down) is sent again. A duplicate message is
  harmless: ``gathering.run_source`` runs a source once at a time and records
  one result;
* a running run whose heartbeat stopped (``dsar.heartbeat``) is put back to
  pending and sent again, so it resumes on a live worker within two minutes
  of the loss: a minute for the heartbeat to go stale, a minute at most for
  the sweep to come round. After ``gathering.MAX_ATTEMPTS`` starts the run
  fails in plain words, so that a source that kills its worker every time
  does not loop forever; the DPO can retry it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from dsar import gathering, heartbeat
from dsar.connectors.base import Message
from dsar.models import Connector, Job, SourceRun

log = logging.getLogger(__name__)

RESEND_AFTER = 60  # seconds


def recover_runs() -> dict[str, int]:
    now = timezone.now()
    resumed = failed = 0
    # Gathering runs only: once a job has a plan, its runs carry the plan's
    # execution (dsar.execution), which recover_plans resends instead.
    gathering_runs = SourceRun.objects.filter(job__status=Job.Status.RUNNING, job__plan__isnull=True)
    lost = gathering_runs.filter(status=SourceRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - dt.timedelta(seconds=heartbeat.LOST_AFTER))
        | Q(heartbeat_at__isnull=True, started_at__lt=now - dt.timedelta(seconds=heartbeat.LOST_AFTER))
    )
    for run in lost.only("pk", "attempts", "heartbeat_at"):
        if run.attempts >= gathering.MAX_ATTEMPTS:
            gathering.fail_source(run.pk, Message(gathering.LOST_MESSAGE, attempts=run.attempts))
            failed += 1
            continue
        # Conditional: a worker that was only slow and beats again keeps its run.
        if SourceRun.objects.filter(pk=run.pk, status=SourceRun.Status.RUNNING, heartbeat_at=run.heartbeat_at).update(
            status=SourceRun.Status.PENDING, heartbeat_at=None, enqueued_at=None
        ):
            log.warning("Source run %s: its worker was lost; resumed.", run.pk)
            resumed += 1
    unsent = (
        gathering_runs.filter(status=SourceRun.Status.PENDING)
        .exclude(connector__kind=Connector.Kind.MANUAL, attempts__gt=0)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - dt.timedelta(seconds=RESEND_AFTER)))
    )
    run_ids = list(unsent.values_list("pk", flat=True)[:500])
    if run_ids:
        gathering._enqueue(run_ids)
    return {"resent": len(run_ids), "resumed": resumed, "failed": failed}


def recover_plans() -> dict[str, int]:
    """Plan steps whose message was lost: a plan still waiting to be computed,
    or approved but never started, two minutes after it should have begun.

    Only these two states: once a plan executes, its runs are the record of
    what was applied, and ``service.runs_to_execute`` resumes them when the
    DPO (or this sweep, for an approved plan) asks."""
    from dsar.execution import tasks
    from dsar.execution.models import Plan
    from dsar.queueing import enqueue

    cutoff = timezone.now() - dt.timedelta(seconds=2 * RESEND_AFTER)
    computed = approved = 0
    for plan_id in Plan.objects.filter(
        status=Plan.Status.PLANNING, computed_at__isnull=True, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:100]:
        computed += enqueue(tasks.compute_plan, (plan_id,), what=f"plan {plan_id} computation")
    for plan_id in Plan.objects.filter(status=Plan.Status.APPROVED, approved_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:100]:
        approved += enqueue(tasks.execute_plan, (plan_id,), what=f"plan {plan_id} execution")
    return {"computed": computed, "executed": approved}
