"""Live progress (issue 15): what a request waits for, by name, on its page,
its progress endpoint and the queue's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.models import Job, ManualTask, SourceRun
from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def camera_search(controller, dpo, agent):
    """An access request still processing: the ERP search waits for a person (the agent)."""
    request = make_request()
    workflow.approve(request, actor=dpo)
    workflow.start_processing(request)
    job = make_job(request.reference)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    run = SourceRun.objects.get(job=job, connector__code="erp")
    run.status = SourceRun.Status.WAITING
    run.save(update_fields=["status"])
    ManualTask.objects.create(run=run, instructions="Look in the archive", assignee=agent)
    request.refresh_from_db()
    assert request.status == Status.PROCESSING
    return request, run


def _progress(client, request) -> dict:
    response = client.get(reverse("workspace:progress", args=[request.reference]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    return response.json()


def test_it_names_the_manual_task_and_who_holds_it(camera_search, client, dpo, agent):
    request, run = camera_search
    client.force_login(dpo)

    data = _progress(client, request)

    assert data["running"] is True
    assert data["status_label"] == "Processing"
    assert data["waiting_for"] == f"the manual search in {run.connector.name}, held by {agent.get_username()}"
    assert {"name": run.connector.name, "status": "waiting", "label": "Waiting for a person"} in data["sources"]


def test_the_page_says_what_the_files_wait_for_instead_of_being_generated(camera_search, client, dpo, agent):
    request, run = camera_search
    client.force_login(dpo)

    page = client.get(reverse("workspace:request", args=[request.reference])).content.decode()

    assert "The files are being generated" not in page
    assert "The files are made when every source has answered." in page
    assert f"the manual search in {run.connector.name}, held by {agent.get_username()}" in page
    assert 'data-running="1"' in page


def test_the_fingerprint_changes_when_the_task_is_done_and_then_nothing_runs(
    camera_search, client, dpo, django_capture_on_commit_callbacks
):
    request, run = camera_search
    client.force_login(dpo)
    before = _progress(client, request)

    with django_capture_on_commit_callbacks(execute=True):
        ManualTask.objects.filter(run=run).update(status=ManualTask.Status.DONE)
        SourceRun.objects.filter(pk=run.pk).update(status=SourceRun.Status.DONE)
        workflow.processing_done(request)
    after = _progress(client, request)

    assert after["fingerprint"] != before["fingerprint"]
    assert after["status"] == "in_review"
    # The files were made by the effect: nothing runs, the page stops asking.
    assert after["running"] is False
    assert after["waiting_for"] == ""
    assert _progress(client, request)["fingerprint"] == after["fingerprint"]


def test_the_queue_asks_once_for_all_its_rows(camera_search, client, dpo, agent, django_assert_max_num_queries):
    request, run = camera_search
    idle = make_request()
    client.force_login(dpo)

    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("workspace:queue_progress"), {"ref": [request.reference, idle.reference, "DSAR-2026-99999"]}
        )

    rows = response.json()["rows"]
    assert rows[request.reference]["waiting_for"] == (
        f"the manual search in {run.connector.name}, held by {agent.get_username()}"
    )
    assert rows[idle.reference] == {"status": "new", "status_label": "New", "waiting_for": ""}
    assert "DSAR-2026-99999" not in rows


def test_the_queue_rows_carry_what_the_script_polls(camera_search, client, dpo):
    request, _run = camera_search
    client.force_login(dpo)

    page = client.get(reverse("workspace:queue")).content.decode()

    assert f'data-progress-url="{reverse("workspace:queue_progress")}"' in page
    assert f'data-progress-ref="{request.reference}" data-status="processing"' in page
    assert "/static/js/progress.js" in page


def test_someone_without_a_role_gets_no_progress(camera_search, client, outsider):
    request, _run = camera_search
    client.force_login(outsider)

    assert client.get(reverse("workspace:progress", args=[request.reference])).status_code == 403
    assert client.get(reverse("workspace:queue_progress"), {"ref": request.reference}).status_code == 403
