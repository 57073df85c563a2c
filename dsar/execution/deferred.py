"""Erasures deferred by a legal hold: the records an erasure kept until a date
(``PlanItem.keep_until``), erased when that date has passed.

When an erasure plan has been carried out, each record it kept under a hold
with an end date becomes a ``DeferredErasure``: the source, the table, the
record's key, the date and the table's own erasure (delete, or mask its
configured fields). A daily task (``tasks.execute_deferred_erasures``) applies
the due ones by key, children before parents as the executors do. The ticket
hears of it through ``dsar.signals.deferred_erasure_done``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from functools import partial

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from dsar import signals
from dsar.connectors.base import ConnectorError
from dsar.execution import sqlsource
from dsar.execution.config import table_writes
from dsar.execution.executors import apply_to_table
from dsar.execution.models import Action, DeferredErasure, Plan, PlanItem
from dsar.models import Connector, Operation

log = logging.getLogger(__name__)

OPEN_STATUSES = (DeferredErasure.Status.PENDING, DeferredErasure.Status.FAILED, DeferredErasure.Status.MANUAL)


def defer_held_items(plan: Plan) -> int:
    """Record every record this erasure kept until a date. Idempotent: a plan
    that finishes again (partial, then done after a retry) adds nothing."""
    if plan.job.operation != Operation.ERASE:
        return 0
    items = (
        plan.items.filter(action=Action.KEEP, keep_until__isnull=False)
        .exclude(status=PlanItem.Status.SKIPPED)
        .select_related("run__connector")
    )
    specs: dict[int, dict] = {}
    deferred = []
    for item in items:
        assert item.keep_until is not None  # the query above selects items with a date only
        connector = item.run.connector
        if connector.pk not in specs:
            try:
                specs[connector.pk] = {spec.name: spec for spec in table_writes(connector.config)}
            except ConnectorError:
                specs[connector.pk] = {}
        spec = specs[connector.pk].get(item.entity)
        # The table's normal erasure, as the plan would have done without the hold.
        if spec is not None and spec.erasure_action == "mask" and spec.mask_fields:
            action, fields = Action.MASK, dict(spec.mask_fields)
        else:
            action, fields = Action.DELETE, {}
        deferred.append(
            DeferredErasure(
                connector=connector,
                entity=item.entity,
                record_key=item.record_key,
                due_on=item.keep_until,
                action=action,
                fields=fields,
                external_ref=plan.job.external_ref,
            )
        )
    DeferredErasure.objects.bulk_create(deferred, ignore_conflicts=True)
    return len(deferred)


def pending_summary() -> dict:
    """What is still to erase, for the DPO: how many, and the next date."""
    open_items = DeferredErasure.objects.filter(status__in=OPEN_STATUSES)
    figures = open_items.aggregate(next_due=Min("due_on"))
    return {
        "count": open_items.count(),
        "next_due": figures["next_due"],
        "attention": open_items.filter(
            status__in=[DeferredErasure.Status.FAILED, DeferredErasure.Status.MANUAL]
        ).count(),
    }


def execute_due(today: dt.date | None = None) -> dict:
    """Erase every deferred record whose hold has ended (and retry yesterday's
    failures). Running it twice changes nothing more: a row already gone counts
    as done. Returns counts per status."""
    today = today or timezone.localdate()
    due = list(
        DeferredErasure.objects.filter(
            status__in=[DeferredErasure.Status.PENDING, DeferredErasure.Status.FAILED], due_on__lte=today
        ).select_related("connector")
    )
    by_connector: dict[int, list[DeferredErasure]] = defaultdict(list)
    for item in due:
        by_connector[item.connector_id].append(item)
    for items in by_connector.values():
        connector = items[0].connector
        if connector.kind != Connector.Kind.SQL or Operation.ERASE not in (connector.operations or []):
            # Only SQL sources are erased by key; elsewhere the key means nothing
            # to the engine, so a person erases it and says so.
            _mark(
                items,
                DeferredErasure.Status.MANUAL,
                error=f"{connector.name} cannot be erased automatically: erase the record by hand.",
            )
        elif not connector.enabled:
            _mark(
                items, DeferredErasure.Status.FAILED, error=f"{connector.name} is disabled; tried again the next day."
            )
        else:
            _execute_sql(connector, items)
    announce([item for item in due if item.status == DeferredErasure.Status.DONE])
    return dict(Counter(item.status for item in due))


def _execute_sql(connector: Connector, items: list[DeferredErasure]) -> None:
    try:
        tables = table_writes(connector.config)
    except ConnectorError as exc:
        _mark(items, DeferredErasure.Status.FAILED, error=str(exc))
        return
    order = {spec.name: index for index, spec in enumerate(tables)}
    keys = {spec.name: spec.key for spec in tables}
    parents = {spec.name: (spec.parent or {}).get("table") for spec in tables}
    by_table: dict[str, list[DeferredErasure]] = defaultdict(list)
    for item in items:
        by_table[item.entity].append(item)
    schema = connector.config.get("schema")
    engine = sqlsource.engine_for(connector.config)
    blocked: dict[str, str] = {}  # parent table -> the child table that failed
    # Children before parents, so that foreign keys never block a delete.
    for name in sorted(by_table, key=lambda n: -order.get(n, -1)):
        table_items = by_table[name]
        if name not in keys:
            _mark(table_items, DeferredErasure.Status.FAILED, error=f"The table {name} is no longer configured.")
            continue
        if name in blocked:
            _mark(
                table_items,
                DeferredErasure.Status.FAILED,
                error=f"Waits for the rows of {blocked[name]}, which could not be erased; tried again the next day.",
            )
            _block_parents(name, parents, blocked, name)
            continue
        try:
            changed = apply_to_table(engine, schema, name, keys[name], table_items)
        except Exception as exc:
            error = sqlsource.wrap_error(exc, f"{connector.name}, table {name}")
            # A row still referred to (a child held longer) refuses the delete:
            # it waits, and the next day's run tries again.
            _mark(table_items, DeferredErasure.Status.FAILED, error=f"{error} Tried again the next day.")
            _block_parents(name, parents, blocked, name)
            continue
        for item in table_items:
            item.changed = changed[item.pk]
        _mark(table_items, DeferredErasure.Status.DONE)


def _block_parents(name: str, parents: dict, blocked: dict, cause: str) -> None:
    parent = parents.get(name)
    while parent and parent not in blocked:
        blocked[parent] = cause
        parent = parents.get(parent)


def _mark(items: list[DeferredErasure], status: str, *, error: str = "") -> None:
    now = timezone.now()
    for item in items:
        item.status, item.error = status, error[:2000]
        item.attempts += 1
        if status == DeferredErasure.Status.DONE:
            item.done_at = now
    DeferredErasure.objects.bulk_update(items, ["status", "error", "attempts", "changed", "done_at"], batch_size=500)


def announce(done: list[DeferredErasure]) -> None:
    """One signal per request: its reference, how many records were erased,
    rows changed, and how many of its deferred erasures remain."""
    by_ref: dict[str, list[DeferredErasure]] = defaultdict(list)
    for item in done:
        by_ref[item.external_ref].append(item)
    for ref, items in by_ref.items():
        remaining = DeferredErasure.objects.filter(external_ref=ref, status__in=OPEN_STATUSES).count()
        counts = {
            "records": len(items),
            "rows_changed": sum(item.changed for item in items),
            "remaining": remaining,
        }
        transaction.on_commit(
            partial(signals.deferred_erasure_done.send, DeferredErasure, external_ref=ref, counts=counts)
        )
