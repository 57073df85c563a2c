"""Only the e-mail address is verified: records a source found only by another
identifier the requester typed (someone else's customer number) stay out of
the copy until the DPO has checked them (Art. 12(6), Art. 5(1)(f))."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from dsar.connectors import connector_for
from dsar.connectors.base import SubjectIdentity
from dsar.exports import storage
from dsar.models import Job, SourceRecord
from requests_app import workflow
from requests_app.delivery import selectors as delivery_selectors
from requests_app.models import RequestEvent, RequestType, Status
from tests.factories import make_request
from tests.fixtures.engine import make_connector, seed, sql_config

pytestmark = pytest.mark.django_db(transaction=True)

LOTTE_CUSTOMER_NUMBER = "C-100042"


@pytest.fixture
def profile(db):
    """The demo controller, without the demo sources (the test brings its own)."""
    from requests_app.management.commands.load_demo import DEMO_CONTROLLER
    from requests_app.models import ControllerProfile

    return ControllerProfile.objects.create(**DEMO_CONTROLLER)


def test_each_record_says_which_identifiers_found_it_and_related_rows_inherit_it(sqlite_url):
    seed(sqlite_url)
    connector = make_connector("crm", config=sql_config(sqlite_url))
    # Other 2's own mailbox, Lotte's customer number.
    identity = SubjectIdentity(email="OTHER2@example.be", customer_number=LOTTE_CUSTOMER_NUMBER)

    found = {(r.entity, r.data["id"]): r.matched_on for r in connector_for(connector).find(identity).records}

    assert found[("customers", 1)] == ["customer_number"]
    assert found[("customers", 2)] == ["email"]
    assert found[("invoices", 10)] == found[("invoice_lines", 100)] == found[("tickets", 1)] == ["customer_number"]
    assert found[("invoices", 12)] == found[("invoice_lines", 103)] == found[("tickets", 2)] == ["email"]


def test_a_row_matching_several_identifiers_names_them_all_normalised_as_the_query(sqlite_url):
    seed(sqlite_url)
    connector = make_connector("crm", config=sql_config(sqlite_url))
    identity = SubjectIdentity(
        email=" Lotte.Peeters@Example.be", phone="0470 12 34 56", customer_number=LOTTE_CUSTOMER_NUMBER
    )

    records = [r for r in connector_for(connector).find(identity).records if r.entity == "customers"]

    assert [r.matched_on for r in records] == [["customer_number", "email", "phone"]]


def _approved(email: str, **fields):
    subject_request = make_request(
        request_type=RequestType.ACCESS,
        full_name="Mallory",
        email=email,
        customer_number=LOTTE_CUSTOMER_NUMBER,
        **fields,
    )
    from django.contrib.auth import get_user_model

    workflow.approve(subject_request, actor=get_user_model().objects.get(username="dpo"))
    subject_request.refresh_from_db()
    return subject_request


def _copy(subject_request) -> str:
    json_file = next(f for f in delivery_selectors.export_files(subject_request) if f.format == "json")
    return json.dumps(json.loads(storage.read_decrypted(json_file.path)), ensure_ascii=False)


def test_someone_typing_another_persons_customer_number_gets_none_of_their_rows_by_default(
    sqlite_url, dpo, profile, client
):
    seed(sqlite_url)
    make_connector("crm", config=sql_config(sqlite_url))

    subject_request = _approved("mallory@example.be")

    assert subject_request.status == Status.IN_REVIEW
    records = SourceRecord.objects.filter(run__job__external_ref=subject_request.reference)
    assert records.count() == 7 and all(r.excluded for r in records)  # Lotte's customer row and all it leads to
    assert "Lotte" not in _copy(subject_request) and "CareConnect" not in _copy(subject_request)
    held = RequestEvent.objects.get(request=subject_request, kind="export.records_unconfirmed")
    assert held.details == {"count": 7}  # how many, never what

    client.force_login(dpo)
    page = client.get(reverse("exports:records", args=[subject_request.reference])).content.decode()
    assert "Found only by Customer number, not by a verified identifier" in page
    request_page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert "7 records were found only by identifiers nobody verified" in request_page


def test_the_dpo_puts_a_checked_record_back_and_it_is_audited(
    sqlite_url, dpo, profile, client, django_capture_on_commit_callbacks
):
    seed(sqlite_url)
    make_connector("crm", config=sql_config(sqlite_url))
    subject_request = _approved("mallory@example.be")
    customer = SourceRecord.objects.get(run__job__external_ref=subject_request.reference, entity="customers")
    client.force_login(dpo)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exports:exclude", args=[subject_request.reference]),
            {"record": [customer.pk], "action": "include"},
        )

    customer.refresh_from_db()
    assert not customer.excluded
    assert RequestEvent.objects.get(request=subject_request, kind="export.records_included").actor == dpo
    assert "Lotte" in _copy(subject_request)


def test_a_request_found_by_its_confirmed_email_is_unaffected(sqlite_url, dpo, profile, client):
    seed(sqlite_url)
    make_connector("crm", config=sql_config(sqlite_url))

    subject_request = _approved("lotte.peeters@example.be")

    records = SourceRecord.objects.filter(run__job__external_ref=subject_request.reference)
    assert records.count() == 7 and not records.filter(excluded=True).exists()
    assert not RequestEvent.objects.filter(request=subject_request, kind="export.records_unconfirmed").exists()
    assert "Lotte" in _copy(subject_request)
    client.force_login(dpo)
    page = client.get(reverse("exports:records", args=[subject_request.reference])).content.decode()
    assert "not by a verified identifier" not in page and "Customer number, E-mail" in page


def test_a_request_whose_identity_staff_checked_keeps_what_its_customer_number_found(sqlite_url, dpo, profile):
    seed(sqlite_url)
    make_connector("crm", config=sql_config(sqlite_url))
    subject_request = workflow.create_request(
        request_type=RequestType.ACCESS,
        full_name="Lotte Peeters",
        email="",
        customer_number=LOTTE_CUSTOMER_NUMBER,
        language="nl",
        actor=dpo,
        channel="letter",
        identity_check="known_contact",
    )

    workflow.approve(subject_request, actor=dpo)

    job = Job.objects.get(external_ref=subject_request.reference)
    assert not SourceRecord.objects.filter(run__job=job, excluded=True).exists()
