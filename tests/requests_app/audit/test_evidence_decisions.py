"""Finding 6: the evidence pack lists every decision with its reason, not only
the approval and the release: fields withheld and records left out (with the
DPO's reasons), the mandate check, the corrections asked and the fields they
were mapped onto (Art. 5(2), 15(4), 16, 12(6))."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from dsar.models import Connector, SourceRecord
from requests_app import workflow
from requests_app.audit.evidence import render_html
from requests_app.delivery import services as delivery_services
from requests_app.models import RequestType
from requests_app.representation import services as representation
from tests.factories import make_request
from tests.requests_app.delivery.test_review import review_request  # noqa: F401 (a fixture)
from tests.requests_app.representation.test_mandate_and_emails import represent
from tests.support.execution_steps import approve_request, lotte

pytestmark = pytest.mark.django_db


def pack(request, user) -> str:
    """The pack's text as it reads (tags out), made from the request as stored."""
    request.refresh_from_db()
    html, chain = render_html(request, user=user)
    assert chain.intact
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_withheld_fields_and_left_out_records_are_in_the_pack_with_their_reasons(
    review_request,  # noqa: F811
    dpo,
    django_capture_on_commit_callbacks,
):
    request = review_request(orders=2)
    note = SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")
    orders = list(
        SourceRecord.objects.filter(run__job__external_ref=request.reference, entity="orders").values_list(
            "pk", flat=True
        )[:2]
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.set_withheld(
            request, actor=dpo, fields=[(note.pk, "text")], withheld=True, note="Names a colleague"
        )
        delivery_services.set_excluded(
            request, actor=dpo, record_ids=orders, excluded=True, note="Orders of her employer, not hers"
        )

    text = pack(request, dpo)

    decisions = text.split("Decisions and their reasons")[1].split("Verification of the audit trail")[0]
    assert "Fields withheld from the copy" in decisions and "Records left out of the copy" in decisions
    assert "Field withheld: Text in 1 record Names a colleague" in text
    assert "2 records left out" in decisions and "Orders of her employer, not hers" in decisions
    assert "Janssens" not in text  # the withheld value itself never


# What the DPO's review calls the withheld field, its table and its category, per language.
NOTE_TABLE = {
    "label": {"en": "Notes", "nl": "Notities", "fr": "Notes", "de": "Notizen"},
    "columns": {
        "text": {"label": {"en": "Note text", "nl": "Notitietekst", "fr": "Texte de la note", "de": "Notiztext"}}
    },
}
WITHHELD_ROW = {
    "en": "Field withheld: Note text in 2 records Names a colleague CRM Notes Contact details",
    "nl": "Veld achtergehouden: Notitietekst in 2 records Names a colleague CRM Notities Contactgegevens",
    "fr": "Champ retenu : Texte de la note dans 2 enregistrements Names a colleague CRM Notes Coordonnées",
    "de": "Feld zurückgehalten: Notiztext in 2 Datensätzen Names a colleague CRM Notizen Kontaktdaten",
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_a_withheld_field_is_named_as_the_review_names_it_with_its_reason_beside_it(
    review_request,  # noqa: F811
    dpo,
    language,
    django_capture_on_commit_callbacks,
):
    """Walkthrough finding: the pack named the field by its raw column name
    ("text") and the authority read the reason apart from it."""
    request = review_request(orders=0)
    crm = Connector.objects.get(code="crm")
    crm.config = {"tables": {"notes": NOTE_TABLE}}
    crm.save(update_fields=["config"])
    job_records = SourceRecord.objects.filter(run__job__external_ref=request.reference)
    first = job_records.get(entity="notes")
    second = SourceRecord.objects.create(run=first.run, seq=99, entity="notes", category="contact", data=first.data)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.set_withheld(
            request,
            actor=dpo,
            fields=[(first.pk, "text"), (second.pk, "text")],
            withheld=True,
            note="Names a colleague",
        )

    with translation.override(language):
        text = pack(request, dpo)

    assert WITHHELD_ROW[language] in text
    assert "Field withheld: text" not in text and ": text " not in text
    # The decision itself sends the reader to the reasons beside the fields, never "—".
    with translation.override(language):
        pointer = translation.gettext("Given beside each field and record under “Left out of the copy, and why”.")
    assert pointer != "Given beside each field and record under “Left out of the copy, and why”." or language == "en"
    assert pointer in text.split(WITHHELD_ROW[language])[0]


def test_the_mandate_check_is_a_decision_of_the_pack(dpo, controller):
    request = make_request(verified=False, email="lotte.peeters@example.be", full_name="Lotte Peeters")
    represent(request)
    workflow.verify(request)
    representation.record_mandate_check(request, actor=dpo, accepted=True)

    text = pack(request, dpo)

    assert "No decision has been taken" not in text
    assert "Representative's mandate accepted" in text
    assert "Representative's mandate (Art. 12(6))" in text and "Mandate accepted" in text


def test_a_rectification_says_which_correction_was_mapped_onto_which_fields(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = lotte(
        RequestType.RECTIFICATION,
        items=[{"field": "Adresse", "current": "Eliensingel 3, 5532 Kemmel", "correct": "Neustraße 12, 4700 Eupen"}],
        restrict_meanwhile=False,
    )
    approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    before = pack(subject_request, dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:map_correction", args=[subject_request.reference, 0]),
            {"value:street": "Neustraße 12", "value:postal_code": "4700", "value:city": "Eupen"},
        )

    text = pack(subject_request, dpo)
    assert "Adresse not mapped to a field yet" in before
    assert "Correction mapped onto the source fields" in text
    assert "onto: Town, Postcode, Street and number" in text
    # The fields in the order stored (PostgreSQL's jsonb keeps its own key order).
    mapped = text.split("Adresse", 1)[1][:200]
    assert all(label in mapped for label in ("Street and number", "Postcode", "Town"))
    assert "Neustraße" not in text  # the new value is the subject's data
