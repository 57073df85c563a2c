"""The processing register and connectors, read by staff and changed by a DPO."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dsar.models import Connector, DataCategory, ProcessingActivity, Recipient


def test_a_dpo_builds_the_register_through_the_api(api, dpo):
    assert (
        api(
            dpo,
            "post",
            "/api/v1/register/categories/",
            {"code": "contact", "names": {"en": "Contact details", "nl": "Contactgegevens"}},
        ).status_code
        == 201
    )
    assert (
        api(
            dpo, "post", "/api/v1/register/recipients/", {"code": "mailer", "name": "Mailer NV", "kind": "processor"}
        ).status_code
        == 201
    )
    response = api(
        dpo,
        "post",
        "/api/v1/register/activities/",
        {
            "code": "newsletter",
            "names": {"en": "Newsletter"},
            "legal_basis": "consent",
            "categories": ["contact"],
            "recipients": ["mailer"],
            "retention": {"en": "Until you unsubscribe"},
        },
    )
    assert response.status_code == 201, response.content
    activity = ProcessingActivity.objects.get(code="newsletter")
    assert list(activity.categories.values_list("code", flat=True)) == ["contact"]
    assert activity.retention == {"en": "Until you unsubscribe"}
    response = api(dpo, "patch", "/api/v1/register/activities/newsletter/", {"legal_hold_years": 7})
    assert response.json()["legal_hold_years"] == 7


def test_register_errors_name_the_field(api, dpo):
    response = api(
        dpo,
        "post",
        "/api/v1/register/activities/",
        {"code": "x", "legal_basis": "whim", "categories": ["nope"], "names": {"xx": "?"}},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"legal_basis", "categories", "names"}


def test_legitimate_interests_must_be_named(api, dpo):
    response = api(
        dpo, "post", "/api/v1/register/activities/", {"code": "fraud", "legal_basis": "legitimate_interests"}
    )
    assert response.status_code == 400
    assert "legitimate_interests" in response.json()


def test_an_auditor_reads_the_register_but_cannot_change_it(api, auditor):
    DataCategory.objects.create(code="contact", names={"en": "Contact"})
    assert api(auditor, "get", "/api/v1/register/categories/contact/").json()["names"] == {"en": "Contact"}
    assert api(auditor, "delete", "/api/v1/register/categories/contact/").status_code == 403
    assert DataCategory.objects.filter(code="contact").exists()


def test_a_recipient_shows_the_categories_it_receives_and_a_dpo_sets_them(api, dpo, auditor):
    DataCategory.objects.create(code="technical", names={"en": "Technical device data"})
    api(dpo, "post", "/api/v1/register/recipients/", {"code": "acronis", "name": "Acronis", "kind": "processor"})
    assert api(auditor, "get", "/api/v1/register/recipients/acronis/").json()["categories"] == []

    response = api(dpo, "patch", "/api/v1/register/recipients/acronis/", {"categories": ["technical"]})

    assert response.status_code == 200, response.content
    assert api(auditor, "get", "/api/v1/register/recipients/").json()["results"][0]["categories"] == ["technical"]
    refused = api(dpo, "patch", "/api/v1/register/recipients/acronis/", {"categories": ["invoices"]})
    assert refused.status_code == 400 and set(refused.json()) == {"categories"}
    assert list(Recipient.objects.get(code="acronis").categories.values_list("code", flat=True)) == ["technical"]


@pytest.fixture
def sources_token(dpo):
    """A DPO's token made to manage connectors (the "connectors" scope)."""
    from requests_app.api.models import SCOPE_CONNECTORS, ApiToken

    return ApiToken.issue(user=dpo, name="sources", days=30, scopes=[SCOPE_CONNECTORS])[1]


def test_a_dpo_configures_a_connector(api, sources_token, agent):
    DataCategory.objects.create(code="contact")
    payload = {
        "code": "crm",
        "name": "CRM",
        "kind": "sql",
        "config": {
            "url": "postgresql://reader@crm-db.example.org/crm",
            "password_env": "DSAR_SOURCE_CRM_PASSWORD",
            "tables": {"customers": {"match": {"email": "email"}}},
        },
        "categories": ["contact"],
        "identity_fields": ["email", "customer_number"],
        "operations": ["access", "erase"],
        "default_assignee": "agent",
    }
    response = api(sources_token, "post", "/api/v1/connectors/", payload)
    assert response.status_code == 201, response.content
    connector = Connector.objects.get(code="crm")
    assert connector.default_assignee == agent
    assert api(sources_token, "patch", "/api/v1/connectors/crm/", {"enabled": False}).json()["enabled"] is False


def test_a_connector_configuration_never_holds_a_secret(api, sources_token):
    response = api(
        sources_token,
        "post",
        "/api/v1/connectors/",
        {
            "code": "crm",
            "name": "CRM",
            "kind": "sql",
            "config": {"url": "postgres://crm:hunter2@db/crm", "password": "x"},
        },
    )
    assert response.status_code == 400
    message = response.json()["config"][0]
    assert "password" in message and "url" in message and "hunter2" not in message
    assert not Connector.objects.exists()


def test_connector_choices_are_checked(api, sources_token, auditor):
    response = api(
        sources_token,
        "post",
        "/api/v1/connectors/",
        {"code": "crm", "name": "CRM", "kind": "fax", "identity_fields": ["shoe_size"], "default_assignee": "auditor"},
    )
    assert set(response.json()) == {"kind", "identity_fields", "default_assignee"}


def test_a_connector_with_runs_cannot_be_deleted(api, sources_token):
    from dsar.models import Job, SourceRun

    connector = Connector.objects.create(code="crm", name="CRM", kind="manual")
    job = Job.objects.create(external_ref="DSAR-2026-00001", operation="access", identity="{}")
    SourceRun.objects.create(job=job, connector=connector)
    response = api(sources_token, "delete", "/api/v1/connectors/crm/")
    assert response.status_code == 409
    assert "disable it" in response.json()["detail"]


def test_testing_a_connector_reports_in_plain_words(api, dpo, agent):
    Connector.objects.create(code="fax", name="Fax", kind="manual")
    assert api(agent, "post", "/api/v1/connectors/fax/test/", {}).status_code == 403
    body = api(dpo, "post", "/api/v1/connectors/fax/test/", {}).json()
    assert set(body) == {"ok", "message"} and body["message"]


def test_the_schema_generates_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/requests/{reference}/release/" in out.getvalue()


def test_the_schema_and_documentation_pages_are_served(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"bearerAuth" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert client.get("/api/v1/redoc/").status_code == 200


def test_unknown_api_paths_answer_json_not_html(api, dpo):
    for method in ("get", "post", "delete"):
        response = api(dpo, method, "/api/v1/nowhere/\u00e9/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_a_secret_header_or_query_key_is_refused_and_a_stored_secret_never_shown(api, dpo, sources_token):
    for config in (
        {"base_url": "https://api.example.com", "headers": {"Authorization": "Bearer hunter2"}},
        {"base_url": "https://api.example.com/?api_key=hunter2"},
    ):
        response = api(
            sources_token,
            "post",
            "/api/v1/connectors/",
            {"code": "mkt", "name": "Marketing", "kind": "http", "config": config},
        )
        assert response.status_code == 400, config
        assert "hunter2" not in response.content.decode()
    # A row written past the checks (an older version, the shell) is shown without its secret.
    Connector.objects.create(code="old", name="Old CRM", kind="sql", config={"url": "postgresql://crm:hunter2@db/crm"})

    body = api(dpo, "get", "/api/v1/connectors/old/").content.decode()

    assert "hunter2" not in body and "crm:***@db" in body


def test_an_activity_names_its_data_subjects_and_security_measures(api, dpo, auditor):
    response = api(
        dpo,
        "post",
        "/api/v1/register/activities/",
        {
            "code": "recruitment",
            "names": {"en": "Recruitment"},
            "legal_basis": "contract",
            "data_subjects": [{"en": "Job applicants", "nl": "Sollicitanten"}],
            "security_measures": {"en": "Access limited to HR", "nl": "Toegang beperkt tot HR"},
        },
    )
    assert response.status_code == 201, response.content
    read = api(auditor, "get", "/api/v1/register/activities/recruitment/").json()
    assert read["data_subjects"] == [{"en": "Job applicants", "nl": "Sollicitanten"}]
    assert read["security_measures"] == {"en": "Access limited to HR", "nl": "Toegang beperkt tot HR"}


def test_data_subjects_are_names_per_language(api, dpo):
    for data_subjects in (["Job applicants"], [{"xx": "Job applicants"}], [{}], [{"en": ""}], {"en": "Applicants"}):
        response = api(
            dpo,
            "post",
            "/api/v1/register/activities/",
            {
                "code": "recruitment",
                "names": {"en": "Recruitment"},
                "legal_basis": "contract",
                "data_subjects": data_subjects,
            },
        )
        assert response.status_code == 400, data_subjects
        assert set(response.json()) == {"data_subjects"}
    assert not ProcessingActivity.objects.exists()


def test_a_dpo_retires_a_category_through_the_api(api, dpo):
    DataCategory.objects.create(code="fax", names={"en": "Fax numbers"})
    response = api(dpo, "patch", "/api/v1/register/categories/fax/", {"active": False})
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    assert DataCategory.objects.get(code="fax").active is False
