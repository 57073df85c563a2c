"""Every status transition of a request, and every audited action on it.

Nothing else writes ``SubjectRequest.status``. Each function:
  1. locks the request row (``select_for_update``), because two staff members
     or a worker and a person can act on one request at the same moment and
     the second must see the first one's outcome, not overwrite it;
  2. checks the allowed-transitions table and the actor's role (the role
     through ``requests_app.permissions.can_take``);
  3. saves with ``update_fields`` and appends an audit event in the same
     transaction;
  4. runs side effects (e-mails, Celery work, webhooks) only after commit,
     through the effect registry (``requests_app.effects``).

Actors are a staff ``User``, or the ``SUBJECT`` / ``SYSTEM`` markers.

This package's interface is what is imported here; callers use
``workflow.approve(...)``, never the modules inside:
  - ``events``: the actors, the errors, the audit trail (``record_event``,
    ``log_event``, ``require_status``) and the effect and precondition registries;
  - ``transitions``: the table of transitions and how one is applied;
  - ``actions``: creation, the subject's, the system's and the staff's actions;
  - ``references``: the requests' references, numbered per year;
  - ``records``: purge, deletion of the records and of attachments, retention holds.
"""

from requests_app.workflow.actions import (
    UNANSWERED_STATUSES,
    add_note,
    announce_fee,
    approve,
    approve_absolute,
    assign,
    cancel,
    change_type,
    close,
    complete_absolute,
    create_request,
    expire,
    extend,
    forward,
    forwarding_acknowledged,
    fulfil,
    processing_done,
    reject,
    request_info,
    reveal_national_number,
    start_processing,
    subject_reply,
    verify,
)
from requests_app.workflow.events import (
    SUBJECT,
    SYSTEM,
    ActionForbidden,
    NotPossibleNow,
    RetentionHeld,
    WorkflowError,
    log_event,
    on_event,
    precondition,
    record_event,
    refusal,
    require_status,
    with_event,
)
from requests_app.workflow.records import (
    PERSONAL_FIELDS,
    STAFF_TEXT_FIELDS,
    active_hold,
    delete_attachment,
    delete_records,
    lift_retention_hold,
    place_retention_hold,
    purge_personal_data,
    purged_address,
    record_identity_check,
)
from requests_app.workflow.references import next_reference, reference_columns, reference_drawn
from requests_app.workflow.transitions import TRANSITIONS, Transition, allowed_actions

__all__ = [
    "PERSONAL_FIELDS",
    "STAFF_TEXT_FIELDS",
    "SUBJECT",
    "SYSTEM",
    "TRANSITIONS",
    "UNANSWERED_STATUSES",
    "ActionForbidden",
    "NotPossibleNow",
    "RetentionHeld",
    "Transition",
    "WorkflowError",
    "active_hold",
    "add_note",
    "announce_fee",
    "approve_absolute",
    "complete_absolute",
    "forwarding_acknowledged",
    "record_identity_check",
    "allowed_actions",
    "approve",
    "assign",
    "cancel",
    "change_type",
    "close",
    "create_request",
    "delete_attachment",
    "delete_records",
    "expire",
    "extend",
    "forward",
    "fulfil",
    "lift_retention_hold",
    "log_event",
    "next_reference",
    "reference_columns",
    "reference_drawn",
    "on_event",
    "place_retention_hold",
    "precondition",
    "processing_done",
    "purge_personal_data",
    "purged_address",
    "record_event",
    "refusal",
    "reject",
    "request_info",
    "require_status",
    "reveal_national_number",
    "start_processing",
    "subject_reply",
    "verify",
    "with_event",
]
