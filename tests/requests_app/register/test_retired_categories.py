"""Issue 12: a data category retired with ``active: false`` leaves the public
form and the log-a-request form but stays readable on the requests that chose
it; ``load --prune`` retires rather than deletes one that requests still name."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dsar import configuration
from dsar.models import DataCategory
from requests_app.intake import register_cache
from requests_app.intake.details import describe_type_details
from requests_app.intake.forms import RequestForm
from requests_app.models import RequestType
from requests_app.workspace.forms import StaffRequestForm
from tests.factories import make_request

pytestmark = pytest.mark.django_db

REGISTER = """\
version: 2
categories:
  - code: contact
    names: {en: Contact details, nl: Contactgegevens}
  - code: fax
    names: {en: Fax numbers, nl: Faxnummers}
    ACTIVE
"""


@pytest.fixture(autouse=True)
def fresh_snapshot():
    register_cache._kept.forget()
    yield
    register_cache._kept.forget()


def _offered(form_class) -> list[str]:
    register_cache._kept.forget()
    return [code for code, _label in form_class().fields["erasure_categories"].choices]


def test_a_retired_category_leaves_both_forms_but_a_request_that_chose_it_still_names_it():
    configuration.load_yaml(REGISTER.replace("ACTIVE", "active: true"), source="register.yaml")
    assert sorted(_offered(RequestForm)) == ["contact", "fax"]
    request = make_request(
        request_type=RequestType.ERASURE, type_details={"scope": "specific", "categories": ["fax"], "specific": ""}
    )

    configuration.load_yaml(REGISTER.replace("ACTIVE", "active: false"), source="register.yaml")
    assert DataCategory.objects.get(code="fax").active is False
    assert _offered(RequestForm) == ["contact"]
    assert _offered(StaffRequestForm) == ["contact"]
    # The old request still reads as the subject asked it, by the category's name.
    request.refresh_from_db()
    assert ("Data categories to erase", ["Fax numbers"]) in [
        (str(label), lines) for label, lines in describe_type_details(request.type_details)
    ]


def test_a_category_declared_without_active_is_in_use_again():
    configuration.load_yaml(REGISTER.replace("ACTIVE", "active: false"), source="register.yaml")
    configuration.load_yaml(REGISTER.replace("    ACTIVE\n", ""), source="register.yaml")
    assert DataCategory.objects.get(code="fax").active is True
    assert configuration.dump_data()["categories"][1]["active"] is True


def _prune(tmp_path, text: str) -> str:
    path = tmp_path / "register.yaml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("dsar_config", "load", "--prune", str(path), stdout=out)
    return out.getvalue()


def test_prune_retires_a_category_a_request_chose_and_deletes_one_nobody_named(tmp_path):
    configuration.load_yaml(
        REGISTER.replace("ACTIVE", "active: true") + "  - code: telex\n    names: {en: Telex}\n", source="r.yaml"
    )
    make_request(request_type=RequestType.ERASURE, type_details={"scope": "specific", "categories": ["fax"]})

    out = _prune(tmp_path, "version: 2\ncategories:\n  - code: contact\n    names: {en: Contact details}\n")

    assert "- categories fax: retired (requests refer to it)" in out
    assert "- categories telex: removed" in out
    assert DataCategory.objects.get(code="fax").active is False
    assert not DataCategory.objects.filter(code="telex").exists()
    assert _offered(RequestForm) == ["contact"]


def test_the_dpo_is_offered_no_retired_category_for_an_erasure_but_keeps_one_already_chosen():
    from dsar.execution.models import Plan
    from dsar.models import Job, Operation
    from requests_app.execution.selectors import erasure_choices

    configuration.load_yaml(REGISTER.replace("ACTIVE", "active: false"), source="register.yaml")
    DataCategory.objects.create(code="telex", names={"en": "Telex"}, active=False)

    def choices(chosen):
        job = Job.objects.create(
            external_ref="D-1",
            operation=Operation.ERASE,
            identity="{}",
            options={"request_type": "erasure", "scope": "specific", "categories": chosen},
        )
        return [code for code, _name, _chosen in erasure_choices(Plan.objects.create(job=job))["choices"]]

    assert choices([]) == ["contact"]
    assert choices(["fax"]) == ["contact", "fax"]
