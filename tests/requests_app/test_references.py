import threading

import pytest
from django.db import connection, connections, transaction

from requests_app import workflow
from requests_app.models import ReferenceCounter, SubjectRequest
from requests_app.workflow import next_reference
from tests.factories import make_request


@pytest.mark.django_db
def test_references_are_sequential_per_year():
    first, second = make_request(), make_request()
    year = first.reference.split("-")[1]
    assert int(second.reference.split("-")[2]) == int(first.reference.split("-")[2]) + 1
    assert first.reference == f"DSAR-{year}-{int(first.reference.split('-')[2]):05d}"


@pytest.mark.django_db
def test_the_subject_token_is_unguessable_and_not_the_id():
    request = make_request()
    assert len(request.token) >= 40 and str(request.pk) != request.token


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_references():
    """Eight threads submit at once; with a racy counter two would share a number."""
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def submit(n):
        try:
            barrier.wait()
            for i in range(5):
                workflow.create_request(
                    request_type="access", full_name=f"T{n}", email=f"t{n}-{i}@example.be", language="en"
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(SubjectRequest.objects.values_list("reference", flat=True))
    assert len(references) == 40 and len(set(references)) == 40


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the sequence is PostgreSQL's; SQLite serialises writers itself"
)


@pytest.mark.django_db
def test_references_count_up_within_a_year_and_start_again_the_next():
    first, second = next_reference(2033), next_reference(2033)
    assert first.startswith("DSAR-2033-") and second.startswith("DSAR-2033-")
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
    assert next_reference(2034) == "DSAR-2034-00001"


@pytest.mark.django_db
@on_postgresql
def test_the_sequence_continues_after_every_number_already_given():
    """A desk upgraded from the counter row keeps counting after it, and after
    any reference already on record, so no reference is ever given twice."""
    ReferenceCounter.objects.create(year=2035, last=41)
    SubjectRequest.objects.filter(pk=make_request().pk).update(reference="DSAR-2035-00057")

    assert next_reference(2035) == "DSAR-2035-00058"


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_submission_does_not_wait_for_another_to_commit():
    next_reference(2036)  # the year's sequence exists, as the daily task makes sure
    drawn, holding, release = [], threading.Event(), threading.Event()

    def open_submission():
        try:
            with transaction.atomic():
                drawn.append(next_reference(2036))
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    other = threading.Thread(target=open_submission)
    other.start()
    try:
        assert holding.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            # Fail instead of waiting: the counter row's lock would hold us here
            # until the other submission commits.
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            mine = next_reference(2036)
    finally:
        release.set()
        other.join()

    assert mine != drawn[0]
    assert {mine, drawn[0]} <= {f"DSAR-2036-{n:05d}" for n in range(2, 4)}
