from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "dsar.execution"
    label = "dsar_execution"
    verbose_name = _("Execution of rights")

    # The executors (dsar.execution.executors, registered per connector kind in
    # their own module) are imported by the service that runs them, not here:
    # SQLAlchemy and httpx are the worker's, and a web process need not hold
    # them (issue 17).
