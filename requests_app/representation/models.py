"""A representative acting for the data subject, and the mandate they hold.

The GDPR lets a subject exercise their rights through someone else (EDPB
Guidelines 01/2022 on the right of access, §§ 79-84): the controller checks,
proportionately, that the person acting has a mandate. Parents act for a
child under the age of digital consent (Art. 8 GDPR; 13 years in Belgium,
art. 7 of the Act of 30 July 2018).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dsar.core.models import TimeStampedModel


class Relationship(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    PARENT = "parent", _("Parent of a minor")
    GUARDIAN = "guardian", _("Guardian or court-appointed administrator")
    OTHER = "other", _("Another person with a mandate")


class AgeBand(models.TextChoices):
    """The minor's age, in the bands the law draws: below 13 a parent consents
    for them (Art. 8 GDPR; Belgium: art. 7 of the Act of 30 July 2018)."""

    UNDER_13 = "under_13", _("Under 13")
    FROM_13_TO_15 = "13_15", _("13 to 15")
    FROM_16_TO_17 = "16_17", _("16 or 17")


class Contact(models.TextChoices):
    """To whom the desk writes about the request, as the mandate says."""

    REPRESENTATIVE = "representative", _("The representative")
    SUBJECT = "subject", _("The person the request is about")
    BOTH = "both", _("Both")


class MandateKind(models.TextChoices):
    DOCUMENT = "document", _("A document (power of attorney, court decision, birth certificate...)")
    STATEMENT = "statement", _("A signed statement")


class MandateCheck(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    ACCEPTED = "accepted", _("Mandate accepted")
    REFUSED = "refused", _("Better mandate asked for")


def mandate_path(instance, filename: str) -> str:
    # Random names: nothing on disk links a file to a subject or a representative.
    return f"mandates/{secrets.token_hex(16)}.bin"


class Representation(TimeStampedModel):
    """Who made the request for the subject, with which mandate, and its check.

    The mandate document is stored encrypted (``dsar.core.crypto``), type-checked
    as the subject's attachments are. The purge blanks the personal fields and
    deletes the file (``representation.effects``); the audit trail holds codes only.
    """

    request = models.OneToOneField(
        "requests_app.SubjectRequest", on_delete=models.CASCADE, related_name="representation"
    )
    full_name = models.CharField(_("representative's name"), max_length=200)
    email = models.EmailField(_("representative's e-mail"), max_length=254, blank=True)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    minor_age_band = models.CharField(_("age of the minor"), max_length=10, choices=AgeBand.choices, blank=True)
    contact = models.CharField(
        _("who receives our e-mails"), max_length=20, choices=Contact.choices, default=Contact.REPRESENTATIVE
    )
    # The language of the person represented, when the representative gave it: the
    # request's language is the representative's, and what we write to the subject
    # (that someone asked in their name, the copies the mandate sends them) must be
    # in theirs (Art. 12(1): intelligible; in Belgium, the subject's own language).
    # A code of ``requests_app.models.Language`` (checked by the forms that set it);
    # empty: the request's language.
    subject_language = models.CharField(_("language of the person represented"), max_length=2, blank=True)
    mandate_kind = models.CharField(_("mandate"), max_length=20, choices=MandateKind.choices)
    mandate_statement = models.TextField(_("signed statement"), blank=True, max_length=5000)
    mandate_file = models.FileField(upload_to=mandate_path, blank=True)
    mandate_name = models.CharField(max_length=200, blank=True)
    mandate_content_type = models.CharField(max_length=100, blank=True)
    mandate_size = models.PositiveIntegerField(default=0)
    check_status = models.CharField(
        _("mandate check"), max_length=20, choices=MandateCheck.choices, default=MandateCheck.PENDING
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sent to the representative when a better mandate is asked for.
    check_reason = models.TextField(_("what is missing"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("representative")
        constraints = [
            # Art. 8 GDPR: a parent acts for a minor whose age band is known.
            models.CheckConstraint(
                condition=~Q(relationship="parent") | ~Q(minor_age_band=""), name="repr_parent_has_age_band"
            ),
        ]

    def __str__(self) -> str:
        return f"representative of {self.request_id}"

    @property
    def subject_language_name(self) -> str:
        from requests_app.models import Language

        return dict(Language.choices).get(self.subject_language, self.subject_language)

    def language_for_subject(self, request) -> str:
        """The language of what we write to the subject: theirs, else the request's."""
        return self.subject_language or request.language

    @property
    def writes_to_subject(self) -> bool:
        return self.contact in (Contact.SUBJECT, Contact.BOTH)
