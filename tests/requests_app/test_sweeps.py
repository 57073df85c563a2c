"""The sweeps send again the plan steps and exports whose message was lost."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from dsar import recovery
from dsar.execution.models import Plan
from dsar.models import Job
from requests_app.models import Status, SubjectRequest
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def _job(reference: str = "DSAR-SWEEP-1", **fields) -> Job:
    fields.setdefault("operation", "access")
    return Job.objects.create(external_ref=reference, identity=json.dumps({}), **fields)


def test_a_plan_whose_computation_was_lost_is_computed_again():
    plan = Plan.objects.create(job=_job(operation="erasure"), status=Plan.Status.PLANNING)
    with mock.patch("dsar.queueing.enqueue", return_value=True) as enqueue:
        assert recovery.recover_plans() == {"computed": 0, "executed": 0}  # not yet: it may be on its way
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)):
            assert recovery.recover_plans() == {"computed": 1, "executed": 0}
    assert enqueue.call_args.args[1] == (plan.pk,)


def test_an_approved_plan_that_never_started_is_executed():
    approved = timezone.now()
    Plan.objects.create(job=_job(), status=Plan.Status.APPROVED, approved_at=approved)
    Plan.objects.create(job=_job("DSAR-SWEEP-2"), status=Plan.Status.EXECUTING, approved_at=approved)
    with (
        mock.patch("dsar.queueing.enqueue", return_value=True),
        time_machine.travel(approved + dt.timedelta(minutes=3)),
    ):
        assert recovery.recover_plans() == {"computed": 0, "executed": 1}  # an executing plan is left alone


def test_an_export_whose_message_was_lost_is_generated_again():
    from requests_app.delivery import services as ticket_recovery

    request = make_request()
    SubjectRequest.objects.filter(pk=request.pk).update(status=Status.IN_REVIEW)
    _job(request.reference, status=Job.Status.DONE)
    with mock.patch("requests_app.delivery.services.enqueue", return_value=True) as enqueue:
        assert ticket_recovery.resend_lost_exports() == 0  # two minutes of grace
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)):
            assert ticket_recovery.resend_lost_exports() == 1
    assert enqueue.call_args.args[1] == (request.pk,)
