"""Reading the audit trail across every request: the workspace's audit log and its CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from requests_app.models import RequestEvent

from .labels import EVENT_KINDS


@dataclass
class AuditFilters:
    """The audit log's filters, read from the query string; a bad value is ignored and reported."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""
    actor: str = ""
    reference: str = ""
    errors: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query) -> AuditFilters:
        errors = []
        dates: dict[str, dt.date | None] = {}
        for name in ("date_from", "date_to"):
            raw = (query.get(name) or "").strip()
            try:
                dates[name] = dt.date.fromisoformat(raw) if raw else None
            except ValueError:
                dates[name] = None
                errors.append(name)
        kind = (query.get("kind") or "").strip()
        if kind and kind not in EVENT_KINDS:
            errors.append("kind")
            kind = ""
        return cls(
            date_from=dates["date_from"],
            date_to=dates["date_to"],
            kind=kind,
            actor=(query.get("actor") or "").strip()[:150],
            reference=(query.get("reference") or "").strip().upper()[:20],
            errors=tuple(errors),
        )

    def as_query(self) -> str:
        from urllib.parse import urlencode

        values = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "kind": self.kind,
            "actor": self.actor,
            "reference": self.reference,
        }
        return urlencode({k: v for k, v in values.items() if v})


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(filters: AuditFilters) -> QuerySet[RequestEvent]:
    """Events matching the filters, newest first. Date bounds are whole local days, inclusive.

    Bounds on ``created_at`` as a range (not ``__date``), so an index on it serves them.
    """
    events = RequestEvent.objects.select_related("request").only(
        "seq",
        "created_at",
        "actor_label",
        "kind",
        "status_before",
        "status_after",
        "details",
        "request__reference",
    )
    if filters.date_from:
        events = events.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.actor:
        events = events.filter(actor_label__iexact=filters.actor)
    if filters.reference:
        events = events.filter(request__reference__icontains=filters.reference)
    return events.order_by("-created_at", "-pk")


def kind_choices() -> list[tuple[str, str]]:
    return sorted(((kind, str(entry.label)) for kind, entry in EVENT_KINDS.items()), key=lambda item: item[1])
