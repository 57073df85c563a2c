"""GET /api/v1/requests/{reference}/evidence/: the evidence pack as a PDF, for the DPO and the auditor."""

from __future__ import annotations

import pytest

from requests_app import workflow
from tests.fixtures.exports import pdf_text
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db


def url(request) -> str:
    return f"/api/v1/requests/{request.reference}/evidence/"


def test_a_dpo_downloads_the_pack(api, dpo, tmp_path):
    request = logged_request(dpo)
    workflow.approve(request, actor=dpo)

    response = api(dpo, "GET", url(request), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert f"Evidence pack · {request.reference}" in text
    assert "Approved" in text
    assert "The audit trail of this request is intact" in text


def test_the_auditor_may_and_an_agent_may_not(api, dpo, agent, auditor):
    request = logged_request(dpo)
    workflow.assign(request, actor=dpo, assignee=agent)

    assert api(auditor, "GET", url(request)).status_code == 200
    refused = api(agent, "GET", url(request))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only a DPO or an auditor may make the evidence pack."
    assert api(None, "GET", url(request)).status_code == 401


def test_without_pdf_libraries_the_answer_says_what_to_install(api, dpo, monkeypatch):
    from dsar.exports import pdf_export

    def unavailable():
        raise pdf_export.PdfUnavailable("libpango-1.0-0", ["libpango-1.0-0"])

    monkeypatch.setattr(pdf_export, "_weasyprint", unavailable)
    request = logged_request(dpo)

    response = api(dpo, "GET", url(request))

    assert response.status_code == 503
    assert "libpango-1.0-0 cannot be loaded" in response.json()["detail"]
    assert "sudo apt-get install libpango-1.0-0" in response.json()["detail"]
    assert not request.events.filter(kind="evidence.exported").exists()
