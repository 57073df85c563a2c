"""An Art. 19 acknowledgement token is kept as a digest and an encrypted copy,
no longer in plain text."""

from django.db import migrations, models

import dsar.core.crypto

protect_tokens, expose_tokens = dsar.core.crypto.protect_token_column("dsar_execution.RecipientNotice")


class Migration(migrations.Migration):
    dependencies = [
        ("dsar_execution", "0002_notice_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipientnotice",
            name="token_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="recipientnotice",
            name="token_encrypted",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="recipientnotice",
            name="token",
            field=models.CharField(max_length=64, editable=False, default=""),
        ),
        migrations.RunPython(protect_tokens, expose_tokens, elidable=False),
        migrations.RemoveField(model_name="recipientnotice", name="token"),
        migrations.AlterField(
            model_name="recipientnotice",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="recipientnotice",
            name="token_encrypted",
            field=dsar.core.crypto.EncryptedTextField(editable=False),
        ),
    ]
