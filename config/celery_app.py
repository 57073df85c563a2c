"""The Celery application: configured from Django settings (CELERY_*)."""

import gc
import os
import pkgutil
from importlib import import_module

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_process_init, worker_ready

from config.logging import RedactSecretsFilter, quiet_housekeeping

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dsar_desk")
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


app.autodiscover_tasks(_task_packages)


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    """Each app or feature package declares its periodic tasks in a
    ``BEAT_SCHEDULE`` dict in its ``schedules`` module; beat runs the union,
    so no feature edits another's file."""
    for package in _task_packages():
        try:
            module = import_module(f"{package}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.schedules":
                raise
            continue
        sender.conf.beat_schedule.update(getattr(module, "BEAT_SCHEDULE", {}))


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
