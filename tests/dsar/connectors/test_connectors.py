"""Each kind of connector against real engines and a local HTTP server."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import text

from dsar.connectors import connector_for
from dsar.connectors.base import ConnectorError, SubjectIdentity, TransientConnectorError
from tests.fixtures.engine import make_connector, sql_config

LOTTE = SubjectIdentity(
    email="Lotte.Peeters@example.be", full_name="Lotte Peeters", phone="0470 12 34 56", customer_number="C-100042"
)
pytestmark = pytest.mark.django_db


def entities(result) -> Counter:
    return Counter(record.entity for record in result.records)


# ------------------------------------------------------------------------------
# SQL
# ------------------------------------------------------------------------------
def test_it_finds_the_customer_and_follows_invoices_to_their_lines(source_url):
    connector = connector_for(make_connector(config=sql_config(source_url)))

    records = list(connector.find(LOTTE).records)

    assert Counter(r.entity for r in records) == {"customers": 1, "invoices": 2, "invoice_lines": 3, "tickets": 1}
    customer = next(r for r in records if r.entity == "customers")
    assert customer.data["customer_no"] == "C-100042"
    assert customer.category == "identification"
    assert "password_hash" not in customer.data
    lines = {r.data["description"] for r in records if r.entity == "invoice_lines"}
    assert lines == {"CareConnect", "Installation", "Cyber Protect"}  # never the other customer's line


def test_it_matches_the_phone_number_in_any_usual_format(sqlite_url):
    connector = connector_for(make_connector(config=sql_config(sqlite_url)))

    result = connector.find(SubjectIdentity(phone="0470123456"))

    assert entities(result)["customers"] == 1


def test_it_follows_a_configured_relation_where_no_foreign_key_exists(sqlite_url):
    connector = connector_for(make_connector(config=sql_config(sqlite_url, follow_foreign_keys=False)))

    found = entities(connector.find(SubjectIdentity(customer_number="C-100042")))

    assert found == {"customers": 1, "tickets": 1}


def test_it_stops_at_the_row_limit_of_a_table_and_says_so(sqlite_url):
    model = make_connector(config=sql_config(sqlite_url), max_rows=1)
    result = connector_for(model).find(LOTTE)

    found = entities(result)

    assert found["invoices"] == 1
    assert len(result.warnings) >= 1
    assert "invoices" in " ".join(result.warnings) and "row limit of 1" in " ".join(result.warnings)


def test_a_table_under_its_limit_gives_no_warning(sqlite_url):
    result = connector_for(make_connector(config=sql_config(sqlite_url))).find(LOTTE)
    list(result.records)
    assert result.warnings == []


def test_it_reads_in_a_read_only_transaction(source_url):
    connector = connector_for(make_connector(config=sql_config(source_url)))
    engine = connector._engine()
    with engine.connect() as connection:
        connector._begin_read_only(connection)
        if connection.dialect.name == "postgresql":
            # And a statement may run no longer than the source's time limit.
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "1min"
        with pytest.raises(Exception):  # noqa: B017 - each engine raises its own error type
            connection.execute(text("UPDATE customers SET email = 'x@example.be' WHERE id = 1"))
    engine.dispose()


def test_the_connection_test_explains_a_missing_file_in_plain_words(tmp_path):
    model = make_connector(config=sql_config(f"sqlite:///{tmp_path / 'missing' / 'none.sqlite3'}"))

    with pytest.raises(ConnectorError, match="SQLite database file cannot be opened"):
        connector_for(model).test_connection()


def test_the_connection_test_names_a_missing_table(sqlite_url):
    config = sql_config(sqlite_url)
    config["tables"]["contracts"] = {"match": {"email": "email"}}
    with pytest.raises(ConnectorError, match="table 'contracts' does not exist"):
        connector_for(make_connector(config=config)).test_connection()


def test_the_connection_test_says_nothing_answers_on_a_closed_port():
    model = make_connector(config=sql_config("postgresql+psycopg://reader@127.0.0.1:9/crm"), timeout_seconds=3)
    with pytest.raises(ConnectorError, match="Nothing answers"):
        connector_for(model).test_connection()


def test_a_refused_connection_during_find_is_transient():
    model = make_connector(config=sql_config("postgresql+psycopg://reader@127.0.0.1:9/crm"), timeout_seconds=3)
    with pytest.raises(TransientConnectorError):
        list(connector_for(model).find(LOTTE).records)


def test_the_connection_test_succeeds_on_a_good_source(source_url):
    assert "Connected" in connector_for(make_connector(config=sql_config(source_url))).test_connection()


def test_the_connection_test_counts_tables_in_plain_words(source_url):
    from django.utils import translation

    from dsar.connectors.base import translate

    config = sql_config(source_url)
    message = connector_for(make_connector(config=config)).test_connection()
    count = len(config["tables"])
    noun = "table found with its" if count == 1 else "tables found with their"
    assert message == f"Connected; {count} {noun} identity columns."
    with translation.override("nl"):
        assert "(len)" not in translate(message.as_dict())


def test_a_password_is_read_from_the_named_environment_variable_only(sqlite_url, monkeypatch):
    monkeypatch.delenv("DSAR_SOURCE_CRM_TEST_PASSWORD", raising=False)
    model = make_connector(config=sql_config(sqlite_url, password_env="DSAR_SOURCE_CRM_TEST_PASSWORD"))

    with pytest.raises(ConnectorError, match="DSAR_SOURCE_CRM_TEST_PASSWORD .* is not set"):
        connector_for(model).test_connection()


def test_a_url_with_a_password_in_it_is_refused():
    from dsar.connectors.sql import SQLConnector

    problems = SQLConnector.validate_config(sql_config("postgresql://reader:hunter2@db/crm"))

    assert any(path == "url" and "password" in message for path, message in problems)


# ------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------
def http_config(api, **extra) -> dict:
    return {
        "base_url": api.url + "/api/",
        "secret_headers": {"Authorization": {"env": "DSAR_SOURCE_MARKETING_TEST_TOKEN", "prefix": "Bearer "}},
        "pagination": {"type": "next", "path": "$.next"},
        "resources": [
            {
                "name": "contacts",
                "path": "contacts?email={email}",
                "records": "$.results[*]",
                "category": "identification",
            },
            {"name": "calls", "path": "calls/{phone}", "records": "$.items[*]"},
        ],
        **extra,
    }


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("DSAR_SOURCE_MARKETING_TEST_TOKEN", "s3cr3t-token-value")
    return "s3cr3t-token-value"


def test_it_follows_pages_and_sends_the_secret_header_from_the_environment(fake_api, token):
    @fake_api.route("/api/contacts")
    def contacts(query, headers):
        page = int(query.get("page", 1))
        if headers.get("Authorization") != f"Bearer {token}":
            return 401, {}, 0
        nxt = f"/api/contacts?email={query['email']}&page={page + 1}" if page < 3 else None
        return 200, {"results": [{"id": page * 10 + i, "email": query["email"]} for i in range(2)], "next": nxt}, 0

    model = make_connector(kind="http", config=http_config(fake_api), identity_fields=["email"])
    result = connector_for(model).find(SubjectIdentity(email="lotte+crm@example.be"))

    records = list(result.records)

    assert len(records) == 6
    assert records[0].category == "identification"
    # The identity is URL-encoded in the endpoint.
    assert fake_api.requests[0]["raw"] == "/api/contacts?email=lotte%2Bcrm%40example.be"
    assert records[0].data["email"] == "lotte+crm@example.be"
    assert result.warnings == ["calls: skipped, the subject's phone is not known."]


def test_each_api_record_says_which_identifiers_the_resource_was_asked_by(fake_api, token):
    @fake_api.route("/api/contacts")
    def contacts(query, headers):
        return 200, {"results": [{"id": 1}], "next": None}, 0

    @fake_api.route("/api/calls/0470123456")
    def calls(query, headers):
        return 200, {"items": [{"id": 2}]}, 0

    model = make_connector(kind="http", config=http_config(fake_api), identity_fields=["email", "phone"])
    identity = SubjectIdentity(email="lotte@example.be", phone="0470123456")

    records = list(connector_for(model).find(identity).records)

    assert [(r.entity, r.matched_on) for r in records] == [("contacts", ["email"]), ("calls", ["phone"])]


def test_page_number_pagination_stops_at_the_first_empty_page(fake_api, token):
    @fake_api.route("/api/contacts")
    def contacts(query, headers):
        page = int(query["page"])
        return 200, {"results": [{"page": page}] if page <= 2 else []}, 0

    config = http_config(fake_api, pagination={"type": "page", "param": "page", "start": 1})
    config["resources"] = config["resources"][:1]
    records = list(connector_for(make_connector(kind="http", config=config)).find(LOTTE).records)

    assert [r.data["page"] for r in records] == [1, 2]


def test_refused_credentials_are_explained(fake_api, token):
    fake_api.routes["/api/contacts"] = lambda q, h: (401, {"error": "bad token"}, 0)
    connector = connector_for(make_connector(kind="http", config=http_config(fake_api)))

    with pytest.raises(ConnectorError, match="refused the credentials") as caught:
        list(connector.find(LOTTE).records)
    assert not caught.value.transient


def test_a_server_error_is_transient(fake_api, token):
    fake_api.routes["/api/contacts"] = lambda q, h: (503, {}, 0)
    with pytest.raises(TransientConnectorError, match="HTTP 503"):
        list(connector_for(make_connector(kind="http", config=http_config(fake_api))).find(LOTTE).records)


def test_a_slow_api_times_out_in_plain_words_without_the_subjects_address(fake_api, token):
    fake_api.routes["/api/contacts"] = lambda q, h: (200, {"results": []}, 2)
    connector = connector_for(make_connector(kind="http", config=http_config(fake_api, timeout=0.3)))

    with pytest.raises(TransientConnectorError, match=r"did not answer within 0.3 s") as caught:
        list(connector.find(LOTTE).records)
    assert "peeters" not in str(caught.value).lower()


def test_a_missing_token_variable_is_named(fake_api, monkeypatch):
    monkeypatch.delenv("DSAR_SOURCE_MARKETING_TEST_TOKEN", raising=False)
    with pytest.raises(ConnectorError, match="DSAR_SOURCE_MARKETING_TEST_TOKEN"):
        list(connector_for(make_connector(kind="http", config=http_config(fake_api))).find(LOTTE).records)


def test_the_http_connection_test_reports_a_stopped_service():
    config = {"base_url": "http://127.0.0.1:9/", "resources": [{"name": "x", "path": "x?e={email}"}]}
    with pytest.raises(ConnectorError, match="Cannot connect to 127.0.0.1:9"):
        connector_for(make_connector(kind="http", config=config)).test_connection()


def test_a_secret_header_in_clear_is_refused():
    from dsar.connectors.http import HTTPConnector

    problems = HTTPConnector.validate_config(
        {"base_url": "https://x", "headers": {"Authorization": "Bearer abc"}, "resources": [{"name": "a", "path": "a"}]}
    )

    assert "headers.Authorization" in [p for p, _ in problems]


# ------------------------------------------------------------------------------
# Manual
# ------------------------------------------------------------------------------
def test_a_manual_source_without_assignee_says_who_is_missing():
    model = make_connector(kind="manual", config={"instructions": "Search the archive."})
    with pytest.raises(ConnectorError, match="default assignee"):
        connector_for(model).test_connection()
