"""Writes of the delivery: generating the files, leaving records out, the
release, the transmission decision, the links and their one-time codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core.crypto import new_link_token, token_digest
from dsar.exports import service
from dsar.exports.models import ExportFile
from dsar.exports.pdf_export import PdfUnavailable
from dsar.models import Job, SourceRecord, WithheldField
from dsar.queueing import enqueue
from requests_app import permissions, workflow
from requests_app.delivery import incomplete
from requests_app.delivery.downloads.models import DownloadLink, Transmission
from requests_app.delivery.selectors import (
    DELIVERED_TYPES,
    TRANSMISSION_STATUSES,
    download_url,
    expected_formats,
    export_spec,
    files_are_current,
    latest_job,
    transmission_target,
)
from requests_app.emails import queue_email
from requests_app.intake import ratelimit
from requests_app.models import Status, SubjectRequest

# A request in review this long without files has lost its generation message.
RESEND_GRACE = dt.timedelta(minutes=2)

log = logging.getLogger(__name__)

CODE_VALID_MINUTES = 15
CODE_MAX_ATTEMPTS = 5
CODES_PER_LINK = 20
# A new code waits this long after the last one: a mailbox cannot be flooded,
# and a guesser cannot renew the attempts of the code every few seconds.
CODE_RESEND_SECONDS = 60
# The guessing budget of one link is bounded: each code allows
# CODE_MAX_ATTEMPTS wrong tries, and asking a new code resets that count, but a
# link gets at most CODES_PER_LINK codes. That is 20 x 5 = 100 guesses of a
# 6-digit code (1 chance in 10,000), spread over at least 19 minutes by
# CODE_RESEND_SECONDS, by someone who already holds the link's 256-bit token;
# every code goes to the subject's mailbox, never to the guesser. Only a new
# release (a new link) by the DPO brings a new budget.
REASON_MAX_LENGTH = 2000


def generate_exports(request: SubjectRequest) -> list[ExportFile]:
    """(Re)generate the request's files from its latest gathering job."""
    job = latest_job(request)
    if job is None:
        log.warning("No gathering job for %s: no export generated.", request.reference)
        return []

    def record(files: list[ExportFile]) -> None:
        # Inside the swap's transaction: whoever sees the files sees the event.
        workflow.log_event(
            request,
            actor=workflow.SYSTEM,
            kind="export.generated",
            details={"formats": [f.format for f in files], "records": files[0].record_count if files else 0},
        )

    return service.generate(export_spec(request, job), expected_formats(request), on_replaced=record)


def record_export_failure(request: SubjectRequest, error: PdfUnavailable) -> None:
    """The files could not be made on this machine (a PDF library is missing): said on the request page."""
    workflow.log_event(
        request,
        actor=workflow.SYSTEM,
        kind="export.failed",
        details={"missing": error.missing, "packages": error.packages},
    )


def enqueue_generation(request: SubjectRequest) -> None:
    from requests_app.delivery.tasks import generate_exports_task

    transaction.on_commit(lambda: enqueue(generate_exports_task, (request.pk,)))


def _refuse(request: SubjectRequest, actor, action: str, message: str):
    workflow.log_event(request, actor=actor, kind="action.refused", details={"action": action})
    raise workflow.ActionForbidden(message)


def set_excluded(request: SubjectRequest, *, actor, record_ids: list[int], excluded: bool, note: str = "") -> int:
    """Leave records out of the copy (Art. 15(4): they concern other people), or put them back.

    The files are regenerated afterwards. The note stays with the records for
    the DPO; the audit trail records only how many (no personal data there).
    """
    if not permissions.can_work_on(actor, request):
        _refuse(request, actor, "exclude_records", _("Your role does not allow changing what the copy contains."))
    note = note.strip()
    if excluded and not note:
        raise workflow.WorkflowError(
            _("Say why these records are left out (for example: they concern another person).")
        )
    job = latest_job(request)
    if job is None:
        raise workflow.WorkflowError(_("Nothing was gathered for this request."))
    with transaction.atomic():
        locked = workflow.require_status(
            request, (Status.IN_REVIEW,), _("Records can only be left out while the request is in review.")
        )
        records = SourceRecord.objects.filter(run__job=job, pk__in=record_ids, excluded=not excluded)
        count = records.update(excluded=excluded, exclusion_note=note[:500] if excluded else "")
        if count:
            workflow.log_event(
                locked,
                actor=actor,
                kind="export.records_excluded" if excluded else "export.records_included",
                details={"count": count},
            )
            enqueue_generation(locked)
    return count


def set_withheld(
    request: SubjectRequest, *, actor, fields: list[tuple[int, str]], withheld: bool, note: str = ""
) -> int:
    """Withhold single fields of records from the copy, or give them back.

    Art. 15(4): where one field concerns another person (a colleague named in
    a note), the DPO withholds that field and keeps the rest of the record in
    the copy; the subject's files say in its place that a value was withheld
    (``dsar.exports.withheld``). Checked and audited as leaving out a record
    (``set_excluded``): the note stays with the field, the trail says how many.
    ``fields`` are (record id, column) pairs; a column the record lacks is ignored.
    """
    if not permissions.can_work_on(actor, request):
        _refuse(request, actor, "withhold_fields", _("Your role does not allow changing what the copy contains."))
    note = note.strip()
    if withheld and not note:
        raise workflow.WorkflowError(_("Say why these fields are withheld (for example: they name another person)."))
    job = latest_job(request)
    if job is None:
        raise workflow.WorkflowError(_("Nothing was gathered for this request."))
    wanted: dict[int, set[str]] = {}
    for record_id, column in fields:
        wanted.setdefault(record_id, set()).add(column)
    with transaction.atomic():
        locked = workflow.require_status(
            request, (Status.IN_REVIEW,), _("Fields can only be withheld while the request is in review.")
        )
        count = 0
        records = SourceRecord.objects.filter(run__job=job, pk__in=list(wanted)).only("id", "data")
        if withheld:
            done = set(WithheldField.objects.filter(record__in=records).values_list("record_id", "column"))
            new = [
                WithheldField(record_id=record.pk, column=column, note=note[:500])
                for record in records
                for column in sorted(wanted[record.pk] & set(record.values))
                if (record.pk, column) not in done
            ]
            count = len(WithheldField.objects.bulk_create(new))
        else:
            for record_id, columns in wanted.items():
                count += WithheldField.objects.filter(
                    record__run__job=job, record_id=record_id, column__in=columns
                ).delete()[0]
        if count:
            workflow.log_event(
                locked,
                actor=actor,
                kind="export.fields_withheld" if withheld else "export.fields_given_back",
                details={"count": count},
            )
            enqueue_generation(locked)
    return count


def release(request: SubjectRequest, *, actor, incomplete_reason: str = "") -> SubjectRequest:
    """Release to the subject: the copy of an access or portability request,
    or, for the rights carried out in the sources, the account of what was
    done (its e-mail is sent on ``request.fulfilled``). Only a DPO
    (``workflow.fulfil`` checks); a copy only once its files are all there.

    While a source could not be searched the release is refused unless the DPO
    gives ``incomplete_reason`` (``delivery.incomplete``: the desk fails closed)."""
    if (
        request.request_type in DELIVERED_TYPES
        and request.status == Status.IN_REVIEW
        and not files_are_current(request)
        and permissions.can_take("fulfil", request, actor)
    ):
        raise workflow.WorkflowError(_("The files are not ready yet (being generated). Try again in a moment."))
    if incomplete_reason.strip():
        with transaction.atomic():
            # One transaction: a release refused for another reason records no choice.
            incomplete.accept(request, actor=actor, reason=incomplete_reason)
            return workflow.fulfil(request, actor=actor)
    return workflow.fulfil(request, actor=actor)


def decide_transmission(
    request: SubjectRequest, *, actor, decision: str, email: str = "", reason: str = ""
) -> Transmission:
    """Record whether the copy goes to the organisation the subject named.

    ``send`` needs the organisation's e-mail address (the one the subject gave,
    or one the DPO found); ``not_feasible`` needs the reason, which the subject
    reads in their e-mail. The audit trail gets the decision and the
    organisation's name, never the address nor the reason.
    """
    if not permissions.can_decide_transmission(actor, request):
        _refuse(request, actor, "decide_transmission", _("Only a DPO can decide where the copy is sent."))
    target = transmission_target(request)
    if target is None:
        raise workflow.WorkflowError(_("This request names no other organisation to send the copy to."))
    email, reason = (email or "").strip(), (reason or "").strip()
    if decision == Transmission.Decision.SEND:
        if not email:
            raise workflow.WorkflowError(_("Enter the other organisation's e-mail address: the link is sent there."))
        try:
            validate_email(email)
        except ValidationError as exc:
            raise workflow.WorkflowError(_("Enter a valid e-mail address for the other organisation.")) from exc
        reason = ""
    elif decision == Transmission.Decision.NOT_FEASIBLE:
        if not reason:
            raise workflow.WorkflowError(
                _("Say why sending it directly is not technically feasible: the subject will read it.")
            )
        if len(reason) > REASON_MAX_LENGTH:
            raise workflow.WorkflowError(
                _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}
            )
        email = ""
    else:
        raise workflow.WorkflowError(_("Choose whether to send the copy or why that is not feasible."))
    with transaction.atomic():
        # Locked so that a release at the same moment sees either no decision or this one.
        locked = workflow.require_status(
            request,
            TRANSMISSION_STATUSES,
            _("This request is %(status)s: the decision can only be made before the release."),
        )
        transmission, _created = Transmission.objects.update_or_create(
            request=locked,
            defaults={
                "organisation": target["organisation"],
                "decision": decision,
                "email": email,
                "reason": reason,
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        workflow.log_event(
            locked,
            actor=actor,
            kind="export.transmission_decided",
            details={"decision": decision, "organisation": target["organisation"]},
        )
    return transmission


def _code_hash(link: DownloadLink, code: str) -> str:
    message = f"{link.pk}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def create_link(request: SubjectRequest, *, transmission: Transmission | None = None) -> tuple[DownloadLink, str]:
    """A new link for the request's latest files; older links of the same
    recipient stop working (the subject's link and the organisation's live side by side)."""
    token = new_link_token()
    now = timezone.now()
    request.download_links.filter(revoked_at__isnull=True, transmission=transmission).update(revoked_at=now)
    link = DownloadLink.objects.create(
        request=request,
        job=latest_job(request),
        transmission=transmission,
        token_hash=token_digest(token),
        expires_at=now + dt.timedelta(days=settings.DSAR_DOWNLOAD_DAYS),
    )
    return link, token


@dataclass(frozen=True)
class CodeSending:
    """What came of asking a code: ``SENT``, ``TOO_SOON`` (ask again after
    ``retry_after`` seconds) or ``EXHAUSTED`` (the link's codes are used up).

    ``valid_until`` is when the code already sent stops working, if one still
    works: a refused request loses nothing.
    """

    SENT = "sent"
    TOO_SOON = "too_soon"
    EXHAUSTED = "exhausted"

    outcome: str
    retry_after: int = 0
    valid_until: dt.datetime | None = None

    @property
    def sent(self) -> bool:
        return self.outcome == self.SENT


def send_code(link: DownloadLink, *, client_ip: str = "") -> CodeSending:
    """E-mail a fresh one-time code to the link's recipient (the subject, or the
    organisation the copy was sent to), at most one a minute per link and
    ``DSAR_DOWNLOAD_CODE_RATES_PER_IP`` per client across links."""
    with transaction.atomic():
        # The row lock serialises two clicks at once: only one of them sends.
        link = (
            DownloadLink.objects.select_for_update(of=("self",))
            .select_related("request", "transmission")
            .get(pk=link.pk)
        )
        now = timezone.now()
        still_valid = (
            link.code_expires_at if link.code_hash and link.code_expires_at and link.code_expires_at > now else None
        )
        if link.codes_sent >= CODES_PER_LINK or not link.is_usable:
            return CodeSending(CodeSending.EXHAUSTED, valid_until=still_valid)
        if link.code_sent_at is not None:
            wait = (link.code_sent_at + dt.timedelta(seconds=CODE_RESEND_SECONDS) - now).total_seconds()
            if wait > 0:
                return CodeSending(CodeSending.TOO_SOON, retry_after=math.ceil(wait), valid_until=still_valid)
        # Counted only for codes the link itself would allow, so that a subject
        # clicking twice does not spend the address's budget.
        retry_after = ratelimit.hit(
            "download-code-ip", client_ip or "unknown", settings.DSAR_DOWNLOAD_CODE_RATES_PER_IP
        )
        if retry_after:
            log.info("Download code rate limit reached (retry after %s s).", retry_after)
            return CodeSending(CodeSending.TOO_SOON, retry_after=retry_after, valid_until=still_valid)
        code = f"{secrets.randbelow(1_000_000):06d}"
        link.code_hash = _code_hash(link, code)
        link.code_expires_at = now + dt.timedelta(minutes=CODE_VALID_MINUTES)
        link.code_sent_at = now
        link.code_attempts = 0
        link.codes_sent += 1
        link.save(update_fields=["code_hash", "code_expires_at", "code_sent_at", "code_attempts", "codes_sent"])
        request = link.request
        queue_email(
            "download_code",
            to=link.transmission.email if link.for_organisation else request.email,
            context={
                "request": request,
                "code": code,
                "minutes": CODE_VALID_MINUTES,
                "for_organisation": link.for_organisation,
            },
            language=request.language,
            request=request,
        )
    return CodeSending(CodeSending.SENT, valid_until=link.code_expires_at)


class CodeResult:
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY = "too_many"


def check_code(link: DownloadLink, code: str) -> str:
    """Check a code; a right one is used up, a wrong one counts against the limit."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    with transaction.atomic():
        link = DownloadLink.objects.select_for_update().get(pk=link.pk)
        if not link.code_hash or link.code_expires_at is None or link.code_expires_at <= timezone.now():
            return CodeResult.EXPIRED
        if link.code_attempts >= CODE_MAX_ATTEMPTS:
            return CodeResult.TOO_MANY
        if hmac.compare_digest(link.code_hash, _code_hash(link, code)):
            link.code_hash = ""
            link.code_expires_at = None
            link.save(update_fields=["code_hash", "code_expires_at"])
            return CodeResult.OK
        link.code_attempts += 1
        link.save(update_fields=["code_attempts"])
        return CodeResult.TOO_MANY if link.code_attempts >= CODE_MAX_ATTEMPTS else CodeResult.WRONG


def record_download(link: DownloadLink, export: ExportFile) -> None:
    """Each download is an audit event, shown to the subject on their status page
    (also the other organisation's: the subject sees that their data arrived)."""
    details = {"format": export.format, "link": link.pk, "sha256": export.sha256}
    with transaction.atomic():
        # The event first: log_event takes the request's row lock before the
        # link's row is written, in the order every other writer takes them.
        if link.for_organisation:
            # No actor marker exists for an outside organisation: the system
            # records it, as it does a recipient's Art. 19 acknowledgement.
            workflow.log_event(
                link.request,
                actor=workflow.SYSTEM,
                kind="export.downloaded_by_organisation",
                details={**details, "organisation": link.transmission.organisation},
                public=True,
            )
        else:
            workflow.log_event(
                link.request, actor=workflow.SUBJECT, kind="export.downloaded", details=details, public=True
            )
        DownloadLink.objects.filter(pk=link.pk).update(download_count=F("download_count") + 1)


def check_may_read_copy(request: SubjectRequest, *, actor, action: str) -> None:
    """Refuse, and record the refusal, to whoever may not read the subject's data
    gathered for this request (``permissions.can_read_copy`` says who and why)."""
    if not permissions.can_read_copy(actor, request):
        _refuse(
            request,
            actor,
            action,
            _("Only the DPO, the agent assigned to this request or an auditor can read the data gathered for it."),
        )


def record_preview(request: SubjectRequest, *, actor, export: ExportFile) -> None:
    """Staff looking at a subject's data is itself worth recording (Art. 5(2))."""
    workflow.log_event(request, actor=actor, kind="export.previewed", details={"format": export.format})


def record_records_read(request: SubjectRequest, *, actor, count: int) -> None:
    """Staff reading the gathered records' data, as a preview of the copy is recorded."""
    workflow.log_event(request, actor=actor, kind="export.records_read", details={"records": count})


def delete_expired_files(now: dt.datetime | None = None) -> int:
    """Delete the files of links that expired; returns how many links were swept."""
    now = now or timezone.now()
    swept = 0
    for link in DownloadLink.objects.filter(expires_at__lte=now, files_deleted_at__isnull=True).select_related(
        "request"
    )[:500]:
        # Deleting files is not transactional: done first, so that the event
        # counts what is gone; a second sweep of the same link finds nothing left.
        deleted = service.delete_files(link.job) if link.job_id else 0
        with transaction.atomic():
            workflow.log_event(
                link.request,
                actor=workflow.SYSTEM,
                kind="export.files_deleted",
                details={"link": link.pk, "files": deleted},
            )
            DownloadLink.objects.filter(pk=link.pk).update(files_deleted_at=now)
        swept += 1
    return swept


def send_to_organisation(request: SubjectRequest, transmission: Transmission, *, formats: list[str]) -> DownloadLink:
    """E-mail the other organisation a link of its own (Art. 20(2)).

    Same expiry, page and code flow as the subject's link; the codes go to the
    organisation's address. Written in the subject's language: the only one we
    know the request in, and the one the files are in.
    """
    link, token = create_link(request, transmission=transmission)
    queue_email(
        "export_transmitted",
        to=transmission.email,
        context={
            "request": request,
            "transmission": transmission,
            "url": download_url(token),
            "expires_at": link.expires_at,
            "days": settings.DSAR_DOWNLOAD_DAYS,
            "formats": formats,
        },
        language=request.language,
        request=request,
    )
    Transmission.objects.filter(pk=transmission.pk).update(sent_at=timezone.now())
    workflow.log_event(
        request,
        actor=workflow.SYSTEM,
        kind="export.transmitted",
        details={"organisation": transmission.organisation, "link": link.pk},
        public=True,
    )
    return link


def resend_lost_exports(limit: int = 100) -> int:
    """Every minute: send the generation again for exports whose message the broker lost.

    An access or portability request in review gets its files generated by a
    task enqueued on ``request.in_review``. If that message is lost (the broker
    was down, a worker died holding it), the request would sit in review
    without files; this sweep sends the generation again for a request in
    review for more than two minutes whose latest access job has no files yet.
    Gathering, e-mails and webhooks have their own sweeps (``dsar.recovery``,
    ``requests_app.emails``, ``requests_app.api.webhooks``).
    """
    from django.db.models import Exists, OuterRef

    from dsar.exports.models import ExportFile
    from requests_app.delivery.tasks import generate_exports_task

    finished_job_without_files = Job.objects.filter(
        external_ref=OuterRef("reference"),
        operation="access",
        status__in=[Job.Status.DONE, Job.Status.PARTIAL],
    ).exclude(Exists(ExportFile.objects.filter(job=OuterRef("pk"))))
    with_files = ExportFile.objects.filter(job__external_ref=OuterRef("reference"))
    ids = list(
        SubjectRequest.objects.filter(
            status=Status.IN_REVIEW,
            request_type__in=DELIVERED_TYPES,
            purged_at__isnull=True,
            updated_at__lt=timezone.now() - RESEND_GRACE,
        )
        .filter(Exists(finished_job_without_files))
        .exclude(Exists(with_files))
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue(generate_exports_task, (pk,), what=f"exports of request {pk}") for pk in ids)
