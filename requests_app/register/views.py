"""The register and the sources in the workspace (issue 15, point 8): every
role reads them; only the DPO tests a connection, previews a subject and loads
a configuration file (``permissions.can_manage_desk``). The Django admin stays
for emergencies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dsar import configuration
from dsar.gathering import manual_instructions_text
from dsar.models import Connector
from requests_app import permissions
from requests_app.audit import labels as event_labels
from requests_app.permissions import staff_view
from requests_app.register import forms, selectors, services
from requests_app.register.changes import describe_changes

SESSION_KEY = "register_upload"


def _may_read(request) -> None:
    if not permissions.can_read_register(request.user):
        raise PermissionDenied


def _may_manage(request, message: str) -> None:
    if not permissions.can_manage_desk(request.user):
        raise PermissionDenied(message)


def _events(rows) -> list[dict]:
    return [{"event": row, "label": event_labels.label(row.kind), "facts": event_labels.facts(row)} for row in rows]


@require_GET
@staff_view
def register(request):
    _may_read(request)
    return render(
        request,
        "workspace/register/register.html",
        {
            "activities": selectors.activities(),
            "categories": selectors.categories(),
            "recipients": selectors.recipients(),
            "holds": selectors.legal_holds(),
            "events": _events(selectors.events(source="")),
            "can_manage": permissions.can_manage_desk(request.user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_view
def load(request):
    """Step one: upload the file; it is checked and compared, nothing changes yet."""
    _may_read(request)
    _may_manage(request, _("Only the DPO can load a configuration file."))
    permissions.refuse_read_only(request.user)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    upload = None
    if request.method == "POST" and form.is_valid():
        upload = services.check_upload(
            name=form.cleaned_data["file"].name, text=form.cleaned_data["text"], prune=form.cleaned_data["prune"]
        )
        if upload.errors:
            request.session.pop(SESSION_KEY, None)
        else:
            # Kept for the confirmation (a configuration file holds no secret: the checks refuse one).
            request.session[SESSION_KEY] = upload.as_session()
    return render(
        request,
        "workspace/register/load.html",
        {
            "form": form,
            "upload": upload,
            "changes": describe_changes(upload.changes) if upload else [],
        },
    )


@require_POST
@staff_view(write=True)
def load_confirm(request):
    """Step two: the DPO confirms what they were shown; it is loaded as ``dsar_config load`` does."""
    _may_manage(request, _("Only the DPO can load a configuration file."))
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or request.POST.get("digest")
        != services.Upload(name=pending["name"], text=pending["text"], prune=bool(pending.get("prune"))).digest
    ):
        messages.error(request, _("Nothing is waiting to be loaded: upload the file again."))
        return redirect("register:load")
    try:
        report, pruned = services.apply_upload(pending, actor=request.user)
    except services.ChangedMeanwhile:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request,
            _(
                "The register changed since the file was checked; nothing was loaded. Upload the file again to see what it would change now."
            ),
        )
        return redirect("register:load")
    except configuration.ConfigError as exc:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, _("The file was refused; nothing was changed: %(problem)s") % {"problem": exc.errors[0]}
        )
        return redirect("register:load")
    request.session.pop(SESSION_KEY, None)
    created, updated = sum(report.created.values()), sum(report.updated.values())
    messages.success(
        request,
        _("%(file)s is loaded: %(created)d created, %(updated)d updated, %(pruned)d no longer declared.")
        % {"file": pending["name"], "created": created, "updated": updated, "pruned": len(pruned)},
    )
    return redirect("register:register")


# ------------------------------------------------------------------------------
# Sources
# ------------------------------------------------------------------------------
@require_GET
@staff_view
def sources(request):
    _may_read(request)
    connectors = list(selectors.sources())
    health = selectors.health(connectors)
    return render(
        request,
        "workspace/register/sources.html",
        {"rows": [(connector, health[connector.pk]) for connector in connectors], "health_days": selectors.HEALTH_DAYS},
    )


def _source_page(request, connector: Connector, *, form=None, result=None, status: int = 200):
    return render(
        request,
        "workspace/register/source.html",
        {
            "source": connector,
            "instructions": manual_instructions_text(connector.config),
            "health": selectors.health([connector])[connector.pk],
            "tables": selectors.tables_of(connector),
            "events": _events(selectors.events(source=connector.code)),
            "can_manage": permissions.can_manage_desk(request.user) and not permissions.is_read_only(request.user),
            "form": form or forms.PreviewForm(),
            "result": result,
            "health_days": selectors.HEALTH_DAYS,
        },
        status=status,
    )


@never_cache
@require_GET
@staff_view
def source(request, code: str):
    _may_read(request)
    return _source_page(request, selectors.source(code))


@require_POST
@staff_view(write=True)
def test_connection(request, code: str):
    _may_manage(request, _("Only the DPO can test a source's connection."))
    connector = selectors.source(code)
    ok, text = services.test_connection(connector, actor=request.user)
    (messages.success if ok else messages.error)(
        request, _("%(source)s: %(message)s") % {"source": connector.workspace_name, "message": text}
    )
    return redirect("sources:source", code=connector.code)


@never_cache
@require_POST
@staff_view(write=True)
def preview(request, code: str):
    """The dry run for one subject, shown once and never stored (it holds masked personal data)."""
    _may_manage(request, _("Only the DPO can preview what a source holds of a subject."))
    connector = selectors.source(code)
    form = forms.PreviewForm(request.POST)
    if not form.is_valid():
        return _source_page(request, connector, form=form, status=400)
    result = services.preview(connector, form.cleaned_data["identity"], actor=request.user)
    return _source_page(request, connector, form=form, result=selectors.preview_rows(result))
