"""Encrypt the bodies of queued e-mails at rest.

A body holds a verification or download link or a one-time code until it is
sent, and for good when sending fails; sent bodies are already empty.
"""

from django.db import migrations

import dsar.core.crypto

encrypt_bodies, decrypt_bodies = dsar.core.crypto.encrypt_column("requests_app.OutgoingEmail", "body_text", "body_html")


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0005_subjectrequest_records_deleted_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outgoingemail",
            name="body_html",
            field=dsar.core.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="body_text",
            field=dsar.core.crypto.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_bodies, decrypt_bodies, elidable=False),
    ]
