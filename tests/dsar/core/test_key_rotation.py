"""Key rotation: put a new key first, run rotate_encryption_keys, then the
old key can go and everything still reads."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from dsar.core.crypto import decrypt_bytes, encrypt_bytes
from dsar.exports import service
from requests_app import workflow
from requests_app.delivery import selectors as delivery_selectors
from requests_app.models import Attachment, Message, SubjectRequest
from tests.factories import make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw_national_number(request) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_number FROM requests_app_subjectrequest WHERE id = %s", [request.pk])
        return cursor.fetchone()[0]


def _run(*args) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stored_under_the_old_key(settings, dpo, controller, django_capture_on_commit_callbacks):
    settings.DSAR_ENCRYPTION_KEYS = [OLD]
    request = make_request(national_number="85073003328", email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    message = Message.objects.create(request=request, direction="in", body="Here is the form.")
    attachment = Attachment(message=message, original_name="form.pdf", content_type="application/pdf", size=9)
    attachment.file.save("upload.bin", ContentFile(encrypt_bytes(b"%PDF-1.7 form")), save=True)
    exports = {f.format: service.read_file(f) for f in delivery_selectors.export_files(request)}
    return request, attachment, exports


def test_after_rotation_the_old_key_can_go_and_everything_still_reads(settings, stored_under_the_old_key):
    request, attachment, exports = stored_under_the_old_key
    before = _raw_national_number(request)
    request.token = SubjectRequest.objects.get(pk=request.pk).token
    settings.DSAR_ENCRYPTION_KEYS = [NEW, OLD]

    with pytest.raises(CommandError, match="still need an older key"):
        _run("--check")
    output = _run()
    assert "requests_app.SubjectRequest.national_number: 1 rotated" in output
    assert "export files: 2 rotated" in output
    assert "requests_app.Attachment.file: 1 rotated" in output
    assert "Everything is encrypted with the first key" in _run("--check")
    assert "0 value(s) and file(s) re-encrypted" in _run()  # a second run has nothing left to do

    settings.DSAR_ENCRYPTION_KEYS = [NEW]
    assert _raw_national_number(request) != before
    assert SubjectRequest.objects.get(pk=request.pk).national_number == "85073003328"
    assert {f.format: service.read_file(f) for f in delivery_selectors.export_files(request)} == exports
    with Attachment.objects.get(pk=attachment.pk).file.open("rb") as handle:
        assert decrypt_bytes(handle.read()) == b"%PDF-1.7 form"
    # The status-page link mailed to the subject still rebuilds from its encrypted copy.
    assert SubjectRequest.objects.get(pk=request.pk).token == request.token


def test_without_rotation_dropping_the_old_key_breaks_reading(settings, stored_under_the_old_key):
    # The control for the test above: the old key was really needed.
    request, _attachment, _exports = stored_under_the_old_key
    settings.DSAR_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ValueError, match="could not be decrypted"):
        SubjectRequest.objects.get(pk=request.pk).national_number  # noqa: B018


def test_a_value_no_key_opens_is_reported_and_left_alone(settings, stored_under_the_old_key):
    request, _attachment, _exports = stored_under_the_old_key
    before = _raw_national_number(request)
    settings.DSAR_ENCRYPTION_KEYS = [NEW]  # the old key lost

    with pytest.raises(CommandError, match="decrypt with none of the keys"):
        _run()
    assert _raw_national_number(request) == before
