"""Move the authenticator apps enrolled with django-otp's TOTPDevice, whose
seed is in plain text, to AuthenticatorApp (seed encrypted), and delete them
there. A person signed in with one enters a code again, once."""

from django.db import migrations

# Everything but the id (a new one, so that PostgreSQL's sequence stays right).
FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)


def _move(source, target):
    for device in source.objects.order_by("pk").iterator():
        values = {field: getattr(device, field) for field in FIELDS}
        moved = target.objects.create(**values)
        # created_at is auto_now_add: create() would put today's date there.
        target.objects.filter(pk=moved.pk).update(created_at=values["created_at"])
        device.delete()


def encrypt_seeds(apps, schema_editor):
    # The historical AuthenticatorApp.key is an EncryptedTextField: create() encrypts.
    _move(apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("requests_two_factor", "AuthenticatorApp"))


def expose_seeds(apps, schema_editor):
    _move(apps.get_model("requests_two_factor", "AuthenticatorApp"), apps.get_model("otp_totp", "TOTPDevice"))


class Migration(migrations.Migration):
    dependencies = [
        ("requests_two_factor", "0001_initial"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(encrypt_seeds, expose_seeds, elidable=False),
    ]
