"""A SQL source's reflected schema is kept per process (issue 17) and
reflected again when the configuration or the source's own schema changes."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

from dsar.connectors import connector_for, sql_schema
from dsar.connectors.base import ConnectorError
from tests.dsar.connectors.test_connectors import LOTTE
from tests.fixtures.engine import make_connector, sql_config

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_schema_cache():
    sql_schema._schemas.clear()
    yield
    sql_schema._schemas.clear()


def _catalogue_reads(monkeypatch) -> list[str]:
    """The PRAGMA statements (SQLite's catalogue) every engine the connector makes sends."""
    reads: list[str] = []
    real = create_engine

    def counting(*args, **kwargs):
        engine = real(*args, **kwargs)
        event.listen(
            engine,
            "before_cursor_execute",
            lambda conn, cursor, statement, *rest: reads.append(statement) if "PRAGMA main." in statement else None,
        )
        return engine

    monkeypatch.setattr("dsar.connectors.sql.create_engine", counting)
    return reads


def test_the_second_find_reads_no_catalogue(sqlite_url, monkeypatch):
    reads = _catalogue_reads(monkeypatch)
    model = make_connector(config=sql_config(sqlite_url))
    first = sorted(r.entity for r in connector_for(model).find(LOTTE).records)
    assert reads
    reads.clear()
    assert sorted(r.entity for r in connector_for(model).find(LOTTE).records) == first
    assert reads == []


def test_a_configuration_change_is_reflected_afresh(sqlite_url):
    model = make_connector(config=sql_config(sqlite_url))
    list(connector_for(model).find(LOTTE).records)
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE customers ADD COLUMN nickname TEXT DEFAULT 'Lo'"))
    engine.dispose()
    model.config = {**model.config, "max_depth": 2}
    model.save()
    customer = next(r for r in connector_for(model).find(LOTTE).records if r.entity == "customers")
    assert customer.data["nickname"] == "Lo"


def test_a_column_dropped_in_the_source_fails_once_then_is_reflected_again(sqlite_url):
    model = make_connector(config=sql_config(sqlite_url))
    list(connector_for(model).find(LOTTE).records)
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE invoice_lines DROP COLUMN description"))
    engine.dispose()
    with pytest.raises(ConnectorError):
        list(connector_for(model).find(LOTTE).records)
    lines = [r for r in connector_for(model).find(LOTTE).records if r.entity == "invoice_lines"]
    assert lines and "description" not in lines[0].data


def _connects(monkeypatch) -> list[int]:
    """One entry per new database connection of the engines the connector makes."""
    made: list[int] = []
    real = create_engine

    def counting(*args, **kwargs):
        engine = real(*args, **kwargs)
        event.listen(engine, "connect", lambda *_: made.append(1))
        return engine

    monkeypatch.setattr("dsar.connectors.sql.create_engine", counting)
    return made


def test_a_saved_source_keeps_its_connection_between_finds(sqlite_url, monkeypatch):
    made = _connects(monkeypatch)
    model = make_connector(config=sql_config(sqlite_url))
    first = sorted(r.entity for r in connector_for(model).find(LOTTE).records)
    assert sorted(r.entity for r in connector_for(model).find(LOTTE).records) == first
    assert len(made) == 1


def test_the_host_is_checked_at_every_find_on_a_kept_connection(settings, monkeypatch):
    """The address policy (dsar.netpolicy) holds for a kept connection too: a host
    that is refused now is refused before its pooled connection is used."""
    from dsar.netpolicy import AddressRefused

    checked: list[str] = []

    def check(host, port, **kwargs):
        checked.append(host)
        if len(checked) > 1:
            raise AddressRefused("refused now")

    monkeypatch.setattr("dsar.connectors.sql.check_host", check)
    model = make_connector(config=sql_config("postgresql+psycopg://reader@crm-db.internal/crm"))
    engine = connector_for(model)._engine(pooled=True)
    assert checked == ["crm-db.internal"]
    with pytest.raises(ConnectorError):
        connector_for(model)._engine(pooled=True)
    assert sql_schema._engines and next(iter(sql_schema._engines.values())) is engine


def test_a_failed_find_closes_the_kept_connections(sqlite_url, monkeypatch):
    made = _connects(monkeypatch)
    model = make_connector(config=sql_config(sqlite_url))
    list(connector_for(model).find(LOTTE).records)
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE invoice_lines DROP COLUMN description"))
    engine.dispose()
    with pytest.raises(ConnectorError):
        list(connector_for(model).find(LOTTE).records)
    assert sql_schema._engines == {}
    list(connector_for(model).find(LOTTE).records)
    assert len(made) == 2


def test_a_changed_url_gets_its_own_connection(sqlite_url, tmp_path, monkeypatch):
    from tests.fixtures.engine import seed

    made = _connects(monkeypatch)
    model = make_connector(config=sql_config(sqlite_url))
    list(connector_for(model).find(LOTTE).records)
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    seed(other)
    model.config = sql_config(other)
    model.save()
    list(connector_for(model).find(LOTTE).records)
    assert len(made) == 2
    assert len(sql_schema._engines) == 1


def test_a_forked_process_does_not_use_its_parents_connections(sqlite_url):
    """A prefork worker's child: the parent's kept engines are left to the parent."""
    import os

    model = make_connector(config=sql_config(sqlite_url))
    list(connector_for(model).find(LOTTE).records)
    assert sql_schema._engines
    pid = os.fork()
    if pid == 0:  # the child: nothing of the parent's is kept
        os._exit(0 if not sql_schema._engines else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert sql_schema._engines
