"""Absolute rights: an objection to direct marketing (Art. 21(3)) and a
withdrawal of consent (Art. 7(3)) are honoured without weighing. They are
refused only when the identity could not be confirmed (Art. 12(6)) or the
desk holds nothing on the subject (Art. 11), and by default they run once the
address is confirmed, without an approval."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dsar.execution.models import Plan
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from requests_app.models import ControllerProfile, RejectionReason, Status
from tests.factories import make_request, sent_email
from tests.support.execution_factories import LOTTE


def marketing_flag(engine, schema) -> bool:
    table = sa.Table("customers", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as connection:
        return connection.execute(sa.select(table.c.marketing_opt_in).where(table.c.id == 1)).scalar_one()


def lotte(request_type, **type_details):
    return make_request(
        verified=False,
        request_type=request_type,
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
        language="nl",
        type_details=type_details,
    )


def confirm(subject_request, capture):
    with capture(execute=True):
        workflow.verify(subject_request)
    subject_request.refresh_from_db()
    return subject_request


def test_an_objection_to_direct_marketing_runs_without_approval_and_the_subject_is_told(
    crm, profile, django_capture_on_commit_callbacks
):
    """Art. 21(3): "shall no longer be processed for such purposes": nothing to weigh, no one to wait for."""
    connector, engine, schema = crm
    subject_request = confirm(lotte("objection", activities=["newsletter"]), django_capture_on_commit_callbacks)

    assert subject_request.status == Status.FULFILLED
    assert marketing_flag(engine, schema) is False
    assert plan_for(subject_request).status == Plan.Status.DONE
    approvals = subject_request.events.filter(kind__in=["request.approve", "plan.approved", "request.fulfilled"])
    assert {(e.kind, e.actor_label) for e in approvals} == {
        ("request.approve", "system"),
        ("plan.approved", "system"),
        ("request.fulfilled", "system"),
    }
    assert subject_request.events.get(kind="request.approve").details == {"ground": "art_21_3"}
    assert sent_email("execution_fulfilled").to == [LOTTE["email"]]


def test_a_withdrawal_of_consent_cannot_be_refused_as_excessive_nor_as_no_right_applying(
    crm, dpo, profile, django_capture_on_commit_callbacks
):
    """Art. 7(3): withdrawing is as easy as giving; only identity (Art. 12(6)) or no data (Art. 11) may stop it."""
    ControllerProfile.objects.update(absolute_rights_need_approval=True)
    subject_request = confirm(lotte("withdrawal", consents=["webinars"]), django_capture_on_commit_callbacks)
    assert subject_request.status == Status.NEW  # the controller wants its DPO's one approval

    for reason in (RejectionReason.NO_RIGHT_APPLIES, RejectionReason.EXCESSIVE):
        with pytest.raises(workflow.NotPossibleNow, match="absolute"):
            workflow.reject(subject_request, actor=dpo, reason=reason, details="We need the data.")
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW and not subject_request.rejection_reason

    workflow.reject(subject_request, actor=dpo, reason=RejectionReason.IDENTITY_NOT_CONFIRMED)
    assert subject_request.status == Status.REJECTED


def test_with_the_controllers_setting_one_dpo_approval_runs_it_and_an_agent_cannot_give_it(
    crm, dpo, agent, profile, django_capture_on_commit_callbacks
):
    connector, engine, schema = crm
    ControllerProfile.objects.update(absolute_rights_need_approval=True)
    subject_request = confirm(lotte("objection", activities=["newsletter"]), django_capture_on_commit_callbacks)
    workflow.assign(subject_request, actor=dpo, assignee=agent)

    with pytest.raises(workflow.ActionForbidden):
        workflow.approve(subject_request, actor=agent)
    assert subject_request.events.filter(kind="action.refused", actor=agent).exists()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    # One approval, never a second one of the plan: carried out and told.
    assert subject_request.status == Status.FULFILLED
    assert marketing_flag(engine, schema) is False
    assert subject_request.events.get(kind="plan.approved").actor_label == "system"


def test_an_objection_on_legitimate_interests_is_still_weighed_and_may_be_refused(
    crm, dpo, profile, django_capture_on_commit_callbacks
):
    """Art. 21(1): compelling legitimate grounds may override; the DPO decides."""
    subject_request = confirm(lotte("objection", activities=["crm"]), django_capture_on_commit_callbacks)
    assert subject_request.status == Status.NEW

    workflow.reject(subject_request, actor=dpo, reason=RejectionReason.NO_RIGHT_APPLIES, details="Fraud inquiry.")
    assert subject_request.status == Status.REJECTED


def test_an_objection_naming_marketing_and_another_activity_cannot_be_refused_but_is_weighed(
    crm, dpo, profile, django_capture_on_commit_callbacks
):
    subject_request = confirm(lotte("objection", activities=["newsletter", "crm"]), django_capture_on_commit_callbacks)
    # The part on legitimate interests needs the DPO: no automatic run...
    assert subject_request.status == Status.NEW
    # ...and the marketing part makes a refusal on the merits impossible.
    with pytest.raises(workflow.NotPossibleNow):
        workflow.reject(subject_request, actor=dpo, reason=RejectionReason.NO_RIGHT_APPLIES)
    workflow.reject(subject_request, actor=dpo, reason=RejectionReason.NO_DATA_HELD)
    assert subject_request.status == Status.REJECTED
