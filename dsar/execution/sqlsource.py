"""SQL sources through SQLAlchemy Core: every value is a bound parameter;
table and column names come from the connector's configuration only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dsar.connectors.base import ConnectorError, SubjectIdentity, TransientConnectorError
from dsar.execution.config import TableWrite, sql_url

if TYPE_CHECKING:
    import sqlalchemy as sa

# SQLAlchemy (and dsar.connectors.sql, which imports it) is imported by the
# functions that use it: the workflow's imports reach this module in every web
# process, which never reads a source and need not hold it (issue 17).

# One engine (and connection pool) per source URL, for the life of the process.
_engines: dict[str, sa.Engine] = {}


def engine_for(config: dict) -> sa.Engine:
    import sqlalchemy as sa

    url = sql_url(config)
    if url not in _engines:
        _engines[url] = sa.create_engine(url, pool_pre_ping=True)
    return _engines[url]


def dispose_engines() -> None:
    """Close every pooled source connection (tests, and workers shutting down)."""
    while _engines:
        _engines.popitem()[1].dispose()


def reflect(connection: sa.Connection, name: str, schema: str | None = None) -> sa.Table:
    import sqlalchemy as sa

    try:
        return sa.Table(name, sa.MetaData(), autoload_with=connection, schema=schema)
    except sa.exc.NoSuchTableError as exc:
        raise ConnectorError(f"The table {name} does not exist in the source.") from exc


def wrap_error(exc: Exception, where: str) -> ConnectorError:
    """Plain words for the DPO; connection problems are retried."""
    from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

    if isinstance(exc, ConnectorError):
        return exc
    if (
        isinstance(exc, OperationalError)
        and getattr(exc, "connection_invalidated", False)
        or (isinstance(exc, OperationalError) and "connect" in str(exc.orig).lower())
    ):
        return TransientConnectorError(f"{where}: the database could not be reached.")
    if isinstance(exc, DBAPIError):
        return ConnectorError(f"{where}: the database refused the statement ({type(exc.orig).__name__}: {exc.orig}).")
    if isinstance(exc, SQLAlchemyError):
        return ConnectorError(f"{where}: {type(exc).__name__}.")
    return ConnectorError(f"{where}: {type(exc).__name__}: {exc}")


def find_rows(
    connection: sa.Connection, tables: list[TableWrite], identity: SubjectIdentity, schema: str | None = None
) -> dict[str, list[dict]]:
    """The subject's rows per table (parents first, children through their parent's keys)."""
    import sqlalchemy as sa

    from dsar.connectors.sql import identifier_forms

    found: dict[str, list[dict]] = {}
    for spec in tables:
        table = reflect(connection, spec.name, schema)
        conditions = []
        for identity_field, column in spec.match.items():
            value = getattr(identity, identity_field, "")
            if not value:
                continue
            if identity_field == "email":
                conditions.append(sa.func.lower(table.c[column]) == value.strip().lower())
            else:
                # The forms reading matches too (dsar.connectors.sql): a phone number stored as
                # "+32 470 12 34 56" is found for "0470123456", by reading and erasure alike.
                conditions.append(table.c[column].in_(identifier_forms(identity_field, value)))
        if spec.parent:
            parent_keys = [row[_key_of(tables, spec.parent["table"])] for row in found.get(spec.parent["table"], [])]
            if parent_keys:
                conditions.append(table.c[spec.parent["column"]].in_(parent_keys))
        if not conditions:
            found[spec.name] = []
            continue
        query = sa.select(table).where(sa.or_(*conditions)).order_by(table.c[spec.key])
        found[spec.name] = [dict(row._mapping) for row in connection.execute(query)]
    return found


def matched_on(
    tables: list[TableWrite], found: dict[str, list[dict]], identity: SubjectIdentity
) -> dict[tuple[str, str], list[str]]:
    """(table, key) -> the identity fields each found row was matched on, told
    in Python as ``find_rows`` compares them; a row found through its parent
    also carries what the parent was matched on."""
    from dsar.connectors.sql import UNKNOWN_MATCH

    matched: dict[tuple[str, str], list[str]] = {}
    for spec in tables:
        for row in found.get(spec.name, []):
            fields = set()
            for identity_field, column in spec.match.items():
                value = getattr(identity, identity_field, "").strip()
                stored = row.get(column)
                if value and stored is not None and _same(identity_field, str(stored), value):
                    fields.add(identity_field)
            if spec.parent:
                fields.update(matched.get((spec.parent["table"], str(row.get(spec.parent["column"]))), []))
            matched[(spec.name, str(row[spec.key]))] = sorted(fields) or [UNKNOWN_MATCH]
    return matched


def _same(identity_field: str, stored: str, value: str) -> bool:
    from dsar.connectors.sql import identifier_forms

    if identity_field == "email":
        return stored.strip().lower() == value.lower()
    if stored.strip() in identifier_forms(identity_field, value):
        return True
    # The query compares exactly; a case-insensitive collation (MySQL) matches more, and so does this.
    return stored.strip().casefold() == value.casefold()


def _key_of(tables: list[TableWrite], name: str) -> str:
    for spec in tables:
        if spec.name == name:
            return spec.key
    raise ConnectorError(f"Table {name} is named as a parent but not configured.")
