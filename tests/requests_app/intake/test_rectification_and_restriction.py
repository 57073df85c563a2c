"""What the subject sees when asking for corrections or a restriction: the rows
of the form, errors per row, what is kept, what is stored and what is e-mailed."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from requests_app.models import OutgoingEmail, SubjectRequest
from tests.fixtures.intake import form_data, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    def _submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("intake:form"), form_data(**overrides))

    return _submit


def _confirm(client, django_capture_on_commit_callbacks):
    path = link_in(mail.outbox[-1].body, "verify")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_the_form_shows_three_correction_rows_two_more_folded_and_the_four_grounds_without_javascript(client):
    page = client.get(reverse("intake:form"))
    content = page.content.decode()
    shown, folded = content.split('<details class="more-corrections">')
    for number in range(1, 4):
        assert f"<legend>Correction {number}</legend>" in shown
    for number in (4, 5):
        assert f"<legend>Correction {number}</legend>" in folded
    assert "<summary>More corrections</summary>" in folded
    assert 'name="rectification_field_5"' in content and 'name="rectification_field_6"' not in content
    assert content.count('name="restriction_ground"') == 4
    text = _text(page)
    assert "You contest that your data is accurate: we stop using it for as long as we need to check it." in text
    assert "Stop using this data until it is corrected (Art. 18(1)(a))" in text


def test_errors_are_listed_per_row_at_the_top_and_next_to_the_field_and_the_input_is_kept(submit):
    response = submit(
        request_type="rectification",
        language="en",
        rectification_field="Address",
        rectification_correct="Kerkstraat 10, 2000 Antwerpen",
        rectification_current_3="Lotte Peters",
        rectification_restrict="on",
        full_name="",
    )
    assert response.status_code == 400
    assert not SubjectRequest.objects.exists()
    content = response.content.decode()
    summary = _text(response).split('id="error-summary"')[1].split("</ul>")[0]
    assert (
        '<a href="#id_rectification_field_3">Correction 3: Which data is wrong? – Tell us which data is wrong.</a>'
        in (summary)
    )
    assert '<a href="#id_rectification_correct_3">Correction 3: What is correct – ' in summary
    assert "Correction 1" not in summary
    # In the order of the page: the corrections, then who the subject is.
    assert summary.index("Correction 3") < summary.index("Full name")
    # Next to the field, tied to it for screen readers.
    assert 'id="id_rectification_field_3_error"' in content
    assert re.search(r'<input[^>]*aria-describedby="id_rectification_field_3_error"[^>]*aria-invalid="true"', content)
    # What was typed stays, in every row.
    assert 'value="Address"' in content
    assert "Kerkstraat 10, 2000 Antwerpen</textarea>" in content
    assert "Lotte Peters</textarea>" in content
    assert re.search(r'name="rectification_restrict"[^>]*checked', content)
    assert '<details class="more-corrections">' in content  # nothing typed in rows 4 and 5: still folded


def test_a_folded_row_that_was_typed_in_comes_back_unfolded(submit):
    response = submit(request_type="rectification", rectification_field_5="Telefoon", rectification_correct_5="0470")
    assert response.status_code == 302
    response = submit(request_type="rectification", email="other@example.be", rectification_field_5="Telefoon")
    assert response.status_code == 400
    content = response.content.decode()
    assert '<details class="more-corrections" open>' in content and 'value="Telefoon"' in content
    assert SubjectRequest.objects.get().type_details["items"] == [
        {"field": "Telefoon", "current": "", "correct": "0470"}
    ]


def test_a_correction_request_without_any_row_asks_for_the_first_one_in_dutch(client, submit):
    client.post(reverse("set_language"), {"language": "nl"})
    response = submit(request_type="rectification")
    assert response.status_code == 400
    summary = _text(response).split('id="error-summary"')[1].split("</ul>")[0]
    assert "Verbetering 1: Welke gegevens zijn onjuist? – Vertel ons welke gegevens onjuist zijn." in summary
    assert "Verbetering 2" not in summary


def test_several_corrections_are_stored_confirmed_and_acknowledged(client, submit, django_capture_on_commit_callbacks):
    response = submit(
        request_type="rectification",
        language="fr",
        rectification_field="Adresse",
        rectification_current="Rue Haute 1",
        rectification_correct="Rue Haute 10",
        rectification_field_2="",
        rectification_field_4="Prénom",
        rectification_correct_4="Lotte",
        rectification_restrict="on",
    )
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert request.type_details == {
        "items": [
            {"field": "Adresse", "current": "Rue Haute 1", "correct": "Rue Haute 10"},
            {"field": "Prénom", "current": "", "correct": "Lotte"},
        ],
        "restrict_meanwhile": True,
    }
    # The confirmation e-mail goes to an unproven address: it counts the
    # corrections but carries none of the typed words.
    verify = mail.outbox[-1]
    assert "Vous nous avez envoyé 2 corrections." in verify.body
    assert "Vous nous avez demandé de ne plus utiliser ces données jusqu'à leur correction." in verify.body
    assert "Rue Haute" not in verify.body and "Rue Haute" not in verify.alternatives[0][0]

    _confirm(client, django_capture_on_commit_callbacks)
    ack = mail.outbox[-1]
    assert OutgoingEmail.objects.filter(template="intake_acknowledgement").exists()
    assert "Ce que vous avez demandé" in ack.body
    assert "- Adresse : Rue Haute 1 → Rue Haute 10" in ack.body
    assert "- Prénom → Lotte" in ack.body
    assert "<li>Adresse : Rue Haute 1 → Rue Haute 10</li>" in ack.alternatives[0][0]


def test_a_restriction_needs_a_ground_and_keeps_the_free_text(submit):
    response = submit(request_type="restriction", language="en", details="My phone number, until the court rules.")
    assert response.status_code == 400
    assert "Why should we stop using your data? – Choose why we should stop using your data." in _text(response)
    assert "My phone number, until the court rules.</textarea>" in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_a_restriction_stores_its_ground_and_the_e_mails_name_it_in_german(
    client, submit, django_capture_on_commit_callbacks
):
    response = submit(
        request_type="restriction",
        language="de",
        restriction_ground="pending_objection",
        details="Newsletter-Profil",
    )
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert request.type_details == {"ground": "pending_objection"}
    assert request.details == "Newsletter-Profil"
    with translation.override("de"):
        reason = (
            "Ihr Grund: Sie haben der Verwendung Ihrer Daten widersprochen; wir verwenden sie nicht, solange wir"
            " prüfen, ob unsere Gründe Ihre überwiegen."
        )
    assert reason in mail.outbox[-1].body
    _confirm(client, django_capture_on_commit_callbacks)
    assert reason in mail.outbox[-1].body and "Was Sie beantragt haben" in mail.outbox[-1].body


def test_a_doubled_restriction_makes_no_second_request(submit):
    submit(request_type="restriction", restriction_ground="contested_accuracy")
    again = submit(request_type="restriction", restriction_ground="contested_accuracy")
    assert again.status_code == 302
    assert SubjectRequest.objects.get().type_details == {"ground": "contested_accuracy"}
    assert OutgoingEmail.objects.filter(template="intake_joined").count() == 1


def test_a_restriction_on_another_ground_is_a_request_of_its_own(submit):
    """Art. 12(3): each request is answered; one on another ground of Art. 18(1)
    is not a double of the first, and is linked to it rather than merged away."""
    submit(request_type="restriction", restriction_ground="contested_accuracy")
    again = submit(request_type="restriction", restriction_ground="legal_claims")
    assert again.status_code == 302
    first, second = SubjectRequest.objects.order_by("pk")
    assert second.type_details == {"ground": "legal_claims"} and second.related_to == first
    assert not OutgoingEmail.objects.filter(template="intake_joined").exists()


def test_a_bot_that_fills_every_row_and_the_honeypot_records_nothing(submit):
    rows = {f"rectification_field_{n}": "x" for n in range(2, 6)}
    response = submit(request_type="rectification", website="http://spam.example", **rows)
    assert response.status_code == 302 and response.url == reverse("intake:submitted")
    assert not SubjectRequest.objects.exists() and not mail.outbox


# ------------------------------------------------------------------------------
# Art. 18(1)(a): the data whose accuracy is contested
# ------------------------------------------------------------------------------
@pytest.fixture
def categories(db):
    from dsar.models import DataCategory

    for code, names in (
        ("identity", {"en": "Identity data", "nl": "Identiteitsgegevens"}),
        ("usage", {"en": "Usage data", "nl": "Gebruiksgegevens"}),
    ):
        DataCategory.objects.create(code=code, names=names)


def _contested_part(content: str) -> str:
    return content.split("data-shown-with=")[1].split("</fieldset>")[0]


def test_the_restriction_offers_the_register_categories_to_contest_without_javascript(client, categories):
    client.post(reverse("set_language"), {"language": "nl"})
    content = client.get(reverse("intake:form")).content.decode()
    restriction = content.split('data-type="restriction"')[1].split('data-type="erasure"')[0]
    # After the four grounds, as the erasure's categories follow its scope; shown with ground (a) by the script.
    assert restriction.index('name="restriction_ground"') < restriction.index('name="restriction_contested_categories"')
    part = _contested_part(restriction)
    assert part.startswith('"restriction_ground=contested_accuracy"')
    assert 'name="restriction_contested_categories" value="usage"' in part and "Gebruiksgegevens" in part
    with translation.override("nl"):
        only_then = translation.gettext(
            "Only if you contest the accuracy of your data. Tick the data that is wrong: where our systems allow "
            "it, we stop using only that while we check it. If you tick nothing, we stop using all your data."
        )
    assert only_then.startswith("Alleen") and html.escape(only_then, quote=False) in part


def test_a_register_without_categories_offers_none_to_contest(client, db):
    content = client.get(reverse("intake:form")).content.decode()
    assert 'name="restriction_contested_categories"' not in content
    assert content.count('name="restriction_ground"') == 4


def test_the_categories_contested_on_ground_a_are_stored(submit, categories):
    response = submit(
        request_type="restriction",
        restriction_ground="contested_accuracy",
        restriction_contested_categories=["usage", "identity"],
        details="My login history is wrong.",
    )
    assert response.status_code == 302
    assert SubjectRequest.objects.get().type_details == {
        "ground": "contested_accuracy",
        "contested_categories": ["usage", "identity"],
    }


def test_ground_a_without_categories_restricts_all_and_other_grounds_ignore_ticked_ones(submit, categories):
    # Ticked, then another ground chosen (the list is hidden then): that ground concerns all the data.
    assert (
        submit(
            request_type="restriction", restriction_ground="legal_claims", restriction_contested_categories=["usage"]
        ).status_code
        == 302
    )
    assert SubjectRequest.objects.get().type_details == {"ground": "legal_claims"}
    assert (
        submit(request_type="restriction", restriction_ground="contested_accuracy", email="jan@example.be").status_code
        == 302
    )
    assert SubjectRequest.objects.get(email="jan@example.be").type_details == {"ground": "contested_accuracy"}


def test_an_unknown_category_is_refused_next_to_the_list_which_then_stays_shown(submit, categories):
    response = submit(
        request_type="restriction",
        language="en",
        restriction_ground="contested_accuracy",
        restriction_contested_categories=["usage", "health"],
        details="Keep this text",
    )
    assert response.status_code == 400
    assert not SubjectRequest.objects.exists()
    content = response.content.decode()
    message = "“health” is not one of the data categories we list: choose among them."
    summary = _text(response).split('id="error-summary"')[1].split("</ul>")[0]
    assert f'<a href="#id_restriction_contested_categories">Which data is inaccurate? (optional) – {message}</a>' in (
        summary
    )
    assert 'id="id_restriction_contested_categories_error"' in content and html.escape(message) in content
    # Shown even with JavaScript, so that the error is seen; what was chosen and typed stays.
    assert 'data-shown-with="restriction_ground' not in content
    assert re.search(r'value="contested_accuracy"[^>]*checked', content)
    assert re.search(r'value="usage"[^>]*checked', content)
    assert "Keep this text</textarea>" in content


def test_categories_ticked_without_a_ground_stay_ticked_while_the_ground_is_asked_for(submit, categories):
    response = submit(request_type="restriction", restriction_contested_categories=["identity"])
    assert response.status_code == 400
    assert "Choose why we should stop using your data." in _text(response)
    assert re.search(r'value="identity"[^>]*checked', response.content.decode())


def test_the_e_mails_name_the_data_chosen_from_our_lists(
    submit, client, categories, django_capture_on_commit_callbacks
):
    submit(
        request_type="restriction",
        language="en",
        restriction_ground="contested_accuracy",
        restriction_contested_categories=["usage", "identity"],
    )
    # Names from our register, not words the sender typed: the unproven address may read them.
    assert "The data you contest: Usage data, Identity data" in mail.outbox[-1].body
    _confirm(client, django_capture_on_commit_callbacks)
    assert "- The data you contest: Usage data, Identity data" in mail.outbox[-1].body


def test_the_e_mails_name_the_categories_of_a_specific_erasure(submit, categories):
    submit(request_type="erasure", language="nl", erasure_scope="specific", erasure_categories=["usage"])
    assert "De gegevens om te wissen: Gebruiksgegevens" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("request_type", "fields"),
    [
        ("erasure", {"erasure_scope": "all"}),
        ("restriction", {"restriction_ground": "unlawful_processing"}),
        ("rectification", {"rectification_field": "Phone", "rectification_correct": "+32 470 12 34 56"}),
    ],
)
def test_the_subject_may_ask_which_recipients_were_informed(submit, request_type, fields):
    """Art. 19, last sentence: offered with each right whose change is passed on to the recipients."""
    submit(request_type=request_type, language="en", **{f"{request_type}_tell_recipients": "on"}, **fields)

    assert SubjectRequest.objects.get().type_details["tell_recipients"] is True
    assert "You asked us to tell you which organisations we informed." in mail.outbox[-1].body


def test_the_question_of_recipients_is_not_kept_for_a_right_without_recipients_to_tell(submit):
    submit(request_type="access", language="en", erasure_tell_recipients="on")

    assert "tell_recipients" not in SubjectRequest.objects.get().type_details
