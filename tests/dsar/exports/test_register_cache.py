"""The copies' per-process snapshot of the register (issue 17): read once,
read again after every committed change of what the Art. 15 information says,
never kept from a transaction that changed it."""

from __future__ import annotations

import pytest
from django.db import transaction

from dsar.config_lifecycle import prune
from dsar.exports import register
from dsar.models import Connector, DataCategory, ProcessingActivity, Recipient
from tests.support.export_factories import make_register


@pytest.fixture
def fresh_register():
    register._kept.forget()
    yield
    register._kept.forget()


def _activity(code: str) -> dict | None:
    return next((a for a in register.current_register()["activities"] if a["code"] == code), None)


@pytest.mark.django_db(transaction=True)
def test_the_register_is_read_once_and_again_after_each_change(fresh_register, django_assert_num_queries):
    make_register()
    assert _activity("billing")["categories"] == ["billing"]
    with django_assert_num_queries(0):
        assert _activity("billing")["categories"] == ["billing"]

    # A name, a link between an activity and a category, a recipient, a source: each is seen at once.
    activity = ProcessingActivity.objects.get(code="billing")
    activity.names = {"en": "Invoicing"}
    activity.save()
    assert _activity("billing")["names"] == {"en": "Invoicing"}
    activity.categories.add(DataCategory.objects.get(code="contact"))
    assert sorted(_activity("billing")["categories"]) == ["billing", "contact"]
    Recipient.objects.filter(code="accountant").get().delete()
    assert "accountant" not in register.current_register()["recipients"]
    crm = Connector.objects.get(code="crm")
    crm.config = {"tables": {"customers": {"label": {"en": "Customers"}}}}
    crm.save()
    assert register.current_register()["connectors"]["crm"]["tables"]["customers"]["label"] == {"en": "Customers"}


@pytest.mark.django_db(transaction=True)
def test_an_activity_a_configuration_load_removes_leaves_the_copies(fresh_register):
    make_register()
    assert _activity("newsletter") is not None
    declared = {
        "categories": [{"code": code} for code in ("contact", "billing", "scoring")],
        "recipients": [{"code": code} for code in ("mailer", "accountant")],
        "activities": [{"code": code} for code in ("billing", "customer-relations")],
        "connectors": [{"code": code} for code in ("crm", "erp")],
    }
    assert prune(declared, []) == ["- activities newsletter: removed"]
    assert _activity("newsletter") is None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_is_not_kept(fresh_register):
    make_register()
    with pytest.raises(RuntimeError), transaction.atomic():
        ProcessingActivity.objects.filter(code="billing").delete()
        assert _activity("billing") is None
        raise RuntimeError("rolled back")
    assert _activity("billing") is not None


@pytest.mark.django_db(transaction=True)
def test_a_flushed_cache_does_not_leave_the_old_register(fresh_register):
    from django.core.cache import cache

    make_register()
    assert _activity("billing") is not None
    cache.clear()
    # A change no signal told of (SQL by hand) while the cache was emptied.
    ProcessingActivity.objects.filter(code="billing").update(active=False)
    assert _activity("billing") is None


@pytest.mark.django_db
def test_without_the_cache_the_register_is_read_from_the_database(fresh_register, cache_down):
    make_register()
    assert _activity("billing") is not None
    ProcessingActivity.objects.filter(code="billing").update(active=False)
    assert _activity("billing") is None
