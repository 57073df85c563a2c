"""The data engine's own records: the processing register (Art. 30), the
connectors to source systems, and the jobs that gather or act on a subject's
data. Nothing here knows about tickets: a job carries an opaque
``external_ref`` that the caller (the ticket) uses to find its own record.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dsar.core.crypto import EncryptedTextField


class TranslatedText(models.JSONField):
    """Text in several languages: {"en": "...", "nl": "...", "fr": "...", "de": "..."}."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


def validate_translated_names(value) -> None:
    """A list of names, each in several languages: [{"en": "Customers", "nl": "Klanten"}, ...]."""
    languages = {code for code, _label in settings.LANGUAGES}
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and item
        and set(item) <= languages
        and all(isinstance(text, str) and text for text in item.values())
        for item in value
    ):
        raise ValidationError(
            _('Give a list of names, each per language, e.g. [{"en": "Customers", "nl": "Klanten"}].'),
            code="invalid_names",
        )


def pick(texts: dict, language: str | None = None) -> str:
    """The text in ``language`` (or the active one), falling back to English, then any."""
    if not texts:
        return ""
    language = (language or translation.get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def local_name(names: dict, name: str) -> str:
    """What the workspace calls a source or a recipient: its own ``name``,
    written in the desk's language (LANGUAGE_CODE), unless the reader works in
    another language that ``names`` has (a Dutch DPO of an English-named
    desk). No English fallback: the own name is what the desk calls it."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language == settings.LANGUAGE_CODE[:2]:
        return name
    return (names or {}).get(language) or name


# ------------------------------------------------------------------------------
# The processing register (records of processing activities, Art. 30)
# ------------------------------------------------------------------------------
class DataCategory(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    names = TranslatedText(_("name"))
    descriptions = TranslatedText(_("description"))
    # Art. 9/10 data or a national identifier: extra care in exports and logs.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    # Art. 20 covers data the subject provided or that was observed about them,
    # not data the controller derived or inferred.
    portable = models.BooleanField(_("provided by or observed about the subject (Art. 20)"), default=True)
    # Retired (``active: false``): no longer offered on the public form or the
    # log-a-request form, but still named on the requests that chose it
    # (what a request asked for stays readable, Art. 5(2)).
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")

    def __str__(self) -> str:
        return pick(self.names) or self.code


class Recipient(models.Model):
    class Kind(models.TextChoices):
        PROCESSOR = "processor", _("Processor")
        CONTROLLER = "controller", _("Other controller")
        AUTHORITY = "authority", _("Public authority")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The name as a subject or a recipient reads it, per language (Art. 12(1));
    # ``name`` is the fallback and the staff's name.
    names = TranslatedText(_("name in each language"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROCESSOR)
    descriptions = TranslatedText(_("what they do"))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    outside_eea = models.BooleanField(_("outside the EEA"), default=False)
    # Art. 15(2), 46: the appropriate safeguard for a transfer outside the EEA.
    transfer_safeguards = TranslatedText(_("transfer safeguards"))
    # Art. 19: notified of rectification, erasure and restriction.
    notify_changes = models.BooleanField(_("notify of rectification, erasure and restriction"), default=True)
    # What it receives, where it is not everything its processing activities
    # hold (a cyber-protection vendor gets the device inventory, not the
    # invoices): Art. 19 notices then go to it only when one of these changed.
    # Empty: every category of its activities, as the register cannot say more.
    categories = models.ManyToManyField(
        DataCategory,
        verbose_name=_("data categories it receives"),
        blank=True,
        related_name="recipients",
        help_text=_("Leave empty when it receives every data category of its processing activities."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("recipient")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str | None = None) -> str:
        return pick(self.names, language) or self.name

    @property
    def workspace_name(self) -> str:
        """The name in the reader's (active) language, else its own name (as Connector's)."""
        return local_name(self.names, self.name)


class LegalBasis(models.TextChoices):
    # Art. 6(1)(a)-(f)
    CONSENT = "consent", _("Consent (Art. 6(1)(a))")
    CONTRACT = "contract", _("Contract (Art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (Art. 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (Art. 6(1)(d))")
    PUBLIC_TASK = "public_task", _("Public task (Art. 6(1)(e))")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests (Art. 6(1)(f))")


class ProcessingActivity(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    names = TranslatedText(_("name"))
    purposes = TranslatedText(_("purpose"))
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis)
    legitimate_interests = TranslatedText(_("legitimate interests pursued"))
    # Art. 30(1)(c): whose data it is (customers, job applicants, visitors...).
    data_subjects = models.JSONField(
        _("categories of data subjects"),
        default=list,
        blank=True,
        validators=[validate_translated_names],
        help_text=_('Each category by its name per language, e.g. [{"en": "Customers", "nl": "Klanten"}].'),
    )
    categories = models.ManyToManyField(
        DataCategory, verbose_name=_("data categories"), blank=True, related_name="activities"
    )
    recipients = models.ManyToManyField(Recipient, verbose_name=_("recipients"), blank=True, related_name="activities")
    # Retention (Art. 13(2)(a), 15(1)(d)): a period or the criteria for it.
    retention = TranslatedText(_("retention period or criteria"))
    # A legal obligation to keep (Art. 17(3)(b)), e.g. accounting records:
    # data of this activity is held back from erasure until it may go.
    legal_hold_years = models.PositiveSmallIntegerField(_("kept by law for (years)"), null=True, blank=True)
    legal_hold_reason = TranslatedText(_("legal reason for keeping"))
    sources = TranslatedText(_("source of the data, where not the subject (Art. 14(2)(f))"))
    automated_decisions = TranslatedText(_("automated decision-making and its logic (Art. 22)"))
    # Art. 15(1)(h), 13(2)(f): besides the logic involved, "the significance and
    # the envisaged consequences of such processing for the data subject".
    automated_significance = TranslatedText(_("significance of the automated decision-making (Art. 15(1)(h))"))
    automated_consequences = TranslatedText(_("envisaged consequences for the subject (Art. 15(1)(h))"))
    # Art. 30(1)(g): a general description, not the security plan itself.
    security_measures = TranslatedText(_("technical and organisational security measures"))
    # Art. 21(3): an objection to direct marketing is always honoured.
    direct_marketing = models.BooleanField(_("direct marketing"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")

    def __str__(self) -> str:
        return pick(self.names) or self.code

    def data_subject_names(self, language: str | None = None) -> list[str]:
        return [pick(names, language) for names in self.data_subjects or []]

    @property
    def objectionable(self) -> bool:
        """Art. 21 applies to public task, legitimate interests and direct marketing."""
        return self.direct_marketing or self.legal_basis in (LegalBasis.PUBLIC_TASK, LegalBasis.LEGITIMATE_INTERESTS)

    @property
    def consent_based(self) -> bool:
        return self.legal_basis == LegalBasis.CONSENT


# ------------------------------------------------------------------------------
# Connectors
# ------------------------------------------------------------------------------
class IdentityField(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    CUSTOMER_NUMBER = "customer_number", _("Customer number")
    NATIONAL_NUMBER = "national_number", _("National number")
    FULL_NAME = "full_name", _("Full name")


class Operation(models.TextChoices):
    ACCESS = "access", _("Find the subject's records")
    ERASE = "erase", _("Erase or mask")
    RECTIFY = "rectify", _("Rectify")
    RESTRICT = "restrict", _("Restrict")
    STOP_PROCESSING = "stop_processing", _("Stop a processing (objection, withdrawal)")


class Connector(models.Model):
    """A source system holding personal data.

    ``config`` holds the kind-specific settings and never a secret: secrets
    are named by environment variable (``password_env``, ``token_env``...).
    See dsar/connectors/ for each kind's configuration.
    """

    class Kind(models.TextChoices):
        SQL = "sql", _("SQL database")
        HTTP = "http", _("HTTP API")
        MANUAL = "manual", _("Manual task")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The name a subject reads in their copy and e-mails, per language (Art. 12(1)).
    names = TranslatedText(_("name in each language"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    config = models.JSONField(_("configuration"), default=dict, blank=True)
    categories = models.ManyToManyField(
        DataCategory, verbose_name=_("data categories"), blank=True, related_name="connectors"
    )
    activities = models.ManyToManyField(
        ProcessingActivity, verbose_name=_("processing activities"), blank=True, related_name="connectors"
    )
    identity_fields = models.JSONField(_("identities it can match on"), default=list, blank=True)
    operations = models.JSONField(_("supported operations"), default=list, blank=True)
    timeout_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    max_rows = models.PositiveIntegerField(_("row limit per table"), default=100_000)
    enabled = models.BooleanField(_("enabled"), default=True)
    # Manual tasks go to this person by default.
    default_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default assignee of manual tasks"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("connector")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str | None = None) -> str:
        """The source's name in ``language`` for a subject, else its own name."""
        return pick(self.names, language) or self.name

    @property
    def workspace_name(self) -> str:
        """The name in the reader's (active) language when the register gives
        one, else the source's own name: a Dutch workspace does not show the
        English name of a source named in Dutch too."""
        return local_name(self.names, self.name)


# ------------------------------------------------------------------------------
# Jobs: one gathering or execution for one subject, one run per source
# ------------------------------------------------------------------------------
class Job(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        PARTIAL = "partial", _("Done with failures")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The caller's reference (e.g. the ticket's DSAR-2026-00042); opaque here.
    external_ref = models.CharField(max_length=64, db_index=True)
    operation = models.CharField(max_length=20, choices=Operation)
    # The subject's identifiers as JSON, encrypted at rest.
    identity = EncryptedTextField()
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.operation} {self.external_ref}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.PARTIAL, self.Status.FAILED)


class SourceRun(models.Model):
    """The outcome of one job on one connector."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        WAITING = "waiting", _("Waiting for a person")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="runs")
    connector = models.ForeignKey(Connector, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the run's message was last handed to the broker, and when the
    # worker running it last said it is alive: dsar.recovery sends again what
    # the broker lost and resumes what a lost worker left (issue 16).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    # Plain words for the DPO: what went wrong, never a secret.
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)  # e.g. row limit reached on a table
    summary = models.JSONField(default=dict, blank=True)  # what was done (execution), counts per table

    FINISHED = (Status.DONE, Status.FAILED)

    class Meta:
        ordering = ["connector__name"]
        constraints = [models.UniqueConstraint(fields=["job", "connector"], name="one_run_per_source")]
        indexes = [
            # dsar.recovery's sweep, every minute: unfinished runs only.
            models.Index(fields=["status"], condition=Q(status__in=["pending", "running"]), name="run_unfinished"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} @ {self.connector_id}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class SourceRecord(models.Model):
    """One record found in a source, stored encrypted; read back in batches."""

    run = models.ForeignKey(SourceRun, on_delete=models.CASCADE, related_name="records")
    seq = models.PositiveIntegerField()
    entity = models.CharField(max_length=100)  # table or resource name
    category = models.CharField(max_length=60, blank=True)  # DataCategory.code
    data = EncryptedTextField()  # JSON of the record's fields
    # Art. 15(4): left out of the copy because it concerns other people.
    excluded = models.BooleanField(default=False)
    # Why it was left out, in the DPO's words (at most 500 characters, cut by
    # requests_app.delivery). Such a note often names the other person, so it
    # is encrypted at rest like the record itself.
    exclusion_note = EncryptedTextField(blank=True)
    # The kinds of identifier (IdentityField) the source matched this record
    # on: only the e-mail address may have been verified, and a record matched
    # only on a number someone typed may be another person's (Art. 12(6)).
    # Empty: not known (a person's findings, records gathered before).
    matched_on = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="record_seq_unique")]

    def __str__(self) -> str:
        return f"{self.entity} #{self.seq}"

    @property
    def values(self) -> dict:
        """The record's fields (decrypted JSON)."""
        return json.loads(self.data) if self.data else {}


class WithheldField(models.Model):
    """One field of a record withheld from the subject's copy, the record kept.

    Art. 15(4): the right to a copy "shall not adversely affect the rights and
    freedoms of others". Leaving a whole record out is often too much (a note
    about the subject that names a colleague); the DPO withholds that one field
    instead, and the copy says in plain words that a value was withheld there.
    """

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="withheld_fields")
    column = models.CharField(max_length=200)  # the key in the record's data
    # Why, in the DPO's words (at most 500 characters): often names the other
    # person, so encrypted at rest like ``SourceRecord.exclusion_note``.
    note = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["record", "column"]
        constraints = [models.UniqueConstraint(fields=["record", "column"], name="withheld_field_unique")]

    def __str__(self) -> str:
        return f"{self.column} of record {self.record_id}"


def _task_file_path(instance, filename: str) -> str:
    return f"manual/{instance.task.run.job_id}/{uuid.uuid4().hex}.bin"


class ManualTask(models.Model):
    """Work no machine can do (paper archives, camera footage): a person
    searches or acts and enters what they found; the run waits for it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    run = models.OneToOneField(SourceRun, on_delete=models.CASCADE, related_name="manual_task")
    instructions = models.TextField()
    # The source's instructions in each language it gives them (config
    # ``instructions: {en: ..., nl: ...}``): each reader gets their own;
    # ``instructions`` keeps the English (or the only) text.
    instructions_translations = TranslatedText()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="manual_tasks"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    findings = EncryptedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"manual task {self.pk} ({self.status})"

    def instructions_in(self, language: str | None = None) -> str:
        """The instructions in ``language`` (or the active one), else as given."""
        return pick(self.instructions_translations, language) or self.instructions

    @property
    def localized_instructions(self) -> str:
        return self.instructions_in()


class ManualTaskFile(models.Model):
    """A file attached to a manual task's findings, encrypted at rest (dsar.core.crypto)."""

    task = models.ForeignKey(ManualTask, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_task_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name
