from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "dsar.execution"
    label = "dsar_execution"
    verbose_name = _("Execution of rights")

    def ready(self):
        # The executors register themselves per connector kind.
        from dsar.execution import executors  # noqa: F401
