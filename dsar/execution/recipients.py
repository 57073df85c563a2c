"""Art. 19: which recipients in the register received the data a plan changed, and why.

A recipient is notified when the data categories the plan changed in a source
meet the categories it receives there, through the processing activities the
source serves that name it as recipient. Where the register lists the
categories a recipient receives (``Recipient.categories``), those are what it
receives, and its notice names only those; where it does not, the recipient is
taken to receive every category of those activities. Where the register cannot
say (neither the recipient nor the activity lists categories, or a change that
cannot be classified), the recipient is notified anyway and the reason says so:
a notice too many is better than a recipient who keeps processing erased or
wrong data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dsar.connectors.base import ConnectorError
from dsar.execution.config import TableWrite, table_writes
from dsar.execution.models import LIFT, Action, Plan, PlanItem
from dsar.models import Connector, Recipient

# Nothing a recipient holds changes: kept records, stopped processing (not
# covered by Art. 19), a lifted restriction.
_NO_CHANGE = {Action.KEEP, Action.STOP, Action.UNRESTRICT}


@dataclass
class Notifiable:
    recipient: Recipient
    categories: set[str] = field(default_factory=set)  # DataCategory codes changed that it receives
    activities: set[str] = field(default_factory=set)  # ProcessingActivity codes through which
    # The register could not say which categories it receives, or what changed.
    unclassified: bool = False


def _specs(connector: Connector) -> dict[str, TableWrite]:
    if connector.kind != Connector.Kind.SQL:
        return {}
    try:
        return {spec.name: spec for spec in table_writes(connector.config)}
    except ConnectorError:
        return {}


def field_categories() -> dict[str, str]:
    """The category of each correctable field (request field or column name,
    lower case) over the SQL sources: a correction a person applies by hand in
    another source concerns the same kind of data."""
    result: dict[str, str] = {}
    for connector in Connector.objects.filter(enabled=True, kind=Connector.Kind.SQL):
        for spec in _specs(connector).values():
            for name, column in spec.rectify_columns.items():
                category = spec.category_of(column)
                if category:
                    result.setdefault(name.lower(), category)
                    result.setdefault(column.lower(), category)
    return result


def item_categories(
    item: PlanItem, specs: dict[str, TableWrite], fields: dict[str, str], *, planned: bool
) -> set[str] | None:
    """The categories one item changes; None when they cannot be told.
    ``planned``: the plan is still in review, so corrections not yet approved count."""
    if item.action in _NO_CHANGE or item.note == LIFT:
        return set()
    spec = specs.get(item.entity)

    def of_column(column: str) -> str:
        return spec.category_of(column) if spec else item.category

    if item.action in (Action.DELETE, Action.RESTRICT):
        categories = spec.record_categories if spec else {item.category}
    elif item.action == Action.MASK:
        categories = {of_column(column) for column in item.fields}
    elif item.action == Action.RECTIFY:
        columns = item.approved_fields or (list(item.fields) if planned else [])
        categories = {of_column(column) for column in columns}
    elif "changes" in item.fields:  # a correction through an API or by hand
        names = item.approved_fields or (list(item.fields["changes"]) if planned else [])
        categories = {fields.get(str(name).strip().lower(), "") for name in names}
        if "" in categories:
            return None
    elif item.fields.get("categories"):  # a person erases these categories only
        categories = set(item.fields["categories"])
    else:
        categories = {item.category}
    categories.discard("")
    return categories or None


def changed_categories(plan: Plan, *, planned: bool = False) -> dict[Connector, set[str] | None]:
    """Per source, the categories the plan changed (or, ``planned``, will
    change); None where what changed cannot be classified by the register."""
    statuses = [PlanItem.Status.DONE]
    if planned:
        statuses += [PlanItem.Status.PLANNED, PlanItem.Status.WAITING, PlanItem.Status.FAILED]
    items = plan.items.filter(status__in=statuses).select_related("run__connector")
    fields = field_categories()
    result: dict[Connector, set[str] | None] = {}
    specs_of: dict[int, dict] = {}
    for item in items:
        connector = item.run.connector
        if connector.pk not in specs_of:
            specs_of[connector.pk] = _specs(connector)
        categories = item_categories(item, specs_of[connector.pk], fields, planned=planned)
        if categories == set():
            continue
        if categories is None:
            # What a person or an API changed is unknown: all that the register says the source holds.
            categories = set(connector.categories.values_list("code", flat=True)) or None
        known = result.get(connector, set())
        result[connector] = None if categories is None or known is None else known | categories
    return result


def received_categories(recipient: Recipient, activity_categories: set[str]) -> set[str]:
    """What ``recipient`` receives through an activity holding ``activity_categories``:
    its own list where the register has one, else everything the activity holds."""
    own = {category.code for category in recipient.categories.all()}
    return own or activity_categories


def recipients_to_notify(plan: Plan, *, planned: bool = False) -> list[Notifiable]:
    """The recipients that want notices (``Recipient.notify_changes``) and
    received a category the plan changed, with the categories and activities
    that make them concerned."""
    found: dict[int, Notifiable] = {}
    for connector, changed in changed_categories(plan, planned=planned).items():
        for activity in connector.activities.prefetch_related("categories", "recipients__categories"):
            held = {category.code for category in activity.categories.all()}
            for recipient in activity.recipients.all():
                if not recipient.notify_changes:
                    continue
                received = received_categories(recipient, held)
                if changed is None or not received:
                    hit, unclassified = changed or set(), True
                else:
                    hit, unclassified = changed & received, False
                    if not hit:
                        continue
                entry = found.setdefault(recipient.pk, Notifiable(recipient))
                entry.categories |= hit
                entry.activities.add(activity.code)
                entry.unclassified = entry.unclassified or unclassified
    return sorted(found.values(), key=lambda entry: entry.recipient.name)
