"""The evidence pack of one request: what the DPO hands to the supervisory authority.

Art. 5(2) makes the controller able to demonstrate compliance, and Art. 31
obliges it to cooperate with the authority (in Belgium the GBA/APD, which
asks for exactly this when a subject complains under Art. 77). The pack holds
the request (what was asked, when, the deadlines of Art. 12(3)), every
decision and its reason, the whole timeline of the audit trail in words, and
the result of verifying the trail's hash chain at the moment it was made.

Data minimisation (Art. 5(1)(c)): of the subject it names only what
identifies the request (their name and the channel it came by); never the
gathered records, their contact details, national number or free text.

PDF by WeasyPrint, loaded only when a pack is made (``dsar.exports.pdf_export``
explains why); without its libraries ``PdfUnavailable`` names the packages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from requests_app import deadlines
from requests_app.models import ControllerProfile, SubjectRequest

from . import labels
from .chain import ChainBreak
from .services import problem_in_words, verify_one

# The events that record a decision of the desk (shown again, with their reasons, before the timeline).
DECISION_KINDS = (
    "request.type_changed",
    "identity.checked",
    "fee.announced",
    "request.approve",
    "request.rejected",
    "request.extended",
    "request.forwarded",
    "request.close",
    "plan.approved",
    "plan.item_kept",
    "plan.item_left_out",
    "export.records_excluded",
    "export.transmission_decided",
    "request.fulfilled",
    "release.incomplete",
    "restriction.lifted",
    "retention_hold.placed",
    "retention_hold.lifted",
)


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


def evidence_context(request: SubjectRequest, *, user) -> dict:
    """What the pack shows, in the active language (the DPO's)."""
    events = labels.annotate(request.events.order_by("seq"))
    decisions = [event for event in events if event.kind in DECISION_KINDS]
    language = translation.get_language() or "en"
    return {
        "subject_request": request,
        "controller": ControllerProfile.current().in_language(language),
        "events": events,
        "decisions": decisions,
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
