"""`check --deploy` warns about a privacy mailbox read without TLS."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from requests_app.inbox.checks import check_mailbox_tls


def ids(messages):
    return [message.id for message in messages]


@pytest.mark.parametrize(
    ("host", "security", "expected"),
    [
        ("", "none", []),
        ("imap.example.be", "ssl", []),
        ("imap.example.be", "starttls", []),
        ("imap.example.be", "none", ["requests_app.W101"]),
        ("imap.example.be", "tls", ["requests_app.E101"]),
    ],
)
def test_it_checks_the_mailbox_security(settings, host, security, expected):
    settings.DSAR_INBOX_IMAP_HOST = host
    settings.DSAR_INBOX_IMAP_SECURITY = security
    assert ids(check_mailbox_tls()) == expected


@pytest.mark.django_db
def test_the_warning_is_part_of_check_deploy(settings):
    settings.DSAR_INBOX_IMAP_HOST = "imap.example.be"
    settings.DSAR_INBOX_IMAP_SECURITY = "none"
    out = io.StringIO()
    call_command("check", "--deploy", stdout=out, stderr=out)
    assert "requests_app.W101" in out.getvalue()
