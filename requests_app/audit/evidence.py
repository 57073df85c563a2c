"""The evidence pack of one request: what the DPO hands to the supervisory authority.

Art. 5(2) makes the controller able to demonstrate compliance, and Art. 31
obliges it to cooperate with the authority (in Belgium the GBA/APD, which
asks for exactly this when a subject complains under Art. 77). The pack holds
the request (what was asked, when, the deadlines of Art. 12(3)), every
decision and its reason, the whole timeline of the audit trail in words, and
the result of verifying the trail's hash chain at the moment it was made.

Data minimisation (Art. 5(1)(c)): of the subject it names only what
identifies the request (their name and the channel it came by); never the
gathered records, their contact details, national number or free text. The
reasons staff typed for their decisions are in it, as written: the authority
judges the decision by them (a field withheld "because it names a colleague").

PDF by WeasyPrint, loaded only when a pack is made (``dsar.exports.pdf_export``
explains why); without its libraries ``PdfUnavailable`` names the packages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from requests_app import deadlines
from requests_app.models import ControllerProfile, RequestType, SubjectRequest

from . import labels
from .chain import ChainBreak
from .services import problem_in_words, verify_one

# The events that record a decision of the desk (shown again, with their reasons, before the timeline).
DECISION_KINDS = (
    "request.type_changed",
    "identity.checked",
    "mandate.accepted",
    "mandate.refused",
    "fee.announced",
    "request.approve",
    "request.rejected",
    "request.extended",
    "request.forwarded",
    "request.close",
    "plan.categories_chosen",
    "plan.correction_mapped",
    "plan.fields_approved",
    "plan.approved",
    "plan.item_kept",
    "plan.item_left_out",
    "plan.items_unconfirmed",
    "export.records_excluded",
    "export.records_included",
    "export.fields_withheld",
    "export.fields_given_back",
    "export.records_unconfirmed",
    "export.transmission_decided",
    "release.requested",
    "release.approved",
    "release.withdrawn",
    "request.fulfilled",
    "release.incomplete",
    "recipient.not_notified",
    "restriction.lift_scheduled",
    "restriction.lift_cancelled",
    "restriction.lifted",
    "retention_hold.placed",
    "retention_hold.lifted",
)
# The decisions whose reasons are given per field and record (``left_out``), not on the event.
LEFT_OUT_KINDS = ("export.fields_withheld", "export.records_excluded")


@dataclass
class ChainResult:
    intact: bool
    events: int
    head: str
    broken: ChainBreak | None
    problem: str


def chain_result(request: SubjectRequest) -> ChainResult:
    broken = verify_one(request)
    return ChainResult(
        intact=broken is None,
        events=request.event_count,
        head=request.event_head,
        broken=broken,
        problem=problem_in_words(broken.problem) if broken else "",
    )


def left_out(request: SubjectRequest) -> list[dict]:
    """What the DPO kept out of the copy, with the reason given (Art. 15(4)).

    The trail says only how many fields or records (its details hold no
    personal data); the reasons stay with the fields and records. The pack
    names them as the DPO's review does (``delivery.left_out``): the source's
    labels, the category's name, never a raw column name nor the values.
    """
    from requests_app.delivery.left_out import everything_left_out
    from requests_app.delivery.selectors import latest_job

    job = latest_job(request)
    if job is None:
        return []
    fields, records = everything_left_out(job)
    rows = [
        {
            "what": _("Field withheld: %(field)s") % {"field": line.field},
            "count": ngettext("in %(n)s record", "in %(n)s records", line.records) % {"n": line.records},
            "source": line.source,
            "table": line.table,
            "category": line.category,
            "reason": line.reason,
        }
        for line in fields
    ]
    rows += [
        {
            "what": ngettext("%(n)s record left out", "%(n)s records left out", line.records) % {"n": line.records},
            "count": "",
            "source": line.source,
            "table": line.table,
            "category": line.category,
            "reason": line.reason,
        }
        for line in records
    ]
    return rows


def corrections(request: SubjectRequest) -> list[dict]:
    """A rectification's corrections: the field as the subject named it and
    the fields the desk mapped it onto (Art. 16). Not the values: they are the
    subject's data, which the pack leaves out."""
    from requests_app.execution.selectors import corrections_of, field_labels, plan_for

    if request.request_type != RequestType.RECTIFICATION:
        return []
    plan = plan_for(request)
    if plan is None:
        return []
    labels = field_labels()
    rows = []
    for correction in corrections_of(plan):
        if correction["fields"]:
            onto = ", ".join(str(f["label"]) for f in correction["fields"])
        elif correction["matched"]:
            onto = labels.get(correction["field"], correction["field"])
        else:
            onto = ""
        rows.append({"asked": correction["field"], "onto": onto})
    return rows


def mandate(request: SubjectRequest):
    """The representative's mandate check (Art. 12(6)), or None for a subject's own request."""
    from requests_app.representation.models import Representation

    return Representation.objects.filter(request=request).select_related("checked_by").first()


def evidence_context(request: SubjectRequest, *, user) -> dict:
    """What the pack shows, in the active language (the DPO's)."""
    events = labels.annotate(request.events.order_by("seq"))
    decisions = [event for event in events if event.kind in DECISION_KINDS]
    for event in decisions:
        if event.kind in LEFT_OUT_KINDS and not event.reason:
            # The reasons stay with the fields and records (the trail holds counts only):
            # the reader is sent to the table that gives each one beside what it concerns.
            event.reason = _("Given beside each field and record under “Left out of the copy, and why”.")
    language = translation.get_language() or "en"
    return {
        "subject_request": request,
        "controller": ControllerProfile.current().in_language(language),
        "events": events,
        "decisions": decisions,
        "left_out": left_out(request),
        "corrections": corrections(request),
        "mandate": mandate(request),
        "chain": chain_result(request),
        "paused_days": deadlines.paused_days(list(request.pauses.all())),
        "answered_in_time": bool(request.answered_at and deadlines.local_date(request.answered_at) <= request.due_date),
        "made_at": timezone.now(),
        "made_by": user.get_full_name() or user.get_username(),
        "LANGUAGE_CODE": language[:2],
    }


def render_html(request: SubjectRequest, *, user) -> tuple[str, ChainResult]:
    context = evidence_context(request, user=user)
    return render_to_string("audit/evidence_pack.html", context), context["chain"]


def write_pdf(request: SubjectRequest, *, user) -> tuple[bytes, ChainResult]:
    """The pack as a tagged PDF (PDF/UA-1), and the chain's result it states.

    Raises ``dsar.exports.pdf_export.PdfUnavailable`` when WeasyPrint cannot load here.
    """
    from dsar.exports.pdf_export import _weasyprint

    HTML, _attachment, StaticOnlyFetcher = _weasyprint()  # the classes, under their own names
    html, chain = render_html(request, user=user)
    fetcher = StaticOnlyFetcher()
    out = io.BytesIO()
    HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).write_pdf(
        out, pdf_tags=True, pdf_variant="pdf/ua-1"
    )
    return out.getvalue(), chain


def make_pack(request: SubjectRequest, *, user) -> bytes:
    """The PDF, its making recorded in the request's trail (who took evidence out, and when)."""
    from requests_app.workflow import log_event

    pdf, chain = write_pdf(request, user=user)
    log_event(
        request, actor=user, kind="evidence.exported", details={"events": chain.events, "chain_intact": chain.intact}
    )
    return pdf


def filename(request: SubjectRequest) -> str:
    return f"evidence-{request.reference}-{timezone.localdate().isoformat()}.pdf"
