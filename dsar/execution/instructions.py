"""Exact instructions for a person acting on a source no machine can write to."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dsar.execution.models import LIFT, MEANWHILE, Action, PlanItem
from dsar.models import DataCategory, Operation, SourceRun, pick


def manual_instructions(run: SourceRun, items: list[PlanItem]) -> str:
    from dsar.execution.scope import identity_of

    job = run.job
    identity = identity_of(job)
    lines = [
        _("Source: %(source)s. Request: %(ref)s.") % {"source": run.connector.name, "ref": job.external_ref},
        _("The subject:"),
    ]
    # The national number is never written here: it stays encrypted in the job.
    for label, value in (
        (_("Name"), identity.full_name),
        (_("E-mail"), identity.email),
        (_("Phone"), identity.phone),
        (_("Customer number"), identity.customer_number),
    ):
        if value:
            lines.append(f"  - {label}: {value}")
    lines.append("")
    meanwhile = [item for item in items if item.note == MEANWHILE]
    contested = sorted({code for item in meanwhile for code in item.fields.get("categories") or []})
    if contested:
        # Only the kinds of data the corrections concern; the rest stays in use.
        names = {c.code: pick(c.names) or c.code for c in DataCategory.objects.filter(code__in=contested)}
        lines.append(
            _(
                "Restrict only these kinds of this subject's data now, while we check whether they are accurate "
                "(Art. 18(1)(a)): keep them, but do not use, change or pass them on until told otherwise; the "
                "rest stays in use:"
            )
        )
        lines.extend(f"  - {names.get(code, code)}" for code in contested)
    elif meanwhile:
        lines.append(
            _(
                "Restrict every record of this subject now, while we check whether the data is accurate "
                "(Art. 18(1)(a)): keep it, but do not use, change or pass it on until told otherwise."
            )
        )
    lifts = [item for item in items if item.note == LIFT]
    items = [item for item in items if item.note not in (MEANWHILE, LIFT)]
    operation = job.operation if items else ""
    scope = sorted({code for item in items for code in item.fields.get("categories") or []})
    if operation == Operation.ERASE and scope:
        # The subject asked to erase specific data only: the rest stays.
        names = {c.code: pick(c.names) or c.code for c in DataCategory.objects.filter(code__in=scope)}
        lines.append(_("Erase only these kinds of this subject's data in this source (Art. 17); keep the rest:"))
        lines.extend(f"  - {names.get(code, code)}" for code in scope)
    elif operation == Operation.ERASE:
        lines.append(_("Erase every record of this subject in this source (Art. 17)."))
        kept = run.plan_items.filter(action=Action.KEEP)
        if kept.exists():
            lines.append(_("Keep the records listed as kept in the plan (legal hold)."))
    elif operation == Operation.RESTRICT and scope:
        # Art. 18(1)(a): only the data whose accuracy is contested; the rest stays in use.
        names = {c.code: pick(c.names) or c.code for c in DataCategory.objects.filter(code__in=scope)}
        lines.append(
            _(
                "Mark only these kinds of this subject's data as restricted in this source, while their accuracy "
                "is checked (Art. 18(1)(a)): store them, but do not use them otherwise; the rest stays in use:"
            )
        )
        lines.extend(f"  - {names.get(code, code)}" for code in scope)
    elif operation == Operation.RESTRICT:
        lines.append(
            _("Mark every record of this subject as restricted: store it, but do not use it otherwise (Art. 18).")
        )
    elif operation == Operation.RECTIFY:
        lines.append(_("Correct the following fields of this subject's records (Art. 16):"))
        for item in items:
            changes = item.fields.get("changes") or {}
            for field, value in changes.items():
                if field in item.approved_fields:
                    lines.append(f"  - {field} → {value}")
    elif operation == Operation.STOP_PROCESSING:
        lines.append(_("Stop these processing activities for this subject:"))
        for item in items:
            if item.activity:
                lines.append(f"  - {pick(item.activity.names) or item.activity.code}")
    if lifts:
        lines.append(
            _(
                "Then lift the restriction of this subject's records: they may be used again as before. "
                "The subject has been informed of the lifting (Art. 18(3))."
            )
            if items
            else _(
                "Lift the restriction of this subject's records: they may be used again as before. "
                "The subject has been informed of the lifting (Art. 18(3))."
            )
        )
    for item in items:
        if item.note:
            lines.append(_("Note: %(note)s") % {"note": item.note})
    lines.append("")
    lines.append(_("When done, mark this task done and say what you did."))
    return "\n".join(lines)
