"""Indexes of the queue's counts and of its pages by assignee at millions of
requests (issue 17).

The status tabs and the links per channel are counted on every view of the
queue (selectors.tracked_counts: one GROUP BY status, channel of the open and
forwarded requests). Read from req_tracked_counts (0022), whose entries also
carry the columns other filters and the search need, the count went through
16 MB of index at 3,000,000 requests; req_tracked_groups holds the grouped
columns alone and, deduplicated by PostgreSQL, takes under 1 MB: an index-only
scan of it takes about half the time (bench_queue). With a filter on another
column the planner keeps using req_tracked_counts.

Sorted by assignee, the open tab is read per assignee, in id order
(workspace.queue.QueuePaginator): req_open_assignee.

The search by name (or the end of a reference) is a substring match
(selectors._search_q): no B-tree serves it, and it read every open request's
name for the tabs' counts and again for the page, 150 ms each at 90,000 open
requests. Trigram indexes (PostgreSQL's pg_trgm, in its standard contrib
package and a trusted extension: the database's owner may create it) find
the matches directly. Where the extension cannot be created (no right, or
not installed), a notice and nothing else: the search is slower, never broken.
"""

from django.db import migrations

OPEN = "('new', 'awaiting_subject', 'approved', 'processing', 'in_review')"
TRACKED = "('new', 'awaiting_subject', 'approved', 'processing', 'in_review', 'forwarded')"
TABLE = "requests_app_subjectrequest"
INDEXES = {
    # selectors.tracked_counts (by_assignee: the third column).
    "req_tracked_groups": ("status, channel, assignee_id", TRACKED),
    # queue.QueuePaginator._ids_by_assignee.
    "req_open_assignee": ("assignee_id, id", OPEN),
}


# What selectors._search_q compiles to on PostgreSQL: UPPER("full_name"::text)
# LIKE UPPER('%...%') OR "reference"::text LIKE '%...'.
TRIGRAM_INDEXES = {
    "req_tracked_name_trgm": "UPPER(full_name::text) gin_trgm_ops",
    "req_tracked_reference_trgm": "reference gin_trgm_ops",
}
TRIGRAM_EXTENSION = """
DO $$ BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm not available: the queue searches names without an index';
END $$;
"""


def create(apps, schema_editor):
    # CONCURRENTLY on PostgreSQL: intake goes on while they are built (seconds at 3M).
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    for name, (columns, statuses) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON {TABLE} ({columns}) WHERE status IN {statuses}"
        )
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGRAM_EXTENSION, None)  # no parameters: nothing to format
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {TABLE} USING gin ({expression}) WHERE status IN {TRACKED}"
        )


def drop(apps, schema_editor):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    # The extension stays: something else may use it by now.
    for name in (*INDEXES, *TRIGRAM_INDEXES):
        schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("requests_app", "0023_representation_subject_language")]

    operations = [migrations.RunPython(create, drop)]
