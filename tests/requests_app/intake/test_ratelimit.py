"""Abuse resistance: rate limits per IP and per address, doubled submissions, the honeypot."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from requests_app import workflow
from requests_app.intake.services import RateLimited, submit_request
from requests_app.models import Status, SubjectRequest
from tests.fixtures.intake import form_data

pytestmark = pytest.mark.django_db


def _cleaned(**overrides) -> dict:
    from requests_app.intake.forms import RequestForm

    form = RequestForm(data=form_data(**overrides))
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.mark.usefixtures("steady_clock")
def test_one_ip_address_is_limited_and_keeps_what_was_typed(client, settings):
    settings.DSAR_INTAKE_RATES_PER_IP = ["2/h"]
    for n in range(2):
        assert client.post(reverse("intake:form"), form_data(email=f"p{n}@example.be")).status_code == 302
    response = client.post(reverse("intake:form"), form_data(email="p3@example.be", full_name="Derde Persoon"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert b"Derde Persoon" in response.content and b"p3@example.be" in response.content
    assert "many requests from here, or for this e-mail address" in response.content.decode()
    assert SubjectRequest.objects.count() == 2


@pytest.mark.usefixtures("steady_clock")
def test_one_person_may_use_every_right_at_once(client):
    rights = {
        "access": {},
        "rectification": {"rectification_field": "Phone", "rectification_correct": "+32 470 12 34 56"},
        "erasure": {"erasure_scope": "all"},
        "restriction": {"restriction_ground": "legal_claims"},
        "portability": {"portability_format": "json"},
        "objection": {"details": "Your newsletter."},
        "withdrawal": {"details": "The webinar invitations."},
    }
    for request_type, fields in rights.items():
        response = client.post(reverse("intake:form"), form_data(request_type=request_type, **fields))
        assert response.status_code == 302, request_type
    assert SubjectRequest.objects.count() == 7


@pytest.mark.usefixtures("steady_clock")
def test_one_e_mail_address_is_limited_across_ip_addresses(settings):
    settings.DSAR_INTAKE_RATES_PER_EMAIL = ["2/h"]
    submit_request(_cleaned(request_type="access"), channel="api", client_ip="192.0.2.1")
    submit_request(
        _cleaned(request_type="restriction", restriction_ground="legal_claims"), channel="api", client_ip="192.0.2.2"
    )
    with pytest.raises(RateLimited) as caught:
        submit_request(
            _cleaned(request_type="portability", portability_format="json"), channel="api", client_ip="192.0.2.3"
        )
    assert caught.value.retry_after > 0
    assert SubjectRequest.objects.count() == 2


@pytest.mark.usefixtures("steady_clock")
def test_the_limit_lifts_when_the_window_ends(settings):
    settings.DSAR_INTAKE_RATES_PER_IP = ["1/h"]
    submit_request(_cleaned(email="a@example.be"), channel="web", client_ip="192.0.2.9")
    with pytest.raises(RateLimited):
        submit_request(_cleaned(email="b@example.be"), channel="web", client_ip="192.0.2.9")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, seconds=5)):
        submit_request(_cleaned(email="c@example.be"), channel="web", client_ip="192.0.2.9")
    assert SubjectRequest.objects.count() == 2


def test_a_doubled_submission_returns_the_open_request_instead_of_a_second(settings):
    settings.DSAR_INTAKE_RATES_PER_EMAIL = ["10/h"]
    first = submit_request(_cleaned(), channel="web", client_ip="192.0.2.1")
    again = submit_request(_cleaned(email="LOTTE.PEETERS@example.be"), channel="api", client_ip="192.0.2.1")
    assert not first.duplicate and again.duplicate and again.request.pk == first.request.pk
    workflow.verify(first.request)
    still = submit_request(_cleaned(), channel="web", client_ip="192.0.2.1")
    assert still.duplicate and still.request.pk == first.request.pk
    other_right = submit_request(
        _cleaned(request_type="restriction", restriction_ground="legal_claims"), channel="web", client_ip="192.0.2.1"
    )
    assert not other_right.duplicate
    assert SubjectRequest.objects.count() == 2


def test_a_finished_request_does_not_block_a_new_one():
    first = submit_request(_cleaned(), channel="web", client_ip="192.0.2.1").request
    workflow.cancel(first)
    assert not submit_request(_cleaned(), channel="web", client_ip="192.0.2.1").duplicate
    assert SubjectRequest.objects.filter(status=Status.UNVERIFIED).count() == 1


def test_the_same_browser_is_told_it_already_sent_the_request_others_are_not(client):
    client.post(reverse("intake:form"), form_data())
    assert b"already sent" not in client.get(reverse("intake:submitted")).content
    client.post(reverse("intake:form"), form_data())
    assert b"already sent" in client.get(reverse("intake:submitted")).content
    from django.test import Client

    stranger = Client()
    stranger.post(reverse("intake:form"), form_data())
    assert b"already sent" not in stranger.get(reverse("intake:submitted")).content
    assert SubjectRequest.objects.count() == 1


def test_a_bot_filling_the_honeypot_sees_success_and_creates_nothing(client):
    response = client.post(reverse("intake:form"), form_data(website="http://spam.example"))
    assert response.status_code == 302 and response.url == reverse("intake:submitted")
    assert not SubjectRequest.objects.exists()


@pytest.mark.usefixtures("steady_clock")
def test_a_fresh_link_is_rate_limited_too(client, settings):
    settings.DSAR_NEW_LINK_RATES = ["2/h"]
    for _ in range(2):
        assert client.post(reverse("intake:new_link"), {"email": "x@example.be"}).status_code == 302
    response = client.post(reverse("intake:new_link"), {"email": "x@example.be"})
    assert response.status_code == 429 and "Retry-After" in response


def test_the_rate_limit_keys_hold_no_personal_data():
    from requests_app.intake.ratelimit import Rate, _key

    for value in ("lotte.peeters@example.be", "192.0.2.77"):
        key = _key("intake-email", value, Rate.parse("3/h"), 1)
        assert value not in key and "lotte" not in key


def test_a_bad_rate_setting_fails_loudly():
    from requests_app.intake.ratelimit import Rate

    assert Rate.parse("3/10m") == Rate(3, 600)
    with pytest.raises(ValueError):
        Rate.parse("three per hour")


@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_make_one_request(settings):
    import threading

    from django.db import connection

    settings.DSAR_INTAKE_RATES_PER_EMAIL = ["10/h"]
    cleaned = _cleaned()
    results, barrier = [], threading.Barrier(2)

    def submit():
        barrier.wait()
        try:
            results.append(submit_request(dict(cleaned), channel="web", client_ip="192.0.2.1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SubjectRequest.objects.count() == 1
    assert sorted(r.duplicate for r in results) == [False, True]


@pytest.mark.usefixtures("steady_clock")
def test_behind_a_proxy_the_limit_counts_the_visitor_not_the_proxy(client, settings):
    settings.DSAR_INTAKE_RATES_PER_IP = ["1/h"]
    settings.DSAR_TRUSTED_PROXY_COUNT = 1
    url = reverse("intake:form")
    first = client.post(url, form_data(email="a@example.be"), HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = client.post(url, form_data(email="b@example.be"), HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert first.status_code == second.status_code == 302
    # A forged left-most entry does not escape the limit of the real address.
    forged = client.post(url, form_data(email="c@example.be"), HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2")
    assert forged.status_code == 429


def test_the_expiry_task_runs_the_expiry(settings):
    from requests_app.intake.tasks import expire_unverified_requests

    submit_request(_cleaned(), channel="web", client_ip="192.0.2.1")
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS, hours=2)):
        assert expire_unverified_requests.delay().get() == 1
    assert SubjectRequest.objects.get().status == Status.EXPIRED


class _FakeRedis:
    """Just what the rate limiter's pipeline uses, counting round trips."""

    def __init__(self):
        self.values: dict[str, int] = {}
        self.expiries: dict[str, int] = {}
        self.round_trips = 0
        self._queued: list = []

    def pipeline(self, transaction=True):
        return self

    def set(self, key, value, ex=None, nx=False):
        self._queued.append(("set", key, value, ex, nx))

    def incr(self, key):
        self._queued.append(("incr", key))

    def execute(self):
        self.round_trips += 1
        results = []
        for op in self._queued:
            if op[0] == "set":
                _, key, value, ex, nx = op
                if nx and key in self.values:
                    results.append(None)
                    continue
                self.values[key], self.expiries[key] = value, ex
                results.append(True)
            else:
                self.values[op[1]] += 1
                results.append(self.values[op[1]])
        self._queued = []
        return results


def test_every_limit_of_a_submission_in_one_redis_round_trip(settings, monkeypatch):
    from django.core.cache import caches

    from requests_app.intake import ratelimit

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    fake = _FakeRedis()
    monkeypatch.setattr(caches["default"]._cache, "get_client", lambda key=None, write=False: fake)
    checks = [("intake-ip", "192.0.2.1", ["2/h", "30/d"]), ("intake-email", "a@example.be", ["2/h"])]
    assert ratelimit.hit_all(checks) == 0
    assert fake.round_trips == 1
    assert sorted(fake.expiries.values()) == [3601, 3601, 86401]
    assert ratelimit.hit_all(checks) == 0
    assert 0 < ratelimit.hit_all(checks) <= 3601
    assert fake.round_trips == 3
    assert sorted(fake.values.values()) == [3, 3, 3]


@pytest.mark.usefixtures("steady_clock")
def test_a_value_is_read_in_the_limits_round_trip():
    from django.core.cache import cache

    from requests_app.intake import ratelimit

    cache.set("some-key", 42)
    assert ratelimit.hit_and_read([("s", "v", ["1/h"])], "some-key", 0) == (0, 42)
    retry_after, value = ratelimit.hit_and_read([("s", "v", ["1/h"])], "absent-key", 0)
    assert retry_after > 0 and value == 0


def test_without_the_cache_the_value_read_with_the_limits_is_none(cache_down):
    from requests_app.intake import ratelimit

    assert ratelimit.hit_and_read([("s", "v", ["1/h"])], "some-key", 0) == (0, None)


@pytest.mark.usefixtures("steady_clock")
def test_a_form_submission_counts_its_limits_and_reads_the_register_in_one_round_trip(client, settings, monkeypatch):
    from requests_app.intake import ratelimit

    calls = []
    count = ratelimit._count
    monkeypatch.setattr(ratelimit, "_count", lambda *args: calls.append(args) or count(*args))
    assert client.post(reverse("intake:form"), form_data()).status_code == 302
    # The limits per visitor and per address, the register's and the webhooks' versions.
    ((counters, reads),) = calls
    assert len(counters) == len(settings.DSAR_INTAKE_RATES_PER_IP) + len(settings.DSAR_INTAKE_RATES_PER_EMAIL)
    assert len(reads) == 2


@pytest.mark.usefixtures("steady_clock")
def test_a_refused_form_submission_uses_up_none_of_the_limits(client, settings):
    settings.DSAR_INTAKE_RATES_PER_EMAIL = ["2/h"]
    settings.DSAR_INTAKE_RATES_PER_IP = ["3/h"]
    address = "lotte.peeters@example.be"
    assert client.post(reverse("intake:form"), form_data(email=address, full_name="")).status_code == 400
    assert client.post(reverse("intake:form"), form_data(email=address, website="http://x")).status_code == 302
    assert SubjectRequest.objects.count() == 0  # the bot made nothing
    on_behalf = {"on_behalf": "on", "representative_email": address}  # and no name, no mandate: invalid
    assert client.post(reverse("intake:form"), form_data(email="", **on_behalf)).status_code == 400
    assert client.post(reverse("intake:form"), form_data(email=address)).status_code == 302
    assert client.post(reverse("intake:form"), form_data(email=address, details="again")).status_code == 302
    # The address's third request is refused: only the two accepted ones counted.
    assert client.post(reverse("intake:form"), form_data(email=address, details="too many")).status_code == 429
    # The visitor's limit counted the three submissions that counted, the refused one too.
    assert client.post(reverse("intake:form"), form_data(email="other@example.be")).status_code == 429
    assert SubjectRequest.objects.count() == 2
