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
from requests_app.intake import services
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
    assert services._same_details({"activities": ["a", "b"]}, {"activities": ["b", "a"]})
    assert not services._same_details({"activities": ["a"]}, {"activities": ["a", "b"]})
