"""The settings module switches between embedded defaults and real services."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND, 'cache': s.CACHES['default']['BACKEND'], "
    "'debug': s.DEBUG, 'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0)}))"
)


def _settings(tmp_path, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            # PYTEST_XDIST_WORKER: under `make test` it would move the var dir into a per-worker folder.
            (
                "DSAR_",
                "DATABASE_URL",
                "CELERY_",
                "EMAIL_URL",
                "ANYMAIL",
                "CACHE_URL",
                "SECRET_KEY",
                "DEBUG",
                "PYTEST_XDIST",
            )
        )
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DSAR_VAR_DIR": str(tmp_path), **env})
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=BASE_DIR, env=clean, capture_output=True, text=True)
    return result


def test_with_nothing_set_it_runs_on_embedded_defaults(tmp_path):
    result = _settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3" and values["name"].startswith(str(tmp_path))
    # The embedded broker: kombu's SQLAlchemy transport on a SQLite file in var/.
    assert values["broker"] == f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    assert values["email"] == "config.mail.OutboxBackend"
    assert values["cache"].endswith("FileBasedCache")
    assert (tmp_path / ".secret_key").exists()
    assert (tmp_path / ".erasure_hash_key").exists()


def test_real_services_come_from_the_environment(tmp_path):
    result = _settings(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/dsar",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="rediscache://127.0.0.1:6379/1",
        EMAIL_URL="smtp://127.0.0.1:1025",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.postgresql"
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    # Django's Redis cache, sharing one client per pool (config/cache.py).
    assert values["cache"] == "config.cache.RedisCache"


def test_anymail_selects_a_provider(tmp_path):
    result = _settings(tmp_path, ANYMAIL_ESP="mailgun", ANYMAIL='{"MAILGUN_API_KEY": "k"}')
    assert json.loads(result.stdout)["email"] == "anymail.backends.mailgun.EmailBackend"


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "ALLOWED_HOSTS", "DSAR_ENCRYPTION_KEYS", "DSAR_AUDIT_KEY", "DSAR_ERASURE_HASH_KEY", "EMAIL_URL"],
)
def test_production_fails_loudly_when_a_required_value_is_missing(tmp_path, missing):
    env = {
        "DSAR_PRODUCTION": "true",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "dsar.example.be",
        "DSAR_ENCRYPTION_KEYS": "x8Ui2VJj3jb0Q3mE3bW2nO2bK8vQYb0r2v3xJ0r8l8g=",
        "DSAR_AUDIT_KEY": "y" * 40,
        "DSAR_ERASURE_HASH_KEY": "z" * 40,
        "EMAIL_URL": "smtp://mail.example.be:587",
    }
    env.pop(missing)
    result = _settings(tmp_path, **env)
    assert result.returncode != 0
    assert missing in result.stderr


PRODUCTION_ENV = {
    "DSAR_PRODUCTION": "true",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "dsar.example.be",
    "DSAR_ENCRYPTION_KEYS": "x8Ui2VJj3jb0Q3mE3bW2nO2bK8vQYb0r2v3xJ0r8l8g=",
    "DSAR_AUDIT_KEY": "y" * 40,
    "DSAR_ERASURE_HASH_KEY": "z" * 40,
    "EMAIL_URL": "smtp://mail.example.be:587",
}


def test_production_refuses_to_turn_two_factor_sign_in_off(tmp_path):
    result = _settings(tmp_path, **PRODUCTION_ENV, DSAR_REQUIRE_2FA="false")
    assert result.returncode != 0
    assert "DSAR_REQUIRE_2FA cannot be false when DSAR_PRODUCTION is true" in result.stderr


@pytest.mark.parametrize("value", ["true", None])
def test_production_accepts_two_factor_sign_in_required_or_left_to_its_default(tmp_path, value):
    env = dict(PRODUCTION_ENV, **({"DSAR_REQUIRE_2FA": value} if value else {}))
    result = _settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr


def test_outside_production_two_factor_sign_in_may_stay_off(tmp_path):
    result = _settings(tmp_path, DSAR_REQUIRE_2FA="false")
    assert result.returncode == 0, result.stderr


def test_manage_py_check_deploy_is_clean_in_production(tmp_path):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixtures; a real deployment never has it.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DSAR_", "DATABASE_URL", "CELERY_", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL", "PYTEST_XDIST")
        )
    }
    env.update(
        {
            "DSAR_VAR_DIR": str(tmp_path),
            "DSAR_PRODUCTION": "true",
            "SECRET_KEY": "k3#9x!vQ2@pL7^zR8&wM4*eT6(yU1)iO5_aS0+dF-gH=jK" * 2,
            "ALLOWED_HOSTS": "dsar.example.be",
            "DSAR_ENCRYPTION_KEYS": "x8Ui2VJj3jb0Q3mE3bW2nO2bK8vQYb0r2v3xJ0r8l8g=",
            "DSAR_AUDIT_KEY": "y" * 40,
            "DSAR_ERASURE_HASH_KEY": "z" * 40,
            "EMAIL_URL": "smtp://mail.example.be:587",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_english_dates_put_the_day_first_as_in_europe():
    # The DPO reads "may go on 03/09/2028": it must mean 3 September.
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} · {{ day|date:"DATE_FORMAT" }} · {{ moment|date:"TIME_FORMAT" }}'
    )
    context = Context({"day": dt.date(2028, 9, 3), "moment": dt.datetime(2028, 9, 3, 15, 30)})
    with translation.override("en"):
        assert template.render(context) == "03/09/2028 · 3 September 2028 · 15:30"


@pytest.mark.parametrize(
    "env",
    [
        {"DSAR_PAYLOAD_RETENTION_DAYS": "0"},
        {"DSAR_RECORD_RETENTION_YEARS": "0"},
        # Payloads kept longer than the record they belong to would outlive it.
        {"DSAR_PAYLOAD_RETENTION_DAYS": "800", "DSAR_RECORD_RETENTION_YEARS": "2"},
    ],
)
def test_retention_periods_that_make_no_sense_fail_loudly(tmp_path, env):
    result = _settings(tmp_path, **env)
    assert result.returncode != 0
    assert "RETENTION" in result.stderr
