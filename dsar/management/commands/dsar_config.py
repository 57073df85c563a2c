"""Configuration as code: ``dsar_config load FILE`` and ``dsar_config dump``."""

import json
from pathlib import Path

import sqlalchemy as sa
import yaml
from django.core.management.base import BaseCommand, CommandError

from dsar import config_files, config_v2, configuration


class Command(BaseCommand):
    help = "Load the processing register and connectors from a YAML file, or dump them as YAML (see dsar/CONFIG.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Validate a YAML file, then create or update everything in it.")
        load.add_argument("file")
        load.add_argument(
            "--check",
            action="store_true",
            help="Only validate, also against the live sources it can reach (tables, columns, keys); change nothing.",
        )
        load.add_argument("--offline", action="store_true", help="With --check: do not open the sources.")
        load.add_argument("--diff", action="store_true", help="Show what the load would change; change nothing.")
        load.add_argument(
            "--prune",
            action="store_true",
            help="Also remove what the file no longer declares (switch off or retire what requests refer to).",
        )
        upgrade = sub.add_parser("upgrade", help="Print a version-1 file in format version 2 (one entry per table).")
        upgrade.add_argument("file")
        preview = sub.add_parser(
            "preview", help="A dry run for one subject: what each source holds and what an erasure would do."
        )
        preview.add_argument("--email", default="")
        preview.add_argument("--phone", default="")
        preview.add_argument("--customer-number", default="")
        preview.add_argument("--national-number", default="")
        preview.add_argument("--source", help="Only this source (its code).")
        preview.add_argument("--json", action="store_true", help="One JSON object: the counts per table, per source.")
        scaffold = sub.add_parser("scaffold", help="Print a commented starting declaration read from a database.")
        scaffold.add_argument("url", help="The database URL (SQLAlchemy), without a password.")
        scaffold.add_argument(
            "--identity",
            action="append",
            default=[],
            help="An identity column, e.g. email=customers.email (repeat for each identity).",
        )
        scaffold.add_argument("--schema", help="The database schema (PostgreSQL).")
        dump = sub.add_parser("dump", help="Write the current configuration as YAML.")
        dump.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        if options["action"] == "preview":
            self._preview(options)
            return
        if options["action"] == "scaffold":
            from dsar import config_scaffold

            try:
                identities = config_scaffold.parse_identities(options["identity"])
                if not identities:
                    raise ValueError("Name at least one identity column: --identity email=Table.Column.")
                text = config_scaffold.scaffold(options["url"], identities, schema=options.get("schema"))
            except (ValueError, sa.exc.SQLAlchemyError) as exc:
                raise CommandError(str(exc).splitlines()[0]) from None
            self.stdout.write(text, ending="")
            return
        if options["action"] == "dump":
            text = configuration.dump_yaml()
            # The dump shows *** in their place; the operator must still move them out of the database.
            for code, secret_path in configuration.stored_secrets():
                self.stderr.write(
                    f"connector {code}: config.{secret_path} holds a secret in the database; it is not dumped (***). "
                    "Move it to an environment variable and load the corrected configuration."
                )
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        if options["action"] == "upgrade":
            try:
                data, _marks = configuration.parse(text, str(path))
            except configuration.ConfigError as exc:
                raise CommandError("\n".join(exc.errors)) from None
            upgraded = config_v2.upgrade(data)
            self.stdout.write(yaml.safe_dump(upgraded, sort_keys=False, allow_unicode=True, width=100), ending="")
            return
        try:
            if options["check"]:
                checked = config_files.check(text, source=str(path), offline=options["offline"])
                for line in checked.warnings:
                    self.stderr.write(line)
                if checked.errors:
                    raise configuration.ConfigError(checked.errors)
                self.stdout.write(self.style.SUCCESS(f"{path} is valid."))
                return
            if options["diff"] or options["prune"]:
                self._lifecycle(text, path, prune=options["prune"])
                return
            report = configuration.load_yaml(text, source=str(path))
        except configuration.ConfigError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} problem(s) in {path}; nothing was changed.") from None
        for line in report.warnings:
            self.stderr.write(line)
        self.stdout.write(self.style.SUCCESS(f"Loaded {path}: {report}."))

    def _preview(self, options) -> None:
        from dsar.execution import preview

        identity = {
            name: options[name].strip()
            for name in ("email", "phone", "customer_number", "national_number")
            if options[name].strip()
        }
        if not identity:
            raise CommandError("Give at least one identifier: --email, --phone, --customer-number, --national-number.")
        result = preview.preview(identity, source=options.get("source"))
        if options["json"]:
            self.stdout.write(json.dumps(preview.counts(result), indent=2, sort_keys=True))
            return
        for code, source in result["sources"].items():
            self.stdout.write(f"{source['name']} ({code}): {source['status']}")
            if source["error"]:
                self.stdout.write(f"  could not be read: {source['error']}")
            for name, table in source["tables"].items():
                erasure = ", ".join(f"{action} {count}" for action, count in table["erasure"].items()) or "nothing"
                found = "?" if table["found"] is None else table["found"]
                self.stdout.write(f"  {name}: {found} found; an erasure would: {erasure}")
                for until, why in table["kept_until"]:
                    self.stdout.write(f"    kept until {until} ({why})" if until else f"    kept ({why})")
                for row in table["sample"]:
                    self.stdout.write(f"    sample: {row}")
        self.stdout.write("Nothing was changed and no request was created.")

    def _lifecycle(self, text: str, path: Path, *, prune: bool) -> None:
        """``--diff``: what a load would change. ``--prune``: show it, then load and remove the rest."""
        lines = config_files.diff(text, source=str(path), prune=prune)
        for line in lines or ["No change."]:
            self.stdout.write(line)
        if not prune:
            return
        report, pruned = config_files.load(text, source=str(path), prune=True)
        for line in pruned:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Loaded {path}: {report}; {len(pruned)} no longer declared."))
