"""Run the retention periods now, or see what they would take (``--dry-run``).

Celery beat runs them every hour; this is for the operator who wants to know
before a deployment (or after changing a period) what the next run will do.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from requests_app.retention import selectors as retention_selectors
from requests_app.retention import services as retention_services


class Command(BaseCommand):
    help = (
        "Purge the payloads of requests ended more than DSAR_PAYLOAD_RETENTION_DAYS ago and delete the records of "
        "those ended more than DSAR_RECORD_RETENTION_YEARS ago, leaving requests under a retention hold alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        periods = (
            f"payloads after {settings.DSAR_PAYLOAD_RETENTION_DAYS} days, "
            f"records after {settings.DSAR_RECORD_RETENTION_YEARS} years"
        )
        if dry_run:
            self.stdout.write(f"Retention ({periods}), nothing changed:")
            self.stdout.write(f"  payloads to purge: {retention_selectors.payloads_due(now).count()}")
            self.stdout.write(f"  records to delete: {retention_selectors.records_due(now).count()}")
            self.stdout.write(f"  held back by a retention hold: {retention_selectors.held_back(now)}")
            return
        total = retention_services.Sweep()
        # Batches until nothing is left, so that a first run on a large backlog finishes.
        while True:
            sweep = retention_services.apply_retention(now=now)
            total.purged += sweep.purged
            total.deleted += sweep.deleted
            total.failed += sweep.failed
            total.held = sweep.held
            if not (sweep.purged or sweep.deleted) or sweep.failed:
                break
        self.stdout.write(f"Retention ({periods}):")
        self.stdout.write(f"  payloads purged: {total.purged}")
        self.stdout.write(f"  records deleted: {total.deleted}")
        self.stdout.write(f"  held back by a retention hold: {total.held}")
        if total.failed:
            raise CommandError(f"{total.failed} request(s) failed; see the log. They are tried again at the next run.")
