"""Generation on a real Celery worker, from the workflow event to the files."""

from __future__ import annotations

import pytest

from dsar.exports.models import ExportFile
from requests_app import workflow
from tests.conftest import wait_for
from tests.factories import make_request
from tests.support.export_factories import make_job


@pytest.mark.worker
def test_a_real_worker_generates_the_files_when_the_request_enters_review(real_worker, dpo):
    request = make_request()
    workflow.approve(request, actor=dpo)
    workflow.start_processing(request)
    make_job(request.reference)

    workflow.processing_done(request)

    formats = wait_for(
        lambda: (
            sorted(ExportFile.objects.filter(job__external_ref=request.reference).values_list("format", flat=True))
            == ["json", "pdf"]
        ),
        timeout=60,
    )
    assert formats
    assert request.events.filter(kind="export.generated").exists()
