"""``dsar_config preview`` (issue 12, point 5): what each source holds of one
subject and what an erasure would do, with nothing created or changed."""

from __future__ import annotations

import copy
import json
from io import StringIO

import sqlalchemy as sa
from django.core import mail
from django.core.management import call_command

from dsar.execution.models import Plan, PlanItem
from dsar.models import Job, SourceRun
from tests.support.execution_factories import LOTTE


def _preview(*args) -> str:
    out = StringIO()
    call_command("dsar_config", "preview", *args, stdout=out)
    return out.getvalue()


def test_the_preview_counts_per_table_and_says_what_an_erasure_would_keep(crm, profile):
    connector, engine, schema = crm
    result = json.loads(_preview("--email", LOTTE["email"], "--json"))
    tables = result["crm"]["tables"]
    assert tables["customers"]["found"] == 1
    assert tables["usage"]["found"] == 2
    assert tables["invoices"]["found"] == 2
    # The recent invoice is kept by law, the 8-year-old one goes; the customer they point at is masked.
    assert tables["invoices"]["erasure"] == {"delete": 1, "keep": 1}
    assert tables["customers"]["erasure"] == {"mask": 1}
    assert tables["usage"]["erasure"] == {"delete": 2}
    # Nothing was created, changed or sent.
    assert not Job.objects.exists() and not Plan.objects.exists() and not PlanItem.objects.exists()
    assert not SourceRun.objects.exists()
    assert mail.outbox == []
    table = sa.Table("usage", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 3


def test_the_text_preview_masks_its_samples_and_names_the_hold(crm, profile):
    text = _preview("--customer-number", LOTTE["customer_number"], "--source", "crm")
    assert "invoices: 2 found; an erasure would: delete 1, keep 1" in text
    assert "kept until" in text and "(billing)" in text
    assert "Lotte" not in text and "L*****" in text
    assert "Nothing was changed" in text


def test_a_hold_naming_an_unknown_activity_fails_the_source_instead_of_deleting(crm, profile):
    connector, _engine, _schema = crm
    config = copy.deepcopy(connector.config)  # the factory's dict is shared between tests
    config["execution"]["tables"]["invoices"]["legal_hold"]["activity"] = "biling"
    connector.config = config
    connector.save()
    result = json.loads(_preview("--email", LOTTE["email"], "--json"))
    assert result["crm"]["status"] == "failed"
    assert all("delete" not in t["erasure"] for t in result["crm"]["tables"].values())


def test_the_preview_moved_from_the_admin_to_the_source_s_workspace_page(crm, profile, client, django_user_model):
    from django.urls import NoReverseMatch, reverse

    connector, _engine, _schema = crm
    admin = django_user_model.objects.create_superuser("root", "root@example.be", "pw")
    client.force_login(admin)
    page = client.get(reverse("admin:dsar_connector_change", args=[connector.pk])).content.decode()
    assert f'href="/workspace/sources/{connector.code}/#preview"' in page
    try:
        reverse("admin:dsar_connector_preview", args=[connector.pk])
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("the admin's preview page is gone: the workspace has it")


VELO = """\
version: 2
categories:
  - {code: identification, names: {en: Identification}}
  - {code: rentals, names: {en: Rentals}}
  - {code: financial, names: {en: Financial}}
activities:
  - {code: accounting, names: {en: Accounting}, legal_basis: legal_obligation, legal_hold_years: 7}
connectors:
  - code: velo
    name: Velo bike rental
    kind: sql
    identity_fields: [email]
    operations: [access, erase]
    config:
      url: "URL"
      tables:
        members:
          match: {email: email}
          category: identification
          erasure: {action: delete, fields: {email: hash, full_name: "fixed:Erased"}}
        rentals: {category: rentals}
        payments:
          category: financial
          legal_hold: {activity: accounting, date_column: paid_on, counted_from: end_of_year}
"""


def test_a_record_kept_by_law_keeps_the_whole_chain_above_it(db, tmp_path):
    """A payment kept 7 years keeps its rental, which keeps its member: masked, never deleted
    under a row that still points at it (keys and parents read from the database)."""
    from django.utils import timezone

    from dsar import configuration

    path = tmp_path / "velo.sqlite3"
    engine = sa.create_engine(f"sqlite:///{path}")
    today = timezone.localdate().isoformat()
    with engine.begin() as c:
        for statement in (
            "CREATE TABLE members (member_no INTEGER PRIMARY KEY, email TEXT NOT NULL, full_name TEXT)",
            "CREATE TABLE rentals (rental_id INTEGER PRIMARY KEY, member_no INTEGER REFERENCES members(member_no))",
            "CREATE TABLE payments (payment_id INTEGER PRIMARY KEY, rental_id INTEGER REFERENCES rentals(rental_id),"
            " paid_on DATE)",
            "INSERT INTO members VALUES (1, 'an@example.be', 'An')",
            "INSERT INTO rentals VALUES (10, 1), (11, 1)",
            f"INSERT INTO payments VALUES (100, 10, '{today}')",  # noqa: S608 (a date of ours)
        ):
            c.execute(sa.text(statement))
    engine.dispose()
    configuration.load_yaml(VELO.replace("URL", f"sqlite:///{path}"))
    result = json.loads(_preview("--email", "an@example.be", "--json"))["velo"]["tables"]
    assert result["payments"]["erasure"] == {"keep": 1}
    assert result["rentals"]["erasure"] == {"delete": 1, "keep": 1}
    assert result["members"]["erasure"] == {"mask": 1}


def test_erasure_finds_a_phone_number_in_the_forms_reading_finds_it_in():
    from dsar.connectors.base import SubjectIdentity
    from dsar.execution import sqlsource
    from dsar.execution.config import TableWrite

    engine = sa.create_engine("sqlite://")
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE people (id INTEGER PRIMARY KEY, phone TEXT)"))
        c.execute(sa.text("INSERT INTO people VALUES (1, '+32 470 12 34 56'), (2, '+32 470 99 99 99')"))
        tables = [TableWrite(name="people", match={"phone": "phone"})]
        identity = SubjectIdentity(phone="0470123456")
        found = sqlsource.find_rows(c, tables, identity)
        assert [row["id"] for row in found["people"]] == [1]
        assert sqlsource.matched_on(tables, found, identity) == {("people", "1"): ["phone"]}
