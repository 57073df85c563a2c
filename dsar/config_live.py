"""Checks of a configuration file against the live systems it names (issue 12,
point 3): ``dsar_config load --check`` runs them for every source it can
reach, ``--offline`` skips them. Nothing is written, in the desk or a source.

SQL sources are read through SQLAlchemy's reflection: each table the file
names exists, and each column it names (identity matches, keys, parents,
masked fields, hold dates, restriction, rectification and consent columns);
a column masked to empty accepts NULL; a legal hold's date column holds dates.
An SQLite file must exist (SQLAlchemy would otherwise create an empty one, and
every search would find nothing). An HTTP source must answer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import sqlalchemy as sa
from django.conf import settings
from sqlalchemy.engine import make_url

from dsar.config_checks import Where, did_you_mean
from dsar.connectors.base import ConnectorError
from dsar.execution.config import sql_url

TIMEOUT_SECONDS = 10


def file_errors(data: dict, where: Where) -> list[str]:
    """The live problems of every enabled connector in a configuration file."""
    errors: list[str] = []
    for index, connector in enumerate(data.get("connectors") or []):
        if connector.get("enabled") is False:
            continue
        base = ("connectors", index)
        config = connector.get("config") or {}
        if connector.get("kind") == "sql":
            errors += sql_errors(config, base, where)
        elif connector.get("kind") == "http":
            errors += http_errors(config, base, where)
    return errors


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url.replace("{demo_dir}", str(settings.DSAR_DEMO_DIR)))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def sql_errors(config: dict, base: tuple, where: Where) -> list[str]:
    url_path = (*base, "config", "url")
    try:
        url = sql_url(config)
    except ConnectorError as exc:
        return [f"{where(url_path)}: {exc}"]
    sqlite = _sqlite_path(config.get("url", ""))
    if sqlite is not None:
        if not sqlite.is_absolute():
            return [
                f"{where(url_path)}: the SQLite path '{sqlite}' is relative: the worker would read it from its own "
                "directory. Write an absolute path (sqlite:////srv/data/shop.sqlite3)."
            ]
        if not sqlite.exists():
            return [f"{where(url_path)}: the SQLite file {sqlite} does not exist."]
    engine = sa.create_engine(url, hide_parameters=True)
    try:
        inspector = sa.inspect(engine)
        schema = config.get("schema") or None
        names = set(inspector.get_table_names(schema=schema)) | set(inspector.get_view_names(schema=schema))
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        return [f"{where(url_path)}: cannot read the database: {type(getattr(exc, 'orig', None) or exc).__name__}."]
    try:
        return _tables(config, base, where, inspector, schema, names, engine)
    finally:
        engine.dispose()


def _tables(config: dict, base: tuple, where: Where, inspector, schema, names: set[str], engine) -> list[str]:
    errors: list[str] = []
    columns_of: dict[str, dict[str, dict]] = {}

    def table_ok(name: str, path: tuple) -> bool:
        if name in names:
            if name not in columns_of:
                columns_of[name] = {c["name"]: c for c in inspector.get_columns(name, schema=schema)}
            return True
        errors.append(f"{where(path)}: the database has no table '{name}'{did_you_mean(name, names)}.")
        return False

    def column_ok(table: str, column: str, path: tuple) -> dict | None:
        found = columns_of.get(table, {}).get(column)
        if found is None:
            errors.append(
                f"{where(path)}: table {table} has no column '{column}'{did_you_mean(column, columns_of.get(table, {}))}."
            )
        return found

    read: dict = config["tables"] if isinstance(config.get("tables"), dict) else {}
    for name, table in read.items():
        path = (*base, "config", "tables", name)
        if not table_ok(name, path):
            continue
        for identity, column in ((table or {}).get("match") or {}).items():
            column_ok(name, column, (*path, "match", identity))
        for column in (table or {}).get("exclude_columns") or []:
            column_ok(name, column, (*path, "exclude_columns"))
    tables = ((config.get("execution") or {}).get("tables")) or {}
    for name, spec in tables.items():
        path = (*base, "config", "execution", "tables", name)
        if not isinstance(spec, dict) or not table_ok(name, path):
            continue
        if not spec.get("match") and not spec.get("parent"):
            errors.append(
                f"{where(path)}: say how rows of {name} are found: match (identity: column), or parent where the "
                "database has no foreign key to another declared table."
            )
        key = spec.get("key", "id")
        # The default key is "id": a table without one fails the source (and, before issue 12, the subject was
        # told nothing was found). Its real primary key is the hint.
        if key not in columns_of[name]:
            primary = inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
            hint = f" Its primary key is {', '.join(primary)}: write key: {primary[0]}." if len(primary) == 1 else ""
            declared = "" if "key" in spec else " (no key declared, so 'id' was assumed)"
            errors.append(f"{where((*path, 'key'))}: table {name} has no column '{key}'{declared}.{hint}")
        for identity, column in (spec.get("match") or {}).items():
            column_ok(name, column, (*path, "match", identity))
        parent = spec.get("parent") or {}
        if parent.get("column"):
            column_ok(name, parent["column"], (*path, "parent", "column"))
        erasure: dict = spec["erasure"] if isinstance(spec.get("erasure"), dict) else {}
        for column, op in (erasure.get("fields") or {}).items():
            found = column_ok(name, column, (*path, "erasure", "fields", column))
            if found is not None and op in (None, "null") and not found.get("nullable", True):
                errors.append(
                    f"{where((*path, 'erasure', 'fields', column))}: column {name}.{column} is NOT NULL: it cannot "
                    "be set to empty; mask it with hash or fixed:<value>."
                )
        hold: dict = spec["legal_hold"] if isinstance(spec.get("legal_hold"), dict) else {}
        if hold.get("date_column"):
            found = column_ok(name, hold["date_column"], (*path, "legal_hold", "date_column"))
            if found is not None and not _holds_dates(found["type"], engine, name, hold["date_column"], schema):
                errors.append(
                    f"{where((*path, 'legal_hold', 'date_column'))}: column {name}.{hold['date_column']} holds "
                    f"{found['type']}, not dates: the hold could not say until when the data is kept."
                )
        for key_name in ("restriction_column", "restriction_date_column", "consent_date_column"):
            if spec.get(key_name):
                column_ok(name, spec[key_name], (*path, key_name))
        for key_name in ("rectify_columns", "consent_columns", "consent_date_columns"):
            for label, column in (spec.get(key_name) or {}).items():
                column_ok(name, column, (*path, key_name, label))
        for column in spec.get("column_categories") or {}:
            column_ok(name, column, (*path, "column_categories", column))
    return errors


def _holds_dates(column_type, engine, table: str, column: str, schema) -> bool:
    """A date type, or (SQLite's text dates) values that all read as ISO dates."""
    try:
        if issubclass(column_type.python_type, dt.date):
            return True
    except NotImplementedError:
        pass
    source = sa.Table(table, sa.MetaData(), sa.Column(column), schema=schema)
    with engine.connect() as connection:
        values = connection.execute(
            sa.select(source.c[column]).where(source.c[column].is_not(None)).limit(20)
        ).scalars()
        samples = [str(value) for value in values]
    try:
        for value in samples:
            dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return bool(samples)


def http_errors(config: dict, base: tuple, where: Where) -> list[str]:
    url = str(config.get("base_url", "")).replace("{site_url}", settings.SITE_URL)
    if not url:
        return []
    try:
        response = httpx.get(url, timeout=TIMEOUT_SECONDS, follow_redirects=True)
    except httpx.HTTPError as exc:
        return [f"{where((*base, 'config', 'base_url'))}: the source does not answer ({type(exc).__name__})."]
    if response.status_code >= 500:
        return [f"{where((*base, 'config', 'base_url'))}: the source answers with an error ({response.status_code})."]
    return []
