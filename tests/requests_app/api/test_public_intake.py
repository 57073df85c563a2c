"""The public POST /api/v1/requests/: the web form's validation, rate limits and e-mail."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from requests_app import emails
from requests_app.api.models import ApiToken
from requests_app.models import Channel, SubjectRequest
from tests.fixtures.intake import activities, form_data  # noqa: F401 (fixture)

URL = "/api/v1/requests/"


def _payload(**overrides) -> dict:
    data = form_data(**overrides)
    data.pop("website")
    return data


def _outgoing(request):
    return request.emails.get()


def test_anyone_submits_a_request_and_gets_a_reference(api, db):
    response = api(None, "post", URL, _payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "unverified"
    assert "duplicate" not in body
    request = SubjectRequest.objects.get(reference=body["reference"])
    assert request.channel == Channel.API
    assert request.full_name == "Lotte Peeters"
    # In the subject's language (Dutch here), like the e-mail they receive.
    assert body["message"].startswith("Kijk in uw mailbox")


def test_it_sends_the_same_verification_e_mail_as_the_web_form(api, client, db):
    api(None, "post", URL, _payload())
    client.post("/", form_data(email="other@example.be"))
    by_api, by_form = SubjectRequest.objects.order_by("pk")
    assert _outgoing(by_api).template == _outgoing(by_form).template == "intake_verify"
    assert _outgoing(by_api).render_later and _outgoing(by_form).render_later
    emails.deliver(_outgoing(by_api).pk)
    assert "/verify/" in mail.outbox[-1].body


def test_it_gives_a_message_per_field_like_the_form(api, db):
    response = api(None, "post", URL, {"request_type": "teleport", "email": "not-an-address", "language": "nl"})
    assert response.status_code == 400
    errors = response.json()
    assert {"request_type", "email", "full_name"} <= set(errors)
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert not SubjectRequest.objects.exists()


def test_type_specific_fields_are_validated_by_the_form(api, activities):  # noqa: F811
    response = api(None, "post", URL, _payload(request_type="objection", objection_activities=["billing"]))
    assert response.status_code == 400
    assert "objection_activities" in response.json()
    response = api(None, "post", URL, _payload(request_type="objection", objection_activities=["direct-marketing"]))
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.type_details["activities"] == ["direct-marketing"]


def test_a_list_where_one_value_is_expected_is_refused(api, db):
    response = api(None, "post", URL, _payload(full_name=["Lotte", "Peeters"]))
    assert response.status_code == 400
    assert response.json() == {"full_name": ["Expected a single value."]}


def test_a_repeated_request_is_answered_like_a_first_one(api, db):
    from requests_app.models import OutgoingEmail

    # The answer must not tell a stranger that this person already asked.
    first = api(None, "post", URL, _payload())
    again = api(None, "post", URL, _payload())

    assert first.status_code == again.status_code == 201
    assert set(first.json()) == set(again.json())
    assert again.json()["status"] == "unverified"
    assert again.json()["reference"] != first.json()["reference"]
    verifications = OutgoingEmail.objects.filter(template="intake_verify", to="lotte.peeters@example.be")
    assert verifications.count() == 2


def test_a_bot_filling_the_honeypot_is_answered_like_a_person_and_nothing_is_recorded(api, db):
    response = api(None, "post", URL, {**_payload(), "website": "http://spam.example"})
    assert response.status_code == 202
    assert SubjectRequest.objects.count() == 0


@pytest.mark.usefixtures("steady_clock")
def test_the_forms_rate_limits_apply_with_retry_after(api, settings, db):
    settings.DSAR_INTAKE_RATES_PER_IP = ["2/h"]
    for n in range(2):
        assert api(None, "post", URL, _payload(email=f"p{n}@example.be")).status_code == 201
    response = api(None, "post", URL, _payload(email="p3@example.be"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert response.json()["detail"]
    assert SubjectRequest.objects.count() == 2


@pytest.mark.usefixtures("steady_clock")
def test_the_public_endpoint_has_a_flood_guard(api, settings, db):
    settings.DSAR_API_PUBLIC_RATE = "3/minute"
    codes = [api(None, "post", URL, {}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


@pytest.mark.usefixtures("steady_clock")
def test_a_submission_counts_every_limit_in_one_round_trip(api, settings, db, monkeypatch):
    from requests_app.intake import ratelimit

    calls = []
    count = ratelimit._count
    monkeypatch.setattr(ratelimit, "_count", lambda *args: calls.append(args) or count(*args))
    assert api(None, "post", URL, _payload()).status_code == 201
    # The flood guard, the intake's limits per visitor and per address, and two versions read.
    ((counters, reads),) = calls
    assert len(counters) == 1 + len(settings.DSAR_INTAKE_RATES_PER_IP) + len(settings.DSAR_INTAKE_RATES_PER_EMAIL)
    assert len(reads) == 2


@pytest.mark.usefixtures("steady_clock")
def test_a_refused_submission_uses_up_none_of_the_address_limit(api, settings, db):
    settings.DSAR_INTAKE_RATES_PER_EMAIL = ["2/h"]
    address = "lotte.peeters@example.be"
    assert api(None, "post", URL, _payload(email=address, full_name="")).status_code == 400  # invalid
    assert api(None, "post", URL, {**_payload(email=address), "website": "http://x"}).status_code == 202  # a bot
    settings.DSAR_API_PUBLIC_RATE = "1/minute"
    assert api(None, "post", URL, _payload(email=address)).status_code == 201
    assert api(None, "post", URL, _payload(email=address, details="again")).status_code == 429  # the flood guard
    settings.DSAR_API_PUBLIC_RATE = "100/minute"
    assert api(None, "post", URL, _payload(email=address, details="once more")).status_code == 201
    response = api(None, "post", URL, _payload(email=address, details="too many"))
    assert response.status_code == 429 and SubjectRequest.objects.count() == 2


def test_a_token_is_not_needed_to_submit_but_a_bad_one_is_refused(api, revoked_token):
    # With a token the same URL logs a request for staff (tests/requests_app/api/test_staff_create.py):
    # a revoked one is refused rather than silently taken for the public intake.
    assert api(None, "post", URL, _payload()).status_code == 201
    response = api(revoked_token, "post", URL, _payload(email="other@example.be"))
    assert response.status_code == 401
    assert SubjectRequest.objects.count() == 1
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(api, dpo, new_request, method):
    response = api(dpo, method, f"{URL}{new_request.reference}/", {})
    assert response.status_code == 405


def test_several_corrections_are_sent_as_a_list_and_stored_as_the_form_stores_them(api, db):
    items = [
        {"field": "Adres", "current": "Kerkstraat 1", "correct": "Kerkstraat 10"},
        {"field": "Voornaam", "correct": "Lotte"},
    ]
    response = api(
        None,
        "post",
        URL,
        _payload(request_type="rectification", rectification_items=items, rectification_restrict=True),
    )
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.type_details == {
        "items": [
            {"field": "Adres", "current": "Kerkstraat 1", "correct": "Kerkstraat 10"},
            {"field": "Voornaam", "current": "", "correct": "Lotte"},
        ],
        "restrict_meanwhile": True,
    }


def test_the_single_correction_fields_still_work(api, db):
    response = api(
        None,
        "post",
        URL,
        _payload(request_type="rectification", rectification_field="Adres", rectification_correct="Kerkstraat 10"),
    )
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.type_details["items"] == [{"field": "Adres", "current": "", "correct": "Kerkstraat 10"}]


def test_the_errors_of_a_list_of_corrections_come_back_per_item(api, db):
    items = [
        {"field": "Adres", "correct": "Kerkstraat 10"},
        {"current": "Peters"},
        {"field": "x" * 201, "correct": "y"},
    ]
    response = api(None, "post", URL, _payload(request_type="rectification", rectification_items=items))
    assert response.status_code == 400
    errors = response.json()["rectification_items"]
    assert errors[0] == {}
    assert errors[1] == {
        "field": ["Tell us which data is wrong."],
        "correct": ["Tell us what the correct data is."],
    }
    assert list(errors[2]) == ["field"]
    assert not SubjectRequest.objects.exists()


@pytest.mark.parametrize(
    "items",
    [
        [{"field": "a", "correct": "b"}] * 6,
        "Adres",
        [["Adres", "Kerkstraat 10"]],
        [{"field": "Adres", "correct": "b", "why": "moved"}],
        [{"field": "Adres", "correct": 10}],
    ],
)
def test_a_list_of_corrections_of_the_wrong_shape_is_refused(api, db, items):
    response = api(None, "post", URL, _payload(request_type="rectification", rectification_items=items))
    assert response.status_code == 400
    assert list(response.json()) == ["rectification_items"]


def test_corrections_are_sent_one_way_not_both(api, db):
    response = api(
        None,
        "post",
        URL,
        _payload(
            request_type="rectification",
            rectification_field="Adres",
            rectification_correct="b",
            rectification_items=[{"field": "Voornaam", "correct": "Lotte"}],
        ),
    )
    assert response.status_code == 400
    assert "not both" in response.json()["rectification_items"][0]


def test_a_restriction_takes_its_ground_and_refuses_none_or_an_unknown_one(api, db):
    missing = api(None, "post", URL, _payload(request_type="restriction", details="Mijn adres"))
    assert missing.status_code == 400
    assert missing.json() == {"restriction_ground": ["Choose why we should stop using your data."]}
    unknown = api(None, "post", URL, _payload(request_type="restriction", restriction_ground="whim"))
    assert unknown.status_code == 400 and list(unknown.json()) == ["restriction_ground"]
    response = api(None, "post", URL, _payload(request_type="restriction", restriction_ground="contested_accuracy"))
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.type_details == {"ground": "contested_accuracy"}


@pytest.fixture
def categories(db):
    from dsar.models import DataCategory

    DataCategory.objects.create(code="identity", names={"en": "Identity data"})
    DataCategory.objects.create(code="usage", names={"en": "Usage data"})


def test_a_restriction_on_ground_a_names_the_contested_categories_checked_against_the_register(api, categories):
    accuracy = {"request_type": "restriction", "restriction_ground": "contested_accuracy"}
    unknown = api(None, "post", URL, _payload(**accuracy, restriction_contested_categories=["usage", "health"]))
    assert unknown.status_code == 400
    assert unknown.json() == {
        "restriction_contested_categories": ["“health” is not one of the data categories we list: choose among them."]
    }
    wrong_shape = api(None, "post", URL, _payload(**accuracy, restriction_contested_categories=[{"code": "usage"}]))
    assert wrong_shape.json() == {"restriction_contested_categories": ["Expected a list of codes."]}
    assert not SubjectRequest.objects.exists()
    response = api(None, "post", URL, _payload(**accuracy, restriction_contested_categories=["usage"]))
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.type_details == {"ground": "contested_accuracy", "contested_categories": ["usage"]}


def test_contested_categories_sent_with_another_ground_are_ignored(api, categories):
    response = api(
        None,
        "post",
        URL,
        _payload(
            request_type="restriction", restriction_ground="legal_claims", restriction_contested_categories="usage"
        ),
    )
    assert response.status_code == 201, response.content
    assert SubjectRequest.objects.get().type_details == {"ground": "legal_claims"}


def test_the_schema_documents_the_contested_categories_next_to_the_ground(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    for name in ("PublicRequestRequest", "StaffRequestRequest"):
        fields = schema["components"]["schemas"][name]["properties"]
        names = list(fields)
        assert names.index("restriction_contested_categories") == names.index("restriction_ground") + 1
        contested = fields["restriction_contested_categories"]
        assert contested["type"] == "array" and contested["items"]["type"] == "string"
        assert "contested_accuracy" in contested["description"] and "ignored" in contested["description"]


def test_the_schema_documents_the_corrections_list_and_the_restriction_grounds(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    fields = schema["components"]["schemas"]["PublicRequestRequest"]["properties"]
    assert fields["rectification_items"]["type"] == "array"
    assert fields["rectification_items"]["maxItems"] == 5
    ground = schema["components"]["schemas"][fields["restriction_ground"]["allOf"][0]["$ref"].split("/")[-1]]
    assert ground["enum"] == ["contested_accuracy", "unlawful_processing", "legal_claims", "pending_objection"]


@pytest.mark.django_db
def test_the_api_receives_a_request_while_the_cache_is_down(cache_down, api, caplog):
    with caplog.at_level(logging.WARNING):
        response = api(None, "post", URL, _payload())
    assert response.status_code == 201, response.content
    assert SubjectRequest.objects.filter(reference=response.json()["reference"]).exists()
    assert "API throttle public_submit not checked" in caplog.text
