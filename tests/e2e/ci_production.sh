#!/usr/bin/env bash
# The docker-compose setup, mirrored with the local services (no Docker engine
# here): production settings, gunicorn as the web container runs it, a Celery
# worker, PostgreSQL and Redis; `check --deploy` clean, the compose health
# check's call answers, plain HTTP redirects to HTTPS, the dev outbox is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
export DSAR_VAR_DIR="$PWD/var/production"
rm -rf "$DSAR_VAR_DIR" && mkdir -p "$DSAR_VAR_DIR"
export DSAR_PRODUCTION=true ALLOWED_HOSTS=dsar.example.be SITE_URL=https://dsar.example.be
SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
DSAR_ENCRYPTION_KEYS="$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export SECRET_KEY DSAR_ENCRYPTION_KEYS DSAR_AUDIT_KEY=ci-audit-key DSAR_ERASURE_HASH_KEY=ci-erasure-hash-key
export EMAIL_URL=smtp://127.0.0.1:1025
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/dsar_production"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/10" CACHE_URL="rediscache://127.0.0.1:6379/11"
export STATIC_ROOT="$DSAR_VAR_DIR/static"
psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS dsar_production WITH (FORCE)' -c 'CREATE DATABASE dsar_production'
redis-cli -n 10 flushdb >/dev/null

"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py collectstatic --noinput >/dev/null
# A fresh database has no controller profile and an empty register: check --deploy says so.
if "$PY" manage.py check --deploy > "$DSAR_VAR_DIR/check.log" 2>&1; then
  echo "production check failed: check --deploy passed without a controller profile or register"; exit 1
fi
grep -q requests_app.E001 "$DSAR_VAR_DIR/check.log" && grep -q dsar.E001 "$DSAR_VAR_DIR/check.log" \
  || { cat "$DSAR_VAR_DIR/check.log"; echo "production check failed: the configuration errors are not reported"; exit 1; }
# What the operator enters in the admin and loads with dsar_config (README, Docker Compose).
cat > "$DSAR_VAR_DIR/controller.json" <<'JSON'
[{"model": "requests_app.controllerprofile", "fields": {
  "name": "Example Controller", "address": "Rue de l'Exemple 1\n1000 Bruxelles", "dpo_email": "dpo@example.be",
  "authority_name": "Gegevensbeschermingsautoriteit / Autorité de protection des données",
  "authority_address": "Drukpersstraat 35 / Rue de la Presse 35\n1000 Brussel / Bruxelles",
  "authority_email": "contact@apd-gba.be"}}]
JSON
cat > "$DSAR_VAR_DIR/register.yaml" <<'YAML'
version: 1
categories:
  - code: identification
    names: {en: Identification data}
activities:
  - code: customer-contracts
    names: {en: Customer contracts}
    purposes: {en: Performing the contract with our customers.}
    legal_basis: contract
    categories: [identification]
    data_subjects: [{en: Customers}]
    security_measures: {en: Security appropriate to the risk through technical and organisational measures.}
YAML
"$PY" manage.py loaddata "$DSAR_VAR_DIR/controller.json" >/dev/null
"$PY" manage.py dsar_config load "$DSAR_VAR_DIR/register.yaml" >/dev/null
"$PY" manage.py check --deploy --fail-level WARNING
setsid .venv/bin/gunicorn config.wsgi:application --config config/gunicorn.conf.py --bind 127.0.0.1:8768 --workers 2 > "$DSAR_VAR_DIR/web.log" 2>&1 &
WEB=$!
setsid "$PY" -m celery -A config worker --loglevel WARNING --concurrency 2 --hostname prod@%h > "$DSAR_VAR_DIR/worker.log" 2>&1 &
WORKER=$!
trap 'kill -TERM $WEB $WORKER 2>/dev/null || true; wait $WEB $WORKER 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -fsS -H "Host: dsar.example.be" -H "X-Forwarded-Proto: https" http://127.0.0.1:8768/healthz >/dev/null 2>&1 && break; sleep 1; done

fail() { echo "production check failed: $*"; tail -30 "$DSAR_VAR_DIR/web.log"; exit 1; }
# The compose file's health check, word for word.
"$PY" -c "import os, urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:8768/healthz', headers={'Host': os.environ['ALLOWED_HOSTS'].split(',')[0], 'X-Forwarded-Proto': 'https'}), timeout=3)" || fail "health check"
code() { curl -s -o /dev/null -w '%{http_code}' -H "Host: dsar.example.be" "$@"; }
[ "$(code -H 'X-Forwarded-Proto: https' http://127.0.0.1:8768/)" = 200 ] || fail "form"
[ "$(code http://127.0.0.1:8768/)" = 301 ] || fail "no HTTPS redirect"
[ "$(code -H 'X-Forwarded-Proto: https' http://127.0.0.1:8768/dev/outbox/)" = 404 ] || fail "dev outbox reachable"
[ "$(code -H 'X-Forwarded-Proto: https' http://127.0.0.1:8768/workspace/)" = 302 ] || fail "workspace not behind sign-in"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example' -H 'X-Forwarded-Proto: https' http://127.0.0.1:8768/)" = 400 ] || fail "unknown host served"
# The worker may still be starting: give it half a minute to answer a ping.
for attempt in $(seq 1 6); do
  "$PY" -m celery -A config inspect ping --timeout 5 >/dev/null 2>&1 && break
  [ "$attempt" = 6 ] && fail "worker does not answer"
done
# The access log: no query string (a search is an e-mail address) and no secret link.
code -H 'X-Forwarded-Proto: https' "http://127.0.0.1:8768/workspace/?q=lotte.peeters%40example.be" >/dev/null
code -H 'X-Forwarded-Proto: https' http://127.0.0.1:8768/forwarded/Fw9-sEcReTtOkEn4xY7/ >/dev/null
code -H 'X-Forwarded-Proto: https' http://127.0.0.1:8768/verify/Vf9-sEcReTtOkEn4xY7/ >/dev/null
sleep 1
grep -q '"GET /workspace/ HTTP' "$DSAR_VAR_DIR/web.log" || fail "the access log is not written"
if grep -q 'lotte.peeters\|sEcReTtOkEn' "$DSAR_VAR_DIR/web.log"; then fail "the access log shows a query or a secret link"; fi
echo "production setup passed"
