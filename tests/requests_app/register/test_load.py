"""Issue 15, point 8: a configuration file loaded from the workspace: the
checks of ``dsar_config load --check`` (the live ones included), the
difference of ``--diff`` shown, and a load only once the DPO confirms it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dsar.models import Connector, DataCategory, ProcessingActivity
from requests_app.models import RegisterEvent
from tests.fixtures.workspace import signed_in

pytestmark = pytest.mark.django_db

REGISTER = """\
version: 2
categories:
  - code: identification
    names: {en: Identification data, nl: Identificatiegegevens, fr: Données d'identification, de: Identifikationsdaten}
activities:
  - code: accounting
    names: {en: Accounting, nl: Boekhouding, fr: Comptabilité, de: Buchhaltung}
    legal_basis: legal_obligation
    legal_hold_years: 7
    categories: [identification]
"""


def _upload(client, text: str, *, name: str = "register.yaml", prune: bool = False):
    data = {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-yaml")}
    if prune:
        data["prune"] = "on"
    return client.post("/workspace/register/load/", data)


def _digest(page) -> str:
    return page.content.decode().split('name="digest" value="')[1].split('"')[0]


def test_a_file_is_checked_and_its_changes_shown_then_loaded_only_when_confirmed(profile, dpo):
    client = signed_in(dpo)
    page = _upload(client, REGISTER)

    text = page.content.decode()
    assert page.status_code == 200
    assert "register.yaml passed every check" in text
    # The difference, in words: two new items, named by what they are.
    assert "<td>new</td><td>Data category</td><td><code>identification</code>" in text
    assert "<td>new</td><td>Processing activity</td><td><code>accounting</code>" in text
    assert not ProcessingActivity.objects.exists()  # nothing changed yet

    response = client.post("/workspace/register/load/confirm/", {"digest": _digest(page)}, follow=True)

    assert response.redirect_chain[-1][0] == "/workspace/register/"
    assert "register.yaml is loaded: 2 created, 0 updated, 0 no longer declared." in response.content.decode()
    assert ProcessingActivity.objects.get(code="accounting").legal_hold_years == 7
    event = RegisterEvent.objects.get(kind="register.loaded")
    assert event.actor == dpo and event.details["created"] == {"categories": 1, "activities": 1}
    assert "Configuration file loaded" in response.content.decode()


def test_a_changed_item_shows_its_fields_by_their_names(profile, dpo):
    client = signed_in(dpo)
    from dsar import configuration

    configuration.load_yaml(REGISTER, source="register.yaml")
    page = _upload(client, REGISTER.replace("legal_hold_years: 7", "legal_hold_years: 10"))
    assert (
        "<td>changed</td><td>Processing activity</td><td><code>accounting</code></td><td>kept by law for (years)"
        in (page.content.decode())
    )


def test_a_file_with_a_mistake_names_its_line_and_changes_nothing(profile, dpo):
    page = _upload(signed_in(dpo), REGISTER.replace("categories: [identification]", "categories: [identifcation]"))
    text = page.content.decode()
    assert "register.yaml has 1 problem: nothing was changed." in text
    assert "register.yaml:10: activities[0].categories[0]: no category with the code" in text
    assert 'name="digest"' not in text
    assert not DataCategory.objects.exists()


def test_the_live_checks_run_as_load_check_runs_them(profile, dpo, tmp_path):
    """A source whose table is not in its database is refused before anything is loaded."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE clients (id INTEGER PRIMARY KEY, mail TEXT)"))
    engine.dispose()
    text = (
        REGISTER
        + f"""\
connectors:
  - code: shop
    name: Web shop
    kind: sql
    operations: [access]
    config:
      url: "{url}"
      tables:
        customers:
          match: {{email: mail}}
          category: identification
          read_only: true
"""
    )
    page = _upload(signed_in(dpo), text)
    assert "nothing was changed" in page.content.decode()
    assert "customers" in page.content.decode().split('id="check-errors"')[1]
    assert not Connector.objects.exists()


def test_a_register_changed_since_the_check_is_not_loaded(profile, dpo):
    from dsar import configuration

    client = signed_in(dpo)
    page = _upload(client, REGISTER)
    # Someone else loads another version in between.
    configuration.load_yaml(REGISTER.replace("legal_hold_years: 7", "legal_hold_years: 10"), source="other.yaml")

    response = client.post("/workspace/register/load/confirm/", {"digest": _digest(page)}, follow=True)

    assert "The register changed since the file was checked; nothing was loaded." in response.content.decode()
    assert ProcessingActivity.objects.get(code="accounting").legal_hold_years == 10
    assert not RegisterEvent.objects.exists()


def test_prune_from_the_workspace_retires_what_requests_refer_to(profile, dpo):
    from dsar import configuration
    from requests_app.models import RequestType
    from tests.factories import make_request

    configuration.load_yaml(
        REGISTER + "  - code: old-fax\n    names: {en: Fax}\n    legal_basis: consent\n", source="register.yaml"
    )
    configuration.load_yaml(
        REGISTER.replace("activities:", "  - code: fax\n    names: {en: Fax numbers}\nactivities:"), source="r.yaml"
    )
    make_request(request_type=RequestType.ERASURE, type_details={"scope": "specific", "categories": ["fax"]})
    client = signed_in(dpo)
    page = _upload(client, REGISTER, prune=True)
    assert "removed, or switched off and retired where requests refer to it" in page.content.decode()

    client.post("/workspace/register/load/confirm/", {"digest": _digest(page)})

    assert DataCategory.objects.get(code="fax").active is False
    assert not ProcessingActivity.objects.filter(code="old-fax").exists()


def test_only_the_dpo_loads_a_file(profile, agent, auditor):
    for user in (agent, auditor):
        assert _upload(signed_in(user), REGISTER).status_code == 403
    assert not DataCategory.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_in_plain_words(profile, dpo):
    page = signed_in(dpo).post(
        "/workspace/register/load/", {"file": SimpleUploadedFile("register.yaml", "café".encode("latin-1"))}
    )
    assert "The file is not text in UTF-8" in page.content.decode()


def test_a_file_that_is_not_yaml_is_refused_with_its_line(profile, dpo):
    page = _upload(signed_in(dpo), "version: 2\ncategories: [\n")
    assert page.status_code == 200
    assert "nothing was changed" in page.content.decode()
    assert 'name="digest"' not in page.content.decode()
