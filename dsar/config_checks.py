"""Strict checks of the sources a configuration file declares (issue 12).

``configuration.validate`` checks the file's shape; this module checks what a
connector's free-form ``config`` says, where a mistake does harm nobody sees:
a misspelt ``legal_hold.activity`` silently dropped a 7-year accounting hold
(Art. 17(3)(b)), a table without its key made a source fail and the subject was
told nothing was found. So:

* ``declaration_errors``: unknown keys at every level of a connector's config
  (with "did you mean"), every cross-reference resolved (categories, identity
  names, parents, the activity of a legal hold, which must itself keep data for
  a period), enumerations checked (erasure actions and field operations,
  ``counted_from``). No database is opened.
* ``live_errors``: against the live system, for every source it can reach
  (``dsar_config load --check`` unless ``--offline``): the tables, columns,
  keys and parents exist, a column masked to empty accepts NULL, a hold's date
  column holds dates, an SQLite file exists, an HTTP source answers.

Each problem is one line starting with ``file:line:``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from django.conf import settings

from dsar.execution.config import HOLD_COUNTED_FROM
from dsar.models import IdentityField

Where = Callable[[tuple], str]

# The keys each kind of connector reads (dsar/connectors/*.py, dsar/execution/config.py).
# ``label`` and ``columns`` are the subject's labels and formats (dsar/exports/columns.py).
SQL_KEYS = (
    "url",
    "password_env",
    "schema",
    "tables",
    "relations",
    "exclude_tables",
    "follow_foreign_keys",
    "max_depth",
    "category",
    "exclude_columns",
    "execution",
)
SQL_TABLE_KEYS = ("match", "category", "exclude_columns", "max_rows", "label", "columns")
HTTP_KEYS = (
    "base_url",
    "headers",
    "secret_headers",
    "resources",
    "pagination",
    "timeout",
    "not_found_is_empty",
    "execution",
    "tables",
)
HTTP_RESOURCE_KEYS = ("name", "path", "records", "category", "label", "columns", "description")
HTTP_CALLS = ("erase", "restrict", "unrestrict", "rectify", "stop_processing")
MANUAL_KEYS = ("instructions",)
EXECUTION_KEYS = ("tables",)
EXECUTION_TABLE_KEYS = (
    "key",
    "match",
    "parent",
    "category",
    "erasure",
    "legal_hold",
    "restriction_column",
    "restriction_date_column",
    "rectify_columns",
    "consent_columns",
    "consent_date_column",
    "consent_date_columns",
    "column_categories",
)
ERASURE_KEYS = ("action", "fields")
ERASURE_ACTIONS = ("delete", "mask", "keep")
PARENT_KEYS = ("table", "column")
HOLD_KEYS = ("activity", "date_column", "counted_from")
RELATION_KEYS = ("parent", "child")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for a near miss, else ""."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _unknown(mapping, allowed: Iterable[str], path: tuple, where: Where, what: str) -> list[str]:
    if not isinstance(mapping, dict):
        return [f"{where(path)}: {what} must be a mapping."]
    allowed = tuple(allowed)
    return [
        f"{where((*path, key))}: unknown key '{key}' in {what}{did_you_mean(key, allowed)}; "
        f"expected one of: {', '.join(allowed)}."
        for key in mapping
        if key not in allowed
    ]


def _ref(value, pool: Iterable[str], path: tuple, where: Where, noun: str) -> list[str]:
    pool = set(pool)
    if value in pool:
        return []
    return [f"{where(path)}: no {noun} '{value}'{did_you_mean(value, pool)}."]


def declaration_errors(
    connector: dict, base: tuple, where: Where, *, categories: set[str], activities: dict[str, dict]
) -> list[str]:
    """Every problem of one connector's ``config`` that needs no database.

    ``activities``: code -> {"legal_hold_years": ...} for the file's and the
    register's activities (a hold names one that must keep data for a period)."""
    config = connector.get("config") or {}
    kind = connector.get("kind")
    path = (*base, "config")
    errors: list[str] = []
    if kind == "sql":
        errors += _unknown(config, SQL_KEYS, path, where, "an SQL source's config")
        for name, table in (config.get("tables") or {}).items() if isinstance(config.get("tables"), dict) else []:
            table_path = (*path, "tables", name)
            if isinstance(table, dict):
                errors += _unknown(table, SQL_TABLE_KEYS, table_path, where, f"table {name}")
                if table.get("category"):
                    errors += _ref(table["category"], categories, (*table_path, "category"), where, "category")
        for index, relation in enumerate(config.get("relations") or []):
            errors += _unknown(relation, RELATION_KEYS, (*path, "relations", index), where, "a relation")
        errors += _sql_execution(config.get("execution"), (*path, "execution"), where, categories, activities)
    elif kind == "http":
        errors += _unknown(config, HTTP_KEYS, path, where, "an HTTP source's config")
        for index, resource in enumerate(config.get("resources") or []):
            resource_path = (*path, "resources", index)
            errors += _unknown(resource, HTTP_RESOURCE_KEYS, resource_path, where, "a resource")
            if isinstance(resource, dict) and resource.get("category"):
                errors += _ref(resource["category"], categories, (*resource_path, "category"), where, "category")
        execution = config.get("execution")
        if execution is not None:
            errors += _unknown(execution, HTTP_CALLS, (*path, "execution"), where, "an HTTP source's execution")
    elif kind == "manual":
        errors += _unknown(config, MANUAL_KEYS, path, where, "a manual source's config")
        if isinstance(config, dict):
            errors += _instructions(config.get("instructions"), (*path, "instructions"), where)
    return errors


def _instructions(value, path: tuple, where: Where) -> list[str]:
    """One text, or one per language ({en: ..., nl: ...}): the person who
    searches reads them in their own language."""
    if value is None or isinstance(value, str):
        return []
    languages = [code for code, _label in settings.LANGUAGES]
    if not isinstance(value, dict):
        return [f"{where(path)}: instructions must be a text, or a text per language ({', '.join(languages)})."]
    errors = _unknown(value, languages, path, where, "the instructions")
    errors += [
        f"{where((*path, key))}: the instructions must be a text."
        for key, text in value.items()
        if not isinstance(text, str)
    ]
    return errors


def _sql_execution(execution, path: tuple, where: Where, categories: set[str], activities: dict) -> list[str]:
    if execution is None:
        return []
    errors = _unknown(execution, EXECUTION_KEYS, path, where, "execution")
    tables = (execution or {}).get("tables") if isinstance(execution, dict) else None
    if not isinstance(tables, dict):
        return errors
    identities = list(IdentityField.values)
    for name, spec in tables.items():
        table_path = (*path, "tables", name)
        if not isinstance(spec, dict):
            errors.append(f"{where(table_path)}: table {name} must be a mapping.")
            continue
        errors += _unknown(spec, EXECUTION_TABLE_KEYS, table_path, where, f"table {name}")
        for identity in spec.get("match") or {}:
            errors += _ref(identity, identities, (*table_path, "match", identity), where, "identity")
        if spec.get("category"):
            errors += _ref(spec["category"], categories, (*table_path, "category"), where, "category")
        for column, code in (spec.get("column_categories") or {}).items():
            errors += _ref(code, categories, (*table_path, "column_categories", column), where, "category")
        parent = spec.get("parent")
        if parent is not None:
            errors += _unknown(parent, PARENT_KEYS, (*table_path, "parent"), where, "parent")
            if isinstance(parent, dict):
                if not parent.get("table") or not parent.get("column"):
                    errors.append(f"{where((*table_path, 'parent'))}: a parent names its table and column.")
                elif parent["table"] not in tables:
                    errors += _ref(parent["table"], tables, (*table_path, "parent", "table"), where, "configured table")
        erasure = spec.get("erasure")
        if isinstance(erasure, str):
            erasure = {"action": erasure}
        if erasure is not None:
            errors += _unknown(erasure, ERASURE_KEYS, (*table_path, "erasure"), where, "erasure")
            if isinstance(erasure, dict):
                action = erasure.get("action", "delete")
                if action not in ERASURE_ACTIONS:
                    errors.append(
                        f"{where((*table_path, 'erasure', 'action'))}: erasure action '{action}' is not one of "
                        f"{', '.join(ERASURE_ACTIONS)}{did_you_mean(action, ERASURE_ACTIONS)}."
                    )
                for column, op in (erasure.get("fields") or {}).items():
                    if isinstance(op, str) and op not in ("null", "hash") and not op.startswith("fixed:"):
                        errors.append(
                            f"{where((*table_path, 'erasure', 'fields', column))}: '{op}' is not a way to mask: "
                            f"write null, hash or fixed:<value>{did_you_mean(op, ('null', 'hash', 'fixed:'))}."
                        )
        hold = spec.get("legal_hold")
        if hold is not None:
            errors += _hold(hold, (*table_path, "legal_hold"), where, activities)
    return errors


def _hold(hold, path: tuple, where: Where, activities: dict) -> list[str]:
    errors = _unknown(hold, HOLD_KEYS, path, where, "legal_hold")
    if not isinstance(hold, dict):
        return errors
    code = hold.get("activity")
    if not code:
        errors.append(f"{where(path)}: a legal hold names the processing activity whose obligation keeps the data.")
    elif code not in activities:
        # Art. 17(3)(b): a hold nobody can resolve would plan "delete" for what the law says to keep.
        errors += _ref(code, activities, (*path, "activity"), where, "processing activity")
    elif not activities[code].get("legal_hold_years"):
        errors.append(
            f"{where((*path, 'activity'))}: the activity '{code}' keeps nothing for a period (legal_hold_years): "
            "give it the years the law requires, or name the activity that does."
        )
    if not hold.get("date_column"):
        errors.append(f"{where(path)}: a legal hold names the date column its years are counted from (date_column).")
    counted_from = hold.get("counted_from", "date")
    if counted_from not in HOLD_COUNTED_FROM:
        errors.append(
            f"{where((*path, 'counted_from'))}: counted_from '{counted_from}' is not one of "
            f"{', '.join(HOLD_COUNTED_FROM)}{did_you_mean(counted_from, HOLD_COUNTED_FROM)}."
        )
    return errors


def yaml_hint(problem: str) -> str:
    """What to quote, for the YAML parse errors a configuration meets most."""
    if "mapping values are not allowed" in problem:
        return " A value containing ': ' must be quoted, e.g. text: \"Note: kept 7 years\"."
    if "found character" in problem and "that cannot start any token" in problem:
        return ' A value starting with @, ` or % must be quoted, e.g. email: "@example.be".'
    if "found undefined alias" in problem or "expected alphabetic or numeric character" in problem:
        return ' A value starting with * or & must be quoted, e.g. pattern: "*.csv".'
    if "could not find expected ':'" in problem or "while scanning a simple key" in problem:
        return " Check the indentation of this line, and quote a value containing ':' or '#'."
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in problem:
        return " A quoted value is not closed: end it with the same quote it starts with."
    return ""


def file_errors(data: dict, where: Where, categories: set[str]) -> list[str]:
    """``declaration_errors`` of every connector in a configuration file."""
    from dsar.models import ProcessingActivity

    activities: dict[str, dict] = {
        code: {"legal_hold_years": years}
        for code, years in ProcessingActivity.objects.values_list("code", "legal_hold_years")
    }
    for item in data.get("activities") or []:
        activities[item["code"]] = {"legal_hold_years": item.get("legal_hold_years")}
    errors: list[str] = []
    for index, connector in enumerate(data.get("connectors") or []):
        errors += declaration_errors(
            connector, ("connectors", index), where, categories=categories, activities=activities
        )
    return errors
