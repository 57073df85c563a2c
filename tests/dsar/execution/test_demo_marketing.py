"""The demo marketing platform acted on through its API: the engine unsubscribes,
revokes a webinar consent, erases, corrects and restricts Lotte Peeters there,
over HTTP against the app's own demo API (a live server)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from io import StringIO

import httpx
import pytest
from django.core.management import call_command
from django.urls import reverse

from dsar.demo import marketing as demo_marketing
from dsar.execution import service
from dsar.execution.executors import HttpExecutor
from dsar.execution.models import Action, Plan, PlanItem
from dsar.models import Connector, SourceRun
from requests_app.execution.selectors import plan_for
from requests_app.models import Status
from tests.factories import make_request

LOTTE = {"full_name": "Lotte Peeters", "email": "lotte.peeters@example.be", "customer_number": "C-100042"}
MARKETING_NEWSLETTERS = {"Corilus Nieuws", "Productupdates CareConnect"}


@pytest.fixture
def api(live_server, settings, tmp_path, db):
    """The demo loaded in a folder of its own, its API served by a live server."""
    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=StringIO())
    with httpx.Client(base_url=f"{live_server.url}/demo/marketing/") as client:
        yield client


def get(api, resource: str, email: str = LOTTE["email"]) -> list[dict]:
    response = api.get(resource, params={"email": email})
    assert response.status_code == 200, response.text
    results, body = [], response.json()
    results.extend(body["results"])
    while body["next"]:
        body = api.get(str(api.base_url.join(body["next"]))).json()
        results.extend(body["results"])
    return results


def table_counts() -> dict[str, int]:
    """Rows of every contact in the platform, read behind the API's back."""
    with closing(sqlite3.connect(demo_marketing.database_path())) as connection:
        return {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in demo_marketing.RESOURCES}  # noqa: S608


def planned(operation: str, **options) -> Plan:
    plan = service.create_plan(external_ref="DSAR-DEMO-7", operation=operation, identity=LOTTE, options=options)
    return service.compute(plan.pk)


def marketing_items(plan: Plan):
    return plan.items.filter(run__connector__code="demo-marketing")


def executed(plan: Plan, dpo) -> Plan:
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    return Plan.objects.get(pk=plan.pk)


def test_an_objection_to_direct_marketing_unsubscribes_lotte_from_the_marketing_newsletters(api, dpo):
    plan = planned("stop_processing", activities=["keeping-in-touch"], request_type="objection")
    item = marketing_items(plan).get()
    assert item.action == Action.API_CALL and item.mandatory  # Art. 21(3)
    assert item.fields["request"] == "POST contacts/{email}/unsubscribe"
    assert "Unsubscribes the contact from the marketing newsletters" in item.call_description
    assert item.fields["found"] == {"contacts": 1, "newsletter_subscriptions": 3, "webinar_registrations": 2}

    plan = executed(plan, dpo)

    item.refresh_from_db()
    assert item.status == PlanItem.Status.DONE and item.changed == 2
    subscriptions = {s["newsletter"]: s["unsubscribed_at"] for s in get(api, "subscriptions")}
    assert all(subscriptions[name] for name in MARKETING_NEWSLETTERS)
    # Only what she objected to: the sub-processor notifications are another activity.
    assert subscriptions["Subverwerkers-notificaties"] is None
    assert all(r["consent_withdrawn_at"] is None for r in get(api, "webinars"))


def test_a_withdrawal_of_webinar_consent_is_recorded_on_her_registrations(api, dpo):
    plan = planned("stop_processing", activities=["webinars"], request_type="withdrawal")
    item = marketing_items(plan).get()
    assert item.mandatory and item.fields["request"] == "POST contacts/{email}/revoke-webinar-consent"

    executed(plan, dpo)

    registrations = get(api, "webinars")
    assert len(registrations) == 2 and all(r["consent_withdrawn_at"] for r in registrations)
    assert all(s["unsubscribed_at"] is None for s in get(api, "subscriptions"))


def test_an_erasure_deletes_her_marketing_contact_and_a_second_run_changes_nothing_more(api, dpo):
    before = table_counts()
    plan = planned("erase")
    item = marketing_items(plan).get()
    assert item.action == Action.API_CALL and item.fields["request"] == "DELETE contacts/{email}"

    plan = executed(plan, dpo)

    item.refresh_from_db()
    assert item.status == PlanItem.Status.DONE and item.changed == 6  # contact, 3 subscriptions, 2 registrations
    assert get(api, "contacts") == [] and get(api, "subscriptions") == [] and get(api, "webinars") == []
    assert api.get(f"contacts/{LOTTE['email']}").status_code == 404

    # Every item again, as after a crash before our own commit: the API says she is gone.
    run = SourceRun.objects.get(job=plan.job, connector__code="demo-marketing")
    run.plan_items.update(status=PlanItem.Status.PLANNED, changed=0)
    HttpExecutor(run).execute()
    item.refresh_from_db()
    assert item.status == PlanItem.Status.DONE and item.changed == 0
    # A new plan finds nothing of her there any more, so it calls nothing.
    again = planned("erase")
    assert not marketing_items(again).exists()
    assert table_counts() == {
        table: count - {"contacts": 1, "subscriptions": 3, "webinars": 2}[table] for table, count in before.items()
    }


def test_a_rectification_changes_her_phone_and_only_the_approved_fields(api, dpo):
    plan = planned(
        "rectify",
        corrections=[
            {"field": "phone", "correct": "+32 470 99 88 77"},
            {"field": "company_name", "correct": "Groepspraktijk Peeters"},
            {"field": "city", "correct": "Brugge"},  # the platform has no city
        ],
    )
    item = marketing_items(plan).get()
    # The request's names become the API's: the company is its organisation.
    assert item.fields["changes"] == {"phone": "+32 470 99 88 77", "organisation": "Groepspraktijk Peeters"}
    service.approve_fields(item, fields=["phone"])

    executed(plan, dpo)

    lotte = api.get(f"contacts/{LOTTE['email']}").json()
    assert lotte["phone"] == "+32 470 99 88 77"
    assert lotte["organisation"] == "Huisartsenpraktijk Peeters" and lotte["updated_at"]


def test_a_restriction_marks_her_contact_restricted(api, dpo):
    plan = planned("restrict")
    assert marketing_items(plan).get().fields["request"] == "POST contacts/{email}/restrict"

    executed(plan, dpo)

    assert api.get(f"contacts/{LOTTE['email']}").json()["restricted_at"]


def test_the_changes_survive_loading_the_demo_again(api, dpo):
    executed(planned("stop_processing", activities=["webinars"], request_type="withdrawal"), dpo)

    call_command("load_demo", stdout=StringIO())

    assert all(r["consent_withdrawn_at"] for r in get(api, "webinars"))


def test_an_objection_goes_through_the_request_page_to_the_marketing_platform(
    api, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = make_request(
        request_type="objection",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        type_details={"activities": ["keeping-in-touch"]},
    )
    # Art. 21(3): no approval and no weighing. Confirmed (make_request; the live
    # server's tests commit for real), it was planned, approved by the system,
    # carried out and told.
    client.force_login(dpo)
    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert "POST contacts/{email}/unsubscribe" in page
    assert "Unsubscribes the contact from the marketing newsletters" in page

    plan = plan_for(subject_request)
    assert plan.approved_by is None and marketing_items(plan).get().status == PlanItem.Status.DONE
    assert all(s["unsubscribed_at"] for s in get(api, "subscriptions") if s["newsletter"] in MARKETING_NEWSLETTERS)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.FULFILLED


# ------------------------------------------------------------------------------
# The demo API itself
# ------------------------------------------------------------------------------
def test_the_api_answers_bad_input_with_a_clear_400(api):
    url = f"contacts/{LOTTE['email']}"
    unknown = api.patch(url, json={"shoe_size": "38"})
    assert unknown.status_code == 400 and "shoe_size" in unknown.json()["error"]
    assert api.patch(url, content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert "phone" in api.patch(url, json={"phone": "call me"}).json()["error"]
    assert api.patch(url, json={"last_name": None}).status_code == 400
    assert "newsletters" in api.post(f"{url}/unsubscribe", json={"newsletters": ["Nope"]}).json()["error"]
    assert api.post(f"{url}/unsubscribe", json=["x"]).status_code == 400
    assert api.post("contacts/nobody@example.be/unsubscribe").status_code == 404
    assert api.get(f"{url}/unsubscribe").status_code == 405
    assert api.put(url, json={}).status_code == 405
    # Nothing changed.
    assert api.get(url).json()["phone"] == "+32 470 12 34 56"


def test_the_api_asks_for_the_token_when_one_is_set_and_the_worker_sends_it(api, dpo, settings, monkeypatch):
    settings.DSAR_DEMO_MARKETING_TOKEN = "demo-token-7"
    assert api.get("subscriptions", params={"email": LOTTE["email"]}).status_code == 401
    assert api.post(f"contacts/{LOTTE['email']}/restrict", headers={"Authorization": "Bearer nope"}).status_code == 401

    monkeypatch.setenv("DSAR_SOURCE_MARKETING_TOKEN", "demo-token-7")
    connector = Connector.objects.get(code="demo-marketing")
    connector.config = {
        **connector.config,
        "secret_headers": {"Authorization": {"env": "DSAR_SOURCE_MARKETING_TOKEN", "prefix": "Bearer "}},
    }
    connector.save()
    plan = executed(planned("restrict"), dpo)
    assert plan.status == Plan.Status.WAITING  # the cameras: a person's task
    assert marketing_items(plan).get().status == PlanItem.Status.DONE
    authorised = api.get(f"contacts/{LOTTE['email']}", headers={"Authorization": "Bearer demo-token-7"})
    assert authorised.json()["restricted_at"]


def test_the_worker_says_which_variable_is_missing_when_the_token_is_not_set(api, dpo, monkeypatch):
    monkeypatch.delenv("DSAR_SOURCE_MARKETING_TOKEN", raising=False)
    connector = Connector.objects.get(code="demo-marketing")
    connector.config = {**connector.config, "token_env": "DSAR_SOURCE_MARKETING_TOKEN"}
    connector.save()
    plan = executed(planned("restrict"), dpo)
    run = SourceRun.objects.get(job=plan.job, connector=connector)
    assert run.status == SourceRun.Status.FAILED and "DSAR_SOURCE_MARKETING_TOKEN" in run.error
    assert api.get(f"contacts/{LOTTE['email']}").json()["restricted_at"] is None


def test_the_demo_api_does_not_exist_in_production(api, settings):
    settings.PRODUCTION = True
    assert api.post(f"contacts/{LOTTE['email']}/unsubscribe").status_code == 404
    assert api.get("subscriptions", params={"email": LOTTE["email"]}).status_code == 404
