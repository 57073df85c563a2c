"""The active webhook subscriptions kept per process (requests_app.api.subscribers):
a change committed anywhere is seen by the next event everywhere."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.api import subscribers
from requests_app.api.models import WebhookSubscription

pytestmark = pytest.mark.django_db(transaction=True)


def _active_pks() -> set[str]:
    return {s.pk for s in subscribers.active()}


def test_the_list_is_read_once_then_kept():
    first = WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"])
    assert _active_pks() == {first.pk}
    with CaptureQueriesContext(connection) as queries:
        assert _active_pks() == {first.pk}
    assert len(queries) == 0


def test_a_committed_change_in_this_process_is_seen_at_once():
    assert _active_pks() == set()
    added = WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"])
    assert _active_pks() == {added.pk}
    added.active = False
    added.save()
    assert _active_pks() == set()


def test_a_change_made_by_another_process_is_seen_by_its_version():
    kept = WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"])
    assert _active_pks() == {kept.pk}
    # Another process adds one: only the shared version tells this one.
    WebhookSubscription.objects.bulk_create([WebhookSubscription(url="https://b.example.org/", events=["*"])])
    assert _active_pks() == {kept.pk}
    cache.set(subscribers.VERSION_KEY, "changed elsewhere", timeout=None)
    assert len(_active_pks()) == 2


def test_the_database_is_read_when_the_cache_is_down(monkeypatch):
    WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"])

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    # On the backend object itself, not on the ``cache`` proxy: the proxy sets
    # the attribute on this thread's backend, and undoes it on whatever backend
    # the thread holds at teardown (another one once the cache was closed).
    monkeypatch.setattr(caches["default"], "get", down)
    assert len(_active_pks()) == 1
    with CaptureQueriesContext(connection) as queries:
        assert len(_active_pks()) == 1
    assert len(queries) == 1  # nothing kept without a version to check it by


def test_the_list_read_inside_an_events_transaction_is_kept():
    """Events read the list inside their transaction (their deliveries are written with them)."""
    from django.db import transaction

    first = WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"])
    with transaction.atomic():
        assert _active_pks() == {first.pk}
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert _active_pks() == {first.pk}
    assert len(queries) == 0


def test_a_change_not_yet_committed_is_not_kept_for_others():
    from django.db import transaction

    kept = WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"])
    assert _active_pks() == {kept.pk}
    with pytest.raises(RuntimeError), transaction.atomic():
        WebhookSubscription.objects.create(url="https://b.example.org/", events=["*"])
        assert len(_active_pks()) == 2  # this transaction sees its own change
        raise RuntimeError("rolled back")
    with transaction.atomic():
        assert _active_pks() == {kept.pk}


def _submit(api, email: str) -> None:
    from tests.fixtures.intake import form_data

    payload = {k: v for k, v in form_data(email=email).items() if k != "website"}
    assert api(None, "post", "/api/v1/requests/", payload).status_code == 201


def test_a_submission_reads_the_version_with_its_rate_limits_not_on_its_own(api, monkeypatch):
    """The public intake's round trips to the cache stay two (issue 17)."""
    from dsar.core import kept

    asked = []
    real = kept.cache

    class Spy:
        def get(self, key, default=None):
            asked.append(key)
            return real.get(key, default)

    monkeypatch.setattr(kept, "cache", Spy())
    _submit(api, "first@example.be")
    assert subscribers.VERSION_KEY not in asked


def test_a_submission_sends_as_a_change_made_elsewhere_says(api):
    from requests_app.api.models import WebhookDelivery

    _submit(api, "first@example.be")  # the empty list is kept by this process
    assert not WebhookDelivery.objects.exists()
    # Another process adds a subscription: only the shared version tells this one.
    WebhookSubscription.objects.bulk_create([WebhookSubscription(url="https://b.example.org/", events=["*"])])
    cache.set(subscribers.VERSION_KEY, "changed elsewhere", timeout=None)
    _submit(api, "second@example.be")
    assert WebhookDelivery.objects.filter(event_kind="request.created").count() == 1
