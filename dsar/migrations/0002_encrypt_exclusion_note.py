"""Encrypt SourceRecord.exclusion_note at rest (Art. 15(4) notes name other people).

The column becomes text, then every existing note is encrypted with the first
of DSAR_ENCRYPTION_KEYS. The values are read and written with plain SQL: the
field's own converters would try to decrypt notes that are still plain text.
A note that already decrypts (a migration run again after a failure) is left
as it is. Going back decrypts the notes and restores the 500-character column.
"""

from cryptography.fernet import InvalidToken
from django.db import migrations, models

import dsar.crypto

BATCH = 1000


def _rewrite(apps, schema_editor, change):
    model = apps.get_model("dsar", "SourceRecord")
    connection = schema_editor.connection
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field("exclusion_note").column)
    last_id = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, {column} FROM {table} WHERE id > %s AND {column} <> '' ORDER BY id LIMIT %s",  # noqa: S608 (quoted names, no input)
                [last_id, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            for pk, value in rows:
                new = change(value)
                if new != value:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [new, pk])  # noqa: S608
            last_id = rows[-1][0]


def _encrypted(value: str) -> bool:
    try:
        dsar.crypto.decrypt_str(value)
    except (InvalidToken, ValueError):
        return False
    return True


def encrypt_notes(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda value: value if _encrypted(value) else dsar.crypto.encrypt_str(value))


def decrypt_notes(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda value: dsar.crypto.decrypt_str(value)[:500] if _encrypted(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("dsar", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sourcerecord",
            name="exclusion_note",
            field=dsar.crypto.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt_notes, decrypt_notes, elidable=False),
    ]
