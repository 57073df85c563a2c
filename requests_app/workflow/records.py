"""What happens to a request's records: the purge of personal data, the
deletion of the records at the end of the retention period, the deletion of
an attachment, and the DPO's retention holds that stop both."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app.models import Attachment, HoldReason, IdentityCheck, Message, RetentionHold, SubjectRequest
from requests_app.workflow.actions import _reason_note
from requests_app.workflow.events import SYSTEM, RetentionHeld, WorkflowError, record_event
from requests_app.workflow.transitions import _atomic_action, _check, _transition

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
    request.emails.filter(emails.FINISHED).update(to=purged_address(request), subject="", body_text="", body_html="")
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
