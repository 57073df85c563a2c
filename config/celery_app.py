"""The Celery application: configured from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from config.logging import RedactSecretsFilter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dsar_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    """Each app declares its periodic tasks in a ``BEAT_SCHEDULE`` dict in its
    ``schedules`` module; beat runs the union, so no app edits another's file."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.schedules":
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
