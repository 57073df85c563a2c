"""Load the demo configuration: idempotent, safe to run at every start."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from requests_app.accounts import roles
from requests_app.models import ControllerProfile

# The demo controller, from the facts of its privacy statement
# (shared/seed/privacy-statement-nl.txt): a Belgian medical-software vendor.
DEMO_CONTROLLER = {
    "name": "Corilus Groep",
    "address": "Gent Zuiderpoort, Atrium\nGaston Crommenlaan 4\n9050 Gent\nBelgium",
    "enterprise_number": "BE 0428.555.896",
    "website": "https://www.corilus.be",
    "dpo_name": "Data Protection Officer",
    "dpo_email": "qc@corilus.be",
    "dpo_phone": "",
    "authority_name": "Gegevensbeschermingsautoriteit / Autorité de protection des données (GBA/APD)",
    "authority_address": "Drukpersstraat 35 / Rue de la Presse 35\n1000 Brussel / Bruxelles\nBelgium",
    "authority_phone": "+32 2 274 48 00",
    "authority_email": "contact@apd-gba.be",
    "authority_website": "https://www.gegevensbeschermingsautoriteit.be",
    # What a Dutch, French or German subject reads instead (Art. 12(1)).
    "translations": {
        "nl": {
            "address": "Gent Zuiderpoort, Atrium\nGaston Crommenlaan 4\n9050 Gent\nBelgië",
            "dpo_name": "Functionaris voor gegevensbescherming",
            "authority_name": "Gegevensbeschermingsautoriteit (GBA)",
            "authority_address": "Drukpersstraat 35\n1000 Brussel\nBelgië",
        },
        "fr": {
            "address": "Gent Zuiderpoort, Atrium\nGaston Crommenlaan 4\n9050 Gand\nBelgique",
            "dpo_name": "Délégué à la protection des données",
            "authority_name": "Autorité de protection des données (APD)",
            "authority_address": "Rue de la Presse 35\n1000 Bruxelles\nBelgique",
        },
        "de": {
            "address": "Gent Zuiderpoort, Atrium\nGaston Crommenlaan 4\n9050 Gent\nBelgien",
            "dpo_name": "Datenschutzbeauftragter",
            "authority_name": "Datenschutzbehörde (GBA/APD)",
            "authority_address": "Drukpersstraat 35 / Rue de la Presse 35\n1000 Brüssel\nBelgien",
        },
    },
}

# Other parts of the demo (processing register, demo sources...) each provide
# a ``load(stdout)`` function in one of these modules; they run in this order.
DEMO_LOADERS = [
    "dsar.demo.loader",
]


class Command(BaseCommand):
    help = "Load the demo controller, roles, processing register and demo sources (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            roles.ensure_groups()
            profile = ControllerProfile.objects.order_by("pk").first()
            if profile is None:
                ControllerProfile.objects.create(**DEMO_CONTROLLER)
                self.stdout.write("Demo controller created: Corilus Groep.")
            else:
                self.stdout.write(f"Controller already configured: {profile.name} (left as it is).")
        for module_name in DEMO_LOADERS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo configuration loaded."))
