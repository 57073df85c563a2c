"""The signed, single-use, expiring link that confirms a subject's e-mail address.

The signed value holds the request's reference and its status at signing
time. Confirming changes the status, so a used link no longer matches the
request: it cannot confirm twice. It carries no status-page token, so a copy
of the verification link left in a mail scanner's log opens nothing later.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.conf import settings
from django.core import signing
from django.utils import timezone

from requests_app.models import Status, SubjectRequest

SALT = "requests_app.intake.verify"


class LinkProblem(enum.Enum):
    INVALID = "invalid"  # tampered, truncated or unknown
    EXPIRED = "expired"  # older than DSAR_VERIFICATION_DAYS, or the request expired
    USED = "used"  # the address was already confirmed (or the request ended)


class BadLink(Exception):
    def __init__(self, problem: LinkProblem, request: SubjectRequest | None = None):
        super().__init__(problem.value)
        self.problem = problem
        # The request a genuine but spent link belongs to: its page is worded
        # in that request's language (Art. 12(1)); None for a forged link.
        self.request = request


def max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS)


def make_verification_token(request: SubjectRequest) -> str:
    return signing.dumps([request.reference, request.status], salt=SALT)


def read_verification_token(token: str) -> SubjectRequest:
    """The unverified request this link confirms, or ``BadLink`` saying why not."""
    try:
        reference, status = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise BadLink(LinkProblem.EXPIRED, _signed_request(token)) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadLink(LinkProblem.INVALID) from exc
    request = SubjectRequest.objects.filter(reference=reference, purged_at__isnull=True).first()
    if request is None:
        raise BadLink(LinkProblem.INVALID)
    if request.status == Status.EXPIRED or (
        request.status == Status.UNVERIFIED and request.received_at < timezone.now() - max_age()
    ):
        # Past the confirmation period the request is due for expiry, even if
        # the hourly task has not run yet, and a fresh link cannot revive it.
        raise BadLink(LinkProblem.EXPIRED, request)
    if request.status != status or status != Status.UNVERIFIED:
        raise BadLink(LinkProblem.USED, request)
    return request


def _signed_request(token: str) -> SubjectRequest | None:
    """The request an expired but genuine link names (the signature still holds)."""
    try:
        reference, _status = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return SubjectRequest.objects.filter(reference=reference, purged_at__isnull=True).first()
