"""POST /api/v1/requests/ with a staff token: a request received by e-mail,
letter, phone or in person, logged as the workspace's page logs it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from requests_app import deadlines
from requests_app.models import OutgoingEmail, SubjectRequest, VerificationMethod

URL = "/api/v1/requests/"


def _payload(**overrides) -> dict:
    data = {
        "channel": "letter",
        "identity_check": "known_contact",
        "request_type": "rectification",
        "full_name": "Marie Dubois",
        "email": "marie@example.be",
        "language": "fr",
        "rectification_items": [{"field": "Address", "current": "Rue Haute 1", "correct": "Rue Haute 10"}],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("actor", ["dpo", "agent"])
def test_staff_log_a_request_with_its_real_date_of_receipt(api, request, actor, controller):
    user = request.getfixturevalue(actor)
    received = timezone.now() - dt.timedelta(days=12)
    response = api(user, "post", URL, _payload(received_at=received.isoformat()))
    assert response.status_code == 201, response.content
    body = response.json()
    logged = SubjectRequest.objects.get(reference=body["reference"])
    assert body["status"] == "new" and body["channel"] == "letter"
    assert body["type_details"] == {
        "items": [{"field": "Address", "current": "Rue Haute 1", "correct": "Rue Haute 10"}],
        "restrict_meanwhile": False,
    }
    assert body["due_date"] == deadlines.legal_deadline(deadlines.local_date(received)).isoformat()
    assert "allowed_actions" in body and "jobs" in body
    assert logged.verification_method == VerificationMethod.STAFF
    assert logged.events.get(kind="request.created").actor == user


def test_the_type_specific_fields_are_validated_as_on_the_form(api, dpo):
    restriction = _payload(request_type="restriction")
    del restriction["rectification_items"]
    response = api(dpo, "post", URL, restriction)
    assert response.status_code == 400
    assert "restriction_ground" in response.json()
    response = api(dpo, "post", URL, _payload(rectification_items=[{"field": "Address"}]))
    assert response.status_code == 400
    assert response.json()["rectification_items"] == [{"correct": ["Tell us what the correct data is."]}]
    assert not SubjectRequest.objects.exists()


def test_a_letter_without_e_mail_needs_the_address_and_is_answered_by_post(
    api, dpo, django_capture_on_commit_callbacks, mailoutbox
):
    refused = api(dpo, "post", URL, _payload(email=""))
    assert refused.status_code == 400
    assert "postal_address" in refused.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", URL, _payload(email="", postal_address="Rue Haute 1, 1000 Bruxelles"))
    assert response.status_code == 201, response.content
    assert response.json()["email"] == ""
    assert not OutgoingEmail.objects.exists() and mailoutbox == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("channel", "web"), ("channel", ""), ("received_at", "2999-01-01T10:00:00Z"), ("received_at", "yesterday")],
)
def test_a_wrong_channel_or_date_of_receipt_is_refused(api, dpo, field, value):
    response = api(dpo, "post", URL, _payload(**{field: value}))
    assert response.status_code == 400
    assert field in response.json()


def test_an_auditor_is_refused_and_nothing_is_created(api, auditor, caplog):
    response = api(auditor, "post", URL, _payload())
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow logging requests."
    assert not SubjectRequest.objects.exists()
    assert any("may not log requests" in record.getMessage() for record in caplog.records)


def test_a_user_without_a_role_is_refused(api, outsider):
    assert api(outsider, "post", URL, _payload()).status_code == 403
    assert not SubjectRequest.objects.exists()


def test_an_expired_token_is_refused(api, expired_token):
    assert api(expired_token, "post", URL, _payload()).status_code == 401
    assert not SubjectRequest.objects.exists()


def test_staff_log_the_data_whose_accuracy_the_subject_contests(api, agent):
    from dsar.models import DataCategory

    DataCategory.objects.create(code="identity", names={"en": "Identity data"})
    restriction = _payload(request_type="restriction", restriction_ground="contested_accuracy")
    del restriction["rectification_items"]
    refused = api(agent, "post", URL, {**restriction, "restriction_contested_categories": ["billing"]})
    assert refused.status_code == 400 and list(refused.json()) == ["restriction_contested_categories"]
    response = api(agent, "post", URL, {**restriction, "restriction_contested_categories": ["identity"]})
    assert response.status_code == 201, response.content
    assert response.json()["type_details"] == {"ground": "contested_accuracy", "contested_categories": ["identity"]}


def test_without_a_token_it_is_still_the_public_intake(api, db):
    public = _payload(rectification_items=[{"field": "Address", "correct": "Rue Haute 10"}])
    del public["channel"]
    response = api(None, "post", URL, public)
    assert response.status_code == 201
    assert response.json()["status"] == "unverified"
    assert SubjectRequest.objects.get().channel == "api"


def test_the_schema_documents_both_ways_of_creating(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/requests/"]["post"]
    # No security requirement (anyone may call it, so that a generated client
    # takes an anonymous one); the description tells staff to send their token.
    assert operation["security"] == [] and "With a staff token" in operation["description"]
    staff = schema["components"]["schemas"]["StaffRequestRequest"]
    assert {"channel", "request_type", "full_name", "language"} <= set(staff["required"])
    assert "email" not in staff["required"] and "received_at" in staff["properties"]
    # A staff body also fits the public shape: "any of", not "exactly one of".
    assert len(schema["components"]["schemas"]["RequestSubmissionRequest"]["anyOf"]) == 2


def test_it_refuses_a_request_without_saying_how_the_identity_was_checked(api, dpo):
    payload = _payload()
    del payload["identity_check"]

    response = api(dpo, "post", URL, payload)

    assert response.status_code == 400
    assert "identity_check" in response.json()
    assert not SubjectRequest.objects.exists()


def test_the_identity_check_is_recorded(api, dpo):
    api(dpo, "post", URL, _payload(identity_check="known_facts", identity_note="Gave invoice INV-2026-113."))

    logged = SubjectRequest.objects.get()
    event = logged.events.get(kind="request.created")
    assert event.details["identity_check"] == "known_facts"
    assert "INV-2026-113" in logged.notes.get().body
