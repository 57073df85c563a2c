#!/usr/bin/env bash
# The whole access flow through real processes: the web server, a Celery worker
# and beat (as `make run` starts them) on the configured database and broker
# (PostgreSQL and Redis in CI), driven in Debian's chromium by full_flow.py:
# submit in Dutch, confirm by the e-mailed link, approve, gather from the three
# demo sources, complete the camera task, release, download with the code.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
export PORT="${FLOW_PORT:-8767}"
export SITE_URL="http://127.0.0.1:$PORT"
export DSAR_VAR_DIR="$PWD/var/full-flow"
rm -rf "$DSAR_VAR_DIR" && mkdir -p "$DSAR_VAR_DIR"

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  DATABASE_URL="${DATABASE_URL%/*}/dsar_full_flow"
  export DATABASE_URL
  "$PY" - <<'PYEOF'
import os
from urllib.parse import urlsplit

import psycopg

admin = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute('DROP DATABASE IF EXISTS "dsar_full_flow" WITH (FORCE)')
    conn.execute('CREATE DATABASE "dsar_full_flow"')
PYEOF
fi
if [[ "${CELERY_BROKER_URL:-}" == redis* ]]; then
  export CELERY_BROKER_URL="${CELERY_BROKER_URL%/*}/13"
  redis-cli -u "$CELERY_BROKER_URL" flushdb >/dev/null
fi

"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py load_demo >/dev/null
"$PY" manage.py create_demo_dpo >/dev/null
setsid "$PY" -m config.run_local > "$DSAR_VAR_DIR/run.log" 2>&1 &
RUNNER=$!
stop() { kill -TERM "$RUNNER" 2>/dev/null || true; wait "$RUNNER" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 60); do
  curl -fsS "$SITE_URL/healthz" >/dev/null 2>&1 && break
  sleep 1
done
if ! "$PY" tests/e2e/full_flow.py --base "$SITE_URL" --outbox "$DSAR_VAR_DIR/outbox" \
     --password="$(cat "$DSAR_VAR_DIR/.dpo-password")" --shots "$DSAR_VAR_DIR/shots"; then
  echo "full flow failed; last lines of the processes' log:"
  tail -60 "$DSAR_VAR_DIR/run.log"
  exit 1
fi
pdftotext "$DSAR_VAR_DIR"/shots/DSAR-*.pdf "$DSAR_VAR_DIR/copy.txt"
grep -q "C-100042" "$DSAR_VAR_DIR/copy.txt" || { echo "the PDF lacks the demo subject's data"; exit 1; }
echo "full flow passed"
