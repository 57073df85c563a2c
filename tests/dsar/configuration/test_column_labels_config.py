"""Labels and formats of a source's columns in the YAML configuration: checked
on load, with a warning for every text a subject reads that misses a language."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dsar import configuration
from dsar.demo.loader import CONFIG_FILE
from dsar.models import Connector, Recipient

pytestmark = pytest.mark.django_db

CONFIG = """\
version: 1
categories:
  - code: identification
    names: {en: Identification data, nl: Identificatiegegevens, fr: Données d'identification, de: Identifikationsdaten}
  - code: financial
    names: {en: Financial data, nl: Financiële gegevens, fr: Données financières, de: Finanzdaten}
recipients:
  - code: hosting
    name: Hosting partner
    names: {en: Hosting partner, nl: Hostingpartner}
connectors:
  - code: crm
    name: CRM
    names: {en: Customer records, nl: Klantenbestand, fr: Fichier clients, de: Kundendatei}
    kind: sql
    config:
      url: sqlite:////srv/dsar/crm.sqlite3
      tables:
        customers:
          match: {email: email}
          category: identification
          label: {en: Customer record, nl: Klantenfiche, fr: Fiche client, de: Kundendatensatz}
          columns:
            iban: {label: {en: IBAN, nl: IBAN, fr: IBAN, de: IBAN}, category: %(category)s}
            total: {label: {en: Total, nl: Totaal}, format: %(format)s, currency: EUR}
    categories: [identification, financial]
"""


def test_declared_labels_load_and_reach_the_exports_register():
    configuration.load_yaml(CONFIG % {"category": "financial", "format": "amount"})
    crm = Connector.objects.get(code="crm")
    assert crm.display_name("fr") == "Fichier clients"
    assert Recipient.objects.get(code="hosting").display_name("nl") == "Hostingpartner"
    assert Recipient.objects.get(code="hosting").display_name("de") == "Hosting partner"  # falls back to name

    from dsar.exports.register import register_snapshot

    tables = register_snapshot()["connectors"]["crm"]["tables"]
    assert tables["customers"]["columns"]["iban"]["category"] == "financial"


def test_a_wrong_format_or_category_is_refused_with_its_line():
    data, marks = configuration.parse(CONFIG % {"category": "finance", "format": "money"}, "c.yaml")
    errors = configuration.validate(data, marks, "c.yaml")
    assert any(e.startswith("c.yaml:24:") and "No category with the code 'finance'" in e for e in errors), errors
    assert any(e.startswith("c.yaml:25:") and "Unknown format" in e for e in errors), errors


def test_the_check_warns_about_texts_missing_in_a_language_the_form_offers():
    data, marks = configuration.parse(CONFIG % {"category": "financial", "format": "amount"}, "c.yaml")
    warnings = configuration.language_warnings(data, marks, "c.yaml", ["en", "nl", "fr", "de"])
    assert any("recipients[0].names" in w and "fr, de" in w for w in warnings), warnings
    assert any("customers.columns.total.label" in w and "fr, de" in w for w in warnings), warnings
    assert not any("iban" in w for w in warnings)


def test_the_demo_configuration_gives_every_subject_text_in_every_language():
    # The demo file is format version 2 (one declaration per table): checked as it loads.
    data, marks, errors, _warnings = configuration.check(
        CONFIG_FILE.read_text(), source="demo_config.yaml", reflect=False
    )
    assert errors == []
    warnings = configuration.language_warnings(data, marks, "demo_config.yaml", ["en", "nl", "fr", "de"])
    assert warnings == []


def test_load_check_prints_the_warnings(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG % {"category": "financial", "format": "amount"})
    err = StringIO()
    call_command("dsar_config", "load", "--check", "--offline", str(path), stdout=StringIO(), stderr=err)
    assert "warning: no text in fr, de" in err.getvalue()
