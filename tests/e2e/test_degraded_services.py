"""The desk keeps receiving requests when the cache or the broker is down.

The cache here is a Redis client pointed at a port where nothing listens: the
same ConnectionError a real outage gives, without touching the shared Redis.
"""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.urls import reverse

from requests_app.models import OutgoingEmail, SubjectRequest
from tests.fixtures.intake import form_data


@pytest.mark.django_db
def test_the_public_form_receives_a_request_while_the_cache_is_down(cache_down, client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("intake:form"), form_data())
    assert response.status_code == 302
    assert SubjectRequest.objects.count() == 1
    assert "the cache is unavailable" in caplog.text  # failed open, and said so


@pytest.mark.django_db(transaction=True)
def test_a_submission_while_the_broker_is_down_is_stored_and_mailed_later(client, caplog):
    from requests_app import emails
    from requests_app.tasks import deliver_email

    with (
        mock.patch.object(deliver_email, "apply_async", side_effect=OSError("broker unreachable")),
        caplog.at_level(logging.WARNING),
    ):
        response = client.post(reverse("intake:form"), form_data())
    assert response.status_code == 302  # never a 500 for a broker outage
    assert "stays in the database for the sweeper" in caplog.text
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING
    assert emails.deliver_pending() == 1  # the broker is back: the sweep sends it


def test_each_kind_of_work_has_its_own_queue(settings):
    from config.celery_app import app

    router = app.amqp.router

    def queue_of(name):
        return router.route({}, name)["queue"].name

    assert queue_of("requests_app.tasks.deliver_email") == "email"
    assert queue_of("dsar.tasks.gather_source") == "gathering"
    assert queue_of("dsar.execution.tasks.execute_run") == "gathering"
    assert queue_of("requests_app.downloads.tasks.generate_exports_task") == "exports"
    assert queue_of("requests_app.api.tasks.deliver_webhook") == "webhooks"
    assert queue_of("requests_app.tasks.apply_retention") == "default"
    # `make run`'s one worker consumes every queue, read from the one setting.
    from config.run_local import worker_queues

    assert set(worker_queues()) == {"default", "email", "gathering", "exports", "webhooks"}


@pytest.mark.faults
@pytest.mark.django_db
def test_smtp_down_for_longer_than_the_retry_window(settings):
    """A real SMTP connection to a port where nothing listens, for three days
    and more: the message is tried all along, shown to the DPO after an hour,
    then given up, never silently dropped."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from requests_app import emails

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = OutgoingEmail.objects.create(template="t", to="a@example.be", subject="s", body_text="b", body_html="b")
    start = email.created_at
    attempts = 0
    for hours in (0, 1.5, 24, 48, 71.9):
        with time_machine.travel(start + dt.timedelta(hours=hours, seconds=1), tick=False):
            OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=None)  # due now
            assert emails.deliver_pending() == 0
            attempts += 1
            email.refresh_from_db()
            assert email.status == OutgoingEmail.Status.PENDING and "ConnectionRefusedError" in email.last_error
            assert emails.failing().filter(pk=email.pk).exists() == (hours >= 1)
    with time_machine.travel(start + dt.timedelta(hours=settings.DSAR_EMAIL_RETRY_HOURS, seconds=5), tick=False):
        OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=None)
        emails.deliver_pending()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == attempts + 1
    assert emails.failing().filter(pk=email.pk).exists()  # still on the dashboard
    assert timezone.now()  # the clock is back
