"""The scope of a portability copy (Art. 20(1)): which categories it holds and why.

Only data the subject provided (or that was observed about them), processed on
consent or a contract, is portable; the copy's JSON ``scope``, ``scope.csv``
and the PDF say which rule applied, per category and column.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from dsar.exports.content import (
    PORTABILITY_RULE,
    PORTABLE_BASES,
    ExportSpec,
    column_category_counts,
    counts_in_job,
)
from dsar.models import LegalBasis, pick


def scope_reasons() -> dict[str, str]:
    """Why a category is in a portability copy or not, by ``scope`` reason code (active language)."""
    return {
        "consent_or_contract": _(
            "You provided this data or it was recorded about you, and we process it with your consent or to "
            "perform a contract with you."
        ),
        "not_provided": _("We derived or inferred this data ourselves: you did not provide it."),
        "legal_basis": _(
            "We process this data only on another basis than your consent or a contract with you (for example a "
            "legal obligation or our legitimate interests)."
        ),
        "not_in_register": _("Our record of processing activities does not classify this data."),
    }


def portability_scope(spec: ExportSpec) -> dict:
    """What a portability copy holds and leaves out, per category of the subject's
    records, and the rule that decided it (Art. 20(1); ``portability_bases``).
    Records the DPO left out (Art. 15(4)) are counted per source, not here."""
    lang = spec.language
    register = spec.register
    bases = spec.portability_bases()
    names = {a["code"]: pick(a["names"], lang) or a["code"] for a in register["activities"]}
    row_counts = dict(counts_in_job(spec))
    # Per column too (ExportSpec.dropped_columns): a category held in columns
    # counts the records holding it, in the copy when covered, else all.
    for code, (in_copy, everywhere) in column_category_counts(spec).items():
        row_counts[code] = row_counts.get(code, 0) + (in_copy if code in bases else everywhere)
    rows = [(code, n) for code, n in sorted(row_counts.items()) if n]
    with translation.override(lang):
        reasons = scope_reasons()
        basis_labels = {value: str(label) for value, label in LegalBasis.choices}
        included: list[dict] = []
        left_out: list[dict] = []
        for code, count in rows:
            category = register["categories"].get(code)
            entry = {
                "category": code,
                "name": (pick(category["names"], lang) if category else "") or code or _("Uncategorised"),
                "count": count,
            }
            if code in bases:
                reason = "consent_or_contract"
                entry["activities"] = [
                    {
                        "activity": activity["code"],
                        "name": names[activity["code"]],
                        "legal_basis": activity["legal_basis"],
                        "legal_basis_label": basis_labels[activity["legal_basis"]],
                    }
                    for activity in register["activities"]
                    if activity["code"] in bases[code]
                ]
            elif category is None:
                reason = "not_in_register"
            elif not category.get("portable"):
                reason = "not_provided"
            else:
                reason = "legal_basis"
            entry.update(reason=reason, explanation=reasons[reason])
            (included if code in bases else left_out).append(entry)
        return {
            "article": "20(1)",
            "rule": PORTABILITY_RULE,
            "legal_bases": [basis.value for basis in PORTABLE_BASES],
            "title": _("What this copy holds"),
            "text": _(
                "This copy holds the data you provided to us or that was recorded about your use of our services, "
                "where we process it with your consent or to perform a contract with you (Art. 20 GDPR). Data we "
                "derived ourselves, and data we process only on another basis, such as a legal obligation or our "
                "legitimate interests, is not part of it; you can receive it with a request for access (Art. 15)."
            ),
            "included": included,
            "left_out": left_out,
        }
