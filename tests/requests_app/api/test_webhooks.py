"""Signed webhooks: signature, retries with backoff, target validation, visibility."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
import time_machine
from django.utils import timezone

from requests_app import workflow
from requests_app.api import webhooks
from requests_app.api.models import WebhookDelivery, WebhookSubscription
from tests.factories import make_request

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

# Webhooks are side effects of committed workflow events: the tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def received(monkeypatch):
    """Deliveries go to an in-process transport; set ``answers`` to make it fail."""

    class Calls(list):
        state: dict

    calls = Calls()
    state = {"answers": []}

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if state["answers"]:
            answer = state["answers"].pop(0)
            if isinstance(answer, Exception):
                raise answer
            return httpx.Response(answer)
        return httpx.Response(204)

    monkeypatch.setattr(webhooks, "http_transport", httpx.MockTransport(handler))
    calls.state = state
    return calls


@pytest.fixture
def subscription(db):
    return WebhookSubscription.objects.create(url="https://hooks.example.org/dsar", events=["*"], secret=SECRET)


# -- signatures -------------------------------------------------------------------
def test_a_receiver_verifies_the_signature_over_timestamp_and_body():
    body = b'{"event":"request.approve"}'
    header = webhooks.signature_header(SECRET, body, timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert webhooks.verify_signature(SECRET, body, header, now=1_700_000_010)
    assert not webhooks.verify_signature("whsec_b3RoZXJzZWNyZXQ=", body, header, now=1_700_000_010)
    assert not webhooks.verify_signature(SECRET, body + b" ", header, now=1_700_000_010)
    # A replay ten minutes later is refused.
    assert not webhooks.verify_signature(SECRET, body, header, now=1_700_000_600)
    assert not webhooks.verify_signature(SECRET, body, "garbage", now=1_700_000_010)


def test_the_secret_is_stored_encrypted(subscription):
    raw = WebhookSubscription.objects.filter(pk=subscription.pk).values_list("secret", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM api_webhooksubscription WHERE id = %s", [subscription.pk])
        stored = cursor.fetchone()[0]
    assert SECRET not in stored
    assert list(raw) == [SECRET]


# -- enqueueing and delivery --------------------------------------------------------
def test_each_workflow_event_is_posted_signed_to_each_subscriber(received, subscription, dpo):
    WebhookSubscription.objects.create(
        url="https://other.example.org/", events=["request.approve"], secret="whsec_c2Vjb25kc2VjcmV0"
    )
    request = make_request(request_type="objection")
    workflow.approve(request, actor=dpo)
    # Approval also starts work (planning) whose own events follow; keep the three of interest.
    first = ["request.created", "request.verify", "request.approve"]
    kinds = [json.loads(call.content)["event"] for call in received]
    assert [k for k in kinds if k in first] == [
        "request.created",
        "request.verify",
        "request.approve",
        "request.approve",
    ]
    call = [c for c in received if json.loads(c.content)["event"] == "request.approve"][-1]
    assert call.headers["X-DSAR-Event"] == "request.approve"
    assert call.headers["Content-Type"] == "application/json"
    signed_for = [
        s
        for s in (SECRET, "whsec_c2Vjb25kc2VjcmV0")
        if webhooks.verify_signature(s, call.content, call.headers["X-DSAR-Signature"])
    ]
    assert len(signed_for) == 1
    payload = json.loads(call.content)
    assert payload["request"]["reference"] == request.reference
    assert payload["status_after"] == "approved"
    assert WebhookDelivery.objects.filter(status="delivered").count() == len(kinds)


def test_the_body_holds_no_personal_data(received, subscription, dpo):
    request = make_request(full_name="Lotte Peeters", email="lotte.peeters@example.be", phone="+32470123456")
    workflow.change_type(
        request,
        actor=dpo,
        request_type="objection",
        type_details={"activities": []},
        reason="Lotte Peeters said so on the phone",
    )
    bodies = b"".join(call.content for call in received).decode()
    for personal in ("Lotte", "lotte.peeters", "470123456", "on the phone"):
        assert personal not in bodies


def test_inactive_subscriptions_and_other_events_get_nothing(received, dpo):
    WebhookSubscription.objects.create(url="https://a.example.org/", events=["*"], active=False)
    WebhookSubscription.objects.create(url="https://b.example.org/", events=["request.rejected"])
    make_request()
    assert received == []
    assert not WebhookDelivery.objects.exists()


def test_a_failed_delivery_is_retried_with_exponential_backoff(received, subscription):
    received.state["answers"] = [500, httpx.ConnectError("refused"), 503]
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        make_request(verified=False)
        delivery = WebhookDelivery.objects.get()
        waits = []
        for _ in range(3):
            delivery.refresh_from_db()
            assert delivery.status == "pending"
            waits.append((delivery.next_retry_at - timezone.now()).total_seconds())
            # Too early: nothing is sent.
            assert webhooks.deliver(delivery.pk) == int(waits[-1]) + 1
            clock.shift(dt.timedelta(seconds=waits[-1]))
            webhooks.deliver(delivery.pk)
        delivery.refresh_from_db()
    assert waits == [60, 120, 240]
    assert delivery.status == "delivered"
    assert delivery.attempts == 4
    assert delivery.last_status_code == 204
    assert len(received) == 4


def test_a_delivery_fails_for_good_after_the_last_attempt(received, subscription):
    received.state["answers"] = [500] * webhooks.MAX_ATTEMPTS
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False) as clock:
        make_request(verified=False)
        delivery = WebhookDelivery.objects.get()
        while (wait := webhooks.deliver(delivery.pk)) is not None:
            clock.shift(dt.timedelta(seconds=wait))
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_retry_at is None


def test_the_sweep_picks_up_retries_whose_task_was_lost(received, subscription):
    received.state["answers"] = [500]
    make_request(verified=False)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert webhooks.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_a_delivery_is_written_in_the_events_own_transaction(received, subscription, dpo):
    from django.db import transaction

    request = make_request()
    before = WebhookDelivery.objects.count()
    with transaction.atomic():
        workflow.log_event(request, actor=dpo, kind="request.double_joined", details={})
        assert WebhookDelivery.objects.count() == before + 1  # before the commit
        assert [json.loads(c.content)["event"] for c in received].count("request.double_joined") == 0
    assert [json.loads(c.content)["event"] for c in received].count("request.double_joined") == 1


def test_an_event_rolled_back_leaves_no_delivery(received, subscription, dpo):
    from django.db import transaction

    request = make_request()
    before = WebhookDelivery.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.log_event(request, actor=dpo, kind="request.double_joined", details={})
        raise RuntimeError("the action failed")
    assert WebhookDelivery.objects.count() == before


def test_no_delivery_is_lost_when_the_process_dies_right_after_the_commit(monkeypatch, received, subscription):
    """Nothing that runs after the commit runs (the process was killed): the
    delivery was committed with its event and the sweep sends it."""
    from requests_app.workflow import events

    monkeypatch.setattr(events, "_after_commit", lambda request_id, event: None)
    monkeypatch.setattr(webhooks, "_enqueue_all", lambda delivery_ids: None)
    request = make_request(verified=False)
    assert received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert webhooks.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert json.loads(received[0].content)["request"]["reference"] == request.reference


def test_backoff_grows_and_is_capped():
    assert [webhooks.backoff_seconds(n) for n in range(1, 5)] == [60, 120, 240, 480]
    assert webhooks.backoff_seconds(30) == webhooks.MAX_RETRY_SECONDS


# -- targets --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        # IPv6 forms that carry an IPv4 address inside: 127.0.0.1 and 169.254.169.254.
        "https://[::7f00:1]/hook",
        "https://[64:ff9b::a9fe:a9fe]/hook",
        "https://[64:ff9b:1::a00:1]/hook",
        "https://[2002:7f00:1::]/hook",
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",
    ],
)
def test_production_refuses_loopback_private_and_link_local_targets(settings, url):
    settings.PRODUCTION = True
    with pytest.raises(
        webhooks.TargetRefused, match="private or local|cloud metadata|IPv6 form of an IPv4|the desk's own database"
    ):
        webhooks.check_target(url)


def _resolver(*addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    return getaddrinfo


def test_production_checks_every_address_a_name_resolves_to(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("93.184.215.14", "10.0.0.7"))
    with pytest.raises(webhooks.TargetRefused, match="10.0.0.7"):
        webhooks.check_target("https://hooks.example.org/dsar")
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
    target = webhooks.check_target("https://hooks.example.org/dsar")
    assert target.addresses[0] == "93.184.215.14"


def test_production_refuses_plain_http_and_unresolvable_names(settings, monkeypatch):
    settings.PRODUCTION = True
    with pytest.raises(webhooks.TargetRefused, match="https"):
        webhooks.check_target("http://hooks.example.org/")

    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(webhooks.TargetRefused, match="cannot be resolved"):
        webhooks.check_target("https://nowhere.invalid/")


def test_the_delivery_connects_to_the_checked_address(settings, monkeypatch, received, subscription):
    """A DNS answer that changes after the check cannot send the POST elsewhere."""
    settings.PRODUCTION = True
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("93.184.215.14"))
    make_request(verified=False)
    call = received[0]
    assert call.url.host == "93.184.215.14"
    assert call.headers["Host"] == "hooks.example.org"
    assert call.extensions["sni_hostname"] == "hooks.example.org"


def test_a_target_that_turned_private_is_not_called(settings, monkeypatch, received, subscription):
    settings.PRODUCTION = True
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("127.0.0.1"))
    make_request(verified=False)
    delivery = WebhookDelivery.objects.get()
    assert received == []
    assert "private or local" in delivery.last_error
    assert delivery.status == "pending"


def test_the_api_refuses_a_private_target_in_production(api, dpo, settings):
    settings.PRODUCTION = True
    response = api(dpo, "post", "/api/v1/webhooks/", {"url": "https://192.168.1.1/", "events": ["*"]})
    assert response.status_code == 400
    assert "private or local" in response.json()["url"][0]


# -- the API for the DPO --------------------------------------------------------------
def test_a_dpo_subscribes_and_sees_the_secret_once(api, dpo):
    response = api(
        dpo, "post", "/api/v1/webhooks/", {"url": "https://hooks.example.org/", "events": ["request.approve"]}
    )
    assert response.status_code == 201
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    listed = api(dpo, "get", "/api/v1/webhooks/").json()["results"][0]
    assert "secret" not in listed
    assert WebhookSubscription.objects.get().secret == secret
    rotated = api(dpo, "post", f"/api/v1/webhooks/{listed['id']}/rotate-secret/", {}).json()["secret"]
    assert rotated != secret and WebhookSubscription.objects.get().secret == rotated


def test_events_that_are_not_event_kinds_are_refused(api, dpo):
    response = api(dpo, "post", "/api/v1/webhooks/", {"url": "https://hooks.example.org/", "events": ["Eat it!"]})
    assert response.status_code == 400
    assert list(response.json()) == ["events"]


def test_a_subscription_takes_a_family_of_events(received, dpo):
    WebhookSubscription.objects.create(url="https://hooks.example.org/", events=["request.*"])
    WebhookSubscription.objects.create(url="https://other.example.org/", events=["note.*"])
    request = make_request(verified=False)
    workflow.add_note(request, actor=dpo, body="Called.")
    assert [(call.url.host, json.loads(call.content)["event"]) for call in received] == [
        ("hooks.example.org", "request.created"),
        ("other.example.org", "note.added"),
    ]


def test_the_dpo_sees_every_attempt_and_can_redeliver(api, dpo, received, subscription):
    received.state["answers"] = [500]
    make_request(verified=False)
    deliveries = api(dpo, "get", f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()["results"]
    assert deliveries[0]["attempts"] == 1
    assert deliveries[0]["last_status_code"] == 500
    assert deliveries[0]["next_retry_at"]
    failed = api(dpo, "get", "/api/v1/webhook-deliveries/?status=pending").json()["results"]
    assert [d["id"] for d in failed] == [deliveries[0]["id"]]
    response = api(dpo, "post", f"/api/v1/webhook-deliveries/{failed[0]['id']}/redeliver/", {})
    assert response.status_code == 201
    assert WebhookDelivery.objects.get(pk=response.json()["id"]).status == "delivered"


def test_the_delivery_list_takes_a_bounded_number_of_queries(api, dpo, subscription, make_token, received):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clear = make_token(dpo)
    for _ in range(10):
        make_request(verified=False)
    with CaptureQueriesContext(connection) as queries:
        assert api(clear, "get", "/api/v1/webhook-deliveries/").json()["count"] == 10
    assert len(queries) <= 5


# -- a real HTTP server ------------------------------------------------------------------
class _Receiver(BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        ok = webhooks.verify_signature(SECRET, body, self.headers[webhooks.SIGNATURE_HEADER])
        self.bodies.append((ok, json.loads(body)))
        self.send_response(200 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_real_receiver_gets_a_signed_post_it_can_verify(db, dpo):
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        WebhookSubscription.objects.create(
            url=f"http://127.0.0.1:{server.server_port}/hook", events=["request.approve"], secret=SECRET
        )
        request = make_request()
        workflow.approve(request, actor=dpo)
    finally:
        server.shutdown()
    assert _Receiver.bodies == [(True, _Receiver.bodies[0][1])]
    assert _Receiver.bodies[0][1]["request"]["reference"] == request.reference
    assert WebhookDelivery.objects.get().status == "delivered"


def test_the_admin_applies_the_same_target_rules(settings, db):
    from requests_app.api.admin import WebhookSubscriptionForm

    settings.PRODUCTION = True
    form = WebhookSubscriptionForm(data={"name": "x", "url": "https://10.0.0.1/", "events": '["*"]', "active": True})
    assert not form.is_valid()
    assert "private or local" in form.errors["url"][0]


def test_the_admin_lists_subscriptions_and_delivery_attempts(client, received, subscription, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    make_request(verified=False)
    client.force_login(admin)
    assert client.get("/admin/api/webhookdelivery/").status_code == 200
    page = client.get(f"/admin/api/webhooksubscription/{subscription.pk}/change/")
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


def test_a_subscription_filter_beyond_the_databases_integers_is_a_field_error(api, dpo):
    response = api(dpo, "get", f"/api/v1/webhook-deliveries/?subscription={10**22}")
    assert response.status_code == 400
    assert "subscription" in response.json()


# -- Standard Webhooks --------------------------------------------------------------
def test_a_delivery_verifies_with_the_standard_webhooks_verifier(subscription):
    """The receiver's side, with the package's own verifier (standardwebhooks.com)."""
    import standardwebhooks

    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_kind="request.approve", payload={"event": "request.approve"}
    )
    sent = []
    webhooks.http_transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(204))
    try:
        assert webhooks.deliver(delivery.pk) is None
    finally:
        webhooks.http_transport = None
    request = sent[0]
    verified = standardwebhooks.Webhook(SECRET).verify(request.content, dict(request.headers))
    assert verified == {"event": "request.approve"}
    assert request.headers["webhook-id"] == f"msg_{delivery.pk}"
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook("whsec_b3RoZXJzZWNyZXQ=").verify(request.content, dict(request.headers))
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


def test_an_old_secret_keeps_verifying_after_its_migration():
    """Secrets made before the switch were used whole as the HMAC key: the
    migration wraps them so that the key, and every signature, stay the same."""
    import base64

    old = "whsec_" + "A-b_" * 10 + "xyz"  # the old format: URL-safe text
    migrated = "whsec_" + base64.b64encode(old.encode()).decode()
    body = b'{"event":"request.approve"}'
    header = webhooks.signature_header(migrated, body, timestamp=1_700_000_000)
    legacy = hmac.new(old.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={legacy}"


def test_a_new_secret_is_a_standard_webhooks_secret():
    import base64

    from requests_app.api.models import new_webhook_secret

    secret = new_webhook_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:], validate=True)) == 32


def test_no_transaction_is_open_while_the_receiver_is_posted_to(subscription):
    """Issue 11: no network call under a row lock; the claim is a conditional update."""
    from django.db import connection

    delivery = WebhookDelivery.objects.create(subscription=subscription, event_kind="request.approve", payload={})
    seen = []

    def answer(request):
        seen.append(connection.in_atomic_block)
        # Meanwhile, the sweep cannot take the claimed delivery.
        assert webhooks.deliver(delivery.pk) is None and len(seen) == 1
        return httpx.Response(204)

    webhooks.http_transport = httpx.MockTransport(answer)
    try:
        webhooks.deliver(delivery.pk)
    finally:
        webhooks.http_transport = None
    assert seen == [False]
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 1
