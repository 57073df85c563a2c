"""The request's side: approval computes a plan, the DPO approves it on the
request page, workers execute it, recipients are notified (Art. 19), the
subject hears what was done and an erased subject's ticket is purged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from django.core import mail
from django.urls import reverse

from dsar.execution import service
from dsar.execution.models import Action, Plan, RecipientNotice
from requests_app import workflow
from requests_app.execution.models import RestrictionLift
from requests_app.execution.selectors import plan_for
from requests_app.execution.services import ExecutionError, recompute_plan
from requests_app.models import OutgoingEmail, RequestEvent, Status
from tests.factories import make_request, sent_email
from tests.support.execution_factories import LOTTE


def rows(engine, schema, name):
    table = sa.Table(name, sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        return {row.id: dict(row._mapping) for row in c.execute(sa.select(table))}


def lotte_request(request_type, **type_details):
    return make_request(
        request_type=request_type,
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        language="nl",
        type_details=type_details,
    )


@pytest.fixture
def approved_erasure(crm, dpo, profile, django_capture_on_commit_callbacks):
    subject_request = lotte_request("erasure", scope="all", tell_recipients=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    return subject_request


def test_approving_an_erasure_computes_a_plan_and_puts_the_request_in_review(approved_erasure):
    assert approved_erasure.status == Status.IN_REVIEW
    plan = plan_for(approved_erasure)
    assert plan.status == Plan.Status.READY
    assert plan.items.filter(action=Action.KEEP, entity="invoices").exists()
    kinds = list(approved_erasure.events.values_list("kind", flat=True))
    assert "request.processing_started" in kinds and "request.in_review" in kinds


def test_the_subject_cannot_be_told_done_before_the_plan_is_executed(approved_erasure, dpo):
    with pytest.raises(workflow.WorkflowError, match="execute it before"):
        workflow.fulfil(approved_erasure, actor=dpo)
    approved_erasure.refresh_from_db()
    assert approved_erasure.status == Status.IN_REVIEW
    assert not OutgoingEmail.objects.filter(template="execution_fulfilled").exists()


def test_the_plan_panel_shows_what_would_be_erased_and_kept(client, dpo, approved_erasure):
    client.force_login(dpo)
    page = client.get(reverse("execution:plan", args=[approved_erasure.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Demo CRM" in html and "Invoices, record 10" in html
    assert "Accounting law" in html
    assert "Approve the plan" in html
    # The plan's own page is a workspace page, with its header and a way back.
    assert 'class="ws-nav"' in html
    assert f'href="{reverse("workspace:request", args=[approved_erasure.reference])}"' in html


def test_the_dpo_names_the_ground_of_article_17_to_approve_an_erasure(
    client, dpo, approved_erasure, crm, django_capture_on_commit_callbacks
):
    client.force_login(dpo)
    url = reverse("execution:approve", args=[approved_erasure.reference])
    assert (
        'name="erasure_ground" value="consent_withdrawn"'
        in client.get(reverse("execution:plan", args=[approved_erasure.reference])).content.decode()
    )

    refused = client.post(url, follow=True).content.decode()
    assert "Choose the ground of Art. 17(1) on which the data is erased." in refused
    assert plan_for(approved_erasure).status == Plan.Status.READY

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"erasure_ground": "no_longer_necessary"})

    event = approved_erasure.events.get(kind="plan.approved")
    assert event.details["erasure_ground"] == "no_longer_necessary"
    page = client.get(reverse("workspace:request", args=[approved_erasure.reference])).content.decode()
    assert "Erased on the ground of Art. 17(1):" in page
    assert "ground of Art. 17(1): (a) No longer necessary" in page.split('id="h-timeline"')[1]


def test_an_agent_cannot_approve_an_erasure_plan(client, agent, approved_erasure, crm):
    workflow.assign(approved_erasure, actor=approved_erasure.assignee or _dpo(), assignee=agent)
    client.force_login(agent)
    response = client.post(
        reverse("execution:approve", args=[approved_erasure.reference]),
        {"erasure_ground": "consent_withdrawn"},
        follow=True,
    )
    assert "Only a DPO may approve an erasure plan." in response.content.decode()
    assert plan_for(approved_erasure).status == Plan.Status.READY
    assert approved_erasure.events.filter(kind="action.refused").exists()


def _dpo():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="dpo")


def test_outsiders_and_auditors_cannot_change_the_plan(client, auditor, outsider, approved_erasure):
    url = reverse("execution:approve", args=[approved_erasure.reference])
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(auditor)
    assert client.post(url).status_code == 403
    assert plan_for(approved_erasure).status == Plan.Status.READY


def test_the_whole_erasure_notifies_recipients_tells_the_subject_and_purges_the_ticket(
    client, dpo, crm, approved_erasure, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[approved_erasure.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    plan = plan_for(approved_erasure)
    assert plan.status == Plan.Status.DONE
    assert rows(engine, schema, "customers")[1]["name"] == "Erased customer"
    assert set(rows(engine, schema, "invoices")) == {10, 12}

    # Art. 19: the recipients of the CRM's activities that want notices.
    notices = {n.recipient.code: n for n in RecipientNotice.objects.filter(plan=plan)}
    assert set(notices) == {"mailer", "accountant"}
    sent = {m.to[0]: m for m in mail.outbox}
    assert "privacy@mailer.example" in sent and "x@silent.example" not in sent
    notice_mail = sent["privacy@mailer.example"]
    assert "Lotte Peeters" in notice_mail.body and notices["mailer"].token in notice_mail.body

    ack_url = reverse("execution:acknowledge", args=[notices["mailer"].token])
    # The link's token is a secret: the database keeps a digest and an encrypted copy.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM dsar_execution_recipientnotice WHERE id = %s", [notices["mailer"].pk])
        assert notices["mailer"].token not in " ".join(str(value) for value in cursor.fetchone())
    assert "We have applied the change" in client.get(ack_url).content.decode()
    notices["mailer"].refresh_from_db()
    assert notices["mailer"].acknowledged_at is None  # a GET (a mail scanner) does not acknowledge
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ack_url)
    notices["mailer"].refresh_from_db()
    assert notices["mailer"].acknowledged_at is not None
    client.force_login(dpo)
    page = client.get(reverse("execution:plan", args=[approved_erasure.reference])).content.decode()
    assert "not yet acknowledged" in page and "acknowledged on" in page

    mail.outbox.clear()
    # The DPO releases it from the request page, as a copy is released.
    request_page = client.get(reverse("workspace:request", args=[approved_erasure.reference])).content.decode()
    assert "Release and tell the subject what was done" in request_page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("exports:release", args=[approved_erasure.reference]), follow=True)
    assert "Done: the subject has been e-mailed what was done." in done.content.decode()
    assert OutgoingEmail.objects.filter(template="execution_fulfilled", sent_at__isnull=False).exists()
    (fulfilment,) = [m for m in mail.outbox if m.to == [LOTTE["email"]]]
    # In the subject's language (Dutch), saying what was done, what is kept, and who was told.
    assert "Demo CRM" in fulfilment.body and "Boekhoudwet" in fulfilment.body
    assert "Mailer BV" in fulfilment.body

    approved_erasure.refresh_from_db()
    assert approved_erasure.purged_at is not None and approved_erasure.full_name == "—"
    # The confirmation went out after the purge: its row keeps no address either.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT template, "to" FROM requests_app_outgoingemail WHERE request_id = %s', [approved_erasure.pk]
        )
        stored = cursor.fetchall()
    assert ("execution_fulfilled", f"purged+{approved_erasure.reference.lower()}@invalid") in stored
    assert all(LOTTE["email"] not in to for _, to in stored)
    assert approved_erasure.reference and approved_erasure.request_type == "erasure"
    plan.job.refresh_from_db()
    assert "lotte" not in plan.job.identity.lower()
    assert plan.items.filter(action=Action.KEEP).count() == 2  # what was done where stays
    assert RequestEvent.objects.filter(request=approved_erasure, kind="plan.executed").exists()


def test_objection_to_marketing_goes_through_and_updates_the_consent_flag(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    subject_request = lotte_request("objection", activities=["newsletter"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    assert rows(engine, schema, "customers")[1]["marketing_opt_in"] is False
    # Art. 19 does not cover objections: no notices.
    assert not RecipientNotice.objects.exists()


def test_rectification_applies_only_the_ticked_fields_and_keeps_the_restriction_until_the_subject_was_told(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    subject_request = lotte_request(
        "rectification",
        items=[
            {"field": "full_name", "current": "Lotte Peeters", "correct": "Lotte Peeters-Smet"},
            {"field": "postal_address", "current": "Gent", "correct": "Brugge"},
        ],
        restrict_meanwhile=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    assert rows(engine, schema, "customers")[1]["processing_restricted"] is True
    client.force_login(dpo)
    plan = plan_for(subject_request)
    item = plan.items.get(action=Action.RECTIFY)
    # Each record is shown before and after; the DPO unticks the name.
    page = client.get(reverse("execution:plan", args=[subject_request.reference])).content.decode()
    assert "correction-preview" in page and "Lotte Peeters-Smet" in page and "Brugge" in page
    client.post(
        reverse("execution:change_item", args=[subject_request.reference, item.pk]),
        {"change": "fields", "fields": ["city"]},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:approve", args=[subject_request.reference]))
    lotte = rows(engine, schema, "customers")[1]
    assert lotte["city"] == "Brugge" and lotte["name"] == "Lotte Peeters"
    # Art. 18(3): the subject is told the date first; the restriction stays until then.
    assert lotte["processing_restricted"] is True
    assert RestrictionLift.objects.get(request=subject_request).status == RestrictionLift.Status.SCHEDULED
    notice_mail = next(m for m in mail.outbox if m.to == ["privacy@mailer.example"])
    assert "City: Brugge" in notice_mail.body


def test_an_unacknowledged_recipient_can_be_reminded_and_the_subject_reads_it_in_their_language(
    client, dpo, approved_erasure, django_capture_on_commit_callbacks
):
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[approved_erasure.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    plan = plan_for(approved_erasure)
    notice = plan.notices.get(recipient__code="mailer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:remind", args=[approved_erasure.reference, notice.pk]))
    notice.refresh_from_db()
    assert notice.reminders == 1
    assert [m.to for m in mail.outbox] == [["privacy@mailer.example"]]
    # Art. 19 notices go to another organisation: in the controller's language (English
    # here), not the Dutch subject's.
    assert mail.outbox[0].subject.startswith("Reminder:")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(approved_erasure, actor=dpo)
    fulfilment = sent_email("execution_fulfilled")
    assert "We hebben uw verzoek" in fulfilment.body and "verwijderd" in fulfilment.body


def test_a_plan_can_be_computed_again_after_a_source_is_fixed(
    client, dpo, crm, approved_erasure, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    plan = plan_for(approved_erasure)
    connector.config = {**connector.config, "execution": {"tables": {}}}
    connector.save()
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:recompute", args=[approved_erasure.reference]))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY
    assert not plan.items.filter(run__connector=connector).exists()
    assert approved_erasure.events.filter(kind="plan.recomputed").exists()


def test_a_plan_approved_after_it_was_read_is_not_reset_by_computing_it_again(
    dpo, crm, approved_erasure, django_capture_on_commit_callbacks
):
    # "Compute again" is pressed on a page read while the plan waited for approval; another DPO
    # approved it in between. The reset is conditional on the plan's status in the database, not
    # on the page's (stale) object: the approval stands and nothing is computed again.
    stale = plan_for(approved_erasure)
    service.approve(plan_for(approved_erasure), user=dpo)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(ExecutionError, match="not yet approved"):
            recompute_plan(approved_erasure, stale, user=dpo)

    assert stale.status == Plan.Status.READY
    assert Plan.objects.get(pk=stale.pk).status == Plan.Status.APPROVED
    assert not approved_erasure.events.filter(kind="plan.recomputed").exists()
    assert callbacks == []


def test_a_correction_in_the_subjects_words_is_mapped_onto_a_field_by_the_dpo(
    client, dpo, crm, profile, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    subject_request = lotte_request(
        "rectification", items=[{"field": "My home town", "current": "Gent", "correct": "Brugge"}]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    plan = plan_for(subject_request)
    assert not plan.items.filter(action=Action.RECTIFY).exists()
    client.force_login(dpo)
    page = client.get(reverse("execution:plan", args=[subject_request.reference])).content.decode()
    assert "No source has a field of this name" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:map_correction", args=[subject_request.reference, 0]), {"field": "postal_address"}
        )
    item = plan.items.get(action=Action.RECTIFY)
    assert item.fields == {"city": "Brugge"}


def test_the_subject_who_asks_is_told_who_the_recipients_are(
    client, dpo, approved_erasure, django_capture_on_commit_callbacks
):
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[approved_erasure.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:tell_recipients", args=[approved_erasure.reference]))
    (message,) = mail.outbox
    assert message.to == [LOTTE["email"]]
    assert "Mailer BV" in message.body and "Accountant" in message.body and "Silent Ltd" not in message.body
    assert approved_erasure.events.filter(kind="recipients.told", public=True).exists()


def test_an_erasure_is_released_only_once_its_manual_tasks_are_done(
    client, dpo, crm, profile, django_capture_on_commit_callbacks
):
    from dsar.models import ManualTask
    from tests.support.execution_factories import make_manual

    make_manual()
    subject_request = lotte_request("erasure", scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    assert plan_for(subject_request).status == Plan.Status.WAITING

    # The panel says why the release waits, and the release is refused: the e-mail would say "done".
    blocked = "Manual tasks of the plan are still open: complete them on the plan panel before you tell the subject"
    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert blocked in page and "Release and tell the subject what was done" not in page
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("exports:release", args=[subject_request.reference]), follow=True).content.decode()
    assert blocked in page
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW and subject_request.purged_at is None
    assert not OutgoingEmail.objects.filter(template="execution_fulfilled").exists()
    assert "Lotte Peeters" in ManualTask.objects.get().instructions

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:complete_task", args=[subject_request.reference, ManualTask.objects.get().pk]),
            {"findings": "Footage deleted"},
        )
    assert plan_for(subject_request).status == Plan.Status.DONE
    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert blocked not in page and "Release and tell the subject what was done" in page
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("exports:release", args=[subject_request.reference]), follow=True).content.decode()
    assert "Done: the subject has been e-mailed what was done." in page
    body = sent_email("execution_fulfilled").body
    assert "uitgevoerd" in body and "nog niet aangepast" not in body and "laten we u weten" not in body
    subject_request.refresh_from_db()
    assert subject_request.purged_at is not None


def test_a_plans_manual_task_is_refused_by_the_gathering_route_and_completed_on_the_plan_panel(
    client, dpo, crm, profile, django_capture_on_commit_callbacks
):
    from dsar.execution.models import PlanItem
    from dsar.models import ManualTask
    from tests.support.execution_factories import make_manual

    cameras = make_manual()
    subject_request = lotte_request("erasure", scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    task = ManualTask.objects.get(run__connector=cameras)

    # A direct POST to the gathering's route (it takes files, marks only the task done): refused, said why.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("processing:complete_task", args=[subject_request.reference, task.pk]),
            {"findings": "Footage deleted"},
            follow=True,
        )
    assert (
        "This task is a step of the execution plan: complete it under “Plan of changes in the sources” on the "
        "request page." in response.content.decode()
    )
    task.refresh_from_db()
    assert task.status == ManualTask.Status.OPEN and task.findings == ""
    plan = plan_for(subject_request)
    assert plan.status == Plan.Status.WAITING
    assert plan.items.filter(run__connector=cameras, status=PlanItem.Status.WAITING).exists()
    assert not subject_request.events.filter(kind__in=["source.manual_task_completed", "plan.task_completed"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:complete_task", args=[subject_request.reference, task.pk]),
            {"findings": "Footage deleted"},
        )
    assert plan_for(subject_request).status == Plan.Status.DONE
    assert subject_request.events.filter(kind="plan.task_completed").exists()


def test_the_dpo_and_the_subject_read_the_plan_and_recipient_events_in_words(
    client, dpo, crm, approved_erasure, django_capture_on_commit_callbacks
):
    connector, _engine, _schema = crm
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[approved_erasure.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:tell_recipients", args=[approved_erasure.reference]))
    items = plan_for(approved_erasure).items.count()

    page = client.get(reverse("workspace:request", args=[approved_erasure.reference])).content.decode()
    assert (
        f'Execution plan approved</strong> <span class="muted">· {items} planned actions · ground of Art. 17(1): (b)'
        in page
    )
    assert f'Execution plan carried out</strong> <span class="muted">· Executed · {connector.name}: Done' in page
    # Art. 19: who was sent the notice, by name; the one without notices is not named.
    assert 'Recipients notified of the changes (Art. 19)</strong> <span class="muted">· sent to ' in page
    assert "Mailer BV" in page and "Silent Ltd" not in page
    assert "Subject told who the recipients are" in page
    assert ">plan.executed<" not in page and ">recipients.told<" not in page

    client.logout()
    # The request is Dutch; the page's switch shows it in English for this view.
    status = client.get(reverse("intake:status", args=[approved_erasure.token]) + "?lang=en").content.decode()
    assert "We sent you the list of the organisations that received your data." in status
    assert "Mailer BV" not in status  # the list itself went by e-mail


def test_the_subject_cannot_cancel_an_erasure_once_its_plan_is_approved(
    client, dpo, approved_erasure, django_capture_on_commit_callbacks
):
    status_url = reverse("intake:status", kwargs={"token": approved_erasure.token})
    cancel_url = reverse("intake:cancel", kwargs={"token": approved_erasure.token})
    # While the plan waits for the DPO's approval, nothing was changed yet: the subject may still cancel.
    assert "Cancel this request" in client.get(status_url + "?lang=en").content.decode()

    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[approved_erasure.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    client.logout()
    assert plan_for(approved_erasure).status == Plan.Status.DONE

    page = client.get(status_url + "?lang=en").content.decode()
    assert "Cancel this request" not in page
    assert "This request can no longer be cancelled: we have already started carrying it out" in page
    page = client.post(cancel_url + "?lang=en", follow=True).content.decode()
    assert "This request can no longer be cancelled: we have already started carrying it out" in page
    approved_erasure.refresh_from_db()
    assert approved_erasure.status == Status.IN_REVIEW
    with pytest.raises(workflow.WorkflowError):
        workflow.cancel(approved_erasure)


def test_an_objection_the_dpo_refuses_is_told_as_not_done_with_the_reason_and_the_complaint_route(
    crm, dpo, profile, client, django_capture_on_commit_callbacks
):
    subject_request = lotte_request("objection", activities=["crm"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    plan = plan_for(subject_request)
    (item,) = plan.items.all()
    client.force_login(dpo)
    client.post(
        reverse("execution:change_item", args=[subject_request.reference, item.pk]),
        {"change": "leave_out", "note": "Dwingende gerechtvaardigde gronden: fraudeonderzoek loopt"},
    )
    approve_url = reverse("execution:approve", args=[subject_request.reference])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve_url)
    assert plan_for(subject_request).status == Plan.Status.DONE
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(subject_request, actor=dpo)

    message = sent_email("execution_fulfilled")
    # Dutch: not "carried out", but what was not done, why, and where the subject can turn (Art. 12(4)).
    assert "is behandeld" in message.subject and "uitgevoerd" not in message.subject
    body = " ".join(message.body.split())
    assert "niet alles uitgevoerd" in body
    assert "Geen van onze systemen bevatte gegevens van u die gewijzigd moesten worden" not in body
    assert "Demo CRM, Customer management: 1 gegeven. Reden: Dwingende gerechtvaardigde gronden" in body
    assert "klacht indienen bij de toezichthoudende autoriteit" in body and "art. 79 AVG" in body
    html = message.alternatives[0][0]
    assert "Dwingende gerechtvaardigde gronden" in html and "art. 79 AVG" in html


def test_the_kept_records_are_named_by_their_category_in_the_subjects_language(
    client, dpo, approved_erasure, django_capture_on_commit_callbacks
):
    from dsar.models import DataCategory

    DataCategory.objects.filter(code="billing").update(names={"en": "Invoices", "nl": "Facturen"})
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[approved_erasure.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(approved_erasure, actor=dpo)
    body = sent_email("execution_fulfilled").body
    assert "(Facturen)" in body and "(billing)" not in body
    assert "klacht" in body  # some data is kept: Art. 12(4) applies to that part
    # Invoice lines are kept with their invoice: their reason is the invoice's hold, in Dutch too.
    assert "Boekhoudwet: 7 jaar" in body and "Accounting law" not in body
    kept = [line for line in body.splitlines() if "Boekhoudwet" in line]
    assert len(kept) == len(set(kept))  # one line per category, reason and date
