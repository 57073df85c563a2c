"""The demo: a new user's first access request gathers from three sources."""

from __future__ import annotations

import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command

from dsar import gathering
from dsar.connectors.base import SubjectIdentity
from dsar.demo import crm as demo_crm
from dsar.models import Connector, Job, ManualTask, SourceRecord, SourceRun

LOTTE = SubjectIdentity(
    email="lotte.peeters@example.be", full_name="Lotte Peeters", phone="+32 470 12 34 56", customer_number="C-100042"
)


@pytest.fixture
def demo_dir(settings, tmp_path):
    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    return settings.DSAR_DEMO_DIR


def test_the_demo_crm_is_built_once_with_belgian_data(demo_dir):
    path = demo_crm.ensure_database()
    built = path.stat().st_mtime_ns

    assert demo_crm.ensure_database().stat().st_mtime_ns == built  # kept, not rebuilt
    with sqlite3.connect(path) as connection:
        lotte = connection.execute(
            "SELECT first_name, riziv_number, iban, marketing_opt_in, webinar_consent_at FROM customers WHERE customer_no = 'C-100042'"
        ).fetchone()
        cities = {row[0] for row in connection.execute("SELECT city FROM customers")}
        count = connection.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
    assert lotte[0] == "Lotte" and lotte[1] and lotte[2].startswith("BE") and lotte[3] == 1 and lotte[4]
    assert count == demo_crm.CUSTOMERS and len(cities) > 50


def test_the_demo_subject_is_found_in_three_sources(live_server, settings, demo_dir, dpo):
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=StringIO())
    assert Connector.objects.get(kind="manual").default_assignee == dpo

    job = gathering.start_job(external_ref="DSAR-DEMO-1", identity=LOTTE)

    runs = {run.connector.code: run for run in SourceRun.objects.filter(job=job).select_related("connector")}
    assert set(runs) == {"demo-crm", "demo-marketing", "camera-footage"}
    assert runs["demo-crm"].status == "done" and runs["demo-crm"].record_count >= 30
    entities = set(SourceRecord.objects.filter(run=runs["demo-crm"]).values_list("entity", flat=True))
    assert entities == {"customers", "contacts", "trainings", "licences", "usage_records", "invoices", "invoice_lines"}
    assert runs["demo-marketing"].status == "done", runs["demo-marketing"].error
    marketing = SourceRecord.objects.filter(run=runs["demo-marketing"])
    assert sorted(set(marketing.values_list("entity", flat=True))) == [
        "contacts",
        "newsletter_subscriptions",
        "webinar_registrations",
    ]
    assert marketing.filter(entity="newsletter_subscriptions").count() == 3  # two pages of the API
    assert runs["camera-footage"].status == "waiting"
    assert ManualTask.objects.get(run=runs["camera-footage"]).assignee == dpo
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_loading_the_demo_twice_changes_nothing(demo_dir, dpo):
    # Issue 12: `make run` loads the demo each time; a second load must report no change.
    call_command("load_demo", stdout=StringIO())
    second = StringIO()

    call_command("load_demo", stdout=second)

    assert "0 created, 0 updated" in second.getvalue()
    assert " 1 updated" not in second.getvalue() and "created, 1" not in second.getvalue()
    for section in ("categories", "recipients", "activities", "connectors"):
        assert f"{section}: 0 created, 0 updated" in second.getvalue()
    assert Connector.objects.get(kind="manual").default_assignee == dpo


def test_the_demo_customers_and_contacts_have_belgian_addresses(demo_dir):
    from dsar.demo import marketing as demo_marketing

    with sqlite3.connect(demo_crm.ensure_database()) as connection:
        rows = connection.execute("SELECT street, postal_code, iban, company_name, language FROM customers").fetchall()
    contacts = demo_marketing.seed_dataset()["contacts"]

    # Faker's fr_BE alone gives American addresses ("074 Catherine Cove Suite 000", "85638").
    assert all(len(postcode) == 4 and postcode.isdigit() for _s, postcode, *_ in rows)
    assert all(iban.startswith("BE") for _s, _p, iban, *_ in rows)
    assert not [street for street, *_ in rows if "Suite" in street or "Apt." in street]
    assert not [company for *_, company, _l in rows if company.endswith((" Inc", " LLC", " Ltd", " PLC", " Group"))]
    assert any(
        language == "fr"
        and street.lower().startswith(("rue", "avenue", "chemin", "boulevard", "place", "impasse", "allée", "quai"))
        for street, *_, language in rows
    )
    assert all(len(contact["postal_code"]) == 4 for contact in contacts)
