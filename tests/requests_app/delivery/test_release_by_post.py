"""A subject without an e-mail address (logged from a letter): the copy is
released without a download link, and the DPO is told to send it by post."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from requests_app import workflow
from requests_app.delivery.downloads.models import DownloadLink
from requests_app.models import OutgoingEmail, Status
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter_in_review(dpo, controller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.create_request(
            actor=dpo,
            request_type="access",
            full_name="Marie Dubois",
            email="",
            language="fr",
            channel="letter",
            postal_address="Rue Haute 1, 1000 Bruxelles",
            identity_check="known_contact",
        )
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    return request


def test_the_release_panel_tells_the_dpo_to_send_the_copy_by_other_means(dpo, client, letter_in_review):
    client.force_login(dpo)
    page = client.get(reverse("workspace:request", args=[letter_in_review.reference])).content.decode()
    assert "No download link can be e-mailed to this subject" in page
    assert "The subject is e-mailed a link to download the files." not in page


def test_releasing_makes_no_link_queues_no_e_mail_and_says_so(
    dpo, client, letter_in_review, django_capture_on_commit_callbacks
):
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:release", args=[letter_in_review.reference]), {"confirm": "1"}, follow=True
        )
    letter_in_review.refresh_from_db()
    assert letter_in_review.status == Status.FULFILLED
    assert "no download link was made or e-mailed" in response.content.decode()
    assert not DownloadLink.objects.filter(request=letter_in_review).exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []
    not_sent = set(letter_in_review.events.filter(kind="email.not_sent").values_list("details__email", flat=True))
    assert "export_ready" in not_sent
