"""A configuration file as the declared state (issue 12, point 6).

* ``{code: X, enabled: false}`` alone switches a source off (or on) without
  copying its whole declaration (the demo's sources included).
* ``diff`` shows what a load would change, section by section, by loading in
  a transaction that is rolled back and comparing the dumps.
* ``prune`` removes what the file no longer declares, or, where requests
  still refer to it (a source with runs, an activity in the register's
  history), switches it off or retires it (``active: false``) instead: the
  records of what was done for a request (Art. 5(2)) keep what they name.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from dsar.models import Connector, DataCategory, ProcessingActivity, Recipient

SECTIONS: dict[str, Any] = {
    "categories": DataCategory,
    "recipients": Recipient,
    "activities": ProcessingActivity,
    "connectors": Connector,
}


def is_switch(item) -> bool:
    """A connector entry that only switches a source on or off."""
    return isinstance(item, dict) and "enabled" in item and set(item) <= {"code", "enabled"}


def split_switches(data: dict) -> list[dict]:
    """Take the switches out of ``data["connectors"]`` (the rest is validated as declarations)."""
    if not isinstance(data, dict) or not isinstance(data.get("connectors"), list):
        return []
    switches = [item for item in data["connectors"] if is_switch(item)]
    data["connectors"] = [item for item in data["connectors"] if not is_switch(item)]
    return switches


def switch_errors(switches: list[dict], data: dict, source: str) -> list[str]:
    declared = {item.get("code") for item in data.get("connectors") or []}
    known = declared | set(Connector.objects.values_list("code", flat=True))
    errors = []
    for item in switches:
        if not isinstance(item.get("enabled"), bool):
            errors.append(f"{source}: connector {item.get('code')}: enabled is true or false.")
        elif item.get("code") not in known:
            errors.append(f"{source}: connector {item.get('code')}: no source with this code to switch on or off.")
    return errors


def apply_switches(switches: list[dict]) -> int:
    return sum(Connector.objects.filter(code=item["code"]).update(enabled=item["enabled"]) for item in switches)


def state() -> dict[str, dict[str, dict]]:
    from dsar.configuration import dump_data

    data = dump_data()
    return {section: {item["code"]: item for item in data[section]} for section in SECTIONS}


def diff(load) -> list[str]:
    """What ``load()`` would change, one line per item, without changing anything."""
    before = state()
    with transaction.atomic():
        load()
        after = state()
        transaction.set_rollback(True)
    lines = []
    for section in SECTIONS:
        for code in sorted(set(before[section]) | set(after[section])):
            old, new = before[section].get(code), after[section].get(code) or {}
            if old is None:
                lines.append(f"+ {section} {code}")
            elif new != old:
                changed = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
                lines.append(f"~ {section} {code}: {', '.join(changed)}")
    return lines


def undeclared(data: dict, switches: list[dict]) -> dict[str, list[str]]:
    """Per section, the codes in the database that the file does not declare."""
    result = {}
    for section, model in SECTIONS.items():
        declared = {item["code"] for item in data.get(section) or []}
        if section == "connectors":
            declared |= {item["code"] for item in switches}
        result[section] = sorted(set(model.objects.values_list("code", flat=True)) - declared)
    return result


def category_in_use(code: str) -> bool:
    """Whether something done for a request names this category: a record found,
    a planned action, a job's options, or the caller's own records (asked through
    ``signals.category_in_use``). Requests name categories by code, not by a
    foreign key, so the database cannot refuse the deletion itself."""
    from dsar import signals
    from dsar.execution.models import PlanItem
    from dsar.models import Job, SourceRecord

    if SourceRecord.objects.filter(category=code).exists() or PlanItem.objects.filter(category=code).exists():
        return True
    # The text search narrows the jobs to read; the list itself decides.
    candidates = Job.objects.filter(options__icontains=f'"{code}"').values_list("options", flat=True)
    for options in candidates:
        if any(code in ((options or {}).get(key) or []) for key in ("categories", "contested_categories")):
            return True
    return any(answer for _receiver, answer in signals.category_in_use.send(sender=DataCategory, code=code))


def prune(data: dict, switches: list[dict]) -> list[str]:
    """Remove what the file does not declare; switch off or retire what requests still refer to."""
    lines = []
    for section, codes in undeclared(data, switches).items():
        model = SECTIONS[section]
        for code in codes:
            if section == "categories" and category_in_use(code):
                # Saved one by one (not update()): the public form's register cache hears of it.
                for category in DataCategory.objects.filter(code=code):
                    category.active = False
                    category.save(update_fields=["active"])
                lines.append(f"- {section} {code}: retired (requests refer to it)")
                continue
            try:
                with transaction.atomic():
                    model.objects.filter(code=code).delete()
                lines.append(f"- {section} {code}: removed")
            except ProtectedError:
                if section == "connectors":
                    Connector.objects.filter(code=code).update(enabled=False)
                    lines.append(f"- {section} {code}: switched off (requests refer to it)")
                elif section == "activities":
                    # One by one (not update()): the form's and the copies' register caches hear of it.
                    for activity in ProcessingActivity.objects.filter(code=code):
                        activity.active = False
                        activity.save(update_fields=["active"])
                    lines.append(f"- {section} {code}: retired (requests refer to it)")
                else:
                    lines.append(f"- {section} {code}: kept (requests refer to it)")
    return lines
