"""Outgoing e-mail, through a transactional outbox.

``queue_email`` renders the message now, in the subject's language, and
stores it in the same database transaction as the change that caused it. The
delivery task is enqueued after commit; a periodic task sends whatever is
still pending, so a message survives a broker or provider outage.

Each message is three templates: ``templates/emails/<name>_subject.txt``,
``<name>_body.txt`` and ``<name>_body.html``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from requests_app.models import ControllerProfile, OutgoingEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def staff_language(user) -> str:
    """The language of the desk's e-mails to a staff member: the one they last
    signed in with (``models.StaffLanguage``), else the desk's default."""
    from requests_app.models import StaffLanguage

    language = StaffLanguage.objects.filter(user=user).values_list("language", flat=True).first() if user else None
    return language or settings.LANGUAGE_CODE


def render_email(name: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render (subject, text, html) of the named e-mail in ``language``."""
    context = {
        "controller": ControllerProfile.current().in_language(language),
        "site_url": settings.SITE_URL,
        **context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def queue_email(name: str, *, to: str, context: dict, language: str, request=None) -> OutgoingEmail | None:
    """Queue the named e-mail, or, when there is no address (a request logged by
    staff from a letter or a call), queue nothing and say so: a warning in the
    log, and on the request's timeline an ``email.not_sent`` event, so that the
    DPO knows this message must go to the subject by post or by phone."""
    if not (to or "").strip():
        log.warning("E-mail %s not queued: no address (request %s).", name, getattr(request, "pk", None))
        if request is not None:
            from requests_app import workflow

            workflow.log_event(request, actor=workflow.SYSTEM, kind="email.not_sent", details={"email": name})
        return None
    subject, text, html = render_email(name, context, language)
    email = OutgoingEmail.objects.create(
        template=name, to=to, subject=subject, body_text=text, body_html=html, request=request
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    from requests_app.tasks import deliver_email

    try:
        deliver_email.delay(email_id)
    except Exception:
        # The broker is down: the periodic sweep will deliver it.
        log.warning("Could not enqueue e-mail %s; it stays pending for the periodic sweep.", email_id)


def deliver(email_id: int) -> bool:
    """Send one pending message. Returns True when it is (now or already) sent."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return True
        message = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to])
        message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:
            email.last_error = f"{type(exc).__name__}: {exc}"[:500]
            update_fields = ["attempts", "last_error"]
            if email.attempts >= MAX_ATTEMPTS and _purged(email):
                # Given up after the purge: nothing will send it, so it keeps
                # no more than the purge leaves of the others.
                email.to, email.subject, email.body_text, email.body_html = _purged(email), "", "", ""
                update_fields += ["to", "subject", "body_text", "body_html"]
            email.save(update_fields=update_fields)
            log.warning("E-mail %s (%s) failed: %s", email.pk, email.template, type(exc).__name__)
            return False
        email.sent_at = timezone.now()
        email.last_error = ""
        # Once sent, the body has done its job: it may hold a verification or
        # download link or a one-time code, which must not linger in the database.
        email.body_text = email.body_html = ""
        update_fields = ["attempts", "last_error", "sent_at", "body_text", "body_html"]
        if _purged(email):
            # The erasure's own confirmation goes out after the purge, which
            # skipped it while it was unsent: its address must not outlive the
            # purge (Art. 17), so it is blanked as the purge blanks the others.
            email.to = _purged(email)
            update_fields.append("to")
        email.save(update_fields=update_fields)
        return True


def _purged(email: OutgoingEmail) -> str:
    """The address a purge leaves, when the message's request was purged; else ""."""
    from requests_app.workflow import purged_address

    if email.request_id is None or email.request.purged_at is None:
        return ""
    return purged_address(email.request)


def deliver_pending() -> int:
    pending = OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
    return sum(1 for pk in list(pending[:500]) if deliver(pk))
