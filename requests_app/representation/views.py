"""The DPO's actions on a representative: record the mandate's check, open the mandate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from requests_app import workflow
from requests_app.permissions import get_request_for_user, staff_view
from requests_app.representation import services
from requests_app.representation.forms import MandateCheckForm


@require_POST
@staff_view(write=True)
def check_mandate(request, reference: str):
    subject_request = get_request_for_user(request.user, reference)
    form = MandateCheckForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("workspace:request", reference=subject_request.reference)
    accepted = form.cleaned_data["decision"] == "accepted"
    try:
        services.record_mandate_check(
            subject_request, actor=request.user, accepted=accepted, reason=form.cleaned_data.get("reason") or ""
        )
    except workflow.ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Mandate accepted.")
            if accepted
            else _("The representative is asked for a better mandate; the request stays open."),
        )
    return redirect("workspace:request", reference=subject_request.reference)


@require_GET
@staff_view
def download_mandate(request, reference: str):
    """The DPO, the request's agent or an auditor opens the mandate document; each opening is recorded."""
    subject_request = get_request_for_user(request.user, reference)
    try:
        representation, content = services.open_mandate(subject_request, actor=request.user)
    except workflow.ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:request", reference=subject_request.reference)
    # Always a download, never shown in the browser: a file from outside must not run as a page.
    response = HttpResponse(content, content_type=representation.mandate_content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=representation.mandate_name or "mandate"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
