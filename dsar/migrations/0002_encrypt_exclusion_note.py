"""Encrypt SourceRecord.exclusion_note at rest (Art. 15(4) notes name other people).

The column becomes text, then every existing note is encrypted with the first
of DSAR_ENCRYPTION_KEYS. Going back decrypts the notes and restores the
500-character column.
"""

from django.db import migrations

import dsar.core.crypto

encrypt_notes, decrypt_notes = dsar.core.crypto.encrypt_column("dsar.SourceRecord", "exclusion_note", max_length=500)


class Migration(migrations.Migration):
    dependencies = [
        ("dsar", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sourcerecord",
            name="exclusion_note",
            field=dsar.core.crypto.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt_notes, decrypt_notes, elidable=False),
    ]
