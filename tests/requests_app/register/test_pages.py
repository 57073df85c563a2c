"""Issue 15, point 8: the register and the sources in the workspace. Every
role reads them in its language; only the DPO tests a connection, previews a
subject (a dry run that changes nothing, recorded) and loads a file (checked,
compared, confirmed, recorded)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from dsar.execution.models import Plan
from dsar.models import Connector, DataCategory, Job, ProcessingActivity, SourceRun
from requests_app.models import RegisterEvent
from tests.fixtures.workspace import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(crm, profile):
    connector, _engine, _schema = crm
    # Read as well as acted on: a connection test checks the reading declaration too.
    connector.config = {**connector.config, "tables": {"customers": {"match": {"email": "email"}}}}
    connector.save()
    return connector


def _dutch(client):
    client.cookies["django_language"] = "nl"
    return client


# ------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------
def test_the_register_reads_in_the_dpo_s_language_with_its_legal_holds(source, dpo):
    billing = ProcessingActivity.objects.get(code="billing")
    billing.names = {"en": "Billing", "nl": "Facturatie"}
    billing.purposes = {"en": "To invoice", "nl": "Om te factureren"}
    billing.save()
    billing.categories.add(DataCategory.objects.get(code="billing"))

    page = _dutch(signed_in(dpo)).get("/workspace/register/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Facturatie" in text and "Om te factureren" in text
    with override("nl"):
        assert str(billing.get_legal_basis_display()) in text  # the legal basis in words, not "legal_obligation"
    assert "legal_obligation" not in text
    # The hold: 7 years, its reason, and the table it keeps.
    assert "Boekhoudwet: 7 jaar" in text
    assert "Demo CRM</a>: invoices" in text


def test_a_retired_category_shows_as_retired(source, auditor):
    DataCategory.objects.filter(code="usage").update(active=False)
    page = signed_in(auditor).get("/workspace/register/")
    assert "retired: no longer offered on the forms" in page.content.decode()


def test_the_sources_page_shows_each_source_s_health_from_its_runs(source, agent):
    now = timezone.now()
    for index, (status, ms) in enumerate(
        [(SourceRun.Status.DONE, 1000), (SourceRun.Status.DONE, 3000), (SourceRun.Status.FAILED, 2000)]
    ):
        job = Job.objects.create(external_ref=f"R-{index}", operation="access", identity="{}")
        SourceRun.objects.create(
            job=job,
            connector=source,
            status=status,
            started_at=now - dt.timedelta(hours=3 - index),
            duration_ms=ms,
            error="The database refused the connection." if status == SourceRun.Status.FAILED else "",
        )
    old = Job.objects.create(external_ref="R-old", operation="access", identity="{}")
    SourceRun.objects.create(
        job=old, connector=source, status="failed", started_at=now - dt.timedelta(days=60), duration_ms=90_000
    )

    page = signed_in(agent).get("/workspace/sources/")
    row = page.content.decode().split('id="source-crm"')[1].split("</tr>")[0]
    # Three runs in the last 30 days, one failed, 2 s on average; the last one failed.
    assert '<td class="num">3</td>' in row
    assert '<strong class="error">1</strong>' in row
    assert "2.0 s" in row
    assert "Failed" in row

    detail = signed_in(agent).get("/workspace/sources/crm/").content.decode()
    assert "The database refused the connection." in detail
    assert "Test the connection" not in detail  # the DPO's


# ------------------------------------------------------------------------------
# Testing a connection, previewing a subject
# ------------------------------------------------------------------------------
def test_the_dpo_tests_a_connection_at_any_time_and_it_is_recorded(source, dpo):
    client = signed_in(dpo)
    response = client.post("/workspace/sources/crm/test/", follow=True)
    assert response.redirect_chain[-1][0] == "/workspace/sources/crm/"
    assert "Demo CRM:" in response.content.decode()
    event = RegisterEvent.objects.get(kind="source.connection_tested")
    assert (event.source, event.actor, event.details) == ("crm", dpo, {"ok": True})
    assert "Connection tested" in response.content.decode()


def test_an_auditor_reads_the_source_but_cannot_test_or_preview_it(source, auditor):
    client = signed_in(auditor)
    assert client.get("/workspace/sources/crm/").status_code == 200
    assert client.post("/workspace/sources/crm/test/").status_code == 403
    assert client.post("/workspace/sources/crm/preview/", {"email": "lotte.peeters@example.be"}).status_code == 403
    assert not RegisterEvent.objects.exists()


def test_the_preview_shows_counts_masked_samples_and_the_erasure_and_changes_nothing(source, dpo, crm):
    _connector, engine, schema = crm
    jobs, plans = Job.objects.count(), Plan.objects.count()

    page = signed_in(dpo).post("/workspace/sources/crm/preview/", {"email": "lotte.peeters@example.be"})

    text = page.content.decode()
    assert page.status_code == 200
    result = text.split('id="preview-result"')[1].split("<form")[0]
    assert "Lotte" not in result and "Gent" not in result
    assert "<code>name</code>=L********" in result  # masked: its first letter and the rest as stars
    assert "<code>invoices</code>" in result
    assert "Keep" in result and "Delete the record" in result
    assert "Billing" in result  # why the recent invoice is kept: the activity whose hold keeps it
    assert "Nothing was changed and no request was created." in result
    # No job, no plan, and the CRM untouched.
    assert (Job.objects.count(), Plan.objects.count()) == (jobs, plans)
    with engine.connect() as connection:
        table = f'"{schema}".customers' if schema else "customers"  # the PostgreSQL run's CRM has a schema of its own
        assert connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 2  # noqa: S608 (a test's own schema name)
    # Recorded: which kind of identifier, never its value.
    event = RegisterEvent.objects.get(kind="source.previewed")
    assert event.details["identifiers"] == ["email"] and event.details["found"] >= 1
    assert "lotte" not in str(event.details).lower()


def test_a_preview_without_an_identifier_asks_for_one(source, dpo):
    page = signed_in(dpo).post("/workspace/sources/crm/preview/", {"email": ""})
    assert page.status_code == 400
    assert "Give at least one identifier" in page.content.decode()
    assert not RegisterEvent.objects.exists()


def test_a_switched_off_source_says_it_is_not_searched(source, dpo):
    Connector.objects.filter(code="crm").update(enabled=False)
    page = signed_in(dpo).post("/workspace/sources/crm/preview/", {"email": "lotte.peeters@example.be"})
    assert "This source is switched off" in page.content.decode()


def test_a_short_value_is_masked_whole():
    from dsar.execution.preview import mask

    assert (mask("F"), mask("nl"), mask("Gent")) == ("*", "**", "G***")


def test_a_manual_source_is_never_previewed_as_holding_nothing(profile, dpo):
    from tests.support.execution_factories import make_manual

    manual = make_manual()
    manual.operations = ["access", "erase"]
    manual.save()
    page = signed_in(dpo).post(f"/workspace/sources/{manual.code}/preview/", {"email": "lotte.peeters@example.be"})
    result = page.content.decode().split('id="preview-result"')[1].split("<form")[0]
    assert "0 records found" not in result
    assert "This source cannot say before a request what it holds of a person" in result
    assert "not known" in result


def test_the_source_page_and_the_preview_agree_on_what_an_erasure_does(source, dpo):
    client = signed_in(dpo)

    tables = client.get("/workspace/sources/crm/").content.decode().split('id="tables"')[1].split("</section>")[0]
    preview = client.post("/workspace/sources/crm/preview/", {"email": "lotte.peeters@example.be"}).content.decode()

    # Lotte's recent invoice is kept by law and refers to her customer record: the record is
    # masked, not deleted, and the table list says so before any preview.
    result = preview.split('id="preview-result"')[1].split("<form")[0]
    assert "<code>customers</code>" in result and "Mask" in result
    customers = tables.split("<code>customers</code>")[1].split("</tr>")[0]
    assert "deleted, or masked while a record that is kept refers to it" in customers
    usage = tables.split("<code>usage</code>")[1].split("</tr>")[0]
    assert "<td>deleted</td>" in usage


def test_a_source_that_cannot_count_is_logged_as_not_known_not_as_nothing_found(profile, dpo):
    from tests.support.execution_factories import make_manual

    manual = make_manual()
    manual.operations = ["access", "erase"]
    manual.save()
    client = signed_in(dpo)
    client.post(f"/workspace/sources/{manual.code}/preview/", {"email": "lotte.peeters@example.be"})

    page = client.get(f"/workspace/sources/{manual.code}/").content.decode()

    assert RegisterEvent.objects.get(kind="source.previewed").details["found"] is None
    assert "records found: not known" in page
    assert "0 records found" not in page


def test_an_api_source_lists_its_resources_as_the_subject_reads_them_and_their_erasure(profile, dpo):
    from requests_app.register.selectors import tables_of

    api = Connector.objects.create(
        code="newsletters",
        name="Newsletters",
        kind="http",
        operations=["access", "erase"],
        config={
            "base_url": "https://api.example/",
            "resources": [{"name": "contacts", "path": "c?e={email}", "label": {"en": "Contacts", "nl": "Contacten"}}],
            "execution": {"erase": {"method": "DELETE", "path": "contacts/{email}"}},
        },
    )

    with override("nl"):
        (row,) = tables_of(api)

    assert row.label == "Contacten"
    assert row.erasure == "gewist via de wisopdracht van de API (hoeveel records: niet bekend vóór een verzoek)"
