#!/usr/bin/env bash
# The API against its own OpenAPI schema: a real server (gunicorn) on the
# configured database, cache and broker, a staff token, and schemathesis
# generating valid and invalid calls to every operation. Fails on any server
# error (5xx) or any response that does not match the schema (status code,
# content type, body). Bounded to a few minutes.
#
# Run by .ci/run on PostgreSQL and Redis; by hand it also works on the
# embedded defaults:  bash tests/e2e/ci_schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
PORT="${SCHEMATHESIS_PORT:-8765}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-8}"
export DSAR_VAR_DIR="$PWD/var/schemathesis"
rm -rf "$DSAR_VAR_DIR"
mkdir -p "$DSAR_VAR_DIR"
# The staff throttle must not turn a fast fuzzer's calls into 429s; the public
# intake keeps its own limits (429 is a documented answer there).
export DSAR_API_STAFF_RATE="100000/minute"
export SITE_URL="http://127.0.0.1:$PORT"
export PORT

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  # A database of its own, made afresh, so the run never touches another's data.
  SCHEMATHESIS_DB="${SCHEMATHESIS_DB:-dsar_schemathesis}"
  DATABASE_URL="${DATABASE_URL%/*}/$SCHEMATHESIS_DB"
  export DATABASE_URL SCHEMATHESIS_DB
  "$PY" - <<'PYEOF'
import os
from urllib.parse import urlsplit

import psycopg

url = urlsplit(os.environ["DATABASE_URL"])
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    name = os.environ["SCHEMATHESIS_DB"]
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PYEOF
fi

echo "--- setting up the database"
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py load_demo >/dev/null
"$PY" manage.py shell -c '
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from requests_app import workflow
from requests_app.accounts import roles
from requests_app.api.models import WebhookSubscription

roles.ensure_groups()
user, _ = get_user_model().objects.get_or_create(username="schemathesis", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name=roles.DPO))
for n in range(3):
    request = workflow.create_request(
        request_type="access", full_name=f"Test Subject {n}", email=f"subject{n}@example.org", language="en"
    )
    workflow.verify(request)
workflow.assign(request, actor=user, assignee=user)
WebhookSubscription.objects.create(url="https://hooks.example.org/dsar", events=["*"])
'
TOKEN="$("$PY" manage.py create_api_token schemathesis --name schemathesis --days 1 | tail -n 1)"

echo "--- starting the server on port $PORT"
.venv/bin/gunicorn config.wsgi:application --config config/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --log-level warning >"$DSAR_VAR_DIR/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "--- schemathesis"
status=0
timeout 600 .venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/schema/" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" \
  --workers 2 \
  --request-timeout 30 \
  --seed 8 \
  --generation-database none \
  --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 80 lines)"
  tail -n 80 "$DSAR_VAR_DIR/server.log" || true
fi
exit "$status"
