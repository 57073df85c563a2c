"""Headers every page carries, and what the logs and e-mails never show."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "workspace:login", "/api/v1/docs/", "/api/v1/redoc/"])
def test_every_html_page_has_a_strict_csp_and_a_permissions_policy(client, path):
    response = client.get(path if path.startswith("/") else reverse(path))
    assert response.status_code == 200
    policy = _csp(response)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_an_inline_style_carries_the_pages_nonce(client, dpo):
    """The nonce in the header is the one in the page, and differs each time."""
    page = client.get("/api/v1/docs/")
    nonce = re.search(r"'nonce-([^']+)'", _csp(page)["style-src"]).group(1)
    assert f'<style nonce="{nonce}">' in page.content.decode()
    again = client.get("/api/v1/docs/")
    assert nonce not in again["Content-Security-Policy"]


def test_no_page_template_has_an_inline_script_or_style_without_a_nonce():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        if "emails" in template.parts or "exports" in template.parts or template.name == "evidence_pack.html":
            continue  # e-mails and PDFs (the copy, the evidence pack) are not pages a browser runs
        text = template.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.relative_to(root)}: {tag}")
        if re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{template.relative_to(root)}: style or event attribute")
    # Redoc styles itself at run time, and the development outbox shows e-mails
    # with their inline styles: those two pages alone allow inline styles
    # (config.csp, config.dev_views), never inline scripts.
    allowed = ("drf_spectacular/redoc.html: <style>", "dev/outbox_message.html: <style>")
    offenders = [o for o in offenders if not o.startswith(allowed)]
    assert offenders == []


def test_the_api_docs_load_nothing_from_elsewhere(client):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = client.get(path).content.decode()
        assert "googleapis" not in page and "cdn" not in page.lower()


def test_the_api_throttle_keys_on_the_proxys_client_not_a_forged_header(settings):
    """DRF's NUM_PROXIES follows DSAR_TRUSTED_PROXY_COUNT: with no proxy, a
    client-supplied X-Forwarded-For is ignored."""
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.DSAR_TRUSTED_PROXY_COUNT == 0
    api_settings.reload()
    from django.test import RequestFactory

    throttle = SimpleRateThrottle.__new__(SimpleRateThrottle)
    request = RequestFactory().get("/api/v1/requests/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert throttle.get_ident(request) == "203.0.113.9"


def _gunicorn_conf():
    """config/gunicorn.conf.py, loaded as gunicorn loads it (its name is not a module name)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_access_log_has_no_query_string_and_no_secret_link():
    from datetime import timedelta

    from gunicorn.config import Config

    gunicorn_conf_module = _gunicorn_conf()
    logger = gunicorn_conf_module.RedactingLogger(Config())
    atoms = {}
    for path, query in [
        ("/workspace/", "q=lotte.peeters%40example.be"),
        ("/forwarded/Fw9sEcReTtOkEn4xY7/", ""),
        ("/status/St9sEcReTtOkEn4xY7/reply/", ""),
        ("/download/Dl9sEcReTtOkEn4xY7/file/pdf/", ""),
        ("/verify/Vf9sEcReTtOkEn4xY7/", ""),
    ]:
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"{path}?{query}" if query else path,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_REFERER": f"https://dsar.example.be{path}?{query}",
        }
        response = SimpleNamespace(status="200 OK", sent=10, headers=[])
        request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
        # What the logger formats: its atoms, read through its wrapper.
        atoms = logger.atoms_wrapper_class(logger.atoms(response, request, environ, timedelta(seconds=0)))
        line = gunicorn_conf_module.access_log_format % atoms
        assert "lotte" not in line and "sEcReTtOkEn" not in line, line
        # Any atom an operator's own format may name, headers and environ included.
        every = [atoms[key] for key in atoms] + [atoms["{referer}i"], atoms["{http_referer}e"], atoms["{raw_uri}e"]]
        assert all("sEcReTtOkEn" not in str(v) and "lotte" not in str(v) for v in every), every
    assert '"GET /verify/***/ HTTP/1.1"' in line


def test_the_download_code_is_not_in_the_subject_line():
    from django.template.loader import render_to_string

    subject = render_to_string("emails/download_code_subject.txt", {"code": "482913", "reference": "DSAR-2026-00042"})
    assert "482913" not in subject and subject.strip() == "Your download code"


def test_the_development_outbox_shows_an_e_mail_with_its_styles_but_no_script(client, settings, tmp_path):
    settings.DSAR_OUTBOX_DIR = tmp_path
    name = "20261206-120000-0123abcd.eml"
    (tmp_path / name).write_text(
        "Subject: Hello\nContent-Type: text/html; charset=utf-8\n\n<p style='color:red'>Hello</p>\n"
    )
    response = client.get(f"/dev/outbox/{name}/")
    assert response.status_code == 200
    policy = _csp(response)
    assert policy["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert "'unsafe-inline'" not in policy["script-src"]


def test_the_development_outbox_names_the_folder_the_e_mails_are_in(client, settings, tmp_path):
    settings.DSAR_OUTBOX_DIR = tmp_path / "elsewhere" / "outbox"

    page = client.get("/dev/outbox/").content.decode()

    assert str(tmp_path / "elsewhere" / "outbox") in page and "var/outbox/" not in page


def test_make_run_reads_the_dpo_password_from_its_own_var_directory(settings, tmp_path):
    from config.run_local import banner

    settings.VAR_DIR = tmp_path
    (tmp_path / ".dpo-password").write_text("correct-horse\n")

    assert "(user 'dpo', password 'correct-horse')" in banner("8115")
