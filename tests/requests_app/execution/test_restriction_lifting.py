"""Art. 18(3): "A data subject who has obtained restriction of processing ...
shall be informed by the controller before the restriction of processing is
lifted." The lifting is a scheduled step: it runs only once the notice left
the outbox (sent, not only queued) and the lead time has passed; the e-mail
gives the date; the DPO sees it and may cancel it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dsar.execution import service
from dsar.execution.models import Plan
from requests_app import deadlines, workflow
from requests_app.execution import services
from requests_app.execution.models import RestrictionLift
from requests_app.execution.selectors import plan_for
from requests_app.models import OutgoingEmail
from tests.factories import make_request
from tests.support.execution_factories import LOTTE


@pytest.fixture
def restricted(crm, dpo, profile, client, django_capture_on_commit_callbacks):
    subject_request = make_request(
        request_type="restriction",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        language="en",
        type_details={"ground": "legal_claims"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:approve", args=[subject_request.reference]))
    plan = plan_for(subject_request)
    assert plan.status == Plan.Status.DONE
    return subject_request, plan


def _in(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


def test_the_lifting_waits_for_the_date_told_and_for_the_notice_to_be_sent(
    restricted, dpo, settings, django_capture_on_commit_callbacks
):
    subject_request, plan = restricted
    settings.DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS = 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):
        # The notice is only queued (the worker has not sent it).
        lift = services.lift_restriction(subject_request, plan, user=dpo, reason="claims_ended")
    assert lift.not_before == deadlines.add_working_days(deadlines.today(), 2)
    notice = OutgoingEmail.objects.get(template="restriction_lifted")
    assert notice.status == OutgoingEmail.Status.PENDING and lift.notice == notice
    assert not service.is_lifted(plan)

    # The date came, but the notice never left: the restriction stays (SMTP down).
    with _in(lift.not_before + dt.timedelta(days=7)):
        assert services.run_due_lifts() == 0
    # Sent now: the lead time counts from the sending, not from the scheduling.
    sent_on = timezone.now() + dt.timedelta(days=7)
    OutgoingEmail.objects.filter(pk=notice.pk).update(status=OutgoingEmail.Status.SENT, sent_at=sent_on)
    with _in(deadlines.local_date(sent_on) + dt.timedelta(days=1)):
        assert services.run_due_lifts() == 0
    with _in(deadlines.add_working_days(deadlines.local_date(sent_on), 2)):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.run_due_lifts() == 1
    lift.refresh_from_db()
    assert lift.status == RestrictionLift.Status.DONE
    assert subject_request.events.get(kind="restriction.lifted").actor_label == "system"


def test_the_email_gives_the_date_and_the_dpo_can_cancel(restricted, dpo, client, django_capture_on_commit_callbacks):
    subject_request, plan = restricted
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:lift_restriction", args=[subject_request.reference]), {"reason": "claims_ended"})
    lift = RestrictionLift.objects.get(request=subject_request)
    (to_subject,) = [m for m in mail.outbox if m.to == [LOTTE["email"]]]
    body = " ".join(to_subject.body.split())
    assert "not earlier" in body and "from now on" not in body
    page = client.get(reverse("execution:plan", args=[subject_request.reference])).content.decode()
    assert "scheduled to be lifted on" in page and "Cancel the lifting" in page

    client.post(reverse("execution:cancel_lift", args=[subject_request.reference, lift.pk]))
    lift.refresh_from_db()
    assert lift.status == RestrictionLift.Status.CANCELLED
    assert subject_request.events.filter(kind="restriction.lift_cancelled", public=True).exists()
    with _in(lift.not_before + dt.timedelta(days=30)):
        assert services.run_due_lifts() == 0
    assert not service.is_lifted(plan)


def test_a_second_scheduling_is_refused(restricted, dpo, django_capture_on_commit_callbacks):
    subject_request, plan = restricted
    services.lift_restriction(subject_request, plan, user=dpo, reason="claims_ended")
    with pytest.raises(services.ExecutionError, match="already scheduled"):
        services.lift_restriction(subject_request, plan, user=dpo, reason="claims_ended")
