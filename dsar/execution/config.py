"""The write behaviour of a connector, read from the ``execution`` key of its
free-form ``config`` (documented in README.md). Parsed once per use into small
dataclasses so that planning and execution read the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from dsar.connectors.base import ConnectorError

HASH_PREFIX = "erased:"


# Where a legal hold's years start: the row's own date, or the 1st of January
# after it. Belgian accounting records (Art. III.88 of the Code of Economic
# Law) are kept 7 years from the 1st of January after the financial year
# closed; with calendar financial years that is the year after the invoice's.
HOLD_COUNTED_FROM = ("date", "end_of_year")


@dataclass
class TableWrite:
    name: str
    key: str = "id"
    match: dict[str, str] = field(default_factory=dict)  # identity field -> column
    parent: dict | None = None  # {"table": ..., "column": ...}
    category: str = ""
    erasure_action: str = "delete"  # delete | mask | keep
    mask_fields: dict[str, str] = field(default_factory=dict)  # column -> "null" | "hash" | "fixed:<value>"
    legal_hold: dict | None = None  # {"activity": code, "date_column": column, "counted_from": ...}
    restriction_column: str = ""
    restriction_date_column: str = ""
    rectify_columns: dict[str, str] = field(default_factory=dict)  # request field -> column
    consent_columns: dict[str, str] = field(default_factory=dict)  # activity code -> column
    consent_date_column: str = ""  # one date column for every consent
    consent_date_columns: dict[str, str] = field(default_factory=dict)  # activity code -> its own date column
    # Art. 19: the data category of a column where it differs from the table's (a customer row holds
    # contact data, but also an IBAN or a profession); recipients are notified per category changed.
    column_categories: dict[str, str] = field(default_factory=dict)  # column -> DataCategory code

    def category_of(self, column: str) -> str:
        return self.column_categories.get(column) or self.category

    @property
    def record_categories(self) -> set[str]:
        """Every category a whole row of this table holds (what deleting or restricting it touches)."""
        return {c for c in (self.category, *self.column_categories.values()) if c}


def _field_op(value) -> str:
    if value is None or value == "null":
        return "null"
    if value == "hash":
        return "hash"
    text = str(value)
    return text if text.startswith("fixed:") else f"fixed:{text}"


def table_writes(config: dict) -> list[TableWrite]:
    """The tables of a SQL connector in config order (parents before children)."""
    tables = (config.get("execution") or {}).get("tables") or {}
    if isinstance(tables, list):  # also accept a list of {"name": ...}
        tables = {entry["name"]: entry for entry in tables}
    result = []
    for name, spec in tables.items():
        spec = spec or {}
        erasure = spec.get("erasure") or {}
        if isinstance(erasure, str):
            erasure = {"action": erasure}
        action = erasure.get("action", "delete")
        if action not in ("delete", "mask", "keep"):
            raise ConnectorError(f"Table {name}: erasure action must be delete, mask or keep, not '{action}'.")
        if not spec.get("match") and not spec.get("parent"):
            raise ConnectorError(f"Table {name}: say how its rows are found (match or parent).")
        counted_from = (spec.get("legal_hold") or {}).get("counted_from", "date")
        if counted_from not in HOLD_COUNTED_FROM:
            raise ConnectorError(
                f"Table {name}: legal_hold.counted_from must be one of {', '.join(HOLD_COUNTED_FROM)}, "
                f"not '{counted_from}'."
            )
        result.append(
            TableWrite(
                name=name,
                key=spec.get("key", "id"),
                match=dict(spec.get("match") or {}),
                parent=spec.get("parent"),
                category=spec.get("category", ""),
                erasure_action=action,
                mask_fields={column: _field_op(op) for column, op in (erasure.get("fields") or {}).items()},
                legal_hold=spec.get("legal_hold"),
                restriction_column=spec.get("restriction_column", ""),
                restriction_date_column=spec.get("restriction_date_column", ""),
                rectify_columns=dict(spec.get("rectify_columns") or {}),
                consent_columns=dict(spec.get("consent_columns") or {}),
                consent_date_column=spec.get("consent_date_column", ""),
                consent_date_columns=dict(spec.get("consent_date_columns") or {}),
                column_categories=dict(spec.get("column_categories") or {}),
            )
        )
    return _parents_first(result)


def erasure_outcomes(tables: list[TableWrite]) -> dict[str, list[str]]:
    """Per table, what an erasure of the whole subject does to its rows, as
    ``planning.compute_plan`` decides it outside a legal hold: the configured
    action first, then what happens instead to a row that a kept record (held
    by law, kept or masked by configuration) still refers to: masked when
    fields to mask are configured, else kept. The source's page says this, and
    a preview for one subject then shows the same actions, counted."""
    children: dict[str, list[TableWrite]] = {}
    for spec in tables:
        if spec.parent:
            children.setdefault(spec.parent["table"], []).append(spec)

    def may_stay(spec: TableWrite, seen: frozenset = frozenset()) -> bool:
        # A row stays if it is held, not deleted by configuration, or referenced by one that stays.
        if spec.name in seen:
            return False
        return bool(spec.legal_hold) or spec.erasure_action != "delete" or referenced(spec, seen | {spec.name})

    def referenced(spec: TableWrite, seen: frozenset = frozenset()) -> bool:
        return any(may_stay(child, seen) for child in children.get(spec.name, []))

    instead = {True: "mask", False: "keep"}
    outcomes = {}
    for spec in tables:
        if spec.erasure_action == "keep":
            outcomes[spec.name] = ["keep"]
        elif spec.erasure_action == "mask":
            outcomes[spec.name] = [instead[bool(spec.mask_fields)]]
        elif referenced(spec, frozenset({spec.name})):
            outcomes[spec.name] = ["delete", instead[bool(spec.mask_fields)]]
        else:
            outcomes[spec.name] = ["delete"]
    return outcomes


def _parents_first(tables: list[TableWrite]) -> list[TableWrite]:
    """Order tables so that each comes after its parent. The configuration's
    order cannot be trusted: PostgreSQL's jsonb does not keep key order."""
    by_name = {spec.name: spec for spec in tables}
    ordered: list[TableWrite] = []
    visiting: set[str] = set()

    def visit(spec: TableWrite) -> None:
        if spec in ordered:
            return
        if spec.name in visiting:
            raise ConnectorError(f"Table {spec.name}: its parents form a loop.")
        visiting.add(spec.name)
        parent = (spec.parent or {}).get("table")
        if parent:
            if parent not in by_name:
                raise ConnectorError(f"Table {spec.name}: its parent {parent} is not configured.")
            visit(by_name[parent])
        ordered.append(spec)

    for spec in sorted(tables, key=lambda s: s.name):
        visit(spec)
    return ordered


def sql_url(config: dict) -> str:
    """The database URL as the SQL connector reads it: ``url`` without a
    password (``{demo_dir}`` is the demo folder), the password from the
    environment variable named by ``password_env``."""
    from django.conf import settings
    from sqlalchemy.engine import make_url

    if not config.get("url"):
        raise ConnectorError("The connector has no database URL (url).")
    from dsar.connectors.secrets import read_secret
    from dsar.connectors.sql import check_database_host

    url = make_url(config["url"].replace("{demo_dir}", str(settings.DSAR_DEMO_DIR)))
    check_database_host(url)
    if config.get("password_env"):
        password = read_secret(config["password_env"])
        if not password:
            raise ConnectorError(f"The environment variable {config['password_env']} (password_env) is not set.")
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)


def http_calls(config: dict) -> dict:
    """``execution`` of an HTTP connector: {"erase": call, "restrict": call,
    "rectify": call, "stop_processing": {activity: call}} with call =
    {"method", "path", "json", "description", and for rectify "fields"}."""
    return config.get("execution") or {}


def http_call(config: dict, name: str) -> dict | None:
    """One call by its name in a plan item ("erase", "stop_processing.webinars")."""
    call: object = http_calls(config)
    for part in name.split("."):
        call = call.get(part) if isinstance(call, dict) else None
    return call if isinstance(call, dict) and call.get("path") is not None else None


def http_rectify_fields(config: dict) -> dict[str, str]:
    """The rectify call's ``fields``: the request's field name -> the API's
    field name. Empty when the API takes the request's names as they are."""
    return dict((http_calls(config).get("rectify") or {}).get("fields") or {})
