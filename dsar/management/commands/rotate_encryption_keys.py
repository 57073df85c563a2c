"""Re-encrypt what is stored under the first of DSAR_ENCRYPTION_KEYS (see dsar.key_rotation)."""

from django.core.management.base import BaseCommand, CommandError

from dsar import key_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and file with the first key of DSAR_ENCRYPTION_KEYS, "
        "so that older keys can be removed. --check only counts what still needs an older key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; exit with status 1 while anything still needs an older key.",
        )

    def handle(self, *args, check=False, **options):
        counts = key_rotation.rotate(check=check)
        for (what, outcome), count in sorted(counts.items()):
            self.stdout.write(f"{what}: {count} {outcome}")
        unreadable = sum(n for (_what, outcome), n in counts.items() if outcome == "unreadable")
        older = sum(n for (_what, outcome), n in counts.items() if outcome == "older key")
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) or file(s) decrypt with none of the keys: keep every key until they are "
                "explained (see the log for which)."
            )
        if check and older:
            raise CommandError(
                f"{older} value(s) or file(s) still need an older key or are still in Fernet: "
                "run without --check first."
            )
        if check:
            self.stdout.write(self.style.SUCCESS("Everything is encrypted with the first key: older keys can go."))
        else:
            rotated = sum(n for (_what, outcome), n in counts.items() if outcome == "rotated")
            self.stdout.write(self.style.SUCCESS(f"{rotated} value(s) and file(s) re-encrypted with the first key."))
