"""The review panel of the delivery on the workspace's request page."""

from __future__ import annotations

from django.db.models import Count, Q

from dsar.models import SourceRecord, SourceRun, WithheldField
from requests_app import permissions, workflow
from requests_app.delivery import incomplete, release
from requests_app.delivery.selectors import (
    DELIVERED_TYPES,
    TRANSMISSION_STATUSES,
    export_failure,
    export_files,
    files_are_current,
    latest_job,
    transmission_decidable,
    transmission_of,
    transmission_target,
)
from requests_app.gathering import matching
from requests_app.models import Status, SubjectRequest
from requests_app.workspace.panels import Panel, register_panel


def review_context(request: SubjectRequest, user) -> dict:
    job = latest_job(request)
    runs = list(SourceRun.objects.filter(job=job).select_related("connector")) if job else []
    files = export_files(request)
    counts = {}
    if job:
        for row in (
            SourceRecord.objects.filter(run__job=job)
            .values("run")
            .annotate(total=Count("id"), withheld=Count("id", filter=Q(excluded=True)))
        ):
            counts[row["run"]] = row
        # Single fields withheld in the records that go out count as kept from the subject too (Art. 15(4)).
        for run_pk, n in (
            WithheldField.objects.filter(record__run__job=job, record__excluded=False)
            .values("record__run")
            .annotate(n=Count("id"))
            .values_list("record__run", "n")
        ):
            counts.setdefault(run_pk, {})["fields_withheld"] = n
    return {
        "exports_job": job,
        "exports_runs": [
            {
                "run": run,
                "total": counts.get(run.pk, {}).get("total", 0),
                "withheld": counts.get(run.pk, {}).get("withheld", 0),
                "fields_withheld": counts.get(run.pk, {}).get("fields_withheld", 0),
            }
            for run in runs
        ],
        "exports_files": files,
        "exports_unconfirmed": matching.unconfirmed_left_out(request, job),
        "exports_current": files_are_current(request, files),
        "exports_failure": export_failure(request),
        "exports_can_exclude": request.status == Status.IN_REVIEW and permissions.can_work_on(user, request),
        "exports_can_read": permissions.can_read_copy(user, request),
        "exports_can_release": "fulfil" in workflow.allowed_actions(request, user),
        # Sources not (completely) searched: the release then needs the DPO's reason (fails closed).
        "exports_unsearched": [run.connector.workspace_name for run in incomplete.unsearched_runs(request, job)]
        if job
        else [],
        "exports_links": list(request.download_links.select_related("transmission")[:5]),
        # A release asked for by one DPO, waiting for another (four eyes, delivery.release).
        "exports_pending": release.pending_request(request),
        # While sources are searched, what the files wait for, by name (not "being generated").
        "exports_waiting_for": _waiting_for(request),
        **_transmission_context(request, user),
    }


def _waiting_for(request: SubjectRequest) -> list[str]:
    if request.status != Status.PROCESSING:
        return []
    # progress reads the delivery's selectors: imported when called.
    from requests_app.progress.selectors import request_progress

    return request_progress(request).waiting_for


def _transmission_context(request: SubjectRequest, user) -> dict:
    target = transmission_target(request)
    if target is None:
        return {"exports_target": None}
    transmission = transmission_of(request)
    return {
        "exports_target": target,
        "exports_transmission": transmission,
        "exports_can_decide": permissions.can_decide_transmission(user, request) and transmission_decidable(request),
        # The address the DPO starts from: the one decided, else the subject's.
        "exports_target_email": (transmission.email if transmission and transmission.email else target["email"]),
        "exports_needs_decision": transmission is None and request.status in TRANSMISSION_STATUSES,
    }


register_panel(
    Panel(
        key="exports",
        template="workspace/panels/exports.html",
        order=60,
        context=review_context,
        applies=lambda request: (
            request.request_type in DELIVERED_TYPES
            and request.status in (Status.PROCESSING, Status.IN_REVIEW, Status.FULFILLED, Status.CLOSED)
        ),
    )
)
