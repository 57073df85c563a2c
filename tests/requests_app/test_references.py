import threading

import pytest
from django.db import connection

from requests_app import workflow
from requests_app.models import SubjectRequest
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
