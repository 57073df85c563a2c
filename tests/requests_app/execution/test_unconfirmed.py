"""Only the e-mail address is verified: someone who confirms their own mailbox
and types another person's customer number must not erase, correct or restrict
that person's records unless the DPO checked and put the steps back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.execution import service
from dsar.execution.models import Action, PlanItem
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from requests_app.gathering import matching
from requests_app.models import RequestEvent
from tests.factories import make_request
from tests.requests_app.execution.test_requests import lotte_request, rows
from tests.support.execution_factories import LOTTE


def attacker_request(request_type, **type_details):
    return make_request(
        request_type=request_type,
        full_name="Mallory",
        email="mallory@example.be",
        customer_number=LOTTE["customer_number"],
        language="nl",
        type_details=type_details,
    )


@pytest.fixture
def attacker_erasure(crm, dpo, profile, django_capture_on_commit_callbacks):
    subject_request = attacker_request("erasure", scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    return subject_request


def test_steps_on_records_found_only_by_a_typed_customer_number_are_held_back(
    attacker_erasure, crm, client, dpo, django_capture_on_commit_callbacks
):
    _, engine, schema = crm
    plan = plan_for(attacker_erasure)
    acting = plan.items.exclude(action=Action.KEEP)
    assert acting.exists() and set(acting.values_list("status", flat=True)) == {PlanItem.Status.SKIPPED}
    assert all(item.matched_on == ["customer_number"] for item in plan.items.all())
    held = RequestEvent.objects.get(request=attacker_erasure, kind="plan.items_unconfirmed")
    assert held.details == {"plan": plan.pk, "count": acting.count()}

    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("execution:approve", args=[attacker_erasure.reference]))

    assert 1 in rows(engine, schema, "customers") and {1, 2} <= set(rows(engine, schema, "usage"))


def test_a_step_is_not_held_back_once_its_plan_was_approved(attacker_erasure, dpo):
    # The engine holds a step back only while it is planned in a plan waiting for approval, whatever
    # the caller's (stale) plan says: an approved plan's steps are the DPO's decision.
    stale = plan_for(attacker_erasure)
    for item in stale.items.filter(status=PlanItem.Status.SKIPPED):
        service.include_item(item, include=True)
    service.approve(plan_for(attacker_erasure), user=dpo)

    assert matching.hold_unconfirmed_items(attacker_erasure, stale) == 0
    assert not stale.items.exclude(action=Action.KEEP).exclude(status=PlanItem.Status.PLANNED).exists()
    assert RequestEvent.objects.filter(request=attacker_erasure, kind="plan.items_unconfirmed").count() == 1


def test_the_plan_panel_says_what_a_held_step_was_found_by(attacker_erasure, client, dpo):
    client.force_login(dpo)
    html = client.get(reverse("execution:plan", args=[attacker_erasure.reference])).content.decode()
    assert "Found only by Customer number, not by a verified identifier" in html
    assert "Put back in the plan" in html


def test_the_dpo_puts_a_checked_step_back_and_it_is_audited(attacker_erasure, client, dpo):
    plan = plan_for(attacker_erasure)
    item = plan.items.get(entity="customers")
    client.force_login(dpo)

    client.post(reverse("execution:change_item", args=[attacker_erasure.reference, item.pk]), {"change": "include"})

    item.refresh_from_db()
    assert item.status == PlanItem.Status.PLANNED
    event = RequestEvent.objects.get(request=attacker_erasure, kind="plan.item_included")
    assert event.actor == dpo and event.details["item"] == item.pk


def test_nothing_is_restricted_at_once_on_rows_found_only_by_a_typed_customer_number(
    crm, dpo, profile, django_capture_on_commit_callbacks
):
    _, engine, schema = crm
    subject_request = attacker_request(
        "rectification",
        items=[{"field": "postal_address", "current": "Gent", "correct": "Brugge"}],
        restrict_meanwhile=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)

    assert rows(engine, schema, "customers")[1]["processing_restricted"] is False
    assert not plan_for(subject_request).items.filter(status=PlanItem.Status.PLANNED).exists()


def test_the_subjects_own_erasure_found_by_their_confirmed_email_is_not_held(
    crm, dpo, profile, django_capture_on_commit_callbacks
):
    subject_request = lotte_request("erasure", scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)

    plan = plan_for(subject_request)
    assert not plan.items.filter(status=PlanItem.Status.SKIPPED).exists()
    assert plan.items.get(entity="customers").matched_on == ["customer_number", "email"]
    assert not RequestEvent.objects.filter(request=subject_request, kind="plan.items_unconfirmed").exists()
