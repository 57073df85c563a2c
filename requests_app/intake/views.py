"""The subject's pages. No account: the subject holds links sent to their mailbox."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from config import after_response
from dsar.core.crypto import token_digest
from requests_app import workflow
from requests_app.intake import register_cache, services
from requests_app.intake.details import describe_type_details
from requests_app.intake.forms import TYPE_FIELDS, NewLinkForm, ReplyForm, RequestForm
from requests_app.intake.services import RateLimited
from requests_app.intake.timeline import STATUS_FOR_SUBJECT, describe
from requests_app.intake.tokens import BadLink, LinkProblem, read_verification_token
from requests_app.models import OPEN_STATUSES, Channel, Message, RequestType, Status, SubjectRequest
from requests_app.representation.forms import RepresentativeForm

# The references this browser submitted, so that a doubled click can be told
# "you already sent this" without telling anyone else that a request exists.
# Signed cookies rather than the session: a submission then writes nothing
# but the request (issue 17: reading and saving the session were four round
# trips to the database). Signed, so that a browser cannot claim a reference it
# did not submit; a reference opens nothing by itself.
SUBMITTED_COOKIE = "intake_submitted"
REPEATED_COOKIE = "intake_repeated"
_COOKIE_SALT = "requests_app.intake.submitted"

REPLY_STATUSES = (Status.AWAITING_SUBJECT, Status.NEW)
CANCEL_STATUSES = (Status.UNVERIFIED, *OPEN_STATUSES)


def client_ip(request) -> str:
    """The visitor's address, for rate limits.

    Only the entries that our own proxies appended to X-Forwarded-For are
    trusted (DSAR_TRUSTED_PROXY_COUNT); anything further left was written by
    the client and could be forged to dodge the limit.
    """
    proxies = settings.DSAR_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _private(response):
    """Pages reached by a secret link: never cached, never indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _rate_limited(request, template: str, context: dict, exc: RateLimited):
    context["retry_minutes"] = max(1, math.ceil(exc.retry_after / 60))
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_http_methods(["GET", "POST"])
@after_response.answer_first  # the subject is told to check their mailbox before the e-mail is handed to the broker
def request_form(request):
    if request.method == "POST":
        representative = RepresentativeForm(data=request.POST, files=request.FILES, sent_fields_only=True)
        # The limits counted with the register's version: one round trip to
        # the cache; given back below if the submission is refused before it counts.
        _wait, counted, register_version = services.count_ahead(
            client_ip=client_ip(request),
            submitter=request.POST.get(
                "representative_email" if representative.on_behalf_requested else "email", ""
            ).strip(),
        )
        register = register_cache.snapshot(version=register_version)

        def whole_representative() -> RepresentativeForm:
            # The page shows every field again, with what was typed and its errors.
            whole = RepresentativeForm(data=request.POST, files=request.FILES)
            whole.is_valid()
            return whole

        def bound_form(**options) -> RequestForm:
            form = RequestForm(data=request.POST, register=register, **options)
            if representative.on_behalf_requested:
                # The link goes to the representative; the subject's address is
                # optional (a child may have none) unless our e-mails go to them.
                form.fields["email"].required = representative.subject_address_needed
            return form

        # Validated with the fields the submission uses (the whole form's
        # answers); the page that shows it again gets every right's fields.
        form = bound_form(sent_fields_only=True)
        accepted = not form.honeypot_filled and form.is_valid() and representative.is_valid()
        if not accepted and counted is not None:
            counted.give_back()  # an invalid submission (or a bot's) uses up no limit
        if form.honeypot_filled:
            # Tell a bot nothing useful: it sees the page a person sees.
            return redirect("intake:submitted")
        if accepted:
            try:
                submission = services.submit_request(
                    form.cleaned_data,
                    channel=Channel.WEB,
                    client_ip=client_ip(request),
                    representation=representative.cleaned_data["representation"],
                    counted=counted,
                )
            except RateLimited as exc:
                return _rate_limited(
                    request, "intake/form.html", _form_context(bound_form(), whole_representative()), exc
                )
            submitted = _submitted_here(request)
            reference = submission.request.reference
            response = redirect("intake:submitted")
            if submission.duplicate and reference in submitted:
                _set_cookie(response, REPEATED_COOKIE, "1", max_age=600)
            elif REPEATED_COOKIE in request.COOKIES:
                response.delete_cookie(REPEATED_COOKIE)
            if not submission.duplicate:
                _set_cookie(
                    response, SUBMITTED_COOKIE, "/".join([*submitted, reference][-10:]), settings.SESSION_COOKIE_AGE
                )
            return response
        form = bound_form()
        form.is_valid()  # its errors, for the page
        representative = whole_representative()
        status = 400
    else:
        form = RequestForm()
        representative = RepresentativeForm()
        status = 200
    return render(request, "intake/form.html", _form_context(form, representative), status=status)


def _form_context(form: RequestForm, representative: RepresentativeForm | None = None) -> dict:
    type_sections = [
        (value, label, form.type_fields(value)) for value, label in RequestType.choices if value in TYPE_FIELDS
    ]
    return {
        "form": form,
        "type_sections": type_sections,
        "corrections": form.corrections(),
        "valid_days": settings.DSAR_VERIFICATION_DAYS,
        "identity_fields": form.identity_fields(),
        "representative": representative or RepresentativeForm(),
    }


def _submitted_here(request) -> list[str]:
    """The references this browser submitted (``SUBMITTED_COOKIE``, separated by
    "/", which a cookie's value may hold unquoted)."""
    value = request.get_signed_cookie(
        SUBMITTED_COOKIE, default="", salt=_COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE
    )
    return [reference for reference in value.split("/") if reference]


def _set_cookie(response, name: str, value: str, max_age: int) -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=_COOKIE_SALT,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def submitted(request):
    repeated = request.get_signed_cookie(REPEATED_COOKIE, default="", salt=_COOKIE_SALT, max_age=600) == "1"
    response = render(
        request, "intake/submitted.html", {"repeated": repeated, "valid_days": settings.DSAR_VERIFICATION_DAYS}
    )
    if REPEATED_COOKIE in request.COOKIES:
        response.delete_cookie(REPEATED_COOKIE)
    return response


def _bad_link(request, problem: LinkProblem, subject_request: SubjectRequest | None = None):
    status = 404 if problem == LinkProblem.INVALID else 410
    if subject_request is None:
        # A forged or unknown link names no request: the browser's language.
        response = render(
            request, "intake/bad_link.html", {"problem": problem.value, "form": NewLinkForm()}, status=status
        )
        return _private(response)
    with in_request_language(request, subject_request) as language:
        context = {"problem": problem.value, "form": NewLinkForm(), "lang_switch_links": True}
        response = render(request, "intake/bad_link.html", context, status=status)
        response["Content-Language"] = language
    return _private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token: str):
    """GET shows a button; only the POST confirms, because mail scanners open links."""
    try:
        subject_request = read_verification_token(token)
    except BadLink as exc:
        return _bad_link(request, exc.problem, exc.request)
    if request.method == "POST":
        try:
            workflow.verify(subject_request)
        except workflow.WorkflowError:
            return _bad_link(request, LinkProblem.USED, subject_request)
        with in_request_language(request, subject_request):
            # Worded now, read on the status page: in the request's language.
            messages.success(request, _("Thank you: your e-mail address is confirmed and your request is on its way."))
        return _to_status(request, subject_request.token)
    with in_request_language(request, subject_request) as language:
        context = {"subject_request": subject_request, "lang_switch_links": True}
        response = render(request, "intake/verify.html", context)
        response["Content-Language"] = language
    return _private(response)


def _get_request_by_token(token: str) -> SubjectRequest | None:
    if not token or len(token) > 100:
        return None
    return SubjectRequest.objects.filter(token_hash=token_digest(token), purged_at__isnull=True).first()


def _status_context(subject_request: SubjectRequest, reply_form: ReplyForm | None = None) -> dict:
    events = subject_request.events.public().order_by("seq")
    cancel_refused = workflow.refusal(subject_request, "cancel") if subject_request.status in CANCEL_STATUSES else ""
    return {
        "subject_request": subject_request,
        "status_text": STATUS_FOR_SUBJECT.get(subject_request.status, subject_request.get_status_display()),
        "timeline": [(event, describe(event)) for event in events],
        "conversation": subject_request.messages.prefetch_related("attachments").order_by("created_at"),
        "to_subject": Message.Direction.TO_SUBJECT,
        "can_reply": subject_request.status in REPLY_STATUSES,
        "can_cancel": subject_request.status in CANCEL_STATUSES and not cancel_refused,
        "cancel_refused": cancel_refused,
        "reply_form": reply_form or ReplyForm(),
        "is_open": subject_request.is_open,
        # What the request covers, in the DPO's words too: a second request of
        # the same right is its own request, and the subject sees which is which.
        "covers": describe_type_details(subject_request.type_details, for_subject=True),
    }


def request_language(request, subject_request) -> str:
    """The language of a request's own pages: the request's, whatever the
    browser asks (Art. 12(1): one language per request); ``?lang=`` switches
    it for that view only."""
    languages = {code for code, _label in settings.LANGUAGES}
    asked = (request.GET.get("lang") or "")[:2]
    return asked if asked in languages else subject_request.language


def _to_status(request, token: str):
    """Back to the status page, keeping a language the subject switched to (``?lang=``)."""
    url = reverse("intake:status", args=[token])
    languages = {code for code, _label in settings.LANGUAGES}
    asked = (request.GET.get("lang") or "")[:2]
    return redirect(f"{url}?lang={asked}" if asked in languages else url)


@contextmanager
def in_request_language(request, subject_request: SubjectRequest) -> Iterator[str]:
    """Everything worded inside, pages and flash messages alike, is in the
    request's language rather than the browser's (Art. 12(1))."""
    language = request_language(request, subject_request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        yield language


@never_cache
@require_http_methods(["GET"])
def status(request, token: str):
    subject_request = _get_request_by_token(token)
    if subject_request is None:
        closed = _purged_request_by_token(token)
        if closed is None:
            return _bad_link(request, LinkProblem.INVALID)
        return _closing_page(request, closed)
    language = request_language(request, subject_request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        # Inside the override: the timeline's texts are worded here, in the request's language.
        context = _status_context(subject_request)
        context["lang_switch_links"] = True
        if subject_request.status == Status.FULFILLED and _download_open(subject_request):
            # The status link opens the latest download link (delivery_selectors.find_link).
            context["download_url"] = reverse("download:page", args=[token])
        response = render(request, "intake/status.html", context)
        response["Content-Language"] = language
    return _private(response)


def _download_open(subject_request: SubjectRequest) -> bool:
    return subject_request.download_links.filter(
        transmission__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def _purged_request_by_token(token: str) -> SubjectRequest | None:
    if not token or len(token) > 100:
        return None
    # Only a request the subject confirmed has an outcome to tell; an unconfirmed
    # one that expired keeps the plain "this link does not work" page.
    return SubjectRequest.objects.filter(
        token_hash=token_digest(token), purged_at__isnull=False, verified_at__isnull=False
    ).first()


def _closing_page(request, subject_request: SubjectRequest):
    """The status link of a request whose details were purged: what was done and
    when, rather than "this link does not work". After an erasure the request's
    own details went too, as the subject asked (Art. 17(1)); the reference,
    type, dates and outcome remain (Art. 5(2))."""
    language = request_language(request, subject_request)
    context = {
        "subject_request": subject_request,
        "erased": subject_request.request_type == RequestType.ERASURE and subject_request.status == Status.FULFILLED,
        "ended_at": subject_request.closed_at or subject_request.purged_at,
        "lang_switch_links": True,
    }
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = render(request, "intake/closed.html", context)
        response["Content-Language"] = language
    return _private(response)


@never_cache
@require_POST
def reply(request, token: str):
    subject_request = _get_request_by_token(token)
    if subject_request is None:
        return _bad_link(request, LinkProblem.INVALID)
    with in_request_language(request, subject_request) as language:
        form = ReplyForm(request.POST, request.FILES)
        if subject_request.status not in REPLY_STATUSES:
            messages.error(
                request, _("This request no longer takes answers here. Write to our data protection officer.")
            )
            return _to_status(request, token)
        if not form.is_valid():
            context = {**_status_context(subject_request, form), "lang_switch_links": True}
            response = render(request, "intake/status.html", context, status=400)
            response["Content-Language"] = language
            return _private(response)
        try:
            services.reply(subject_request, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"])
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you: we received your answer."))
    return _to_status(request, token)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    subject_request = _get_request_by_token(token)
    if subject_request is None:
        return _bad_link(request, LinkProblem.INVALID)
    with in_request_language(request, subject_request) as language:
        if subject_request.status not in CANCEL_STATUSES:
            messages.error(request, _("This request can no longer be cancelled."))
            return _to_status(request, token)
        if refused := workflow.refusal(subject_request, "cancel"):
            messages.error(request, refused)
            return _to_status(request, token)
        if request.method == "POST":
            try:
                workflow.cancel(subject_request)
            except workflow.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Your request is cancelled. You can send a new one at any time."))
            return _to_status(request, token)
        context = {"subject_request": subject_request, "lang_switch_links": True}
        response = render(request, "intake/cancel.html", context)
        response["Content-Language"] = language
    return _private(response)


@require_http_methods(["GET", "POST"])
def new_link(request):
    if request.method == "POST":
        form = NewLinkForm(request.POST)
        if form.is_valid():
            try:
                services.request_new_links(
                    email=form.cleaned_data["email"],
                    language=(request.LANGUAGE_CODE or "en")[:2],
                    client_ip=client_ip(request),
                )
            except RateLimited as exc:
                return _rate_limited(request, "intake/new_link.html", {"form": form}, exc)
            return redirect("intake:new_link_sent")
        return render(request, "intake/new_link.html", {"form": form}, status=400)
    return render(request, "intake/new_link.html", {"form": NewLinkForm()})


def new_link_sent(request):
    return render(request, "intake/new_link_sent.html", {"valid_days": settings.DSAR_VERIFICATION_DAYS})


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old tab, blocked cookies)."""
    return render(request, "intake/csrf_failure.html", status=403)
