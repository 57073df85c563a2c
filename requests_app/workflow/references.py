"""References of requests: ``DSAR-YYYY-NNNNN``, unique and increasing within a year.

On PostgreSQL the number comes from a sequence per year: ``nextval`` takes no
lock that lasts until commit, so concurrent submissions never wait for each
other's transaction (issue 17). A number drawn by a submission that is then
rolled back (the database refused it, the process died before commit) is
skipped, and so are those PostgreSQL logged ahead when it restarts after a
crash or a fail-over: references stay unique and increasing within a year,
but may have gaps, and a gap never hides a request. Elsewhere (SQLite, whose writers are
serialised by the database lock anyway) the counter row is incremented with
one ``UPDATE ... SET last = last + 1``, in the transaction that records the
request, so no number is skipped there.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, F, Max
from django.db.models.functions import Cast, Substr

from requests_app.models import ReferenceCounter, SubjectRequest


def next_reference(year: int) -> str:
    """The next ``DSAR-YYYY-NNNNN`` of the year."""
    if connection.vendor == "postgresql":
        number = _next_from_sequence(year)
    else:
        number = _next_from_counter(year)
    return _reference(year, number)


def new_request_numbers(year: int) -> tuple[str, int | None]:
    """The reference of a new request of this year and, on PostgreSQL, the
    request's id too, drawn in the same query from the table's own sequence:
    with its id known before the row is written, the request and its first
    audit event are each one INSERT (``record_first_event``), and the whole
    numbering is one round trip to the database. Elsewhere the id is None
    (given by the INSERT)."""
    if connection.vendor != "postgresql":
        return next_reference(year), None
    columns, params = reference_columns(year)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        return reference_drawn(year, *cursor.fetchone())


def reference_columns(year: int) -> tuple[str, list]:
    """The columns of a SELECT that draw a new request's reference number and
    id (PostgreSQL), with their parameters: ``new_request_numbers`` runs them
    alone, a caller may run them in a query of its own (the intake's
    submission lock) and give the values to ``reference_drawn``."""
    # to_regclass is NULL for a year without its sequence, and nextval of
    # NULL is NULL: no error, so no savepoint to guard the transaction.
    return (
        "nextval(to_regclass(%s)), nextval(pg_get_serial_sequence(%s, 'id'))",
        [reference_sequence_name(year), SubjectRequest._meta.db_table],
    )


def reference_drawn(year: int, number: int | None, pk: int) -> tuple[str, int]:
    """The reference and id of the values ``reference_columns`` drew."""
    if number is None:  # the year had no sequence yet
        number = _next_from_sequence(year)
    return _reference(year, number), pk


def _reference(year: int, number: int) -> str:
    return f"DSAR-{year}-{number:05d}"


def _next_from_counter(year: int) -> int:
    updated = ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    if not updated:
        # First request of the year: create the row, tolerating a concurrent creator.
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    return ReferenceCounter.objects.values_list("last", flat=True).get(year=year)


def reference_sequence_name(year: int) -> str:
    return f"requests_app_reference_{int(year)}"


def _next_from_sequence(year: int) -> int:
    name = reference_sequence_name(year)
    for attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(to_regclass(%s))", [name])
            number = cursor.fetchone()[0]
        if number is not None:
            return number
        if attempt:
            break
        ensure_reference_sequence(year)  # the year has no sequence yet
    raise RuntimeError(f"The reference sequence {name} could not be created.")


def ensure_reference_sequence(year: int) -> None:
    """Create the year's sequence, starting after every number already given
    (the counter row of the former scheme, and the references on record).

    Only the first request of a year can get here, when the yearly task did
    not create the sequence ahead (``create_reference_sequences``); a
    concurrent creator's sequence is then used as is."""
    name = reference_sequence_name(year)
    prefix = f"DSAR-{int(year)}-"
    # The highest number on record this year, computed by the database (a
    # year may hold millions of references).
    used = (
        SubjectRequest.objects.filter(reference__regex=rf"^{prefix}[0-9]+$")
        .annotate(number=Cast(Substr("reference", len(prefix) + 1), BigIntegerField()))
        .aggregate(highest=Max("number"))["highest"]
        or 0
    )
    counted = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
    start = max(counted, used) + 1
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {connection.ops.quote_name(name)} START WITH {int(start)}")
    except IntegrityError:
        pass  # Created by a concurrent first request of the year.
