"""National numbers in the gathered records: masked on every staff screen (one
mask, as on the request page), in full after a DPO's audited reveal and in the
subject's own copy."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from dsar.core.national_number import is_national_number, mask_national_number, mask_record_data
from dsar.exports import service
from requests_app import workflow
from requests_app.delivery import selectors as delivery_selectors
from requests_app.models import RequestType
from tests.factories import make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

INSZ = "85073003328"
MASKED = "**.**.**-***.28"


def test_one_mask_for_the_ticket_the_metadata_and_the_records():
    assert mask_national_number("85.07.30-033.28") == MASKED
    assert mask_national_number(INSZ) == MASKED
    assert make_request(national_number=INSZ).masked_national_number == MASKED


def test_national_and_bis_numbers_are_recognised_and_other_numbers_are_not():
    assert is_national_number("85.07.30-033.28")
    assert is_national_number("98472899765")  # a BIS number (month + 40)
    assert not is_national_number("85073003329")  # wrong check digits
    assert not is_national_number("+32 470 12 34 56")
    assert not is_national_number(87)


def test_a_column_the_source_declares_is_masked_whatever_its_value():
    connector = SimpleNamespace(config={"tables": {"patients": {"match": {"national_number": "insz"}}}})
    record = SimpleNamespace(run=SimpleNamespace(connector=connector), entity="patients")

    masked = mask_record_data(record, {"insz": "85.07.30-033.28", "other": INSZ, "name": "Lotte"})

    assert masked == {"insz": MASKED, "other": MASKED, "name": "Lotte"}


@pytest.fixture
def gathered(controller, django_capture_on_commit_callbacks):
    request = make_request(request_type=RequestType.ACCESS, email="lotte.peeters@example.be")
    dpo = _user("dpo")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(
            request.reference,
            crm_records=[("customers", "identification", {"name": "Lotte Peeters", "national_number": INSZ})],
        )
        workflow.processing_done(request)
    request.refresh_from_db()
    return request


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_the_records_page_masks_national_numbers_for_staff(client, dpo, agent, gathered):
    workflow.assign(gathered, actor=dpo, assignee=agent)
    for user in (dpo, agent):
        client.force_login(user)
        page = client.get(reverse("exports:records", args=[gathered.reference])).content.decode()
        assert MASKED in page and INSZ not in page


def test_the_dpo_reveals_them_once_and_it_is_recorded(client, dpo, gathered):
    client.force_login(dpo)
    url = reverse("exports:records_reveal", args=[gathered.reference])

    page = client.post(url, {"reason": "Checking the patient file"}).content.decode()

    assert INSZ in page
    assert gathered.events.filter(kind="national_number.revealed", actor=dpo).exists()
    again = client.get(reverse("exports:records", args=[gathered.reference])).content.decode()
    assert INSZ not in again


def test_an_agent_cannot_reveal_them(client, dpo, agent, gathered):
    workflow.assign(gathered, actor=dpo, assignee=agent)
    client.force_login(agent)

    page = client.post(
        reverse("exports:records_reveal", args=[gathered.reference]), {"reason": "Curious"}, follow=True
    ).content.decode()

    assert INSZ not in page
    assert gathered.events.filter(kind="action.refused", actor=agent).exists()


def test_the_preview_is_masked_and_the_subjects_copy_is_not(client, dpo, gathered):
    client.force_login(dpo)

    response = client.get(reverse("exports:preview", args=[gathered.reference, "json"]))
    preview = b"".join(response.streaming_content).decode()

    assert MASKED in preview and INSZ not in preview
    (export,) = [f for f in delivery_selectors.export_files(gathered) if f.format == "json"]
    assert INSZ in json.dumps(json.loads(service.read_file(export)))
