"""Manual tasks of an execution plan through the API: the same path, the same
roles and the same audit trail as the plan panel on the request page."""

# ruff: noqa: F811  (the execution tests' fixtures, imported, are parameters here)
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dsar.execution.models import Plan, PlanItem, RecipientNotice
from dsar.models import ManualTask, SourceRecord
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from requests_app.models import Status
from tests.fixtures.execution import crm, profile  # noqa: F401  (fixtures)
from tests.support.execution_factories import make_manual
from tests.support.execution_steps import lotte


@pytest.fixture
def cameras(crm, other_agent):
    # The footage is someone else's job: the task is assigned to them, not to the request's agent.
    connector = make_manual()
    connector.default_assignee = other_agent
    connector.save(update_fields=["default_assignee"])
    return connector


@pytest.fixture
def waiting_erasure(api, dpo, agent, cameras, profile, django_capture_on_commit_callbacks):
    """An erasure assigned to the agent, its plan approved: the CRM is done, the cameras wait for a person."""
    subject_request = lotte("erasure", scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(subject_request, actor=dpo, assignee=agent)
        workflow.approve(subject_request, actor=dpo)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            dpo,
            "post",
            f"/api/v1/requests/{subject_request.reference}/plan/approve/",
            {"erasure_ground": "no_longer_necessary"},
        )
    assert response.status_code == 200, response.content
    plan = plan_for(subject_request)
    assert plan.status == Plan.Status.WAITING
    assert plan.items.filter(run__connector=cameras, status=PlanItem.Status.WAITING).exists()
    return subject_request


def _complete(api, actor, subject_request, task, data, **extra):
    return api(actor, "post", f"/api/v1/requests/{subject_request.reference}/tasks/{task.pk}/complete/", data, **extra)


def _task(cameras):
    return ManualTask.objects.get(run__connector=cameras)


def test_the_agent_completes_the_plans_task_and_the_plan_is_executed_as_from_the_page(
    api, agent, cameras, waiting_erasure, django_capture_on_commit_callbacks
):
    task = _task(cameras)
    with django_capture_on_commit_callbacks(execute=True):
        response = _complete(api, agent, waiting_erasure, task, {"findings": "Footage of 3 May deleted"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done" and response.json()["completed_by"] == "agent"
    plan = plan_for(waiting_erasure)
    assert set(plan.items.filter(run__connector=cameras).values_list("status", flat=True)) == {PlanItem.Status.DONE}
    assert plan.status == Plan.Status.DONE
    # The plan panel's event, with ids only; the findings stay on the task.
    done = waiting_erasure.events.get(kind="plan.task_completed")
    assert done.actor == agent
    assert done.details == {"plan": plan.pk, "task": task.pk, "source": cameras.code}
    # The plan's end: executed, and the recipients concerned notified (Art. 19).
    assert waiting_erasure.events.filter(kind="plan.executed").exists()
    assert RecipientNotice.objects.filter(plan=plan).exists()
    # Not the gathering's path: no records made of the findings, no gathering event.
    assert not SourceRecord.objects.filter(run__connector=cameras).exists()
    assert not waiting_erasure.events.filter(kind="source.manual_task_completed").exists()


def test_an_erasure_is_released_through_the_api_only_once_its_task_is_completed(
    api, dpo, cameras, waiting_erasure, django_capture_on_commit_callbacks
):
    release = f"/api/v1/requests/{waiting_erasure.reference}/release/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", release, {})
    assert response.status_code == 409, response.content
    assert "Manual tasks of the plan are still open" in response.content.decode()
    waiting_erasure.refresh_from_db()
    assert waiting_erasure.status == Status.IN_REVIEW and waiting_erasure.purged_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = _complete(api, dpo, waiting_erasure, _task(cameras), {"findings": "Footage deleted"})
    assert response.status_code == 200, response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", release, {})
    assert response.status_code == 200, response.content
    waiting_erasure.refresh_from_db()
    assert waiting_erasure.status == Status.FULFILLED and waiting_erasure.purged_at is not None
    assert _task(cameras).findings == ""  # the engine forgot the subject too


@pytest.mark.parametrize("who", ["other_agent", "auditor"])
def test_only_those_who_may_on_the_plan_panel_complete_the_plans_task(api, request, cameras, waiting_erasure, who):
    # The assignee may complete a task of a gathering, but the plan panel takes a DPO or the request's agent.
    actor = request.getfixturevalue(who)
    assert (who != "other_agent") or _task(cameras).assignee == actor
    response = _complete(api, actor, waiting_erasure, _task(cameras), {"findings": "Done"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this action."
    assert _task(cameras).status == ManualTask.Status.OPEN
    assert plan_for(waiting_erasure).status == Plan.Status.WAITING
    assert not waiting_erasure.events.filter(kind="plan.task_completed").exists()


def test_the_plans_task_takes_words_not_files_and_is_completed_once(api, dpo, cameras, waiting_erasure):
    task = _task(cameras)
    frame = SimpleUploadedFile("entrance.jpg", b"\xff\xd8 frame bytes", content_type="image/jpeg")
    with_file = _complete(
        api, dpo, waiting_erasure, task, {"findings": "Deleted", "files": [frame]}, format="multipart"
    )
    assert with_file.status_code == 400
    assert "takes no files" in with_file.json()["files"][0]
    blank = _complete(api, dpo, waiting_erasure, task, {"findings": "  "})
    assert blank.status_code == 400
    assert blank.json()["findings"] == ["Say what you did."]
    assert _task(cameras).status == ManualTask.Status.OPEN

    assert _complete(api, dpo, waiting_erasure, task, {"findings": "Deleted"}).status_code == 200
    again = _complete(api, dpo, waiting_erasure, task, {"findings": "Deleted again"})
    assert again.status_code == 409
    assert waiting_erasure.events.filter(kind="plan.task_completed").count() == 1
