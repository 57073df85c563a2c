"""Reads of the register's pages: the processing register (Art. 30) in the
reader's language, each source with its health, the register's own events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from dsar.connectors.base import ConnectorError, translate
from dsar.execution.config import erasure_outcomes, table_writes
from dsar.models import Connector, DataCategory, Operation, ProcessingActivity, Recipient, SourceRun
from requests_app.register.models import RegisterEvent

# How far back a source's health looks: long enough to see a pattern, short
# enough that a failure fixed last quarter no longer counts against it.
HEALTH_DAYS = 30


def activities():
    return ProcessingActivity.objects.prefetch_related("categories", "recipients", "connectors").order_by(
        "-active", "code"
    )


def categories():
    return DataCategory.objects.prefetch_related("activities", "connectors").order_by("-active", "code")


def recipients():
    return Recipient.objects.prefetch_related("activities", "categories").order_by("name")


@dataclass
class TableHold:
    """A table of a source whose records a legal hold keeps from erasure (Art. 17(3)(b))."""

    source: Connector
    table: str
    activity: ProcessingActivity | None
    date_column: str
    counted_from: str


@dataclass
class LegalHold:
    """An activity that keeps data for a period by law, and the tables it keeps."""

    activity: ProcessingActivity
    tables: list[TableHold] = field(default_factory=list)


def legal_holds() -> list[LegalHold]:
    """Every activity kept by law for a period, with the source tables its hold names."""
    holds = {
        a.code: LegalHold(activity=a)
        for a in ProcessingActivity.objects.filter(legal_hold_years__isnull=False).order_by("code")
    }
    for connector in Connector.objects.order_by("name"):
        tables = ((connector.config or {}).get("execution") or {}).get("tables") or {}
        if not isinstance(tables, dict):
            continue
        for name, spec in tables.items():
            hold = (spec or {}).get("legal_hold") if isinstance(spec, dict) else None
            if not isinstance(hold, dict):
                continue
            code = str(hold.get("activity") or "")
            entry = holds.get(code)
            table = TableHold(
                source=connector,
                table=name,
                activity=entry.activity if entry else None,
                date_column=str(hold.get("date_column") or ""),
                counted_from=str(hold.get("counted_from") or "date"),
            )
            if entry:
                entry.tables.append(table)
    return list(holds.values())


@dataclass
class Health:
    """A source's recent record, from the runs of gathering and execution alike."""

    runs: int = 0
    failures: int = 0
    average_ms: float | None = None
    last_run: SourceRun | None = None
    last_error: str = ""

    @property
    def average_seconds(self) -> float | None:
        return None if self.average_ms is None else round(self.average_ms / 1000, 1)


def _error_text(run: SourceRun) -> str:
    """The run's error in the reader's language (stored as a message when it can be translated)."""
    summary = run.summary if isinstance(run.summary, dict) else {}
    return translate(summary["error"]) if "error" in summary and run.error else run.error


def health(connectors, *, now: dt.datetime | None = None) -> dict[int, Health]:
    """Per connector id: its runs and failures of the last ``HEALTH_DAYS`` days, the
    average duration of those that finished, and its last run (whenever it was)."""
    since = (now or timezone.now()) - dt.timedelta(days=HEALTH_DAYS)
    ids = [c.pk for c in connectors]
    result = {pk: Health() for pk in ids}
    rows = (
        SourceRun.objects.filter(connector_id__in=ids, started_at__gte=since)
        .values("connector_id")
        .annotate(
            runs=Count("pk"),
            failures=Count("pk", filter=Q(status=SourceRun.Status.FAILED)),
            average_ms=Avg("duration_ms", filter=Q(duration_ms__isnull=False)),
        )
        .order_by()
    )
    for row in rows:
        entry = result[row["connector_id"]]
        entry.runs, entry.failures, entry.average_ms = row["runs"], row["failures"], row["average_ms"]
    last_started = (
        SourceRun.objects.filter(connector_id__in=ids, started_at__isnull=False)
        .values("connector_id")
        .annotate(last=Max("started_at"))
        .order_by()
    )
    for row in last_started:
        run = (
            SourceRun.objects.filter(connector_id=row["connector_id"], started_at=row["last"])
            .select_related("job")
            .first()
        )
        if run is not None:
            result[row["connector_id"]].last_run = run
            result[row["connector_id"]].last_error = _error_text(run) if run.status == SourceRun.Status.FAILED else ""
    return result


def sources():
    return Connector.objects.prefetch_related("categories", "activities").order_by("name")


def source(code: str) -> Connector:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Connector.objects.prefetch_related("categories", "activities"), code=code)


def events(*, source: str | None = None, limit: int = 20):
    queryset = RegisterEvent.objects.all()
    if source is not None:
        queryset = queryset.filter(source=source)
    return list(queryset[:limit])


# ------------------------------------------------------------------------------
# A source's declaration, and its preview, in the reader's words
# ------------------------------------------------------------------------------
@dataclass
class TableRow:
    name: str
    label: str
    category: str
    erasure: str
    hold: str
    read_only: bool


def _erasure_words() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "delete": _("deleted"),
        "mask": _("masked"),
        "keep": _("kept"),
    }


def _erasure_text(outcomes: list[str]) -> str:
    """``["delete", "mask"]`` in words: "deleted, or masked while a record that is kept refers to it"."""
    from django.utils.translation import gettext as _

    words = _erasure_words()
    if len(outcomes) < 2:
        return words.get(outcomes[0], outcomes[0]) if outcomes else ""
    instead = {
        "mask": _("masked while a record that is kept refers to it"),
        "keep": _("kept while a record that is kept refers to it"),
    }
    return _("%(action)s, or %(instead)s") % {
        "action": words.get(outcomes[0], outcomes[0]),
        "instead": instead.get(outcomes[1], outcomes[1]),
    }


def _http_erasure(config: dict) -> str:
    """What an erasure does to an API's resources: its erase call, or a person's task."""
    from django.utils.translation import gettext as _

    from dsar.execution.config import http_call

    if http_call(config, "erase") is None:
        return _("erased by hand (a task for a person)")
    return _("erased through the API's erase call (how many records: not known before a request)")


def tables_of(connector: Connector) -> list[TableRow]:
    """What the source declares, table by table (an SQL source) or resource by
    resource (an HTTP one): its category, what an erasure does, the legal hold."""
    from dsar.models import pick

    config = connector.config or {}
    category_names = {c.code: str(c) for c in DataCategory.objects.all()}
    activity_names = {a.code: str(a) for a in ProcessingActivity.objects.all()}
    rows: list[TableRow] = []
    if connector.kind == Connector.Kind.HTTP:
        erasure = _http_erasure(config) if Operation.ERASE in (connector.operations or []) else ""
        for resource in config.get("resources") or []:
            if isinstance(resource, dict):
                code = str(resource.get("category") or "")
                label = resource.get("label")
                rows.append(
                    TableRow(
                        str(resource.get("name") or ""),
                        pick(label) if isinstance(label, dict) else "",
                        category_names.get(code, code),
                        erasure,
                        "",
                        False,
                    )
                )
        return rows
    # What an erasure does: decided once, as planning decides it (dsar.execution.config).
    try:
        outcomes = erasure_outcomes(table_writes(config))
    except ConnectorError:
        outcomes = {}
    read = config.get("tables") if isinstance(config.get("tables"), dict) else {}
    act = (config.get("execution") or {}).get("tables") or {}
    act = act if isinstance(act, dict) else {}
    for name in [*read, *(n for n in act if n not in read)]:
        spec = {**(read.get(name) or {}), **(act.get(name) or {})}
        erasure = spec.get("erasure") or {}
        action = erasure if isinstance(erasure, str) else (erasure.get("action") or "delete")
        hold = spec.get("legal_hold") if isinstance(spec.get("legal_hold"), dict) else {}
        code = str(spec.get("category") or "")
        label = spec.get("label")
        rows.append(
            TableRow(
                name=name,
                label=pick(label) if isinstance(label, dict) else "",
                category=category_names.get(code, code),
                erasure="" if name not in act else _erasure_text(outcomes.get(name) or [action]),
                hold=activity_names.get(str(hold.get("activity") or ""), str(hold.get("activity") or "")),
                read_only=name not in act,
            )
        )
    return rows


def _date(value: str) -> str:
    """An ISO date of the preview in the reader's format ("" stays "": kept, end not known)."""
    from django.utils import formats

    try:
        return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT") if value else ""
    except ValueError:
        return value


def preview_rows(result: dict) -> dict:
    """The preview of one source with its statuses and actions in words."""
    from dsar.execution.models import Action, Exception17

    actions = dict(Action.choices)
    statuses = dict(SourceRun.Status.choices)
    # Why a row is kept: the activity whose legal hold keeps it, or the Art. 17(3) exception.
    why = {**dict(Exception17.choices), **{a.code: str(a) for a in ProcessingActivity.objects.all()}}
    tables = []
    for name, table in (result.get("tables") or {}).items():
        tables.append(
            {
                "name": name,
                "found": table.get("found"),
                "sample": table.get("sample") or [],
                "erasure": [(str(actions.get(action, action)), count) for action, count in table["erasure"].items()],
                "kept_until": [
                    (_date(until), str(why.get(reason, reason))) for until, reason in table.get("kept_until") or []
                ],
            }
        )
    status = result.get("status", "")
    return {
        "status": status,
        "status_label": "" if status == "not_searched" else str(statuses.get(status, status)),
        "failed": status in (SourceRun.Status.FAILED, "not_searched"),
        "error": result.get("error") or "",
        "tables": tables,
        # Fail closed: a source that cannot count before a request (a manual one, an API's
        # erasure call) is never shown as holding nothing.
        "found": None if any(t["found"] is None for t in tables) else sum(t["found"] for t in tables),
    }
