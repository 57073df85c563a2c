"""The actors, the workflow's errors, the audit trail and the registries of
side effects and preconditions.

``record_event`` appends to a request's hash chain under the row lock the
caller holds; ``log_event`` takes the lock itself, for an audited action that
changes no status. Effects registered with ``on_event`` run after commit;
rows registered with ``with_event`` are written in the event's transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from config import after_response
from dsar.core import together
from requests_app.audit import chain as audit_chain
from requests_app.models import RequestEvent, SubjectRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger("requests_app.workflow")

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


# What must exist if and only if the event does: written in the event's own
# transaction (an outbox), so that a process dying between the commit and the
# effects loses nothing; a failure here fails the event's transaction too.
_with_event: list[Effect] = []


def with_event(func: Effect) -> Effect:
    """Register work done for every event inside its transaction, under the
    request's row lock: rows to write with the event (a webhook's delivery),
    never a network call; messages go with ``transaction.on_commit``."""
    _with_event.append(func)
    return func


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


def _after_commit(request_id: int, event: RequestEvent) -> None:
    """Run the event's effects once its transaction commits."""
    cuts = audit_chain.cuts_made()
    # After the response when the view answers first (the intake: config.after_response).
    transaction.on_commit(lambda: after_response.soon(lambda: _run_effects(request_id, event, cuts)))


def _run_effects(request_id: int, event: RequestEvent, cuts: int) -> None:
    if audit_chain.cuts_made() != cuts:
        # This process cut an audit trail behind a retention checkpoint since
        # the event was recorded, maybe this one in the same transaction: the
        # record it would act on may be gone with it. Otherwise the event in
        # memory is the one committed (events are never changed).
        try:
            event = RequestEvent.objects.get(pk=event.pk)
        except RequestEvent.DoesNotExist:
            log.info("Event %s of request %s was deleted before its effects ran.", event.pk, request_id)
            return
    # The request as committed, read when an effect first looks at it: most
    # effects decide on the event alone (none acts on a submission's first
    # event), and reading the request's wide row is a fifth of a submission's
    # time (issue 17).
    request = cast(SubjectRequest, SimpleLazyObject(lambda: SubjectRequest.objects.get(pk=request_id)))
    RequestEvent.request.field.set_cached_value(event, request)
    for func in [*_effects.get(event.kind, []), *_effects.get("*", [])]:
        try:
            func(request, event)
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
    save_fields: Sequence[str] = (),
) -> RequestEvent:
    """Append an event to the request's hash chain. The caller holds the row lock.

    ``details`` must hold no personal data: the log is never redacted.
    ``save_fields``: fields of ``request`` the caller changed, written in the
    same UPDATE as the chain's new head (a transition: one statement, not two).
    """
    event = _chained_event(request, actor, kind, status_before, status_after, details, public)
    event.save()
    if save_fields:
        request.save(update_fields=[*save_fields, "event_count", "event_head"])
    else:
        SubjectRequest.objects.filter(pk=request.pk).update(event_count=event.seq, event_head=event.hash)
    _outbox(request, event)
    _after_commit(request.pk, event)
    return event


def record_first_event(
    request: SubjectRequest, *, actor, kind: str, status_after: str, details: dict, public: bool
) -> RequestEvent:
    """Write a new request (its id already drawn, ``references.new_request_numbers``)
    with its first event: the request's row carries the chain's head from
    its INSERT, so the UPDATE of ``record_event`` is not needed."""
    event = _chained_event(request, actor, kind, "", status_after, details, public)
    # In the intake, written with the verification e-mail in one statement (dsar.core.together).
    together.insert(request)
    together.insert(event)
    _outbox(request, event)
    _after_commit(request.pk, event)
    return event


def _outbox(request: SubjectRequest, event: RequestEvent) -> None:
    for func in _with_event:
        func(request, event)


def _chained_event(request, actor, kind, status_before, status_after, details, public) -> RequestEvent:
    """The request's next event, hashed onto the chain's head; the request's
    count and head moved to it (in memory: the caller writes them)."""
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
        # A copy: the effects read this object after commit, as it was recorded.
        details=dict(details or {}),
        public=public,
        prev_hash=request.event_head,
    )
    event.hash = event.compute_hash()
    request.event_count = event.seq
    request.event_head = event.hash
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
