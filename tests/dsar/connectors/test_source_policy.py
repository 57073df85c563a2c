"""Secrets stay home: where a source may connect, which variables it may read,
and how much it may send back (dsar.netpolicy, dsar.connectors.secrets)."""

from __future__ import annotations

import socket

import httpx
import pytest

from dsar import netpolicy
from dsar.configuration import ConfigError, load_yaml
from dsar.connectors import connector_for
from dsar.connectors.base import ConnectorError, SubjectIdentity
from dsar.connectors.http import HTTPConnector
from dsar.connectors.sql import SQLConnector
from dsar.gathering import test_connection as check_connection
from tests.fixtures.engine import make_connector, sql_config

pytestmark = pytest.mark.django_db

LOTTE = SubjectIdentity(email="lotte.peeters@example.be")


def _resolver(*addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
            for a in addresses
        ]

    return getaddrinfo


def _http(base_url: str, **extra) -> dict:
    return {"base_url": base_url, "resources": [{"name": "contacts", "path": "contacts?email={email}"}], **extra}


# ------------------------------------------------------------------------------
# Secrets: only DSAR_SOURCE_* variables
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "DATABASE_URL", "DSAR_ENCRYPTION_KEYS", "DSAR_AUDIT_KEY", "HOME", "DSAR_SOURCE_"]
)
def test_a_connector_may_not_name_the_desks_own_secrets(variable):
    config = _http("https://api.example.org/", secret_headers={"Authorization": {"env": variable}})
    problems = dict(HTTPConnector.validate_config(config))
    assert "DSAR_SOURCE_" in problems["secret_headers.Authorization"]
    sql_problems = dict(
        SQLConnector.validate_config(sql_config("postgresql://reader@db.example.org/crm", password_env=variable))
    )
    assert "DSAR_SOURCE_" in sql_problems["password_env"]


def test_the_yaml_loader_refuses_them_too():
    text = """
version: 1
connectors:
  - code: crm
    name: CRM
    kind: http
    config:
      base_url: https://api.example.org/
      secret_headers: {Authorization: {env: SECRET_KEY}}
      resources: [{name: contacts, path: "contacts?email={email}"}]
"""
    with pytest.raises(ConfigError) as refused:
        load_yaml(text)
    assert any("secret_headers.Authorization" in e and "DSAR_SOURCE_" in e for e in refused.value.errors), (
        refused.value.errors
    )


def test_a_row_written_past_the_checks_sends_nothing(fake_api, monkeypatch):
    """A connector saved before the rule (or written in the database directly)
    is refused when it connects: the listener never sees the secret."""
    monkeypatch.setenv("SECRET_KEY", "the-desks-own-secret")
    model = make_connector(
        kind="http",
        config=_http(fake_api.url + "/api/", secret_headers={"Authorization": {"env": "SECRET_KEY"}}),
    )
    ok, message = check_connection(model)
    assert not ok and "DSAR_SOURCE_" in message
    with pytest.raises(ConnectorError, match="DSAR_SOURCE_"):
        list(connector_for(model).find(LOTTE).records)
    assert fake_api.requests == []


def test_a_source_variable_is_sent(fake_api, monkeypatch):
    monkeypatch.setenv("DSAR_SOURCE_CRM_TOKEN", "crm-token-1")

    @fake_api.route("/api/contacts")
    def contacts(query, headers):
        return 200, [{"email": query["email"]}], 0

    config = _http(fake_api.url + "/api/", secret_headers={"Authorization": {"env": "DSAR_SOURCE_CRM_TOKEN"}})
    assert HTTPConnector.validate_config(config) == []
    records = list(connector_for(make_connector(kind="http", config=config)).find(LOTTE).records)
    assert len(records) == 1 and fake_api.requests[0]["headers"]["Authorization"] == "crm-token-1"


# ------------------------------------------------------------------------------
# Addresses
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "169.254.169.254",
        "100.100.100.200",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::a00:1",
        "2002:7f00:1::",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "fd00:ec2::254",
    ],
)
def test_production_refuses_local_private_metadata_and_embedded_ipv4_addresses(settings, host):
    settings.PRODUCTION = True
    # On PostgreSQL at 127.0.0.1 (CI's services stage) the loopback address is also the desk's own
    # database, which the policy names first: refused either way.
    with pytest.raises(
        netpolicy.AddressRefused, match="private or local|metadata|IPv6 form of an IPv4|the desk's own database"
    ):
        netpolicy.check_host(host, 443)
    shown = f"[{host}]" if ":" in host else host
    problems = dict(HTTPConnector.validate_config(_http(f"https://{shown}/api/")))
    # The advice names the allow-list, or (CI's PostgreSQL on 127.0.0.1) that it is the desk's own database.
    assert "DSAR_SOURCE_ALLOWED_HOSTS" in problems["base_url"] or "desk's own database" in problems["base_url"]


def test_the_metadata_service_is_refused_even_in_development(settings):
    settings.PRODUCTION = False
    with pytest.raises(netpolicy.AddressRefused, match="metadata"):
        netpolicy.check_host("169.254.169.254", 80)
    with pytest.raises(netpolicy.AddressRefused, match="metadata"):
        netpolicy.check_host("metadata.google.internal", 80)
    # A developer's own services on loopback keep working.
    assert netpolicy.check_host("127.0.0.1", 8000) == ("127.0.0.1",)


def test_the_desks_own_database_is_refused(settings):
    settings.PRODUCTION = True
    settings.DATABASES = {**settings.DATABASES, "default": {**settings.DATABASES["default"], "HOST": "db.internal"}}
    problems = dict(SQLConnector.validate_config(sql_config("postgresql://reader@db.internal:5432/dsar")))
    assert "the desk's own database" in problems["url"]


def test_a_name_is_checked_on_every_address_it_resolves_to(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("93.184.215.14", "10.0.0.7"))
    with pytest.raises(netpolicy.AddressRefused, match="10.0.0.7"):
        netpolicy.check_host("crm.example.org", 443)


def test_the_allow_list_lets_the_operator_name_internal_sources(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("10.20.0.5"))
    settings.DSAR_SOURCE_ALLOWED_HOSTS = ["10.20.0.0/16"]
    assert netpolicy.check_host("crm-db.internal", 5432) == ("10.20.0.5",)
    settings.DSAR_SOURCE_ALLOWED_HOSTS = ["crm-db.internal"]
    assert netpolicy.check_host("crm-db.internal", 5432) == ()
    # Webhooks never use the sources' allow-list.
    with pytest.raises(netpolicy.AddressRefused, match="public addresses only"):
        netpolicy.check_host("crm-db.internal", 443, use_allow_list=False)


def test_each_connection_checks_the_address_it_connects_to(settings, fake_api, monkeypatch):
    """DNS rebinding: the name was public when the connector was saved; at the
    connection it resolves to the metadata service, and nothing is sent."""
    monkeypatch.setenv("DSAR_SOURCE_CRM_TOKEN", "crm-token-1")
    config = _http("http://crm.example.org/api/", secret_headers={"Authorization": {"env": "DSAR_SOURCE_CRM_TOKEN"}})
    model = make_connector(kind="http", config=config)
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("169.254.169.254"))
    ok, message = check_connection(model)
    assert not ok and "metadata" in message
    with pytest.raises(ConnectorError, match="metadata") as refused:
        list(connector_for(model).find(LOTTE).records)
    assert not refused.value.transient  # a policy refusal is not retried


def test_the_transport_connects_to_the_checked_address(monkeypatch):
    """The pinned address is the one connected to, not a second DNS answer."""
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: _resolver(*next(answers))(host, port))
    connected = []
    import httpcore

    monkeypatch.setattr(
        httpcore.SyncBackend, "connect_tcp", lambda self, host, port, **kwargs: connected.append(host) or 1 / 0
    )
    with pytest.raises(ZeroDivisionError), httpx.Client(transport=netpolicy.policy_transport()) as client:
        client.get("http://crm.example.org:9/")
    assert connected == ["127.0.0.1"]


# ------------------------------------------------------------------------------
# Answers: capped
# ------------------------------------------------------------------------------
def test_an_answer_over_the_limit_is_refused_with_a_clear_error(settings, fake_api):
    settings.DSAR_SOURCE_MAX_RESPONSE_BYTES = 10 * 1024

    @fake_api.route("/api/contacts")
    def contacts(query, headers):
        return 200, [{"email": query["email"], "notes": "x" * 1000} for _ in range(50)], 0

    model = make_connector(kind="http", config=_http(fake_api.url + "/api/"))
    with pytest.raises(ConnectorError, match="sent more than 0.00977 MB for one call") as refused:
        list(connector_for(model).find(LOTTE).records)
    assert "DSAR_SOURCE_MAX_RESPONSE_BYTES" in str(refused.value) and not refused.value.transient


def test_an_answer_without_a_length_is_read_as_a_stream_and_stopped(settings):
    """A chunked answer that never ends is cut at the limit, not read whole."""
    settings.DSAR_SOURCE_MAX_RESPONSE_BYTES = 64 * 1024
    sent = []

    def endless():
        for _ in range(10_000):
            sent.append(1)
            yield b"[" + b"1," * 8191

    connector = HTTPConnector(make_connector(kind="http", config=_http("http://127.0.0.1:9/api/")))
    response = httpx.Response(200, content=endless())
    with pytest.raises(ConnectorError, match="DSAR_SOURCE_MAX_RESPONSE_BYTES"):
        connector._read_capped(response)
    assert len(sent) < 10  # stopped after the limit, long before the end


def test_the_default_limit_is_twenty_megabytes():
    from django.conf import settings

    assert settings.DSAR_SOURCE_MAX_RESPONSE_BYTES == 20 * 1024 * 1024


def test_check_deploy_names_connectors_that_read_the_desks_own_variables(settings):
    from dsar.checks import check_connector_secrets

    settings.PRODUCTION = True
    make_connector("crm", config=sql_config("postgresql://reader@db.example.org/crm", password_env="CRM_PASSWORD"))
    make_connector(
        "shop", config=sql_config("postgresql://reader@db.example.org/shop", password_env="DSAR_SOURCE_SHOP")
    )
    (error,) = check_connector_secrets()
    assert error.id == "dsar.E002" and "crm" in error.msg and "shop" not in error.msg
