"""The request page's sources panel offers the DPO a test of every configured
source, not only after a failure: a link to the source's page (test, preview)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request
from tests.fixtures.engine import make_connector, sql_config
from tests.requests_app.gathering.test_processing import lotte_request, panel_html

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_source_that_answered_is_offered_a_test_on_its_page(sqlite_url, dpo, agent, rf):
    make_connector("crm", name="CRM", config=sql_config(sqlite_url))
    subject_request = lotte_request()
    workflow.approve(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_REVIEW  # the CRM answered: nothing failed

    html = panel_html(subject_request, dpo, rf)
    source_page = reverse("sources:source", args=["crm"])
    assert f'<a href="{source_page}" class="small">Test the connection</a>' in html
    # An agent may not test sources: no link.
    assert "Test the connection" not in panel_html(subject_request, agent, rf)


def test_before_approval_the_dpo_sees_the_configured_sources_with_a_test_each(dpo_client, agent, client):
    make_connector("erp", name="ERP", config=sql_config("sqlite:////nonexistent/erp.sqlite3"))
    make_connector("old", name="Old archive", kind="manual", config={"instructions": "x"}, enabled=False)
    request = make_request()
    url = reverse("workspace:request", args=[request.reference])

    page = dpo_client.get(url).content.decode()

    assert f'<a href="{reverse("sources:source", args=["erp"])}">Test the connection</a>' in page
    assert "Old archive" not in page  # disabled: not searched, not offered
    client.force_login(agent)
    assert "Test the connection" not in client.get(url).content.decode()
