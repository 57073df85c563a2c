"""The execution plan through the API: the same panel, the same rules and the
same recorded refusals as the request page."""

# ruff: noqa: F811  (the execution tests' fixtures, imported, are parameters here)
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import time_machine
from django.core import mail

from dsar.execution.models import Action, Plan, PlanItem
from requests_app import workflow
from requests_app.execution.models import RestrictionLift
from requests_app.execution.selectors import plan_for
from requests_app.execution.services import run_due_lifts
from requests_app.models import Status
from tests.factories import make_request
from tests.fixtures.execution import crm, profile  # noqa: F401  (fixtures)
from tests.support.execution_factories import LOTTE


def lotte_request(request_type, **type_details):
    return make_request(
        request_type=request_type,
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        language="nl",
        type_details=type_details,
    )


@pytest.fixture
def erasure(crm, dpo, agent, profile, django_capture_on_commit_callbacks):
    subject_request = lotte_request("erasure", scope="all", tell_recipients=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(subject_request, actor=dpo, assignee=agent)
        workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW
    return subject_request


def _url(request, tail=""):
    return f"/api/v1/requests/{request.reference}/plan/{tail}"


# An erasure is approved on a ground of Art. 17(1).
GROUND = {"erasure_ground": "consent_withdrawn"}


def _item(body, entity, record_key):
    return next(
        item
        for source in body["sources"]
        for item in source["items"]
        if item["entity"] == entity and item["record_key"] == record_key
    )


def test_the_plan_shows_items_per_source_and_the_recipients_to_notify(api, auditor, erasure):
    body = api(auditor, "get", _url(erasure)).json()
    assert body["status"] == "ready" and body["operation"] == "erase" and body["editable"] is True
    crm_source = next(s for s in body["sources"] if s["source"] == "crm")
    assert crm_source["name"] == "Demo CRM"
    invoice = _item(body, "invoices", "10")
    assert invoice["action"] == "keep" and invoice["reason"]
    assert {r["recipient"] for r in body["recipients_to_notify"]} >= {"mailer"}
    assert body["recipients_notified"] == []
    assert body["allowed_actions"] == []  # an auditor reads only
    assert body["warnings"] == []


def test_the_agent_keeps_a_record_and_leaves_one_out_then_includes_it_again(api, agent, erasure):
    body = api(agent, "get", _url(erasure)).json()
    assert {"items", "recompute"} <= set(body["allowed_actions"]) and "approve" not in body["allowed_actions"]
    customer = next(i for s in body["sources"] for i in s["items"] if i["action"] in ("delete", "mask"))
    url = _url(erasure, f"items/{customer['id']}/")

    missing = api(agent, "post", url, {"change": "keep", "reason": "legal_obligation"})
    assert missing.status_code == 400
    assert missing.json()["detail"] == "Explain why it is kept."

    kept = api(agent, "post", url, {"change": "keep", "reason": "legal_obligation", "note": "Tax audit"})
    assert kept.status_code == 200, kept.content
    item = _item(kept.json(), customer["entity"], customer["record_key"])
    assert (item["action"], item["note"]) == ("keep", "Tax audit")

    api(agent, "post", url, {"change": "include"})
    left_out = api(agent, "post", url, {"change": "leave_out", "note": "Not the subject"})
    assert _item(left_out.json(), customer["entity"], customer["record_key"])["status"] == "skipped"
    back = api(agent, "post", url, {"change": "include"})
    item = _item(back.json(), customer["entity"], customer["record_key"])
    assert (item["status"], item["action"]) == ("planned", customer["action"])

    invalid = api(agent, "post", url, {"change": "shred"})
    assert invalid.status_code == 400 and "change" in invalid.json()


@pytest.mark.parametrize("who", ["auditor", "other_agent"])
def test_others_cannot_change_an_item(api, request, erasure, who):
    user = request.getfixturevalue(who)
    item = plan_for(erasure).items.exclude(action=Action.KEEP).first()
    response = api(user, "post", _url(erasure, f"items/{item.pk}/"), {"change": "leave_out", "note": "x"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == PlanItem.Status.PLANNED


def test_an_agent_cannot_approve_an_erasure_plan_and_the_refusal_is_recorded(api, agent, erasure):
    response = api(agent, "post", _url(erasure, "approve/"), GROUND)
    assert response.status_code == 403
    assert response.json()["detail"] == "Only a DPO may approve an erasure plan."
    assert plan_for(erasure).status == Plan.Status.READY
    assert erasure.events.filter(kind="action.refused", actor=agent, details__action="approve_plan").exists()


def test_the_dpo_approves_then_reminds_a_recipient_and_tells_the_subject(
    api, dpo, erasure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", _url(erasure, "approve/"), GROUND)
    assert response.status_code == 200, response.content
    body = api(dpo, "get", _url(erasure)).json()
    assert body["status"] == "done" and body["approved_by"] == "dpo"
    notified = {n["recipient"]: n for n in body["recipients_notified"]}
    assert "mailer" in notified and notified["mailer"]["sent_at"]
    assert {"remind", "tell-recipients"} <= set(body["allowed_actions"])
    assert api(dpo, "post", _url(erasure, "approve/"), GROUND).status_code == 409

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = api(dpo, "post", _url(erasure, f"notices/{notified['mailer']['id']}/remind/"))
    assert reminded.status_code == 200 and reminded.json()["reminders"] == 1
    assert [m.to for m in mail.outbox] == [["privacy@mailer.example"]]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = api(dpo, "post", _url(erasure, "tell-recipients/"))
    assert told.status_code == 200
    assert [m.to for m in mail.outbox] == [[LOTTE["email"]]]
    assert erasure.events.filter(kind="recipients.told", actor=dpo).exists()


def test_actions_the_plan_state_does_not_allow_are_conflicts(api, dpo, erasure):
    assert api(dpo, "post", _url(erasure, "resume/")).status_code == 409
    assert api(dpo, "post", _url(erasure, "tell-recipients/")).status_code == 409
    lift = api(dpo, "post", _url(erasure, "lift-restriction/"), {"reason": "accuracy_verified"})
    assert lift.status_code == 409
    assert api(dpo, "post", _url(erasure, "lift-restriction/"), {"reason": "bored"}).status_code == 400
    assert api(dpo, "post", _url(erasure, "notices/999999/remind/")).status_code == 404
    assert api(dpo, "post", _url(erasure, "items/999999/"), {"change": "include"}).status_code == 404


def test_a_resumed_plan_is_being_executed_before_any_worker_picks_it_up(api, dpo, erasure):
    plan = plan_for(erasure)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PARTIAL)
    # The retry is queued on commit; no worker runs it in this test.
    assert api(dpo, "post", _url(erasure, "resume/")).status_code == 200
    assert api(dpo, "get", _url(erasure)).json()["status"] == "executing"
    # A second click does not queue the runs twice, and nothing is released meanwhile.
    assert api(dpo, "post", _url(erasure, "resume/")).status_code == 409
    release = api(dpo, "post", f"/api/v1/requests/{erasure.reference}/release/")
    assert release.status_code == 409
    assert "being executed" in release.json()["detail"]


def test_the_plan_is_computed_again(api, agent, crm, erasure, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(agent, "post", _url(erasure, "recompute/"))
    assert response.status_code == 200
    assert response.json()["status"] in ("planning", "ready")
    assert erasure.events.filter(kind="plan.recomputed", actor=agent).exists()


def test_a_request_without_a_plan_answers_404(api, dpo):
    request = make_request(verified=True)
    assert api(dpo, "get", _url(request)).status_code == 404
    assert api(dpo, "post", _url(request, "approve/")).status_code == 404


def test_a_restriction_is_lifted_through_the_api(api, dpo, crm, profile, django_capture_on_commit_callbacks):
    # The ground as the form and the API store it (type_details["ground"]), read by the plan.
    subject_request = lotte_request("restriction", ground="contested_accuracy")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    assert plan_for(subject_request).job.options["ground"] == "contested_accuracy"
    crm_notes = next(
        s["notes"] for s in api(dpo, "get", _url(subject_request)).json()["sources"] if s["source"] == "crm"
    )
    assert "without saying which data" in " ".join(crm_notes)
    with django_capture_on_commit_callbacks(execute=True):
        assert api(dpo, "post", _url(subject_request, "approve/")).status_code == 200
    body = api(dpo, "get", _url(subject_request)).json()
    assert body["status"] == "done" and "lift-restriction" in body["allowed_actions"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", _url(subject_request, "lift-restriction/"), {"reason": "accuracy_verified"})
    assert response.status_code == 200, response.content
    assert "lift-restriction" not in response.json()["allowed_actions"]
    assert LOTTE["email"] in [m.to[0] for m in mail.outbox]
    # Art. 18(3): scheduled, told first; lifted by the scheduled step once the date came.
    lift = RestrictionLift.objects.get(request=subject_request)
    assert not subject_request.events.filter(kind="restriction.lifted").exists()
    with (
        time_machine.travel(dt.datetime.combine(lift.not_before, dt.time(12), tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_due_lifts() == 1
    assert subject_request.events.filter(kind="restriction.lifted").exists()


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("outsider", 403), ("expired_token", 401)])
def test_strangers_see_no_plan(api, request, erasure, who, status):
    actor = request.getfixturevalue(who) if who else None
    assert api(actor, "get", _url(erasure)).status_code == status
    assert api(actor, "post", _url(erasure, "approve/")).status_code == status


def test_a_correction_in_the_subjects_words_is_mapped_onto_a_field(
    api,
    dpo,
    crm,
    profile,
    django_capture_on_commit_callbacks,
):
    subject_request = lotte_request(
        "rectification", items=[{"field": "My home town", "current": "Gent", "correct": "Brugge"}]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    body = api(dpo, "get", _url(subject_request)).json()
    assert [w["code"] for w in body["warnings"]] == ["correction_unmatched"]
    assert body["warnings"][0]["sources"] == ["My home town"]
    assert "postal_address" in body["correction_fields"] and "corrections" in body["allowed_actions"]

    assert api(dpo, "post", _url(subject_request, "corrections/0/"), {"field": "shoe size"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", _url(subject_request, "corrections/0/"), {"field": "postal_address"})
    assert response.status_code == 200, response.content
    item = plan_for(subject_request).items.get(action=Action.RECTIFY)
    assert item.fields == {"city": "Brugge"}

    fields = api(dpo, "post", _url(subject_request, f"items/{item.pk}/"), {"change": "fields", "fields": ["city"]})
    assert _item(fields.json(), item.entity, item.record_key)["approved_fields"] == ["city"]


def test_a_step_found_only_by_a_typed_customer_number_is_left_out_and_says_so(
    api, auditor, dpo, crm, profile, django_capture_on_commit_callbacks
):
    subject_request = make_request(
        request_type="erasure",
        full_name="Mallory",
        email="mallory@example.be",
        customer_number=LOTTE["customer_number"],
        type_details={"scope": "all"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)

    customer = _item(api(auditor, "get", _url(subject_request)).json(), "customers", "1")
    assert customer["matched_on"] == ["customer_number"] and customer["status"] == "skipped"


def test_an_erasure_plan_is_not_approved_without_its_ground_of_article_17(
    api, dpo, erasure, django_capture_on_commit_callbacks
):
    refused = api(dpo, "post", _url(erasure, "approve/"))
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Choose the ground of Art. 17(1) on which the data is erased."
    assert plan_for(erasure).status == Plan.Status.READY
    assert api(dpo, "post", _url(erasure, "approve/"), {"erasure_ground": "because"}).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        assert api(dpo, "post", _url(erasure, "approve/"), {"erasure_ground": "unlawful"}).status_code == 200

    assert erasure.events.get(kind="plan.approved").details["erasure_ground"] == "unlawful"


def test_a_recipient_without_an_address_is_settled_through_the_api(
    api, dpo, agent, erasure, django_capture_on_commit_callbacks
):
    """Art. 19: notified by other means or not, with the reason; the release waits for it (409 before)."""
    from dsar.models import ProcessingActivity, Recipient

    courier = Recipient.objects.create(code="courier", name="Koerier NV")
    ProcessingActivity.objects.get(code="crm").recipients.add(courier)
    with django_capture_on_commit_callbacks(execute=True):
        assert api(dpo, "post", _url(erasure, "approve/"), GROUND).status_code == 200
    body = api(dpo, "get", _url(erasure)).json()
    (entry,) = [n for n in body["recipients_notified"] if n["name"] == "Koerier NV"]
    assert entry["sent_at"] is None and entry["not_notified_reason"] == "" and not entry["other_means"]

    url = _url(erasure, f"notices/{entry['id']}/settle/")
    assert api(agent, "post", url, {"reason": "impossible", "note": "Gone."}).status_code == 403
    assert api(dpo, "post", url, {"reason": "impossible"}).status_code == 409  # no explanation
    response = api(dpo, "post", url, {"reason": "impossible", "note": "The company was dissolved in 2022."})
    assert response.status_code == 200
    (entry,) = [n for n in api(dpo, "get", _url(erasure)).json()["recipients_notified"] if n["name"] == "Koerier NV"]
    assert entry["not_notified_reason"] == "impossible"


def test_a_correction_is_mapped_onto_several_fields_each_with_its_value(
    api, dpo, crm, profile, django_capture_on_commit_callbacks
):
    _connector, engine, schema = crm
    subject_request = lotte_request(
        "rectification", items=[{"field": "My details", "correct": "Brugge, +32 470 11 22 33"}]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    body = api(dpo, "get", _url(subject_request)).json()
    assert "“My details”" in body["approval_blocked"] and "approve" not in body["allowed_actions"]
    # Approving now is refused with the same words: nothing is decided yet.
    refused = api(dpo, "post", _url(subject_request, "approve/"))
    assert refused.status_code == 409 and "“My details”" in refused.json()["detail"]
    assert api(dpo, "post", _url(subject_request, "corrections/0/"), {}).status_code == 400
    unknown = api(dpo, "post", _url(subject_request, "corrections/0/"), {"fields": {"shoe size": "44"}})
    assert unknown.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            dpo,
            "post",
            _url(subject_request, "corrections/0/"),
            {"fields": {"postal_address": "Brugge", "phone": "+32 470 11 22 33"}},
        )
    assert response.status_code == 200, response.content
    body = api(dpo, "get", _url(subject_request)).json()
    assert body["approval_blocked"] == "" and "approve" in body["allowed_actions"]
    # In the order stored: PostgreSQL's jsonb keeps its own key order.
    assert sorted((f["field"], f["value"]) for f in body["corrections"][0]["fields"]) == [
        ("phone", "+32 470 11 22 33"),
        ("postal_address", "Brugge"),
    ]
    item = plan_for(subject_request).items.get(action=Action.RECTIFY)
    assert item.fields == {"city": "Brugge", "phone": "+32 470 11 22 33"}
    shown = _item(body, item.entity, item.record_key)
    before = customer(engine, schema)
    assert shown["before"] == {"city": before["city"], "phone": before["phone"]}

    # The approval approves the fields nobody decided on, as shown.
    with django_capture_on_commit_callbacks(execute=True):
        assert api(dpo, "post", _url(subject_request, "approve/")).status_code == 200
    after = customer(engine, schema)
    assert (after["city"], after["phone"]) == ("Brugge", "+32 470 11 22 33")


def customer(engine, schema) -> dict:
    table = sa.Table("customers", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(table).where(table.c.id == 1)).one()._mapping)


def test_a_scheduled_lifting_is_shown_and_cancelled_through_the_api(
    api, dpo, agent, other_agent, crm, profile, django_capture_on_commit_callbacks
):
    subject_request = lotte_request(
        "rectification", items=[{"field": "phone", "correct": "+32 470 11 22 33"}], restrict_meanwhile=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(subject_request, actor=dpo, assignee=agent)
        workflow.approve(subject_request, actor=dpo)
    assert api(dpo, "get", _url(subject_request, "lift/")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert api(dpo, "post", _url(subject_request, "approve/")).status_code == 200

    # Art. 18(3): approving the corrections schedules the lifting after telling her, with the date.
    shown = api(agent, "get", _url(subject_request, "lift/"))
    assert shown.status_code == 200
    lift = RestrictionLift.objects.get(request=subject_request)
    assert shown.json()["not_before"] == lift.not_before.isoformat() and shown.json()["status"] == "scheduled"
    assert shown.json()["reason"] == "accuracy_verified" and shown.json()["notice_sent"] is True
    assert api(dpo, "get", _url(subject_request)).json()["scheduled_lift"]["id"] == lift.pk

    cancel = _url(subject_request, f"lifts/{lift.pk}/cancel/")
    assert api(other_agent, "post", cancel).status_code == 403
    assert RestrictionLift.objects.get(pk=lift.pk).status == RestrictionLift.Status.SCHEDULED
    response = api(agent, "post", cancel)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert subject_request.events.filter(kind="restriction.lift_cancelled").exists()
    assert api(dpo, "post", cancel).status_code == 409
    assert api(dpo, "get", _url(subject_request, "lift/")).status_code == 404
