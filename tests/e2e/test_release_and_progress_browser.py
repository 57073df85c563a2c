"""Issue 15 in a real browser: the release of a copy through its confirmation,
and a request page that follows the work running without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dsar.models import Job, ManualTask, SourceRun
from requests_app import workflow
from requests_app.models import Status
from tests.factories import PASSWORD, make_request
from tests.support.export_factories import make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _gathering_by_hand(monkeypatch):
    """The sources' outcome is set by each test (make_job, then a manual task or
    a run that ends), not by searching the demo's sources for real on approval."""
    monkeypatch.setattr("requests_app.gathering.effects.start_gathering", lambda request: None)


def _sign_in(page, username: str) -> None:
    page.goto("/workspace/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Queue").wait_for()


def _processing(dpo):
    request = make_request(full_name="Lotte Peeters", email="lotte.peeters@example.be")
    workflow.approve(request, actor=dpo)
    workflow.start_processing(request)
    return request, make_job(request.reference)


def test_the_dpo_sees_what_goes_out_and_confirms_the_release(page, controller, dpo):
    request, _job = _processing(dpo)
    workflow.processing_done(request)  # the files are made on commit (eager worker)
    _sign_in(page, "dpo")

    page.goto(f"/workspace/requests/{request.reference}/")
    page.locator("#actions").get_by_role("link", name="Release to the subject…").click()

    page.get_by_role("heading", name="Release to the subject").wait_for()
    summary = page.locator("#release-summary")
    expect(summary).to_contain_text("Nobody has previewed these files yet.")
    expect(summary.locator("tbody tr")).to_have_count(2)
    # Not ticked: the browser refuses the form and nothing goes out.
    page.get_by_role("button", name="Release to the subject").click()
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW

    page.get_by_label("I checked what goes out").check()
    page.get_by_role("button", name="Release to the subject").click()

    page.get_by_text("Released: the subject has been e-mailed a download link.").wait_for()
    request.refresh_from_db()
    assert request.status == Status.FULFILLED


def test_the_request_page_shows_the_new_state_without_a_reload(page, controller, dpo, agent):
    request, job = _processing(dpo)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    run = SourceRun.objects.get(job=job, connector__code="erp")
    SourceRun.objects.filter(pk=run.pk).update(status=SourceRun.Status.WAITING)
    ManualTask.objects.create(run=run, instructions="Look in the archive", assignee=agent)
    _sign_in(page, "dpo")

    page.goto(f"/workspace/requests/{request.reference}/")
    expect(page.locator("#live-progress")).to_contain_text(
        f"Waiting for: the manual search in {run.connector.name}, held by agent"
    )
    expect(page.locator("#actions")).not_to_contain_text("Release to the subject…")
    page.evaluate("window.stillTheSamePage = true")

    # The colleague completes the search elsewhere; the files are made.
    ManualTask.objects.filter(run=run).update(status=ManualTask.Status.DONE)
    SourceRun.objects.filter(pk=run.pk).update(status=SourceRun.Status.DONE)
    workflow.processing_done(request)

    expect(page.locator("#request-status")).to_have_text("In review", timeout=20000)
    expect(page.locator("#actions").get_by_role("link", name="Release to the subject…")).to_be_visible(timeout=20000)
    expect(page.locator("#live-progress")).not_to_contain_text("manual search")
    assert page.evaluate("window.stillTheSamePage") is True


def test_the_queue_row_follows_the_work(page, controller, dpo, agent):
    request, job = _processing(dpo)
    run = SourceRun.objects.get(job=job, connector__code="erp")
    SourceRun.objects.filter(pk=run.pk).update(status=SourceRun.Status.RUNNING)
    _sign_in(page, "dpo")

    cell = page.locator(f'[data-progress-ref="{request.reference}"]')
    expect(cell).to_contain_text(f"Waiting for: the search of {run.connector.name}")

    SourceRun.objects.filter(pk=run.pk).update(status=SourceRun.Status.DONE)
    workflow.processing_done(request)

    expect(cell.locator(".status")).to_have_text("In review", timeout=20000)
