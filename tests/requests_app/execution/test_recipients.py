"""Art. 19: which recipients are told of a change, when the register says
which data categories each receives, and when it does not."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from dsar.execution.recipients import recipients_to_notify
from dsar.models import DataCategory, ProcessingActivity, Recipient
from requests_app import workflow
from requests_app.execution.selectors import plan_for, request_for
from tests.factories import make_request
from tests.support.execution_factories import LOTTE


@pytest.fixture
def erasure_plan(crm, dpo, profile, django_capture_on_commit_callbacks):
    """Lotte's whole erasure, planned on the factory CRM (customers, usage, invoices)."""
    subject_request = make_request(
        request_type="erasure",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        type_details={"scope": "all"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    return plan_for(subject_request)


def _recipient(code: str, activity: str, categories: list[str] = ()) -> Recipient:
    recipient = Recipient.objects.create(code=code, name=code.title(), contact_email=f"{code}@example.com")
    recipient.categories.set(DataCategory.objects.filter(code__in=categories))
    ProcessingActivity.objects.get(code=activity).recipients.add(recipient)
    return recipient


def _notified(plan) -> dict[str, tuple[set[str], bool]]:
    return {
        entry.recipient.code: (entry.categories, entry.unclassified)
        for entry in recipients_to_notify(plan, planned=True)
    }


def test_a_recipient_that_lists_its_categories_is_told_of_those_only(erasure_plan):
    DataCategory.objects.create(code="marketing", names={"en": "Marketing preferences"})
    ProcessingActivity.objects.get(code="crm").categories.set(
        DataCategory.objects.filter(code__in=["identity", "usage"])
    )
    _recipient("crm-host", "crm")
    _recipient("analytics", "crm", ["usage"])
    _recipient("sms", "crm", ["marketing"])

    notified = _notified(erasure_plan)

    # Without a list: every category of its activity that changed.
    assert notified["crm-host"] == ({"identity", "usage"}, False)
    # With one: only what it receives, and nothing at all when none of it changed.
    assert notified["analytics"] == ({"usage"}, False)
    assert "sms" not in notified


def test_a_recipients_own_list_classifies_what_an_activity_without_categories_cannot(erasure_plan):
    # The newsletter lists no categories: its recipients were told of everything, flagged.
    assert _notified(erasure_plan)["mailer"] == ({"identity", "usage", "billing"}, True)
    Recipient.objects.get(code="mailer").categories.set(DataCategory.objects.filter(code="identity"))

    assert _notified(erasure_plan)["mailer"] == ({"identity"}, False)


def test_the_notice_names_only_the_categories_the_recipient_receives(
    erasure_plan, client, dpo, django_capture_on_commit_callbacks
):
    Recipient.objects.get(code="mailer").categories.set(DataCategory.objects.filter(code="identity"))
    subject_request = request_for(erasure_plan)
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )

    notice = erasure_plan.notices.get(recipient__code="mailer")
    assert notice.categories == ["identity"] and not notice.unclassified
    body = next(m.body for m in mail.outbox if m.to == ["privacy@mailer.example"])
    # In the controller's language (English here), not the Dutch subject's: the recipient is
    # another organisation (Art. 19).
    assert "categories of data you received from us: identity." in " ".join(body.split())


def test_the_notice_goes_in_the_controllers_language_whatever_the_subjects(
    erasure_plan, client, dpo, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "fr"
    subject_request = request_for(erasure_plan)
    assert subject_request.language == "nl"
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )

    message = next(m for m in mail.outbox if m.to == ["privacy@mailer.example"])
    body = " ".join(message.body.split())
    assert "Article 19 du RGPD" in body or "article 19 du RGPD" in body
    assert "Artikel 19" not in body


@pytest.mark.parametrize(
    ("asked", "expected"), [(False, "recipients</button>"), (True, "recipients (they asked)</button>")]
)
def test_the_button_says_the_subject_asked_for_the_recipients_only_when_they_did(
    erasure_plan, client, dpo, django_capture_on_commit_callbacks, asked, expected
):
    subject_request = request_for(erasure_plan)
    if asked:
        subject_request.type_details = {**subject_request.type_details, "tell_recipients": True}
        subject_request.save(update_fields=["type_details"])
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("execution:approve", args=[subject_request.reference]), {"erasure_ground": "consent_withdrawn"}
        )

    page = client.get(reverse("workspace:request", args=[subject_request.reference]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert f"Send the subject the list of {expected}" in html
    assert ("(they asked)" in html) is asked
