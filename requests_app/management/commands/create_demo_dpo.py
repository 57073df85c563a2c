"""Create (once) the demo DPO account and print its sign-in details."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from requests_app.accounts import roles


class Command(BaseCommand):
    help = "Create the demo DPO account 'dpo' (not in production) and print its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="dpo")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            self.stderr.write("Refusing to create a demo account in production; use createsuperuser.")
            raise SystemExit(2)
        roles.ensure_groups()
        password_file = settings.VAR_DIR / f".{username}-password"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_user(
                    username=username, email=f"{username}@dsar.localhost", password=password
                )
            else:
                user.set_password(password)
            user.first_name, user.last_name = "Demo", "DPO"
            user.is_staff = True
            user.save()
            password_file.write_text(password)
            password_file.chmod(0o600)
        user.groups.add(Group.objects.get(name=roles.DPO))
        self.stdout.write(f"Demo DPO account: username '{username}', password '{password_file.read_text().strip()}'")
