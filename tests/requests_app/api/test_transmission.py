"""The API side of Art. 20(2): the other organisation in a request, and the DPO's decision."""

from __future__ import annotations

import pytest
from django.core import mail

from requests_app import workflow
from tests.factories import make_request
from tests.support.export_factories import ORGANISATION, ORGANISATION_EMAIL, SUBJECT_EMAIL, make_portability_in_review

pytestmark = pytest.mark.django_db


def test_the_api_shows_the_target_and_the_dpo_records_the_decision(
    controller, dpo, agent, api, django_capture_on_commit_callbacks
):
    request = make_portability_in_review(dpo, django_capture_on_commit_callbacks)
    url = f"/api/v1/requests/{request.reference}/"
    workflow.assign(request, actor=dpo, assignee=agent)

    detail = api(dpo, "get", url).json()
    assert detail["transmission"]["organisation"] == ORGANISATION
    assert detail["transmission"]["requested_email"] == ORGANISATION_EMAIL
    assert detail["transmission"]["decision"] is None
    assert "transmission" in detail["allowed_actions"]
    assert "transmission" not in api(agent, "get", url).json()["allowed_actions"]

    refused = api(dpo, "post", url + "release/")
    assert refused.status_code == 400 and "Before the release" in refused.json()["detail"]
    forbidden = api(agent, "post", url + "transmission/", {"decision": "send", "email": ORGANISATION_EMAIL})
    assert forbidden.status_code == 403
    missing = api(dpo, "post", url + "transmission/", {"decision": "send"})
    assert missing.status_code == 400 and "email" in missing.json()

    decided = api(dpo, "post", url + "transmission/", {"decision": "send", "email": ORGANISATION_EMAIL})
    assert decided.status_code == 200
    assert decided.json()["transmission"]["decision"] == "send"
    assert decided.json()["transmission"]["email"] == ORGANISATION_EMAIL
    assert decided.json()["transmission"]["decided_by"] == "dpo"
    with django_capture_on_commit_callbacks(execute=True):
        released = api(dpo, "post", url + "release/")
    assert released.status_code == 200, released.content
    # The e-mails go after the release commits: read the request again.
    assert api(dpo, "get", url).json()["transmission"]["sent_at"] is not None
    assert [m.to for m in mail.outbox if m.to == [ORGANISATION_EMAIL]]
    late = api(dpo, "post", url + "transmission/", {"decision": "not_feasible", "reason": "x"})
    assert late.status_code == 409


def test_the_api_shows_no_target_for_other_requests(controller, dpo, api):
    request = make_request(email=SUBJECT_EMAIL)

    assert api(dpo, "get", f"/api/v1/requests/{request.reference}/").json()["transmission"] is None
