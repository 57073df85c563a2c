"""What the plan gets right at the edges: a legal hold without its date, the
categories of an erasure of specific data, sources that hold none of the
corrected data, the restriction's ground, and the audit of every plan edit."""

from __future__ import annotations

import copy
import re

import sqlalchemy as sa
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from dsar.execution import service
from dsar.execution.models import Action, Exception17, Plan
from dsar.models import DataCategory, ManualTask
from requests_app.execution.selectors import job_options, plan_for
from requests_app.intake.forms import RequestForm
from requests_app.models import Status, SubjectRequest
from tests.support.execution_factories import make_manual
from tests.support.execution_steps import approve_plan, approve_request, lotte, panel


def rows(engine, schema, name):
    table = sa.Table(name, sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        return {row.id: dict(row._mapping) for row in c.execute(sa.select(table))}


def test_a_held_row_without_its_date_is_kept_for_the_dpo_to_check(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    invoices = sa.Table("invoices", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.begin() as c:
        c.execute(invoices.update().where(invoices.c.id == 11).values(issued_on=None))
    subject_request = lotte("erasure", scope="all")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    held = plan.items.get(entity="invoices", record_key="11")
    assert held.action == Action.KEEP and held.reason == Exception17.LEGAL_OBLIGATION
    assert held.keep_until is None and "7 years" in held.note
    # Its lines follow it, and the customer it points at is masked, not deleted.
    assert plan.items.get(entity="invoice_lines", record_key="101").action == Action.KEEP
    assert plan.items.get(entity="customers", record_key="1").action == Action.MASK
    client.force_login(dpo)
    assert "the end of the legal hold is unknown" in panel(client, subject_request)
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert 11 in rows(engine, schema, "invoices") and 101 in rows(engine, schema, "invoice_lines")


# ------------------------------------------------------------------------------
# Through the request page, against the demo configuration
# ------------------------------------------------------------------------------


def test_the_subject_is_told_which_activity_the_marketing_platform_stopped(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    # Only the marketing platform's API stops the sub-processor notifications (no consent column elsewhere).
    mail.outbox.clear()
    subject_request = lotte("withdrawal", consents=["subprocessor-notifications"])
    # Art. 7(3): once confirmed (the live server's tests commit for real), a
    # withdrawal runs to the end and the subject is told, without any approval.
    plan = plan_for(subject_request)
    assert {i.action for i in plan.items.all()} == {Action.API_CALL}
    subject_request.refresh_from_db()
    assert subject_request.status == Status.FULFILLED
    body = next(m.body for m in mail.outbox if m.to == ["lotte.peeters@example.be"])
    assert "- Notificaties over subverwerkers" in body


def test_the_restriction_ground_goes_to_the_plan_and_the_matching_lift_reason_comes_first(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = lotte("restriction", ground="legal_claims")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    assert plan.job.options["ground"] == "legal_claims"
    client.force_login(dpo)
    page = panel(client, subject_request)
    assert "No longer needed by us, but needed by the subject for a legal claim" in page
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    for task in ManualTask.objects.filter(run__job=plan.job, status=ManualTask.Status.OPEN):
        service.complete_manual_task(task, user=dpo, findings="Restricted")
    page = panel(client, subject_request)
    lift_form = page.split("Lift the restriction (Art. 18(3))")[1]
    options = re.findall(r'<option value="(\w+)"', lift_form)
    assert options[0] == "claims_ended" and set(options) == {
        "accuracy_verified",
        "claims_ended",
        "objection_assessed",
        "subject_consented",
    }


def test_every_change_to_the_plan_and_every_manual_task_done_is_in_the_audit_trail(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    make_manual()
    subject_request = lotte("erasure", scope="all")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    usage = plan.items.get(entity="usage", record_key="1")
    old_invoice = plan.items.get(entity="invoices", record_key="11")

    def change(item, **data):
        url = reverse("execution:change_item", args=[subject_request.reference, item.pk])
        return client.post(url, data, follow=True).content.decode()

    change(usage, change="keep", reason="legal_claims", note="Lotte Peeters disputes an invoice")
    change(old_invoice, change="leave_out", note="Asked by Lotte's lawyer")
    change(old_invoice, change="include")
    events = {e.kind: e for e in subject_request.events.filter(kind__startswith="plan.item_")}
    assert set(events) == {"plan.item_kept", "plan.item_left_out", "plan.item_included"}
    kept = events["plan.item_kept"]
    assert kept.actor == dpo and kept.details == {
        "plan": plan.pk,
        "item": usage.pk,
        "source": "crm",
        "action": "delete",
        "reason": "legal_claims",
    }
    # What was typed stays on the item; the trail holds no personal data.
    assert not any("Lotte" in str(e.details) for e in subject_request.events.all())

    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    task = ManualTask.objects.get(run__job=plan.job)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:complete_task", args=[subject_request.reference, task.pk]),
            {"findings": "Deleted Lotte's folder"},
        )
    done = subject_request.events.get(kind="plan.task_completed")
    assert done.details == {"plan": plan.pk, "task": task.pk, "source": task.run.connector.code}
    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert "Record kept from the erasure (Art. 17(3))" in page and "Manual task of the plan done" in page


def test_approving_corrected_fields_is_in_the_audit_trail(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    subject_request = lotte(
        "rectification",
        items=[{"field": "phone", "correct": "+32 470 99 99 99"}, {"field": "postal_address", "correct": "Brugge"}],
    )
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    item = plan.items.get(action=Action.RECTIFY)
    client.force_login(dpo)
    client.post(
        reverse("execution:change_item", args=[subject_request.reference, item.pk]),
        {"change": "fields", "fields": ["phone"]},
    )
    event = subject_request.events.get(kind="plan.fields_approved")
    assert event.details["approved"] == 1 and event.details["proposed"] == 2 and event.details["item"] == item.pk


def test_a_manual_source_holding_none_of_the_corrected_data_gets_no_task(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    city = lotte("rectification", items=[{"field": "city", "correct": "Brugge"}], restrict_meanwhile=True)
    plan = approve_request(city, dpo, django_capture_on_commit_callbacks)
    assert not plan.items.filter(run__connector__code="camera-footage").exists()
    assert not ManualTask.objects.filter(run__job=plan.job).exists()
    # A field no source has: no person is told a provisional "the clothes I wore → …" (walkthrough
    # finding 9); the approval waits for the DPO to say which field it is.
    unknown = lotte("rectification", items=[{"field": "the clothes I wore", "correct": "a red coat"}])
    plan = approve_request(unknown, dpo, django_capture_on_commit_callbacks)
    assert not plan.items.filter(run__connector__code="camera-footage", action=Action.MANUAL).exists()
    client.force_login(dpo)
    page = client.get(reverse("execution:plan", args=[unknown.reference])).content.decode()
    assert "Say which field each correction is about before approving: “the clothes I wore”." in page


# ------------------------------------------------------------------------------
# Erasure of specific data
# ------------------------------------------------------------------------------
def _register_categories():
    for code, names in (
        ("identity", {"en": "Identity data", "nl": "Identiteitsgegevens"}),
        ("usage", {"en": "Usage data", "nl": "Gebruiksgegevens"}),
    ):
        DataCategory.objects.update_or_create(code=code, defaults={"names": names})


def _specific_erasure(**extra) -> dict:
    return {
        "request_type": "erasure",
        "full_name": "Lotte Peeters",
        "email": "lotte.peeters@example.be",
        "language": "nl",
        "erasure_scope": "specific",
        **extra,
    }


def test_the_subject_ticks_the_register_categories_to_erase_on_the_form(db, client):
    _register_categories()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'name="erasure_categories" value="usage"' in page and "Gebruiksgegevens" in page
    # Specific data without a category ticked: the form asks for one.
    with translation.override("en"):
        form = RequestForm(data=_specific_erasure(erasure_specific="my usage"))
        assert not form.is_valid()
        assert form.errors["erasure_categories"] == ["Choose the data we should delete."]
        form = RequestForm(data=_specific_erasure(erasure_categories=["usage"]))
        assert form.is_valid(), form.errors
    assert form.cleaned_data["type_details"] == {"scope": "specific", "specific": "", "categories": ["usage"]}
    # A register without categories: the subject's words say which data, and are required.
    DataCategory.objects.all().delete()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="erasure_categories"' not in page
    with translation.override("en"):
        form = RequestForm(data=_specific_erasure())
        assert not form.is_valid()
        assert form.errors["erasure_specific"] == ["Tell us which data we should delete."]


def test_the_api_takes_erasure_categories_checked_against_the_register(db):
    _register_categories()
    client = APIClient()
    refused = client.post("/api/v1/requests/", _specific_erasure(erasure_categories=["health"]), format="json")
    assert refused.status_code == 400 and "erasure_categories" in refused.json()
    created = client.post(
        "/api/v1/requests/",
        _specific_erasure(erasure_categories=["usage"], erasure_specific="The logs of my logins"),
        format="json",
    )
    assert created.status_code == 201, created.content
    subject_request = SubjectRequest.objects.get(reference=created.json()["reference"])
    assert subject_request.type_details["categories"] == ["usage"]
    assert job_options(subject_request)["categories"] == ["usage"]


def test_an_erasure_of_specific_categories_erases_only_those(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    make_manual()  # the register says nothing of what the cameras hold: a person checks
    subject_request = lotte("erasure", scope="specific", categories=["usage"], specific="")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    assert {(i.entity, i.action) for i in plan.items.filter(run__connector=connector)} == {("usage", Action.DELETE)}
    client.force_login(dpo)
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert set(rows(engine, schema, "usage")) == {3}
    assert 1 in rows(engine, schema, "customers") and 11 in rows(engine, schema, "invoices")
    task = ManualTask.objects.get(run__job=plan.job)
    assert "Erase only these kinds" in task.instructions and "- usage" in task.instructions


def test_specific_data_in_words_only_waits_for_the_dpo_to_choose_the_categories(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    # An older request: the subject described the data, no category was recorded.
    subject_request = lotte("erasure", scope="specific", specific="What you know of my software use")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    assert not plan.items.exists()
    client.force_login(dpo)
    page = panel(client, subject_request)
    assert "did not choose its data categories" in page and "What you know of my software use" in page
    answer = approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert "choose its data categories before approving" in answer
    assert plan_for(subject_request).status == Plan.Status.READY

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:choose_categories", args=[subject_request.reference]), {"categories": ["usage"]})
    event = subject_request.events.get(kind="plan.categories_chosen")
    assert event.actor == dpo and event.details == {"plan": plan.pk, "categories": ["usage"]}
    plan.refresh_from_db()
    assert {(i.entity, i.action) for i in plan.items.all()} == {("usage", Action.DELETE)}
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert set(rows(engine, schema, "usage")) == {3} and 1 in rows(engine, schema, "customers")


def _issued_seven_years_and_a_day_ago(engine, schema):
    """Invoice 11: past 7 years counted from its date, not from the next 1st of January."""
    import datetime as dt

    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    issued = timezone.localdate() - relativedelta(years=7) - dt.timedelta(days=1)
    invoices = sa.Table("invoices", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.begin() as c:
        c.execute(invoices.update().where(invoices.c.id == 11).values(issued_on=issued))
    return issued


def test_a_hold_counted_from_the_date_lets_an_invoice_go_seven_years_after_it(crm, dpo):
    connector, engine, schema = crm
    _issued_seven_years_and_a_day_ago(engine, schema)
    plan = service.compute(
        service.create_plan(
            external_ref="DSAR-2026-00001", operation="erase", identity=_lotte_identity(), options={}
        ).pk
    )
    assert plan.items.get(entity="invoices", record_key="11").action == Action.DELETE


def test_a_hold_counted_from_the_end_of_the_year_keeps_it_until_the_next_first_of_january(crm, dpo):
    import datetime as dt

    connector, engine, schema = crm
    issued = _issued_seven_years_and_a_day_ago(engine, schema)
    config = copy.deepcopy(connector.config)  # the fixture's dict is the factories' module-level one
    config["execution"]["tables"]["invoices"]["legal_hold"]["counted_from"] = "end_of_year"
    connector.config = config
    connector.save()

    plan = service.compute(
        service.create_plan(
            external_ref="DSAR-2026-00001", operation="erase", identity=_lotte_identity(), options={}
        ).pk
    )
    held = plan.items.get(entity="invoices", record_key="11")
    # Belgian accounting law counts from the 1st of January after the financial year.
    assert held.action == Action.KEEP and held.keep_until == dt.date(issued.year + 8, 1, 1)


def test_an_unknown_way_of_counting_a_hold_is_a_clear_error(crm, dpo):
    connector, engine, schema = crm
    config = copy.deepcopy(connector.config)  # the fixture's dict is the factories' module-level one
    config["execution"]["tables"]["invoices"]["legal_hold"]["counted_from"] = "fiscal_whim"
    connector.config = config
    connector.save()

    plan = service.compute(
        service.create_plan(
            external_ref="DSAR-2026-00001", operation="erase", identity=_lotte_identity(), options={}
        ).pk
    )
    errors = " ".join(plan.job.runs.values_list("error", flat=True)) + plan.error
    assert "legal_hold.counted_from must be one of date, end_of_year, not 'fiscal_whim'" in errors


def _lotte_identity():
    from tests.support.execution_factories import LOTTE

    return LOTTE


def test_an_erasure_of_specific_data_empties_every_column_of_those_categories(crm, dpo):
    """Columns the register classifies go with their category, even without an erasure rule of their own."""
    connector, engine, schema = crm
    config = copy.deepcopy(connector.config)  # the fixture's dict is the factories' module-level one
    customers = config["execution"]["tables"]["customers"]
    customers["column_categories"] = {"marketing_opt_in": "marketing", "webinar_consent": "marketing"}
    customers["erasure"]["fields"].pop("city")
    customers["column_categories"]["city"] = "location"
    connector.config = config
    connector.save()

    plan = service.compute(
        service.create_plan(
            external_ref="DSAR-2026-00001",
            operation="erase",
            identity=_lotte_identity(),
            options={"scope": "specific", "categories": ["marketing", "location"]},
        ).pk
    )
    masked = plan.items.get(entity="customers", record_key="1")
    assert masked.action == Action.MASK
    assert masked.fields == {"marketing_opt_in": "null", "webinar_consent": "null", "city": "null"}
    plan = service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)

    lotte_row = rows(engine, schema, "customers")[1]
    assert lotte_row["city"] is None and not lotte_row["marketing_opt_in"] and not lotte_row["webinar_consent"]
    assert lotte_row["name"] == "Lotte Peeters"  # identity was not asked for


def test_a_column_that_refuses_null_is_emptied_to_its_type_s_empty_value():
    from dsar.execution.executors import _emptied

    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("flag", sa.Integer, nullable=False),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("note", sa.String(20)),
    )
    assert [_emptied(table.c[name]) for name in ("flag", "consent", "label", "note")] == [0, False, "", None]
