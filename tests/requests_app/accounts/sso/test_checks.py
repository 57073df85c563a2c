"""`check --deploy` warns about an identity provider reached without TLS."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from requests_app.accounts.sso.checks import check_provider_tls, check_role_mapping


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("", []),
        ("https://id.example.be/realms/staff", []),
        ("http://id.example.be/realms/staff", ["requests_app.W201"]),
    ],
)
def test_it_checks_the_providers_address(settings, issuer, expected):
    settings.DSAR_OIDC_ISSUER = issuer
    assert [message.id for message in check_provider_tls()] == expected


def test_it_warns_when_no_group_gives_a_role(settings):
    settings.DSAR_OIDC_ISSUER = "https://id.example.be"
    settings.DSAR_OIDC_ROLE_DPO = settings.DSAR_OIDC_ROLE_AGENT = settings.DSAR_OIDC_ROLE_AUDITOR = []
    assert [message.id for message in check_role_mapping()] == ["requests_app.W202"]
    settings.DSAR_OIDC_ROLE_AGENT = ["privacy-agents"]
    assert check_role_mapping() == []
    settings.DSAR_OIDC_ISSUER = ""
    settings.DSAR_OIDC_ROLE_AGENT = []
    assert check_role_mapping() == []


@pytest.mark.django_db
def test_the_warning_is_part_of_check_deploy(settings):
    settings.DSAR_OIDC_ISSUER = "http://id.example.be"
    out = io.StringIO()
    call_command("check", "--deploy", stdout=out, stderr=out)
    assert "requests_app.W201" in out.getvalue()
    assert "without TLS (http://id.example.be)" in out.getvalue()
