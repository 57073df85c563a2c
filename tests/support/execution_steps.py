"""Steps the demo-based execution tests share: the demo subject's requests
and the DPO's clicks on the plan panel."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from dsar.execution import service
from dsar.models import ManualTask
from requests_app import workflow
from requests_app.execution.models import RestrictionLift
from requests_app.execution.selectors import plan_for
from requests_app.execution.services import run_due_lifts
from tests.factories import make_request


def lotte(request_type, **type_details):
    return make_request(
        request_type=request_type,
        full_name="Lotte Peeters",
        email="lotte.peeters@example.be",
        customer_number="C-100042",
        language="nl",
        type_details=type_details,
    )


def approve_request(subject_request, dpo, capture):
    with capture(execute=True):
        workflow.approve(subject_request, actor=dpo)
    return plan_for(subject_request)


def approve_plan(client, subject_request, capture, erasure_ground="consent_withdrawn"):
    """Approve the plan as the panel does; an erasure on a ground of Art. 17(1)."""
    data = {"erasure_ground": erasure_ground} if subject_request.request_type == "erasure" else {}
    with capture(execute=True):
        response = client.post(reverse("execution:approve", args=[subject_request.reference]), data, follow=True)
    return response.content.decode()


def complete_tasks(plan, dpo, capture, findings="Done in the tool"):
    with capture(execute=True):
        for task in ManualTask.objects.filter(run__job=plan.job, status=ManualTask.Status.OPEN):
            service.complete_manual_task(task, user=dpo, findings=findings)


def panel(client, subject_request) -> str:
    return client.get(reverse("execution:plan", args=[subject_request.reference])).content.decode()


def run_scheduled_lift(subject_request, capture) -> RestrictionLift:
    """The hourly step on the announced date of the request's scheduled lifting (Art. 18(3))."""
    lift = RestrictionLift.objects.get(request=subject_request, status=RestrictionLift.Status.SCHEDULED)
    with time_machine.travel(dt.datetime.combine(lift.not_before, dt.time(12), tzinfo=dt.UTC), tick=False):
        with capture(execute=True):
            run_due_lifts()
    lift.refresh_from_db()
    return lift
