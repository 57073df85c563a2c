"""New rows of one unit of work written to the database in one statement.

A submission writes three rows (the request, its first audit event, the
verification e-mail), each a round trip to PostgreSQL of its own, and each
through the whole of ``Model.save()``. Inside ``written_together()``,
``insert(obj)`` holds a new row instead; the rows held are written as one
statement of data-modifying common table expressions (``WITH a AS (INSERT
...), b AS (INSERT ...) SELECT ...``), compiled by Django's own INSERT
compiler, so every field is prepared as ``save()`` prepares it (defaults,
``auto_now_add``, encrypted fields).

The order of the statements is kept: the held rows are written before any
other statement runs on the connection (a query, a savepoint, another
INSERT: an ``execute_wrapper``), and at the end of the block, which must lie
inside the transaction (the block never commits). What the caller sees
differs in two ways only, both said at ``insert``: a row written without its
primary key has it once the rows are written, and an error of a held row (a
constraint) is raised by the statement that wrote it.

A field may be given an expression (a subquery: the intake's link to the
subject's open request), computed by the database in the same statement;
once the row is written the field holds the value the database stored (in
or out of a block, which ``save()`` does not do).

Elsewhere than on PostgreSQL (SQLite cannot modify data in a common table
expression, and has no round trip to save) ``insert`` saves at once.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

_held = threading.local()


@contextmanager
def written_together(using: str = DEFAULT_DB_ALIAS):
    """Hold the rows ``insert`` is given until the next statement or the end
    of the block; a block already open on the connection is joined."""
    connection = connections[using]
    if connection.vendor != "postgresql" or _rows(using) is not None:
        yield
        return
    rows: list[Model] = []
    _set_rows(using, rows)

    def write_first(execute, sql, params, many, context):
        if rows:
            _write(using, rows)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(write_first):
            yield
            if rows:
                _write(using, rows)
    finally:
        # On an error the held rows are dropped: the transaction they belong
        # to is rolled back by the caller's atomic block.
        rows.clear()
        _set_rows(using, None)


def insert(obj: Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """``obj.save(force_insert=True)``, held inside ``written_together``.

    A held row gets what the database gives it (its primary key, a
    ``db_default``) when the rows are written: until then ``obj.pk`` may be
    None (read it after the next statement, or in a ``transaction.on_commit``
    callback). A model whose saving others listen to (``pre_save``,
    ``post_save``), whose ``save()`` does more than Django's (unless the
    model says ``saved_as_written = True``), with a parent model or an
    ``order_with_respect_to`` is saved at once: only ``save()`` does what
    they add."""
    rows = _rows(using)
    model = type(obj)
    meta = model._meta
    if (
        rows is None
        or not (model.save is Model.save or getattr(model, "saved_as_written", False))
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
        or meta.parents
        or meta.order_with_respect_to
    ):
        computed = _computed(obj)
        obj.save(force_insert=True, using=using)
        if computed:
            obj.refresh_from_db(using=using, fields=[field.name for field in computed])
        return
    try:
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]  # as save()
    except ValueError:
        if not rows:
            raise
        # It points to a held row that has no primary key yet: write them first.
        _write(using, rows)
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]  # as save()
    if obj.pk is None:
        setattr(obj, meta.pk.attname, meta.pk.get_pk_value_on_save(obj))
    rows.append(obj)


def write_now(using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the rows held so far (to read what the database computed)."""
    rows = _rows(using)
    if rows:
        _write(using, rows)


def _computed(obj: Model) -> list:
    """The fields of ``obj`` given an expression for the database to compute."""
    return [
        field
        for field in obj._meta.local_concrete_fields
        if hasattr(obj.__dict__.get(field.attname), "resolve_expression")
    ]


def _rows(using: str) -> list[Model] | None:
    return getattr(_held, using, None)


def _set_rows(using: str, rows: list[Model] | None) -> None:
    setattr(_held, using, rows)


def _write(using: str, rows: list[Model]) -> None:
    """Write the held rows in one statement, each given what the database
    returns for it (its primary key, its ``db_default`` values), as
    ``Model._save_table`` and ``SQLInsertCompiler.execute_sql`` do."""
    writing = list(rows)
    rows.clear()  # first: the statement below passes the wrapper too
    parts, params, returned = [], [], []
    for index, obj in enumerate(writing):
        meta = obj._meta
        pk_set = obj.pk is not None
        query = InsertQuery(type(obj))
        query.insert_values(
            [f for f in meta.local_concrete_fields if not f.generated and (pk_set or f is not meta.auto_field)],
            [obj],
            raw=False,
        )
        compiler = query.get_compiler(using=using)
        computed = [field for field in _computed(obj) if field not in meta.db_returning_fields]
        compiler.returning_fields = meta.db_returning_fields + computed
        ((sql, part_params),) = compiler.as_sql()
        parts.append(f"w{index} AS ({sql})")
        params.extend(part_params)
        if compiler.returning_fields:
            returned.append((f"w{index}", obj, compiler))
    # Each expression inserts one row: the cross join of what they return is one row.
    selected = "* FROM " + ", ".join(name for name, _obj, _compiler in returned) if returned else "1"
    with prepared_cursor(connections[using]) as cursor:
        # Django's compiled INSERTs, every value a parameter.
        cursor.execute(f"WITH {', '.join(parts)} SELECT {selected}", params)  # noqa: S608
        values = iter(cursor.fetchone())
    for _name, obj, compiler in returned:
        fields = compiler.returning_fields
        row = [next(values) for _field in fields]
        converters = compiler.get_converters([field.get_col(obj._meta.db_table) for field in fields])
        if converters:
            (row,) = compiler.apply_converters([row], converters)
        for value, field in zip(row, fields, strict=True):
            setattr(obj, field.attname, value)
    for obj in writing:
        obj._state.adding = False
        obj._state.db = using


def prepared_cursor(connection):
    """A cursor whose statements PostgreSQL prepares once per connection, for
    the statements of the same shape that every submission runs.

    Django binds parameters on the client, so PostgreSQL parses and plans a
    statement every time it is sent. The rows written together are the same
    shape every time (a submission's three INSERTs, some 60 parameters):
    planning them took as long as running them, and quoting every value in
    Python was as long again (issue 17). Prepared by name on the connection
    (kept open, ``CONN_MAX_AGE``), they are planned once. Not where psycopg
    is told never to prepare (``OPTIONS: {"prepare_threshold": None}``:
    Django's default, which the settings change unless
    ``DATABASE_PREPARED_STATEMENTS=false``), nor behind a transaction pooler
    (Django's ``DISABLE_SERVER_SIDE_CURSORS``): a named statement would not
    outlive the transaction's server connection there. Bound on the server
    either way: no value is quoted in Python, and a parameter's type must be
    one PostgreSQL can infer (a column's, a function argument's). Elsewhere
    (SQLite, psycopg2), Django's own cursor.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return connection.cursor()
    connection.close_if_health_check_failed()  # as Django's own cursor() does
    connection.ensure_connection()
    prepare = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.wrap_database_errors:
        # Through Django's cursor wrapper: execute wrappers and the query log see it.
        return connection._prepare_cursor(_prepared_class()(connection.connection, prepare=prepare))


@functools.cache  # one class; PostgreSQL's backend module is imported on PostgreSQL only
def _prepared_class():
    import psycopg
    from django.db.backends.postgresql.base import CursorMixin

    class Prepared(CursorMixin, psycopg.RawCursor):
        """Django's cursor on psycopg's ``RawCursor`` (PostgreSQL's own ``$1``
        placeholders), every statement prepared (when the connection's
        ``prepare_threshold`` is not None: psycopg's own rule)."""

        def __init__(self, connection, *, prepare: bool):
            super().__init__(connection)
            self._prepare = prepare

        def execute(self, query, params=None, *, prepare=None, binary=None):
            # Django's %s become $1, $2... once per statement text: psycopg
            # splits a query of more than 50 parameters anew every time (a
            # fifth of writing a submission's rows, issue 17). True prepares
            # at once (psycopg never prepares with a threshold of None).
            if params is not None:
                query = _numbered(query)
            return super().execute(query, params, prepare=self._prepare, binary=binary)

        def _maybe_prepare_gen(self, pgq, *, prepare=None, binary=None):
            # psycopg keeps the query it sent only when it did not prepare it;
            # Django's query log reads it there (the statement with $1, $2...:
            # the shape without the subject's values).
            self._query = pgq
            return super()._maybe_prepare_gen(pgq, prepare=prepare, binary=binary)

    return Prepared


_PLACEHOLDER = re.compile(r"%[s%]")


@functools.lru_cache(maxsize=64)
def _numbered(query: str) -> str:
    """Django's SQL with ``%s`` placeholders (``%%`` a percent sign) in
    PostgreSQL's numbered form. The statements given are few and fixed
    (``prepared_cursor``): each is converted once per process."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda match: "%" if match.group() == "%%" else f"${next(numbers)}", query)
