"""A Dutch-speaking DPO reads the workspace in Dutch: month names as well as
words, and the demo's manual-task instructions in the DPO's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from dsar import configuration
from dsar.models import ManualTask
from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "dsar" / "demo" / "config.yaml"
ENGLISH_MONTHS = ("December", "Dec ", "January", "Jan ")


@pytest.fixture
def waiting_on_the_camera(dpo, controller, django_capture_on_commit_callbacks):
    # The demo's register and sources (the ``controller`` fixture loads it), its camera source a manual one.
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)):
        request = make_request(full_name="Lotte Peeters")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.approve(request, actor=dpo)
    request.refresh_from_db()
    assert request.status == Status.PROCESSING
    return request


def test_the_dutch_request_page_names_the_months_in_dutch(dpo_client, waiting_on_the_camera):
    url = reverse("workspace:request", args=[waiting_on_the_camera.reference])
    page = dpo_client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "3 december 2026" in page  # received, and the history's dates
    assert not [month for month in ENGLISH_MONTHS if month in page]
    english = dpo_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 December 2026" in english


def test_the_dutch_dpo_reads_the_demo_cameras_instructions_in_dutch(dpo, dpo_client, waiting_on_the_camera):
    url = reverse("workspace:request", args=[waiting_on_the_camera.reference])
    page = dpo_client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Zoek in de opnamen van de camera&#x27;s aan de ingang" in page
    assert "Search the recordings" not in page
    french = dpo_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Recherchez la personne concernée" in french
    task = ManualTask.objects.get(run__connector__code="camera-footage")
    assert task.instructions.startswith("Search the recordings")  # kept in English as well


def test_the_task_email_is_in_the_assignees_language(dpo, controller, django_capture_on_commit_callbacks):
    from requests_app.models import StaffLanguage

    StaffLanguage.objects.update_or_create(user=dpo, defaults={"language": "de"})
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(make_request(), actor=dpo)
    [message] = [m for m in mail.outbox if m.to == [dpo.email]]
    assert "Durchsuchen Sie die Aufnahmen" in message.body


def test_instructions_in_an_unknown_language_are_named_in_the_config_check():
    text = DEMO.read_text().replace(
        "        nl: |\n          Zoek in de opnamen", "        nk: |\n          Zoek in de opnamen"
    )
    _data, _marks, errors, _warnings = configuration.check(text, source="config.yaml", reflect=False)
    assert any("unknown key 'nk' in the instructions" in error for error in errors), errors
