"""The API: a request carries a representative (public intake and staff log),
the detail shows them, and the mandate's check is recorded."""

from __future__ import annotations

import base64

import pytest

from requests_app import workflow
from requests_app.models import OutgoingEmail, RequestEvent, SubjectRequest
from requests_app.representation import services
from requests_app.representation.models import MandateCheck, Representation
from tests.factories import make_request
from tests.fixtures.intake import form_data
from tests.requests_app.representation.test_mandate_and_emails import represent

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"
PDF = b"%PDF-1.4 power of attorney"


def _representative(**overrides) -> dict:
    data = {
        "full_name": "Meester An Claes",
        "email": "an.claes@advocaten.example",
        "relationship": "lawyer",
        "mandate_document": {"name": "volmacht.pdf", "content_base64": base64.b64encode(PDF).decode()},
    }
    data.update(overrides)
    return data


def _public(**overrides) -> dict:
    data = form_data(**overrides)
    data.pop("website")
    return data


def test_the_public_intake_takes_a_representative_and_mails_them_the_link(api):
    response = api(None, "post", URL, _public(representative=_representative()))
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    representation = Representation.objects.get(request=request)
    assert representation.mandate_kind == "document" and representation.mandate_content_type == "application/pdf"
    assert list(OutgoingEmail.objects.filter(template="intake_verify").values_list("to", flat=True)) == [
        "an.claes@advocaten.example"
    ]


def test_the_public_intake_names_the_representatives_wrong_fields(api):
    bad = _representative(
        relationship="parent", mandate_document={"name": "x.exe", "content_base64": "TVqQAAMAAAAEAAAA"}
    )
    response = api(None, "post", URL, _public(representative=bad))
    assert response.status_code == 400
    errors = response.json()["representative"]
    assert set(errors) == {"minor_age_band", "mandate_document"}
    assert "not a PDF" in errors["mandate_document"][0]
    response = api(None, "post", URL, _public(representative="a lawyer"))
    assert response.status_code == 400 and "representative" in response.json()
    response = api(None, "post", URL, _public(representative=_representative(mandate_document={"name": "x"})))
    assert response.status_code == 400 and "mandate_document" in response.json()["representative"]
    assert not SubjectRequest.objects.exists()


def test_a_parent_needs_no_address_of_the_child(api):
    representative = _representative(
        relationship="parent", minor_age_band="13_15", mandate_document=None, mandate_statement="Mother of Lotte."
    )
    representative.pop("mandate_document")
    response = api(None, "post", URL, _public(email="", representative=representative))
    assert response.status_code == 201, response.content
    representation = Representation.objects.get()
    assert representation.minor_age_band == "13_15" and representation.request.email == ""


def test_staff_log_a_lawyers_letter_and_check_the_mandate(api, dpo, controller):
    payload = {
        "channel": "letter",
        "identity_check": "other",
        "identity_note": "Letter on the law firm's paper.",
        "request_type": "access",
        "full_name": "Marie Dubois",
        "email": "marie@example.be",
        "language": "fr",
        "representative": _representative(email="", mandate_document=None, mandate_statement="Signed by Marie."),
    }
    payload["representative"].pop("mandate_document")
    response = api(dpo, "post", URL, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["representative"]["relationship"] == "lawyer"
    assert body["representative"]["check_status"] == MandateCheck.PENDING
    assert body["representative"]["has_document"] is False
    url = f"{URL}{body['reference']}/mandate-check/"
    assert api(dpo, "post", url, {"decision": "refused"}).status_code == 400
    response = api(dpo, "post", url, {"decision": "accepted"})
    assert response.status_code == 200, response.content
    assert response.json()["representative"]["check_status"] == MandateCheck.ACCEPTED
    assert RequestEvent.objects.filter(request__reference=body["reference"], kind="mandate.accepted").exists()


def test_a_request_without_a_representative_has_none(api, dpo, new_request):
    body = api(dpo, "get", f"{URL}{new_request.reference}/").json()
    assert body["representative"] is None
    response = api(dpo, "post", f"{URL}{new_request.reference}/mandate-check/", {"decision": "accepted"})
    assert response.status_code == 400
    assert "not made by a representative" in response.json()["detail"]


def test_the_detail_offers_the_mandate_check_while_the_mandate_awaits_it(
    api, dpo, auditor, django_capture_on_commit_callbacks
):

    request = make_request(verified=False)
    represent(request)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.verify(request)
    detail = f"{URL}{request.reference}/"
    assert "mandate-check" in api(dpo, "get", detail).json()["allowed_actions"]
    # An auditor reads the request and may not check the mandate.
    assert "mandate-check" not in api(auditor, "get", detail).json()["allowed_actions"]
    services.record_mandate_check(request, actor=dpo, accepted=False, reason="Not signed.")
    assert "mandate-check" in api(dpo, "get", detail).json()["allowed_actions"]  # a better one may come
    services.record_mandate_check(request, actor=dpo, accepted=True)
    allowed = api(dpo, "get", detail).json()["allowed_actions"]
    assert "mandate-check" not in allowed and "approve" in allowed


def test_a_request_without_a_representative_offers_no_mandate_check(api, dpo, new_request):
    assert "mandate-check" not in api(dpo, "get", f"{URL}{new_request.reference}/").json()["allowed_actions"]
