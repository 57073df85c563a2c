"""Writes of the inbox: receiving an e-mail, and the DPO's three decisions on it."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core.crypto import decrypt_bytes, encrypt_bytes
from requests_app import deadlines, permissions, workflow
from requests_app.inbox.guessing import guess_language, guess_right
from requests_app.inbox.models import InboxAttachment, InboxEvent, InboxItem, InboxState
from requests_app.inbox.parsing import parse_message
from requests_app.intake.forms import sniff_content_type
from requests_app.intake.names import attachment_filename
from requests_app.models import Attachment, Channel, Message, Status, SubjectRequest

log = logging.getLogger(__name__)

REFERENCE = re.compile(r"\bDSAR-\d{4}-\d{5}\b", re.I)


class MessageRefused(Exception):
    """The message is not stored: too large, unreadable, or automatic (loop guard)."""


def receive(raw: bytes, *, source: str, now: dt.datetime | None = None) -> InboxItem:
    """Store one e-mail to the privacy address as an item to triage.

    A second delivery of the same message (same Message-ID) returns the item
    stored the first time. Raises ``MessageRefused`` for a message over the
    size limit or an automatic one (auto-reply, bounce, bulk): answering
    those would start a mail loop.
    """
    now = now or timezone.now()
    if len(raw) > settings.DSAR_INBOX_MAX_MB * 1024 * 1024:
        raise MessageRefused("too-large")
    mail = parse_message(raw)
    if mail.automatic:
        log.info("Inbox: automatic message refused (%s).", mail.automatic)
        raise MessageRefused(mail.automatic)
    if mail.message_id:
        existing = InboxItem.objects.filter(message_id=mail.message_id).first()
        if existing is not None:
            return existing
    # The day the mail reached us, never a day in the future a sender's clock claims.
    received_at = min(mail.arrived_at or now, now)
    text = mail.text
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                source=source,
                sender=mail.sender[:254],
                sender_name=mail.sender_name,
                subject=mail.subject,
                text=text,
                message_id=mail.message_id,
                in_reply_to=mail.in_reply_to,
                references=mail.references,
                received_at=received_at,
                received_on=deadlines.local_date(received_at),
                guessed_type=guess_right(f"{mail.subject}\n{text}"),
                language=guess_language(f"{mail.subject}\n{text}"),
            )
            _store_attachments(item, mail.attachments)
    except IntegrityError:
        # Delivered twice at the same moment (two pollers, a webhook retry).
        return InboxItem.objects.get(message_id=mail.message_id)
    return item


def _store_attachments(item: InboxItem, attachments) -> None:
    """Accepted files are stored encrypted; a refused one (type, size, count)
    is named in an event, so the DPO knows to ask for it another way."""
    limit = settings.DSAR_ATTACHMENT_MAX_MB * 1024 * 1024
    refused = []
    for attachment in attachments:
        content_type = sniff_content_type(attachment.data[:2048])
        if content_type is None:
            refused.append("type")
        elif len(attachment.data) > limit:
            refused.append("size")
        elif item.attachments.count() >= settings.DSAR_INBOX_MAX_FILES:
            refused.append("count")
        else:
            stored = InboxAttachment(
                item=item,
                original_name=attachment_filename(attachment.name, content_type)[:200],
                content_type=content_type,
                size=len(attachment.data),
            )
            stored.file.save("upload.bin", ContentFile(encrypt_bytes(attachment.data)), save=False)
            stored.save()
    _event(item, actor=workflow.SYSTEM, kind="inbox.received", details={"refused_files": refused} if refused else {})


def _event(item: InboxItem, *, actor, kind: str, details: dict | None = None) -> InboxEvent:
    user, label = (None, actor) if actor in (workflow.SUBJECT, workflow.SYSTEM) else (actor, actor.get_username())
    return InboxEvent.objects.create(item=item, actor=user, actor_label=label, kind=kind, details=details or {})


def _claim(item: InboxItem, actor) -> InboxItem:
    """Lock the item and check it still waits: two DPOs triaging the same
    e-mail at once must not make two requests of it."""
    if not permissions.can_handle_requests(actor):
        raise workflow.ActionForbidden(_("Your role does not allow triaging the inbox."))
    locked = InboxItem.objects.select_for_update().get(pk=item.pk)
    if locked.state != InboxState.NEW:
        raise workflow.NotPossibleNow(_("This e-mail was already triaged."))
    return locked


def _copy_to_request(item: InboxItem, request: SubjectRequest, message: Message | None = None) -> Message:
    """The e-mail and its files join the request's messages, so that the
    request page and the export show them like a reply through the site."""
    if message is None:
        message = Message.objects.create(
            request=request, direction=Message.Direction.FROM_SUBJECT, body=item.text[:10000]
        )
    message.subject_line = item.subject[:200]
    message.save(update_fields=["subject_line"])
    for stored in item.attachments.all():
        with stored.file.open("rb") as handle:
            data = decrypt_bytes(handle.read())
        copy = Attachment(
            message=message, original_name=stored.original_name, content_type=stored.content_type, size=stored.size
        )
        copy.file.save("upload.bin", ContentFile(encrypt_bytes(data)), save=False)
        copy.save()
    return message


def _finish(item: InboxItem, *, actor, state: str, request: SubjectRequest | None = None, reason: str = "") -> None:
    item.state = state
    item.request = request
    item.handled_by = actor
    item.handled_at = timezone.now()
    item.dismiss_reason = reason
    item.save(update_fields=["state", "request", "handled_by", "handled_at", "dismiss_reason"])


def convert_to_request(
    item: InboxItem,
    *,
    actor,
    request_type: str,
    full_name: str,
    language: str,
    identity_check: str,
    identity_note: str = "",
) -> SubjectRequest:
    """Make a request of the e-mail, with the right the DPO confirmed. It was
    received the day the mail arrived (Art. 12(3)); the subject gets the same
    acknowledgement as a form's (sent by the ``request.created`` effect)."""
    with transaction.atomic():
        item = _claim(item, actor)
        request = workflow.create_request(
            request_type=request_type,
            full_name=full_name,
            email=item.sender,
            language=language,
            actor=actor,
            channel=Channel.EMAIL,
            received_at=item.received_at,
            identity_check=identity_check,
            identity_note=identity_note,
        )
        message = _copy_to_request(item, request)
        workflow.log_event(
            request, actor=actor, kind="inbox.converted", details={"inbox_item": item.code, "message": message.pk}
        )
        _finish(item, actor=actor, state=InboxState.CONVERTED, request=request)
        _event(item, actor=actor, kind="inbox.converted", details={"request": request.reference})
    return request


def attach_to_request(item: InboxItem, *, actor, request: SubjectRequest) -> Message:
    """Add the e-mail to an existing request (the subject's reply). A reply to
    a request for information resumes the clock, as one through the site does."""
    with transaction.atomic():
        item = _claim(item, actor)
        if request.purged_at:
            raise workflow.NotPossibleNow(_("This request's personal data was purged."))
        message = None
        if request.status == Status.AWAITING_SUBJECT:
            message = workflow.subject_reply(request, body=item.text[:10000], actor=workflow.SUBJECT)
        message = _copy_to_request(item, request, message)
        workflow.log_event(
            request, actor=actor, kind="inbox.attached", details={"inbox_item": item.code, "message": message.pk}
        )
        _finish(item, actor=actor, state=InboxState.ATTACHED, request=request)
        _event(item, actor=actor, kind="inbox.attached", details={"request": request.reference})
    return message


def dismiss(item: InboxItem, *, actor, reason: str) -> InboxItem:
    """Not a request (spam, a question, a supplier): the reason is kept, and
    the decision is an event of the item's own trail."""
    if not reason.strip():
        raise workflow.WorkflowError(_("Say why this e-mail is not a request."))
    with transaction.atomic():
        item = _claim(item, actor)
        _finish(item, actor=actor, state=InboxState.DISMISSED, reason=reason.strip())
        _event(item, actor=actor, kind="inbox.dismissed")
    return item


def record_opening(item: InboxItem, *, actor, attachment: InboxAttachment) -> None:
    """Who opened which file is evidence (Art. 5(2)); its name stays out of the trail."""
    _event(item, actor=actor, kind="inbox.attachment_downloaded", details={"attachment": attachment.pk})
