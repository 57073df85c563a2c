"""The ticket's side: approval starts gathering, the request moves to review
when every source has answered, and the workspace actions on sources."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from dsar.models import Job, ManualTask, ManualTaskFile, SourceRecord, SourceRun
from requests_app import workflow
from requests_app.models import RequestType, Status
from requests_app.workspace.panels import panels_for
from tests.factories import make_request, sent_email
from tests.fixtures.engine import make_connector, sql_config

pytestmark = pytest.mark.django_db(transaction=True)


def lotte_request(request_type=RequestType.ACCESS):
    return make_request(
        request_type=request_type,
        full_name="Lotte Peeters",
        email="lotte.peeters@example.be",
        customer_number="C-100042",
    )


def panel_html(subject_request, user, rf) -> str:
    http_request = rf.get("/")
    http_request.user = user
    (panel, context), *_ = [p for p in panels_for(subject_request, user) if p[0].key == "sources"]
    return render_to_string(panel.template, {**context, "request": http_request}, request=http_request)


def test_approving_an_access_request_gathers_every_source_then_moves_it_to_review(sqlite_url, dpo):
    make_connector("crm", config=sql_config(sqlite_url))
    subject_request = lotte_request()

    workflow.approve(subject_request, actor=dpo)

    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW
    job = Job.objects.get(external_ref=subject_request.reference)
    assert job.status == Job.Status.DONE
    assert SourceRecord.objects.filter(run__job=job).count() == 7
    kinds = list(subject_request.events.values_list("kind", flat=True))
    # Later events (the exports generated for review) may follow.
    start = kinds.index("request.approve")
    assert kinds[start : start + 3] == ["request.approve", "request.processing_started", "request.in_review"]
    assert subject_request.events.get(kind="request.in_review").details["records"] == 7


def test_an_erasure_request_does_not_gather(sqlite_url, dpo):
    make_connector("crm", config=sql_config(sqlite_url))
    subject_request = lotte_request(RequestType.ERASURE)

    workflow.approve(subject_request, actor=dpo)

    assert not Job.objects.filter(operation="access").exists()


def test_a_manual_task_keeps_the_request_processing_until_completed_with_a_file(sqlite_url, dpo, client, rf):
    make_connector("crm", config=sql_config(sqlite_url))
    make_connector("camera", name="Camera footage", kind="manual", config={"instructions": "Search the recordings."})
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.PROCESSING
    task = ManualTask.objects.get()
    assert task.assignee == dpo  # no default assignee: a DPO gets it
    email = sent_email("processing_manual_task")
    assert email.to == [dpo.email]
    assert subject_request.reference in email.subject and "Camera footage" in email.subject
    assert "Search the recordings." in email.body
    assert "lotte" not in (email.subject + email.body).lower()  # no personal data in the e-mail
    html = panel_html(subject_request, dpo, rf)
    assert "1 of 2 sources done" in html and "Search the recordings." in html

    client.force_login(dpo)
    frame = SimpleUploadedFile("entrance.jpg", b"\xff\xd8 frame bytes", content_type="image/jpeg")
    response = client.post(
        reverse("processing:complete_task", args=[subject_request.reference, task.pk]),
        {"findings": "Seen at the entrance, 3 May 09:12.", "files": [frame]},
    )

    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW
    attached = ManualTaskFile.objects.get()
    assert b"frame bytes" not in attached.file.read()  # encrypted at rest
    download = client.get(reverse("processing:task_file", args=[subject_request.reference, attached.pk]))
    assert b"".join(download) == b"\xff\xd8 frame bytes"
    assert SourceRecord.objects.filter(run__manual_task=task).count() == 2
    assert "source.manual_task_completed" in subject_request.events.values_list("kind", flat=True)


def test_a_search_that_found_nothing_is_zero_records_and_the_note_stays_with_the_task(dpo, client):
    make_connector("camera", kind="manual", config={"instructions": "Search."})
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    task = ManualTask.objects.get()
    client.force_login(dpo)

    client.post(
        reverse("processing:complete_task", args=[subject_request.reference, task.pk]),
        {"findings": "Entrance cameras, 1-31 May: no images.", "nothing_found": "1"},
    )

    task.refresh_from_db()
    assert task.status == ManualTask.Status.DONE
    assert task.findings == "Entrance cameras, 1-31 May: no images."
    # "Searched, nothing found" (Art. 15(1)): not one record of camera images.
    assert not SourceRecord.objects.filter(run__manual_task=task).exists()
    assert task.run.record_count == 0
    event = subject_request.events.get(kind="source.manual_task_completed")
    assert event.details["nothing_found"] is True


# What the DPO's page and the subject's copy say of a search that found nothing, per language.
NOTHING_FOUND = {
    "en": ("Searched, nothing found.", "searched, nothing found"),
    "nl": ("Doorzocht, niets gevonden.", "doorzocht, niets gevonden"),
    "fr": ("Recherche faite, rien trouvé.", "recherche faite, rien trouvé"),
    "de": ("Durchsucht, nichts gefunden.", "durchsucht, nichts gefunden"),
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_a_task_is_completed_with_nothing_found_alone_and_every_reader_is_told(dpo, client, language):
    """Walkthrough finding: a person who searched a paper archive and found
    nothing could not complete the task without typing a note or a file."""
    from dsar.exports import pdf_export
    from dsar.exports.content import ExportSpec
    from dsar.exports.register import register_snapshot
    from tests.support.export_factories import CONTROLLER

    make_connector("archive", name="Paper archive", kind="manual", config={"instructions": "Search the boxes."})
    subject_request = lotte_request()
    subject_request.language = language
    subject_request.save(update_fields=["language"])
    workflow.approve(subject_request, actor=dpo)
    task = ManualTask.objects.get()
    client.force_login(dpo)

    client.post(
        reverse("processing:complete_task", args=[subject_request.reference, task.pk]),
        {"findings": "", "nothing_found": "1"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    task.refresh_from_db()
    assert task.status == ManualTask.Status.DONE and task.completed_by == dpo
    assert task.run.record_count == 0
    event = subject_request.events.get(kind="source.manual_task_completed")
    assert event.details["nothing_found"] is True
    said, fact = NOTHING_FOUND[language]
    page = client.get(
        reverse("workspace:request", args=[subject_request.reference]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert said in page  # the sources panel
    assert fact in page  # the timeline's event
    spec = ExportSpec(
        job=task.run.job, controller=CONTROLLER, register=register_snapshot(), language=language, kind="access"
    )
    assert said in pdf_export.render_html(spec)  # the subject's copy


def test_an_empty_task_cannot_be_completed(dpo, client):
    make_connector("camera", kind="manual", config={"instructions": "Search."})
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    task = ManualTask.objects.get()
    client.force_login(dpo)

    client.post(reverse("processing:complete_task", args=[subject_request.reference, task.pk]), {"findings": " "})

    task.refresh_from_db()
    assert task.status == ManualTask.Status.OPEN


def test_the_dpo_retries_a_failed_source_and_the_request_returns_to_review(sqlite_url, tmp_path, dpo, client, rf):
    from tests.fixtures.engine import seed

    make_connector("crm", config=sql_config(sqlite_url))
    erp_path = tmp_path / "erp.sqlite3"
    erp_path.mkdir()  # unreadable as a database for now
    make_connector("erp", name="ERP", config=sql_config(f"sqlite:///{erp_path}"))
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW
    failed = SourceRun.objects.get(status=SourceRun.Status.FAILED)
    html = panel_html(subject_request, dpo, rf)
    assert "2 of 2 sources done" in html
    assert "cannot be opened" in html and "Retry this source" in html

    erp_path.rmdir()
    seed(f"sqlite:///{erp_path}")
    client.force_login(dpo)
    response = client.post(reverse("processing:retry_source", args=[subject_request.reference, failed.pk]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == SourceRun.Status.DONE and failed.record_count == 7
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW
    kinds = [k for k in subject_request.events.values_list("kind", flat=True) if not k.startswith("export.")]
    assert kinds[-3:] == ["request.processing_started", "source.retried", "request.in_review"]


@pytest.mark.parametrize("who", ["auditor", "outsider"])
def test_only_staff_who_work_on_the_request_may_retry(who, request, sqlite_url, tmp_path, dpo, client):
    make_connector("erp", config=sql_config(f"sqlite:///{tmp_path / 'none' / 'erp.sqlite3'}"))
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    failed = SourceRun.objects.get()
    client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("processing:retry_source", args=[subject_request.reference, failed.pk]))

    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == SourceRun.Status.FAILED


def test_a_signed_out_visitor_is_sent_to_sign_in(client, settings):
    settings.LOGIN_URL = "/admin/login/"  # the workspace's own sign-in page is another area's
    response = client.post(reverse("processing:retry_source", args=["DSAR-2026-00001", 1]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_dpo_tests_a_connection_and_reads_the_answer(tmp_path, dpo, agent, client):
    make_connector("erp", config=sql_config(f"sqlite:///{tmp_path / 'none' / 'erp.sqlite3'}"))
    client.force_login(agent)
    assert client.post(reverse("processing:test_connection", args=["erp"])).status_code == 403

    client.force_login(dpo)
    response = client.post(reverse("processing:test_connection", args=["erp"]), follow=False)

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["erp: The SQLite database file cannot be opened: check the path in the URL."]


def test_the_panel_explains_a_failed_source_in_the_readers_language(tmp_path, dpo, rf):
    from django.utils import translation

    make_connector("erp", name="ERP", config=sql_config(f"sqlite:///{tmp_path / 'none' / 'erp.sqlite3'}"))
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()

    with translation.override("nl"):
        html = panel_html(subject_request, dpo, rf)

    assert "Het SQLite-databankbestand kan niet geopend worden" in html
    assert "Deze bron opnieuw proberen" in html
    # The engine keeps the English text for logs, exports and other readers.
    assert SourceRun.objects.get().error.startswith("The SQLite database file cannot be opened")


# The manual task's e-mail, as the assignee reads it in their language: the source as their workspace names it.
TASK_EMAIL = {
    "en": "A source to search by hand for {reference}: Camera footage",
    "nl": "Een bron om met de hand te doorzoeken voor {reference}: Camerabeelden",
    "fr": "Une source à consulter manuellement pour {reference} : Images des caméras",
    "de": "Eine Quelle zur manuellen Suche für {reference}: Kameraaufnahmen",
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_the_manual_task_email_names_the_source_in_the_assignee_s_language(dpo, language):
    """Walkthrough finding: a Dutch DPO read the source's English name in a Dutch e-mail."""
    from requests_app.models import StaffLanguage

    StaffLanguage.objects.update_or_create(user=dpo, defaults={"language": language})
    make_connector(
        "camera",
        name="Camera footage",
        names={"nl": "Camerabeelden", "fr": "Images des caméras", "de": "Kameraaufnahmen"},
        kind="manual",
        config={"instructions": "Search."},
    )
    subject_request = lotte_request()

    workflow.approve(subject_request, actor=dpo)

    email = sent_email("processing_manual_task")
    assert email.subject == TASK_EMAIL[language].format(reference=subject_request.reference)
