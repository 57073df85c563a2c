"""What the subject does, free of HTTP: the web form and the REST API
(``POST /api/v1/requests/``) both call these functions.

``submit_request`` applies the rate limits, joins an exact double to the
open request it repeats (with an audit event and an e-mail), and otherwise records the request through
``workflow.create_request`` and queues the verification e-mail in the same
transaction (``requests_app.emails`` is a transactional outbox).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from dsar.core import together
from dsar.core.crypto import encrypt_bytes
from requests_app import workflow
from requests_app.emails import queue_email, queue_email_later
from requests_app.intake import doubles, ratelimit
from requests_app.intake.forms import sniff_content_type
from requests_app.intake.names import attachment_filename
from requests_app.intake.tokens import make_verification_token
from requests_app.models import Attachment, Message, Status, SubjectRequest

log = logging.getLogger(__name__)

# The identity and free-text fields a submission may set on the request.
_REQUEST_FIELDS = ("phone", "postal_address", "customer_number", "national_number", "details", "type_details")


class RateLimited(Exception):
    """Too many submissions from this IP address or for this e-mail address."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass
class Submission:
    request: SubjectRequest
    # True when the submission repeated an open request of the same type for
    # the same address: no second request was made, the first one is returned.
    duplicate: bool


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def verification_url(request: SubjectRequest) -> str:
    return absolute_url(reverse("intake:verify", kwargs={"token": make_verification_token(request)}))


def status_url(request: SubjectRequest) -> str:
    return absolute_url(reverse("intake:status", kwargs={"token": request.token}))


def rate_checks(*, scope: str, client_ip: str, email: str, ip_rates: list[str], email_rates: list[str]) -> list:
    """The limits of one submission: per address of the visitor, per e-mail address."""
    return [
        (f"{scope}-ip", client_ip or "unknown", ip_rates),
        (f"{scope}-email", email.strip().lower(), email_rates),
    ]


def intake_checks(*, client_ip: str, email: str) -> list:
    return rate_checks(
        scope="intake",
        client_ip=client_ip,
        email=email,
        ip_rates=settings.DSAR_INTAKE_RATES_PER_IP,
        email_rates=settings.DSAR_INTAKE_RATES_PER_EMAIL,
    )


def count_ahead(*, client_ip: str, submitter: str | None, guard: list | None = None, what: str = "Intake limits"):
    """Count a submission's intake limits before its form is validated, in
    one round trip to the cache with ``guard`` (the API's flood guard,
    counted now) and the versions of the form's register and of the webhook
    subscriptions: one round trip for all of a submission (issue 17).

    Returns the guard's wait in seconds (0: not refused), the ``Counted``
    limits to hand to ``submit_request`` (``read``: the webhooks' version),
    which the caller gives back when the submission is refused before it
    counts (invalid, a bot: an invalid submission uses up no limit), and the
    register's version for ``register_cache.snapshot``. ``submitter``: the
    address sent (the representative's when one asks), None when the input
    does not tell (``submit_request`` then counts the limits itself)."""
    from requests_app.api import subscribers
    from requests_app.intake import register_cache

    ahead = [] if submitter is None else intake_checks(client_ip=client_ip, email=submitter)
    wait, counted, (register_version, webhooks_version) = ratelimit.count_ahead(
        guard or [],
        ahead,
        [(register_cache.VERSION_KEY, 0), (subscribers.VERSION_KEY, 0)],
        what=what,
    )
    return wait, (dataclasses.replace(counted, read=webhooks_version) if ahead else None), register_version


def check_rate_limits(
    *, scope: str, client_ip: str, email: str, ip_rates: list[str], email_rates: list[str], read: str = ""
):
    """Raise ``RateLimited`` past a limit; return the cache's value of ``read``
    (None when the cache is unavailable), read in the same round trip."""
    checks = rate_checks(scope=scope, client_ip=client_ip, email=email, ip_rates=ip_rates, email_rates=email_rates)
    return _limited(checks, scope=scope, read=read)


def _limited(checks: list, *, scope: str, read: str = ""):
    if read:
        retry_after, value = ratelimit.hit_and_read(checks, read, 0)
    else:
        retry_after, value = ratelimit.hit_all(checks), None
    _refuse_after(scope, retry_after)
    return value


def _refuse_after(scope: str, retry_after: int) -> None:
    if retry_after:
        log.info("Rate limit reached for %s (retry after %s s).", scope, retry_after)
        raise RateLimited(retry_after)


def _intake_limits(client_ip: str, submitter: str, counted: ratelimit.Counted | None, read: str):
    """``check_rate_limits`` for the intake, or the outcome counted ahead
    (``counted``, with the value of ``read`` it read) when it was counted for
    this very visitor and address."""
    checks = intake_checks(client_ip=client_ip, email=submitter)
    if counted is not None:
        if counted.values == tuple(value for _scope, value, _rates in checks):
            _refuse_after("intake", counted.retry_after)
            return counted.read
        counted.give_back()  # counted for another address: counted again below
    return _limited(checks, scope="intake", read=read)


@contextmanager
def _submission(email: str, request_type: str, *, draw_year: int | None = None):
    """The transaction of a submission, serialised with every other submission
    of one address and right across processes. Yields the new request's
    reference and id when ``draw_year`` asks for them, else None.

    A double click sends two identical POSTs at once; without this, both could
    look for an open request before either has created one, and make two.
    On PostgreSQL a transaction-level advisory lock does it: taken in one
    query inside the transaction, released by its commit or rollback, even
    when the process dies; the other submission then sees the first one's
    request. Elsewhere a lock in the cache, shared by every web and API
    process, held until after the commit.

    ``draw_year``: for a submission that makes a request whatever it finds
    (the API's, which joins no repeat), the reference and id of that year
    are drawn in the lock's own query: one round trip less (issue 17). A
    submission that may turn out to repeat an open request draws them with
    the query that looks for it, and only when it finds none
    (``doubles.open_requests_of_same_right``), so that a joined repeat
    leaves no gap in the numbers.
    """
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{email.lower()}:{request_type}".encode()).digest()
    if connection.vendor == "postgresql":
        # The new rows (request, first event, e-mail) are written in one
        # statement at the end, before the commit (dsar.core.together).
        with transaction.atomic(), together.written_together():
            # Two keys: this lock's class, and 32 bits of the digest (two
            # addresses sharing them only wait for each other, briefly).
            lock = [_SUBMISSION_LOCK_CLASS, int.from_bytes(digest[:4], "big", signed=True)]
            columns, params = workflow.reference_columns(draw_year) if draw_year else ("", [])
            with together.prepared_cursor(connection) as cursor:  # the same on every submission
                cursor.execute(
                    f"SELECT pg_advisory_xact_lock(%s, %s){', ' + columns if columns else ''}", lock + params
                )
                row = cursor.fetchone()
            yield workflow.reference_drawn(draw_year, row[1], row[2]) if draw_year else None
        return
    with _cache_lock(f"intake:submitting:{digest.hex()[:32]}"), transaction.atomic():
        yield None


# The first key of the submission's advisory lock: "DSAR" in ASCII, so that
# another use of advisory locks in the same database picks another.
_SUBMISSION_LOCK_CLASS = 0x44534152


@contextmanager
def _cache_lock(key: str, *, wait: float = 5.0):
    deadline = time.monotonic() + wait
    try:
        acquired = cache.add(key, 1, timeout=30)
        while not acquired and time.monotonic() < deadline:
            time.sleep(0.05)
            acquired = cache.add(key, 1, timeout=30)
    except Exception as exc:
        # The cache is down: receive the request anyway (a rare double click
        # then makes two requests, which the DPO merges; losing the request
        # would be worse). Logged, like the rate limiter's fail-open.
        log.warning("Submission lock not taken: the cache is unavailable (%s).", type(exc).__name__)
        acquired = False
    try:
        yield
    finally:
        if acquired:
            try:
                cache.delete(key)
            except Exception:
                log.warning("Submission lock not released: the cache is unavailable; it expires in 30 s.")


def submit_request(
    cleaned_data: dict,
    *,
    channel: str,
    client_ip: str,
    merge_repeats: bool = True,
    representation: dict | None = None,
    counted: ratelimit.Counted | None = None,
) -> Submission:
    """Record a subject's request (web form or API) and e-mail the confirmation link.

    Raises ``RateLimited``. The caller's response must look the same whether
    or not the submission was a duplicate, so that it never tells a stranger
    that a request (or any data) exists for an address. The API cannot hide a
    repeat (its answer carries a new reference), so it passes
    ``merge_repeats=False``: a repeat is recorded as a new unconfirmed request,
    and the DPO sees the subject's other requests on the request page.

    ``counted``: the intake's limits counted ahead, in the round trip of the
    API's flood guard (``ratelimit.count_ahead``).

    ``representation`` (``RepresentativeForm``): a representative asks for the
    subject. The limits and the confirmation link are then the representative's
    (the subject's own address may be unknown, a child's for one), and a repeat
    is never joined: another person's mandate is checked on its own.
    """
    email = (cleaned_data.get("email") or "").strip()
    submitter = (representation or {}).get("email") or email
    if representation is not None:
        merge_repeats = False
    # The webhook subscriptions' version in the same round trip: the new
    # request's first event writes its deliveries in the submission's transaction.
    from requests_app.api import subscribers

    webhooks_version = _intake_limits(client_ip, submitter, counted, subscribers.VERSION_KEY)
    received_at = timezone.now()
    year = timezone.localtime(received_at).year
    request_type = cleaned_data["request_type"]
    with (
        subscribers.version_known(webhooks_version),
        _submission(submitter, request_type, draw_year=None if merge_repeats else year) as numbers,
    ):
        if merge_repeats:
            found = doubles.open_requests_of_same_right(email=email, request_type=request_type, draw_year=year)
            existing = doubles.repeated_among(
                found.requests,
                type_details=cleaned_data.get("type_details") or {},
                details=cleaned_data.get("details") or "",
            )
            if existing is not None:
                existing = SubjectRequest.objects.get(pk=existing.pk)  # the whole row, for the e-mail
                join_double(existing, language=cleaned_data.get("language") or existing.language)
                return Submission(request=existing, duplicate=True)
            numbers = found.numbers
            related_to = {"related_to_id": found.requests[0].pk} if found.requests else {}
        else:
            # Whatever it finds, a request is made: the newest open one is
            # found by the new request's own INSERT (one query less, issue 17).
            related_to = {"related_to_id": doubles.newest_open_of_same_right(email=email, request_type=request_type)}
        request = workflow.create_request(
            request_type=request_type,
            full_name=cleaned_data["full_name"].strip(),
            email=email,
            language=cleaned_data["language"],
            channel=channel,
            received_at=received_at,
            numbers=numbers,
            **related_to,
            **{name: cleaned_data[name] for name in _REQUEST_FIELDS if cleaned_data.get(name) is not None},
        )
        if representation is not None:
            from requests_app.representation.services import attach_representative

            attach_representative(request, data=representation)
        else:
            from requests_app.representation.selectors import known_without_representative

            # Made just now without one: the e-mail's routing need not ask the database.
            known_without_representative(request)
        send_verification(request)
        together.write_now()  # the new rows, and the link as the database found it
        if request.related_to_id is not None:
            # Both pages show the other; the audit trail of the first says a new one came.
            workflow.log_event(
                SubjectRequest(pk=request.related_to_id),
                actor=workflow.SYSTEM,
                kind="request.related",
                details={"request": request.pk},
            )
    return Submission(request=request, duplicate=False)


def join_double(existing: SubjectRequest, *, language: str) -> None:
    """An exact double of an open request is joined to it: recorded on its
    audit trail, and the subject is told (at the address on file, never on the
    page: whoever typed the address learns nothing they could not read in that
    mailbox) that it was joined to that reference, with fresh links."""
    workflow.log_event(existing, actor=workflow.SYSTEM, kind="request.double_joined", details={}, public=True)
    language = language if language in dict(settings.LANGUAGES) else existing.language
    queue_email(
        "intake_joined",
        to=existing.email,
        language=language,
        request=existing,
        context={
            "request": existing,
            "unverified": existing.status == Status.UNVERIFIED,
            "url": verification_url(existing) if existing.status == Status.UNVERIFIED else status_url(existing),
            "valid_days": settings.DSAR_VERIFICATION_DAYS,
        },
    )


def send_verification(request: SubjectRequest) -> None:
    # Rendered by the e-mail worker (verification_context), not inside the
    # subject's submission; routed like every e-mail of the request (a
    # representative confirms the request they made: the link goes to them).
    queue_email_later("intake_verify", to=request.email, language=request.language, request=request)


def verification_context(request: SubjectRequest) -> dict:
    from requests_app.representation.selectors import representation_of

    return {
        "request": request,
        "representation": representation_of(request),
        "verify_url": verification_url(request),
        "valid_days": settings.DSAR_VERIFICATION_DAYS,
    }


def send_links(*, email: str, language: str) -> int:
    """E-mail fresh links to every request of this address that a link can still serve.

    Sends nothing when there is none, and the caller says the same thing
    either way. Returns the number of requests linked.
    """
    cutoff = timezone.now() - dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS)
    requests = list(
        SubjectRequest.objects.filter(email__iexact=email.strip(), purged_at__isnull=True)
        .exclude(status=Status.EXPIRED)
        .exclude(status=Status.UNVERIFIED, received_at__lt=cutoff)
        .order_by("-received_at")[:10]
    )
    if not requests:
        return 0
    items = [
        {
            "request": request,
            "unverified": request.status == Status.UNVERIFIED,
            "url": verification_url(request) if request.status == Status.UNVERIFIED else status_url(request),
        }
        for request in requests
    ]
    queue_email(
        "intake_links",
        to=requests[0].email,
        language=language if language in dict(settings.LANGUAGES) else requests[0].language,
        context={"items": items, "valid_days": settings.DSAR_VERIFICATION_DAYS},
    )
    return len(requests)


def request_new_links(*, email: str, language: str, client_ip: str) -> None:
    """The "send me a fresh link" form. Raises ``RateLimited``."""
    check_rate_limits(
        scope="new-link",
        client_ip=client_ip,
        email=email,
        ip_rates=settings.DSAR_NEW_LINK_RATES,
        email_rates=settings.DSAR_NEW_LINK_RATES,
    )
    send_links(email=email, language=language)


def reply(request: SubjectRequest, *, body: str, files: list) -> Message:
    """The subject's answer, with attachments stored encrypted (dsar.core.crypto)."""
    with transaction.atomic():
        message = workflow.subject_reply(request, body=body)
        for upload in files:
            data = upload.read()
            # The type the form read from the file's first bytes; read here
            # again for a caller that did not go through the form.
            content_type = (
                getattr(upload, "checked_content_type", "")
                or sniff_content_type(data[:2048])
                or "application/octet-stream"
            )
            attachment = Attachment(
                message=message,
                # The extension of what the file is, not of what its sender called it.
                original_name=attachment_filename(upload.name, content_type),
                content_type=content_type,
                size=len(data),
            )
            attachment.file.save("upload.bin", ContentFile(encrypt_bytes(data)), save=False)
            attachment.save()
    return message


def expire_unverified(*, now: dt.datetime | None = None) -> int:
    """Expire requests whose address was not confirmed in time, and purge their
    personal data; accountability keeps the reference, type and dates."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS)
    count = 0
    for request in SubjectRequest.objects.filter(status=Status.UNVERIFIED, received_at__lt=cutoff):
        try:
            workflow.expire(request)
            count += 1
        except workflow.WorkflowError:
            continue  # confirmed or cancelled in the meantime
    # Never confirmed, so never more than a claim: nothing of it is worth keeping
    # (also catches requests expired by an earlier run that stopped half-way).
    leftovers = SubjectRequest.objects.filter(
        status__in=(Status.EXPIRED, Status.CANCELLED), verified_at__isnull=True, purged_at__isnull=True
    ).not_held()
    for request in leftovers:
        workflow.purge_personal_data(request, reason="unverified")
    return count
