"""The evidence pack for the supervisory authority, the audit log and the chain's verification."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from requests_app import workflow
from requests_app.audit.models import ChainVerification
from requests_app.models import RejectionReason, RequestEvent
from tests.fixtures.exports import pdf_text
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def at(day: str, hour: int = 10):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=BRUSSELS), tick=False)


def tamper(event: RequestEvent, kind: str) -> None:
    """Change a stored event behind the ORM's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE requests_app_requestevent SET kind = %s WHERE id = %s", [kind, event.pk])


@pytest.fixture
def refused(dpo):
    with at("2026-02-02"):
        request = logged_request(dpo, full_name="Lotte Peeters", email="lotte.peeters@example.be")
    with at("2026-02-05"):
        workflow.extend(request, actor=dpo, months=1, reason="Twelve sources to search.")
    with at("2026-02-20"):
        workflow.reject(
            request, actor=dpo, reason=RejectionReason.EXCESSIVE, details="Fifth identical request this month."
        )
    request.refresh_from_db()
    return request


def test_the_evidence_pack_reads_back_with_decisions_timeline_and_an_intact_chain(dpo_client, refused, tmp_path):
    with at("2026-03-01"):
        response = dpo_client.get(reverse("audit:evidence_pack", args=[refused.reference]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert f"Evidence pack · {refused.reference}" in text
    assert "Lotte Peeters" in text
    assert "lotte.peeters@example.be" not in text  # no contact details: only what identifies the request
    assert "Access to my data (Art. 15)" in text
    assert "Deadline extended" in text and "Twelve sources to search." in text
    assert "Excessive, in particular repetitive (Art. 12(5))" in text
    assert "Fifth identical request this month." in text
    assert "Request received" in text
    assert "The audit trail of this request is intact" in text
    # Taking the evidence out is itself in the request's trail.
    assert refused.events.order_by("-seq").first().kind == "evidence.exported"


def test_the_evidence_pack_is_in_the_dpo_s_language(dpo_client, refused, tmp_path):
    with at("2026-03-01"):
        response = dpo_client.get(reverse("audit:evidence_pack", args=[refused.reference]), HTTP_ACCEPT_LANGUAGE="nl")

    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Bewijsdossier" in text


def test_the_pack_says_when_the_chain_is_broken(dpo_client, refused, tmp_path):
    tamper(refused.events.get(seq=2), "request.approve")

    response = dpo_client.get(reverse("audit:evidence_pack", args=[refused.reference]))

    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "The audit trail of this request is broken at event 2" in text
    assert "the event was changed after it was written" in text


def test_the_pack_needs_a_dpo_or_an_auditor(agent_client, auditor_client, outsider_client, refused):
    url = reverse("audit:evidence_pack", args=[refused.reference])
    assert agent_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert auditor_client.get(url).status_code == 200


def test_the_request_page_links_to_the_pack_for_those_who_may_have_it(dpo_client, agent_client, refused):
    url = reverse("workspace:request", args=[refused.reference])
    pack = reverse("audit:evidence_pack", args=[refused.reference])
    assert pack in dpo_client.get(url).content.decode()
    assert pack not in agent_client.get(url).content.decode()


def test_verifying_an_intact_chain_says_so_and_is_recorded(auditor_client, auditor, refused):
    response = auditor_client.post(reverse("audit:verify"), follow=True)

    page = response.content.decode()
    assert "The audit trails of all" in page or "The audit trail of the 1 request is intact" in page
    verification = ChainVerification.objects.get()
    assert verification.actor == auditor and verification.intact and verification.checked == 1


def test_verifying_a_tampered_chain_names_the_broken_event(dpo_client, dpo, refused):
    other = logged_request(dpo)
    tamper(refused.events.get(seq=3), "request.approve")

    response = dpo_client.post(reverse("audit:verify"), follow=True)

    page = response.content.decode()
    assert "1 audit trail is broken" in page
    assert f"{refused.reference}, event 3: the event was changed after it was written" in page
    assert other.reference not in "".join(b["reference"] for b in ChainVerification.objects.get().breaks)


def test_verifying_a_chain_with_a_deleted_event(dpo_client, refused):
    from django.db import models

    models.QuerySet.delete(RequestEvent.objects.filter(request=refused, seq=2))

    dpo_client.post(reverse("audit:verify"))

    (broken,) = ChainVerification.objects.get().breaks
    assert broken == {"reference": refused.reference, "seq": 2, "problem": "missing (deleted?)"}


def test_agents_may_not_verify_nor_read_the_log(agent_client):
    assert agent_client.post(reverse("audit:verify")).status_code == 403
    assert agent_client.get(reverse("audit:log")).status_code == 403
    assert agent_client.get(reverse("audit:log_csv")).status_code == 403
    assert ChainVerification.objects.count() == 0


def test_the_audit_log_filters_by_date_kind_actor_and_reference(dpo_client, dpo, refused):
    with at("2026-03-10"):
        other = logged_request(dpo)
    log = reverse("audit:log")

    page = dpo_client.get(log, {"kind": "request.rejected"}).content.decode()
    assert refused.reference in page and other.reference not in page

    page = dpo_client.get(log, {"date_from": "2026-03-01", "date_to": "2026-03-31"}).content.decode()
    assert other.reference in page and refused.reference not in page

    page = dpo_client.get(log, {"reference": refused.reference.lower()}).content.decode()
    assert refused.reference in page and other.reference not in page

    assert "No event matches these filters." in dpo_client.get(log, {"actor": "nobody"}).content.decode()

    page = dpo_client.get(log, {"date_from": "1 March"}).content.decode()
    assert "Some filters were not understood" in page
    assert other.reference in page  # the bad filter is left out, nothing is lost


def test_the_audit_log_is_paged(dpo_client, dpo):
    request = logged_request(dpo)
    for _n in range(55):
        workflow.add_note(request, actor=dpo, body="Called back.")

    first = dpo_client.get(reverse("audit:log")).content.decode()
    second = dpo_client.get(reverse("audit:log"), {"page": 2}).content.decode()

    assert "56 events" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in second and "Request received" in second


def test_the_audit_log_csv_is_formula_safe(dpo_client, groups):
    from requests_app.accounts import roles
    from tests.conftest import _user_in

    sly = _user_in(roles.DPO, "=cmd|'/c calc'!A1", groups)
    request = logged_request(sly)

    response = dpo_client.get(reverse("audit:log_csv"), {"reference": request.reference})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["time", "reference", "event"]
    assert rows[1][1] == request.reference and rows[1][2] == "Request received"
    assert rows[1][4] == "'=cmd|'/c calc'!A1"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
