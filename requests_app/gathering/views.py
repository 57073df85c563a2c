"""Workspace actions on gathering: retry a source, complete a manual task,
download a task's file, test a connector's connection."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dsar import gathering
from dsar.connectors.base import ConnectorError, as_stored, translate
from dsar.core.crypto import decrypt_bytes
from dsar.models import Connector, ManualTask, ManualTaskFile, SourceRun
from requests_app import permissions, workflow
from requests_app.delivery import services as delivery_services
from requests_app.execution.selectors import is_plan_task
from requests_app.gathering import services
from requests_app.gathering.forms import MAX_FILE_BYTES, MAX_FILES, CompleteTaskForm
from requests_app.gathering.selectors import workspace_url
from requests_app.permissions import get_request_for_user, staff_view


def _back(http_request, reference: str):
    url = workspace_url(reference)
    if url != "/workspace/":
        return redirect(url)
    referer = http_request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={http_request.get_host()}):
        return redirect(referer)
    return redirect("/workspace/")


def _run_of(subject_request, run_id: int) -> SourceRun:
    return get_object_or_404(
        SourceRun.objects.select_related("connector", "job"), pk=run_id, job__external_ref=subject_request.reference
    )


@require_POST
@staff_view(write=True)
def retry_source(request, reference: str, run_id: int):
    subject_request = get_request_for_user(request.user, reference)
    run = _run_of(subject_request, run_id)
    if not permissions.can_work_on(request.user, subject_request):
        raise PermissionDenied(_("Only the DPO or the agent assigned to this request can retry a source."))
    try:
        services.retry_source(subject_request, run, actor=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(source)s is being searched again.") % {"source": run.connector.workspace_name})
    return _back(request, reference)


@require_POST
@staff_view(write=True)
def complete_task(request, reference: str, task_id: int):
    subject_request = get_request_for_user(request.user, reference)
    task = get_object_or_404(
        ManualTask.objects.select_related("run", "run__connector"), pk=task_id, run__job__external_ref=reference
    )
    if not permissions.can_complete_task(request.user, subject_request, task):
        raise PermissionDenied(_("Only the DPO, the request's agent or the task's assignee can complete this task."))
    if is_plan_task(task):
        # Completed here, the plan's items of that source would stay open, the plan would never
        # finish and plan.task_completed would not be recorded: the plan panel's route does all that.
        messages.error(
            request,
            _(
                "This task is a step of the execution plan: complete it under “Plan of changes in the sources” "
                "on the request page."
            ),
        )
        return _back(request, reference)
    form = CompleteTaskForm(request.POST)
    uploads = request.FILES.getlist("files")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, reference)
    findings = form.cleaned_data["findings"].strip()
    nothing_found = form.cleaned_data["nothing_found"]
    # "Searched, nothing found" is an answer in itself (Art. 15(1): whether data is processed):
    # a person who searched a paper archive and found nothing completes the task with it alone.
    if not findings and not uploads and not nothing_found:
        messages.error(
            request,
            _(
                "Enter what you found, attach a file, or tick “Nothing about the subject was found”: "
                "an empty task cannot be completed."
            ),
        )
        return _back(request, reference)
    if len(uploads) > MAX_FILES or any(upload.size > MAX_FILE_BYTES for upload in uploads):
        messages.error(request, _("Attach at most 20 files of at most 25 MB each."))
        return _back(request, reference)
    try:
        services.complete_manual_task(
            subject_request,
            task,
            findings=findings,
            files=uploads,
            user=request.user,
            nothing_found=nothing_found,
        )
    except ConnectorError as exc:
        messages.error(request, translate(as_stored(exc.message)))
    else:
        messages.success(
            request, _("Task completed: %(source)s is done.") % {"source": task.run.connector.workspace_name}
        )
    return _back(request, reference)


@require_GET
@staff_view
def task_file(request, reference: str, file_id: int):
    subject_request = get_request_for_user(request.user, reference)
    try:
        # What a source's staff found about the subject: read as the copy is (permissions.can_read_copy).
        delivery_services.check_may_read_copy(subject_request, actor=request.user, action="read_task_file")
    except workflow.ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    attached = get_object_or_404(ManualTaskFile, pk=file_id, task__run__job__external_ref=reference)
    with attached.file.open("rb") as handle:
        content = decrypt_bytes(handle.read())
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=attached.original_name,
        content_type=attached.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_view(write=True)
def test_connection(request, code: str):
    if not permissions.can_manage_desk(request.user):
        raise PermissionDenied(_("Only the DPO can test a source's connection."))
    connector = get_object_or_404(Connector, code=code)
    ok, message = gathering.test_connection(connector)
    (messages.success if ok else messages.error)(
        request,
        _("%(source)s: %(message)s") % {"source": connector.workspace_name, "message": translate(as_stored(message))},
    )
    reference = request.POST.get("reference", "")
    if reference:
        return _back(request, reference)
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return redirect(referer)
    return redirect("/workspace/")
