"""The web form validates the representative's part with the fields a
submission sends (``sent_fields_only``): every answer must be the whole form's."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from requests_app.representation.forms import RepresentativeForm

ON_BEHALF = {
    "on_behalf": "on",
    "representative_name": "Mr. An Janssens",
    "representative_email": "an.janssens@advocaat.example.be",
    "relationship": "lawyer",
    "contact": "representative",
    "mandate_statement": "I, Lotte Peeters, ask An Janssens to make this request. 6 December 2026.",
}

# What browsers and clients send: nothing, the page's defaults, stray values (good and bad), a ticked box.
POSTS = [
    {},
    {"contact": "representative", "subject_language": ""},
    {"representative_name": "Somebody", "representative_email": "somebody@example.be"},
    {"representative_email": "not an address"},
    {"relationship": "bogus"},
    {"subject_language": "xx"},
    {"mandate_statement": "x" * 5001},
    {"on_behalf": "", "representative_email": "an@example.be"},
    {"on_behalf": "off", "minor_age_band": "under_13"},
    ON_BEHALF,
    {**ON_BEHALF, "representative_email": ""},
    {**ON_BEHALF, "relationship": ""},
    {"on_behalf": "true"},
]


def _answers(form: RepresentativeForm):
    valid = form.is_valid()
    return (
        valid,
        {field: list(errors) for field, errors in form.errors.items()},
        (form.cleaned_data.get("representation") if valid else None),
    )


@pytest.mark.parametrize("data", POSTS)
def test_the_fields_sent_answer_as_the_whole_form(data):
    whole = RepresentativeForm(data=data)
    sent = RepresentativeForm(data=data, sent_fields_only=True)
    assert _answers(sent) == _answers(whole)


def test_a_file_sent_without_the_box_ticked_is_still_checked():
    files = MultiValueDict({"mandate_document": [SimpleUploadedFile("mandate.exe", b"MZ\x90\x00 binary")]})
    whole = RepresentativeForm(data={}, files=files)
    sent = RepresentativeForm(data={}, files=files, sent_fields_only=True)
    assert _answers(sent) == _answers(whole)
    assert "mandate_document" in sent.errors


def test_without_the_box_ticked_only_the_fields_with_a_value_are_built():
    form = RepresentativeForm(data={"contact": "representative"}, sent_fields_only=True)
    assert set(form.fields) == {"on_behalf", "contact"}
    assert set(RepresentativeForm(data=ON_BEHALF, sent_fields_only=True).fields) == set(RepresentativeForm.base_fields)
