"""Hostile input under /api/ gets JSON, never an HTML page; hostile names and
file names are refused or made harmless, the same way on the form and the API."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.exceptions import ParseError

from requests_app import workflow
from requests_app.intake.names import attachment_filename, clean_person_name
from requests_app.intake.services import reply
from requests_app.models import Attachment, SubjectRequest
from tests.fixtures.intake import form_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"


def _payload(**overrides) -> dict:
    data = form_data(**overrides)
    data.pop("website")
    return data


def _post_raw(client, body: bytes, content_type: str = "application/json"):
    return client.generic("POST", URL, body, content_type=content_type)


def _is_json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


# ------------------------------------------------------------------------------
# JSON errors everywhere under /api/
# ------------------------------------------------------------------------------
def test_a_body_over_the_limit_is_a_413_in_json(client, settings):
    body = json.dumps({"details": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}).encode()
    response = _post_raw(client, body)
    assert response.status_code == 413
    assert "larger than 5 MB" in _is_json(response)["detail"]


def test_a_form_encoded_body_over_the_limit_is_a_413_in_json_too(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _post_raw(client, b"details=" + b"x" * 2000, "application/x-www-form-urlencoded")
    assert response.status_code == 413 and "detail" in _is_json(response)


def test_json_nested_100000_deep_is_a_400_in_json(client):
    response = _post_raw(client, b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert "deeper than 64 levels" in _is_json(response)["detail"]


def test_json_within_the_depth_limit_is_read():
    import io

    from config.api_errors import StrictJSONParser

    value = ok = {"level": "64"}
    for _ in range(62):
        value = {"x": value}
    assert StrictJSONParser().parse(io.BytesIO(json.dumps(value).encode())) == value
    with pytest.raises(ParseError, match="deeper than 64"):
        StrictJSONParser().parse(io.BytesIO(json.dumps({"x": {"y": value}, "ok": ok}).encode()))


def test_a_lone_surrogate_in_a_name_is_a_400_in_json(client):
    body = json.dumps(_payload()).replace("Lotte Peeters", "Lotte \\ud800 Peeters").encode()
    response = _post_raw(client, body)
    assert response.status_code == 400
    assert "not valid Unicode" in _is_json(response)["detail"]
    assert not SubjectRequest.objects.exists()


def test_bytes_that_are_not_utf8_are_a_400_in_json(client):
    response = _post_raw(client, b'{"full_name": "Lotte \xff\xfe"}')
    assert response.status_code == 400 and "not valid Unicode" in _is_json(response)["detail"]


def test_broken_json_is_a_400_in_json(client):
    response = _post_raw(client, b'{"full_name": ')
    assert response.status_code == 400 and "not valid JSON" in _is_json(response)["detail"]


def test_an_unexpected_error_under_the_api_is_a_500_in_json(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("requests_app.intake.forms.RequestForm.is_valid", broken)
    client.raise_request_exception = False
    response = _post_raw(client, json.dumps(_payload()).encode())
    assert response.status_code == 500
    body = _is_json(response)
    assert "database on fire" not in body["detail"] and "logged" in body["detail"]


# ------------------------------------------------------------------------------
# Names: one validator for the form and the API
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Lotte\r\nBcc: victim@example.org", "line breaks"),
        ("Lotte\tPeeters", "control characters"),
        ("Lotte \u202egpj.exe", "direction of the text"),
        ("Lotte \u2066Peeters\u2069", "direction of the text"),
        ("\u200b\u200c\u200d", "visible letters"),
    ],
)
def test_a_hostile_name_is_refused_on_the_form_and_the_api_alike(client, api, name, error):
    page = client.post(reverse("intake:form"), form_data(full_name=name))
    assert page.status_code == 400 and error in page.content.decode()
    response = api(None, "post", URL, _payload(full_name=name))
    assert response.status_code == 400 and error in str(response.json()["full_name"])
    assert not SubjectRequest.objects.exists()


def test_a_name_is_stored_in_nfc(api):
    # "Zoë" typed with a combining diaeresis (e + U+0308).
    response = api(None, "post", URL, _payload(full_name="Zoe\u0308  Peeters"))
    assert response.status_code == 201, response.content
    assert SubjectRequest.objects.get().full_name == "Zo\u00eb Peeters"


def test_names_in_other_scripts_with_joiners_are_accepted():
    assert (
        clean_person_name("\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627")
        == "\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627"
    )


def test_the_refusal_is_translated(client):
    page = client.post(
        reverse("intake:form"), form_data(full_name="Lotte\u202e", language="nl"), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert page.status_code == 400
    assert "richting van de tekst" in page.content.decode()


# ------------------------------------------------------------------------------
# Attachments: the extension of what the file is
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sent", "content_type", "stored"),
    [
        ("poly.html", "text/plain", "poly.txt"),
        ("invoice.pdf.exe", "application/pdf", "invoice.pdf.pdf"),
        ("scan.svg", "image/png", "scan.png"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        (".htaccess", "text/plain", "htaccess.txt"),
        ("id\u202egpj.html", "image/jpeg", "idgpj.jpg"),
    ],
)
def test_an_attachment_name_gets_the_extension_of_its_detected_type(sent, content_type, stored):
    assert attachment_filename(sent, content_type) == stored


def test_a_reply_with_poly_html_is_stored_and_served_as_text(client, dpo, new_request):
    workflow.request_info(new_request, actor=dpo, body="Which customer number, please?")
    upload = SimpleUploadedFile("poly.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(
        reverse("intake:reply", kwargs={"token": new_request.token}), {"body": "See file.", "attachments": [upload]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "poly.txt" and attachment.content_type == "text/plain"
    client.force_login(dpo)
    download = client.get(reverse("workspace:download_attachment", args=[new_request.reference, attachment.pk]))
    assert download["Content-Type"] == "text/plain"
    assert download["Content-Disposition"] == 'attachment; filename="poly.txt"'


def test_a_file_stored_before_the_rule_is_served_with_the_right_extension(client, dpo, new_request):
    workflow.request_info(new_request, actor=dpo, body="Your ID, please.")
    upload = SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n an identity card")
    upload.checked_content_type = "image/png"
    reply(new_request, body="Here.", files=[upload])
    Attachment.objects.update(original_name="id.html")  # as an older version stored it
    client.force_login(dpo)
    attachment = Attachment.objects.get()
    download = client.get(reverse("workspace:download_attachment", args=[new_request.reference, attachment.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="id.png"'
