"""The API refuses to reject an absolute right on the merits (Art. 21(3), 7(3)): 409 with the reason."""

from __future__ import annotations

from dsar.models import ProcessingActivity
from requests_app.models import Status
from tests.factories import make_request

BASE = "/api/v1/requests/"


def test_rejecting_an_objection_to_direct_marketing_on_the_merits_is_a_conflict(api, dpo):
    ProcessingActivity.objects.create(
        code="newsletter", names={"en": "Newsletter"}, legal_basis="consent", direct_marketing=True
    )
    objection = make_request(request_type="objection", type_details={"activities": ["newsletter"]})

    response = api(dpo, "post", f"{BASE}{objection.reference}/reject/", {"reason": "no_right_applies"})

    assert response.status_code == 409
    assert "Art. 21(3)" in str(response.json())
    objection.refresh_from_db()
    assert objection.status == Status.NEW
    response = api(dpo, "post", f"{BASE}{objection.reference}/reject/", {"reason": "no_data_held"})
    assert response.status_code == 200 and response.json()["rejection_reason"] == "no_data_held"
