"""The files a subject sent with a reply (an identity document, a letter):
the DPO, the request's agent and auditors open them, and each opening is recorded."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from dsar.core.crypto import decrypt_bytes
from requests_app import permissions, workflow
from requests_app.intake.names import attachment_filename
from requests_app.models import Attachment, SubjectRequest


def attachments_of(request: SubjectRequest) -> QuerySet[Attachment]:
    return Attachment.objects.filter(message__request=request).order_by("created_at", "pk")


def open_attachment(request: SubjectRequest, *, actor, attachment: Attachment) -> bytes:
    """The decrypted content, for those ``permissions.can_read_attachments``
    names (the DPO, the request's agent, an auditor). Who opened which file is
    evidence (Art. 5(2)); its name stays out of the audit trail, as when it is deleted."""
    details = {"attachment": attachment.pk, "content_type": attachment.content_type, "size": attachment.size}
    if not permissions.can_read_attachments(actor, request):
        workflow.log_event(request, actor=actor, kind="action.refused", details={"action": "open_attachment"})
        raise workflow.ActionForbidden(
            _("Only the DPO, the agent assigned to this request or an auditor can open its files.")
        )
    with attachment.file.open("rb") as handle:
        content = decrypt_bytes(handle.read())
    workflow.log_event(request, actor=actor, kind="attachment.downloaded", details=details)
    return content


def attachment_response(attachment: Attachment, content: bytes) -> HttpResponse:
    """Always a download, never shown in the browser: a file from outside must not run as a page."""
    response = HttpResponse(content, content_type=attachment.content_type or "application/octet-stream")
    # Files stored before names followed their type get the right extension too.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment_filename(attachment.original_name, attachment.content_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
