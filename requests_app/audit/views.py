"""The audit pages of the workspace: the log of every request's events, its CSV,
the verification of the hash chains, and each request's evidence pack.

Open to the DPO and the auditor (``permissions.can_read_audit``); every
request is fetched through ``get_request_for_user``.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dsar.exports.csv_export import neutralise
from requests_app import permissions
from requests_app.permissions import get_request_for_user, staff_view

from . import evidence, labels, selectors, services
from .models import ChainVerification

PAGE_SIZE = 50


def _require_audit(user) -> None:
    if not permissions.can_read_audit(user):
        raise PermissionDenied(_("Only a DPO or an auditor may read the audit evidence."))


@require_GET
@staff_view
def audit_log(request):
    _require_audit(request.user)
    filters = selectors.AuditFilters.from_query(request.GET)
    page = Paginator(selectors.audit_events(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    events = labels.annotate(page.object_list)
    verification = ChainVerification.objects.first()
    context = {
        "filters": filters,
        "page": page,
        "events": events,
        "kinds": selectors.kind_choices(),
        "query": filters.as_query(),
        "verification": verification,
        "verification_breaks": [
            {"reference": b["reference"], "text": services.describe_break(b["reference"], b["seq"], b["problem"])}
            for b in (verification.breaks if verification else [])[:50]
        ],
    }
    response = render(request, "audit/log.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_view
def audit_log_csv(request):
    """Every event the filters select, for the authority or the annual report.

    Text cells a spreadsheet would run as a formula are neutralised (a
    username, a label, a reference): the same rule as the subject's CSV copies.
    """
    _require_audit(request.user)
    filters = selectors.AuditFilters.from_query(request.GET)

    def rows():
        yield ["time", "reference", "event", "kind", "by", "status_before", "status_after", "details"]
        names = labels.Names()
        for event in selectors.audit_events(filters).iterator(chunk_size=2000):
            yield [
                timezone.localtime(event.created_at).isoformat(),
                event.request.reference,
                labels.label(event.kind),
                event.kind,
                event.actor_label,
                event.status_before,
                event.status_after,
                "; ".join(labels.facts(event, names)),
            ]

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow([neutralise(cell) for cell in row]) for row in rows()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dsar-audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_view
def verify_chain(request):
    """The "verify the chain" button: the command line's verification, recorded with who asked."""
    _require_audit(request.user)
    result = services.verify_chains(actor=request.user)
    if result.intact:
        messages.success(
            request,
            ngettext(
                "The audit trail of the %(n)s request is intact: no event was changed or deleted.",
                "The audit trails of all %(n)s requests are intact: no event was changed or deleted.",
                result.checked,
            )
            % {"n": result.checked},
        )
    else:
        messages.error(
            request,
            ngettext(
                "%(n)s audit trail is broken: an event was changed or deleted. See the list below; "
                "keep the database as it is and tell whoever manages the server.",
                "%(n)s audit trails are broken: events were changed or deleted. See the list below; "
                "keep the database as it is and tell whoever manages the server.",
                len(result.breaks),
            )
            % {"n": len(result.breaks)},
        )
    return redirect("audit:log")


@require_GET
@staff_view
def evidence_pack(request, reference: str):
    subject_request = get_request_for_user(request.user, reference)
    if not permissions.can_export_evidence(request.user, subject_request):
        raise PermissionDenied(_("Only a DPO or an auditor may make the evidence pack."))
    from dsar.exports.pdf_export import PdfUnavailable

    try:
        pdf = evidence.make_pack(subject_request, user=request.user)
    except PdfUnavailable as exc:
        messages.error(
            request,
            _(
                "The PDF cannot be made on this server: %(library)s cannot be loaded. Ask whoever manages it to run: %(command)s"
            )
            % {"library": exc.missing, "command": exc.apt_line},
        )
        return redirect("workspace:request", reference=subject_request.reference)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{evidence.filename(subject_request)}"'
    response["Cache-Control"] = "no-store"
    return response
