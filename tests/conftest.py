"""Shared fixtures: the standing actors (DPO, agent, auditor, outsider) and
requests made through the real workflow functions."""

from __future__ import annotations

import os
import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import override_settings

from config.celery_app import app as celery_app
from dsar.core.kept import KeptPerProcess
from requests_app.accounts import roles
from tests.factories import UserFactory, make_request

# Fixtures shared across the tree: the tests mirror the code (tests/requests_app/<feature>/,
# tests/dsar/<area>/), so a fixture serves every folder that needs it.
pytest_plugins = [
    "tests.fixtures.api",
    "tests.fixtures.engine",
    "tests.fixtures.execution",
    "tests.fixtures.exports",
    "tests.fixtures.intake",
    "tests.fixtures.oidc",
    "tests.fixtures.workspace",
]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the desk's default language: a test that activated
    another (a view rendered for a Dutch request) must not leave it to the next
    one in the same process, as happens under pytest-xdist."""
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """MD5 for the whole suite: every standing actor gets a password, and the
    production hasher is slow by design (measured, the workspace and intake
    tests took 119 s with it, 24 s without). No test checks the hasher itself."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploaded and generated files of one test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DSAR_OUTBOX_DIR = tmp_path / "outbox"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test asks for a real worker (marker ``worker``)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache(request):
    from django.core.cache import cache

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    default = django_settings.CACHES["default"]
    if worker and default["BACKEND"].endswith("FileBasedCache"):
        # pytest-xdist's workers each get their own file cache: one worker's
        # clear() must not reset the rate-limit counts another is testing.
        settings = request.getfixturevalue("settings")
        settings.CACHES = {**settings.CACHES, "default": {**default, "LOCATION": f"{default['LOCATION']}-{worker}"}}
    cache.clear()
    # The versions of what processes keep (dsar.core.kept) went with the cache;
    # a value kept under version 0 by an earlier test (its rows since flushed,
    # which bumps nothing) would otherwise pass for fresh in this one.
    KeptPerProcess.forget_all()
    yield


@pytest.fixture(autouse=True)
def _source_connections():
    """A test's pooled connections to its source databases (dsar.connectors.sql_schema)
    are closed after it: its source (a schema of the test database, a SQLite
    file) goes with the test, and the test database must be droppable."""
    yield
    from dsar.connectors import sql_schema

    sql_schema.dispose_engines()


@pytest.fixture
def steady_clock():
    """The clock stands still for the test, five minutes into an hour. Rate
    limits count in fixed windows (an hour from :00): a test whose attempts
    straddle the hour would see its count start again, and one run in the last
    90 seconds of an hour is told to wait seconds rather than minutes. Either
    failed a test once in a while, for no fault of the code. The clock only
    moves forward (to the next hour), so what fixtures made before stays past."""
    now = time.time()
    with time_machine.travel(now - now % 3600 + 3600 + 300, tick=False):
        yield


@pytest.fixture
def groups(db):
    roles.ensure_groups()
    return {name: Group.objects.get(name=name) for name in roles.ROLE_NAMES}


def _user_in(group_name: str, username: str, groups):
    user = UserFactory(username=username)
    user.groups.add(groups[group_name])
    return user


@pytest.fixture
def dpo(groups):
    return _user_in(roles.DPO, "dpo", groups)


@pytest.fixture
def agent(groups):
    return _user_in(roles.AGENT, "agent", groups)


@pytest.fixture
def other_agent(groups):
    return _user_in(roles.AGENT, "other_agent", groups)


@pytest.fixture
def auditor(groups):
    return _user_in(roles.AUDITOR, "auditor", groups)


@pytest.fixture
def outsider(db):
    """A signed-in user with no role."""
    return UserFactory(username="outsider")


@pytest.fixture
def controller(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    from requests_app.models import ControllerProfile

    return ControllerProfile.current()


@pytest.fixture
def new_request(db):
    """A verified web request waiting for triage."""
    return make_request(verified=True)


@pytest.fixture
def unverified_request(db):
    return make_request(verified=False)


@pytest.fixture
def real_worker(transactional_db):
    """A real Celery worker (threads pool, in this process) consuming from the
    configured broker: the SQLite broker on embedded defaults, Redis in CI.

    Tests using it commit their data (transactional_db) so the worker sees it.
    """
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        # Messages left by an earlier interrupted run must not leak into this test.
        for queue in settings.CELERY_QUEUES_ALL:
            connection.default_channel.queue_purge(queue)
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=4,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
        # Every queue (e-mail, gathering, exports, webhooks), as `make run` does.
        queues=settings.CELERY_QUEUES_ALL,
    ) as worker:
        yield worker


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    """Poll until ``predicate()`` is truthy (for work done by a real worker)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


# A Redis cache on a port where nothing listens: the ConnectionError of a real
# outage, without touching the shared Redis (issue 16: intake never depends on it).
DEAD_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}


@pytest.fixture
def cache_down(settings):
    # Django's setting_changed signal drops the cache objects already made.
    settings.CACHES = DEAD_CACHE


def pytest_collection_modifyitems(config, items):
    """A test that starts a real Celery worker (``real_worker``) is marked
    ``worker`` whether or not it says so: CI runs those in one process, after
    the rest, where their waits are not shared with another xdist worker."""
    for item in items:
        if "real_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)
