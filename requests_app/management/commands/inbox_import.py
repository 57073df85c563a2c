"""Feed e-mails to the inbox by hand: raw RFC 5322 files (.eml)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from requests_app.inbox import services
from requests_app.inbox.models import InboxSource


class Command(BaseCommand):
    help = "Store raw e-mail files (.eml) as inbox items for the DPO's triage."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="RFC 5322 message files.")

    def handle(self, *args, files, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"Not a file: {', '.join(missing)}")
        for path in files:
            try:
                item = services.receive(path.read_bytes(), source=InboxSource.FILE)
            except services.MessageRefused as exc:
                self.stdout.write(self.style.WARNING(f"{path}: refused ({exc})"))
                continue
            self.stdout.write(self.style.SUCCESS(f"{path}: inbox item {item.code}"))
