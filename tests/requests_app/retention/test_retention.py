"""Retention of the desk's own records: payloads go DSAR_PAYLOAD_RETENTION_DAYS
after a request ends, the record itself DSAR_RECORD_RETENTION_YEARS after;
the audit chain verifies throughout."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dsar.exports.models import ExportFile
from dsar.models import Job, ManualTask, ManualTaskFile, SourceRecord, SourceRun
from requests_app import workflow
from requests_app.audit import chain as audit_chain
from requests_app.audit.chain import verify_request_chain
from requests_app.delivery import selectors as delivery_selectors
from requests_app.delivery import services as delivery_services
from requests_app.delivery.downloads.models import DownloadLink
from requests_app.intake.services import reply
from requests_app.models import Attachment, Message, OutgoingEmail, RejectionReason, RequestEvent, SubjectRequest
from requests_app.retention import selectors as retention_selectors
from requests_app.retention import services as retention_services
from tests.factories import make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

RELEASED = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
NAME, EMAIL = "Lotte Peeters", "lotte.peeters@example.be"
ID_COPY = b"\x89PNG\r\n\x1a\n an identity card"


@pytest.fixture
def fulfilled(controller, dpo, settings, django_capture_on_commit_callbacks):
    """A released access request with everything a request can hold: a reply
    with an attachment, a note, e-mails, gathered records, a manual search's
    findings and file, the copies and their download link."""
    with time_machine.travel(RELEASED - dt.timedelta(days=20), tick=False):
        request = make_request(full_name=NAME, email=EMAIL, phone="+32 470 12 34 56", details="Alles graag.")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.request_info(request, actor=dpo, body="Which customer number, please?")
            reply(request, body="C-100042, and my ID card.", files=[SimpleUploadedFile("id-lotte.png", ID_COPY)])
            workflow.add_note(request, actor=dpo, body="Lotte called about her ID card.")
            workflow.approve(request, actor=dpo)
            workflow.start_processing(request)
            job = make_job(request.reference)
            run = SourceRun.objects.filter(job=job).first()
            task = ManualTask.objects.create(
                run=run, instructions=f"Search the archive for {NAME}", status="done", findings="Box 12: her letter"
            )
            task_file = ManualTaskFile(task=task, original_name="letter.pdf", content_type="application/pdf", size=3)
            task_file.file.save("x.bin", ContentFile(b"pdf"), save=False)
            task_file.save()
            workflow.processing_done(request)
    with time_machine.travel(RELEASED, tick=False), django_capture_on_commit_callbacks(execute=True):
        request.refresh_from_db()
        delivery_services.release(request, actor=dpo)
    request.refresh_from_db()
    files = {
        "attachment": settings.MEDIA_ROOT / Attachment.objects.get(message__request=request).file.name,
        "task": settings.MEDIA_ROOT / task_file.file.name,
        **{f.format: settings.MEDIA_ROOT / f.path for f in delivery_selectors.export_files(request)},
    }
    assert all(path.exists() for path in files.values())
    return request, files


def _sweep(when, django_capture_on_commit_callbacks):
    with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
        return retention_services.apply_retention()


def _page(user, request) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("workspace:request", args=[request.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _personal_payload_left(request) -> list[str]:
    """Where any of the subject's data is still held."""
    request.refresh_from_db()
    left = []
    if request.full_name == NAME or request.email == EMAIL or request.phone or request.details:
        left.append("identity")
    if Message.objects.filter(request=request).exclude(body="").exists():
        left.append("messages")
    if Attachment.objects.filter(message__request=request).exists():
        left.append("attachments")
    if request.notes.exclude(body="").exists():
        left.append("notes")
    if OutgoingEmail.objects.filter(request=request, to=EMAIL).exists():
        left.append("e-mails")
    if SourceRecord.objects.filter(run__job__external_ref=request.reference).exists():
        left.append("gathered records")
    if any(json.loads(job.identity or "{}") for job in Job.objects.filter(external_ref=request.reference)):
        left.append("identifiers searched for")
    if ManualTask.objects.filter(run__job__external_ref=request.reference).exclude(findings="").exists():
        left.append("manual findings")
    if ManualTaskFile.objects.filter(task__run__job__external_ref=request.reference).exists():
        left.append("manual files")
    if ExportFile.objects.filter(job__external_ref=request.reference).exists():
        left.append("copies")
    return left


def test_nothing_is_purged_before_the_payload_period_ends(fulfilled, dpo, django_capture_on_commit_callbacks):
    request, files = fulfilled

    sweep = _sweep(RELEASED + dt.timedelta(days=89), django_capture_on_commit_callbacks)

    assert sweep.purged == 0
    assert _personal_payload_left(request) == [
        "identity",
        "messages",
        "attachments",
        "notes",
        "e-mails",
        "gathered records",
        "identifiers searched for",
        "manual findings",
        "manual files",
        # The link expired after DSAR_DOWNLOAD_DAYS: its sweep, not this one, deletes the copies.
        "copies",
    ]
    assert files["attachment"].exists() and files["task"].exists()
    page = _page(dpo, request)
    assert NAME in page and "Personal data purged" not in page


def test_after_the_payload_period_everything_personal_is_gone(fulfilled, dpo, django_capture_on_commit_callbacks):
    request, files = fulfilled

    sweep = _sweep(RELEASED + dt.timedelta(days=91), django_capture_on_commit_callbacks)

    assert sweep.purged == 1
    assert _personal_payload_left(request) == []
    assert not any(path.exists() for path in files.values())
    # What accountability needs stays: reference, type, dates, outcome, the trail.
    assert request.reference.startswith("DSAR-") and request.request_type == "access"
    assert request.status == "fulfilled" and request.received_at and request.due_date
    purge = request.events.get(kind="request.purged")
    assert purge.details == {"reason": "retention"} and purge.actor_label == "system"
    assert verify_request_chain(request) is None
    page = _page(dpo, request)
    assert "Personal data purged" in page
    for text in (NAME, EMAIL, "Which customer number", "id-lotte.png", "her ID card", "Alles graag"):
        assert text not in page, text


def test_the_sweep_is_idempotent(fulfilled, django_capture_on_commit_callbacks):
    request, _files = fulfilled

    for days in (91, 92):
        _sweep(RELEASED + dt.timedelta(days=days), django_capture_on_commit_callbacks)

    assert request.events.filter(kind="request.purged").count() == 1


def test_a_fulfilled_request_waits_while_its_download_link_works(
    fulfilled, settings, django_capture_on_commit_callbacks
):
    request, _files = fulfilled
    DownloadLink.objects.filter(request=request).update(expires_at=RELEASED + dt.timedelta(days=120))

    assert _sweep(RELEASED + dt.timedelta(days=100), django_capture_on_commit_callbacks).purged == 0
    assert "copies" in _personal_payload_left(request)

    assert _sweep(RELEASED + dt.timedelta(days=121), django_capture_on_commit_callbacks).purged == 1
    assert _personal_payload_left(request) == []


def test_a_request_waits_while_a_manual_task_is_open(fulfilled, django_capture_on_commit_callbacks):
    request, _files = fulfilled
    ManualTask.objects.filter(run__job__external_ref=request.reference).update(status="open")

    assert _sweep(RELEASED + dt.timedelta(days=91), django_capture_on_commit_callbacks).purged == 0


@pytest.mark.parametrize("end", ["close", "reject", "cancel"])
def test_closed_rejected_and_cancelled_requests_are_purged_from_their_end(end, dpo, django_capture_on_commit_callbacks):
    with time_machine.travel(RELEASED, tick=False):
        request = make_request(full_name=NAME, email=EMAIL)
        workflow.add_note(request, actor=dpo, body="About Lotte.")
        if end == "close":
            workflow.close(request, actor=dpo, reason="duplicate")
        elif end == "reject":
            workflow.reject(request, actor=dpo, reason=RejectionReason.NOT_CONTROLLER)
        else:
            workflow.cancel(request)

    assert _sweep(RELEASED + dt.timedelta(days=89), django_capture_on_commit_callbacks).purged == 0
    assert "identity" in _personal_payload_left(request)

    assert _sweep(RELEASED + dt.timedelta(days=91), django_capture_on_commit_callbacks).purged == 1
    assert _personal_payload_left(request) == []


def test_an_open_request_is_never_purged(dpo, django_capture_on_commit_callbacks):
    with time_machine.travel(RELEASED, tick=False):
        request = make_request(full_name=NAME, email=EMAIL)

    sweep = _sweep(RELEASED + dt.timedelta(days=6 * 366), django_capture_on_commit_callbacks)

    assert (sweep.purged, sweep.deleted) == (0, 0)
    assert "identity" in _personal_payload_left(request)


def test_after_the_record_period_the_records_go_and_the_chain_still_verifies(
    fulfilled, dpo, capsys, django_capture_on_commit_callbacks
):
    request, files = fulfilled
    _sweep(RELEASED + dt.timedelta(days=91), django_capture_on_commit_callbacks)
    kept_events = request.events.count()

    assert _sweep(RELEASED + dt.timedelta(days=5 * 365), django_capture_on_commit_callbacks).deleted == 0
    assert request.events.count() == kept_events

    sweep = _sweep(RELEASED + dt.timedelta(days=5 * 365 + 3), django_capture_on_commit_callbacks)

    assert sweep.deleted == 1
    request.refresh_from_db()
    assert request.records_deleted_at and request.reference and request.assignee is None
    assert not Job.objects.filter(external_ref=request.reference).exists()
    assert not Message.objects.filter(request=request).exists() and not request.notes.exists()
    assert not request.emails.exists() and not request.download_links.exists() and not request.pauses.exists()
    [checkpoint] = request.events.all()
    assert checkpoint.kind == "request.records_deleted" and checkpoint.seq == kept_events + 1
    assert checkpoint.details["removed_events"] == kept_events and checkpoint.details["retention_years"] == 5
    assert verify_request_chain(request) is None
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out
    page = _page(dpo, request)
    assert "Records deleted" in page and request.reference in page

    # A second run finds nothing more to do.
    assert _sweep(RELEASED + dt.timedelta(days=5 * 365 + 4), django_capture_on_commit_callbacks).deleted == 0
    assert request.events.count() == 1


def test_an_unpurged_request_is_purged_then_deleted_when_both_periods_passed(dpo, django_capture_on_commit_callbacks):
    with time_machine.travel(RELEASED, tick=False):
        request = make_request(full_name=NAME, email=EMAIL)
        workflow.close(request, actor=dpo, reason="Withdrawn by phone.")
    # A valid link holds back the payload purge, not the record deletion.
    DownloadLink.objects.create(request=request, token_hash="x" * 64, expires_at=RELEASED + dt.timedelta(days=9999))

    sweep = _sweep(RELEASED + dt.timedelta(days=6 * 365), django_capture_on_commit_callbacks)

    assert sweep.deleted == 1
    request.refresh_from_db()
    assert request.purged_at and request.records_deleted_at and request.full_name == "—"
    assert verify_request_chain(request) is None


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def cut_chain(dpo, django_capture_on_commit_callbacks):
    with time_machine.travel(RELEASED, tick=False):
        request = make_request(full_name=NAME, email=EMAIL)
        workflow.close(request, actor=dpo, reason="Withdrawn by phone.")
    _sweep(RELEASED + dt.timedelta(days=6 * 365), django_capture_on_commit_callbacks)
    request.refresh_from_db()
    return request


def test_a_deleted_checkpoint_is_detected(cut_chain):
    _raw("DELETE FROM requests_app_requestevent WHERE request_id = %s", [cut_chain.pk])

    assert verify_request_chain(cut_chain) is not None
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", cut_chain.reference)


def test_a_forged_checkpoint_is_detected(cut_chain):
    checkpoint = cut_chain.events.get()
    details = {**checkpoint.details, "retention_years": 1}
    _raw("UPDATE requests_app_requestevent SET details = %s WHERE id = %s", [json.dumps(details), checkpoint.pk])

    broken = verify_request_chain(cut_chain)
    assert broken is not None and "changed" in broken.problem


def test_events_cut_without_a_checkpoint_are_still_detected(dpo, new_request):
    workflow.approve(new_request, actor=dpo)
    _raw("DELETE FROM requests_app_requestevent WHERE request_id = %s AND seq < 3", [new_request.pk])

    assert "missing" in verify_request_chain(new_request).problem


def test_only_a_checkpoint_can_delete_events(dpo, new_request):
    workflow.approve(new_request, actor=dpo)
    last = RequestEvent.objects.filter(request=new_request).latest("seq")

    with pytest.raises(PermissionError):
        audit_chain.delete_events_before(last)
    assert new_request.events.count() == 3


def test_the_records_are_not_deleted_before_the_purge(dpo, new_request):
    workflow.close(new_request, actor=dpo, reason="Withdrawn by phone.")

    with pytest.raises(workflow.WorkflowError):
        workflow.delete_records(new_request, retention_years=5)
    assert not SubjectRequest.objects.get(pk=new_request.pk).records_deleted_at


def test_an_agent_cannot_purge_nor_delete_records(dpo, agent, new_request):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    workflow.close(new_request, actor=dpo, reason="Withdrawn by phone.")

    with pytest.raises(workflow.ActionForbidden):
        workflow.purge_personal_data(new_request, actor=agent)
    with pytest.raises(workflow.ActionForbidden):
        workflow.delete_records(new_request, actor=agent, retention_years=5)
    assert new_request.events.filter(kind="action.refused").count() == 2


def test_beat_runs_the_retention_task():
    from requests_app.retention import tasks as retention_tasks
    from requests_app.retention.schedules import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == retention_tasks.apply_retention.name
    assert retention_tasks.apply_retention.delay().get() == {"purged": 0, "deleted": 0, "failed": 0, "held": 0}


def test_it_uses_the_moment_of_release_for_a_fulfilled_request(fulfilled):
    request, _files = fulfilled

    ended = retention_selectors.ended_requests().get(pk=request.pk).ended_at

    assert ended == RELEASED and timezone.is_aware(ended)
