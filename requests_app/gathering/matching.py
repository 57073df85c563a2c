"""Which of the subject's identifiers were verified, and what was found by the others.

Only the e-mail address is verified (by the link the subject follows), yet
the sources match on any identifier the requester typed: a customer number,
a phone number, a national number. Whoever confirms their own mailbox and
types another person's customer number would otherwise receive that person's
records, or erase them (Art. 12(6), Art. 5(1)(f)). The engine says what each
record was matched on; here a record matched only on unverified identifiers
is held back until the DPO has checked it is the subject's: left out of the
copy, or left out of the plan, each with the reason, and put back by the DPO
through the usual (audited) means.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dsar.execution import service
from dsar.execution.models import Action, Plan, PlanItem
from dsar.models import IdentityField, Job, SourceRecord
from requests_app import workflow
from requests_app.models import SubjectRequest, VerificationMethod

# Stored on the record or the item (English, like the plan's other notes); the
# pages show the same in the reader's language from ``matched_on``.
# Records read at a time when a job has more than this many.
CHUNK = 2000
HELD_PREFIX = "Found only by "
HELD_NOTE = HELD_PREFIX + "%(kinds)s, not by a verified identifier: check it is the subject's before putting it back."


def verified_identifiers(request: SubjectRequest) -> set[str]:
    """The identity fields known to be the subject's: the e-mail address once
    they confirmed it; every identifier of a request whose identity staff
    checked when logging it."""
    if request.verification_method == VerificationMethod.STAFF:
        return set(IdentityField.values)
    if request.verification_method == VerificationMethod.EMAIL_LINK and request.email:
        return {IdentityField.EMAIL.value}
    return set()


def unconfirmed(matched_on: list[str], verified: set[str]) -> bool:
    """Found only by identifiers nobody verified. Empty ``matched_on`` is not
    known (a person's findings): the person who searched chose them."""
    return bool(matched_on) and not set(matched_on) & verified


def kinds_label(matched_on: list[str], *, translated: bool = True) -> str:
    """'customer number, phone' in the reader's language (or in English, for stored notes)."""
    labels = dict(IdentityField.choices)
    words = []
    for kind in matched_on:
        if kind in labels:
            words.append(str(labels[kind]) if translated else kind.replace("_", " "))
        else:
            words.append(_("an identifier that could not be compared") if translated else "an unclear identifier")
    return ", ".join(words)


def held_reason(matched_on: list[str]) -> str:
    """What the pages show beside a held record or step."""
    return _(
        "Found only by %(kinds)s, not by a verified identifier: check it is the subject's before putting it back."
    ) % {"kinds": kinds_label(matched_on)}


def annotate(objects, verified: set[str]) -> None:
    """Set ``found_by`` (the identifiers, in the reader's language), ``unconfirmed_reason``
    (empty when confirmed) and ``held_by_system`` on records or plan items, for the pages."""
    for obj in objects:
        obj.found_by = kinds_label(obj.matched_on)
        obj.unconfirmed_reason = held_reason(obj.matched_on) if unconfirmed(obj.matched_on, verified) else ""
        note = getattr(obj, "exclusion_note", None) or getattr(obj, "note", "") or ""
        left_out = (getattr(obj, "fields", None) or {}).get("left_out", "") if hasattr(obj, "fields") else ""
        obj.held_by_system = any(str(text).startswith(HELD_PREFIX) for text in (note, left_out))


def unconfirmed_left_out(request: SubjectRequest, job: Job | None) -> int:
    """How many records of the copy are left out because nobody verified what they were found by."""
    if job is None:
        return 0
    verified = verified_identifiers(request)
    matches = SourceRecord.objects.filter(run__job=job, excluded=True).exclude(matched_on=[])
    return sum(1 for matched_on in matches.values_list("matched_on", flat=True) if unconfirmed(matched_on, verified))


def hold_unconfirmed_records(request: SubjectRequest, job: Job, *, found: int | None = None) -> int:
    """Leave out of the copy the gathered records found only by unverified
    identifiers; the DPO puts them back (``delivery.services.set_excluded``) after checking.
    ``found``: the job's record count, when the caller has read it."""
    verified = verified_identifiers(request)
    held = 0
    # A subject may have 100,000 records: read two columns in chunks (a
    # server-side cursor, for a large job only), write once per note.
    by_kinds: dict[tuple[str, ...], list[int]] = {}
    records = SourceRecord.objects.filter(run__job=job, excluded=False).exclude(matched_on=[])
    rows = records.values_list("pk", "matched_on")
    if found is None:
        found = sum(job.runs.values_list("record_count", flat=True))
    large = found > CHUNK
    for pk, matched_on in rows.iterator(chunk_size=CHUNK) if large else rows:
        if unconfirmed(matched_on, verified):
            by_kinds.setdefault(tuple(matched_on), []).append(pk)
    if not by_kinds:
        return 0
    with transaction.atomic():
        for kinds, pks in by_kinds.items():
            note = HELD_NOTE % {"kinds": kinds_label(list(kinds), translated=False)}
            for start in range(0, len(pks), 500):
                held += SourceRecord.objects.filter(pk__in=pks[start : start + 500]).update(
                    excluded=True, exclusion_note=note
                )
        if held:
            workflow.log_event(
                request, actor=workflow.SYSTEM, kind="export.records_unconfirmed", details={"count": held}
            )
    return held


def hold_unconfirmed_items(request: SubjectRequest, plan: Plan) -> int:
    """Leave out of a freshly computed plan the steps on records found only by
    unverified identifiers: nothing is erased, corrected or restricted there
    until the DPO puts the step back (``execution.services.change_item``, "include").
    Art. 21(3) does not oblige us to act on another person's records, so a
    mandatory step is held too."""
    if plan.status != Plan.Status.READY:
        return 0
    verified = verified_identifiers(request)
    held = 0
    with transaction.atomic():
        # A record kept anyway (legal hold) is not touched: nothing to hold back.
        items = plan.items.filter(status=PlanItem.Status.PLANNED).exclude(matched_on=[]).exclude(action=Action.KEEP)
        for item in items:
            if not unconfirmed(item.matched_on, verified):
                continue
            note = HELD_NOTE % {"kinds": kinds_label(item.matched_on, translated=False)}
            # The engine writes the step's status (only if it is still planned, in a plan still to approve).
            if service.hold_back_item(item, note=note):
                held += 1
        if held:
            workflow.log_event(
                request,
                actor=workflow.SYSTEM,
                kind="plan.items_unconfirmed",
                details={"plan": plan.pk, "count": held},
            )
    return held
