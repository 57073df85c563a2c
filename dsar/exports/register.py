"""A plain snapshot of the processing register (Art. 30), the source of the
Art. 15(1)(a)-(h) and 15(2) information in every export.

Reading it takes nine queries, a third of a small copy's database time
(issue 17), and it changes only when the DPO edits the configuration, so
``current_register`` keeps one per process with the register's version: a
counter in the shared cache that every save, delete or change of the links
of an activity, a category, a recipient or a source bumps once the change
commits (``connect``, from ``DsarConfig.ready``). One cache read per copy
instead of nine queries, and a change made in any process is in the next
copy made in every other. A change that bypasses the signals (SQL by hand)
is seen within ``MAX_AGE`` seconds. When the cache is unreachable the
register is read afresh, and one read in a transaction that changed it (which
may still roll back) is not kept (``dsar.core.kept``).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from dsar.core.kept import KeptPerProcess
from dsar.exports.columns import table_declarations
from dsar.models import Connector, DataCategory, ProcessingActivity, Recipient

VERSION_KEY = "exports:register-version"
MAX_AGE = 60.0


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


# A flushed cache gets a new version: no process goes on with its old snapshot.
_kept = KeptPerProcess(VERSION_KEY, register_snapshot, what="Register", max_age=MAX_AGE, new_version_when_missing=True)


def current_register() -> dict:
    """``register_snapshot()`` as of the last change of the register, read once
    per process and change. The snapshot is shared: never change it."""
    return _kept.get()


def connect() -> None:
    """What the snapshot holds: the four models and the links between them."""
    for model in (DataCategory, Recipient, ProcessingActivity, Connector):
        name = model.__name__
        post_save.connect(_kept.changed, sender=model, dispatch_uid=f"exports-register-{name}")
        post_delete.connect(_kept.changed, sender=model, dispatch_uid=f"exports-register-del-{name}")
    for link in (
        Recipient.categories.through,
        ProcessingActivity.categories.through,
        ProcessingActivity.recipients.through,
        Connector.categories.through,
        Connector.activities.through,
    ):
        m2m_changed.connect(_kept.changed, sender=link, dispatch_uid=f"exports-register-{link.__name__}")
