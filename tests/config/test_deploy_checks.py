"""`manage.py check --deploy` tells the operator what production still lacks:
a controller profile and a processing register."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dsar.checks import check_register, check_register_records
from dsar.models import LegalBasis, ProcessingActivity
from requests_app.checks import check_controller_profile
from requests_app.management.commands.load_demo import DEMO_CONTROLLER
from requests_app.models import ControllerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True


def ids(messages):
    return [message.id for message in messages]


def test_it_reports_a_missing_controller_profile_in_production(production):
    assert ids(check_controller_profile()) == ["requests_app.E001"]


def test_it_accepts_a_configured_controller_profile(production):
    ControllerProfile.objects.create(**DEMO_CONTROLLER)
    assert check_controller_profile() == []


def test_it_warns_when_the_authority_has_no_contact(production):
    ControllerProfile.objects.create(name="Acme", dpo_email="dpo@acme.example", authority_name="GBA")
    assert ids(check_controller_profile()) == ["requests_app.W001"]


def test_it_reports_a_register_without_an_active_activity(production):
    assert ids(check_register()) == ["dsar.E001"]
    ProcessingActivity.objects.create(code="old", names={"en": "Old"}, legal_basis=LegalBasis.CONTRACT, active=False)
    assert ids(check_register()) == ["dsar.E001"]
    ProcessingActivity.objects.create(code="billing", names={"en": "Billing"}, legal_basis=LegalBasis.CONTRACT)
    assert check_register() == []


def test_it_warns_about_activities_without_data_subjects_or_security_measures(production):
    measures = {"en": "Encrypted at rest"}
    customers = [{"en": "Customers"}]
    ProcessingActivity.objects.create(code="billing", names={"en": "Billing"}, legal_basis=LegalBasis.CONTRACT)
    ProcessingActivity.objects.create(
        code="camera", names={"en": "Camera"}, legal_basis=LegalBasis.LEGITIMATE_INTERESTS, data_subjects=customers
    )
    ProcessingActivity.objects.create(
        code="complete", names={"en": "Complete"}, legal_basis=LegalBasis.CONTRACT,
        data_subjects=customers, security_measures=measures,
    )  # fmt: skip
    ProcessingActivity.objects.create(
        code="old", names={"en": "Old"}, legal_basis=LegalBasis.CONTRACT, active=False
    )  # inactive: no longer in the record

    [warning] = check_register_records()
    assert warning.id == "dsar.W001"
    assert warning.msg.endswith(": billing, camera.")

    ProcessingActivity.objects.filter(active=True).update(data_subjects=customers, security_measures=measures)
    assert check_register_records() == []


def test_outside_production_nothing_is_reported():
    assert check_controller_profile() == [] and check_register() == [] and check_register_records() == []


def test_before_migrate_created_the_tables_nothing_is_read(production):
    with mock.patch.object(connection.introspection, "table_names", return_value=[]):
        assert check_controller_profile() == [] and check_register() == [] and check_register_records() == []


def test_before_the_last_migrations_ran_nothing_is_read(production):
    # New code checked before `migrate` added its columns: a query would fail.
    recorded = MigrationRecorder(connection).applied_migrations()
    latest = max(name for app, name in recorded if app == "dsar")
    with mock.patch.object(
        MigrationRecorder, "applied_migrations", return_value={k: v for k, v in recorded.items() if k[1] != latest}
    ):
        assert check_controller_profile() == [] and check_register() == [] and check_register_records() == []
    assert ids(check_controller_profile()) == ["requests_app.E001"]


def test_the_checks_run_under_check_deploy_and_not_under_the_checks_migrate_runs(production):
    # migrate runs the ordinary checks first: an empty database must not stop it.
    call_command("check", databases=["default"], stdout=io.StringIO())
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--deploy", tags=["dsar"])
    assert "requests_app.E001" in str(raised.value) and "dsar.E001" in str(raised.value)
