"""Verification of the audit trail's hash chain, and its one sanctioned cut.

When a request's record retention period ends (``requests_app.retention``),
its events go. The chain must still verify, and a deletion by anyone else must
still be detected, so the cut works like a checkpoint: an event of kind
``CHECKPOINT_KIND`` is appended first, in the ordinary way (its ``prev_hash``
is the head of the removed events, and its details say how many there were
and repeat that head), then every event before it is deleted. The checkpoint
is HMAC-signed like any event, so only the holder of ``DSAR_AUDIT_KEY`` can
write one: a chain may begin with a checkpoint instead of event #1, and with
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from requests_app.models import RequestEvent, SubjectRequest

CHECKPOINT_KIND = "request.records_deleted"


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
        if expected_seq == 1 and event.seq > 1 and _is_checkpoint_for(event):
            # What came before was cut at a checkpoint; its hash is checked below.
            previous_hash, expected_seq = event.prev_hash, event.seq
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


def _is_checkpoint_for(event: RequestEvent) -> bool:
    details = event.details if isinstance(event.details, dict) else {}
    return (
        event.kind == CHECKPOINT_KIND
        and details.get("removed_events") == event.seq - 1
        and details.get("removed_head") == event.prev_hash
    )


def delete_events_before(checkpoint: RequestEvent) -> int:
    """Delete the events a checkpoint replaces: the only deletion of events there is.

    The ORM refuses deletes on events (``EventQuerySet.delete``); this goes
    around it on purpose, and only behind a checkpoint of the same request.
    """
    if checkpoint.kind != CHECKPOINT_KIND or not _is_checkpoint_for(checkpoint):
        raise PermissionError("Audit events are only deleted behind a checkpoint that records them.")
    global _cuts
    before = RequestEvent.objects.filter(request_id=checkpoint.request_id, seq__lt=checkpoint.seq)
    _cuts += 1
    deleted, _ = models.QuerySet.delete(before)
    return deleted


# How many cuts this process has made: the effects of an event recorded
# before one re-read it, and skip it if it was cut (requests_app.workflow.events).
_cuts = 0


def cuts_made() -> int:
    return _cuts


def verify_all(queryset=None):
    """Yield every broken chain, request by request."""
    for request in (queryset or SubjectRequest.objects.all()).order_by("pk").iterator():
        broken = verify_request_chain(request)
        if broken:
            yield broken
