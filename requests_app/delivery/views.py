"""Pages of the delivery: the DPO's previews and review, the subject's download page."""

from __future__ import annotations

import json
import math
import time
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dsar.exports import service
from dsar.exports.models import ExportFile
from dsar.exports.pdf_export import PdfUnavailable
from requests_app import permissions, workflow
from requests_app.delivery import panel, review, selectors, services
from requests_app.delivery import release as release_steps
from requests_app.intake.views import client_ip
from requests_app.permissions import get_request_for_user, staff_view

# The download stays open this long after a right code, in the subject's session.
DOWNLOAD_SESSION_SECONDS = 30 * 60


def _request_page(subject_request) -> str:
    try:
        return reverse("workspace:request", args=[subject_request.reference])
    except Exception:  # the workspace's request page is built in another area
        return reverse("exports:records", args=[subject_request.reference])


def _file_response(export: ExportFile, *, inline: bool) -> HttpResponse:
    try:
        content = service.iter_file(export)
    except service.ExportCorrupted:
        # Verified against its stored SHA-256 before the first byte (logged there).
        return HttpResponse(
            _("This file failed its integrity check and was not sent. Please tell the data protection officer."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(content, content_type=export.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A JSON shown in the browser must never run as a page.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ------------------------------------------------------------------------------
# Staff
# ------------------------------------------------------------------------------
def _check_may_read_copy(request, subject_request, action: str) -> None:
    try:
        services.check_may_read_copy(subject_request, actor=request.user, action=action)
    except workflow.ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc


@staff_view
@never_cache
def preview(request, reference: str, fmt: str):
    subject_request = get_request_for_user(request.user, reference)
    _check_may_read_copy(request, subject_request, "preview_export")
    export = next((f for f in selectors.export_files(subject_request) if f.format == fmt), None)
    if export is None:
        raise Http404(_("This file has not been generated."))
    services.record_preview(subject_request, actor=request.user, export=export)
    # The subject's file rendered again with the national numbers masked: staff
    # read it, the subject receives it in full.
    try:
        body = service.render_preview(selectors.preview_spec(subject_request, export), fmt)
    except PdfUnavailable as error:
        # This web server lacks WeasyPrint's libraries (the worker that made the file had them).
        messages.error(
            request,
            _("The PDF cannot be shown: this server cannot load %(library)s. Install: %(command)s")
            % {"library": error.missing, "command": error.apt_line},
        )
        return redirect(_request_page(subject_request))
    response = StreamingHttpResponse(iter([body]), content_type=export.content_type)
    response["Content-Length"] = str(len(body))
    disposition = "inline" if fmt in ("pdf", "json") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if fmt == "pdf":
        # The browser's own PDF viewer needs to run; still nothing from elsewhere.
        response["Content-Security-Policy"] = "default-src 'none'; object-src 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@staff_view
@never_cache
def preview_json(request, reference: str):
    """The JSON file as a readable, collapsible tree (``js/json_tree.js``);
    without JavaScript, the same JSON indented. National numbers masked, as in
    every staff preview; audited as a preview."""
    subject_request = get_request_for_user(request.user, reference)
    _check_may_read_copy(request, subject_request, "preview_export")
    export = next((f for f in selectors.export_files(subject_request) if f.format == "json"), None)
    if export is None:
        raise Http404(_("This file has not been generated."))
    services.record_preview(subject_request, actor=request.user, export=export)
    body = service.render_preview(selectors.preview_spec(subject_request, export), "json")
    context = {
        "subject_request": subject_request,
        "document": json.dumps(json.loads(body), indent=2, ensure_ascii=False),
        "export": export,
        "back": reverse("exports:records", args=[subject_request.reference]),
    }
    response = render(request, "workspace/exports_json.html", context)
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@never_cache
def records(request, reference: str):
    """Every record gathered, to review and leave out those about other people."""
    subject_request = get_request_for_user(request.user, reference)
    _check_may_read_copy(request, subject_request, "read_records")
    return _records_page(request, subject_request)


@never_cache
@require_POST
@staff_view(write=True)
def records_reveal(request, reference: str):
    """The records with their national numbers in full, in this response only,
    after the DPO's audited reveal (as on the request page)."""
    subject_request = get_request_for_user(request.user, reference)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why you need the full number."))
        return redirect("exports:records", reference=reference)
    try:
        workflow.reveal_national_number(subject_request, actor=request.user, reason=reason)
    except workflow.WorkflowError as exc:
        # ActionForbidden is a WorkflowError: the workflow has recorded the refusal.
        messages.error(request, str(exc))
        return redirect("exports:records", reference=reference)
    return _records_page(request, subject_request, revealed=True)


def _records_page(request, subject_request, *, revealed: bool = False):
    chosen = review.ReviewFilter.from_params(request.GET)
    found = review.review_page(
        subject_request, selectors.latest_job(subject_request), chosen, request.GET.get("page"), revealed=revealed
    )
    if found.record_count:
        # The subject's data on screen: recorded as the API records the same read.
        services.record_records_read(subject_request, actor=request.user, count=found.record_count)
    context = {
        "subject_request": subject_request,
        "review": found,
        "page": found.page,
        "chosen": chosen,
        "filter_query": urlencode(chosen.params()),
        "can_exclude": subject_request.status == "in_review" and permissions.can_work_on(request.user, subject_request),
        "back": _request_page(subject_request),
        "panel": panel.review_context(subject_request, request.user),
        "revealed": revealed,
        "can_reveal": "reveal_national_number" in workflow.allowed_actions(subject_request, request.user),
        "json_preview": any(f.format == "json" for f in selectors.export_files(subject_request)),
    }
    response = render(request, "workspace/exports_records.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _field_choices(values: list[str]) -> list[tuple[int, str]]:
    """ "<record id>:<column>" pairs from the review's checkboxes (anything else is ignored)."""
    pairs = []
    for value in values:
        record_id, _sep, column = value.partition(":")
        if record_id.isdigit() and column:
            pairs.append((int(record_id), column))
    return pairs


def _back_to_review(request, reference: str):
    """Back to the page of the review the DPO was on (its filter and page kept);
    only ever to this desk (no open redirect through ``next``)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect(reverse("exports:records", args=[reference]))


@staff_view(write=True)
@require_POST
def exclude(request, reference: str):
    """The review's one form: leave out or put back records, withhold or give back single fields."""
    subject_request = get_request_for_user(request.user, reference)
    action = request.POST.get("action", "exclude")
    note = request.POST.get("note", "")
    try:
        if action in ("withhold", "give_back"):
            fields = _field_choices(request.POST.getlist("field"))
            if not fields:
                messages.error(request, _("Select the fields first."))
                return _back_to_review(request, reference)
            withheld = action == "withhold"
            count = services.set_withheld(
                subject_request, actor=request.user, fields=fields, withheld=withheld, note=note
            )
            if withheld:
                done = ngettext(
                    "%(count)d field withheld; the files are being regenerated.",
                    "%(count)d fields withheld; the files are being regenerated.",
                    count,
                )
            else:
                done = ngettext(
                    "%(count)d field given back; the files are being regenerated.",
                    "%(count)d fields given back; the files are being regenerated.",
                    count,
                )
        else:
            ids = [int(v) for v in request.POST.getlist("record") if v.isdigit()]
            if not ids:
                messages.error(request, _("Select the records first."))
                return _back_to_review(request, reference)
            excluded = action != "include"
            count = services.set_excluded(
                subject_request, actor=request.user, record_ids=ids, excluded=excluded, note=note
            )
            if excluded:
                done = ngettext(
                    "%(count)d record left out; the files are being regenerated.",
                    "%(count)d records left out; the files are being regenerated.",
                    count,
                )
            else:
                done = ngettext(
                    "%(count)d record put back; the files are being regenerated.",
                    "%(count)d records put back; the files are being regenerated.",
                    count,
                )
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"count": count})
    return _back_to_review(request, reference)


@staff_view(write=True)
@require_POST
def regenerate(request, reference: str):
    subject_request = get_request_for_user(request.user, reference)
    if not permissions.can_work_on(request.user, subject_request):
        messages.error(request, _("Your role does not allow this action."))
    else:
        # A large PDF takes a while: the worker makes it, not this request.
        services.enqueue_generation(subject_request)
        messages.success(request, _("The files are being generated again; reload in a moment."))
    return redirect(_request_page(subject_request))


@staff_view
@never_cache
@require_http_methods(["GET", "POST"])
def release(request, reference: str):
    """Release to the subject. A copy (Art. 15, 20) goes through a confirmation
    page that summarises what goes out; with four eyes on, the first DPO asks
    and a second approves (``delivery.release``). The other rights' answers
    are released from their plan panel in one step, as before."""
    subject_request = get_request_for_user(request.user, reference)
    if request.method == "POST":
        permissions.refuse_read_only(request.user)
    if not release_steps.is_copy_release(subject_request):
        if request.method != "POST":
            return redirect(_request_page(subject_request))
        return _release_now(request, subject_request)
    if request.method == "POST" and not permissions.can_take("fulfil", subject_request, request.user):
        # Refused by the workflow, which records who tried.
        return _release_now(request, subject_request)
    if request.method == "POST":
        step = request.POST.get("step", "release")
        if step == "withdraw":
            return _release_step(
                request,
                subject_request,
                lambda: release_steps.withdraw_request(subject_request, actor=request.user),
                _("The request to release was withdrawn."),
            )
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm you checked what goes out."))
            return _release_page(request, subject_request, status=400)
        if step == "approve":
            return _release_now(request, subject_request, approve=True)
        if release_steps.needs_second_approval():
            return _release_step(
                request,
                subject_request,
                lambda: release_steps.request_release(
                    subject_request, actor=request.user, incomplete_reason=request.POST.get("incomplete_reason", "")
                ),
                _("Asked: another DPO approves the release on this request's page; then the copy goes out."),
            )
        return _release_now(request, subject_request)
    return _release_page(request, subject_request)


def _release_page(request, subject_request, *, status: int = 200):
    summary = release_steps.summary(subject_request)
    pending = summary.pending
    context = {
        "subject_request": subject_request,
        "summary": summary,
        "can_release": "fulfil" in workflow.allowed_actions(subject_request, request.user),
        "can_read": permissions.can_read_copy(request.user, subject_request),
        "asked_by_me": pending is not None and pending.actor_id == request.user.pk,
        "back": _request_page(subject_request),
        "incomplete_reason": request.POST.get("incomplete_reason", ""),
    }
    response = render(request, "workspace/release_confirm.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _release_step(request, subject_request, perform, done: str):
    try:
        perform()
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("exports:release", reference=subject_request.reference)
    messages.success(request, done)
    return redirect(_request_page(subject_request))


def _release_now(request, subject_request, *, approve: bool = False):
    try:
        if approve:
            release_steps.approve_release(subject_request, actor=request.user)
        else:
            services.release(
                subject_request, actor=request.user, incomplete_reason=request.POST.get("incomplete_reason", "")
            )
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        if release_steps.is_copy_release(subject_request):
            return redirect("exports:release", reference=subject_request.reference)
    else:
        _released_messages(request, subject_request)
    return redirect(_request_page(subject_request))


def _released_messages(request, subject_request) -> None:
    if subject_request.request_type not in selectors.DELIVERED_TYPES:
        if subject_request.email:
            messages.success(request, _("Done: the subject has been e-mailed what was done."))
        else:
            messages.warning(
                request, _("Done, but the subject has no e-mail address: tell them what was done by post.")
            )
    elif subject_request.email:
        messages.success(request, _("Released: the subject has been e-mailed a download link."))
    else:
        messages.warning(
            request,
            _(
                "Released, but the subject has no e-mail address: no download link was made or e-mailed. "
                "Send the copy by post or hand it over, if you have not done so already."
            ),
        )
    transmission = selectors.transmission_of(subject_request)
    if transmission is not None and transmission.sends and selectors.transmission_target(subject_request):
        messages.success(
            request,
            _("%(organisation)s has been e-mailed a download link of its own.")
            % {"organisation": transmission.organisation},
        )


@staff_view(write=True)
@require_POST
def transmission(request, reference: str):
    """The DPO's decision on sending the copy to the organisation the subject named."""
    subject_request = get_request_for_user(request.user, reference)
    try:
        decided = services.decide_transmission(
            subject_request,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            email=request.POST.get("email", ""),
            reason=request.POST.get("reason", ""),
        )
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if decided.sends:
            messages.success(
                request,
                _("Recorded: on release, %(organisation)s is e-mailed a download link at %(email)s.")
                % {"organisation": decided.organisation, "email": decided.email},
            )
        else:
            messages.success(
                request, _("Recorded: not technically feasible. The subject's e-mail will give your reason.")
            )
    return redirect(_request_page(subject_request) + "#exports")


# ------------------------------------------------------------------------------
# The subject
# ------------------------------------------------------------------------------
def _session_key(link) -> str:
    return f"dsar_download_{link.pk}"


def _unlocked(request, link) -> bool:
    return request.session.get(_session_key(link), 0) > time.time()


def in_subject_language(view):
    """The subject reads the page in the language of their request, whatever their browser says."""

    @wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        from requests_app.intake.views import request_language

        link = selectors.find_link(token)
        language = request_language(request, link.request) if link else translation.get_language()
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, token, *args, **kwargs)
            response.setdefault("Content-Language", language)
            return response

    return wrapper


def _link_or_page(request, token: str):
    link = selectors.find_link(token)
    if link is None:
        return None, render(request, "delivery/link_invalid.html", status=404)
    if link.revoked_at is not None:
        return None, render(request, "delivery/link_invalid.html", {"replaced": True}, status=410)
    if link.is_expired:
        return None, render(request, "delivery/link_expired.html", {"link": link}, status=410)
    return link, None


def _wait_message(sending) -> str:
    """When the subject may ask again, and that the code already sent still works."""
    if sending.retry_after <= 90:
        seconds = sending.retry_after
        wait = ngettext(
            "You can ask for a new code in %(seconds)s second.",
            "You can ask for a new code in %(seconds)s seconds.",
            seconds,
        ) % {"seconds": seconds}
    else:
        minutes = math.ceil(sending.retry_after / 60)
        wait = ngettext(
            "Many codes were asked from here. You can ask for a new code in %(minutes)s minute.",
            "Many codes were asked from here. You can ask for a new code in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    if sending.valid_until is None:
        return wait
    until = formats.time_format(timezone.localtime(sending.valid_until), "TIME_FORMAT")
    return wait + " " + _("The code we sent you last still works until %(time)s.") % {"time": until}


@never_cache
@in_subject_language
def download_page(request, token: str):
    link, page = _link_or_page(request, token)
    if page:
        return page
    subject_request = link.request
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "send_code":
            sending = services.send_code(link, client_ip=client_ip(request))
            if sending.sent:
                messages.success(request, _("We sent a code to your e-mail address. It is valid for 15 minutes."))
            elif sending.outcome == services.CodeSending.TOO_SOON:
                messages.error(request, _wait_message(sending))
            else:
                messages.error(
                    request, _("Too many codes were asked for this link. Contact our data protection officer.")
                )
        elif action == "verify":
            result = services.check_code(link, request.POST.get("code", ""))
            if result == services.CodeResult.OK:
                request.session.cycle_key()
                request.session[_session_key(link)] = time.time() + DOWNLOAD_SESSION_SECONDS
            elif result == services.CodeResult.WRONG:
                messages.error(request, _("This code is not right. Check the last e-mail we sent and try again."))
            elif result == services.CodeResult.TOO_MANY:
                messages.error(request, _("Too many wrong codes. Ask for a new code."))
            else:
                messages.error(request, _("This code has expired or was already used. Ask for a new code."))
        return redirect(request.path)
    context = {
        "link": link,
        "subject_request": subject_request,
        "for_organisation": link.for_organisation,
        "unlocked": _unlocked(request, link),
        "files": selectors.link_files(link),
        "token": token,
        "lang_switch_links": True,
    }
    return render(request, "delivery/download.html", context)


@never_cache
@in_subject_language
def download_file(request, token: str, fmt: str):
    link, page = _link_or_page(request, token)
    if page:
        return page
    if not _unlocked(request, link):
        return redirect("download:page", token=token)
    export = next((f for f in selectors.link_files(link) if f.format == fmt), None)
    if export is None:
        raise Http404
    services.record_download(link, export)
    return _file_response(export, inline=False)
