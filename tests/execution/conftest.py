import sqlite3
import uuid

import pytest
import sqlalchemy as sa
from django.conf import settings
from django.core.management import call_command

from dsar.execution import sqlsource
from tests.execution.factories import build_crm, make_register


def _source_kinds():
    kinds = ["sqlite"]
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        kinds.append("postgresql")
    return kinds


@pytest.fixture(params=_source_kinds())
def crm(request, db, tmp_path):
    """The demo-like CRM as a source: a SQLite file, and on the PostgreSQL run
    also a schema of its own in the test database (its own connection, so the
    source's commits are real, as they would be in another system)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
        engine = build_crm(url)
        connector = make_register(url)
        yield connector, engine, None
        sqlsource.dispose_engines()
    else:
        db_settings = settings.DATABASES["default"]
        url = sa.engine.URL.create(
            "postgresql+psycopg",
            username=db_settings["USER"] or None,
            password=db_settings["PASSWORD"] or None,
            host=db_settings["HOST"] or None,
            port=db_settings["PORT"] or None,
            database=db_settings["NAME"],
        ).render_as_string(hide_password=False)
        schema = f"crm_{uuid.uuid4().hex[:8]}"
        engine = build_crm(url, schema=schema)
        connector = make_register(url, schema=schema)
        yield connector, engine, schema
        sqlsource.dispose_engines()
        with engine.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def profile(db):
    """The demo controller, without the demo sources (tests bring their own)."""
    from requests_app.management.commands.load_demo import DEMO_CONTROLLER
    from requests_app.models import ControllerProfile

    return ControllerProfile.objects.create(**DEMO_CONTROLLER)


@pytest.fixture
def demo(db, settings, tmp_path, live_server):
    """The demo configuration (`load_demo`): its register, its three sources,
    and the demo CRM, opened for the test to read. The demo marketing API is
    served by the live server (planning looks the subject up through it)."""
    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    connection = sqlite3.connect(settings.DSAR_DEMO_DIR / "crm.sqlite3")
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()
