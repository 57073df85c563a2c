"""Answering while a source could not be searched: the desk fails closed.

A source that failed (or, for a copy, answered with an error) was not
searched. The subject must never read "we hold nothing" or "done" because of
it: the answer is released only when a DPO chooses to, with a reason kept in
the audit trail (Art. 5(2)), and the copy and the e-mail then name the systems
that could not be searched and what happens next (Art. 12(1), 15(1)). Internal
error texts stay on the staff side.

The choice is an event (``release.incomplete``) naming the job it covers: a
new gathering or plan needs a new choice.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dsar.execution.models import Plan
from dsar.models import Job, SourceRun
from requests_app import permissions, workflow
from requests_app.delivery.selectors import DELIVERED_TYPES, latest_job
from requests_app.models import SubjectRequest

EVENT = "release.incomplete"
REASON_MAX_LENGTH = 1000


def answered_job(request: SubjectRequest) -> Job | None:
    """The job whose outcome the release tells the subject: the gathering of a
    copy, the plan's job of a right carried out in the sources."""
    if request.request_type in DELIVERED_TYPES:
        return latest_job(request)
    plan = (
        Plan.objects.filter(job__external_ref=request.reference).select_related("job").order_by("-created_at").first()
    )
    return plan.job if plan else None


def unsearched_runs(request: SubjectRequest, job: Job | None = None) -> list[SourceRun]:
    """The sources of the answered job that were not (completely) searched.

    A copy counts a source with an error as unsearched too (its answer may be
    partial); a plan counts the sources that failed (read or executed)."""
    job = job or answered_job(request)
    if job is None:
        return []
    runs = job.runs.select_related("connector").order_by("connector__name")
    if request.request_type in DELIVERED_TYPES:
        return [run for run in runs if run.status != SourceRun.Status.DONE or run.error]
    return [run for run in runs if run.status == SourceRun.Status.FAILED]


def unsearched_names(request: SubjectRequest) -> list[str]:
    """The systems that could not be searched, as the subject is told them."""
    return [run.connector.name for run in unsearched_runs(request)]


def accepted(request: SubjectRequest, job: Job | None = None) -> bool:
    """Whether a DPO chose to release this job's answer as it is, with a reason."""
    job = job or answered_job(request)
    return job is not None and request.events.filter(kind=EVENT, details__job=str(job.pk)).exists()


def refusal(request: SubjectRequest) -> str:
    """Why the release waits for the DPO's choice ("" when it does not)."""
    job = answered_job(request)
    runs = unsearched_runs(request, job)
    if not runs or accepted(request, job):
        return ""
    return _(
        "These sources could not be searched: %(sources)s. Retry them; or, to answer the subject now, release "
        "with a reason: the subject is then told which systems could not be searched."
    ) % {"sources": ", ".join(run.connector.name for run in runs)}


def accept(request: SubjectRequest, *, actor, reason: str) -> None:
    """The DPO releases the answer although sources could not be searched.
    Call inside the release's transaction: refused, nothing is recorded."""
    reason = reason.strip()
    if not permissions.can_manage_desk(actor):
        raise workflow.ActionForbidden(
            _("Only a DPO can release an answer while sources could not be searched."),
            request=request,
            actor=actor,
            action="release_incomplete",
        )
    if not reason:
        raise workflow.WorkflowError(_("Say why the answer is released before every source was searched."))
    job = answered_job(request)
    runs = unsearched_runs(request, job)
    if job is None or not runs:
        return
    workflow.log_event(
        request,
        actor=actor,
        kind="release.incomplete",  # EVENT: a literal, so the label test reads it
        details={
            "job": str(job.pk),
            "sources": [run.connector.code for run in runs],
            "reason": reason[:REASON_MAX_LENGTH],
        },
    )
