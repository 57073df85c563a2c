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


def create(apps, schema_editor):
    # CONCURRENTLY on PostgreSQL: intake goes on while they are built (seconds at 3M).
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    for name, (columns, statuses) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON {TABLE} ({columns}) WHERE status IN {statuses}"
        )


def drop(apps, schema_editor):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("requests_app", "0022_queue_sort_indexes")]

    operations = [migrations.RunPython(create, drop)]
