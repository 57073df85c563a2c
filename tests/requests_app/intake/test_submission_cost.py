"""What one submission costs the database, and what it may never lose (issue 17).

The intake's time is mostly round trips: each statement below is one. The
list is what a submission needs (healthchecks' assertNumQueries style: a new
statement here is a decision, not an accident)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app import emails
from requests_app.intake.services import submit_request
from requests_app.models import OutgoingEmail, RequestEvent, SubjectRequest
from tests.fixtures.intake import form_data

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the statements are PostgreSQL's (SQLite numbers with a counter row)"
)


def _statements(queries) -> list[str]:
    """The statements, without the test's own savepoints, shortened to what and where."""
    shown = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")):
            continue
        words = sql.replace('"', "").replace("(", " ").split()
        inserted = [words[i + 2] for i, word in enumerate(words[:-2]) if word == "INSERT" and words[i + 1] == "INTO"]
        if words[0] == "WITH" and inserted:  # rows written together (dsar.core.together)
            shown.append(f"INSERT {' + '.join(inserted)}")
        elif words[0] == "WITH":
            shown.append(f"SELECT {words[words.index('FROM') + 1]}")
        elif words[0] == "SELECT" and "FROM" in words:
            shown.append(f"SELECT {words[words.index('FROM') + 1]}")
        elif words[0] == "SELECT":
            shown.append(f"SELECT {words[1].split('(')[0]}()")
        else:
            shown.append(f"{words[0]} {words[2] if words[0] == 'INSERT' else words[1]}")
    return shown


# Without the test's wrapping transaction: the register's snapshot is kept
# only when read outside one (requests_app.intake.register_cache).
@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_public_api_submission_is_these_statements_and_one_enqueue(
    api, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr(emails, "_enqueue", enqueued.append)  # the broker, not the database

    def submit(email):
        payload = {k: v for k, v in form_data(email=email).items() if k != "website"}
        with django_capture_on_commit_callbacks(execute=True):
            assert api(None, "post", "/api/v1/requests/", payload).status_code == 201

    submit("first@example.be")  # the year's sequence made, the register read: once per process
    with CaptureQueriesContext(connection) as queries:
        submit("second@example.be")
    assert _statements(queries) == [
        # The submission lock of this address and right (held to the commit),
        # with the reference and the request's id: the API joins no repeat,
        # so every submission it locks makes a request.
        "SELECT pg_advisory_xact_lock()",
        # The request with its first event's chain head, the event, the
        # e-mail: one statement (dsar.core.together), in which the request
        # finds the subject's open request of the same right to link to.
        "INSERT requests_app_subjectrequest + requests_app_requestevent + requests_app_outgoingemail",
        # Nothing after commit: the event's effects use the event in memory,
        # none of them reads the request for a new unconfirmed one, and the
        # webhooks' subscribers are known to the process (api.subscribers).
    ]
    # The e-mail to confirm the address: one message to the broker per submission.
    assert len(enqueued) == 2


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_form_submission_is_these_statements(client, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(emails, "_enqueue", lambda email_id: None)

    def submit(email, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("intake:form"), form_data(email=email, **overrides)).status_code == 302

    submit("first@example.be")
    with CaptureQueriesContext(connection) as queries:
        submit("second@example.be")
    assert _statements(queries) == [
        # The submission lock: the form may join a repeat, so nothing is drawn yet.
        "SELECT pg_advisory_xact_lock()",
        # The subject's open requests of the same right and, none found, the
        # new request's reference and id.
        "SELECT requests_app_subjectrequest",
        "INSERT requests_app_subjectrequest + requests_app_requestevent + requests_app_outgoingemail",
    ]
    first = SubjectRequest.objects.get(email="second@example.be")
    # One found (another right this time): nothing drawn with it, the number drawn on its own.
    with CaptureQueriesContext(connection) as queries:
        submit("second@example.be", details="Only my invoices.")
    assert _statements(queries) == [
        "SELECT pg_advisory_xact_lock()",
        "SELECT requests_app_subjectrequest",
        "SELECT nextval()",
        "INSERT requests_app_subjectrequest + requests_app_requestevent + requests_app_outgoingemail",
        # The first one's audit trail says a new one came.
        "SELECT requests_app_subjectrequest",
        "INSERT requests_app_requestevent",
        "UPDATE requests_app_subjectrequest",
    ]
    second = SubjectRequest.objects.get(email="second@example.be", details="Only my invoices.")
    assert second.related_to == first
    # References in order, none skipped.
    numbers = [
        int(ref.rsplit("-", 1)[1]) for ref in SubjectRequest.objects.order_by("pk").values_list("reference", flat=True)
    ]
    assert numbers == list(range(numbers[0], numbers[0] + 3))


@pytest.mark.django_db
def test_a_form_submission_writes_no_session(client):
    response = client.post(reverse("intake:form"), form_data())
    assert response.status_code == 302
    assert not Session.objects.exists()
    # What the browser submitted is in a signed cookie, not in a session.
    assert "sessionid" not in response.cookies and "intake_submitted" in response.cookies
    assert SubjectRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_once_make_one_request():
    """A double click sends two identical POSTs at once: the second waits for
    the first's commit (the submission lock) and is joined to its request."""
    from requests_app.intake.forms import RequestForm

    form = RequestForm(data=form_data())
    assert form.is_valid(), form.errors
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        try:
            barrier.wait()
            outcomes.append(submit_request(dict(form.cleaned_data), channel="web", client_ip="192.0.2.1"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcome.duplicate for outcome in outcomes) == [False, True]
    (request,) = SubjectRequest.objects.all()
    assert {outcome.request.pk for outcome in outcomes} == {request.pk}
    # Never lost: the first e-mail and the audit trail of both submissions are there.
    assert OutgoingEmail.objects.filter(request=request, template="intake_verify").count() == 1
    assert set(RequestEvent.objects.filter(request=request).values_list("kind", flat=True)) == {
        "request.created",
        "request.double_joined",
    }


@pytest.mark.django_db(transaction=True)
def test_the_form_answers_before_the_email_goes_to_the_broker(rf, monkeypatch):
    """The subject's browser gets its redirect first; the request and its
    e-mail are committed by then (the outbox), and the e-mail is handed to
    the broker once the response is sent (config.after_response)."""
    from requests_app.intake.views import request_form

    enqueued = []
    monkeypatch.setattr(emails, "_enqueue", enqueued.append)
    request = rf.post(reverse("intake:form"), form_data())
    response = request_form(request)
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(template="intake_verify")  # committed: never lost
    assert enqueued == []
    response.close()  # the server has sent the response
    assert enqueued == [email.pk]
