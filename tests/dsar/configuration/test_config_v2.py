"""Format version 2 (issue 12, point 1): one declaration per table, keys and
parents from the database's own keys, version-1 files still load with a warning
and ``dsar_config upgrade`` prints their version-2 form."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from dsar import configuration
from dsar.execution.config import table_writes
from dsar.models import Connector
from tests.dsar.configuration.test_config_checks import _check, _config

pytestmark = pytest.mark.django_db

V2 = """\
version: 2
categories:
  - code: identification
    names: {en: Identification data}
  - code: billing
    names: {en: Billing}
activities:
  - code: accounting
    names: {en: Accounting}
    legal_basis: legal_obligation
    legal_hold_years: 7
connectors:
  - code: shop
    name: Web shop
    kind: sql
    operations: [access, erase]
    config:
      url: URL
      SCHEMA
      tables:
        clients:
          match: {email: mail}
          category: identification
          erasure: {action: mask, fields: {full_name: "null", mail: hash}}
        bills:
          category: billing
          legal_hold: {activity: accounting, date_column: issued, counted_from: end_of_year}
"""


def _v2(url, schema):
    return V2.replace("URL", url).replace("SCHEMA", f"schema: {schema}" if schema else "")


def test_one_declaration_per_table_takes_keys_and_parents_from_the_database(shop_url):
    report = configuration.load_yaml(_v2(*shop_url), source="shop.yaml")
    assert report.warnings == []
    config = Connector.objects.get(code="shop").config
    # Reading and acting match identities the same way.
    assert config["tables"]["clients"]["match"] == config["execution"]["tables"]["clients"]["match"]
    writes = {spec.name: spec for spec in table_writes(config)}
    assert writes["clients"].key == "client_no"
    assert writes["bills"].key == "bill_id"
    assert writes["bills"].parent == {"table": "clients", "column": "client_no"}
    assert writes["bills"].legal_hold["activity"] == "accounting"
    assert set(config["tables"]) == {"clients", "bills"}


def test_a_version_2_file_passes_the_live_check_and_loading_it_twice_changes_nothing(shop_url, tmp_path):
    assert _check(tmp_path, _v2(*shop_url)) == []
    configuration.load_yaml(_v2(*shop_url), source="shop.yaml")
    first = Connector.objects.get(code="shop").config
    report = configuration.load_yaml(_v2(*shop_url), source="shop.yaml")
    assert Connector.objects.get(code="shop").config == first
    assert report.created == {}


def test_a_misspelt_key_of_a_version_2_table_is_refused_with_its_line(tmp_path):
    text = _v2("sqlite:////nowhere/shop.sqlite3", None).replace("          legal_hold:", "          legal_hld:")
    errors = _check(tmp_path, text, "--offline")
    assert any(":27: " in e and "unknown key 'legal_hld'" in e and "did you mean 'legal_hold'" in e for e in errors)


def test_a_misspelt_hold_activity_in_version_2_names_its_line(tmp_path):
    text = _v2("sqlite:////nowhere/shop.sqlite3", None).replace("activity: accounting", "activity: acounting")
    errors = _check(tmp_path, text, "--offline")
    assert any(":27: " in e and "no processing activity 'acounting'" in e for e in errors), errors


def test_a_version_1_file_still_loads_with_a_warning_and_upgrade_prints_its_version_2_form(shop_url, tmp_path):
    v1 = _config(*shop_url)
    report = configuration.load_yaml(v1, source="old.yaml")
    assert any("format version 1" in w and "dsar_config upgrade old.yaml" in w for w in report.warnings)
    stored_v1 = Connector.objects.get(code="shop").config

    path = tmp_path / "old.yaml"
    path.write_text(v1, encoding="utf-8")
    out = StringIO()
    call_command("dsar_config", "upgrade", str(path), stdout=out)
    upgraded = yaml.safe_load(out.getvalue())
    assert upgraded["version"] == 2
    tables = upgraded["connectors"][0]["config"]["tables"]
    assert "execution" not in upgraded["connectors"][0]["config"]
    assert tables["bills"]["legal_hold"]["activity"] == "accounting"
    assert tables["clients"]["match"] == {"email": "mail"}

    # The upgraded file stores the same thing the version-1 file did.
    Connector.objects.all().delete()
    configuration.load_yaml(out.getvalue(), source="new.yaml")
    stored_v2 = Connector.objects.get(code="shop").config
    assert {s.name: s for s in table_writes(stored_v2)} == {s.name: s for s in table_writes(stored_v1)}
    assert stored_v2["tables"] == stored_v1["tables"] | {"bills": {"category": "billing"}}


def test_a_table_read_in_version_1_but_not_acted_on_stays_read_only():
    from dsar.config_v2 import upgrade_config

    upgraded = upgrade_config({"url": "x", "tables": {"customers": {"match": {"email": "email"}}, "notes": {}}})
    assert upgraded["tables"]["notes"] == {"read_only": True}
    assert upgraded["tables"]["customers"]["read_only"] is True


def test_the_demo_is_wholly_in_yaml_and_loading_it_twice_changes_nothing(settings, tmp_path):
    from dsar.demo import crm as demo_crm
    from dsar.demo.loader import CONFIG_FILE

    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    demo_crm.ensure_database(StringIO())
    text = CONFIG_FILE.read_text(encoding="utf-8")
    assert configuration.load_yaml(text, source="config.yaml").warnings == []
    crm = Connector.objects.get(code="demo-crm")
    writes = {spec.name: spec for spec in table_writes(crm.config)}
    # Execution included: keys and parents read from the demo CRM's own keys.
    assert writes["invoices"].parent == {"table": "customers", "column": "customer_id"}
    assert writes["usage_records"].parent == {"table": "licences", "column": "licence_id"}
    assert writes["invoices"].legal_hold["activity"] == "billing"
    assert {spec.key for spec in writes.values()} == {"id"}
    assert "erase" in crm.operations
    before = (crm.config, crm.operations)
    configuration.load_yaml(text, source="config.yaml")
    crm.refresh_from_db()
    assert (crm.config, crm.operations) == before


def test_a_column_category_is_declared_once_next_to_its_label_and_serves_erasure(shop_url):
    text = _v2(*shop_url).replace(
        '          erasure: {action: mask, fields: {full_name: "null", mail: hash}}\n',
        '          erasure: {action: mask, fields: {full_name: "null", mail: hash}}\n'
        "          columns:\n"
        "            iban: {label: {en: Bank account}, category: billing}\n",
    )
    configuration.load_yaml(text, source="shop.yaml")
    writes = {spec.name: spec for spec in table_writes(Connector.objects.get(code="shop").config)}
    # An erasure of the billing category alone empties the column the register files under it (Art. 17, 19).
    assert writes["clients"].column_categories == {"iban": "billing"}
    assert writes["clients"].category_of("iban") == "billing"
    assert writes["clients"].category_of("mail") == "identification"


def test_an_explicit_column_categories_entry_still_wins_over_the_column_s_own(shop_url):
    text = _v2(*shop_url).replace(
        "          category: identification\n",
        "          category: identification\n"
        "          columns:\n"
        "            iban: {category: identification}\n"
        "          column_categories: {iban: billing}\n",
        1,
    )
    configuration.load_yaml(text, source="shop.yaml")
    writes = {spec.name: spec for spec in table_writes(Connector.objects.get(code="shop").config)}
    assert writes["clients"].column_categories == {"iban": "billing"}


def test_a_misspelt_column_category_names_the_line_of_the_column(tmp_path):
    text = _v2("sqlite:////nowhere/shop.sqlite3", None).replace(
        "          category: identification\n",
        "          category: identification\n          columns:\n            iban: {category: bilings}\n",
        1,
    )
    errors = _check(tmp_path, text, "--offline")
    assert any(":25: " in e and "no category 'bilings'" in e for e in errors), errors


def test_the_demo_declares_each_column_category_once_and_erasure_reads_it(settings, tmp_path):
    from dsar.demo import crm as demo_crm
    from dsar.demo.loader import CONFIG_FILE

    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    demo_crm.ensure_database(StringIO())
    text = CONFIG_FILE.read_text(encoding="utf-8")
    assert "column_categories" not in text
    configuration.load_yaml(text, source="config.yaml")
    writes = {spec.name: spec for spec in table_writes(Connector.objects.get(code="demo-crm").config)}
    # What the demo declared twice before (columns.<col>.category and column_categories), now read once.
    assert writes["customers"].column_categories == {
        "company_name": "profession",
        "enterprise_number": "profession",
        "gender": "personal-characteristics",
        "iban": "financial",
        "language": "personal-characteristics",
        "marketing_opt_in": "marketing-preferences",
        "marketing_opt_in_at": "marketing-preferences",
        "national_number": "national-number",
        "profession": "profession",
        "riziv_number": "riziv-ehealth",
        "webinar_consent": "marketing-preferences",
        "webinar_consent_at": "marketing-preferences",
    }
    assert writes["contacts"].column_categories == {"ip_address": "location"}
    assert writes["usage_records"].column_categories == {
        "device_name": "technical",
        "dotnet_version": "technical",
        "ip_address": "location",
        "operating_system": "technical",
        "software_version": "technical",
    }
    # The one the old duplicate had missed: the eHealth certificate date is RIZIV/eHealth data.
    assert writes["licences"].column_categories == {"ehealth_certificate_valid_until": "riziv-ehealth"}


def test_the_demo_explains_its_profiling_in_every_language(settings, tmp_path):
    """Art. 15(1)(h): the logic, its significance and its envisaged consequences, in nl, fr, de and en."""
    from dsar.demo import crm as demo_crm
    from dsar.demo.loader import CONFIG_FILE
    from dsar.models import ProcessingActivity

    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    demo_crm.ensure_database(StringIO())
    configuration.load_yaml(CONFIG_FILE.read_text(encoding="utf-8"), source="config.yaml")
    activity = ProcessingActivity.objects.get(code="keeping-in-touch")
    for texts in (activity.automated_decisions, activity.automated_significance, activity.automated_consequences):
        assert set(texts) == {"en", "nl", "fr", "de"} and all(texts.values())
    assert "marketingcookies" in activity.automated_consequences["nl"]
