"""A plain snapshot of the processing register (Art. 30), the source of the
Art. 15(1)(a)-(h) and 15(2) information in every export."""

from __future__ import annotations

from dsar.exports.columns import table_declarations
from dsar.models import Connector, DataCategory, ProcessingActivity, Recipient


def register_snapshot() -> dict:
    """Activities, categories and recipients as plain dicts, texts in every language."""
    categories = {
        category.code: {
            "code": category.code,
            "names": category.names,
            "descriptions": category.descriptions,
            "sensitive": category.sensitive,
            "portable": category.portable,
        }
        for category in DataCategory.objects.all()
    }
    recipients = {
        recipient.code: {
            "code": recipient.code,
            "name": recipient.name,
            "names": recipient.names,
            "kind": recipient.kind,
            "kind_label": str(recipient.get_kind_display()),
            "descriptions": recipient.descriptions,
            "country": recipient.country,
            "outside_eea": recipient.outside_eea,
            "transfer_safeguards": recipient.transfer_safeguards,
            # Empty: every category of its activities (the register says no more).
            "categories": [c.code for c in recipient.categories.all()],
        }
        for recipient in Recipient.objects.prefetch_related("categories")
    }
    activities = []
    for activity in ProcessingActivity.objects.filter(active=True).prefetch_related(
        "categories", "recipients", "connectors"
    ):
        activities.append(
            {
                "code": activity.code,
                "names": activity.names,
                "purposes": activity.purposes,
                "legal_basis": activity.legal_basis,
                "legitimate_interests": activity.legitimate_interests,
                "categories": [c.code for c in activity.categories.all()],
                "recipients": [r.code for r in activity.recipients.all()],
                "retention": activity.retention,
                "legal_hold_years": activity.legal_hold_years,
                "sources": activity.sources,
                "automated_decisions": activity.automated_decisions,
                "automated_significance": activity.automated_significance,
                "automated_consequences": activity.automated_consequences,
                "direct_marketing": activity.direct_marketing,
                "objectionable": activity.objectionable,
                "connectors": [c.code for c in activity.connectors.all()],
            }
        )
    connectors = {
        connector.code: {
            "code": connector.code,
            "name": connector.name,
            "names": connector.names,
            "categories": [c.code for c in connector.categories.all()],
            # Labels and formats of its tables' columns (dsar.exports.columns).
            "tables": table_declarations(connector.kind, connector.config),
        }
        for connector in Connector.objects.prefetch_related("categories")
    }
    return {"activities": activities, "categories": categories, "recipients": recipients, "connectors": connectors}
