"""What a configuration file would change (``dsar_config load --diff``), in the
DPO's words: each line's section, code and fields named as the register names them."""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from dsar.config_lifecycle import SECTIONS

SECTION_LABELS = {
    "categories": _("Data category"),
    "recipients": _("Recipient"),
    "activities": _("Processing activity"),
    "connectors": _("Source"),
}
# The file's own keys that are not model fields.
FIELD_LABELS = {"default_assignee": _("default assignee of manual tasks")}

_LINE = re.compile(
    r"^(?P<sign>[+~-]) (?P<section>\w+) (?P<code>[^\s:]+)(?::\s*(?P<fields>[^()]*))?(?P<rest>\s*\(.*\))?$"
)


def _field_label(section: str, name: str) -> str:
    model = SECTIONS.get(section)
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except FieldDoesNotExist:
        return name


def describe_changes(lines: list[str]) -> list[dict]:
    """One entry per line: what (created, changed, not in the file), which item, which fields."""
    result = []
    for line in lines:
        match = _LINE.match(line)
        if not match:
            result.append({"sign": "", "what": line, "section": "", "code": "", "fields": []})
            continue
        sign, section = match["sign"], match["section"]
        what = {"+": _("new"), "~": _("changed"), "-": _("not in the file")}[sign]
        fields = [_field_label(section, name.strip()) for name in (match["fields"] or "").split(",") if name.strip()]
        result.append(
            {
                "sign": sign,
                "what": str(what),
                "section": str(SECTION_LABELS.get(section, section)),
                "code": match["code"],
                "fields": fields,
            }
        )
    return result
