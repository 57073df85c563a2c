"""The file as the declared state (issue 12, point 6): a source switched off
by its code alone, ``load --diff`` and ``load --prune``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from dsar import configuration
from dsar.models import Connector, DataCategory, Job, ProcessingActivity, SourceRun

pytestmark = pytest.mark.django_db

BASE = """\
version: 2
categories:
  - code: identification
    names: {en: Identification data}
  - code: old-category
    names: {en: Old}
activities:
  - code: billing
    names: {en: Billing}
    legal_basis: contract
  - code: old-activity
    names: {en: Old activity}
    legal_basis: contract
connectors:
  - code: crm
    name: CRM
    kind: manual
    config: {instructions: Look in the CRM.}
  - code: legacy
    name: Legacy
    kind: manual
    config: {instructions: Look in the old tool.}
"""

NEXT = """\
version: 2
categories:
  - code: identification
    names: {en: Identification data, nl: Identificatiegegevens}
activities:
  - code: billing
    names: {en: Billing}
    legal_basis: contract
connectors:
  - code: crm
    name: CRM
    kind: manual
    config: {instructions: Look in the CRM.}
"""


def _load(tmp_path, text, *args) -> str:
    path = tmp_path / "register.yaml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("dsar_config", "load", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_source_is_switched_off_by_its_code_alone(tmp_path):
    configuration.load_yaml(BASE)
    _load(tmp_path, "version: 2\nconnectors:\n  - {code: legacy, enabled: false}\n")
    legacy = Connector.objects.get(code="legacy")
    assert legacy.enabled is False
    assert legacy.config == {"instructions": "Look in the old tool."}
    with pytest.raises(configuration.ConfigError, match="no source with this code"):
        configuration.load_yaml("version: 2\nconnectors:\n  - {code: legasy, enabled: false}\n")


def test_diff_shows_what_a_load_would_change_and_changes_nothing(tmp_path):
    configuration.load_yaml(BASE)
    before = json.dumps(configuration.dump_data(), sort_keys=True)
    out = _load(tmp_path, NEXT, "--diff")
    assert "~ categories identification: names" in out
    assert "- connectors legacy (not in the file; --prune removes it)" in out
    assert "- categories old-category" in out
    assert json.dumps(configuration.dump_data(), sort_keys=True) == before


def test_prune_removes_what_is_not_declared_and_switches_off_what_requests_refer_to(tmp_path):
    configuration.load_yaml(BASE)
    job = Job.objects.create(external_ref="DSAR-1", operation="access", identity="{}")
    SourceRun.objects.create(job=job, connector=Connector.objects.get(code="legacy"))
    out = _load(tmp_path, NEXT, "--prune")
    assert "- connectors legacy: switched off (requests refer to it)" in out
    assert Connector.objects.get(code="legacy").enabled is False
    assert not DataCategory.objects.filter(code="old-category").exists()
    assert not ProcessingActivity.objects.filter(code="old-activity").exists()
    assert DataCategory.objects.get(code="identification").names["nl"] == "Identificatiegegevens"
