"""What a subject reads for each column: its label, whether it is shown, and
its values formatted in the subject's language (Art. 12(1): "concise,
transparent, intelligible and easily accessible form, using clear and plain
language").

A source declares, per table (an SQL table or an HTTP resource), in its
configuration (``dsar/CONFIG.md``, "Labels and formats")::

    tables:
      customers:
        label: {en: Customer record, nl: Klantenfiche, ...}
        columns:
          customer_no: {label: {en: Customer number, nl: Klantnummer}}
          iban: {label: {...}, category: financial}
          total: {label: {...}, format: amount, currency: EUR}
          gender: {label: {...}, values: {F: {en: female, nl: vrouw}}}
          id: {visible: true}                      # a key the subject knows

Nothing declared still reads well: technical keys and foreign keys
(``id``, ``customer_id``, ``TrackId``) are hidden, a label is made from the
column's name, and values are formatted by what they are (a date, a time, a
yes/no, an amount with its trailing zeros). The JSON keeps the raw values
beside these labels (Art. 20: machine-readable).

This module reads only plain dicts, so that it serves any shape of source
declaration (one declaration per table included).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dsar.models import pick

FORMATS = ("text", "date", "datetime", "number", "amount", "boolean", "code", "filesize")
COLUMN_KEYS = ("label", "format", "currency", "values", "visible", "category", "decimals")
# The currencies a desk in the EU meets; the symbol where the language writes one.
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}
# Where the symbol goes, per language: "€ 5,94" in Dutch, "5,94 €" in French and German.
CURRENCY_AFTER = {"fr", "de"}

# A technical key or a foreign key: "id", "customer_id", "TrackId", "invoiceID".
_KEY_NAME = re.compile(r"^(?:id|.+_id|.+[a-z0-9]Id|.+ID)$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A database decimal with its scale's trailing zeros ("5.9400000000"): shown with two decimals.
_PADDED_DECIMAL = re.compile(r"^-?\d+\.\d{2}0+$")
_WORD_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[_\-.\s]+")

# Labels of the records a person enters for a manual source (dsar.gathering).
MANUAL_TABLES = {
    "findings": {
        "label": gettext_lazy("What we found"),
        "columns": {"findings": {"label": gettext_lazy("Description")}},
    },
    "file": {
        "label": gettext_lazy("Files"),
        "columns": {
            "file_id": {"visible": False},
            "name": {"label": gettext_lazy("File")},
            "content_type": {"label": gettext_lazy("Type of file")},
            "size": {"label": gettext_lazy("Size"), "format": "filesize"},
        },
    },
}


def readable(name: str) -> str:
    """A label made from a column's name: ``customer_no`` -> "Customer no", ``SupportRepId`` -> "Support rep id"."""
    words = [word for word in _WORD_SPLIT.split(name) if word]
    if not words:
        return name
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def key_label(name: str, language: str) -> str:
    """A technical or foreign key no source labels, in the reader's language and
    marked technical: the JSON copy lists every column, hidden ones included,
    and "Id" or "Customer id" is neither Dutch nor plain words (Art. 12(1)).
    "" for a column that is no key."""
    if not _KEY_NAME.match(name):
        return ""
    with translation.override(language):
        if name.lower() == "id":
            return _("Internal number (technical)")
        return _("Internal number of a linked record (technical)")


def zoned(value):
    """A date and time the source stored without its time zone, with it: the
    desk's (settings.TIME_ZONE), which the copy already takes for such a time
    when it shows it. Any other value is returned as it is."""
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        moment = _as_datetime(value)
        if moment is not None and timezone.is_naive(moment):
            return timezone.make_aware(moment).isoformat()
    return value


def _text(value, language: str) -> str:
    """A declared text: translations per language, or one plain (or lazily translated) text."""
    if isinstance(value, dict):
        return pick(value, language)
    return str(value) if value else ""


@dataclass(frozen=True)
class Column:
    name: str
    declared: dict = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        """Declared, or hidden when it is a technical or foreign key."""
        if "visible" in self.declared:
            return bool(self.declared["visible"])
        return not _KEY_NAME.match(self.name)

    @property
    def category(self) -> str:
        return self.declared.get("category") or ""

    @property
    def format(self) -> str:
        return self.declared.get("format") or ("code" if self.declared.get("values") else "")

    def label(self, language: str) -> str:
        return _text(self.declared.get("label"), language) or key_label(self.name, language) or readable(self.name)

    def value_labels(self, language: str) -> dict[str, str]:
        return {str(code): _text(text, language) for code, text in (self.declared.get("values") or {}).items()}

    def show(self, value, language: str) -> str:
        """The value as the subject reads it, in the active language (the caller overrides it)."""
        return format_value(value, self, language)


@dataclass(frozen=True)
class Table:
    entity: str
    declared: dict = field(default_factory=dict)

    def label(self, language: str) -> str:
        return _text(self.declared.get("label"), language) or readable(self.entity)

    def column(self, name: str) -> Column:
        return Column(name, (self.declared.get("columns") or {}).get(name) or {})

    def column_categories(self) -> dict[str, str]:
        """Columns declared with a category of their own (an IBAN in the customer record)."""
        return {
            name: spec["category"]
            for name, spec in (self.declared.get("columns") or {}).items()
            if isinstance(spec, dict) and spec.get("category")
        }


def table_declarations(kind: str, config: dict) -> dict[str, dict]:
    """The per-table declarations of a source's configuration, by table (entity) name."""
    config = config or {}
    if kind == "manual":
        return MANUAL_TABLES
    if kind == "http":
        return {
            resource["name"]: {k: resource[k] for k in ("label", "columns") if k in resource}
            for resource in config.get("resources") or []
            if isinstance(resource, dict) and resource.get("name")
        }
    tables = config.get("tables") or {}
    declarations = {}
    for name, table in tables.items():
        if not isinstance(table, dict):
            continue
        declaration = {k: table[k] for k in ("label", "columns") if k in table}
        # A key the source declares (execution's ``key``) is technical too.
        declarations[name] = declaration
    return declarations


class Catalogue:
    """Every source's tables, from the register snapshot's ``connectors``."""

    def __init__(self, connectors: dict):
        self._tables = {code: (connector.get("tables") or {}) for code, connector in (connectors or {}).items()}

    def table(self, source: str, entity: str) -> Table:
        return Table(entity, self._tables.get(source, {}).get(entity) or {})

    def column_categories(self) -> dict[tuple[str, str], dict[str, str]]:
        """(source, table) -> {column: category} wherever a column has a category of its own."""
        result = {}
        for source, tables in self._tables.items():
            for entity in tables:
                found = self.table(source, entity).column_categories()
                if found:
                    result[(source, entity)] = found
        return result


# ------------------------------------------------------------------------------
# Formatting values
# ------------------------------------------------------------------------------
def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _as_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _as_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    moment = _as_datetime(value)
    return moment.date() if moment else None


def format_datetime(moment: dt.datetime) -> str:
    """Date and time to the minute, in the desk's time zone (the subject's, as
    the controller serves them), never with seconds' fractions."""
    if timezone.is_naive(moment):
        # A source that stores local times without a zone: shown as stored.
        return formats.date_format(moment, "DATETIME_FORMAT")
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def format_number(number: Decimal, decimals: int | None = None) -> str:
    if decimals is None:
        # As many decimals as it has, without a database's padding zeros.
        exponent = number.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_amount(number: Decimal, currency: str, language: str) -> str:
    text = formats.number_format(number, decimal_pos=2, use_l10n=True, force_grouping=True)
    if not currency:
        return text
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), currency.upper())
    if language in CURRENCY_AFTER:
        return f"{text}\u00a0{symbol}"
    return f"{symbol}\u00a0{text}" if language == "nl" else f"{symbol}{text}"


def format_filesize(size: Decimal) -> str:
    if size < 1024:
        return _("%(size)s bytes") % {"size": format_number(size, 0)}
    if size < 1024 * 1024:
        return _("%(size)s kB") % {"size": format_number(size / 1024, 0)}
    return _("%(size)s MB") % {"size": format_number(size / (1024 * 1024), 1)}


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def format_value(value, column: Column, language: str) -> str:
    """One value as a subject reads it (the active language must be ``language``)."""
    import json

    from dsar.exports.withheld import WithheldValue

    if isinstance(value, WithheldValue):
        return str(value)  # the Art. 15(4) notice, never read as a date or a yes/no
    if _empty(value):
        return "—"
    kind = column.format
    labels = column.value_labels(language)
    if labels and str(value) in labels:
        return labels[str(value)]
    if kind == "boolean" or isinstance(value, bool):
        truthy = value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "y", "t")
        return yes_no(truthy)
    if kind == "date":
        day = _as_date(value)
        if day:
            return formats.date_format(day, "DATE_FORMAT")
    if kind in ("datetime", "", "text"):
        moment = _as_datetime(value)
        if moment and kind != "text":
            return format_datetime(moment)
        if kind == "" and isinstance(value, str) and _ISO_DATE.match(value):
            day = _as_date(value)
            if day:
                return formats.date_format(day, "DATE_FORMAT")
    if kind in ("amount", "number", "filesize"):
        number = _as_decimal(value)
        if number is not None:
            if kind == "amount":
                return format_amount(number, column.declared.get("currency", ""), language)
            if kind == "filesize":
                return format_filesize(number)
            return format_number(number, column.declared.get("decimals"))
    if kind == "" and isinstance(value, str) and _PADDED_DECIMAL.match(value):
        return format_number(Decimal(value), 2)
    if kind == "" and isinstance(value, float):
        number = _as_decimal(value)
        if number is not None:
            return format_number(number)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


# ------------------------------------------------------------------------------
# Checking declarations (dsar_config load)
# ------------------------------------------------------------------------------
def validate_declarations(kind: str, config: dict, categories: set[str]) -> list[tuple[str, str]]:
    """Problems in a source's label and format declarations: (dotted path, message)."""
    errors: list[tuple[str, str]] = []
    if kind == "http":
        items = [
            (f"resources.{index}", resource)
            for index, resource in enumerate(config.get("resources") or [])
            if isinstance(resource, dict)
        ]
    elif kind == "sql":
        items = [(f"tables.{name}", table) for name, table in (config.get("tables") or {}).items()]
    else:
        return errors
    for prefix, table in items:
        if not isinstance(table, dict):
            continue
        if "label" in table and not _is_text(table["label"]):
            errors.append((f"{prefix}.label", "Give the label per language, e.g. {en: Invoices, nl: Facturen}."))
        columns = table.get("columns")
        if columns is None:
            continue
        if not isinstance(columns, dict):
            errors.append((f"{prefix}.columns", "List the columns as a mapping: column name: {label, format...}."))
            continue
        for name, spec in columns.items():
            where = f"{prefix}.columns.{name}"
            if not isinstance(spec, dict):
                errors.append((where, "Each column is a mapping (label, format, currency, values, visible, category)."))
                continue
            for key in spec:
                if key not in COLUMN_KEYS:
                    errors.append((f"{where}.{key}", f"Unknown field '{key}'; use one of {', '.join(COLUMN_KEYS)}."))
            if "label" in spec and not _is_text(spec["label"]):
                errors.append((f"{where}.label", "Give the label per language, e.g. {en: Due date, nl: Vervaldag}."))
            if spec.get("format") and spec["format"] not in FORMATS:
                errors.append((f"{where}.format", f"Unknown format; use one of {', '.join(FORMATS)}."))
            if spec.get("currency") and not re.fullmatch(r"[A-Z]{3}", str(spec["currency"])):
                errors.append((f"{where}.currency", "Give the currency as its ISO 4217 code, e.g. EUR."))
            values = spec.get("values")
            if values is not None and not (isinstance(values, dict) and all(_is_text(v) for v in values.values())):
                errors.append((f"{where}.values", "Give each code's label per language, e.g. {F: {en: female}}."))
            if spec.get("category") and spec["category"] not in categories:
                errors.append((f"{where}.category", f"No category with the code '{spec['category']}'."))
            if "visible" in spec and not isinstance(spec["visible"], bool):
                errors.append((f"{where}.visible", "Write true or false."))
    return errors


def missing_languages(kind: str, config: dict, languages: list[str]) -> list[tuple[str, list[str]]]:
    """Declared labels that lack a language the form offers: (dotted path, missing languages)."""
    found = []
    for entity, table in table_declarations(kind, config).items():
        if kind == "manual":
            break
        texts = [(f"{entity}.label", table.get("label"))]
        for name, spec in (table.get("columns") or {}).items():
            if isinstance(spec, dict):
                texts.append((f"{entity}.columns.{name}.label", spec.get("label")))
                for code, text in (spec.get("values") or {}).items():
                    texts.append((f"{entity}.columns.{name}.values.{code}", text))
        for path, text in texts:
            if isinstance(text, dict):
                missing = [lang for lang in languages if not text.get(lang)]
                if missing:
                    found.append((path, missing))
    return found


def _is_text(value) -> bool:
    return isinstance(value, str) or (isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))
