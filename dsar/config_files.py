"""A configuration file checked, compared and loaded: what ``dsar_config load``
does with ``--check``, ``--diff`` and ``--prune``, for the command and for the
workspace's upload page alike (issue 15, point 8), so that both say the same."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from dsar import config_lifecycle, config_v2, configuration


@dataclass
class Checked:
    """The outcome of ``check``: no errors means the file may be loaded."""

    data: dict
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check(text: str, *, source: str, offline: bool = False) -> Checked:
    """Validate the file, and unless ``offline`` also against the sources it can
    reach (tables, columns, keys): ``dsar_config load --check``. Changes nothing."""
    try:
        data, marks, errors, warnings = configuration.check(text, source=source, reflect=not offline)
    except configuration.ConfigError as exc:  # not YAML at all: nothing further can be checked
        return Checked(data={}, errors=list(exc.errors))
    if not errors and not offline:
        # Imported here: the live checks (SQLAlchemy, httpx) run when a file is
        # loaded, and every web process reaches this module (issue 17).
        from dsar import config_live

        errors = config_live.file_errors(data, lambda p: configuration.where(marks, p, source))
        if data.get("version_2"):
            errors = config_v2.v2_paths(errors)
    if not errors:
        warnings = [*warnings, *configuration.language_warnings(data, marks, source)]
    return Checked(data=data if isinstance(data, dict) else {}, errors=errors, warnings=warnings)


def diff(text: str, *, source: str, prune: bool) -> list[str]:
    """What loading the file would change, one line per item (``--diff``): ``+``
    created, ``~`` changed with its fields, ``-`` in the database and not in the
    file. Raises ``ConfigError`` for an invalid file; changes nothing."""
    data, _marks, errors, _warnings = configuration.check(text, source=source, reflect=False)
    if errors:
        raise configuration.ConfigError(errors)
    lines = config_lifecycle.diff(lambda: configuration.load_yaml(text, source=source))
    for section, codes in config_lifecycle.undeclared(data, data.get("switches") or []).items():
        lines += [f"- {section} {code} (not in the file{'' if prune else '; --prune removes it'})" for code in codes]
    return lines


def load(text: str, *, source: str, prune: bool) -> tuple[configuration.LoadReport, list[str]]:
    """Load the file in one transaction (``dsar_config load``); with ``prune``, also
    remove what it no longer declares, or switch off and retire what requests
    refer to. Returns the report and one line per pruned item."""
    with transaction.atomic():
        report = configuration.load_yaml(text, source=source)
        pruned: list[str] = []
        if prune:
            data, _marks, _errors, _warnings = configuration.check(text, source=source, reflect=False)
            pruned = config_lifecycle.prune(data, data.get("switches") or [])
    return report, pruned
