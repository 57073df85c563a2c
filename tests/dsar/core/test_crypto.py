"""Encryption at rest in AES-256-GCM: what Fernet wrote before still reads,
what is written now is GCM, a changed value is refused, and rotation moves
both formats to the first key without changing a byte of a copy."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection

from dsar.core import crypto
from dsar.core.crypto import KeyRing, decrypt_bytes, decrypt_str, encrypt_bytes, encrypt_str, keyring
from dsar.exports import service
from dsar.exports.json_export import write_json
from dsar.models import SourceRecord
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def written_by_fernet(monkeypatch):
    _write_fernet(monkeypatch)


def _write_fernet(monkeypatch) -> None:
    """Write as the desk did before AES-GCM: every value and file a Fernet token."""
    monkeypatch.setattr(KeyRing, "seal", lambda ring, data: ring.fernet.encrypt(data))
    monkeypatch.setattr(KeyRing, "encrypt_text", lambda ring, value: ring.fernet.encrypt(value.encode()).decode())


def _raw_data(record_pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM dsar_sourcerecord WHERE id = %s", [record_pk])
        return cursor.fetchone()[0]


def _set_raw_data(record_pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE dsar_sourcerecord SET data = %s WHERE id = %s", [value, record_pk])


def _copy(make_spec, job) -> bytes:
    out = io.StringIO()
    write_json(make_spec(job), out)
    return out.getvalue().encode()


def _rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out)
    return out.getvalue()


def test_new_values_and_files_are_aes_gcm_under_the_first_key(settings):
    settings.DSAR_ENCRYPTION_KEYS = [NEW, OLD]
    job = make_job("DSAR-2026-00050")
    record = SourceRecord.objects.filter(run__job=job).first()

    raw = _raw_data(record.pk)
    assert raw.startswith(keyring().text_header) and raw.startswith(crypto.PREFIX)
    assert "lotte" not in raw.lower()
    assert json.loads(SourceRecord.objects.get(pk=record.pk).data) == json.loads(record.data)
    token = encrypt_bytes(b"%PDF-1.7 form")
    assert token.startswith(keyring().header) and decrypt_bytes(token) == b"%PDF-1.7 form"
    # The key id differs per key, and nonces are random: the same value twice is two ciphertexts.
    assert keyring().header != KeyRing.from_keys((OLD,)).header
    assert encrypt_str("85073003328") != encrypt_str("85073003328")


def test_values_and_files_fernet_wrote_are_still_read(settings, make_spec, written_by_fernet):
    settings.DSAR_ENCRYPTION_KEYS = [OLD]
    job = make_job("DSAR-2026-00051")
    (export,) = service.generate(make_spec(job), ["json"])
    old_file = (settings.MEDIA_ROOT / export.path).read_bytes()
    record = SourceRecord.objects.filter(run__job=job).first()

    raw = _raw_data(record.pk)
    assert raw.startswith("gAAAAA")  # a Fernet token, as before
    assert old_file[4:10] == b"gAAAAA"  # the first chunk after its length
    # Read back by the code of now, with the old key second.
    settings.DSAR_ENCRYPTION_KEYS = [NEW, OLD]
    assert decrypt_str(raw) == SourceRecord.objects.get(pk=record.pk).data
    assert json.loads(service.read_file(export))["reference"] == "DSAR-2026-00051"
    assert decrypt_bytes(Fernet(OLD).encrypt(b"%PDF-1.7 form")) == b"%PDF-1.7 form"


def test_a_changed_value_is_refused_with_the_error_fernet_gave(settings, make_spec):
    settings.DSAR_ENCRYPTION_KEYS = [NEW, OLD]
    job = make_job("DSAR-2026-00052")
    record = SourceRecord.objects.filter(run__job=job).first()
    raw = _raw_data(record.pk)
    body = raw[len(crypto.PREFIX) + 9 :]
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    under_old_id = KeyRing.from_keys((OLD,)).text_header + body

    for changed in (raw[:-4] + "AAAA", raw[:40], raw[:12] + flipped, under_old_id, raw[:12] + "not base64 é"):
        with pytest.raises(InvalidToken):
            decrypt_str(changed)
        _set_raw_data(record.pk, changed)
        with pytest.raises(ValueError, match="An encrypted field could not be decrypted: check DSAR_ENCRYPTION_KEYS"):
            SourceRecord.objects.get(pk=record.pk).data  # noqa: B018
    # The copy refuses it the same way.
    with pytest.raises(ValueError, match="An encrypted field could not be decrypted"):
        write_json(make_spec(job), io.StringIO())
    # A sealed file changed by one byte does not open either.
    token = bytearray(encrypt_bytes(b"%PDF-1.7 form"))
    token[-1] ^= 1
    with pytest.raises(InvalidToken):
        decrypt_bytes(bytes(token))


@time_machine.travel("2026-03-20 10:00:00+01:00", tick=False)
def test_rotation_moves_both_formats_to_the_first_key_and_the_copy_is_byte_identical(settings, make_spec, monkeypatch):
    settings.DSAR_ENCRYPTION_KEYS = [OLD]
    # Half the records written by Fernet (before AES-GCM), half in GCM, all under the old key.
    with monkeypatch.context() as fernet_era:
        _write_fernet(fernet_era)
        job = make_job("DSAR-2026-00053")
        (old_export,) = service.generate(make_spec(job), ["json"])
    records = list(SourceRecord.objects.filter(run__job=job).order_by("pk").values_list("pk", flat=True))
    for pk in records[::2]:
        _set_raw_data(pk, encrypt_str(decrypt_str(_raw_data(pk))))
    formats = {_raw_data(pk)[:3] for pk in records}
    assert formats == {"gAA", crypto.PREFIX}
    copy_before = _copy(make_spec, job)
    file_before = service.read_file(old_export)

    settings.DSAR_ENCRYPTION_KEYS = [NEW, OLD]
    output = _rotate()
    assert f"dsar.SourceRecord.data: {len(records)} rotated" in output
    assert "export files: 1 rotated" in output
    assert "Everything is encrypted with the first key" in _rotate("--check")

    settings.DSAR_ENCRYPTION_KEYS = [NEW]  # the old key gone
    assert all(_raw_data(pk).startswith(keyring().text_header) for pk in records)
    assert _copy(make_spec, job) == copy_before
    assert service.read_file(old_export) == file_before


def test_rotation_rewrites_fernet_values_of_the_first_key_too(settings):
    # Nothing left in Fernet once --check is at zero, even what the current key wrote.
    settings.DSAR_ENCRYPTION_KEYS = [NEW]
    job = make_job("DSAR-2026-00054")
    record = SourceRecord.objects.filter(run__job=job).first()
    plain = decrypt_str(_raw_data(record.pk))
    _set_raw_data(record.pk, Fernet(NEW).encrypt(plain.encode()).decode())

    assert "still in Fernet" in _check_failure()
    assert "dsar.SourceRecord.data: 1 rotated" in _rotate()
    assert _raw_data(record.pk).startswith(keyring().text_header)
    assert SourceRecord.objects.get(pk=record.pk).data == plain


def _check_failure() -> str:
    with pytest.raises(CommandError) as failure:
        _rotate("--check")
    return str(failure.value)
