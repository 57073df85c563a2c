"""No request is merged away (Art. 12(3): every request is answered).

A second request of the same right with another activity, other data or
other words is a request of its own, linked to the open one; only an exact
double (same right, same details, same address, within
DSAR_DUPLICATE_WINDOW_HOURS) is joined to it, with an audit event and an
e-mail naming the reference it joined."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dsar.models import LegalBasis, ProcessingActivity
from requests_app.intake import doubles
from requests_app.models import OutgoingEmail, RequestEvent, SubjectRequest
from tests.fixtures.intake import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, activities, django_capture_on_commit_callbacks):
    ProcessingActivity.objects.create(
        code="profiling", legal_basis=LegalBasis.LEGITIMATE_INTERESTS, names={"en": "Usage profiling"}
    )

    def _submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("intake:form"), form_data(**overrides))

    return _submit


def test_an_objection_to_another_activity_is_a_new_request_linked_to_the_first(submit, client):
    submit(request_type="objection", objection_activities=["direct-marketing"])
    submit(request_type="objection", objection_activities=["profiling"])

    first, second = SubjectRequest.objects.order_by("pk")
    assert first.type_details == {"activities": ["direct-marketing"]}
    assert second.type_details == {"activities": ["profiling"]} and second.related_to == first
    assert RequestEvent.objects.filter(request=first, kind="request.related", details={"request": second.pk}).exists()
    assert not OutgoingEmail.objects.filter(template="intake_joined").exists()
    # The subject's page says what each one covers.
    # In English for the assertion (the page follows the request, Dutch here; ?lang= switches one view).
    page = client.get(reverse("intake:status", args=[second.token]) + "?lang=en").content.decode()
    assert "What your request covers" in page and "Usage profiling" in page


def test_the_same_right_with_other_words_is_not_a_double(submit):
    submit(request_type="access", details="Everything since 2019.")
    submit(request_type="access", details="Only my invoices.")
    assert SubjectRequest.objects.count() == 2


def test_an_exact_double_is_joined_with_an_event_and_an_email_naming_the_reference(submit):
    submit(request_type="objection", objection_activities=["direct-marketing"])
    submit(request_type="objection", objection_activities=["direct-marketing"])

    (request,) = SubjectRequest.objects.all()
    event = RequestEvent.objects.get(request=request, kind="request.double_joined")
    assert event.public and event.actor_label == "system"
    joined = OutgoingEmail.objects.get(template="intake_joined")
    assert joined.to == "lotte.peeters@example.be" and request.reference in joined.subject


def test_a_double_after_the_window_is_a_new_request(submit, settings):
    settings.DSAR_DUPLICATE_WINDOW_HOURS = 24
    submit(request_type="access")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
        submit(request_type="access")
    assert SubjectRequest.objects.count() == 2


def test_ticked_boxes_in_another_order_are_the_same_details():
    assert doubles._same_details({"activities": ["a", "b"]}, {"activities": ["b", "a"]})
    assert not doubles._same_details({"activities": ["a"]}, {"activities": ["a", "b"]})


def test_the_api_links_a_new_request_to_the_newest_open_one_of_the_same_right(api, submit):
    """The API joins no repeat: every submission is a request, linked to the
    subject's newest open request of the same right (found by its INSERT)."""

    def post(**overrides):
        payload = {k: v for k, v in form_data(**overrides).items() if k != "website"}
        response = api(None, "post", "/api/v1/requests/", payload)
        assert response.status_code == 201, response.content
        return SubjectRequest.objects.get(reference=response.json()["reference"])

    alone = post(request_type="access")
    assert alone.related_to is None
    closed = post(request_type="portability", portability_format="json")
    SubjectRequest.objects.filter(pk=closed.pk).update(status="expired")
    newest = post(request_type="access", details="Only my invoices.")
    other_address = post(request_type="access", email="an.janssens@example.be")
    again = post(request_type="access")  # an exact double of the first: a request of its own here
    after_closed = post(request_type="portability", portability_format="json")

    assert newest.related_to == alone and again.related_to == newest
    assert other_address.related_to is None and after_closed.related_to is None  # a closed request is no relative
    # The first's audit trail says a new one came, once per new request.
    related = RequestEvent.objects.filter(kind="request.related").order_by("pk")
    assert [(e.request_id, e.details["request"]) for e in related] == [(alone.pk, newest.pk), (newest.pk, again.pk)]
    assert SubjectRequest.objects.count() == 6
