"""SQL databases through SQLAlchemy (PostgreSQL, MySQL/MariaDB, SQLite; others by URL).

Configuration (``Connector.config``)::

    url: postgresql+psycopg://dsar_reader@db.internal:5432/crm   # no password here
    password_env: DSAR_SOURCE_CRM_DB_PASSWORD        # the password is read from this variable
    tables:                              # where the subject is looked up
      customers:
        match: {email: email, phone: phone, customer_number: customer_no}
        category: identification
        exclude_columns: [password_hash]
      invoices: {category: financial}    # a related table: category and limits only
    follow_foreign_keys: true            # follow rows that reference a matched row
    relations:                           # more relations, where no foreign key exists
      - {parent: customers.customer_no, child: tickets.customer_ref}
    exclude_tables: [audit_log]
    max_depth: 3

From each matched row the connector follows the rows that reference it
(customer -> invoices -> invoice lines), table by table, so that no two result
sets are open on one connection and each table is read as a stream. Queries
are parameterised, the transaction is read-only, and each table stops at the
row limit with a warning.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_noop
from sqlalchemy import Table, create_engine, inspect, or_, select, text, tuple_
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchTableError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from config.logging import redact
from dsar.connectors import sql_schema
from dsar.connectors.base import (
    BaseConnector,
    ConnectorError,
    FindResult,
    FoundRecord,
    Message,
    SubjectIdentity,
    TransientConnectorError,
    register,
)
from dsar.connectors.secrets import env_problems
from dsar.netpolicy import AddressRefused, Unresolvable, check_host

KEY_CHUNK = 500
FETCH_SIZE = 1000
IDENTITY_FIELDS = ("email", "phone", "customer_number", "national_number", "full_name")


def _variants(field: str, value: str) -> list[str]:
    """The forms under which an identifier may be stored."""
    value = value.strip()
    forms = {value}
    if field == "email":
        forms.add(value.lower())
    elif field == "phone":
        try:
            number = phonenumbers.parse(value, "BE")
            for fmt in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL):
                forms.add(phonenumbers.format_number(number, fmt))
            forms.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", ""))
        except phonenumbers.NumberParseException:
            pass
    elif field == "national_number":
        digits = "".join(c for c in value if c.isdigit())
        if digits:
            forms.add(digits)
    return sorted(f for f in forms if f)


# The same forms when the execution engine finds the rows to change (dsar.execution.sqlsource):
# reading and erasure match a subject's identifiers the same way.
identifier_forms = _variants


# A row the query found but whose identifiers compare equal to none of the
# subject's here (a collation the database applies and Python does not): it is
# treated as matched on nothing verified, for the DPO to check.
UNKNOWN_MATCH = "unknown"


def _normalised(field: str, value) -> str:
    """An identifier as the comparison after fetching sees it, so that each of
    ``_variants``' forms and the stored value meet in one form."""
    text = str(value).strip().casefold()
    if field == "phone":
        try:
            return phonenumbers.format_number(phonenumbers.parse(text, "BE"), phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            return text
    if field == "national_number":
        return "".join(c for c in text if c.isdigit()) or text
    return text


def _key(values) -> tuple[str, ...]:
    # Parent and child columns may differ in type (a configured relation): compare as text.
    return tuple(str(v) for v in values)


def _plain(value):
    """A column value as something JSON can hold."""
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dt.datetime | dt.date | dt.time | decimal.Decimal | uuid.UUID):
        return value  # DjangoJSONEncoder writes these
    return value


def explain_database_error(exc: Exception, *, password_env: str = "") -> Message:
    """Plain words for a driver error; never a password (the URL holds none)."""
    original = getattr(exc, "orig", None) or exc
    message = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    lowered = message.lower()
    if "password authentication failed" in lowered or "access denied" in lowered:
        if password_env:
            return Message(
                gettext_noop(
                    "The database refused the user name or password (check the environment variable %(variable)s)."
                ),
                variable=password_env,
            )
        return Message(gettext_noop("The database refused the user name or password."))
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return Message(gettext_noop("The database host name is unknown: check the host in the URL."))
    if "connection refused" in lowered or "can't connect" in lowered or "could not connect" in lowered:
        return Message(
            gettext_noop(
                "Nothing answers at the database's host and port: is the database running and reachable from the worker?"
            )
        )
    if "timeout" in lowered or "timed out" in lowered or "canceling statement" in lowered:
        return Message(gettext_noop("The database did not answer in time."))
    if "unable to open database file" in lowered:
        return Message(gettext_noop("The SQLite database file cannot be opened: check the path in the URL."))
    if "does not exist" in lowered and "database" in lowered or "unknown database" in lowered:
        return Message(gettext_noop("The database named in the URL does not exist."))
    return Message(gettext_noop("The database reported: %(message)s"), message=redact(message)[:300])


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    lowered = str(getattr(exc, "orig", exc)).lower()
    return any(
        w in lowered
        for w in (
            "connection refused",
            "timeout",
            "timed out",
            "could not connect",
            "can't connect",
            "server closed",
            "lost connection",
        )
    )


def _missing_table(name: str) -> Message:
    return Message(gettext_noop("The table '%(table)s' does not exist in this database."), table=name)


def check_database_host(url) -> None:
    """At each connection: the database host as it resolves now (dsar.netpolicy).

    A database driver connects by name on its own, so the check runs just
    before; a file database (SQLite) has no host."""
    if not url.host:
        return
    try:
        check_host(url.host, url.port or 0, resolve_names=True)
    except Unresolvable as exc:
        raise TransientConnectorError(
            Message(gettext_noop("The database host cannot be reached: %(reason)s"), reason=str(exc))
        ) from None
    except AddressRefused as exc:
        raise ConnectorError(
            Message(gettext_noop("The database host is refused: %(reason)s"), reason=str(exc))
        ) from None


@register
class SQLConnector(BaseConnector):
    kind = "sql"

    # ------------------------------------------------------------------ config
    @classmethod
    def validate_config(cls, config: dict) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        url = config.get("url")
        if not url or not isinstance(url, str):
            return [("url", "The database URL is missing (e.g. postgresql+psycopg://reader@host/db).")]
        try:
            parsed = make_url(url)
        except ArgumentError:
            return [("url", "This is not a database URL SQLAlchemy understands.")]
        if parsed.password:
            errors.append(
                ("url", "The URL contains a password: remove it and name an environment variable in password_env.")
            )
        errors += env_problems(config)
        if parsed.host:
            try:
                check_host(parsed.host, parsed.port or 0)
            except AddressRefused as exc:
                errors.append(("url", str(exc)))
        for key in config:
            if key.lower() in ("password", "secret", "token") or (
                key.lower().endswith("password") and key != "password_env"
            ):
                errors.append((key, "Secrets are never stored: name an environment variable in password_env instead."))
        tables = config.get("tables")
        if not isinstance(tables, dict) or not tables:
            errors.append(("tables", "List at least one table with the columns that identify the subject (match)."))
            return errors
        if not any(isinstance(t, dict) and t.get("match") for t in tables.values()):
            errors.append(("tables", "At least one table needs 'match' (identity field: column)."))
        for name, table in tables.items():
            if not isinstance(table, dict):
                errors.append(
                    (f"tables.{name}", "Each table is a mapping (match, category, exclude_columns, max_rows).")
                )
                continue
            for field in table.get("match") or {}:
                if field not in IDENTITY_FIELDS:
                    errors.append(
                        (
                            f"tables.{name}.match.{field}",
                            f"Unknown identity '{field}'; use one of {', '.join(IDENTITY_FIELDS)}.",
                        )
                    )
        for index, relation in enumerate(config.get("relations") or []):
            for end in ("parent", "child"):
                value = relation.get(end, "") if isinstance(relation, dict) else ""
                if not isinstance(value, str) or value.count(".") != 1:
                    errors.append((f"relations.{index}.{end}", "Write a relation end as table.column."))
        return errors

    # ------------------------------------------------------------------ engine
    def _engine(self, *, pooled: bool = False):
        """An engine on the source's database. ``pooled``: the source's kept
        engine (``sql_schema.engine_for``), for a saved source's finds; else a
        one-off engine for the caller to dispose of. The host is checked at
        every call, whichever (``check_database_host``)."""
        url = make_url(self.config["url"].replace("{demo_dir}", str(settings.DSAR_DEMO_DIR)))
        check_database_host(url)
        if self.config.get("password_env"):
            url = url.set(password=self.secret("password_env"))
        timeout = max(int(self.model.timeout_seconds or 30), 1)
        connect_args = {}
        backend = url.get_backend_name()
        if backend == "postgresql":
            connect_args = {"connect_timeout": min(timeout, 15)}
        elif backend in ("mysql", "mariadb"):
            connect_args = {"connect_timeout": min(timeout, 15), "read_timeout": timeout}
        elif backend == "sqlite":
            connect_args = {"timeout": min(timeout, 15)}
        # hide_parameters: a failing statement's parameters (the subject's
        # identifiers) never appear in an exception message or a log line.
        if not pooled or not self.model.pk:
            return create_engine(url, poolclass=NullPool, hide_parameters=True, connect_args=connect_args)
        return sql_schema.engine_for(
            self.model.pk,
            json.dumps([url.render_as_string(hide_password=False), connect_args], sort_keys=True),
            lambda: create_engine(
                url,
                hide_parameters=True,
                connect_args=connect_args,
                # One connection kept per process; a thread pool's extra searches open and close their own.
                pool_size=1,
                max_overflow=10,
                pool_pre_ping=True,
                pool_recycle=sql_schema.RECYCLE,
            ),
        )

    def _begin_read_only(self, connection) -> None:
        backend = connection.dialect.name
        timeout_ms = max(int(self.model.timeout_seconds or 30), 1) * 1000
        if backend == "postgresql":
            # One round trip: without parameters, both statements go in one message.
            connection.exec_driver_sql(f"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {int(timeout_ms)}")
        elif backend in ("mysql", "mariadb"):
            connection.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
        elif backend == "sqlite":
            connection.exec_driver_sql("PRAGMA query_only = ON")

    def test_connection(self) -> str:
        errors = self.validate_config(self.config)
        if errors:
            raise ConnectorError("; ".join(f"{path}: {message}" for path, message in errors))
        try:
            engine = self._engine()
            with engine.connect() as connection:
                self._begin_read_only(connection)
                connection.execute(text("SELECT 1"))
                inspector = inspect(connection)
                # The tables may live in a schema of their own (the execution's ``schema`` setting).
                schema = self.config.get("schema") or None
                existing = set(inspector.get_table_names(schema=schema))
                for name, table in self.config["tables"].items():
                    if name not in existing:
                        raise ConnectorError(_missing_table(name))
                    columns = {c["name"] for c in inspector.get_columns(name, schema=schema)}
                    for field, column in (table.get("match") or {}).items():
                        if column not in columns:
                            raise ConnectorError(
                                Message(
                                    gettext_noop("The table '%(table)s' has no column '%(column)s' (for %(field)s)."),
                                    table=name,
                                    column=column,
                                    field=field,
                                )
                            )
            engine.dispose()
        except ConnectorError:
            raise
        except SQLAlchemyError as exc:
            raise ConnectorError(
                explain_database_error(exc, password_env=self.config.get("password_env", ""))
            ) from None
        count = len(self.config["tables"])
        # Message holds one template, not a plural pair: the two forms en, nl, fr and de use.
        if count == 1:
            return Message(gettext_noop("Connected; %(count)s table found with its identity columns."), count=count)
        return Message(gettext_noop("Connected; %(count)s tables found with their identity columns."), count=count)

    # ------------------------------------------------------------------ find
    def find(self, identity: SubjectIdentity) -> FindResult:
        warnings: list[str] = []
        return FindResult(records=self._stream(identity, warnings), warnings=warnings)

    def _stream(self, identity: SubjectIdentity, warnings: list[str]) -> Iterator[FoundRecord]:
        try:
            engine = self._engine(pooled=True)
            try:
                with engine.connect() as connection:
                    self._begin_read_only(connection)
                    yield from _Walk(self, connection, warnings).run(identity)
            finally:
                if not self.model.pk:
                    engine.dispose()
        except ConnectorError:
            raise
        except SQLAlchemyError as exc:
            # The source's schema may have changed under the reflected copy,
            # and its kept connections may be those that failed.
            sql_schema.forget_source(self.model.pk)
            message = explain_database_error(exc, password_env=self.config.get("password_env", ""))
            raise (TransientConnectorError if _is_transient(exc) else ConnectorError)(message) from None


class _Walk:
    """One find: matched rows, then the rows that reference them, table by table."""

    def __init__(self, connector: SQLConnector, connection, warnings: list[str]):
        self.connector = connector
        self.config = connector.config
        self.connection = connection
        self.warnings = warnings
        # Reflected tables and foreign keys, kept per source (sql_schema).
        url = connection.engine.url.render_as_string(hide_password=True)
        self.schema = (
            sql_schema.schema_for((connector.model.pk, url), self.config)
            if connector.model.pk
            else sql_schema.Schema(created=0.0)
        )
        self.metadata = self.schema.metadata
        self.tables_config: dict = self.config.get("tables") or {}
        self.excluded_tables = set(self.config.get("exclude_tables") or [])
        self.max_depth = int(self.config.get("max_depth", 3))
        self.counts: dict[str, int] = defaultdict(int)
        self.seen: dict[str, set] = defaultdict(set)
        self.limited: set[str] = set()
        self.inspector = inspect(connection)

    def table(self, name: str) -> Table:
        if name not in self.metadata.tables:
            with self.schema.lock:
                if name not in self.metadata.tables:
                    try:
                        Table(name, self.metadata, autoload_with=self.connection)
                    except NoSuchTableError:
                        raise ConnectorError(_missing_table(name)) from None
        return self.metadata.tables[name]

    def children(self, parent: str) -> list[tuple[str, list[str], list[str]]]:
        """(child table, child columns, parent columns) for the rows referencing ``parent``."""
        if self.schema.children is None:
            with self.schema.lock:
                if self.schema.children is None:
                    self.schema.children = self._relations()
        return [c for c in self.schema.children.get(parent, []) if c[0] not in self.excluded_tables]

    def _relations(self) -> dict[str, list[tuple[str, list[str], list[str]]]]:
        relations: dict[str, list[tuple[str, list[str], list[str]]]] = defaultdict(list)
        if self.config.get("follow_foreign_keys", True):
            for child, foreign_keys in self._foreign_keys():
                for fk in foreign_keys:
                    if fk.get("referred_table") and fk["constrained_columns"]:
                        relations[fk["referred_table"]].append(
                            (child, list(fk["constrained_columns"]), list(fk["referred_columns"]))
                        )
        for relation in self.config.get("relations") or []:
            parent_table, parent_column = relation["parent"].split(".")
            child_table, child_column = relation["child"].split(".")
            relations[parent_table].append((child_table, [child_column], [parent_column]))
        return dict(relations)

    def _foreign_keys(self):
        if self.connection.dialect.name == "sqlite":
            # A file read per table is cheaper than SQLite's generic multi-table path.
            return [(name, self.inspector.get_foreign_keys(name)) for name in self.inspector.get_table_names()]
        # One catalogue query for every table (PostgreSQL, MySQL) rather than one per table.
        return [(child, fks) for (_schema, child), fks in self.inspector.get_multi_foreign_keys().items()]

    def limit(self, name: str) -> int:
        return int((self.tables_config.get(name) or {}).get("max_rows") or self.connector.model.max_rows)

    def run(self, identity: SubjectIdentity) -> Iterator[FoundRecord]:
        for name, table_config in self.tables_config.items():
            match = (table_config or {}).get("match") or {}
            available = identity.available(list(match))
            if not available:
                continue
            table = self.table(name)
            conditions = [table.c[match[field]].in_(_variants(field, value)) for field, value in available.items()]
            statement = select(table).where(or_(*conditions))
            yield from self.read(name, statement, depth=0, matched=self._matcher(match, available))

    @staticmethod
    def _matcher(match: dict, available: dict[str, str]):
        """Which of the OR-ed conditions a matched row satisfies, told in Python."""
        forms = {field: {_normalised(field, v) for v in _variants(field, value)} for field, value in available.items()}

        def matched(values) -> list[str]:
            found = [
                field
                for field, wanted in forms.items()
                if values.get(match[field]) is not None and _normalised(field, values[match[field]]) in wanted
            ]
            return sorted(found) or [UNKNOWN_MATCH]

        return matched

    def read(self, name: str, statement, *, depth: int, matched) -> Iterator[FoundRecord]:
        """``matched(row values)`` names the identifiers a row was found by."""
        table = self.table(name)
        config = self.tables_config.get(name) or {}
        excluded_columns = set(config.get("exclude_columns") or [])
        category = config.get("category", "")
        children = self.children(name) if depth < self.max_depth else []
        # Keys of this table's rows that its children reference, per relation.
        parent_keys: dict[tuple[str, ...], list[tuple]] = {tuple(p): [] for _, _, p in children}
        # What those rows were matched on: a child row is found through its parent, so it inherits that.
        parent_matches: dict[tuple[str, ...], dict[tuple, set[str]]] = {tuple(p): {} for _, _, p in children}
        pk_columns = [c.name for c in table.primary_key.columns]
        limit = self.limit(name)
        result = self.connection.execution_options(stream_results=True, yield_per=FETCH_SIZE).execute(statement)
        try:
            for row in result:
                values = row._mapping
                if pk_columns:
                    key = tuple(values[c] for c in pk_columns)
                    if key in self.seen[name]:
                        continue
                    self.seen[name].add(key)
                if self.counts[name] >= limit:
                    if name in self.limited:
                        break
                    self.limited.add(name)
                    self.warnings.append(
                        Message(
                            gettext_noop(
                                "Table %(table)s: the row limit of %(limit)s rows was reached, so there may be more "
                                "records for this subject. Raise the limit (max_rows) and retry this source."
                            ),
                            table=name,
                            limit=limit,
                        )
                    )
                    break
                self.counts[name] += 1
                matched_on = matched(values)
                for columns in parent_keys:
                    key = tuple(values[c] for c in columns)
                    parent_keys[columns].append(key)
                    parent_matches[columns].setdefault(_key(key), set()).update(matched_on)
                yield FoundRecord(
                    entity=name,
                    category=category,
                    data={k: _plain(v) for k, v in values.items() if k not in excluded_columns},
                    matched_on=matched_on,
                )
        finally:
            result.close()
        for child, child_columns, parent_columns in children:
            keys = parent_keys[tuple(parent_columns)]
            if not keys:
                continue
            child_table = self.table(child)
            key_columns = [child_table.c[c] for c in child_columns]
            for start in range(0, len(keys), KEY_CHUNK):
                chunk = keys[start : start + KEY_CHUNK]
                if len(key_columns) == 1:
                    condition = key_columns[0].in_([k[0] for k in chunk])
                else:
                    condition = tuple_(*key_columns).in_(chunk)
                if self.counts[child] >= self.limit(child):
                    break
                yield from self.read(
                    child,
                    select(child_table).where(condition),
                    depth=depth + 1,
                    matched=self._inherited(parent_matches[tuple(parent_columns)], child_columns),
                )

    @staticmethod
    def _inherited(matches: dict[tuple, set[str]], child_columns: list[str]):
        def matched(values) -> list[str]:
            return sorted(matches.get(_key(values[c] for c in child_columns)) or [UNKNOWN_MATCH])

        return matched
