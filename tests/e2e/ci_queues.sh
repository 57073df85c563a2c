#!/usr/bin/env bash
# The scale-out layout of the README ("Scaling out"), on the real services:
# two workers behind the same PostgreSQL and Redis, each consuming its own
# queues. An e-mail must be sent by the mail worker and only by it; gathering
# work must run on the engine worker and only there. Redis DB 12.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
export DSAR_VAR_DIR="$PWD/var/ci-queues"
rm -rf "$DSAR_VAR_DIR" && mkdir -p "$DSAR_VAR_DIR"
DB=dsar_ci_queues
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/12"
unset CACHE_URL CELERY_TASK_ALWAYS_EAGER DSAR_CI_SERVICES
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis-cli -n 12 flushdb >/dev/null
"$PY" manage.py migrate --noinput >/dev/null

setsid "$PY" -m celery -A config worker --loglevel INFO --concurrency 1 --hostname mail@%h \
  --queues email,default > "$DSAR_VAR_DIR/mail.log" 2>&1 &
MAIL=$!
setsid "$PY" -m celery -A config worker --loglevel INFO --concurrency 1 --hostname engine@%h \
  --queues gathering,exports,webhooks > "$DSAR_VAR_DIR/engine.log" 2>&1 &
ENGINE=$!
trap 'kill -TERM $MAIL $ENGINE 2>/dev/null || true; wait $MAIL $ENGINE 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  grep -q "ready" "$DSAR_VAR_DIR/mail.log" && grep -q "ready" "$DSAR_VAR_DIR/engine.log" && break
  sleep 1
done

"$PY" manage.py shell --no-imports -c '
from requests_app import emails
from requests_app.models import OutgoingEmail
from dsar.tasks import recover_runs
email = OutgoingEmail.objects.create(template="ci", to="s@example.be", subject="Queues", body_text="t", body_html="h")
emails._enqueue(email.pk)
recover_runs.delay()
print(email.pk)
' > "$DSAR_VAR_DIR/email_id"

for _ in $(seq 1 60); do
  sent=$("$PY" manage.py shell --no-imports -c "
from requests_app.models import OutgoingEmail
print(OutgoingEmail.objects.filter(pk=$(cat "$DSAR_VAR_DIR/email_id"), status='sent').count())")
  [ "$sent" = "1" ] && grep -q "dsar.tasks.recover_runs\[.*\] succeeded" "$DSAR_VAR_DIR/engine.log" && break
  sleep 1
done
fail() { echo "queues check failed: $*"; tail -n 20 "$DSAR_VAR_DIR/mail.log" "$DSAR_VAR_DIR/engine.log"; exit 1; }
[ "$sent" = "1" ] || fail "the e-mail was not sent"
grep -q "requests_app.tasks.deliver_email\[.*\] succeeded" "$DSAR_VAR_DIR/mail.log" || fail "the mail worker did not send it"
grep -q "deliver_email\\[" "$DSAR_VAR_DIR/engine.log" && fail "the engine worker took an e-mail"
grep -q "dsar.tasks.recover_runs\[.*\] succeeded" "$DSAR_VAR_DIR/engine.log" || fail "the engine worker did not run the engine's task"
grep -q "dsar\.tasks\.[a-z_]*\\[" "$DSAR_VAR_DIR/mail.log" && fail "the mail worker took engine work"
echo "queues check passed: e-mail on the mail worker, engine work on the engine worker"
