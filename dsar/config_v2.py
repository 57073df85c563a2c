"""Configuration format ``version: 2``: one declaration per table (issue 12, point 1).

In version 1 an SQL source listed its tables twice: under ``tables`` for
reading (which follows foreign keys itself) and under ``execution.tables``
with ``key`` and ``parent`` for acting (which did not), and the two matched
identities apart. In version 2 each table is declared once and serves both::

    tables:
      clients:
        match: {email: mail}          # how the subject's rows are found (reading and acting alike)
        category: identification
        erasure: {action: mask, fields: {full_name: "null", mail: hash}}
        label: {en: Customer record}  # what the subject reads (dsar/exports/columns.py)
      bills:                          # key and parent come from the database's own keys
        category: billing
        legal_hold: {activity: accounting, date_column: issued, counted_from: end_of_year}
      audit_log: {category: usage, read_only: true}   # read for a copy, never changed

``key`` (default: the table's primary key) and ``parent`` (default: the
foreign key to another declared table) are declared only where the database
lacks them. ``read_only: true`` keeps a table out of every change.

The stored form of a connector's ``config`` stays what the engine reads (the
version-1 shape): ``normalize`` turns a version-2 file into it, with the line
of each value kept, so every check of version 1 applies and names the line of
the version-2 file. ``upgrade`` prints a version-1 file in version 2.
"""

from __future__ import annotations

import copy

from dsar.config_checks import EXECUTION_TABLE_KEYS, SQL_TABLE_KEYS, did_you_mean

READ_KEYS = ("match", "category", "exclude_columns", "max_rows", "label", "columns")
ACT_KEYS = tuple(key for key in EXECUTION_TABLE_KEYS if key != "match")
TABLE_KEYS = tuple(dict.fromkeys((*SQL_TABLE_KEYS, *EXECUTION_TABLE_KEYS, "read_only")))


# ------------------------------------------------------------------------------
# Version 2 -> the stored form
# ------------------------------------------------------------------------------
def normalize(data: dict, marks: dict, source: str, *, where, reflect: bool) -> tuple[dict, list[str], list[str]]:
    """(data in the stored shape, errors, warnings) of a parsed file.

    A version-1 file is returned as it is, with a warning that shows its
    version-2 form. ``marks`` gets the line of every value at its stored path
    too. ``reflect``: read keys and parents the file leaves out from the
    databases it can reach."""
    if not isinstance(data, dict):
        return data, [], []
    if data.get("version", 1) != 2:
        if any((c.get("config") or {}).get("execution") for c in data.get("connectors") or [] if isinstance(c, dict)):
            return (
                data,
                [],
                [
                    f"{source}:1: warning: this file is in format version 1, which still loads. Version 2 declares "
                    f"each table once: `python manage.py dsar_config upgrade {source}` prints it."
                ],
            )
        return data, [], []
    data = copy.deepcopy(data)
    data["version"] = 1
    errors: list[str] = []
    warnings: list[str] = []
    for index, connector in enumerate(data.get("connectors") or []):
        if not isinstance(connector, dict) or connector.get("kind") != "sql":
            continue
        config = connector.get("config")
        if not isinstance(config, dict) or not isinstance(config.get("tables"), dict):
            continue
        base = ("connectors", index, "config")
        if "execution" in config:
            errors.append(
                f"{where((*base, 'execution'))}: version 2 declares erasure, keys and holds on each table under "
                "tables, not under execution."
            )
            continue
        declared = config["tables"]
        read: dict = {}
        act: dict = {}
        for name, table in declared.items():
            table = table or {}
            if not isinstance(table, dict):
                continue
            for key in table:
                if key not in TABLE_KEYS:
                    errors.append(
                        f"{where((*base, 'tables', name, key))}: unknown key '{key}' in table {name}"
                        f"{did_you_mean(key, TABLE_KEYS)}; expected one of: {', '.join(TABLE_KEYS)}."
                    )
            read[name] = {k: v for k, v in table.items() if k in READ_KEYS}
            if not table.get("read_only"):
                act[name] = {k: v for k, v in table.items() if k in EXECUTION_TABLE_KEYS}
                per_column = _column_categories(table, (*base, "tables", name), marks)
                if per_column:
                    # A column's category is declared once, next to its label; an explicit
                    # column_categories entry (the version-1 spelling) still wins.
                    act[name]["column_categories"] = {**per_column, **(table.get("column_categories") or {})}
            for path, line in list(marks.items()):
                prefix = (*base, "tables", name)
                if path[: len(prefix)] == prefix:
                    marks[(*base, "execution", "tables", name, *path[len(prefix) :])] = line
        if (*base, "tables") in marks:
            marks[(*base, "execution")] = marks[(*base, "tables")]
            marks[(*base, "execution", "tables")] = marks[(*base, "tables")]
        if reflect and act:
            warnings += _from_the_database(connector, act, base, where)
        config["tables"] = read
        if act:
            config["execution"] = {"tables": act}
    return data, errors, warnings


def _column_categories(table: dict, path: tuple, marks: dict) -> dict[str, str]:
    """``columns.<column>.category`` of a table as ``{column: category}``: what an
    erasure or a restriction touches per column, for the Art. 19 notices to the
    recipients of that category. The line of each value is kept at the path the
    checks name (``column_categories.<column>``)."""
    columns = table.get("columns")
    if not isinstance(columns, dict):
        return {}
    found = {}
    for column, spec in columns.items():
        if isinstance(spec, dict) and isinstance(spec.get("category"), str) and spec["category"]:
            found[column] = spec["category"]
            line = marks.get((*path, "columns", column, "category"))
            if line is not None:
                marks.setdefault((*path, "column_categories", column), line)
    return found


def _from_the_database(connector: dict, act: dict, base: tuple, where) -> list[str]:
    """Fill the keys and parents the file leaves out from the database's own
    primary and foreign keys. A source out of reach keeps what is declared."""
    import sqlalchemy as sa

    from dsar.connectors.base import ConnectorError
    from dsar.execution.config import sql_url

    config = connector["config"]
    try:
        engine = sa.create_engine(sql_url(config), hide_parameters=True)
        inspector = sa.inspect(engine)
        schema = config.get("schema") or None
        names = set(inspector.get_table_names(schema=schema))
    except (ConnectorError, sa.exc.SQLAlchemyError, ValueError) as exc:
        return [
            f"{where((*base, 'url'))}: warning: the source cannot be read now ({type(exc).__name__}): the keys and "
            "parents it does not declare are not known; declare them, or load again once it can be reached."
        ]
    warnings: list[str] = []
    try:
        for name, spec in act.items():
            if name not in names:
                continue  # the live check names it
            if "key" not in spec:
                primary = inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
                if len(primary) == 1:
                    spec["key"] = primary[0]
                else:
                    warnings.append(
                        f"{where((*base, 'tables', name))}: warning: table {name} has no single-column primary key: "
                        "declare its key."
                    )
            if not spec.get("match") and not spec.get("parent"):
                for fk in inspector.get_foreign_keys(name, schema=schema):
                    parent = fk.get("referred_table")
                    if parent in act and parent != name and len(fk["constrained_columns"]) == 1:
                        spec["parent"] = {"table": parent, "column": fk["constrained_columns"][0]}
                        break
                else:
                    warnings.append(
                        f"{where((*base, 'tables', name))}: warning: table {name} has neither match nor a foreign key "
                        "to another declared table: declare its parent (or match)."
                    )
    finally:
        engine.dispose()
    return warnings


# ------------------------------------------------------------------------------
# Version 1 -> version 2
# ------------------------------------------------------------------------------
def upgrade_config(config: dict) -> dict:
    """An SQL source's version-1 ``config`` declared in version 2: one entry per
    table. Where reading and acting matched identities apart, the table now
    matches on both (reading and erasure then find the same rows)."""
    config = copy.deepcopy(config)
    read = config.pop("tables", None) or {}
    execution = config.pop("execution", None) or {}
    act = execution.get("tables") or {}
    if isinstance(act, list):
        act = {entry["name"]: {k: v for k, v in entry.items() if k != "name"} for entry in act}
    tables: dict = {}
    for name in [*read, *(n for n in act if n not in read)]:
        table: dict = dict(read.get(name) or {})
        spec = act.get(name)
        if spec is None:
            # Not acted on in version 1 (or the source had no execution at all): it stays read only.
            table["read_only"] = True
        else:
            match = {**(spec.get("match") or {}), **(table.get("match") or {})}
            table.update({k: v for k, v in spec.items() if k != "match"})
            if match:
                table["match"] = match
            if not read.get(name, {}).get("category") and spec.get("category"):
                table["category"] = spec["category"]
        tables[name] = table
    config["tables"] = tables
    return config


def upgrade(data: dict) -> dict:
    """A version-1 file in version 2 (a version-2 file is returned as it is)."""
    if data.get("version", 1) == 2:
        return data
    data = copy.deepcopy(data)
    data["version"] = 2
    for connector in data.get("connectors") or []:
        if connector.get("kind") == "sql" and isinstance(connector.get("config"), dict):
            connector["config"] = upgrade_config(connector["config"])
    return {"version": 2, **{k: v for k, v in data.items() if k != "version"}}


def v2_paths(lines: list[str]) -> list[str]:
    """Problem lines of a version-2 file name its tables where the file has them
    (the checks run on the stored shape, which files acting under ``execution``)."""
    return [line.replace(".config.execution.tables.", ".config.tables.") for line in lines]
