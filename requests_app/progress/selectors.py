"""What a request waits for, by name, while work runs: the live progress of
the request page and the queue (``progress.views``).

Work runs in the workers (gathering a source, making the files, computing or
carrying out a plan) or with a person (a manual task). The DPO reads which, and
who holds a manual task, so that nobody waits for "the files" while a camera
search sits with a colleague. The fingerprint changes whenever anything the
request page shows of that work changes: the page then fetches its sections
again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dsar.execution.models import Plan
from dsar.exports.models import ExportFile
from dsar.models import Job, ManualTask, Operation, SourceRun
from requests_app.delivery import release
from requests_app.delivery.selectors import DELIVERED_TYPES, files_are_current
from requests_app.models import Status, SubjectRequest

# Plans whose work is in the workers' hands (computing, carrying out).
PLAN_RUNNING = (Plan.Status.APPROVED, Plan.Status.EXECUTING, Plan.Status.WAITING)
RUN_UNFINISHED = (SourceRun.Status.PENDING, SourceRun.Status.RUNNING, SourceRun.Status.WAITING)
# The queue's live cells: at most one page of the largest size.
MAX_QUEUE_ROWS = 200


@dataclass
class Progress:
    running: bool = False
    # What the request waits for, each a short phrase naming it.
    waiting_for: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def summary(self) -> str:
        return "; ".join(self.waiting_for)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _phrase(source: str, *, waiting_task: bool, person: str) -> str:
    if waiting_task:
        if person:
            return _("the manual search in %(source)s, held by %(person)s") % {"source": source, "person": person}
        return _("the manual search in %(source)s, assigned to nobody") % {"source": source}
    return _("the search of %(source)s") % {"source": source}


def _run_phrase(run: SourceRun) -> str:
    task = getattr(run, "manual_task", None) if run.status == SourceRun.Status.WAITING else None
    waiting_task = task is not None and task.status == ManualTask.Status.OPEN
    return _phrase(
        run.connector.workspace_name, waiting_task=waiting_task, person=_person(task.assignee) if task else ""
    )


def _runs(job: Job | None) -> list[SourceRun]:
    if job is None:
        return []
    return list(
        job.runs.select_related("connector", "manual_task", "manual_task__assignee").order_by("connector__name")
    )


def request_progress(request: SubjectRequest) -> Progress:
    """The work running for one request, named (the request page and its progress endpoint)."""
    progress = Progress()
    marks: list[str] = [request.status]
    jobs = list(Job.objects.filter(external_ref=request.reference).order_by("created_at"))
    gathering = next((j for j in reversed(jobs) if j.operation == Operation.ACCESS), None)
    for run in _runs(gathering):
        task = getattr(run, "manual_task", None)
        marks.append(
            f"{run.pk}:{run.status}:{run.attempts}:{task.status if task else ''}:{task.assignee_id if task else ''}"
        )
        progress.sources.append(
            {"name": run.connector.workspace_name, "status": run.status, "label": run.get_status_display()}
        )
        if run.status in RUN_UNFINISHED:
            progress.running = True
            progress.waiting_for.append(_run_phrase(run))
    if request.request_type in DELIVERED_TYPES and request.status == Status.IN_REVIEW and gathering is not None:
        files = list(ExportFile.objects.filter(job=gathering).order_by("format"))
        marks.extend(f"f{f.pk}" for f in files)
        failed = request.events.filter(kind="export.failed").order_by("-seq").values_list("seq", flat=True).first()
        generated = (
            request.events.filter(kind="export.generated").order_by("-seq").values_list("seq", flat=True).first()
        )
        if not files_are_current(request, files) and not (failed and failed > (generated or 0)):
            progress.running = True
            progress.waiting_for.append(_("the files being made"))
        pending = release.pending_request(request)
        if pending is not None:
            # A person's step, but the page follows it: the approval brings the release.
            progress.running = True
            marks.append(f"r{pending.seq}")
            progress.waiting_for.append(
                _("a second DPO's approval of the release (asked by %(person)s)")
                % {"person": _person(pending.actor) or pending.actor_label}
            )
    plan = Plan.objects.filter(job__in=jobs).select_related("job").order_by("-created_at").first() if jobs else None
    if plan is not None:
        marks.append(f"p{plan.pk}:{plan.status}")
        if plan.status == Plan.Status.PLANNING:
            progress.running = True
            progress.waiting_for.append(_("the plan being computed"))
        elif plan.status in PLAN_RUNNING:
            before = len(progress.waiting_for)
            for run in _runs(plan.job):
                task = getattr(run, "manual_task", None)
                marks.append(f"x{run.pk}:{run.status}:{task.status if task else ''}")
                if run.status in RUN_UNFINISHED:
                    progress.running = True
                    progress.waiting_for.append(_run_phrase(run))
            if plan.status != Plan.Status.WAITING and len(progress.waiting_for) == before:
                progress.running = True
                progress.waiting_for.append(_("the plan being carried out"))
    # The last event: anything recorded (a release, a retry) shows without a reload.
    last = request.events.order_by("-seq").values_list("seq", flat=True).first()
    marks.append(f"e{last}")
    progress.fingerprint = hashlib.sha256("|".join(marks).encode()).hexdigest()[:16]
    return progress


def queue_progress(references: list[str]) -> dict[str, dict]:
    """The live state of the queue's visible rows, in a few queries for all of them.

    Every row asked about is answered with its status; ``waiting_for`` is empty
    when nothing runs for it (the queue then stops asking about it)."""
    references = list(dict.fromkeys(references))[:MAX_QUEUE_ROWS]
    if not references:
        return {}
    # Plain values, not model instances: a poll of 200 rows spent most of its
    # time building objects and their display labels (bench/bench_progress.py).
    requests = {
        row["reference"]: row
        for row in SubjectRequest.objects.filter(reference__in=references).values("reference", "status", "request_type")
    }
    labels = dict(Status.choices)
    result: dict[str, dict] = {}
    waiting: dict[str, list[str]] = {}
    runs = (
        SourceRun.objects.filter(job__external_ref__in=list(requests), status__in=RUN_UNFINISHED)
        .order_by("connector__name")
        .values(
            "job__external_ref",
            "status",
            "connector__name",
            "manual_task__status",
            "manual_task__assignee__username",
            "manual_task__assignee__first_name",
            "manual_task__assignee__last_name",
        )
    )
    for run in runs:
        full_name = f"{run['manual_task__assignee__first_name'] or ''} {run['manual_task__assignee__last_name'] or ''}"
        waiting.setdefault(run["job__external_ref"], []).append(
            _phrase(
                run["connector__name"],
                waiting_task=run["status"] == SourceRun.Status.WAITING
                and run["manual_task__status"] == ManualTask.Status.OPEN,
                person=full_name.strip() or run["manual_task__assignee__username"] or "",
            )
        )
    planning = Plan.objects.filter(job__external_ref__in=list(requests), status=Plan.Status.PLANNING).values_list(
        "job__external_ref", flat=True
    )
    for reference in planning:
        waiting.setdefault(reference, []).append(_("the plan being computed"))
    # Copies in review without their files yet: the worker is making them.
    in_review = [
        reference
        for reference, row in requests.items()
        if row["status"] == Status.IN_REVIEW and row["request_type"] in DELIVERED_TYPES
    ]
    if in_review:
        with_files = set(
            ExportFile.objects.filter(job__external_ref__in=in_review).values_list("job__external_ref", flat=True)
        )
        for reference in in_review:
            if reference not in with_files:
                waiting.setdefault(reference, []).append(_("the files being made"))
    for reference, row in requests.items():
        result[reference] = {
            "status": row["status"],
            "status_label": str(labels.get(row["status"], row["status"])),
            "waiting_for": "; ".join(waiting.get(reference, [])),
        }
    return result
