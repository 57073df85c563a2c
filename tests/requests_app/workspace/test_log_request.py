"""Logging a request received by e-mail, letter or phone: what the subject
asked is recorded as the public form records it, and a subject without an
e-mail address is answered by post, with nothing e-mailed anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dsar.models import LegalBasis, ProcessingActivity
from requests_app.models import OutgoingEmail, SubjectRequest, VerificationMethod

URL = "workspace:log_request"


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
    ProcessingActivity.objects.create(code="newsletter", legal_basis=LegalBasis.CONSENT, names={"en": "Newsletter"})
    ProcessingActivity.objects.create(code="webinars", legal_basis=LegalBasis.CONSENT, names={"en": "Webinars"})


def _data(**overrides) -> dict:
    data = {
        "channel": "letter",
        "identity_check": "known_contact",
        "received_on": timezone.localdate().isoformat(),
        "request_type": "access",
        "language": "nl",
        "full_name": "Marie Dubois",
        "email": "marie@example.be",
        "postal_address": "",
        "phone": "",
    }
    data.update(overrides)
    return data


def _log(client, **overrides):
    return client.post(reverse(URL), _data(**overrides))


def test_the_page_shows_every_types_section_without_javascript(dpo_client, activities):
    page = dpo_client.get(reverse(URL)).content.decode()
    for name in (
        "rectification_field",
        "rectification_correct_5",
        "rectification_restrict",
        "restriction_ground",
        "erasure_scope",
        "erasure_specific",
        "objection_activities",
        "withdrawal_consents",
        "portability_format",
        "portability_target",
    ):
        assert f'name="{name}"' in page, name
    assert "Direct marketing" in page and "Newsletter" in page
    assert 'name="website"' not in page


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {
                "request_type": "rectification",
                "rectification_field": "Address",
                "rectification_current": "Kerkstraat 1",
                "rectification_correct": "Kerkstraat 10",
                "rectification_field_2": "Name",
                "rectification_correct_2": "Marie Dubois-Leclercq",
                "rectification_restrict": "on",
            },
            {
                "items": [
                    {"field": "Address", "current": "Kerkstraat 1", "correct": "Kerkstraat 10"},
                    {"field": "Name", "current": "", "correct": "Marie Dubois-Leclercq"},
                ],
                "restrict_meanwhile": True,
            },
        ),
        ({"request_type": "restriction", "restriction_ground": "legal_claims"}, {"ground": "legal_claims"}),
        (
            {"request_type": "erasure", "erasure_scope": "specific", "erasure_specific": "My old orders"},
            {"scope": "specific", "specific": "My old orders"},
        ),
        ({"request_type": "erasure", "erasure_scope": "all"}, {"scope": "all", "specific": ""}),
        ({"request_type": "objection", "objection_activities": ["profiling"]}, {"activities": ["profiling"]}),
        ({"request_type": "withdrawal", "withdrawal_consents": ["newsletter"]}, {"consents": ["newsletter"]}),
        (
            {
                "request_type": "portability",
                "portability_format": "csv",
                "portability_target": "Other Bank",
                "portability_target_email": "dpo@otherbank.example",
            },
            {"format": "csv", "target_controller": "Other Bank", "target_controller_email": "dpo@otherbank.example"},
        ),
        ({"request_type": "access"}, {}),
    ],
)
def test_each_types_details_are_stored_as_the_public_form_stores_them(dpo_client, activities, fields, expected):
    # Fields of the other types are on the page too (no JavaScript): they are ignored.
    response = _log(dpo_client, **{"portability_target": "Ignored unless portability", **fields})
    assert response.status_code == 302, response.content.decode()
    request = SubjectRequest.objects.get()
    assert request.request_type == fields["request_type"]
    assert request.type_details == expected


def test_an_objection_must_say_which_activities_instead_of_silently_covering_all(dpo_client, activities):
    response = _log(dpo_client, request_type="objection")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one use of your data." in page
    assert not SubjectRequest.objects.exists()


def test_errors_show_next_to_their_field_and_the_input_is_kept(dpo_client, activities):
    response = _log(
        dpo_client,
        request_type="rectification",
        rectification_field="Address",
        rectification_current="Kerkstraat 1",
        full_name="Marie Dubois",
    )
    page = response.content.decode()
    assert response.status_code == 400
    # The error sits right after its own field, the typed text is still there.
    field_at = page.index('name="rectification_correct"')
    error_at = page.index("Tell us what the correct data is.")
    assert field_at < error_at < page.index('name="rectification_field_2"')
    assert 'value="Address"' in page and "Kerkstraat 1" in page and 'value="Marie Dubois"' in page
    assert '<option value="rectification" selected>' in page


def test_staff_note_the_data_whose_accuracy_the_subject_contests(dpo_client, activities):
    from dsar.models import DataCategory

    page = dpo_client.get(reverse(URL)).content.decode()
    assert 'name="restriction_contested_categories"' not in page  # the register lists no category yet
    DataCategory.objects.create(code="identity", names={"en": "Identity data", "nl": "Identiteitsgegevens"})
    page = dpo_client.get(reverse(URL)).content.decode()
    restriction = page.split('data-type="restriction"')[1].split("</fieldset>")[0]
    assert "The data whose accuracy the subject contests (ground (a) only; none: all their data is restricted)" in (
        restriction
    )
    assert 'name="restriction_contested_categories" value="identity"' in restriction and "Identity data" in restriction
    assert "Only if you contest" not in restriction  # the subject's help text is not for staff

    refused = _log(
        dpo_client,
        request_type="restriction",
        restriction_ground="contested_accuracy",
        restriction_contested_categories=["health"],
    )
    assert refused.status_code == 400
    assert "“health” is not one of the data categories we list: choose among them." in refused.content.decode()
    assert (
        _log(
            dpo_client,
            request_type="restriction",
            restriction_ground="contested_accuracy",
            restriction_contested_categories=["identity"],
        ).status_code
        == 302
    )
    assert SubjectRequest.objects.get().type_details == {
        "ground": "contested_accuracy",
        "contested_categories": ["identity"],
    }


def test_a_letter_without_e_mail_needs_the_postal_address(dpo_client):
    response = _log(dpo_client, email="", channel="letter")
    assert response.status_code == 400
    assert "Without an e-mail address, enter the postal address" in response.content.decode()


def test_a_call_without_e_mail_needs_the_phone_number(dpo_client):
    response = _log(dpo_client, email="", channel="phone", postal_address="Kerkstraat 10, 9000 Gent")
    assert response.status_code == 400
    assert "Without an e-mail address, enter the phone number" in response.content.decode()
    assert _log(dpo_client, email="", channel="phone", phone="+32 470 12 34 56").status_code == 302


@pytest.mark.parametrize("channel", ["email", "in_person"])
def test_other_channels_still_need_an_e_mail_address(dpo_client, channel):
    response = _log(dpo_client, email="", channel=channel, postal_address="Kerkstraat 10", phone="+32470123456")
    assert response.status_code == 400
    assert "only a request received by letter or phone may be logged without one" in response.content.decode()


def test_a_letter_without_e_mail_is_logged_and_answered_by_post_without_any_e_mail(
    dpo_client, dpo, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _log(dpo_client, email="", postal_address="Kerkstraat 10\n9000 Gent")
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert request.email == "" and request.channel == "letter"
    assert request.verification_method == VerificationMethod.STAFF

    page = dpo_client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    assert "No e-mail address: answer by post." in page
    assert "Identity checked by staff" in page
    assert "Logged by staff (received by: Letter)" in page

    action = reverse("workspace:action", args=[request.reference, "reject"])
    with django_capture_on_commit_callbacks(execute=True):
        dpo_client.post(action, {"reason": "excessive", "details": "Fifth identical letter."})
    request.refresh_from_db()
    assert request.status == "rejected"
    assert not OutgoingEmail.objects.exists()
    assert mailoutbox == []
    # Each message the subject would have been e-mailed is on the timeline, to be sent by post.
    not_sent = [event.details["email"] for event in request.events.filter(kind="email.not_sent").order_by("seq")]
    assert not_sent == ["intake_acknowledgement", "workspace_rejected"]
    timeline = dpo_client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    assert "No e-mail address: this message must be sent by post" in timeline


def test_a_letter_with_an_e_mail_address_is_still_logged_as_before(dpo_client):
    assert _log(dpo_client, postal_address="").status_code == 302
    assert SubjectRequest.objects.get().email == "marie@example.be"


def test_the_request_page_names_the_register_codes_the_subject_chose(dpo_client, controller):
    from tests.factories import make_request

    subject_request = make_request(
        request_type="objection", type_details={"activities": ["keeping-in-touch"]}, language="nl"
    )

    page = dpo_client.get(f"/workspace/requests/{subject_request.reference}/").content.decode()

    assert "Processing activities objected to" in page
    assert "keeping-in-touch" not in page.split('id="h-details"')[1].split("</section>")[0]


def test_it_asks_how_the_subjects_identity_was_checked(dpo_client):
    response = _log(dpo_client, identity_check="")

    assert response.status_code == 400
    assert 'id="id_identity_check_error"' in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_other_needs_words_and_they_go_to_a_note_not_the_audit(dpo_client):
    refused = _log(dpo_client, identity_check="other")
    assert "Explain how the subject" in refused.content.decode()
    assert not SubjectRequest.objects.exists()

    _log(dpo_client, identity_check="other", identity_note="Called her back on the number of her 2024 contract.")

    logged = SubjectRequest.objects.get()
    event = logged.events.get(kind="request.created")
    assert event.details["identity_check"] == "other"
    assert "contract" not in str(event.details)
    (note,) = logged.notes.all()
    assert "Called her back on the number of her 2024 contract." in note.body
    assert event.details["note"] == note.pk


def test_the_request_page_says_how_the_identity_was_checked(dpo_client):
    _log(dpo_client, identity_check="id_document")

    logged = SubjectRequest.objects.get()
    page = dpo_client.get(reverse("workspace:request", args=[logged.reference])).content.decode()
    identity = page.split('id="h-identity"')[1].split("</section>")[0]
    assert "How:" in identity and "Identity document seen" in identity
    assert "identity checked: Identity document seen" in page.split('id="h-timeline"')[1]
