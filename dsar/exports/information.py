"""The information Art. 15(1)(a)-(h) and 15(2) require in every copy, from the
processing register (``dsar.exports.register``): why, what, to whom, how
long, the subject's rights, where the data comes from, automated decisions
and transfers, in the subject's language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from dsar.exports.content import ExportSpec, category_counts, counts_in_job
from dsar.exports.parties import authority_block
from dsar.models import LegalBasis, pick


def relevant_activities(spec: ExportSpec) -> list[dict]:
    """The activities that concern this subject: those of the sources that were
    searched, and those covering a category found. With nothing linked, every
    active activity (better too much information than too little)."""
    connector_codes = {spec.source_of(run_id) for run_id in spec.run_ids()}
    found = {code for code, n in counts_in_job(spec).items() if n}
    activities = spec.register["activities"]
    chosen = [a for a in activities if connector_codes & set(a["connectors"]) or found & set(a["categories"])]
    return chosen or list(activities)


def _received(recipient: dict, activities: list[dict], shown: set[str]) -> list[str]:
    """The categories of this subject's data a recipient receives: those the
    register lists for it, else every category of its activities here."""
    own = set(recipient.get("categories") or [])
    if not own:
        own = {code for a in activities if recipient["code"] in a["recipients"] for code in a["categories"]}
    return sorted(own & shown)


def information(spec: ExportSpec) -> dict:
    """The information Art. 15(1)(a)-(h) and 15(2) require, from the register."""
    lang = spec.language
    register = spec.register
    activities = relevant_activities(spec)
    with translation.override(lang):
        basis_labels = {value: str(label) for value, label in LegalBasis.choices}
        category_codes = sorted({code for a in activities for code in a["categories"]} | set(category_counts(spec)))
        recipient_codes = sorted({code for a in activities for code in a["recipients"]})
        categories = [
            {
                "code": code,
                "name": pick(register["categories"].get(code, {}).get("names"), lang) or code,
                "description": pick(register["categories"].get(code, {}).get("descriptions"), lang),
                "sensitive": bool(register["categories"].get(code, {}).get("sensitive")),
            }
            for code in category_codes
            if code
        ]
        category_names = {item["code"]: item["name"] for item in categories}
        recipients = []
        for code in recipient_codes:
            recipient = register["recipients"].get(code)
            if not recipient:
                continue
            received = _received(recipient, activities, set(category_codes))
            recipients.append(
                {
                    "code": code,
                    "name": pick(recipient.get("names"), lang) or recipient["name"],
                    "kind": recipient["kind"],
                    "description": pick(recipient["descriptions"], lang),
                    "country": recipient["country"],
                    "outside_eea": recipient["outside_eea"],
                    "categories": received,
                    "category_names": [category_names.get(c, c) for c in received],
                }
            )
        purposes = [
            {
                "activity": a["code"],
                "name": pick(a["names"], lang) or a["code"],
                "purpose": pick(a["purposes"], lang),
                "legal_basis": a["legal_basis"],
                "legal_basis_label": basis_labels.get(a["legal_basis"], a["legal_basis"]),
                "legitimate_interests": pick(a["legitimate_interests"], lang),
                "categories": a["categories"],
                "recipients": a["recipients"],
            }
            for a in activities
        ]
        retention = [
            {
                "activity": a["code"],
                "name": pick(a["names"], lang) or a["code"],
                "retention": pick(a["retention"], lang)
                or _("Kept only as long as needed for this purpose, then deleted."),
                "legal_hold_years": a["legal_hold_years"],
            }
            for a in activities
        ]
        sources = [
            {"activity": a["code"], "name": pick(a["names"], lang) or a["code"], "source": pick(a["sources"], lang)}
            for a in activities
            if pick(a["sources"], lang)
        ]
        automated = [
            {
                "activity": a["code"],
                "name": pick(a["names"], lang) or a["code"],
                "logic": pick(a["automated_decisions"], lang),
                # Art. 15(1)(h): the significance and the envisaged consequences
                # too (registers snapshotted before they existed have neither).
                "significance": pick(a.get("automated_significance") or {}, lang),
                "consequences": pick(a.get("automated_consequences") or {}, lang),
            }
            for a in activities
            if pick(a["automated_decisions"], lang)
        ]
        transfers = [
            {
                "recipient": code,
                "name": pick(register["recipients"][code].get("names"), lang) or register["recipients"][code]["name"],
                "country": register["recipients"][code]["country"],
                "safeguards": pick(register["recipients"][code]["transfer_safeguards"], lang)
                or _("Ask our data protection officer for the safeguards that apply."),
            }
            for code in recipient_codes
            if code in register["recipients"] and register["recipients"][code]["outside_eea"]
        ]
        objectionable = [pick(a["names"], lang) or a["code"] for a in activities if a["objectionable"]]
        authority = authority_block(spec.controller)
        dpo_email = spec.controller.get("dpo_email", "")
        info = {
            "purposes": {
                "article": "15(1)(a)",
                "title": _("Why we process your data"),
                "items": purposes,
            },
            "categories": {
                "article": "15(1)(b)",
                "title": _("The categories of data we hold about you"),
                "items": categories,
            },
            "recipients": {
                "article": "15(1)(c)",
                "title": _("Who receives your data"),
                "items": recipients,
                "none": _("We do not share your data with other recipients.") if not recipients else "",
            },
            "retention": {
                "article": "15(1)(d)",
                "title": _("How long we keep your data"),
                "items": retention,
            },
            "rights": {
                "article": "15(1)(e)",
                "title": _("Your rights"),
                "rectification": _(
                    "You may ask us to correct inaccurate data about you and to complete incomplete data (Art. 16)."
                ),
                "erasure": _(
                    "You may ask us to erase your data where the law allows it, for example when it is no longer "
                    "needed or you withdraw your consent (Art. 17). Data we must keep by law is kept until then."
                ),
                "restriction": _(
                    "You may ask us to restrict the processing of your data, for example while we check its "
                    "accuracy (Art. 18): we then only store it."
                ),
                "objection": _(
                    "You may object to processing based on our legitimate interests or a public task, and at any "
                    "time to direct marketing, which we then stop (Art. 21)."
                ),
                "objectionable_activities": objectionable,
                "how": _("Write to our data protection officer at %(email)s.") % {"email": dpo_email},
            },
            "complaint": {
                "article": "15(1)(f)",
                "title": _("Your right to complain"),
                "text": _(
                    "You may lodge a complaint with the supervisory authority if you think we process your data "
                    "unlawfully, and you may go to court."
                ),
                "authority": authority,
            },
            "sources": {
                "article": "15(1)(g)",
                "title": _("Where your data comes from"),
                "text": _(
                    "Unless stated below, you gave us the data yourself or it was recorded when you used our services."
                ),
                "items": sources,
            },
            "automated_decisions": {
                "article": "15(1)(h)",
                "title": _("Automated decisions and profiling"),
                "text": _("We take no decisions about you based solely on automated processing, including profiling.")
                if not automated
                else _("The following processing involves automated decision-making; its logic is explained."),
                "items": automated,
            },
            "transfers": {
                "article": "15(2)",
                "title": _("Transfers outside the European Economic Area"),
                "text": _("Your data is not transferred outside the European Economic Area.")
                if not transfers
                else _("Your data is transferred outside the European Economic Area with these safeguards."),
                "items": transfers,
            },
        }
    return info
