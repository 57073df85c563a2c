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


# How each language cites a paragraph of the GDPR (walkthrough finding: the
# Dutch texts read "art. 15(4)", which is no Belgian or Dutch legal usage).
CITATION = {"nl": "art. 15, lid 4", "fr": "art. 15, paragraphe 4", "de": "Art. 15 Abs. 4"}
# The English form, and French forms other than the one chosen ("par. 4", "§ 4").
FOREIGN_CITATION = {
    "nl": r"\b[Aa]rt(?:ikel)?\.?\s*\d+\s*\(\d",
    "fr": r"\b[Aa]rt(?:icle)?\.?\s*\d+\s*\(\d|\b[Aa]rt(?:icle)?\.?\s*\d+,\s*(?:par\.|§)",
    "de": r"\bArt(?:ikel)?\.?\s*\d+\s*\(\d",
}


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_gdpr_citation_follows_the_language_s_legal_usage(language):
    import re

    from django.utils import translation

    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    foreign = re.compile(FOREIGN_CITATION[language])
    wrong = [
        text
        for entry in catalogue
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if foreign.search(text)
    ]
    assert wrong == []
    # As the reader sees it: the release page's line about withheld fields.
    with translation.override(language):
        line = translation.ngettext(
            "%(n)s field is withheld to protect another person (Art. 15(4)): the copy says so in its place.",
            "%(n)s fields are withheld to protect other people (Art. 15(4)): the copy says so in their place.",
            2,
        ) % {"n": 2}
    assert CITATION[language] in line
