"""A Celery worker keeps its database connection from one task to the next, by
Django's rules (CONN_MAX_AGE, CONN_HEALTH_CHECKS), as a web worker does between
requests: a new PostgreSQL backend per message cost a third of a small task."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection

from config.celery_app import app

pytestmark = pytest.mark.django_db(transaction=True)


class _Task:
    """A task as the signals see it (a sender must be hashable)."""


def _run_a_task(fixup: DjangoWorkerFixup, *, eager: bool = False) -> None:
    """What the worker does around a task: Celery's fix-up and the signals' receivers."""
    task = _Task()
    task.request = SimpleNamespace(is_eager=eager)
    fixup.on_task_prerun(task)
    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    connection.ensure_connection()
    fixup.on_task_postrun(task)
    task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")


def _connections_kept_for(seconds: int):
    before = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = seconds
    connection.ensure_connection()
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = before


@pytest.fixture
def kept_connections():
    """Connections may live a minute (the setting on PostgreSQL)."""
    yield from _connections_kept_for(60)


@pytest.fixture
def unkept_connections():
    """Connections are not kept (CONN_MAX_AGE 0: the setting on SQLite)."""
    yield from _connections_kept_for(0)


def test_the_connection_outlives_a_task(kept_connections):
    fixup = DjangoWorkerFixup(app)
    first = connection.connection
    for _ in range(3):
        _run_a_task(fixup)
    assert connection.connection is first


def test_a_connection_left_in_a_transaction_is_closed_after_the_task(kept_connections):
    fixup = DjangoWorkerFixup(app)
    first = connection.connection
    connection.set_autocommit(False)  # a task that forgot to end what it began
    _run_a_task(fixup)
    connection.set_autocommit(True)
    assert connection.connection is not first


def test_an_older_connection_than_allowed_is_replaced(kept_connections):
    fixup = DjangoWorkerFixup(app)
    first = connection.connection
    connection.close_at = 0  # older than CONN_MAX_AGE
    _run_a_task(fixup)
    assert connection.connection is not first


def test_with_no_kept_connections_each_task_gets_a_new_one(unkept_connections):
    """CONN_MAX_AGE 0 (SQLite's setting): the connection is closed after each task, as before."""
    fixup = DjangoWorkerFixup(app)
    first = connection.connection
    _run_a_task(fixup)
    assert connection.connection is not first


def test_an_eager_task_leaves_its_callers_transaction_alone(kept_connections):
    from django.db import transaction

    fixup = DjangoWorkerFixup(app)
    first = connection.connection
    with transaction.atomic():
        _run_a_task(fixup, eager=True)
        assert connection.in_atomic_block
    assert connection.connection is first
