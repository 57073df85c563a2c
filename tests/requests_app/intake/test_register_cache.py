"""The intake form's per-process copy of the register (issue 17): read once,
read again after every committed change, never kept from a transaction that changed it."""

from __future__ import annotations

import pytest
from django.db import transaction

from dsar.models import DataCategory, LegalBasis, ProcessingActivity
from requests_app.intake import register_cache
from requests_app.intake.forms import RequestForm
from requests_app.models import ControllerProfile


@pytest.fixture
def fresh_snapshot():
    register_cache._kept.forget()
    yield
    register_cache._kept.forget()


def _objection_choices() -> list[str]:
    return [code for code, _label in RequestForm().fields["objection_activities"].choices]


@pytest.mark.django_db(transaction=True)
def test_the_form_reads_the_register_once_and_again_after_a_change(fresh_snapshot, django_assert_num_queries):
    ControllerProfile.objects.create(name="Acme", dpo_email="dpo@acme.example")
    activity = ProcessingActivity.objects.create(
        code="marketing", names={"en": "Marketing"}, legal_basis=LegalBasis.LEGITIMATE_INTERESTS
    )
    DataCategory.objects.create(code="contact", names={"en": "Contact details"})
    assert _objection_choices() == ["marketing"]
    with django_assert_num_queries(0):
        assert _objection_choices() == ["marketing"]

    activity.active = False
    activity.save()
    assert _objection_choices() == []
    assert [code for code, _ in RequestForm().fields["erasure_categories"].choices] == ["contact"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_is_not_kept(fresh_snapshot):
    ControllerProfile.objects.create(name="Acme", dpo_email="dpo@acme.example")
    with pytest.raises(RuntimeError), transaction.atomic():
        ProcessingActivity.objects.create(
            code="marketing", names={"en": "Marketing"}, legal_basis=LegalBasis.LEGITIMATE_INTERESTS
        )
        assert _objection_choices() == ["marketing"]
        raise RuntimeError("rolled back")
    assert _objection_choices() == []


@pytest.mark.django_db
def test_without_the_cache_the_form_reads_the_database(fresh_snapshot, cache_down):
    ProcessingActivity.objects.create(
        code="marketing", names={"en": "Marketing"}, legal_basis=LegalBasis.LEGITIMATE_INTERESTS
    )
    assert _objection_choices() == ["marketing"]


@pytest.mark.django_db(transaction=True)
def test_the_api_reads_the_registers_version_with_its_flood_guard_and_sees_a_change_made_elsewhere(fresh_snapshot, api):
    from django.core.cache import cache

    ControllerProfile.objects.create(name="Acme", dpo_email="dpo@acme.example")
    payload = {"request_type": "objection", "full_name": "Lotte Peeters", "language": "nl"}
    refused = api(
        None, "post", "/api/v1/requests/", {**payload, "email": "a@example.be", "objection_activities": ["x"]}
    )
    assert refused.status_code == 400 and "objection_activities" in refused.json()
    # Another process adds an activity: this one learns it from the shared version only.
    ProcessingActivity.objects.bulk_create(
        [ProcessingActivity(code="x", names={"en": "X"}, legal_basis=LegalBasis.LEGITIMATE_INTERESTS)]
    )
    cache.set(register_cache.VERSION_KEY, "changed elsewhere", timeout=None)
    accepted = api(
        None, "post", "/api/v1/requests/", {**payload, "email": "b@example.be", "objection_activities": ["x"]}
    )
    assert accepted.status_code == 201, accepted.content
