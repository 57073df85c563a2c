"""The Art. 15(4) review with many records (issue 15): grouped per source and
table, filtered, searched and paged on the server; a record left out or one
field withheld, kept across pages, and the withheld value gone from the
subject's files."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from dsar.exports import service
from dsar.exports.models import ExportFile
from dsar.models import SourceRecord, WithheldField
from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.models import RequestEvent, RequestType, Status
from tests.factories import make_request
from tests.fixtures.exports import pdf_text
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

NOTE_TEXT = "Belde over facturatie; collega Jan Janssens nam op"


def _crm_rows(count: int) -> list[tuple[str, str, dict]]:
    rows = [
        ("customers", "contact", {"name": "Lotte Peeters", "email": "lotte.peeters@example.be", "city": "Gent"}),
        ("notes", "contact", {"text": NOTE_TEXT, "by": "Émile"}),
    ]
    rows += [("orders", "contact", {"number": f"O-{n:05d}", "city": "Gent"}) for n in range(count)]
    rows.append(("orders", "contact", {"number": "O-LAST", "city": "Zottegem"}))
    return rows


@pytest.fixture
def review_request(controller, dpo, django_capture_on_commit_callbacks):
    """An access request in review with 2 + ``orders`` + 1 CRM records and 5 invoices, files made."""

    def build(orders: int = 150):
        request = make_request(request_type=RequestType.ACCESS, email="lotte.peeters@example.be")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.approve(request, actor=dpo)
            workflow.start_processing(request)
            make_job(request.reference, crm_records=_crm_rows(orders))
            workflow.processing_done(request)
        request.refresh_from_db()
        assert request.status == Status.IN_REVIEW
        return request

    return build


def _page(client, request, HTTP_ACCEPT_LANGUAGE="en", **params) -> str:  # noqa: N803 (the header's name)
    response = client.get(
        reverse("exports:records", args=[request.reference]), params, HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE
    )
    assert response.status_code == 200
    return response.content.decode()


def _record_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="record" value="(\d+)"', page)]


def test_it_shows_fifty_records_a_page_grouped_per_source_and_table(review_request, dpo, client):
    request = review_request(orders=150)  # 153 CRM records + 5 invoices = 158
    client.force_login(dpo)

    first = _page(client, request)
    last = _page(client, request, page=4)

    assert len(_record_ids(first)) == 50
    assert "Records 1 to 50 of 158" in first
    assert "Page 1 of 4" in first
    # Sections per table, collapsible without JavaScript; labels made from the names.
    assert re.search(r'<details class="review-group" open>\s*<summary><strong>CRM</strong> · Customers', first)
    assert "<strong>CRM</strong> · Orders" in first
    assert ">Email</label>" in first and ">email</label>" not in first
    # The filter lists every source and table with its count, whatever the page.
    assert ">Boekhouding (ERP)</a>" in first and ">Invoices</a>" in first
    assert "Records 151 to 158 of 158" in last
    assert len(_record_ids(last)) == 8
    assert "<strong>Boekhouding (ERP)</strong> · Invoices" in last


def test_it_filters_per_source_and_per_table(review_request, dpo, client):
    request = review_request(orders=60)
    client.force_login(dpo)

    erp = _page(client, request, source="erp")
    notes = _page(client, request, source="crm", table="notes")

    assert "Records 1 to 5 of 5" in erp
    assert "F-2026-0001" in erp and "Lotte Peeters" not in erp
    assert "Records 1 to 1 of 1" in notes
    assert NOTE_TEXT in notes and "O-00001" not in notes


def test_a_search_finds_a_record_on_a_late_page_and_pages_its_results(review_request, dpo, client):
    request = review_request(orders=150)
    client.force_login(dpo)

    found = _page(client, request, q="zottegem")
    many = _page(client, request, q="O-000", page=2)
    nothing = _page(client, request, q="Nobody Knows")
    accented = _page(client, request, q="émile")  # stored as JSON escapes: read before comparing

    assert "Records 1 to 1 of 1" in found
    assert "O-LAST" in found
    assert "matching “zottegem”" in found
    # The search is kept in the pages' links.
    assert "Records 51 to 100 of 100" in many
    assert 'href="?q=O-000&amp;page=1"' in many
    assert "No records." in nothing
    assert "Records 1 to 1 of 1" in accented and NOTE_TEXT in accented


def test_a_record_left_out_on_a_late_page_stays_left_out_on_every_page(
    review_request, dpo, client, django_capture_on_commit_callbacks
):
    request = review_request(orders=150)
    client.force_login(dpo)
    late = _page(client, request, page=3)
    record_id = _record_ids(late)[10]

    here = reverse("exports:records", args=[request.reference]) + "?page=3"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:exclude", args=[request.reference]),
            {"record": [record_id], "note": "Order of her neighbour", "action": "exclude", "next": here},
        )

    assert response.status_code == 302 and response["Location"] == here
    _page(client, request, page=1)
    again = _page(client, request, page=3)
    assert re.search(rf'id="record-{record_id}">.*?Left out because:</strong> Order of her neighbour', again, re.S)
    assert _page(client, request, show="excluded").count('name="record"') == 1


def test_the_review_never_redirects_elsewhere(review_request, dpo, client):
    request = review_request(orders=1)
    client.force_login(dpo)
    record = SourceRecord.objects.filter(run__job__external_ref=request.reference).first()

    response = client.post(
        reverse("exports:exclude", args=[request.reference]),
        {"record": [record.pk], "note": "x", "action": "exclude", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("exports:records", args=[request.reference])


def _file(request, fmt: str) -> bytes:
    export = ExportFile.objects.get(job__external_ref=request.reference, format=fmt)
    return b"".join(service.iter_file(export))


def test_a_withheld_field_leaves_the_subjects_json_and_pdf_with_a_notice_in_their_language(
    review_request, dpo, client, django_capture_on_commit_callbacks, tmp_path
):
    request = review_request(orders=3)  # the factory's subject writes in Dutch
    note = SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")
    client.force_login(dpo)
    assert NOTE_TEXT in _file(request, "json").decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:exclude", args=[request.reference]),
            {"field": [f"{note.pk}:text"], "note": "Names a colleague", "action": "withhold"},
            follow=True,
        )

    assert "1 field withheld; the files are being regenerated." in response.content.decode()
    document = json.loads(_file(request, "json"))
    (notes,) = [r for s in document["sources"] for r in s["records"] if r["entity"] == "notes"]
    assert notes["data"] == {"text": "Achtergehouden om een andere persoon te beschermen", "by": "Émile"}
    assert "Janssens" not in _file(request, "json").decode()
    pdf = pdf_text(_file(request, "pdf"), tmp_path)
    assert "Janssens" not in pdf
    assert "Achtergehouden om een andere persoon" in pdf
    assert "Émile" in pdf  # the rest of the record stays in the copy
    event = RequestEvent.objects.filter(request=request, kind="export.fields_withheld").get()
    assert event.details == {"count": 1}
    assert "Janssens" not in json.dumps(event.details)
    # The DPO sees the field marked, with the reason.
    page = _page(client, request, table="notes")
    assert re.search(r"Withheld because:</strong> Names a colleague", page)


def test_the_release_summary_the_copy_panel_and_the_json_count_a_withheld_field(
    review_request, dpo, client, django_capture_on_commit_callbacks
):
    request = review_request(orders=1)
    note = SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.set_withheld(
            request, actor=dpo, fields=[(note.pk, "text")], withheld=True, note="Names a colleague"
        )
    client.force_login(dpo)

    confirm = client.get(reverse("exports:release", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="en")
    html = confirm.content.decode()
    assert re.search(r'id="release-left-out">0 <span class="muted">\(and 1 field withheld\)', html)
    assert "1 field is withheld to protect another person (Art. 15(4))" in html
    panel = client.get(reverse("workspace:request", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert "(and 1 field withheld)" in panel.content.decode()
    document = json.loads(_file(request, "json"))
    (crm,) = [s for s in document["sources"] if any(r["entity"] == "notes" for r in s["records"])]
    assert crm["withheld_field_count"] == 1
    assert crm["withheld_count"] == 0  # no record left out: the field is counted on its own
    assert crm["record_count"] == len(crm["records"])


def test_a_field_given_back_is_in_the_copy_again(review_request, dpo, django_capture_on_commit_callbacks):
    request = review_request(orders=1)
    note = SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.set_withheld(
            request, actor=dpo, fields=[(note.pk, "text")], withheld=True, note="Names a colleague"
        )
    with django_capture_on_commit_callbacks(execute=True):
        given_back = delivery_services.set_withheld(request, actor=dpo, fields=[(note.pk, "text")], withheld=False)

    assert given_back == 1
    assert not WithheldField.objects.exists()
    assert NOTE_TEXT in _file(request, "json").decode()
    assert RequestEvent.objects.filter(request=request, kind="export.fields_given_back").exists()


def test_withholding_needs_a_reason_and_only_takes_the_records_own_fields(review_request, dpo):
    request = review_request(orders=1)
    note = SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")

    with pytest.raises(workflow.WorkflowError, match="Say why"):
        delivery_services.set_withheld(request, actor=dpo, fields=[(note.pk, "text")], withheld=True, note=" ")
    count = delivery_services.set_withheld(
        request, actor=dpo, fields=[(note.pk, "no_such_column"), (note.pk, "by")], withheld=True, note="x"
    )

    assert count == 1
    assert list(WithheldField.objects.values_list("column", flat=True)) == ["by"]


def test_only_staff_who_may_read_the_copy_see_the_review(review_request, agent, auditor, outsider, client):
    request = review_request(orders=1)

    client.force_login(agent)  # an agent the request is not assigned to
    refused = client.get(reverse("exports:records", args=[request.reference]), {"q": "Lotte"})
    tree = client.get(reverse("exports:preview_json", args=[request.reference]))
    client.force_login(outsider)
    outsider_page = client.get(reverse("exports:records", args=[request.reference]))
    client.force_login(auditor)
    auditor_page = client.get(reverse("exports:records", args=[request.reference]))

    assert refused.status_code == 403 and tree.status_code == 403
    assert "Lotte" not in refused.content.decode()
    assert outsider_page.status_code == 403
    assert auditor_page.status_code == 200
    # An auditor reads, but has no decision bar.
    assert 'name="action"' not in auditor_page.content.decode()


def test_an_agent_not_assigned_cannot_withhold_a_field_and_the_attempt_is_recorded(review_request, agent):
    request = review_request(orders=1)
    note = SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")

    with pytest.raises(workflow.ActionForbidden):
        delivery_services.set_withheld(request, actor=agent, fields=[(note.pk, "text")], withheld=True, note="x")

    assert not WithheldField.objects.exists()
    assert RequestEvent.objects.filter(request=request, kind="action.refused").last().details == {
        "action": "withhold_fields"
    }


def test_the_json_preview_is_indented_with_the_tree_script_and_is_recorded(review_request, dpo, client):
    request = review_request(orders=1)
    client.force_login(dpo)

    request_page = client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    response = client.get(reverse("exports:preview_json", args=[request.reference]))

    page = response.content.decode()
    # The request page's "Preview JSON" opens the readable tree.
    assert f'href="{reverse("exports:preview_json", args=[request.reference])}"' in request_page
    assert response.status_code == 200
    assert '<script src="/static/js/json_tree.js" defer></script>' in page
    # Without JavaScript: the file indented, one field a line.
    assert re.search(r"\n {2}&quot;schema_version&quot;: &quot;1\.2&quot;,\n", page)
    assert RequestEvent.objects.filter(request=request, kind="export.previewed", details={"format": "json"}).exists()


def test_fields_read_under_the_labels_the_source_declares_in_the_dpos_language_and_are_found_by_them(
    review_request, dpo, client
):
    from dsar.models import Connector

    request = review_request(orders=60)
    crm = Connector.objects.get(code="crm")
    crm.config = {
        "tables": {
            "customers": {
                "label": {"en": "Customer record", "nl": "Klantenfiche"},
                "columns": {"city": {"label": {"en": "Town of residence", "nl": "Woonplaats"}}},
            }
        }
    }
    crm.save()
    client.force_login(dpo)

    page = _page(client, request, q="town of residence")
    client.post(reverse("set_language"), {"language": "nl"})
    dutch = _page(client, request, q="woonplaats")

    # Only the customer record has a column under that label (the orders' "city" is undeclared).
    assert "Records 1 to 1 of 1" in page
    assert "<strong>CRM</strong> · Customer record" in page
    assert ">Town of residence</label>" in page
    assert "<strong>CRM</strong> · Klantenfiche" in dutch
    assert ">Woonplaats</label>" in dutch


CONTACT_DETAILS = {"en": "Contact details", "nl": "Contactgegevens", "fr": "Coordonnées", "de": "Kontaktdaten"}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_each_record_is_numbered_in_its_table_and_its_category_named_in_the_dpo_s_language(
    review_request, dpo, client, language
):
    """Walkthrough finding: the headers read "Orders 3 contact" for the first
    order (the run's sequence, shared by the source's tables, and a raw code)."""
    request = review_request(orders=3)  # customers, notes, then orders O-00000..O-00002 and O-LAST
    client.force_login(dpo)

    def headers(page: str) -> list[str]:
        return re.findall(r'<label for="rec-\d+">([^<]+)</label>\s*<span class="muted">([^<]+)</span>', page)

    every = headers(_page(client, request, HTTP_ACCEPT_LANGUAGE=language, source="crm"))
    found = headers(_page(client, request, HTTP_ACCEPT_LANGUAGE=language, q="zottegem"))

    contact = CONTACT_DETAILS[language]
    assert every == [
        ("Customers 1", contact),
        ("Notes 1", contact),
        ("Orders 1", contact),
        ("Orders 2", contact),
        ("Orders 3", contact),
        ("Orders 4", contact),
    ]
    # A search shows a record with its number in the whole table, not on the page.
    assert found == [("Orders 4", contact)]
