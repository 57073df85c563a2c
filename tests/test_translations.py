"""Every user-visible string is translated into Dutch, French and German."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_compiled_catalogue_is_up_to_date(language):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / "django.mo"))
    source = polib.pofile(str(folder / "django.po"))
    assert {e.msgid for e in source.translated_entries()} <= {e.msgid for e in compiled}, "run `make messages`"


def test_a_status_reads_in_the_subjects_language():
    from django.utils import translation

    from requests_app.models import Status

    with translation.override("nl"):
        assert str(Status.AWAITING_SUBJECT.label) == "Wacht op de betrokkene"
    with translation.override("fr"):
        assert str(Status.REJECTED.label) == "Refusée"
