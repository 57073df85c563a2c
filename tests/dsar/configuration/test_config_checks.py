"""Issue 12, points 2 and 3: each class of configuration mistake an integrating
engineer makes is refused by ``dsar_config load --check`` with its line and a
hint, against a real SQLite and a real PostgreSQL source, and nothing changes."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from dsar.models import Connector, DataCategory

pytestmark = pytest.mark.django_db

CONFIG = """\
version: 1
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
  - code: newsletter
    names: {en: Newsletter}
    legal_basis: consent
connectors:
  - code: shop
    name: Web shop
    kind: sql
    config:
      url: URL
      SCHEMA
      tables:
        clients: {match: {email: mail}, category: identification}
      execution:
        tables:
          clients:
            key: client_no
            match: {email: mail}
            category: identification
            erasure: {action: mask, fields: {full_name: "null", mail: hash}}
          bills:
            key: bill_id
            parent: {table: clients, column: client_no}
            category: billing
            legal_hold: {activity: accounting, date_column: issued, counted_from: end_of_year}
"""

# (what the engineer wrote instead, the line of the mistake, what the message says)
MISTAKES = [
    ("category: billing", "category: biling", 34, "no category 'biling' (did you mean 'billing'?)"),
    ("          bills:", "          bils:", 31, "the database has no table 'bils' (did you mean 'bills'?)"),
    (
        "match: {email: mail}\n            category",
        "match: {email: mial}\n            category",
        28,
        "no column 'mial'",
    ),
    ("key: bill_id", "key: bil_id", 32, "no column 'bil_id'"),
    ("column: client_no}", "column: client_nr}", 33, "no column 'client_nr' (did you mean 'client_no'?)"),
    (
        "match: {email: mail}\n            category",
        "match: {e_mail: mail}\n            category",
        28,
        "no identity 'e_mail'",
    ),
    ("action: mask", "action: anonymise", 30, "erasure action 'anonymise' is not one of delete, mask, keep"),
    ("counted_from: end_of_year", "counted_from: end_of_yaer", 35, "did you mean 'end_of_year'?"),
    ("activity: accounting, date", "activity: acounting, date", 35, "no processing activity 'acounting'"),
    ("date_column: issued", "date_column: issue", 35, "no column 'issue' (did you mean 'issued'?)"),
    (
        "            key: client_no\n",
        "",
        26,
        "no column 'id' (no key declared, so 'id' was assumed). Its primary key is",
    ),
    ("mail: hash}", 'mail: "null"}', 30, "is NOT NULL: it cannot be set to empty"),
    ("activity: accounting, date", "activity: newsletter, date", 35, "keeps nothing for a period"),
    ("      tables:\n        clients: {match", "      tabels:\n        clients: {match", 22, "unknown key 'tabels'"),
    (
        "            erasure:",
        "            erasur:",
        30,
        "unknown key 'erasur' in table clients (did you mean 'erasure'?)",
    ),
]


def _config(url: str, schema: str | None) -> str:
    return CONFIG.replace("URL", url).replace("SCHEMA", f"schema: {schema}" if schema else "")


def _check(tmp_path, text: str, *args: str) -> list[str]:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    err = _Err()
    try:
        call_command("dsar_config", "load", str(path), "--check", *args, stdout=_Err(), stderr=err)
    except CommandError:
        return err.lines
    return []


class _Err:
    def __init__(self):
        self.lines: list[str] = []

    def write(self, text, *args, **kwargs):
        self.lines.extend(line for line in text.splitlines() if line.strip())

    def flush(self):
        pass


def test_the_correct_declaration_passes_against_the_live_source(shop_url, tmp_path):
    assert _check(tmp_path, _config(*shop_url)) == []


@pytest.mark.parametrize(("right", "wrong", "line", "message"), MISTAKES, ids=[m[1].strip()[:24] for m in MISTAKES])
def test_each_mistake_is_refused_with_its_line_and_changes_nothing(shop_url, tmp_path, right, wrong, line, message):
    text = _config(*shop_url)
    assert right in text
    errors = _check(tmp_path, text.replace(right, wrong, 1))
    matching = [e for e in errors if message in e]
    assert matching, errors
    assert re.match(rf"^\S+sources\.yaml:{line}: ", matching[0]), matching[0]
    assert not Connector.objects.exists()
    assert not DataCategory.objects.exists()


def test_a_relative_sqlite_path_is_refused(tmp_path):
    errors = _check(tmp_path, _config("sqlite:///shop.sqlite3", None))
    assert any("is relative" in e and ":20: " in e for e in errors), errors


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path):
    missing = tmp_path / "nowhere.sqlite3"
    errors = _check(tmp_path, _config(f"sqlite:///{missing}", None))
    assert any("does not exist" in e for e in errors), errors
    assert not missing.exists()


def test_offline_skips_the_live_checks_but_not_the_declaration_checks(tmp_path):
    text = _config("sqlite:////nowhere/shop.sqlite3", None)
    assert _check(tmp_path, text, "--offline") == []
    errors = _check(tmp_path, text.replace("activity: accounting, date", "activity: acounting, date"), "--offline")
    assert any("no processing activity 'acounting' (did you mean 'accounting'?)" in e for e in errors), errors


def test_an_unknown_key_in_a_connectors_config_is_refused(tmp_path):
    text = _config("sqlite:////nowhere/shop.sqlite3", None).replace("      url:", "      ur1: x\n      url:")
    errors = _check(tmp_path, text, "--offline")
    assert any("unknown key 'ur1'" in e and "(did you mean 'url'?)" in e for e in errors), errors


def test_a_yaml_error_says_what_to_quote(tmp_path):
    text = _config("sqlite:////nowhere/shop.sqlite3", None).replace("name: Web shop", "name: Shop: the web one")
    errors = _check(tmp_path, text, "--offline")
    assert any(":17: " in e and "must be quoted" in e for e in errors), errors
