"""The API's release respects four eyes (issue 15): one DPO asks, another approves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from requests_app import workflow
from requests_app.accounts import roles
from requests_app.models import ControllerProfile, Status
from tests.factories import UserFactory, make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(controller, dpo, django_capture_on_commit_callbacks):
    request = make_request(email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    request.refresh_from_db()
    ControllerProfile.objects.update(release_needs_second_approval=True)
    return request


@pytest.fixture
def second_dpo(groups):
    user = UserFactory(username="dpo2")
    user.groups.add(Group.objects.get(name=roles.DPO))
    return user


def _url(request, tail: str) -> str:
    return f"/api/v1/requests/{request.reference}/{tail}"


def test_release_answers_409_with_the_reason_without_a_second_approval(api, dpo, reviewed):
    response = api(dpo, "post", _url(reviewed, "release/"), {})

    assert response.status_code == 409
    assert "second DPO" in response.json()["detail"]
    reviewed.refresh_from_db()
    assert reviewed.status == Status.IN_REVIEW
    assert mail.outbox == []


def test_one_dpo_asks_another_approves_and_the_copy_goes_out(
    api, dpo, second_dpo, reviewed, django_capture_on_commit_callbacks
):
    asked = api(dpo, "post", _url(reviewed, "release/request/"), {})
    assert asked.status_code == 200
    assert asked.json()["status"] == "in_review"

    own = api(dpo, "post", _url(reviewed, "release/approve/"), {})
    assert own.status_code == 403
    assert own.json()["detail"] == "You asked for this release: another DPO must approve it."

    with django_capture_on_commit_callbacks(execute=True):
        approved = api(second_dpo, "post", _url(reviewed, "release/approve/"), {})

    assert approved.status_code == 200
    assert approved.json()["status"] == "fulfilled"
    kinds = list(reviewed.events.order_by("seq").values_list("kind", flat=True))
    # The first DPO's own attempt is on the trail too (refused).
    assert kinds[-4:] == ["release.requested", "action.refused", "release.approved", "request.fulfilled"]
    assert len(mail.outbox) == 1


def test_asking_twice_is_a_conflict(api, dpo, second_dpo, reviewed):
    assert api(dpo, "post", _url(reviewed, "release/request/"), {}).status_code == 200

    again = api(second_dpo, "post", _url(reviewed, "release/request/"), {})

    assert again.status_code == 409
    assert again.json()["detail"] == "Another DPO already asked for this release: approve it instead."
