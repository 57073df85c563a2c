"""The release of a copy, made safe: what goes out, who looked at it, and four eyes.

Before a copy of the subject's data leaves the desk (Art. 15(3), 20(1)) the DPO
confirms a summary of it: the records per source, the records left out about
other people (Art. 15(4), 20(4)), the sources not searched, and whether anybody
previewed the current files. Controllers that want it (``ControllerProfile.
release_needs_second_approval``) have a second DPO approve each release: one
asks (``release.requested``), another approves (``release.approved``) and the
release goes out with that approval. Art. 5(2) and 32: the controller can show
that a disclosure of personal data was checked by someone other than the
person who prepared it. The state is read from the audit trail, as the choice
of an incomplete release is (``delivery.incomplete``).

A request to release covers the files as they were: files generated again
afterwards (records left out or put back) need a new request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dsar.models import SourceRecord, SourceRun, WithheldField
from requests_app import permissions, workflow
from requests_app.delivery import incomplete
from requests_app.delivery.left_out import WithheldLine, withheld_fields
from requests_app.delivery.selectors import (
    DELIVERED_TYPES,
    EXCLUSION_EVENTS,
    export_files,
    files_are_current,
    latest_job,
    transmission_of,
    transmission_target,
)
from requests_app.models import ControllerProfile, RequestEvent, Status, SubjectRequest

# The kinds; the calls of log_event spell them out, so that the label test reads them.
REQUESTED = "release.requested"
APPROVED = "release.approved"
WITHDRAWN = "release.withdrawn"
# Events after which a request to release no longer covers the files.
_FILES_CHANGED = ("export.generated", *EXCLUSION_EVENTS)


def needs_second_approval() -> bool:
    return ControllerProfile.current().release_needs_second_approval


def is_copy_release(request: SubjectRequest) -> bool:
    """A copy in review: its release goes through the confirmation step."""
    return request.request_type in DELIVERED_TYPES and request.status == Status.IN_REVIEW


def _last_seq(request: SubjectRequest, kinds) -> int:
    last = request.events.filter(kind__in=kinds).order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def pending_request(request: SubjectRequest) -> RequestEvent | None:
    """The request to release waiting for a second DPO, if it still covers the current files."""
    if request.status != Status.IN_REVIEW:
        return None
    last = (
        request.events.filter(kind__in=(REQUESTED, APPROVED, WITHDRAWN))
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    if last is None or last.kind != REQUESTED or _last_seq(request, _FILES_CHANGED) > last.seq:
        return None
    return last


@dataclass
class SourceLine:
    name: str
    status: str
    records: int
    left_out: int
    searched: bool
    fields_withheld: int = 0


@dataclass
class ReleaseSummary:
    """What the DPO confirms before the copy goes out."""

    sources: list[SourceLine] = field(default_factory=list)
    records: int = 0
    left_out: int = 0
    # Single fields withheld in records that go out (Art. 15(4)): a withheld
    # field is something kept from the subject too, not "0 left out".
    fields_withheld: int = 0
    # Each of those fields, named as the review names it, with the DPO's reason (``delivery.left_out``).
    withheld: list[WithheldLine] = field(default_factory=list)
    unsearched: list[str] = field(default_factory=list)
    files: list = field(default_factory=list)
    files_ready: bool = False
    # Who previewed the current files, each name once, in order.
    previewed_by: list[str] = field(default_factory=list)
    records_read_by: list[str] = field(default_factory=list)
    transmission_to: str = ""
    needs_transmission_decision: bool = False
    four_eyes: bool = False
    pending: RequestEvent | None = None


def _names(events) -> list[str]:
    names: list[str] = []
    for event in events:
        name = (event.actor.get_full_name() or event.actor.get_username()) if event.actor else event.actor_label
        if name not in names:
            names.append(name)
    return names


def summary(request: SubjectRequest) -> ReleaseSummary:
    job = latest_job(request)
    result = ReleaseSummary(four_eyes=needs_second_approval(), pending=pending_request(request))
    if job is not None:
        counts = {
            row["run"]: row
            for row in SourceRecord.objects.filter(run__job=job)
            .values("run")
            .annotate(total=Count("id"), withheld=Count("id", filter=Q(excluded=True)))
        }
        fields = dict(
            WithheldField.objects.filter(record__run__job=job, record__excluded=False)
            .values("record__run")
            .annotate(n=Count("id"))
            .values_list("record__run", "n")
        )
        unsearched = {run.pk for run in incomplete.unsearched_runs(request, job)}
        for run in SourceRun.objects.filter(job=job).select_related("connector").order_by("connector__name"):
            row = counts.get(run.pk, {})
            total, withheld = row.get("total", 0), row.get("withheld", 0)
            result.sources.append(
                SourceLine(
                    name=run.connector.workspace_name,
                    status=run.get_status_display(),
                    records=total - withheld,
                    left_out=withheld,
                    searched=run.pk not in unsearched,
                    fields_withheld=fields.get(run.pk, 0),
                )
            )
            result.fields_withheld += fields.get(run.pk, 0)
            result.records += total - withheld
            result.left_out += withheld
            if run.pk in unsearched:
                result.unsearched.append(run.connector.workspace_name)
        if result.fields_withheld:
            result.withheld = withheld_fields(job, kept_records_only=True)
    result.files = export_files(request)
    result.files_ready = files_are_current(request, result.files)
    # Looks at the files made since the last generation: earlier previews saw other files.
    since = _last_seq(request, ("export.generated",))
    looked = request.events.filter(seq__gt=since).select_related("actor").order_by("seq")
    result.previewed_by = _names(looked.filter(kind="export.previewed"))
    result.records_read_by = _names(looked.filter(kind="export.records_read"))
    target = transmission_target(request)
    if target is not None:
        decided = transmission_of(request)
        result.needs_transmission_decision = decided is None
        if decided is not None and decided.sends:
            result.transmission_to = decided.organisation
    return result


def _refuse(request: SubjectRequest, actor, action: str, message: str):
    # The refusal is itself evidence (who tried what), as the workflow records it.
    workflow.log_event(request, actor=actor, kind="action.refused", details={"action": action})
    raise workflow.ActionForbidden(message)


def _check_ready(request: SubjectRequest, actor, action: str) -> None:
    if not permissions.can_take("fulfil", request, actor):
        _refuse(request, actor, action, _("Only a DPO can release the copy to the subject."))
    if request.status != Status.IN_REVIEW:
        raise workflow.WorkflowError(_("This request is not in review: there is nothing to release."))
    if not files_are_current(request):
        raise workflow.WorkflowError(_("The files are not ready yet (being generated). Try again in a moment."))


def request_release(request: SubjectRequest, *, actor, incomplete_reason: str = "") -> RequestEvent:
    """The first DPO asks for the release; another DPO must approve it (four eyes)."""
    _check_ready(request, actor, "request_release")
    with transaction.atomic():
        # Under the row lock: two DPOs asking at the same moment make one request, not two.
        locked = workflow.require_status(
            request, (Status.IN_REVIEW,), _("This request is %(status)s: there is nothing to release.")
        )
        pending = pending_request(locked)
        if pending is not None:
            raise workflow.NotPossibleNow(
                _("The release was already asked for: another DPO approves it on this page.")
                if pending.actor_id == getattr(actor, "pk", None)
                else _("Another DPO already asked for this release: approve it instead.")
            )
        if incomplete_reason.strip():
            incomplete.accept(locked, actor=actor, reason=incomplete_reason)
        elif incomplete.refusal(locked):
            raise workflow.NotPossibleNow(incomplete.refusal(locked))
        files = export_files(locked)
        return workflow.log_event(
            locked, actor=actor, kind="release.requested", details={"formats": [f.format for f in files]}
        )


def approve_release(request: SubjectRequest, *, actor) -> SubjectRequest:
    """A second DPO, not the one who asked, approves: the release goes out now."""
    _check_ready(request, actor, "approve_release")
    pending = pending_request(request)
    if pending is None:
        raise workflow.NotPossibleNow(
            _("No release is waiting for approval (or the files changed since it was asked for: ask again).")
        )
    if pending.actor_id == getattr(actor, "pk", None):
        # Four eyes: the person who asked cannot be the second pair.
        _refuse(request, actor, "approve_release", _("You asked for this release: another DPO must approve it."))
    with transaction.atomic():
        # Under the row lock: the request approved is still the one waiting (not withdrawn or replaced meanwhile).
        locked = workflow.require_status(
            request, (Status.IN_REVIEW,), _("This request is %(status)s: there is nothing to release.")
        )
        current = pending_request(locked)
        if current is None or current.seq != pending.seq:
            raise workflow.NotPossibleNow(_("No release is waiting for approval."))
        workflow.log_event(locked, actor=actor, kind="release.approved", details={"requested": pending.seq})
        return workflow.fulfil(request, actor=actor)


def withdraw_request(request: SubjectRequest, *, actor) -> None:
    """The DPO who asked (or another DPO) withdraws a pending request to release."""
    if not permissions.can_take("fulfil", request, actor):
        _refuse(request, actor, "withdraw_release", _("Only a DPO can release the copy to the subject."))
    if pending_request(request) is None:
        raise workflow.WorkflowError(_("No release is waiting for approval."))
    workflow.log_event(request, actor=actor, kind="release.withdrawn")


def approved(request: SubjectRequest) -> bool:
    """A second DPO approved the release of the current files (read inside the release's transaction)."""
    last = request.events.filter(kind__in=(REQUESTED, APPROVED, WITHDRAWN)).order_by("-seq").first()
    return last is not None and last.kind == APPROVED and _last_seq(request, _FILES_CHANGED) < last.seq


def four_eyes_refusal(request: SubjectRequest) -> str:
    """Why this release waits for a second DPO ("" when it does not)."""
    if not is_copy_release(request) or not needs_second_approval() or approved(request):
        return ""
    if pending_request(request) is not None:
        return _("This release waits for a second DPO's approval: another DPO approves it.")
    return _(
        "This desk needs a second DPO's approval before a copy is released: ask for the release, "
        "then another DPO approves it."
    )


def action_for(request: SubjectRequest, user) -> str:
    """The release step the Actions of the request page offer this user:
    ``release``, ``approve`` (another DPO asked), ``waiting`` (this user asked) or ""."""
    if not is_copy_release(request) or not permissions.can_take("fulfil", request, user):
        return ""
    pending = pending_request(request)
    if pending is None:
        # Offered once the files are made: the live progress brings it then.
        return "release" if files_are_current(request) else ""
    return "waiting" if pending.actor_id == user.pk else "approve"
