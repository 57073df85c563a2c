"""Indexes of the workspace queue at millions of requests (issue 17).

Plain SQL (valid on PostgreSQL and SQLite), as in 0002_queue_indexes: partial
indexes on a list of statuses that the migration state does not need to know.
bench/bench_queue.py measures the queries they serve.
"""

from django.db import migrations

OPEN = "('new', 'awaiting_subject', 'approved', 'processing', 'in_review')"
TRACKED = "('new', 'awaiting_subject', 'approved', 'processing', 'in_review', 'forwarded')"
TABLE = "requests_app_subjectrequest"

# The open tab sorted by one of the queue's columns (workspace.selectors.SORTS):
# the first page is read in order from a small index instead of sorting every
# open request. The legal deadline has req_open_due (0002).
OPEN_SORTS = {
    "req_open_reference": "reference, id",
    "req_open_name": "full_name, id",
    "req_open_type": "request_type, id",
    "req_open_status": "status, id",
    "req_open_target": "internal_target_date, id",
    "req_open_channel": "channel, id",
    "req_open_language": "language, id",
}

# Columns with no index to read them in order (reference, type, channel and
# the deadline have one).
ALL_SORTS = {
    "req_name": "full_name, id",
    "req_target": "internal_target_date, id",
    "req_language": "language, id",
}


# PostgreSQL compiles with JIT any query planned above jit_above_cost; at
# millions of requests the queue's page and count queries pass it and the
# compiling took 40 to 60 ms of a page for queries that then run in 10 to 50 ms
# (bench_queue). The desk's queries are short: JIT off for its database.
# Without the right to alter the database (not its owner), a notice and
# nothing else: the queue is slower, never broken.
JIT_OFF = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit left as it is: not the owner of the database';
END $$;
"""
JIT_RESET = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # no parameters: the % of format() is SQL

    return run


def _index(name: str, columns: str, where: str = "") -> migrations.RunPython:
    """CREATE INDEX, CONCURRENTLY on PostgreSQL: at millions of requests a
    plain one holds writes to the table (new requests from the intake) for as
    long as it takes to build; concurrently, intake goes on meanwhile."""

    def create(apps, schema_editor):
        concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
        condition = f" WHERE status IN {where}" if where else ""
        schema_editor.execute(f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON {TABLE} ({columns}){condition}")

    def drop(apps, schema_editor):
        concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")

    return migrations.RunPython(create, drop)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("requests_app", "0021_release_four_eyes")]

    operations = [
        migrations.RunPython(_on_postgresql(JIT_OFF), _on_postgresql(JIT_RESET)),
        # The counts beside the list on every view of the open tabs, per status
        # (selectors.status_counts) and per channel (queue.channel_counts),
        # under the filters: read from this index alone (an index-only scan of
        # the open and forwarded requests), never from the table's rows.
        # full_name and reference: the search filters them there too.
        _index(
            "req_tracked_counts",
            "status, channel, request_type, assignee_id, due_date, id, full_name, reference",
            TRACKED,
        ),
        # A finished tab or every request (2.9M closed at 3M) sorted by a
        # column without an index of its own: read in that column's order,
        # skipping the few requests of other statuses, instead of sorting
        # millions of rows for one page. (The rarer statuses have few rows:
        # the planner sorts those from req_status_due.)
        *(_index(name, columns) for name, columns in ALL_SORTS.items()),
        *(_index(name, columns, OPEN) for name, columns in OPEN_SORTS.items()),
    ]
