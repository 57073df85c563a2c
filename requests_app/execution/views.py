"""Workspace views of the execution plan (the panel's forms post here), and
the public acknowledgement page for recipients (Art. 19)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dsar.core.crypto import token_digest
from dsar.execution.models import PlanItem, RecipientNotice
from dsar.models import ManualTask
from requests_app.execution import services
from requests_app.execution.models import RestrictionLift
from requests_app.execution.selectors import plan_for
from requests_app.permissions import get_request_for_user, staff_view
from requests_app.workspace.panels import panels_for


def _back(reference: str):
    try:
        return redirect(reverse("workspace:request", args=[reference]) + "#panel-plan")
    except NoReverseMatch:
        return redirect("execution:plan", reference=reference)


def _plan_or_404(subject_request):
    plan = plan_for(subject_request)
    if plan is None:
        raise Http404
    return plan


def _plan_action(request, reference: str, action, success: str, **kwargs):
    """Run one plan action for a signed-in staff member and report its outcome."""
    subject_request = get_request_for_user(request.user, reference)
    plan = _plan_or_404(subject_request)
    try:
        action(subject_request, plan, user=request.user, **kwargs)
    except services.ExecutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _back(reference)


@staff_view
def plan_page(request, reference: str):
    """The plan on a page of its own (the request page shows the same panel)."""
    subject_request = get_request_for_user(request.user, reference)
    panels = [(p, ctx) for p, ctx in panels_for(subject_request, request.user) if p.key == "plan"]
    if not panels:
        raise Http404
    panel, context = panels[0]
    return render(
        request,
        "workspace/plan_page.html",
        {"request_obj": subject_request, "subject_request": subject_request, **context},
    )


@require_POST
@staff_view(write=True)
def change_item(request, reference: str, item_id: int):
    subject_request = get_request_for_user(request.user, reference)
    plan = _plan_or_404(subject_request)
    item = get_object_or_404(PlanItem, pk=item_id, plan=plan)
    try:
        services.change_item(
            subject_request,
            item,
            user=request.user,
            change=request.POST.get("change", ""),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            fields=request.POST.getlist("fields"),
        )
    except services.ExecutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan was changed."))
    return _back(reference)


@require_POST
@staff_view(write=True)
def approve(request, reference: str):
    return _plan_action(
        request,
        reference,
        services.approve_plan,
        _("The plan is approved; the sources are being changed."),
        erasure_ground=request.POST.get("erasure_ground", ""),
    )


@require_POST
@staff_view(write=True)
def map_correction(request, reference: str, index: int):
    """One field (``field``), or several with their values (``value:<field>``; empty ones are not used)."""
    fields = {
        key.removeprefix("value:"): value.strip()
        for key, value in request.POST.items()
        if key.startswith("value:") and value.strip()
    }
    return _plan_action(
        request,
        reference,
        services.map_correction,
        _("The plan is being computed again."),
        index=index,
        field=request.POST.get("field", ""),
        fields=fields or None,
    )


@require_POST
@staff_view(write=True)
def choose_categories(request, reference: str):
    return _plan_action(
        request,
        reference,
        services.choose_categories,
        _("The plan is being computed again for the chosen data categories."),
        categories=request.POST.getlist("categories"),
    )


@require_POST
@staff_view(write=True)
def tell_recipients(request, reference: str):
    return _plan_action(
        request, reference, services.tell_subject_recipients, _("The subject was sent the list of recipients.")
    )


@require_POST
@staff_view(write=True)
def lift_restriction(request, reference: str):
    return _plan_action(
        request,
        reference,
        services.lift_restriction,
        _("The subject was told; the restriction is lifted once that e-mail was sent and the lead time has passed."),
        reason=request.POST.get("reason", ""),
    )


@require_POST
@staff_view(write=True)
def recompute(request, reference: str):
    return _plan_action(request, reference, services.recompute_plan, _("The plan is being computed again."))


@require_POST
@staff_view(write=True)
def resume(request, reference: str):
    return _plan_action(request, reference, services.resume_plan, _("The failed sources are being retried."))


@require_POST
@staff_view(write=True)
def complete_task(request, reference: str, task_id: int):
    subject_request = get_request_for_user(request.user, reference)
    plan = _plan_or_404(subject_request)
    task = get_object_or_404(ManualTask, pk=task_id, run__job=plan.job)
    try:
        services.complete_task(subject_request, task, user=request.user, findings=request.POST.get("findings", ""))
    except services.ExecutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The manual task is done."))
    return _back(reference)


@require_POST
@staff_view(write=True)
def remind(request, reference: str, notice_id: int):
    subject_request = get_request_for_user(request.user, reference)
    plan = _plan_or_404(subject_request)
    notice = get_object_or_404(RecipientNotice, pk=notice_id, plan=plan)
    try:
        services.remind_recipient(notice, subject_request, user=request.user)
    except services.ExecutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The notice was sent again."))
    return _back(reference)


@require_POST
@staff_view(write=True)
def settle_notice(request, reference: str, notice_id: int):
    """Art. 19: a recipient told by other means, or not told, with the reason."""
    subject_request = get_request_for_user(request.user, reference)
    plan = _plan_or_404(subject_request)
    notice = get_object_or_404(RecipientNotice, pk=notice_id, plan=plan)
    try:
        services.settle_recipient(
            notice,
            subject_request,
            user=request.user,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except services.ExecutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded for this recipient."))
    return _back(reference)


@require_POST
@staff_view(write=True)
def cancel_lift(request, reference: str, lift_id: int):
    """Art. 18(3): the DPO stops a scheduled lifting; the restriction stays."""
    subject_request = get_request_for_user(request.user, reference)
    lift = get_object_or_404(RestrictionLift, pk=lift_id, request=subject_request)
    try:
        services.cancel_lift(subject_request, lift, user=request.user)
    except services.ExecutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The lifting is cancelled: the restriction stays."))
    return _back(reference)


def acknowledge(request, token: str):
    """A recipient confirms they acted on the notice. GET shows a button, so
    that mail scanners following links do not acknowledge in their place."""
    notice = RecipientNotice.objects.select_related("recipient").filter(token_hash=token_digest(token)).first()
    if notice is None:
        raise Http404
    if request.method == "POST":
        notice = services.acknowledge(token)
    return render(request, "execution/acknowledge.html", {"notice": notice})
