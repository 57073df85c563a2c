"""Art. 19: the subject is told every recipient of the changed data; a
recipient that could not be e-mailed is recorded as told by other means or
not told with the DPO's reason ("impossible or disproportionate effort"),
the release waits until each has one, and who was told survives the purge."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from dsar.execution.models import NotNotifiedReason, RecipientNotice
from dsar.models import ProcessingActivity, Recipient
from requests_app import workflow
from requests_app.execution import services
from requests_app.execution.selectors import plan_for
from tests.factories import make_request
from tests.support.execution_factories import LOTTE


@pytest.fixture
def erasure(crm, dpo, profile, client, django_capture_on_commit_callbacks):
    """Lotte's whole erasure, approved and carried out; a courier of the CRM's
    activity has no e-mail address in the register."""
    courier = Recipient.objects.create(code="courier", name="Koerier NV", address="Kaai 1, 2000 Antwerpen")
    ProcessingActivity.objects.get(code="crm").recipients.add(courier)
    subject_request = make_request(
        request_type="erasure",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        language="en",
        type_details={"scope": "all", "tell_recipients": True},
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )
    subject_request.refresh_from_db()
    return subject_request


def test_a_recipient_without_an_address_holds_the_release_until_the_dpo_records_it(
    erasure, dpo, client, django_capture_on_commit_callbacks
):
    plan = plan_for(erasure)
    courier = RecipientNotice.objects.get(plan=plan, recipient__code="courier")
    assert courier.sent_at is None and not courier.settled
    event = erasure.events.get(kind="recipients.notified")
    assert event.details["without_email"] == ["courier"] and event.details["names"]["courier"] == "Koerier NV"

    with pytest.raises(workflow.NotPossibleNow, match="Art. 19"):
        workflow.fulfil(erasure, actor=dpo)
    page = client.get(reverse("execution:plan", args=[erasure.reference])).content.decode()
    assert "not notified yet" in page

    # A reason needs an explanation: the subject, or the authority, may ask.
    with pytest.raises(services.ExecutionError):
        services.settle_recipient(courier, erasure, user=dpo, reason=NotNotifiedReason.DISPROPORTIONATE)
    client.post(
        reverse("execution:settle_notice", args=[erasure.reference, courier.pk]),
        {"reason": "disproportionate", "note": "Courier contract ended in 2021; no contact left."},
    )
    courier.refresh_from_db()
    assert courier.not_notified_reason == "disproportionate" and courier.settled
    assert erasure.events.filter(kind="recipient.not_notified", details__ground="disproportionate").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(erasure, actor=dpo)
    (to_subject,) = [m for m in mail.outbox if m.to == [LOTTE["email"]]]
    body = " ".join(to_subject.body.split())
    # Every recipient is named: the one told, and the one not told with why.
    assert "Mailer BV" in body and "informed of the change" in body
    assert "Koerier NV, Kaai 1, 2000 Antwerpen: not informed: Disproportionate effort (Art. 19)" in body


def test_who_received_the_data_can_still_be_answered_after_the_purge(erasure, dpo, django_capture_on_commit_callbacks):
    plan = plan_for(erasure)
    courier = RecipientNotice.objects.get(plan=plan, recipient__code="courier")
    services.settle_recipient(courier, erasure, user=dpo)  # told by letter
    courier.refresh_from_db()
    assert courier.other_means and courier.sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(erasure, actor=dpo)
    erasure.refresh_from_db()
    assert erasure.purged_at is not None

    # The audit trail is never redacted: the organisations' names stay there.
    names = erasure.events.get(kind="recipients.notified").details["names"]
    assert set(names.values()) >= {"Mailer BV", "Accountant", "Koerier NV"}
    assert erasure.events.get(kind="recipient.notified_other_means").details["name"] == "Koerier NV"
    assert {n.recipient.name for n in plan.notices.all()} >= {"Mailer BV", "Koerier NV"}


def test_an_agent_cannot_decide_that_an_erasure_recipient_is_not_told(erasure, agent):
    plan = plan_for(erasure)
    courier = RecipientNotice.objects.get(plan=plan, recipient__code="courier")
    with pytest.raises(services.ExecutionError):
        services.settle_recipient(courier, erasure, user=agent, reason="impossible", note="x")
    assert erasure.events.filter(kind="action.refused", details__action="settle_recipient").exists()
