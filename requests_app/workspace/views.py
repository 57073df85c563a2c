"""The DPO workspace: the queue, the request page and its actions, logging a
request received outside the web form, and the dashboard.

Every view is a ``staff_view``; every request is fetched with
``get_request_for_user``; every change goes through ``requests_app.workflow``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from requests_app import deadlines, permissions, workflow
from requests_app.audit import labels as event_labels
from requests_app.delivery import release as release_steps
from requests_app.execution.selectors import absolute_ground
from requests_app.intake.details import describe_type_details
from requests_app.models import OPEN_STATUSES, TRACKED_STATUSES, Channel, IdentityCheck, RequestType, Status
from requests_app.permissions import get_request_for_user, staff_view
from requests_app.progress.selectors import request_progress
from requests_app.representation.forms import RepresentativeForm
from requests_app.representation.services import attach_representative
from requests_app.workspace import attachments
from requests_app.workspace import queue as queue_tools
from requests_app.workspace.panels import panels_for

from . import forms, selectors
from .drafts import DRAFTS, render_draft
from .queue_rows import DUE_SOON_DAYS, QueueRows, deadline_info
from .reminders import is_stale_unassigned

PAGE_SIZES = (25, 50, 100, 200)


# ------------------------------------------------------------------------------
# The queue
# ------------------------------------------------------------------------------
@require_GET
@staff_view
def queue(request):
    filters = selectors.QueueFilters.from_query(request.GET)
    try:
        per_page = int(request.GET.get("per_page", 50))
    except ValueError:
        per_page = 50
    per_page = per_page if per_page in PAGE_SIZES else 50
    by_assignee = filters.sort.removeprefix("-") == "assignee"
    # One GROUP BY gives the counts of the status tabs and of the channel links
    # (and, sorted by assignee, how many requests of the list each has).
    cells = selectors.tracked_counts(filters, request.user, by_assignee=by_assignee)
    counts = selectors.status_counts(filters, cells)
    paginator = queue_tools.QueuePaginator(
        selectors.queue(filters, request.user),
        per_page,
        ids_first=by_assignee,
        assignees=selectors.assignee_counts(filters, cells)
        if by_assignee and selectors.tab_statuses(filters)
        else None,
        descending=filters.sort.startswith("-"),
    )
    # The counts per status hold the total of the open tabs: no second COUNT(*).
    paginator.count, count_capped = queue_tools.list_count(filters, request.user, counts)
    if filters.status in Status.values and filters.status not in (*OPEN_STATUSES, *TRACKED_STATUSES):
        counts[filters.status] = paginator.count
    page = paginator.get_page(request.GET.get("page"))
    can_bulk = not permissions.is_read_only(request.user)
    # The rows are written in Python (queue_rows): through the template engine
    # they were most of the page's time at 200 rows.
    rows, rows_html = QueueRows(can_bulk=can_bulk).page(list(page.object_list))
    # The assignee menu of the filters and of the bulk form.
    staff = list(selectors.staff_members().only("pk", "username", "first_name", "last_name"))
    status_tabs = [(selectors.STATUS_OPEN, _("Open"), sum(counts.get(s, 0) for s in OPEN_STATUSES))]
    status_tabs += [(value, label, counts.get(value)) for value, label in Status.choices]
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "rows_html": rows_html,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        **queue_tools.count_context(paginator.count, capped=count_capped),
        "status_tabs": status_tabs,
        "types": RequestType.choices,
        "channels": Channel.choices,
        "statuses": Status.choices,
        "staff": staff,
        "query": filters.as_query(),
        "due_soon_days": DUE_SOON_DAYS,
        "can_log": permissions.can_handle_requests(request.user),
        # Sortable columns, counts, saved views, the bulk form (workspace/queue.py).
        **queue_tools.context(request, filters, cells, staff),
    }
    return render(request, "workspace/queue.html", context)


# ------------------------------------------------------------------------------
# The request page
# ------------------------------------------------------------------------------
def _render_panels(request, subject_request) -> list[dict]:
    rendered = []
    for panel, panel_context in panels_for(subject_request, request.user):
        html = render_to_string(
            panel.template,
            {**panel_context, "subject_request": subject_request, "user": request.user},
            request=request,
        )
        rendered.append({"key": panel.key, "html": html})
    return rendered


def _request_page(request, subject_request, *, revealed: str = "", status: int = 200, **overrides):
    allowed = set(workflow.allowed_actions(subject_request, request.user))
    draft_key = request.GET.get("draft", "")
    draft_subject, draft_body = render_draft(draft_key, subject_request)
    # Labels and facts from the one registry of event kinds (API and webhooks read it too).
    events = event_labels.annotate(subject_request.events.order_by("-seq"))
    pauses = list(subject_request.pauses.all())
    hold = workflow.active_hold(subject_request)
    created = next((e for e in events if e.kind == "request.created"), None)
    identity_check = (created.details or {}).get("identity_check", "") if created else ""
    context = {
        "subject_request": subject_request,
        "allowed": allowed,
        "is_dpo": permissions.can_assign_others(request.user),  # the "Assign" form: agents only take
        "legal": deadline_info(deadlines.days_left(subject_request.due_date), is_open=subject_request.is_open),
        "internal": deadline_info(
            deadlines.days_left(subject_request.internal_target_date), is_open=subject_request.is_open
        ),
        "paused_days": deadlines.paused_days(pauses),
        "pauses": pauses,
        "stale": is_stale_unassigned(subject_request),
        "events": event_labels.group_reads(events),
        "extensions": [e for e in events if e.kind == "request.extended"],
        "notes": list(subject_request.notes.select_related("author")),
        "messages_with_subject": list(
            subject_request.messages.select_related("author").prefetch_related("attachments")
        ),
        "panels": _render_panels(request, subject_request),
        "progress": request_progress(subject_request),
        "release_action": release_steps.action_for(subject_request, request.user),
        "type_details": describe_type_details(subject_request.type_details),
        "revealed_national_number": revealed,
        # How staff checked who the subject is, for a request they logged.
        "identity_check": dict(IdentityCheck.choices).get(identity_check, ""),
        "identity_check_note": bool(created and (created.details or {}).get("note")),
        "drafts": DRAFTS.items(),
        "draft_key": draft_key,
        "assign_form": forms.AssignForm(initial={"assignee": subject_request.assignee_id}, auto_id="assign_%s"),
        "type_form": forms.ChangeTypeForm(
            initial={"request_type": subject_request.request_type},
            auto_id="change_type_%s",
            subject_request=subject_request,
        ),
        "info_form": forms.RequestInfoForm(
            initial={"subject_line": draft_subject, "body": draft_body}, auto_id="request_info_%s"
        ),
        "reject_form": forms.RejectForm(auto_id="reject_%s"),
        "identity_form": forms.IdentityCheckForm(auto_id="record_identity_check_%s"),
        "fee_form": forms.FeeForm(auto_id="announce_fee_%s"),
        "extend_form": forms.ExtendForm(auto_id="extend_%s"),
        "note_form": forms.NoteForm(auto_id="add_note_%s"),
        "close_form": forms.CloseForm(auto_id="close_%s"),
        "forward_form": forms.ForwardForm(auto_id="forward_%s"),
        "forwardings": list(subject_request.forwardings.order_by("-sent_at")),
        "can_work": permissions.can_work_on(request.user, subject_request),
        "can_read_attachments": permissions.can_read_attachments(request.user, subject_request),
        "today": deadlines.today(),
        "delete_id_documents": settings.DSAR_DELETE_ID_DOCUMENTS_AFTER_CHECK,
        "absolute_ground": absolute_ground(subject_request),
        "reveal_form": forms.RevealForm(auto_id="reveal_%s"),
        "can_extend_now": subject_request.extended_at is None
        and deadlines.today() <= subject_request.original_due_date,
        "hold": hold,
        "place_hold_form": forms.PlaceHoldForm(auto_id="place_hold_%s"),
        "lift_hold_form": forms.LiftHoldForm(auto_id="lift_hold_%s"),
    }
    context.update(overrides)
    response = render(request, "workspace/request.html", context, status=status)
    # Personal data: never kept by a shared cache or the browser's history cache.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_view
def request_detail(request, reference: str):
    subject_request = get_request_for_user(request.user, reference)
    return _request_page(request, subject_request)


def _assign(request, subject_request, form):
    workflow.assign(subject_request, actor=request.user, assignee=form.cleaned_data["assignee"])
    return _("Assignment saved.")


def _claim(request, subject_request, form):
    workflow.assign(subject_request, actor=request.user, assignee=request.user)
    return _("The request is yours.")


def _change_type(request, subject_request, form):
    workflow.change_type(
        subject_request,
        actor=request.user,
        request_type=form.cleaned_data["request_type"],
        type_details=form.cleaned_data["type_details"],
        reason=form.cleaned_data["reason"],
    )
    return _("Type changed.")


def _request_info(request, subject_request, form):
    workflow.request_info(
        subject_request,
        actor=request.user,
        subject_line=form.cleaned_data["subject_line"],
        body=form.cleaned_data["body"],
    )
    return _("Message e-mailed to the subject; the request now waits for their answer.")


def _approve(request, subject_request, form):
    workflow.approve(subject_request, actor=request.user)
    return _("Request approved.")


def _reject(request, subject_request, form):
    workflow.reject(
        subject_request, actor=request.user, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"]
    )
    return _("Request rejected; the subject is told why and of their rights to complain and go to court.")


def _record_identity_check(request, subject_request, form):
    data = form.cleaned_data
    workflow.record_identity_check(subject_request, actor=request.user, method=data["method"], note=data["note"])
    return _("Identity check recorded.")


def _announce_fee(request, subject_request, form):
    data = form.cleaned_data
    workflow.announce_fee(
        subject_request, actor=request.user, amount=str(data["amount"]), reasons=data["reasons"], reason=data["reason"]
    )
    return _("The subject is told of the fee and may maintain, narrow or withdraw the request.")


def _extend(request, subject_request, form):
    workflow.extend(
        subject_request, actor=request.user, months=form.cleaned_data["months"], reason=form.cleaned_data["reason"]
    )
    return _("Deadline extended; the subject is told why.")


def _add_note(request, subject_request, form):
    workflow.add_note(subject_request, actor=request.user, body=form.cleaned_data["body"])
    return _("Note added.")


def _close(request, subject_request, form):
    workflow.close(subject_request, actor=request.user, reason=form.cleaned_data["reason"])
    return _("Request closed.")


def _forward(request, subject_request, form):
    from requests_app.forwarding.services import forward_request

    forward_request(
        subject_request,
        actor=request.user,
        controller_name=form.cleaned_data["controller_name"],
        controller_email=form.cleaned_data["controller_email"],
        note=form.cleaned_data["note"],
    )
    return _("Request forwarded; the controller is asked to acknowledge it and the subject is told who will answer.")


def _remind_forwarding(request, subject_request, form):
    from requests_app.forwarding import services as forwarding_services

    pending = subject_request.forwardings.filter(acknowledged_at__isnull=True).order_by("-sent_at").first()
    if pending is None:
        raise workflow.WorkflowError(_("No forwarding waits for an acknowledgement."))
    forwarding_services.remind(pending, actor=request.user)
    return _("Reminder e-mailed to the controller.")


def _acknowledge_forwarding(request, subject_request, form):
    from requests_app.forwarding import services as forwarding_services

    pending = subject_request.forwardings.filter(acknowledged_at__isnull=True).order_by("-sent_at").first()
    if pending is None:
        raise workflow.WorkflowError(_("No forwarding waits for an acknowledgement."))
    forwarding_services.acknowledge(pending, actor=request.user)
    return _("Acknowledgement recorded; the request is closed.")


# action name in the URL -> (workflow action for allowed_actions, form class, handler)
ACTIONS = {
    "assign": ("assign", forms.AssignForm, _assign),
    "claim": ("assign", None, _claim),
    "change_type": ("change_type", forms.ChangeTypeForm, _change_type),
    "request_info": ("request_info", forms.RequestInfoForm, _request_info),
    "approve": ("approve", None, _approve),
    "reject": ("reject", forms.RejectForm, _reject),
    "extend": ("extend", forms.ExtendForm, _extend),
    "add_note": ("add_note", forms.NoteForm, _add_note),
    "close": ("close", forms.CloseForm, _close),
    "forward": ("forward", forms.ForwardForm, _forward),
    "remind_forwarding": ("add_note", None, _remind_forwarding),
    "acknowledge_forwarding": ("forwarding_acknowledged", None, _acknowledge_forwarding),
    "record_identity_check": ("record_identity_check", forms.IdentityCheckForm, _record_identity_check),
    "announce_fee": ("announce_fee", forms.FeeForm, _announce_fee),
}


@require_POST
@staff_view(write=True)
def request_action(request, reference: str, action: str):
    if action not in ACTIONS:
        raise Http404
    subject_request = get_request_for_user(request.user, reference)
    _name, form_class, handler = ACTIONS[action]
    # Each form of the page has its own ids (several have a "reason").
    form = None
    if form_class is forms.ChangeTypeForm:
        form = form_class(request.POST, auto_id=f"{action}_%s", subject_request=subject_request)
    elif form_class:
        form = form_class(request.POST, auto_id=f"{action}_%s")
    if form is not None and not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        # Re-show the page with what was typed, so nothing is lost.
        return _request_page(request, subject_request, status=400, **{_FORM_CONTEXT[action]: form})
    try:
        done = handler(request, subject_request, form)
    except workflow.WorkflowError as exc:
        # ActionForbidden is a WorkflowError: the workflow has recorded the refusal.
        messages.error(request, str(exc))
        if form is not None:
            return _request_page(request, subject_request, status=400, **{_FORM_CONTEXT[action]: form})
    else:
        messages.success(request, done)
    return redirect("workspace:request", reference=subject_request.reference)


_FORM_CONTEXT = {
    "assign": "assign_form",
    "change_type": "type_form",
    "request_info": "info_form",
    "reject": "reject_form",
    "extend": "extend_form",
    "add_note": "note_form",
    "close": "close_form",
    "forward": "forward_form",
    "record_identity_check": "identity_form",
    "announce_fee": "fee_form",
}


# ------------------------------------------------------------------------------
# Retention holds
# ------------------------------------------------------------------------------
def _hold_action(request, reference: str, *, form_class, name: str, act) -> HttpResponse:
    subject_request = get_request_for_user(request.user, reference)
    context_name = f"{name}_form"
    form = form_class(request.POST, auto_id=f"{name}_%s")
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return _request_page(request, subject_request, status=400, **{context_name: form})
    try:
        done = act(subject_request, form.cleaned_data)
    except workflow.ActionForbidden as exc:
        # The workflow has recorded the refusal.
        messages.error(request, str(exc))
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return _request_page(request, subject_request, status=400, **{context_name: form})
    else:
        messages.success(request, done)
    return redirect("workspace:request", reference=subject_request.reference)


# Not write=True, unlike the other actions: an auditor's attempt reaches the
# workflow, which refuses it and records the refusal, as it does an agent's.
@require_POST
@staff_view
def place_retention_hold(request, reference: str):
    def act(subject_request, data):
        workflow.place_retention_hold(
            subject_request, actor=request.user, reason=data["reason"], explanation=data["explanation"]
        )
        return _("Retention hold placed: neither the purge nor the deletion of the records touches this request.")

    return _hold_action(request, reference, form_class=forms.PlaceHoldForm, name="place_hold", act=act)


@require_POST
@staff_view
def lift_retention_hold(request, reference: str):
    def act(subject_request, data):
        workflow.lift_retention_hold(subject_request, actor=request.user, explanation=data["explanation"])
        return _("Retention hold lifted: the retention periods apply again, counted from the end of the request.")

    return _hold_action(request, reference, form_class=forms.LiftHoldForm, name="lift_hold", act=act)


@never_cache
@require_POST
@staff_view(write=True)
def reveal_national_number(request, reference: str):
    """Show the full national number once, in this response only, and record it."""
    subject_request = get_request_for_user(request.user, reference)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need the full number."))
        return redirect("workspace:request", reference=reference)
    try:
        number = workflow.reveal_national_number(
            subject_request, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:request", reference=reference)
    return _request_page(request, subject_request, revealed=number or _("(none given)"))


@require_GET
@staff_view
@never_cache
def download_attachment(request, reference: str, attachment_id: int):
    """The DPO or the request's agent opens a file the subject sent (e.g. to check an identity document)."""
    subject_request = get_request_for_user(request.user, reference)
    attachment = get_object_or_404(attachments.attachments_of(subject_request), pk=attachment_id)
    try:
        content = attachments.open_attachment(subject_request, actor=request.user, attachment=attachment)
    except workflow.ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    return attachments.attachment_response(attachment, content)


@require_POST
@staff_view(write=True)
def delete_attachment(request, reference: str, attachment_id: int):
    """A DPO deletes one file the subject sent (an identity document once checked)."""
    subject_request = get_request_for_user(request.user, reference)
    try:
        workflow.delete_attachment(subject_request, actor=request.user, attachment_id=attachment_id)
    except workflow.ActionForbidden as exc:
        # The workflow has recorded the refusal.
        raise PermissionDenied(str(exc)) from exc
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Attachment deleted; the timeline records it, without its name or content."))
    return redirect("workspace:request", reference=subject_request.reference)


# ------------------------------------------------------------------------------
# Logging a request received by e-mail, letter, phone or in person
# ------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_view(write=True)
def log_request(request):
    form = forms.LogRequestForm(request.POST or None)
    # A lawyer's letter, a parent's call: the representative and the mandate (issue 18).
    representative = RepresentativeForm(request.POST or None, request.FILES or None, email_required=False)
    form.represented = representative.on_behalf_requested
    valid = form.is_valid()
    if request.method == "POST" and representative.is_valid() and valid:
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the first e-mails already go where the mandate says
                subject_request = workflow.create_request(
                    actor=request.user,
                    request_type=data["request_type"],
                    full_name=data["full_name"],
                    email=data["email"],
                    language=data["language"],
                    channel=data["channel"],
                    received_at=form.received_at(),
                    **form.request_fields(),
                )
                if representative.cleaned_data["representation"] is not None:
                    attach_representative(
                        subject_request, data=representative.cleaned_data["representation"], actor=request.user
                    )
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Request %(ref)s logged; its legal deadline is %(due)s.")
                % {
                    "ref": subject_request.reference,
                    "due": formats.date_format(subject_request.due_date, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("workspace:request", reference=subject_request.reference)
    context = {"form": form, "representative": representative}
    return render(
        request, "workspace/log_request.html", context, status=400 if form.errors or representative.errors else 200
    )
