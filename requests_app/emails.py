"""Outgoing e-mail, through a transactional outbox.

``queue_email`` renders the message now, in the subject's language, and
stores it in the same database transaction as the change that caused it
(``queue_email_later`` stores it unrendered, for the sender to render). The
delivery task is enqueued after commit; a periodic task sends whatever is
still pending, so a message survives a broker or provider outage. A message
keeps being tried for ``DSAR_EMAIL_RETRY_HOURS`` (default 72); one still
unsent after ``DSAR_EMAIL_ALERT_MINUTES`` (default 60) shows on the DPO's
dashboard. No row lock is held while the SMTP server is talked to: a sender
claims the message with a conditional update, sends, then records the outcome.

Each message is three templates: ``templates/emails/<name>_subject.txt``,
``<name>_body.txt`` and ``<name>_body.html``.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from config import after_response
from dsar.core import together
from requests_app.models import ControllerProfile, OutgoingEmail

log = logging.getLogger(__name__)


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


def queue_email(
    name: str, *, to: str, context: dict, language: str, request=None, render_later: bool = False
) -> OutgoingEmail | None:
    """Queue the named e-mail, or, when there is no address (a request logged by
    staff from a letter or a call), queue nothing and say so: a warning in the
    log, and on the request's timeline an ``email.not_sent`` event, so that the
    DPO knows this message must go to the subject by post or by phone.

    When a representative acts for the subject, an e-mail meant for the subject
    goes where the mandate says (``representation.selectors.addresses_for``):
    the representative, the subject or both; the first message queued is returned."""
    if request is not None:
        from requests_app.representation.selectors import addresses_for

        routed = addresses_for(request, name, to)
        if routed is not None:
            queued = [
                _queue_one(
                    name,
                    to=address,
                    context=_addressed(context, request, address),
                    language=language,
                    request=request,
                    later=render_later,
                )
                for address in routed
            ]
            return queued[0] if queued else _queue_one(name, to="", context=context, language=language, request=request)
    return _queue_one(name, to=to, context=context, language=language, request=request, later=render_later)


def _addressed(context: dict, request, address: str) -> dict:
    """The context of one copy: a copy to the representative greets the
    representative and says on whose behalf (``emails/_greeting``), never
    "Dear <subject>" to the subject's lawyer."""
    from requests_app.representation.selectors import representation_of

    representation = representation_of(request)
    if representation is None:
        return context
    address = address.strip().lower()
    if address != (representation.email or "").strip().lower() or address == (request.email or "").strip().lower():
        return context
    return {**context, "recipient_is_representative": True, "representative_name": representation.full_name}


def _queue_one(
    name: str, *, to: str, context: dict, language: str, request=None, later: bool = False
) -> OutgoingEmail | None:
    if not (to or "").strip():
        log.warning("E-mail %s not queued: no address (request %s).", name, getattr(request, "pk", None))
        if request is not None:
            from requests_app import workflow

            workflow.log_event(request, actor=workflow.SYSTEM, kind="email.not_sent", details={"email": name})
        return None
    if later:
        # Stored unrendered: the sender renders it (RENDERED_LATER).
        email = OutgoingEmail(
            template=name,
            to=to,
            subject="",
            body_text="",
            body_html="",
            request=request,
            render_later=True,
            language=language,
        )
        # In the intake, written with its request in one statement; its id
        # is known before the commit, when the message is sent.
        together.insert(email)
    else:
        subject, text, html = render_email(name, context, language)
        email = OutgoingEmail.objects.create(
            template=name, to=to, subject=subject, body_text=text, body_html=html, request=request
        )
    # After the response when the view answers first (the intake: config.after_response).
    transaction.on_commit(lambda: after_response.soon(lambda: _enqueue(email.pk)))
    return email


# The messages the sender renders itself, and where their context comes from:
# a function of the request. The verification e-mail is rendered in the worker,
# not inside the subject's submission (issue 17: 14% of an intake's time).
RENDERED_LATER = {
    "intake_verify": "requests_app.intake.services.verification_context",
}


def queue_email_later(name: str, *, to: str, language: str, request) -> OutgoingEmail | None:
    """Queue a message of ``RENDERED_LATER`` without rendering it: the sender
    renders it from the request just before sending, so its links and
    validity are those of the moment it leaves."""
    if name not in RENDERED_LATER:
        raise ValueError(f"{name} is not rendered by the sender; use queue_email")
    return queue_email(name, to=to, context={}, language=language, request=request, render_later=True)


def _render_now(email: OutgoingEmail) -> bool:
    """Render a message queued with ``queue_email_later``; False when its
    request is gone or purged (nothing left to say, nobody to say it to)."""
    from django.utils.module_loading import import_string

    request = email.request
    if request is None or request.purged_at is not None:
        return False
    context = import_string(RENDERED_LATER[email.template])(request)
    email.subject, email.body_text, email.body_html = render_email(email.template, context, email.language)
    email.render_later = False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        subject=email.subject, body_text=email.body_text, body_html=email.body_html, render_later=False
    )
    return True


def _enqueue(email_id: int) -> None:
    from dsar.queueing import enqueue
    from requests_app.tasks import deliver_email

    # The broker may be down: the message stays pending for the periodic sweep.
    enqueue(deliver_email, (email_id,), what=f"e-mail {email_id}")


def _claim(email_id: int, now) -> bool:
    """Take the message for this process, or say that another process has it.

    A conditional UPDATE instead of a row lock held during the send: SMTP may
    take up to EMAIL_TIMEOUT, and a lock held that long blocks the purge, the
    retention sweep and every writer on SQLite. A claim older than
    CLAIM_SECONDS belongs to a sender that died mid-send: it may be taken
    again (the worst case is one message sent twice, never one lost).
    """
    expired = now - dt.timedelta(seconds=claim_seconds())
    return bool(
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(Q(status=OutgoingEmail.Status.PENDING) | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=expired))
        .update(status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def claim_seconds() -> int:
    # Longer than one SMTP conversation can last (connect, then send, each
    # bounded by EMAIL_TIMEOUT), so a live sender never loses its claim.
    return 3 * int(getattr(settings, "EMAIL_TIMEOUT", None) or 30) + 60


def deliver(email_id: int) -> bool:
    """Send one pending message. Returns True when it is (now or already) sent
    or given up for good, False when it should be tried again later."""
    now = timezone.now()
    if not _claim(email_id, now):
        email = OutgoingEmail.objects.filter(pk=email_id).only("status").first()
        # Gone, sent, given up, or another sender has it right now: nothing to do here.
        return email is None or email.status != OutgoingEmail.Status.PENDING
    email = OutgoingEmail.objects.select_related("request").get(pk=email_id)
    if email.render_later and not _render_now(email):
        log.warning("E-mail %s (%s) not sent: its request is gone.", email.pk, email.template)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED, last_error="request gone before sending", claimed_at=None
        )
        return True
    message = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to])
    message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        _record_failure(email, exc)
        return email.status == OutgoingEmail.Status.FAILED
    _record_sent(email)
    return True


def _record_failure(email: OutgoingEmail, exc: Exception) -> None:
    now = timezone.now()
    email.last_error = f"{type(exc).__name__}: {exc}"[:500]
    update = {"last_error": email.last_error, "claimed_at": None}
    if now - email.created_at >= retry_period():
        # DSAR_EMAIL_RETRY_HOURS without success: given up, and the DPO sees it
        # among the failed messages on the dashboard (the subject must still be
        # told, by other means: Art. 12(3)).
        email.status = OutgoingEmail.Status.FAILED
        update["next_attempt_at"] = None
        log.error("E-mail %s (%s) given up after %s attempts.", email.pk, email.template, email.attempts)
        if _purged(email):
            # Nothing will send it any more: it keeps no more than the purge
            # leaves of the others.
            update.update(to=_purged(email), subject="", body_text="", body_html="")
    else:
        email.status = OutgoingEmail.Status.PENDING
        # Celery's own backoff (1, 2, 4 ... minutes, at most an hour) spaces
        # the sweep's attempts; the message keeps trying for the whole period.
        wait = get_exponential_backoff_interval(
            factor=60, retries=max(email.attempts - 1, 0), maximum=3600, full_jitter=False
        )
        update["next_attempt_at"] = now + dt.timedelta(seconds=wait)
        log.warning("E-mail %s (%s) failed: %s", email.pk, email.template, type(exc).__name__)
    update["status"] = email.status
    # Only the claim we hold is released: a sender whose claim expired meanwhile
    # does not overwrite what the next one recorded.
    OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.SENDING).update(**update)


def _record_sent(email: OutgoingEmail) -> None:
    # Once sent, the body has done its job: it may hold a verification or
    # download link or a one-time code, which must not linger in the database.
    update = {
        "status": OutgoingEmail.Status.SENT,
        "sent_at": timezone.now(),
        "last_error": "",
        "body_text": "",
        "body_html": "",
        "claimed_at": None,
        "next_attempt_at": None,
    }
    if _purged(email):
        # The erasure's own confirmation goes out after the purge, which
        # skipped it while it was unsent: its address must not outlive the
        # purge (Art. 17), so it is blanked as the purge blanks the others.
        update["to"] = _purged(email)
    OutgoingEmail.objects.filter(pk=email.pk).update(**update)


def retry_period() -> dt.timedelta:
    return dt.timedelta(hours=settings.DSAR_EMAIL_RETRY_HOURS)


def _purged(email: OutgoingEmail) -> str:
    """The address a purge leaves, when the message's request was purged; else ""."""
    from requests_app.workflow import purged_address

    if email.request_id is None or email.request.purged_at is None:
        return ""
    return purged_address(email.request)


def due() -> QuerySet[OutgoingEmail]:
    """Messages the sweep should send now: pending and due, or claimed by a
    sender that died mid-send."""
    now = timezone.now()
    return OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__isnull=True)
        | Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - dt.timedelta(seconds=claim_seconds()))
    )


def deliver_pending(limit: int = 200) -> int:
    """The periodic sweep (every minute): what the broker lost, what failed
    before, what a dead sender left. Returns how many were sent."""
    ids = list(due().order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        deliver(pk)
    return OutgoingEmail.objects.filter(pk__in=ids, status=OutgoingEmail.Status.SENT).count()


def failing(*, older_than: dt.timedelta | None = None) -> QuerySet[OutgoingEmail]:
    """Messages still unsent after ``DSAR_EMAIL_ALERT_MINUTES`` despite attempts,
    and those given up: the DPO's dashboard alert."""
    older_than = older_than or dt.timedelta(minutes=settings.DSAR_EMAIL_ALERT_MINUTES)
    cutoff = timezone.now() - older_than
    return OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.FAILED)
        | Q(status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING], created_at__lte=cutoff)
    ).exclude(sent_at__isnull=False)


# What a purge blanks at once: sent messages and those given up (an unsent one
# may be the erasure's own confirmation, queued a moment ago).
FINISHED = Q(sent_at__isnull=False) | Q(status="failed")
