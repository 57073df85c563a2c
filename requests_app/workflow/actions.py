"""The workflow's actions on a request: its creation, the subject's and the
system's transitions, and the staff's."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core import together
from dsar.core.crypto import new_link_token, token_digest
from requests_app import deadlines, permissions
from requests_app.models import (
    Channel,
    Forwarding,
    IdentityCheck,
    InternalNote,
    Message,
    RejectionReason,
    RequestPause,
    RequestType,
    Status,
    SubjectRequest,
    VerificationMethod,
)
from requests_app.workflow.events import (
    SUBJECT,
    SYSTEM,
    ActionForbidden,
    WorkflowError,
    record_event,
    record_first_event,
)
from requests_app.workflow.references import new_request_numbers
from requests_app.workflow.transitions import _atomic_action, _check, _transition


# ------------------------------------------------------------------------------
# Creation
# ------------------------------------------------------------------------------
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
    numbers: tuple[str, int | None] | None = None,
    **fields,
) -> SubjectRequest:
    """Record a new request. From the web form or API it waits for the subject
    to confirm their e-mail address; logged by staff (e-mail, letter, phone...)
    it starts as new, with its real date of receipt (Art. 12(3) runs from then).

    Staff say how they checked who the subject is (``identity_check``, an
    ``IdentityCheck`` code kept in the audit event; ``identity_note``, free
    text kept as an internal note, required for "other").

    ``numbers``: the request's reference and id when the caller drew them
    already, for the year of ``received_at`` (``references.reference_drawn``).
    """
    if actor not in (SUBJECT, SYSTEM) and not permissions.can_handle_requests(actor):
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
    # No savepoint of its own: every caller lets an error out of its transaction.
    with transaction.atomic(savepoint=False):
        reference, pk = numbers or new_request_numbers(
            received_at.year if not timezone.is_aware(received_at) else timezone.localtime(received_at).year
        )
        request = SubjectRequest(
            id=pk,
            reference=reference,
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
        details: dict[str, object] = {"type": request_type, "channel": channel}
        if staff_logged:
            details["identity_check"] = identity_check
        noted = staff_logged and identity_note.strip()
        if pk is not None and not noted:
            # Its id drawn already: the request and its first event, one INSERT each.
            record_first_event(
                request, actor=actor, kind="request.created", status_after=request.status, details=details, public=True
            )
        else:
            # A field the database computes (the intake's link) is read back.
            together.insert(request)
            if noted:
                label = _("How the subject's identity was checked")
                details["note"] = _reason_note(request, actor, label, identity_note).pk
            record_event(
                request, actor=actor, kind="request.created", status_after=request.status, details=details, public=True
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
    if not permissions.can_assign_to(actor, assignee):
        # can_take allows an agent the action (to claim); whom to is decided here, for the page, the bulk and the API.
        raise ActionForbidden(
            _("Only a DPO assigns a request to someone else."), request=request, actor=actor, action="assign"
        )
    if assignee is not None and not permissions.can_handle_requests(assignee):
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
