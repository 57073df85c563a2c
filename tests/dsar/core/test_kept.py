"""What a process keeps (dsar.core.kept) after the shared cache was emptied."""

from __future__ import annotations

import pytest

from dsar.core.kept import KeptPerProcess
from requests_app.api import subscribers
from requests_app.api.models import WebhookSubscription

pytestmark = pytest.mark.django_db


def test_forget_all_makes_every_process_value_read_again(dpo, django_assert_num_queries):
    # Written and read while the cache holds no version (a test's committed
    # world, a cache emptied since): kept under version 0.
    WebhookSubscription.objects.bulk_create(
        [WebhookSubscription(url="https://hooks.example.org/a", events=["*"], created_by=dpo)]
    )
    assert len(subscribers.active()) == 1
    # Gone without a signal, as a flush between tests deletes it: no version moves,
    # and this process would go on giving the subscription that no longer exists.
    WebhookSubscription.objects.all()._raw_delete(WebhookSubscription.objects.db)
    assert len(subscribers.active()) == 1

    KeptPerProcess.forget_all()

    with django_assert_num_queries(1):
        assert subscribers.active() == ()


def test_a_new_one_is_among_those_forgotten():
    reads = iter([1, 2])
    kept = KeptPerProcess("test:kept-version", lambda: next(reads), what="Test", max_age=60)
    assert kept.get(version=7) == 1
    assert kept.get(version=7) == 1
    KeptPerProcess.forget_all()
    assert kept.get(version=7) == 2
