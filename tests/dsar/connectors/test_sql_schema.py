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
