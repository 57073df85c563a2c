"""The desk fails closed (issue 12, point 7): a source that could not be read
is never shown or counted as done, and the subject is never told that none of
our systems held their data while a source was not searched."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dsar.execution import service
from dsar.execution.models import UNREAD, Plan
from dsar.models import Connector, SourceRun
from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.execution.selectors import plan_for
from requests_app.execution.services import approve_plan, resume_plan
from requests_app.models import OutgoingEmail, Status, SubjectRequest
from tests.conftest import wait_for
from tests.factories import make_request, sent_email
from tests.support.execution_factories import LOTTE


@pytest.fixture
def shop_without_key(crm, tmp_path):
    """A second source, as the integrating engineer in the issue declared it: its
    table has no ``id`` and the declaration names no ``key``, so it cannot be read."""
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE clients (client_no INTEGER PRIMARY KEY, email VARCHAR(200))"))
        c.execute(sa.text("INSERT INTO clients VALUES (7, 'lotte.peeters@example.be')"))
    engine.dispose()
    return Connector.objects.create(
        code="shop",
        name="Web shop",
        kind="sql",
        config={
            "url": url,
            "execution": {"tables": {"clients": {"match": {"email": "email"}, "category": "identity"}}},
        },
        identity_fields=["email"],
        operations=["access", "erase"],
    )


def _erasure():
    return make_request(
        request_type="erasure",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        language="en",
    )


@pytest.mark.worker
def test_a_source_that_could_not_be_read_stays_failed_and_the_subject_is_told_so(
    crm, shop_without_key, dpo, profile, real_worker
):
    subject_request = _erasure()
    workflow.approve(subject_request, actor=dpo)
    wait_for(lambda: SubjectRequest.objects.get(pk=subject_request.pk).status == Status.IN_REVIEW, timeout=60)
    plan = plan_for(subject_request)
    shop_run = SourceRun.objects.get(job=plan.job, connector=shop_without_key)
    assert shop_run.status == SourceRun.Status.FAILED
    assert shop_run.summary[UNREAD]

    approve_plan(subject_request, plan, user=dpo, erasure_ground="no_longer_necessary")
    assert subject_request.events.get(kind="plan.approved").details["unread_sources"] == ["shop"]
    wait_for(lambda: Plan.objects.get(pk=plan.pk).status == Plan.Status.PARTIAL, timeout=60)

    # Executed on the CRM, but the shop was never searched: it does not flip to "done".
    shop_run.refresh_from_db()
    assert shop_run.status == SourceRun.Status.FAILED
    assert shop_run.error
    crm_run = SourceRun.objects.get(job=plan.job, connector__code="crm")
    assert crm_run.status == SourceRun.Status.DONE, crm_run.error
    # Retrying does not make it "done" either: nothing was planned on it.
    resume_plan(subject_request, Plan.objects.get(pk=plan.pk), user=dpo)
    wait_for(lambda: Plan.objects.get(pk=plan.pk).status == Plan.Status.PARTIAL, timeout=60)
    shop_run.refresh_from_db()
    assert shop_run.status == SourceRun.Status.FAILED

    # One click does not release it...
    with pytest.raises(workflow.WorkflowError, match="Web shop"):
        delivery_services.release(subject_request, actor=dpo)
    assert not OutgoingEmail.objects.filter(template="execution_fulfilled").exists()
    # ... the DPO's choice with a reason does, audited, and the subject is told what was not searched.
    delivery_services.release(subject_request, actor=dpo, incomplete_reason="The shop is being migrated")
    event = subject_request.events.get(kind="release.incomplete")
    assert event.details["sources"] == ["shop"]
    assert event.details["reason"] == "The shop is being migrated"
    wait_for(lambda: OutgoingEmail.objects.filter(template="execution_fulfilled", sent_at__isnull=False), timeout=30)
    body = sent_email("execution_fulfilled").body
    assert "None of our systems held data of yours" not in body
    assert "Web shop" in body
    assert "no such column" not in body and "Error" not in body


def test_a_plan_with_an_unread_source_never_completes_as_done(crm, shop_without_key, dpo, profile):
    plan = service.create_plan(
        external_ref="R-9", operation="erase", identity=LOTTE, options={"request_type": "erasure"}
    )
    service.compute(plan.pk)
    plan.refresh_from_db()
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PARTIAL
    shop_run = SourceRun.objects.get(job=plan.job, connector=shop_without_key)
    assert (shop_run.status, shop_run.attempts) == (SourceRun.Status.FAILED, 0)
    assert shop_run.summary[UNREAD] == shop_run.error
    # Computing the plan again, once the declaration is right, reads it.
    shop_without_key.config["execution"]["tables"]["clients"]["key"] = "client_no"
    shop_without_key.save()
    plan = service.create_plan(
        external_ref="R-10", operation="erase", identity=LOTTE, options={"request_type": "erasure"}
    )
    service.compute(plan.pk)
    run = SourceRun.objects.get(job=plan.job, connector=shop_without_key)
    assert run.status != SourceRun.Status.FAILED
    assert UNREAD not in run.summary
