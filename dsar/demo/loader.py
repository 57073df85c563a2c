"""The engine's part of the demo (run by `manage.py load_demo`, idempotent):
the demo CRM database and the demo marketing platform's data, then the
register and the three demo sources from dsar/demo/config.yaml through the
same loader as `dsar_config load`."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from dsar import configuration
from dsar.demo import crm as demo_crm
from dsar.demo import marketing as demo_marketing
from dsar.models import Connector

CONFIG_FILE = Path(__file__).with_name("config.yaml")


def load(stdout) -> None:
    demo_crm.ensure_database(stdout)
    demo_marketing.ensure_database(stdout)
    report = configuration.load_yaml(CONFIG_FILE.read_text(encoding="utf-8"), source=str(CONFIG_FILE))
    stdout.write(f"Demo register and sources loaded ({report}).")
    # The camera task goes to the demo DPO once that account exists (it is
    # created after the demo configuration by `make setup`).
    users = get_user_model()
    dpo = (
        users.objects.filter(groups__name="DPO").order_by("pk").first() or users.objects.filter(username="dpo").first()
    )
    if dpo is not None:
        Connector.objects.filter(kind=Connector.Kind.MANUAL, default_assignee__isnull=True).update(default_assignee=dpo)
