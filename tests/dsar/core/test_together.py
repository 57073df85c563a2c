"""New rows written together (``dsar.core.together``): one statement on
PostgreSQL, and the same rows, order and errors as one ``save()`` each."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction
from django.db.models.signals import post_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from dsar.core import together
from requests_app.models import OutgoingEmail, SubjectRequest
from tests.factories import make_request

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite cannot write rows in a common table expression"
)


def _email(**fields) -> OutgoingEmail:
    values = {"template": "intake_verify", "to": "jan@example.be", "subject": "", "body_text": "", "body_html": ""}
    return OutgoingEmail(**{**values, **fields})


def _written(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.django_db
@on_postgresql
def test_the_rows_held_are_written_in_one_statement_at_the_end_of_the_block():
    request = make_request()
    first, second = _email(request=request, render_later=True, language="fr"), _email(to="an@example.be")
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), together.written_together():
        together.insert(first)
        together.insert(second)
        assert first.pk is None and first._state.adding  # held: nothing sent yet
        assert _written(queries) == []
    (statement,) = _written(queries)
    assert statement.startswith("WITH w0 AS (INSERT INTO") and statement.count("INSERT INTO") == 2
    # Each has its id, is no longer new, and reads back as save() would have written it.
    assert first.pk and second.pk and not first._state.adding and first._state.db == "default"
    for held in (first, second):
        saved = _email(**{k: v for k, v in model_to_dict(held).items() if k not in ("id", "request")})
        saved.request_id = held.request_id
        saved.save(force_insert=True)
        stored, by_save = (
            model_to_dict(OutgoingEmail.objects.get(pk=pk), exclude=["id", "created_at"]) for pk in (held.pk, saved.pk)
        )
        assert stored == by_save
    assert OutgoingEmail.objects.get(pk=first.pk).request == request


@pytest.mark.django_db
@on_postgresql
def test_a_held_row_is_written_before_any_other_statement_runs():
    request = make_request()
    with transaction.atomic(), together.written_together():
        email = _email(request=request)
        together.insert(email)
        # A query of the same block sees the row, as after save().
        assert OutgoingEmail.objects.filter(request=request, template="intake_verify", to="jan@example.be").exists()
        assert email.pk is not None


@pytest.mark.django_db
@on_postgresql
def test_a_row_pointing_to_a_held_row_without_its_id_waits_for_it():
    original = make_request()
    parent = SubjectRequest.objects.get(pk=original.pk)
    parent.pk, parent.reference, parent.token_hash = None, "DSAR-2026-99999", "f" * 64
    parent._state.adding = True
    with transaction.atomic(), together.written_together():
        together.insert(parent)
        child = _email(request=parent)
        together.insert(child)  # the parent is written first, to give it its id
        assert parent.pk is not None
    assert OutgoingEmail.objects.get(pk=child.pk).request_id == parent.pk != original.pk


@pytest.mark.django_db
@on_postgresql
def test_an_error_of_a_held_row_is_raised_and_nothing_is_written():
    request = make_request()
    before = OutgoingEmail.objects.count()
    with pytest.raises(DataError), transaction.atomic(), together.written_together():
        together.insert(_email(request=request))
        together.insert(_email(template="x" * 81))  # too long for its column
    assert OutgoingEmail.objects.count() == before


@pytest.mark.django_db
@on_postgresql
def test_rows_held_when_the_block_fails_are_dropped():
    with pytest.raises(RuntimeError), transaction.atomic(), together.written_together():
        together.insert(_email(to="dropped@example.be"))
        raise RuntimeError("the caller's error")
    assert not OutgoingEmail.objects.filter(to="dropped@example.be").exists()
    with transaction.atomic(), together.written_together():  # and the next block starts empty
        together.insert(_email(to="kept@example.be"))
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["kept@example.be"]


@pytest.mark.django_db
def test_outside_a_block_or_for_a_model_others_listen_to_insert_saves_at_once():
    email = _email()
    together.insert(email)
    assert email.pk is not None and OutgoingEmail.objects.filter(pk=email.pk).exists()

    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.to, created))

    post_save.connect(listener, sender=OutgoingEmail)
    try:
        with transaction.atomic(), together.written_together():
            listened = _email(to="heard@example.be")
            together.insert(listened)
            assert listened.pk is not None  # saved by save(): its listener ran
    finally:
        post_save.disconnect(listener, sender=OutgoingEmail)
    assert heard == [("heard@example.be", True)]


def _prepared_writes(rows: int) -> int:
    """Statements of ``rows`` held e-mails that PostgreSQL keeps prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND statement NOT LIKE %s",
            [f"WITH w0 AS (INSERT INTO%w{rows - 1} AS%", f"%w{rows} AS%"],
        )
        return cursor.fetchone()[0]


def _write_emails(rows: int, tag: str) -> list[OutgoingEmail]:
    emails = [_email(to=f"{tag}{n}@example.be") for n in range(rows)]
    with transaction.atomic(), together.written_together():
        for email in emails:
            together.insert(email)
    return emails


@pytest.mark.django_db
@on_postgresql
def test_the_statement_is_prepared_once_and_planned_no_more(settings):
    before = _prepared_writes(4)
    first = _write_emails(4, "first")
    assert _prepared_writes(4) == before + (0 if before else 1)
    second = _write_emails(4, "second")  # the same shape: the prepared statement again
    assert _prepared_writes(4) == max(before, 1)
    stored = dict(OutgoingEmail.objects.filter(pk__in=[e.pk for e in first + second]).values_list("pk", "to"))
    assert stored == {e.pk: e.to for e in first + second}


@pytest.mark.django_db
@on_postgresql
def test_behind_a_transaction_pooler_nothing_is_prepared(monkeypatch):
    # Django's setting for PgBouncer's transaction pooling: a named statement
    # would not outlive the transaction's server connection there.
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    before = _prepared_writes(5)
    emails = _write_emails(5, "pooled")
    assert _prepared_writes(5) == before
    assert OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).count() == 5


@pytest.mark.django_db
@on_postgresql
def test_with_prepared_statements_turned_off_nothing_is_prepared():
    # DATABASE_PREPARED_STATEMENTS=false: psycopg's prepare_threshold None, as Django's default.
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        before = _prepared_writes(6)
        emails = _write_emails(6, "unprepared")
        assert _prepared_writes(6) == before
    finally:
        raw.prepare_threshold = threshold
    assert OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).count() == 6


@pytest.mark.django_db
@on_postgresql
def test_a_prepared_statement_keeps_djangos_placeholders_and_percent_signs():
    with CaptureQueriesContext(connection) as queries, together.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT %s::text || '%%' || %s::text, 'x%%y'", ["a", "b"])
        assert cursor.fetchone() == ("a%b", "x%y")
    # The log shows the statement's shape, not the values.
    assert queries[-1]["sql"] == "SELECT $1::text || '%' || $2::text, 'x%y'"
