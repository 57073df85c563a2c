"""Make an API token for a staff member; the token is printed once, alone on the last line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from requests_app import permissions
from requests_app.api.models import SCOPE_CONNECTORS, SCOPES, ApiToken


class Command(BaseCommand):
    help = "Create an API token for USERNAME. The token is shown once, on the last line; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for (shown in the workspace).")
        parser.add_argument("--days", type=int, default=90, help="Days until it expires (default 90; 0 for no expiry).")
        parser.add_argument(
            "--scope",
            action="append",
            choices=SCOPES,
            default=[],
            help="Also allow this (repeatable). 'connectors': create and change connectors (DPO only).",
        )

    def handle(self, *args, username, name, days, scope, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        if not user.is_active:
            raise CommandError(f"The account {username!r} is disabled.")
        if days < 0:
            raise CommandError("--days must be 0 (no expiry) or more.")
        if not permissions.can_enter_workspace(user):
            self.stderr.write(
                f"Warning: {username} has no role in the workspace; the token will be refused everywhere."
            )
        if SCOPE_CONNECTORS in scope and not permissions.can_manage_desk(user):
            raise CommandError("Only a DPO's token may have the 'connectors' scope.")
        token, clear = ApiToken.issue(user=user, name=name, days=days or None, scopes=scope)
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else "never expires"
        self.stdout.write(f"Token {token.name!r} for {username} ({expiry}). It is shown only now:")
        self.stdout.write(clear)
