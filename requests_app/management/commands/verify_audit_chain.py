"""Verify the hash chain of every request's audit trail."""

from django.core.management.base import BaseCommand, CommandError

from requests_app.audit.chain import verify_all
from requests_app.models import SubjectRequest


class Command(BaseCommand):
    help = "Check every request's audit trail; report the first broken link of each broken chain."

    def add_arguments(self, parser):
        parser.add_argument("references", nargs="*", help="Only these requests (e.g. DSAR-2026-00042).")

    def handle(self, *args, references, **options):
        queryset = SubjectRequest.objects.all()
        if references:
            queryset = queryset.filter(reference__in=references)
            missing = set(references) - set(queryset.values_list("reference", flat=True))
            if missing:
                raise CommandError(f"Unknown reference(s): {', '.join(sorted(missing))}")
        broken = list(verify_all(queryset))
        for item in broken:
            self.stdout.write(self.style.ERROR(f"BROKEN {item}"))
        if broken:
            raise CommandError(f"{len(broken)} request(s) have a broken audit trail.")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact for {queryset.count()} request(s)."))
