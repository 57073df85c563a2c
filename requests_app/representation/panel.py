"""The request page's section on the representative: who acts for the subject,
as what, with which mandate, to whom we write, and the mandate's check."""

from __future__ import annotations

from requests_app import permissions
from requests_app.representation.forms import MandateCheckForm
from requests_app.representation.models import AgeBand, MandateCheck, Relationship, Representation
from requests_app.workspace.panels import Panel, register_panel


def _context(subject_request, user) -> dict:
    representation = Representation.objects.filter(request=subject_request).select_related("checked_by").first()
    return {
        "subject_request": subject_request,
        "representation": representation,
        "mandate_pending": representation is not None and representation.check_status != MandateCheck.ACCEPTED,
        # Art. 8 GDPR, Belgium art. 7 of the Act of 30 July 2018: from 13 a child
        # consents alone to online services, so the DPO weighs involving them.
        "child_may_be_involved": representation is not None
        and representation.relationship == Relationship.PARENT
        and representation.minor_age_band in (AgeBand.FROM_13_TO_15, AgeBand.FROM_16_TO_17),
        "can_check": representation is not None
        and not subject_request.purged_at
        and permissions.can_check_mandate(user, subject_request),
        "can_open": representation is not None
        and bool(representation.mandate_file)
        and permissions.can_read_attachments(user, subject_request),
        "mandate_form": MandateCheckForm(auto_id="mandate_check_%s"),
    }


register_panel(
    Panel(
        key="representation",
        template="workspace/panels/representation.html",
        order=5,
        context=_context,
        applies=lambda subject_request: Representation.objects.filter(request=subject_request).exists(),
    )
)
