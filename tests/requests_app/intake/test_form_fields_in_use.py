"""The API validates with the request form built of the fields a submission
uses (``sent_fields_only``): every answer must be the whole form's."""

from __future__ import annotations

import pytest
from django.utils import translation

from dsar.models import DataCategory
from requests_app.api.intake import form_data as api_form_data
from requests_app.intake.forms import RequestForm
from requests_app.intake.services import _REQUEST_FIELDS

BASE = {"full_name": "Lotte Peeters", "email": "lotte.peeters@example.be", "language": "nl"}

# Every right, valid and not, with and without fields of other rights (with good and bad values).
SUBMISSIONS = [
    {"request_type": "access"},
    {"request_type": "access", "customer_number": "C-1", "phone": "+32 470 12 34 56", "details": "Hello"},
    {"request_type": "access", "phone": "not a phone"},
    {"request_type": "access", "erasure_scope": "bogus"},
    {"request_type": "access", "erasure_scope": "all", "portability_format": "csv"},
    {"request_type": "access", "objection_activities": ["nope"]},
    {"request_type": "access", "rectification_field_3": "x" * 300},
    {"request_type": "access", "website": "http://spam.example"},
    {"request_type": "access", "full_name": ""},
    {"request_type": "rectification"},
    {"request_type": "rectification", "rectification_field": "Address", "rectification_correct": "Kerkstraat 1"},
    {"request_type": "rectification", "rectification_field_2": "Phone", "rectification_tell_recipients": "true"},
    {"request_type": "erasure"},
    {"request_type": "erasure", "erasure_scope": "all", "erasure_tell_recipients": "true"},
    {"request_type": "erasure", "erasure_scope": "specific"},
    {"request_type": "erasure", "erasure_scope": "specific", "erasure_categories": ["identity"]},
    {"request_type": "erasure", "erasure_scope": "specific", "erasure_categories": ["unknown"]},
    {"request_type": "restriction"},
    {"request_type": "restriction", "restriction_ground": "contested_accuracy"},
    {
        "request_type": "restriction",
        "restriction_ground": "contested_accuracy",
        "restriction_contested_categories": ["usage"],
    },
    {"request_type": "portability"},
    {"request_type": "portability", "portability_format": "json", "portability_target_email": "x@example.org"},
    {"request_type": "portability", "portability_format": "json", "portability_target": "Other BV"},
    {"request_type": "objection"},
    {"request_type": "objection", "objection_activities": ["direct-marketing"]},
    {"request_type": "objection", "objection_activities": ["billing"]},
    {"request_type": "withdrawal", "withdrawal_consents": ["newsletter", "webinars"]},
    {"request_type": "withdrawal", "details": "The newsletter", "erasure_categories": ["usage"]},
    {"request_type": "unknown"},
    {},
]


def _outcome(form: RequestForm) -> tuple[bool, dict, dict]:
    valid = form.is_valid()
    errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
    # What submit_request reads of a valid form.
    used = ("request_type", "full_name", "email", "language", *_REQUEST_FIELDS)
    cleaned = {name: form.cleaned_data.get(name) for name in used} if valid else {}
    return valid, errors, cleaned


@pytest.fixture
def register(activities):
    for code in ("identity", "usage"):
        DataCategory.objects.create(code=code, names={"en": code.title()})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("submission", SUBMISSIONS, ids=lambda s: "-".join(f"{k}" for k in s) or "empty")
def test_the_fields_in_use_answer_as_the_whole_form(register, submission, language):
    data = api_form_data({**BASE, **submission})
    with translation.override(language):
        whole = _outcome(RequestForm(data=data))
        in_use = _outcome(RequestForm(data=data, sent_fields_only=True))
    assert in_use == whole


@pytest.mark.django_db
def test_an_access_request_builds_only_the_fields_it_uses(register):
    form = RequestForm(data=api_form_data({**BASE, "request_type": "access"}), sent_fields_only=True)
    assert form.is_valid(), form.errors
    assert len(form.fields) < len(RequestForm.base_fields) / 3
    assert "objection_activities" not in form.fields and "rectification_field" not in form.fields


@pytest.mark.django_db
def test_the_empty_form_starts_in_the_visitors_language_with_the_usual_choices(client):
    client.post("/i18n/setlang/", {"language": "fr"})
    form = client.get("/").context["form"]
    assert form.initial["language"] == "fr"
    assert form.initial["portability_format"] == "json" and form.initial["erasure_scope"] == "all"


@pytest.mark.django_db
def test_the_page_shown_again_after_a_mistake_has_every_right_and_what_was_typed(client, register):
    from tests.fixtures.intake import form_data

    client.post("/i18n/setlang/", {"language": "en"})
    response = client.post("/", form_data(full_name="", language="en", portability_target="Other BV"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    # Every right's fields are there to switch to, with what was typed in them.
    for right in ("rectification", "restriction", "erasure", "portability", "objection", "withdrawal"):
        assert f'data-type="{right}"' in page
    assert (
        'value="Other BV"' in page and 'name="objection_activities"' in page and 'name="rectification_field_5"' in page
    )
