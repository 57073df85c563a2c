"""A submission's doubles and relatives: the subject's open requests of the
same right, found inside the submission's lock (``services._submission``).

A new request is linked to the newest of them (the DPO sees both), and an
exact double of one is joined to it instead of being recorded (the web form;
the API cannot hide a repeat and joins none).

Written in SQL, every value a parameter and every name from the model: the
ORM spent more on compiling these queries than the database on running them,
on every submission (issue 17). ``UPPER(email)`` is what ``email__iexact``
compares, and the ``req_email_upper`` index serves it. The address's rows are
found first, by the address alone: with the status in the same WHERE,
PostgreSQL's planner tried to match that list against each of the queue's
partial indexes (their predicates are lists of statuses too), and planning
cost twice what running did (0.45 against 0.25 ms a submission). An address
has a handful of requests, so reading them all is nothing; ``MATERIALIZED``
keeps the planner from folding the filter back in.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from dsar.core import together
from requests_app import workflow
from requests_app.models import OPEN_STATUSES, Status, SubjectRequest

# What a repeat is compared on.
_COMPARED = {"id", "received_at", "type_details", "details"}
_STATUSES = (Status.UNVERIFIED, *OPEN_STATUSES)


@dataclass
class Found:
    # Newest first, at most 20; among them any exact double (``repeated_among``).
    requests: list[SubjectRequest]
    # The new request's reference and id, drawn in the same query when none
    # was found and the caller asked (PostgreSQL), else None.
    numbers: tuple[str, int] | None = None


def open_requests_of_same_right(*, email: str, request_type: str, draw_year: int | None = None) -> Found:
    """The subject's open (or still unconfirmed) requests of this right.

    ``draw_year``: when none is found (a first request: nearly always), the
    new request's reference and id of that year are drawn in the same
    query, one round trip less (issue 17). When one is found, nothing is
    drawn: it may be a repeat, joined without a number, so that a joined
    repeat leaves no gap in the references."""
    if not email.strip():
        return Found([])
    drawing, drawn_with = (
        workflow.reference_columns(draw_year)
        if draw_year is not None and connection.vendor == "postgresql"
        else ("", [])
    )
    sql, params = _open_sql(len(_STATUSES), drawing), [email.strip(), request_type, *_STATUSES, *drawn_with]
    # The same statement on every submission of the web form: prepared (dsar.core.together).
    with together.prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(_compared_fields())
    found = [row[:width] for row in rows if row[0] is not None]
    drawn = [row[width:] for row in rows if row[0] is None]
    numbers = workflow.reference_drawn(draw_year, *drawn[0]) if drawn else None
    if not found:
        return Found([], numbers)
    # Each value as the ORM reads it: the backend's converters, then the
    # field's (SQLite's dates are text, type_details is JSON).
    names = _compared_fields()
    columns = [SubjectRequest._meta.get_field(name).get_col(SubjectRequest._meta.db_table) for name in names]
    converters = [
        (column, connection.ops.get_db_converters(column) + column.field.get_db_converters(connection))
        for column in columns
    ]
    requests = [
        SubjectRequest.from_db(
            connection.alias, names, [_converted(value, *with_) for value, with_ in zip(row, converters, strict=True)]
        )
        for row in found
    ]
    return Found(sorted(requests, key=lambda request: request.received_at, reverse=True))


def newest_open_of_same_right(*, email: str, request_type: str) -> RawSQL | None:
    """The id of the subject's newest open request of this right, as an
    expression the database computes in the new request's own INSERT
    (``related_to_id``; ``dsar.core.together`` reads back what it stored):
    for a submission that makes a request whatever it finds (the API's),
    no query of its own."""
    if not email.strip():
        return None
    return RawSQL(  # noqa: S611 - names from the model, every value a parameter
        _open_sql(len(_STATUSES), "", newest_id=True),
        [email.strip(), request_type, *_STATUSES],
        output_field=models.BigIntegerField(),
    )


def repeated_among(
    candidates: list[SubjectRequest], *, type_details: dict | None = None, details: str = ""
) -> SubjectRequest | None:
    """The open request of ``open_requests_of_same_right`` this submission repeats exactly, if any.

    Only an exact double (same right, same details, same address, received
    within ``DSAR_DUPLICATE_WINDOW_HOURS``) is one: a second objection to
    another activity, or an erasure of other data, is a new request that must
    be answered in its own right (Art. 12(3)), never folded into the first."""
    since = timezone.now() - dt.timedelta(hours=settings.DSAR_DUPLICATE_WINDOW_HOURS)
    for candidate in candidates:
        if candidate.received_at < since:
            break  # newest first: the rest are older still
        if _same_details(candidate.type_details, type_details) and candidate.details.strip() == details.strip():
            return candidate
    return None


def _same_details(stored: dict | None, submitted: dict | None) -> bool:
    # Lists of codes are compared as sets: the order of ticked boxes means nothing.
    def normal(value):
        if isinstance(value, dict):
            return {k: normal(v) for k, v in value.items() if v not in (None, "", [], {})}
        if isinstance(value, list):
            items = [normal(v) for v in value]
            return sorted(items, key=repr)
        return value.strip() if isinstance(value, str) else value

    return normal(stored or {}) == normal(submitted or {})


@functools.cache
def _compared_fields() -> list[str]:
    """``_COMPARED`` in the model's order of fields (``Model.from_db`` takes
    the values in that order)."""
    return [field.attname for field in SubjectRequest._meta.concrete_fields if field.attname in _COMPARED]


def _converted(value, column, converters):
    for converter in converters:
        value = converter(value, column, connection)
    return value


@functools.cache
def _open_sql(statuses: int, drawing: str, newest_id: bool = False) -> str:
    """The query of the open requests; ``drawing``: the columns that draw the
    new request's numbers (``workflow.reference_columns``), or ""."""
    meta = SubjectRequest._meta
    q = connection.ops.quote_name

    def column(name: str) -> str:
        return q(meta.get_field(name).column)

    compared = [column(name) for name in _compared_fields()]
    found = ", ".join(compared)
    of_address = (
        f"WITH of_address AS MATERIALIZED ("  # noqa: S608
        f"SELECT {found}, {column('request_type')}, {column('status')}, {column('purged_at')} "
        f"FROM {q(meta.db_table)} WHERE UPPER({column('email')}) = UPPER(%s))"
    )
    open_ = (
        f"FROM of_address WHERE {column('request_type')} = %s "
        f"AND {column('status')} IN ({', '.join(['%s'] * statuses)}) AND {column('purged_at')} IS NULL "
        f"ORDER BY {column('received_at')} DESC"
    )
    if newest_id:
        return f"{of_address} SELECT {column('id')} {open_} LIMIT 1"
    if not drawing:
        return f"{of_address} SELECT {found} {open_} LIMIT 20"
    # The numbers only when nothing was found: a gated row, whose nextval()
    # the database never evaluates when the gate is shut.
    nothing = ", ".join(["NULL"] * len(compared))
    return (
        f"{of_address}, open_ AS (SELECT {found} {open_} LIMIT 20) "  # noqa: S608
        f"SELECT {found}, NULL, NULL FROM open_ "
        f"UNION ALL SELECT {nothing}, {drawing} WHERE NOT EXISTS (SELECT FROM open_)"
    )
