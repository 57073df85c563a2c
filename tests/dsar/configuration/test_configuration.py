"""The register and connectors as YAML: load, dump, and errors that name the line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dsar import config_secrets, configuration
from dsar.demo.loader import CONFIG_FILE
from dsar.models import Connector, DataCategory, LegalBasis, ProcessingActivity, Recipient

pytestmark = pytest.mark.django_db

VALID = """\
version: 1
categories:
  - code: identification
    names: {en: Identification data, nl: Identificatiegegevens}
recipients:
  - code: hosting
    name: Hosting partner
activities:
  - code: billing
    names: {en: Billing}
    legal_basis: legal_obligation
    categories: [identification]
    recipients: [hosting]
    legal_hold_years: 7
connectors:
  - code: crm
    name: CRM
    kind: sql
    config:
      url: sqlite:///crm.sqlite3
      password_env: DSAR_SOURCE_CRM_PASSWORD
      tables:
        customers: {match: {email: email}}
    categories: [identification]
    activities: [billing]
    identity_fields: [email]
"""


def test_it_loads_a_valid_file():
    report = configuration.load_yaml(VALID)

    activity = ProcessingActivity.objects.get(code="billing")
    assert activity.legal_basis == LegalBasis.LEGAL_OBLIGATION
    assert activity.legal_hold_years == 7
    assert list(activity.categories.values_list("code", flat=True)) == ["identification"]
    crm = Connector.objects.get(code="crm")
    assert crm.config["password_env"] == "DSAR_SOURCE_CRM_PASSWORD"
    assert crm.operations == ["access"]
    assert report.created["connectors"] == 1


def test_loading_twice_updates_instead_of_duplicating():
    configuration.load_yaml(VALID)
    report = configuration.load_yaml(VALID.replace("Hosting partner", "EU hosting partner"))

    assert Recipient.objects.get().name == "EU hosting partner"
    assert report.updated["recipients"] == 1 and not report.created


def test_errors_name_the_line_and_field_and_change_nothing():
    broken = VALID.replace("legal_basis: legal_obligation", "legal_basis: legal_obligaton").replace(
        "recipients: [hosting]", "recipients: [hosting, mailing]"
    )

    with pytest.raises(configuration.ConfigError) as caught:
        configuration.load_yaml(broken, source="register.yaml")

    messages = caught.value.errors
    assert messages[0].startswith("register.yaml:11: activities[0].legal_basis: 'legal_obligaton' is not one of")
    assert not DataCategory.objects.exists() and not Connector.objects.exists()


def test_references_to_unknown_codes_are_reported_with_their_line():
    broken = VALID.replace("recipients: [hosting]", "recipients: [hosting, mailing]")

    with pytest.raises(configuration.ConfigError) as caught:
        configuration.load_yaml(broken, source="register.yaml")

    assert caught.value.errors == [
        "register.yaml:13: activities[0].recipients[1]: no recipient with the code 'mailing'."
    ]
    assert not ProcessingActivity.objects.exists()


def test_a_secret_written_in_clear_is_refused():
    broken = VALID.replace("password_env: DSAR_SOURCE_CRM_PASSWORD", "password: hunter2")

    with pytest.raises(configuration.ConfigError) as caught:
        configuration.load_yaml(broken, source="register.yaml")

    assert any(
        e.startswith("register.yaml:21: connectors[0].config.password: secrets are never stored")
        for e in caught.value.errors
    )
    assert "hunter2" not in str(caught.value)


def test_a_transfer_outside_the_eea_needs_its_safeguard():
    broken = VALID.replace("    name: Hosting partner\n", "    name: Hosting partner\n    outside_eea: true\n")

    with pytest.raises(
        configuration.ConfigError, match=r"register.yaml:8: recipients\[0\].outside_eea: a transfer outside the EEA"
    ):
        configuration.load_yaml(broken, source="register.yaml")


def test_a_recipient_may_list_the_categories_it_receives():
    with_categories = VALID.replace(
        "    name: Hosting partner\n", "    name: Hosting partner\n    categories: [identification]\n"
    )

    configuration.load_yaml(with_categories)

    hosting = Recipient.objects.get(code="hosting")
    assert list(hosting.categories.values_list("code", flat=True)) == ["identification"]
    assert configuration.dump_data()["recipients"][0]["categories"] == ["identification"]
    # Left out of the file again: it receives every category of its activities.
    configuration.load_yaml(VALID)
    assert not hosting.categories.exists()
    assert configuration.dump_data()["recipients"][0]["categories"] == []


def test_a_recipients_unknown_category_is_reported_with_its_line_and_changes_nothing():
    broken = VALID.replace(
        "    name: Hosting partner\n", "    name: Hosting partner\n    categories: [identification, invoices]\n"
    )

    with pytest.raises(configuration.ConfigError) as caught:
        configuration.load_yaml(broken, source="register.yaml")

    assert caught.value.errors == [
        "register.yaml:8: recipients[0].categories[1]: no category with the code 'invoices'."
    ]
    assert not Recipient.objects.exists()
    with pytest.raises(configuration.ConfigError, match=r"register.yaml:8: recipients\[0\].categories: "):
        configuration.load_yaml(broken.replace("[identification, invoices]", "identification"), source="register.yaml")


def test_unknown_fields_and_bad_yaml_are_reported_with_their_line():
    with pytest.raises(configuration.ConfigError, match=r"cfg:4: categories\[0\].colour: unknown field 'colour'"):
        configuration.load_yaml("categories:\n  - code: a\n    names: {en: A}\n    colour: red\n", source="cfg")
    with pytest.raises(configuration.ConfigError, match="cfg:3: this is not valid YAML"):
        configuration.load_yaml("categories:\n  - code: a\n   names: [\n", source="cfg")


def test_the_demo_configuration_loads_and_dumps_back_to_the_same_register():
    configuration.load_yaml(CONFIG_FILE.read_text())
    first = configuration.dump_data()

    report = configuration.load_yaml(configuration.dump_yaml())

    assert configuration.dump_data() == first
    assert not report.created


def test_the_demo_register_covers_the_privacy_statement():
    configuration.load_yaml(CONFIG_FILE.read_text())

    activities = {a.code: a for a in ProcessingActivity.objects.all()}
    assert set(activities) >= {
        "information-requests", "keeping-in-touch", "webinars", "recruitment", "billing",
        "subprocessor-notifications", "licence-management", "security-monitoring", "camera-surveillance",
    }  # fmt: skip
    assert activities["billing"].legal_hold_years == 7
    assert activities["keeping-in-touch"].direct_marketing
    assert activities["webinars"].legal_basis == LegalBasis.CONSENT
    assert activities["subprocessor-notifications"].legal_basis == LegalBasis.CONSENT
    assert activities["licence-management"].legal_basis == LegalBasis.CONTRACT
    assert "acronis" in activities["security-monitoring"].recipients.values_list("code", flat=True)
    # Acronis Cyber Protect inventories hardware and software; the statement says no more of the others.
    assert {r.code: list(r.categories.values_list("code", flat=True)) for r in Recipient.objects.all()} == {
        "acronis": ["technical"], "authorities": [], "hosting": [], "mailing": [], "marketing-partner": [],
        "surveys": [],
    }  # fmt: skip
    assert DataCategory.objects.get(code="national-number").sensitive
    for item in [*DataCategory.objects.all(), *ProcessingActivity.objects.all()]:
        assert set(item.names) == {"en", "nl", "fr", "de"}, item.code
    for recipient in Recipient.objects.filter(outside_eea=True):
        assert set(recipient.transfer_safeguards) == {"en", "nl", "fr", "de"}


def test_the_demo_register_names_data_subjects_and_security_measures_of_every_activity():
    configuration.load_yaml(CONFIG_FILE.read_text())

    activities = {a.code: a for a in ProcessingActivity.objects.all()}
    for activity in activities.values():
        assert activity.data_subjects, activity.code
        for names in activity.data_subjects:
            assert set(names) == {"en", "nl", "fr", "de"}, activity.code
        assert set(activity.security_measures) == {"en", "nl", "fr", "de"}, activity.code
    assert activities["recruitment"].data_subject_names("en") == ["Job applicants"]
    assert activities["webinars"].data_subject_names("nl") == ["Deelnemers aan webinars"]
    assert "Bezoekers van onze gebouwen" in activities["camera-surveillance"].data_subject_names("nl")


def test_data_subjects_and_security_measures_load_and_dump():
    text = VALID.replace(
        "    legal_hold_years: 7\n",
        "    legal_hold_years: 7\n"
        "    data_subjects:\n"
        "      - {en: Customers, nl: Klanten}\n"
        "      - {en: Suppliers}\n"
        "    security_measures: {en: Encrypted backups, fr: Sauvegardes chiffrées}\n",
    )
    configuration.load_yaml(text)

    activity = ProcessingActivity.objects.get(code="billing")
    assert activity.data_subjects == [{"en": "Customers", "nl": "Klanten"}, {"en": "Suppliers"}]
    assert activity.data_subject_names("nl") == ["Klanten", "Suppliers"]
    assert activity.security_measures == {"en": "Encrypted backups", "fr": "Sauvegardes chiffrées"}
    dumped = configuration.dump_data()["activities"][0]
    assert dumped["data_subjects"] == [{"en": "Customers", "nl": "Klanten"}, {"en": "Suppliers"}]
    assert dumped["security_measures"] == {"en": "Encrypted backups", "fr": "Sauvegardes chiffrées"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{en: Customers}", r"cfg:15: activities\[0\].data_subjects: .* is not of type 'array'"),
        ("[{xx: Customers}]", r"cfg:15: activities\[0\].data_subjects\[0\]: 'xx' is not one of"),
        ("[{}]", r"cfg:15: activities\[0\].data_subjects\[0\]: \{\} should be non-empty"),
        ("[{en: ''}]", r"cfg:15: activities\[0\].data_subjects\[0\].en: '' should be non-empty"),
        ("[Customers]", r"cfg:15: activities\[0\].data_subjects\[0\]: 'Customers' is not of type 'object'"),
    ],
)
def test_badly_written_data_subjects_are_refused_with_their_line(value, message):
    text = VALID.replace("    legal_hold_years: 7\n", f"    legal_hold_years: 7\n    data_subjects: {value}\n")
    with pytest.raises(configuration.ConfigError, match=message):
        configuration.load_yaml(text, source="cfg")
    assert not ProcessingActivity.objects.exists()


def test_security_measures_are_a_translated_text():
    text = VALID.replace("    legal_hold_years: 7\n", "    legal_hold_years: 7\n    security_measures: Encryption\n")
    with pytest.raises(configuration.ConfigError, match=r"cfg:15: activities\[0\].security_measures: "):
        configuration.load_yaml(text, source="cfg")


def test_the_command_loads_dumps_and_explains_errors(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VALID)
    out = StringIO()
    call_command("dsar_config", "load", str(good), stdout=out)
    assert "connectors: 1 created" in out.getvalue()

    dumped = tmp_path / "dump.yaml"
    call_command("dsar_config", "dump", "--output", str(dumped))
    assert "code: crm" in dumped.read_text()

    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.replace("kind: sql", "kind: ftp"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("dsar_config", "load", str(bad), stderr=err)
    assert f"{bad}:18: connectors[0].kind: 'ftp' is not one of" in err.getvalue()


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({"url": "postgresql://crm:hunter2@db/crm"}, ("url",)),
        ({"base_url": "https://api.example.com/v1?api_key=hunter2"}, ("base_url",)),
        (
            {"resources": [{"name": "contacts", "path": "/contacts?email={email}&token=hunter2"}]},
            ("resources", 0, "path"),
        ),
        ({"headers": {"Proxy-Authorization": "Basic aHVudGVyMg=="}}, ("headers", "Proxy-Authorization")),
        ({"headers": {"X-Auth-Token": "hunter2"}}, ("headers", "X-Auth-Token")),
        ({"options": {"ApiKey": "hunter2"}}, ("options", "ApiKey")),
    ],
)
def test_a_secret_is_found_wherever_it_is_written(config, path):
    assert list(config_secrets.secret_paths(config)) == [path]


def test_names_of_environment_variables_and_placeholders_are_not_secrets():
    config = {
        "url": "postgresql+psycopg://reader@db/crm",
        "password_env": "DSAR_SOURCE_CRM_PASSWORD",
        "secret_headers": {
            "Authorization": {"env": "DSAR_SOURCE_API_TOKEN", "prefix": "Bearer "},
            "X-Api-Key": "DSAR_SOURCE_API_KEY",
        },
        "resources": [{"name": "contacts", "path": "/contacts?email={email}&token={customer_number}"}],
        "tables": {"users": {"exclude_columns": ["password_hash"]}},
    }
    assert list(config_secrets.secret_paths(config)) == []


def test_a_secret_already_in_the_database_is_never_dumped():
    # Written past every check (the ORM directly), as a row from an older version could be.
    Connector.objects.create(
        code="legacy",
        name="Legacy API",
        kind="http",
        config={
            "base_url": "https://legacy.example.com/?api_key=hunter2",
            "headers": {"Authorization": "Bearer hunter3"},
            "resources": [{"name": "a", "path": "/a"}],
        },
    )
    Connector.objects.create(
        code="old-crm", name="Old CRM", kind="sql", config={"url": "postgresql://crm:hunter4@db/crm", "tables": {}}
    )
    out, err = StringIO(), StringIO()

    call_command("dsar_config", "dump", stdout=out, stderr=err)

    dumped = out.getvalue()
    assert not any(secret in dumped for secret in ("hunter2", "hunter3", "hunter4"))
    assert "api_key=***" in dumped and "Authorization: '***'" in dumped and "crm:***@db" in dumped
    assert "connector legacy: config.headers.Authorization holds a secret" in err.getvalue()
    assert "connector old-crm: config.url holds a secret" in err.getvalue()
    with pytest.raises(configuration.ConfigError):  # the redacted dump cannot be loaded back as it is
        configuration.load_yaml(dumped)
