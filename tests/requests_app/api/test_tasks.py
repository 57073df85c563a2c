"""Manual tasks through the API: listed per request, completed by the assignee or a DPO."""

from __future__ import annotations

import pytest

from dsar.models import Connector, ManualTask, ManualTaskFile
from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request

# Gathering starts after the approval commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def task_request(dpo, agent):
    Connector.objects.create(
        code="camera",
        name="Camera footage",
        kind="manual",
        config={"instructions": "Search the recordings."},
        identity_fields=["email"],
        operations=["access"],
        default_assignee=agent,
    )
    request = make_request()
    workflow.approve(request, actor=dpo)
    request.refresh_from_db()
    assert request.status == Status.PROCESSING
    return request


def _url(request, suffix=""):
    return f"/api/v1/requests/{request.reference}/tasks/{suffix}"


def test_it_lists_the_manual_tasks_of_a_request(api, auditor, task_request):
    body = api(auditor, "get", _url(task_request)).json()
    task = body["results"][0]
    assert body["count"] == 1
    assert task["status"] == "open"
    assert task["connector"] == "camera"
    assert task["assignee"] == "agent"
    assert "Search the recordings." in task["instructions"]


def test_the_assignee_completes_a_task_with_a_file_and_the_request_moves_on(api, agent, task_request):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = ManualTask.objects.get()
    frame = SimpleUploadedFile("entrance.jpg", b"\xff\xd8 frame bytes", content_type="image/jpeg")
    response = api(
        agent,
        "post",
        _url(task_request, f"{task.pk}/complete/"),
        {"findings": "Seen at the entrance, 3 May 09:12.", "files": [frame]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert response.json()["completed_by"] == "agent"
    assert response.json()["files"][0]["name"] == "entrance.jpg"
    assert b"frame bytes" not in ManualTaskFile.objects.get().file.read()  # encrypted at rest
    task_request.refresh_from_db()
    assert task_request.status == Status.IN_REVIEW
    assert task_request.events.filter(kind="source.manual_task_completed", actor=agent).exists()
    assert not task_request.events.filter(kind="plan.task_completed").exists()  # a gathering has no plan


def test_a_task_is_completed_once(api, dpo, task_request):
    task = ManualTask.objects.get()
    url = _url(task_request, f"{task.pk}/complete/")
    assert api(dpo, "post", url, {"findings": "Nothing found in the archive."}).status_code == 200
    again = api(dpo, "post", url, {"findings": "Again."})
    assert again.status_code == 409
    assert again.json()["detail"] == "This task was already completed."


def test_an_empty_task_cannot_be_completed(api, dpo, task_request):
    task = ManualTask.objects.get()
    response = api(dpo, "post", _url(task_request, f"{task.pk}/complete/"), {"findings": "  "})
    assert response.status_code == 400
    assert "empty task" in response.json()["findings"][0]


@pytest.mark.parametrize("who", ["other_agent", "auditor"])
def test_others_cannot_complete_a_task(api, request, task_request, who):
    task = ManualTask.objects.get()
    response = api(request.getfixturevalue(who), "post", _url(task_request, f"{task.pk}/complete/"), {"findings": "x"})
    assert response.status_code == 403
    assert ManualTask.objects.get().status == "open"


def test_a_task_of_another_request_is_not_found(api, dpo, task_request):
    other = make_request()
    task = ManualTask.objects.get()
    assert api(dpo, "post", _url(other, f"{task.pk}/complete/"), {"findings": "x"}).status_code == 404


@pytest.mark.parametrize("content", ["json", "multipart"])
def test_a_task_is_completed_with_nothing_found_alone(api, agent, task_request, content):
    """Walkthrough finding: a person who searched and found nothing had to type something."""
    task = ManualTask.objects.get()
    response = api(agent, "post", _url(task_request, f"{task.pk}/complete/"), {"nothing_found": True}, format=content)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done" and response.json()["nothing_found"] is True
    task.refresh_from_db()
    assert task.run.record_count == 0
    event = task_request.events.get(kind="source.manual_task_completed")
    assert event.details["nothing_found"] is True
    listed = api(agent, "get", _url(task_request)).json()["results"][0]
    assert listed["nothing_found"] is True
