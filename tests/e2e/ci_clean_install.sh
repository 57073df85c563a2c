#!/usr/bin/env bash
# An install from requirements.txt alone runs every process: a clean virtualenv
# (nothing from requirements-dev.txt, so pytest cannot bring a missing package
# in by the back door), installed the way the Dockerfile installs it, then the
# web process (gunicorn), a Celery worker and Celery beat on Redis. Each must
# be alive, and a task must go from this venv through the broker to the worker
# and back. .ci/run runs this first, before anything else.
#
# Redis DB 13 is this check's own (broker and result backend).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
WORK="$ROOT/var/ci-clean-install"
VENV="$WORK/venv"
PORT="${CLEAN_INSTALL_PORT:-8769}"
REDIS_DB=13
rm -rf "$WORK" && mkdir -p "$WORK"

fail() { echo "clean install check failed: $*"; for f in "$WORK"/*.log; do echo "--- $f"; tail -20 "$f"; done; exit 1; }

python3 -m venv "$VENV"
# As the Dockerfile does: requirements.txt and nothing else.
"$VENV/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check -r requirements.txt > "$WORK/pip.log" 2>&1 \
  || fail "pip install -r requirements.txt"
if "$VENV/bin/python" -c "import pytest" 2>/dev/null; then
  fail "pytest is installed by requirements.txt: the check would hide a missing runtime package"
fi

export DSAR_VAR_DIR="$WORK/var"
export DATABASE_URL="sqlite:///$WORK/var/db.sqlite3"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/$REDIS_DB"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:6379/$REDIS_DB"
export CACHE_URL="locmemcache://"
export SITE_URL="http://127.0.0.1:$PORT"
mkdir -p "$DSAR_VAR_DIR"
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

PY="$VENV/bin/python"
"$PY" manage.py migrate --noinput > "$WORK/migrate.log" 2>&1 || fail "migrate"

setsid "$VENV/bin/gunicorn" config.wsgi:application --config config/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers 1 \
  > "$WORK/web.log" 2>&1 &
WEB=$!
setsid "$PY" -m celery -A config worker --loglevel INFO --concurrency 1 --hostname clean@%h > "$WORK/worker.log" 2>&1 &
WORKER=$!
setsid "$PY" -m celery -A config beat --loglevel INFO --schedule "$WORK/celerybeat-schedule" > "$WORK/beat.log" 2>&1 &
BEAT=$!
cleanup() {
  for pid in $WEB $WORKER $BEAT; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait $WEB $WORKER $BEAT 2>/dev/null || true
  redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null 2>&1 || true
}
trap cleanup EXIT

for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "the web process does not answer /healthz"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = 200 ] || fail "the request form does not answer 200"

for attempt in $(seq 1 10); do
  "$PY" -m celery -A config inspect ping --timeout 3 >/dev/null 2>&1 && break
  [ "$attempt" = 10 ] && fail "the worker does not answer a ping"
  sleep 1
done

# A real task of the desk, from this venv through Redis to the worker and back.
"$PY" - > "$WORK/roundtrip.log" 2>&1 <<'PYEOF' || fail "a task did not round-trip through the broker"
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from requests_app.tasks import deliver_pending_emails

result = deliver_pending_emails.delay()
print("round trip:", result.get(timeout=60))
PYEOF

sleep 2
for name in WEB WORKER BEAT; do
  kill -0 "${!name}" 2>/dev/null || fail "the ${name,,} process died"
done
grep -q "beat: Starting" "$WORK/beat.log" || fail "beat did not start"
if grep -q "ModuleNotFoundError\|ImportError" "$WORK"/*.log; then
  fail "an import failed in one of the processes"
fi
echo "clean install passed: web, worker and beat run from requirements.txt alone; $(cat "$WORK/roundtrip.log")"
