"""Lotte Peeters' rectification, erasure and restriction through the request
page, against the demo configuration: who is told (Art. 19), what is
restricted at once and by whom (Art. 18(1)(a)), and the lifting (Art. 18(3))."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dsar.execution import service
from dsar.execution.models import Action, Plan
from dsar.models import Connector, DataCategory, ManualTask
from requests_app.execution.models import RestrictionLift
from requests_app.execution.services import run_due_lifts, run_lift
from tests.support.execution_steps import (
    approve_plan,
    approve_request,
    complete_tasks,
    lotte,
    panel,
    run_scheduled_lift,
)

MARKETING, CAMERAS = "Marketing platform (demo API)", "Camera footage (manual search)"


PAPER = "Paper files (manual)"


def paper_files() -> Connector:
    """A manual source holding contact data, unlike the demo's cameras."""
    connector = Connector.objects.create(code="paper-files", name=PAPER, kind="manual", operations=["access"])
    connector.categories.add(DataCategory.objects.get(code="identification"))
    return connector


def notified(plan) -> set[str]:
    return set(plan.notices.values_list("recipient__code", flat=True))


def test_a_corrected_postal_address_notifies_only_the_recipients_of_contact_data(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = lotte(
        "rectification", items=[{"field": "city", "current": "Gent", "correct": "Brugge"}], restrict_meanwhile=False
    )
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    # Before execution the DPO sees who will be told, and why.
    page = panel(client, subject_request)
    assert "Recipients to notify once the plan is executed" in page
    assert "Acronis" not in page
    item = plan.items.get(action=Action.RECTIFY)
    client.post(
        reverse("execution:change_item", args=[subject_request.reference, item.pk]),
        {"change": "fields", "fields": ["city"]},
    )
    for manual in plan.items.filter(action=Action.MANUAL):
        service.approve_fields(manual, fields=["city"])
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    assert demo.execute("SELECT city FROM customers WHERE customer_no = 'C-100042'").fetchone()["city"] == "Brugge"

    # The city is held by the CRM only (the marketing platform keeps a postal
    # code, so it gets no call): its hosting partner is told; the marketing
    # processors are not, the security processor gets only device and usage
    # data, and the authorities want no notices.
    assert notified(plan) == {"hosting"}
    hosting = plan.notices.get(recipient__code="hosting")
    assert hosting.categories == ["identification"]
    notice_mail = next(m for m in mail.outbox if m.to == ["privacy+hosting@processor.example"])
    # Art. 19 notices are in the controller's language (English here), not the Dutch subject's,
    # field and category names included.
    assert "Town: Brugge" in notice_mail.body and "Identification data" in notice_mail.body
    assert "Gemeente" not in notice_mail.body
    assert not [m for m in mail.outbox if "acronis" in m.to[0]]
    page = panel(client, subject_request)
    assert "Recipients of the changed data (Art. 19)" in page
    assert "Concerned: Identification data" in page and "Billing and administration" in page


def test_an_erasure_notifies_the_recipients_of_the_erased_categories(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = lotte("erasure", scope="all")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    # Her usage records are gone, with the device data in them: the security
    # processor receives that inventory only (the register says so), so its
    # notice names it alone, where the hosting partner's names all it holds.
    assert notified(plan) == {"hosting", "acronis", "mailing", "surveys", "marketing-partner"}
    acronis = plan.notices.get(recipient__code="acronis")
    assert acronis.categories == ["technical"]
    assert acronis.activities == ["security-monitoring"]
    assert {"licence-usage", "location", "technical"} <= set(plan.notices.get(recipient__code="hosting").categories)
    assert "Concerned: Technical device data ·" in panel(client, subject_request)
    acronis_mail = next(m for m in mail.outbox if m.to == ["privacy+acronis@processor.example"])
    assert "received from us: Technical device data." in " ".join(acronis_mail.body.split())


def test_a_demo_restriction_sets_the_crm_flag_and_is_lifted_after_telling_the_subject(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = lotte("restriction")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    restrict = plan.items.get(run__connector__code="demo-crm")
    assert restrict.action == Action.RESTRICT and restrict.entity == "customers"
    client.force_login(dpo)
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    row = demo.execute("SELECT * FROM customers WHERE customer_no = 'C-100042'").fetchone()
    assert row["processing_restricted"] == 1 and row["restricted_at"] > "2025"
    # The marketing platform restricts through its API; the cameras need a person.
    assert client.get("/demo/marketing/contacts/lotte.peeters@example.be").json()["restricted_at"]
    tasks = ManualTask.objects.filter(run__job=plan.job)
    assert {t.run.connector.name for t in tasks} == {CAMERAS}
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    assert "Lift the restriction (Art. 18(3))" in panel(client, subject_request)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:lift_restriction", args=[subject_request.reference]), {"reason": "accuracy_verified"}
        )
    # Art. 18(3): the subject is told (in Dutch), with the reason, before anything changes.
    to_lotte = [m for m in mail.outbox if m.to == ["lotte.peeters@example.be"]]
    assert len(to_lotte) == 1 and "nagegaan of uw gegevens juist zijn" in to_lotte[0].body
    assert demo.execute("SELECT processing_restricted FROM customers WHERE id = 1").fetchone()[0] == 1
    lift = RestrictionLift.objects.get(request=subject_request)
    assert not run_lift(lift)  # not before the announced date
    with time_machine.travel(dt.datetime.combine(lift.not_before, dt.time(12), tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_due_lifts() == 1
    assert [m.to for m in mail.outbox if "hosting" in m.to[0]] == [["privacy+hosting@processor.example"]]
    row = demo.execute("SELECT * FROM customers WHERE customer_no = 'C-100042'").fetchone()
    assert row["processing_restricted"] == 0 and row["restricted_at"]
    # The API lifts it on the marketing platform; the cameras' task opens again, now to lift it.
    assert client.get("/demo/marketing/contacts/lotte.peeters@example.be").json()["restricted_at"] is None
    reopened = ManualTask.objects.filter(run__job=plan.job, status=ManualTask.Status.OPEN)
    assert reopened.count() == 1
    assert all("Lift the restriction" in t.instructions for t in reopened)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WAITING
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks, findings="Flag removed")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    task = ManualTask.objects.get(run__job=plan.job, run__connector__name=CAMERAS)
    assert task.findings == "Done in the tool\n\nFlag removed"
    event = subject_request.events.get(kind="restriction.lifted")
    assert event.actor_label == "system" and event.details["reason"] == "accuracy_verified" and event.public
    scheduled = subject_request.events.get(kind="restriction.lift_scheduled")
    assert scheduled.actor == dpo and scheduled.details["not_before"] == lift.not_before.isoformat()
    assert "Lift the restriction (Art. 18(3))" not in panel(client, subject_request)


def test_an_agent_may_not_lift_a_restriction_of_a_request_not_theirs(
    demo, dpo, agent, client, django_capture_on_commit_callbacks
):
    subject_request = lotte("restriction")
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    client.force_login(agent)
    response = client.post(
        reverse("execution:lift_restriction", args=[subject_request.reference]), {"reason": "accuracy_verified"}
    )
    assert response.status_code in (302, 403)
    assert demo.execute("SELECT processing_restricted FROM customers WHERE id = 1").fetchone()[0] == 1
    assert not subject_request.events.filter(kind__startswith="restriction.lift").exists()


@pytest.mark.parametrize("done_before_approval", [True, False])
def test_contested_accuracy_restricts_at_once_and_warns_of_the_sources_that_need_a_person(
    demo, dpo, client, django_capture_on_commit_callbacks, done_before_approval
):
    paper_files()
    subject_request = lotte(
        "rectification", items=[{"field": "city", "current": "Gent", "correct": "Brugge"}], restrict_meanwhile=True
    )
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    # The CRM restricts by itself, before anything is approved.
    assert demo.execute("SELECT processing_restricted FROM customers WHERE id = 1").fetchone()[0] == 1
    client.force_login(dpo)
    page = panel(client, subject_request)
    assert "cannot restrict automatically" in page
    # The marketing platform holds no city (a postal code only), the cameras hold images only:
    # nothing to restrict there. The paper files hold contact data.
    warned = page.split("cannot restrict automatically")[1].split("</")[0]
    assert PAPER in warned and MARKETING not in warned and CAMERAS not in warned
    tasks = {t.run.connector.name: t for t in ManualTask.objects.filter(run__job=plan.job)}
    assert set(tasks) == {PAPER}
    instructions = tasks[PAPER].instructions
    assert "Restrict every record of this subject now" in instructions and "Lotte Peeters" in instructions
    assert "Correct the following fields" not in instructions  # nothing is approved yet
    if done_before_approval:
        complete_tasks(plan, dpo, django_capture_on_commit_callbacks, findings="Restricted")

    item = plan.items.get(action=Action.RECTIFY)
    service.approve_fields(item, fields=["city"])
    for manual in plan.items.filter(action=Action.MANUAL, fields__has_key="changes"):
        service.approve_fields(manual, fields=["city"])
    mail.outbox.clear()
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    row = demo.execute("SELECT city, processing_restricted FROM customers WHERE id = 1").fetchone()
    # Art. 18(3): approving the corrections ends the check, but she is told before the restriction is lifted,
    # with the date: until then it stays.
    assert row["city"] == "Brugge" and row["processing_restricted"] == 1
    lift = RestrictionLift.objects.get(request=subject_request)
    to_lotte = [m for m in mail.outbox if m.to == ["lotte.peeters@example.be"]]
    assert len(to_lotte) == 1 and "nagegaan of uw gegevens juist zijn" in to_lotte[0].body
    assert "vanaf nu" not in to_lotte[0].body
    assert subject_request.events.filter(kind="restriction.lift_scheduled").exists()
    assert not subject_request.events.filter(kind="restriction.lifted").exists()
    page = panel(client, subject_request)
    assert "The restriction is scheduled to be lifted on" in page and "Cancel the lifting" in page
    # One task per source says what is left: the correction now, the lifting only when it is due.
    task = ManualTask.objects.get(run__job=plan.job, run__connector__name=PAPER)
    assert task.status == ManualTask.Status.OPEN
    assert "city → Brugge" in task.instructions and "Then lift the restriction" not in task.instructions
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE

    assert run_scheduled_lift(subject_request, django_capture_on_commit_callbacks).status == "done"
    assert lift.not_before > lift.created_at.date()
    row = demo.execute("SELECT processing_restricted FROM customers WHERE id = 1").fetchone()
    assert row["processing_restricted"] == 0
    assert subject_request.events.filter(kind="restriction.lifted").exists()
    task.refresh_from_db()
    assert task.status == ManualTask.Status.OPEN and "Lift the restriction" in task.instructions
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE


def test_a_correction_named_in_the_subjects_words_asks_the_dpo_to_map_it_first(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    # "Adresse" is no field of any source: the CRM holds Lotte, but nothing can
    # be planned there until the DPO says which field it is; the panel must
    # not claim the subject was not found.
    subject_request = lotte(
        "rectification",
        items=[{"field": "Adresse", "current": "Kerkstraat 1", "correct": "Kerkstraat 10"}],
        restrict_meanwhile=False,
    )
    approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)

    page = panel(client, subject_request)

    assert "No source has a field of this name" in page
    assert "Nothing to change here yet: say above which field each correction is." in page
    assert "Nothing of this subject was found in this source." not in page


def test_a_dutch_dpo_reads_the_plan_in_dutch_words(demo, dpo, client, django_capture_on_commit_callbacks):
    subject_request = lotte("erasure")
    approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)

    page = client.get(
        reverse("execution:plan", args=[subject_request.reference]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()

    # The register's Dutch names, not the desk's English ones nor table names and codes.
    assert "Klantenbestand" in page and "CRM (demo database)" not in page
    assert "Camerabeelden" in page and CAMERAS not in page
    assert "Klantenfiche, record 1" in page
    assert "customers #" not in page and "(identification)" not in page
    assert "(Identificatiegegevens)" in page
