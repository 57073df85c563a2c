"""Inbox items: e-mails to the privacy address, waiting for the DPO's triage.

Defined here and imported by ``requests_app.models``, so they belong to the
``requests_app`` app and its migrations.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.core.crypto import EncryptedTextField


def _new_code() -> str:
    return secrets.token_urlsafe(12)


def inbox_attachment_path(instance, filename: str) -> str:
    # Random names: nothing on disk links a file to a sender.
    return f"inbox/{secrets.token_hex(16)}.bin"


class InboxSource(models.TextChoices):
    IMAP = "imap", _("IMAP mailbox")
    WEBHOOK = "webhook", _("Inbound webhook")
    FILE = "file", _("Imported file")


class InboxState(models.TextChoices):
    NEW = "new", _("To triage")
    CONVERTED = "converted", _("Turned into a request")
    ATTACHED = "attached", _("Attached to a request")
    DISMISSED = "dismissed", _("Dismissed")


class InboxItem(models.Model):
    """One e-mail to the privacy address. Its text and subject are personal
    data: encrypted at rest, like the e-mails the desk sends."""

    code = models.CharField(max_length=20, unique=True, default=_new_code, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=InboxSource.choices)
    state = models.CharField(_("state"), max_length=10, choices=InboxState.choices, default=InboxState.NEW)
    sender = models.EmailField(_("sender"), max_length=254)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = EncryptedTextField(_("subject"), blank=True)
    text = EncryptedTextField(_("text"), blank=True)
    # The message's own identifiers: a second delivery of the same message
    # (an IMAP poll after a crash, an ESP retrying its webhook) is recognised.
    message_id = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # The day of receipt in the controller's time zone: the deadline of a
    # request made by this e-mail runs from it (Art. 12(3)).
    received_on = models.DateField(_("day of receipt"))
    guessed_type = models.CharField(_("guessed right"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    request = models.ForeignKey(
        "requests_app.SubjectRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_items"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["message_id"], condition=~Q(message_id=""), name="inbox_unique_message_id"),
        ]
        indexes = [
            # The triage page and the queue's count: the items still to triage, oldest first.
            models.Index(fields=["received_at"], condition=Q(state="new"), name="inbox_to_triage"),
        ]

    def __str__(self) -> str:
        return f"inbox item {self.code}"

    def guessed_type_label(self) -> str:
        from requests_app.models import RequestType

        return str(RequestType(self.guessed_type).label) if self.guessed_type in RequestType.values else ""


class InboxAttachment(models.Model):
    """A file that came with an inbox item: type read from its bytes, stored encrypted."""

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=inbox_attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class InboxEvent(models.Model):
    """The audit trail of an item that is not (yet) a request: a dismissal is
    a decision about a possible request, and must be shown (Art. 5(2)).
    ``details`` holds no personal data."""

    item = models.ForeignKey(InboxItem, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=60)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.item_id}"
