"""The Celery application: configured from Django settings (CELERY_*)."""

import gc
import os
import pkgutil
import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_ready,
)

from config.logging import RedactSecretsFilter, quiet_housekeeping

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def running_beat(argv: list[str] | None = None) -> bool:
    """``celery -A config beat``: the scheduler alone, not a worker (with or without ``-B``)."""
    args = sys.argv[1:] if argv is None else argv
    return "beat" in args and "worker" not in args


# Beat only sends messages, by task name, at the times of the schedule: it
# needs neither the apps nor the tasks. Without Celery's Django fix-up it does
# not set Django up, so it does not import what the apps import when ready
# (SQLAlchemy for the sources, the API's DRF, the workflow); without
# autodiscovery, not the tasks' modules either. 150 MB down to about 60
# (issue 17: beat <= 100 MB). The routes are by task name (settings), so a
# message beat sends goes to the same queue as when the task is registered.
BEAT_ONLY = running_beat()
if BEAT_ONLY:
    # What the fix-up would do first: the settings import the project's packages.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
app = Celery("dsar_desk", fixups=[] if BEAT_ONLY else None)
app.config_from_object("django.conf:settings", namespace="CELERY")


# The project's own code; third-party apps are only searched at their root.
PROJECT_PACKAGES = ("dsar", "requests_app")


def _task_packages() -> list[str]:
    """Every installed app, and the feature packages inside the project's own apps.

    ``autodiscover_tasks()`` looks for ``<app>.tasks`` only; the ticket's
    features (``requests_app.intake``, ``requests_app.retention``...) are
    packages inside one app, each with its own ``tasks`` and ``schedules``.
    """
    from django.apps import apps

    packages = []
    for config in apps.get_app_configs():
        packages.append(config.name)
        if config.name.partition(".")[0] in PROJECT_PACKAGES:
            packages += [
                f"{config.name}.{module.name}"
                for module in pkgutil.iter_modules([config.path])
                if module.ispkg and module.name != "migrations"
            ]
    # An app inside another app's package (requests_app.api) is both.
    return list(dict.fromkeys(packages))


def _schedule_packages() -> list[str]:
    """The project's packages that have a ``schedules`` module, found by their
    files, without the app registry (beat does not set Django up): the
    installed apps of the project and the feature packages inside them, as
    ``_task_packages`` lists them. Nothing but the packages themselves (whose
    ``__init__`` modules are empty) is imported to find them."""
    from django.conf import settings

    packages = []
    for name in settings.INSTALLED_APPS:
        if name.partition(".")[0] not in PROJECT_PACKAGES:
            continue
        spec = find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        path = Path(next(iter(spec.submodule_search_locations)))
        packages.append((name, path))
        packages += [
            (f"{name}.{module.name}", path / module.name)
            for module in pkgutil.iter_modules([str(path)])
            if module.ispkg and module.name != "migrations"
        ]
    return [name for name, path in dict(packages).items() if (path / "schedules.py").exists()]


def beat_schedule(packages: list[str]) -> dict:
    """Each app or feature package declares its periodic tasks in a
    ``BEAT_SCHEDULE`` dict in its ``schedules`` module; beat runs the union,
    so no feature edits another's file."""
    schedule: dict = {}
    for package in packages:
        try:
            module = import_module(f"{package}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.schedules":
                raise
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


if not BEAT_ONLY:
    app.autodiscover_tasks(_task_packages)


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule.update(beat_schedule(_schedule_packages() if BEAT_ONLY else _task_packages()))


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger, **kwargs):
    """The worker replaces the root logger's handlers with its own, so the
    filter of settings.LOGGING is gone there: put it on Celery's handlers."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactSecretsFilter) for f in handler.filters):
            handler.addFilter(RedactSecretsFilter())
    quiet_housekeeping()


@worker_process_init.connect
@worker_ready.connect
def _freeze_startup_objects(**kwargs):
    """Move everything the worker imported at start (Django, the apps, the
    tasks: a few hundred thousand objects that live as long as the process)
    out of the cyclic garbage collector's reach. Every full collection walked
    them all: 124 ms of each PDF's forced collection (issue 17), 16 ms after.
    In a prefork child (worker_process_init) and in a solo or threads worker
    (worker_ready); the objects stay alive, only the collector skips them."""
    gc.freeze()


@task_prerun.connect
@task_postrun.connect
def _database_connections_as_for_a_web_request(sender=None, **kwargs):
    """Celery's Django fix-up closed the database connection before and after
    every task (settings.CELERY_DB_REUSE_MAX now stops it): a new PostgreSQL
    backend per message, about a third of a small task's time (issue 17).
    Django's own rule instead, as around a web request: a connection older than
    CONN_MAX_AGE, broken, or left in a transaction is closed; any other is
    kept, and CONN_HEALTH_CHECKS checks it before the task's first query (a
    database that restarted between two tasks costs no failed task). Not for
    an eager task: it runs inside its caller's request and transaction."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
