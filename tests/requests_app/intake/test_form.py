"""The request form: every field and every right, in the four languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from requests_app.intake.forms import RIGHT_EXPLANATIONS, RequestForm
from requests_app.models import ControllerProfile, RequestType
from tests.fixtures.intake import form_data

LANGUAGES = ["nl", "fr", "de", "en"]

# The English source of each message, so a test can tell a translated one.
ENGLISH = {
    "wrong_field": "Tell us which data is wrong.",
    "correct": "Tell us what the correct data is.",
    "erase_which": "Tell us which data we should delete.",
    "objection": "Choose at least one use of your data.",
    "consent": "Choose at least one consent.",
    "restriction": "Choose why we should stop using your data.",
    "objection_free": "Tell us which use of your data you object to.",
    "withdrawal_free": "Tell us which consent you withdraw.",
    "format": "Choose a file format.",
    "phone": "Enter a valid phone number, for example +32 470 12 34 56.",
}


def _errors(ui_language: str, **data) -> dict:
    with translation.override(ui_language):
        form = RequestForm(data=form_data(**data))
        assert not form.is_valid()
        return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def _expect(language: str, key: str) -> str:
    with translation.override(language):
        text = translation.gettext(ENGLISH[key])
    if language != "en":
        assert text != ENGLISH[key], f"{key!r} is not translated into {language}"
    return text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
class TestEveryRightInEveryLanguage:
    def test_it_accepts_an_access_request_with_only_a_name_and_an_address(self, language):
        with translation.override(language):
            form = RequestForm(data=form_data(language=language))
            assert form.is_valid(), form.errors
        assert form.cleaned_data["type_details"] == {}

    def test_it_asks_what_is_wrong_and_what_is_correct_for_a_correction(self, language):
        errors = _errors(language, request_type="rectification")
        assert errors["rectification_field"] == [_expect(language, "wrong_field")]
        assert errors["rectification_correct"] == [_expect(language, "correct")]

    def test_it_builds_the_correction_details(self, language):
        with translation.override(language):
            form = RequestForm(
                data=form_data(
                    request_type="rectification",
                    rectification_field="Adres",
                    rectification_current="Kerkstraat 1",
                    rectification_correct="Kerkstraat 10",
                    rectification_restrict="on",
                )
            )
            assert form.is_valid(), form.errors
        assert form.cleaned_data["type_details"] == {
            "items": [{"field": "Adres", "current": "Kerkstraat 1", "correct": "Kerkstraat 10"}],
            "restrict_meanwhile": True,
        }

    def test_it_asks_which_data_to_erase_when_not_everything(self, language):
        errors = _errors(language, request_type="erasure", erasure_scope="specific")
        assert errors["erasure_specific"] == [_expect(language, "erase_which")]

    def test_it_records_an_erasure_of_everything(self, language):
        with translation.override(language):
            form = RequestForm(data=form_data(request_type="erasure", erasure_scope="all", erasure_specific="ignored"))
            assert form.is_valid(), form.errors
        assert form.cleaned_data["type_details"] == {"scope": "all", "specific": ""}

    def test_it_refuses_an_unknown_erasure_scope(self, language):
        errors = _errors(language, request_type="erasure", erasure_scope="everything-and-more")
        assert "erasure_scope" in errors

    def test_it_offers_objectionable_activities_and_requires_one(self, language, activities):
        with translation.override(language):
            form = RequestForm()
        assert [code for code, _ in form.fields["objection_activities"].choices] == ["direct-marketing"]
        errors = _errors(language, request_type="objection")
        assert errors["objection_activities"] == [_expect(language, "objection")]

    def test_it_refuses_an_activity_that_is_not_objectionable(self, language, activities):
        errors = _errors(language, request_type="objection", objection_activities=["billing"])
        assert "objection_activities" in errors

    def test_it_offers_consents_for_withdrawal(self, language, activities):
        with translation.override(language):
            form = RequestForm(
                data=form_data(request_type="withdrawal", withdrawal_consents=["newsletter", "webinars"])
            )
            assert form.is_valid(), form.errors
            assert sorted(code for code, _ in form.fields["withdrawal_consents"].choices) == ["newsletter", "webinars"]
        assert form.cleaned_data["type_details"] == {"consents": ["newsletter", "webinars"]}
        errors = _errors(language, request_type="withdrawal")
        assert errors["withdrawal_consents"] == [_expect(language, "consent")]

    def test_it_asks_for_a_description_when_the_register_is_empty(self, language):
        assert _errors(language, request_type="objection")["details"] == [_expect(language, "objection_free")]
        assert _errors(language, request_type="withdrawal")["details"] == [_expect(language, "withdrawal_free")]

    def test_it_asks_for_a_format_for_portability(self, language):
        errors = _errors(language, request_type="portability", portability_format="")
        assert errors["portability_format"] == [_expect(language, "format")]
        with translation.override(language):
            form = RequestForm(
                data=form_data(request_type="portability", portability_format="csv", portability_target="Acme NV")
            )
            assert form.is_valid(), form.errors
        assert form.cleaned_data["type_details"] == {"format": "csv", "target_controller": "Acme NV"}

    def test_it_asks_for_the_ground_of_a_restriction(self, language):
        errors = _errors(language, request_type="restriction", details="Mijn adres")
        assert errors == {"restriction_ground": [_expect(language, "restriction")]}

    def test_it_records_the_ground_of_a_restriction_without_free_text(self, language):
        with translation.override(language):
            form = RequestForm(data=form_data(request_type="restriction", restriction_ground="legal_claims"))
            assert form.is_valid(), form.errors
        assert form.cleaned_data["type_details"] == {"ground": "legal_claims"}
        assert form.cleaned_data["details"] == ""

    def test_it_names_the_four_grounds_of_art_18_in_the_language(self, language):
        with translation.override(language):
            choices = dict(RequestForm().fields["restriction_ground"].choices)
            labels = [str(label) for label in choices.values()]
        assert list(choices) == ["contested_accuracy", "unlawful_processing", "legal_claims", "pending_objection"]
        if language != "en":
            with translation.override("en"):
                english = [str(label) for label in dict(RequestForm().fields["restriction_ground"].choices).values()]
            assert not set(labels) & set(english)

    def test_it_takes_several_corrections_and_leaves_out_empty_rows(self, language):
        with translation.override(language):
            form = RequestForm(
                data=form_data(
                    request_type="rectification",
                    rectification_field="Adres",
                    rectification_correct="Kerkstraat 10",
                    rectification_field_3="Geboortedatum",
                    rectification_current_3="01/02/1985",
                    rectification_correct_3="02/01/1985",
                    rectification_field_2="  ",
                    rectification_correct_4="",
                )
            )
            assert form.is_valid(), form.errors
        assert form.cleaned_data["type_details"] == {
            "items": [
                {"field": "Adres", "current": "", "correct": "Kerkstraat 10"},
                {"field": "Geboortedatum", "current": "01/02/1985", "correct": "02/01/1985"},
            ],
            "restrict_meanwhile": False,
        }

    def test_it_asks_what_is_missing_in_the_row_where_it_is_missing(self, language):
        errors = _errors(
            language,
            request_type="rectification",
            rectification_field="Adres",
            rectification_correct="Kerkstraat 10",
            rectification_current_2="Peters",
            rectification_field_5="Voornaam",
        )
        assert errors == {
            "rectification_field_2": [_expect(language, "wrong_field")],
            "rectification_correct_2": [_expect(language, "correct")],
            "rectification_correct_5": [_expect(language, "correct")],
        }

    def test_it_refuses_a_bad_phone_number(self, language):
        assert _errors(language, phone="12ab")["phone"] == [_expect(language, "phone")]

    def test_it_requires_a_name_and_a_valid_e_mail_address(self, language):
        errors = _errors(language, full_name="  ", email="not-an-address")
        assert set(errors) == {"full_name", "email"}

    def test_every_right_is_explained_in_the_language(self, language):
        with translation.override(language):
            for value, _label in RequestType.choices:
                text = str(RIGHT_EXPLANATIONS[value])
                assert text
                if language != "en":
                    with translation.override("en"):
                        assert text != str(RIGHT_EXPLANATIONS[value])


@pytest.mark.django_db
def test_it_normalises_a_phone_number():
    form = RequestForm(data=form_data(phone="0470 12 34 56"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+32470123456"


@pytest.mark.django_db
def test_it_refuses_unknown_choices():
    errors = _errors("en", **{"request_type": "everything", "language": "xx"})
    assert set(errors) >= {"request_type", "language"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "length"),
    [
        ("full_name", 201),
        ("details", 5001),
        ("customer_number", 65),
        ("rectification_correct", 1001),
        ("rectification_current_4", 1001),
        ("rectification_field_5", 201),
        ("postal_address", 1001),
    ],
)
def test_it_refuses_over_long_text(field, length):
    errors = _errors("en", request_type="rectification", rectification_field="x", **{field: "a" * length})
    assert field in errors


@pytest.mark.django_db
def test_it_only_asks_for_the_national_number_when_the_controller_enabled_it():
    assert "national_number" not in RequestForm().fields
    ControllerProfile.objects.create(
        name="C", dpo_email="dpo@example.be", authority_name="GBA", national_number_enabled=True
    )
    form = RequestForm(data=form_data(national_number="85.07.30-033.28"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_number"] == "85073003328"
    assert "national_number" in _errors("en", national_number="12.34.56-789.00")


@pytest.mark.django_db
def test_it_flags_the_honeypot():
    form = RequestForm(data=form_data(website="http://spam.example"))
    assert form.honeypot_filled and not form.is_valid()


@pytest.mark.django_db
def test_it_refuses_an_unknown_restriction_ground():
    errors = _errors("en", request_type="restriction", restriction_ground="because")
    assert list(errors) == ["restriction_ground"]
    assert "because" in errors["restriction_ground"][0]


@pytest.mark.django_db
def test_it_takes_no_more_corrections_than_it_has_rows():
    form = RequestForm(data=form_data(request_type="rectification", rectification_field_6="x"))
    assert "rectification_field_5" in form.fields and "rectification_field_6" not in form.fields
    assert not form.is_valid()
    assert set(form.errors) == {"rectification_field", "rectification_correct"}
