"""Celery tasks of the inbox."""

from celery import shared_task


@shared_task(name="requests_app.inbox.tasks.poll_mailbox")
def poll_mailbox() -> dict:
    """Fetch new e-mail from the privacy mailbox (nothing when no IMAP host is configured)."""
    from requests_app.inbox.imap import poll_mailbox as poll

    return poll()


@shared_task(name="requests_app.inbox.tasks.import_dropped_files")
def import_dropped_files() -> dict:
    """Import the .eml files of the watched folder (DSAR_INBOX_DROP_DIR; off when empty)."""
    from requests_app.inbox.drop import import_dropped

    return import_dropped()


@shared_task(name="requests_app.inbox.tasks.redact_expired_items")
def redact_expired_items() -> int:
    """Redact triaged e-mails past their retention (requests_app.inbox.retention)."""
    from requests_app.inbox.retention import redact_expired

    return redact_expired()
