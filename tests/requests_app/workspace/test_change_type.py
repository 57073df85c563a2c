"""Changing a request's type: what the subject asks under the new type replaces the old type's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.models import LegalBasis, ProcessingActivity
from requests_app.models import RequestType
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(db):
    ProcessingActivity.objects.create(
        code="direct-marketing",
        legal_basis=LegalBasis.LEGITIMATE_INTERESTS,
        direct_marketing=True,
        names={"en": "Direct marketing"},
    )
    ProcessingActivity.objects.create(
        code="profiling", legal_basis=LegalBasis.LEGITIMATE_INTERESTS, names={"en": "Profiling"}
    )


@pytest.fixture
def erasure(dpo):
    return logged_request(dpo, request_type=RequestType.ERASURE, type_details={"scope": "all", "specific": ""})


def _change(client, request, data):
    response = client.post(reverse("workspace:action", args=[request.reference, "change_type"]), data)
    request.refresh_from_db()
    return response


def test_erasure_to_rectification_keeps_the_corrections_not_the_scope(dpo_client, erasure):
    _change(
        dpo_client,
        erasure,
        {
            "request_type": RequestType.RECTIFICATION,
            "rectification_field": "Street",
            "rectification_correct": "Kerkstraat 12",
            "erasure_scope": "all",  # the old type's section, still on the page: ignored
            "reason": "She wants her address corrected, not deleted.",
        },
    )

    assert erasure.request_type == RequestType.RECTIFICATION
    assert erasure.type_details == {
        "items": [{"field": "Street", "current": "", "correct": "Kerkstraat 12"}],
        "restrict_meanwhile": False,
    }


def test_a_new_type_without_its_details_is_refused_and_nothing_changes(dpo_client, erasure):
    response = _change(
        dpo_client, erasure, {"request_type": RequestType.RECTIFICATION, "reason": "She wants it corrected."}
    )

    assert response.status_code == 400
    assert "Tell us which data is wrong." in response.content.decode()
    assert erasure.request_type == RequestType.ERASURE
    assert erasure.type_details == {"scope": "all", "specific": ""}


def test_erasure_to_objection_keeps_only_the_uses_objected_to(dpo_client, erasure, activities):
    refused = _change(dpo_client, erasure, {"request_type": RequestType.OBJECTION, "reason": "Only marketing."})
    assert refused.status_code == 400
    assert erasure.request_type == RequestType.ERASURE

    _change(
        dpo_client,
        erasure,
        {"request_type": RequestType.OBJECTION, "objection_activities": ["direct-marketing"], "reason": "Marketing."},
    )

    assert erasure.request_type == RequestType.OBJECTION
    assert erasure.type_details == {"activities": ["direct-marketing"]}


def test_the_change_is_audited_with_the_types_only(dpo_client, erasure):
    _change(
        dpo_client,
        erasure,
        {
            "request_type": RequestType.RECTIFICATION,
            "rectification_field": "Street",
            "rectification_correct": "Kerkstraat 12",
            "reason": "Corrected by phone.",
        },
    )

    event = erasure.events.get(kind="request.type_changed")
    assert set(event.details) == {"from", "to", "note"}
    assert "Kerkstraat" not in str(event.details)


def test_the_form_on_the_page_asks_for_each_types_details(dpo_client, erasure, activities):
    page = dpo_client.get(reverse("workspace:request", args=[erasure.reference])).content.decode()
    form = page.split("/change_type/")[1].split("</form>")[0]

    assert 'name="rectification_field"' in form
    assert 'name="objection_activities" value="direct-marketing"' in form
    assert 'name="portability_format"' in form
    # The subject's identity is not changed with the type.
    assert 'name="full_name"' not in form
