"""The subject's link token is kept as a digest (looked up) and an encrypted
copy (to rebuild links in e-mails), no longer in plain text."""

from django.db import migrations, models

import dsar.core.crypto

protect_tokens, expose_tokens = dsar.core.crypto.protect_token_column("requests_app.SubjectRequest")


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0007_email_optional_for_letters_and_calls"),
    ]

    operations = [
        migrations.AddField(
            model_name="subjectrequest",
            name="token_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="subjectrequest",
            name="token_encrypted",
            # A plain text column here: the values are encrypted by protect_tokens.
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="subjectrequest",
            name="token",
            field=models.CharField(max_length=64, editable=False, default=""),
        ),
        migrations.RunPython(protect_tokens, expose_tokens, elidable=False),
        migrations.RemoveField(model_name="subjectrequest", name="token"),
        migrations.AlterField(
            model_name="subjectrequest",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="subjectrequest",
            name="token_encrypted",
            field=dsar.core.crypto.EncryptedTextField(editable=False),
        ),
    ]
