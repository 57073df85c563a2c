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

from requests_app.models import Status, SubjectRequest

SALT = "requests_app.intake.verify"


class LinkProblem(enum.Enum):
    INVALID = "invalid"  # tampered, truncated or unknown
    EXPIRED = "expired"  # older than DSAR_VERIFICATION_DAYS, or the request expired
    USED = "used"  # the address was already confirmed (or the request ended)


class BadLink(Exception):
    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


def max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS)


def make_verification_token(request: SubjectRequest) -> str:
    return signing.dumps([request.reference, request.status], salt=SALT)


def read_verification_token(token: str) -> SubjectRequest:
    """The unverified request this link confirms, or ``BadLink`` saying why not."""
    try:
        reference, status = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise BadLink(LinkProblem.EXPIRED) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadLink(LinkProblem.INVALID) from exc
    request = SubjectRequest.objects.filter(reference=reference, purged_at__isnull=True).first()
    if request is None:
        raise BadLink(LinkProblem.INVALID)
    if request.status == Status.EXPIRED:
        raise BadLink(LinkProblem.EXPIRED)
    if request.status != status or status != Status.UNVERIFIED:
        raise BadLink(LinkProblem.USED)
    return request
