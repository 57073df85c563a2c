"""An export file is checked against its stored SHA-256 before anyone gets a byte."""

from __future__ import annotations

import logging
import shutil

import pytest

from dsar.exports import service, storage
from dsar.exports.models import ExportFile
from requests_app.delivery.views import _file_response
from tests.fixtures.api import api, make_token  # noqa: F401 (fixtures)
from tests.requests_app.delivery.test_delivery import in_review  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _files(request) -> dict[str, ExportFile]:
    return {f.format: f for f in ExportFile.objects.filter(job__external_ref=request.reference)}


def test_an_intact_file_is_served_whole(dpo, in_review):  # noqa: F811
    export = _files(in_review())["json"]
    assert b"".join(service.iter_file(export)) == storage.read_decrypted(export.path)


def test_a_swapped_file_is_refused_logged_and_never_sent(dpo, in_review, api, caplog):  # noqa: F811
    request = in_review()
    files = _files(request)
    # Another file, encrypted with the same key, put in its place: Fernet alone
    # would decrypt it without complaint.
    shutil.copyfile(storage.absolute(files["pdf"].path), storage.absolute(files["json"].path))
    export = files["json"]

    with caplog.at_level(logging.ERROR, logger="dsar.exports.service"), pytest.raises(service.ExportCorrupted):
        service.iter_file(export)
    assert "does not match its stored SHA-256" in caplog.text

    response = _file_response(export, inline=False)
    assert response.status_code == 500 and b"integrity check" in response.content

    download = api(dpo, "get", f"/api/v1/requests/{request.reference}/exports/json/download/")
    assert download.status_code == 500 and "SHA-256" in download.json()["detail"]


def test_a_damaged_file_is_refused_too(dpo, in_review):  # noqa: F811
    export = _files(in_review())["json"]
    path = storage.absolute(export.path)
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(service.ExportCorrupted):
        service.iter_file(export)
