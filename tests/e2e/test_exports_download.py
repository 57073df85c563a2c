"""The subject downloads their copy in a real browser (Debian's chromium)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.models import RequestEvent
from tests.factories import make_request
from tests.support.export_factories import make_job


@pytest.mark.browser
def test_the_subject_downloads_their_copy_with_the_emailed_code(page, dpo, controller):
    from dsar.models import Connector

    # The files come from a job made here, not from gathering the demo sources.
    Connector.objects.update(enabled=False)
    request = make_request(email="lotte.peeters@example.be", language="fr")
    workflow.approve(request, actor=dpo)
    workflow.start_processing(request)
    make_job(request.reference)
    workflow.processing_done(request)  # the effect generates the files (eager Celery)
    delivery_services.release(request, actor=dpo)
    link_mail = next(m for m in mail.outbox if "/download/" in m.body)
    path = "/download/" + re.search(r"/download/(\S+?/)", link_mail.body).group(1)

    page.goto(path)
    page.get_by_role("button", name="M'envoyer un code par e-mail").click()
    page.get_by_text("Nous avons envoyé un code").wait_for()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Le code reçu par e-mail").fill(code)
    page.get_by_role("button", name="Continuer").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger PDF")).click()

    assert download.value.suggested_filename == f"{request.reference}.pdf"
    assert RequestEvent.objects.filter(request=request, kind="export.downloaded").count() == 1
