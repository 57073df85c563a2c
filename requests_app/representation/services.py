"""Writes: record a representative with their mandate, the DPO's check of the
mandate, the subject told that someone asked in their name.

Every change is an audited event (``workflow.log_event``) whose details hold
codes only; names, addresses and the statement stay on ``Representation``,
which the purge blanks (``representation.effects``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core.crypto import decrypt_bytes, encrypt_bytes
from requests_app import permissions, workflow
from requests_app.emails import queue_email
from requests_app.intake.forms import sniff_content_type
from requests_app.intake.names import attachment_filename
from requests_app.models import OPEN_STATUSES, Status, SubjectRequest
from requests_app.representation.models import MandateCheck, Representation
from requests_app.representation.selectors import PURGED_NAME, must_inform_subject, representation_of


def _facts(representation: Representation) -> dict:
    details = {
        "relationship": representation.relationship,
        "mandate": representation.mandate_kind,
        "contact": representation.contact,
    }
    if representation.minor_age_band:
        details["age_band"] = representation.minor_age_band
    return details


def attach_representative(request: SubjectRequest, *, data: dict, actor=workflow.SUBJECT) -> Representation:
    """Record who acts for the subject (``RepresentativeForm.cleaned_data["representation"]``),
    in the transaction that creates the request, so that the first e-mails
    already go where the mandate says. The document is stored encrypted."""
    representation = Representation(
        request=request,
        full_name=data["full_name"],
        email=data.get("email") or "",
        relationship=data["relationship"],
        minor_age_band=data.get("minor_age_band") or "",
        contact=data["contact"],
        subject_language=data.get("subject_language") or "",
        mandate_kind=data["mandate_kind"],
        mandate_statement=data.get("mandate_statement") or "",
    )
    upload = data.get("mandate_document")
    if upload is not None:
        content = upload.read()
        content_type = (
            getattr(upload, "checked_content_type", "")
            or sniff_content_type(content[:2048])
            or "application/octet-stream"
        )
        representation.mandate_name = attachment_filename(upload.name, content_type)
        representation.mandate_content_type = content_type
        representation.mandate_size = len(content)
        representation.mandate_file.save("mandate.bin", ContentFile(encrypt_bytes(content)), save=False)
    representation.save()
    workflow.log_event(request, actor=actor, kind="representation.recorded", details=_facts(representation))
    return representation


def record_mandate_check(request: SubjectRequest, *, actor, accepted: bool, reason: str = "") -> Representation:
    """The DPO (or the request's agent) records the check of the mandate,
    proportionate as the identity check is (Art. 12(6), EDPB Guidelines 01/2022
    §§ 79-84). A mandate that falls short is not a refusal of the request: the
    representative is told what is missing and may send a better one."""
    if not permissions.can_check_mandate(actor, request):
        workflow.log_event(request, actor=actor, kind="action.refused", details={"action": "check_mandate"})
        raise workflow.ActionForbidden(_("Only the DPO or the agent assigned to this request can check the mandate."))
    if not accepted and not reason.strip():
        raise workflow.WorkflowError(_("Tell the representative what is missing from the mandate."))
    with transaction.atomic():
        # Locks the request row: a check and a closing cannot cross.
        workflow.require_status(
            request,
            (Status.UNVERIFIED, *OPEN_STATUSES),
            _("This request is no longer open: its mandate stays as it is."),
        )
        representation = Representation.objects.select_for_update().filter(request=request).first()
        if representation is None:
            raise workflow.WorkflowError(_("This request was not made by a representative."))
        representation.check_status = MandateCheck.ACCEPTED if accepted else MandateCheck.REFUSED
        representation.check_reason = "" if accepted else reason.strip()
        representation.checked_at = timezone.now()
        representation.checked_by = actor
        representation.save(update_fields=["check_status", "check_reason", "checked_at", "checked_by", "updated_at"])
        if accepted:
            workflow.log_event(request, actor=actor, kind="mandate.accepted", details=_facts(representation))
        else:
            workflow.log_event(request, actor=actor, kind="mandate.refused", details=_facts(representation))
            from requests_app.intake.services import status_url

            queue_email(
                "representation_mandate_refused",
                to=representation.email,
                language=request.language,
                request=request,
                context={
                    "request": request,
                    "representation": representation,
                    "reason": representation.check_reason,
                    "status_url": status_url(request),
                },
            )
    return representation


def inform_subject(request: SubjectRequest) -> None:
    """Tell the subject that a representative asked in their name, where the
    law wants them to know (``selectors.must_inform_subject``)."""
    representation = representation_of(request)
    if representation is None or request.purged_at or not must_inform_subject(representation, request):
        return
    queue_email(
        "representation_subject_informed",
        to=request.email,
        # The subject's language, not the representative's (the request's): the subject may not read it.
        language=representation.language_for_subject(request),
        request=request,
        context={"request": request, "representation": representation},
    )
    workflow.log_event(
        request, actor=workflow.SYSTEM, kind="representation.subject_informed", details=_facts(representation)
    )


def open_mandate(request: SubjectRequest, *, actor) -> tuple[Representation, bytes]:
    """The decrypted mandate document, for those who may open the subject's
    files; each opening is recorded (Art. 5(2))."""
    if not permissions.can_read_attachments(actor, request):
        workflow.log_event(request, actor=actor, kind="action.refused", details={"action": "open_mandate"})
        raise workflow.ActionForbidden(
            _("Only the DPO, the agent assigned to this request or an auditor can open its files.")
        )
    representation = representation_of(request)
    if representation is None or not representation.mandate_file:
        raise workflow.WorkflowError(_("This request has no mandate document."))
    with representation.mandate_file.open("rb") as handle:
        content = decrypt_bytes(handle.read())
    workflow.log_event(
        request,
        actor=actor,
        kind="mandate.downloaded",
        details={"content_type": representation.mandate_content_type, "size": representation.mandate_size},
    )
    return representation, content


def forget(request: SubjectRequest) -> None:
    """The purge: the representative's personal data and the mandate's file go;
    the codes (relationship, age band, check) stay as evidence (Art. 5(2))."""
    representation = representation_of(request)
    if representation is None:
        return
    if representation.mandate_file:
        representation.mandate_file.delete(save=False)
    representation.full_name = PURGED_NAME
    representation.email = ""
    representation.mandate_statement = ""
    representation.mandate_name = ""
    representation.check_reason = ""
    representation.mandate_file = ""
    representation.save()
