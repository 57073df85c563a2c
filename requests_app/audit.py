"""Verification of the audit trail's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from requests_app.models import RequestEvent, SubjectRequest


@dataclass
class ChainBreak:
    reference: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"{self.reference} event #{self.seq}: {self.problem}"


def verify_request_chain(request: SubjectRequest) -> ChainBreak | None:
    """The first broken link of one request's chain, or None when it is intact."""
    previous_hash = ""
    expected_seq = 1
    for event in RequestEvent.objects.filter(request=request).order_by("seq").iterator():
        if event.seq != expected_seq:
            return ChainBreak(request.reference, expected_seq, "missing (deleted?)")
        if event.prev_hash != previous_hash:
            return ChainBreak(request.reference, event.seq, "does not link to the previous event")
        if event.compute_hash() != event.hash:
            return ChainBreak(request.reference, event.seq, "content changed after it was written")
        previous_hash = event.hash
        expected_seq += 1
    if expected_seq - 1 != request.event_count or previous_hash != request.event_head:
        return ChainBreak(request.reference, expected_seq, "missing at the end of the trail (deleted?)")
    return None


def verify_all(queryset=None):
    """Yield every broken chain, request by request."""
    for request in (queryset or SubjectRequest.objects.all()).order_by("pk").iterator():
        broken = verify_request_chain(request)
        if broken:
            yield broken
