"""The ticket: a data subject's request, its deadlines and its audit trail.

Statuses change only through ``requests_app.workflow``; the event log is
append-only and hash-chained (see ``RequestEvent``).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.core.crypto import EncryptedTextField, LinkTokenModel, new_link_token
from dsar.core.models import TimeStampedModel
from dsar.core.national_number import mask_national_number


class RequestType(models.TextChoices):
    ACCESS = "access", _("Access to my data (Art. 15)")
    RECTIFICATION = "rectification", _("Correction of my data (Art. 16)")
    ERASURE = "erasure", _("Erasure of my data (Art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (Art. 18)")
    PORTABILITY = "portability", _("Data portability (Art. 20)")
    OBJECTION = "objection", _("Objection to processing (Art. 21)")
    WITHDRAWAL = "withdrawal", _("Withdrawal of consent (Art. 7(3))")


class Status(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    NEW = "new", _("New")
    AWAITING_SUBJECT = "awaiting_subject", _("Awaiting the subject")
    APPROVED = "approved", _("Approved")
    PROCESSING = "processing", _("Processing")
    IN_REVIEW = "in_review", _("In review")
    # Sent on to the care provider who is the controller (Patient Rights Act):
    # open until the provider acknowledges it (requests_app.forwarding).
    FORWARDED = "forwarded", _("Forwarded, awaiting the provider")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (
    Status.NEW,
    Status.AWAITING_SUBJECT,
    Status.APPROVED,
    Status.PROCESSING,
    Status.IN_REVIEW,
)
# Not answered by this desk any more, but not ended either: tracked until the
# care provider acknowledges (forwarding), outside the GDPR month's queue.
TRACKED_STATUSES = (Status.FORWARDED,)
TERMINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED)
# Nothing more is done for the subject: the retention periods run from the
# moment a request entered one of these (a fulfilled request closed later
# counts from its closing).
ENDED_STATUSES = (Status.FULFILLED, *TERMINAL_STATUSES)


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    DE = "de", "Deutsch"
    EN = "en", "English"


class RejectionReason(models.TextChoices):
    # Art. 12(5): manifestly unfounded or excessive, in particular repetitive.
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", _("Manifestly unfounded (Art. 12(5))")
    EXCESSIVE = "excessive", _("Excessive, in particular repetitive (Art. 12(5))")
    # Art. 12(6) / 11(2): the controller cannot identify the subject.
    IDENTITY_NOT_CONFIRMED = "identity_not_confirmed", _("Identity could not be confirmed (Art. 12(6))")
    NO_RIGHT_APPLIES = "no_right_applies", _("The right does not apply to this processing")
    NOT_CONTROLLER = "not_controller", _("We are not the controller of this data")
    # Art. 11(1), 15(1): there is nothing to object to or to stop. With
    # IDENTITY_NOT_CONFIRMED, the only grounds on which an objection to direct
    # marketing (Art. 21(3)) or a withdrawal of consent (Art. 7(3)) may be refused.
    NO_DATA_HELD = "no_data_held", _("We hold no personal data on the subject")


class VerificationMethod(models.TextChoices):
    EMAIL_LINK = "email_link", _("E-mail address confirmed by link")
    STAFF = "staff", _("Identity checked by staff")


class IdentityCheck(models.TextChoices):
    """How staff checked who the subject is when logging a request (Art. 12(6)).

    A code, kept in the audit event of the request's creation: it names no one.
    What was seen (a document number, the questions asked) goes in an internal
    note, which the purge removes.
    """

    KNOWN_CONTACT = "known_contact", _("Came from the e-mail address, phone number or postal address we hold")
    ID_DOCUMENT = "id_document", _("Identity document seen")
    IN_PERSON = "in_person", _("Met in person and recognised, or identity document shown at the desk")
    KNOWN_FACTS = "known_facts", _("Answered questions only the subject could (customer number, recent invoice)")
    OTHER = "other", _("Other (explained in the note)")


class ControllerProfile(models.Model):
    """The controller running this desk: shown on pages, e-mails and exports.

    One row; ``ControllerProfile.current()`` returns it.
    """

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    dpo_name = models.CharField(_("DPO name"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("DPO e-mail"))
    dpo_phone = models.CharField(_("DPO phone"), max_length=40, blank=True)
    authority_name = models.CharField(_("supervisory authority"), max_length=200)
    authority_address = models.TextField(_("authority address"), blank=True)
    authority_phone = models.CharField(_("authority phone"), max_length=40, blank=True)
    authority_email = models.EmailField(_("authority e-mail"), blank=True)
    authority_website = models.URLField(_("authority website"), blank=True)
    # Processing the Belgian national number needs a legal authorisation, so
    # the field is off unless the controller turns it on.
    national_number_enabled = models.BooleanField(_("ask for the national number (INSZ/NISS)"), default=False)
    # Art. 21(3), 7(3) are absolute: by default such a request runs once the address is
    # confirmed; a controller may want one DPO approval first (never a weighing).
    absolute_rights_need_approval = models.BooleanField(
        _("a DPO approves objections to direct marketing and withdrawals of consent"), default=False
    )
    # Art. 5(2), 32: a release of a copy may need a second DPO (four eyes): one
    # asks for it, another approves it, and only then does it go to the subject.
    release_needs_second_approval = models.BooleanField(
        _("a second DPO approves each release of a copy"), default=False
    )
    # Art. 12(4), 79: in Belgium the president of the court of first instance, sitting as
    # in summary proceedings (Act of 30 July 2018, art. 209).
    court_name = models.CharField(
        _("court for a judicial remedy"),
        max_length=300,
        blank=True,
        default="Voorzitter van de rechtbank van eerste aanleg / Président du tribunal de première instance",
    )
    court_reference = models.CharField(
        _("legal basis of the judicial remedy"),
        max_length=300,
        blank=True,
        default="Wet van 30 juli 2018 / Loi du 30 juillet 2018, art. 209",
    )

    # The texts above in the other languages, for the subject who reads only
    # their own (Art. 12(1)): {"nl": {"dpo_name": "Functionaris voor
    # gegevensbescherming", "address": "...België"}, "fr": {...}}. A text
    # missing in a language falls back to the one above.
    translations = models.JSONField(
        _("texts in other languages"),
        default=dict,
        blank=True,
        help_text=_(
            'Per language, the texts that differ: {"nl": {"dpo_name": "...", "address": "..."}, "fr": {...}}. '
            "Fields: address, dpo_name, authority_name, authority_address."
        ),
    )

    TRANSLATABLE = ("address", "dpo_name", "authority_name", "authority_address")

    class Meta:
        verbose_name = _("controller profile")

    def __str__(self) -> str:
        return self.name

    def in_language(self, language: str | None) -> ControllerProfile:
        """A copy (never saved) whose texts are those of ``language`` where given."""
        texts = (self.translations or {}).get((language or "")[:2]) or {}
        if not texts:
            return self
        localized = copy.copy(self)
        for name in self.TRANSLATABLE:
            if texts.get(name):
                setattr(localized, name, texts[name])
        return localized

    @classmethod
    def current(cls) -> ControllerProfile:
        profile = cls.objects.order_by("pk").first()
        if profile is None:
            # A fresh database before the demo or real configuration is loaded.
            profile = cls(
                name="(controller not configured)",
                dpo_email=settings.DEFAULT_FROM_EMAIL,
                authority_name="Gegevensbeschermingsautoriteit / Autorité de protection des données",
            )
        return profile


class StaffLanguage(models.Model):
    """The language a staff member reads the workspace in, remembered when they
    sign in (``accounts.effects.remember_staff_language``): the desk's e-mails to them use
    it, as a subject's use the request's (``emails.staff_language``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="staff_language"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)

    class Meta:
        verbose_name = _("staff member's language")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class ReferenceCounter(models.Model):
    """The last reference number handed out per year (``DSAR-2026-00042``)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# Migration 0001 names this default of the former plain token column.
new_subject_token = new_link_token


class SubjectRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def held(self):
        """Under an active retention hold (``RetentionHold``)."""
        return self.filter(Exists(RetentionHold.objects.active().filter(request=OuterRef("pk"))))

    def not_held(self):
        return self.exclude(Exists(RetentionHold.objects.active().filter(request=OuterRef("pk"))))


class SubjectRequest(LinkTokenModel, TimeStampedModel):
    """A data subject's request. Personal fields are blanked by the purge
    (``purged_at``); the reference, type, dates and outcome stay for
    accountability (Art. 5(2)) until the record retention period ends
    (``records_deleted_at``, see ``requests_app.retention``)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # The subject's links carry ``token`` (LinkTokenModel); database ids never leave the server.
    request_type = models.CharField(_("type"), max_length=20, choices=RequestType.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)

    # The subject's identity as given.
    full_name = models.CharField(_("full name"), max_length=200)
    # Empty for a request logged by staff from a letter or a call: the subject
    # is then answered by post (requests_app.emails queues nothing to no address).
    email = models.EmailField(_("e-mail"), max_length=254, db_index=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True, max_length=1000)
    customer_number = models.CharField(_("customer number"), max_length=64, blank=True)
    # Encrypted at rest, shown masked; revealing it is an audited DPO action.
    national_number = EncryptedTextField(_("national number (INSZ/NISS)"), blank=True)

    details = models.TextField(_("details"), blank=True, max_length=5000)
    # Type-specific fields, validated by requests_app.intake.forms / the API:
    # rectification {"items": [{"field", "current", "correct"}] (1 to 5), "restrict_meanwhile"},
    # restriction {"ground": RestrictionGround (requests_app.intake.details), Art. 18(1)(a)-(d), and on (a)
    # when known "contested_categories": [DataCategory code], "contested_fields": [field as the subject names it]},
    # erasure {"scope": "all"|"specific", "categories": [DataCategory code] (specific), "specific": str},
    # objection {"activities": [code]}, withdrawal {"consents": [code]},
    # portability {"format": "json"|"csv", "target_controller": str, "target_controller_email": str (when given)}.
    type_details = models.JSONField(_("request details"), default=dict, blank=True)

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_method = models.CharField(
        _("verification"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    # Deadlines (requests_app.deadlines): the legal one is never moved by pauses.
    due_date = models.DateField(_("legal deadline"))
    original_due_date = models.DateField(_("original legal deadline"))
    internal_target_date = models.DateField(_("internal target"))
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=40, choices=RejectionReason.choices, blank=True
    )
    rejection_details = models.TextField(_("rejection details"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When the subject got the desk's answer (copy released, refusal, closing
    # reason): what the annual report's "days to answer" measures.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # What the subject was told when their request was closed unanswered (Art. 12(4)).
    closing_reason = models.TextField(_("reason for closing"), blank=True)
    outcome_summary = models.TextField(_("outcome"), blank=True)
    # A request of the same right with other details, made while this one was
    # open: both are answered, and each page shows the other (never merged).
    related_to = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="related_requests")
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)
    # Set when DSAR_RECORD_RETENTION_YEARS ended: only the reference, type,
    # status, channel, language and dates remain (requests_app.retention).
    records_deleted_at = models.DateTimeField(_("records deleted"), null=True, blank=True)

    # Head of the audit chain, so that deleting the newest event is detectable.
    event_count = models.PositiveIntegerField(default=0, editable=False)
    event_head = models.CharField(max_length=64, blank=True, editable=False)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["due_date", "pk"]
        indexes = [
            # The queue: open requests by legal deadline, optionally per status.
            models.Index(fields=["status", "due_date"], name="req_status_due"),
            models.Index(fields=["due_date"], name="req_due"),
            models.Index(fields=["assignee", "status", "due_date"], name="req_assignee_status_due"),
            models.Index(fields=["request_type", "status"], name="req_type_status"),
            models.Index(fields=["channel", "status"], name="req_channel_status"),
            models.Index(fields=["received_at"], name="req_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(internal_target_date__lte=models.F("due_date")),
                name="req_target_not_after_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="req_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def masked_national_number(self) -> str:
        return mask_national_number(self.national_number)

    @property
    def days_left(self) -> int:
        from requests_app.deadlines import days_left

        return days_left(self.due_date)


class RequestPause(models.Model):
    """A period spent waiting for the subject. Recorded and shown; the GDPR
    has no legal pause, so it never moves the legal deadline."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            # At most one pause open at a time per request.
            models.UniqueConstraint(
                fields=["request"], condition=Q(ended_at__isnull=True), name="one_open_pause_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"pause of {self.request_id} from {self.started_at:%Y-%m-%d}"


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def delete(self):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    def public(self):
        return self.filter(public=True)


class RequestEvent(models.Model):
    """One entry of a request's audit trail (Art. 5(2) accountability).

    Append-only: the ORM refuses updates and deletes. Each event's ``hash`` is
    an HMAC over its content and the previous event's hash, so an edit or a
    deletion anywhere breaks the chain (``manage.py verify_audit_chain``).
    Details hold no personal data, so the log never needs redacting.
    """

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who acted, kept even if the user account is later deleted:
    # a username, "subject" or "system".
    actor_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=60)  # dotted, e.g. "request.approved"
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Shown to the subject on their status page.
    public = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["request_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["request", "seq"], name="event_seq_unique")]
        # The workspace's audit log (requests_app.audit.selectors.audit_events): newest first, by date range;
        # and the dashboard's time in each status (the last 12 months of events).
        indexes = [models.Index(fields=["created_at"], name="event_created")]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.seq} {self.kind}"

    # Its save() only refuses an update: a new event may be written by
    # dsar.core.together.insert as save() would write it.
    saved_as_written = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    def canonical(self) -> bytes:
        payload = {
            "request": self.request_id,
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_label,
            "kind": self.kind,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "details": self.details,
            "public": self.public,
            "prev": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()

    def compute_hash(self) -> str:
        return hmac.new(settings.DSAR_AUDIT_KEY.encode(), self.canonical(), hashlib.sha256).hexdigest()


class InternalNote(TimeStampedModel):
    """A note between staff, never shown to the subject."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10000)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.request_id}"


class Message(TimeStampedModel):
    """A message exchanged with the subject (e-mailed to them, or their reply)."""

    class Direction(models.TextChoices):
        TO_SUBJECT = "to_subject", _("To the subject")
        FROM_SUBJECT = "from_subject", _("From the subject")

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_line = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=10000)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.direction} message {self.pk}"


def attachment_path(instance, filename: str) -> str:
    # Random names: nothing on disk links a file to a subject or their link token.
    return f"attachments/{secrets.token_hex(16)}.bin"


class Attachment(TimeStampedModel):
    """A file the subject sent with a reply. Stored encrypted (dsar.core.crypto)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class OutgoingEmail(models.Model):
    """An e-mail waiting to be sent or sent (transactional outbox, see requests_app.emails)."""

    request = models.ForeignKey(SubjectRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    template = models.CharField(max_length=80)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    # Until sent (and for good when sending fails), the body holds a
    # verification or download link or a one-time code: encrypted at rest.
    body_text = EncryptedTextField()
    body_html = EncryptedTextField()
    # Rendered by the sender, not by whoever queued it (requests_app.emails.
    # queue_email_later): the subject and bodies are empty until then, and the
    # message is rendered in this language from its request.
    # With database defaults, so that processes still running the previous
    # release during a deployment can go on queueing e-mail.
    render_later = models.BooleanField(default=False, db_default=False)
    language = models.CharField(max_length=10, blank=True, default="", db_default="")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by one sender, which is talking to the mail server right now.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        # Still unsent after DSAR_EMAIL_RETRY_HOURS: nothing will send it.
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # The periodic sweep (emails.due) and the dashboard's alert
            # (emails.failing): unsent messages only.
            models.Index(fields=["created_at"], condition=Q(status__in=["pending", "sending"]), name="email_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.template} e-mail {self.pk}"


from requests_app.audit.models import ChainVerification  # noqa: E402, F401
from requests_app.execution.models import RestrictionLift  # noqa: E402, F401

# Retention holds and forwarded requests live in their feature packages, in this app.
from requests_app.forwarding.models import Forwarding  # noqa: E402, F401

# The privacy mailbox's items live in their feature package, in this app.
from requests_app.inbox.models import InboxAttachment, InboxEvent, InboxItem  # noqa: E402, F401
from requests_app.register.models import RegisterEvent  # noqa: E402, F401

# A representative acting for the subject (issue 18) lives in its feature package, in this app.
from requests_app.representation.models import Representation  # noqa: E402, F401
from requests_app.retention.models import HoldReason, RetentionHold, RetentionHoldQuerySet  # noqa: E402, F401

# A staff member's saved views of the queue (requests_app.workspace.queue).
from requests_app.workspace.models import SavedQueueFilter  # noqa: E402, F401
