"""Deployment checks of the privacy mailbox (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

IMAP_SECURITY = ("ssl", "starttls", "none")


@register("dsar", deploy=True)
def check_mailbox_tls(app_configs=None, **kwargs):
    """The mailbox's password and the subjects' mail (identity documents
    included) must not cross the network in clear: security of processing, Art. 32(1)."""
    if not settings.DSAR_INBOX_IMAP_HOST:
        return []
    security = settings.DSAR_INBOX_IMAP_SECURITY
    if security not in IMAP_SECURITY:
        return [
            Error(
                f"DSAR_INBOX_IMAP_SECURITY is {security!r}: use one of {', '.join(IMAP_SECURITY)}.",
                id="requests_app.E101",
            )
        ]
    if security == "none":
        return [
            Warning(
                "The privacy mailbox is read over IMAP without TLS: its password and the subjects' e-mails "
                "cross the network in clear.",
                hint="Set DSAR_INBOX_IMAP_SECURITY=ssl (port 993) or starttls (port 143).",
                id="requests_app.W101",
            )
        ]
    return []
