"""The DPO's triage of the privacy mailbox, at /workspace/inbox/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dsar.core.crypto import decrypt_bytes
from requests_app import permissions, workflow
from requests_app.inbox import selectors, services
from requests_app.inbox.forms import AttachForm, ConvertForm, DismissForm
from requests_app.inbox.models import InboxItem, InboxState
from requests_app.permissions import get_request_for_user, staff_view
from requests_app.workspace.attachments import attachment_response


def _item_for_user(user, code: str) -> InboxItem:
    """Every staff role reads the inbox (an auditor checks the dismissals); the
    services decide who may triage."""
    if not permissions.can_enter_workspace(user):
        raise PermissionDenied
    return get_object_or_404(InboxItem, code=code)


@staff_view
def inbox(request):
    state = request.GET.get("state", InboxState.NEW)
    if state not in InboxState.values:
        state = InboxState.NEW
    return render(
        request,
        "workspace/inbox/list.html",
        {"items": selectors.recent_items(state=state)[:200], "state": state, "states": InboxState.choices},
    )


@staff_view
def item_detail(request, code: str):
    item = _item_for_user(request.user, code)
    match = selectors.matching_request(item)
    initial = {
        "request_type": item.guessed_type,
        "full_name": item.sender_name,
        "language": item.language or request.LANGUAGE_CODE[:2],
    }
    return render(
        request,
        "workspace/inbox/item.html",
        {
            "item": item,
            "match": match,
            "convert_form": ConvertForm(initial=initial),
            "attach_form": AttachForm(initial={"reference": match.reference if match else ""}),
            "dismiss_form": DismissForm(),
            "events": item.events.select_related("actor"),
        },
    )


def _act(request, item: InboxItem, action, success: str):
    try:
        result = action()
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("inbox:item", code=item.code)
    messages.success(request, success)
    reference = getattr(result, "reference", None) or (item.request.reference if item.request_id else None)
    if reference:
        return redirect("workspace:request", reference=reference)
    return redirect("inbox:list")


@require_POST
@staff_view(write=True)
def convert(request, code: str):
    item = _item_for_user(request.user, code)
    form = ConvertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the right, the name and the identity check."))
        return redirect("inbox:item", code=code)
    return _act(
        request,
        item,
        lambda: services.convert_to_request(item, actor=request.user, **form.cleaned_data),
        _("Request made from the e-mail; the subject was sent the acknowledgement."),
    )


@require_POST
@staff_view(write=True)
def attach(request, code: str):
    item = _item_for_user(request.user, code)
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reference of the request."))
        return redirect("inbox:item", code=code)
    try:
        target = get_request_for_user(request.user, form.cleaned_data["reference"].strip().upper())
    except Http404:
        messages.error(request, _("No request has this reference."))
        return redirect("inbox:item", code=code)

    def action():
        services.attach_to_request(item, actor=request.user, request=target)
        return target

    return _act(request, item, action, _("E-mail added to the request."))


@require_POST
@staff_view(write=True)
def dismiss(request, code: str):
    item = _item_for_user(request.user, code)
    form = DismissForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        item,
        lambda: services.dismiss(item, actor=request.user, reason=reason),
        _("E-mail dismissed as not a request."),
    )


@staff_view
def download_attachment(request, code: str, attachment_id: int):
    """The DPO and agents open a file of an e-mail still to triage; as with a
    request's files, it is always a download, never shown as a page."""
    item = _item_for_user(request.user, code)
    if not permissions.can_handle_requests(request.user):
        raise PermissionDenied
    attachment = get_object_or_404(item.attachments, pk=attachment_id)
    with attachment.file.open("rb") as handle:
        content = decrypt_bytes(handle.read())
    services.record_opening(item, actor=request.user, attachment=attachment)
    return attachment_response(attachment, content)
