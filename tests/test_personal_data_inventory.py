"""Every field of the project's models is classified in config/personal_data.yaml."""

from pathlib import Path

import yaml
from django.apps import apps

from requests_app.workflow import PERSONAL_FIELDS

INVENTORY = yaml.safe_load((Path(__file__).resolve().parents[1] / "config" / "personal_data.yaml").read_text())
KINDS = {"subject", "subject_encrypted", "staff", "none"}
OUR_APPS = {"requests_app", "api", "dsar"}
PREFIXES = ("dsar_", "requests_")  # the small apps inside dsar/ and requests_app/


def _our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS or m._meta.app_label.startswith(PREFIXES)]


def test_every_field_is_classified():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in _our_models()
        for field in model._meta.concrete_fields
        if field.name not in INVENTORY.get(model._meta.label, {})
    ]
    assert missing == [], f"classify these fields in config/personal_data.yaml: {missing}"


def test_the_inventory_uses_known_kinds():
    assert {kind for fields in INVENTORY.values() for kind in fields.values()} <= KINDS


def test_the_purge_covers_every_personal_field_of_a_request():
    personal = {name for name, kind in INVENTORY["requests_app.SubjectRequest"].items() if kind.startswith("subject")}
    assert personal <= {*PERSONAL_FIELDS, "type_details"}
