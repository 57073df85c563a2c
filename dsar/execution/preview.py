"""A dry run for one subject (issue 12, point 5): what each source holds of
them and what an erasure would do to it, with no request created and nothing
changed. ``dsar_config preview`` prints it; the source's page in the workspace
shows it (requests_app.register).

The erasure is planned exactly as a real one (``planning.compute_plan``) in a
transaction that is rolled back: the holds, the masks of referenced parents
and the failures are the ones a DPO would see. Nothing is executed, and no
message leaves (on-commit callbacks are dropped with the rollback). Samples are
masked: a preview is for the engineer checking a configuration, not a copy.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter

from django.db import transaction

from dsar.execution import planning, sqlsource
from dsar.execution.config import table_writes
from dsar.execution.models import Action, Plan, PlanItem
from dsar.execution.scope import identity_of
from dsar.models import Connector, Job, Operation, SourceRun

SAMPLE_ROWS = 2


def mask(value) -> str:
    """A value shown as its first character and its length: enough to recognise, not to read.
    A value of one or two characters (a gender code, a flag) would be read whole from its first
    character: it shows as stars only."""
    if value is None or value == "":
        return ""
    text = str(value)
    if len(text) <= 2:
        return "*" * len(text)
    return text[0] + "*" * min(len(text) - 1, 8)


def preview(identity: dict, *, source: str | None = None) -> dict:
    """{"sources": {code: {"name", "status", "error", "tables": {table: {"found", "sample",
    "erasure": {action: count}, "kept_until": [[date, reason], ...]}}}}}."""
    result: dict = {"identity": sorted(k for k, v in identity.items() if v), "sources": {}}
    with transaction.atomic():
        job = Job.objects.create(
            external_ref=f"preview-{uuid.uuid4().hex[:12]}",
            operation=Operation.ERASE,
            identity=json.dumps(identity),
            options={"request_type": "erasure", "scope": "all"},
        )
        plan = Plan.objects.create(job=job)
        planning.compute_plan(plan)
        runs = SourceRun.objects.filter(job=job).select_related("connector").order_by("connector__code")
        for run in runs:
            if source and run.connector.code != source:
                continue
            result["sources"][run.connector.code] = _source(run, job)
        transaction.set_rollback(True)
    if source and source not in result["sources"]:
        connector = Connector.objects.filter(code=source).first()
        result["sources"][source] = {
            "name": connector.name if connector else source,
            "status": "not_searched",
            "error": "This source is switched off." if connector else "No source with this code.",
            "tables": {},
        }
    return result


def _source(run: SourceRun, job: Job) -> dict:
    tables: dict[str, dict] = {}
    entry = {"name": run.connector.name, "status": run.status, "error": run.error, "tables": tables}
    if run.connector.kind == Connector.Kind.SQL and run.status != SourceRun.Status.FAILED:
        try:
            specs = table_writes(run.connector.config)
            with sqlsource.engine_for(run.connector.config).connect() as connection:
                found = sqlsource.find_rows(connection, specs, identity_of(job), run.connector.config.get("schema"))
        except Exception as exc:  # noqa: BLE001 - any failure is shown as the source's error, as planning does
            entry["status"], entry["error"] = (
                SourceRun.Status.FAILED,
                str(sqlsource.wrap_error(exc, run.connector.name)),
            )
            found = {}
        for name, rows in found.items():
            tables[name] = {
                "found": len(rows),
                "sample": [{column: mask(value) for column, value in row.items()} for row in rows[:SAMPLE_ROWS]],
                "erasure": {},
                "kept_until": [],
            }
    actions: dict[str, Counter] = {}
    kept: dict[str, set] = {}
    for item in PlanItem.objects.filter(run=run).select_related("activity"):
        actions.setdefault(item.entity, Counter())[item.action] += 1
        if item.action == Action.KEEP:
            kept.setdefault(item.entity, set()).add(
                (
                    item.keep_until.isoformat() if item.keep_until else "",
                    item.activity.code if item.activity else item.reason,
                )
            )
    for name, counts in actions.items():
        table = tables.setdefault(name, {"found": None, "sample": [], "erasure": {}, "kept_until": []})
        table["erasure"] = dict(sorted(counts.items()))
        table["kept_until"] = sorted([list(pair) for pair in kept.get(name, set())])
    return entry


def counts(result: dict) -> dict:
    """The ``--json`` form: counts per table by table name, per source."""
    return {
        code: {
            "status": source["status"],
            "tables": {
                name: {"found": table["found"], "erasure": table["erasure"]} for name, table in source["tables"].items()
            },
        }
        for code, source in result["sources"].items()
    }
