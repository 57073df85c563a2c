"""System checks of the deployment, run by ``manage.py check --deploy``.

They read the database, so they are deploy checks only: ``migrate`` (which
runs the ordinary checks first) is never held up by an empty register, and
they stay silent until every migration has run, when there is nothing to read yet.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connections, router
from django.db.migrations.executor import MigrationExecutor

from dsar.models import ProcessingActivity


def migrated(model) -> bool:
    """Whether every migration has run on the model's database: before that a
    table or a column may be missing, and ``migrate`` is the next step anyway.
    Asking the catalogue rather than querying a table keeps a PostgreSQL
    transaction usable."""
    try:
        executor = MigrationExecutor(connections[router.db_for_read(model)])
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        # A database that cannot be reached fails loudly elsewhere (migrate, the health check).
        return False


def concerns(app_configs, label: str) -> bool:
    """``check APP ...`` passes the apps asked for; without it, every app is checked."""
    return app_configs is None or any(config.label == label for config in app_configs)


@register("dsar", deploy=True)
def check_register(app_configs=None, **kwargs):
    """An empty register leaves the answers without purposes, categories,
    recipients or retention (Art. 15(1)) and the gathering without a source."""
    if not settings.PRODUCTION or not concerns(app_configs, "dsar") or not migrated(ProcessingActivity):
        return []
    if ProcessingActivity.objects.filter(active=True).exists():
        return []
    return [
        Error(
            "The processing register has no active processing activity.",
            hint="Load it with `manage.py dsar_config load FILE` (see dsar/CONFIG.md) or enter it in the admin.",
            id="dsar.E001",
        )
    ]


@register("dsar", deploy=True)
def check_register_records(app_configs=None, **kwargs):
    """The record of processing activities names, for each activity, its data
    subjects and a general description of its security measures (Art. 30(1)(c), (g))."""
    if not settings.PRODUCTION or not concerns(app_configs, "dsar") or not migrated(ProcessingActivity):
        return []
    incomplete = [
        activity.code
        for activity in ProcessingActivity.objects.filter(active=True).order_by("code")
        if not activity.data_subjects or not any(activity.security_measures.values())
    ]
    if not incomplete:
        return []
    return [
        Warning(
            "Processing activities without their categories of data subjects or their security measures "
            f"(Art. 30(1)(c), (g)): {', '.join(incomplete)}.",
            hint="Add data_subjects and security_measures to the register (see dsar/CONFIG.md) and load it again.",
            id="dsar.W001",
        )
    ]


@register("dsar", deploy=True)
def check_connector_secrets(app_configs=None, **kwargs):
    """Connectors saved before sources were held to DSAR_SOURCE_ variables
    (dsar.connectors.secrets) fail when they connect: say which, before they do."""
    from dsar.connectors.secrets import env_problems
    from dsar.models import Connector

    if not settings.PRODUCTION or not concerns(app_configs, "dsar") or not migrated(Connector):
        return []
    named = [
        code
        for code, config in Connector.objects.order_by("code").values_list("code", "config")
        if env_problems(config)
    ]
    if not named:
        return []
    return [
        Error(
            f"Connectors that name environment variables outside {settings.DSAR_SOURCE_ENV_PREFIX}: {', '.join(named)}.",
            hint=(
                f"Rename the variables to {settings.DSAR_SOURCE_ENV_PREFIX}… in the worker's environment and in the "
                "connectors' configuration (see dsar/CONFIG.md): the desk's own secrets are never sent to a source."
            ),
            id="dsar.E002",
        )
    ]
