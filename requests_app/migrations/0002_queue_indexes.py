"""Indexes of the workspace queue, beyond those on SubjectRequest.Meta.

Raw SQL (valid on PostgreSQL and SQLite) rather than Meta.indexes: a partial
index on a list of statuses and an expression index are not worth a change to
the shared model, and the migration state does not need to know them.
"""

from django.db import migrations

OPEN = "('new', 'awaiting_subject', 'approved', 'processing', 'in_review')"

class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_initial")]

    operations = [
        # The default queue: open requests by legal deadline (and the open
        # counts per status), without walking the closed requests of past years.
        migrations.RunSQL(
            f"CREATE INDEX req_open_due ON requests_app_subjectrequest (due_date, id) WHERE status IN {OPEN}",
            "DROP INDEX req_open_due",
        ),
        # Search by e-mail: Django's iexact compares UPPER(email).
        migrations.RunSQL(
            "CREATE INDEX req_email_upper ON requests_app_subjectrequest (UPPER(email))",
            "DROP INDEX req_email_upper",
        ),
    ]
