"""What the subject meets at the end (Art. 12(1)): the e-mail says what to press,
the download page is public, in their language, PDF first; the fulfilled status
page has a download button; a purged request's status link says what was done."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.models import RequestType, Status
from tests.factories import make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

BUTTON = {"nl": "Mail mij een code", "fr": "M'envoyer un code par e-mail", "de": "Code per E-Mail senden"}
# English the subject of another language must not read.
ENGLISH = ["Download your", "Your copy", "when you open the link", "Questions?", "Request ", "Status"]


def _released(dpo, capture, language):
    request = make_request(email="lotte.peeters@example.be", language=language)
    with capture(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    request.refresh_from_db()
    with capture(execute=True):
        delivery_services.release(request, actor=dpo)
    request.refresh_from_db()
    assert request.status == Status.FULFILLED
    return request


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_release_e_mail_says_exactly_what_to_press_in_the_subjects_language(
    controller, dpo, language, django_capture_on_commit_callbacks
):
    _released(dpo, django_capture_on_commit_callbacks, language)
    (message,) = mail.outbox
    body = " ".join(message.body.split())
    assert BUTTON[language] in body
    assert "PDF" in body
    assert not [phrase for phrase in ENGLISH if phrase in body]


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_fulfilled_status_page_offers_the_copy_and_the_download_page_lists_the_pdf_first(
    controller, dpo, client, language, django_capture_on_commit_callbacks
):
    request = _released(dpo, django_capture_on_commit_callbacks, language)
    token = request.token  # the status link's token, kept on the object by create_request
    status = client.get(reverse("intake:status", kwargs={"token": token}), HTTP_ACCEPT_LANGUAGE="en")
    html = status.content.decode()
    assert status["Content-Language"] == language
    download_url = reverse("download:page", args=[token])
    assert f'href="{download_url}"' in html

    page = client.get(download_url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page["Content-Language"] == language
    text = page.content.decode()
    assert 'class="site-header"' in text and 'class="lang-switch"' in text  # the public layout
    assert BUTTON[language] in text.replace("&#x27;", "'")

    # Unlocked with the e-mailed code, the PDF comes first.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(download_url, {"action": "send_code"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    client.post(download_url, {"action": "verify", "code": code})
    unlocked = client.get(download_url).content.decode()
    files = re.findall(r"file/(pdf|json|csv)/", unlocked)
    assert files[0] == "pdf" and "json" in files


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_a_purged_erasure_request_shows_a_closing_page_not_a_broken_link(
    controller, dpo, client, language, django_capture_on_commit_callbacks
):
    request = make_request(request_type=RequestType.ERASURE, language=language)
    token = request.token
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        workflow.processing_done(request)
        workflow.fulfil(request, actor=dpo)
    request.refresh_from_db()
    if not request.purged_at:  # purged on release already (requests_app.execution)
        workflow.purge_personal_data(request, actor=workflow.SYSTEM, reason="erasure fulfilled")

    page = client.get(reverse("intake:status", kwargs={"token": token}))
    html = page.content.decode()
    assert page.status_code == 200
    assert request.reference in html
    assert page["Content-Language"] == language
    expected = {
        "nl": "Uw gegevens werden gewist",
        "fr": "Vos données ont été effacées",
        "de": "Ihre Daten wurden gelöscht",
    }[language]
    assert expected in html.replace("&#x27;", "'")
    assert "does not work" not in html
