"""The sources' section of the request page (panel ``sources``): sources done
of total, and each source's outcome."""

from __future__ import annotations

from dsar.connectors.base import translate
from dsar.models import Connector
from requests_app import permissions
from requests_app.gathering.selectors import GATHERING_TYPES, current_job
from requests_app.models import Status, SubjectRequest
from requests_app.workspace.panels import Panel, register_panel


def panel_context(request: SubjectRequest, user) -> dict:
    """The panel's template context (the API's gathering resource shows the same)."""
    job = current_job(request)
    # A DPO may test any source's connection (and preview it) on the source's
    # page, before a failure as well as after one.
    can_test = permissions.can_manage_desk(user)
    if job is None:
        configured = list(Connector.objects.filter(enabled=True).order_by("name")) if can_test else []
        return {"subject_request": request, "job": None, "can_test": can_test, "configured": configured}
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
    can_work = permissions.can_work_on(user, request)
    return {
        "subject_request": request,
        "job": job,
        "runs": runs,
        "finished": finished,
        "total": len(runs),
        "can_retry": can_work and request.status in (Status.PROCESSING, Status.IN_REVIEW),
        "can_complete": can_work and not permissions.is_read_only(user),
        "can_test": can_test,
        "can_read_copy": permissions.can_read_copy(user, request),
    }


register_panel(
    Panel(
        key="sources",
        template="workspace/panels/sources.html",
        order=20,
        context=panel_context,
        applies=lambda request: request.request_type in GATHERING_TYPES,
    )
)
