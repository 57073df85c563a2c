"""The dashboard: the desk's figures on a page and as CSV (Art. 5(2))."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from requests_app.permissions import staff_view

from . import figures, selectors
from .csv_labels import LabelledWriter


@require_GET
@staff_view
def dashboard(request):
    charts = figures.figures().charts()
    return render(request, "workspace/dashboard.html", {"board": selectors.dashboard(), "charts": charts})


@require_GET
@staff_view
def dashboard_csv(request):
    """The dashboard's figures for the annual accountability report (Art. 5(2))."""
    board = selectors.dashboard()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dsar-dashboard-{stamp}.csv"'
    # Codes in "section" and "key" for spreadsheets; "label" in the DPO's language for people (finding 12).
    plain = csv.writer(response)
    plain.writerow(LabelledWriter.HEADER)
    writer = LabelledWriter(plain)
    for value, _label, count in board.by_status:
        writer.writerow(["open_by_status", value, count])
    for value, _label, count in board.by_type:
        writer.writerow(["open_by_type", value, count])
    for value, _label, count in board.by_channel:
        writer.writerow(["open_by_channel", value, count])
    writer.writerow(["inbox", "to_triage", board.inbox_to_triage])
    writer.writerow(["deadlines", "open_total", board.open_total])
    writer.writerow(["deadlines", "due_this_week", board.due_this_week])
    writer.writerow(["deadlines", "overdue", board.overdue])
    writer.writerow(["deadlines", "unassigned", board.unassigned])
    writer.writerow(["days_to_close_12_months", "closed", board.closed_count])
    writer.writerow(["days_to_close_12_months", "median", "" if board.median_days is None else board.median_days])
    writer.writerow(["days_to_close_12_months", "p90", "" if board.p90_days is None else board.p90_days])
    writer.writerow(["forwarding", "not_acknowledged", board.forwarded_pending_count])
    writer.writerow(["retention", "held", board.held])
    writer.writerow(["deferred_erasures", "pending", board.deferred_erasures])
    writer.writerow(
        ["deferred_erasures", "next_due", board.deferred_next_due.isoformat() if board.deferred_next_due else ""]
    )
    for month, count in board.per_month:
        writer.writerow(["received_per_month", month.strftime("%Y-%m"), count])
    figures.write_csv_rows(writer, figures.figures())
    return response
