"""Every status transition of a request, and every audited action on it.

Nothing else writes ``SubjectRequest.status``. Each function:
  1. locks the request row (``select_for_update``), because two staff members
     or a worker and a person can act on one request at the same moment and
     the second must see the first one's outcome, not overwrite it;
  2. checks the allowed-transitions table and the actor's role;
  3. saves with ``update_fields`` and appends an audit event in the same
     transaction;
  4. runs side effects (e-mails, Celery work, webhooks) only after commit,
     through the effect registry (``requests_app.effects``).

Actors are a staff ``User``, or the ``SUBJECT`` / ``SYSTEM`` markers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dsar.core.crypto import new_link_token, token_digest
from requests_app import deadlines
from requests_app.accounts import roles
from requests_app.models import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    Attachment,
    Channel,
    Forwarding,
    HoldReason,
    IdentityCheck,
    InternalNote,
    Message,
    ReferenceCounter,
    RejectionReason,
    RequestEvent,
    RequestPause,
    RequestType,
    RetentionHold,
    Status,
    SubjectRequest,
    VerificationMethod,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

SUBJECT = "subject"
SYSTEM = "system"


class WorkflowError(Exception):
    """A transition that cannot happen now; the message is shown to the user."""


class NotPossibleNow(WorkflowError):
    """A precondition refuses the action in the request's present state (the API answers 409)."""


class RetentionHeld(WorkflowError):
    """The request is under a retention hold: its data may be neither purged nor deleted."""


class ActionForbidden(WorkflowError):
    """The actor's role does not allow this action. Recorded in the audit trail."""

    def __init__(self, message, *, request=None, actor=None, action: str = ""):
        super().__init__(message)
        self.request, self.actor, self.action = request, actor, action


def _record_refusal(exc: ActionForbidden) -> None:
    # The refusal is itself evidence (who tried what). It is written after the
    # refused action's transaction rolled back, so that it survives it.
    if exc.request is None or exc.actor in (SUBJECT, SYSTEM, None):
        return
    log_event(exc.request, actor=exc.actor, kind="action.refused", details={"action": exc.action})


# ------------------------------------------------------------------------------
# The table of transitions
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change
    label: str | Promise  # gettext_lazy: translated when shown


S = Status
TRANSITIONS: dict[str, Transition] = {
    "verify": Transition((S.UNVERIFIED,), S.NEW, gettext_lazy("Confirm the e-mail address")),
    "expire": Transition((S.UNVERIFIED,), S.EXPIRED, gettext_lazy("Expire")),
    "cancel": Transition((S.UNVERIFIED, *OPEN_STATUSES), S.CANCELLED, gettext_lazy("Cancel")),
    "assign": Transition(OPEN_STATUSES, None, gettext_lazy("Assign")),
    "change_type": Transition((S.NEW, S.AWAITING_SUBJECT), None, gettext_lazy("Change the type")),
    "request_info": Transition((S.NEW, S.AWAITING_SUBJECT), S.AWAITING_SUBJECT, gettext_lazy("Ask for information")),
    "subject_reply": Transition((S.AWAITING_SUBJECT, S.NEW), S.NEW, gettext_lazy("Reply")),
    "approve": Transition((S.NEW, S.AWAITING_SUBJECT), S.APPROVED, gettext_lazy("Approve")),
    "start_processing": Transition((S.APPROVED, S.IN_REVIEW, S.PROCESSING), S.PROCESSING, gettext_lazy("Process")),
    "processing_done": Transition((S.PROCESSING,), S.IN_REVIEW, gettext_lazy("Ready for review")),
    "fulfil": Transition((S.IN_REVIEW,), S.FULFILLED, gettext_lazy("Release and notify the subject")),
    "reject": Transition((S.NEW, S.AWAITING_SUBJECT, S.APPROVED, S.IN_REVIEW), S.REJECTED, gettext_lazy("Reject")),
    "extend": Transition(OPEN_STATUSES, None, gettext_lazy("Extend the deadline")),
    "close": Transition((S.FULFILLED, S.NEW, S.AWAITING_SUBJECT, S.FORWARDED), S.CLOSED, gettext_lazy("Close")),
    "forward": Transition((S.NEW, S.AWAITING_SUBJECT), S.FORWARDED, gettext_lazy("Forward to the controller")),
    # The care provider acknowledged the forwarded request (Patient Rights Act):
    # by its link (the system), or as told to the DPO by other means.
    "forwarding_acknowledged": Transition((S.FORWARDED,), S.CLOSED, gettext_lazy("Record the acknowledgement")),
    # Art. 21(3), 7(3): absolute rights run without the staff's approval (the
    # controller may require one DPO approval instead: ControllerProfile).
    "approve_absolute": Transition((S.NEW,), S.APPROVED, gettext_lazy("Run without weighing (absolute right)")),
    "complete_absolute": Transition((S.IN_REVIEW,), S.FULFILLED, gettext_lazy("Tell the subject it is done")),
    # Art. 12(6): the staff record that the identity was checked (EDPB 01/2022:
    # the documents sent for it go then).
    "record_identity_check": Transition(OPEN_STATUSES, None, gettext_lazy("Record the identity check")),
    # Art. 12(5): a reasonable fee for a manifestly unfounded or excessive
    # request, announced to the subject before it is charged (EDPB 01/2022).
    "announce_fee": Transition((S.NEW, S.AWAITING_SUBJECT), S.AWAITING_SUBJECT, gettext_lazy("Announce a fee")),
    "add_note": Transition(tuple(S.values), None, gettext_lazy("Add a note")),
    "reveal_national_number": Transition(tuple(S.values), None, gettext_lazy("Reveal the national number")),
    "purge": Transition(ENDED_STATUSES, None, gettext_lazy("Purge")),
    "delete_records": Transition(ENDED_STATUSES, None, gettext_lazy("Delete the records")),
    "delete_attachment": Transition(tuple(S.values), None, gettext_lazy("Delete an attachment")),
    "place_hold": Transition(tuple(S.values), None, gettext_lazy("Place a retention hold")),
    "lift_hold": Transition(tuple(S.values), None, gettext_lazy("Lift the retention hold")),
}

# Who may take each action. "work" = a DPO, or the agent assigned to the request.
_DPO_ONLY = {"fulfil", "reveal_national_number", "delete_attachment", "place_hold", "lift_hold", "announce_fee"}
_STAFF_WORK = {
    "change_type", "request_info", "approve", "reject", "extend", "close", "forward", "add_note",
    "forwarding_acknowledged", "record_identity_check",
}  # fmt: skip
_SUBJECT_ACTIONS = {"verify", "cancel", "subject_reply"}
_SYSTEM_ACTIONS = {
    "verify", "expire", "start_processing", "processing_done", "purge", "delete_records", "cancel",
    "approve_absolute", "complete_absolute", "forwarding_acknowledged", "delete_attachment",
}  # fmt: skip


def allowed_actions(request: SubjectRequest, user) -> list[str]:
    """The staff actions this user may take on this request now (for buttons)."""
    held = None
    allowed = []
    for name, transition in TRANSITIONS.items():
        if request.status not in transition.sources or not _role_allows(name, request, user):
            continue
        if name in ("place_hold", "lift_hold"):
            # Read once, and only for the DPO, who alone may see these buttons.
            held = active_hold(request) is not None if held is None else held
            if (name == "lift_hold") != held or (name == "place_hold" and request.records_deleted_at):
                continue
        allowed.append(name)
    return allowed


def _role_allows(action: str, request: SubjectRequest, actor) -> bool:
    if actor == SUBJECT:
        return action in _SUBJECT_ACTIONS
    if actor == SYSTEM:
        return action in _SYSTEM_ACTIONS
    if roles.is_dpo(actor):
        return True
    if roles.is_auditor(actor) or not roles.is_agent(actor):
        return False
    # A privacy agent works the requests assigned to them; they may claim an
    # unassigned one, never release data (Art. 15 copies) nor approve erasure.
    if action == "assign":
        return request.assignee_id in (None, actor.pk)
    if action in _DPO_ONLY:
        return False
    if action == "approve" and request.request_type == RequestType.ERASURE:
        return False
    if action == "start_processing":
        return roles.can_work_on(actor, request)
    return action in _STAFF_WORK and roles.can_work_on(actor, request)


# ------------------------------------------------------------------------------
# Side effects after commit
# ------------------------------------------------------------------------------
Effect = Callable[[SubjectRequest, RequestEvent], None]
_effects: dict[str, list[Effect]] = defaultdict(list)


def on_event(*kinds: str) -> Callable[[Effect], Effect]:
    """Register a side effect for events of these kinds ("*" for every event).

    Effects run after the transaction commits, each in isolation: one that
    fails is logged and does not stop the others nor undo the transition.
    Slow work belongs in a Celery task that the effect enqueues.
    """

    def register(func: Effect) -> Effect:
        for kind in kinds:
            _effects[kind].append(func)
        return func

    return register


Precondition = Callable[[SubjectRequest, object], None]
_preconditions: dict[str, list[Precondition]] = defaultdict(list)


def precondition(*actions: str) -> Callable[[Precondition], Precondition]:
    """Register a check run before these actions, inside their transaction.

    It raises ``WorkflowError`` with a message for the user to refuse the
    action (for example: no release before the erasure plan was executed).
    """

    def register(func: Precondition) -> Precondition:
        for action in actions:
            _preconditions[action].append(func)
        return func

    return register


def refusal(request: SubjectRequest, action: str, actor=SUBJECT) -> str:
    """Why a registered precondition refuses this action now ("" when none does),
    for a page to say so before anyone presses the button."""
    for check in _preconditions.get(action, []):
        try:
            check(request, actor)
        except WorkflowError as exc:
            return str(exc)
    return ""


def _run_effects(request_id: int, event_id: int) -> None:
    event = RequestEvent.objects.select_related("request").filter(pk=event_id).first()
    if event is None:
        # Cut behind a retention checkpoint before this ran (the same outer
        # transaction): the record it would act on is gone with it.
        log.info("Event %s of request %s was deleted before its effects ran.", event_id, request_id)
        return
    for func in [*_effects.get(event.kind, []), *_effects.get("*", [])]:
        try:
            func(event.request, event)
        except Exception:
            log.exception("Side effect %s failed for event %s of request %s", func.__name__, event.kind, request_id)


# ------------------------------------------------------------------------------
# The audit trail
# ------------------------------------------------------------------------------
def _actor_fields(actor) -> tuple[User | None, str]:
    if actor in (SUBJECT, SYSTEM):
        return None, actor
    return actor, actor.get_username()


def record_event(
    request: SubjectRequest,
    *,
    actor,
    kind: str,
    status_before: str = "",
    status_after: str = "",
    details: dict | None = None,
    public: bool = False,
) -> RequestEvent:
    """Append an event to the request's hash chain. The caller holds the row lock.

    ``details`` must hold no personal data: the log is never redacted.
    """
    user, label = _actor_fields(actor)
    event = RequestEvent(
        request=request,
        seq=request.event_count + 1,
        created_at=timezone.now(),
        actor=user,
        actor_label=label,
        kind=kind,
        status_before=status_before,
        status_after=status_after,
        details=details or {},
        public=public,
        prev_hash=request.event_head,
    )
    event.hash = event.compute_hash()
    event.save()
    request.event_count = event.seq
    request.event_head = event.hash
    SubjectRequest.objects.filter(pk=request.pk).update(event_count=event.seq, event_head=event.hash)
    transaction.on_commit(lambda: _run_effects(request.pk, event.pk))
    return event


def log_event(
    request: SubjectRequest, *, actor, kind: str, details: dict | None = None, public: bool = False
) -> RequestEvent:
    """Record an audited event that changes no status (a preview, a plan step...).

    Takes the row lock itself, so that concurrent events of one request can
    never fork its hash chain; inside a caller's transaction it joins it.
    """
    with transaction.atomic():
        return record_event(_locked(request), actor=actor, kind=kind, details=details, public=public)


def require_status(request: SubjectRequest, statuses, message: str) -> SubjectRequest:
    """Lock the request's row and check that it is still in one of ``statuses``,
    for a change another area makes in the caller's transaction (records left
    out of a copy, a transmission decided), recorded afterwards with ``log_event``.

    Under the lock a transition committed in between is seen, and one that
    starts later waits for the caller's commit. ``message`` may name the
    current status as ``%(status)s``.
    """
    locked = _locked(request)
    if locked.status not in statuses:
        raise WorkflowError(message % {"status": locked.get_status_display().lower()})
    return locked


def _locked(request: SubjectRequest) -> SubjectRequest:
    """Re-read the request under a row lock, so the checks see the latest status."""
    return SubjectRequest.objects.select_for_update().get(pk=request.pk)


def _refuse(request: SubjectRequest, actor, action: str) -> None:
    raise ActionForbidden(
        _("Your role does not allow this action: %(action)s.") % {"action": TRANSITIONS[action].label},
        request=request,
        actor=actor,
        action=action,
    )


def _check(request: SubjectRequest, actor, action: str) -> Transition:
    transition = TRANSITIONS[action]
    if not _role_allows(action, request, actor):
        _refuse(request, actor, action)
    if request.status not in transition.sources:
        raise WorkflowError(
            _("This request is %(status)s: you cannot %(action)s it now.")
            % {"status": request.get_status_display().lower(), "action": str(transition.label).lower()}
        )
    return transition


def _transition(
    request: SubjectRequest,
    *,
    actor,
    action: str,
    fields: dict | None = None,
    details: dict | None = None,
    public: bool = True,
    kind: str | None = None,
) -> SubjectRequest:
    """Apply a transition of the table to an already locked request."""
    transition = _check(request, actor, action)
    for check in _preconditions.get(action, []):
        check(request, actor)
    before = request.status
    update_fields = ["updated_at"]
    for name, value in (fields or {}).items():
        setattr(request, name, value)
        update_fields.append(name)
    if transition.target is not None:
        request.status = transition.target
        update_fields.append("status")
    request.save(update_fields=update_fields)
    record_event(
        request,
        actor=actor,
        kind=kind or f"request.{action}",
        status_before=before,
        status_after=request.status,
        details=details,
        public=public,
    )
    return request


def _atomic_action(func):
    """Run a workflow function in a transaction on a freshly locked row."""

    def wrapper(request: SubjectRequest, *args, **kwargs):
        try:
            with transaction.atomic():
                locked = _locked(request)
                result = func(locked, *args, **kwargs)
        except ActionForbidden as exc:
            _record_refusal(exc)
            raise
        # Callers keep using their object: give it the committed state.
        if locked is not request:
            request.__dict__.update({k: v for k, v in locked.__dict__.items() if k != "_state"})
        return request if result is locked else result

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    wrapper.__wrapped__ = func  # type: ignore[attr-defined]  # a function object takes attributes; mypy does not model it
    return wrapper


# ------------------------------------------------------------------------------
# Creation
# ------------------------------------------------------------------------------
def next_reference(year: int) -> str:
    """The next ``DSAR-YYYY-NNNNN`` of the year.

    The counter row is incremented with a single UPDATE ... SET last = last + 1,
    which holds the row lock until commit, so two concurrent submissions can
    never read the same number (PostgreSQL row lock; SQLite database lock).
    """
    updated = ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    if not updated:
        # First request of the year: create the row, tolerating a concurrent creator.
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"DSAR-{year}-{number:05d}"


def create_request(
    *,
    request_type: str,
    full_name: str,
    email: str,
    language: str,
    actor=SUBJECT,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    identity_check: str = "",
    identity_note: str = "",
    **fields,
) -> SubjectRequest:
    """Record a new request. From the web form or API it waits for the subject
    to confirm their e-mail address; logged by staff (e-mail, letter, phone...)
    it starts as new, with its real date of receipt (Art. 12(3) runs from then).

    Staff say how they checked who the subject is (``identity_check``, an
    ``IdentityCheck`` code kept in the audit event; ``identity_note``, free
    text kept as an internal note, required for "other").
    """
    if actor not in (SUBJECT, SYSTEM) and not (roles.is_dpo(actor) or roles.is_agent(actor)):
        raise ActionForbidden(_("Your role does not allow logging requests."))
    if request_type not in RequestType.values:
        raise WorkflowError(_("Unknown request type."))
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise WorkflowError(_("The date of receipt cannot be in the future."))
    received = deadlines.local_date(received_at)
    due = deadlines.legal_deadline(received)
    staff_logged = actor not in (SUBJECT, SYSTEM)
    if staff_logged:
        if identity_check not in IdentityCheck.values:
            raise WorkflowError(_("Say how the subject's identity was checked."))
        if identity_check == IdentityCheck.OTHER and not identity_note.strip():
            raise WorkflowError(_("Explain how the subject's identity was checked."))
    with transaction.atomic():
        request = SubjectRequest(
            reference=next_reference(
                received_at.year if not timezone.is_aware(received_at) else timezone.localtime(received_at).year
            ),
            request_type=request_type,
            full_name=full_name,
            email=email.strip(),
            language=language,
            channel=channel,
            received_at=received_at,
            due_date=due,
            original_due_date=due,
            internal_target_date=deadlines.internal_target(received, due),
            status=Status.NEW if staff_logged else Status.UNVERIFIED,
            **fields,
        )
        if staff_logged:
            request.verified_at = timezone.now()
            request.verification_method = VerificationMethod.STAFF
        request.save()
        details: dict[str, object] = {"type": request_type, "channel": channel}
        if staff_logged:
            details["identity_check"] = identity_check
            if identity_note.strip():
                label = _("How the subject's identity was checked")
                details["note"] = _reason_note(request, actor, label, identity_note).pk
        record_event(
            request,
            actor=actor,
            kind="request.created",
            status_after=request.status,
            details=details,
            public=True,
        )
    return request


# ------------------------------------------------------------------------------
# The subject's actions and the system's
# ------------------------------------------------------------------------------
@_atomic_action
def verify(request: SubjectRequest, *, actor=SUBJECT) -> SubjectRequest:
    """The subject confirmed their e-mail address: the request enters the queue."""
    return _transition(
        request,
        actor=actor,
        action="verify",
        fields={"verified_at": timezone.now(), "verification_method": VerificationMethod.EMAIL_LINK},
    )


@_atomic_action
def expire(request: SubjectRequest, *, actor=SYSTEM) -> SubjectRequest:
    return _transition(request, actor=actor, action="expire")


@_atomic_action
def cancel(request: SubjectRequest, *, actor=SUBJECT) -> SubjectRequest:
    _end_pause(request)
    return _transition(request, actor=actor, action="cancel", fields={"closed_at": timezone.now()})


@_atomic_action
def subject_reply(request: SubjectRequest, *, body: str, actor=SUBJECT) -> Message:
    """The subject answered a request for information; the clock resumes."""
    _end_pause(request)
    message = Message.objects.create(request=request, direction=Message.Direction.FROM_SUBJECT, body=body)
    _transition(request, actor=actor, action="subject_reply", details={"message": message.pk})
    return message


# ------------------------------------------------------------------------------
# Staff actions
# ------------------------------------------------------------------------------
@_atomic_action
def assign(request: SubjectRequest, *, actor, assignee) -> SubjectRequest:
    _check(request, actor, "assign")
    if assignee is not None and not (roles.is_dpo(assignee) or roles.is_agent(assignee)):
        raise WorkflowError(_("Requests can only be assigned to a DPO or a privacy agent."))
    return _transition(
        request,
        actor=actor,
        action="assign",
        fields={"assignee": assignee},
        details={"assignee": assignee.get_username() if assignee else None},
        public=False,
        kind="request.assigned",
    )


@_atomic_action
def change_type(
    request: SubjectRequest, *, actor, request_type: str, type_details: dict, reason: str
) -> SubjectRequest:
    """Triage: people often ask for "my data deleted" when they mean an objection.

    ``type_details`` replaces the old type's (validated by the workspace's
    ``ChangeTypeForm``): the plan reads them, and an erasure's scope means
    nothing to a rectification. The audit records the types, not the details,
    which may hold the subject's data (corrections).
    """
    if request_type not in RequestType.values:
        raise WorkflowError(_("Unknown request type."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason for changing the type."))
    old = request.request_type
    _check(request, actor, "change_type")
    note = _reason_note(request, actor, _("Reason for changing the type"), reason)
    return _transition(
        request,
        actor=actor,
        action="change_type",
        fields={"request_type": request_type, "type_details": type_details or {}},
        details={"from": old, "to": request_type, "note": note.pk},
        kind="request.type_changed",
    )


@_atomic_action
def request_info(request: SubjectRequest, *, actor, body: str, subject_line: str = "") -> Message:
    """Ask the subject for more information (Art. 12(6) where identity is in doubt).

    A pause is recorded; the legal deadline does not move (the GDPR has no pause).
    """
    if not body.strip():
        raise WorkflowError(_("Write the message to the subject."))
    message = Message.objects.create(
        request=request,
        direction=Message.Direction.TO_SUBJECT,
        author=actor,
        subject_line=subject_line,
        body=body,
    )
    if not request.pauses.filter(ended_at__isnull=True).exists():
        RequestPause.objects.create(request=request, reason="awaiting_subject")
    _transition(request, actor=actor, action="request_info", details={"message": message.pk})
    return message


def _end_pause(request: SubjectRequest) -> None:
    now = timezone.now()
    if request.pauses.filter(ended_at__isnull=True).update(ended_at=now):
        paused = deadlines.paused_days(request.pauses.all())
        request.internal_target_date = deadlines.internal_target(
            deadlines.local_date(request.received_at), request.due_date, paused=paused
        )
        request.save(update_fields=["internal_target_date"])


@_atomic_action
def approve(request: SubjectRequest, *, actor) -> SubjectRequest:
    """The request is valid: the engine may gather or act (after commit)."""
    _end_pause(request)
    return _transition(request, actor=actor, action="approve")


@_atomic_action
def start_processing(request: SubjectRequest, *, actor=SYSTEM) -> SubjectRequest:
    return _transition(request, actor=actor, action="start_processing", kind="request.processing_started")


@_atomic_action
def processing_done(request: SubjectRequest, *, actor=SYSTEM, details: dict | None = None) -> SubjectRequest:
    return _transition(request, actor=actor, action="processing_done", details=details, kind="request.in_review")


@_atomic_action
def fulfil(request: SubjectRequest, *, actor, summary: str = "") -> SubjectRequest:
    """Only a DPO releases: the subject is notified after commit."""
    return _transition(
        request,
        actor=actor,
        action="fulfil",
        fields={"outcome_summary": summary or request.outcome_summary, "answered_at": timezone.now()},
        kind="request.fulfilled",
    )


@_atomic_action
def reject(request: SubjectRequest, *, actor, reason: str, details: str = "") -> SubjectRequest:
    """Art. 12(4): the subject is told the reasons, and of their right to complain
    to the supervisory authority and to seek a judicial remedy (by e-mail, after commit)."""
    if reason not in RejectionReason.values:
        raise WorkflowError(_("Choose a reason for the refusal."))
    # Set before the preconditions run, so that they see the ground (an absolute
    # right may be refused on a few grounds only: requests_app.execution.effects).
    request.rejection_reason = reason
    if reason in (RejectionReason.MANIFESTLY_UNFOUNDED, RejectionReason.EXCESSIVE) and not details.strip():
        # Art. 12(5): the controller bears the burden of demonstrating it.
        raise WorkflowError(_("Explain why the request is manifestly unfounded or excessive."))
    _end_pause(request)
    return _transition(
        request,
        actor=actor,
        action="reject",
        fields={
            "rejection_reason": reason,
            "rejection_details": details,
            "closed_at": timezone.now(),
            "answered_at": timezone.now(),
        },
        details={"reason": reason},
        kind="request.rejected",
    )


@_atomic_action
def extend(request: SubjectRequest, *, actor, months: int, reason: str) -> SubjectRequest:
    """Art. 12(3): one extension by up to two months, with reasons, told to the
    subject within the first month (so only before the original deadline)."""
    _check(request, actor, "extend")
    if request.extended_at is not None:
        raise WorkflowError(_("This request was already extended; the GDPR allows one extension."))
    if deadlines.today() > request.original_due_date:
        raise WorkflowError(_("The original deadline has passed: an extension must be announced before it."))
    if not reason.strip():
        raise WorkflowError(_("Give the reasons for the extension: the subject will receive them."))
    try:
        months = int(months)
        new_due = deadlines.extended_deadline(deadlines.local_date(request.received_at), months)
    except (TypeError, ValueError) as exc:
        raise WorkflowError(_("An extension is one or two months.")) from exc
    return _transition(
        request,
        actor=actor,
        action="extend",
        fields={"due_date": new_due, "extended_at": timezone.now(), "extension_reason": reason},
        details={"months": months, "from": request.due_date.isoformat(), "to": new_due.isoformat()},
        kind="request.extended",
    )


# Closing before any answer was given: the subject must be told why (Art. 12(4)).
UNANSWERED_STATUSES = (Status.NEW, Status.AWAITING_SUBJECT)


@_atomic_action
def close(request: SubjectRequest, *, actor, reason: str = "") -> SubjectRequest:
    """Close a request. After release it is bookkeeping; before any answer
    (withdrawn by phone, a repeat handled under another reference...) the
    reason is required, because the subject is e-mailed it with their right
    to complain (Art. 12(4))."""
    _check(request, actor, "close")
    unanswered = request.status in UNANSWERED_STATUSES
    if unanswered and not reason.strip():
        raise WorkflowError(_("Give the reason: the subject will receive it, since their request was not answered."))
    note = _reason_note(request, actor, _("Reason for closing"), reason) if reason.strip() else None
    _end_pause(request)
    details: dict[str, object] = {"unanswered": unanswered}
    if note is not None:
        details["note"] = note.pk
    return _transition(
        request,
        actor=actor,
        action="close",
        fields={
            "closed_at": timezone.now(),
            **({"closing_reason": reason.strip(), "answered_at": timezone.now()} if unanswered else {}),
        },
        details=details,
    )


@_atomic_action
def forward(request: SubjectRequest, *, actor, controller_name: str, controller_email: str, note: str = ""):
    """Send the request on to the controller it belongs to (the vendor is only
    the care provider's processor for that data, Art. 28). Ends the request
    here; returns ``(forwarding, token)``: the caller e-mails the
    acknowledgement link (requests_app.forwarding), only its hash is kept."""
    _check(request, actor, "forward")
    controller_name, controller_email = controller_name.strip(), controller_email.strip()
    if not controller_name or not controller_email:
        raise WorkflowError(_("Name the controller and give its e-mail address."))
    token = new_link_token()
    now = timezone.now()
    provider_due = deadlines.patient_rights_deadline(deadlines.local_date(request.received_at))
    forwarding = Forwarding.objects.create(
        request=request,
        controller_name=controller_name[:200],
        controller_email=controller_email,
        token_hash=token_digest(token),
        sent_at=now,
        due_date=provider_due,
    )
    details = {
        "forwarding": forwarding.pk,
        "controller": forwarding.controller_name,
        "provider_due": provider_due.isoformat(),
    }
    if note.strip():
        details["note"] = _reason_note(request, actor, _("Note on forwarding"), note).pk
    _end_pause(request)
    _transition(
        request,
        actor=actor,
        action="forward",
        # Answered here (the subject is told where it went), but not closed:
        # tracked until the provider acknowledges (``forwarding_acknowledged``).
        fields={"answered_at": now},
        details=details,
        kind="request.forwarded",
    )
    return forwarding, token


def _reason_note(request: SubjectRequest, actor, label, reason: str) -> InternalNote:
    """Free-text reasons may name people ("withdrawn by phone by Mr X"): they
    go in a note, which the purge removes, and the permanent audit event
    points to it by id only."""
    author = actor if getattr(actor, "is_authenticated", False) else None
    return InternalNote.objects.create(request=request, author=author, body=f"{label}: {reason.strip()}")


@_atomic_action
def add_note(request: SubjectRequest, *, actor, body: str) -> InternalNote:
    if not body.strip():
        raise WorkflowError(_("The note is empty."))
    _check(request, actor, "add_note")
    note = InternalNote.objects.create(request=request, author=actor, body=body)
    record_event(request, actor=actor, kind="note.added", details={"note": note.pk})
    return note


@_atomic_action
def reveal_national_number(request: SubjectRequest, *, actor, reason: str = "") -> str:
    """Show the full national number to a DPO, and record that they saw it."""
    _check(request, actor, "reveal_national_number")
    note = _reason_note(request, actor, _("Reason for revealing the national number"), reason)
    record_event(request, actor=actor, kind="national_number.revealed", details={"note": note.pk})
    return request.national_number


# Fields blanked by the purge. Accountability keeps the reference, type,
# channel, language, dates, outcome and the audit trail (Art. 5(2)).
PERSONAL_FIELDS = ("full_name", "email", "phone", "postal_address", "customer_number", "national_number", "details")
# Written by staff for the file; they may name the subject, and are kept only
# as long as the record itself (``delete_records``).
STAFF_TEXT_FIELDS = ("outcome_summary", "extension_reason", "rejection_details", "closing_reason")


def purged_address(request: SubjectRequest) -> str:
    return f"purged+{request.reference.lower()}@invalid"


def _delete_attachment_files(attachments) -> int:
    attachments = list(attachments)
    for attachment in attachments:
        # Before the rows, inside the transaction: if it rolls back, the rows
        # point to missing files and the next purge finishes; the other order
        # could leave files on disk that nothing points to any more.
        attachment.file.delete(save=False)
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    return len(attachments)


@_atomic_action
def purge_personal_data(request: SubjectRequest, *, actor=SYSTEM, reason: str = "") -> SubjectRequest:
    """Remove the subject's personal data from the ticket and the engine, keeping the record.

    Goes: the identity fields, the free text and type details, the messages'
    text and attachments (files included), the notes, the address and text of
    sent e-mails (and of those given up on), and what the engine gathered
    (``dsar.retention.forget_gathered``); the copies' files go after commit
    (``delivery.effects.delete_files_when_purged``). Stays (Art. 5(2)): the reference,
    type, channel, language, dates, outcome and the audit trail.

    Refused (``RetentionHeld``) while the request is under a retention hold,
    whoever asks: the DPO keeps it as evidence (``place_retention_hold``).
    """
    from dsar import retention as engine_retention
    from requests_app import emails

    _check(request, actor, "purge")
    if request.purged_at:
        return request
    _refuse_if_held(request)
    for name in PERSONAL_FIELDS:
        setattr(request, name, "")
    request.email = purged_address(request)
    request.full_name = "—"
    request.type_details = {}
    request.purged_at = timezone.now()
    request.save(update_fields=[*PERSONAL_FIELDS, "type_details", "purged_at", "updated_at"])
    _delete_attachment_files(Attachment.objects.filter(message__request=request))
    request.messages.update(body="", subject_line="")
    request.notes.update(body="")
    # Sent e-mails keep their metadata (when, which template) as evidence. One
    # still waiting may be the erasure's own confirmation, queued a moment ago.
    request.emails.filter(emails.FINISHED).update(
        to=purged_address(request), subject="", body_text="", body_html=""
    )
    engine_retention.forget_gathered(request.reference)
    record_event(request, actor=actor, kind="request.purged", details={"reason": reason} if reason else None)
    return request


@_atomic_action
def delete_records(request: SubjectRequest, *, actor=SYSTEM, retention_years: int) -> SubjectRequest:
    """The record retention period ended: the request's records go, its audit
    trail is cut to a signed checkpoint (``requests_app.retention`` explains why).

    The personal data must have been purged (``purge_personal_data``), and no
    retention hold may be active. The staff's free text, the assignee, the
    pauses, lifted retention holds, messages, notes, e-mails, download links
    and everything the engine holds for the reference go. The row keeps
    the reference, type, status, channel, language and dates: no person can
    be found from them, and the yearly accountability figures stay whole.
    """
    from dsar import retention as engine_retention
    from requests_app.audit import chain as audit_chain

    _check(request, actor, "delete_records")
    if request.records_deleted_at:
        return request
    _refuse_if_held(request)
    if not request.purged_at:
        # The purge's own event and its effects (the copies' files) must have
        # run first: its event would be gone before its effects ran otherwise.
        raise WorkflowError(_("Purge the personal data before deleting the records."))
    for name in STAFF_TEXT_FIELDS:
        setattr(request, name, "")
    request.assignee = None
    request.records_deleted_at = timezone.now()
    request.save(update_fields=[*STAFF_TEXT_FIELDS, "assignee", "records_deleted_at", "updated_at"])
    _delete_attachment_files(Attachment.objects.filter(message__request=request))
    request.messages.all().delete()
    request.notes.all().delete()
    request.pauses.all().delete()
    # Lifted holds (an active one refused this deletion): who placed them and when.
    request.retention_holds.all().delete()
    request.emails.all().delete()
    request.download_links.all().delete()
    request.forwardings.all().delete()
    engine_retention.delete_jobs(request.reference)
    removed, head = request.event_count, request.event_head
    checkpoint = record_event(
        request,
        actor=actor,
        kind="request.records_deleted",  # audit_chain.CHECKPOINT_KIND: spelled out for the label check
        details={"removed_events": removed, "removed_head": head, "retention_years": retention_years},
    )
    audit_chain.delete_events_before(checkpoint)
    return request


@_atomic_action
def delete_attachment(request: SubjectRequest, *, actor, attachment_id: int) -> SubjectRequest:
    """A DPO deletes a file the subject sent, for example an identity document
    once checked: the EDPB's guidelines on access (01/2022) advise against
    keeping such copies (Art. 5(1)(c), 12(6)). The file leaves the disk; the
    audit trail records which attachment, its type and size, never its name
    nor its content."""
    _check(request, actor, "delete_attachment")
    attachment = Attachment.objects.filter(pk=attachment_id, message__request=request).first()
    if attachment is None:
        raise WorkflowError(_("This attachment does not exist or was already deleted."))
    details = {
        "attachment": attachment.pk,
        "message": attachment.message_id,
        "content_type": attachment.content_type,
        "size": attachment.size,
    }
    _delete_attachment_files([attachment])
    record_event(request, actor=actor, kind="attachment.deleted", details=details)
    return request


# ------------------------------------------------------------------------------
# Retention holds
# ------------------------------------------------------------------------------
def active_hold(request: SubjectRequest) -> RetentionHold | None:
    return RetentionHold.objects.active().filter(request=request).select_related("placed_by", "note").first()


def _refuse_if_held(request: SubjectRequest) -> None:
    # Checked under the row lock that place_retention_hold also takes: a hold
    # placed while a retention run is under way stops it here, not after.
    if active_hold(request) is not None:
        raise RetentionHeld(
            _("This request is under a retention hold: its data can be neither purged nor deleted until it is lifted.")
        )


@_atomic_action
def place_retention_hold(request: SubjectRequest, *, actor, reason: str, explanation: str) -> RetentionHold:
    """The DPO keeps this request's records as evidence (a complaint with the
    supervisory authority, a court case...) past the retention periods.

    The explanation (a file number, who is involved) goes into an internal
    note, as other typed reasons do: the permanent audit event holds the
    reason's code and the note's id only.
    """
    _check(request, actor, "place_hold")
    if request.records_deleted_at:
        raise WorkflowError(_("The records of this request were already deleted: there is nothing left to hold."))
    if active_hold(request) is not None:
        raise WorkflowError(_("This request is already under a retention hold."))
    if reason not in HoldReason.values:
        raise WorkflowError(_("Choose why the records must be kept."))
    if not explanation.strip():
        raise WorkflowError(_("Explain the hold, for example with the authority's or the court's file number."))
    note = _reason_note(request, actor, _("Reason for the retention hold"), explanation)
    hold = RetentionHold.objects.create(request=request, reason=reason, note=note, placed_by=actor)
    record_event(
        request,
        actor=actor,
        kind="retention_hold.placed",
        details={"hold": hold.pk, "ground": reason, "note": note.pk},
    )
    return hold


@_atomic_action
def lift_retention_hold(request: SubjectRequest, *, actor, explanation: str = "") -> RetentionHold:
    """The evidence is no longer needed: the retention periods apply again,
    counted from the request's end as before (so a request that ended long
    ago is purged, or its records deleted, at the next retention run)."""
    _check(request, actor, "lift_hold")
    hold = active_hold(request)
    if hold is None:
        raise WorkflowError(_("This request is not under a retention hold."))
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.save(update_fields=["lifted_at", "lifted_by"])
    details = {"hold": hold.pk, "ground": hold.reason}
    if explanation.strip():
        details["note"] = _reason_note(request, actor, _("Reason for lifting the retention hold"), explanation).pk
    record_event(request, actor=actor, kind="retention_hold.lifted", details=details)
    return hold


# ------------------------------------------------------------------------------
# Absolute rights, patient requests, identity checks, fees (issue 14)
# ------------------------------------------------------------------------------
@_atomic_action
def approve_absolute(request: SubjectRequest, *, actor=SYSTEM, ground: str) -> SubjectRequest:
    """Art. 21(3) (objection to direct marketing) and 7(3) (withdrawal of
    consent) leave nothing to weigh: the request runs without the staff's
    approval. Recorded as an approval (the plan starts on it), by the system,
    with the article as ``ground``."""
    return _transition(
        request, actor=actor, action="approve_absolute", details={"ground": ground}, kind="request.approve"
    )


@_atomic_action
def complete_absolute(request: SubjectRequest, *, actor=SYSTEM, summary: str = "") -> SubjectRequest:
    """The absolute right was carried out everywhere: the subject is told it is
    done (the release's e-mail) without waiting for a person."""
    return _transition(
        request,
        actor=actor,
        action="complete_absolute",
        fields={"outcome_summary": summary or request.outcome_summary, "answered_at": timezone.now()},
        details={"automatic": True},
        kind="request.fulfilled",
    )


@_atomic_action
def forwarding_acknowledged(request: SubjectRequest, *, actor=SYSTEM, forwarding: int) -> SubjectRequest:
    """The care provider acknowledged the forwarded request: it ends here."""
    return _transition(
        request,
        actor=actor,
        action="forwarding_acknowledged",
        fields={"closed_at": timezone.now()},
        details={"forwarding": forwarding},
        kind="request.forwarding_closed",
    )


@_atomic_action
def record_identity_check(request: SubjectRequest, *, actor, method: str, note: str = "") -> SubjectRequest:
    """The staff say how they confirmed who the subject is (Art. 12(6)). With
    ``DSAR_DELETE_ID_DOCUMENTS_AFTER_CHECK`` the subject's attachments go now,
    each with its own audited event: EDPB Guidelines 01/2022 advise against
    keeping copies of identity documents once they served (Art. 5(1)(c))."""
    from django.conf import settings

    _check(request, actor, "record_identity_check")
    if method not in IdentityCheck.values:
        raise WorkflowError(_("Say how the subject's identity was checked."))
    if method == IdentityCheck.OTHER and not note.strip():
        raise WorkflowError(_("Explain how the subject's identity was checked."))
    details: dict[str, object] = {"identity_check": method}
    if note.strip():
        details["note"] = _reason_note(request, actor, _("How the subject's identity was checked"), note).pk
    _transition(
        request, actor=actor, action="record_identity_check", details=details, public=False, kind="identity.checked"
    )
    if settings.DSAR_DELETE_ID_DOCUMENTS_AFTER_CHECK:
        attachments = Attachment.objects.filter(
            message__request=request, message__direction=Message.Direction.FROM_SUBJECT
        )
        for attachment in list(attachments):
            facts = {
                "attachment": attachment.pk,
                "message": attachment.message_id,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "reason": "identity_checked",
            }
            _delete_attachment_files([attachment])
            record_event(request, actor=SYSTEM, kind="attachment.deleted", details=facts)
    return request


@_atomic_action
def announce_fee(request: SubjectRequest, *, actor, amount: str, reasons: str, reason: str) -> Message:
    """Art. 12(5): a request manifestly unfounded or excessive may be charged a
    reasonable fee. The EDPB (Guidelines 01/2022, §§ 187-193) expects the
    subject to be told first, with the amount and the reasons, so that they can
    withdraw or narrow it; the request waits for their answer (the legal
    deadline does not move). The controller bears the burden of proof."""
    if reason not in (RejectionReason.MANIFESTLY_UNFOUNDED, RejectionReason.EXCESSIVE):
        raise WorkflowError(_("A fee may only be charged for a manifestly unfounded or excessive request."))
    if not reasons.strip():
        raise WorkflowError(_("Explain why the request is manifestly unfounded or excessive."))
    try:
        value = round(float(str(amount).replace(",", ".")), 2)
    except ValueError as exc:
        raise WorkflowError(_("Give the amount in euro.")) from exc
    if value <= 0:
        raise WorkflowError(_("Give the amount in euro."))
    body = _(
        "We consider your request %(ground)s (Art. 12(5) GDPR): %(reasons)s\n\n"
        "We may therefore ask a reasonable fee of EUR %(amount).2f, based on our administrative costs, before we "
        "handle it. Nothing is charged yet. Tell us by replying whether you maintain your request (then we send "
        "you how to pay), narrow it, or withdraw it."
    ) % {"ground": RejectionReason(reason).label, "reasons": reasons.strip(), "amount": value}
    message = Message.objects.create(
        request=request, direction=Message.Direction.TO_SUBJECT, author=actor, subject_line=_("A fee"), body=body
    )
    if not request.pauses.filter(ended_at__isnull=True).exists():
        RequestPause.objects.create(request=request, reason="awaiting_subject")
    _transition(
        request,
        actor=actor,
        action="announce_fee",
        details={"message": message.pk, "amount": f"{value:.2f}", "ground": reason},
        kind="fee.announced",
    )
    return message
