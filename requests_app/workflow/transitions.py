"""The table of transitions, the check of a transition (status and role) and
its application to a locked request.

Who may take which action is decided in ``requests_app.permissions``
(``can_take``); this module asks it and records a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from requests_app import permissions
from requests_app.models import ENDED_STATUSES, OPEN_STATUSES, Status, SubjectRequest
from requests_app.workflow.events import (
    ActionForbidden,
    WorkflowError,
    _locked,
    _preconditions,
    _record_refusal,
    record_event,
)


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


def allowed_actions(request: SubjectRequest, user) -> list[str]:
    """The staff actions this user may take on this request now (for buttons)."""
    # records.py builds on this module: its read of the hold is imported when called.
    from requests_app.workflow.records import active_hold

    held = None
    allowed = []
    for name, transition in TRANSITIONS.items():
        if request.status not in transition.sources or not permissions.can_take(name, request, user):
            continue
        if name in ("place_hold", "lift_hold"):
            # Read once, and only for the DPO, who alone may see these buttons.
            held = active_hold(request) is not None if held is None else held
            if (name == "lift_hold") != held or (name == "place_hold" and request.records_deleted_at):
                continue
        allowed.append(name)
    return allowed


def _refuse(request: SubjectRequest, actor, action: str) -> None:
    raise ActionForbidden(
        _("Your role does not allow this action: %(action)s.") % {"action": TRANSITIONS[action].label},
        request=request,
        actor=actor,
        action=action,
    )


def _check(request: SubjectRequest, actor, action: str) -> Transition:
    transition = TRANSITIONS[action]
    if not permissions.can_take(action, request, actor):
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
    # The new status and the chain's new head: one UPDATE, after the event's INSERT.
    record_event(
        request,
        actor=actor,
        kind=kind or f"request.{action}",
        status_before=before,
        status_after=request.status,
        details=details,
        public=public,
        save_fields=update_fields,
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
