"""The register and the connectors as a YAML file (configuration as code).

``load_yaml`` validates the whole file first (structure with JSON Schema, then
references, choices and secrets) and changes nothing when anything is wrong;
each message names the line and the field. ``dump_yaml`` writes the current
configuration in the same format. The format is documented in dsar/CONFIG.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from dsar import config_checks, config_lifecycle, config_v2
from dsar.config_secrets import (
    redacted,
    secret_advice,
    secret_paths,
)
from dsar.connectors import kinds
from dsar.exports import columns
from dsar.models import Connector, DataCategory, IdentityField, LegalBasis, Operation, ProcessingActivity, Recipient

LANGUAGES = ["en", "nl", "fr", "de"]

_TEXT = {"type": "object", "propertyNames": {"enum": LANGUAGES}, "additionalProperties": {"type": "string"}}
_CODE = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 60}
_CODES = {"type": "array", "items": _CODE, "uniqueItems": True}
# A list of names, each in several languages (the categories of data subjects).
_NAMES = {
    "type": "array",
    "items": {**_TEXT, "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1}},
}

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "names"],
                "properties": {
                    "code": _CODE,
                    "names": _TEXT,
                    "descriptions": _TEXT,
                    "sensitive": {"type": "boolean"},
                    "portable": {"type": "boolean"},
                    "active": {"type": "boolean"},
                },
            },
        },
        "recipients": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name"],
                "properties": {
                    "code": _CODE,
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "names": _TEXT,
                    "kind": {"enum": list(Recipient.Kind.values)},
                    "descriptions": _TEXT,
                    "contact_email": {"type": "string"},
                    "address": {"type": "string"},
                    "country": {"type": "string", "pattern": "^([A-Z]{2})?$"},
                    "outside_eea": {"type": "boolean"},
                    "transfer_safeguards": _TEXT,
                    "notify_changes": {"type": "boolean"},
                    "categories": _CODES,
                },
            },
        },
        "activities": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "names", "legal_basis"],
                "properties": {
                    "code": _CODE,
                    "names": _TEXT,
                    "purposes": _TEXT,
                    "legal_basis": {"enum": list(LegalBasis.values)},
                    "legitimate_interests": _TEXT,
                    "data_subjects": _NAMES,
                    "categories": _CODES,
                    "recipients": _CODES,
                    "retention": _TEXT,
                    "legal_hold_years": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
                    "legal_hold_reason": _TEXT,
                    "sources": _TEXT,
                    "automated_decisions": _TEXT,
                    "automated_significance": _TEXT,
                    "automated_consequences": _TEXT,
                    "security_measures": _TEXT,
                    "direct_marketing": {"type": "boolean"},
                    "active": {"type": "boolean"},
                },
            },
        },
        "connectors": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "kind"],
                "properties": {
                    "code": _CODE,
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "names": _TEXT,
                    "kind": {"enum": list(Connector.Kind.values)},
                    "config": {"type": "object"},
                    "categories": _CODES,
                    "activities": _CODES,
                    "identity_fields": {"type": "array", "items": {"enum": list(IdentityField.values)}},
                    "operations": {"type": "array", "items": {"enum": list(Operation.values)}},
                    "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 86400},
                    "max_rows": {"type": "integer", "minimum": 1},
                    "enabled": {"type": "boolean"},
                    "default_assignee": {"type": ["string", "null"]},
                },
            },
        },
    },
}


class ConfigError(Exception):
    """The file is not valid; ``errors`` lists every problem found, with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, section: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[section] = target.get(section, 0) + 1

    def compare(self, before: dict[str, dict], after: dict[str, dict]) -> None:
        """Count, per section, the items created and the items whose stored
        shape (``dump_data``) changed: an item saved again with the same values
        is no change, so loading the same file twice reports none (issue 12)."""
        for section, items in after.items():
            for code, item in items.items():
                if code not in before[section]:
                    self.count(section, created=True)
                elif before[section][code] != item:
                    self.count(section, created=False)

    def __str__(self) -> str:
        parts = [
            f"{section}: {self.created.get(section, 0)} created, {self.updated.get(section, 0)} updated"
            for section in ("categories", "recipients", "activities", "connectors")
        ]
        return "; ".join(parts)


# ------------------------------------------------------------------------------
# Line numbers: yaml's node marks, indexed by the path to each value
# ------------------------------------------------------------------------------
def _marks(node, path=(), marks=None) -> dict[tuple, int]:
    marks = {} if marks is None else marks
    marks[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            marks[child] = key.start_mark.line + 1
            _marks(value, child, marks)
            marks[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _marks(item, (*path, index), marks)
    return marks


def where(marks: dict, path: tuple, source: str) -> str:
    """``file:line: dotted.path`` of a value, for one line of a problem report."""
    return _where(marks, path, source)


def _where(marks: dict, path: tuple, source: str) -> str:
    probe = tuple(path)
    while probe and probe not in marks:
        probe = probe[:-1]
    line = marks.get(probe, 1)
    dotted = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))
    return f"{source}:{line}: {dotted or '(file)'}"


# ------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------
def validate(data, marks: dict, source: str) -> list[str]:
    errors: list[str] = []
    if not isinstance(data, dict):
        return [f"{source}:1: the file must be a mapping with categories, recipients, activities and connectors."]
    # Imported here: only a configuration being loaded needs it, not every web process.
    from jsonschema import Draft202012Validator

    for error in sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    errors.append(
                        f"{_where(marks, (*path, key), source)}: unknown field '{key}' "
                        f"(expected one of: {', '.join(sorted(allowed))})."
                    )
            continue
        errors.append(f"{_where(marks, path, source)}: {error.message}")
    if errors:
        return errors

    def known(section: str, model) -> set[str]:
        return {item["code"] for item in data.get(section) or []} | set(model.objects.values_list("code", flat=True))

    for section in ("categories", "recipients", "activities", "connectors"):
        seen: set[str] = set()
        for index, item in enumerate(data.get(section) or []):
            if item["code"] in seen:
                errors.append(
                    f"{_where(marks, (section, index, 'code'), source)}: the code '{item['code']}' appears twice."
                )
            seen.add(item["code"])

    categories = known("categories", DataCategory)
    recipients = known("recipients", Recipient)
    activities = known("activities", ProcessingActivity)
    users = get_user_model()
    for index, recipient in enumerate(data.get("recipients") or []):
        for position, code in enumerate(recipient.get("categories") or []):
            if code not in categories:
                errors.append(
                    f"{_where(marks, ('recipients', index, 'categories', position), source)}: "
                    f"no category with the code '{code}'."
                )
        if recipient.get("outside_eea") and not recipient.get("transfer_safeguards"):
            errors.append(
                f"{_where(marks, ('recipients', index, 'outside_eea'), source)}: a transfer outside the EEA needs its "
                "safeguard (transfer_safeguards, Art. 46: e.g. standard contractual clauses)."
            )
    for index, activity in enumerate(data.get("activities") or []):
        for ref_field, pool in (("categories", categories), ("recipients", recipients)):
            for position, code in enumerate(activity.get(ref_field) or []):
                if code not in pool:
                    errors.append(
                        f"{_where(marks, ('activities', index, ref_field, position), source)}: no {ref_field[:-1] if ref_field != 'categories' else 'category'} with the code '{code}'."
                    )
        if activity["legal_basis"] == LegalBasis.LEGITIMATE_INTERESTS and not activity.get("legitimate_interests"):
            errors.append(
                f"{_where(marks, ('activities', index, 'legal_basis'), source)}: name the legitimate interests "
                "pursued (legitimate_interests, Art. 13(1)(d))."
            )
    for index, connector in enumerate(data.get("connectors") or []):
        for ref_field, pool, noun in (("categories", categories, "category"), ("activities", activities, "activity")):
            for position, code in enumerate(connector.get(ref_field) or []):
                if code not in pool:
                    errors.append(
                        f"{_where(marks, ('connectors', index, ref_field, position), source)}: no {noun} with the code '{code}'."
                    )
        config = connector.get("config") or {}
        for path in secret_paths(config):
            errors.append(f"{_where(marks, ('connectors', index, 'config', *path), source)}: {secret_advice(path)}")
        kind = kinds().get(connector["kind"])
        label_errors = columns.validate_declarations(connector["kind"], config, categories)
        if kind is not None:
            for sub_path, message in [*kind.validate_config(config), *label_errors]:
                parts = tuple(int(p) if p.isdigit() else p for p in sub_path.split("."))
                errors.append(f"{_where(marks, ('connectors', index, 'config', *parts), source)}: {message}")
        assignee = connector.get("default_assignee")
        if assignee and not users.objects.filter(username=assignee).exists():
            errors.append(
                f"{_where(marks, ('connectors', index, 'default_assignee'), source)}: no user named '{assignee}'."
            )
    errors += config_checks.file_errors(data, lambda path: _where(marks, path, source), categories)
    return errors


# The texts a subject or a recipient reads, per section: each should exist in
# every language the public form offers (Art. 12(1)), else the reader gets the
# fallback (English, then any) in the middle of their own language.
SUBJECT_TEXTS = {
    "categories": ("names", "descriptions"),
    "recipients": ("names", "descriptions", "transfer_safeguards"),
    "activities": ("names", "purposes", "legitimate_interests", "retention", "legal_hold_reason", "sources"),
    "connectors": ("names",),
}


def language_warnings(data, marks: dict, source: str, languages: list[str] | None = None) -> list[str]:
    """A line per text a subject reads that misses a language the form offers."""
    from django.conf import settings

    languages = languages or [code for code, _label in settings.LANGUAGES]
    warnings = []
    for section, fields in SUBJECT_TEXTS.items():
        for index, item in enumerate(data.get(section) or []):
            for name in fields:
                text = item.get(name)
                if name == "names" and section in ("recipients", "connectors") and not text:
                    warnings.append(
                        f"{_where(marks, (section, index, 'name'), source)}: warning: '{item['name']}' is shown to "
                        f"subjects in every language; give names: {{{', '.join(languages)}}}."
                    )
                    continue
                if not text:
                    continue
                missing = [lang for lang in languages if not text.get(lang)]
                if missing:
                    warnings.append(
                        f"{_where(marks, (section, index, name), source)}: warning: no text in {', '.join(missing)}."
                    )
            if section == "connectors":
                for path, missing in columns.missing_languages(item["kind"], item.get("config") or {}, languages):
                    parts = ("config", "tables", *path.split(".")) if item["kind"] == "sql" else ("config",)
                    warnings.append(
                        f"{_where(marks, (section, index, *parts), source)}: warning: {path} has no text in "
                        f"{', '.join(missing)}."
                    )
    return warnings


def parse(text: str, source: str = "config") -> tuple[dict, dict]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = str(exc.problem or exc)
        raise ConfigError(
            [f"{source}:{line}: this is not valid YAML: {problem}.{config_checks.yaml_hint(problem)}"]
        ) from None
    if node is None:
        raise ConfigError([f"{source}:1: the file is empty."])
    return data, _marks(node)


# ------------------------------------------------------------------------------
# Loading and dumping
# ------------------------------------------------------------------------------
def check(text: str, *, source: str = "config", reflect: bool = True) -> tuple[dict, dict, list[str], list[str]]:
    """(data in the stored shape, line marks, errors, warnings) of a file of
    format version 1 or 2 (``config_v2``). ``reflect``: read the keys and
    parents a version-2 file leaves out from the sources it can reach."""
    data, marks = parse(text, source)
    version_2 = isinstance(data, dict) and data.get("version") == 2
    data, errors, warnings = config_v2.normalize(
        data, marks, source, where=lambda path: _where(marks, path, source), reflect=reflect
    )
    # ``{code, enabled}`` alone switches a source on or off (config_lifecycle): not a declaration.
    switches = config_lifecycle.split_switches(data)
    errors += validate(data, marks, source) + config_lifecycle.switch_errors(switches, data, source)
    if isinstance(data, dict):
        data["switches"] = switches
        data["version_2"] = version_2
    if version_2:
        errors, warnings = config_v2.v2_paths(errors), config_v2.v2_paths(warnings)
    return data, marks, errors, warnings


def load_yaml(text: str, *, source: str = "config") -> LoadReport:
    """Validate, then create or update everything in one transaction.

    Items are matched by code; items absent from the file are left as they are.
    """
    data, marks, errors, warnings = check(text, source=source)
    if errors:
        raise ConfigError(errors)
    report = LoadReport(warnings=warnings)
    with transaction.atomic():
        before = config_lifecycle.state()
        for item in data.get("categories") or []:
            DataCategory.objects.update_or_create(
                code=item["code"],
                defaults={
                    "names": item["names"],
                    "descriptions": item.get("descriptions", {}),
                    "sensitive": item.get("sensitive", False),
                    "portable": item.get("portable", True),
                    # Declared in the file: in use, unless the file retires it.
                    "active": item.get("active", True),
                },
            )
        for item in data.get("recipients") or []:
            values = {k: v for k, v in item.items() if k not in ("code", "categories")}
            values.setdefault("kind", Recipient.Kind.PROCESSOR)
            recipient, _ = Recipient.objects.update_or_create(code=item["code"], defaults=values)
            # Absent means every category of its activities, as an empty list does.
            recipient.categories.set(DataCategory.objects.filter(code__in=item.get("categories") or []))
        for item in data.get("activities") or []:
            values = {k: v for k, v in item.items() if k not in ("code", "categories", "recipients")}
            activity, _ = ProcessingActivity.objects.update_or_create(code=item["code"], defaults=values)
            activity.categories.set(DataCategory.objects.filter(code__in=item.get("categories") or []))
            activity.recipients.set(Recipient.objects.filter(code__in=item.get("recipients") or []))
        users = get_user_model()
        for item in data.get("connectors") or []:
            values = {
                k: v for k, v in item.items() if k not in ("code", "categories", "activities", "default_assignee")
            }
            values.setdefault("operations", [Operation.ACCESS])
            # Like every other field the file leaves out, an absent assignee is
            # left as it is (the demo gives its camera task to the DPO after
            # loading); ``default_assignee: null`` clears it.
            if "default_assignee" in item:
                assignee = item["default_assignee"]
                values["default_assignee"] = users.objects.get(username=assignee) if assignee else None
            connector, _ = Connector.objects.update_or_create(code=item["code"], defaults=values)
            connector.categories.set(DataCategory.objects.filter(code__in=item.get("categories") or []))
            connector.activities.set(ProcessingActivity.objects.filter(code__in=item.get("activities") or []))
        config_lifecycle.apply_switches(data.get("switches") or [])
        report.compare(before, config_lifecycle.state())
    return report


def _texts(value: dict) -> dict:
    return {lang: value[lang] for lang in LANGUAGES if value.get(lang)}


def dump_data() -> dict:
    return {
        "version": 2,
        "categories": [
            {
                "code": c.code,
                "names": _texts(c.names),
                "descriptions": _texts(c.descriptions),
                "sensitive": c.sensitive,
                "portable": c.portable,
                "active": c.active,
            }
            for c in DataCategory.objects.order_by("code")
        ],
        "recipients": [
            {
                "code": r.code,
                "name": r.name,
                "names": _texts(r.names),
                "kind": r.kind,
                "descriptions": _texts(r.descriptions),
                "contact_email": r.contact_email,
                "address": r.address,
                "country": r.country,
                "outside_eea": r.outside_eea,
                "transfer_safeguards": _texts(r.transfer_safeguards),
                "notify_changes": r.notify_changes,
                "categories": sorted(c.code for c in r.categories.all()),
            }
            for r in Recipient.objects.order_by("code").prefetch_related("categories")
        ],
        "activities": [
            {
                "code": a.code,
                "names": _texts(a.names),
                "purposes": _texts(a.purposes),
                "legal_basis": a.legal_basis,
                "legitimate_interests": _texts(a.legitimate_interests),
                "data_subjects": [_texts(names) for names in a.data_subjects],
                "categories": sorted(a.categories.values_list("code", flat=True)),
                "recipients": sorted(a.recipients.values_list("code", flat=True)),
                "retention": _texts(a.retention),
                "legal_hold_years": a.legal_hold_years,
                "legal_hold_reason": _texts(a.legal_hold_reason),
                "sources": _texts(a.sources),
                "automated_decisions": _texts(a.automated_decisions),
                "automated_significance": _texts(a.automated_significance),
                "automated_consequences": _texts(a.automated_consequences),
                "security_measures": _texts(a.security_measures),
                "direct_marketing": a.direct_marketing,
                "active": a.active,
            }
            for a in ProcessingActivity.objects.order_by("code").prefetch_related("categories", "recipients")
        ],
        "connectors": [
            {
                "code": c.code,
                "name": c.name,
                "names": _texts(c.names),
                "kind": c.kind,
                # Format version 2: one entry per table (config_v2), with the keys and parents it was loaded with.
                "config": redacted(config_v2.upgrade_config(c.config) if c.kind == Connector.Kind.SQL else c.config),
                "categories": sorted(c.categories.values_list("code", flat=True)),
                "activities": sorted(c.activities.values_list("code", flat=True)),
                "identity_fields": c.identity_fields,
                "operations": c.operations,
                "timeout_seconds": c.timeout_seconds,
                "max_rows": c.max_rows,
                "enabled": c.enabled,
                "default_assignee": c.default_assignee.get_username() if c.default_assignee else None,
            }
            for c in Connector.objects.order_by("code").select_related("default_assignee")
        ],
    }


def stored_secrets() -> list[tuple[str, str]]:
    """(connector code, dotted path) of every secret held in a connector's
    configuration in the database, which ``dump_data`` leaves out."""
    return [
        (code, ".".join(map(str, path)))
        for code, config in Connector.objects.order_by("code").values_list("code", "config")
        for path in secret_paths(config or {})
    ]


def dump_yaml() -> str:
    return yaml.safe_dump(dump_data(), sort_keys=False, allow_unicode=True, width=100)
