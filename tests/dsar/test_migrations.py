"""Data migrations of the engine, run forwards and backwards on real rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dsar.core.crypto import decrypt_str

BEFORE = [("dsar", "0001_initial")]
AFTER = [("dsar", "0002_encrypt_exclusion_note")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    # Migrating an app backwards also unapplies what depends on it in other
    # apps: the tests after these need every migration applied again.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _raw_note(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT exclusion_note FROM dsar_sourcerecord WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_existing_exclusion_notes_are_encrypted_and_can_be_decrypted_back():
    old = _migrate(BEFORE)
    job = old.get_model("dsar", "Job").objects.create(external_ref="DSAR-2026-00001", operation="access", identity="{}")
    connector = old.get_model("dsar", "Connector").objects.create(code="crm", name="CRM", kind="manual", config={})
    run = old.get_model("dsar", "SourceRun").objects.create(job=job, connector=connector)
    records = old.get_model("dsar", "SourceRecord").objects
    noted = records.create(
        run=run, seq=1, entity="notes", data="{}", excluded=True, exclusion_note="About Jan Janssens"
    )
    plain = records.create(run=run, seq=2, entity="notes", data="{}")

    _migrate(AFTER)
    raw = _raw_note(noted.pk)
    assert "Janssens" not in raw and decrypt_str(raw) == "About Jan Janssens"
    assert _raw_note(plain.pk) == ""

    _migrate(BEFORE)
    assert _raw_note(noted.pk) == "About Jan Janssens"
    _migrate(AFTER)


@pytest.mark.django_db(transaction=True)
def test_bodies_of_queued_emails_are_encrypted_and_can_be_decrypted_back():
    before = [("requests_app", "0005_subjectrequest_records_deleted_at")]
    after = [("requests_app", "0006_encrypt_email_bodies")]
    old = _migrate(before)
    email = old.get_model("requests_app", "OutgoingEmail").objects.create(
        template="download_code", to="lotte@example.be", subject="Code", body_text="Code 482913", body_html=""
    )

    _migrate(after)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_text, body_html FROM requests_app_outgoingemail WHERE id = %s", [email.pk])
        text, html = cursor.fetchone()
    assert "482913" not in text and decrypt_str(text) == "Code 482913" and html == ""

    _migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_text FROM requests_app_outgoingemail WHERE id = %s", [email.pk])
        assert cursor.fetchone()[0] == "Code 482913"
    _migrate(after)


@pytest.mark.django_db(transaction=True)
def test_existing_link_tokens_are_replaced_by_a_digest_and_an_encrypted_copy():
    import hashlib

    before = [("requests_app", "0007_email_optional_for_letters_and_calls")]
    after = [("requests_app", "0008_token_at_rest")]
    old = _migrate(before)
    old.get_model("requests_app", "SubjectRequest").objects.create(
        reference="DSAR-2026-09999",
        token="plain-link-token",
        request_type="access",
        full_name="Lotte Peeters",
        email="lotte.peeters@example.be",
        received_at="2026-11-01T10:00:00Z",
        due_date="2026-12-01",
        original_due_date="2026-12-01",
        internal_target_date="2026-11-29",
    )

    new = _migrate(after)
    row = new.get_model("requests_app", "SubjectRequest").objects.get(reference="DSAR-2026-09999")
    assert row.token_hash == hashlib.sha256(b"plain-link-token").hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_encrypted FROM requests_app_subjectrequest WHERE id = %s", [row.pk])
        raw = cursor.fetchone()[0]
    assert "plain-link-token" not in raw and decrypt_str(raw) == "plain-link-token"

    restored = _migrate(before).get_model("requests_app", "SubjectRequest").objects.get(reference="DSAR-2026-09999")
    assert restored.token == "plain-link-token"


@pytest.mark.django_db(transaction=True)
def test_authenticator_apps_of_django_otp_move_to_ours_with_their_seed_encrypted():
    import datetime as dt

    from django_otp.oath import totp

    before = [("requests_two_factor", "0001_initial"), ("otp_totp", "0003_add_timestamps")]
    after = [("requests_two_factor", "0002_move_otp_totp_devices")]
    old = _migrate(before)
    user = old.get_model("auth", "User").objects.create(username="dpo-with-phone")
    plain = old.get_model("otp_totp", "TOTPDevice").objects
    seed, pending_seed = "3132333435363738393031323334353637383930", "a" * 40
    enrolled = plain.create(user=user, name="phone", key=seed, confirmed=True, last_t=100, drift=1)
    enrolled_on = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    plain.filter(pk=enrolled.pk).update(created_at=enrolled_on)
    plain.create(user=user, name="new phone", key=pending_seed, confirmed=False)

    new = _migrate(after)
    assert not plain.exists()
    with connection.cursor() as cursor:
        key = connection.ops.quote_name("key")
        cursor.execute(f"SELECT confirmed, {key} FROM requests_two_factor_authenticatorapp")  # noqa: S608
        raw = dict(cursor.fetchall())
    assert seed not in raw[True] and decrypt_str(raw[True]) == seed
    assert pending_seed not in raw[False] and decrypt_str(raw[False]) == pending_seed
    moved = new.get_model("requests_two_factor", "AuthenticatorApp").objects.get(confirmed=True)
    assert (moved.user_id, moved.name, moved.key, moved.last_t, moved.drift) == (user.pk, "phone", seed, 100, 1)
    assert moved.created_at == enrolled_on

    # The app on the phone goes on working.
    from requests_app.accounts.two_factor.models import AuthenticatorApp

    app = AuthenticatorApp.objects.get(pk=moved.pk)
    assert app.verify_token(f"{totp(app.bin_key, drift=app.drift):06d}")

    _migrate(before)
    assert set(plain.values_list("key", "confirmed")) == {(seed, True), (pending_seed, False)}
    _migrate(after)
