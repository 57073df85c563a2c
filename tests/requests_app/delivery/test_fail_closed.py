"""A copy from a gathering where a source failed (issue 12, point 7): released
only by the DPO's choice with a reason; the subject's copy and e-mail name the
system that could not be searched, never the internal error."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from dsar.exports.content import ExportSpec
from dsar.exports.json_export import write_json
from dsar.exports.register import register_snapshot
from dsar.models import SourceRun
from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request, sent_email
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

WORKER_ERROR = "Unexpected error (KeyError); see the worker log."


@pytest.fixture
def copy_with_a_failed_source(dpo, controller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(language="en")
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        job = make_job(request.reference)
        SourceRun.objects.filter(job=job, connector__code="erp").update(
            status=SourceRun.Status.FAILED, error=WORKER_ERROR
        )
        workflow.processing_done(request)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    return request


def test_one_click_does_not_release_a_copy_with_a_failed_source(dpo, client, copy_with_a_failed_source):
    client.force_login(dpo)
    page = client.get(reverse("exports:release", args=[copy_with_a_failed_source.reference])).content.decode()
    assert 'name="incomplete_reason"' in page
    response = client.post(
        reverse("exports:release", args=[copy_with_a_failed_source.reference]), {"confirm": "1"}, follow=True
    )
    copy_with_a_failed_source.refresh_from_db()
    assert copy_with_a_failed_source.status == Status.IN_REVIEW
    assert "could not be searched" in response.content.decode()
    assert not copy_with_a_failed_source.events.filter(kind="release.incomplete").exists()


def test_the_dpo_releases_it_with_a_reason_and_the_subject_is_told_which_system(
    dpo, client, copy_with_a_failed_source, django_capture_on_commit_callbacks
):
    request = copy_with_a_failed_source
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exports:release", args=[request.reference]),
            {"incomplete_reason": "The ERP is down for a week; the deadline is tomorrow", "confirm": "1"},
        )
    request.refresh_from_db()
    assert request.status == Status.FULFILLED
    event = request.events.get(kind="release.incomplete")
    assert event.details["reason"].startswith("The ERP is down")
    assert event.details["sources"] == ["erp"]
    body = sent_email("export_ready").body
    assert "could not search these systems" in body
    erp_name = SourceRun.objects.get(job__external_ref=request.reference, connector__code="erp").connector.name
    assert erp_name in body
    assert "worker log" not in body


def test_the_subjects_copy_never_holds_the_internal_error(copy_with_a_failed_source):
    job = SourceRun.objects.filter(job__external_ref=copy_with_a_failed_source.reference).first().job
    out = io.StringIO()
    write_json(ExportSpec(job=job, controller={}, register=register_snapshot(), language="en"), out)
    document = json.loads(out.getvalue())
    erp = next(source for source in document["sources"] if source["code"] == "erp")
    assert erp["complete"] is False
    assert "worker log" not in out.getvalue()
    assert "could not be searched completely" in erp["error"]
    assert document["confirmation"]["processes_personal_data"] is True
