"""What a restriction covers in a SQL source (Art. 18(1)): on ground (a) only
the tables holding the contested data, when the request names it; on the other
grounds, or when nothing is named, everything. The plan says which and why."""

from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa
from django.urls import reverse

from dsar.execution import service
from dsar.execution.models import Action, Plan
from dsar.models import ManualTask
from tests.support.execution_factories import LOTTE
from tests.support.execution_steps import approve_plan, approve_request, lotte, panel, run_scheduled_lift


def rows(engine, schema, name):
    table = sa.Table(name, sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        return {row.id: dict(row._mapping) for row in c.execute(sa.select(table))}


def planned(**options) -> Plan:
    plan = service.create_plan(external_ref="DSAR-2026-00001", operation="restrict", identity=LOTTE, options=options)
    return service.compute(plan.pk)


def execute(plan: Plan, dpo) -> Plan:
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    return Plan.objects.get(pk=plan.pk)


def restricted(plan: Plan) -> set[tuple[str, str]]:
    return set(plan.items.filter(action=Action.RESTRICT).values_list("entity", "record_key"))


def notes(plan: Plan) -> str:
    return " ".join(note["template"] % note["params"] for note in plan.scope_notes["crm"])


@pytest.fixture
def crm_usage_restrictable(crm):
    """The CRM of the other tests, whose usage table (category usage) can be restricted too."""
    connector, engine, schema = crm
    name = f'"{schema}"."usage"' if schema else '"usage"'
    with engine.begin() as c:
        c.execute(sa.text(f"ALTER TABLE {name} ADD COLUMN processing_restricted BOOLEAN DEFAULT FALSE"))
    config = copy.deepcopy(connector.config)
    config["execution"]["tables"]["usage"]["restriction_column"] = "processing_restricted"
    connector.config = config
    connector.save(update_fields=["config"])
    return connector, engine, schema


CUSTOMER = {("customers", "1")}
USAGE = {("usage", "1"), ("usage", "2")}


@pytest.mark.parametrize(
    ("ground", "why"),
    [
        ("unlawful_processing", "This ground of Art. 18(1) concerns all the subject's data"),
        ("legal_claims", "This ground of Art. 18(1) concerns all the subject's data"),
        ("pending_objection", "This ground of Art. 18(1) concerns all the subject's data"),
        ("contested_accuracy", "without saying which data"),
        ("", "The request names no ground of Art. 18(1)"),
    ],
)
def test_other_grounds_and_an_unnamed_contested_data_restrict_every_table(crm_usage_restrictable, dpo, ground, why):
    _connector, engine, schema = crm_usage_restrictable
    plan = planned(ground=ground)
    assert restricted(plan) == CUSTOMER | USAGE
    assert why in notes(plan) and "the restriction covers every table" in notes(plan)
    execute(plan, dpo)
    assert rows(engine, schema, "customers")[1]["processing_restricted"]
    assert all(rows(engine, schema, "usage")[key]["processing_restricted"] for key in (1, 2))


def test_contested_categories_restrict_only_the_tables_holding_them(crm_usage_restrictable, dpo):
    _connector, engine, schema = crm_usage_restrictable
    plan = planned(ground="contested_accuracy", contested_categories=["usage"])
    assert restricted(plan) == USAGE
    text = notes(plan)
    assert "only the data whose accuracy the subject contests is restricted (usage)" in text
    assert "Tables holding it, covered by the restriction: usage." in text
    assert "Tables not restricted, as they hold none of it: customers, invoices, invoice_lines." in text
    execute(plan, dpo)
    assert not rows(engine, schema, "customers")[1]["processing_restricted"]
    assert all(rows(engine, schema, "usage")[key]["processing_restricted"] for key in (1, 2))
    assert not rows(engine, schema, "usage")[3]["processing_restricted"]  # another customer's


def test_contested_fields_are_classified_as_the_sources_classify_corrections(crm_usage_restrictable):
    # The phone is a column of the customers table (category identity): the usage rows stay in use.
    plan = planned(ground="contested_accuracy", contested_fields=["Phone"])
    assert restricted(plan) == CUSTOMER
    assert "Tables not restricted, as they hold none of it: invoices, invoice_lines, usage." in notes(plan)
    # A field no source knows cannot be placed: everything is restricted, and the plan says why.
    unknown = planned(ground="contested_accuracy", contested_fields=["phone", "shoe size"])
    assert restricted(unknown) == CUSTOMER | USAGE
    assert "not every field named could be matched to a data category" in notes(unknown)


def test_a_table_of_no_configured_category_is_restricted_to_be_safe(crm_usage_restrictable):
    connector, _engine, _schema = crm_usage_restrictable
    config = copy.deepcopy(connector.config)
    del config["execution"]["tables"]["usage"]["category"]
    connector.config = config
    connector.save(update_fields=["config"])
    plan = planned(ground="contested_accuracy", contested_categories=["identity"])
    assert restricted(plan) == CUSTOMER | USAGE
    assert "Tables whose data category is not configured, covered to be safe: usage." in notes(plan)


def test_contested_data_in_tables_without_a_restriction_column_goes_to_a_person_named_by_category(crm, dpo):
    # Invoices (billing) have no restriction column: a person restricts them, and only them.
    plan = planned(ground="contested_accuracy", contested_categories=["billing"])
    assert restricted(plan) == set()
    manual = plan.items.get(action=Action.MANUAL)
    assert manual.fields == {"categories": ["billing"]}
    execute(plan, dpo)
    instructions = ManualTask.objects.get(run__job=plan.job).instructions
    assert "Mark only these kinds of this subject's data as restricted" in instructions
    assert "  - billing" in instructions
    assert "Mark every record of this subject" not in instructions


def test_the_plan_panel_and_the_api_say_what_the_restriction_covers_and_why(
    crm_usage_restrictable, dpo, profile, client, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    from requests_app.api.models import ApiToken

    _connector, engine, schema = crm_usage_restrictable
    subject_request = lotte("restriction", ground="contested_accuracy", contested_categories=["usage"])
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    assert plan.job.options["contested_categories"] == ["usage"]
    assert restricted(plan) == USAGE
    client.force_login(dpo)
    page = panel(client, subject_request)
    assert "Tables not restricted, as they hold none of it: customers, invoices, invoice_lines." in page
    request_page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert "Data categories contested (Art. 18(1)(a))" in request_page

    _token, clear = ApiToken.issue(user=dpo, name="test", days=1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}", HTTP_ACCEPT_LANGUAGE="nl")
    body = api.get(f"/api/v1/requests/{subject_request.reference}/plan/").json()
    crm_notes = next(source["notes"] for source in body["sources"] if source["source"] == "crm")
    assert len(crm_notes) == 3 and "usage" in crm_notes[0]
    assert "Tables not restricted" not in " ".join(crm_notes)  # in Dutch

    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert not rows(engine, schema, "customers")[1]["processing_restricted"]
    assert rows(engine, schema, "usage")[1]["processing_restricted"]


def test_a_source_holding_none_of_the_contested_data_says_so_rather_than_found_nothing(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    # Contested: usage data; this CRM cannot restrict its usage table, and found the subject elsewhere only.
    connector, _engine, _schema = crm
    config = copy.deepcopy(connector.config)
    del config["execution"]["tables"]["usage"]
    connector.config = config
    connector.save(update_fields=["config"])
    subject_request = lotte("restriction", ground="contested_accuracy", contested_categories=["usage"])
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    assert not plan.items.exists()
    client.force_login(dpo)
    page = panel(client, subject_request)
    assert "Tables not restricted, as they hold none of it: customers, invoices, invoice_lines." in page
    assert "Nothing of this subject was found in this source." not in page


# ------------------------------------------------------------------------------
# A rectification restricted while it is checked: ground (a) by nature
# ------------------------------------------------------------------------------
def rectification(*fields: str) -> Plan:
    """Computed, hence restricted at once (Art. 18(1)(a)), before any approval."""
    corrections = [{"field": field, "correct": "+32 470 99 99 99"} for field in fields]
    plan = service.create_plan(
        external_ref="DSAR-2026-00001",
        operation="rectify",
        identity=LOTTE,
        options={"corrections": corrections, "restrict_meanwhile": True},
    )
    return service.compute(plan.pk)


def restricted_meanwhile(engine, schema) -> set[tuple[str, str]]:
    return {
        (table, str(key))
        for table in ("customers", "usage")
        for key, row in rows(engine, schema, table).items()
        if row["processing_restricted"]
    }


def test_a_rectification_restricts_meanwhile_only_the_tables_holding_the_corrected_data(
    crm_usage_restrictable, dpo, profile, client, django_capture_on_commit_callbacks
):
    _connector, engine, schema = crm_usage_restrictable
    # The phone is a column of the customers table (category identity): her usage stays in use meanwhile.
    subject_request = lotte(
        "rectification", items=[{"field": "phone", "correct": "+32 470 99 99 99"}], restrict_meanwhile=True
    )
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    assert restricted_meanwhile(engine, schema) == CUSTOMER
    assert set(plan.items.filter(action=Action.UNRESTRICT).values_list("entity", "record_key")) == CUSTOMER
    client.force_login(dpo)
    page = panel(client, subject_request)
    assert "while the corrections are checked, only the data they concern is restricted (identity)" in page
    assert "Tables not restricted, as they hold none of it: invoices, invoice_lines, usage." in page

    service.approve_fields(plan.items.get(action=Action.RECTIFY), fields=["phone"])
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert rows(engine, schema, "customers")[1]["phone"] == "+32 470 99 99 99"
    # Art. 18(3): lifted only once the subject was told, on the announced date.
    assert restricted_meanwhile(engine, schema) == CUSTOMER
    assert run_scheduled_lift(subject_request, django_capture_on_commit_callbacks).status == "done"
    assert restricted_meanwhile(engine, schema) == set()


def test_a_corrected_field_no_source_knows_restricts_every_table_meanwhile(crm_usage_restrictable):
    _connector, engine, schema = crm_usage_restrictable
    plan = rectification("phone", "my mobile")
    assert restricted_meanwhile(engine, schema) == CUSTOMER | USAGE
    assert "Not every corrected field could be matched to a data category" in notes(plan)


def test_a_table_restricted_before_a_correction_was_mapped_is_still_lifted(crm_usage_restrictable, dpo):
    _connector, engine, schema = crm_usage_restrictable
    plan = rectification("my mobile")
    assert restricted_meanwhile(engine, schema) == CUSTOMER | USAGE
    # The DPO says "my mobile" is the phone: the plan is computed again, and covers the phone's table
    # only, but the usage rows restricted the first time must be lifted with it.
    service.map_correction(plan, index=0, field="phone")
    plan = service.compute(plan.pk)
    assert "Tables restricted when this plan was computed before, still covered" in notes(plan)
    assert "usage" in notes(plan).split("computed before")[1] and "Tables not restricted" in notes(plan)
    assert set(plan.items.filter(action=Action.UNRESTRICT).values_list("entity", "record_key")) == CUSTOMER | USAGE
    service.approve_fields(plan.items.get(action=Action.RECTIFY), fields=["phone"])
    execute(plan, dpo)
    assert restricted_meanwhile(engine, schema) == set()


def test_a_source_that_cannot_restrict_the_corrected_data_asks_a_person_to_restrict_only_it(crm):
    connector, _engine, _schema = crm
    config = copy.deepcopy(connector.config)
    del config["execution"]["tables"]["customers"]["restriction_column"]
    connector.config = config
    connector.save(update_fields=["config"])
    plan = rectification("phone")
    assert plan.items.get(action=Action.MANUAL, note="meanwhile").fields == {"categories": ["identity"]}
    instructions = ManualTask.objects.get(run__job=plan.job).instructions
    assert "Restrict only these kinds of this subject's data now" in instructions and "  - identity" in instructions
    assert "Restrict every record of this subject now" not in instructions
