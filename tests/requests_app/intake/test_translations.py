"""Every string of the subject's pages and e-mails is translated into nl, fr and de."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

OURS = ("requests_app/intake/", "templates/intake/", "templates/emails/intake_")


def _entries(path: Path):
    """(references, msgid, translations, flags) of each entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        refs = " ".join(line[3:] for line in lines if line.startswith("#: "))
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            yield refs, fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_string_of_the_subject_side_is_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    ours = [(msgid, values, flags) for refs, msgid, values, flags in _entries(path) if any(o in refs for o in OURS)]
    assert len(ours) > 150
    untranslated = [msgid for msgid, values, _f in ours if not all(values)]
    fuzzy = [msgid for msgid, _v, flags in ours if "fuzzy" in flags]
    assert not untranslated and not fuzzy
