"""``dsar_config scaffold`` (issue 12, point 4): a starting declaration read
from a real SQLite and PostgreSQL schema."""

from __future__ import annotations

from io import StringIO

import pytest
import sqlalchemy as sa
import yaml
from django.core.management import CommandError, call_command

from dsar import configuration

pytestmark = pytest.mark.django_db


def _scaffold(url, schema, *identities) -> str:
    out = StringIO()
    args = ["scaffold", url, *(f"--identity={i}" for i in identities)]
    if schema:
        args.append(f"--schema={schema}")
    call_command("dsar_config", *args, stdout=out)
    return out.getvalue()


def test_it_lists_the_tables_reachable_through_foreign_keys_and_marks_personal_columns(shop_url):
    url, schema = shop_url
    engine = sa.create_engine(url)
    with engine.begin() as c:
        prefix = f'"{schema}".' if schema else ""
        c.execute(sa.text(f"CREATE TABLE {prefix}unrelated (id INTEGER PRIMARY KEY, note VARCHAR(20))"))
        c.execute(sa.text(f"INSERT INTO {prefix}clients VALUES (1, 'a@example.be', 'Ann')"))  # noqa: S608 (test schema)
    engine.dispose()
    text = _scaffold(url, schema, "email=clients.mail")
    data = yaml.safe_load(text)
    tables = data["connectors"][0]["config"]["tables"]
    assert list(tables) == ["clients", "bills"]
    assert tables["clients"]["match"] == {"email": "mail"}
    assert tables["bills"]["category"] == "financial"
    assert "# REVIEW mail: looks like e-mail address" in text
    assert "# REVIEW full_name: looks like name" in text
    # It is a version-2 file the loader reads (once its categories exist).
    _data, _marks, errors, _warnings = configuration.check(text, source="scaffold.yaml", reflect=False)
    assert all("category" in e for e in errors), errors


def test_an_unknown_identity_table_is_refused(shop_url):
    url, schema = shop_url
    with pytest.raises(CommandError, match="no table 'customers'"):
        _scaffold(url, schema, "email=customers.email")
    with pytest.raises(CommandError, match="Write an identity as"):
        _scaffold(url, schema, "mail=clients.mail")
