"""Planning and execution on a real Celery worker, and an HTTP source."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from dsar.execution import service
from dsar.execution.executors import HttpExecutor
from dsar.execution.models import Action, Plan, PlanItem
from dsar.models import Connector, SourceRun
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from requests_app.execution.services import approve_plan
from requests_app.models import OutgoingEmail, Status, SubjectRequest
from tests.conftest import wait_for
from tests.factories import make_request
from tests.support.execution_factories import LOTTE


def test_a_real_worker_computes_and_executes_an_erasure(crm, dpo, profile, real_worker):
    connector, engine, schema = crm
    subject_request = make_request(
        request_type="erasure",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
    )
    workflow.approve(subject_request, actor=dpo)
    wait_for(lambda: SubjectRequest.objects.get(pk=subject_request.pk).status == Status.IN_REVIEW)
    plan = plan_for(subject_request)
    approve_plan(subject_request, plan, user=dpo, erasure_ground="no_longer_necessary")
    wait_for(lambda: Plan.objects.get(pk=plan.pk).status == Plan.Status.DONE)
    table = sa.Table("usage", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        assert [r.id for r in c.execute(sa.select(table))] == [3]
    assert SourceRun.objects.get(job=plan.job, connector=connector).status == SourceRun.Status.DONE
    # The Art. 19 notices are delivered by the worker too.
    wait_for(lambda: OutgoingEmail.objects.exists() and not OutgoingEmail.objects.filter(sent_at=None).exists())


@pytest.fixture
def marketing_api(db, crm):
    """A marketing platform reached over HTTP, as a mock transport."""
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.method, request.url.path, request.content.decode()))
        if request.url.path.startswith("/fail"):
            return httpx.Response(503)
        return httpx.Response(200, json={"changed": 1})

    HttpExecutor.transport = httpx.MockTransport(handler)
    connector = Connector.objects.create(
        code="marketing",
        name="Marketing platform",
        kind="http",
        operations=["access", "erase", "stop_processing"],
        config={
            "base_url": "https://marketing.example",
            "execution": {
                "erase": {"method": "DELETE", "path": "/contacts/{email}"},
                "stop_processing": {
                    "newsletter": {"method": "POST", "path": "/unsubscribe", "json": {"email": "{email}"}}
                },
            },
        },
    )
    yield connector, calls
    HttpExecutor.transport = None


def test_an_http_source_is_called_once_per_action_and_not_again_on_a_second_run(marketing_api, dpo):
    connector, calls = marketing_api
    plan = service.create_plan(
        external_ref="R-1",
        operation="stop_processing",
        identity=LOTTE,
        options={"activities": ["newsletter"], "request_type": "withdrawal"},
    )
    service.compute(plan.pk)
    item = plan.items.get(run__connector=connector)
    assert item.action == Action.API_CALL and item.mandatory
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    assert calls == [("POST", "/unsubscribe", '{"email":"lotte.peeters@example.be"}')]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    # Resuming a finished plan calls nothing again.
    with pytest.raises(service.PlanError):
        service.runs_to_execute(plan)
    assert len(calls) == 1


def test_an_http_source_that_fails_is_reported_and_can_be_resumed(marketing_api, dpo):
    connector, calls = marketing_api
    connector.config["execution"]["erase"]["path"] = "/fail/{email}"
    connector.save()
    plan = service.create_plan(external_ref="R-2", operation="erase", identity=LOTTE, options={})
    service.compute(plan.pk)
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    plan.refresh_from_db()
    run = SourceRun.objects.get(job=plan.job, connector=connector)
    assert plan.status == Plan.Status.PARTIAL and run.status == SourceRun.Status.FAILED
    assert "503" in run.error
    assert plan.items.get(run=run).status == PlanItem.Status.FAILED
    connector.config["execution"]["erase"]["path"] = "/contacts/{email}"
    connector.save()
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    assert calls[-1][:2] == ("DELETE", "/contacts/lotte.peeters@example.be")
