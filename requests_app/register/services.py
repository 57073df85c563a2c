"""Writes of the register's pages: test a source, preview a subject, load a
configuration file. Each is recorded in the register's trail (RegisterEvent),
a preview because it reads personal data (Art. 5(2), 32(4)), a load because
it changes what the desk tells subjects and how it erases (Art. 30)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dsar import config_files, configuration, gathering
from dsar.connectors.base import as_stored, translate
from dsar.execution import preview as dry_run
from dsar.models import Connector
from requests_app.register.models import RegisterEvent

# A register file is text of some tens of kilobytes (the demo's is 50 kB).
MAX_FILE_BYTES = 1024 * 1024
IDENTIFIERS = ("email", "phone", "customer_number", "national_number")


def record_register_event(*, kind: str, actor, source: str = "", details: dict | None = None) -> RegisterEvent:
    """One row of the register's trail; ``details`` never holds personal data."""
    return RegisterEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        source=source,
        details=details or {},
    )


def test_connection(connector: Connector, *, actor) -> tuple[bool, str]:
    """(ok, the outcome in the reader's language); recorded."""
    ok, message = gathering.test_connection(connector)
    record_register_event(kind="source.connection_tested", actor=actor, source=connector.code, details={"ok": ok})
    return ok, translate(as_stored(message))


def preview(connector: Connector, identity: dict[str, str], *, actor) -> dict:
    """The dry run of ``dsar_config preview`` for one source: what it holds of this
    subject (counts, masked samples) and what an erasure would do. It creates no
    request and changes nothing (dsar.execution.preview rolls its plan back).
    Recorded with the kinds of identifier used, never their values."""
    identity = {name: value for name, value in identity.items() if name in IDENTIFIERS and value}
    result = dry_run.preview(identity, source=connector.code)["sources"].get(connector.code) or {}
    # Fail closed: only an SQL source is counted before a request (an API's or a
    # person's records are not); the log says "not known" rather than 0.
    tables = (result.get("tables") or {}).values()
    counted = connector.kind == Connector.Kind.SQL and all(table.get("found") is not None for table in tables)
    found = sum(table["found"] for table in tables) if counted else None
    record_register_event(
        kind="source.previewed",
        actor=actor,
        source=connector.code,
        details={"identifiers": sorted(identity), "found": found, "status": result.get("status", "")},
    )
    return result


# ------------------------------------------------------------------------------
# A configuration file: checked, compared, then applied on confirmation
# ------------------------------------------------------------------------------
@dataclass
class Upload:
    """A file checked and compared, waiting for the DPO's confirmation."""

    name: str
    text: str
    prune: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def as_session(self) -> dict[str, Any]:
        return {"name": self.name, "text": self.text, "prune": self.prune, "changes": self.changes}


def check_upload(*, name: str, text: str, prune: bool) -> Upload:
    """The same checks as ``dsar_config load --check`` (the live ones included),
    then, for a valid file, what loading it would change (``--diff``)."""
    upload = Upload(name=name, text=text, prune=prune)
    checked = config_files.check(text, source=name)
    upload.errors, upload.warnings = checked.errors, checked.warnings
    if not upload.errors:
        try:
            upload.changes = config_files.diff(text, source=name, prune=prune)
        except configuration.ConfigError as exc:
            upload.errors = list(exc.errors)
    return upload


class ChangedMeanwhile(Exception):
    """The register changed between the check and the confirmation: what was shown is no longer what would happen."""


def apply_upload(pending: dict, *, actor) -> tuple[configuration.LoadReport, list[str]]:
    """Load a checked file (``dsar_config load``, with ``--prune`` when asked) if
    loading it still changes what the DPO was shown; recorded."""
    text, name, prune = pending["text"], pending["name"], bool(pending.get("prune"))
    with transaction.atomic():
        # pretix's shredder: confirm that nothing changed in between, or show it again.
        if config_files.diff(text, source=name, prune=prune) != pending.get("changes"):
            raise ChangedMeanwhile
        report, pruned = config_files.load(text, source=name, prune=prune)
        record_register_event(
            kind="register.loaded",
            actor=actor,
            details={
                "file": name[:200],
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "created": report.created,
                "updated": report.updated,
                "pruned": len(pruned),
            },
        )
    return report, pruned
